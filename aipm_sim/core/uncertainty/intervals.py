"""Confidence intervals for a proportion, and for the rates of one operating point.

"Recall 72 %" measured on 50 frauds is a proportion of 50 trials; the
interval says which population recalls are compatible with it. Three
methods, all of them *exact or score* intervals (the Wald interval
``p ± z·sqrt(p(1-p)/n)`` is deliberately absent: it collapses to a point at
0 % and 100 % and covers far too rarely on small counts):

* ``"wilson"`` (default): the score interval of Wilson (1927), the set of
  proportions a two-sided score test does not reject; close to nominal
  coverage on average, never outside [0, 1];
* ``"clopper-pearson"``: the exact binomial interval from Beta quantiles,
  coverage at least the confidence for every true proportion (conservative);
* ``"jeffreys"``: the equal-tailed interval of the Beta(k + 1/2, n - k + 1/2)
  posterior under Jeffreys' prior (as statsmodels computes it, its tails are
  equal even at 0 or all successes, so that the interval then excludes 0 or 1).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
from scipy import special, stats

from .._checks import require_real
from ..errors import DegenerateWarning, ParameterError

METHODS = ("wilson", "clopper-pearson", "jeffreys")

MSG_METHOD = "method must be one of {}; found {!r}"
MSG_CONFIDENCE = "confidence must be a number in (0, 1), e.g. 0.95; found {!r}"
MSG_TRIALS = "trials must be finite numbers >= 0; found {!r}"
MSG_SUCCESSES = "successes must be finite numbers in [0, trials]; found {!r} successes of {!r} trials"
MSG_NO_TRIALS = "a proportion of 0 trials has no interval: (nan, nan)"
MSG_METRIC = "metric must be one of {}; found {!r}"
MSG_MODEL_POINT = (
    "this operating point comes from a model (a BinormalModel's expected values), which has no sampling "
    "error: give validation_cases=N, the number of labelled cases a validation would have, to get the "
    "interval such a validation would give"
)
MSG_NOT_WHOLE = (
    "this operating point's counts are not whole numbers of cases ({} = {!r}): either it is a model's "
    "expected values, which have no sampling error (give validation_cases=N, the size of a validation "
    "set), or the data are weighted (give score_set= the ScoreSet it came from, for Kish's effective "
    "sample size)"
)
MSG_VALIDATION_CASES = "validation_cases must be a number of cases > 0; found {!r}"
MSG_SCORE_SET = "score_set must be a ScoreSet; found {}"

#: Per metric: (successes, trials) as names of OperatingPoint fields (``alerts`` = flagged cases), and
#: the words for its trials in messages and tables.
METRIC_TRIALS = {
    "precision": ("tp", ("tp", "fp"), "flagged cases"),
    "recall": ("tp", ("tp", "fn"), "positives"),
    "fpr": ("fp", ("fp", "tn"), "negatives"),
    "specificity": ("tn", ("fp", "tn"), "negatives"),
    "npv": ("tn", ("tn", "fn"), "cases not flagged"),
    "alert_rate": ("alerts", ("tp", "fp", "fn", "tn"), "cases"),
}
METRICS = tuple(METRIC_TRIALS)


def check_confidence(confidence):
    """``confidence`` as a float in the open interval (0, 1), or ParameterError(:data:`MSG_CONFIDENCE`)."""
    try:
        c = float(confidence)
    except (TypeError, ValueError):
        raise ParameterError(MSG_CONFIDENCE.format(confidence)) from None
    if isinstance(confidence, bool) or not 0.0 < c < 1.0:
        raise ParameterError(MSG_CONFIDENCE.format(confidence))
    return c


def check_metric(metric, metrics=METRICS):
    if metric not in metrics:
        raise ParameterError(MSG_METRIC.format(", ".join(metrics), metric))
    return metric


def _check_method(method):
    if method not in METHODS:
        raise ParameterError(MSG_METHOD.format(", ".join(METHODS), method))
    return method


def proportion_interval(successes, trials, *, confidence=0.95, method="wilson"):
    """Two-sided confidence interval for a proportion ``successes / trials``.

    Parameters
    ----------
    successes : float or array-like
        Cases counted as successes (e.g. caught frauds), in ``[0, trials]``.
        Non-integer counts are accepted (effective counts of weighted data).
    trials : float or array-like
        Cases the proportion is taken among (e.g. all frauds), >= 0;
        broadcast against ``successes``.
    confidence : float
        Confidence level, a fraction in (0, 1); 0.95 gives a 95 % interval.
    method : {"wilson", "clopper-pearson", "jeffreys"}
        See the module docstring. The default is Wilson's score interval
        (statsmodels' ``proportion_confint`` defaults to the Wald interval,
        which this function does not offer).

    Returns
    -------
    (low, high) : tuple of float, or of ndarray
        Fractions in [0, 1]; floats for scalar input. Where ``trials`` is 0
        the interval is ``(nan, nan)`` and a DegenerateWarning is issued.
        Clopper-Pearson's low end is exactly 0 when ``successes`` is 0 and its
        high end exactly 1 when ``successes == trials``.

    Raises
    ------
    ParameterError
        For an unknown method, a confidence outside (0, 1), negative or
        non-finite trials, successes outside ``[0, trials]``.
    """
    _check_method(method)
    confidence = check_confidence(confidence)
    scalar = np.ndim(successes) == 0 and np.ndim(trials) == 0
    try:
        k = np.asarray(successes, dtype=np.float64)
        n = np.asarray(trials, dtype=np.float64)
    except (TypeError, ValueError):
        raise ParameterError(MSG_SUCCESSES.format(successes, trials)) from None
    if not np.isfinite(n).all() or (n < 0).any():
        raise ParameterError(MSG_TRIALS.format(trials))
    k, n = np.broadcast_arrays(k, n)
    slack = 1e-9 * np.maximum(n, 1.0)
    if not np.isfinite(k).all() or (k < -slack).any() or (k > n + slack).any():
        raise ParameterError(MSG_SUCCESSES.format(successes, trials))
    k = np.clip(k, 0.0, n)
    empty = n == 0
    if empty.any():
        warnings.warn(MSG_NO_TRIALS, DegenerateWarning, stacklevel=2)
    alpha = 1.0 - confidence
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "wilson":
            low, high = _wilson(k, n, alpha)
        elif method == "clopper-pearson":
            low = np.where(k == 0, 0.0, special.betaincinv(k, n - k + 1, alpha / 2))
            high = np.where(k == n, 1.0, special.betaincinv(k + 1, n - k, 1 - alpha / 2))
        else:
            a, b = k + 0.5, n - k + 0.5
            low = stats.beta.ppf(alpha / 2, a, b)
            high = stats.beta.isf(alpha / 2, a, b)
    low = np.where(empty, np.nan, low)
    high = np.where(empty, np.nan, high)
    if scalar:
        return float(low), float(high)
    return low, high


def _wilson(k, n, alpha):
    z = stats.norm.isf(alpha / 2)
    z2 = z * z
    p = k / n
    denom = 1 + z2 / n
    center = (p + z2 / (2 * n)) / denom
    half = z * np.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom
    # At k = 0 and k = n the ends are exactly 0 and 1 (the formula gives them up to rounding).
    low = np.where(k == 0, 0.0, np.clip(center - half, 0.0, 1.0))
    high = np.where(k == n, 1.0, np.clip(center + half, 0.0, 1.0))
    return low, high


def one_sided_bound(successes, trials, *, confidence, side):
    """Exact (Clopper-Pearson) one-sided bound: the population proportion is >= ``low`` (``side="lower"``)
    or <= ``high`` (``side="upper"``) with probability at least ``confidence``.

    Vectorised; NaN where ``trials`` is 0 (silently: callers treat that as "not shown").
    """
    k = np.asarray(successes, dtype=np.float64)
    n = np.asarray(trials, dtype=np.float64)
    alpha = 1.0 - confidence
    with np.errstate(divide="ignore", invalid="ignore"):
        if side == "lower":
            out = np.where(k <= 0, 0.0, special.betaincinv(np.maximum(k, 1e-300), n - k + 1, alpha))
        else:
            out = np.where(k >= n, 1.0, special.betaincinv(k + 1, np.maximum(n - k, 1e-300), 1 - alpha))
    return np.where(n > 0, out, np.nan)


def kish_effective_size(weights):
    """Kish's effective sample size ``(Σw)² / Σw²`` of weighted cases (0 for none).

    Cases with unequal weights carry less information than as many equally
    weighted ones: ten cases of weight 100 among a thousand of weight 1 count
    as about 1,000 · 1,000 / (1,000 + 10 · 100²) ≈ 10 … not 1,010 nor 2,000.
    """
    w = np.asarray(weights, dtype=np.float64)
    s2 = float(np.dot(w, w))
    return float(w.sum()) ** 2 / s2 if s2 else 0.0


def _group_mask(score_set, threshold, metric):
    """Rows of ``score_set`` forming the trials of ``metric`` at ``threshold``."""
    flagged = score_set.scores >= threshold
    y = score_set.labels.astype(bool)
    return {
        "precision": flagged, "recall": y, "fpr": ~y, "specificity": ~y, "npv": ~flagged,
        "alert_rate": np.ones_like(y),
    }[metric]


def point_interval(point, metric, *, confidence=0.95, method="wilson", validation_cases=None, score_set=None):
    """Confidence interval of one rate of an :class:`~aipm_sim.OperatingPoint`.

    The rate is a proportion of the cases of one kind, its *trials*:
    precision of the flagged cases, recall of the positives, fpr and
    specificity of the negatives, npv of the cases not flagged, alert rate
    of all cases.

    Parameters
    ----------
    point : OperatingPoint
    metric : {"precision", "recall", "fpr", "alert_rate", "specificity", "npv"}
    confidence : float
        A fraction in (0, 1).
    method : {"wilson", "clopper-pearson", "jeffreys"}
        See :func:`proportion_interval`.
    validation_cases : float, optional
        For a model's point (:meth:`aipm_sim.BinormalModel.point` or a row of
        its curve), which is exact and has no sampling error: the number of
        labelled cases of a validation set. The interval is the one such a
        validation would give if it measured the model's rate exactly:
        trials are ``validation_cases`` times the share of the trials' kind
        (e.g. times the prevalence for recall).
    score_set : ScoreSet, optional
        For weighted data, the ScoreSet the point came from: the trials are
        then Kish's effective number of cases ``(Σw)² / Σw²`` of the cases
        of that kind, and the successes the same fraction of it as the
        weighted rate. Without it, counts must be whole numbers and are
        taken as numbers of cases (right for unweighted data, and for
        weights that are frequencies: each row is that many observed cases).

    Returns
    -------
    (low, high) : tuple of float
        Fractions in [0, 1]; ``(nan, nan)`` with a DegenerateWarning where
        there are no trials (e.g. precision where nothing is flagged).

    Raises
    ------
    ParameterError
        For an unknown metric or method, a confidence outside (0, 1), and for
        a model's point without ``validation_cases`` (:data:`MSG_MODEL_POINT`).
    """
    check_metric(metric)
    _check_method(method)
    confidence = check_confidence(confidence)
    successes, trials = effective_counts(point, metric, validation_cases=validation_cases, score_set=score_set)
    return proportion_interval(successes, trials, confidence=confidence, method=method)


def effective_counts(point, metric, *, validation_cases=None, score_set=None):
    """``(successes, trials)`` behind ``metric`` at ``point``, as :func:`point_interval` reads them.

    Whole counts for unweighted data; Kish's effective counts with
    ``score_set`` (weighted data); a model's rate times the trials of a
    validation of ``validation_cases`` cases. Raises as :func:`point_interval`.
    """
    check_metric(metric)
    success_name, trial_names, _ = METRIC_TRIALS[metric]
    successes = float(getattr(point, success_name))
    trials = float(sum(getattr(point, name) for name in trial_names))
    if validation_cases is not None:
        size = require_real(validation_cases, "validation_cases", low=0.0, low_open=True)
        share = trials / point.n_cases if point.n_cases else math.nan
        rate = successes / trials if trials else math.nan
        trials = size * share
        successes = rate * trials if trials else 0.0
    elif score_set is not None:
        from ..engine.scores import ScoreSet

        if not isinstance(score_set, ScoreSet):
            raise ParameterError(MSG_SCORE_SET.format(type(score_set).__name__))
        if score_set.weights is not None:
            mask = _group_mask(score_set, point.threshold, metric)
            n_eff = kish_effective_size(score_set.weights[mask])
            rate = successes / trials if trials else math.nan
            trials = n_eff
            successes = rate * n_eff if n_eff else 0.0
    elif point.index is None:
        raise ParameterError(MSG_MODEL_POINT)
    else:
        for name in ("tp", "fp", "fn", "tn"):
            x = float(getattr(point, name))
            if abs(x - round(x)) > 1e-9 * max(1.0, abs(x)):
                raise ParameterError(MSG_NOT_WHOLE.format(name, x))
    return successes, trials
