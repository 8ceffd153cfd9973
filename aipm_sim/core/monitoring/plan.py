"""A scenario's monitoring plan: its ``[monitoring]`` table simulated, the policies priced, the alert set.

:func:`plan_monitoring` reads a scenario's drift plan and costs, simulates
production at the scenario's decision threshold, compares the policies, and
sets the drift alert at the 99th percentile of the no-drift noise at the
monitored batch size. The report's "Monitoring plan" and the notebook use it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import ParameterError
from .drift import METHOD_NAMES, DriftNull, drift_null
from .policies import PolicyComparison, compare_policies
from .production import NULL_RESAMPLES, NULL_SEED, DriftPlan, Production, simulate_production

MSG_NO_MONITORING = "scenario {!r} has no [monitoring] table: add one (drift plan, period, costs) to plan monitoring"

#: The policies a scenario's plan compares.
PLAN_POLICIES = ("do_nothing", "rethreshold", "retrain_every_4", "retrain_on_drift", "rethreshold+retrain_on_drift")


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class MonitoringPlan:
    """What to watch after launch, when to act and what acting is worth, for one scenario.

    Attributes
    ----------
    scenario : Scenario
    drift_plan : DriftPlan
    production : Production
        The simulated periods (``cases_per_period`` cases each, values scaled to ``volume``).
    comparison : PolicyComparison
    null : DriftNull
        The drift statistic's no-drift noise at the monitored batch size; ``null.threshold`` is the alert.
    period : str
        Word for a period (``"week"``).
    volume : float
        Real cases per period.
    retrain_cost, recalibrate_cost : float
        Currency per retrain / per period of re-thresholding.
    description : str
        The file's description of the drift plan (may be empty).
    """

    scenario: object
    drift_plan: DriftPlan
    production: Production
    comparison: PolicyComparison
    null: DriftNull
    period: str
    volume: float
    retrain_cost: float
    recalibrate_cost: float
    description: str

    @property
    def drift_method(self):
        return self.null.method

    @property
    def drift_name(self):
        """The watched statistic in words."""
        return METHOD_NAMES[self.null.method]


def plan_monitoring(scenario, *, seed=None, policies=PLAN_POLICIES):
    """Simulate a scenario's ``[monitoring]`` plan and price the policies.

    Parameters
    ----------
    scenario : Scenario
        A threshold scenario with a ``[monitoring]`` table.
    seed : int, optional
        Overrides the table's ``seed``.
    policies : sequence of str or Policy
        As for :func:`compare_policies`.

    Returns
    -------
    MonitoringPlan
    """
    table = getattr(scenario, "monitoring", None)
    if table is None:
        raise ParameterError(MSG_NO_MONITORING.format(getattr(scenario, "name", scenario)))

    def number(key, default=0.0):
        return scenario.evaluate(f"monitoring.{key}") if key in table else default

    plan = DriftPlan(
        prevalence_shape=table.get("prevalence_shape", "constant"),
        prevalence_factor=number("prevalence_factor", 1.0),
        change_period=table.get("change_period", 13),
        season_length=table.get("season_length", 26),
        auc_decay_per_period=number("auc_decay_per_period"),
        score_shift_per_period=number("score_shift_per_period"),
        amount_inflation_per_period=number("amount_inflation_per_period"),
    )
    source = scenario.scores.get("source")
    world = scenario.score_model() if source == "binormal" else scenario.score_set()
    decision = scenario.optimize()
    method = table.get("drift_method", "psi")
    seed = table.get("seed", 0) if seed is None else seed
    n = table.get("cases_per_period", 20_000)
    production = simulate_production(world, periods=table["periods"], cases_per_period=n, drift=plan,
                                     label_delay=table["label_delay"], threshold=float(decision.threshold),
                                     value_model=scenario.value_model(), drift_method=method, seed=seed)
    constraints = scenario.constraints
    volume = number("volume")
    retrain_cost, recalibrate_cost = number("retrain_cost"), number("recalibrate_cost")
    comparison = compare_policies(production, scenario.value_model(), policies=policies, retrain_cost=retrain_cost,
                                  recalibrate_cost=recalibrate_cost, volume=volume,
                                  min_recall=constraints.get("min_recall"),
                                  min_precision=constraints.get("min_precision"), currency=scenario.currency,
                                  period=table["period"])
    null = drift_null(production.reference.scores, n, method=method, resamples=NULL_RESAMPLES, seed=NULL_SEED)
    return MonitoringPlan(scenario=scenario, drift_plan=plan, production=production, comparison=comparison,
                          null=null, period=table["period"], volume=volume, retrain_cost=retrain_cost,
                          recalibrate_cost=recalibrate_cost, description=table.get("description", ""))
