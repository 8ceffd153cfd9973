"""Sensitivity, two-parameter maps and break-even points against re-running the optimiser by hand."""

import math
import re

import numpy as np
import pytest
from scipy import optimize as sopt
from scipy import stats

import aipm_sim as am
from aipm_sim.core.business import scenario as sc
from aipm_sim.core.errors import ParameterError
from aipm_sim.core.business.sensitivity import (MSG_N, MSG_QUANTITY, MSG_SAME_PARAMETER, MSG_SEARCH, QUANTITY_WORDS, BreakEven,
                                      value_of_keeping)

FRAUD = am.load_scenario("fraud_detection")
RECS = am.load_scenario("recommendations")

# -- a toy scenario with closed forms ----------------------------------------------------------------
# Calibrated binormal scores, a false alarm costs c_fp and a miss c_fn, nothing else. Elkan (2001): flag
# a case with probability p of being positive iff p * c_fn >= (1 - p) * c_fp, i.e. p >= c_fp / (c_fp + c_fn).
PREVALENCE, AUC, VOLUME = 0.05, 0.85, 10_000
TOY = sc.parse_scenario({
    "name": "elkan", "title": "t", "summary": "s", "narrative": "n", "kind": "threshold", "currency": "EUR",
    "parameters": {"c_fp": {"value": 1.0, "low": 0.5, "high": 2.0, "min": 0},
                   "c_fn": {"value": 20.0, "low": 10.0, "high": 40.0, "min": 0}},
    "scores": {"source": "binormal", "prevalence": PREVALENCE, "auc": AUC},
    "value": {"fp": "-c_fp", "fn": "-c_fn"},
    "decision": {"volume": VOLUME},
})
D = math.sqrt(2) * stats.norm.ppf(AUC)  # separation of the latent class means


def latent(p):
    """Latent score of a calibrated probability p (inverse of the binormal model's calibration)."""
    return (math.log(p / (1 - p)) - math.log(PREVALENCE / (1 - PREVALENCE)) + D * D / 2) / D


def closed_value(x, c_fp, c_fn):
    """Value per period of flagging latent scores >= x: false alarms and misses, from the normal tails."""
    false_alarms = VOLUME * (1 - PREVALENCE) * stats.norm.sf(x)
    misses = VOLUME * PREVALENCE * stats.norm.cdf(x - D)
    return -c_fp * false_alarms - c_fn * misses


def elkan(c_fp, c_fn):
    return c_fp / (c_fp + c_fn)


def test_best_threshold_at_each_bound_is_elkans():
    sensitivity = am.compute_sensitivity(TOY)
    result = sensitivity.table.set_index("parameter")
    grid_step = (D + 17) / 2000  # the binormal curve's grid spacing in latent units
    base = dict(c_fp=1.0, c_fn=20.0)
    kept = sensitivity.base["threshold"]
    assert abs(latent(kept) - latent(elkan(**base))) <= grid_step
    for name in ("c_fp", "c_fn"):
        for side in ("low", "high"):
            costs = dict(base, **{name: getattr(TOY.parameters[name], side)})
            t_star = elkan(**costs)
            assert abs(latent(result.loc[name, f"threshold_at_{side}"]) - latent(t_star)) <= grid_step, (name, side)
            # The value is flat at the optimum, so a grid point within one step of it is worth the closed-form
            # best up to a second-order error (measured below 1e-5 of the value here).
            best = closed_value(latent(t_star), **costs)
            assert result.loc[name, f"value_at_{side}"] == pytest.approx(best, rel=2e-5)
            # Regret: the varied money's best minus its value at the kept base threshold, both in closed form.
            regret = best - closed_value(latent(kept), **costs)
            assert regret > 0  # every bound moves Elkan's threshold away from the base one
            assert result.loc[name, f"regret_at_{side}"] == pytest.approx(regret, rel=2e-4)


def test_value_of_keeping_evaluates_the_kept_threshold_exactly():
    # A threshold between grid points of the varied scenario's curve is valued at itself, not at a neighbour.
    base = TOY.optimize()
    varied = TOY.replace(c_fn=40.0)
    expected = closed_value(latent(base.threshold), 1.0, 40.0)
    assert value_of_keeping(base, varied) == pytest.approx(expected, rel=1e-12)


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
    assert result.currency == s.currency and result.infeasible == ()


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
    assert m.x_unit == "EUR per chargeback" and m.currency == "EUR"


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
     sc.MSG_PARAMETER_RANGE.format("fraud_rate", "[1e-05, 0.5]", "fraction of orders", 0.9)),
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


