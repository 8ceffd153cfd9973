"""What the model is worth against the scenario's rule: the rule's curve and decision, the baseline, ROI and
model variants.

:class:`RoiMixin` holds these :class:`~aipm_sim.core.business.scenario.Scenario` methods.
"""

from __future__ import annotations

import math

import numpy as np

from ..engine.binormal import binding_cuts
from ..engine.curve import ThresholdCurve
from ..errors import ConstraintError, ParameterError, ScenarioError
from .roi import amount_rule_curve, compare_rule, compare_variants, compute_opportunity
from .scenario_data import _file_score_set, _ranking_curve

MSG_NO_RULE = "scenario {!r} has no [rule]; only scenarios with a rule can be compared with one"
MSG_NO_OPPORTUNITY = "scenario {!r} has no [opportunity] costs; ROI needs build, inference and running costs"
MSG_NO_VARIANTS = "scenario {!r} has no [[variants]] to compare"
MSG_VARIANTS_SOURCE = ("scenario {!r}: model variants need a synthetic score source "
                       "(binormal or ranking_model); this one reads {!r}")
MSG_AGAINST = "against must be one of 'rule', 'nothing'; found {!r}"
MSG_RULE_INFEASIBLE = "scenario {!r}: the rule ({}) cannot meet the constraints: {}"
#: Label of :meth:`Scenario.baseline` when the rule cannot meet the constraints.
BASELINE_RULE_INFEASIBLE = "nothing (the rule cannot meet the constraints)"


class RoiMixin:
    """The rule, ROI and variants (part of :class:`Scenario`, which supplies its pieces)."""

    __slots__ = ()

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
