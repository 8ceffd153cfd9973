"""Example data shipped inside the package, found through ``importlib.resources``.

Notebooks and tutorials call :func:`example_scores_path` instead of using a
relative path, so they work from any working folder (JupyterLab, Voilà,
papermill, nbval) and from an installed package.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from .binormal import BinormalModel

#: File name of the example scores in ``aipm_sim/data/``.
EXAMPLE_SCORES = "example_scores.csv"
#: Seed the shipped file was simulated with (see :func:`simulate_example_scores`).
EXAMPLE_SEED = 2024
#: Legitimate transactions behind each kept legitimate row (1 in 25 was kept).
EXAMPLE_NEGATIVE_WEIGHT = 25


def example_scores_path():
    """Path of the shipped example CSV of scored card transactions.

    Columns: ``case_id``; ``score`` (the fraud model's calibrated
    probability, 6 decimals, so a few ties occur); ``is_fraud`` (0/1); ``amount``
    (transaction value, currency); ``weight`` (how many real transactions
    the row stands for: every fraud was kept, weight 1, but only 1 in 25
    legitimate transactions, weight 25). The rows stand for about 60,000
    transactions. Read it with::

        am.ScoreSet.read(example_scores_path(), score="score", label="is_fraud",
                         amount="amount", weight="weight")

    Returns
    -------
    pathlib.Path
    """
    return Path(str(resources.files("aipm_sim").joinpath("data").joinpath(EXAMPLE_SCORES)))


def simulate_example_scores(*, seed=EXAMPLE_SEED):
    """Simulate the example file: 60,000 card transactions, negatives down-sampled 1 in 25.

    A :class:`BinormalModel` with prevalence 0.4 %, AUC 0.92 and lognormal
    amounts (mean 45 for legitimate, 160 for fraudulent transactions) is
    sampled with ``seed``; every fraud is kept and each legitimate
    transaction is kept with probability 1/25 and weight 25.

    Returns
    -------
    pandas.DataFrame
        The columns described in :func:`example_scores_path`.
    """
    rng = np.random.default_rng(seed)
    model = BinormalModel(prevalence=0.004, auc=0.92, amount_mean=45.0, positive_amount_mean=160.0)
    cases = model.sample(60_000, seed=rng)
    keep = cases.labels | (rng.random(len(cases)) < 1 / EXAMPLE_NEGATIVE_WEIGHT)
    idx = np.flatnonzero(keep)
    return pd.DataFrame({
        "case_id": idx + 1,
        "score": np.round(cases.scores[idx], 6),
        "is_fraud": cases.labels[idx].astype(np.int64),
        "amount": np.round(cases.amounts[idx], 2),
        "weight": np.where(cases.labels[idx], 1, EXAMPLE_NEGATIVE_WEIGHT),
    })
