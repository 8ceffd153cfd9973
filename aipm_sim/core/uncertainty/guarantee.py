"""Constraints that hold for the population with a stated confidence: ``optimize(..., confidence=0.9)``.

"Recall 72 % on the validation set" does not promise recall 70 % after launch.
``optimize(curve, value_model, min_recall=0.7, confidence=0.9)`` keeps only
thresholds whose *population* recall is at least 70 % with probability at
least 90 %, and picks the best of those.

How (Learn-then-Test, Angelopoulos, Bates et al. 2021)
------------------------------------------------------
For each threshold t and each constraint, the null hypothesis is "the
constraint fails for the population at t" (e.g. recall(t) < 0.7); a
threshold is *certified* when that null is rejected, using the exact
one-sided binomial (Clopper-Pearson) bound: a lower bound on recall from the
caught positives among all positives, on precision from the positives among
the flagged cases, an upper bound on fpr from the flagged negatives among the
negatives and on the alert rate from the flagged among all cases.

Many thresholds are tried, so a test at level α on each would, taken
together, certify some wrong threshold far more often than α. The tests are
therefore run as a *fixed sequence* along the threshold order, from the
threshold where the constraint is easiest to meet towards the hardest, and
stop at the first one that is not rejected. Fixed-sequence testing keeps
the family-wise error at α without any correction: a wrong certification
needs the first true null of the sequence to be rejected, and that single
test errs with probability at most α.

* For recall, fpr and the alert rate the metric is monotone in the
  threshold, so the sequence (lowest threshold first for recall, highest
  first for the upper bounds) certifies exactly the thresholds whose bound
  clears the constraint. It stays valid although the thresholds are the
  data's own scores: if some certified threshold were wrong, then so would
  be the fixed population threshold t* at which the constraint holds exactly,
  whose count is one binomial draw, certified with probability at most α.
* Precision is not monotone, and at the highest thresholds it rests on a
  handful of cases, so one sequence started there could stop at once.
  Precision therefore runs :data:`PRECISION_STARTS` sequences (Learn-then-Test's
  "fixed sequence with multiple starts"), each at level α / PRECISION_STARTS
  (Bonferroni over the starts), started at numbers of flagged cases spaced
  geometrically from the least that could clear the bound at all (every one
  of them positive) to all cases, and each going down in threshold until its
  first failure; a threshold is certified if some sequence certifies it. The
  starts are chosen from the counts of flagged cases only, never from the
  labels, so the tests are exact given the scores (the labels of the
  flagged cases are the binomial draw).

With several constraints each one is tested at level α / k (Bonferroni over
the k constraints), so that all of them hold together with probability at
least 1 - α. The result is deterministic: no resampling.
"""

from __future__ import annotations

import math
import types
from dataclasses import dataclass

import numpy as np

from ..._format import fmt_count, fmt_level, fmt_percent
from .._checks import readonly, require_real
from ..engine.curve import ThresholdCurve
from ..engine.optimize import (CONSTRAINTS, Decision, Feasibility, NearOptimalBand, binding_constraints,
                               check_constraints, diagnose_conflict, rows_meeting)
from ..engine.value import ValueModel
from ..errors import ConstraintError, ParameterError
from .intervals import check_confidence, one_sided_bound

MSG_MODEL = (
    "a BinormalModel has no sampling error, so there is nothing to guarantee with confidence={}: "
    "its rates are exact; sample a validation set of the size you will have (model.sample(n, seed=...)) "
    "and optimize on its curve"
)
MSG_NOT_WHOLE = (
    "confidence= needs counts of labelled cases, but this curve's {} are not whole numbers ({!r} at row {}): "
    "it is a model's expected values (no sampling error) or weighted data; use unweighted validation data"
)
MSG_NO_CONSTRAINT = "confidence={} needs at least one constraint (min_recall, min_precision, max_fpr, max_alert_rate, max_alerts) to guarantee"
MSG_CANNOT = "{} cannot be guaranteed with {} confidence from {}: the best {} bound is {}"
MSG_CANNOT_WITH = ("{} cannot be guaranteed with {} confidence from {} together with {}: "
                   "the best {} bound where {} {} guaranteed is {}")

