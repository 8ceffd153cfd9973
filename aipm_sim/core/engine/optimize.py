"""The best threshold under business constraints, and how flat the optimum is."""

from __future__ import annotations

import itertools
import math
import types
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from ..._format import fmt_count, fmt_money, fmt_percent, fmt_threshold
from .._checks import readonly, require_real
from .binormal import BinormalModel
from .curve import ThresholdCurve
from .point import OperatingPoint
from ..errors import ConstraintError, ParameterError
from .value import ValueModel

#: Slack for comparing a computed rate with a bound (absorbs float rounding).
TOLERANCE = 1e-12

MSG_LABEL = "{} must be a non-empty text (e.g. {!r}) or None; found {!r}"
MSG_UNKNOWN_CONSTRAINT = "unknown constraint {!r}; the constraints are: {}"


class Constraint(NamedTuple):
    """One kind of business constraint: a lower (``"min"``) or upper (``"max"``) bound on a curve metric.

    Attributes
    ----------
    kind : {"min", "max"}
    metric : str
        The :class:`ThresholdCurve` attribute bounded (``"recall"``, ``"alerts"`` …).
    bounds : (float, float)
        Allowed range of the bound itself (inclusive; ``inf`` allowed).
    """

    kind: str
    metric: str
    bounds: tuple


#: Every constraint :func:`optimize` knows, by argument name (read-only).
CONSTRAINTS = types.MappingProxyType({
    "min_recall": Constraint("min", "recall", (0.0, 1.0)),
    "min_precision": Constraint("min", "precision", (0.0, 1.0)),
    "max_alert_rate": Constraint("max", "alert_rate", (0.0, 1.0)),
    "max_fpr": Constraint("max", "fpr", (0.0, 1.0)),
    "max_alerts": Constraint("max", "alerts", (0.0, np.inf)),
})


def check_constraints(**constraints):
    """Validated constraint bounds: name → float, leaving out those given as None.

    Raises
    ------
    TypeError
        For a name that is not in :data:`CONSTRAINTS` (as for an unknown keyword).
    ParameterError
        For a bound outside its range, naming the constraint: ``"min_recall must be in [0, 1]; found 1.5"``.
    """
    unknown = [name for name in constraints if name not in CONSTRAINTS]
    if unknown:
        raise TypeError(MSG_UNKNOWN_CONSTRAINT.format(unknown[0], ", ".join(CONSTRAINTS)))
    bounds = {}
    for name in CONSTRAINTS:  # a fixed order, whatever the order given
        bound = constraints.get(name)
        if bound is not None:
            low, high = CONSTRAINTS[name].bounds
            bounds[name] = require_real(bound, name, low=low, high=high, allow_inf=True)
    return types.MappingProxyType(bounds)


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Feasibility:
    """Which rows of a curve meet each constraint (see :func:`compute_feasibility`).

    Attributes
    ----------
    bounds : mapping of str to float
        The validated constraints, name → bound (read-only).
    masks : mapping of str to ndarray of bool, shape (m,)
        Per constraint, the curve rows meeting it (NaN meets an upper bound,
        never a lower one: see :func:`constraint_mask`); read-only.
    feasible : ndarray of bool, shape (m,)
        Rows meeting every constraint (all True without constraints); read-only.
    volume : float or None
        Cases per period that ``max_alerts`` counts in.
    """

    bounds: types.MappingProxyType
    masks: types.MappingProxyType
    feasible: np.ndarray
    volume: float | None

    def broken(self, index):
        """Names of the constraints that curve row ``index`` breaks (in :data:`CONSTRAINTS` order)."""
        return tuple(name for name, mask in self.masks.items() if not mask[index])


