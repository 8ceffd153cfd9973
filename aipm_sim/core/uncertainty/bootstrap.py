"""A bootstrap of the whole decision: bands on every metric and on the value, and the uncertainty of the best threshold.

The validation data are resampled many times; in each resample the curve,
the value and the best threshold are computed again. How much they move is
how much the data can be trusted to tell.

Resampling is *stratified by class*: each resample draws as many positives
as the data have, and as many negatives, with replacement. The prevalence is
a known business fact (it is measured on all traffic, not on the labelled
sample), and with rare positives an unstratified resample would swing the
number of frauds from 35 to 65 and with it every rate; stratifying keeps
that (spurious) swing out of the bands.

Bands are percentile bands of the resamples, pointwise in the threshold.
Where a cell holds very few cases (precision at the highest thresholds,
where a handful of cases is flagged) a percentile band collapses onto the
few values a resample can take; there the exact binomial bounds of
:meth:`aipm_sim.OperatingPoint.interval` (``method="clopper-pearson"``) are
the better answer.
"""

from __future__ import annotations

import math
import types
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._checks import readonly, require_whole
from ..engine.curve import ThresholdCurve
from ..engine.optimize import Decision, check_constraints, constraint_mask, optimize
from ..engine.scores import ScoreSet
from ..engine.value import ValueModel
from ..errors import ParameterError
from ._resample import Strata
from .intervals import check_confidence

MSG_RESAMPLES = "resamples must be a whole number >= 1 (e.g. 200); found {!r}"
MSG_BAND_METRIC = "band metric must be one of {}; found {!r}"
MSG_SEED = "seed must be a whole number >= 0 (e.g. 0); found {!r}"
MSG_MAX_ROWS = "max_rows must be a whole number >= 2; found {!r}"
MSG_SCORE_SET = "score_set must be a ScoreSet; found {}"
MSG_VALUE_MODEL = "value_model must be a ValueModel; found {}"

