"""aipm-sim optimize --group: the JSON equals optimize_groups; bad input is one line and status 2."""

import json
import math

import numpy as np
import pandas as pd
import pytest

import aipm_sim as am
from aipm_sim import cli
from aipm_sim.cli.groups import (MSG_GROUP_WITH_ENGINE, MSG_GROUP_WITH_SCENARIO, MSG_RULE_WITHOUT_GROUP,
                                 MSG_TOLERANCE_WITHOUT_RULE)
from aipm_sim.core.engine.scores import MSG_COLUMN


@pytest.fixture
def data(tmp_path):
    sim = am.simulate_groups({"north": am.GroupModel(size=300, prevalence=0.2, auc=0.8),
                              "south": am.GroupModel(size=200, prevalence=0.1, auc=0.7)}, seed=4)
    s = sim.measured
    frame = pd.DataFrame({"score": np.round(s.scores, 3), "label": s.labels.astype(int), "region": s.groups})
    path = tmp_path / "scored.csv"
    frame.to_csv(path, index=False)
    return path, frame


def run(capsys, *argv):
    status = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize("rule", [None, "demographic_parity", "equalized_odds"])
def test_json_equals_the_api(capsys, data, rule):
    path, frame = data
    argv = ["optimize", path, "--score", "score", "--label", "label", "--group", "region", "--tp", "100",
            "--fp", "-10", "--volume", "1000"]
    if rule:
        argv += ["--fairness", rule, "--tolerance", "0.05"]
    status, out, err = run(capsys, *argv)
    assert status == 0, err
    got = json.loads(out)
    s = am.ScoreSet(frame["score"], frame["label"], groups=frame["region"])
    d = am.optimize_groups(s, am.ValueModel(tp=100, fp=-10), fairness=rule, tolerance=0.05 if rule else 0.0,
                           volume=1000)
    assert got["price_of_fairness"] == pytest.approx(d.price_of_fairness)
    assert got["value"] == pytest.approx(d.value)
    for g, t in d.thresholds.items():
        assert (got["thresholds"][g] is None and math.isinf(t)) or got["thresholds"][g] == pytest.approx(t)
    assert set(got["by_group"]) == {"north", "south"}
    assert got["group_column"] == "region"


def test_plain_optimize_is_unchanged(capsys, data):
    path, _ = data
    status, out, _ = run(capsys, "optimize", path, "--score", "score", "--label", "label", "--tp", "100")
    assert status == 0 and "thresholds" not in json.loads(out)


@pytest.mark.parametrize(("extra", "message"), [
    (["--fairness", "equal_opportunity"], MSG_RULE_WITHOUT_GROUP.format("--fairness")),
    (["--tolerance", "0.1"], MSG_RULE_WITHOUT_GROUP.format("--tolerance")),
    (["--group", "nowhere"], MSG_COLUMN.format("nowhere", "group", "score, label, region")),
    (["--group", "region", "--fairness", "equal_opportunity", "--tolerance", "-1"],
     "tolerance must be in [0, inf); found -1.0"),
    (["--group", "region", "--scenario", "fraud"], MSG_GROUP_WITH_SCENARIO),
    (["--group", "region", "--tolerance", "0.1"], MSG_TOLERANCE_WITHOUT_RULE.format(0.1)),
    (["--group", "region", "--engine", "dask"],
     MSG_GROUP_WITH_ENGINE.format("--engine, --grid, --scheduler or --confidence", "--engine")),
    (["--group", "region", "--confidence", "0.9"],
     MSG_GROUP_WITH_ENGINE.format("--engine, --grid, --scheduler or --confidence", "--confidence")),
])
def test_bad_input_is_one_line_and_status_2(capsys, data, extra, message):
    path, _ = data
    status, out, err = run(capsys, "optimize", path, "--score", "score", "--label", "label", "--tp", "1", *extra)
    assert status == 2
    assert err.strip().endswith(message)
    assert len(err.strip().splitlines()) == 1


def test_unknown_rule_is_a_usage_error(capsys, data):
    path, _ = data
    status, _, err = run(capsys, "optimize", path, "--score", "score", "--label", "label", "--tp", "1",
                         "--group", "region", "--fairness", "fair")
    assert status == 2 and "invalid choice: 'fair'" in err
