"""Business scenarios: a PM's numbers, with units, ranges and sources, and what follows from them.

A :class:`Scenario` is read from a TOML file (the format, its sections and
their validation are described in :mod:`aipm_sim.core.business.scenario_file`)
and turns its parameters into a score model, a value model and constraints,
then asks the engine for the decision: :meth:`Scenario.optimize`, the rule
it replaces, ROI, model variants, and the sections of the later rooms
(success criteria, launch, monitoring, groups). Every value is per month:
volumes are cases per month and values currency per month.

Public API: :func:`list_scenarios`, :func:`load_scenario`, :class:`Scenario`.
"""

from __future__ import annotations

import ast
import functools
import math
import types
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from ..engine.binormal import BinormalModel, binding_cuts
from ..engine.curve import ThresholdCurve
from ..engine.optimize import compute_feasibility, exact_curve, optimize
from ..engine.scores import ScoreSet, read_table
from ..engine.value import ValueModel
from ..errors import ConstraintError, ParameterError, ScenarioError
from .ranking import RankingCurve, RankingModel, RankingValueModel, optimize_ranking
from .roi import amount_rule_curve, compare_rule, compare_variants, compute_opportunity
from .vocabulary import Vocabulary
from .scenario_file import (_VARIANT_KEYS, MSG_VARIANT_DIVISION, _evaluate, _thaw, _variants,
                            data_folder, read_document, scenario_folder, validate_document, write_toml)

MSG_UNKNOWN_SCENARIO = "unknown scenario {!r}; valid scenarios are: {}"
MSG_SCENARIO_SUFFIX = ("unknown scenario {!r}: a file {!r} exists, but a scenario file must be a path ending in "
                       ".toml; valid preset names are: {}")
MSG_UNKNOWN_PARAMETER = "unknown parameter {!r} for scenario {!r}; valid parameters are: {}"
MSG_PARAMETER_RANGE = "parameter {!r} must be in {} ({}); found {!r}"
MSG_PARAMETER_NUMBER = "parameter {!r} must be a number; found {!r}"
MSG_PARAMETER_FINITE = "parameter {!r} must be a finite number ({}); found {!r}"
MSG_FILE_MISSING = "scenario file {!r} does not exist"
MSG_DIVISION = "scenario {!r}: {} = {!r} divides by zero with the current parameter values"
MSG_NO_RULE = "scenario {!r} has no [rule]; only scenarios with a rule can be compared with one"
MSG_NO_OPPORTUNITY = "scenario {!r} has no [opportunity] costs; ROI needs build, inference and running costs"
MSG_NO_VARIANTS = "scenario {!r} has no [[variants]] to compare"
MSG_VARIANTS_SOURCE = ("scenario {!r}: model variants need a synthetic score source "
                       "(binormal or ranking_model); this one reads {!r}")
MSG_AGAINST = "against must be one of 'rule', 'nothing'; found {!r}"
MSG_RULE_INFEASIBLE = "scenario {!r}: the rule ({}) cannot meet the constraints: {}"
MSG_K_THRESHOLD = "k is only for ranking scenarios; {!r} is a threshold scenario"
MSG_SUMMARY_RANKING = ("scenario {!r} is a ranking: read its decision's k, min_score and point "
                       "(a RankingDecision) instead of a threshold summary")
MSG_RANKING_CONSTRAINT = (
    "the minimum-score view at one k keeps only min_precision (the precision of what is shown); "
    "scenario {!r} also has {}"
)
#: The period of every scenario's volumes and values.
PERIOD = "month"
#: Label of :meth:`Scenario.baseline` when the rule cannot meet the constraints.
BASELINE_RULE_INFEASIBLE = "nothing (the rule cannot meet the constraints)"


