"""Shared pieces of the Display objects: axes, colours, words and row selection.

Nothing here computes a metric: every number drawn comes from a core result
(:class:`~aipm_sim.ThresholdCurve`, :class:`~aipm_sim.OperatingPoint`,
:class:`~aipm_sim.Decision`); this module only chooses which rows to draw and
how to label them.
"""

from __future__ import annotations

import math

import numpy as np

from .._format import (  # noqa: F401 - shared names
    fmt_compact_money, fmt_count, fmt_fraction, fmt_level, fmt_money, fmt_percent_tick, fmt_threshold,
)
from ..core.errors import ParameterError

#: Default of ``update`` arguments that keep their current value (None means "hide").
KEEP = type("Keep", (), {"__repr__": lambda self: "KEEP"})()

#: Most curve rows drawn per line by default; a curve with more rows is thinned
#: (see :func:`select_rows`), a smaller one is drawn in full.
MAX_POINTS = 2000

MSG_NO_MATPLOTLIB = "{} needs matplotlib: pip install matplotlib"
MSG_SCALE = "{} must be 'linear' or 'log'; found {!r}"
MSG_LOG_SCALE = "{} 'log' needs positive thresholds; the lowest threshold on this curve is {!r}"
MSG_POINT_NOT_A_ROW = (
    "point (threshold {!r}) is not a row of a curve (e.g. BinormalModel.point): "
    "give the display a point of its own curve, curve.at(threshold)"
)

# Okabe–Ito palette: distinguishable with the common colour-vision deficiencies.
COLORS = {
    "precision": "#0072B2",   # blue
    "recall": "#E69F00",      # orange
    "f1": "#009E73",          # bluish green
    "alert_rate": "#CC79A7",  # reddish purple
    "positive": "#D55E00",    # vermillion
    "negative": "#0072B2",    # blue
    "value": "#000000",
    "threshold": "#555555",   # dark grey, dashed (THRESHOLD_STYLE): never mistaken for the black value line
    "point": "#000000",       # the current threshold's dots on the curves
    "optimum": "#009E73",
    "band": "#009E73",
    "infeasible": "#999999",
    "chance": "#999999",
    "iso": "#CC79A7",
    "good_cell": "#D9F0E3",   # light green: right decisions
    "bad_cell": "#FBE3D6",    # light vermillion: mistakes
}

#: Plain-words names of the four cells (2x2 layout of :mod:`aipm_sim.core.engine.curve`).
CELL_NAMES = {
    "tp": "caught (true positive)",
    "fn": "missed (false negative)",
    "fp": "false alarm (false positive)",
    "tn": "rightly left alone (true negative)",
}


#: The current threshold's vertical line, the same in every picture.
THRESHOLD_STYLE = {"color": COLORS["threshold"], "linestyle": "--", "linewidth": 1.5}

#: Lowest threshold shown on a log threshold axis, as a fraction of the highest: an analytic
#: curve reaches 1e-10 and less, and those decades are all flat.
LOG_RANGE = 1e-6

LEGEND_STYLE = {"fontsize": "small", "framealpha": 0.85}


def check_matplotlib(caller):
    """Import matplotlib or raise ImportError with a one-line fix, naming ``caller``."""
    try:
        import matplotlib  # noqa: F401
    except ImportError as exc:  # pragma: no cover - matplotlib is a dependency
        raise ImportError(MSG_NO_MATPLOTLIB.format(caller)) from exc


def get_axes(ax, caller, *, figsize=None):
    """``ax`` itself, or a new figure's axes (through pyplot) when ``ax`` is None.

    ``figsize`` (inches) sizes the new figure (None: matplotlib's default);
    ``caller`` names who needs matplotlib in the message when it is missing.
    """
    check_matplotlib(caller)
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(layout="constrained", figsize=figsize)
    return ax


