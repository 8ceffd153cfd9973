"""Performance without labels: the expected confusion matrix from calibrated scores (as NannyML's CBPE).

Labels (chargebacks, churn) arrive weeks after the cases. Until then, if the
scores are calibrated — a case scored 0.3 is a positive 30 % of the time —
the expected number of caught positives among the flagged cases is the sum
of their calibrated scores, the expected false alarms the sum of one minus
them, and likewise for the cases left alone. Every metric follows from that
one expected matrix.

**The assumption**: P(positive | score) is the same now as on the labelled
reference (covariate shift only: *which* cases arrive may change, not what a
score means). It fails under prior shift (the share of positives moves: use
:func:`~aipm_sim.estimate_prevalence` and :func:`~aipm_sim.adjust_threshold`)
and under concept drift (fraudsters adapt: the same score means less), where
only labels tell.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import isotonic_regression

from .._checks import readonly, require_real
from ..engine.point import OperatingPoint, per_period_factor
from ..engine.scores import ScoreSet
from ..engine.value import ValueModel
from ..errors import DataError, ParameterError
from .drift import scores_of

MSG_THRESHOLD_NAN = "threshold must be a score (or -inf / inf to flag every case / none); found {!r}"
MSG_REFERENCE = "reference must be a labelled ScoreSet (the data the threshold was chosen on); found {}"
MSG_VALUE_MODEL = "value_model must be a ValueModel or None; found {}"
MSG_AMOUNTS = ("the value model uses amounts ({}) but the current cases have none: "
               "give current_scores as a ScoreSet with amounts")
MSG_PER_PERIOD = "pass volume to estimate_performance: an estimate's standard errors do not scale like its counts"
MSG_CALIBRATION_CLASSES = "calibration needs positive and negative reference cases; the reference has only {}"


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Calibration:
    """An isotonic (monotone) map from scores to probabilities, fitted on labelled cases.

    The fit is a staircase of *steps* (blocks of reference scores sharing one
    probability); a score is mapped by linear interpolation between the
    nearest reference scores, clipped to the end values outside their range
    (as scikit-learn's ``IsotonicRegression(out_of_bounds="clip")`` does).
    Within a step that interpolation is flat, so only each step's lowest and
    highest reference score (the *knots*) are kept.

    Attributes
    ----------
    scores : ndarray of shape (k,)
        The knots: each step's lowest and highest reference score, increasing.
    probabilities : ndarray of shape (k,)
        The calibrated probability at each knot, non-decreasing, in [0, 1].
    step_high : ndarray of shape (b,)
        Highest reference score of each step, increasing.
    step_probability : ndarray of shape (b,)
        Probability of each step.
    step_weight : ndarray of shape (b,)
        Reference cases (weighted) in each step: how much evidence its
        probability rests on.
    """

    scores: np.ndarray
    probabilities: np.ndarray
    step_high: np.ndarray
    step_probability: np.ndarray
    step_weight: np.ndarray

    def __call__(self, scores):
        """Calibrated probabilities of ``scores`` (an array), fractions in [0, 1]."""
        return np.interp(np.asarray(scores, dtype=np.float64), self.scores, self.probabilities)

    def step_of(self, scores):
        """The step (numbered from 0) of each score: that of the first reference score at or above it."""
        idx = np.searchsorted(self.step_high, np.asarray(scores, dtype=np.float64), side="left")
        return np.minimum(idx, self.step_high.size - 1)


def fit_calibration(reference):
    """Fit an isotonic calibration on a labelled :class:`ScoreSet` (scipy's ``isotonic_regression``).

    Tied scores are pooled first (their weighted share of positives), then
    the pool-adjacent-violators fit makes the probabilities non-decreasing
    in the score; row weights count.

    Returns
    -------
    Calibration
    """
    if not isinstance(reference, ScoreSet):
        raise TypeError(MSG_REFERENCE.format(type(reference).__name__))
    w = np.ones(len(reference)) if reference.weights is None else reference.weights
    order = np.argsort(reference.scores, kind="stable")
    s = reference.scores[order]
    first = np.ones(s.size, dtype=bool)
    first[1:] = s[1:] != s[:-1]
    starts = np.flatnonzero(first)
    x = s[starts]
    total = np.add.reduceat(w[order], starts)
    positive = np.add.reduceat((w * reference.labels)[order], starts)
    if positive.sum() == 0 or positive.sum() == total.sum():
        raise DataError(MSG_CALIBRATION_CLASSES.format("negatives" if positive.sum() == 0 else "positives"))
    fit = isotonic_regression(positive / total, weights=total, increasing=True)
    y = np.clip(fit.x, 0.0, 1.0)
    lo, hi = fit.blocks[:-1], fit.blocks[1:] - 1
    step_y = y[lo]
    knots = np.unique(np.concatenate([lo, hi]))
    return Calibration(scores=readonly(x[knots]), probabilities=readonly(y[knots]), step_high=readonly(x[hi]),
                       step_probability=readonly(step_y), step_weight=readonly(np.add.reduceat(total, lo)))


#: The attributes an :class:`EstimatedPoint` adds to those of an OperatingPoint.
ESTIMATE_FIELDS = ("tp_se", "fp_se", "fn_se", "tn_se", "precision_se", "recall_se", "value", "value_se", "calibrated")


class EstimatedPoint(OperatingPoint):
    """An :class:`~aipm_sim.OperatingPoint` of *expected* counts, estimated without labels, with standard errors.

    Every attribute of OperatingPoint (expected counts, and the metrics
    computed from them; per period when a volume was given), plus (read-only):

    Attributes
    ----------
    tp_se, fp_se, fn_se, tn_se : float
        Standard errors of the counts (cases; per period when a volume was given).
    precision_se, recall_se : float
        Standard errors of precision and recall (fractions), by the delta method.
    value, value_se : float
        Expected value (currency; per period with a volume) and its standard
        error; NaN without a value model.
    calibrated : bool
        Whether the scores were calibrated on the reference first.

    The standard errors say how far the realized counts may fall from the
    expected ones by chance when the assumption holds (each case a
    positive with its calibrated probability, independently), plus, for the
    counts with ``calibrate=True``, the uncertainty of the calibration
    itself (each isotonic step's probability estimated from its reference
    cases). They do not cover a broken assumption (prior shift, concept drift).
    """

    __slots__ = ("_se_flag", "_se_pass", "_precision_se", "_recall_se", "_value", "_value_se", "_calibrated")

    def __init__(self, *, se_flag, se_pass, precision_se, recall_se, value, value_se, calibrated, scale=1.0,
                 **point):
        super().__init__(**point)
        self._scale = scale
        self._se_flag, self._se_pass = se_flag, se_pass
        self._precision_se, self._recall_se = precision_se, recall_se
        self._value, self._value_se = value, value_se
        self._calibrated = bool(calibrated)

    tp_se = property(lambda self: self._se_flag * self._scale, doc="Standard error of tp (cases).")
    fp_se = property(lambda self: self._se_flag * self._scale, doc="Standard error of fp (cases).")
    fn_se = property(lambda self: self._se_pass * self._scale, doc="Standard error of fn (cases).")
    tn_se = property(lambda self: self._se_pass * self._scale, doc="Standard error of tn (cases).")
    precision_se = property(lambda self: self._precision_se, doc="Standard error of precision (a fraction).")
    recall_se = property(lambda self: self._recall_se, doc="Standard error of recall (a fraction).")
    value = property(lambda self: self._value * self._scale, doc="Expected value (currency); NaN without a value model.")
    value_se = property(lambda self: self._value_se * self._scale, doc="Standard error of the value (currency).")
    calibrated = property(lambda self: self._calibrated, doc="Whether the scores were calibrated first.")

    def per_period(self, volume):
        """Not offered: pass ``volume`` to :func:`estimate_performance` (the estimate is then per period)."""
        raise ParameterError(MSG_PER_PERIOD)

    def to_dict(self):
        """The point as a plain dict: OperatingPoint's attributes, then :data:`ESTIMATE_FIELDS`."""
        out = super().to_dict()
        out.update({name: getattr(self, name) for name in ESTIMATE_FIELDS})
        return out

    def __repr__(self):
        return "EstimatedPoint(" + ", ".join(f"{k}={v!r}" for k, v in self.to_dict().items()) + ")"

    def __reduce__(self):
        return (_rebuild_estimate, (OperatingPoint._state(self), tuple(getattr(self, n) for n in EstimatedPoint.__slots__)))


def _rebuild_estimate(base, extra):
    out = object.__new__(EstimatedPoint)
    for name, value in zip(OperatingPoint.__slots__, base):
        setattr(out, name, value)
    for name, value in zip(EstimatedPoint.__slots__, extra):
        setattr(out, name, value)
    return out


def estimate_performance(reference, current_scores, *, threshold, value_model=None, volume=None, calibrate=True):
    """Expected confusion matrix and value of the current cases at ``threshold``, without their labels.

    Parameters
    ----------
    reference : ScoreSet
        Labelled cases whose scores mean what the current scores mean (the
        data the threshold was chosen on); used to calibrate.
    current_scores : array-like of shape (m,) or ScoreSet
        Scores of the current cases (a ScoreSet's labels and row weights are
        not used: each row is one case; its amounts are, for a value model
        with amount terms).
    threshold : float
        Flag ``score >= threshold`` (on the raw, uncalibrated scores).
    value_model : ValueModel, optional
        Money per outcome: the expected value is then given.
    volume : float, optional
        Cases per period: counts, value and their standard errors are then
        per period (the current cases' shares times ``volume``).
    calibrate : bool
        True: fit isotonic calibration on the reference and apply it to the
        current scores. False: the scores are probabilities already.

    Returns
    -------
    EstimatedPoint
        ``tp`` = sum of calibrated scores of flagged cases, ``fp`` = sum of
        their complements, ``fn`` and ``tn`` likewise over the cases left
        alone.
    """
    if not isinstance(reference, ScoreSet):
        raise TypeError(MSG_REFERENCE.format(type(reference).__name__))
    if value_model is not None and not isinstance(value_model, ValueModel):
        raise TypeError(MSG_VALUE_MODEL.format(type(value_model).__name__))
    t = require_real(threshold, "threshold", allow_inf=True) if not _is_nan(threshold) else None
    if t is None:
        raise ParameterError(MSG_THRESHOLD_NAN.format(threshold))
    s = scores_of(current_scores, "current_scores")
    amounts = current_scores.amounts if isinstance(current_scores, ScoreSet) else None
    if value_model is not None and value_model.uses_amounts and amounts is None:
        used = [f"{c}_amount" for c in ("tp", "fp", "fn", "tn") if getattr(value_model, f"{c}_amount") != 0]
        raise ParameterError(MSG_AMOUNTS.format(", ".join(used)))
    if calibrate:
        cal = fit_calibration(reference)
        p = cal(s)
        steps = (cal.step_of(s), cal)
    else:
        p = np.clip(s, 0.0, 1.0)
        steps = None
    return _estimate(p, s >= t, t, amounts=amounts, value_model=value_model, volume=volume, steps=steps,
                     calibrated=bool(calibrate))


def _estimate(p, flagged, threshold, *, amounts=None, value_model=None, volume=None, steps=None,
              calibrated=False):
    """The expected point from probabilities ``p`` and the flagged mask (shared with the production simulator)."""
    n = float(p.size)
    q = 1.0 - p
    tp, fp = float(p[flagged].sum()), float(q[flagged].sum())
    P, N = float(p.sum()), float(q.sum())
    extra = {}
    if amounts is not None:
        extra = dict(tp_amount=float((p * amounts)[flagged].sum()), fp_amount=float((q * amounts)[flagged].sum()),
                     positive_amount=float((p * amounts).sum()), negative_amount=float((q * amounts).sum()))
    bern = p * q
    var_flag = float(bern[flagged].sum())
    var_pass = float(bern[~flagged].sum())
    if steps is not None:
        # A step's probability is a share of positives among its w reference cases, of variance p q / w;
        # the k current cases mapped to the step share that one estimate, so it adds k² p q / w.
        step, cal = steps
        b = cal.step_weight.size
        counts = np.bincount(step, minlength=b).astype(float)
        flagged_per = np.bincount(step, weights=flagged, minlength=b)
        sp = cal.step_probability
        cal_var = sp * (1.0 - sp) / cal.step_weight
        var_flag += float(np.sum(flagged_per ** 2 * cal_var))
        var_pass += float(np.sum((counts - flagged_per) ** 2 * cal_var))
    f = per_period_factor(volume, n)
    se_flag, se_pass = math.sqrt(var_flag), math.sqrt(var_pass)
    a, b = tp, P - tp
    precision_se = se_flag / (tp + fp) if tp + fp else math.nan
    recall_se = math.sqrt(b * b * se_flag ** 2 + a * a * se_pass ** 2) / (a + b) ** 2 if a + b else math.nan
    value = value_se = math.nan
    if value_model is not None:
        vm = value_model
        a_ = np.zeros_like(p) if amounts is None else amounts
        gain_pos = np.where(flagged, vm.tp + vm.tp_amount * a_, vm.fn + vm.fn_amount * a_)
        gain_neg = np.where(flagged, vm.fp + vm.fp_amount * a_, vm.tn + vm.tn_amount * a_)
        value = float(np.sum(p * gain_pos + q * gain_neg))
        value_se = math.sqrt(float(np.sum(bern * (gain_pos - gain_neg) ** 2)))
    return EstimatedPoint(threshold=threshold, index=None, tp=tp, fp=fp, positives=P, negatives=N, **extra,
                          se_flag=se_flag, se_pass=se_pass, precision_se=precision_se, recall_se=recall_se,
                          value=value, value_se=value_se, calibrated=calibrated, scale=f)


def _is_nan(value):
    """Whether ``value`` is a float NaN (``require_real`` would report it as outside [-inf, inf])."""
    try:
        return math.isnan(float(value))
    except (TypeError, ValueError):
        return False
