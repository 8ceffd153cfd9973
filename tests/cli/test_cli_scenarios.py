"""aipm-sim scenarios / optimize --scenario / sensitivity --scenario: equal to the Python API; errors in one line."""

import io
import json
import math
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import aipm_sim as am
from aipm_sim import cli
from aipm_sim.core.business import scenario as sc
from aipm_sim.core.business import scenario_file as sf

SCRIPT = Path(sys.executable).parent / "aipm-sim"


def run(argv, capsys):
    status = cli.main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def test_scenarios_lists_every_preset_with_its_summary(capsys):
    status, out, err = run(["scenarios"], capsys)
    assert status == 0 and err == ""
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == list(am.list_scenarios())
    for line, name in zip(lines, am.list_scenarios()):
        assert line.endswith(am.load_scenario(name).summary)


@pytest.mark.parametrize("name", ["fraud_detection", "medical_screening"])
def test_optimize_scenario_prints_the_decision(name, capsys):
    status, out, err = run(["optimize", "--scenario", name], capsys)
    assert status == 0 and err == ""
    got = json.loads(out)
    s = am.load_scenario(name)
    d = s.optimize()
    assert got["scenario"] == name and got["kind"] == "threshold" and got["period"] == "month"
    assert got["threshold"] == d.threshold and got["value"] == d.value
    assert got["recall"] == d.point.recall and got["constraints"] == dict(d.constraints)
    assert got["parameters"] == s.values


def test_optimize_with_overrides(capsys):
    status, out, _ = run(["optimize", "--scenario", "fraud_detection", "--set", "fraud_rate=0.004",
                          "--set", "analysts=3"], capsys)
    got = json.loads(out)
    d = am.load_scenario("fraud_detection", fraud_rate=0.004, analysts=3).optimize()
    assert status == 0 and got["value"] == d.value and got["parameters"]["analysts"] == 3


def test_optimize_recommendations_includes_k(capsys):
    status, out, _ = run(["optimize", "--scenario", "recommendations"], capsys)
    got = json.loads(out)
    d = am.load_scenario("recommendations").optimize()
    assert status == 0 and got["kind"] == "ranking"
    assert (got["k"], got["min_score"], got["value"]) == (d.k, d.min_score, d.value)
    assert got["precision_shown"] == d.point.precision_shown


def test_optimize_scenario_file(tmp_path, capsys):
    path = tmp_path / "mine.toml"
    am.load_scenario("churn_retention", offer_cost=30).save(path)
    status, out, _ = run(["optimize", "--scenario", str(path)], capsys)
    assert status == 0 and json.loads(out)["value"] == am.load_scenario("churn_retention", offer_cost=30).optimize().value


def test_sensitivity_writes_the_table(tmp_path, capsys):
    out_path = tmp_path / "sens.csv"
    status, out, err = run(["sensitivity", "--scenario", "churn_retention", "--set", "save_rate=0.2",
                            "-o", str(out_path)], capsys)
    assert status == 0 and out == "" and err == ""
    got = pd.read_csv(out_path)
    expected = am.compute_sensitivity(am.load_scenario("churn_retention", save_rate=0.2)).table
    assert list(got.columns) == list(expected.columns)
    assert list(got["parameter"]) == list(expected["parameter"])
    pd.testing.assert_series_equal(got["value_at_low"], expected["value_at_low"], rtol=1e-9)
    assert not list(tmp_path.glob(".*.tmp"))


def test_sensitivity_to_stdout(capsys):
    status, out, _ = run(["sensitivity", "--scenario", "credit_approval"], capsys)
    assert status == 0
    frame = pd.read_csv(io.StringIO(out))
    assert frame.loc[0, "swing"] == frame["swing"].max()


FRAUD_NAMES = ", ".join(am.load_scenario("fraud_detection").parameters)