class ThresholdLineMixin:
    """``set_threshold`` of a display with a vertical current-threshold line and dots on its curves.

    The display provides ``ax_``, ``threshold_line_``, ``_x_right`` (where
    +inf is drawn), ``_threshold_markers()`` (the dots' Line2D),
    ``_marker_ys(point)`` (the dots' heights) and ``_legend()`` (refreshes
    the legend when what is drawn changed).
    """

    def set_threshold(self, point):
        """Move the current-threshold line and dots to ``point`` (an OperatingPoint of the same curve, or None)."""
        self.point = point
        if self.ax_ is None:
            return self
        markers = self._threshold_markers()
        if point is None:
            self.threshold_line_.set_visible(False)
            markers.set_data([], [])
            self._legend()
            return self
        if point.index is None:
            raise ParameterError(MSG_POINT_NOT_A_ROW.format(point.threshold))
        x = finite_or(point.threshold, self._x_right)
        self.threshold_line_.set_xdata([x, x])
        self.threshold_line_.set_visible(True)
        ys = self._marker_ys(point)
        markers.set_data([x] * len(ys), ys)
        self._legend()
        return self


def is_drawn(artist):
    """True when ``artist`` is visible and has something on the axes to draw.

    An empty or all-NaN line, a zero- or NaN-width span and an empty
    collection draw nothing, so a legend must not list them.
    """
    from matplotlib.collections import Collection
    from matplotlib.lines import AxLine, Line2D
    from matplotlib.patches import Rectangle

    if not artist.get_visible():
        return False
    if isinstance(artist, AxLine):
        return True
    if isinstance(artist, Line2D):
        xy = np.asarray(artist.get_xydata(), dtype=np.float64)
        return bool(xy.size) and bool(np.isfinite(xy).all(axis=1).any())
    if isinstance(artist, Rectangle):
        x, w = artist.get_x(), artist.get_width()
        return math.isfinite(x) and math.isfinite(w) and w != 0
    if isinstance(artist, Collection):
        return len(artist.get_paths()) > 0
    return True


def refresh_legend(ax, handles, **kwargs):
    """Make ``ax``'s legend list exactly the ``handles`` that are drawn (see :func:`is_drawn`), in order.

    The legend is rebuilt only when that list (or a label) changed, so calling
    this on every threshold move costs next to nothing; without any drawn
    handle the legend is removed. ``kwargs`` go to ``ax.legend`` (with
    ``LEGEND_STYLE``). Returns the legend (or None).
    """
    shown = [h for h in handles if is_drawn(h)]
    key = tuple((id(h), h.get_label()) for h in shown)
    legend = ax.get_legend()
    if legend is not None and getattr(legend, "_aipm_key", None) == key:
        return legend
    if not shown:
        if legend is not None:
            legend.remove()
        return None
    legend = ax.legend(handles=shown, **{**LEGEND_STYLE, **kwargs})
    legend._aipm_key = key
    return legend


def legend_labels(ax):
    """The texts of ``ax``'s legend, in order (empty without a legend)."""
    legend = ax.get_legend()
    return [] if legend is None else [t.get_text() for t in legend.get_texts()]


def check_scale(scale, name):
    if scale not in ("linear", "log"):
        raise ParameterError(MSG_SCALE.format(name, scale))
    return scale


