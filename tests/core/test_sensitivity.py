"""Sensitivity, two-parameter maps and break-even points against re-running the optimiser by hand."""

import math
import re

import numpy as np
import pytest

import aipm_sim as am
from aipm_sim.core import scenario as sc
from aipm_sim.core.errors import ParameterError
from aipm_sim.core.sensitivity import MSG_N, MSG_QUANTITY, MSG_SAME_PARAMETER, MSG_SEARCH, value_of_keeping

FRAUD = am.load_scenario("fraud_detection")


def exactly(message):
    return "^" + re.escape(message) + "$"


@pytest.mark.parametrize("name", ["fraud_detection", "medical_screening", "churn_retention"])
def test_sensitivity_equals_reoptimising_at_each_bound(name):
    s = am.load_scenario(name)
    result = am.compute_sensitivity(s)
    base = s.optimize()
    assert result.base["value"] == base.value and result.base["threshold"] == base.threshold
    varied = [n for n, p in s.parameters.items() if p.low < p.high]
    assert sorted(result.table["parameter"]) == sorted(varied)
    for row in result.table.itertuples():
        for side in ("low", "high"):
            by_hand = s.replace(**{row.parameter: getattr(s.parameters[row.parameter], side)}).optimize()
            assert getattr(row, f"value_at_{side}") == by_hand.value
            assert getattr(row, f"threshold_at_{side}") == by_hand.threshold
        assert row.swing == abs(row.value_at_high - row.value_at_low)
    assert list(result.table["swing"]) == sorted(result.table["swing"], reverse=True)
    assert result.to_frame().equals(result.table) and result.to_frame() is not result.table


def test_regret_is_the_value_lost_by_keeping_todays_threshold():
    s = FRAUD
    base = s.optimize()
    row = am.compute_sensitivity(s, parameters=["chargeback_fee", "lost_sale_fraction"]).table.set_index("parameter")
    high = s.replace(lost_sale_fraction=0.12)
    best = high.optimize()
    # Keeping the base threshold under the high bound, evaluated by hand on that scenario's own curve:
    curve = high.curve()
    kept = high.value_model().value(curve, volume=high.volume)[curve.index_at(base.threshold)]
    assert row.loc["lost_sale_fraction", "regret_at_high"] == pytest.approx(best.value - kept)
    assert row.loc["lost_sale_fraction", "regret_at_high"] > 0
    # The fee does not move the threshold (capacity binds), so keeping it costs nothing.
    assert row.loc["chargeback_fee", "regret_at_low"] == 0


def test_keeping_a_threshold_with_less_capacity_works_only_the_top_of_the_queue():
    base = FRAUD.optimize()
    smaller = FRAUD.replace(analysts=1)
    curve = smaller.curve()
    values = smaller.value_model().value(curve, volume=smaller.volume)
    alerts = curve.alerts * smaller.volume / curve.n_cases
    last_within = int(np.flatnonzero(alerts <= smaller.constraints["max_alerts"] * (1 + 1e-12))[-1])
    assert curve.index_at(base.threshold) > last_within  # the kept threshold holds more than 1 analyst can review
    assert value_of_keeping(base, smaller) == values[last_within]
    assert value_of_keeping(base, smaller) <= smaller.optimize().value


def test_ranking_sensitivity_reports_k():
    s = am.load_scenario("recommendations")
    result = am.compute_sensitivity(s, parameters=["slot_cost", "annoyance_cost"])
    for row in result.table.itertuples():
        for side in ("low", "high"):
            d = s.replace(**{row.parameter: getattr(s.parameters[row.parameter], side)}).optimize()
            assert (getattr(row, f"k_at_{side}"), getattr(row, f"value_at_{side}")) == (d.k, d.value)
    assert result.base["k"] == s.optimize().k


def test_map_equals_reoptimising_at_every_grid_point():
    m = am.compute_sensitivity_map(FRAUD, "chargeback_fee", "fraud_rate", n=3)
    np.testing.assert_array_equal(m.x_values, [15, 32.5, 50])
    np.testing.assert_allclose(m.y_values, [0.0015, 0.00375, 0.006], rtol=1e-15)
    assert m.threshold.shape == (3, 3) and m.k is None
    for i, y in enumerate(m.y_values):
        for j, x in enumerate(m.x_values):
            d = FRAUD.replace(chargeback_fee=x, fraud_rate=y).optimize()
            assert (m.threshold[i, j], m.value[i, j]) == (d.threshold, d.value)
    frame = m.to_frame()
    assert list(frame.columns) == ["chargeback_fee", "fraud_rate", "threshold", "value"]
    assert len(frame) == 9 and frame.iloc[5]["chargeback_fee"] == 50 and frame.iloc[5]["fraud_rate"] == m.y_values[1]
    assert m.x_unit == "EUR per chargeback"


