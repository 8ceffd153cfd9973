"""``aipm-sim drift``: one JSON object equal to the Python API; bad input is one line and status 2."""

import json

import numpy as np
import pandas as pd
import pytest

import aipm_sim as am
from aipm_sim import cli
from aipm_sim.cli.monitoring import MSG_FILE_EMPTY, MSG_THRESHOLD_NEEDS_LABEL
from aipm_sim.core.monitoring.estimation import MSG_THRESHOLD_NAN

MODEL = am.BinormalModel(0.1, 0.8)


def run(capsys, *argv):
    status = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def files(tmp_path):
    ref = MODEL.sample(2_000, seed=1)
    cur = am.BinormalModel(0.3, 0.8).sample(1_500, seed=2)
    ref_path, cur_path = tmp_path / "reference.csv", tmp_path / "current.csv"
    pd.DataFrame({"score": ref.scores, "label": ref.labels.astype(int)}).to_csv(ref_path, index=False)
    pd.DataFrame({"score": cur.scores}).to_csv(cur_path, index=False)
    return ref_path, cur_path


def test_drift_prints_every_statistic_equal_to_the_api(capsys, files):
    ref_path, cur_path = files
    status, out, err = run(capsys, "drift", ref_path, cur_path, "--score", "score")
    assert status == 0 and err == ""
    doc = json.loads(out)
    ref = pd.read_csv(ref_path)["score"].to_numpy()
    cur = pd.read_csv(cur_path)["score"].to_numpy()
    assert [s["method"] for s in doc["statistics"]] == ["psi", "ks", "js", "wasserstein"]
    for s in doc["statistics"]:
        api = am.drift_statistic(ref, cur, method=s["method"])
        assert s["statistic"] == pytest.approx(api.statistic, rel=1e-12)
        assert s["threshold"] == api.threshold and s["drifted"] == api.drifted
    assert doc["drifted"] == any(s["drifted"] for s in doc["statistics"])
    assert doc["n_reference"] == 2_000 and doc["n_current"] == 1_500


def test_no_drift_also_exits_zero_and_threshold_adds_the_estimate(capsys, files, tmp_path):
    ref_path, _ = files
    status, out, _ = run(capsys, "drift", ref_path, ref_path, "--score", "score", "--method", "psi",
                         "--method", "ks", "--label", "label", "--threshold", "0.3")
    assert status == 0
    doc = json.loads(out)
    assert not doc["drifted"] and [s["method"] for s in doc["statistics"]] == ["psi", "ks"]
    frame = pd.read_csv(ref_path)
    api = am.estimate_performance(am.ScoreSet(frame["score"], frame["label"]), frame["score"].to_numpy(),
                                  threshold=0.3)
    assert doc["estimate"]["tp"] == pytest.approx(api.tp) and doc["estimate"]["precision"] == pytest.approx(api.precision)


def bad_files(tmp_path):
    (tmp_path / "text.csv").write_text("score\n0.1\nabc\n0.3\n")
    (tmp_path / "empty.csv").write_text("")
    (tmp_path / "header.csv").write_text("score\n")
    (tmp_path / "nan.csv").write_text("score\n0.1\n\n0.2\nnan\n")
    return tmp_path


@pytest.mark.parametrize("args, message", [
    (["missing.csv", "{ref}", "--score", "score"], "data file '{dir}/missing.csv' does not exist"),
    (["{ref}", "text.csv", "--score", "score"],
     "column 'score' of '{dir}/text.csv' must be numeric; found 'abc' at data row 2 (counting from 1)"),
    (["{ref}", "empty.csv", "--score", "score"], "data file '{dir}/empty.csv' is empty"),
    (["{ref}", "header.csv", "--score", "score"], MSG_FILE_EMPTY.format("{dir}/header.csv")),
    (["{ref}", "nan.csv", "--score", "score"],
     "column 'score' of '{dir}/nan.csv' must be finite numbers; found nan in 1 row(s), first at data row 3 (counting from 1)"),
    (["{ref}", "{ref}", "--score", "score", "--method", "chi2"], None),
    (["{ref}", "{ref}", "--score", "score", "--threshold", "0.5"], MSG_THRESHOLD_NEEDS_LABEL),
    (["{ref}", "{ref}", "--score", "nope"], None),
    (["{ref}", "{ref}", "--score", "score", "--label", "label", "--threshold", "nan"],
     MSG_THRESHOLD_NAN.format(float("nan"))),
])
def test_bad_input_is_one_line_and_status_2(capsys, files, tmp_path, args, message):
    folder = bad_files(tmp_path)
    ref_path, _ = files
    argv = [a.format(ref=ref_path) for a in args]
    argv = [str(folder / a) if a.endswith(".csv") and "/" not in a else a for a in argv]
    status, out, err = run(capsys, "drift", *argv)
    assert status == 2 and out == ""
    assert err.count("\n") == 1
    if message is not None:
        assert err == f"aipm-sim: error: {message.format(dir=folder)}\n"
    elif "chi2" in args:
        assert "invalid choice: 'chi2'" in err
    else:
        assert "column 'nope' (score) not found" in err
