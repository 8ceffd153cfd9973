"""Launch: A/B tests and staged rollouts sized on the business metric.

* :mod:`.power` — sample size and power for two rates and two means;
* :mod:`.sequential` — always-valid intervals for daily looks, and what peeking does;
* :mod:`.plan` — from two decisions (model vs today's rule) to an A/B test plan;
* :mod:`.rollout` — a staged ramp with a guardrail, days and money at risk per stage;
* :mod:`.launch` — a scenario's ``[launch]`` section turned into both plans.
"""

from .launch import LaunchPlan, launch_settings, plan_launch
from .plan import ABTestPlan, ValueMoments, plan_ab_test, value_moments
from .power import power_means, power_proportions, sample_size_means, sample_size_proportions
from .rollout import RolloutPlan, plan_rollout
from .sequential import PeekingSimulation, sequential_halfwidth, sequential_sample_size, simulate_peeking

__all__ = [
    "ABTestPlan",
    "ValueMoments",
    "launch_settings",
    "plan_ab_test",
    "plan_launch",
    "value_moments",
    "LaunchPlan",
    "PeekingSimulation",
    "RolloutPlan",
    "plan_rollout",
    "power_means",
    "power_proportions",
    "sample_size_means",
    "sample_size_proportions",
    "sequential_halfwidth",
    "sequential_sample_size",
    "simulate_peeking",
]
