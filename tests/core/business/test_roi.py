"""Rule baseline, ROI and model variants: closed forms, scipy and sampled oracles, hand-computed numbers."""

import math
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import integrate, stats

import aipm_sim as am
from aipm_sim.core.errors import ParameterError
from aipm_sim.core.business.roi import (MSG_BUILD_COST, MSG_RULE_NEEDS_AMOUNTS, MSG_RULE_SIGMA, MSG_VARIANT_LENGTHS,
                               MSG_VARIANT_NAMES)

inf = math.inf


def exactly(message):
    return "^" + re.escape(message) + "$"


# -- the amount rule -------------------------------------------------------------------------------------
@given(st.floats(0.001, 0.3), st.floats(1, 500), st.floats(1, 500), st.floats(0.2, 2.0),
       st.floats(0.5, 3000))
def test_amount_rule_counts_match_scipy_lognormal(prevalence, m0, m1, sigma, cutoff):
    model = am.BinormalModel(prevalence, 0.8, amount_mean=m0, positive_amount_mean=m1, amount_sigma=sigma)
    curve = am.amount_rule_curve(model, n_cases=1000)
    point = curve.point(curve.index_at(cutoff))
    a = point.threshold  # the grid cut-off actually used (the highest one <= cutoff)
    pos = stats.lognorm(s=sigma, scale=m1 * math.exp(-sigma ** 2 / 2))
    neg = stats.lognorm(s=sigma, scale=m0 * math.exp(-sigma ** 2 / 2))
    P, N = 1000 * prevalence, 1000 * (1 - prevalence)
    assert point.tp == pytest.approx(P * pos.sf(a), rel=1e-9, abs=1e-12)
    assert point.fp == pytest.approx(N * neg.sf(a), rel=1e-9, abs=1e-12)
    # E[X; X >= a] by numerical integration of the lognormal density (an independent route), on the
    # log scale: x f(x) dx = e^y phi(y) dy is a smooth bell around mu + sigma^2, cut 40 sigma beyond it
    # (quad on [a, inf) in x sometimes misses a bell far from a and warns).
    mu = math.log(m1) - sigma ** 2 / 2
    top = mu + sigma ** 2 + 40 * sigma
    if a <= 0:
        pos_amount = m1
    elif math.log(a) >= top:  # above every amount (the grid's +inf row included)
        pos_amount = 0.0
    else:
        pos_amount = integrate.quad(lambda y: math.exp(y) * stats.norm.pdf(y, mu, sigma), math.log(a), top,
                                    points=[p for p in (mu + sigma ** 2,) if math.log(a) < p < top] or None,
                                    limit=200)[0]
    assert point.tp_amount == pytest.approx(P * pos_amount, rel=1e-6, abs=1e-6)
    assert curve.positive_amount == pytest.approx(P * m1) and curve.negative_amount == pytest.approx(N * m0)


def test_amount_rule_matches_a_large_sample():
    model = am.BinormalModel(0.05, 0.9, amount_mean=80, positive_amount_mean=200, amount_sigma=1.0)
    sample = model.sample(400_000, seed=8)
    by_amount = am.ScoreSet(sample.amounts, sample.labels, amounts=sample.amounts)
    sampled = am.ThresholdCurve.from_scores(by_amount)
    exact = am.amount_rule_curve(model, n_cases=len(sample))
    for cutoff in (50.0, 150.0, 400.0):
        e = exact.at(cutoff)
        s = sampled.at(e.threshold)  # the same cut-off on the sample
        assert s.tp == pytest.approx(e.tp, rel=0.03)
        assert s.fp == pytest.approx(e.fp, rel=0.02)
        assert s.tp_amount == pytest.approx(e.tp_amount, rel=0.05)


def test_amount_rule_ends_flag_nothing_and_everything():
    curve = am.amount_rule_curve(am.BinormalModel(0.1, 0.7, amount_mean=10, amount_sigma=0.5), n_thresholds=50)
    assert curve.thresholds[0] == inf and curve.thresholds[-1] == 0.0
    assert curve.tp[0] == 0 and curve.fp[0] == 0
    assert curve.tp[-1] == pytest.approx(0.1) and curve.fp[-1] == pytest.approx(0.9)
    assert np.all(np.diff(curve.thresholds) < 0) and len(curve) == 52


