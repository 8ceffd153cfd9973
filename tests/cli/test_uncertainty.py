"""aipm-sim uncertainty and optimize --confidence: outputs equal the Python API; bad input is one line and status 2."""

import json

import numpy as np
import pandas as pd
import pytest

import aipm_sim as am
from aipm_sim.cli import main


@pytest.fixture
def csv(tmp_path):
    sample = am.BinormalModel(prevalence=0.1, auc=0.8, amount_mean=20.0).sample(600, seed=5)
    path = tmp_path / "scores.csv"
    pd.DataFrame({"score": np.round(sample.scores, 3), "label": sample.labels.astype(int),
                  "amount": np.round(sample.amounts, 2)}).to_csv(path, index=False)
    return path


ARGS = ["--score", "score", "--label", "label", "--amount", "amount", "--tp", "10", "--fp", "-2",
        "--fn-amount", "-1", "--min-recall", "0.5"]


def test_uncertainty_json_and_bands_equal_the_api(csv, tmp_path, capsys):
    out = tmp_path / "bands.csv"
    assert main(["uncertainty", str(csv), *ARGS, "--resamples", "30", "--seed", "3", "-o", str(out)]) == 0
    summary = json.loads(capsys.readouterr().out)
    data = am.ScoreSet.read(csv, score="score", label="label", amount="amount")
    u = am.simulate_uncertainty(data, am.ValueModel(tp=10, fp=-2, fn_amount=-1), resamples=30, seed=3,
                                min_recall=0.5)
    assert summary["threshold_interval"] == list(u.threshold_interval)
    assert summary["value_interval"] == pytest.approx(list(u.value_interval))
    assert summary["decision"]["threshold"] == u.decision.threshold
    assert summary["intervals"]["recall"]["low"] == pytest.approx(u.decision.point.interval("recall")[0])
    bands = pd.read_csv(out)
    expected = u.bands_frame()
    assert list(bands.columns) == list(expected.columns)
    np.testing.assert_allclose(bands["recall_low"], expected["recall_low"], rtol=1e-9)


def test_optimize_confidence_equals_the_api(csv, capsys):
    assert main(["optimize", str(csv), *ARGS, "--confidence", "0.9"]) == 0
    out = json.loads(capsys.readouterr().out)
    data = am.ScoreSet.read(csv, score="score", label="label", amount="amount")
    g = am.optimize(am.ThresholdCurve.from_scores(data), am.ValueModel(tp=10, fp=-2, fn_amount=-1),
                    min_recall=0.5, confidence=0.9)
    assert out["threshold"] == g.threshold and out["confidence"] == 0.9
    assert out["confidence_bounds"]["min_recall"] == pytest.approx(g.confidence_bounds["min_recall"])


@pytest.mark.parametrize("argv, message", [
    (["--resamples", "0"], "resamples must be a whole number >= 1 (e.g. 200); found 0"),
    (["--confidence", "1.5"], "confidence must be a number in (0, 1), e.g. 0.95; found 1.5"),
    (["--seed", "-1"], "seed must be a whole number >= 0 (e.g. 0); found -1"),
])
def test_uncertainty_bad_input(csv, capsys, argv, message):
    assert main(["uncertainty", str(csv), *ARGS, *argv]) == 2
    err = capsys.readouterr().err
    assert err == f"aipm-sim: error: {message}\n"


def test_uncertainty_needs_a_value_and_scenario_refuses_confidence(csv, capsys):
    assert main(["uncertainty", str(csv), "--score", "score", "--label", "label"]) == 2
    assert "uncertainty needs at least one value" in capsys.readouterr().err
    assert main(["optimize", "--scenario", "fraud_detection", "--confidence", "0.9"]) == 2
    assert "(found --confidence)" in capsys.readouterr().err
    assert main(["optimize", str(csv), *ARGS[:-2], "--min-recall", "0.999", "--confidence", "0.9"]) == 2
    assert "cannot be guaranteed with 90% confidence" in capsys.readouterr().err
