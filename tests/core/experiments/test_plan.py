"""plan_ab_test: value per case against brute force over the cases, sizes against statsmodels and closed forms."""

import math
import re

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from statsmodels.stats.power import TTestIndPower

import aipm_sim as am
from aipm_sim.core.errors import ParameterError
from aipm_sim.core.experiments.plan import (
    MSG_ALLOCATION, MSG_CASES_PER_DAY, MSG_DECISION, MSG_LABEL_DELAY, MSG_METRIC, MSG_MINIMUM_EFFECT, MSG_NO_EFFECT,
    MSG_RATE_EDGE, MSG_SCORES, MSG_SCORES_AMOUNTS, MSG_UNDEFINED,
)
from aipm_sim.core.experiments.power import MSG_ALPHA, MSG_POWER


def exactly(message):
    return "^" + re.escape(message) + "$"


VM = am.ValueModel(tp=-5.0, fp=-6.0, fn=-25.0, tp_amount=-0.05, fp_amount=-0.05, fn_amount=-1.0)


def small_data(seed=0, n=60, weights=False):
    rng = np.random.default_rng(seed)
    labels = rng.random(n) < 0.3
    scores = np.round(rng.random(n) * 0.7 + 0.3 * labels, 1)  # ties
    amounts = rng.lognormal(3.0, 1.0, n)
    w = rng.integers(1, 4, n).astype(float) if weights else None
    return am.ScoreSet(scores, labels, amounts=amounts, weights=w)


def brute_force(data, threshold, vm):
    """Value of every case from its own cell and amount; weighted mean and variance."""
    flagged = data.scores >= threshold
    y = data.labels.astype(bool)
    a = data.amounts
    v = np.select(
        [flagged & y, flagged & ~y, ~flagged & y],
        [vm.tp + vm.tp_amount * a, vm.fp + vm.fp_amount * a, vm.fn + vm.fn_amount * a],
        vm.tn + vm.tn_amount * a,
    )
    w = np.ones_like(v) if data.weights is None else data.weights
    mean = np.average(v, weights=w)
    return mean, np.average((v - mean) ** 2, weights=w)


def decision_at(curve, vm, threshold):
    """The Decision whose threshold is ``threshold`` (a cap on alerts that binds there)."""
    alerts = curve.alerts[np.searchsorted(-curve.thresholds, -threshold)]
    return am.optimize(curve, vm, max_alerts=alerts)


@pytest.mark.parametrize("weights", [False, True])
def test_value_moments_brute_force(weights):
    data = small_data(weights=weights)
    curve = am.ThresholdCurve.from_scores(data)
    for t in curve.thresholds[[0, 2, 4, -1]]:
        d = decision_at(curve, VM, t)
        mean, var = brute_force(data, d.threshold, VM)
        m = am.value_moments(d, scores=data)
        assert m.mean == pytest.approx(mean, rel=1e-12, abs=1e-12)
        assert m.sd ** 2 == pytest.approx(var, rel=1e-10)
        assert m.amount_spread == "data"


def test_value_moments_cell_means():
    # Without the cases, each case carries its cell's mean amount: brute force on data with amounts so replaced.
    data = small_data(seed=4)
    curve = am.ThresholdCurve.from_scores(data)
    d = decision_at(curve, VM, curve.thresholds[3])
    flagged, y = data.scores >= d.threshold, data.labels.astype(bool)
    a = data.amounts.copy()
    for mask in (flagged & y, flagged & ~y, ~flagged & y, ~flagged & ~y):
        if mask.any():
            a[mask] = a[mask].mean()
    mean, var = brute_force(am.ScoreSet(data.scores, data.labels, amounts=a), d.threshold, VM)
    m = am.value_moments(d)
    assert m.mean == pytest.approx(mean, rel=1e-12)
    assert m.sd ** 2 == pytest.approx(var, rel=1e-10)
    assert m.amount_spread == "cell means"
    assert m.sd < am.value_moments(d, scores=data).sd  # leaving the spread out understates it