@pytest.mark.parametrize("argv, message", [
    (["optimize", "--scenario", "fraud"], sc.MSG_UNKNOWN_SCENARIO.format("fraud", ", ".join(am.list_scenarios()))),
    (["optimize", "--scenario", "fraud_detection", "--set", "fraud_rat=0.1"],
     sc.MSG_UNKNOWN_PARAMETER.format("fraud_rat", "fraud_detection", FRAUD_NAMES)),
    (["optimize", "--scenario", "fraud_detection", "--set", "fraud_rate=2"],
     sc.MSG_PARAMETER_RANGE.format("fraud_rate", "[1e-05, 0.5]", "fraction of orders", "2")),
    (["optimize", "--scenario", "fraud_detection", "--set", "fraud_rate=lots"],
     sc.MSG_PARAMETER_NUMBER.format("fraud_rate", "lots")),
    (["optimize", "--scenario", "fraud_detection", "--set", "orders_per_day=inf"],
     sc.MSG_PARAMETER_FINITE.format("orders_per_day", "orders per day", "inf")),
    (["optimize", "--scenario", "fraud_detection", "--set", "chargeback_fee=1e309"],
     sc.MSG_PARAMETER_FINITE.format("chargeback_fee", "EUR per chargeback", "1e309")),
    (["optimize", "--scenario", "fraud_detection", "--min-recall", "0.5"],
     cli.MSG_SCENARIO_OPTIONS.format("--min-recall")),
    (["optimize", "--scenario", "fraud_detection", "--fp", "-3", "--volume", "10"],
     cli.MSG_SCENARIO_OPTIONS.format("--volume, --fp")),
    # An explicit 0 is an option given too (value options have no default; the scenario has its own money).
    (["optimize", "--scenario", "fraud_detection", "--tn-amount", "0"], cli.MSG_SCENARIO_OPTIONS.format("--tn-amount")),
    (["optimize", "data.csv", "--scenario", "fraud_detection"], cli.MSG_BOTH),
    (["optimize"], cli.MSG_DATA_OR_SCENARIO),
    (["optimize", "data.csv", "--score", "s"], cli.MSG_DATA_OR_SCENARIO),
    (["optimize", "data.csv", "--score", "s", "--label", "y", "--set", "a=1"], cli.MSG_SET_WITHOUT_SCENARIO),
    (["sensitivity", "--scenario", "nope"], sc.MSG_UNKNOWN_SCENARIO.format("nope", ", ".join(am.list_scenarios()))),
    (["sensitivity", "--scenario", "no/such.toml"], sc.MSG_FILE_MISSING.format("no/such.toml")),
])
def test_bad_input_is_one_line_and_status_2(argv, message, capsys):
    status, out, err = run(argv, capsys)
    assert status == 2 and out == ""
    assert err == f"aipm-sim: error: {message}\n"


@pytest.mark.parametrize("command", ["optimize", "sensitivity"])
def test_a_parameter_set_twice_is_refused_as_report_does(command, capsys):
    # Before: the last --set won silently (analysts=3 here), while report refused the same command line.
    status, out, err = run([command, "--scenario", "fraud_detection", "--set", "analysts=1", "--set", "fraud_rate=0.004",
                            "--set", "analysts=3"], capsys)
    assert status == 2 and out == ""
    assert err == f"aipm-sim: error: {cli.MSG_SET_TWICE.format('analysts')}\n"


def test_malformed_scenario_files_are_one_line_and_status_2(tmp_path, capsys):
    broken = tmp_path / "broken.toml"
    broken.write_text('name = "x"\n[parameters\n')
    status, out, err = run(["optimize", "--scenario", str(broken)], capsys)
    assert status == 2 and out == ""
    assert err.startswith(f"aipm-sim: error: {sf.MSG_NOT_TOML.format(str(broken), '')}") and err.count("\n") == 1
    partial = tmp_path / "partial.toml"
    partial.write_text('name = "x"\n')
    status, out, err = run(["sensitivity", "--scenario", str(partial)], capsys)
    assert (status, out) == (2, "") and err == f"aipm-sim: error: {sf.MSG_MISSING.format(str(partial), 'title')}\n"
    # 5,000 unary minus signs: Python's parser runs out of stack; still bad input, not an internal error.
    doc = am.load_scenario("churn_retention").to_dict()
    doc["value"]["fp"] = "-" * 5000 + "offer_cost"
    deep = tmp_path / "deep.toml"
    deep.write_text(sf.write_toml(doc))
    status, out, err = run(["optimize", "--scenario", str(deep)], capsys)
    assert (status, out) == (2, "")
    assert err == f"aipm-sim: error: {sf.MSG_EXPRESSION_DEPTH.format(str(deep), 'value.fp', sf.MAX_EXPRESSION_DEPTH)}\n"
    # high = inf: refused when the file is read, naming the key (not later, as an override nobody gave).
    doc = am.load_scenario("churn_retention").to_dict()
    doc["parameters"]["offer_budget_per_month"]["high"] = math.inf
    infinite = tmp_path / "inf.toml"
    infinite.write_text(sf.write_toml(doc))
    status, out, err = run(["sensitivity", "--scenario", str(infinite)], capsys)
    assert (status, out) == (2, "")
    assert err == ("aipm-sim: error: "
                   f"{sf.MSG_PARAMETER_NOT_FINITE.format(str(infinite), 'offer_budget_per_month', 'high', math.inf)}\n")