# -- the scenario -------------------------------------------------------------------------
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


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Scenario:
    """A business scenario: parameters with sources, where scores come from, money and constraints.

    Load one with :func:`load_scenario`; change parameters with
    :meth:`replace` (``scenario.replace(fraud_rate=0.004)``). Two scenarios
    are equal when their contents are (the file they came from does not count).

    Attributes
    ----------
    name, title, summary, narrative, kind, currency, priority : str
    parameters : mapping of str to Parameter
        In file order; read-only.
    scores, value, decision, rule, opportunity, launch, monitoring : mapping
        The file's tables (numbers or expression strings); read-only.
        ``rule``, ``opportunity``, ``launch`` and ``monitoring`` (after
        launch: the drift plan and the costs of acting, see
        :func:`aipm_sim.plan_monitoring`) may be None.
    success : mapping or None
        The ``[success]`` criteria (see :meth:`verdict`); read-only.
    variants : tuple of ModelVariant
        Evaluated with the current parameter values: a variant's AUC, cost
        or latency may be an expression (the base case's ``auc =
        "model_auc"`` follows ``replace(model_auc=…)``).
    path : pathlib.Path or None
        File the scenario was read from.
    vocabulary : Vocabulary or None
        The file's ``[vocabulary]`` (what a case, a flag, a positive are
        called); None: the generic words (see :attr:`words`).
    """

    name: str
    title: str
    summary: str
    narrative: str
    kind: str
    currency: str
    priority: str
    parameters: types.MappingProxyType
    scores: types.MappingProxyType
    value: types.MappingProxyType
    decision: types.MappingProxyType
    rule: types.MappingProxyType | None
    opportunity: types.MappingProxyType | None
    variants: tuple
    launch: types.MappingProxyType | None = None  # [launch]: A/B test and rollout (aipm_sim.plan_launch)
    monitoring: types.MappingProxyType | None = None
    path: Path | None = None
    success: types.MappingProxyType | None = None
    vocabulary: Vocabulary | None = None
    _expressions: types.MappingProxyType | None = None
    _variant_tables: tuple = ()
    groups: tuple | None = None  # [[groups]]: read-only tables (name, share, prevalence, auc, ...), or None

    @property
    def words(self):
        """The scenario's :class:`Vocabulary` (the generic words when its file sets none)."""
        return self.vocabulary if self.vocabulary is not None else Vocabulary()

    def __eq__(self, other):
        if not isinstance(other, Scenario):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    __hash__ = None

    # -- parameters ------------------------------------------------------------------
    @property
    def values(self):
        """Current parameter values, name -> float (a new dict)."""
        return {name: p.value for name, p in self.parameters.items()}

    def replace(self, **overrides):
        """A copy with some parameter values changed.

        Raises
        ------
        ParameterError
            For an unknown name (the message lists the valid ones), a
            non-number, an infinite or NaN value (also text such as
            ``"inf"`` or ``"1e309"``), or a value outside the parameter's
            allowed range. Each message names the parameter.
        """
        params = dict(self.parameters)
        for name, raw in overrides.items():
            if name not in params:
                raise ParameterError(MSG_UNKNOWN_PARAMETER.format(name, self.name, ", ".join(params)))
            p = params[name]
            if isinstance(raw, bool):
                raise ParameterError(MSG_PARAMETER_NUMBER.format(name, raw))
            try:
                x = float(raw)
            except (TypeError, ValueError):
                raise ParameterError(MSG_PARAMETER_NUMBER.format(name, raw)) from None
            if not math.isfinite(x):
                raise ParameterError(MSG_PARAMETER_FINITE.format(name, p.unit or "no unit", raw))
            if not p.allows(x):
                raise ParameterError(MSG_PARAMETER_RANGE.format(name, p.interval, p.unit or "no unit", raw))
            params[name] = replace(p, value=x)
        variants = self.variants
        if self._variant_tables:  # a variant's numbers may follow parameters (e.g. the base case's AUC)
            values = {n: p.value for n, p in params.items()}
            try:
                variants = _variants(self._variant_tables, self._expressions, values)
            except ZeroDivisionError:
                raise ParameterError(MSG_VARIANT_DIVISION.format("scenario", self.name)) from None
        return replace(self, parameters=types.MappingProxyType(params), variants=variants)

    def evaluate(self, field):
        """The number of a file field (e.g. ``"value.fp"``) with the current parameter values."""
        try:
            node = self._expressions[field]
        except KeyError:
            raise ParameterError(f"field must be one of {', '.join(self._expressions)}; found {field!r}") from None
        try:
            return float(_evaluate(node, self.values))
        except ZeroDivisionError:
            raise ParameterError(MSG_DIVISION.format(self.name, field, ast.unparse(node))) from None

    def _maybe(self, field):
        return self.evaluate(field) if field in self._expressions else None

    def assumptions(self):
        """The parameters as a table for a PM: value, unit, plausible range, allowed range, source."""
        rows = [{
            "parameter": p.name, "value": p.value, "unit": p.unit, "low": p.low, "high": p.high,
            "allowed_min": p.min, "allowed_max": p.max, "description": p.description, "source": p.source,
        } for p in self.parameters.values()]
        return pd.DataFrame(rows).set_index("parameter")

    # -- the pieces ---------------------------------------------------------------------------
    @property
    def volume(self):
        """Cases (threshold scenarios) or sessions (ranking) per month."""
        return self.evaluate("decision.volume")

    @property
    def predictions_per_month(self):
        """Model predictions per month: one per case, or one per candidate item for rankings."""
        if self.kind == "ranking":
            return self.volume * self._ranking_model().n_candidates
        return self.volume

    @property
    def constraints(self):
        """The constraints of :func:`optimize` (or :func:`optimize_ranking`), name -> bound (a new dict)."""
        return {name: self.evaluate(f"decision.constraints.{name}")
                for name in self.decision.get("constraints", {})}

    def value_model(self):
        """A :class:`ValueModel` (threshold) or :class:`RankingValueModel` (ranking), currency per case."""
        cells = {c: self.evaluate(f"value.{c}") for c in self.value}
        return RankingValueModel(**cells) if self.kind == "ranking" else ValueModel(**cells)

    def score_model(self, *, auc=None):
        """The synthetic model behind the scores (:class:`BinormalModel` or :class:`RankingModel`).

        ``auc`` replaces the model's AUC (for model variants). None for a
        file source.
        """
        source = self.scores["source"]
        if source == "binormal":
            return BinormalModel(
                self.evaluate("scores.prevalence"),
                self.evaluate("scores.auc") if auc is None else auc,
                amount_mean=self._maybe("scores.amount_mean"),
                positive_amount_mean=self._maybe("scores.positive_amount_mean"),
                amount_sigma=1.0 if "scores.amount_sigma" not in self._expressions
                else self.evaluate("scores.amount_sigma"),
            )
        if source == "ranking_model":
            return self._ranking_model(auc=auc)
        return None

    def _ranking_model(self, *, auc=None):
        return RankingModel(
            relevance_rate=self.evaluate("scores.relevance_rate"),
            auc=self.evaluate("scores.auc") if auc is None else auc,
            n_candidates=self.scores["n_candidates"],
            popularity_auc=self._maybe("scores.popularity_auc"),
        )

    def score_set(self, *, auc=None):
        """The scored cases: a :class:`ScoreSet` (file source) or a :class:`RankingSet` (ranking).

        A binormal source has no cases (its curve is exact): raises ScenarioError.
        """
        source = self.scores["source"]
        if source == "file":
            return _file_score_set(self, score_column=self.scores["score"])
        if source == "ranking_model":
            m = self._ranking_model(auc=auc)
            return _ranking_sample(m, self.scores["n_sessions"], self.scores["seed"])
        raise ScenarioError(f"scenario {self.name!r} has exact binormal scores, not a set of cases")

    def curve(self, *, auc=None, thresholds=None):
        """The model's :class:`ThresholdCurve` (or :class:`RankingCurve`).

        Counts are not per month: a binormal source gives shares of the
        population (``n_cases == 1``), a data file its own (weighted) cases,
        a ranking its sampled sessions. Pass ``volume=scenario.volume`` (or
        ``sessions=``) to the value functions to get currency per month, as
        :meth:`optimize` does.

        Parameters
        ----------
        auc : float, optional
            Replaces the model's AUC (model variants).
        thresholds : array-like of float, optional
            Binormal source: probability thresholds to include exactly, besides
            the grid (e.g. a threshold kept from another decision). Data files
            and rankings already have a row at every threshold that changes
            anything, so they ignore it.

        A binormal curve is the one :func:`optimize` decides on
        (:func:`~aipm_sim.core.engine.optimize.exact_curve` with this
        scenario's money, volume and constraints): it has a row exactly where
        each constraint binds, so that a binding constraint is met on the
        bound itself, not at the nearest grid point inside it, and one at the
        best threshold without constraints (Elkan's: where flagging one more
        case adds nothing). The best value is then exact and a smooth
        function of the parameters, and :meth:`optimize` decides on this very
        curve.
        """
        source = self.scores["source"]
        if source == "binormal":
            model = self.score_model(auc=auc)
            return exact_curve(model.curve(thresholds=thresholds), self.value_model(), volume=self.volume,
                               **self.constraints)
        if source == "file":
            return ThresholdCurve.from_scores(self.score_set())
        m = self._ranking_model(auc=auc)
        return _ranking_curve(m, self.scores["n_sessions"], self.scores["seed"], self.decision["k_max"], False)

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

    # -- rule, ROI, variants ---------------------------------------------------------------
    def rule_curve(self):
        """Curve of the scenario's rule on the same cases (ThresholdCurve or RankingCurve)."""
        if self.rule is None:
            raise ScenarioError(MSG_NO_RULE.format(self.name))
        kind = self.rule["kind"]
        if kind == "amount":
            if self.scores["source"] == "binormal":
                model = self.score_model()
                return amount_rule_curve(model, thresholds=self._binding_amounts(model))
            return ThresholdCurve.from_scores(_file_score_set(self, score_column=self.scores["amount"]))
        if kind == "auc":
            return self.curve(auc=self.evaluate("rule.auc"))
        if kind == "column":
            return ThresholdCurve.from_scores(_file_score_set(self, score_column=self.rule["column"]))
        m = self._ranking_model()
        return _ranking_curve(m, self.scores["n_sessions"], self.scores["seed"], self.decision["k_max"], True)

    def _binding_amounts(self, model):
        """Amount cut-offs of the amount rule on ``model`` where each constraint binds (maybe none).

        log(amount) is normal with spread s in each class, means mu0 < or > mu1: in z = (log A - mu0) / s
        the rule is a binormal classifier with separation (mu1 - mu0) / s.
        """
        s, m0, m1 = model.amount_sigma, model.amount_mean, model.positive_amount_mean
        if model.amount_mean is None or s <= 0 or m0 <= 0 or m1 <= 0:
            return None
        mu0, mu1 = math.log(m0) - s * s / 2, math.log(m1) - s * s / 2
        cuts = binding_cuts(model.prevalence, (mu1 - mu0) / s, self.constraints, self.volume)
        return np.exp(mu0 + s * np.asarray(cuts, dtype=np.float64))

    def rule_decision(self):
        """The rule's best decision with the same money, volume and constraints.

        Raises
        ------
        ConstraintError
            When the rule cannot meet the constraints (e.g. a precision floor
            that popularity cannot reach); the message names the rule.
        """
        curve = self.rule_curve()
        try:
            return self._decide(curve)
        except ConstraintError as exc:
            raise ConstraintError(MSG_RULE_INFEASIBLE.format(self.name, self.rule["description"], exc)) from None

    def compare_rule(self):
        """The model's best decision against the rule's: a :class:`RuleComparison`."""
        rule_decision = self.rule_decision()
        return compare_rule(self.optimize(), rule_decision, rule=self.rule["description"],
                            nothing_value=self.nothing_value())

    def baseline(self, against=None):
        """What the business earns per month without the model, and which option that is.

        Parameters
        ----------
        against : {"rule", "nothing"}, optional
            Default: the file's ``opportunity.against``, else the rule when
            the scenario has one, else acting on nothing.

        Returns
        -------
        (str, float)
            ``"rule"`` and the rule's best value per month; or ``"nothing"``
            and the value of acting on nothing. A rule that cannot meet the
            constraints could not be run, so the baseline is then acting on
            nothing, labelled ``"nothing (the rule cannot meet the
            constraints)"``.
        """
        if against is None:
            against = (self.opportunity or {}).get("against", "rule" if self.rule is not None else "nothing")
        if against not in ("rule", "nothing"):
            raise ParameterError(MSG_AGAINST.format(against))
        if against == "nothing":
            return "nothing", self.nothing_value()
        try:
            return "rule", float(self.rule_decision().value)
        except ConstraintError:
            return BASELINE_RULE_INFEASIBLE, self.nothing_value()

    def _costs(self):
        if self.opportunity is None:
            raise ScenarioError(MSG_NO_OPPORTUNITY.format(self.name))
        return {name: self.evaluate(f"opportunity.{name}") for name in
                ("build_cost", "running_cost_per_month", "horizon_months")}

    def opportunity_summary(self, *, against=None):
        """Net value per month, ROI and payback of the model: an :class:`Opportunity`.

        Parameters
        ----------
        against : {"rule", "nothing"}, optional
            The baseline (see :meth:`baseline`); default: the file's
            ``opportunity.against``, else the rule when the scenario has one,
            else acting on nothing. ``Opportunity.baseline`` says which was
            used.
        """
        costs = self._costs()
        baseline, baseline_value = self.baseline(against)
        return compute_opportunity(
            model_value_per_month=self.optimize().value,
            baseline_value_per_month=baseline_value,
            predictions_per_month=self.predictions_per_month,
            cost_per_1000_predictions=self.evaluate("opportunity.cost_per_1000_predictions"),
            baseline=baseline,
            **costs,
        )

    def compare_variants(self, *, latency_budget_ms=None, against=None):
        """Each model variant's best decision and net value, and the best within the latency budget.

        ``latency_budget_ms`` defaults to the file's ``opportunity.latency_budget_ms`` (none: no budget).
        """
        if not self.variants:
            raise ScenarioError(MSG_NO_VARIANTS.format(self.name))
        if self.scores["source"] == "file":
            raise ScenarioError(MSG_VARIANTS_SOURCE.format(self.name, self.scores["source"]))
        costs = self._costs()
        if latency_budget_ms is None:
            latency_budget_ms = self._maybe("opportunity.latency_budget_ms")
        decisions = [self._decide(self.curve(auc=v.auc)) for v in self.variants]
        baseline, baseline_value = self.baseline(against)
        return compare_variants(
            self.variants, decisions,
            baseline_value_per_month=baseline_value,
            predictions_per_month=self.predictions_per_month,
            latency_budget_ms=latency_budget_ms,
            baseline=baseline,
            **costs,
        )

    # -- files -------------------------------------------------------------------------------
    def to_dict(self):
        """The scenario as the plain dict a TOML file holds (current parameter values)."""
        out = {key: getattr(self, key) for key in ("name", "title", "summary", "narrative", "kind", "currency")}
        if self.priority:
            out["priority"] = self.priority
        out["parameters"] = {}
        for p in self.parameters.values():
            entry = {"value": p.value, "low": p.low, "high": p.high}
            if p.min != -math.inf:
                entry["min"] = p.min
            if p.max != math.inf:
                entry["max"] = p.max
            for key in ("unit", "description", "source"):
                if getattr(p, key):
                    entry[key] = getattr(p, key)
            out["parameters"][p.name] = entry
        for key in ("scores", "value", "decision", "rule", "opportunity", "launch", "success", "monitoring"):
            table = getattr(self, key)
            if table is not None:
                out[key] = _thaw(table)
        if self.groups is not None:
            out["groups"] = [_thaw(g) for g in self.groups]
        if self.vocabulary is not None and self.vocabulary.to_dict():
            out["vocabulary"] = self.vocabulary.to_dict()
        if self._variant_tables:
            out["variants"] = [_thaw(t) for t in self._variant_tables]
        elif self.variants:
            out["variants"] = [
                {k: getattr(v, k) for k in _VARIANT_KEYS if not (k in ("description", "source") and not getattr(v, k))}
                for v in self.variants
            ]
        return out

    def to_toml(self):
        """The scenario as TOML text; :func:`load_scenario` reads it back to an equal scenario."""
        return write_toml(self.to_dict())

    def save(self, path):
        """Write :meth:`to_toml` to ``path``."""
        Path(path).write_text(self.to_toml(), encoding="utf-8")

    def __repr__(self):
        return f"Scenario({self.name!r}: {self.summary})"


