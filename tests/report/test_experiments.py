"""The report's "Launch plan" section: its numbers are the launch plan's, in the scenario's words."""

import pytest

import aipm_sim as am
from aipm_sim import report
from aipm_sim.report._experiments import launch_section
from aipm_sim.report._figures import ReportFigure
from aipm_sim.report._sections import SECTIONS


@pytest.fixture(scope="module")
def fraud():
    return report.analyse(scenario="fraud_detection")


def test_registered():
    assert ("aipm_sim.report._experiments", "launch_section") in SECTIONS


def test_fraud_launch_plan(fraud):
    parts = launch_section(fraud)
    # Heading, the power chart beside the test's words, the rollout chart beside the peeking rule and the
    # rollout's words, then the rollout table (below both charts).
    assert [type(p) for p in parts] == [str, ReportFigure, str, ReportFigure, str, str, str]
    assert all(f.side for f in parts if isinstance(f, ReportFigure))
    text = "\n\n".join(p for p in parts[:5] if isinstance(p, str))
    plan = am.plan_launch(fraud.scenario)
    t = plan.test
    assert text.startswith("## Launch plan")
    assert f"**{t.days:,} days** in all" in text and "10,000 orders a day" in text
    assert f"{t.cases_control:,} orders on today's side" in text
    assert "60,000 EUR per month" in text  # 0.10 EUR per order at 600,000 orders a month
    assert f"{t.always_valid_days:,} days instead of {t.days:,}" in text
    assert "_" not in text.replace("**", "")  # no snake_case reaches the reader
    # the optimised amount rule holds no order (its value is the value of holding nothing): the text says so
    assert plan.control.point.alerts == 0 and "at its best setting flags no order" in text
    gain = am.value_moments(plan.treatment).mean - am.value_moments(plan.control).mean
    assert gain > 0 and f"expect a gain of {gain:.2f} EUR per order" in text
    assert parts[5].startswith("### Staged rollout")
    rollout = parts[6]
    assert "| 1 | 1% |" in rollout and "Orders on the model" in rollout and "per 1,000 orders" in parts[5]
    assert parts[1].alt.endswith(f"at {t.days:,} days, the planned length.")


def test_no_launch_section():
    assert launch_section(report.analyse(scenario="churn_retention")) == []