def compute_feasibility(curve, *, volume=None, **constraints):
    """Which rows of ``curve`` meet each constraint, and all of them.

    Parameters
    ----------
    curve : ThresholdCurve
    volume : float, optional
        Cases per period (> 0): ``max_alerts`` is then alerts per period.
    **constraints
        ``min_recall``, ``min_precision``, ``max_alert_rate``, ``max_fpr``,
        ``max_alerts`` as in :func:`optimize` (None: not used).

    Returns
    -------
    Feasibility
    """
    bounds = check_constraints(**constraints)
    if volume is not None:
        volume = require_real(volume, "volume", low=0.0, low_open=True)
    masks = {name: readonly(constraint_mask(curve, name, b, volume=volume)) for name, b in bounds.items()}
    feasible = np.ones(len(curve), dtype=bool)
    for mask in masks.values():
        feasible &= mask
    return Feasibility(bounds=bounds, masks=types.MappingProxyType(masks), feasible=readonly(feasible),
                       volume=volume)


@dataclass(frozen=True, slots=True, kw_only=True)
class NearOptimalBand:
    """Feasible thresholds whose value is within ``tolerance`` of the best.

    Attributes
    ----------
    tolerance : float
        Fraction of ``|best value|`` (0.01: within 1 %).
    threshold_low, threshold_high : float
        Lowest and highest threshold in the band.
    alert_rate_low, alert_rate_high : float
        Alert rates (fractions) at the ends of the band.
    rows : int
        Number of curve rows in the band. The band is the span between its
        ends; a few rows inside that span may fall short when the value
        curve is not single-peaked.
    """

    tolerance: float
    threshold_low: float
    threshold_high: float
    alert_rate_low: float
    alert_rate_high: float
    rows: int


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Decision:
    """The chosen threshold and everything needed to explain it.

    Attributes
    ----------
    threshold : float
        Flag cases with ``score >= threshold`` (+inf: flag nothing).
    point : OperatingPoint
        Counts and rates at that threshold.
    value : float
        Value there (currency in total for the curve's cases, or per period
        when ``volume`` was given).
    unconstrained_value : float
        The best value with no constraints; the difference is what the
        constraints cost.
    constraints : mapping
        The constraints given (name → bound); read-only.
    binding : tuple of str
        Constraints that lower the value (see :func:`binding_constraints`):
        each belongs to a smallest set of constraints whose removal would
        allow a better threshold. Empty exactly when ``value`` equals
        ``unconstrained_value`` (up to float slack, :data:`TOLERANCE`
        relative); two constraints that bind together (e.g. the same cap
        given twice) are both listed, though dropping either alone changes
        nothing.
    near_optimal : NearOptimalBand
    volume : float or None
        Cases per period used to scale the value.
    period : str or None
        Name of the period ``volume`` counts cases in (``"day"``,
        ``"month"``), for labels; None: not said.
    currency : str or None
        Name of the money unit of the values (``"EUR"``), for labels; None: not said.
    curve : ThresholdCurve
        The curve decided on (see :func:`exact_curve`): the one given, or
        for a model (or one of its curves) its analytic curve with rows at
        the exact optimum and bounds; ``values``, ``feasible`` and
        ``point.index`` refer to its rows.
    value_model : ValueModel
        The input.
    values : ndarray of shape (len(curve),)
        Value at every threshold (same units as ``value``).
    feasible : ndarray of bool, shape (len(curve),)
        Rows meeting every constraint.
    feasibility : Feasibility
        The same per constraint (``feasibility.masks``, ``feasibility.broken(row)``).
    """

    threshold: float
    point: OperatingPoint
    value: float
    unconstrained_value: float
    constraints: types.MappingProxyType
    binding: tuple
    near_optimal: NearOptimalBand
    volume: float | None
    curve: ThresholdCurve
    value_model: ValueModel
    values: np.ndarray
    feasible: np.ndarray
    feasibility: Feasibility
    period: str | None = None
    currency: str | None = None

    @property
    def index(self):
        """Row of the curve that was chosen."""
        return self.point.index

    @property
    def alerts_per_period(self):
        """Flagged cases per period at the chosen threshold (among the curve's cases without a volume)."""
        return self.point.per_period(self.volume).alerts

    def describe(self):
        """The decision in one line of words, with its units.

        E.g. ``"flag scores >= 0.021: precision 7.80%, recall 61.2%,
        1,234 alerts per day, value −4,235 EUR per day"``. Counts and value
        are per period with a volume (``"per period"`` when the period is not
        named), else among the curve's cases; undefined rates read ``n/a``.
        """
        per = "" if self.volume is None else f" per {self.period or 'period'}"
        rule = "flag nothing" if self.point.alerts == 0 else f"flag scores >= {fmt_threshold(self.threshold)}"

        def share(x):
            return "n/a" if math.isnan(x) else fmt_percent(x)

        return (
            f"{rule}: precision {share(self.point.precision)}, recall {share(self.point.recall)}, "
            f"{fmt_count(self.alerts_per_period)} alerts{per}, value {fmt_money(self.value, self.currency)}{per}"
        )

    def to_dict(self):
        """Plain-Python summary (for JSON): the operating point plus value and constraints.

        The counts and amounts (``tp`` … ``tn``, ``alerts``, ``n_cases``,
        ``tp_amount`` …) are among the curve's own (weighted) cases. With a
        ``volume``, ``value`` and ``max_alerts`` are per period, and
        ``"per_period"`` holds the same counts per period (``volume`` cases):
        ``tp``, ``fp``, ``fn``, ``tn``, ``alerts`` and, when the curve has
        amounts, the four amount sums. ``period`` and ``currency`` are
        included when they are known.
        """
        out = {"threshold": self.threshold, "value": self.value}
        out.update({k: v for k, v in self.point.to_dict().items() if k not in ("threshold", "index")})
        out["volume"] = self.volume
        if self.volume is not None:
            scaled = self.point.per_period(self.volume)
            names = ["tp", "fp", "fn", "tn", "alerts"]
            if self.curve.has_amounts:
                names += ["tp_amount", "fp_amount", "fn_amount", "tn_amount"]
            out["per_period"] = {"volume": self.volume, **{name: getattr(scaled, name) for name in names}}
        for label in ("period", "currency"):
            if getattr(self, label) is not None:
                out[label] = getattr(self, label)
        out["unconstrained_value"] = self.unconstrained_value
        out["constraints"] = dict(self.constraints)
        out["binding"] = list(self.binding)
        band = self.near_optimal
        out["near_optimal"] = {name: getattr(band, name) for name in band.__dataclass_fields__}
        return out


