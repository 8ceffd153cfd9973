"""Static figures of a decision report, drawn by :mod:`aipm_sim.plotting`.

Each function returns a :class:`ReportFigure`: a matplotlib figure that is
not registered with pyplot (so a notebook shows it exactly once, as the
cell's result), shown as an embedded PNG image with alternative text.
"""

from __future__ import annotations

import base64
import html
import io

from .._format import fmt_level
from .._format import fmt_compact_money
from ._analysis import fmt_count, fmt_money, fmt_percent, fmt_threshold

#: Width x height in inches. Each figure is shown at its size in inches (CSS ``in``), so that on
#: an A4 page (18.6 cm between the margins) its text prints at the point size it was drawn at:
#: matplotlib's 10 pt, "small" 8.3 pt, never smaller. Low and wide: the memo fits four pages.
FIGSIZE = (7.0, 1.95)
#: A figure that shares its row with the next one (two of them fill the page's width).
HALF_FIGSIZE = (3.6, 2.1)
#: The metrics chart (legend beside the curves) and the four outcomes.
METRICS_FIGSIZE = (7.0, 1.65)
OUTCOMES_FIGSIZE = (7.0, 1.65)
#: PNG resolution of every report figure (dots per inch).
DPI = 120


class ReportFigure:
    """A report figure: the matplotlib ``figure`` and a sentence describing it (``alt``).

    In a notebook or an HTML export it shows as one PNG image whose
    alternative text is ``alt``, so that the report reads with a screen
    reader too.
    """

    def __init__(self, figure, alt, *, side=False):
        self.figure = figure
        self.alt = alt
        #: Shown beside the text that follows it (right half of the page), not above it.
        self.side = bool(side)

    @property
    def half(self):
        """Whether the figure is at most half the page wide (it then sits beside its neighbour in print)."""
        return float(self.figure.get_size_inches()[0]) <= HALF_FIGSIZE[0] + 1e-9

    def png(self):
        """The figure as PNG bytes (at :data:`DPI`)."""
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=DPI, facecolor="white")
        return buffer.getvalue()

    def _repr_html_(self):
        data = base64.b64encode(self.png()).decode("ascii")
        width = float(self.figure.get_size_inches()[0])
        css = ' class="aipm-side"' if self.side else ' class="aipm-half"' if self.half else ""
        return (f'<img{css} src="data:image/png;base64,{data}" alt="{html.escape(self.alt)}" '
                f'style="width: {width:.2f}in; max-width: 100%; height: auto;">')

    def __repr__(self):
        return f"ReportFigure({self.alt!r})"


def _figure(figsize=FIGSIZE):
    from matplotlib.figure import Figure

    return Figure(figsize=figsize, dpi=DPI, layout="constrained")


#: A threshold window spanning more than this ratio (largest / smallest) gets a log axis.
LOG_SPAN = 20.0
#: The threshold axis starts where this share of cases is flagged (or lower, to show the optimum).
WINDOW_ALERT_RATE = 0.5
X_ZOOM_NOTE = "Thresholds that flag more than {} of the {} are left out."
Y_ZOOM_NOTE = "Values far below the best are cut off."


def threshold_window(decision):
    """``(scale, left, right)`` of the threshold axis for a readable picture of ``decision``.

    The axis starts at the threshold that flags :data:`WINDOW_ALERT_RATE` of
    the cases (never right of the near-optimal band); lower thresholds only
    flag ever more cases. When that window holds positive thresholds
    spanning more than :data:`LOG_SPAN` (calibrated probabilities of a rare
    event), the axis is logarithmic.
    """
    import numpy as np

    curve = decision.curve
    t = np.asarray(curve.thresholds, dtype=np.float64)
    finite = np.isfinite(t)
    right = float(t[finite].max())
    within = finite & (np.asarray(curve.alert_rate) <= WINDOW_ALERT_RATE)
    left = float(t[within].min()) if within.any() else float(t[finite].min())
    left = min(left, float(decision.near_optimal.threshold_low), right)
    scale = "log" if left > 0 and right / left > LOG_SPAN else "linear"
    if left == right:
        return scale, None, None
    return scale, left, right