# -- where the constraints cannot hold ---------------------------------------------------------------------
def small_recommendations(**changes):
    """The recommendations preset on 1,000 sampled visits (fast), same money and constraints."""
    doc = RECS.to_dict()
    doc["scores"]["n_sessions"] = 1000
    return sc.parse_scenario(doc).replace(**changes)


def test_break_even_skips_values_where_the_constraints_cannot_hold():
    # Below AUC 0.55 no (k, minimum score) reaches 8 % precision: the quantity is undefined there, not an error.
    s = small_recommendations()
    with pytest.raises(am.ConstraintError):
        s.replace(model_auc=0.54).optimize()
    b = am.compute_break_even(s, "model_auc", search=(0.5, 0.7), n_grid=11, rtol=1e-4)
    np.testing.assert_allclose(b.infeasible_values, [0.5, 0.52, 0.54])
    assert math.isnan(b.quantity_at_low) and b.quantity_at_high > 0
    eps = 1e-3
    below = s.replace(model_auc=b.break_even - eps).opportunity_summary().net_value_per_month
    above = s.replace(model_auc=b.break_even + eps).opportunity_summary().net_value_per_month
    assert below < 0 < above and b.positive_above is True


def test_break_even_table_of_the_recommendations_does_not_fail():
    # The review's failing call: relevance rate, AUCs and the precision floor reach infeasible values.
    s = small_recommendations()
    names = ["relevance_rate", "model_auc", "popularity_auc", "min_precision"]
    table = am.compute_break_even_table(s, parameters=names, n_grid=5).set_index("parameter")
    assert list(table.index) == names
    assert table.loc["relevance_rate", "infeasible_values"] == (0.0001,)  # no relevant item: 8 % is out of reach
    assert math.isnan(table.loc["relevance_rate", "break_even"])  # the only sign change is next to that value
    for name in names:
        be = table.loc[name, "break_even"]
        if not math.isnan(be):
            assert table.loc[name, "search_low"] < be < table.loc[name, "search_high"]


def test_a_rule_that_cannot_meet_the_constraints_leaves_acting_on_nothing_as_the_baseline():
    s = RECS.replace(min_precision=0.3)  # popularity never reaches 30 % precision on these visits; the model does
    with pytest.raises(am.ConstraintError, match="^" + re.escape(
            "scenario 'recommendations': the rule (show the most popular items) cannot meet the constraints: ")):
        s.rule_decision()
    assert s.baseline() == (sc.BASELINE_RULE_INFEASIBLE, 0.0)
    o = s.opportunity_summary()
    assert o.baseline == sc.BASELINE_RULE_INFEASIBLE and o.baseline_value_per_month == 0.0
    assert o.gross_uplift_per_month == s.optimize().value
    assert RECS.baseline() == ("rule", RECS.rule_decision().value)
    assert s.baseline("nothing") == ("nothing", 0.0)


def test_sensitivity_records_bounds_where_the_constraints_cannot_hold():
    doc = {
        "name": "toy", "title": "t", "summary": "s", "narrative": "n", "kind": "threshold", "currency": "EUR",
        "parameters": {"floor": {"value": 0.3, "low": 0.1, "high": 0.99, "min": 0, "max": 1},
                       "fee": {"value": 5.0, "low": 1.0, "high": 9.0}},
        "scores": {"source": "binormal", "prevalence": 0.1, "auc": 0.8},
        "value": {"tp": 10, "fp": "-fee"},
        "decision": {"volume": 100, "constraints": {"min_recall": "floor", "max_alert_rate": 0.1}},
    }
    s = sc.parse_scenario(doc)
    with pytest.raises(am.ConstraintError):  # recall 99 % flagging at most 10 % of cases: impossible at AUC 0.8
        s.replace(floor=0.99).optimize()
    result = am.compute_sensitivity(s)
    assert result.infeasible == (("floor", "high"),)
    t = result.table.set_index("parameter")
    assert list(result.table["parameter"]) == ["floor", "fee"]  # the row with an impossible bound comes first
    for col in ("threshold_at_high", "value_at_high", "regret_at_high", "swing"):
        assert math.isnan(t.loc["floor", col])
    assert t.loc["floor", "value_at_low"] == s.replace(floor=0.1).optimize().value
    assert t.loc["fee", "swing"] == abs(t.loc["fee", "value_at_high"] - t.loc["fee", "value_at_low"])
    ranking = result.regret_ranking()
    assert list(ranking.columns) == ["parameter", "regret", "side"]
    assert ranking.loc[0, "regret"] == max(t.loc["fee", "regret_at_low"], t.loc["fee", "regret_at_high"],
                                           t.loc["floor", "regret_at_low"])