def constraint_metric(curve, name, *, volume=None):
    """The per-threshold array that constraint ``name`` bounds (alerts per period with ``volume``)."""
    metric = CONSTRAINTS[name].metric
    values = getattr(curve, metric)
    if metric == "alerts" and volume is not None:
        values = values * curve.per_period_factor(volume)
    return values


def constraint_mask(curve, name, bound, *, volume=None):
    """Boolean array: rows of ``curve`` meeting ``name``.

    Where the bounded metric is undefined (NaN), an upper bound holds and a
    lower bound does not: a ``max_*`` metric is NaN only when there is
    nothing of its kind to count (``fpr`` on a curve without negatives: no
    false positive is possible, so ``max_fpr`` constrains nothing), while a
    ``min_*`` bound needs the metric to show it is reached (``min_recall``
    without positives, ``min_precision`` where nothing is flagged: not met).
    """
    kind = CONSTRAINTS[name].kind
    values = constraint_metric(curve, name, volume=volume)
    slack = TOLERANCE * max(1.0, abs(bound))
    with np.errstate(invalid="ignore"):
        return values >= bound - slack if kind == "min" else ~(values > bound + slack)


def optimize(
    curve,
    value_model,
    *,
    min_recall=None,
    min_precision=None,
    max_alert_rate=None,
    max_fpr=None,
    max_alerts=None,
    volume=None,
    tolerance=0.01,
    period=None,
    currency=None,
    confidence=None,
):
    """The threshold with the highest value among those meeting every constraint.

    Parameters
    ----------
    curve : ThresholdCurve or BinormalModel
        The scored cases. A :class:`BinormalModel` stands for its exact
        expected curve for ``volume`` cases (one case without a volume), and
        a curve from :meth:`BinormalModel.curve` for its model: the optimum
        is then the model's own, in closed form (see :func:`exact_curve`).
    value_model : ValueModel
    min_recall, min_precision : float, optional
        Lower bounds, fractions in [0, 1].
    max_alert_rate, max_fpr : float, optional
        Upper bounds, fractions in [0, 1]. Where a metric is undefined (NaN)
        an upper bound holds and a lower bound does not: ``max_fpr``
        constrains nothing on a curve without negatives, ``min_recall``
        cannot be met on one without positives (see :func:`constraint_mask`).
    max_alerts : float, optional
        Upper bound on flagged cases: per period when ``volume`` is given,
        otherwise among the curve's own cases.
    volume : float, optional
        Cases per period; values are then currency per period.
    tolerance : float
        Width of the near-optimal band, a fraction of ``|best value|``: the
        band holds the feasible rows with ``value >= best - tolerance * |best|``.
        It is relative to the best value, so when that is near zero (costs
        and gains almost cancel, e.g. best -0.3 on a scale of thousands) the
        band is correspondingly narrow, down to the rows that tie with the
        best when it is exactly 0; compare :attr:`Decision.values` with an
        absolute margin if that is what you need.
    period : str, optional
        Name of the period ``volume`` counts cases in (``"day"``, ``"month"``);
        stored on the Decision for labels (charts then say "value per month").
    currency : str, optional
        Name of the money unit (``"EUR"``); stored on the Decision for labels.
    confidence : float, optional
        A fraction in (0, 1): keep only thresholds where every constraint
        holds *for the population* with at least this probability (exact
        binomial bounds, fixed-sequence tests; see
        :mod:`aipm_sim.core.uncertainty.guarantee`). The result is then a
        :class:`~aipm_sim.core.uncertainty.guarantee.GuaranteedDecision`.

    Returns
    -------
    Decision
        Ties in value go to the highest threshold (fewest alerts). For a
        model, its ``curve`` is the analytic curve with rows at the exact
        optimum and at every bound (``values`` and ``feasible`` are aligned
        with that curve, not with the grid given).

    Raises
    ------
    ConstraintError
        When no threshold meets every constraint; the message names the
        conflicting constraints and the best that is reachable.
    """
    if confidence is not None:  # constraints guaranteed for the population: the uncertainty room (lazy import)
        from ..uncertainty.guarantee import optimize_with_confidence

        return optimize_with_confidence(
            curve, value_model, confidence=confidence, min_recall=min_recall, min_precision=min_precision,
            max_alert_rate=max_alert_rate, max_fpr=max_fpr, max_alerts=max_alerts, volume=volume,
            tolerance=tolerance, period=period, currency=currency)
    if not isinstance(value_model, ValueModel):
        raise TypeError(f"value_model must be a ValueModel; found {type(value_model).__name__}")
    tolerance = require_real(tolerance, "tolerance", low=0.0)
    period = _label(period, "period", "day")
    currency = _label(currency, "currency", "EUR")
    limits = dict(min_recall=min_recall, min_precision=min_precision, max_alert_rate=max_alert_rate,
                  max_fpr=max_fpr, max_alerts=max_alerts)
    curve = exact_curve(curve, value_model, volume=volume, **limits)
    feasibility = compute_feasibility(curve, volume=volume, **limits)
    bounds, masks, feasible, volume = feasibility.bounds, feasibility.masks, feasibility.feasible, feasibility.volume

    values = value_model.value(curve, volume=volume)
    if not feasible.any():
        raise ConstraintError(_explain(curve, bounds, masks, volume))

    best = _best_row(values, feasible)
    best_value = float(values[best])
    binding = binding_constraints(values, masks, best_value)
    unconstrained = float(values.max())

    near = feasible & (values >= best_value - tolerance * abs(best_value))
    rows = np.flatnonzero(near)
    alert_rate = curve.alert_rate
    band = NearOptimalBand(
        tolerance=tolerance,
        threshold_low=float(curve.thresholds[rows[-1]]),
        threshold_high=float(curve.thresholds[rows[0]]),
        alert_rate_low=float(alert_rate[rows[0]]),
        alert_rate_high=float(alert_rate[rows[-1]]),
        rows=int(rows.size),
    )
    return Decision(
        threshold=float(curve.thresholds[best]),
        point=curve.point(best),
        value=best_value,
        unconstrained_value=unconstrained,
        constraints=bounds,
        binding=tuple(binding),
        near_optimal=band,
        volume=volume,
        curve=curve,
        value_model=value_model,
        values=readonly(np.asarray(values, dtype=np.float64).copy()),
        feasible=feasible,
        feasibility=feasibility,
        period=period,
        currency=currency,
    )