def value_limits(decision, current):
    """Y limits that follow the values around the decision (:func:`aipm_sim.plotting.value.value_limits`)."""
    from ..plotting.value import value_limits as limits

    return limits(decision.values, decision.index, current)


def _zoom(fig, ax, window):
    """Apply the threshold window's limits to ``ax`` (a log axis labels its decades only: no crowded minor ticks)."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    scale, left, right = window
    if left is not None:
        ax.set_xlim(left, right)
    if scale == "log":
        ax.xaxis.set_minor_formatter(NullFormatter())
        lo, hi = ax.get_xlim()
        if lo > 0 and hi / lo < 100:  # two decades or less: 0.05, 0.1, 0.2, 0.5 rather than one 10^-1
            ax.xaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
            ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: fmt_threshold(x)))


def value_figure(analysis):
    """Value at every threshold: the optimum, the near-optimal band, constraints."""
    import numpy as np

    from ..plotting import ValueCurveDisplay

    decision = analysis.decision
    window = threshold_window(decision)
    fig = _figure()
    display = ValueCurveDisplay.from_decision(
        decision, ax=fig.add_subplot(), period=analysis.period, currency=analysis.currency,
        xscale=window[0], vocabulary=_words(analysis),
    )
    ax = display.ax_
    limits = value_limits(decision, ax.get_ylim())
    notes = []
    if window[1] is not None and window[1] > _lowest_threshold(decision):
        notes.append(X_ZOOM_NOTE.format(fmt_level(WINDOW_ALERT_RATE), analysis.words.cases))
    if limits is not None:
        ax.set_ylim(*limits)
        if limits[0] > float(np.nanmin(decision.values)):
            notes.append(Y_ZOOM_NOTE)
    _zoom(fig, ax, window)
    ax.yaxis.label.set_fontsize("small")  # a low figure: the unit's label in the "small" size, never cut
    if notes:
        fig.supxlabel(" ".join(notes), fontsize="small", color="#555555")
    band = decision.near_optimal
    alt = f"Line chart of the value {analysis.per_period} against the threshold. "
    if analysis.flags_nothing:
        alt += (f"The best choice is to flag nothing ({analysis.nothing_reason}): "
                f"{fmt_money(decision.value, analysis.currency)}.")
    else:
        alt += (
            f"The best threshold, {fmt_threshold(decision.threshold)}, gives "
            f"{fmt_money(decision.value, analysis.currency)}; thresholds from {fmt_threshold(band.threshold_low)} "
            f"to {fmt_threshold(band.threshold_high)} are within {fmt_level(band.tolerance)} of it."
        )
    return ReportFigure(fig, alt)


def small_text(ax):
    """A half-page figure's title, axis labels, ticks and legend in the "small" size (8.3 pt at print size)."""
    legend = ax.get_legend()
    if legend is not None:
        for t in legend.get_texts():
            t.set_fontsize("small")
    ax.title.set_fontsize("small")
    ax.xaxis.label.set_fontsize("small")
    ax.yaxis.label.set_fontsize("small")
    ax.tick_params(labelsize="small")


def _words(analysis):
    """The scenario's vocabulary for the charts (None for scored data: the charts' generic words)."""
    return analysis.words if analysis.scenario is not None else None


def _lowest_threshold(decision):
    import numpy as np

    t = np.asarray(decision.curve.thresholds, dtype=np.float64)
    return float(t[np.isfinite(t)].min())


