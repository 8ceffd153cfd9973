"""The report's Groups section: only with a scenario that has groups; its numbers are optimize_groups'."""

import pytest

import aipm_sim as am
from aipm_sim import report
from aipm_sim.report import _groups
from aipm_sim.report._figures import ReportFigure
from aipm_sim.report._sections import SECTIONS, section_parts


@pytest.fixture(scope="module")
def analysis():
    return report.analyse(scenario="credit_approval_groups")


def test_section_is_registered():
    assert ("aipm_sim.report._groups", "groups_section") in SECTIONS


def test_no_groups_no_section():
    assert _groups.groups_section(report.analyse(scenario="credit_approval")) == []


@pytest.fixture(scope="module")
def parts(analysis):
    return _groups.groups_section(analysis)


def test_section_numbers_are_optimize_groups(analysis, parts, monkeypatch):
    assert parts[0] == "## Groups"
    text = "\n".join(p for p in parts if isinstance(p, str))
    assert sum(isinstance(p, ReportFigure) for p in parts) == 2
    scenario = am.load_scenario("credit_approval_groups")
    sim = am.scenario_groups(scenario, n_cases=_groups.N_CASES, seed=_groups.SEED)
    d = am.optimize_groups(sim.measured, scenario.value_model(), fairness="demographic_parity",
                           tolerance=_groups.TOLERANCE, volume=scenario.volume, **scenario.constraints)
    assert report._analysis.fmt_money(d.value, "EUR") in text
    assert report._analysis.fmt_signed_money(-d.price_of_fairness, "EUR") in text
    assert "four-fifths rule" in text and "does not guarantee" in text
    assert "demographic\\_parity" not in text and "demographic_parity" not in text
    for g in scenario.groups:
        assert report._analysis.escape_text(g["source"]) in text
    monkeypatch.setattr(_groups, "groups_section", lambda _a: parts)  # computed once above
    shown = [p for p in section_parts(analysis) if isinstance(p, str)]
    assert all(p in shown for p in parts if isinstance(p, str))  # the template shows the section
