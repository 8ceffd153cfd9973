"""Tornado chart, two-parameter map, rule comparison and variant bars: the plotted data, labels and legends."""

import re

import numpy as np
import pytest

import aipm_sim as am
from aipm_sim.core.errors import ParameterError
from aipm_sim.plotting.roi import RuleComparisonDisplay, VariantsDisplay
from aipm_sim.plotting.sensitivity import MSG_MAX_PARAMETERS, MSG_METRIC, SensitivityMapDisplay, TornadoDisplay

FRAUD = am.load_scenario("fraud_detection")


@pytest.fixture(scope="module")
def sensitivity():
    return am.compute_sensitivity(FRAUD, parameters=["fraud_rate", "chargeback_fee", "model_auc", "build_cost"])


def test_tornado_draws_the_table(sensitivity, ax):
    d = TornadoDisplay.from_sensitivity(sensitivity, currency="EUR", drop_flat=False, ax=ax)
    t = sensitivity.table
    base = sensitivity.base["value"]
    assert d.ax_ is ax and d.figure_ is ax.figure
    # Largest swing on top: the first table row is the highest bar.
    ys = [bar.get_y() + bar.get_height() / 2 for bar in d.low_bars_]
    assert ys == sorted(ys, reverse=True)
    np.testing.assert_allclose([b.get_x() for b in d.low_bars_], base)
    np.testing.assert_allclose([b.get_x() + b.get_width() for b in d.low_bars_], t["value_at_low"])
    np.testing.assert_allclose([b.get_x() + b.get_width() for b in d.high_bars_], t["value_at_high"])
    labels = [tick.get_text() for tick in ax.get_yticklabels()]
    assert labels == d.labels()
    assert labels[0] == "fraud_rate\n0.15% to 0.6% of orders"  # a share in percent (0.0015 to 0.006)
    assert "chargeback_fee\n15 to 50 EUR per chargeback" in labels
    assert [text.get_text() for text in ax.get_legend().get_texts()] == [
        "parameter at its low bound", "parameter at its high bound"]
    assert d.base_line_.get_xdata()[0] == base
    assert "base case \N{MINUS SIGN}190k EUR" in ax.get_xlabel()
    assert len(d.texts_) == 2 * len(t) and d.texts_[0].get_text().startswith("t=")


def test_tornado_options(sensitivity, ax):
    d = TornadoDisplay.from_sensitivity(sensitivity, max_parameters=2, show_thresholds=False, ax=ax)
    assert d.parameters == list(sensitivity.table["parameter"][:2]) and d.texts_ == []
    # build_cost does not move the value: left out by default, kept on request.
    assert "build_cost" not in TornadoDisplay.from_sensitivity(sensitivity).parameters
    assert TornadoDisplay.from_sensitivity(sensitivity, drop_flat=False).parameters[-1] == "build_cost"
    assert TornadoDisplay.from_sensitivity(sensitivity).figure_.get_size_inches()[1] == pytest.approx(1.6 + 0.62 * 3)
    for bad in (0, 1.5, "x"):
        with pytest.raises(ParameterError, match="^" + re.escape(MSG_MAX_PARAMETERS.format(bad)) + "$"):
            TornadoDisplay.from_sensitivity(sensitivity, max_parameters=bad)


def test_tornado_writes_k_for_rankings(ax):
    recs = am.load_scenario("recommendations")
    s = am.compute_sensitivity(recs, parameters=["slot_cost"])
    d = TornadoDisplay.from_sensitivity(s, ax=ax)
    row = s.table.iloc[0]
    assert d.texts_[0].get_text() == f"t={row['threshold_at_low']:.4g}, k={row['k_at_low']}"
    assert d.labels() == ["slot_cost\n0 to 0.006 USD per slot per visit"]


def test_map_display(ax):
    m = am.compute_sensitivity_map(FRAUD, "chargeback_fee", "fraud_rate", n=3)
    d = SensitivityMapDisplay.from_map(m, ax=ax, currency="EUR")
    np.testing.assert_array_equal(d.mesh_.get_array().reshape(3, 3), m.threshold)
    assert ax.get_xlabel() == "chargeback_fee (EUR per chargeback)"
    assert ax.get_ylabel() == "fraud_rate (fraction of orders)"
    assert d.colorbar_.ax.get_ylabel() == "best threshold"
    assert [t.get_text() for t in d.texts_][:2] == [f"{m.threshold[0, 0]:.4g}", f"{m.threshold[0, 1]:.4g}"]
    v = SensitivityMapDisplay.from_map(m, metric="value", currency="EUR", annotate=False)
    np.testing.assert_array_equal(v.mesh_.get_array().reshape(3, 3), m.value)
    assert v.colorbar_.ax.get_ylabel() == "best value per month (EUR)" and v.texts_ == []
    assert v.ax_.get_title() == "Best value per month (EUR) as chargeback_fee and fraud_rate change"
    with pytest.raises(ParameterError, match="^" + re.escape(MSG_METRIC.format("threshold, value", "k")) + "$"):
        SensitivityMapDisplay.from_map(m, metric="k")


