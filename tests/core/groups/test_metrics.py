"""group_metrics against Fairlearn's MetricFrame and scikit-learn (oracles only)."""

import math

import numpy as np
import pandas as pd
import pytest
from fairlearn.metrics import MetricFrame, false_positive_rate, selection_rate
from sklearn.metrics import precision_score, recall_score

import aipm_sim as am
from aipm_sim.core.groups.metrics import (MSG_GROUP_NAN, MSG_NO_GROUPS, MSG_THRESHOLD_VALUE,
                                          MSG_THRESHOLDS_MISSING, MSG_THRESHOLDS_UNKNOWN)


def _data(seed=0, n=600):
    rng = np.random.default_rng(seed)
    groups = rng.choice(np.array(["a", "b", "c"]), size=n, p=[0.5, 0.3, 0.2])
    labels = rng.random(n) < np.where(groups == "a", 0.3, 0.15)
    scores = np.round(rng.normal(labels * 1.0, 1.0), 1)  # ties
    return scores, labels, groups


def test_against_metricframe_single_threshold():
    scores, labels, groups = _data()
    s = am.ScoreSet(scores, labels, groups=groups)
    table = am.group_metrics(s, 0.5)
    pred = (scores >= 0.5).astype(int)
    mf = MetricFrame(
        metrics={"precision": precision_score, "recall": recall_score,
                 "fpr": false_positive_rate, "alert_rate": selection_rate},
        y_true=labels.astype(int), y_pred=pred, sensitive_features=groups,
    )
    for rate in ("precision", "recall", "fpr", "alert_rate"):
        np.testing.assert_allclose(table[rate].to_numpy(), mf.by_group[rate].to_numpy(), rtol=1e-12)
    diff = mf.difference(method="between_groups")
    ratio = mf.ratio(method="between_groups")
    for rate in ("precision", "recall", "fpr", "alert_rate"):
        assert table.attrs["largest_difference"][rate] == pytest.approx(diff[rate], rel=1e-12)
        assert table.attrs["smallest_ratio"][rate] == pytest.approx(ratio[rate], rel=1e-12)
    assert table.attrs["selection_rate_ratio"] == pytest.approx(ratio["alert_rate"])
    assert table.attrs["meets_four_fifths_rule"] == (ratio["alert_rate"] >= 0.8)
    counts = pd.Series(groups).value_counts().sort_index()
    np.testing.assert_array_equal(table["n_cases"].to_numpy(), counts.to_numpy())
    np.testing.assert_array_equal(table["alerts"].to_numpy(),
                                  pd.Series(pred).groupby(groups).sum().sort_index().to_numpy())


def test_thresholds_per_group_weights_and_value():
    scores, labels, groups = _data(1)
    w = np.random.default_rng(2).integers(1, 4, size=len(scores)).astype(float)
    s = am.ScoreSet(scores, labels, weights=w, groups=groups)
    ts = {"a": 0.3, "b": 0.8, "c": -math.inf}
    vm = am.ValueModel(tp=10.0, fp=-2.0, fn=-5.0)
    table = am.group_metrics(s, ts, value_model=vm, volume=1000.0)
    f = 1000.0 / w.sum()
    for g in ("a", "b", "c"):
        m = groups == g
        pred = scores[m] >= ts[g]
        y = labels[m]
        assert table.loc[g, "recall"] == pytest.approx(recall_score(y, pred, sample_weight=w[m]))
        assert table.loc[g, "precision"] == pytest.approx(precision_score(y, pred, sample_weight=w[m]))
        tp, fp, fn = (w[m] * (pred & y)).sum(), (w[m] * (pred & ~y)).sum(), (w[m] * (~pred & y)).sum()
        assert table.loc[g, "value"] == pytest.approx((10 * tp - 2 * fp - 5 * fn) * f)
        assert table.loc[g, "n_cases"] == pytest.approx(w[m].sum() * f)
    assert table.loc["c", "alert_rate"] == 1.0


def test_undefined_rates_are_nan_and_left_out_of_the_comparison():
    s = am.ScoreSet([0.1, 0.9, 0.2, 0.3], [0, 1, 0, 0], groups=["x", "x", "y", "y"])
    table = am.group_metrics(s, 0.5)
    assert math.isnan(table.loc["y", "recall"]) and math.isnan(table.loc["y", "precision"])
    assert table.attrs["largest_difference"]["fpr"] == 0.0
    assert table.attrs["smallest_ratio"]["fpr"] == 1.0  # both 0
    assert table.attrs["largest_difference"]["recall"] == 0.0  # only x has recall


@pytest.mark.parametrize(("make", "thresholds", "error", "message"), [
    (lambda: am.ScoreSet([0.1, 0.9], [0, 1]), 0.5, am.DataError, MSG_NO_GROUPS),
    (lambda: am.ScoreSet([0.1, 0.9], [0, 1], groups=np.array(["a", None], dtype=object)), 0.5, am.DataError,
     MSG_GROUP_NAN.format(1, 2)),
    (lambda: am.ScoreSet([0.1, 0.9], [0, 1], groups=["a", "b"]), {"a": 0.5}, am.ParameterError,
     MSG_THRESHOLDS_MISSING.format("'b'", "'a', 'b'")),
    (lambda: am.ScoreSet([0.1, 0.9], [0, 1], groups=["a", "b"]), {"a": 0.5, "b": 1, "z": 2}, am.ParameterError,
     MSG_THRESHOLDS_UNKNOWN.format("'z'", "'a', 'b'")),
    (lambda: am.ScoreSet([0.1, 0.9], [0, 1], groups=["a", "b"]), {"a": 0.5, "b": "high"}, am.ParameterError,
     MSG_THRESHOLD_VALUE.format("b", "high")),
    (lambda: am.ScoreSet([0.1, 0.9], [0, 1], groups=["a", "b"]), "high", am.ParameterError,
     "threshold must be a number; found 'high'"),
])
def test_errors(make, thresholds, error, message):
    with pytest.raises(error) as info:
        am.group_metrics(make(), thresholds)
    assert str(info.value) == message


def test_intervals_by_group_are_wilson_on_each_groups_counts():
    from statsmodels.stats.proportion import proportion_confint

    scores, labels, groups = _data(3)
    s = am.ScoreSet(scores, labels, groups=groups)
    table = am.group_metrics(s, 0.5, confidence=0.9)
    for g in ("a", "b", "c"):
        m = groups == g
        flag, y = scores[m] >= 0.5, labels[m]
        pairs = {"recall": ((flag & y).sum(), y.sum()), "precision": ((flag & y).sum(), flag.sum()),
                 "fpr": ((flag & ~y).sum(), (~y).sum()), "alert_rate": (flag.sum(), m.sum())}
        for rate, (k, n) in pairs.items():
            low, high = proportion_confint(k, n, alpha=0.1, method="wilson")
            assert table.loc[g, f"{rate}_low"] == pytest.approx(low, abs=1e-12)
            assert table.loc[g, f"{rate}_high"] == pytest.approx(high, abs=1e-12)
    assert "recall_low" not in am.group_metrics(s, 0.5).columns
