"""BinormalModel: the reference case, closed forms, and samples against the analytic curve."""

import dataclasses
import math
import re

import numpy as np
import pytest
from scipy import optimize, stats
from sklearn.metrics import roc_auc_score

import aipm_sim as am
from aipm_sim.core.engine.binormal import MSG_AUC, MSG_N_THRESHOLDS, MSG_POINT_THRESHOLD, MSG_SAMPLE_N, MSG_THRESHOLDS
from aipm_sim.core.engine.curve import MSG_NOTHING_FLAGGED
from aipm_sim.core.errors import DegenerateWarning, ParameterError


def exactly(message):
    return "^" + re.escape(message) + "$"


def three_significant(x):
    return float(f"{x:.3g}")


# -- the reference case of issue 5 -----------------------------------------------------------
def test_reference_case():
    # prevalence 0.01, AUC 0.8, threshold 1/11 -> recall 0.0916, FPR 0.00585, precision 0.137 (issue 5).
    curve = am.BinormalModel(prevalence=0.01, auc=0.8).curve(thresholds=[1 / 11])
    p = curve.at(1 / 11)
    assert p.threshold == 1 / 11
    assert three_significant(p.recall) == 0.0916
    assert three_significant(p.fpr) == 0.00585
    assert three_significant(p.precision) == 0.137


def test_reference_case_from_the_closed_form():
    # Independent derivation: at posterior p the likelihood ratio phi(x - d) / phi(x) = exp(d x - d²/2)
    # equals (p / (1 - p)) / (prevalence / (1 - prevalence)); solve for x, then recall = Phi(d - x).
    prevalence, auc, t = 0.01, 0.8, 1 / 11
    d = math.sqrt(2) * stats.norm.ppf(auc)  # AUC of N(0,1) vs N(d,1) is Phi(d / sqrt 2)
    x = (math.log((t / (1 - t)) / (prevalence / (1 - prevalence))) + d * d / 2) / d
    recall, fpr = stats.norm.sf(x - d), stats.norm.sf(x)
    p = am.BinormalModel(prevalence=prevalence, auc=auc).curve(thresholds=[t]).at(t)
    assert p.recall == pytest.approx(recall, rel=1e-12)
    assert p.fpr == pytest.approx(fpr, rel=1e-12)
    assert p.precision == pytest.approx(prevalence * recall / (prevalence * recall + (1 - prevalence) * fpr), rel=1e-12)


def test_reference_case_exact_via_point():
    model = am.BinormalModel(prevalence=0.01, auc=0.8)
    p = model.point(1 / 11)
    assert p.threshold == 1 / 11 and p.index is None
    assert three_significant(p.recall) == 0.0916
    assert three_significant(p.fpr) == 0.00585
    assert three_significant(p.precision) == 0.137
    # The default grid has no row at 1/11, yet the curve answers there in closed form (not the grid's 0.09126).
    curve = model.curve()
    assert 1 / 11 not in curve.thresholds
    at = curve.at(1 / 11)
    assert at.threshold == 1 / 11 and three_significant(at.recall) == 0.0916
    assert at.recall == pytest.approx(p.recall, rel=1e-12) and at.fpr == pytest.approx(p.fpr, rel=1e-12)
    # Its index is the row at or above 1/11, and that row is exact at its own threshold.
    row = curve.point(at.index)
    assert row.threshold > 1 / 11 and curve.index_at(1 / 11) == at.index
    exact_there = model.point(row.threshold)
    assert exact_there.recall == pytest.approx(row.recall, rel=1e-12)
    assert exact_there.fpr == pytest.approx(row.fpr, rel=1e-12)


def bayes_oracle(prevalence, auc, t):
    """Recall and FPR at posterior threshold t, from the class densities and Bayes' rule (a root, no logit formula)."""
    d = math.sqrt(2) * stats.norm.ppf(auc)

    def log_odds(x):  # log P(y=1 | x) / P(y=0 | x), from the two class densities
        return math.log(prevalence) + stats.norm.logpdf(x, loc=d) - math.log1p(-prevalence) - stats.norm.logpdf(x)

    target = math.log(t) - math.log1p(-t)
    x = optimize.brentq(lambda x: log_odds(x) - target, -40.0, 40.0 + d, xtol=1e-14, rtol=1e-15)
    return stats.norm.sf(x, loc=d), stats.norm.sf(x)


