"""proportion_interval and OperatingPoint.interval against statsmodels' proportion_confint (oracle only)."""

import math
import re
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from statsmodels.stats.proportion import proportion_confint

import aipm_sim as am
from aipm_sim.core.errors import DegenerateWarning, ParameterError
from aipm_sim.core.uncertainty import intervals as iv

SM_METHOD = {"wilson": "wilson", "clopper-pearson": "beta", "jeffreys": "jeffreys"}


@pytest.mark.parametrize("method", iv.METHODS)
@pytest.mark.parametrize("confidence", [0.5, 0.9, 0.95, 0.999])
def test_equals_statsmodels_on_random_counts_and_the_ends(method, confidence):
    rng = np.random.default_rng(1)
    n = rng.integers(1, 5000, size=200)
    k = rng.integers(0, n + 1)
    k[:20], k[20:40] = 0, n[20:40]  # k = 0 and k = n
    low, high = am.proportion_interval(k, n, confidence=confidence, method=method)
    sm_low, sm_high = proportion_confint(k, n, alpha=1 - confidence, method=SM_METHOD[method])
    np.testing.assert_allclose(low, sm_low, rtol=0, atol=1e-9)
    np.testing.assert_allclose(high, sm_high, rtol=0, atol=1e-9)


@given(n=st.integers(1, 10_000), data=st.data(), method=st.sampled_from(iv.METHODS),
       confidence=st.floats(0.01, 0.999))
def test_scalar_equals_statsmodels(n, data, method, confidence):
    k = data.draw(st.integers(0, n))
    low, high = am.proportion_interval(k, n, confidence=confidence, method=method)
    assert isinstance(low, float) and isinstance(high, float)
    sm = proportion_confint(k, n, alpha=1 - confidence, method=SM_METHOD[method])
    assert low == pytest.approx(sm[0], abs=1e-9) and high == pytest.approx(sm[1], abs=1e-9)
    assert 0 <= low <= high <= 1
    if method != "jeffreys":  # Jeffreys' equal tails exclude 0 at k = 0 (and 1 at k = n), as in statsmodels
        assert low <= k / n <= high


def test_zero_trials_is_nan_with_a_warning():
    with pytest.warns(DegenerateWarning, match=re.escape(iv.MSG_NO_TRIALS)):
        low, high = am.proportion_interval(0, 0)
    assert math.isnan(low) and math.isnan(high)
    with pytest.warns(DegenerateWarning):
        low, high = am.proportion_interval([0, 3], [0, 10])
    assert np.isnan(low[0]) and low[1] > 0


def test_clopper_pearson_ends_are_exact():
    assert am.proportion_interval(0, 40, method="clopper-pearson")[0] == 0.0
    assert am.proportion_interval(40, 40, method="clopper-pearson")[1] == 1.0


ERRORS = [
    ((3, 10), {"method": "wald"}, iv.MSG_METHOD.format(", ".join(iv.METHODS), "wald")),
    ((3, 10), {"confidence": 1.0}, iv.MSG_CONFIDENCE.format(1.0)),
    ((3, 10), {"confidence": 0}, iv.MSG_CONFIDENCE.format(0)),
    ((3, 10), {"confidence": 95}, iv.MSG_CONFIDENCE.format(95)),
    ((3, 10), {"confidence": "high"}, iv.MSG_CONFIDENCE.format("high")),
    ((3, -1), {}, iv.MSG_TRIALS.format(-1)),
    ((3, math.inf), {}, iv.MSG_TRIALS.format(math.inf)),
    ((11, 10), {}, iv.MSG_SUCCESSES.format(11, 10)),
    ((-1, 10), {}, iv.MSG_SUCCESSES.format(-1, 10)),
    (("x", 10), {}, iv.MSG_SUCCESSES.format("x", 10)),
]


@pytest.mark.parametrize("args, kwargs, message", ERRORS)
def test_proportion_interval_errors(args, kwargs, message):
    with pytest.raises(ParameterError, match=re.escape(message)):
        am.proportion_interval(*args, **kwargs)


# -- at an operating point -------------------------------------------------------------

@pytest.fixture
def small():
    rng = np.random.default_rng(3)
    y = rng.random(400) < 0.2
    s = rng.normal(size=400) + 1.5 * y
    return am.ScoreSet(s, y)


