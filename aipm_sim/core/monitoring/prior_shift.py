"""Prior shift: the share of positives moves (fraud doubles in December) while what a score means given the class does not.

:func:`estimate_prevalence` estimates the new share from unlabelled scores
(Saerens, Latinne & Decaestecker, 2002: an EM algorithm on calibrated
scores); :func:`adjust_threshold` moves the threshold so that it keeps the
same meaning ("flag cases at least 20 % likely to be fraud") once the share
has moved, by rescaling the odds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .._checks import require_real, require_whole
from ..engine.scores import ScoreSet
from ..errors import ParameterError
from .drift import scores_of
from .estimation import MSG_REFERENCE, fit_calibration

PREVALENCE_METHODS = ("em",)
MSG_PREVALENCE_METHOD = "method must be one of {}; found {!r}"
MSG_MAX_ITER = "max_iter must be a whole number >= 1; found {!r}"


@dataclass(frozen=True, slots=True, kw_only=True)
class PrevalenceEstimate:
    """The share of positives among unlabelled cases, estimated from their scores.

    Attributes
    ----------
    prevalence : float
        The estimate, a fraction in (0, 1).
    standard_error : float
        Its standard error (from the likelihood's curvature at the estimate;
        assumes the calibration exact).
    reference_prevalence : float
        The share of positives the scores are calibrated for (the reference's).
    method : str
        ``"em"``.
    iterations : int
        EM iterations used.
    converged : bool
        Whether the estimate moved by less than ``tol`` in the last iteration
        (False: ``max_iter`` was reached; the estimate is the last one).
    """

    prevalence: float
    standard_error: float
    reference_prevalence: float
    method: str
    iterations: int
    converged: bool


def _odds(p):
    return p / (1.0 - p)


def em_prevalence(p, prior, *, tol=1e-8, max_iter=1000):
    """(prevalence, standard error, iterations, converged) by the EM of Saerens et al. on probabilities ``p``.

    ``p`` are P(positive | score) under prevalence ``prior``; each step
    rescales them to the current estimate ``pi`` (posterior odds times
    ``odds(pi) / odds(prior)``) and takes their mean as the next ``pi``.
    """
    p = np.clip(p, 1e-12, 1.0 - 1e-12)
    a = p / prior
    b = (1.0 - p) / (1.0 - prior)
    ratio = a / b  # likelihood ratio: the posterior at pi is pi r / (pi r + 1 - pi) = 1 / (1 + c / r)
    pi = prior
    converged = False
    it = 0
    for it in range(1, max_iter + 1):
        c = (1.0 - pi) / pi
        new = float(np.mean(1.0 / (1.0 + c / ratio)))
        step = abs(new - pi)
        pi = min(max(new, 1e-12), 1.0 - 1e-12)
        if step < tol:
            converged = True
            break
    info = float(np.sum(((a - b) / (pi * a + (1.0 - pi) * b)) ** 2))
    se = 1.0 / math.sqrt(info) if info > 0 else math.inf
    return pi, se, it, converged


def estimate_prevalence(reference, current_scores, *, method="em", calibrate=True, tol=1e-8, max_iter=1000):
    """Estimate the share of positives among the current cases from their scores alone.

    Parameters
    ----------
    reference : ScoreSet
        Labelled cases: their share of positives is the prevalence the
        scores are calibrated for, and (``calibrate=True``) they calibrate
        the scores.
    current_scores : array-like or ScoreSet
        Scores of the unlabelled current cases.
    method : {"em"}
        Saerens–Latinne–Decaestecker expectation–maximisation.
    calibrate : bool
        True: isotonic calibration on the reference first. False: the
        scores are already probabilities calibrated at the reference's
        prevalence.
    tol : float
        Convergence tolerance on the prevalence (> 0).
    max_iter : int
        Most EM iterations (>= 1).

    Returns
    -------
    PrevalenceEstimate
        Assumes P(score | class) unchanged (prior shift only); check
        ``converged``.
    """
    if method not in PREVALENCE_METHODS:
        raise ParameterError(MSG_PREVALENCE_METHOD.format(", ".join(map(repr, PREVALENCE_METHODS)), method))
    if not isinstance(reference, ScoreSet):
        raise TypeError(MSG_REFERENCE.format(type(reference).__name__))
    tol = require_real(tol, "tol", low=0.0, low_open=True)
    max_iter = require_whole(max_iter, MSG_MAX_ITER.format(max_iter), low=1)
    s = scores_of(current_scores, "current_scores")
    prior = reference.prevalence
    p = fit_calibration(reference)(s) if calibrate else np.clip(s, 0.0, 1.0)
    pi, se, it, converged = em_prevalence(p, prior, tol=tol, max_iter=max_iter)
    return PrevalenceEstimate(prevalence=pi, standard_error=se, reference_prevalence=prior, method=method,
                              iterations=it, converged=converged)


def adjust_threshold(threshold, *, from_prevalence, to_prevalence):
    """The threshold on scores calibrated for ``from_prevalence`` that keeps the same meaning at ``to_prevalence``.

    A score ``s`` calibrated at prevalence ``pi0`` is, once the prevalence is
    ``pi1``, the probability ``s'`` with ``odds(s') = odds(s) * odds(pi1) /
    odds(pi0)``. Flagging ``s' >= threshold`` is flagging ``s >= t'`` with
    ``odds(t') = odds(threshold) * odds(pi0) / odds(pi1)``: this returns
    ``t'``. E.g. 0.2 with 10 % → 5 % positives gives 0.345 (fewer positives:
    a score must be higher to mean the same risk).

    Parameters
    ----------
    threshold : float
        Threshold in [0, 1], on the scores as they are (calibrated at ``from_prevalence``).
    from_prevalence, to_prevalence : float
        Shares of positives, in (0, 1).

    Returns
    -------
    float
        In [0, 1] (0 and 1 map to themselves).
    """
    t = require_real(threshold, "threshold", low=0.0, high=1.0)
    p0 = require_real(from_prevalence, "from_prevalence", low=0.0, high=1.0, low_open=True, high_open=True)
    p1 = require_real(to_prevalence, "to_prevalence", low=0.0, high=1.0, low_open=True, high_open=True)
    if t in (0.0, 1.0):
        return t
    odds = _odds(t) * _odds(p0) / _odds(p1)
    return odds / (1.0 + odds)
