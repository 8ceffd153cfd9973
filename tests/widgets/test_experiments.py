"""RolloutPlanner without a browser: set a control's ``.value``, read ``.result``."""

import pytest

import aipm_sim as am
from aipm_sim.widgets import RolloutPlanner
from aipm_sim.widgets.experiments import (
    MSG_EFFECT_TEXT, MSG_GUARDRAIL_TEXT, MSG_HARM_TEXT, MSG_STAGES_ORDER_TEXT, MSG_STAGES_TEXT, MSG_TRAFFIC_TEXT,
)

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
    days, first = p.result.test.days_collecting, p.result
    p.traffic.value = 20_000
    assert p.result.test.days_collecting == pytest.approx(days / 2)
    assert p.result is not first  # a fresh LaunchPlan for the new traffic
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


def shown(p):
    return p.errors.value.replace("&#x27;", "'").replace("&quot;", '"')


@pytest.mark.parametrize("typed", ["1, 10, 50", "1, 10, 150", "0, 50, 100", "50, 10, 100", "nan, 100"])
def test_stages_are_refused_in_percent_as_typed(typed):
    p = RolloutPlanner(FRAUD, render=False)
    good = p.result
    p.stages.value = typed
    assert p.result is good
    assert MSG_STAGES_ORDER_TEXT.format(typed) in shown(p)
    assert "(0, 1]" not in shown(p) and "1.0" not in shown(p)


def test_guardrail_and_harm_are_refused_per_1000():
    p = RolloutPlanner(FRAUD, render=False)
    good = p.result
    p.guardrail_rate.value = 0
    assert p.result is good and MSG_GUARDRAIL_TEXT.format("cancelled orders", "order", 0.0) in shown(p)
    p.guardrail_rate.value = 20
    good = p.result
    p.harm.value = 990
    assert p.result is good and MSG_HARM_TEXT.format("cancelled orders", "order", 20.0, 990.0) in shown(p)
    p.harm.value = 5
    assert shown(p) == "" and p.result.rollout.harm == pytest.approx(0.005)
    p.minimum_effect.value = 0
    assert p.result.test.minimum_effect == pytest.approx(0.1)
    assert MSG_EFFECT_TEXT.format("EUR per order", 0.0) in shown(p)


def test_a_rate_effect_is_typed_in_percentage_points():
    recs = am.load_scenario("recommendations")
    p = RolloutPlanner(recs, render=False)
    # [launch] minimum_effect = 0.005: half a percentage point of the share of shown items clicked
    assert p.minimum_effect.value == pytest.approx(0.5)
    assert "percentage points" in p.minimum_effect.description
    p.minimum_effect.value = 1.0
    assert p.result.test.minimum_effect == pytest.approx(0.01)
    assert p.result.test.days == am.plan_launch(recs, minimum_effect=0.01).test.days


def test_the_scenario_alpha_and_power_are_kept_not_snapped(tmp_path):
    # A [launch] section with alpha 0.025 and power 0.85 (not among the usual choices) opens on those values.
    import pathlib

    text = (pathlib.Path(am.__file__).parent / "scenarios" / "fraud_detection.toml").read_text()
    head, launch = text.split("[launch]", 1)
    launch = launch.replace("alpha = 0.05", "alpha = 0.025", 1).replace("power = 0.8", "power = 0.85", 1)
    (tmp_path / "odd.toml").write_text(head + "[launch]" + launch)
    p = RolloutPlanner(am.load_scenario(tmp_path / "odd.toml"), render=False)
    assert (p.alpha.value, p.power.value) == (0.025, 0.85)
    assert ("2.5%", 0.025) in p.alpha.options and ("5%", 0.05) in p.alpha.options  # stated levels: fmt_level
    assert ("85%", 0.85) in p.power.options and ("80%", 0.8) in p.power.options
    p.traffic.value = 20_000  # another control changes: alpha and power stay the scenario's
    assert (p.result.test.alpha, p.result.test.power) == (0.025, 0.85)


def test_the_planner_shows_as_a_sentence_where_widgets_do_not_render(planner):
    from aipm_sim.widgets.experiments import TEXT_FORM

    data = planner._repr_mimebundle_()
    data = data[0] if isinstance(data, tuple) else data
    assert data["text/plain"] == TEXT_FORM and "application/vnd.jupyter.widget-view+json" in data