def metrics_figure(analysis):
    """Precision, recall, F1 and alert rate against the threshold, the optimum marked."""
    from ..plotting import MetricsCurveDisplay
    from ..plotting._base import percent_tick

    window = threshold_window(analysis.decision)
    fig = _figure(METRICS_FIGSIZE)
    display = MetricsCurveDisplay.from_decision(analysis.decision, ax=fig.add_subplot(), xscale=window[0],
                                                vocabulary=_words(analysis))
    # Low and wide: the legend beside the curves (not above them), so the axis needs no room over 1.
    ax = display.ax_
    ax.set_ylim(-0.02, 1.02)
    ax.set_ylabel("share")
    ax.yaxis.set_major_formatter(percent_tick)  # "50%", as every other share in the report
    handles = [h for h in (*display.lines_.values(), display.optimum_line_, display.threshold_line_)
               if h.get_visible() and h.get_label()]
    ax.legend(handles=handles, loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize="small", frameon=False)
    _zoom(fig, display.ax_, window)
    p = analysis.decision.point
    alt = "Line chart of precision, recall, F1 and the share of cases flagged against the threshold. "
    if analysis.flags_nothing:
        alt += f"The best choice flags no case ({analysis.nothing_reason})."
    else:
        alt += (f"At the best threshold precision is {fmt_percent(p.precision)}, recall {fmt_percent(p.recall)}, "
                f"and {fmt_percent(p.alert_rate)} of cases are flagged.")
    return ReportFigure(fig, alt)


def outcomes_figure(analysis):
    """The four outcomes (caught, missed, false alarms, left alone) at the chosen threshold."""
    from ..plotting import ConfusionMatrixDisplay

    fig = _figure(figsize=OUTCOMES_FIGSIZE)
    ConfusionMatrixDisplay.from_decision(
        analysis.decision, ax=fig.add_subplot(), period=analysis.period, currency=analysis.currency,
        vocabulary=analysis.words if analysis.scenario is not None else None, linespacing=1.3,
    )
    d = analysis.decision
    scale = 1.0 if d.volume is None else d.volume / d.point.n_cases
    # Rounded as the figure rounds them (765, not 764.6).
    counts = {c: fmt_count(getattr(d.point, c) * scale) for c in ("tp", "fn", "fp", "tn")}
    w = analysis.words
    alt = (
        f"Table of the four outcomes at the best threshold, {analysis.per_period}: {counts['tp']} {w.tp}, "
        f"{counts['fn']} {w.fn}, {counts['fp']} {w.fp}, {counts['tn']} {w.tn}."
    )
    return ReportFigure(fig, alt)


def tornado_figure(analysis):
    """The sensitivity tornado (up to 10 assumptions), or None without a sensitivity analysis."""
    from ..plotting.sensitivity import TornadoDisplay

    sens = analysis.sensitivity
    if sens is None or not len(sens.table):
        return None
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    rows = min(len(sens.table), 6)
    fig = _figure(figsize=(7.0, 0.55 + 0.26 * rows))
    names = {name: analysis.parameter_words(name) for name in sens.table["parameter"]}
    display = TornadoDisplay.from_sensitivity(sens, max_parameters=rows, currency=analysis.currency,
                                              names=names, label_width=70, ax=fig.add_subplot())
    ax = display.ax_
    ax.set_xlabel(f"best value {analysis.per_period} ({analysis.currency}); line: today's best")
    ax.tick_params(axis="y", labelsize=8)
    # The ranges tested are in the table just above: the bars are labelled with the names alone.
    import textwrap

    ax.set_yticks(ax.get_yticks(), ["\n".join(textwrap.wrap(names.get(p, p), 70)) for p in display.parameters])
    ax.xaxis.set_major_locator(MaxNLocator(4))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: fmt_compact_money(x)))
    ax.set_title("")  # the section's heading says it
    alt = (
        "Bar chart of the best value when each assumption, one at a time, moves to the low or high end "
        f"of its range; the largest swing comes from {analysis.parameter_words(sens.table['parameter'].iloc[0])}."
    )
    return ReportFigure(fig, alt)