#: Metrics :meth:`Uncertainty.band` knows (``value``: currency, per period with a volume).
BAND_METRICS = ("precision", "recall", "fpr", "alert_rate", "value")
#: Resamples per call of the compiled loop (one progress step).
_CHUNK = 10


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Uncertainty:
    """How much a decision moves when its validation data are resampled (see :func:`simulate_uncertainty`).

    Attributes
    ----------
    decision : Decision
        The decision on the full data, the same as :func:`aipm_sim.optimize` gives.
    thresholds : ndarray of shape (m,)
        The thresholds the resamples are read at: the curve's own, or at most
        about ``max_rows`` of them evenly spaced along the curve's rows (the
        decision's threshold always among them); decreasing, ``+inf`` first.
    resamples : int
    seed : int
    confidence : float
        Share of resamples inside each band and interval (0.95: from the 2.5th
        to the 97.5th percentile).
    volume : float or None
        Cases per period the values are for.
    constraints : mapping of str to float
        The constraints (read-only).
    metrics : mapping of str to ndarray of shape (resamples, m)
        Each band metric in each resample at each threshold (read-only;
        NaN where undefined, e.g. precision where nothing is flagged).
    feasible : ndarray of bool, shape (resamples, m)
        Whether every constraint holds in that resample at that threshold.
    best_thresholds : ndarray of shape (resamples,)
        The best threshold of each resample (highest value among the
        thresholds meeting every constraint in that resample; NaN where none does).
    best_values : ndarray of shape (resamples,)
        The value at it (NaN likewise).
    positives, negatives : ndarray of shape (resamples,)
        Weighted positives and negatives of each resample (unweighted: the
        data's own numbers, in every resample).
    """

    decision: Decision
    thresholds: np.ndarray
    resamples: int
    seed: int
    confidence: float
    volume: float | None
    constraints: types.MappingProxyType
    metrics: types.MappingProxyType
    feasible: np.ndarray
    best_thresholds: np.ndarray
    best_values: np.ndarray
    positives: np.ndarray
    negatives: np.ndarray

    # -- reading -------------------------------------------------------------------
    def _rows(self, threshold):
        """Grid rows flagging ``score >= threshold`` at the grid's resolution (the row at or above it)."""
        t = np.asarray(threshold, dtype=np.float64)
        if np.isnan(t).any():
            raise ParameterError(f"threshold must be a number; found {threshold!r}")
        # thresholds decrease: rows whose threshold is >= t are a prefix; the last of them
        ascending = self.thresholds[::-1]
        count_ge = len(ascending) - np.searchsorted(ascending, t, side="left")
        return np.maximum(count_ge - 1, 0)

    def row_at(self, threshold):
        """The column of :attr:`metrics` (and row of :attr:`thresholds`) that ``threshold`` is read at.

        The last grid threshold at or above ``threshold`` (the grid's resolution:
        the row flagging the same cases or, between grid rows, the next fewer);
        ``threshold`` may be an array (then an array of rows comes back).
        """
        rows = self._rows(threshold)
        return int(rows) if np.ndim(rows) == 0 else rows

    @property
    def _quantiles(self):
        tail = (1.0 - self.confidence) / 2
        return tail, 1.0 - tail

    def band(self, metric):
        """A metric (or the value) against the threshold with its band.

        Parameters
        ----------
        metric : {"precision", "recall", "fpr", "alert_rate", "value"}

        Returns
        -------
        DataFrame
            One row per threshold of :attr:`thresholds` (decreasing); columns
            ``threshold``, ``low``, ``median``, ``high``: the percentiles of the
            resamples (``low``/``high`` at ``(1 ∓ confidence) / 2``). Rows where
            the metric is undefined in every resample are NaN.
        """
        if metric not in BAND_METRICS:
            raise ParameterError(MSG_BAND_METRIC.format(", ".join(BAND_METRICS), metric))
        lo, hi = self._quantiles
        q = nan_quantiles(self.metrics[metric], (lo, 0.5, hi))
        return pd.DataFrame({"threshold": self.thresholds, "low": q[0], "median": q[1], "high": q[2]})

    @property
    def threshold_interval(self):
        """``(low, high)``: the range of the resamples' best thresholds holding ``confidence`` of them.

        Order statistics (no interpolation between thresholds); NaN when no
        resample has a threshold meeting every constraint.
        """
        best = self.best_thresholds[~np.isnan(self.best_thresholds)]
        if best.size == 0:
            return math.nan, math.nan
        lo, hi = self._quantiles
        return (float(np.quantile(best, lo, method="inverted_cdf")),
                float(np.quantile(best, hi, method="inverted_cdf")))

    @property
    def value_interval(self):
        """``(low, high)``: the value of the decision's threshold across resamples (currency, per period with a volume)."""
        row = int(self._rows(self.decision.threshold))
        values = self.metrics["value"][:, row]
        lo, hi = self._quantiles
        return float(np.quantile(values, lo)), float(np.quantile(values, hi))

    def regret(self, threshold):
        """Expected value lost by choosing ``threshold`` rather than each resample's own best.

        The mean over resamples of (best value of the resample) − (value of
        ``threshold`` in it), currency (per period with a volume); resamples
        where no threshold meets every constraint are left out. Without
        constraints it is >= 0; with them a resample's best is the best
        threshold *meeting them in that resample*, so a threshold that breaks
        them in some resamples can beat it there (the regret can then be
        negative: read it with :meth:`probability_meets`).
        ``threshold`` may be an array (then an array comes back); it is read
        at the grid's resolution (the grid row at or above it).
        """
        rows = self._rows(threshold)
        ok = ~np.isnan(self.best_values)
        if not ok.any():
            return math.nan if np.ndim(threshold) == 0 else np.full(np.shape(threshold), np.nan)
        lost = self.best_values[ok, None] - self.metrics["value"][ok][:, np.ravel(rows)]
        out = lost.mean(axis=0).reshape(np.shape(rows))
        return float(out) if np.ndim(threshold) == 0 else out

    def probability_meets(self, threshold):
        """Share of resamples in which every constraint holds at ``threshold`` (1.0 without constraints).

        ``threshold`` may be an array; read at the grid's resolution.
        """
        rows = self._rows(threshold)
        out = self.feasible[:, np.ravel(rows)].mean(axis=0).reshape(np.shape(rows))
        return float(out) if np.ndim(threshold) == 0 else out

    def bands_frame(self):
        """Every band in one DataFrame: ``threshold`` then ``<metric>_low``, ``_median``, ``_high`` per metric."""
        out = {"threshold": self.thresholds}
        for metric in BAND_METRICS:
            band = self.band(metric)
            for col in ("low", "median", "high"):
                out[f"{metric}_{col}"] = band[col].to_numpy()
        return pd.DataFrame(out)

    def __repr__(self):
        lo, hi = self.threshold_interval
        return (f"Uncertainty({self.resamples} resamples, {len(self.thresholds)} thresholds, "
                f"best threshold {self.decision.threshold:.4g} ({lo:.4g} to {hi:.4g}))")


