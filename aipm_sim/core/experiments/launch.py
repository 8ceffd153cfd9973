"""A scenario's launch: its ``[launch]`` section turned into an A/B plan and a rollout plan.

The treatment is the scenario's best decision (:meth:`Scenario.optimize`),
the control today's rule (:meth:`Scenario.rule_decision`; flagging nothing
when the scenario has no rule). For a binormal scenario the spread of the
amounts within each cell is exact in closed form (log-amounts are normal in
each class, independent of the score; the amount rule cuts them at its
threshold); for a data file it comes from the cases.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy import stats

from ..engine.optimize import optimize
from ..engine.scores import ScoreSet
from ..errors import ScenarioError
from .plan import ABTestPlan, plan_ab_test, size_test
from .rollout import RolloutPlan, plan_rollout

MSG_NO_LAUNCH = "scenario {!r} has no [launch] section: add traffic_per_day (and the rest) to plan its launch"
DEFAULT_STAGES = (0.01, 0.1, 0.5, 1.0)
#: Scenario values are per month of 30 days; the rollout ramps all of a day's traffic.
DAYS_PER_MONTH = 30


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class LaunchPlan:
    """The A/B test and the staged rollout of a scenario's model (see :func:`plan_launch`).

    Attributes
    ----------
    scenario : Scenario
    test : ABTestPlan
    rollout : RolloutPlan or None
        Ramps all the scenario's traffic (its volume per month / 30 per
        day); None when the ``[launch]`` section has no guardrail.
    treatment, control : Decision or RankingDecision
        The model's best decision and today's rule.
    treatment_name, control_name : str
        In words (``"the model"``, the rule's description).
    case : str
        What one case is, in the scenario's words (``"order"``; ``[launch] case``, default ``"case"``).
    """

    scenario: object
    test: ABTestPlan
    rollout: RolloutPlan | None
    treatment: object
    control: object
    treatment_name: str
    control_name: str
    case: str = "case"

    def to_dict(self):
        """Plain-Python summary (for JSON)."""
        out = {"scenario": self.scenario.name, "treatment": self.treatment_name, "control": self.control_name,
               "test": self.test.to_dict()}
        if self.rollout is not None:
            out["rollout"] = {"stages": list(self.rollout.stages), "total_days": self.rollout.total_days,
                              "guardrail": self.rollout.guardrail_name,
                              "table": self.rollout.table.to_dict("records")}
        return out


def launch_settings(scenario):
    """The ``[launch]`` numbers of ``scenario`` evaluated: a dict (raises ScenarioError without the section)."""
    launch = scenario.launch
    if launch is None:
        raise ScenarioError(MSG_NO_LAUNCH.format(scenario.name))

    def number(key, default):
        return scenario.evaluate(f"launch.{key}") if key in launch else default

    out = {
        "traffic_per_day": scenario.evaluate("launch.traffic_per_day"),
        "label_delay_days": number("label_delay_days", 0.0),
        "minimum_effect": number("minimum_effect", None),
        "alpha": number("alpha", 0.05),
        "power": number("power", 0.8),
        "metric": launch.get("metric", "precision" if scenario.kind == "ranking" else "value"),
        "stages": tuple(launch.get("stages", DEFAULT_STAGES)),
        "guardrail": None,
        "case": launch.get("case", "case"),
    }
    if "guardrail" in launch:
        g = launch["guardrail"]
        out["guardrail"] = {
            "name": g["name"],
            "rate": scenario.evaluate("launch.guardrail.rate"),
            "harm": scenario.evaluate("launch.guardrail.harm"),
            "cost_per_event": scenario.evaluate("launch.guardrail.cost_per_event") if "cost_per_event" in g else None,
        }
    return out


def plan_launch(scenario, **changes):
    """The A/B test and staged rollout of ``scenario``'s model against today's rule.

    Parameters
    ----------
    scenario : Scenario
        With a ``[launch]`` section.
    **changes
        Replace any of the section's settings: ``traffic_per_day``,
        ``label_delay_days``, ``minimum_effect``, ``alpha``, ``power``,
        ``metric``, ``stages``, ``guardrail`` (a dict with ``name``, ``rate``,
        ``harm``, ``cost_per_event``; None: no rollout) — a widget or a
        notebook tries other numbers.

    Returns
    -------
    LaunchPlan
    """
    settings = launch_settings(scenario)
    unknown = [k for k in changes if k not in settings or k == "case"]
    if unknown:
        raise TypeError(f"plan_launch() got an unexpected keyword argument {unknown[0]!r}")
    settings.update(changes)
    treatment = scenario.optimize()
    if scenario.rule is not None:
        control, control_name = scenario.rule_decision(), scenario.rule["description"]
    else:
        control, control_name = _nothing(scenario), "flag nothing"
    common = dict(alpha=settings["alpha"], power=settings["power"], minimum_effect=settings["minimum_effect"],
                  label_delay_days=settings["label_delay_days"])
    if scenario.kind == "ranking":
        test = _ranking_test(treatment, control, settings, scenario.currency, common)
    else:
        extra = {}
        if settings["metric"] == "value" and scenario.value_model().uses_amounts:
            extra = _spread(scenario, treatment, control)
        test = plan_ab_test(treatment, control, cases_per_day=settings["traffic_per_day"],
                            metric=settings["metric"], **common, **extra)
    rollout = None
    g = settings["guardrail"]
    if g is not None:
        rollout = plan_rollout(test, stages=settings["stages"], guardrail=g["rate"], harm=g["harm"],
                               cost_per_event=g["cost_per_event"], guardrail_name=g["name"],
                               cases_per_day=scenario.volume / DAYS_PER_MONTH,
                               value_per_case=_value_per_case(scenario, treatment, control, test))
    return LaunchPlan(scenario=scenario, test=test, rollout=rollout, treatment=treatment, control=control,
                      treatment_name="the model", control_name=control_name, case=settings["case"])


def _value_per_case(scenario, treatment, control, test):
    """The model's expected gain over today's rule, currency per case, for the value forgone by ramping.

    The test's own effect when it tests value; for a rate, the difference of the two decisions' values
    per period over the cases per period (per session for a ranking: the rollout ramps sessions).
    """
    if test.metric == "value":
        return None
    return (treatment.value - control.value) / scenario.volume


def _nothing(scenario):
    labels = dict(period="month", currency=scenario.currency)
    return optimize(scenario.curve(), scenario.value_model(), volume=scenario.volume, max_alerts=0, **labels)


def _ranking_test(treatment, control, settings, currency, common):
    """A ranking's test on the share of shown items that are clicked, in items shown."""
    pt, pc = treatment.point.precision_shown, control.point.precision_shown
    return size_test(metric="precision", control_mean=pc, treatment_mean=pt, control_sd=math.sqrt(pc * (1 - pc)),
                     treatment_sd=math.sqrt(pt * (1 - pt)), units_per_case=control.point.shown_per_session,
                     treatment_units_per_case=treatment.point.shown_per_session,
                     cases_per_day=settings["traffic_per_day"], allocation=0.5, alternative="two-sided",
                     volume=treatment.sessions, period=treatment.period, currency=currency, unit="items shown",
                     **common)


def _spread(scenario, treatment, control):
    """``scores=`` or ``amount_squares=`` for :func:`plan_ab_test`: the amounts' spread within cells."""
    source = scenario.scores["source"]
    if source == "file":
        cases = scenario.score_set()
        if cases.amounts is None:
            return {}
        rule_cases = None
        if scenario.rule is not None and scenario.rule["kind"] == "amount":
            rule_cases = ScoreSet(cases.amounts, cases.labels, amounts=cases.amounts, weights=cases.weights)
        return {"scores": (cases, rule_cases)}
    model = scenario.score_model()
    if model.amount_mean is None:
        return {}
    rule_kind = None if scenario.rule is None else scenario.rule["kind"]
    return {"amount_squares": (_independent_squares(model, treatment),
                               _amount_rule_squares(model, control) if rule_kind == "amount"
                               else _independent_squares(model, control))}


def _second_moment(mean, sigma):
    """E[A²] of a lognormal amount with mean ``mean`` and log-scale spread ``sigma``."""
    return mean * mean * math.exp(sigma * sigma)


def _independent_squares(model, decision):
    """Amounts independent of the score within each class: a cell's squares are its count times E[A² | class]."""
    e_pos = _second_moment(model.positive_amount_mean, model.amount_sigma)
    e_neg = _second_moment(model.amount_mean, model.amount_sigma)
    p = decision.point
    return {"tp": p.tp * e_pos, "fn": p.fn * e_pos, "fp": p.fp * e_neg, "tn": p.tn * e_neg}


def _amount_rule_squares(model, decision):
    """Flag amounts >= c: E[A² 1{A >= c}] = E[A²] Phi((mu + 2 s² - log c) / s), mu = log(mean) - s² / 2."""
    s, c = model.amount_sigma, decision.threshold
    p = decision.curve

    def flagged_share(mean):
        if c == math.inf or mean <= 0:
            return 0.0
        if c <= 0:
            return 1.0
        if s == 0:
            return 1.0 if mean >= c else 0.0
        mu = math.log(mean) - s * s / 2
        return float(stats.norm.cdf((mu + 2 * s * s - math.log(c)) / s))

    total_pos = p.positives * _second_moment(model.positive_amount_mean, s)
    total_neg = p.negatives * _second_moment(model.amount_mean, s)
    tp = total_pos * flagged_share(model.positive_amount_mean)
    fp = total_neg * flagged_share(model.amount_mean)
    return {"tp": tp, "fn": total_pos - tp, "fp": fp, "tn": total_neg - fp}
