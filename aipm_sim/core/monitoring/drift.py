"""Has the score distribution moved? Drift statistics and their no-drift noise.

Four statistics compare the scores seen now (``current``) with the scores of
the labelled data the threshold was chosen on (``reference``):

* ``"psi"`` — population stability index on ``bins`` bins cut at the
  reference's quantiles (so each bin holds about ``1 / bins`` of the
  reference), ``sum((q - p) * ln(q / p))`` with ``p`` the reference's and
  ``q`` the current share in each bin. A bin empty in either sample would
  make the logarithm infinite: shares are floored at
  :data:`EMPTY_BIN_SHARE` (0.0001) before the sum. Reference scores with
  many ties can make two quantile edges equal; equal edges are merged, so
  there may be fewer than ``bins`` bins. Usual reading: below 0.1 stable,
  0.1 to 0.25 a moderate shift, above 0.25 a major shift (:func:`psi_band`).
* ``"ks"`` — the two-sample Kolmogorov–Smirnov statistic (the largest gap
  between the two cumulative distributions, in [0, 1]) and its p-value, as
  :func:`scipy.stats.ks_2samp` computes them.
* ``"js"`` — Jensen–Shannon distance in base 2 (in [0, 1]) between the two
  samples' shares in the same reference-quantile bins as PSI (no floor
  needed: empty bins are fine).
* ``"wasserstein"`` — the earth mover's distance between the two samples
  divided by the reference's standard deviation: "how far, in reference
  standard deviations, the scores moved".

Fixed alert thresholds (PSI 0.1) mean different things at different sample
sizes: two samples of 500 cases of the *same* distribution often reach a
PSI of 0.02–0.05 by chance alone, two samples of 500,000 almost never exceed
0.001. :func:`drift_null` measures that no-drift noise at your sample sizes,
so that an alert can fire "above the 99th percentile of no-drift noise"
instead of at a number borrowed from elsewhere.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numba import njit
from scipy import stats

from .._checks import as_float_array, readonly, require_finite, require_real, require_whole
from ..engine.scores import ScoreSet
from ..errors import DataError, ParameterError

#: The drift statistics, in the order reports list them.
DRIFT_METHODS = ("psi", "ks", "js", "wasserstein")

#: Default alert threshold of each statistic (drifted when the statistic exceeds it).
DEFAULT_THRESHOLDS = {"psi": 0.1, "ks": 0.1, "js": 0.1, "wasserstein": 0.1}

#: Floor of a bin's share in PSI, so that an empty bin gives a large but finite term.
EMPTY_BIN_SHARE = 1e-4

#: Names of the statistics in words (for charts, reports, the command line).
METHOD_NAMES = {
    "psi": "population stability index",
    "ks": "Kolmogorov–Smirnov distance",
    "js": "Jensen–Shannon distance",
    "wasserstein": "score shift in reference standard deviations",
}

#: Largest sample size for which the KS p-value is exact (scipy's own limit of its "auto" mode).
KS_EXACT_MAX_N = 10_000

MSG_METHOD = "method must be one of {}; found {!r}"
MSG_BINS = "bins must be a whole number >= 2; found {!r}"
MSG_RESAMPLES = "resamples must be a whole number >= 10; found {!r}"
MSG_N_CURRENT = "n_current must be a whole number of cases >= 1; found {!r}"
MSG_EMPTY = "{} is empty: at least one score is needed"
MSG_CONSTANT = "the reference scores all have one value ({!r}): the score shift in reference standard deviations is undefined"
MSG_QUANTILE = "quantile must be in (0, 1); found {!r}"


def psi_band(statistic):
    """The usual reading of a PSI value, in words.

    Below 0.1 ``"stable"``, 0.1 to 0.25 ``"moderate shift"``, 0.25 and above
    ``"major shift"``; NaN gives ``"unknown"``.
    """
    if not math.isfinite(statistic):
        return "unknown"
    if statistic < 0.1:
        return "stable"
    if statistic < 0.25:
        return "moderate shift"
    return "major shift"


@dataclass(frozen=True, slots=True, kw_only=True)
class DriftResult:
    """One drift statistic between a reference and a current sample.

    Attributes
    ----------
    method : str
        One of :data:`DRIFT_METHODS`.
    statistic : float
        The statistic (>= 0; PSI is unbounded, KS and JS lie in [0, 1],
        Wasserstein is in reference standard deviations).
    p_value : float
        Kolmogorov–Smirnov p-value for ``"ks"``; NaN for the others (use
        :func:`drift_null` to judge them against no-drift noise).
    threshold : float
        The alert threshold used.
    drifted : bool
        ``statistic > threshold``.
    n_reference, n_current : int
        Sample sizes.
    """

    method: str
    statistic: float
    p_value: float
    threshold: float
    drifted: bool
    n_reference: int
    n_current: int

    @property
    def name(self):
        """The statistic in words (e.g. ``"population stability index"``)."""
        return METHOD_NAMES[self.method]

    def describe(self):
        """One sentence for a reader, e.g. ``"population stability index 0.14 is above its alert threshold 0.1 (moderate shift)"``."""
        where = "above" if self.drifted else "within"
        text = f"{self.name} {self.statistic:.3g} is {where} its alert threshold {self.threshold:.3g}"
        if self.method == "psi":
            text += f" ({psi_band(self.statistic)})"
        return text

    def to_dict(self):
        """The result as a plain dict of Python values."""
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def _check_method(method):
    if method not in DRIFT_METHODS:
        raise ParameterError(MSG_METHOD.format(", ".join(repr(m) for m in DRIFT_METHODS), method))
    return method


def scores_of(values, name):
    """The scores of a ScoreSet or an array, as a finite 1-D float array (DataError naming the row otherwise)."""
    if isinstance(values, ScoreSet):
        return values.scores
    arr = as_float_array(values, name)
    if arr.size == 0:
        raise DataError(MSG_EMPTY.format(name))
    require_finite(arr, name)
    return arr


def quantile_edges(reference, bins):
    """Inner bin edges at the reference's ``k / bins`` quantiles (k = 1 … bins-1), ties merged.

    The edge of quantile ``k / bins`` is the order statistic of rank
    ``ceil(k n / bins)`` (counting from 1), found by one selection
    (:func:`numpy.partition`), not a full sort. A case falls in bin ``j``
    when ``edges[j-1] < score <= edges[j]`` (so each of n distinct reference scores, n a multiple
    of ``bins``, puts exactly ``n / bins`` in each bin).
    """
    n = reference.size
    ranks = np.unique(np.clip(np.ceil(np.arange(1, bins) * n / bins).astype(np.int64) - 1, 0, n - 1))
    edges = np.partition(reference, ranks)[ranks]
    return np.unique(edges)


def bin_shares(values, edges):
    """Share of ``values`` in each bin defined by the inner ``edges`` (len(edges) + 1 bins)."""
    idx = np.searchsorted(edges, values, side="left")
    counts = np.bincount(idx, minlength=edges.size + 1)
    return counts / values.size


def _psi(p, q):
    p = np.maximum(p, EMPTY_BIN_SHARE)
    q = np.maximum(q, EMPTY_BIN_SHARE)
    return float(np.sum((q - p) * np.log(q / p)))


def _js(p, q):
    m = 0.5 * (p + q)

    def kl(a):
        nz = a > 0
        return float(np.sum(a[nz] * np.log2(a[nz] / m[nz])))

    return math.sqrt(max(0.5 * kl(p) + 0.5 * kl(q), 0.0))


def _statistic(ref, cur, method, bins, *, p_value=True):
    """(statistic, p_value) of ``method`` for finite float arrays (p_value False: the KS statistic only)."""
    if method in ("psi", "js"):
        edges = quantile_edges(ref, bins)
        p = bin_shares(ref, edges)
        q = bin_shares(cur, edges)
        return (_psi(p, q) if method == "psi" else _js(p, q)), math.nan
    a, b = np.sort(ref), np.sort(cur)
    if method == "ks":
        return _ks(a, b) if p_value else (_ks_statistic(a, b), math.nan)
    sd = float(np.std(ref))
    if sd == 0:
        raise DataError(MSG_CONSTANT.format(float(ref[0])))
    return _wasserstein(a, b) / sd, math.nan


@njit(cache=True, nogil=True)
def _merge_walk(a, b, area):
    """One walk up sorted ``a`` and ``b`` together, stopping at each distinct value ``v`` of either.

    After taking every element <= v, the gap between the empirical
    distribution functions is ``i / n1 - j / n2`` (the same integer ratios,
    so the same floats, as scipy's ``searchsorted(..., side="right") / n``).
    Returns (largest gap, smallest gap, integral of |gap| over the scores);
    the integral only when ``area`` is True.
    """
    n1, n2 = a.size, b.size
    i = j = 0
    hi, lo, total = -np.inf, np.inf, 0.0
    prev, gap = 0.0, 0.0
    while i < n1 or j < n2:
        if j >= n2 or (i < n1 and a[i] <= b[j]):
            v = a[i]
        else:
            v = b[j]
        if area and (i > 0 or j > 0):
            total += abs(gap) * (v - prev)
        while i < n1 and a[i] == v:
            i += 1
        while j < n2 and b[j] == v:
            j += 1
        gap = i / n1 - j / n2
        hi = max(hi, gap)
        lo = min(lo, gap)
        prev = v
    return hi, lo, total


def _ks(a, b):
    """Two-sample KS statistic and p-value of sorted samples, as :func:`scipy.stats.ks_2samp` (two-sided, auto).

    The statistic is the largest gap between the right-continuous empirical
    distribution functions, found by one compiled walk up both sorted samples
    (:func:`_merge_walk`: the same integer ratios as scipy's, so the same float).
    Small samples (both <= 10,000) go to scipy itself for the exact p-value;
    larger ones use scipy's asymptotic formula, as scipy does.
    """
    n1, n2 = a.size, b.size
    if max(n1, n2) <= KS_EXACT_MAX_N:
        res = stats.ks_2samp(a, b)
        return float(res.statistic), float(res.pvalue)
    d = _ks_statistic(a, b)
    m, n = sorted([float(n1), float(n2)], reverse=True)
    p = float(np.clip(stats.kstwo.sf(d, np.round(m * n / (m + n))), 0.0, 1.0))
    return d, p


def _ks_statistic(a, b):
    """The two-sided KS statistic of sorted samples (see :func:`_ks`)."""
    hi, lo, _ = _merge_walk(a, b, False)
    min_s = min(max(-lo, 0.0), 1.0)
    return float(min_s if min_s > hi else hi)


def _wasserstein(a, b):
    """Earth mover's distance between sorted samples: the integral of |F_a - F_b|, from one merge."""
    return float(_merge_walk(a, b, True)[2])


def drift_statistic(reference, current, *, method="psi", bins=10, threshold=None):
    """How far the current scores have moved from the reference scores.

    Parameters
    ----------
    reference, current : array-like of shape (n,) and (m,), or ScoreSet
        Scores (a ScoreSet gives its scores; its weights are not used, each
        row counts once). NaN or infinite scores are refused, naming the row.
    method : {"psi", "ks", "js", "wasserstein"}
        The statistic (see the module docstring).
    bins : int
        Number of reference-quantile bins for ``"psi"`` and ``"js"`` (>= 2).
    threshold : float, optional
        Alert threshold (drifted when the statistic exceeds it). None: the
        default of :data:`DEFAULT_THRESHOLDS` (PSI 0.1). A threshold from
        :func:`drift_null` adapts it to the sample sizes.

    Returns
    -------
    DriftResult
    """
    method = _check_method(method)
    bins = require_whole(bins, MSG_BINS.format(bins), low=2)
    ref = scores_of(reference, "reference")
    cur = scores_of(current, "current")
    threshold = DEFAULT_THRESHOLDS[method] if threshold is None else require_real(threshold, "threshold", low=0.0)
    statistic, p_value = _statistic(ref, cur, method, bins)
    return DriftResult(method=method, statistic=statistic, p_value=p_value, threshold=threshold,
                       drifted=bool(statistic > threshold), n_reference=int(ref.size), n_current=int(cur.size))


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class DriftNull:
    """A drift statistic's distribution when nothing has drifted (see :func:`drift_null`).

    Attributes
    ----------
    method : str
    bins : int
    n_reference, n_current : int
        The sample sizes simulated.
    statistics : ndarray of shape (resamples,)
        The statistic in each no-drift resample, increasing; read-only.
    quantile : float
        The quantile that :attr:`threshold` is (0.99: "above the 99th
        percentile of no-drift noise").
    threshold : float
        That quantile of :attr:`statistics`: an alert threshold adapted to
        the sample sizes.
    """

    method: str
    bins: int
    n_reference: int
    n_current: int
    statistics: np.ndarray
    quantile: float
    threshold: float

    def percentile_of(self, statistic):
        """Share of no-drift resamples with a statistic at or below ``statistic``, in [0, 1]."""
        return float(np.searchsorted(self.statistics, statistic, side="right") / self.statistics.size)


def _binned_null_statistic(r_pos, c_pos, sorted_ref, last_tied, ranks, n_current, method):
    """PSI or JS between two resamples given as positions in the sorted reference, without sorting them.

    Counting the draws per sorted position (``bincount``) and accumulating
    gives each resample's empirical distribution at every reference value, so
    the resampled reference's quantile edges and both samples' bin shares
    follow from a few binary searches. Equal, draw for draw, to
    :func:`_statistic` on ``sorted_ref[r_pos]`` and ``sorted_ref[c_pos]``.
    """
    n = sorted_ref.size
    cum_r = np.cumsum(np.bincount(r_pos, minlength=n))
    cum_c = np.cumsum(np.bincount(c_pos, minlength=n))
    # order statistic of rank k (from 0) of the resampled reference: first position whose cumulative count > k
    edges = np.unique(sorted_ref[np.searchsorted(cum_r, ranks, side="right")])
    at = last_tied[np.searchsorted(sorted_ref, edges, side="left")]  # last position with a value <= each edge
    below_r = np.concatenate([[0], cum_r[at], [n]])
    below_c = np.concatenate([[0], cum_c[at], [n_current]])
    p = np.diff(below_r) / n
    q = np.diff(below_c) / n_current
    return _psi(p, q) if method == "psi" else _js(p, q)


def drift_null(reference, n_current, *, method="psi", bins=10, resamples=200, quantile=0.99, seed):
    """The drift statistic's distribution with no drift, at these sample sizes.

    Each resample draws a reference of the reference's size and a current
    sample of ``n_current`` cases, both with replacement from the reference
    scores (so both samples come from one distribution, with the noise of
    both sizes), and computes the statistic between them.

    Parameters
    ----------
    reference : array-like or ScoreSet
        The reference scores.
    n_current : int
        Cases in each current sample (the size of the batches you will
        monitor), >= 1.
    method, bins
        As for :func:`drift_statistic`.
    resamples : int
        Number of no-drift resamples (>= 10).
    quantile : float
        Which quantile becomes :attr:`DriftNull.threshold`, in (0, 1).
    seed : int or numpy.random.Generator
        The only source of randomness.

    Returns
    -------
    DriftNull
    """
    method = _check_method(method)
    bins = require_whole(bins, MSG_BINS.format(bins), low=2)
    n_current = require_whole(n_current, MSG_N_CURRENT.format(n_current), low=1)
    resamples = require_whole(resamples, MSG_RESAMPLES.format(resamples), low=10)
    q = require_real(quantile, "quantile", low=0.0, high=1.0, low_open=True, high_open=True)
    ref = scores_of(reference, "reference")
    rng = np.random.default_rng(seed)
    n = ref.size
    out = np.empty(resamples)
    binned = method in ("psi", "js")
    if binned:
        order = np.argsort(ref, kind="stable")
        rank_of = np.empty(n, dtype=np.int64)
        rank_of[order] = np.arange(n)
        sorted_ref = ref[order]
        # last sorted position holding each position's value (ties share it): "count of values <= v"
        last_tied = np.searchsorted(sorted_ref, sorted_ref, side="right") - 1
        ranks = np.unique(np.clip(np.ceil(np.arange(1, bins) * n / bins).astype(np.int64) - 1, 0, n - 1))
    for i in range(resamples):
        ri = rng.integers(0, n, n)
        ci = rng.integers(0, n, n_current)
        if binned:
            out[i] = _binned_null_statistic(rank_of[ri], rank_of[ci], sorted_ref, last_tied, ranks, n_current, method)
            continue
        r, c = ref[ri], ref[ci]
        if method == "wasserstein" and np.std(r) == 0:
            r = ref
        out[i] = _statistic(r, c, method, bins, p_value=False)[0]
    out.sort()
    return DriftNull(method=method, bins=bins, n_reference=int(n), n_current=n_current,
                     statistics=readonly(out), quantile=q, threshold=float(np.quantile(out, q)))
