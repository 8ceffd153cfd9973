"""Build aipm_sim/data/breast_cancer_scores.csv: real cross-validated scores for medical_screening.

Data: scikit-learn's bundled copy of the Wisconsin Diagnostic Breast Cancer
data set (569 fine-needle aspirates, 212 malignant; Street, Wolberg and
Mangasarian 1993; UCI Machine Learning Repository). Model: standardised
features + logistic regression (C = 1), scored out of fold by 5-fold
stratified cross-validation with a fixed shuffle seed, so every score comes
from a model that never saw that case.

scikit-learn is a development dependency only: the package reads the CSV and
never imports scikit-learn. tests/core/test_scenario_data.py re-runs
:func:`compute_scores` and checks that it equals the shipped file.

Usage: python tools/make_breast_cancer_scores.py [OUT.csv]
"""

import sys
from pathlib import Path

import pandas as pd

SEED = 0
N_FOLDS = 5
OUT = Path(__file__).resolve().parents[1] / "aipm_sim" / "data" / "breast_cancer_scores.csv"


def compute_scores():
    """Out-of-fold malignancy probabilities, as a DataFrame with columns case, label, score, worst_radius.

    ``label`` is 1 for malignant (scikit-learn's target codes malignant as 0,
    so it is flipped); ``worst_radius`` (mean of the three largest nucleus
    radii, in the data set's units) feeds the single-feature rule.
    """
    from sklearn.datasets import load_breast_cancer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    data = load_breast_cancer()
    X, y = data.data, 1 - data.target  # 1 = malignant
    model = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=10_000))
    folds = StratifiedKFold(n_splits=N_FOLDS, shuffle=True, random_state=SEED)
    proba = cross_val_predict(model, X, y, cv=folds, method="predict_proba")[:, 1]
    worst_radius = X[:, list(data.feature_names).index("worst radius")]
    return pd.DataFrame({"case": range(len(y)), "label": y, "score": proba, "worst_radius": worst_radius})


def main(argv):
    out = Path(argv[0]) if argv else OUT
    compute_scores().to_csv(out, index=False, float_format="%.17g")
    print(f"wrote {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