@pytest.mark.parametrize("model, message", [
    (am.BinormalModel(0.1, 0.8), MSG_RULE_NEEDS_AMOUNTS),
    (am.BinormalModel(0.1, 0.8, amount_mean=10, amount_sigma=0), MSG_RULE_SIGMA.format(0.0)),
])
def test_amount_rule_errors(model, message):
    with pytest.raises(ParameterError, match=exactly(message)):
        am.amount_rule_curve(model)


# -- opportunity -------------------------------------------------------------------------------------------
def test_opportunity_by_hand():
    o = am.compute_opportunity(model_value_per_month=-100_000, baseline_value_per_month=-130_000,
                               predictions_per_month=2_000_000, build_cost=120_000,
                               cost_per_1000_predictions=0.5, running_cost_per_month=4_000, horizon_months=24)
    # gross 30,000; inference 2,000,000 / 1,000 * 0.5 = 1,000; net 30,000 - 1,000 - 4,000 = 25,000
    assert o.gross_uplift_per_month == 30_000
    assert o.inference_cost_per_month == 1_000
    assert o.net_value_per_month == 25_000
    assert o.net_value_over_horizon == 25_000 * 24 - 120_000 == 480_000
    assert o.roi == 4.0
    assert o.payback_months == 4.8
    assert o.to_dict()["roi"] == 4.0
    # Costs are the positive amounts paid (subtracted); values are signed.
    assert o.inference_cost_per_month > 0 and o.running_cost_per_month > 0 and o.model_value_per_month < 0
    assert o.baseline == "" and am.compute_opportunity(
        model_value_per_month=1, baseline_value_per_month=0, predictions_per_month=0, build_cost=1,
        cost_per_1000_predictions=0, running_cost_per_month=0, horizon_months=1, baseline="rule").baseline == "rule"


def test_opportunity_that_never_pays_back():
    o = am.compute_opportunity(model_value_per_month=10, baseline_value_per_month=0, predictions_per_month=0,
                               build_cost=1000, cost_per_1000_predictions=0, running_cost_per_month=10,
                               horizon_months=12)
    assert o.net_value_per_month == 0 and o.payback_months == inf and o.roi == -1.0


def test_opportunity_that_loses_money_every_month():
    # The model earns less than the rule it replaces: a negative net value, so the build cost is lost and more:
    # ROI below -1, never paid back.
    o = am.compute_opportunity(model_value_per_month=-130_000, baseline_value_per_month=-125_000,
                               predictions_per_month=1_000_000, build_cost=50_000, cost_per_1000_predictions=1.0,
                               running_cost_per_month=2_000, horizon_months=12)
    # gross -5,000; inference 1,000; net -5,000 - 1,000 - 2,000 = -8,000; over 12 months -96,000 - 50,000
    assert o.gross_uplift_per_month == -5_000 and o.inference_cost_per_month == 1_000
    assert o.net_value_per_month == -8_000
    assert o.net_value_over_horizon == -8_000 * 12 - 50_000 == -146_000
    assert o.roi == -146_000 / 50_000 == -2.92 and o.roi < -1
    assert o.payback_months == inf


def test_a_scenario_whose_model_does_not_pay():
    # Fraud with a running cost far above what the model adds over the amount rule: a negative net value.
    s = am.load_scenario("fraud_detection", running_cost_per_month=200_000)
    o = s.opportunity_summary()
    assert o.net_value_per_month < 0 and o.roi < -1 and o.payback_months == inf
    assert o.net_value_per_month == pytest.approx(
        s.optimize().value - s.rule_decision().value - o.inference_cost_per_month - 200_000, rel=1e-12)
    assert o.roi == pytest.approx((o.net_value_per_month * 24 - 150_000) / 150_000, rel=1e-12)


@pytest.mark.parametrize("kwargs, message", [
    (dict(build_cost=0), MSG_BUILD_COST.format(0)),
    (dict(build_cost="x"), MSG_BUILD_COST.format("x")),
    (dict(cost_per_1000_predictions=-1), "cost_per_1000_predictions must be in [0, inf); found -1"),
    (dict(horizon_months=0), "horizon_months must be in (0, inf); found 0"),
    (dict(predictions_per_month=-5), "predictions_per_month must be in [0, inf); found -5"),
])
def test_opportunity_errors(kwargs, message):
    args = dict(model_value_per_month=1, baseline_value_per_month=0, predictions_per_month=10, build_cost=10,
                cost_per_1000_predictions=0, running_cost_per_month=0, horizon_months=1)
    args.update(kwargs)
    with pytest.raises(ParameterError, match=exactly(message)):
        am.compute_opportunity(**args)


