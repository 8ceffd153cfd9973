"""Binned threshold curves: counts per score bin, exact at every bin edge, mergeable across partitions.

An exact curve has a row per distinct score; for a stream or a data lake of
billions of rows that is too many to keep. A binned curve keeps one row per
*edge* of a fixed grid: row ``i`` flags every case with
``score >= thresholds[i]``, exactly as in an exact curve, so at every edge
the counts, amounts and rates are the exact ones; between two edges the curve
cannot tell cases apart (:attr:`BinnedCurve.resolution` says how many cases
the fullest bin holds).

Counts per bin are sums, so bins of separate partitions add up
(:func:`bin_sums` on each, then ``+``): the Dask path
(:mod:`aipm_sim.core.scale`) uses the same functions.

Bins, for increasing edges ``e[0] < … < e[K-1]`` (``K`` edges, ``K + 1``
bins): bin 0 holds the scores below ``e[0]`` (flagged by no row), bin ``j``
for ``1 <= j < K`` holds ``[e[j-1], e[j])`` and bin ``K`` holds
``[e[K-1], +inf)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numba import njit

from .._checks import readonly
from ..errors import ParameterError
from .curve import ThresholdCurve

MSG_GRID = ("grid must be an integer >= 2 (the number of thresholds) or an increasing array of finite "
            "score thresholds; found {!r}")
MSG_GRID_EDGES = "grid edges must be finite and strictly increasing; found {!r} then {!r} at grid[{}]"

#: How close to 0 and 1 a probability grid's log-odds reach (a score of exactly 0 or 1 has infinite log-odds).
LOGIT_CLIP = 1e-12

# How the binning kernel guesses a score's bin before correcting it against the edges themselves.
_SEARCH, _LINEAR, _LOGIT = 0, 1, 2


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class BinnedCurve(ThresholdCurve):
    """A :class:`ThresholdCurve` with one row per grid edge, exact at every edge.

    Row ``i >= 1`` flags every case with ``score >= thresholds[i]``, and its
    counts and amounts are exact; a threshold between two edges is answered
    (by :meth:`at`) from the edge at or above it, as on an analytic curve.
    Cases scoring below the lowest edge are in the class totals but flagged
    by no row.

    Attributes
    ----------
    bin_edges : ndarray of shape (k,)
        The grid, increasing (``thresholds[1:]`` reversed).
    resolution : float
        Share of all (weighted) cases in the fullest bin, a fraction in
        [0, 1]: 0.001 means no bin holds more than 0.1 % of the cases, so no
        threshold between two edges can move the alert rate by more than
        0.1 percentage points. The bins are the scores below the lowest
        edge, between two consecutive edges, and at or above the highest.
    """

    bin_edges: np.ndarray | None = None
    resolution: float = math.nan

    def __repr__(self):
        return (f"BinnedCurve({len(self.bin_edges)} thresholds, {self.n_cases:.6g} cases, "
                f"prevalence {self.prevalence:.4g}, fullest bin {self.resolution:.3g} of the cases"
                f"{', with amounts' if self.has_amounts else ''})")


def check_grid(grid):
    """``grid`` as an int >= 2 or a float64 array of strictly increasing finite edges; ParameterError otherwise."""
    if np.ndim(grid) == 0:
        if isinstance(grid, bool) or not isinstance(grid, (int, np.integer)) or grid < 2:
            raise ParameterError(MSG_GRID.format(grid))
        return int(grid)
    try:
        edges = np.asarray(grid, dtype=np.float64)
    except (TypeError, ValueError):
        raise ParameterError(MSG_GRID.format(grid)) from None
    if edges.ndim != 1 or edges.size < 1:
        raise ParameterError(MSG_GRID.format(grid))
    bad = ~np.isfinite(edges)
    if bad.any():
        i = int(np.argmax(bad))
        raise ParameterError(MSG_GRID_EDGES.format(float(edges[i - 1]) if i else None, float(edges[i]), i))
    steps = np.flatnonzero(np.diff(edges) <= 0)
    if steps.size:
        i = int(steps[0]) + 1
        raise ParameterError(MSG_GRID_EDGES.format(float(edges[i - 1]), float(edges[i]), i))
    return readonly(edges.copy())


def grid_edges(k, lo, hi, *, inner=None):
    """``k`` edges from the lowest score ``lo`` to the highest ``hi``, and how to find a score's bin fast.

    Probabilities (``0 <= lo`` and ``hi <= 1``) are spaced evenly on the
    log-odds scale ``log(p / (1 - p))``: a rare-positive problem has most of
    its cases at small scores, which equal-width bins would lump into one or
    two bins. A score of exactly 0 or 1 has infinite log-odds: the spacing
    then runs from the smallest score above 0 and to the largest below 1
    (``inner``), so that a few scores of exactly 0 do not spread the edges
    over log-odds down to -27 where no case is; without ``inner`` (or with
    no score strictly inside) it is clipped to :data:`LOGIT_CLIP` from 0 and
    1. Other scores (margins, log-odds already) are spaced evenly. The first
    and last edges are ``lo`` and ``hi`` themselves, so every case is
    flagged at the last row.

    Parameters
    ----------
    k : int
        Number of edges (>= 2).
    lo, hi : float
        Lowest and highest score.
    inner : (float, float), optional
        Smallest score above 0 and largest below 1 (NaN where there is none).

    Returns
    -------
    edges : ndarray of shape (<= k,)
        Increasing (fewer than ``k`` only when the range is too narrow for
        ``k`` distinct floats).
    guess : tuple
        ``(mode, origin, inverse step)`` for :func:`bin_sums`.
    """
    if lo == hi:
        return readonly(np.array([lo])), (_SEARCH, 0.0, 0.0)
    if 0.0 <= lo and hi <= 1.0:
        inner_lo, inner_hi = (math.nan, math.nan) if inner is None else (float(inner[0]), float(inner[1]))
        low = inner_lo if lo <= 0.0 and 0.0 < inner_lo < 1.0 else lo
        high = inner_hi if hi >= 1.0 and 0.0 < inner_hi < 1.0 else hi
        a, b = (math.log(p) - math.log1p(-p) for p in (min(max(x, LOGIT_CLIP), 1 - LOGIT_CLIP) for x in (low, high)))
        x = np.linspace(a, b, k)
        edges = 1.0 / (1.0 + np.exp(-x))
        mode, origin, inv = _LOGIT, a, (k - 1) / (b - a) if b > a else 0.0
    else:
        edges = np.linspace(lo, hi, k)
        mode, origin, inv = _LINEAR, lo, (k - 1) / (hi - lo)
    edges[0], edges[-1] = lo, hi
    unique = np.unique(edges)
    # Too narrow a range for k floats, or one whose inverse step overflows (subnormal widths):
    # search instead of guessing.
    if unique.size != k or not 0.0 < inv < math.inf:
        return readonly(unique), (_SEARCH, 0.0, 0.0)
    return readonly(edges), (mode, origin, inv)


@njit(cache=True, nogil=True)
def _bin_sums(scores, labels, weights, amounts, use_w, use_a, edges, mode, origin, inv, pos, neg, pos_a, neg_a):
    k = edges.shape[0]
    for i in range(scores.shape[0]):
        s = scores[i]
        if mode == 0:  # binary search: the number of edges <= s
            lo = 0
            hi = k
            while lo < hi:
                mid = (lo + hi) >> 1
                if edges[mid] <= s:
                    lo = mid + 1
                else:
                    hi = mid
            b = lo
        else:
            if mode == 1:
                x = s
            elif s <= 0.0:
                x = -np.inf
            elif s >= 1.0:
                x = np.inf
            else:
                x = math.log(s) - math.log1p(-s)
            g = (x - origin) * inv
            if not g >= 0.0:  # also NaN: start from the bottom, the correction below finds the bin
                b = 0
            elif g >= k - 1:
                b = k
            else:
                b = int(g) + 1
            # The guess is off by at most a rounding: correct it against the edges themselves.
            while b < k and edges[b] <= s:
                b += 1
            while b > 0 and edges[b - 1] > s:
                b -= 1
        w = weights[i] if use_w else 1.0
        if labels[i]:
            pos[b] += w
            if use_a:
                pos_a[b] += w * amounts[i]
        else:
            neg[b] += w
            if use_a:
                neg_a[b] += w * amounts[i]


def bin_sums(scores, labels, edges, guess=(_SEARCH, 0.0, 0.0), *, weights=None, amounts=None):
    """Weighted counts and amount sums of each class per bin (see the module docstring for the bins).

    Parameters
    ----------
    scores : ndarray of shape (n,), float64, finite
    labels : ndarray of shape (n,), bool
    edges : ndarray of shape (k,), increasing
    guess : tuple, optional
        From :func:`grid_edges` (a fast first guess of each bin; any guess gives the same bins).
    weights, amounts : ndarray of shape (n,) or None

    Returns
    -------
    ndarray of shape (4, k + 1)
        Rows: positives, negatives, amount of positives, amount of negatives
        (weighted); the amount rows are 0 without amounts.
    """
    k = edges.shape[0]
    out = np.zeros((4, k + 1))
    empty = np.empty(0)
    mode, origin, inv = guess
    _bin_sums(np.ascontiguousarray(scores, dtype=np.float64), labels.view(np.uint8),
              empty if weights is None else weights, empty if amounts is None else amounts,
              weights is not None, amounts is not None, edges, int(mode), float(origin), float(inv),
              out[0], out[1], out[2], out[3])
    return out


def inner_range(scores):
    """(smallest score above 0, largest below 1), NaN where there is none: see :func:`grid_edges`."""
    above, below = scores[scores > 0.0], scores[scores < 1.0]
    return (float(above.min()) if above.size else math.nan, float(below.max()) if below.size else math.nan)


def curve_from_bins(edges, sums, *, has_amounts):
    """The :class:`BinnedCurve` of summed bins (the output of :func:`bin_sums`, added over partitions)."""
    k = edges.shape[0]
    # Row r >= 1 is edge k - r and flags bins k - r + 1 … k: cumulative sums from the top bin down.
    top_down = np.cumsum(sums[:, :0:-1], axis=1)
    cum = np.zeros((4, k + 1))
    cum[:, 1:] = top_down
    totals = sums.sum(axis=1)
    thresholds = np.empty(k + 1)
    thresholds[0] = np.inf
    thresholds[1:] = edges[::-1]
    per_bin = sums[0] + sums[1]
    n = totals[0] + totals[1]
    curve = BinnedCurve._trusted(
        thresholds=thresholds, tp=cum[0].copy(), fp=cum[1].copy(),
        positives=float(totals[0]), negatives=float(totals[1]),
        tp_amount=cum[2].copy() if has_amounts else None, fp_amount=cum[3].copy() if has_amounts else None,
        positive_amount=float(totals[2]) if has_amounts else 0.0,
        negative_amount=float(totals[3]) if has_amounts else 0.0,
        bin_edges=readonly(np.array(edges, dtype=np.float64)),
        resolution=float(per_bin.max() / n) if n > 0 else math.nan,
    )
    curve._warn_degenerate()
    return curve


def binned_curve(score_set, grid):
    """The :class:`BinnedCurve` of a ScoreSet on ``grid`` (an int: that many edges, see :func:`grid_edges`; or edges)."""
    grid = check_grid(grid)
    s = score_set
    if isinstance(grid, int):
        edges, guess = grid_edges(grid, float(s.scores.min()), float(s.scores.max()), inner=inner_range(s.scores))
    else:
        edges, guess = grid, (_SEARCH, 0.0, 0.0)
    sums = bin_sums(s.scores, s.labels, edges, guess, weights=s.weights, amounts=s.amounts)
    return curve_from_bins(edges, sums, has_amounts=s.amounts is not None)
