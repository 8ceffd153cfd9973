"""Shared pieces of the Display objects: axes, colours, words and row selection.

Nothing here computes a metric: every number drawn comes from a core result
(:class:`~aipm_sim.ThresholdCurve`, :class:`~aipm_sim.OperatingPoint`,
:class:`~aipm_sim.Decision`); this module only chooses which rows to draw and
how to label them.
"""

from __future__ import annotations

import math

import numpy as np

from ..core.errors import ParameterError

#: Default of ``update`` arguments that keep their current value (None means "hide").
KEEP = type("Keep", (), {"__repr__": lambda self: "KEEP"})()

#: Most curve rows drawn per line by default; a curve with more rows is thinned
#: (see :func:`select_rows`), a smaller one is drawn in full.
MAX_POINTS = 2000

MSG_NO_MATPLOTLIB = "{} needs matplotlib: pip install matplotlib"
MSG_SCALE = "{} must be 'linear' or 'log'; found {!r}"
MSG_LOG_SCALE = "{} 'log' needs positive thresholds; the lowest threshold on this curve is {!r}"

# Okabe–Ito palette: distinguishable with the common colour-vision deficiencies.
COLORS = {
    "precision": "#0072B2",   # blue
    "recall": "#E69F00",      # orange
    "f1": "#009E73",          # bluish green
    "alert_rate": "#CC79A7",  # reddish purple
    "positive": "#D55E00",    # vermillion
    "negative": "#0072B2",    # blue
    "value": "#000000",
    "threshold": "#000000",
    "optimum": "#009E73",
    "band": "#009E73",
    "infeasible": "#999999",
    "chance": "#999999",
    "iso": "#CC79A7",
    "good_cell": "#D9F0E3",   # light green: right decisions
    "bad_cell": "#FBE3D6",    # light vermillion: mistakes
}

#: Plain-words names of the four cells (2x2 layout of :mod:`aipm_sim.core.curve`).
CELL_NAMES = {
    "tp": "caught (true positive)",
    "fn": "missed (false negative)",
    "fp": "false alarm (false positive)",
    "tn": "rightly left alone (true negative)",
}


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
    +inf is drawn), ``_threshold_markers()`` (the dots' Line2D) and
    ``_marker_ys(point)`` (the dots' heights).
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
            return self
        x = finite_or(point.threshold, self._x_right)
        self.threshold_line_.set_xdata([x, x])
        self.threshold_line_.set_visible(True)
        ys = self._marker_ys(point)
        markers.set_data([x] * len(ys), ys)
        return self


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


def fmt_money(x, currency=""):
    """``+1,234`` / ``-56.7`` / ``undefined``: signed, thousands separated, 3-4 significant digits."""
    if x is None or not math.isfinite(x):
        return "undefined"
    a = abs(x)
    digits = 0 if a >= 100 else (1 if a >= 10 else 2)
    text = f"{x:+,.{digits}f}"
    return f"{text} {currency}".rstrip()


def fmt_compact_money(x, currency=""):
    """Short money for tight places (ticks, bar labels): ``−12k``, ``1.5M EUR``, ``250``; ``undefined`` for NaN/None.

    Three significant digits with a k/M/G suffix and a true minus sign.
    """
    if x is None or not math.isfinite(x):
        return "undefined"
    a = abs(x)
    text = f"{x:.3g}"
    for size, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if a >= size:
            text = f"{x / size:.3g}{suffix}"
            break
    text = text.replace("-", "\N{MINUS SIGN}")
    return f"{text} {currency}" if currency else text


def compact_money(x, _pos=None):
    """Tick label for a money axis (a matplotlib formatter): :func:`fmt_compact_money` without a unit."""
    return fmt_compact_money(x)


def fmt_count(x):
    """A case count for people: ``12,345`` or ``0.37`` for expected (fractional) counts."""
    if x is None or not math.isfinite(x):
        return "undefined"
    a = abs(x)
    if a >= 100 or a == int(a):
        return f"{x:,.0f}"
    return f"{x:,.1f}" if a >= 1 else f"{x:.2g}"


def fmt_fraction(x):
    """A fraction in [0, 1] as a percentage: ``45.3%``, ``0.012%``, ``undefined``."""
    if x is None or not math.isfinite(x):
        return "undefined"
    p = 100 * x
    if p == 0 or abs(p) >= 10:
        return f"{p:.1f}%"
    return f"{p:.2g}%" if abs(p) < 1 else f"{p:.2f}%"


def fmt_threshold(x):
    """A threshold: ``0.0312``, ``'above every score'`` for +inf."""
    if x == math.inf:
        return "above every score"
    return f"{x:.4g}"