def select_rows(coords, max_points=MAX_POINTS, *, keep=()):
    """Rows to draw: all of them, or at most about ``max_points`` that keep the shape.

    Parameters
    ----------
    coords : sequence of ndarray of shape (m,)
        Monotone coordinates of the rows (e.g. threshold, recall, false
        positive rate). Only rows where the first coordinate (the x axis) is
        finite are selected. Rows are picked evenly along each coordinate
        (a later one that is undefined on some of those rows is skipped) and
        evenly by row number, so steep and flat stretches are both drawn.
    max_points : int or None
        None draws every row.
    keep : iterable of int
        Rows always included (e.g. the optimum).

    Returns
    -------
    ndarray of int
        Increasing row indices.
    """
    coords = [np.asarray(c, dtype=np.float64) for c in coords]
    m = len(coords[0])
    ok = np.isfinite(coords[0])
    rows = np.flatnonzero(ok)
    if max_points is None or rows.size <= max_points:
        return rows
    per = max(2, int(max_points) // (len(coords) + 1))
    picked = [rows[np.linspace(0, rows.size - 1, per).round().astype(np.int64)]]
    for c in coords:
        values = c[rows]
        if not np.isfinite(values).all():
            continue
        increasing = values[-1] >= values[0]
        ordered = values if increasing else values[::-1]
        grid = np.linspace(ordered[0], ordered[-1], per)
        pos = np.clip(np.searchsorted(ordered, grid), 0, rows.size - 1)
        if not increasing:
            pos = rows.size - 1 - pos
        picked.append(rows[pos])
    extra = np.asarray([k for k in keep if 0 <= k < m and ok[k]], dtype=np.int64)
    return np.unique(np.concatenate([*picked, extra, rows[[0, -1]]]))


def finite_or(x, fallback):
    """``x`` if finite, else ``fallback`` (used to place +inf thresholds on an axis)."""
    return x if math.isfinite(x) else fallback


def threshold_limits(thresholds, scale, xlim=None):
    """``(low, high)`` of a threshold axis: ``xlim`` when given, else from the finite thresholds.

    A log axis starts at most six decades (``LOG_RANGE``) below the highest
    positive threshold; a single threshold gets some room on either side.
    """
    if xlim is not None:
        lo, hi = (float(x) for x in xlim)
    else:
        t = np.asarray(thresholds, dtype=np.float64)
        t = t[np.isfinite(t)]
        if scale == "log":
            t = t[t > 0]
            if t.size:
                t = t[t >= t.max() * LOG_RANGE]
        if t.size == 0:
            return (1e-6, 1.0) if scale == "log" else (0.0, 1.0)
        lo, hi = float(t.min()), float(t.max())
    if lo >= hi:
        lo, hi = (lo * 0.5, hi * 2) if scale == "log" else (lo - 0.5, hi + 0.5)
    return lo, hi


def rows_in_view(thresholds, low, high):
    """Boolean mask of curve rows to draw for a threshold axis from ``low`` to ``high``.

    The rows inside the range, plus the nearest one beyond each end so that
    lines reach the edges of the axes (+inf rows are never drawn).
    """
    t = np.asarray(thresholds, dtype=np.float64)
    finite = np.isfinite(t)
    inside = finite & (t >= low) & (t <= high)
    below, above = np.flatnonzero(finite & (t < low)), np.flatnonzero(finite & (t > high))
    if below.size:
        inside[below[np.argmax(t[below])]] = True
    if above.size:
        inside[above[np.argmin(t[above])]] = True
    return inside


def threshold_coordinate(thresholds, scale):
    """Coordinate along which to thin a threshold axis (log10 on a log axis)."""
    t = np.asarray(thresholds, dtype=np.float64)
    if scale == "log":
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(t > 0, np.log10(t), np.nan)
    return t


#: Words for a period or a money unit nobody named.
UNNAMED_PERIOD = "period"
UNNAMED_CURRENCY = "currency"


def period_words(volume, period):
    """``'per day'`` when a volume (cases per period) is known, else ``'in the data'``.

    ``period`` None (not said) gives ``'per period'``: never a guessed unit.
    """
    if volume is None:
        return "in the data"
    return f"per {UNNAMED_PERIOD if period is None else period}"


def money_label(volume, period, currency):
    """Axis label of a money axis, with its unit (``currency`` None: ``'currency'``)."""
    currency = UNNAMED_CURRENCY if currency is None else currency
    if volume is not None:
        return f"value {period_words(volume, period)} ({currency})"
    return f"total value of the data's cases ({currency})"


def decision_labels(decision, period=None, currency=None):
    """``(period, currency)`` for a chart of ``decision``: the arguments given, else the decision's own."""
    return (decision.period if period is None else period,
            decision.currency if currency is None else currency)


def compact_money(x, _pos=None):
    """Tick label for a money axis (a matplotlib formatter): :func:`fmt_compact_money` without a unit."""
    return fmt_compact_money(x)


def percent_tick(x, _pos=None):
    """Tick label for a share axis (a matplotlib formatter): ``20%``, ``2.5%`` (:func:`fmt_percent_tick`).

    Every chart's share ticks go through this one function, so they read in
    the same ``45.3%`` style as the bar and line labels beside them.
    """
    return fmt_percent_tick(x)


def words_of(vocabulary=None):
    """The :class:`~aipm_sim.Vocabulary` a chart speaks: ``vocabulary`` itself, a mapping of some of its keys,
    or None (the generic words: cases, alerts, positives)."""
    from ..core.business.vocabulary import Vocabulary

    return Vocabulary.from_mapping(vocabulary)


def threshold_label(vocabulary=None):
    """Label of a threshold axis in the decision's words: ``threshold (orders scoring at or above it are held)``."""
    v = words_of(vocabulary)
    return f"threshold ({v.cases} scoring at or above it are {v.flagged})"