def nan_quantiles(values, qs):
    """Quantiles of each column of ``values`` (shape (r, m)) ignoring NaN, numpy's "linear" rule.

    The same numbers as ``np.nanquantile(values, qs, axis=0)`` (NaN for an
    all-NaN column, silently) from one sort, without its per-column loop.
    """
    ordered = np.sort(values, axis=0)  # NaN last
    valid = (~np.isnan(values)).sum(axis=0)
    cols = np.arange(values.shape[1])
    out = np.full((len(qs), values.shape[1]), np.nan)
    has = valid > 0
    for i, q in enumerate(qs):
        pos = q * (valid - 1)
        below = np.floor(pos).astype(np.int64)
        above = np.minimum(below + 1, np.maximum(valid - 1, 0))
        below = np.maximum(below, 0)
        frac = pos - np.floor(pos)
        a, b = ordered[below, cols], ordered[above, cols]
        with np.errstate(invalid="ignore"):
            out[i, has] = (a + (b - a) * frac)[has]
    return out


class _Stack:
    """Every resample's curve at once: arrays of shape (resamples, m) with the attributes of a
    :class:`ThresholdCurve` that :meth:`ValueModel.value` and :func:`constraint_mask` read."""

    def __init__(self, tp_all, fp_all, tpa_all, fpa_all, m):
        # the last column is the never-flagged bucket: the class totals
        self.positives, self.negatives = tp_all[:, -1:], fp_all[:, -1:]
        self.tp, self.fp = tp_all[:, :m], fp_all[:, :m]
        self.fn, self.tn = self.positives - self.tp, self.negatives - self.fp
        self.has_amounts = tpa_all is not None
        if self.has_amounts:
            self.tp_amount, self.fp_amount = tpa_all[:, :m], fpa_all[:, :m]
            self.fn_amount = tpa_all[:, -1:] - self.tp_amount
            self.tn_amount = fpa_all[:, -1:] - self.fp_amount
        self.n_cases = self.positives + self.negatives
        self.alerts = self.tp + self.fp
        with np.errstate(divide="ignore", invalid="ignore"):
            self.precision = np.where(self.alerts > 0, self.tp / self.alerts, np.nan)
            self.recall = np.where(self.positives > 0, self.tp / self.positives, np.nan)
            self.fpr = np.where(self.negatives > 0, self.fp / self.negatives, np.nan)
            self.alert_rate = np.where(self.n_cases > 0, self.alerts / self.n_cases, np.nan)

    def per_period_factor(self, volume):
        return 1.0 if volume is None else volume / self.n_cases


def _grid_rows(curve, decision, max_rows):
    m = len(curve)
    if m <= max_rows + 1:
        return np.arange(m)
    rows = np.unique(np.round(np.linspace(0, m - 1, max_rows + 1)).astype(np.int64))
    return np.union1d(rows, [0, decision.index])


def checked_settings(value_model, resamples, max_rows, confidence, seed, constraints):
    """``(resamples, max_rows, confidence, constraints, seed)`` checked, as every bootstrap takes them."""
    if not isinstance(value_model, ValueModel):
        raise TypeError(MSG_VALUE_MODEL.format(type(value_model).__name__))
    resamples = require_whole(resamples, MSG_RESAMPLES.format(resamples), low=1)
    max_rows = require_whole(max_rows, MSG_MAX_ROWS.format(max_rows), low=2)
    confidence = check_confidence(confidence)
    bounds = check_constraints(**constraints)
    seed = require_whole(seed, MSG_SEED.format(seed), low=0, high=2 ** 63 - 1)
    return resamples, max_rows, confidence, bounds, seed


