"""Label-free performance and prior shift, against realized labels, closed forms and scikit-learn."""

import math

import numpy as np
import pytest
from sklearn.isotonic import IsotonicRegression

import aipm_sim as am
from aipm_sim.core.errors import DataError, ParameterError
from aipm_sim.core.monitoring.estimation import (MSG_AMOUNTS, MSG_CALIBRATION_CLASSES, MSG_REFERENCE,
                                                 MSG_THRESHOLD_NAN)
from aipm_sim.core.monitoring.prior_shift import MSG_MAX_ITER, MSG_PREVALENCE_METHOD

MODEL = am.BinormalModel(0.1, 0.85)


@pytest.fixture(scope="module")
def reference():
    return MODEL.sample(100_000, seed=1)


def realized(cur, threshold):
    flagged = cur.scores >= threshold
    y = cur.labels
    return {"tp": float((y & flagged).sum()), "fp": float((~y & flagged).sum()),
            "fn": float((y & ~flagged).sum()), "tn": float((~y & ~flagged).sum())}


def covariate_shift(seed):
    """A calibrated sample resampled with score-dependent probabilities, labels kept: P(y | score) unchanged."""
    big = MODEL.sample(300_000, seed=seed)
    keep = np.random.default_rng(seed + 1).random(len(big)) < np.sqrt(big.scores)
    return am.ScoreSet(big.scores[keep], big.labels[keep])


@pytest.mark.parametrize("calibrate", [True, False])
@pytest.mark.parametrize("seed, threshold", [(10, 0.3), (20, 0.15)])
def test_label_free_counts_within_three_standard_errors_under_covariate_shift(reference, calibrate, seed, threshold):
    cur = covariate_shift(seed)
    est = am.estimate_performance(reference, cur, threshold=threshold, calibrate=calibrate)
    assert isinstance(est, am.OperatingPoint)
    truth = realized(cur, threshold)
    for cell in ("tp", "fp", "fn", "tn"):
        assert abs(getattr(est, cell) - truth[cell]) <= 3 * getattr(est, f"{cell}_se"), cell
    true_precision = truth["tp"] / (truth["tp"] + truth["fp"])
    true_recall = truth["tp"] / (truth["tp"] + truth["fn"])
    assert abs(est.precision - true_precision) <= 3 * est.precision_se
    assert abs(est.recall - true_recall) <= 3 * est.recall_se
    assert est.n_cases == len(cur)


def test_label_free_estimate_is_wrong_under_prior_shift_until_prevalence_is_estimated(reference):
    # December: three times the positives, the same score distribution within each class.
    shifted = am.BinormalModel(0.3, 0.85)
    december = shifted.sample(100_000, seed=5)
    stale_scores = MODEL.probability(shifted.latent(december.scores))  # the model still believes 10 %
    cur = am.ScoreSet(stale_scores, december.labels)
    threshold = 0.3
    truth = realized(cur, threshold)
    naive = am.estimate_performance(reference, cur, threshold=threshold, calibrate=False)
    assert abs(naive.tp - truth["tp"]) > 10 * naive.tp_se  # visibly wrong
    prevalence = am.estimate_prevalence(reference, cur, calibrate=False)
    assert prevalence.converged
    assert prevalence.prevalence == pytest.approx(cur.prevalence, abs=0.01)
    # Rescale the scores to the estimated prevalence (the odds rescaling of adjust_threshold) and estimate again.
    odds = stale_scores / (1 - stale_scores) * (prevalence.prevalence / (1 - prevalence.prevalence)) / (
        reference.prevalence / (1 - reference.prevalence))
    rescaled = odds / (1 + odds)
    new_threshold = am.adjust_threshold(threshold, from_prevalence=reference.prevalence,
                                        to_prevalence=prevalence.prevalence)
    # the rescaled score passes the old threshold exactly when the stale score passes the new one
    assert np.array_equal(rescaled >= threshold - 1e-12, stale_scores >= new_threshold - 1e-12)
    fixed = am.estimate_performance(reference, am.ScoreSet(rescaled, december.labels), threshold=threshold,
                                    calibrate=False)
    truth_at_stale = realized(am.ScoreSet(rescaled, december.labels), threshold)
    assert abs(fixed.tp - truth_at_stale["tp"]) <= 4 * fixed.tp_se + 0.02 * truth_at_stale["tp"]
    assert abs(fixed.precision - truth_at_stale["tp"] / (truth_at_stale["tp"] + truth_at_stale["fp"])) < 0.02