TRIALS = {  # metric: (successes, trials) from the point's cells, written out by hand
    "precision": lambda p: (p.tp, p.tp + p.fp),
    "recall": lambda p: (p.tp, p.tp + p.fn),
    "fpr": lambda p: (p.fp, p.fp + p.tn),
    "specificity": lambda p: (p.tn, p.fp + p.tn),
    "npv": lambda p: (p.tn, p.tn + p.fn),
    "alert_rate": lambda p: (p.tp + p.fp, p.n_cases),
}


@pytest.mark.parametrize("metric", list(TRIALS))
@pytest.mark.parametrize("method", iv.METHODS)
def test_point_interval_uses_the_metrics_trials(small, metric, method):
    point = am.ThresholdCurve.from_scores(small).at(0.8)
    k, n = TRIALS[metric](point)
    sm = proportion_confint(k, n, alpha=0.1, method=SM_METHOD[method])
    low, high = point.interval(metric, confidence=0.9, method=method)
    assert (low, high) == pytest.approx(sm, abs=1e-9)
    assert low <= getattr(point, metric) <= high


def test_weighted_point_uses_kish_effective_size(small):
    w = np.where(small.labels, 1.0, 10.0)
    w[:7] = 3.5  # unequal weights within both classes
    data = am.ScoreSet(small.scores, small.labels, weights=w)
    point = am.ThresholdCurve.from_scores(data).at(0.8)
    for metric, mask in [("recall", data.labels), ("fpr", ~data.labels), ("precision", data.scores >= 0.8)]:
        ww = w[mask]
        n_eff = ww.sum() ** 2 / (ww ** 2).sum()
        rate = getattr(point, metric)
        sm = proportion_confint(rate * n_eff, n_eff, alpha=0.05, method="wilson")
        assert point.interval(metric, score_set=data) == pytest.approx(sm, abs=1e-9)
    # without the ScoreSet the non-whole weighted counts are refused
    with pytest.raises(ParameterError, match="not whole numbers"):
        point.interval("recall")


def test_equal_weights_of_one_change_nothing(small):
    data = am.ScoreSet(small.scores, small.labels, weights=np.ones(len(small)))
    point = am.ThresholdCurve.from_scores(data).at(0.5)
    assert point.interval("recall", score_set=data) == pytest.approx(point.interval("recall"), abs=1e-12)


def test_model_point_needs_a_validation_size():
    model = am.BinormalModel(prevalence=0.01, auc=0.9)
    point = model.point(0.05)
    with pytest.raises(ParameterError, match=re.escape(iv.MSG_MODEL_POINT)):
        point.interval("recall")
    with pytest.raises(ParameterError, match="not whole numbers"):
        model.curve().point(100).interval("recall")
    # 5,000 validation cases at 1 % prevalence: 50 positives with the model's recall
    low, high = point.interval("recall", validation_cases=5000)
    sm = proportion_confint(point.recall * 50, 50, alpha=0.05, method="wilson")
    assert (low, high) == pytest.approx(sm, abs=1e-9)
    with pytest.raises(ParameterError, match=re.escape("validation_cases must be in (0, inf)")):
        point.interval("recall", validation_cases=0)


def test_point_interval_errors(small):
    point = am.ThresholdCurve.from_scores(small).at(0.5)
    with pytest.raises(ParameterError, match=re.escape(iv.MSG_METRIC.format(", ".join(iv.METRICS), "f1"))):
        point.interval("f1")
    with pytest.raises(ParameterError, match=re.escape(iv.MSG_CONFIDENCE.format(1.5))):
        point.interval("recall", confidence=1.5)
    with pytest.raises(ParameterError, match=re.escape(iv.MSG_SCORE_SET.format("list"))):
        point.interval("recall", score_set=[1, 2])


def test_nothing_flagged_precision_is_nan(small):
    point = am.ThresholdCurve.from_scores(small).point(0)
    with pytest.warns(DegenerateWarning):
        low, high = point.interval("precision")
    assert math.isnan(low) and math.isnan(high)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert point.interval("recall")[0] == 0.0


def test_kish_effective_size_closed_form():
    assert iv.kish_effective_size([1.0] * 10) == pytest.approx(10)
    assert iv.kish_effective_size([1.0] * 1000 + [100.0] * 10) == pytest.approx(2000 ** 2 / (1000 + 10 * 1e4))
    assert iv.kish_effective_size([]) == 0.0
