"""plan_rollout on a hand-computed two-stage example, and its error paths."""

import math
import re

import pytest

import aipm_sim as am
from aipm_sim.core.errors import ParameterError
from aipm_sim.core.experiments.plan import size_test
from aipm_sim.core.experiments.rollout import (
    COLUMNS, MSG_COST, MSG_GUARDRAIL, MSG_HARM, MSG_MIN_DAYS, MSG_NAME, MSG_PLAN, MSG_STAGES, MSG_TRAFFIC,
    MSG_VALUE_PER_CASE, NOT_PRICED,
)


def exactly(message):
    return "^" + re.escape(message) + "$"


@pytest.fixture
def plan():
    # 1,000 cases a day, the treatment expected to add 0.30 EUR per case.
    return size_test(metric="value", control_mean=0.0, treatment_mean=0.3, control_sd=5.0, treatment_sd=5.0,
                     units_per_case=1.0, cases_per_day=1000.0, alpha=0.05, power=0.8, allocation=0.5,
                     minimum_effect=None, label_delay_days=0.0, alternative="two-sided", currency="EUR")


def test_two_stage_by_hand(plan):
    # Stage 1, half the traffic: one-sided test of 0.10 against 0.15 with equal groups, by hand:
    #   pbar = 0.125, sd0 = sqrt(2 * 0.125 * 0.875) = 0.467707, sd1 = sqrt(0.1 * 0.9 + 0.15 * 0.85) = 0.466369,
    #   n = ((1.644854 * 0.467707 + 0.841621 * 0.466369) / 0.05)^2 = 539.93 -> 540 cases per group,
    #   500 per group and day -> 1.08 days -> 2 days.
    #   treated: 500 * 2 = 1,000 cases; extra events 0.05 * 1,000 = 50; at 4 EUR each: -200 EUR;
    #   forgone: the untreated 500 a day for 2 days at 0.30 EUR = 300 EUR.
    r = am.plan_rollout(plan, stages=(0.5, 1.0), guardrail=0.1, harm=0.05, cost_per_event=-4.0,
                        guardrail_name="held good orders")
    assert tuple(r.table.columns) == COLUMNS
    first, last = r.table.iloc[0], r.table.iloc[1]
    assert (first["days"], first["start_day"], first["end_day"]) == (2, 0, 2)
    assert first["treated_cases"] == pytest.approx(1000.0)
    assert first["events_at_risk"] == pytest.approx(50.0)
    assert first["value_at_risk"] == pytest.approx(-200.0)
    assert first["value_forgone"] == pytest.approx(300.0)
    assert (last["days"], last["share"], last["value_forgone"]) == (0, 1.0, 0.0)
    assert r.total_days == 2
    assert r.value_at_risk == pytest.approx(-200.0) and r.value_forgone == pytest.approx(300.0)
    words = r.table_in_words(case="order")
    assert list(words.columns) == ["share of traffic (%)", "days", "from day", "to day", "orders on the new decision",
                                   "extra held good orders if harmful", "value at risk (EUR)",
                                   "value forgone by ramping (EUR)"]
    assert list(words["share of traffic (%)"]) == [50.0, 100.0] and words.index.name == "stage"
    text = r.describe()
    assert "50% of traffic for 2 days" in text and "held good orders" in text and "200 EUR" in text
    assert "300 EUR" in text and "100 to 150 per 1,000" in text


def test_unequal_stage_and_min_days(plan):
    # 20 % of traffic: control 800 a day, treated 200; the treated group limits: ceil(n_t / 200) days.
    r = am.plan_rollout(plan, stages=(0.2, 1.0), guardrail=0.1, harm=0.05)
    n_c = am.sample_size_proportions(0.1, 0.15, ratio=0.25, alternative="larger")
    expected = math.ceil(max(math.ceil(n_c) / 800, math.ceil(0.25 * n_c) / 200))
    assert r.table.iloc[0]["days"] == expected
    assert math.isnan(r.value_at_risk)
    slow = am.plan_rollout(plan, stages=(0.2, 1.0), guardrail=0.1, harm=0.05, min_days=7)
    assert slow.total_days == max(7, expected)
    # twice the traffic: 1,600 control and 400 treated cases a day
    wide = am.plan_rollout(plan, stages=(0.2, 1.0), guardrail=0.1, harm=0.05, cases_per_day=2000)
    assert wide.table.iloc[0]["days"] == math.ceil(max(math.ceil(n_c) / 1600, math.ceil(0.25 * n_c) / 400))
    assert wide.cases_per_day == 2000


