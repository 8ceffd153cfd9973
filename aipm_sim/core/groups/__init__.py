"""Groups: metrics by group, per-group thresholds under fairness rules and the price of fairness in money.

* :func:`group_metrics` — counts and rates by group at each group's threshold, and how far apart they are;
* :func:`optimize_groups` — the best threshold per group under a fairness rule → :class:`GroupDecision`;
* :func:`simulate_groups` — synthetic groups with their own prevalence, AUC, size and label noise.
"""

from .metrics import FOUR_FIFTHS, group_disparities, group_metrics
from .optimize import FAIRNESS_RULES, GroupDecision, fairness_frontier, optimize_groups
from .simulate import GroupModel, GroupSimulation, scenario_groups, simulate_groups
from .words import group_table_in_words

__all__ = ["FAIRNESS_RULES", "FOUR_FIFTHS", "GroupDecision", "GroupModel", "GroupSimulation", "fairness_frontier",
           "group_disparities", "group_metrics", "group_table_in_words", "optimize_groups", "scenario_groups", "simulate_groups"]