#: Start points of the fixed sequences for precision (its alpha is split among them).
PRECISION_STARTS = 8

#: What each constraint bounds: (successes, trials, side), as curve attribute names.
_TESTS = {
    "min_recall": ("tp", "positives", "lower"),
    "min_precision": ("tp", "alerts", "lower"),
    "max_fpr": ("fp", "negatives", "upper"),
    "max_alert_rate": ("alerts", "n_cases", "upper"),
    "max_alerts": ("alerts", "n_cases", "upper"),
}


def pct(x):
    """0.9 → ``"90.0%"`` (the package's one percent format, :func:`aipm_sim._format.fmt_percent`)."""
    return fmt_percent(x)


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class GuaranteedDecision(Decision):
    """A :class:`~aipm_sim.Decision` whose constraints hold for the population with probability >= ``confidence``.

    Attributes (besides those of Decision)
    ----------
    confidence : float
        The confidence of the guarantee, e.g. 0.9.
    confidence_bounds : mapping of str to float
        Per constraint, the one-sided Clopper-Pearson confidence bound at
        the chosen threshold (a lower bound for ``min_*``, an upper bound for
        ``max_*``; ``max_alerts`` as an alert rate), each at level
        ``(1 - confidence) / k`` for k constraints (``min_precision`` at
        ``(1 - confidence) / (k * PRECISION_STARTS)``, its sequences' level). These are *confidence
        bounds*, not the rates measured on the data (those are in ``point``).
    certified : ndarray of bool, shape (len(curve),)
        The thresholds certified for every constraint (= ``feasible``).
    """

    confidence: float
    confidence_bounds: types.MappingProxyType

    def describe(self):
        """The decision in words, then each guarantee: ``"…; recall ≥ 70.0% with 90.0% confidence (lower bound 73.1%)"``."""
        parts = [Decision.describe(self)]
        for name, bound in self.constraints.items():
            parts.append(guarantee_words(name, bound, self.confidence, self.confidence_bounds[name],
                                         volume=self.volume, n_cases=self.curve.n_cases))
        return "; ".join(parts)

    def to_dict(self):
        out = Decision.to_dict(self)
        out["confidence"] = self.confidence
        out["confidence_bounds"] = dict(self.confidence_bounds)
        out["bound_kind"] = "one-sided Clopper-Pearson confidence bound, fixed-sequence tests (Learn-then-Test)"
        return out

    @property
    def certified(self):
        return self.feasible


def guarantee_words(name, bound, confidence, confidence_bound, *, volume=None, n_cases=None):
    """``"recall ≥ 70% with 90% confidence (lower bound 73.1%)"`` for one constraint."""
    kind, metric, _ = CONSTRAINTS[name]
    sign = "≥" if kind == "min" else "≤"
    side = "lower" if kind == "min" else "upper"
    if name == "max_alerts":
        per = f" per {'period' if volume is not None else 'validation set'}"
        scale = volume if volume is not None else n_cases
        return (f"alerts {sign} {fmt_count(bound)}{per} with {fmt_level(confidence)} confidence "
                f"({side} bound {fmt_count(confidence_bound * scale)})")
    label = metric.replace("_", " ").replace("fpr", "false positive rate")
    return f"{label} {sign} {fmt_level(bound)} with {fmt_level(confidence)} confidence ({side} bound {pct(confidence_bound)})"


def _check_counts(curve):
    for name in ("tp", "fp"):
        arr = getattr(curve, name)
        off = np.abs(arr - np.round(arr)) > 1e-9 * np.maximum(1.0, np.abs(arr))
        if off.any():
            i = int(np.argmax(off))
            raise ParameterError(MSG_NOT_WHOLE.format(name, float(arr[i]), i))


