"""aipm-sim plan-test: R's references through the command line, a scenario's plan, one line for bad input."""

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

import aipm_sim as am
from aipm_sim import cli
from aipm_sim.cli.experiments import (
    FLAG_WORDS, MSG_BOTH, MSG_CLI_EQUAL, MSG_CLI_FRACTION, MSG_CLI_POSITIVE, MSG_CLI_RATE, MSG_NEITHER, MSG_RATE_ONLY,
)


def flag(message, name, value):
    return message.format(name, FLAG_WORDS[name], value)

SCRIPT = Path(sys.executable).parent / "aipm-sim"


def run(argv, capsys):
    status = cli.main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def test_two_rates(capsys):
    # R: power.prop.test(p1 = 0.02, p2 = 0.03, power = 0.8) -> n = 3825.15 per group
    status, out, err = run(["plan-test", "--baseline-rate", "0.02", "--rate", "0.03", "--cases-per-day", "1000"],
                           capsys)
    assert status == 0 and err == ""
    doc = json.loads(out)
    assert doc["per_group"] == {"control": 3826, "treatment": 3826} and doc["total"] == 7652
    assert doc["days"] == math.ceil(7652 / 1000)
    assert doc["control_exact"] == pytest.approx(3825.15, abs=0.005)
    assert doc["inputs"]["alpha"] == 0.05 and doc["inputs"]["cases_per_day"] == 1000


def test_two_rates_options(capsys):
    # R: power.prop.test(p1 = 0.10, p2 = 0.11, sig.level = 0.1, power = 0.9) -> n = 16093.88
    status, out, _ = run(["plan-test", "--baseline-rate", "0.1", "--rate", "0.11", "--alpha", "0.1",
                          "--power", "0.9"], capsys)
    doc = json.loads(out)
    assert status == 0 and doc["per_group"]["control"] == 16094 and doc["days"] is None
    status, out, _ = run(["plan-test", "--baseline-rate", "0.1", "--rate", "0.11", "--ratio", "2",
                          "--cases-per-day", "300"], capsys)
    doc = json.loads(out)
    n = am.sample_size_proportions(0.1, 0.11, ratio=2)
    assert doc["per_group"] == {"control": math.ceil(n), "treatment": math.ceil(2 * n)}
    assert doc["days"] == math.ceil(max(math.ceil(n) / 100, math.ceil(2 * n) / 200))


def test_scenario(capsys):
    status, out, err = run(["plan-test", "--scenario", "fraud_detection"], capsys)
    assert status == 0 and err == ""
    doc = json.loads(out)
    plan = am.plan_launch(am.load_scenario("fraud_detection")).test
    assert doc["days"] == plan.days and doc["per_group"]["control"] == plan.cases_control
    assert doc["inputs"]["label_delay_days"] == 30 and doc["rollout"]["total_days"] > 0
    status, out, _ = run(["plan-test", "--scenario", "fraud_detection", "--cases-per-day", "20000",
                          "--set", "orders_per_day=30000"], capsys)
    doc = json.loads(out)
    assert status == 0 and doc["inputs"]["cases_per_day"] == 20000


BAD = [
    (["--baseline-rate", "1.5", "--rate", "0.02"], MSG_CLI_RATE.format("--baseline-rate", 1.5)),
    (["--baseline-rate", "0.02", "--rate", "0"], MSG_CLI_RATE.format("--rate", 0.0)),
    (["--baseline-rate", "0.02", "--rate", "0.02"], MSG_CLI_EQUAL.format(0.02)),
    (["--baseline-rate", "0.02", "--rate", "0.03", "--power", "1"], flag(MSG_CLI_FRACTION, "--power", 1.0)),
    (["--baseline-rate", "0.02", "--rate", "0.03", "--power", "80"], flag(MSG_CLI_FRACTION, "--power", 80.0)),
    (["--baseline-rate", "0.02", "--rate", "0.03", "--alpha", "0"], flag(MSG_CLI_FRACTION, "--alpha", 0.0)),
    (["--baseline-rate", "0.02", "--rate", "0.03", "--ratio", "-1"], flag(MSG_CLI_POSITIVE, "--ratio", -1.0)),
    (["--baseline-rate", "0.02", "--rate", "0.03", "--cases-per-day", "0"],
     flag(MSG_CLI_POSITIVE, "--cases-per-day", 0.0)),
    (["--scenario", "fraud_detection", "--cases-per-day", "-5"], flag(MSG_CLI_POSITIVE, "--cases-per-day", -5.0)),
    (["--scenario", "fraud_detection", "--power", "80"], flag(MSG_CLI_FRACTION, "--power", 80.0)),
    (["--scenario", "fraud_detection", "--alpha", "nan"], flag(MSG_CLI_FRACTION, "--alpha", math.nan)),
    (["--baseline-rate", "0.02"], MSG_RATE_ONLY),
    ([], MSG_NEITHER),
    (["--scenario", "fraud_detection", "--rate", "0.1"], MSG_BOTH),
]


@pytest.mark.parametrize(("argv", "message"), BAD)
def test_bad_input_is_one_line(argv, message, capsys):
    status, out, err = run(["plan-test", *argv], capsys)
    assert status == 2 and out == ""
    assert err == f"aipm-sim: error: {message}\n"


def test_scenario_without_launch(capsys):
    status, _, err = run(["plan-test", "--scenario", "churn_retention"], capsys)
    assert status == 2 and err.count("\n") == 1 and "[launch]" in err


def test_console_script():
    done = subprocess.run([str(SCRIPT), "plan-test", "--baseline-rate", "0.02", "--rate", "0.03"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0 and json.loads(done.stdout)["per_group"]["control"] == 3826
