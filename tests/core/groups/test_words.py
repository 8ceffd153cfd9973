"""group_table_in_words: the groups' tables in words, with no NaN and no code names."""

import math

import numpy as np

import aipm_sim as am

S = am.ScoreSet([0.9, 0.8, 0.3, 0.7, 0.2, 0.1], [1, 0, 1, 1, 0, 0], groups=["a", "a", "a", "b_x", "b_x", "b_x"])
VM = am.ValueModel(tp=1500.0, fp=-200.0)


def _no_code_names(frame):
    words = " ".join(map(str, [*frame.columns, *frame.index])) + " " + " ".join(frame.to_numpy().ravel())
    assert "nan" not in words.lower()
    for name in ("n_cases", "alert_rate", "fpr", "measured_", "true_"):
        assert name not in " ".join(map(str, frame.columns))


def test_group_metrics_in_words():
    table = am.group_metrics(S, {"a": 0.85, "b_x": math.inf}, value_model=VM)  # b_x flags nothing: no precision
    out = am.group_table_in_words(table, currency="EUR", period="month")
    _no_code_names(out)
    assert list(out.columns) == ["cases", "positives", "flagged cases", "precision", "recall", "false alarm rate",
                                 "flag rate", "value (EUR per month)"]
    assert out.loc["a", "recall"] == "50.0%"  # 1 of the 2 positives of a flagged
    assert out.loc["a", "flag rate"] == "33.3%"
    assert out.loc["b_x", "precision"] == "undefined"
    assert out.loc["a", "value (EUR per month)"] == "1,500"
    assert out.loc["a", "cases"] == "3"


def test_disparities_and_compare_in_words():
    table = am.group_metrics(S, 0.5)
    out = am.group_table_in_words(am.group_disparities(table))
    _no_code_names(out)
    # recall: a 1/2, b_x 1/1 → difference 50 points, ratio 0.50
    assert out.loc["largest difference", "recall"] == "50.0 points"
    assert out.loc["smallest ratio", "recall"] == "0.50"
    sim = am.simulate_groups({"g": am.GroupModel(size=200, prevalence=0.2, auc=0.8, label_noise=0.3)}, seed=2)
    cmp = sim.compare(0.5)
    out = am.group_table_in_words(cmp)
    _no_code_names(out)
    assert out.loc["g", "true recall"] == f"{100 * cmp.loc['g', 'true_recall']:.1f}%"
    assert np.isfinite(cmp.to_numpy(dtype=float)).all()


def test_weighted_counts_share_one_format():
    s = am.ScoreSet([0.9, 0.8, 0.3, 0.7], [1, 0, 1, 0], weights=[150.5, 2, 1, 1], groups=["a", "a", "b", "b"])
    out = am.group_table_in_words(am.group_metrics(s, 0.5))
    assert list(out["cases"]) == ["152.5", "2.0"]
