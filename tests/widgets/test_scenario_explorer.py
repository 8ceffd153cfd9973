"""scenario_explorer: the explorer opened on a scenario agrees with the scenario's own decision."""

import re

import pytest

import aipm_sim as am
from aipm_sim.core.errors import ParameterError
from aipm_sim.widgets.scenario_explorer import MSG_K_THRESHOLD, MSG_RANKING_CONSTRAINT, scenario_explorer


def exactly(message):
    return "^" + re.escape(message) + "$"


@pytest.mark.parametrize("name", ["fraud_detection", "medical_screening", "credit_approval"])
def test_threshold_scenario_starts_at_the_scenario_optimum(name):
    s = am.load_scenario(name)
    d = s.optimize()
    e = scenario_explorer(s, render=False)
    assert e.result.best_threshold == d.threshold
    assert e.result.best_value == pytest.approx(d.value, rel=1e-12)
    assert dict(e.result.constraints) == s.constraints
    assert e.result.period == "month" and e.currency == s.currency and e.volume == s.volume


def test_capacity_is_the_alert_limit_and_moving_past_it_breaks_it():
    s = am.load_scenario("fraud_detection")
    e = scenario_explorer(s, render=False)
    e.threshold.value = 0.02  # far more alerts than two analysts can review
    assert e.result.broken_constraints == ("max_alerts",)
    assert e.result.alerts_per_period > s.constraints["max_alerts"]


def test_ranking_scenario_explores_the_minimum_score_at_the_best_k():
    s = am.load_scenario("recommendations")
    d = s.optimize()
    e = scenario_explorer(s, render=False)
    assert e.result.best_threshold == d.min_score
    # The view charges the k slots in every visit that shows something, as the scenario does.
    assert e.result.best_value == pytest.approx(d.value, rel=1e-12)
    assert e.result.point.precision == pytest.approx(d.point.precision_shown)
    e3 = scenario_explorer(s, k=3, render=False)
    assert e3.result.curve.n_cases == 3 * s.curve().sessions


def test_errors():
    with pytest.raises(ParameterError, match=exactly(MSG_K_THRESHOLD.format("fraud_detection"))):
        scenario_explorer(am.load_scenario("fraud_detection"), k=3)
    doc = am.load_scenario("recommendations").to_dict()
    doc["decision"]["constraints"]["min_hit_rate"] = 0.1
    s = am.core.business.scenario.parse_scenario(doc)
    with pytest.raises(ParameterError, match=exactly(MSG_RANKING_CONSTRAINT.format("recommendations", "min_hit_rate"))):
        scenario_explorer(s)


def test_boxes_show_the_scenarios_numbers_readably_and_keep_them_exact():
    s = am.load_scenario("fraud_detection")
    e = scenario_explorer(s, render=False)
    vm = s.value_model()
    assert vm.fp == pytest.approx(-13 / 3) and vm.tp_amount != -0.05  # derived numbers with long decimals
    assert e.value_inputs["fp"].value == -4.33333 and e.value_inputs["tp_amount"].value == -0.05
    assert e.value_model == vm
    credit = am.load_scenario("credit_approval")
    e = scenario_explorer(credit, render=False)
    assert e.constraint_inputs["max_alert_rate"].value == 0.15
    e.constraint_switches["max_fpr"].value = True  # re-reads every box that is switched on ...
    e.constraint_switches["max_fpr"].value = False
    assert e.constraints == credit.constraints  # ... without rounding the bound in force
