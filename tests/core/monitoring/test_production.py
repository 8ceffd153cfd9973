"""Simulated production and policies: a three-period example worked by hand (a brute-force loop over cases)."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import aipm_sim as am
from aipm_sim.core.errors import ParameterError
from aipm_sim.core.monitoring.policies import MSG_POLICIES, MSG_POLICY, MSG_RETRAIN_EVERY
from aipm_sim.core.monitoring.production import (MSG_CASES, MSG_DELAY, MSG_NO_THRESHOLD, MSG_PERIODS,
                                                 MSG_PREVALENCE_RANGE, MSG_SEASON, MSG_SHAPE)

VALUE = am.ValueModel(tp=10, fp=-2)


def hand_score(prod, y, e, t, data_period, believed):
    """One case's score, from the rules in the production module's docstring, with the math module."""
    plan, model = prod.plan, prod.model
    age = t - data_period - 1
    auc = max(model.auc - plan.auc_decay_per_period * age, 0.501)
    d_now = math.sqrt(2) * stats.norm.ppf(auc)
    d0 = math.sqrt(2) * stats.norm.ppf(model.auc)
    shift = plan.score_shift_per_period * ((t + 1) - (data_period + 1))
    x = d_now * y + shift + e
    z = math.log(believed / (1 - believed)) + d0 * x - d0 * d0 / 2
    return 1 / (1 + math.exp(-z))


def hand_value(prod, t, data_period, believed):
    total = 0.0
    for y, e in zip(prod.labels[t], prod.noise[t]):
        if hand_score(prod, bool(y), float(e), t, data_period, believed) >= prod.threshold:
            total += 10 if y else -2
    return total


@pytest.fixture(scope="module")
def three_periods():
    plan = am.DriftPlan(auc_decay_per_period=0.1, score_shift_per_period=0.2)
    return am.simulate_production(am.BinormalModel(0.3, 0.85), periods=3, cases_per_period=12, drift=plan,
                                  label_delay=0, threshold=0.3, value_model=VALUE, seed=11)


def test_three_period_example_by_hand(three_periods):
    prod = three_periods
    assert prod.prevalence[0] > 0  # the retrained model's believed prevalence is the realized share
    launch = [hand_value(prod, t, -1, 0.3) for t in range(3)]
    share0, share1 = float(prod.labels[0].mean()), float(prod.labels[1].mean())
    # retrain every period, labels known at once (delay 0): at t=1 from period 0's labels, at t=2 from period 1's
    every_1 = [launch[0], hand_value(prod, 1, 0, share0), hand_value(prod, 2, 1, share1)]
    # retrain every 2: once, at t=2, from period 1's labels
    every_2 = [launch[0], launch[1], hand_value(prod, 2, 1, share1)]
    result = am.compare_policies(prod, VALUE, policies=["do_nothing", "retrain_every_1", "retrain_every_2"],
                                 retrain_cost=3.0)
    table = result.table.set_index("policy")
    assert table.loc["Do nothing", "net value"] == pytest.approx(sum(launch))
    assert table.loc["Retrain every period", "value"] == pytest.approx(sum(every_1))
    assert table.loc["Retrain every period", "costs"] == -6.0
    assert table.loc["Retrain every period", "net value"] == pytest.approx(sum(every_1) - 6)
    assert table.loc["Retrain every 2 periods", "net value"] == pytest.approx(sum(every_2) - 3)
    per = result.per_period[result.per_period["policy"] == "Retrain every period"]
    assert per["value"].tolist() == pytest.approx(every_1)
    assert per["cumulative net value"].tolist() == pytest.approx(np.cumsum(np.array(every_1) - [0, 3, 3]))
    gains = result.interval_gains.set_index("retrain every (periods)")["versus doing nothing"]
    assert gains[1] == pytest.approx(sum(every_1) - 6 - sum(launch))
    assert gains[2] == pytest.approx(sum(every_2) - 3 - sum(launch))
    assert gains[3] == 0.0  # never retrains in three periods
    paying = [k for k in (1, 2) if gains[k] >= 0]
    assert result.break_even_interval == (min(paying) if paying else None)
    assert result.best_policy == table["net value"].idxmax()
    assert isinstance(result.verdict, str) and "\n" not in result.verdict and "_" not in result.verdict


def test_label_delay_postpones_retraining(three_periods):
    prod = am.simulate_production(three_periods.model, periods=3, cases_per_period=12, drift=three_periods.plan,
                                  label_delay=1, threshold=0.3, value_model=VALUE, seed=11)
    result = am.compare_policies(prod, VALUE, policies=["retrain_every_1"], retrain_cost=3.0)
    per = result.per_period
    assert per["retrained"].tolist() == [False, False, True]  # at t=1 no period's labels are known yet
    assert per["value"].iloc[2] == pytest.approx(hand_value(prod, 2, 0, float(prod.labels[0].mean())))


def test_seeds_reproduce():
    plan = am.DriftPlan(prevalence_shape="gradual", prevalence_factor=2, auc_decay_per_period=0.01)
    make = lambda seed: am.simulate_production(am.BinormalModel(0.05, 0.8), periods=5, cases_per_period=2_000,  # noqa: E731
                                               drift=plan, value_model=VALUE, seed=seed)
    a, b, c = make(1), make(1), make(2)
    pd.testing.assert_frame_equal(a.metrics, b.metrics)
    assert not a.metrics["precision"].equals(c.metrics["precision"])
    ca = am.compare_policies(a, VALUE, retrain_cost=10)
    cb = am.compare_policies(b, VALUE, retrain_cost=10)
    pd.testing.assert_frame_equal(ca.table, cb.table)
    assert ca.verdict == cb.verdict


def test_rethreshold_pays_when_only_the_fraud_rate_doubles():
    # Pure prior shift: the rate doubles at period 2, the model is otherwise as good as at launch.
    model = am.BinormalModel(0.02, 0.9)
    value = am.ValueModel(tp=100, fp=-5)
    plan = am.DriftPlan(prevalence_shape="sudden", prevalence_factor=2.0, change_period=2)
    prod = am.simulate_production(model, periods=6, cases_per_period=40_000, drift=plan, label_delay=3,
                                  value_model=value, seed=3)
    assert prod.threshold == pytest.approx(5 / 105)  # Elkan's cut-off: -fp / (tp - fp)
    result = am.compare_policies(prod, value, policies=["do_nothing", "rethreshold"], recalibrate_cost=1.0)
    table = result.table.set_index("policy")
    assert table.loc["Re-threshold on the estimated prevalence", "versus doing nothing"] > 0
    per = result.per_period[result.per_period["policy"] != "Do nothing"]
    # after the step, the threshold follows the odds rescaling of the doubled rate, roughly
    late = per[per["period"] >= 3]["threshold"].to_numpy()
    target = am.adjust_threshold(prod.threshold, from_prevalence=0.02, to_prevalence=0.04)
    assert np.all(np.abs(late - target) < 0.01)
    # the label-free estimate misses the prevalence change in precision until re-thresholded
    m = prod.metrics
    assert m["estimated prevalence"].iloc[3:].mean() == pytest.approx(0.04, abs=0.004)


def test_drift_plan_paths():
    gradual = am.DriftPlan(prevalence_shape="gradual", prevalence_factor=3.0)
    assert gradual.prevalence_path(0.1, 4).tolist() == pytest.approx([0.15, 0.2, 0.25, 0.3])
    sudden = am.DriftPlan(prevalence_shape="sudden", prevalence_factor=2.0, change_period=2)
    assert sudden.prevalence_path(0.1, 4).tolist() == pytest.approx([0.1, 0.1, 0.2, 0.2])
    seasonal = am.DriftPlan(prevalence_shape="seasonal", prevalence_factor=2.0, season_length=4)
    assert seasonal.prevalence_path(0.1, 4).tolist() == pytest.approx([0.15, 0.2, 0.15, 0.1])
    decay = am.DriftPlan(auc_decay_per_period=0.1)
    assert decay.auc_at_age(0.8, [0, 1, 5]).tolist() == pytest.approx([0.8, 0.7, 0.501])
    with pytest.raises(AttributeError):
        decay.auc_decay_per_period = 0.0


def test_metrics_table(three_periods):
    m = three_periods.metrics
    assert list(m["period"]) == [0, 1, 2]
    assert m["labels known"].tolist() == [True, True, True]
    assert list(three_periods.labels_known(1)) == [0, 1]
    assert m["prevalence"].tolist() == pytest.approx([float(y.mean()) for y in three_periods.labels])


ERRORS = [
    (lambda: am.DriftPlan(prevalence_shape="wave"), ParameterError,
     MSG_SHAPE.format("'constant', 'gradual', 'sudden', 'seasonal'", "wave")),
    (lambda: am.DriftPlan(season_length=1), ParameterError, MSG_SEASON.format(1)),
    (lambda: am.DriftPlan(auc_decay_per_period=-0.1), ParameterError, "auc_decay_per_period must be in [0, inf); found -0.1"),
    (lambda: am.simulate_production(am.BinormalModel(0.1, 0.8), periods=0, cases_per_period=100, threshold=0.5, seed=0),
     ParameterError, MSG_PERIODS.format(0)),
    (lambda: am.simulate_production(am.BinormalModel(0.1, 0.8), cases_per_period=5, threshold=0.5, seed=0),
     ParameterError, MSG_CASES.format(5)),
    (lambda: am.simulate_production(am.BinormalModel(0.1, 0.8), cases_per_period=50, label_delay=-1, threshold=0.5,
                                    seed=0), ParameterError, MSG_DELAY.format(-1)),
    (lambda: am.simulate_production(am.BinormalModel(0.1, 0.8), cases_per_period=50, seed=0), ParameterError,
     MSG_NO_THRESHOLD),
    (lambda: am.simulate_production(am.BinormalModel(0.6, 0.8), cases_per_period=50, threshold=0.5, seed=0,
                                    drift=am.DriftPlan(prevalence_shape="sudden", prevalence_factor=2.0)),
     ParameterError, MSG_PREVALENCE_RANGE.format(1.2, 0.6, 2.0)),
    (lambda: am.simulate_production([0.1], cases_per_period=50, threshold=0.5, seed=0), TypeError,
     "model_or_scores must be a BinormalModel or a labelled ScoreSet; found list"),
    (lambda: am.Policy.from_name("retrain_every_0"), ParameterError, MSG_POLICY.format("retrain_every_0")),
    (lambda: am.Policy.from_name("panic"), ParameterError, MSG_POLICY.format("panic")),
    (lambda: am.Policy(name="x", retrain_every=0.5), ParameterError, MSG_RETRAIN_EVERY.format(0.5)),
]


@pytest.mark.parametrize("call, error, message", ERRORS)
def test_errors(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert str(info.value) == message


@pytest.mark.parametrize("kwargs, message", [
    ({"policies": []}, MSG_POLICIES.format([])),
    ({"policies": "rethreshold"}, MSG_POLICIES.format("rethreshold")),
    ({"retrain_cost": -1}, "retrain_cost must be in [0, inf); found -1"),
    ({"min_recall": 2}, "min_recall must be in [0, 1]; found 2"),
])
def test_compare_errors(three_periods, kwargs, message):
    with pytest.raises(ParameterError) as info:
        am.compare_policies(three_periods, VALUE, **kwargs)
    assert str(info.value) == message
