"""GroupExplorer: controls set, .result read; numbers equal group_metrics / optimize_groups."""

import math

import pytest

import aipm_sim as am
from aipm_sim.widgets import GroupExplorer


@pytest.fixture(scope="module")
def data():
    sim = am.simulate_groups({"north": am.GroupModel(size=400, prevalence=0.2, auc=0.8),
                              "south": am.GroupModel(size=300, prevalence=0.1, auc=0.7)}, seed=2)
    return sim.measured, am.ValueModel(tp=100.0, fp=-10.0)


def test_starts_at_the_best_per_group_and_optimises_under_a_rule(data):
    s, vm = data
    app = GroupExplorer(s, vm, volume=1000, period="month", currency="EUR", render=False)
    free = am.optimize_groups(s, vm, volume=1000)
    assert app.result.value == pytest.approx(free.value)
    app.rule.value = "equal_opportunity"
    app.tolerance.value = 0.05
    app.optimise_button.click()
    d = am.optimize_groups(s, vm, fairness="equal_opportunity", tolerance=0.05, volume=1000)
    assert dict(app.result.thresholds) == dict(d.thresholds)
    assert app.result.value == pytest.approx(d.value)
    assert app.result.decision.price_of_fairness == pytest.approx(d.price_of_fairness)
    assert "price of fairness" in app.price.value and "EUR per month" in app.price.value
    assert "false alarm rate" in app.table.value and "fpr" not in app.table.value


def test_editing_a_threshold_recomputes_the_table(data):
    s, vm = data
    app = GroupExplorer(s, vm, render=False)
    app.threshold_inputs["north"].value = 0.4
    app.threshold_inputs["south"].value = 0.6
    table = am.group_metrics(s, {"north": 0.4, "south": 0.6}, value_model=vm)
    assert app.result.decision is None
    assert app.result.by_group.equals(table)
    assert app.result.value == pytest.approx(table["value"].sum())


def test_impossible_rule_shows_words(data):
    s, vm = data
    app = GroupExplorer(s, vm, render=False, min_recall=0.99, max_alert_rate=0.05)
    assert app.result.message.startswith("no choice of one threshold per group meets")
    assert all(math.isinf(t) for t in app.result.thresholds.values())
    app.rule.value = "demographic_parity"
    app.tolerance.value = 0.0
    app.optimise()
    assert app.result.decision is None
    assert app.result.message.startswith("no choice of one threshold per group meets")
    assert "no choice" in app.price.value


def test_renders_figures(data):
    s, vm = data
    app = GroupExplorer(s, vm)
    assert app.figures["groups"].image.value[:4] == b"\x89PNG"
    assert set(app.frontier_["rule"]) == set(am.FAIRNESS_RULES)
    app.rule.value = "demographic_parity"
    app.optimise()
    assert not math.isnan(app.result.value)


def test_tolerance_reads_as_a_gap_in_percent():
    s = am.ScoreSet([0.9, 0.8, 0.1, 0.2], [1, 0, 1, 0], groups=["a", "a", "b", "b"])
    app = GroupExplorer(s, am.ValueModel(tp=1.0, fp=-1.0), render=False)
    assert app.tolerance.description == "allowed gap" and app.tolerance.readout_format == ".1%"