def test_map_leaves_infeasible_cells_blank_and_accepts_given_values():
    doc = {
        "name": "toy", "title": "t", "summary": "s", "narrative": "n", "kind": "threshold", "currency": "EUR",
        "parameters": {"floor": {"value": 0.5, "low": 0.1, "high": 0.9, "min": 0, "max": 1},
                       "cap": {"value": 0.1, "low": 0.01, "high": 0.5, "min": 0, "max": 1}},
        "scores": {"source": "binormal", "prevalence": 0.1, "auc": 0.8},
        "value": {"tp": 10, "fp": -1},
        "decision": {"volume": 100, "constraints": {"min_recall": "floor", "max_alert_rate": "cap"}},
    }
    s = sc.parse_scenario(doc)
    m = am.compute_sensitivity_map(s, "floor", "cap", x_values=[0.01, 0.99], y_values=[0.05, 0.99])
    assert np.isnan(m.value[0, 1]) and np.isnan(m.threshold[0, 1])  # recall 99 % flagging 5 % of cases: impossible
    assert np.isfinite(m.value[[0, 1, 1], [0, 0, 1]]).all()
    with pytest.raises(am.ConstraintError):
        s.replace(floor=0.99, cap=0.05).optimize()
    recs = am.load_scenario("recommendations")
    r = am.compute_sensitivity_map(recs, "min_precision", "slot_cost", x_values=[0.05], y_values=[0.0, 0.006])
    assert r.k.shape == (2, 1) and r.k[0, 0] >= r.k[1, 0]
    assert list(r.to_frame().columns) == ["min_precision", "slot_cost", "threshold", "value", "k"]


def test_break_even_where_net_value_crosses_zero():
    # Net value per month is gross uplift - inference - running cost: linear in the running cost, so the
    # break-even running cost is exactly the uplift left after inference.
    s = FRAUD
    o = s.opportunity_summary()
    b = am.compute_break_even(s, "running_cost_per_month", search=(0, 200_000))
    assert b.break_even == pytest.approx(o.gross_uplift_per_month - o.inference_cost_per_month, rel=1e-8)
    assert b.positive_above is False and b.quantity == "net_value"
    assert b.ratio_to_base == pytest.approx(b.break_even / 4000)
    assert b.quantity_at_low == pytest.approx(o.net_value_per_month + 4000)


def test_break_even_of_a_decision_parameter_by_hand():
    b = am.compute_break_even(FRAUD, "model_auc")
    assert FRAUD.parameters["model_auc"].min <= b.search_low < b.break_even < b.search_high
    eps = 1e-6
    below = FRAUD.replace(model_auc=b.break_even - eps).opportunity_summary().net_value_per_month
    above = FRAUD.replace(model_auc=b.break_even + eps).opportunity_summary().net_value_per_month
    assert below < 0 < above and b.positive_above is True


def test_no_crossing_gives_nan():
    b = am.compute_break_even(FRAUD, "chargeback_fee")
    assert math.isnan(b.break_even) and b.positive_above is None and math.isnan(b.ratio_to_base)
    assert b.quantity_at_low > 0 and b.quantity_at_high > 0


def test_break_even_quantities_and_table():
    s = am.load_scenario("churn_retention")
    uplift = am.compute_break_even(s, "save_rate", quantity="uplift")
    at = s.replace(save_rate=uplift.break_even)
    assert abs(at.optimize().value - at.rule_decision().value) < 1.0  # currency per month, at the crossing
    value = am.compute_break_even(s, "offer_cost", quantity="value")
    assert abs(s.replace(offer_cost=value.break_even).optimize().value) < 1.0
    table = am.compute_break_even_table(s, parameters=["save_rate", "build_cost"], quantity="uplift")
    assert list(table["parameter"]) == ["save_rate", "build_cost"]
    assert table.loc[0, "break_even"] == pytest.approx(
        am.compute_break_even(s, "save_rate", quantity="uplift", n_grid=21).break_even)
    no_costs = sc.parse_scenario(_without_opportunity(s))
    assert am.compute_break_even(no_costs, "save_rate").quantity == "uplift"


def _without_opportunity(s):
    doc = s.to_dict()
    del doc["opportunity"]
    del doc["variants"]
    return doc


@pytest.mark.parametrize("call, message", [
    (lambda: am.compute_sensitivity(FRAUD, parameters=["nope"]),
     sc.MSG_UNKNOWN_PARAMETER.format("nope", "fraud_detection", ", ".join(FRAUD.parameters))),
    (lambda: am.compute_sensitivity_map(FRAUD, "fraud_rate", "fraud_rate"), MSG_SAME_PARAMETER.format("fraud_rate")),
    (lambda: am.compute_sensitivity_map(FRAUD, "fraud_rate", "nope"),
     sc.MSG_UNKNOWN_PARAMETER.format("nope", "fraud_detection", ", ".join(FRAUD.parameters))),
    (lambda: am.compute_sensitivity_map(FRAUD, "fraud_rate", "model_auc", n=1), MSG_N.format("n", 2, 1)),
    (lambda: am.compute_sensitivity_map(FRAUD, "fraud_rate", "model_auc", x_values=[0.9]),
     sc.MSG_PARAMETER_RANGE.format("fraud_rate", 1e-05, 0.5, "fraction of orders", 0.9)),
    (lambda: am.compute_sensitivity_map(FRAUD, "fraud_rate", "model_auc", x_values=[]),
     "fraud_rate grid must not be empty"),
    (lambda: am.compute_break_even(FRAUD, "model_auc", quantity="profit"),
     MSG_QUANTITY.format("net_value, uplift, value", "profit")),
    (lambda: am.compute_break_even(FRAUD, "model_auc", search=(0.9, 0.8)),
     MSG_SEARCH.format("model_auc", 0.5, 0.999, 0.9, 0.8)),
    (lambda: am.compute_break_even(FRAUD, "model_auc", search=(0.4, 0.8)),
     MSG_SEARCH.format("model_auc", 0.5, 0.999, 0.4, 0.8)),
    (lambda: am.compute_break_even(FRAUD, "model_auc", n_grid=1.5), MSG_N.format("n_grid", 2, 1.5)),
])
def test_errors(call, message):
    with pytest.raises(ParameterError, match=exactly(message)):
        call()