def exact_curve(curve, value_model, *, volume=None, **constraints):
    """The curve on which :func:`optimize` decides: for a model, one with a row wherever its optimum can lie.

    A curve from data is returned as it is: it has a row at every threshold
    that changes anything. For a :class:`BinormalModel` (its curve for
    ``volume`` cases, one without a volume) or a curve built by
    :meth:`BinormalModel.curve`, the result is that curve with rows added, in
    closed form, where each constraint binds (recall exactly 0.5 for
    ``min_recall=0.5``, not the grid point just inside) and at the best
    threshold without constraints (Elkan's: flagging a case of calibrated
    score p adds ``p * gain_pos + (1 - p) * gain_neg``, zero at
    ``p = -gain_neg / (gain_pos - gain_neg)``); the curve itself when it has
    them already. Scores are calibrated and amounts independent of the score
    within a class, so the value rises to that threshold and falls after it,
    and each constraint holds on an interval of thresholds: the best
    feasible threshold is one of those rows.

    Parameters
    ----------
    curve : ThresholdCurve or BinormalModel
    value_model : ValueModel
    volume : float, optional
        Cases per period (``max_alerts`` counts alerts per period).
    **constraints
        As for :func:`optimize`.

    Returns
    -------
    ThresholdCurve
    """
    bounds = check_constraints(**constraints)
    if isinstance(curve, BinormalModel):
        n_cases = 1.0 if volume is None else require_real(volume, "volume", low=0.0, low_open=True)
        curve = curve.curve(n_cases=n_cases)
    elif not isinstance(curve, ThresholdCurve):
        raise TypeError(f"curve must be a ThresholdCurve or a BinormalModel; found {type(curve).__name__}")
    model = curve.model
    if model is None:
        return curve
    cases = curve.n_cases if volume is None else require_real(volume, "volume", low=0.0, low_open=True)
    return model._with_rows(curve, model._decision_thresholds(value_model, bounds, cases))


