"""Coverage by simulation from a known population: a BinormalModel, whose point(t) is the truth.

Small on purpose (a few hundred validation samples of a few thousand cases);
the seeds are fixed, so each test is one deterministic draw of the experiment.
"""

import numpy as np
import pytest

import aipm_sim as am

MODEL = am.BinormalModel(prevalence=0.1, auc=0.85)
THRESHOLD = 0.2  # a probability threshold: flag P(positive | score) >= 0.2
TRUTH = MODEL.point(THRESHOLD)


def samples(count, n, seed):
    rng = np.random.default_rng(seed)
    for s in rng.integers(0, 2 ** 31, size=count):
        yield MODEL.sample(n, seed=int(s))


@pytest.mark.parametrize("metric", ["recall", "precision"])
def test_wilson_interval_covers_the_truth_about_95_percent(metric):
    truth = getattr(TRUTH, metric)
    covered = []
    for sample in samples(400, 1000, seed=1):
        low, high = am.ThresholdCurve.from_scores(sample).at(THRESHOLD).interval(metric)
        covered.append(low <= truth <= high)
    assert 0.93 <= np.mean(covered) <= 0.97


def test_bootstrap_band_covers_the_truth_at_least_90_percent():
    covered = []
    value_model = am.ValueModel(tp=10, fp=-1)
    for sample in samples(100, 1000, seed=2):
        u = am.simulate_uncertainty(sample, value_model, resamples=100, seed=0)
        band = u.band("recall")
        row = int(np.searchsorted(-band["threshold"].to_numpy(), -THRESHOLD, side="right")) - 1
        covered.append(band["low"][row] <= TRUTH.recall <= band["high"][row])
    assert np.mean(covered) >= 0.9


def test_optimize_with_confidence_meets_the_true_min_recall():
    # Missed positives cost little and every alert costs: the value pushes the threshold up to the recall
    # constraint, so the plain optimum sits where the *sample* recall is just 70 %.
    value_model = am.ValueModel(tp=2, fp=-1)
    plain, guaranteed = [], []
    for sample in samples(200, 2000, seed=3):
        curve = am.ThresholdCurve.from_scores(sample)
        d = am.optimize(curve, value_model, min_recall=0.7)
        g = am.optimize(curve, value_model, min_recall=0.7, confidence=0.9)
        plain.append(MODEL.point(d.threshold).recall >= 0.7)
        guaranteed.append(MODEL.point(g.threshold).recall >= 0.7)
    assert np.mean(guaranteed) >= 0.9
    assert np.mean(plain) <= 0.7  # about half: the sample's recall is above or below the truth's


def _fails(threshold, constraints, volume, n):
    """True when the *population* (the model's exact point) breaks any constraint at ``threshold``."""
    p = MODEL.point(threshold)
    checks = {"min_recall": p.recall < constraints.get("min_recall", -1),
              "min_precision": p.precision < constraints.get("min_precision", -1),
              "max_fpr": p.fpr > constraints.get("max_fpr", 2),
              "max_alert_rate": p.alert_rate > constraints.get("max_alert_rate", 2),
              "max_alerts": p.alert_rate * (volume or n) > constraints.get("max_alerts", np.inf)}
    return any(checks.values())


@pytest.mark.parametrize("constraints, volume", [
    ({"min_precision": 0.3}, None),
    ({"max_fpr": 0.1}, None),
    ({"max_alert_rate": 0.15}, None),
    ({"max_alerts": 1500}, 10_000),  # alerts per period: an alert-rate bound scaled by the volume
    ({"min_precision": 0.3, "max_alert_rate": 0.15}, None),  # two constraints at alpha / 2 each
])
def test_optimize_with_confidence_meets_every_kind_of_constraint_for_the_population(constraints, volume):
    # Every alert pays (tp 10, fp -1), so the value pushes the threshold down until a precision, fpr or
    # alert constraint binds: a guarantee that were not valid would fail for the population often.
    value_model = am.ValueModel(tp=10, fp=-1)
    plain, guaranteed = [], []
    for sample in samples(150, 2000, seed=7):
        curve = am.ThresholdCurve.from_scores(sample)
        d = am.optimize(curve, value_model, volume=volume, **constraints)
        g = am.optimize(curve, value_model, volume=volume, confidence=0.9, **constraints)
        plain.append(_fails(d.threshold, constraints, volume, 2000))
        guaranteed.append(_fails(g.threshold, constraints, volume, 2000))
    assert np.mean(guaranteed) <= 0.1
    assert np.mean(plain) >= 0.2  # without confidence= the sample's optimum breaks it for the population often