def test_regret_ranking_orders_by_the_larger_side():
    result = am.compute_sensitivity(am.load_scenario("churn_retention"))
    ranking = result.regret_ranking()
    t = result.table.set_index("parameter")
    by_hand = sorted(((max(r.regret_at_low, r.regret_at_high), r.parameter) for r in result.table.itertuples()),
                     key=lambda x: -x[0])
    assert list(ranking["regret"]) == [r for r, _ in by_hand]
    for row in ranking.itertuples():
        assert row.regret == t.loc[row.parameter, f"regret_at_{row.side}"]
    assert ranking.loc[0, "parameter"] == "offer_cost"  # the review's reading of notebook 05's table


def break_even(**changes):
    fields = dict(parameter="save_rate", quantity="net_value", break_even=math.nan, base=0.3, ratio_to_base=math.nan,
                  positive_above=None, search_low=0.0, search_high=1.0, quantity_at_low=5.0, quantity_at_high=9.0)
    fields.update(changes)
    return BreakEven(**fields)


@pytest.mark.parametrize("changes, sentence", [
    (dict(break_even=0.1459, positive_above=True),
     "the model earns more per month than it costs to run when save_rate is above 0.1459 (today 0.3)"),
    (dict(break_even=0.5, positive_above=False, quantity="uplift"),
     "the model beats the baseline when save_rate is below 0.5 (today 0.3)"),
    (dict(break_even=0.5, positive_above=None), "the break-even of save_rate is 0.5 (today 0.3)"),
    (dict(break_even=0.2, positive_above=False, crossings=3, crossings_at=(0.2, 0.5, 0.7),
          positive_between=((0.0, 0.2), (0.5, 0.7))),
     "the model earns more per month than it costs to run when save_rate is below 0.2 or between 0.5 and 0.7 "
     "(today 0.3)"),
    (dict(break_even=0.2, positive_above=False, crossings=2, crossings_at=(0.2,), infeasible_values=(0.9,)),
     "the model earns more per month than it costs to run when save_rate is below 0.2 (today 0.3); "
     "this is the nearest of 2 crossings between 0 and 1"),
    ({}, "the model earns more per month than it costs to run across the whole range searched "
         "(save_rate from 0 to 1): no break-even (today 0.3)"),
    (dict(quantity_at_low=-1.0, quantity_at_high=-2.0, quantity="value", search_high=2500.0, base=1200.0),
     "the best value per month is negative across the whole range searched (save_rate from 0 to 2,500): "
     "no break-even (today 1,200)"),
    (dict(quantity_at_low=math.nan, infeasible_values=(0.0,)),
     "no single break-even found for save_rate from 0 to 1 (today 0.3); "
     "see quantity_at_low, quantity_at_high and infeasible_values"),
    (dict(quantity_at_low=-1.0), "no single break-even found for save_rate from 0 to 1 (today 0.3); "
                                 "see quantity_at_low, quantity_at_high and infeasible_values"),
])
def test_break_even_in_one_sentence(changes, sentence):
    assert break_even(**changes).describe() == sentence


def churn_best_value(s, auc):
    """Best value per month of the churn scenario for a binormal model of ``auc``, in closed form.

    An offer pays for a customer of churn probability p when p (save_rate LTV) > offer_cost, so without a
    budget the best latent cut is where the calibrated score equals offer_cost / (save_rate LTV); the budget
    caps the share offered at budget / (offer_cost customers). The value falls on both sides of the best cut,
    so the constrained best is the higher of the two cuts."""
    v = s.values
    pi, n = v["churn_rate"], v["customers_per_month"]
    d = math.sqrt(2) * stats.norm.ppf(auc)
    gain, cost = v["save_rate"] * v["customer_lifetime_value"] - v["offer_cost"], v["offer_cost"]
    p_star = cost / (gain + cost)
    if p_star >= 1:
        return 0.0  # no offer pays
    # calibrated score p(x) = expit(logit(pi) + d x - d^2 / 2), solved for x
    x_star = (math.log(p_star / (1 - p_star)) - math.log(pi / (1 - pi)) + d * d / 2) / d
    cap = v["offer_budget_per_month"] / cost / n
    x_cap = sopt.brentq(lambda x: pi * stats.norm.sf(x - d) + (1 - pi) * stats.norm.sf(x) - cap, -40, 40,
                        xtol=1e-14) if cap < 1 else -math.inf
    x = max(x_star, x_cap)
    return n * (gain * pi * stats.norm.sf(x - d) - cost * (1 - pi) * stats.norm.sf(x))


