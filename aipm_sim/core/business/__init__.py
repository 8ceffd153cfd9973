"""The business layer: scenarios (a PM's numbers in a TOML file), rankings, ROI and sensitivity.

Built on the engine: a :class:`Scenario` turns its parameters into a score
model, a value model and constraints, and asks the engine for the decision.
"""

from .ranking import (RankingCurve, RankingDecision, RankingModel, RankingPoint, RankingSet, RankingValueModel,
                      optimize_ranking)
from .roi import (ModelVariant, Opportunity, RuleComparison, VariantComparison, amount_rule_curve, compare_rule,
                  compare_variants, compute_opportunity)
from .scenario import DecisionSummary, Scenario, ThresholdView, list_scenarios, load_scenario
from .scenario_file import Parameter
from .sensitivity import (BreakEven, Sensitivity, SensitivityMap, compute_break_even, compute_break_even_table,
                          compute_sensitivity, compute_sensitivity_map)
from .vocabulary import Vocabulary

__all__ = [
    "BreakEven",
    "DecisionSummary",
    "ModelVariant",
    "Opportunity",
    "Parameter",
    "RankingCurve",
    "RankingDecision",
    "RankingModel",
    "RankingPoint",
    "RankingSet",
    "RankingValueModel",
    "RuleComparison",
    "Scenario",
    "Sensitivity",
    "SensitivityMap",
    "ThresholdView",
    "VariantComparison",
    "Vocabulary",
    "amount_rule_curve",
    "compare_rule",
    "compare_variants",
    "compute_break_even",
    "compute_break_even_table",
    "compute_opportunity",
    "compute_sensitivity",
    "compute_sensitivity_map",
    "list_scenarios",
    "load_scenario",
    "optimize_ranking",
]
