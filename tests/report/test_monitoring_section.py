"""The report's "Monitoring plan" section: present with a [monitoring] table, absent without, in words."""

import dataclasses

import numpy as np
import pytest

import aipm_sim as am
from aipm_sim.report import _monitoring
from aipm_sim.report._sections import SECTIONS


@pytest.fixture(scope="module")
def fraud_plan():
    return am.plan_monitoring(am.load_scenario("fraud_detection"))


def test_section_is_registered():
    assert ("aipm_sim.report._monitoring", "monitoring_section") in SECTIONS


def test_plan_in_words(fraud_plan):
    text = _monitoring.plan_markdown(fraud_plan, "EUR")
    assert text.startswith("## Monitoring plan")
    for words in ("What to watch.", "Alert threshold.", "What each response is worth", "Verdict.",
                  "Where the estimate without labels fails."):
        assert words in text
    # the alert threshold is the 99th percentile of the no-drift resamples
    assert np.quantile(fraud_plan.null.statistics, 0.99) == pytest.approx(fraud_plan.null.threshold)
    assert f"{fraud_plan.null.threshold:.2g}" in text
    assert "every 4 weeks" in text and "15,000 EUR each" in text
    assert "_" not in text.replace("aipm_sim", "")  # no code names reach the reader
    assert fraud_plan.comparison.verdict in text


def test_plan_matches_the_scenario(fraud_plan):
    scenario = am.load_scenario("fraud_detection")
    prod = fraud_plan.production
    assert prod.threshold == pytest.approx(scenario.optimize().threshold)
    assert prod.periods == 26 and prod.label_delay == 4 and fraud_plan.period == "week"
    assert fraud_plan.volume == scenario.values["orders_per_day"] * 7
    assert prod.planned_prevalence[12] == pytest.approx(2 * prod.planned_prevalence[11])


def test_no_section_without_a_monitoring_table():
    class Analysis:
        scenario = am.load_scenario("medical_screening")
    assert Analysis.scenario.monitoring is None
    assert _monitoring.monitoring_section(Analysis) == []
    Analysis.scenario = None
    assert _monitoring.monitoring_section(Analysis) == []


def test_plan_says_what_to_do_when_the_alert_never_fires(fraud_plan):
    # In the fraud preset the score distribution hardly moves: the plan must not be "act when it fires".
    m = fraud_plan.production.metrics
    assert not (m["drift"] > fraud_plan.null.threshold).any()
    text = _monitoring.plan_markdown(fraud_plan, "EUR")
    assert "What to do when it fires" not in text
    assert "**What to do instead.** Do not wait for the drift alert" in text
    best = fraud_plan.comparison.best_interval
    assert f"Retrain on a schedule (every {best} weeks earns the most below)" in text
    recall = m["recall"].iloc[0]
    assert f"{100 * recall:.1f}% of the first week" in text
    assert "| no difference (the alert never fired) |" in text


def test_plan_when_the_alert_fires(fraud_plan):
    null = dataclasses.replace(fraud_plan.null, threshold=0.0)  # every period's statistic exceeds 0
    text = _monitoring.plan_markdown(dataclasses.replace(fraud_plan, null=null), "EUR")
    assert "What to do when it fires, and what each response is worth" in text
    assert "What to do instead." not in text and "never fired" not in text


def test_best_schedule_agrees_with_the_table():
    churn = am.plan_monitoring(am.load_scenario("churn_retention"))
    cmp_ = churn.comparison
    gains = cmp_.interval_gains.set_index("retrain every (periods)")["versus doing nothing"]
    best = int(gains.idxmax())
    text = _monitoring.plan_markdown(churn, "USD")
    listed = "Retrain every {} months".format(best) in set(cmp_.table["policy"])
    if listed:
        assert f"No other fixed schedule earns more than retraining every {best} months." in text
    else:
        assert f"Of the schedules not in the table, retraining every {best} months would earn a little more" in text
    assert "Among all fixed schedules" not in text
