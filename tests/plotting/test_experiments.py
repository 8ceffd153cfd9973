"""PowerDisplay and RolloutDisplay: the plotted data, labels and legends (not pixels)."""

import numpy as np
from matplotlib.figure import Figure
import pytest

import aipm_sim as am
from aipm_sim.core.errors import ParameterError
from aipm_sim.plotting import PowerDisplay, RolloutDisplay


@pytest.fixture(scope="module")
def launch():
    return am.plan_launch(am.load_scenario("fraud_detection"))


def test_power_display(launch, ax):
    plan = launch.test
    d = PowerDisplay.from_plan(plan, ax=ax)
    assert d.ax_ is ax and d.figure_ is ax.figure
    x, y = d.line_.get_data()
    assert np.all(np.diff(x) > 0) and np.all(np.diff(y) >= -1e-12)
    # each point is the plan's own power at that many cases, placed at its day
    units = (x - plan.label_delay_days) * (1 - plan.allocation) * plan.cases_per_day * plan.units_per_case
    np.testing.assert_allclose(y, plan.power_at(units), rtol=1e-9)
    assert d.plan_line_.get_xdata()[0] == plan.days
    assert d.target_line_.get_ydata()[0] == plan.power
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["chance of detecting the effect", "power asked for (80%)",
                      f"planned test: {plan.days} days",
                      f"read every day (always valid): {plan.always_valid_days} days"]
    assert ax.get_title().endswith(f"(to detect +{plan.minimum_effect:.2f} EUR per case)") and "days" in ax.get_xlabel()
    fig = Figure()
    worded = PowerDisplay.from_plan(plan, ax=fig.add_subplot(), case="order")
    assert worded.ax_.get_title().endswith("EUR per order)")


def test_power_display_against_cases(launch, ax):
    plan = launch.test
    d = PowerDisplay.from_plan(plan, x="cases", ax=ax)
    x, y = d.line_.get_data()
    np.testing.assert_allclose(y, plan.power_at(x * plan.units_per_case), rtol=1e-9)
    assert d.plan_line_.get_xdata()[0] == plan.cases_control and d.always_valid_line_ is None
    assert ax.get_xlabel().startswith("cases in the control group")
    with pytest.raises(ParameterError, match="x must be 'days' or 'cases'; found 'weeks'"):
        PowerDisplay.from_plan(plan, x="weeks")


def test_power_display_for_a_rate(ax):
    plan = am.plan_launch(am.load_scenario("recommendations")).test
    d = PowerDisplay.from_plan(plan, ax=ax)
    assert "precision +0.5 points" in ax.get_title()
    assert d.line_.get_data()[1].max() > plan.power


def test_rollout_display(launch, ax):
    r = launch.rollout
    d = RolloutDisplay.from_rollout(r, ax=ax)
    t = r.table
    assert len(d.bars_) == len(t) - 1
    assert [b.get_height() for b in d.bars_] == list(t["share"][:-1])
    assert [b.get_x() for b in d.bars_] == list(t["start_day"][:-1])
    assert [b.get_width() for b in d.bars_] == list(t["days"][:-1])
    assert [line.get_xdata()[0] for line in d.decision_lines_] == list(t["end_day"][:-1])
    assert d.launch_bar_.get_x() == r.total_days
    assert d.risk_labels()[0].startswith("at risk \N{MINUS SIGN}") and d.risk_labels()[0].endswith("EUR")
    labels = [x.get_text() for x in ax.get_legend().get_texts()]
    assert labels == ["decision point: go on or roll back", "share of traffic treated", "everyone (launch)"]
    assert ax.get_xlabel() == "days since the rollout started"


def test_rollout_display_unpriced(ax):
    r = am.plan_launch(am.load_scenario("recommendations")).rollout
    d = RolloutDisplay.from_rollout(r, ax=ax)
    assert d.risk_labels()[0].endswith("visits leaving from the page")


def test_power_display_days_follow_the_slower_side(ax):
    # The model flags a quarter as many cases as the rule: for a test of precision its side needs four times
    # the cases, and both sides fill at the same pace (half the traffic each), so the model's side sets the days.
    from aipm_sim.core.experiments.plan import size_test

    plan = size_test(metric="precision", control_mean=0.2, treatment_mean=0.3, control_sd=0.4, treatment_sd=0.458,
                     units_per_case=0.2, treatment_units_per_case=0.05, cases_per_day=1000.0, alpha=0.05,
                     power=0.8, allocation=0.5, minimum_effect=None, label_delay_days=3.0,
                     alternative="two-sided")
    n = am.sample_size_proportions(0.2, 0.3)
    # by hand: ceil(n) flagged cases on the model's side at 0.05 per case, 500 cases a day there
    assert plan.days_collecting == pytest.approx(2 * np.ceil(np.ceil(n) / 0.05) / 1000)
    d = PowerDisplay.from_plan(plan, ax=ax)
    x, y = d.line_.get_data()
    units = (x - 3.0) * 500 * 0.05  # flagged cases on the model's side by that day
    np.testing.assert_allclose(y, plan.power_at(units), rtol=1e-9)
    # the curve reaches the power asked for where the plan says (up to rounding to whole cases and days)
    assert plan.days_at(n) == pytest.approx(n / 0.05 / 500 + 3.0)
    assert plan.days - 1 < plan.days_at(n) <= plan.days
