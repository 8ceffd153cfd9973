"""Precision, recall, F1 and alert rate against the threshold."""

from __future__ import annotations

import numpy as np

from ..core.errors import ParameterError
from ._base import (
    COLORS,
    KEEP,
    MAX_POINTS,
    MSG_LOG_SCALE,
    THRESHOLD_STYLE,
    ThresholdLineMixin,
    check_scale,
    finite_or,
    get_axes,
    refresh_legend,
    rows_in_view,
    select_rows,
    threshold_coordinate,
    threshold_label,
    threshold_limits,
    words_of,
)

#: Metrics drawn, in legend order, with the words a product manager reads (short: the legend
#: sits in two columns above the curves).
METRIC_LABELS = {
    "precision": "precision: alerts that are positives",
    "recall": "recall: positives flagged",
    "f1": "F1: precision–recall balance",
    "alert_rate": "alert rate: cases flagged",
}
CAPTION = "Higher threshold: fewer, surer alerts (precision up, recall down)."


def metric_labels(vocabulary=None):
    """:data:`METRIC_LABELS` in a decision's words (``vocabulary``: a Vocabulary, a mapping, or None)."""
    v = words_of(vocabulary)
    return {
        "precision": f"precision: {v.alerts} that are {v.positives}",
        "recall": f"recall: {v.positives} {v.flagged}",
        "f1": METRIC_LABELS["f1"],
        "alert_rate": f"{v.alert_rate}: {v.cases} {v.flagged}",
    }


def caption_words(vocabulary=None):
    """:data:`CAPTION` in a decision's words."""
    return f"Higher threshold: fewer, surer {words_of(vocabulary).alerts} (precision up, recall down)."
X_LABEL = "threshold (cases scoring at or above it are flagged)"
Y_LABEL = "fraction (0 = none, 1 = all)"
#: Top of the fraction axis: the space above 1 holds the legend, in two columns.
LEGEND_TOP = 1.32
MSG_UPDATE_TOGETHER = "update needs thresholds, precision, recall, f1 and alert_rate together"


