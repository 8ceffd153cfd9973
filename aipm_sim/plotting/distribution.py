"""Score distributions of positives and negatives, with the threshold line."""

from __future__ import annotations

import numpy as np

from ..core.errors import ParameterError
from ._base import COLORS, KEEP, MSG_LOG_SCALE, check_scale, decision_labels, finite_or, get_axes, period_words

#: Lowest score shown on a log axis, as a fraction of the highest.
LOG_RANGE = 1e-6
#: Lowest count shown on a log axis, as a fraction of the highest bin.
LOG_COUNT_RANGE = 1e-6
CAPTION = "Where positives and negatives score: right of the line is flagged."
X_LABEL = "model score"
MSG_BINS = "bins must be an integer >= 1; found {!r}"
MSG_EDGES = "edges must be increasing with one more entry than positives and negatives; found {} edges, {} and {} counts"


def class_histogram(curve, *, bins=50, xscale="linear"):
    """Cases of each class per score bin, read off a curve's cumulative counts.

    The number of positives scoring in ``[e_j, e_j+1)`` is the curve's ``tp``
    at threshold ``e_j`` minus its ``tp`` at ``e_j+1`` (``curve.index_at``);
    the last bin is closed, so the top score is counted. For an analytic
    curve (:meth:`aipm_sim.BinormalModel.curve`) these are expected counts at
    the grid's resolution.

    Parameters
    ----------
    curve : ThresholdCurve
    bins : int
        Number of bins, evenly spaced between the lowest and the highest
        threshold (in log space when ``xscale="log"``, where scores <= 0 and
        scores more than six decades below the highest are left out).

    Returns
    -------
    edges : ndarray of shape (bins + 1,)
        Increasing bin edges (scores).
    positives, negatives : ndarray of shape (bins,)
        Weighted cases per bin, in the curve's own case count.
    """
    check_scale(xscale, "xscale")
    if isinstance(bins, bool) or not isinstance(bins, (int, np.integer)) or bins < 1:
        raise ParameterError(MSG_BINS.format(bins))
    t = np.asarray(curve.thresholds, dtype=np.float64)
    finite = t[np.isfinite(t)]
    if xscale == "log":
        finite = finite[finite > 0]
        if finite.size == 0:
            raise ParameterError(MSG_LOG_SCALE.format("xscale", float(t[-1])))
        # Six decades below the top score are plenty; an analytic curve reaches 1e-10 and less.
        finite = finite[finite >= finite.max() * LOG_RANGE]
    lo, hi = float(finite.min()), float(finite.max())
    if lo == hi:
        lo, hi = (lo / 2, hi * 2) if xscale == "log" else (lo - 0.5, hi + 0.5)
    edges = np.geomspace(lo, hi, bins + 1) if xscale == "log" else np.linspace(lo, hi, bins + 1)
    query = edges.copy()
    query[-1] = np.inf  # nothing scores >= +inf: the last bin keeps the top score
    rows = curve.index_at(query)
    pos_at_or_above = curve.tp[rows]
    neg_at_or_above = curve.fp[rows]
    return edges, pos_at_or_above[:-1] - pos_at_or_above[1:], neg_at_or_above[:-1] - neg_at_or_above[1:]


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

    Attributes
    ----------
    ax_, figure_, positive_line_, negative_line_ (StepPatch), threshold_line_,
    flagged_span_ (Rectangle), caption_
    """

    def __init__(self, *, edges, positives, negatives, point=None, log=False, xscale="linear",
                 volume=None, period=None):
        self.edges = edges
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
    def from_curve(cls, curve, *, threshold=None, bins=50, log=False, xscale="linear", volume=None,
                   period=None, ax=None, **kwargs):
        """Histogram of a curve's scores (:func:`class_histogram`), counts per period with ``volume``."""
        point = None if threshold is None else curve.at(threshold)
        return cls(
            **cls.arrays_from_curve(curve, bins=bins, xscale=xscale, volume=volume),
            point=point, log=log, xscale=xscale, volume=volume, period=period,
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
    def arrays_from_curve(curve, *, bins=50, xscale="linear", volume=None):
        """The constructor's ``edges``, ``positives`` and ``negatives``, scaled to ``volume``."""
        edges, pos, neg = class_histogram(curve, bins=bins, xscale=xscale)
        if volume is not None:
            scale = volume / curve.n_cases
            pos, neg = pos * scale, neg * scale
        return {"edges": edges, "positives": pos, "negatives": neg}

    def plot(self, ax=None, *, caption=CAPTION, **kwargs):
        """Draw into ``ax`` (a new figure if None); ``kwargs`` go to both step lines. Returns self."""
        ax = get_axes(ax, f"{type(self).__name__}.plot")
        self.ax_, self.figure_ = ax, ax.figure
        ax.set_xscale(self.xscale)
        if self.log:
            ax.set_yscale("log")
        edges, pos, neg, baseline = self._heights()
        # Limits first: artists added to an unscaled log axis make matplotlib warn.
        self._set_limits(edges, pos, neg)
        self.flagged_span_ = ax.axvspan(
            edges[0], edges[0], color=COLORS["threshold"], alpha=0.07, linewidth=0, label="flagged side"
        )
        self.negative_line_ = ax.stairs(
            neg, edges, baseline=baseline, color=COLORS["negative"], linewidth=1.8,
            label="negative cases", **kwargs,
        )
        self.positive_line_ = ax.stairs(
            pos, edges, baseline=baseline, color=COLORS["positive"], linewidth=1.8,
            label="positive cases", **kwargs,
        )
        self.threshold_line_ = ax.axvline(
            edges[0], color=COLORS["threshold"], linewidth=1.5, label="current threshold"
        )
        ax.set_xlabel(X_LABEL)
        where = period_words(self.volume, self.period)
        ax.set_ylabel(f"cases {where}" + (" (log scale)" if self.log else ""))
        self.caption_ = ax.set_title(caption, loc="left", fontsize="medium")
        ax.legend(loc="upper right", fontsize="small", framealpha=0.85)
        self._draw_data()
        self.set_threshold(self.point)
        return self

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
            return self
        x = min(finite_or(point.threshold, right), right)
        x = max(x, float(self.edges[0]))
        self.threshold_line_.set_xdata([x, x])
        self.threshold_line_.set_visible(True)
        self.flagged_span_.set_x(x)
        self.flagged_span_.set_width(right - x)
        self.flagged_span_.set_visible(True)
        return self

    @property
    def moving_artists_(self):
        return [self.flagged_span_, self.threshold_line_]