def test_a_scenario_file_without_toml_suffix_says_so(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    am.load_scenario("churn_retention").save(tmp_path / "mine.txt")
    status, out, err = run(["optimize", "--scenario", "mine.txt"], capsys)
    assert (status, out) == (2, "")
    assert err == f"aipm-sim: error: {sc.MSG_SCENARIO_SUFFIX.format('mine.txt', 'mine.txt', ', '.join(am.list_scenarios()))}\n"


def test_constraints_that_cannot_hold_are_bad_input(tmp_path, capsys):
    # Recall of 99 % while flagging at most 10 % of cases: impossible at AUC 0.8 (a ConstraintError).
    doc = {"name": "toy", "title": "t", "summary": "s", "narrative": "n", "kind": "threshold", "currency": "EUR",
           "parameters": {"floor": {"value": 0.99, "low": 0.9, "high": 0.99, "min": 0, "max": 1,
                                    "unit": "fraction", "description": "d", "source": "s"}},
           "scores": {"source": "binormal", "prevalence": 0.1, "auc": 0.8},
           "value": {"tp": 10, "fp": -1},
           "decision": {"volume": 100, "constraints": {"min_recall": "floor", "max_alert_rate": 0.1}}}
    path = tmp_path / "impossible.toml"
    path.write_text(sf.write_toml(doc))
    with pytest.raises(am.ConstraintError) as info:
        am.load_scenario(path).optimize()
    status, out, err = run(["optimize", "--scenario", str(path)], capsys)
    assert (status, out) == (2, "") and err == f"aipm-sim: error: {info.value}\n"
    status, out, err = run(["optimize", "--scenario", str(path), "--set", "floor=0.3"], capsys)
    assert status == 0 and json.loads(out)["binding"]


def test_value_options_have_the_same_meaning_for_optimize_and_report():
    # Not given: None for both commands (a cell not given is worth 0 in the value model).
    cells = ("tp", "fp", "fn", "tn", "tp_amount", "fp_amount", "fn_amount", "tn_amount")
    for argv in (["optimize"], ["report", "-o", "r.html"]):
        args = cli.build_parser().parse_args(argv)
        assert all(getattr(args, c) is None for c in cells), argv
        args = cli.build_parser().parse_args(argv + ["--fp", "-2.5", "--fn-amount", "-1"])
        assert (args.fp, args.fn_amount, args.tp) == (-2.5, -1.0, None)


def test_usage_errors(capsys):
    status, _, err = run(["sensitivity"], capsys)
    assert status == 2 and "the following arguments are required: --scenario" in err
    status, _, err = run(["optimize", "--scenario", "fraud_detection", "--set", "fraud_rate"], capsys)
    assert status == 2 and "--set needs NAME=VALUE; found 'fraud_rate'" in err


def test_bad_output_folder(tmp_path, capsys):
    status, _, err = run(["sensitivity", "--scenario", "credit_approval", "-o", str(tmp_path / "no" / "x.csv")],
                         capsys)
    assert status == 2 and err == f"aipm-sim: error: output folder {str(tmp_path / 'no')!r} does not exist\n"


def test_console_script_runs_scenarios():
    out = subprocess.run([str(SCRIPT), "scenarios"], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines()[0].startswith("churn_retention")
    out = subprocess.run([str(SCRIPT), "optimize", "--scenario", "recommendations"], capture_output=True, text=True)
    assert out.returncode == 0 and json.loads(out.stdout)["k"] == am.load_scenario("recommendations").optimize().k
    assert not math.isnan(json.loads(out.stdout)["value"])
    assert re.fullmatch(r"", out.stderr)


def test_no_capacity_is_a_clean_flag_nothing(capsys):
    # --set analysts=0 once gave threshold 0.9999998 and counts like 9.76e-13.
    status = cli.main(["optimize", "--scenario", "fraud_detection", "--set", "analysts=0"])
    out, err = capsys.readouterr()
    assert status == 0 and err == ""
    result = json.loads(out)
    assert result["rule"] == "flag nothing" and result["threshold"] is None
    assert result["alerts"] == 0 and result["per_period"]["alerts"] == 0 and result["tp"] == 0
    # Independent: flagging nothing loses every fraud's chargeback fee and amount, 600,000 orders a month.
    s = am.load_scenario("fraud_detection")
    assert result["value"] == pytest.approx(s.curve().point(0).per_period(s.volume).fn * -25
                                            - s.curve().point(0).per_period(s.volume).fn_amount, rel=1e-9)


@pytest.mark.parametrize("argv", [["optimize", "--min-recall", "x"], ["report", "--bogus"], ["nope"],
                                  ["optimize", "--scenario", "nope"]])
def test_every_error_has_one_prefix(capsys, argv):
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("aipm-sim: error: ") and err.count("\n") == 1