def binding_constraints(values, masks, best_value):
    """The constraints that hold the value down: each one in a smallest set whose removal helps.

    A row is *better* when its value exceeds ``best_value`` by more than
    ``TOLERANCE * max(1, |best_value|)`` (float slack). Every better row breaks
    some constraints; a set of constraints whose removal would let the value
    rise is one that contains everything some better row breaks. The binding
    constraints are those in the *minimal* such sets, i.e. in the sets of
    broken constraints of better rows that contain no smaller such set.

    So: binding is empty exactly when no row is better (the constraints cost
    nothing); dropping any combination of non-binding constraints alone cannot
    raise the value; and a constraint that binds alone (dropping it by itself
    helps) is always in. Two constraints that bind together, such as two
    identical caps, are both binding although dropping either one alone
    changes nothing.

    Parameters
    ----------
    values : ndarray of shape (m,)
        Value at every row.
    masks : mapping of str to ndarray of bool, shape (m,)
        Per constraint, the rows meeting it (:attr:`Feasibility.masks`).
    best_value : float
        The best value among rows meeting every constraint.

    Returns
    -------
    tuple of str
        In the order of ``masks`` (that of :data:`CONSTRAINTS`).
    """
    names = list(masks)
    better = values > best_value + TOLERANCE * max(1.0, abs(best_value))
    if not names or not better.any():
        return ()
    # Each better row's broken constraints as a bit set (bit j: names[j] broken); better rows break >= 1.
    broken = np.zeros(int(better.sum()), dtype=np.int64)
    for j, name in enumerate(names):
        broken |= (~np.asarray(masks[name])[better]).astype(np.int64) << j
    sets = [int(b) for b in np.unique(broken)]
    minimal = [b for b in sets if not any(o != b and o & b == o for o in sets)]
    union = 0
    for b in minimal:
        union |= b
    return tuple(name for j, name in enumerate(names) if union >> j & 1)


