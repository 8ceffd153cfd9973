"""Score distributions of positives and negatives, with the threshold line."""

from __future__ import annotations

import numpy as np

from ..core.engine.curve import MSG_BINS
from ..core.errors import ParameterError
from ._base import (COLORS, KEEP, LOG_RANGE, MSG_LOG_SCALE, THRESHOLD_STYLE, check_scale, decision_labels, finite_or,
                    get_axes, period_words, refresh_legend, words_of)

# LOG_RANGE (from _base): lowest score shown on a log axis, as a fraction of the highest.
#: Lowest count shown on a log axis, as a fraction of the highest bin.
LOG_COUNT_RANGE = 1e-6
CAPTION = "Where positives and negatives score: right of the line is flagged."
X_LABEL = "model score"
MSG_EDGES = "edges must be increasing with one more entry than positives and negatives; found {} edges, {} and {} counts"


def histogram_edges(curve, *, bins=50, xscale="linear", xlim=None):
    """Bin edges for drawing ``curve``'s scores: where the bins go is a drawing choice, the counts are core's.

    Linear: ``bins`` (an int), which :meth:`~aipm_sim.ThresholdCurve.histogram`
    spreads evenly between the lowest and the highest threshold. Log:
    ``bins`` edges spaced evenly in log space over the positive thresholds,
    leaving out scores more than six decades (``LOG_RANGE``) below the
    highest: an analytic curve reaches 1e-10 and less. ``xlim`` (low, high)
    spreads the bins over that range instead (evenly, or evenly in log
    space), so that a histogram matches other pictures' threshold axes.

    Returns
    -------
    int or ndarray of shape (bins + 1,)
        What to pass to :meth:`~aipm_sim.ThresholdCurve.histogram` as ``bins``.
    """
    check_scale(xscale, "xscale")
    if xscale == "linear" and xlim is None:
        return bins
    if isinstance(bins, bool) or not isinstance(bins, (int, np.integer)) or bins < 1:
        raise ParameterError(MSG_BINS.format(bins))
    if xlim is not None:
        lo, hi = (float(x) for x in xlim)
        return (np.geomspace if xscale == "log" else np.linspace)(lo, hi, int(bins) + 1)
    t = np.asarray(curve.thresholds, dtype=np.float64)
    positive = t[np.isfinite(t) & (t > 0)]
    if positive.size == 0:
        raise ParameterError(MSG_LOG_SCALE.format("xscale", float(t[-1])))
    positive = positive[positive >= positive.max() * LOG_RANGE]
    lo, hi = float(positive.min()), float(positive.max())
    if lo == hi:
        lo, hi = lo / 2, hi * 2
    return np.geomspace(lo, hi, int(bins) + 1)


