"""The shipped example data: found through the package, regenerated exactly by its simulator."""

import subprocess
import sys

import numpy as np
import pandas as pd

import aipm_sim as am
from aipm_sim.core.engine.examples import (
    EXAMPLE_NEGATIVE_WEIGHT,
    example_scores_path,
    simulate_example_scores,
)


def test_path_is_inside_the_installed_package():
    path = example_scores_path()
    assert path.is_file()
    assert path.parent.name == "data" and path.parent.parent == __import__("pathlib").Path(am.__file__).parent


def test_path_does_not_depend_on_the_working_folder(tmp_path):
    code = "from aipm_sim.core.engine.examples import example_scores_path as p; print(p().is_file())"
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"


def test_shipped_file_is_what_the_simulator_writes():
    # Guards against hand edits: the file is regenerated, never edited.
    shipped = pd.read_csv(example_scores_path())
    pd.testing.assert_frame_equal(shipped, simulate_example_scores(), check_exact=False, rtol=1e-12)


def test_file_reads_as_a_weighted_score_set():
    df = pd.read_csv(example_scores_path())
    assert list(df.columns) == ["case_id", "score", "is_fraud", "amount", "weight"]
    s = am.ScoreSet.read(example_scores_path(), score="score", label="is_fraud", amount="amount", weight="weight")
    # Every fraud kept with weight 1; legitimate rows stand for EXAMPLE_NEGATIVE_WEIGHT transactions each.
    fraud = df["is_fraud"] == 1
    assert (df.loc[fraud, "weight"] == 1).all()
    assert (df.loc[~fraud, "weight"] == EXAMPLE_NEGATIVE_WEIGHT).all()
    assert s.n_cases == fraud.sum() + EXAMPLE_NEGATIVE_WEIGHT * (~fraud).sum()
    assert 50_000 < s.n_cases < 70_000
    # Down-sampling inflates the unweighted share of fraud about 25-fold; the weights undo it.
    unweighted = fraud.mean()
    assert s.prevalence == np.float64(fraud.sum()) / s.n_cases
    assert 15 < unweighted / s.prevalence < 25
    assert df["case_id"].is_unique and (df["amount"] >= 0).all()


def test_simulation_is_seeded():
    a, b = simulate_example_scores(seed=1), simulate_example_scores(seed=1)
    pd.testing.assert_frame_equal(a, b)
    assert not simulate_example_scores(seed=2).equals(a)
