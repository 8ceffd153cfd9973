"""What a scenario decides: its optimum, the headline numbers, the capacity threshold, the threshold view.

:class:`DecisionMixin` holds these :class:`~aipm_sim.core.business.scenario.Scenario`
methods; :class:`ThresholdView` and :class:`DecisionSummary` are what two of them return.
"""

from __future__ import annotations

import types
from dataclasses import dataclass

import numpy as np

from ..engine.curve import ThresholdCurve
from ..engine.optimize import compute_feasibility, optimize
from ..engine.value import ValueModel
from ..errors import ParameterError, ScenarioError
from .ranking import optimize_ranking

MSG_K_THRESHOLD = "k is only for ranking scenarios; {!r} is a threshold scenario"
MSG_SUMMARY_RANKING = ("scenario {!r} is a ranking: read its decision's k, min_score and point "
                       "(a RankingDecision) instead of a threshold summary")
MSG_RANKING_CONSTRAINT = (
    "the minimum-score view at one k keeps only min_precision (the precision of what is shown); "
    "scenario {!r} also has {}"
)
#: The period of every scenario's volumes and values.
PERIOD = "month"


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class ThresholdView:
    """A scenario's decision seen as one threshold choice (see :meth:`Scenario.threshold_view`).

    Attributes
    ----------
    curve : ThresholdCurve
        Threshold scenario: its curve. Ranking: the minimum-score choice at
        ``k`` (:meth:`RankingCurve.threshold_curve` with ``with_slots=True``);
        its cases are the top-k candidates of every session, a positive is a
        relevant item, flagged means shown; a session's best-ranked candidate
        has amount ``k`` (the slots its carousel takes when it is shown: a
        session displays exactly when that candidate is shown), the others 0.
    value_model : ValueModel
        Currency per case. Ranking: ``tp`` is the value of a relevant item
        shown, ``fp`` of an irrelevant one, and ``tp_amount = fp_amount =
        per_slot``: the slot cost, per slot of each session that displays.
    volume : float
        Cases per month (ranking: top-k candidates per month).
    constraints : mapping
        Name -> bound, read-only (ranking: at most ``min_precision``, the
        precision of what is shown).
    k : int or None
        Slots per session (rankings only).
    fixed_value : float
        Currency per month that the view's values leave out; 0: the view's
        value at a minimum score is the ranking decision's value there, slot
        cost included (the slot cost depends on the minimum score, since a
        session that shows nothing uses no slots, so it is in the values).
    """

    curve: ThresholdCurve
    value_model: ValueModel
    volume: float
    constraints: types.MappingProxyType
    k: int | None
    fixed_value: float


@dataclass(frozen=True, slots=True, kw_only=True)
class DecisionSummary:
    """The headline numbers of a threshold scenario's decision, per month (see :meth:`Scenario.decision_summary`).

    Money is signed (gain > 0, cost < 0) except ``constraints_cost_per_month``,
    a cost given as the positive amount lost.

    Attributes
    ----------
    threshold : float
        Flag cases with ``score >= threshold``.
    cases_per_month, alerts_per_month : float
        Cases scored and cases flagged per month.
    capacity_per_month : float or None
        The ``max_alerts`` constraint (alerts per month); None without one.
    recall, precision, alert_rate : float
        Fractions in [0, 1] at the threshold.
    value_per_month : float
        The decision's value.
    nothing_value_per_month : float
        Value of acting on nothing (no model, no rule).
    uplift_over_nothing_per_month : float
        ``value_per_month - nothing_value_per_month``.
    unconstrained_value_per_month : float
        The best value without any constraint.
    constraints_cost_per_month : float
        ``unconstrained_value_per_month - value_per_month`` (>= 0): what
        the constraints cost.
    binding : tuple of str
        Constraints that lower the value.
    near_optimal_low, near_optimal_high : float
        Lowest and highest threshold whose value is within the near-optimal
        tolerance (1 %) of the best.
    currency : str
    """

    threshold: float
    cases_per_month: float
    alerts_per_month: float
    capacity_per_month: float | None
    recall: float
    precision: float
    alert_rate: float
    value_per_month: float
    nothing_value_per_month: float
    uplift_over_nothing_per_month: float
    unconstrained_value_per_month: float
    constraints_cost_per_month: float
    binding: tuple
    near_optimal_low: float
    near_optimal_high: float
    currency: str

    def to_dict(self):
        """Plain-Python summary (for JSON)."""
        out = {name: getattr(self, name) for name in self.__dataclass_fields__}
        out["binding"] = list(self.binding)
        return out