def test_value_moments_without_amounts():
    data = small_data(seed=2)
    curve = am.ThresholdCurve.from_scores(data)
    vm = am.ValueModel(tp=10.0, fp=-2.0, fn=-7.0, tn=0.5)
    d = decision_at(curve, vm, curve.thresholds[3])
    mean, var = brute_force(data, d.threshold, vm)
    m = am.value_moments(d)
    assert (m.mean, m.amount_spread) == (pytest.approx(mean), "none")
    assert m.sd ** 2 == pytest.approx(var)


@settings(max_examples=30)
@given(seed=st.integers(0, 10_000), row=st.integers(0, 8))
def test_value_moments_property(seed, row):
    data = small_data(seed=seed, n=25, weights=True)
    curve = am.ThresholdCurve.from_scores(data) if data.labels.any() and not data.labels.all() else None
    if curve is None:
        return
    d = decision_at(curve, VM, curve.thresholds[min(row, len(curve) - 1)])
    mean, var = brute_force(data, d.threshold, VM)
    m = am.value_moments(d, scores=data)
    assert m.mean == pytest.approx(mean, rel=1e-9, abs=1e-9)
    assert m.sd ** 2 == pytest.approx(var, rel=1e-8, abs=1e-9)


@pytest.fixture
def two_decisions():
    data = small_data(seed=7, n=400)
    curve = am.ThresholdCurve.from_scores(data)
    model = am.optimize(curve, VM, volume=30_000, period="month", currency="EUR")
    rule = decision_at(curve, VM, curve.thresholds[len(curve) // 2])
    return data, model, rule


def test_plan_value_sizes(two_decisions):
    data, model, rule = two_decisions
    plan = am.plan_ab_test(model, rule, cases_per_day=1000, scores=data, label_delay_days=14, allocation=0.25)
    mt, mc = brute_force(data, model.threshold, VM), brute_force(data, rule.threshold, VM)
    delta = mt[0] - mc[0]
    assert plan.expected_effect == pytest.approx(delta)
    r = 0.25 / 0.75
    # one sd giving the difference of means its variance var_t / n_t + var_c / n_c, with n_t = r n_c
    sd = math.sqrt((mt[1] / r + mc[1]) / (1 + 1 / r))
    n = TTestIndPower().solve_power(effect_size=delta / sd, alpha=0.05, power=0.8, ratio=r)
    assert plan.units_control == math.ceil(n) and plan.units_treatment == math.ceil(r * n)
    # a quarter of the traffic to the treatment: both sides fill until the slower one has its cases
    entering = max(math.ceil(n) / 0.75, math.ceil(r * n) / 0.25)
    assert plan.cases_control == math.ceil(entering * 0.75) and plan.cases_treatment == math.ceil(entering * 0.25)
    assert plan.days_collecting == pytest.approx(max(math.ceil(n) / 750, math.ceil(r * n) / 250))
    assert plan.days == math.ceil(plan.days_collecting + 14)
    assert plan.always_valid_days >= plan.days
    assert plan.minimum_effect_per_day == pytest.approx(delta * 1000)
    assert plan.minimum_effect_per_period == pytest.approx(delta * 30_000)
    assert plan.power_at(plan.units_control) >= 0.8
    assert plan.power_at(n) == pytest.approx(0.8, abs=1e-9)


def test_plan_minimum_effect(two_decisions):
    data, model, rule = two_decisions
    a = am.plan_ab_test(model, rule, cases_per_day=1000, minimum_effect=0.5)
    b = am.plan_ab_test(model, rule, cases_per_day=1000, minimum_effect=1.0)
    assert a.minimum_effect == 0.5
    assert 3.5 < a.units_control / b.units_control < 4.5  # a quarter of the cases for twice the effect


def test_plan_precision_and_recall(two_decisions):
    data, _, rule = two_decisions
    curve = am.ThresholdCurve.from_scores(data)
    inside = (curve.recall > 0) & (curve.recall < 1) & (curve.precision > 0) & (curve.precision < 1)
    row = next(i for i in np.flatnonzero(inside) if curve.thresholds[i] != rule.threshold)
    model = decision_at(curve, VM, curve.thresholds[row])
    for metric, rate, share in (("precision", "precision", "alert_rate"), ("recall", "recall", "prevalence")):
        pt, pc = getattr(model.point, rate), getattr(rule.point, rate)
        plan = am.plan_ab_test(model, rule, cases_per_day=500, metric=metric)
        # the two-rate size (checked against R in test_power.py), in the metric's units
        n = am.sample_size_proportions(pc, pt)
        assert plan.units_control == math.ceil(n)
        # flagged (or positive) cases come at each side's own share of its cases; equal traffic to both
        # sides until the slower one has its units
        need = max(math.ceil(math.ceil(n) / getattr(rule.point, share)),
                   math.ceil(math.ceil(n) / getattr(model.point, share)))
        assert plan.cases_control == plan.cases_treatment == need
        assert plan.days_collecting == pytest.approx(2 * need / 500)
        assert plan.unit == {"precision": "flagged cases", "recall": "positive cases"}[metric]
        assert math.isnan(plan.minimum_effect_per_day)


ERRORS = [
    (dict(cases_per_day=0), MSG_CASES_PER_DAY.format(0)),
    (dict(cases_per_day=100, alpha=1.0), MSG_ALPHA.format(1.0)),
    (dict(cases_per_day=100, power=0.0), MSG_POWER.format(0.0)),
    (dict(cases_per_day=100, allocation=1.0), MSG_ALLOCATION.format(1.0)),
    (dict(cases_per_day=100, metric="revenue"), MSG_METRIC.format("revenue")),
    (dict(cases_per_day=100, minimum_effect=0), MSG_MINIMUM_EFFECT.format("value per case", 0)),
    (dict(cases_per_day=100, minimum_effect="a"), MSG_MINIMUM_EFFECT.format("value per case", "a")),
    (dict(cases_per_day=100, label_delay_days=-1), MSG_LABEL_DELAY.format(-1)),
]


@pytest.mark.parametrize(("kwargs", "message"), ERRORS)
def test_errors(two_decisions, kwargs, message):
    data, model, rule = two_decisions
    with pytest.raises(ParameterError, match=exactly(message)):
        am.plan_ab_test(model, rule, **kwargs)


def test_errors_other(two_decisions):
    data, model, rule = two_decisions
    with pytest.raises(ParameterError, match=exactly(MSG_NO_EFFECT.format("value per case", am.value_moments(model).mean))):
        am.plan_ab_test(model, model, cases_per_day=100)
    with pytest.raises(TypeError, match=exactly(MSG_DECISION.format("control", "str"))):
        am.plan_ab_test(model, "rule", cases_per_day=100)
    with pytest.raises(TypeError, match=exactly(MSG_SCORES.format("int"))):
        am.plan_ab_test(model, rule, cases_per_day=100, scores=3)
    bare = am.ScoreSet(data.scores, data.labels)
    with pytest.raises(ParameterError, match=exactly(MSG_SCORES_AMOUNTS.format("given"))):
        am.plan_ab_test(model, rule, cases_per_day=100, scores=bare)
    pc = rule.point.recall
    with pytest.raises(ParameterError, match=exactly(MSG_RATE_EDGE.format("recall", pc, pc + 2.0))):
        am.plan_ab_test(model, rule, cases_per_day=100, metric="recall", minimum_effect=2.0)
    nothing = decision_at(am.ThresholdCurve.from_scores(data), VM, math.inf)
    with pytest.raises(ParameterError, match=exactly(MSG_UNDEFINED.format("precision", "control", "it flags nothing"))):
        am.plan_ab_test(model, nothing, cases_per_day=100, metric="precision")
