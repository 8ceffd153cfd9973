"""The report's "Monitoring plan" section: present with a [monitoring] table, absent without, in words."""

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
    for words in ("What to watch.", "Alert threshold.", "What to do when it fires", "Verdict.",
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
