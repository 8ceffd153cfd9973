"""labels_needed / interval_width: the issue's reference numbers (normal closed form), brute force, round trips."""

import math
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

import aipm_sim as am
from aipm_sim.core.errors import ParameterError
from aipm_sim.core.uncertainty import labels as lb


def normal_n(p, h, confidence=0.95):
    """Closed form n = z² p (1 - p) / h² (the issue's reference), written out here."""
    z = stats.norm.ppf(1 - (1 - confidence) / 2)
    return z * z * p * (1 - p) / (h * h)


@pytest.mark.parametrize("h, reference", [(0.05, 246), (0.02, 1537)])
def test_reference_numbers(h, reference):
    assert math.ceil(normal_n(0.8, h)) == reference
    need = am.labels_needed("recall", 0.8, h, prevalence=0.01)
    assert need.relevant == pytest.approx(reference, rel=0.01)  # Wilson: 245 and 1535
    assert need.cases == pytest.approx(reference * 100, rel=0.01)  # about 24,600 cases at 1 % prevalence
    assert need.relevant_name == "positives"


def test_smallest_by_brute_force_against_statsmodels():
    n = np.arange(1, 3000)
    for p, h in [(0.8, 0.05), (0.3, 0.03), (0.05, 0.02), (0.97, 0.01)]:
        lo, hi = proportion_confint(p * n, n, alpha=0.05, method="wilson")
        brute = int(n[np.argmax((hi - lo) / 2 <= h)])
        assert am.labels_needed("recall", p, h).relevant == brute


@given(p=st.floats(0.01, 0.99), h=st.floats(0.005, 0.3), confidence=st.floats(0.5, 0.999))
def test_round_trip(p, h, confidence):
    n = am.labels_needed("precision", p, h, confidence=confidence).relevant
    assert am.interval_width("precision", p, n, confidence=confidence) <= h
    if n > 1:
        assert am.interval_width("precision", p, n - 1, confidence=confidence) > h


@given(p=st.floats(0.01, 0.99), n=st.integers(1, 100_000))
def test_interval_width_is_half_the_wilson_interval(p, n):
    lo, hi = proportion_confint(p * n, n, alpha=0.1, method="wilson")
    assert am.interval_width("recall", p, n, confidence=0.9) == pytest.approx((hi - lo) / 2, abs=1e-12)


def test_conversions_to_cases():
    assert am.labels_needed("fpr", 0.1, 0.01, prevalence=0.2).cases == math.ceil(
        am.labels_needed("fpr", 0.1, 0.01).relevant / 0.8)
    need = am.labels_needed("precision", 0.3, 0.05, alert_rate=0.02)
    assert need.cases == math.ceil(need.relevant / 0.02) and need.relevant_name == "flagged cases"
    assert am.labels_needed("recall", 0.8, 0.05).cases is None
    assert am.labels_needed("alert_rate", 0.1, 0.01).cases == am.labels_needed("alert_rate", 0.1, 0.01).relevant
    assert am.labels_needed("recall", 0.8, 0.05, prevalence=0.01).describe() == (
        "recall 80.0% ± 5.00% with 95% confidence needs 245 positives (24,500 labelled cases)")


ERRORS = [
    (("f1", 0.8, 0.05), {}, ParameterError,
     "metric must be one of recall, precision, fpr, specificity, alert_rate; found 'f1'"),
    (("recall", 1.0, 0.05), {}, ParameterError, lb.MSG_EXPECTED.format(1.0)),
    (("recall", "x", 0.05), {}, ParameterError, lb.MSG_EXPECTED.format("x")),
    (("recall", 0.8, 0.0), {}, ParameterError, lb.MSG_HALF_WIDTH.format(0.0)),
    (("recall", 0.8, 0.5), {}, ParameterError, lb.MSG_HALF_WIDTH.format(0.5)),
    (("recall", 0.8, 0.05), {"confidence": 1}, ParameterError, "confidence must be a number in (0, 1), e.g. 0.95; found 1"),
    (("recall", 0.8, 0.05), {"prevalence": 0.1, "alert_rate": 0.1}, ParameterError, lb.MSG_BOTH_SHARES),
    (("recall", 0.8, 0.05), {"prevalence": 0}, ParameterError, "prevalence must be in (0, 1]; found 0"),
    (("precision", 0.8, 0.05), {"prevalence": 0.1}, ParameterError,
     lb.MSG_CONVERT.format("precision", "flagged cases", "alert_rate", "prevalence")),
    (("recall", 0.8, 0.05), {"alert_rate": 0.1}, ParameterError,
     lb.MSG_CONVERT.format("recall", "positives", "prevalence", "alert_rate")),
]


@pytest.mark.parametrize("args, kwargs, error, message", ERRORS)
def test_labels_needed_errors(args, kwargs, error, message):
    with pytest.raises(error, match=re.escape(message)):
        am.labels_needed(*args, **kwargs)


@pytest.mark.parametrize("relevant", [0, 0.5, -3, math.inf, "many"])
def test_interval_width_errors(relevant):
    with pytest.raises(ParameterError, match=re.escape(lb.MSG_RELEVANT.format(relevant))):
        am.interval_width("recall", 0.8, relevant)