# -- loading -------------------------------------------------------------------------------------

def list_scenarios(*, details=False):
    """The preset scenarios shipped with the package.

    Parameters
    ----------
    details : bool
        False: a tuple of names, sorted. True: a DataFrame with name, kind,
        title and summary (one line each).
    """
    names = tuple(sorted(p.stem for p in scenario_folder().glob("*.toml")))
    if not details:
        return names
    rows = []
    for name in names:
        s = load_scenario(name)
        rows.append({"name": name, "kind": s.kind, "title": s.title, "summary": s.summary})
    return pd.DataFrame(rows)


def load_scenario(name_or_path, **overrides):
    """Load a preset by name, or a scenario file by path, then apply parameter overrides.

    Parameters
    ----------
    name_or_path : str or path-like
        A preset name (see :func:`list_scenarios`) or a path to a ``.toml`` file.
    **overrides : float
        New values for parameters, e.g. ``fraud_rate=0.004``.

    Raises
    ------
    ScenarioError
        Unknown preset (the message lists the valid ones), missing file or a
        file that breaks the format (the message names the key).
    ParameterError
        Unknown parameter or a value outside its allowed range.
    """
    text = str(name_or_path)
    is_path = isinstance(name_or_path, Path) or text.endswith(".toml") or "/" in text or "\\" in text
    if is_path:
        path = Path(name_or_path)
        if not path.is_file():
            raise ScenarioError(MSG_FILE_MISSING.format(str(path)))
    else:
        path = scenario_folder() / f"{text}.toml"
        if not path.is_file():
            if Path(text).is_file():  # e.g. "mine.txt": a file, but not a .toml path
                raise ScenarioError(MSG_SCENARIO_SUFFIX.format(text, text, ", ".join(list_scenarios())))
            raise ScenarioError(MSG_UNKNOWN_SCENARIO.format(text, ", ".join(list_scenarios())))
    scenario = _load_file(path)
    return scenario.replace(**overrides) if overrides else scenario


