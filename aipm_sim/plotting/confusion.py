"""The 2x2 table of one threshold: counts, rates and money in each cell."""

from __future__ import annotations

from ._base import (CELL_NAMES, COLORS, KEEP, decision_labels, fmt_count, fmt_fraction, fmt_money, get_axes,
                    period_words)

CAPTION = "Every case at this threshold: green = right call, red = mistake."
#: Characters of the caption that fit on one line above the matrix (the fraud preset's 65 do).
CAPTION_WIDTH = 68
COLUMNS = ("flagged", "not flagged")
ROWS = ("actually positive", "actually negative")
#: Position of each cell: (row, column) in the 2x2 layout of aipm_sim.core.engine.curve.
LAYOUT = {"tp": (0, 0), "fn": (0, 1), "fp": (1, 0), "tn": (1, 1)}
#: Each cell's rate and what it is a share of.
RATES = {"tp": "positives", "fn": "positives", "fp": "negatives", "tn": "negatives"}


def cell_rates(point):
    """Share of its true class in each cell, read off ``point``: recall, miss rate, false positive rate, specificity."""
    return {"tp": point.recall, "fn": point.fnr, "fp": point.fpr, "tn": point.specificity}


class ConfusionMatrixDisplay:
    """The four outcomes of one threshold, each with its count, rate and money.

    Parameters
    ----------
    point : OperatingPoint
        The threshold's counts and rates.
    value_model : ValueModel, optional
        Adds the money of each cell (:meth:`~aipm_sim.ValueModel.cell_values`).
    volume : float, optional
        Cases per period: counts and money become per period.
    period : str, optional
        Name of the period ("day"); None says "per period".
    currency : str, optional
        Name of the money unit, shown after each cell's value (None: no unit shown).
    vocabulary : Vocabulary, optional
        The words of the cells (``vocabulary.tp`` … and ``cases``); None: the
        generic "caught (true positive)" and so on.

    Attributes
    ----------
    ax_, figure_ : matplotlib Axes and Figure
    cells_ : dict of str to Rectangle
        Coloured background of each cell (keys ``tp``, ``fn``, ``fp``, ``tn``).
    texts_ : dict of str to Text
        The words in each cell.
    counts_, rates_, money_ : dict of str to float
        What the texts show (``money_`` is empty without a value model).
    caption_ : Text
    """

    def __init__(self, *, point, value_model=None, volume=None, period=None, currency=None, vocabulary=None):
        self.point = point
        self.vocabulary = vocabulary
        self.value_model = value_model
        self.volume = volume
        self.period = period
        self.currency = currency
        self.ax_ = None

    @classmethod
    def from_point(cls, point, *, value_model=None, volume=None, period=None, currency=None,
                   vocabulary=None, ax=None, **kwargs):
        """Draw the table of one :class:`~aipm_sim.OperatingPoint`."""
        return cls(point=point, value_model=value_model, volume=volume, period=period,
                   currency=currency, vocabulary=vocabulary).plot(ax=ax, **kwargs)

    @classmethod
    def from_decision(cls, decision, *, threshold=None, period=None, currency=None, vocabulary=None, ax=None,
                      **kwargs):
        """Draw a Decision's table at its optimum (or at ``threshold``), with its money.

        ``period`` and ``currency`` default to the decision's own.
        """
        point = decision.point if threshold is None else decision.curve.at(threshold)
        period, currency = decision_labels(decision, period, currency)
        return cls.from_point(point, value_model=decision.value_model, volume=decision.volume,
                              period=period, currency=currency, vocabulary=vocabulary, ax=ax, **kwargs)

    def plot(self, ax=None, *, caption=CAPTION, **kwargs):
        """Draw into ``ax`` (a new figure if None); ``kwargs`` go to the cell texts. Returns self."""
        from matplotlib.patches import Rectangle

        ax = get_axes(ax, f"{type(self).__name__}.plot")
        self.ax_, self.figure_ = ax, ax.figure
        self.cells_, self.texts_ = {}, {}
        for cell, (row, col) in LAYOUT.items():
            good = cell in ("tp", "tn")
            rect = Rectangle((col, 1 - row), 1, 1, facecolor=COLORS["good_cell" if good else "bad_cell"],
                             edgecolor="white", linewidth=3)
            ax.add_patch(rect)
            self.cells_[cell] = rect
            kwargs.setdefault("fontsize", "small")
            kwargs.setdefault("linespacing", 1.5)
            self.texts_[cell] = ax.text(col + 0.5, 1.5 - row, "", ha="center", va="center", **kwargs)
        ax.set_xlim(0, 2)
        ax.set_ylim(0, 2)
        v = self.vocabulary
        columns = COLUMNS if v is None else (v.flagged, f"not {v.flagged}")
        rows = ROWS if v is None else (f"actually:\n{v.positives}", f"actually:\n{v.negatives}")
        if v is not None and caption == CAPTION:
            caption = CAPTION.replace("Every case", f"Every {v.case}", 1)
        ax.set_xticks([0.5, 1.5], columns)
        ax.set_yticks([1.5, 0.5], rows)
        ax.xaxis.tick_top()
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        if len(caption) > CAPTION_WIDTH and ": " in caption:
            # a long case word ("candidate item") would run the caption past the figure's right edge
            caption = caption.replace(": ", ":\n", 1)
        self.caption_ = ax.set_title(caption, loc="left", fontsize="medium", pad=22)
        self.set_threshold(self.point)
        return self

    def update(self, *, value_model=KEEP, volume=KEEP):
        """Change the value model and/or the volume (texts are redrawn)."""
        if value_model is not KEEP:
            self.value_model = value_model
        if volume is not KEEP:
            self.volume = volume
        if self.ax_ is not None:
            self.set_threshold(self.point)
        return self

    def set_threshold(self, point):
        """Show ``point``'s counts, rates and money."""
        self.point = point
        p = point
        per_period = p.per_period(self.volume)
        self.counts_ = {cell: getattr(per_period, cell) for cell in LAYOUT}
        self.rates_ = cell_rates(p)
        self.money_ = {} if self.value_model is None else self.value_model.cell_values(p, volume=self.volume)
        if self.ax_ is None:
            return self
        where = period_words(self.volume, self.period)
        v = self.vocabulary
        names = CELL_NAMES if v is None else {c: v.cell(c) for c in CELL_NAMES}
        cases = "cases" if v is None else v.cases
        classes = RATES if v is None else {c: v.positives if k == "positives" else v.negatives
                                           for c, k in RATES.items()}
        for cell, text in self.texts_.items():
            lines = [
                names[cell],
                f"{fmt_count(self.counts_[cell])} {cases} {where}",
                f"{fmt_fraction(self.rates_[cell])} of {classes[cell]}",
            ]
            if self.money_:
                lines.append(f"value {fmt_money(self.money_[cell], self.currency or '')} {where}")
            text.set_text("\n".join(lines))
        return self

    @property
    def moving_artists_(self):
        return list(self.texts_.values())
