"""The monitoring dashboard: a control's new value changes .result as the core says it should."""

import numpy as np
import pytest

import aipm_sim as am
from aipm_sim.core.errors import ParameterError
from aipm_sim.widgets import MonitoringDashboard

MODEL = am.BinormalModel(0.05, 0.85)
VALUE = am.ValueModel(tp=50, fp=-5)


@pytest.fixture
def dashboard():
    return MonitoringDashboard(MODEL, VALUE, periods=8, cases_per_period=2_000, label_delay=2, retrain_cost=100,
                               policies=["do_nothing", "rethreshold", "retrain_every_2"], currency="EUR",
                               period="week", render=False)


def net(result, policy):
    return float(result.comparison.table.set_index("policy").loc[policy, "net value"])


def test_retrain_cost_moves_net_value_by_the_retrains(dashboard):
    before = dashboard.result
    retrains = int(before.comparison.table.set_index("policy").loc["Retrain every 2 weeks", "retrains"])
    dashboard.retrain_cost.value = 600.0
    after = dashboard.result
    assert after.retrain_cost == 600.0
    assert net(after, "Retrain every 2 weeks") == pytest.approx(net(before, "Retrain every 2 weeks") - 500 * retrains)
    assert net(after, "Do nothing") == net(before, "Do nothing")


def test_sliders_change_the_plan_and_the_simulation(dashboard):
    dashboard.prevalence_factor.value = 3.0
    dashboard.auc_decay.value = 0.01
    dashboard.label_delay.value = 0
    r = dashboard.result
    assert r.drift_plan.prevalence_factor == 3.0 and r.drift_plan.auc_decay_per_period == 0.01
    assert r.production.label_delay == 0
    assert r.production.planned_prevalence[-1] == pytest.approx(0.15)
    expected = am.compare_policies(r.production, VALUE, policies=["do_nothing", "rethreshold", "retrain_every_2"],
                                   retrain_cost=100, recalibrate_cost=200, currency="EUR", period="week")
    assert np.allclose(expected.table["net value"], r.comparison.table["net value"])
    assert r.comparison.verdict in dashboard.verdict.value
    assert "Retrain every 2 weeks" in dashboard.table.value


def test_rendered_dashboard_from_a_scenario():
    d = MonitoringDashboard.from_scenario(am.load_scenario("fraud_detection"), periods=6, cases_per_period=2_000)
    assert d.result.production.periods == 6 and d.result.retrain_cost == 15_000
    assert d._figure.image.value[:4] == b"\x89PNG"
    with pytest.raises(ParameterError):
        MonitoringDashboard.from_scenario(am.load_scenario("medical_screening"))


def test_policy_table_speaks_money_with_its_currency(dashboard):
    from html.parser import HTMLParser

    class Cells(HTMLParser):
        def __init__(self):
            super().__init__()
            self.cells = []

        def handle_data(self, data):
            if data.strip():
                self.cells.append(data.strip())

    parser = Cells()
    parser.feed(dashboard.table.value)
    table = dashboard.result.comparison.table
    headings = ["Policy", "Net value", "Compared with doing nothing", "Retrains", "Alerts"]
    assert parser.cells[:5] == headings
    rows = [parser.cells[5 + 5 * i: 10 + 5 * i] for i in range(len(table))]
    cur = dashboard.result.comparison.currency
    for row, (_, expected) in zip(rows, table.iterrows()):
        assert row[0] == expected["policy"]
        net = float(row[1].removesuffix(f" {cur}").replace(",", ""))  # "+1,234 EUR" / "-2,019,985 EUR"
        assert net == pytest.approx(expected["net value"], abs=0.5)
        assert row[3] == str(expected["retrains"]) and row[4] == str(expected["alerts raised"])
    assert rows[0][2] == "(the baseline)"
    text = " ".join(parser.cells)
    assert "nan" not in text.lower() and "_" not in text