def confidence_bounds(curve, name, *, alpha):
    """Per row, the one-sided Clopper-Pearson bound (at level ``alpha``) of constraint ``name``'s metric."""
    succ, trials, side = _TESTS[name]
    k = np.asarray(getattr(curve, succ), dtype=np.float64)
    n = getattr(curve, trials)
    n = np.broadcast_to(np.asarray(n, dtype=np.float64), k.shape)
    return one_sided_bound(np.round(k), np.round(n), confidence=1.0 - alpha, side=side)


def _rate_bound(name, bound, curve, volume):
    """The bound as a rate: ``max_alerts`` (per period, or among the curve's cases) becomes an alert rate."""
    if name != "max_alerts":
        return bound
    scale = volume if volume is not None else curve.n_cases
    return min(bound / scale, 1.0) if scale else 1.0


def certify(curve, name, bound, *, alpha, volume=None):
    """Rows certified for constraint ``name`` by fixed-sequence testing at level ``alpha`` (see the module docstring).

    Returns
    -------
    certified : ndarray of bool, shape (len(curve),)
    bounds : ndarray of shape (len(curve),)
        The confidence bound at each row (NaN where there are no trials).
    """
    cb = confidence_bounds(curve, name, alpha=alpha)
    target = _rate_bound(name, bound, curve, volume)
    slack = 1e-12
    kind = CONSTRAINTS[name].kind
    with np.errstate(invalid="ignore"):
        passes = cb >= target - slack if kind == "min" else ~(cb > target + slack)
    certified = np.zeros(len(curve), dtype=bool)
    if name != "min_precision":
        # monotone metric: one sequence, from its easy end, certifies the run of passing rows there
        order = np.arange(len(curve))[::-1] if kind == "min" else np.arange(len(curve))
        _run(order, passes, certified)
        return certified, cb
    # precision: PRECISION_STARTS sequences at alpha / PRECISION_STARTS each (Bonferroni), started at
    # flagged counts spaced geometrically from the least that could clear the bound to all cases
    # (chosen from the counts of flagged cases, never from the labels), each going down in threshold.
    a = alpha / PRECISION_STARTS
    cb = confidence_bounds(curve, name, alpha=a)
    with np.errstate(invalid="ignore"):
        passes = cb >= target - slack
    alerts = np.round(curve.alerts)
    if target >= 1:
        return certified, cb
    need = math.log(a) / math.log(target) if target > 0 else 1.0
    if need > alerts[-1]:
        return certified, cb
    for count in np.unique(np.geomspace(max(need, 1.0), alerts[-1], PRECISION_STARTS)):
        start = int(np.searchsorted(alerts, count - 1e-9, side="left"))
        _run(np.arange(start, len(curve)), passes, certified)
    return certified, cb


def _run(order, passes, certified):
    """Fixed-sequence test along ``order``: certify rows until the first one that does not pass."""
    p = passes[order]
    run = len(p) if p.all() else int(np.argmin(p))
    certified[order[:run]] = True