class DecisionMixin:
    """The scenario's decisions (part of :class:`Scenario`, which supplies its pieces)."""

    __slots__ = ()

    def optimize(self, *, tolerance=0.01):
        """The best decision: a :class:`Decision` (threshold) or :class:`RankingDecision` (k, min score).

        Values are currency per month; the decision carries ``period="month"``
        and the scenario's ``currency``, so charts drawn from it say so.
        """
        return self._decide(self.curve(), tolerance=tolerance)

    def _decide(self, curve, *, tolerance=0.01):
        labels = dict(period=PERIOD, currency=self.currency)
        if self.kind == "ranking":
            return optimize_ranking(curve, self.value_model(), sessions=self.volume, **labels, **self.constraints)
        return optimize(curve, self.value_model(), volume=self.volume, tolerance=tolerance, **labels,
                        **self.constraints)

    def verdict(self):
        """Whether the model meets each ``[success]`` criterion with the stated confidence, at :meth:`optimize`'s threshold.

        Returns a :class:`~aipm_sim.core.uncertainty.verdict.Verdict`
        (``verdict.describe()``: "recall ≥ 70.0%: met with 90.0% confidence
        (lower bound 73.1%)" per line); ScenarioError without a ``[success]`` table.
        """
        from ..uncertainty.verdict import judge  # lazy: the uncertainty room builds on this one

        if self.success is None:
            raise ScenarioError(f"scenario {self.name!r} has no [success] criteria to judge")
        file_source = self.scores["source"] == "file"
        return judge(self.success, decision=self.optimize(), score_set=self.score_set() if file_source else None,
                     model=None if file_source else self.score_model(), volume=self.volume,
                     currency=self.currency)

    def nothing_value(self):
        """Value per month of acting on nothing (no model, no rule)."""
        if self.kind == "ranking":
            return 0.0
        curve = self.curve()
        return float(self.value_model().value(curve, volume=self.volume)[0])

    def uplift_over_nothing(self, decision=None):
        """How much more per month ``decision`` (default: :meth:`optimize`) earns than acting on nothing.

        Currency per month; positive when the decision pays (e.g. fraud
        losses avoided net of review costs).
        """
        decision = self.optimize() if decision is None else decision
        return float(decision.value) - self.nothing_value()

    def decision_summary(self, decision=None):
        """The headline numbers of ``decision`` (default: :meth:`optimize`), per month: a :class:`DecisionSummary`.

        Threshold scenarios only (a ranking's :class:`RankingDecision` has
        its own per-session metrics).
        """
        if self.kind == "ranking":
            raise ScenarioError(MSG_SUMMARY_RANKING.format(self.name))
        d = self.optimize() if decision is None else decision
        nothing = self.nothing_value()
        return DecisionSummary(
            threshold=float(d.threshold),
            cases_per_month=float(self.volume),
            alerts_per_month=float(d.point.per_period(self.volume).alerts),
            capacity_per_month=self.constraints.get("max_alerts"),
            recall=d.point.recall,
            precision=d.point.precision,
            alert_rate=d.point.alert_rate,
            value_per_month=float(d.value),
            nothing_value_per_month=nothing,
            uplift_over_nothing_per_month=float(d.value) - nothing,
            unconstrained_value_per_month=float(d.unconstrained_value),
            constraints_cost_per_month=float(d.unconstrained_value) - float(d.value),
            binding=tuple(d.binding),
            near_optimal_low=d.near_optimal.threshold_low,
            near_optimal_high=d.near_optimal.threshold_high,
            currency=self.currency,
        )

    def value_of_change(self, **overrides):
        """How much more per month the best decision earns after changing parameters (negative: less).

        E.g. ``scenario.value_of_change(analysts=3)``: the best value with a
        third analyst minus today's best value, each re-optimised. Currency
        per month.
        """
        return float(self.replace(**overrides).optimize().value) - float(self.optimize().value)

    def capacity_threshold(self, curve=None):
        """Lowest threshold of ``curve`` (default :meth:`curve`) whose alerts per month stay within ``max_alerts``.

        This is where a capacity limit puts the queue: alerts beyond it are
        not worked. None when the scenario has no ``max_alerts`` constraint
        (threshold scenarios only). Row 0 (+inf, nothing flagged) always
        fits, so a capacity of 0 gives the highest threshold flagging
        (practically) nothing.
        """
        if self.kind == "ranking":
            raise ScenarioError(f"scenario {self.name!r} is a ranking: it has no alert capacity")
        cap = self.constraints.get("max_alerts")
        if cap is None:
            return None
        curve = self.curve() if curve is None else curve
        within = np.flatnonzero(compute_feasibility(curve, volume=self.volume, max_alerts=cap).feasible)
        return float(curve.thresholds[within[-1]])

    def threshold_view(self, k=None):
        """The scenario's decision as one threshold choice, for the threshold tools (explorer, optimize).

        A threshold scenario is one already: its curve, value model, volume
        and constraints. A ranking scenario has two decisions; the view fixes
        ``k`` (default: the best k of :meth:`optimize`) and keeps the
        minimum score: see :class:`ThresholdView`.

        Raises
        ------
        ParameterError
            ``k`` given for a threshold scenario, or a ranking constraint
            other than ``min_precision`` (it has no meaning at fixed k).
        """
        if self.kind != "ranking":
            if k is not None:
                raise ParameterError(MSG_K_THRESHOLD.format(self.name))
            return ThresholdView(curve=self.curve(), value_model=self.value_model(), volume=self.volume,
                                 constraints=types.MappingProxyType(self.constraints), k=None, fixed_value=0.0)
        constraints = self.constraints
        other = [name for name in constraints if name != "min_precision"]
        if other:
            raise ParameterError(MSG_RANKING_CONSTRAINT.format(self.name, ", ".join(other)))
        ranking = self.curve()
        k = self.optimize().k if k is None else k
        slots = ranking.threshold_curve(k, with_slots=True)  # validates k
        vm = self.value_model()
        sessions = self.volume
        # The cases are the top-k candidates of each session: slots.n_cases of them in curve.sessions sessions.
        return ThresholdView(
            curve=slots,
            value_model=ValueModel(tp=vm.relevant, fp=vm.irrelevant, tp_amount=vm.per_slot, fp_amount=vm.per_slot),
            volume=sessions * slots.n_cases / ranking.sessions,
            constraints=types.MappingProxyType(constraints),
            k=int(k),
            fixed_value=0.0,
        )