class ScoreDistributionDisplay:
    """Histogram of scores for positive and negative cases, with the threshold line.

    Parameters
    ----------
    edges : ndarray of shape (k + 1,)
        Increasing bin edges (scores).
    positives, negatives : ndarray of shape (k,)
        Cases per bin of each class (per period when ``volume`` was used).
    point : OperatingPoint, optional
        The current threshold (vertical line; the flagged side is shaded).
    log : bool
        Logarithmic count axis: positives are often under 1 % of cases and
        vanish on a linear axis.
    xscale : {"linear", "log"}
    volume : float, optional
        Cases per period the counts refer to (labels only).
    period : str, optional
        Name of the period ("day"); None says "per period".
    vocabulary : Vocabulary or mapping, optional
        The decision's words for the legend and axis (``scenario.words``);
        None: positive cases, negative cases, flagged.

    Attributes
    ----------
    ax_, figure_, positive_line_, negative_line_ (StepPatch), threshold_line_,
    flagged_span_ (Rectangle), caption_
    """

    def __init__(self, *, edges, positives, negatives, point=None, log=False, xscale="linear",
                 volume=None, period=None, vocabulary=None):
        self.edges = edges
        self.vocabulary = vocabulary
        self.positives = positives
        self.negatives = negatives
        self.point = point
        self.log = bool(log)
        self.xscale = check_scale(xscale, "xscale")
        self.volume = volume
        self.period = period
        self.ax_ = None
        self._check()

    def _check(self):
        e = np.asarray(self.edges, dtype=np.float64)
        ok = (len(e) == len(self.positives) + 1 == len(self.negatives) + 1) and bool(np.all(np.diff(e) > 0))
        if not ok:
            raise ParameterError(MSG_EDGES.format(len(e), len(self.positives), len(self.negatives)))

    @classmethod
    def from_curve(cls, curve, *, threshold=None, bins=50, log=False, xscale="linear", xlim=None, volume=None,
                   period=None, ax=None, vocabulary=None, **kwargs):
        """Histogram of a curve's scores (:meth:`~aipm_sim.ThresholdCurve.histogram`); per period with ``volume``."""
        point = None if threshold is None else curve.at(threshold)
        return cls(
            **cls.arrays_from_curve(curve, bins=bins, xscale=xscale, xlim=xlim, volume=volume),
            point=point, log=log, xscale=xscale, volume=volume, period=period, vocabulary=vocabulary,
        ).plot(ax=ax, **kwargs)

    @classmethod
    def from_decision(cls, decision, *, threshold=None, bins=50, log=False, xscale="linear", period=None,
                      ax=None, **kwargs):
        """Histogram of a Decision's curve, counts per period of its volume; ``threshold`` defaults to its own.

        ``period`` defaults to the decision's own.
        """
        period, _ = decision_labels(decision, period)
        return cls.from_curve(decision.curve, threshold=decision.threshold if threshold is None else threshold,
                              bins=bins, log=log, xscale=xscale, volume=decision.volume, period=period,
                              ax=ax, **kwargs)

    @classmethod
    def from_scores(cls, score_set, *, threshold=None, **kwargs):
        """Histogram of a :class:`~aipm_sim.ScoreSet` (through its exact curve)."""
        from ..core import ThresholdCurve

        return cls.from_curve(ThresholdCurve.from_scores(score_set), threshold=threshold, **kwargs)

    @staticmethod
    def arrays_from_curve(curve, *, bins=50, xscale="linear", xlim=None, volume=None):
        """The constructor's ``edges``, ``positives`` and ``negatives`` (per period with ``volume``).

        The bins are :func:`histogram_edges`; the counts
        :meth:`~aipm_sim.ThresholdCurve.histogram`'s.
        """
        edges, pos, neg = curve.histogram(histogram_edges(curve, bins=bins, xscale=xscale, xlim=xlim), volume=volume)
        return {"edges": edges, "positives": pos, "negatives": neg}

    def _words(self):
        """``(negatives, positives, flagged side, cases, caption)`` in the decision's words."""
        if self.vocabulary is None:
            return "negative cases", "positive cases", "flagged side", "cases", CAPTION
        v = words_of(self.vocabulary)
        return (v.negatives, v.positives, f"{v.flagged} side", v.cases,
                f"Where {v.positives} and {v.negatives} score: right of the line is {v.flagged}.")

    def plot(self, ax=None, *, caption=None, **kwargs):
        """Draw into ``ax`` (a new figure if None); ``kwargs`` go to both step lines. Returns self."""
        negatives, positives, side, cases, default_caption = self._words()
        caption = default_caption if caption is None else caption
        ax = get_axes(ax, f"{type(self).__name__}.plot")
        self.ax_, self.figure_ = ax, ax.figure
        ax.set_xscale(self.xscale)
        if self.log:
            ax.set_yscale("log")
        edges, pos, neg, baseline = self._heights()
        # Limits first: artists added to an unscaled log axis make matplotlib warn.
        self._set_limits(edges, pos, neg)
        self.flagged_span_ = ax.axvspan(
            edges[0], edges[0], color=COLORS["threshold"], alpha=0.07, linewidth=0, label=side
        )
        self.negative_line_ = ax.stairs(
            neg, edges, baseline=baseline, color=COLORS["negative"], linewidth=1.8,
            label=negatives, **kwargs,
        )
        self.positive_line_ = ax.stairs(
            pos, edges, baseline=baseline, color=COLORS["positive"], linewidth=1.8,
            label=positives, **kwargs,
        )
        self.threshold_line_ = ax.axvline(edges[0], **THRESHOLD_STYLE, label="current threshold")
        ax.set_xlabel(X_LABEL)
        where = period_words(self.volume, self.period)
        ax.set_ylabel(f"{cases} {where}" + (" (log scale)" if self.log else ""))
        self.caption_ = ax.set_title(caption, loc="left", fontsize="medium")
        self._draw_data()
        self.set_threshold(self.point)
        return self

    def _legend(self):
        """Legend of what is drawn, where it hides the least data (the threshold only when set)."""
        refresh_legend(self.ax_, [self.flagged_span_, self.negative_line_, self.positive_line_,
                                  self.threshold_line_], loc="best")

    def _heights(self):
        e = np.asarray(self.edges, dtype=np.float64)
        pos = np.asarray(self.positives, dtype=np.float64)
        neg = np.asarray(self.negatives, dtype=np.float64)
        if self.log:
            # On a log axis empty bins have no height: show them as gaps.
            pos = np.where(pos > 0, pos, np.nan)
            neg = np.where(neg > 0, neg, np.nan)
        return e, pos, neg, (None if self.log else 0.0)

    def _set_limits(self, e, pos, neg):
        self.ax_.set_xlim(e[0], e[-1])
        heights = np.concatenate([pos, neg])
        heights = heights[np.isfinite(heights) & (heights > 0)]
        if self.log:
            if heights.size:
                lo = max(heights.min() / 2, heights.max() * LOG_COUNT_RANGE)
                hi = heights.max() * 3
            else:
                lo, hi = 0.1, 10.0
        else:
            lo, hi = 0.0, heights.max() * 1.1 if heights.size else 1.0
        self.ax_.set_ylim(lo, hi)

    def _draw_data(self):
        e, pos, neg, baseline = self._heights()
        self.positive_line_.set_data(values=pos, edges=e, baseline=baseline)
        self.negative_line_.set_data(values=neg, edges=e, baseline=baseline)
        self._set_limits(e, pos, neg)

    def update(self, *, edges=None, positives=None, negatives=None, volume=KEEP):
        """Replace the histogram (edges and both classes' counts together)."""
        given = (edges is None, positives is None, negatives is None)
        if any(given) and not all(given):
            raise ParameterError("update needs edges, positives and negatives together")
        if edges is not None:
            self.edges, self.positives, self.negatives = edges, positives, negatives
        if volume is not KEEP:
            self.volume = volume
        self._check()
        if self.ax_ is not None:
            self._draw_data()
            self.set_threshold(self.point)
        return self

    def set_threshold(self, point):
        """Move the threshold line and the shaded flagged side (None hides them)."""
        self.point = point
        if self.ax_ is None:
            return self
        right = float(self.edges[-1])
        if point is None:
            self.threshold_line_.set_visible(False)
            self.flagged_span_.set_visible(False)
            self._legend()
            return self
        x = min(finite_or(point.threshold, right), right)
        x = max(x, float(self.edges[0]))
        self.threshold_line_.set_xdata([x, x])
        self.threshold_line_.set_visible(True)
        self.flagged_span_.set_x(x)
        self.flagged_span_.set_width(right - x)
        self.flagged_span_.set_visible(True)
        self._legend()
        return self

    @property
    def moving_artists_(self):
        return [self.flagged_span_, self.threshold_line_]