def _load_file(path):
    return parse_scenario(read_document(path), label=str(path), base=path.parent, path=path)


def parse_scenario(doc, *, label="<dict>", base=None, path=None):
    """Validate a scenario document (the dict :mod:`tomllib` returns) and build the :class:`Scenario`.

    ``base`` is the folder that relative ``scores.file`` paths are read from;
    ``path`` is the file it came from (kept as :attr:`Scenario.path`).
    """
    return Scenario(**validate_document(doc, label=label, base=base), path=path)


# -- cached data ------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=8)
def _read_cached(path, mtime):
    return read_table(path)


def _file_score_set(scenario, *, score_column):
    s = scenario.scores
    where = (scenario.path.parent if scenario.path is not None else Path(".")) if "file" in s else data_folder()
    path = where / (s["file"] if "file" in s else s["package_file"])
    df = _read_cached(str(path), path.stat().st_mtime_ns)
    base = ScoreSet.from_frame(df, score=score_column, label=s["label"], amount=s.get("amount"),
                               weight=s.get("weight"))
    if "scores.prevalence" not in scenario._expressions:
        return base
    target = scenario.evaluate("scores.prevalence")
    if not 0 < target < 1:
        raise ParameterError(f"scores.prevalence must be in (0, 1); found {target!r}")
    weights = np.ones(len(base)) if base.weights is None else np.asarray(base.weights)
    data_prev = base.prevalence
    if not 0 < data_prev < 1:
        raise ParameterError("scores.prevalence needs data with both positive and negative cases")
    # Prior shift: reweight each class so that the weighted share of positives is the target,
    # keeping the total weight.
    factor = np.where(base.labels, target / data_prev, (1 - target) / (1 - data_prev))
    return ScoreSet(base.scores, base.labels, amounts=base.amounts, weights=weights * factor)


@functools.lru_cache(maxsize=16)
def _ranking_sample(model, n_sessions, seed):
    return model.sample(n_sessions, seed=seed)


@functools.lru_cache(maxsize=16)
def _ranking_curve(model, n_sessions, seed, k_max, popularity):
    ranking = _ranking_sample(model, n_sessions, seed)
    if popularity:
        ranking = ranking.by_popularity()
    return RankingCurve.from_ranking(ranking, k_max=k_max)