def test_map_display_blanks_infeasible_cells(ax):
    d = SensitivityMapDisplay(x="a", y="b", x_values=[1, 2], y_values=[3], z=[[0.5, np.nan]], metric="threshold")
    d.plot(ax=ax)
    assert np.ravel(d.mesh_.get_array().mask).tolist() == [False, True]
    assert [t.get_text() for t in d.texts_] == ["0.5", "n/a"]


def test_rule_comparison_display(ax):
    c = FRAUD.compare_rule()
    d = RuleComparisonDisplay.from_comparison(c, currency="EUR", ax=ax)
    m = c.model_decision
    np.testing.assert_array_equal(d.model_line_.get_ydata(), m.values)
    np.testing.assert_array_equal(d.model_line_.get_xdata(), m.curve.alert_rate)
    np.testing.assert_array_equal(d.rule_line_.get_ydata(), c.rule_decision.values)
    assert d.nothing_line_.get_ydata()[0] == c.nothing_value
    np.testing.assert_allclose(d.best_points_.get_offsets(), [[m.point.alert_rate, m.value],
                                                              [c.rule_decision.point.alert_rate, c.rule_value]])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "model", "rule: hold every order above an amount", "act on nothing (\N{MINUS SIGN}265k EUR)"]
    assert ax.get_xlim() == (0, d.x_max) and d.x_max == pytest.approx(3 * m.point.alert_rate)


def test_rule_comparison_display_for_rankings(ax):
    c = am.load_scenario("recommendations").compare_rule()
    d = RuleComparisonDisplay.from_comparison(c, ax=ax)
    np.testing.assert_array_equal(d.model_line_.get_xdata(), np.arange(1, 11))
    np.testing.assert_array_equal(d.model_line_.get_ydata(), c.model_decision.by_k["value"])
    assert ax.get_xlabel() == "items shown per visit (k)" and d.x_max is None


def test_variants_display(ax):
    c = FRAUD.compare_variants()
    d = VariantsDisplay.from_comparison(c, currency="EUR", ax=ax)
    np.testing.assert_array_equal([b.get_height() for b in d.bars_], c.table["net_value_per_month"])
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        "logistic regression\n5 ms", "gradient boosting\n30 ms", "deep sequence model\n180 ms (over budget)",
        "LLM review assistant\n1500 ms (over budget)"]
    assert ax.get_title() == "Model variants — latency budget 100 ms (p95); best within budget: gradient boosting"
    best = list(c.table["variant"]).index(c.best)
    assert d.bars_[best].get_facecolor() != d.bars_[0].get_facecolor()


def test_charts_of_scenario_results_default_to_the_scenarios_currency_and_month(sensitivity, ax):
    d = TornadoDisplay.from_sensitivity(sensitivity, ax=ax)
    assert d.currency == "EUR" and ax.get_xlabel().startswith("best value per month (EUR)")
    m = am.compute_sensitivity_map(FRAUD, "chargeback_fee", "fraud_rate", n=2)
    assert SensitivityMapDisplay.from_map(m, metric="value").colorbar_.ax.get_ylabel() == "best value per month (EUR)"
    r = RuleComparisonDisplay.from_comparison(FRAUD.compare_rule())
    assert r.ax_.get_ylabel() == "value per month (EUR)"
    recs = RuleComparisonDisplay.from_comparison(am.load_scenario("recommendations").compare_rule())
    assert recs.ax_.get_ylabel() == "value per month (USD)"
    v = VariantsDisplay.from_comparison(FRAUD.compare_variants())
    assert v.ax_.get_ylabel() == "net value per month (EUR)"


def test_rule_comparison_of_unlabelled_decisions_says_per_period(ax):
    vm = am.ValueModel(tp=100, fp=-10)
    model = am.optimize(am.BinormalModel(0.1, 0.9).curve(), vm, volume=1000)
    rule = am.optimize(am.BinormalModel(0.1, 0.7).curve(), vm, volume=1000)
    d = RuleComparisonDisplay.from_comparison(am.compare_rule(model, rule, rule="a rule"), ax=ax)
    assert ax.get_ylabel() == "value per period" and d.currency == ""


def test_tornado_marks_a_bound_where_the_constraints_cannot_hold(ax):
    doc = {
        "name": "toy", "title": "t", "summary": "s", "narrative": "n", "kind": "threshold", "currency": "EUR",
        "parameters": {"floor": {"value": 0.3, "low": 0.1, "high": 0.99, "min": 0, "max": 1},
                       "fee": {"value": 5.0, "low": 1.0, "high": 9.0}},
        "scores": {"source": "binormal", "prevalence": 0.1, "auc": 0.8},
        "value": {"tp": 10, "fp": "-fee"},
        "decision": {"volume": 100, "constraints": {"min_recall": "floor", "max_alert_rate": 0.1}},
    }
    s = am.compute_sensitivity(am.core.business.scenario.parse_scenario(doc))
    assert s.infeasible == (("floor", "high"),)
    d = TornadoDisplay.from_sensitivity(s, ax=ax)
    assert d.parameters == ["floor", "fee"]  # kept although its swing is NaN
    assert d.high_bars_[0].get_width() == 0.0  # no bar for the impossible bound
    assert d.low_bars_[0].get_x() + d.low_bars_[0].get_width() == pytest.approx(s.table.loc[0, "value_at_low"])
    texts = [t.get_text() for t in d.texts_]
    assert "high: constraints cannot hold" in texts and len(texts) == 4
