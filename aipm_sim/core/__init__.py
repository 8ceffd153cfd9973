"""aipm_sim.core — the numbers: scored data, threshold curves, value and the optimum.

numpy, scipy and pandas only; nothing here imports a plotting or UI library.
"""

from .binormal import BinormalModel
from .curve import OperatingPoint, ThresholdCurve
from .errors import ConstraintError, DataError, DegenerateWarning, ParameterError, ScenarioError
from .optimize import (CONSTRAINTS, Constraint, Decision, Feasibility, NearOptimalBand, check_constraints,
                       compute_feasibility, optimize)
from .ranking import (RankingCurve, RankingDecision, RankingModel, RankingPoint, RankingSet, RankingValueModel,
                      optimize_ranking)
from .roi import (ModelVariant, Opportunity, RuleComparison, VariantComparison, amount_rule_curve, compare_rule,
                  compare_variants, compute_opportunity)
from .scenario import DecisionSummary, Parameter, Scenario, ThresholdView, list_scenarios, load_scenario
from .scores import ScoreSet, read_table
from .sensitivity import (BreakEven, Sensitivity, SensitivityMap, compute_break_even, compute_break_even_table,
                          compute_sensitivity, compute_sensitivity_map)
from .value import ValueModel

__all__ = [
    "CONSTRAINTS",
    "BinormalModel",
    "BreakEven",
    "Constraint",
    "ConstraintError",
    "DataError",
    "Decision",
    "DecisionSummary",
    "DegenerateWarning",
    "Feasibility",
    "ModelVariant",
    "NearOptimalBand",
    "OperatingPoint",
    "Opportunity",
    "Parameter",
    "ParameterError",
    "RankingCurve",
    "RankingDecision",
    "RankingModel",
    "RankingPoint",
    "RankingSet",
    "RankingValueModel",
    "RuleComparison",
    "Scenario",
    "ScenarioError",
    "ScoreSet",
    "Sensitivity",
    "SensitivityMap",
    "ThresholdCurve",
    "ThresholdView",
    "ValueModel",
    "VariantComparison",
    "amount_rule_curve",
    "check_constraints",
    "compare_rule",
    "compare_variants",
    "compute_break_even",
    "compute_break_even_table",
    "compute_feasibility",
    "compute_opportunity",
    "compute_sensitivity",
    "compute_sensitivity_map",
    "list_scenarios",
    "load_scenario",
    "optimize",
    "optimize_ranking",
    "read_table",
]
