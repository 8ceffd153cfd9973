"""Business value against the threshold: the optimum, the near-optimal band, constraints."""

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
    compact_money,
    decision_labels,
    finite_or,
    fmt_level,
    fmt_money,
    get_axes,
    money_label,
    period_words,
    threshold_label,
    refresh_legend,
    rows_in_view,
    select_rows,
    threshold_coordinate,
    threshold_limits,
)

CAPTION = "Star: the most valuable threshold that meets the rules. Grey: breaks a rule."
#: Narrowest near-optimal band drawn, as a fraction of the axis width (a narrower one is widened).
MIN_BAND_WIDTH = 0.015
X_LABEL = "threshold (cases scoring at or above it are flagged)"
MSG_LENGTHS = "thresholds, values and feasible must have the same length; found {}"


def infeasible_spans(thresholds, feasible, *, right=None, left=None):
    """Threshold intervals where ``feasible`` is False, one ``(low, high)`` pair per run of rows.

    Row ``i`` of a curve applies to every threshold in ``(thresholds[i+1],
    thresholds[i]]``; a run of rows ``i0..i1`` therefore covers
    ``(thresholds[i1+1], thresholds[i0]]``. ``right`` replaces +inf (row 0)
    and ``left`` is the low end of the last row's interval.

    Returns
    -------
    list of (float, float)
    """
    t = np.asarray(thresholds, dtype=np.float64)
    bad = ~np.asarray(feasible, dtype=bool)
    if not bad.any():
        return []
    edges = np.flatnonzero(np.diff(np.concatenate([[False], bad, [False]]).astype(np.int8)))
    starts, stops = edges[::2], edges[1::2] - 1
    m = len(t)
    right = float(t[np.isfinite(t)].max()) if right is None and np.isfinite(t).any() else right
    left = float(t[-1]) if left is None else left
    spans = []
    for i0, i1 in zip(starts, stops):
        high = finite_or(float(t[i0]), right)
        low = float(t[i1 + 1]) if i1 + 1 < m else left
        spans.append((low, high))
    return spans


#: The value axis of :meth:`ValueCurveDisplay.focus` reaches this many times the decision's gain over
#: flagging nothing below the best value, so the decision and its alternatives stay readable.
VALUE_ZOOM = 3.0
#: What a focused chart says when it cuts values off.
FOCUS_NOTE = "Values far below the best are cut off."


def value_limits(values, best_index, current):
    """Y limits that follow ``values`` around the best row, or None when ``current`` limits already do.

    The scale is the best value's gain over flagging nothing (row 0), or 5 %
    of the whole range when there is none. The axis runs from
    :data:`VALUE_ZOOM` such scales below the best value to just above the
    highest value, with room for the legend: never up to zero when every
    value is negative.
    """
    v = np.asarray(values, dtype=np.float64)
    finite = v[np.isfinite(v)]
    if finite.size == 0 or best_index is None:
        return None
    best = float(v[best_index])
    nothing = float(v[0]) if np.isfinite(v[0]) else best
    span = abs(best - nothing) or 0.05 * float(finite.max() - finite.min())
    if span == 0:
        return None
    low = max(best - VALUE_ZOOM * span, float(finite.min()) - 0.05 * span)
    top = float(finite.max())
    top += 0.45 * (top - low)  # the legend's room, above the curve
    if current[0] >= low and current[1] <= top:
        return None
    return low, top