@pytest.mark.parametrize(("prevalence", "auc"), [(0.01, 0.8), (0.001, 0.95), (0.3, 0.6), (0.05, 0.99)])
def test_point_against_the_closed_form_at_many_thresholds(prevalence, auc):
    model = am.BinormalModel(prevalence=prevalence, auc=auc, amount_mean=20.0, positive_amount_mean=500.0)
    n = 12_345.0
    for t in np.geomspace(1e-4, 0.999, 41):
        recall, fpr = bayes_oracle(prevalence, auc, t)
        p = model.point(t, n_cases=n)
        P, N = n * prevalence, n * (1 - prevalence)
        assert p.recall == pytest.approx(recall, rel=1e-7, abs=1e-300)
        assert p.fpr == pytest.approx(fpr, rel=1e-7, abs=1e-300)
        assert p.tp == pytest.approx(P * recall, rel=1e-7, abs=1e-300)
        assert p.fp == pytest.approx(N * fpr, rel=1e-7, abs=1e-300)
        assert p.fn + p.tp == pytest.approx(P) and p.tn + p.fp == pytest.approx(N) and p.n_cases == n
        if p.alerts > 0:
            assert p.precision == pytest.approx(P * recall / (P * recall + N * fpr), rel=1e-7)
        assert p.tp_amount == pytest.approx(500.0 * p.tp, rel=1e-12, abs=1e-300)
        assert p.fp_amount == pytest.approx(20.0 * p.fp, rel=1e-12, abs=1e-300)
        assert p.fn_amount == pytest.approx(500.0 * p.fn, rel=1e-9, abs=1e-12 * 500.0 * P)  # a difference of totals
        # A curve that has t as a row answers the same there.
        q = model.curve(n_cases=n, thresholds=[t]).at(t)
        assert q.threshold == t
        for name in ("tp", "fp", "precision", "recall", "fpr", "alert_rate", "tp_amount", "fn_amount"):
            assert getattr(q, name) == pytest.approx(getattr(p, name), rel=1e-12, nan_ok=True)


def test_point_ends_and_degenerate_cases():
    m = am.BinormalModel(prevalence=0.1, auc=0.8)
    everything = m.point(0.0, n_cases=100)
    assert (everything.tp, everything.fp, everything.alert_rate) == (10.0, 90.0, 1.0)
    assert math.isnan(everything.tp_amount)  # no amounts in this model
    with pytest.warns(DegenerateWarning, match=exactly(MSG_NOTHING_FLAGGED.format(1.0))):
        nothing = m.point(1.0)
    assert nothing.alerts == 0 and math.isnan(nothing.precision)
    half = am.BinormalModel(prevalence=0.1, auc=0.5)  # every case scores 0.1
    assert half.point(0.1, n_cases=100).alerts == pytest.approx(100.0)
    with pytest.warns(DegenerateWarning):
        assert half.point(0.1000001, n_cases=100).alerts == 0


def test_auc_one_half_curve_checks_and_uses_thresholds():
    half = am.BinormalModel(prevalence=0.1, auc=0.5)
    with pytest.raises(ParameterError, match=exactly(MSG_THRESHOLDS.format([5.0]))):
        half.curve(thresholds=[5])
    c = half.curve(n_cases=100.0, thresholds=[0.3, 0.05])
    assert c.thresholds.tolist() == [math.inf, 0.3, 0.1, 0.05]
    assert c.tp.tolist() == [0.0, 0.0, pytest.approx(10.0), pytest.approx(10.0)]
    with pytest.warns(DegenerateWarning):
        assert c.at(0.3).threshold == 0.3


# -- the analytic curve ------------------------------------------------------------------------
@pytest.mark.parametrize("prevalence", [0.001, 0.01, 0.3])
@pytest.mark.parametrize("auc", [0.55, 0.7, 0.8, 0.95, 0.995])
def test_analytic_curve_has_the_requested_auc(prevalence, auc):
    c = am.BinormalModel(prevalence=prevalence, auc=auc).curve()
    assert np.trapezoid(c.recall, c.fpr) == pytest.approx(auc, abs=1e-4)


def test_analytic_curve_shape():
    m = am.BinormalModel(prevalence=0.05, auc=0.85)
    c = m.curve(n_cases=1000.0, thresholds=[0.5, 0.123], n_thresholds=301)
    assert c.thresholds[0] == math.inf and c.thresholds[-1] == 0.0
    assert np.all(np.diff(c.thresholds) < 0)
    assert 0.5 in c.thresholds and 0.123 in c.thresholds
    assert c.positives == pytest.approx(50.0, rel=1e-15) and c.negatives == pytest.approx(950.0, rel=1e-15)
    assert c.tp[0] == c.fp[0] == 0 and c.tp[-1] == c.positives and c.fp[-1] == c.negatives
    assert np.all(np.diff(c.tp) >= 0) and np.all(np.diff(c.fp) >= 0)
    assert not c.has_amounts
    # Counts scale with the population; rates do not.
    unit = m.curve(thresholds=[0.5, 0.123], n_thresholds=301)
    np.testing.assert_allclose(c.tp, 1000 * unit.tp, rtol=1e-12)
    np.testing.assert_allclose(c.recall, unit.recall, rtol=1e-12)