def test_em_recovers_a_known_prevalence():
    # Scores calibrated at 10 %; 200,000 current cases of which exactly 30 % are positives.
    rng = np.random.default_rng(7)
    d = MODEL.separation
    labels = np.zeros(200_000, dtype=bool)
    labels[:60_000] = True
    current = MODEL.probability(rng.standard_normal(labels.size) + d * labels)
    ref_labels = np.zeros(10_000, dtype=bool)
    ref_labels[:1_000] = True  # a reference at exactly 10 %
    reference = am.ScoreSet(MODEL.probability(rng.standard_normal(10_000) + d * ref_labels), ref_labels)
    est = am.estimate_prevalence(reference, current, calibrate=False)
    assert est.converged and est.iterations > 1
    assert est.prevalence == pytest.approx(0.30, abs=0.005)
    assert est.reference_prevalence == 0.1
    assert 0 < est.standard_error < 0.005
    short = am.estimate_prevalence(reference, current, calibrate=False, max_iter=2)
    assert not short.converged and short.iterations == 2


@pytest.mark.parametrize("threshold, p0, p1, expected", [
    (0.2, 0.10, 0.05, 0.345455),   # odds 0.25 / (0.0526316 / 0.111111) = 0.527778 → 0.345455
    (1 / 11, 0.01, 0.02, 0.047161),  # odds 0.1 / (0.0204082 / 0.0101010) = 0.049495 → 0.047161
])
def test_adjust_threshold_references(threshold, p0, p1, expected):
    assert am.adjust_threshold(threshold, from_prevalence=p0, to_prevalence=p1) == pytest.approx(expected, abs=5e-7)
    back = am.adjust_threshold(am.adjust_threshold(threshold, from_prevalence=p0, to_prevalence=p1),
                               from_prevalence=p1, to_prevalence=p0)
    assert back == pytest.approx(threshold)
    assert am.adjust_threshold(0.0, from_prevalence=p0, to_prevalence=p1) == 0.0


def test_isotonic_calibration_equals_scikit_learn():
    rng = np.random.default_rng(8)
    scores = np.round(rng.random(3_000), 2)  # ties
    labels = rng.random(3_000) < scores ** 2
    weights = rng.integers(1, 4, 3_000).astype(float)
    cal = am.fit_calibration(am.ScoreSet(scores, labels, weights=weights))
    iso = IsotonicRegression(out_of_bounds="clip").fit(scores, labels, sample_weight=weights)
    new = np.concatenate([rng.random(500) * 1.2 - 0.1, [0.5, 0.505]])
    assert np.allclose(cal(new), iso.predict(new), atol=1e-12)
    assert np.all(np.diff(cal.probabilities) >= 0)


def test_expected_value_and_amounts(reference):
    cur = MODEL.sample(2_000, seed=3)
    cur = am.ScoreSet(cur.scores, cur.labels, amounts=np.full(len(cur), 10.0))
    vm = am.ValueModel(tp=50, fp=-5, fn_amount=-1)
    est = am.estimate_performance(reference, cur, threshold=0.2, value_model=vm, calibrate=False, volume=10_000)
    p, flagged = cur.scores, cur.scores >= 0.2
    expected = np.sum(np.where(flagged, p * 50 + (1 - p) * -5, p * -10.0)) * 10_000 / len(cur)
    assert est.value == pytest.approx(expected)
    sd = math.sqrt(np.sum(p * (1 - p) * np.where(flagged, 55.0, -10.0) ** 2)) * 10_000 / len(cur)
    assert est.value_se == pytest.approx(sd)
    assert est.n_cases == pytest.approx(10_000)
    assert est.tp_amount == pytest.approx(np.sum(p[flagged] * 10.0) * 10_000 / len(cur))