def test_more_stages_take_longer_but_risk_less(plan):
    fast = am.plan_rollout(plan, stages=(0.5, 1.0), guardrail=0.01, harm=0.005, cost_per_event=-10)
    slow = am.plan_rollout(plan, stages=(0.01, 0.1, 0.5, 1.0), guardrail=0.01, harm=0.005, cost_per_event=-10)
    assert slow.total_days > fast.total_days
    assert slow.table.iloc[0]["value_at_risk"] > fast.table.iloc[0]["value_at_risk"]  # less negative


ERRORS = [
    (dict(stages=(0.1, 0.5), guardrail=0.1, harm=0.01), MSG_STAGES.format((0.1, 0.5))),
    (dict(stages=(0.5, 0.1, 1.0), guardrail=0.1, harm=0.01), MSG_STAGES.format((0.5, 0.1, 1.0))),
    (dict(stages=(0.0, 1.0), guardrail=0.1, harm=0.01), MSG_STAGES.format((0.0, 1.0))),
    (dict(stages="abc", guardrail=0.1, harm=0.01), MSG_STAGES.format("abc")),
    (dict(guardrail=0.0, harm=0.01), MSG_GUARDRAIL.format(0.0)),
    (dict(guardrail="x", harm=0.01), MSG_GUARDRAIL.format("x")),
    (dict(guardrail=0.1, harm=0.0), MSG_HARM.format(0.0, 0.1)),
    (dict(guardrail=0.5, harm=0.6), MSG_HARM.format(0.6, 0.5)),
    (dict(guardrail=0.1, harm="y"), MSG_HARM.format("y", 0.1)),
    (dict(guardrail=0.1, harm=0.01, cost_per_event=5), MSG_COST.format(5)),
    (dict(guardrail=0.1, harm=0.01, cost_per_event="z"), MSG_COST.format("z")),
    (dict(guardrail=0.1, harm=0.01, guardrail_name=" "), MSG_NAME.format(" ")),
    (dict(guardrail=0.1, harm=0.01, min_days=0), MSG_MIN_DAYS.format(0)),
    (dict(guardrail=0.1, harm=0.01, min_days=1.5), MSG_MIN_DAYS.format(1.5)),
    (dict(guardrail=0.1, harm=0.01, cases_per_day=0), MSG_TRAFFIC.format(0)),
    (dict(guardrail=0.1, harm=0.01, cases_per_day="many"), MSG_TRAFFIC.format("many")),
]


@pytest.mark.parametrize(("kwargs", "message"), ERRORS)
def test_errors(plan, kwargs, message):
    with pytest.raises(ParameterError, match=exactly(message)):
        am.plan_rollout(plan, **kwargs)


def test_plan_type():
    with pytest.raises(TypeError, match=exactly(MSG_PLAN.format("dict"))):
        am.plan_rollout({}, guardrail=0.1, harm=0.01)


def test_value_per_case_prices_what_ramping_forgoes(plan):
    # A test of a rate knows no value per case; the caller gives it: 0.25 EUR per case, half the traffic
    # untreated for the 2 days of the first stage (see the hand computation above): 500 * 2 * 0.25 = 250 EUR.
    rate_plan = size_test(metric="precision", control_mean=0.2, treatment_mean=0.25, control_sd=0.4,
                          treatment_sd=0.433, units_per_case=0.1, cases_per_day=1000.0, alpha=0.05, power=0.8,
                          allocation=0.5, minimum_effect=None, label_delay_days=0.0, alternative="two-sided",
                          currency="EUR")
    unpriced = am.plan_rollout(rate_plan, stages=(0.5, 1.0), guardrail=0.1, harm=0.05)
    assert math.isnan(unpriced.value_forgone) and math.isnan(unpriced.value_per_case)
    assert "forgoes" not in unpriced.describe()
    words = unpriced.table_in_words(case="order")
    assert list(words["value forgone by ramping (EUR)"]) == [NOT_PRICED, ""]
    assert list(words["value at risk (EUR)"]) == [NOT_PRICED, ""]
    assert list(words["orders on the new decision"]) == [1000, "everyone"]
    priced = am.plan_rollout(rate_plan, stages=(0.5, 1.0), guardrail=0.1, harm=0.05, value_per_case=0.25)
    assert priced.value_forgone == pytest.approx(250.0) and priced.value_per_case == 0.25
    assert "forgoes about 250 EUR" in priced.describe()
    # the default for a test of value is its expected effect (0.30 EUR per case: 300 EUR, as above)
    assert am.plan_rollout(plan, stages=(0.5, 1.0), guardrail=0.1, harm=0.05).value_forgone == pytest.approx(300.0)


@pytest.mark.parametrize("bad", [math.nan, math.inf, "much"])
def test_value_per_case_errors(plan, bad):
    with pytest.raises(ParameterError, match=exactly(MSG_VALUE_PER_CASE.format(bad))):
        am.plan_rollout(plan, stages=(0.5, 1.0), guardrail=0.1, harm=0.05, value_per_case=bad)
