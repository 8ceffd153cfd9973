"""RolloutPlanner without a browser: set a control's ``.value``, read ``.result``."""

import pytest

import aipm_sim as am
from aipm_sim.widgets import RolloutPlanner
from aipm_sim.widgets.experiments import MSG_STAGES_TEXT, MSG_TRAFFIC_TEXT

FRAUD = am.load_scenario("fraud_detection")


@pytest.fixture(scope="module")
def planner():
    return RolloutPlanner(FRAUD, render=False)


def test_opens_on_the_scenario_plan():
    p = RolloutPlanner(FRAUD, render=True)
    plan = am.plan_launch(FRAUD)
    assert p.result.test.days == plan.test.days and p.result.rollout.total_days == plan.rollout.total_days
    assert p.image.value[:8] == b"\x89PNG\r\n\x1a\n"
    assert f"{plan.test.days:,} days" in p.summary.value and "orders on each side" in p.summary.value


def test_controls_change_the_plan():
    p = RolloutPlanner(FRAUD, render=False)
    days = p.result.test.days_collecting
    p.traffic.value = 20_000
    assert p.result.test.days_collecting == pytest.approx(days / 2)
    assert p.result == p.result  # a fresh LaunchPlan object each time
    p.minimum_effect.value = 0.2
    assert p.result.test.minimum_effect == 0.2
    assert p.result.test.days == am.plan_launch(FRAUD, traffic_per_day=20_000, minimum_effect=0.2).test.days
    p.power.value = 0.9
    assert p.result.test.power == 0.9
    p.stages.value = "5, 50, 100"
    assert p.result.rollout.stages == (0.05, 0.5, 1.0)
    before = p.result.rollout.total_days
    p.harm.value = 10  # a larger harm (10 more per 1,000) is caught sooner
    assert p.result.rollout.harm == pytest.approx(0.01) and p.result.rollout.total_days < before


def test_bad_input_keeps_the_last_plan():
    p = RolloutPlanner(FRAUD, render=False)
    good = p.result
    p.stages.value = "ten, 100"
    assert p.result is good and MSG_STAGES_TEXT.format("ten, 100") in p.errors.value.replace("&#x27;", "'")
    p.stages.value = "50, 10, 100"
    assert p.result is good and "increasing" in p.errors.value
    p.stages.value = "10, 100"
    assert p.errors.value == "" and p.result.rollout.stages == (0.1, 1.0)
    p.traffic.value = 0
    assert MSG_TRAFFIC_TEXT.format("order", 0.0) in p.errors.value