ERRORS = [
    (lambda r: am.estimate_performance([0.1], [0.2], threshold=0.5), TypeError, MSG_REFERENCE.format("list")),
    (lambda r: am.estimate_performance(r, [0.2], threshold=0.5, value_model=am.ValueModel(fn_amount=-1)),
     ParameterError, MSG_AMOUNTS.format("fn_amount")),
    (lambda r: am.estimate_performance(r, [0.2, np.nan], threshold=0.5), DataError,
     "current_scores must be finite numbers; found nan in 1 row(s), first at data row 2 (counting from 1)"),
    (lambda r: am.estimate_performance(am.ScoreSet([0.1, 0.2], [0, 0]), [0.2], threshold=0.5), DataError,
     MSG_CALIBRATION_CLASSES.format("negatives")),
    (lambda r: am.estimate_performance(r, [0.2], threshold="x"), ParameterError, "threshold must be a number; found 'x'"),
    (lambda r: am.estimate_performance(r, [0.2], threshold=float("nan")), ParameterError,
     MSG_THRESHOLD_NAN.format(float("nan"))),
    (lambda r: am.estimate_prevalence(r, [0.2], method="cc"), ParameterError, MSG_PREVALENCE_METHOD.format("'em'", "cc")),
    (lambda r: am.estimate_prevalence(r, [0.2], max_iter=0), ParameterError, MSG_MAX_ITER.format(0)),
    (lambda r: am.adjust_threshold(0.2, from_prevalence=0.0, to_prevalence=0.1), ParameterError,
     "from_prevalence must be in (0, 1); found 0.0"),
    (lambda r: am.adjust_threshold(1.5, from_prevalence=0.1, to_prevalence=0.1), ParameterError,
     "threshold must be in [0, 1]; found 1.5"),
]


@pytest.mark.parametrize("call, error, message", ERRORS)
def test_errors(reference, call, error, message):
    with pytest.raises(error) as info:
        call(reference)
    assert str(info.value) == message


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@given(st.lists(st.tuples(st.integers(0, 8), st.booleans(), st.integers(1, 4)), min_size=2, max_size=40),
       st.lists(st.integers(-2, 10), min_size=1, max_size=20), st.integers(0, 8))
def test_calibration_and_expected_counts_property(rows, new, threshold):
    scores = np.array([r[0] for r in rows], dtype=float) / 8  # ties
    labels = np.array([r[1] for r in rows])
    weights = np.array([r[2] for r in rows], dtype=float)
    if labels.all() or not labels.any():
        labels[0] = not labels[0]
    reference = am.ScoreSet(scores, labels, weights=weights)
    cal = am.fit_calibration(reference)
    current = np.array(new, dtype=float) / 8
    iso = IsotonicRegression(out_of_bounds="clip").fit(scores, labels, sample_weight=weights)
    assert np.allclose(cal(current), iso.predict(current), atol=1e-12)
    est = am.estimate_performance(reference, current, threshold=threshold / 8)
    p = iso.predict(current)
    flagged = current >= threshold / 8
    assert est.tp == pytest.approx(p[flagged].sum(), abs=1e-9)
    assert est.fn == pytest.approx(p[~flagged].sum(), abs=1e-9)
    assert est.alerts == pytest.approx(flagged.sum())
    assert est.tp + est.fp + est.fn + est.tn == pytest.approx(len(current))
    assert est.tp_se >= math.sqrt(np.sum((p * (1 - p))[flagged])) - 1e-12  # chance, plus the calibration's own


def test_estimated_point_is_read_only_and_pickles(reference):
    import pickle

    est = am.estimate_performance(reference, MODEL.sample(500, seed=9), threshold=0.2, volume=1_000)
    assert repr(pickle.loads(pickle.dumps(est))) == repr(est)  # NaN fields (no amounts): compare the text
    assert list(est.to_dict())[-9:] == ["tp_se", "fp_se", "fn_se", "tn_se", "precision_se", "recall_se", "value",
                                        "value_se", "calibrated"]
    with pytest.raises(AttributeError):
        est.tp_se = 0.0
    with pytest.raises(ParameterError):
        est.per_period(10)