class MetricsCurveDisplay(ThresholdLineMixin):
    """Precision, recall, F1 and alert rate at every threshold, with the current one marked.

    Build it with :meth:`from_curve` or :meth:`from_decision`; the
    constructor takes already-computed arrays (all aligned, one entry per
    curve row, thresholds decreasing as in :class:`~aipm_sim.ThresholdCurve`).

    Parameters
    ----------
    thresholds : ndarray of shape (m,)
        Decreasing thresholds; +inf (flag nothing) is not drawn.
    precision, recall, f1, alert_rate : ndarray of shape (m,)
        Fractions in [0, 1] (NaN where undefined).
    point : OperatingPoint, optional
        The current threshold's point, marked by a dashed grey vertical line
        and a dot on each metric.
    optimum_threshold : float, optional
        The best threshold (dotted green vertical line).
    xscale : {"linear", "log"}
        Threshold axis scale ("log" suits probabilities at a low prevalence).
    xlim : (float, float), optional
        Threshold axis range (None: the curve's thresholds; on a log axis at
        most six decades, ``LOG_RANGE``, below the highest). The explorer
        gives every picture its slider's range.
    max_points : int or None
        Most rows drawn per line (None: all); see
        :func:`aipm_sim.plotting._base.select_rows`.
    vocabulary : Vocabulary or mapping, optional
        The decision's words for the legend, axis and caption (a scenario's
        ``scenario.words``); None: cases, alerts, positives.

    Attributes
    ----------
    ax_, figure_ : matplotlib Axes and Figure
    lines_ : dict of str to Line2D
        One line per metric (keys as ``METRIC_LABELS``).
    line_ : Line2D
        ``lines_["precision"]``, as in scikit-learn's displays.
    threshold_line_, optimum_line_ : Line2D
        The vertical lines (invisible when unset, and then not in the legend).
    markers_ : Line2D
        Dots at the current threshold, one per metric, in legend order.
    rows_ : ndarray of int
        Curve rows drawn.
    caption_ : Text
    """

    def __init__(self, *, thresholds, precision, recall, f1, alert_rate, point=None,
                 optimum_threshold=None, xscale="linear", xlim=None, max_points=MAX_POINTS, vocabulary=None):
        self.thresholds = thresholds
        self.vocabulary = vocabulary
        self.metrics = {"precision": precision, "recall": recall, "f1": f1, "alert_rate": alert_rate}
        self.point = point
        self.optimum_threshold = optimum_threshold
        self.xscale = check_scale(xscale, "xscale")
        self.xlim = xlim
        self.max_points = max_points
        self.ax_ = None

    # -- constructors ---------------------------------------------------------------
    @classmethod
    def from_curve(cls, curve, *, threshold=None, optimum_threshold=None, ax=None,
                   xscale="linear", xlim=None, max_points=MAX_POINTS, vocabulary=None, **kwargs):
        """Draw the metrics of a :class:`~aipm_sim.ThresholdCurve`.

        ``threshold`` (a score) marks the current operating point
        (``curve.at(threshold)``).
        """
        point = None if threshold is None else curve.at(threshold)
        return cls(
            **cls.arrays_from_curve(curve), point=point, optimum_threshold=optimum_threshold,
            xscale=xscale, xlim=xlim, max_points=max_points, vocabulary=vocabulary,
        ).plot(ax=ax, **kwargs)

    @classmethod
    def from_decision(cls, decision, *, threshold=None, ax=None, xscale="linear", xlim=None,
                      max_points=MAX_POINTS, vocabulary=None, **kwargs):
        """Draw the metrics of a :class:`~aipm_sim.Decision`'s curve, its optimum marked.

        ``threshold`` defaults to the optimum itself.
        """
        curve = decision.curve
        point = decision.point if threshold is None else curve.at(threshold)
        return cls(
            **cls.arrays_from_curve(curve), point=point, optimum_threshold=decision.threshold,
            xscale=xscale, xlim=xlim, max_points=max_points, vocabulary=vocabulary,
        ).plot(ax=ax, **kwargs)

    @staticmethod
    def arrays_from_curve(curve):
        """The constructor's arrays, read from a curve's public attributes."""
        return {
            "thresholds": curve.thresholds,
            "precision": curve.precision,
            "recall": curve.recall,
            "f1": curve.f1,
            "alert_rate": curve.alert_rate,
        }

    # -- drawing ------------------------------------------------------------------
    def plot(self, ax=None, *, caption=None, **kwargs):
        """Draw into ``ax`` (a new figure if None); ``kwargs`` go to every metric line.

        Returns
        -------
        self
        """
        ax = get_axes(ax, f"{type(self).__name__}.plot")
        self.ax_, self.figure_ = ax, ax.figure
        ax.set_xscale(self.xscale)
        self.lines_ = {}
        if caption is None:
            caption = caption_words(self.vocabulary)
        for name, label in metric_labels(self.vocabulary).items():
            (self.lines_[name],) = ax.plot([], [], color=COLORS[name], label=label, **kwargs)
        self.line_ = self.lines_["precision"]
        self.optimum_line_ = ax.axvline(
            np.nan, color=COLORS["optimum"], linestyle=":", linewidth=2.0, label="best threshold"
        )
        self.threshold_line_ = ax.axvline(np.nan, **THRESHOLD_STYLE, label="current threshold")
        (self.markers_,) = ax.plot([], [], "o", color=COLORS["point"], markersize=5, zorder=3)
        # Room above 1 for the legend: in the middle it would hide the curves wherever they cross.
        ax.set_ylim(-0.02, LEGEND_TOP)
        ax.set_yticks(np.linspace(0, 1, 6))
        ax.set_xlabel(threshold_label(self.vocabulary))
        ax.set_ylabel(Y_LABEL)
        self.caption_ = ax.set_title(caption, loc="left", fontsize="medium")
        self._draw_data()
        self.set_threshold(self.point)
        return self

    def _draw_data(self):
        t = np.asarray(self.thresholds, dtype=np.float64)
        if self.xscale == "log" and np.isfinite(t).any() and not (t[np.isfinite(t)] > 0).any():
            # Only thresholds <= 0, which a log axis cannot show.
            raise ParameterError(MSG_LOG_SCALE.format("xscale", float(t[np.isfinite(t)].min())))
        lo, hi = threshold_limits(t, self.xscale, self.xlim)
        coord = np.where(rows_in_view(t, lo, hi), threshold_coordinate(t, self.xscale), np.nan)
        rows = select_rows(
            [coord, self.metrics["recall"], self.metrics["alert_rate"]], self.max_points,
        )
        self.rows_ = rows
        for name, line in self.lines_.items():
            line.set_data(t[rows], np.asarray(self.metrics[name])[rows])
        self.ax_.set_xlim(lo, hi)
        self._x_right = hi
        self.set_optimum(self.optimum_threshold)

    def update(self, *, thresholds=None, precision=None, recall=None, f1=None, alert_rate=None,
               optimum_threshold=KEEP, xlim=KEEP):
        """Replace the curve's arrays (thresholds and all four metrics together) and/or the optimum.

        Arguments left out keep their current value; ``optimum_threshold=None`` hides the optimum.
        """
        given = {"precision": precision, "recall": recall, "f1": f1, "alert_rate": alert_rate}
        if thresholds is not None or any(v is not None for v in given.values()):
            if thresholds is None or any(v is None for v in given.values()):
                raise ParameterError(MSG_UPDATE_TOGETHER)
            self.thresholds = thresholds
            self.metrics = given
        if optimum_threshold is not KEEP:
            self.optimum_threshold = optimum_threshold
        if xlim is not KEEP:
            self.xlim = xlim
        if self.ax_ is not None:
            self._draw_data()
        return self

    def set_optimum(self, threshold):
        """Move the dashed "best threshold" line (None hides it)."""
        self.optimum_threshold = threshold
        if self.ax_ is not None:
            visible = threshold is not None
            x = finite_or(threshold, self._x_right) if visible else np.nan
            self.optimum_line_.set_xdata([x, x])
            self.optimum_line_.set_visible(visible)
            self._legend()
        return self

    def _legend(self):
        """Legend of what is drawn: the metrics, and the two vertical lines when shown."""
        refresh_legend(self.ax_, [*self.lines_.values(), self.optimum_line_, self.threshold_line_],
                       loc="upper center", ncols=2, borderaxespad=0.2, columnspacing=1.0,
                       handlelength=1.6)

    # set_threshold (ThresholdLineMixin): one dot per metric, in legend order.
    def _threshold_markers(self):
        return self.markers_

    @staticmethod
    def _marker_ys(point):
        return [getattr(point, name) for name in METRIC_LABELS]

    @property
    def moving_artists_(self):
        """Artists that :meth:`set_threshold` changes (for blitting)."""
        return [self.threshold_line_, self.markers_]