@pytest.mark.parametrize(("prevalence", "auc"), [(0.01, 0.8), (0.2, 0.9), (0.5, 0.65)])
def test_analytic_curve_is_calibrated(prevalence, auc):
    # For calibrated scores the ROC slope at score t is the likelihood ratio
    # (t / (1 - t)) / (prevalence / (1 - prevalence)), i.e. d tp / d fp = t / (1 - t).
    c = am.BinormalModel(prevalence=prevalence, auc=auc).curve(n_thresholds=20001)
    dtp, dfp = np.diff(c.tp), np.diff(c.fp)
    # Rows inside (0.001, 0.999) whose count steps are well above rounding.
    inner = (c.thresholds[1:] > 1e-3) & (c.thresholds[:-1] < 1 - 1e-3)
    i = np.flatnonzero(inner & (dtp > 1e-9 * c.positives) & (dfp > 1e-9 * c.negatives)) + 1
    assert i.size > 1000
    slope = dtp[i - 1] / dfp[i - 1]
    mid = np.sqrt(c.thresholds[i] * c.thresholds[i - 1])
    np.testing.assert_allclose(slope, mid / (1 - mid), rtol=2e-3)


def test_probability_and_latent_are_inverse():
    m = am.BinormalModel(prevalence=0.02, auc=0.75)
    x = np.linspace(-5, 5, 41)
    np.testing.assert_allclose(m.latent(m.probability(x)), x, rtol=1e-9, atol=1e-9)
    assert m.latent(0.0) == -math.inf and m.latent(1.0) == math.inf
    # The separation gives the AUC: P(positive latent > negative latent) = Phi(d / sqrt 2).
    assert stats.norm.cdf(m.separation / math.sqrt(2)) == pytest.approx(0.75, rel=1e-12)


def test_auc_one_half_is_a_degenerate_curve():
    m = am.BinormalModel(prevalence=0.1, auc=0.5)
    c = m.curve(n_cases=100.0)
    assert c.thresholds.tolist() == [math.inf, pytest.approx(0.1, rel=1e-12)]
    assert c.tp.tolist() == [0.0, pytest.approx(10.0)] and c.fp.tolist() == [0.0, pytest.approx(90.0)]
    s = m.sample(1000, seed=3)
    assert np.unique(s.scores).size == 1 and s.scores[0] == pytest.approx(0.1, rel=1e-12)
    assert len(am.ThresholdCurve.from_scores(s)) == 2
    with pytest.raises(ParameterError, match=exactly("auc is 0.5: every case has the same score, there is no latent inverse")):
        m.latent(0.3)


def test_curve_with_amounts_is_counts_times_means():
    m = am.BinormalModel(prevalence=0.02, auc=0.9, amount_mean=40.0, positive_amount_mean=300.0)
    c = m.curve(n_cases=1e4)
    assert c.has_amounts
    np.testing.assert_allclose(c.tp_amount, 300.0 * c.tp, rtol=1e-15)
    np.testing.assert_allclose(c.fp_amount, 40.0 * c.fp, rtol=1e-15)
    assert c.positive_amount == pytest.approx(1e4 * 0.02 * 300.0, rel=1e-12)
    assert c.negative_amount == pytest.approx(1e4 * 0.98 * 40.0, rel=1e-12)


# -- samples against the analytic curve --------------------------------------------------------------
N_SAMPLE = 10**6
MODEL = am.BinormalModel(prevalence=0.01, auc=0.8, amount_mean=50.0, positive_amount_mean=400.0)
THRESHOLDS = [0.005, 0.01, 0.03, 1 / 11, 0.2, 0.4]


@pytest.fixture(scope="module")
def big_sample():
    return MODEL.sample(N_SAMPLE, seed=20261126)