def optimize_with_confidence(curve, value_model, *, confidence, min_recall=None, min_precision=None,
                             max_alert_rate=None, max_fpr=None, max_alerts=None, volume=None, tolerance=0.01,
                             period=None, currency=None):
    """:func:`aipm_sim.optimize` with constraints that hold for the population with probability >= ``confidence``.

    Called by ``optimize(..., confidence=c)``; the arguments are optimize's.
    The curve must be built from unweighted labelled data (its counts are
    numbers of cases).

    Returns
    -------
    GuaranteedDecision

    Raises
    ------
    ParameterError
        For a BinormalModel (:data:`MSG_MODEL`) or a curve whose counts are not
        whole numbers, for a confidence outside (0, 1), and without constraints.
    ConstraintError
        When the data are too few to guarantee the constraints: the message
        names the constraint, the confidence, the number of cases the bound
        comes from and the best bound reachable.
    """
    from ..engine.binormal import BinormalModel

    if isinstance(curve, BinormalModel):
        raise ParameterError(MSG_MODEL.format(confidence))
    if not isinstance(curve, ThresholdCurve):
        raise TypeError(f"curve must be a ThresholdCurve; found {type(curve).__name__}")
    if not isinstance(value_model, ValueModel):
        raise TypeError(f"value_model must be a ValueModel; found {type(value_model).__name__}")
    confidence = check_confidence(confidence)
    tolerance = require_real(tolerance, "tolerance", low=0.0)
    from ..engine.optimize import _label  # the same label rules as optimize

    period = _label(period, "period", "day")
    currency = _label(currency, "currency", "EUR")
    bounds = check_constraints(min_recall=min_recall, min_precision=min_precision, max_alert_rate=max_alert_rate,
                               max_fpr=max_fpr, max_alerts=max_alerts)
    if not bounds:
        raise ParameterError(MSG_NO_CONSTRAINT.format(confidence))
    if volume is not None:
        volume = require_real(volume, "volume", low=0.0, low_open=True)
    _check_counts(curve)

    alpha = (1.0 - confidence) / len(bounds)
    masks, cbs = {}, {}
    for name, bound in bounds.items():
        masks[name], cbs[name] = certify(curve, name, bound, alpha=alpha, volume=volume)
        readonly(masks[name])
    feasible = np.ones(len(curve), dtype=bool)
    for mask in masks.values():
        feasible &= mask
    if not feasible.any():
        raise ConstraintError(_explain(curve, bounds, masks, cbs, confidence))
    feasibility = Feasibility(bounds=bounds, masks=types.MappingProxyType(masks), feasible=readonly(feasible),
                              volume=volume)

    values = value_model.value(curve, volume=volume)
    best = int(np.argmax(np.where(feasible, values, -np.inf)))
    best_value = float(values[best])
    near = feasible & (values >= best_value - tolerance * abs(best_value))
    rows = np.flatnonzero(near)
    alert_rate = curve.alert_rate
    band = NearOptimalBand(
        tolerance=tolerance,
        threshold_low=float(curve.thresholds[rows[-1]]), threshold_high=float(curve.thresholds[rows[0]]),
        alert_rate_low=float(alert_rate[rows[0]]), alert_rate_high=float(alert_rate[rows[-1]]),
        rows=int(rows.size),
    )
    return GuaranteedDecision(
        threshold=float(curve.thresholds[best]),
        point=curve.point(best),
        value=best_value,
        unconstrained_value=float(values.max()),
        constraints=bounds,
        binding=tuple(binding_constraints(values, masks, best_value)),
        near_optimal=band,
        volume=volume,
        curve=curve,
        value_model=value_model,
        values=readonly(np.asarray(values, dtype=np.float64).copy()),
        feasible=feasibility.feasible,
        feasibility=feasibility,
        period=period,
        currency=currency,
        confidence=confidence,
        confidence_bounds=types.MappingProxyType({name: float(cb[best]) for name, cb in cbs.items()}),
    )


def _source(curve, name, row):
    """The cases a constraint's bound comes from, in words: ``"40 positives"`` (precision: at ``row``)."""
    if name == "min_recall":
        return f"{fmt_count(curve.positives)} positives"
    if name == "max_fpr":
        return f"{fmt_count(curve.negatives)} negatives"
    if name == "min_precision":
        return "no flagged cases" if row is None else f"{fmt_count(curve.alerts[row])} flagged cases"
    return f"{fmt_count(curve.n_cases)} cases"


def _explain(curve, bounds, masks, cbs, confidence):
    def said(name):
        return f"{name}={bounds[name]:g}"

    target, given = diagnose_conflict(masks)
    rows = rows_meeting(masks, given, len(curve))
    kind = CONSTRAINTS[target].kind
    values = np.where(rows, cbs[target], np.nan)
    side = "lower" if kind == "min" else "upper"
    if np.isnan(values).all():
        best, row = "undefined", None
    else:
        row = int(np.nanargmax(values) if kind == "min" else np.nanargmin(values))
        best = f"{values[row]:.3g}"
    source = _source(curve, target, row)
    if not given:
        return MSG_CANNOT.format(said(target), fmt_level(confidence), source, side, best)
    rest = ", ".join(said(n) for n in given)
    return MSG_CANNOT_WITH.format(said(target), fmt_level(confidence), source, rest, side, rest,
                                  "is" if len(given) == 1 else "are", best)
