"""optimize(..., confidence=): bounds against statsmodels, the certified set against brute force, messages, errors."""

import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.proportion import proportion_confint

import aipm_sim as am
from aipm_sim.core.errors import ConstraintError, ParameterError
from aipm_sim.core.uncertainty import guarantee as gt


@pytest.fixture(scope="module")
def curve():
    sample = am.BinormalModel(prevalence=0.02, auc=0.9).sample(4000, seed=4)
    return am.ThresholdCurve.from_scores(sample)


VM = am.ValueModel(tp=100, fp=-5)


def test_one_sided_bounds_equal_statsmodels_beta(curve):
    # a one-sided bound at level a is one end of statsmodels' two-sided 'beta' interval at alpha = 2a
    a = 0.05
    low = gt.confidence_bounds(curve, "min_recall", alpha=a)
    high = gt.confidence_bounds(curve, "max_fpr", alpha=a)
    sm_low, _ = proportion_confint(curve.tp, curve.positives, alpha=2 * a, method="beta")
    _, sm_high = proportion_confint(curve.fp, curve.negatives, alpha=2 * a, method="beta")
    np.testing.assert_allclose(low, sm_low, atol=1e-9)
    np.testing.assert_allclose(high, sm_high, atol=1e-9)


def test_recall_and_fpr_certify_exactly_the_rows_whose_bound_clears(curve):
    g = am.optimize(curve, VM, min_recall=0.6, max_fpr=0.2, confidence=0.9)
    a = 0.1 / 2  # two constraints: Bonferroni
    sm_low, _ = proportion_confint(curve.tp, curve.positives, alpha=2 * a, method="beta")
    _, sm_high = proportion_confint(curve.fp, curve.negatives, alpha=2 * a, method="beta")
    certified = (sm_low >= 0.6) & (sm_high <= 0.2)
    np.testing.assert_array_equal(g.feasible, certified)
    # the choice: brute force over the certified rows (ties to the highest threshold)
    values = VM.value(curve)
    best = max(np.flatnonzero(certified), key=lambda i: (values[i], -i))
    assert g.threshold == curve.thresholds[best] and g.value == values[best]
    assert g.confidence == 0.9
    assert g.confidence_bounds["min_recall"] == pytest.approx(sm_low[best], abs=1e-9)
    assert g.confidence_bounds["max_fpr"] == pytest.approx(sm_high[best], abs=1e-9)


def test_precision_rows_clear_the_split_bound(curve):
    g = am.optimize(curve, VM, min_precision=0.2, confidence=0.9)
    a = 0.1 / gt.PRECISION_STARTS
    sm_low, _ = proportion_confint(curve.tp, np.maximum(curve.alerts, 1), alpha=2 * a, method="beta")
    assert (sm_low[g.feasible] >= 0.2 - 1e-12).all()
    assert g.point.precision >= 0.2 and g.confidence_bounds["min_precision"] >= 0.2


def test_guaranteed_decision_says_it_is_a_confidence_bound(curve):
    g = am.optimize(curve, VM, min_recall=0.6, confidence=0.9, volume=10_000, period="day", currency="EUR")
    assert isinstance(g, am.GuaranteedDecision) and isinstance(g, am.Decision)
    text = g.describe()
    bound = 100 * g.confidence_bounds["min_recall"]
    assert text.endswith(f"recall ≥ 60% with 90% confidence (lower bound {bound:.1f}%)")
    out = g.to_dict()
    assert out["confidence"] == 0.9 and "confidence bound" in out["bound_kind"]
    assert set(out["confidence_bounds"]) == {"min_recall"}
    plain = am.optimize(curve, VM, min_recall=0.6)
    assert g.point.recall >= plain.point.recall  # the guarantee asks for more margin
    alerts = am.optimize(curve, VM, max_alerts=500, volume=10_000, confidence=0.9)
    assert "alerts ≤ 500 per period with 90% confidence (upper bound" in alerts.describe()


def test_issue_message_shape():
    sample = am.BinormalModel(prevalence=0.01, auc=0.95).sample(4000, seed=1)
    curve = am.ThresholdCurve.from_scores(sample)
    positives = int(curve.positives)
    best = 0.05 ** (1 / positives)  # Clopper-Pearson lower bound with every positive caught
    message = gt.MSG_CANNOT.format("min_recall=0.99", "95%", f"{positives} positives", "lower", f"{best:.3g}")
    with pytest.raises(ConstraintError, match=re.escape(message)):
        am.optimize(curve, VM, min_recall=0.99, confidence=0.95)
    with pytest.raises(ConstraintError, match=re.escape("cannot be guaranteed with 90% confidence from")):
        am.optimize(curve, VM, min_recall=0.8, max_alert_rate=0.005, confidence=0.9)


ERRORS = [
    ({"confidence": 1.0, "min_recall": 0.5}, ParameterError, "confidence must be a number in (0, 1), e.g. 0.95; found 1.0"),
    ({"confidence": 0.9}, ParameterError, gt.MSG_NO_CONSTRAINT.format(0.9)),
    ({"confidence": 0.9, "min_recall": 1.5}, ParameterError, "min_recall must be in [0, 1]; found 1.5"),
]


@pytest.mark.parametrize("kwargs, error, message", ERRORS)
def test_errors(curve, kwargs, error, message):
    with pytest.raises(error, match=re.escape(message)):
        am.optimize(curve, VM, **kwargs)


def test_models_have_no_sampling_error():
    model = am.BinormalModel(prevalence=0.02, auc=0.9)
    with pytest.raises(ParameterError, match=re.escape(gt.MSG_MODEL.format(0.9))):
        gt.optimize_with_confidence(model, VM, confidence=0.9, min_recall=0.5)
    with pytest.raises(ParameterError, match="this curve's tp are not whole numbers"):
        am.optimize(model.curve(n_cases=5000), VM, min_recall=0.5, confidence=0.9)
    with pytest.raises(TypeError, match="curve must be a ThresholdCurve"):
        am.optimize([1], VM, min_recall=0.5, confidence=0.9)
    assert math.isfinite(am.optimize(model.curve(n_cases=5000), VM, min_recall=0.5).value)


@settings(max_examples=30)
@given(n=st.integers(20, 400), seed=st.integers(0, 10_000), bound=st.floats(0.05, 0.95),
       confidence=st.floats(0.5, 0.99))
def test_recall_certified_set_equals_the_rows_whose_exact_bound_clears(n, seed, bound, confidence):
    sample = am.BinormalModel(prevalence=0.3, auc=0.8).sample(n, seed=seed)
    if not sample.labels.any() or sample.labels.all():
        return
    curve = am.ThresholdCurve.from_scores(am.ScoreSet(np.round(sample.scores, 2), sample.labels))  # ties
    sm_low, _ = proportion_confint(curve.tp, curve.positives, alpha=2 * (1 - confidence), method="beta")
    expected = sm_low >= bound - 1e-12  # the slack of every bound check (optimize.TOLERANCE)
    try:
        g = am.optimize(curve, VM, min_recall=bound, confidence=confidence)
    except ConstraintError:
        assert not expected.any()
        return
    np.testing.assert_array_equal(g.feasible, expected)