def test_sample_lands_within_sampling_error_of_the_analytic_curve(big_sample):
    sampled = am.ThresholdCurve.from_scores(big_sample)
    exact = MODEL.curve(n_cases=N_SAMPLE, thresholds=THRESHOLDS)
    for t in THRESHOLDS:
        got, want = sampled.at(t), exact.at(t)
        assert want.threshold == t
        # Each case lands independently in the tp (fp) cell with probability want.tp / n: binomial counts.
        for cell in ("tp", "fp"):
            q = getattr(want, cell) / N_SAMPLE
            se = math.sqrt(N_SAMPLE * q * (1 - q))
            assert abs(getattr(got, cell) - getattr(want, cell)) < 5 * se, (t, cell)


def test_sample_auc_matches(big_sample):
    auc = roc_auc_score(big_sample.labels, big_sample.scores)
    # Hanley & McNeil standard error of an AUC estimate.
    A, P, N = 0.8, big_sample.labels.sum(), (~big_sample.labels).sum()
    q1, q2 = A / (2 - A), 2 * A * A / (1 + A)
    se = math.sqrt((A * (1 - A) + (P - 1) * (q1 - A * A) + (N - 1) * (q2 - A * A)) / (P * N))
    assert abs(auc - A) < 5 * se


def test_sample_is_calibrated(big_sample):
    # Among cases with a score in a bin, the share of positives is the mean score (up to sampling error).
    s, y = big_sample.scores, big_sample.labels
    edges = np.quantile(s, np.linspace(0, 1, 21))
    edges[-1] = np.inf
    bins = np.digitize(s, edges[1:-1])
    for b in range(20):
        inside = bins == b
        p = s[inside]
        se = math.sqrt(np.sum(p * (1 - p))) / inside.sum()
        assert abs(y[inside].mean() - p.mean()) < 5 * se, b


def test_sample_prevalence_and_amount_means(big_sample):
    y, a = big_sample.labels, big_sample.amounts
    assert abs(y.mean() - 0.01) < 5 * math.sqrt(0.01 * 0.99 / N_SAMPLE)
    for mask, mean in ((y, 400.0), (~y, 50.0)):
        # Lognormal with sigma 1: standard deviation mean * sqrt(e - 1).
        se = mean * math.sqrt(math.e - 1) / math.sqrt(mask.sum())
        assert abs(a[mask].mean() - mean) < 5 * se
    assert np.all(a > 0)
    # Amounts do not depend on the score within a class: the analytic amount sums hold too.
    sampled = am.ThresholdCurve.from_scores(big_sample)
    exact = MODEL.curve(n_cases=N_SAMPLE, thresholds=[0.03])
    got, want = sampled.at(0.03), exact.at(0.03)
    flagged_pos = (big_sample.scores >= 0.03) & y
    se = math.sqrt(flagged_pos.sum()) * a[flagged_pos].std() + 400.0 * math.sqrt(want.tp)
    assert abs(got.tp_amount - want.tp_amount) < 5 * se