class ValueCurveDisplay(ThresholdLineMixin):
    """Value (money) at every threshold, with the optimum, its near-optimal band and constraints.

    Parameters
    ----------
    thresholds : ndarray of shape (m,)
        Decreasing thresholds of the curve (+inf, flag nothing, is drawn at
        the right end).
    values : ndarray of shape (m,)
        Value at each threshold: currency per period when ``volume`` is
        given, otherwise in total over the data's cases.
    feasible : ndarray of bool, shape (m,), optional
        Rows meeting every constraint; the others are shaded grey.
    optimum_index : int, optional
        Row of the best threshold (a star, annotated with its value).
    band : NearOptimalBand, optional
        Thresholds within the band's tolerance of the best (shaded green;
        drawn at least ``MIN_BAND_WIDTH`` of the axis wide so that a band of
        a few rows stays visible).
    point : OperatingPoint, optional
        The current threshold's point (same curve rows); a dashed grey
        vertical line and a dot on the value curve.
    volume : float, optional
        Cases per period behind ``values`` (only used for labels).
    period : str, optional
        Name of the period ("day"); None says "per period".
    currency : str, optional
        Name of the money unit, shown on the value axis; None says "currency".
    xscale : {"linear", "log"}
    xlim : (float, float), optional
        Threshold axis range (None: the curve's thresholds; on a log axis at
        most six decades, ``LOG_RANGE``, below the highest).
    max_points : int or None
    vocabulary : Vocabulary or mapping, optional
        The decision's words for the threshold axis (``scenario.words``);
        None: cases, flagged.

    The legend lists only what is drawn (no star without an optimum, no grey
    entry without a broken rule) and follows every change.

    Attributes
    ----------
    ax_, figure_, line_, threshold_line_, point_marker_, optimum_marker_,
    optimum_text_, band_ (Rectangle), infeasible_ (PolyCollection), caption_, rows_
    """

    def __init__(self, *, thresholds, values, feasible=None, optimum_index=None, band=None,
                 point=None, volume=None, period=None, currency=None, xscale="linear", xlim=None,
                 max_points=MAX_POINTS, vocabulary=None):
        self.thresholds = thresholds
        self.vocabulary = vocabulary
        self.values = values
        self.feasible = feasible
        self.optimum_index = optimum_index
        self.band = band
        self.point = point
        self.volume = volume
        self.period = period
        self.currency = currency
        self.xscale = check_scale(xscale, "xscale")
        self.xlim = xlim
        self.max_points = max_points
        self.ax_ = None
        self._check_lengths()

    def _check_lengths(self):
        n = {len(self.thresholds), len(self.values)}
        if self.feasible is not None:
            n.add(len(self.feasible))
        if len(n) > 1:
            lengths = [len(self.thresholds), len(self.values)]
            if self.feasible is not None:
                lengths.append(len(self.feasible))
            raise ParameterError(MSG_LENGTHS.format(lengths))

    # -- constructors ---------------------------------------------------------------
    @classmethod
    def from_decision(cls, decision, *, threshold=None, ax=None, period=None, currency=None,
                      xscale="linear", xlim=None, max_points=MAX_POINTS, vocabulary=None, **kwargs):
        """Draw a :class:`~aipm_sim.Decision`: its values, optimum, band and constraints.

        ``threshold`` (a score) marks the current point; default: the optimum.
        ``period`` and ``currency`` default to the decision's own
        (:attr:`~aipm_sim.Decision.period`, :attr:`~aipm_sim.Decision.currency`).
        """
        curve = decision.curve
        point = decision.point if threshold is None else curve.at(threshold)
        period, currency = decision_labels(decision, period, currency)
        return cls(
            **cls.arrays_from_decision(decision), point=point, volume=decision.volume,
            period=period, currency=currency, xscale=xscale, xlim=xlim, max_points=max_points,
            vocabulary=vocabulary,
        ).plot(ax=ax, **kwargs)

    @classmethod
    def from_curve(cls, curve, value_model, *, threshold=None, volume=None, ax=None, period=None,
                   currency=None, xscale="linear", xlim=None, max_points=MAX_POINTS, **constraints):
        """Optimise (:func:`aipm_sim.optimize`) and draw the result; ``constraints`` as there."""
        from ..core import optimize

        decision = optimize(curve, value_model, volume=volume, period=period, currency=currency,
                            **constraints)
        return cls.from_decision(decision, threshold=threshold, ax=ax, xscale=xscale, xlim=xlim,
                                 max_points=max_points)

    def focus(self):
        """Zoom the value axis to the range around the decision (see :func:`value_limits`); returns ``self``.

        When values far below the best are cut off, the caption says so.
        """
        limits = value_limits(self.values, self.optimum_index, self.ax_.get_ylim())
        if limits is not None:
            self.ax_.set_ylim(*limits)
            if limits[0] > float(np.nanmin(np.asarray(self.values, dtype=np.float64))):
                self.ax_.set_title(f"{self.ax_.get_title(loc='left')} {FOCUS_NOTE}".strip(), loc="left",
                                   fontsize="medium")
        return self

    @staticmethod
    def arrays_from_decision(decision):
        """The constructor's data, read from a Decision's public attributes."""
        return {
            "thresholds": decision.curve.thresholds,
            "values": decision.values,
            "feasible": decision.feasible,
            "optimum_index": decision.index,
            "band": decision.near_optimal,
        }

    # -- drawing ------------------------------------------------------------------
    def plot(self, ax=None, *, caption=CAPTION, **kwargs):
        """Draw into ``ax`` (a new figure if None); ``kwargs`` go to the value line. Returns self."""
        from matplotlib.collections import PolyCollection

        ax = get_axes(ax, f"{type(self).__name__}.plot")
        self.ax_, self.figure_ = ax, ax.figure
        ax.set_xscale(self.xscale)
        ax.axhline(0.0, color="#666666", linewidth=0.8)
        self.infeasible_ = PolyCollection(
            [], transform=ax.get_xaxis_transform(), facecolor=COLORS["infeasible"], alpha=0.35,
            edgecolor="none", label="breaks a rule",
        )
        ax.add_collection(self.infeasible_, autolim=False)
        self.band_ = ax.axvspan(
            np.nan, np.nan, color=COLORS["band"], alpha=0.15, linewidth=0, label="near-optimal band",
        )
        kwargs.setdefault("color", COLORS["value"])
        (self.line_,) = ax.plot([], [], label=f"value {period_words(self.volume, self.period)}", **kwargs)
        (self.optimum_marker_,) = ax.plot(
            [], [], "*", color=COLORS["optimum"], markersize=14, zorder=4, label="best threshold",
        )
        # At the top of the axes above the star (see _place_optimum_text); a white box keeps it
        # readable over the zero line and the band.
        self.optimum_text_ = ax.annotate(
            "", xy=(np.nan, 1.0), xycoords=("data", "axes fraction"), xytext=(6, -3),
            textcoords="offset points", ha="left", va="top",
            fontsize="small", color=COLORS["optimum"], zorder=6,
            bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none", "alpha": 0.85},
        )
        self.threshold_line_ = ax.axvline(np.nan, **THRESHOLD_STYLE, label="current threshold")
        (self.point_marker_,) = ax.plot([], [], "o", color=COLORS["point"], markersize=6, zorder=5)
        ax.set_xlabel(threshold_label(self.vocabulary))
        ax.set_ylabel(money_label(self.volume, self.period, self.currency))
        ax.yaxis.set_major_formatter(compact_money)
        self.caption_ = ax.set_title(caption, loc="left", fontsize="medium")
        self._draw_data()
        self.set_threshold(self.point)
        return self

    def _draw_data(self):
        ax = self.ax_
        t = np.asarray(self.thresholds, dtype=np.float64)
        v = np.asarray(self.values, dtype=np.float64)
        if self.xscale == "log" and np.isfinite(t).any() and not (t[np.isfinite(t)] > 0).any():
            # Only thresholds <= 0, which a log axis cannot show.
            raise ParameterError(MSG_LOG_SCALE.format("xscale", float(t[np.isfinite(t)].min())))
        left, right = threshold_limits(t, self.xscale, self.xlim)
        keep = () if self.optimum_index is None else (self.optimum_index,)
        coord = np.where(rows_in_view(t, left, right), threshold_coordinate(t, self.xscale), np.nan)
        rows = select_rows([coord], self.max_points, keep=keep)
        self.rows_ = rows
        self.line_.set_data(t[rows], v[rows])
        self._x_right = right
        ax.set_xlim(left, right)
        # Shade rows that break a constraint, each run of rows as one exact interval
        # (cut to the axis, so that a span out of sight is not in the legend either).
        verts = []
        if self.feasible is not None:
            lowest = float(t[np.isfinite(t)].min()) if np.isfinite(t).any() else left
            for low, high in infeasible_spans(t, self.feasible, right=right, left=min(left, lowest)):
                low, high = max(low, left), min(high, right)
                if high > low:
                    verts.append([(low, 0), (high, 0), (high, 1), (low, 1)])
        self.infeasible_.set_verts(verts)
        if self.band is not None:
            low, high = self._band_span(self.band.threshold_low, finite_or(self.band.threshold_high, right))
            self.band_.set_x(low)
            self.band_.set_width(high - low)
            self.band_.set_visible(True)
            self.band_.set_label(f"within {fmt_level(self.band.tolerance)} of the best")
        else:
            self.band_.set_visible(False)
        finite = v[rows][np.isfinite(v[rows])]
        if finite.size:
            lo, hi = min(finite.min(), 0.0), max(finite.max(), 0.0)
            pad = 0.08 * (hi - lo) if hi > lo else max(1.0, abs(hi))
            ax.set_ylim(lo - pad, hi + 1.6 * pad)
        if self.optimum_index is not None:
            i = int(self.optimum_index)
            x = finite_or(float(t[i]), right)
            self.optimum_marker_.set_data([x], [v[i]])
            self._place_optimum_text(x)
            self.optimum_text_.set_text(f"best: {fmt_money(v[i])}")
            self.optimum_marker_.set_visible(True)
            self.optimum_text_.set_visible(True)
        else:
            self.optimum_marker_.set_data([], [])
            self.optimum_marker_.set_visible(False)
            self.optimum_text_.set_visible(False)
        self._legend()

    def _to_axes(self):
        """Transform from data to axes fractions (after the limits are set)."""
        return self.ax_.transScale + self.ax_.transLimits

    def _band_span(self, low, high):
        """``(low, high)`` of the band as drawn: at least ``MIN_BAND_WIDTH`` of the axis wide.

        A band of a few rows (or of one, zero wide) would be invisible,
        above all on a log axis; it is widened evenly around its middle.
        """
        to_axes = self._to_axes()
        (a, _), (b, _) = to_axes.transform([(low, 0.5), (high, 0.5)])
        if not (np.isfinite(a) and np.isfinite(b)) or b - a >= MIN_BAND_WIDTH:
            return low, high
        middle = (a + b) / 2
        (low, _), (high, _) = to_axes.inverted().transform(
            [(middle - MIN_BAND_WIDTH / 2, 0.5), (middle + MIN_BAND_WIDTH / 2, 0.5)])
        return float(low), float(high)

    def _place_optimum_text(self, x):
        """Put "best: …" at the top of the axes, above the star and beside the vertical lines through it.

        The value axis keeps room above the highest value (and the zero
        line), so the label covers no part of the curve; it goes on the side
        of the star with more room.
        """
        fx, _ = self._to_axes().transform((x, 0.5))
        right_side = not fx > 0.6
        self.optimum_text_.xy = (x, 1.0)
        self.optimum_text_.set_position((6 if right_side else -6, -3))
        self.optimum_text_.set_horizontalalignment("left" if right_side else "right")

    def _legend(self):
        """Legend of what is drawn: the value line, and the star, threshold, band and grey areas when shown."""
        refresh_legend(self.ax_, [self.line_, self.optimum_marker_, self.threshold_line_, self.band_,
                                  self.infeasible_], loc="best")

    def update(self, *, thresholds=None, values=None, feasible=KEEP, optimum_index=KEEP, band=KEEP, xlim=KEEP):
        """Replace the data; arguments left out keep their value (None hides that element)."""
        if thresholds is not None:
            self.thresholds = thresholds
        if values is not None:
            self.values = values
        if feasible is not KEEP:
            self.feasible = feasible
        if optimum_index is not KEEP:
            self.optimum_index = optimum_index
        if band is not KEEP:
            self.band = band
        if xlim is not KEEP:
            self.xlim = xlim
        self._check_lengths()
        if self.ax_ is not None:
            self._draw_data()
        return self

    # set_threshold (ThresholdLineMixin): one dot on the value line, at the point's row.
    def _threshold_markers(self):
        return self.point_marker_

    def _marker_ys(self, point):
        return [self.values[point.index]]

    @property
    def moving_artists_(self):
        """Artists that :meth:`set_threshold` changes (for blitting)."""
        return [self.threshold_line_, self.point_marker_]