def _label(value, name, example):
    """A label argument: None or a non-empty string, returned as given."""
    if value is None or (isinstance(value, str) and value.strip()):
        return value
    raise ParameterError(MSG_LABEL.format(name, example, value))


def _best_row(values, feasible):
    """First (highest-threshold) row with the largest value among feasible rows."""
    return int(np.argmax(np.where(feasible, values, -np.inf)))


def _fmt(x):
    return "undefined" if x is None or np.isnan(x) else f"{x:.4g}"


def _reachable(curve, name, rows, volume):
    """Best reachable value of constraint ``name``'s metric among ``rows`` (bool mask)."""
    kind, metric, _ = CONSTRAINTS[name]
    values = constraint_metric(curve, name, volume=volume)[rows]
    values = values[~np.isnan(values)]
    if values.size == 0:
        return metric, None, kind
    return metric, float(values.max() if kind == "min" else values.min()), kind


def diagnose_conflict(masks):
    """Which constraint the others make unreachable, when no row meets them all.

    Three stages, the first that applies: a constraint that no row meets on
    its own (given: nothing); else the first pair that no row meets
    together, the lower bound named first, since the upper bound makes it
    unreachable (given: the other one); else the first lower bound, given
    all the others. Upper bounds alone always hold together (flagging
    nothing meets every one), so a lower bound is there to name.

    Parameters
    ----------
    masks : mapping of str to ndarray of bool
        Per constraint, the rows meeting it (:attr:`Feasibility.masks`), in :data:`CONSTRAINTS` order.

    Returns
    -------
    target : str
        The constraint to report as unreachable.
    given : tuple of str
        The constraints under which it is: empty, one (a conflicting pair) or all the others.
    """
    for name, mask in masks.items():
        if not mask.any():
            return name, ()
    for a, b in itertools.combinations(masks, 2):
        if not (masks[a] & masks[b]).any():
            if CONSTRAINTS[a].kind == "max" and CONSTRAINTS[b].kind == "min":
                a, b = b, a
            return a, (b,)
    first = next((n for n in masks if CONSTRAINTS[n].kind == "min"), next(iter(masks)))
    return first, tuple(n for n in masks if n != first)


def rows_meeting(masks, names, size):
    """Rows meeting every constraint in ``names`` (all ``size`` rows when there are none)."""
    rows = np.ones(size, dtype=bool)
    for name in names:
        rows &= masks[name]
    return rows


def _explain(curve, bounds, masks, volume):
    def said(name):
        return f"{name}={bounds[name]:g}"

    target, given = diagnose_conflict(masks)
    metric, reach, kind = _reachable(curve, target, rows_meeting(masks, given, len(curve)), volume)
    best = "highest" if kind == "min" else "lowest"
    if not given:
        return f"{said(target)} is unreachable: the {best} {metric} on this curve is {_fmt(reach)}"
    rest = ", ".join(said(n) for n in given)
    if len(given) == 1:  # a pair that cannot hold together
        return f"{said(target)} is unreachable with {rest}: the {best} {metric} meeting {rest} is {_fmt(reach)}"
    return (
        f"the constraints {', '.join(said(n) for n in masks)} cannot all hold: "
        f"the {best} {metric} meeting {rest} is {_fmt(reach)}"
    )