def test_same_seed_same_sample():
    m = am.BinormalModel(prevalence=0.1, auc=0.7, amount_mean=10.0)
    a, b = m.sample(500, seed=7), m.sample(500, seed=7)
    for name in ("scores", "labels", "amounts"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    assert not np.array_equal(a.scores, m.sample(500, seed=8).scores)
    c = m.sample(500, seed=np.random.default_rng(7))
    np.testing.assert_array_equal(a.scores, c.scores)
    assert m.sample(3, seed=1).amounts.shape == (3,) and am.BinormalModel(0.1, 0.7).sample(3, seed=1).amounts is None


def test_amount_options():
    constant = am.BinormalModel(prevalence=0.1, auc=0.7, amount_mean=25.0, amount_sigma=0.0).sample(100, seed=1)
    np.testing.assert_allclose(constant.amounts, 25.0, rtol=1e-14)
    zero_neg = am.BinormalModel(prevalence=0.3, auc=0.7, amount_mean=0.0, positive_amount_mean=9.0, amount_sigma=0.0)
    s = zero_neg.sample(200, seed=2)
    assert np.all(s.amounts[~s.labels] == 0.0)
    np.testing.assert_allclose(s.amounts[s.labels], 9.0, rtol=1e-14)
    same = am.BinormalModel(prevalence=0.1, auc=0.7, amount_mean=25.0)
    assert same.positive_amount_mean == 25.0


def test_model_is_frozen_and_replaceable():
    m = am.BinormalModel(prevalence=0.01, auc=0.8)
    with pytest.raises(AttributeError):
        m.auc = 0.9
    assert dataclasses.replace(m, auc=0.9) == am.BinormalModel(prevalence=0.01, auc=0.9)
    with pytest.raises(ParameterError):
        dataclasses.replace(m, auc=1.0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"prevalence": 0.01, "auc": 0.49}, MSG_AUC.format(0.49)),
        ({"prevalence": 0.01, "auc": 1.0}, MSG_AUC.format(1.0)),
        ({"prevalence": 0.01, "auc": 1.3}, MSG_AUC.format(1.3)),
        ({"prevalence": 0.01, "auc": math.nan}, MSG_AUC.format(math.nan)),
        ({"prevalence": 0.01, "auc": "high"}, MSG_AUC.format("high")),
        ({"prevalence": 0.0, "auc": 0.8}, "prevalence must be in (0, 1); found 0.0"),
        ({"prevalence": 1.0, "auc": 0.8}, "prevalence must be in (0, 1); found 1.0"),
        ({"prevalence": -0.1, "auc": 0.8}, "prevalence must be in (0, 1); found -0.1"),
        ({"prevalence": math.nan, "auc": 0.8}, "prevalence must be in (0, 1); found nan"),
        ({"prevalence": "1%", "auc": 0.8}, "prevalence must be a number; found '1%'"),
        ({"prevalence": 0.1, "auc": 0.8, "positive_amount_mean": 5.0},
         "positive_amount_mean needs amount_mean (the negatives' mean amount) too"),
        ({"prevalence": 0.1, "auc": 0.8, "amount_mean": -5.0}, "amount_mean must be in [0, inf); found -5.0"),
        ({"prevalence": 0.1, "auc": 0.8, "amount_mean": math.inf}, "amount_mean must be in [0, inf); found inf"),
        ({"prevalence": 0.1, "auc": 0.8, "amount_mean": 5.0, "positive_amount_mean": -1.0},
         "positive_amount_mean must be in [0, inf); found -1.0"),
        ({"prevalence": 0.1, "auc": 0.8, "amount_sigma": -1.0}, "amount_sigma must be in [0, inf); found -1.0"),
    ],
)
def test_parameter_errors(kwargs, message):
    with pytest.raises(ParameterError, match=exactly(message)):
        am.BinormalModel(**kwargs)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda m: m.sample(0, seed=1), MSG_SAMPLE_N.format(0)),
        (lambda m: m.sample(math.inf, seed=1), MSG_SAMPLE_N.format(math.inf)),
        (lambda m: m.sample(2.5, seed=1), MSG_SAMPLE_N.format(2.5)),  # refused, not drawn as 2
        (lambda m: m.sample("ten", seed=1), MSG_SAMPLE_N.format("ten")),
        (lambda m: m.sample(math.nan, seed=1), MSG_SAMPLE_N.format(math.nan)),
        (lambda m: m.curve(n_cases=0), "n_cases must be in (0, inf); found 0"),
        (lambda m: m.curve(n_thresholds=1), MSG_N_THRESHOLDS.format(1)),
        (lambda m: m.curve(n_thresholds=100.5), MSG_N_THRESHOLDS.format(100.5)),
        (lambda m: m.curve(thresholds=[0.2, 1.5]), "thresholds must be probabilities in [0, 1]; found [0.2, 1.5]"),
        (lambda m: m.curve(thresholds=[math.nan]), "thresholds must be probabilities in [0, 1]; found [nan]"),
        (lambda m: m.curve(thresholds=["high"]), MSG_THRESHOLDS.format(["high"])),
        (lambda m: m.point(1.5), MSG_POINT_THRESHOLD.format(1.5)),
        (lambda m: m.point(-0.1), MSG_POINT_THRESHOLD.format(-0.1)),
        (lambda m: m.point(math.nan), MSG_POINT_THRESHOLD.format(math.nan)),
        (lambda m: m.point(math.inf), MSG_POINT_THRESHOLD.format(math.inf)),
        (lambda m: m.point(None), MSG_POINT_THRESHOLD.format(None)),
        (lambda m: m.point(0.2, n_cases=0), "n_cases must be in (0, inf); found 0"),
    ],
)
def test_method_parameter_errors(call, message):
    with pytest.raises(ParameterError, match=exactly(message)):
        call(am.BinormalModel(prevalence=0.1, auc=0.8))


def test_whole_float_sizes_are_accepted():
    m = am.BinormalModel(prevalence=0.1, auc=0.8)
    assert len(m.sample(3.0, seed=1).scores) == 3
    np.testing.assert_array_equal(m.sample(3.0, seed=1).scores, m.sample(3, seed=1).scores)
    assert len(m.curve(n_thresholds=11.0)) == len(m.curve(n_thresholds=11))
