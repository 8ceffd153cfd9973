"""A synthetic classifier described by prevalence and AUC, sampled or exact.

The latent score is N(0, 1) for negatives and N(d, 1) for positives, with
``d = sqrt(2) * Phi^-1(auc)`` so that the AUC is exactly ``auc``. The score
the model reports is the calibrated probability

    p(x) = P(y = 1 | x) = 1 / (1 + exp(-(logit(prevalence) + d x - d² / 2))),

so "threshold 0.2" means "flag cases at least 20 % likely to be positive".
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
from scipy import optimize as sp_optimize
from scipy import special, stats

from .._checks import readonly, require_real, require_whole
from .curve import MSG_NOTHING_FLAGGED, ThresholdCurve
from .point import _point
from ..errors import DegenerateWarning, ParameterError
from .scores import ScoreSet

MSG_AUC = "auc must be in [0.5, 1) (below 0.5 the model is worse than chance: flip its scores); found {!r}"
MSG_SAMPLE_N = "n must be a whole number of cases >= 1; found {!r}"
MSG_N_THRESHOLDS = "n_thresholds must be a whole number >= 2; found {!r}"
MSG_THRESHOLDS = "thresholds must be probabilities in [0, 1]; found {}"
MSG_POINT_THRESHOLD = "threshold must be a probability in [0, 1]; found {!r}"


@dataclass(frozen=True, slots=True, kw_only=True)
class BinormalModel:
    """Binormal, calibrated synthetic classifier.

    Parameters
    ----------
    prevalence : float
        Share of positives, a fraction in (0, 1).
    auc : float
        Area under the ROC curve, in [0.5, 1).
    amount_mean : float, optional
        Mean amount (currency per case) of negative cases. Amounts are
        lognormal with log-scale standard deviation ``amount_sigma``,
        independent of the score within each class. None: no amounts.
    positive_amount_mean : float, optional
        Mean amount of positive cases (defaults to ``amount_mean``).
    amount_sigma : float
        Standard deviation of log(amount), >= 0 (1.0: heavy-tailed, as card
        transaction values are).
    """

    prevalence: float
    auc: float
    amount_mean: float | None = None
    positive_amount_mean: float | None = None
    amount_sigma: float = 1.0

    def __init__(self, prevalence, auc, *, amount_mean=None, positive_amount_mean=None, amount_sigma=1.0):
        p = require_real(prevalence, "prevalence", low=0.0, high=1.0, low_open=True, high_open=True)
        try:
            a = float(auc)
        except (TypeError, ValueError):
            raise ParameterError(MSG_AUC.format(auc)) from None
        if not (0.5 <= a < 1.0):
            raise ParameterError(MSG_AUC.format(auc))
        if amount_mean is None and positive_amount_mean is not None:
            raise ParameterError("positive_amount_mean needs amount_mean (the negatives' mean amount) too")
        if amount_mean is not None:
            amount_mean = require_real(amount_mean, "amount_mean", low=0.0)
            positive_amount_mean = (
                amount_mean if positive_amount_mean is None
                else require_real(positive_amount_mean, "positive_amount_mean", low=0.0)
            )
        object.__setattr__(self, "prevalence", p)
        object.__setattr__(self, "auc", a)
        object.__setattr__(self, "amount_mean", amount_mean)
        object.__setattr__(self, "positive_amount_mean", positive_amount_mean)
        object.__setattr__(self, "amount_sigma", require_real(amount_sigma, "amount_sigma", low=0.0))

    # -- the model ---------------------------------------------------------------
    @property
    def separation(self):
        """``d``: distance between the class means of the latent score, in standard deviations."""
        return math.sqrt(2.0) * stats.norm.ppf(self.auc)

    def probability(self, latent):
        """Calibrated score P(y=1 | latent score x) for an array of latent scores."""
        d = self.separation
        logit = special.logit(self.prevalence) + d * np.asarray(latent, dtype=np.float64) - d * d / 2
        return special.expit(logit)

    def latent(self, probability):
        """Inverse of :meth:`probability` (needs ``auc > 0.5``); 0 → -inf, 1 → +inf."""
        d = self.separation
        if d == 0:
            raise ParameterError("auc is 0.5: every case has the same score, there is no latent inverse")
        lo = special.logit(np.asarray(probability, dtype=np.float64))
        return (lo - (special.logit(self.prevalence) - d * d / 2)) / d

    # -- exact decisions -------------------------------------------------------------
    def _decision_thresholds(self, value_model, constraints, volume):
        """Probability thresholds where this model's best decision can lie (the rows :func:`optimize` adds).

        Each rate constraint (``max_alerts`` per ``volume`` cases, ``max_alert_rate``, ``min_recall``,
        ``max_fpr``, ``min_precision``) at the threshold where it binds, and the unconstrained optimum
        (Elkan's threshold). Scores are calibrated and amounts independent of the score within a class, so
        flagging a case of score p adds ``p * gain_pos + (1 - p) * gain_neg`` per case, linear in p: the best
        threshold without constraints is where that is 0, the value falls away from it on both sides, and
        each constraint holds on an interval of thresholds (recall, alerts and the false positive rate fall
        as the threshold rises, precision rises), so the constrained optimum is there or on a bound.

        Returns an array of probabilities in [0, 1], in no particular order (possibly empty).
        """
        if self.separation == 0:
            return np.array([])
        cuts = binding_cuts(self.prevalence, self.separation, dict(constraints or {}), volume)
        probs = list(self.probability(np.asarray(cuts, dtype=np.float64)))
        m0 = self.amount_mean or 0.0
        m1 = self.positive_amount_mean or 0.0
        gain_pos = value_model.tp - value_model.fn + m1 * (value_model.tp_amount - value_model.fn_amount)
        gain_neg = value_model.fp - value_model.tn + m0 * (value_model.fp_amount - value_model.tn_amount)
        if gain_pos > 0 > gain_neg:
            probs.append(-gain_neg / (gain_pos - gain_neg))
        return np.asarray(probs, dtype=np.float64)

    # -- sampling ----------------------------------------------------------------
    def sample(self, n, *, seed):
        """Draw ``n`` scored cases.

        Parameters
        ----------
        n : int
            Number of cases, a whole number >= 1 (``2.5`` is refused, not rounded).
        seed : int or numpy.random.Generator
            The only source of randomness; same seed, same cases.

        Returns
        -------
        ScoreSet
            Calibrated scores, labels and (if the model has amounts) amounts.
        """
        n = require_whole(n, MSG_SAMPLE_N.format(n), low=1)
        rng = np.random.default_rng(seed)
        labels = rng.random(n) < self.prevalence
        latent = rng.standard_normal(n) + self.separation * labels
        amounts = None
        if self.amount_mean is not None:
            means = np.where(labels, self.positive_amount_mean, self.amount_mean)
            s = self.amount_sigma
            # A lognormal with mean m has mu = log(m) - s²/2.
            with np.errstate(divide="ignore"):
                mu = np.log(means) - s * s / 2
            amounts = np.where(means > 0, np.exp(mu + s * rng.standard_normal(n)), 0.0)
        return ScoreSet(self.probability(latent), labels, amounts=amounts)

    # -- the exact curve -------------------------------------------------------------
    def _flagged(self, probs, P, N):
        """Expected flagged positives and negatives for probability thresholds ``probs`` (an array in [0, 1])."""
        d = self.separation
        if d == 0:
            # AUC 0.5: every case scores the prevalence.
            flag_all = probs <= self.prevalence
            return np.where(flag_all, P, 0.0), np.where(flag_all, N, 0.0)
        x = self.latent(probs)  # 0 -> -inf (flag everything), 1 -> +inf (flag nothing)
        # P(score >= p) = P(latent >= x(p)) for each class (the same operations as _Exact.flagged).
        return P * special.ndtr(d - x), N * special.ndtr(-x)

    def _amounts(self, tp, fp, P, N):
        if self.amount_mean is None:
            return {}
        return dict(
            tp_amount=tp * self.positive_amount_mean,
            fp_amount=fp * self.amount_mean,
            positive_amount=P * self.positive_amount_mean,
            negative_amount=N * self.amount_mean,
        )

    def point(self, threshold, *, n_cases=1.0):
        """The exact expected :class:`OperatingPoint` of flagging ``score >= threshold``, in closed form.

        With latent cut ``x`` where the calibrated score equals
        ``threshold``, recall is ``Phi(d - x)`` and the false positive rate
        ``Phi(-x)``. ``curve().at(threshold)`` gives the same numbers.

        Parameters
        ----------
        threshold : float
            Probability threshold in [0, 1] (0 flags every case, 1 none:
            every score is below 1).
        n_cases : float
            Population size the expected counts refer to (> 0; 1.0: counts
            are shares of the population).

        Returns
        -------
        OperatingPoint
            Expected counts for ``n_cases`` cases, amounts too when the model
            has them (NaN otherwise); ``index`` is None (no curve row). Warns
            (DegenerateWarning) when nothing is flagged, as ``curve.at`` does.
        """
        try:
            t = float(threshold)
        except (TypeError, ValueError):
            raise ParameterError(MSG_POINT_THRESHOLD.format(threshold)) from None
        if not 0.0 <= t <= 1.0:  # NaN too
            raise ParameterError(MSG_POINT_THRESHOLD.format(threshold))
        n_cases = require_real(n_cases, "n_cases", low=0.0, low_open=True)
        return _Exact(self, n_cases).point(t, None, stacklevel=3)

    def curve(self, *, n_cases=1.0, thresholds=None, n_thresholds=2001):
        """The exact expected curve, no sampling.

        Its rows are a grid (plus ``thresholds``), each exact at its own
        threshold; the curve knows its model (``curve.model``), so
        ``curve.at(t)``, ``curve.at_alert_rate(q)`` and ``curve.top_k(k)``
        answer in closed form at any ``t`` (as :meth:`point` does), and
        :func:`~aipm_sim.optimize` adds the rows where the model's optimum
        lies. The grid matters only for what is drawn or read row by row
        (pictures, :meth:`~aipm_sim.ThresholdCurve.histogram`, ``to_frame``).

        Parameters
        ----------
        n_cases : float
            Population size the expected counts refer to (1.0: counts are
            shares of the population).
        thresholds : array-like, optional
            Probability thresholds in [0, 1] to include exactly as rows (in
            addition to the grid).
        n_thresholds : int
            Size of the grid (a whole number >= 2), spaced evenly in the latent score from 8.5
            standard deviations below the negatives' mean to 8.5 above the
            positives' mean. With AUC 0.5 every case has the same score
            (the prevalence) and the grid is that one score.

        Returns
        -------
        ThresholdCurve
            Row 0 flags nothing (+inf), the last row (threshold 0.0; with
            AUC 0.5 the lower of the prevalence and the lowest requested
            threshold) flags everything; counts are expected values for
            ``n_cases`` cases.
        """
        n_cases = require_real(n_cases, "n_cases", low=0.0, low_open=True)
        n_thresholds = require_whole(n_thresholds, MSG_N_THRESHOLDS.format(n_thresholds), low=2)
        try:
            extra = np.asarray([] if thresholds is None else thresholds, dtype=np.float64).ravel()
        except (TypeError, ValueError):
            raise ParameterError(MSG_THRESHOLDS.format(thresholds)) from None
        if ((extra < 0) | (extra > 1) | np.isnan(extra)).any():
            raise ParameterError(MSG_THRESHOLDS.format(extra.tolist()))
        P = n_cases * self.prevalence
        N = n_cases - P
        if self.separation == 0:
            grid = np.array([self.prevalence])
        else:
            grid = np.concatenate([self.probability(np.linspace(-8.5, self.separation + 8.5, n_thresholds)), [0.0]])
        probs = np.unique(np.concatenate([grid, extra]))[::-1]
        tp, fp = self._flagged(probs, P, N)
        probs = np.concatenate([[np.inf], probs])
        tp = np.concatenate([[0.0], tp])
        fp = np.concatenate([[0.0], fp])
        curve = ThresholdCurve(thresholds=probs, tp=tp, fp=fp, positives=P, negatives=N,
                               **self._amounts(tp, fp, P, N))
        object.__setattr__(curve, "_exact", _Exact(self, n_cases, thresholds=extra, n_thresholds=n_thresholds))
        return curve

    def _with_rows(self, curve, thresholds):
        """``curve`` (one of this model's, see ``curve._exact``) rebuilt with ``thresholds`` as rows too;
        ``curve`` itself when every one of them is a row already."""
        thresholds = np.asarray(thresholds, dtype=np.float64)
        if np.isin(thresholds, curve.thresholds).all():
            return curve
        spec = curve._exact
        return self.curve(n_cases=spec.n_cases, thresholds=np.concatenate([spec.thresholds, thresholds]),
                          n_thresholds=spec.n_thresholds)


class _Exact:
    """The closed forms behind one analytic curve's queries (``ThresholdCurve._exact``).

    Holds the model, the curve's ``n_cases`` and how the curve was built
    (``thresholds``, ``n_thresholds``), with the constants of the closed
    forms computed once, so that a scalar query costs a few ufunc calls.
    """

    __slots__ = ("model", "n_cases", "thresholds", "n_thresholds", "_d", "_offset", "_P", "_N", "_amounts")

    def __init__(self, model, n_cases, *, thresholds=(), n_thresholds=2001):
        self.model = model
        self.n_cases = n_cases
        self.thresholds = readonly(np.asarray(thresholds, dtype=np.float64))
        self.n_thresholds = n_thresholds
        self._d = d = float(model.separation)
        # latent(p) = (logit(p) - logit(prevalence) + d²/2) / d, as BinormalModel.latent computes it.
        self._offset = float(special.logit(model.prevalence)) - d * d / 2
        self._P = P = n_cases * model.prevalence
        self._N = N = n_cases - P
        m0, m1 = model.amount_mean, model.positive_amount_mean
        self._amounts = None if m0 is None else (m1, m0, P * m1, N * m0)

    def flagged(self, t):
        """Expected flagged positives and negatives at probability threshold ``t`` in [0, 1] (floats)."""
        d, P, N = self._d, self._P, self._N
        if d == 0:  # AUC 0.5: every case scores the prevalence
            return (P, N) if t <= self.model.prevalence else (0.0, 0.0)
        x = (special.logit(t) - self._offset) / d  # latent(t); 0 -> -inf, 1 -> +inf
        return P * float(special.ndtr(d - x)), N * float(special.ndtr(-x))

    def point(self, t, index, *, stacklevel):
        """The exact OperatingPoint at probability threshold ``t`` (warns when nothing is flagged)."""
        tp, fp = self.flagged(t)
        if tp + fp == 0:
            warnings.warn(MSG_NOTHING_FLAGGED.format(t), DegenerateWarning, stacklevel=stacklevel)
        if self._amounts is None:
            return _point(t, index, tp, fp, self._P, self._N, None, None, 0.0, 0.0)
        m1, m0, pos_amount, neg_amount = self._amounts
        return _point(t, index, tp, fp, self._P, self._N, tp * m1, fp * m0, pos_amount, neg_amount)

    def threshold_flagging(self, rate):
        """The probability threshold that flags ``rate`` of all cases (root finding on the closed form).

        None where the grid answers exactly: ``rate`` at or below 0 (flag nothing: row 0), at or above 1
        (flag everything: the last row), or AUC 0.5 (every case has one score, flagged together).
        """
        d = self._d
        if d == 0 or not 0.0 < rate < 1.0:
            return None
        x = _alert_rate_cut(self.model.prevalence, d, rate)
        if x is None:
            return None
        return float(special.expit(d * x + self._offset))  # the score at latent x


def _log_alert_rate(x, pi, d):
    """log of the share flagged at latent cut ``x``: pi sf(x - d) + (1 - pi) sf(x), on a log scale."""
    return np.logaddexp(math.log(pi) + special.log_ndtr(d - x), math.log1p(-pi) + special.log_ndtr(-x))


def _root(g, d):
    """The cut x where the monotone ``g`` crosses 0 (brentq over a bracket wide enough for any rate), or None."""
    lo, hi = -40.0 - abs(d), 40.0 + abs(d)
    a, b = g(lo), g(hi)
    if np.isfinite(a) and np.isfinite(b) and (a < 0) != (b < 0):
        return float(sp_optimize.brentq(g, lo, hi, xtol=1e-14, rtol=4 * np.finfo(float).eps, maxiter=200))
    return None


def _alert_rate_cut(pi, d, rate):
    """Latent cut flagging ``rate`` (in (0, 1)) of all cases, or None when no cut in the bracket does."""
    log_rate = math.log(rate)
    return _root(lambda x: _log_alert_rate(x, pi, d) - log_rate, d)


def binding_cuts(prevalence, d, constraints, volume):
    """Latent cut-offs x of a binormal classifier (negatives N(0, 1), positives N(d, 1), flag x >= cut)
    at which each rate constraint holds with equality; constraints that bind nowhere are left out.

    recall = sf(x - d) and fpr = sf(x) invert in closed form (isf); the alert rate
    pi sf(x - d) + (1 - pi) sf(x) and the precision are monotone in x and are solved with brentq,
    on log scales so that tiny rates keep their precision.
    """
    pi = prevalence
    cuts = []
    rates = []
    if "max_alerts" in constraints and volume > 0:
        rates.append(constraints["max_alerts"] / volume)
    if "max_alert_rate" in constraints:
        rates.append(constraints["max_alert_rate"])
    for r in rates:
        if 0 < r < 1:
            cuts.append(_alert_rate_cut(pi, d, r))
    r = constraints.get("min_recall")
    if r is not None and 0 < r < 1:
        cuts.append(d + float(stats.norm.isf(r)))
    r = constraints.get("max_fpr")
    if r is not None and 0 < r < 1:
        cuts.append(float(stats.norm.isf(r)))
    r = constraints.get("min_precision")
    if r is not None and 0 < r < 1:
        # precision = 1 / (1 + (1 - pi) sf(x) / (pi sf(x - d))) = r
        target = math.log((1 - r) / r) + math.log(pi) - math.log1p(-pi)
        cuts.append(_root(lambda x: special.log_ndtr(-x) - special.log_ndtr(d - x) - target, d))
    return [float(c) for c in cuts if c is not None and np.isfinite(c)]