# -- rule comparison and variants -------------------------------------------------------------------------
def decision_for(auc, vm, volume=1000):
    return am.optimize(am.BinormalModel(0.1, auc).curve(), vm, volume=volume)


def test_compare_rule_takes_the_differences():
    vm = am.ValueModel(tp=100, fp=-10)
    model, rule = decision_for(0.9, vm), decision_for(0.7, vm)
    c = am.compare_rule(model, rule, rule="a rule", nothing_value=0.0)
    assert c.uplift_over_rule == model.value - rule.value > 0
    assert c.uplift_over_nothing == model.value
    frame = c.to_frame()
    assert list(frame["option"]) == ["act on nothing", "rule: a rule", "model"]
    assert list(frame["value"]) == [0.0, rule.value, model.value]


def test_compare_variants_picks_the_best_net_value_within_budget():
    vm = am.ValueModel(tp=100, fp=-10)
    variants = [
        am.ModelVariant(name="small", auc=0.75, cost_per_1000_predictions=0.0, p95_latency_ms=5),
        am.ModelVariant(name="big", auc=0.9, cost_per_1000_predictions=1.0, p95_latency_ms=50),
        am.ModelVariant(name="huge", auc=0.95, cost_per_1000_predictions=2.0, p95_latency_ms=500),
    ]
    decisions = [decision_for(v.auc, vm) for v in variants]
    common = dict(baseline_value_per_month=0.0, predictions_per_month=1000, build_cost=100,
                  running_cost_per_month=1.0, horizon_months=12)
    c = am.compare_variants(variants, decisions, latency_budget_ms=100, **common)
    nets = [d.value - 1000 / 1000 * v.cost_per_1000_predictions - 1.0 for v, d in zip(variants, decisions)]
    np.testing.assert_allclose(c.table["net_value_per_month"], nets)
    assert list(c.table["within_latency_budget"]) == [True, True, False]
    assert c.best == "big"  # huge is better but too slow
    assert c.currency is None  # the decisions name no currency
    assert am.compare_variants(variants, decisions, **common).best == "huge"
    assert am.compare_variants(variants, decisions, latency_budget_ms=1, **common).best is None
    # Ties go to the first listed.
    twins = [variants[0], am.ModelVariant(name="twin", auc=0.75, cost_per_1000_predictions=0, p95_latency_ms=5)]
    assert am.compare_variants(twins, decisions[:1] * 2, **common).best == "small"


@pytest.mark.parametrize("call, error, message", [
    (lambda: am.ModelVariant(name="", auc=0.8, cost_per_1000_predictions=0, p95_latency_ms=1), ParameterError,
     "name must be a non-empty string; found ''"),
    (lambda: am.ModelVariant(name="a", auc=0.4, cost_per_1000_predictions=0, p95_latency_ms=1), ParameterError,
     "auc must be in [0.5, 1) (below 0.5 the model is worse than chance: flip its scores); found 0.4"),
    (lambda: am.ModelVariant(name="a", auc=0.8, cost_per_1000_predictions=-1, p95_latency_ms=1), ParameterError,
     "cost_per_1000_predictions must be in [0, inf); found -1"),
    (lambda: am.compare_variants([am.ModelVariant(name="a", auc=0.8, cost_per_1000_predictions=0, p95_latency_ms=1)],
                                 [], baseline_value_per_month=0, predictions_per_month=1, build_cost=1,
                                 running_cost_per_month=0, horizon_months=1),
     ParameterError, MSG_VARIANT_LENGTHS.format(1, 0)),
    (lambda: am.compare_variants(
        [am.ModelVariant(name="a", auc=0.8, cost_per_1000_predictions=0, p95_latency_ms=1)] * 2,
        [None, None], baseline_value_per_month=0, predictions_per_month=1, build_cost=1,
        running_cost_per_month=0, horizon_months=1), ParameterError, MSG_VARIANT_NAMES.format("a")),
])
def test_variant_errors(call, error, message):
    with pytest.raises(error, match=exactly(message)):
        call()