def simulate_uncertainty(score_set, value_model, *, resamples=200, seed=0, confidence=0.95, volume=None,
                         period=None, currency=None, max_rows=2000, progress=None, **constraints):
    """Resample the validation data to see how sure the decision is.

    Parameters
    ----------
    score_set : ScoreSet
        The labelled validation data (weights and amounts carry through:
        a drawn case brings its weight and its amount).
    value_model : ValueModel
    resamples : int
        Number of bootstrap resamples, >= 1.
    seed : int
        Seed of the random numbers: the same seed gives the same arrays.
    confidence : float
        Share of resamples inside the bands and intervals, in (0, 1).
    volume : float, optional
        Cases per period: values (and ``max_alerts``) are then per period.
    period, currency : str, optional
        Labels, as in :func:`aipm_sim.optimize`.
    max_rows : int
        Most thresholds the resamples are read at (the curve's rows are
        thinned evenly beyond that; the decision's threshold is always kept).
    progress : object with an ``update(n)`` method, optional
        Told after each batch of resamples how many were done, e.g.
        ``tqdm.notebook.tqdm(total=200)``; None: silent (and all resamples
        drawn in one call, the same numbers).
    **constraints
        ``min_recall``, ``min_precision``, ``max_alert_rate``, ``max_fpr``,
        ``max_alerts`` as in :func:`aipm_sim.optimize`; checked again in every resample.

    Returns
    -------
    Uncertainty

    Notes
    -----
    Stratified multinomial resampling (see the module docstring): each
    case's threshold bucket is found once (a binary search on the
    thresholds) and each class is sorted once by bucket; a resample then
    draws how many cases land in each bucket (a multinomial), and, with
    weights or amounts, which cases within each bucket's contiguous block,
    in compiled code (over all cores for large data). No resample sorts.
    """
    if not isinstance(score_set, ScoreSet):
        raise TypeError(MSG_SCORE_SET.format(type(score_set).__name__))
    resamples, max_rows, confidence, bounds, seed = checked_settings(value_model, resamples, max_rows, confidence,
                                                                     seed, constraints)

    curve = ThresholdCurve.from_scores(score_set)
    decision = optimize(curve, value_model, volume=volume, period=period, currency=currency, **bounds)
    grid = curve.thresholds[_grid_rows(curve, decision, max_rows)]
    n_rows = len(grid)

    # Bucket of each case: the first grid row whose threshold is <= its score (n_rows: never flagged).
    bucket = (n_rows - np.searchsorted(grid[::-1], score_set.scores, side="right")).astype(np.int64)
    # amounts of a class only where the value model prices them (e.g. fn_amount alone: the positives')
    vm = value_model
    strata = Strata(bucket, score_set.labels.astype(bool), score_set.weights, score_set.amounts, n_rows + 1,
                    amount_classes=(vm.tp_amount != 0 or vm.fn_amount != 0, vm.fp_amount != 0 or vm.tn_amount != 0))
    del bucket
    has_a = score_set.amounts is not None
    seeds = np.random.SeedSequence(seed).generate_state(resamples, dtype=np.uint32)

    if progress is None:
        # one call: each call of the threaded build starts a parallel region (tens of ms on busy cores)
        pos, neg, pos_a, neg_a = strata.resample(seeds)
    else:
        pieces = []
        for start in range(0, resamples, _CHUNK):
            pieces.append(strata.resample(seeds[start:start + _CHUNK]))
            progress.update(min(_CHUNK, resamples - start))
        pos, neg, pos_a, neg_a = (np.concatenate([p[i] for p in pieces]) for i in range(4))
        del pieces
    del strata

    return _from_bucket_sums(decision, grid, value_model, bounds, pos, neg, pos_a if has_a else None,
                             neg_a if has_a else None, resamples=resamples, seed=seed, confidence=confidence)


def _from_bucket_sums(decision, grid, value_model, bounds, pos, neg, pos_a, neg_a, *, resamples, seed, confidence):
    """The :class:`Uncertainty` of per-bucket sums of resamples (the in-memory and the Dask bootstrap share it).

    Parameters
    ----------
    decision : Decision
        On the full data; its ``volume`` is the values' volume.
    grid : ndarray of shape (m,)
        The thresholds read, decreasing, ``+inf`` first.
    pos, neg : ndarray of shape (resamples, m + 1)
        Weighted positives and negatives of each resample in each bucket
        (bucket ``k`` holds the cases flagged from row ``k`` on; bucket ``m``
        those flagged by no row).
    pos_a, neg_a : ndarray of shape (resamples, m + 1) or None
        Their weighted amounts (None without amounts).
    """
    volume = decision.volume
    n_rows = len(grid)
    has_a = pos_a is not None
    tp, fp = np.cumsum(pos, axis=1), np.cumsum(neg, axis=1)
    tpa = np.cumsum(pos_a, axis=1) if has_a else None
    fpa = np.cumsum(neg_a, axis=1) if has_a else None
    stack = _Stack(tp, fp, tpa, fpa, n_rows)
    metrics = {name: getattr(stack, name) for name in ("precision", "recall", "fpr", "alert_rate")}
    metrics["value"] = np.asarray(value_model.value(stack, volume=volume), dtype=np.float64)
    feasible = np.ones((resamples, n_rows), dtype=bool)
    for name, bound in bounds.items():
        feasible &= constraint_mask(stack, name, bound, volume=volume)
    best_t = np.full(resamples, np.nan)
    best_v = np.full(resamples, np.nan)
    some = feasible.any(axis=1)
    best = np.argmax(np.where(feasible, metrics["value"], -np.inf), axis=1)  # first (highest) threshold of ties
    best_t[some] = grid[best[some]]
    best_v[some] = metrics["value"][some, best[some]]

    return Uncertainty(
        decision=decision, thresholds=readonly(np.array(grid)), resamples=resamples, seed=seed,
        confidence=confidence, volume=volume, constraints=bounds,
        metrics=types.MappingProxyType({k: readonly(v) for k, v in metrics.items()}),
        feasible=readonly(feasible), best_thresholds=readonly(best_t), best_values=readonly(best_v),
        positives=readonly(stack.positives[:, 0].copy()), negatives=readonly(stack.negatives[:, 0].copy()),
    )