def churn_net_value(s):
    v = s.values
    return (churn_best_value(s, v["model_auc"]) - churn_best_value(s, v["rule_auc"])
            - v["customers_per_month"] / 1000 * v["cost_per_1000_predictions"] - v["running_cost_per_month"])


def test_two_crossings_are_all_reported_against_brentq():
    # Offers almost free: both the model and the rule offer to everyone (no uplift); offers very dear: neither
    # offers to anyone. The model pays only in between, so the net value crosses zero twice, and above the
    # second crossing (about 50.7) it loses again: the sentence says "between".
    s = am.load_scenario("churn_retention")
    b = am.compute_break_even(s, "offer_cost")
    net = lambda c: churn_net_value(s.replace(offer_cost=c))
    roots = (sopt.brentq(net, b.search_low, 20, xtol=1e-12), sopt.brentq(net, 20, b.search_high, xtol=1e-12))
    assert roots == pytest.approx((0.8252, 50.70), rel=1e-3)  # the review's independent numbers
    assert b.crossings == 2 and b.crossings_at == pytest.approx(roots, rel=1e-4)
    assert b.break_even == b.crossings_at[0] and b.positive_above is True  # the nearer to today's 20
    assert len(b.positive_between) == 1 and b.positive_between[0] == pytest.approx(roots, rel=1e-4)
    assert b.describe() == (f"{QUANTITY_WORDS['net_value'][0]} when offer_cost is between "
                            f"{b.crossings_at[0]:.4g} and {b.crossings_at[1]:.4g} (today 20)")
    one = am.compute_break_even(s, "save_rate")
    assert one.crossings == 1 and one.crossings_at == (one.break_even,)
    assert one.positive_between == ((one.break_even, one.search_high),)


def test_the_closed_form_net_value_is_the_package_s():
    # The oracle above, checked where nothing is approximated away: the package's net value at a few offer costs.
    s = am.load_scenario("churn_retention")
    for c in (0.5, 5, 20, 60):
        varied = s.replace(offer_cost=c)
        assert varied.opportunity_summary().net_value_per_month == pytest.approx(churn_net_value(varied),
                                                                                 rel=1e-4, abs=1.0)


def test_a_run_of_exact_zeros_is_its_own_state():
    # Below save_rate = offer_cost / LTV = 20 / 500 = 0.04 no offer can pay: the model and the rule both offer
    # to no one and the uplift is exactly 0 (not negative). It turns positive just above 0.04, and that is the
    # break-even, not the last scan point where it is still 0 (0.025 before the fix).
    s = am.load_scenario("churn_retention")
    zero = [s.replace(save_rate=x) for x in (0.0, 0.025, 0.039)]
    assert all(z.optimize().value - z.baseline()[1] == 0.0 for z in zero)
    b = am.compute_break_even(s, "save_rate", quantity="uplift")
    closed_form = s.values["offer_cost"] / s.values["customer_lifetime_value"]
    assert b.break_even == pytest.approx(closed_form, rel=2e-3)  # the grid's top score is just below 1
    assert b.crossings == 1 and b.positive_above is True
    assert b.positive_between == ((b.break_even, b.search_high),)
    above = s.replace(save_rate=b.break_even * (1 + 1e-6))
    assert above.optimize().value - above.baseline()[1] > 0
    assert b.describe() == f"{QUANTITY_WORDS['uplift'][0]} when save_rate is above {b.break_even:.4g} (today 0.3)"


def test_a_zero_run_at_the_lower_end_of_the_range():
    # A toy whose best value is exactly 0 (flag nothing) while a catch is worth at most what a review costs.
    doc = {"name": "toy", "title": "t", "summary": "s", "narrative": "n", "kind": "threshold", "currency": "EUR",
           "parameters": {"gain": {"value": 5.0, "low": 0.0, "high": 10.0, "min": 0.0, "max": 10.0}},
           "scores": {"source": "binormal", "prevalence": 0.1, "auc": 0.8},
           "value": {"tp": "gain - 1", "fp": -1}, "decision": {"volume": 100}}
    s = sc.parse_scenario(doc)
    b = am.compute_break_even(s, "gain", quantity="value", search=(0.0, 10.0), n_grid=11)
    # 0 while gain <= 1 (no flag pays), positive above: one crossing, at 1 up to the grid's top score.
    assert b.crossings == 1 and b.break_even == pytest.approx(1.0, rel=1e-3)
    assert b.positive_between == ((b.break_even, 10.0),)


def test_break_even_sentence_of_a_computed_result():
    b = am.compute_break_even(am.load_scenario("churn_retention"), "save_rate")
    assert b.describe() == f"{QUANTITY_WORDS['net_value'][0]} when save_rate is above {b.break_even:.4g} (today 0.3)"
