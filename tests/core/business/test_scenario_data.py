"""The shipped breast-cancer scores are exactly what the dev script computes with scikit-learn."""

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

import aipm_sim as am

ROOT = Path(__file__).resolve().parents[3]
SHIPPED = Path(am.__file__).parent / "data" / "breast_cancer_scores.csv"


def load_tool():
    spec = importlib.util.spec_from_file_location("make_breast_cancer_scores",
                                                  ROOT / "tools" / "make_breast_cancer_scores.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_shipped_scores_equal_a_fresh_computation():
    fresh = load_tool().compute_scores()
    shipped = pd.read_csv(SHIPPED)
    assert list(shipped.columns) == ["case", "label", "score", "worst_radius"]
    np.testing.assert_array_equal(shipped["case"], fresh["case"])
    np.testing.assert_array_equal(shipped["label"], fresh["label"])
    np.testing.assert_array_equal(shipped["worst_radius"], fresh["worst_radius"])
    # Written with 17 significant digits; allow for the solver's last bits on another BLAS.
    np.testing.assert_allclose(shipped["score"], fresh["score"], rtol=0, atol=1e-6)


def test_labels_are_malignant_and_the_scores_rank_well():
    from sklearn.datasets import load_breast_cancer

    data = load_breast_cancer()
    shipped = pd.read_csv(SHIPPED)
    assert int(shipped["label"].sum()) == int((data.target == 0).sum()) == 212  # sklearn: 0 = malignant
    assert roc_auc_score(shipped["label"], shipped["score"]) > 0.99
    assert 0.9 < roc_auc_score(shipped["label"], shipped["worst_radius"]) < 0.99


def test_the_scenario_curve_counts_match_scikit_learn():
    from sklearn.metrics import roc_curve

    shipped = pd.read_csv(SHIPPED)
    curve = am.load_scenario("medical_screening", prevalence=212 / 569).curve()
    fpr, tpr, thr = roc_curve(shipped["label"], shipped["score"], drop_intermediate=False)
    # Same rows (scikit-learn's first threshold is +inf too); prevalence kept, so weights are all 1.
    np.testing.assert_allclose(curve.recall, tpr, atol=1e-12)
    np.testing.assert_allclose(curve.fpr, fpr, atol=1e-12)
    assert curve.n_cases == pytest.approx(569)
