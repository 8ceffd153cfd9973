"""The aipm-sim command line: outputs equal the Python API; bad input is one line and status 2."""

import io
import json
import math
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import aipm_sim as am
from aipm_sim import cli
from aipm_sim.cli import (MSG_NO_VALUE, MSG_OUTPUT_EMPTY, MSG_OUTPUT_FAILED, MSG_OUTPUT_FOLDER, MSG_OUTPUT_IS_FOLDER,
                          MSG_OUTPUT_NOT_FILE)
from aipm_sim.core.engine.curve import MSG_NO_POSITIVES
from aipm_sim.core.engine.scores import MSG_COLUMN, MSG_EMPTY, MSG_LABELS, MSG_NEGATIVE_AMOUNT, MSG_WEIGHT

SCRIPT = Path(sys.executable).parent / "aipm-sim"
REQUIRED_CURVE_COLUMNS = ["threshold", "tp", "fp", "fn", "tn", "precision", "recall", "fpr", "alert_rate"]
REQUIRED_JSON_KEYS = ["threshold", "value", "precision", "recall", "alert_rate", "tp", "fp", "fn", "tn"]


def scored_frame():
    sample = am.BinormalModel(prevalence=0.1, auc=0.8, amount_mean=20.0, positive_amount_mean=150.0).sample(400, seed=5)
    rng = np.random.default_rng(6)
    return pd.DataFrame({
        "score": np.round(sample.scores, 3),  # rounded: ties, as real exports have
        "label": sample.labels.astype(int),
        "amount": np.round(sample.amounts, 2),
        "weight": np.where(sample.labels, 1, rng.integers(1, 4, len(sample))),
    })


@pytest.fixture
def data(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    path = folder / "scored.csv"
    scored_frame().to_csv(path, index=False)
    return path


def run(capsys, *argv):
    status = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def api_curve(path, **columns):
    return am.ThresholdCurve.from_scores(am.ScoreSet.read(path, score="score", label="label", **columns))


# -- curve ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("columns", [{}, {"amount": "amount"}, {"amount": "amount", "weight": "weight"}])
def test_curve_to_stdout_equals_the_api(capsys, data, columns):
    flags = [x for k, v in columns.items() for x in (f"--{k}", v)]
    status, out, err = run(capsys, "curve", data, "--score", "score", "--label", "label", *flags)
    assert status == 0 and err == ""
    got = pd.read_csv(io.StringIO(out))
    want = api_curve(data, **columns).to_frame()
    assert set(REQUIRED_CURVE_COLUMNS) <= set(got.columns)
    assert list(got.columns) == list(want.columns)
    assert ("tp_amount" in got.columns) == ("amount" in columns)
    # Written with 17 significant digits: the numbers round-trip exactly.
    pd.testing.assert_frame_equal(got, want, check_exact=True, check_dtype=False)
    assert got["threshold"].iloc[0] == math.inf and math.isnan(got["precision"].iloc[0])


def test_curve_to_file(capsys, data, tmp_path):
    out_path = tmp_path / "curve.csv"
    status, out, err = run(capsys, "curve", data, "--score", "score", "--label", "label", "-o", out_path)
    assert status == 0 and out == "" and err == ""
    pd.testing.assert_frame_equal(pd.read_csv(out_path), api_curve(data).to_frame(), check_exact=True, check_dtype=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["curve.csv", "in"]  # no temporary file left


@pytest.mark.skipif(os.name != "posix", reason="file modes and the umask are POSIX")
@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600)])
def test_output_file_gets_the_mode_a_plain_open_would_give(capsys, data, tmp_path, umask, mode):
    out_path = tmp_path / "curve.csv"
    previous = os.umask(umask)
    try:
        status, _, _ = run(capsys, "curve", data, "--score", "score", "--label", "label", "-o", out_path)
        with open(tmp_path / "plain.txt", "w") as fh:  # the oracle: what open() makes under this umask
            fh.write("x")
    finally:
        os.umask(previous)
    assert status == 0
    assert stat.S_IMODE(out_path.stat().st_mode) == stat.S_IMODE((tmp_path / "plain.txt").stat().st_mode) == mode


def test_curve_reads_parquet(capsys, tmp_path):
    pytest.importorskip("pyarrow")
    path = tmp_path / "scored.parquet"
    scored_frame().to_parquet(path)
    status, out, _ = run(capsys, "curve", path, "--score", "score", "--label", "label", "--weight", "weight")
    assert status == 0
    pd.testing.assert_frame_equal(pd.read_csv(io.StringIO(out)), api_curve(path, weight="weight").to_frame(),
                                  check_exact=True, check_dtype=False)


def test_degenerate_data_warns_on_stderr_and_succeeds(capsys, tmp_path):
    path = tmp_path / "no_fraud.csv"
    pd.DataFrame({"score": [0.2, 0.7], "label": [0, 0]}).to_csv(path, index=False)
    status, out, err = run(capsys, "curve", path, "--score", "score", "--label", "label")
    assert status == 0
    assert err == f"aipm-sim: warning: {MSG_NO_POSITIVES}\n"
    assert len(pd.read_csv(io.StringIO(out))) == 3


# -- optimize ------------------------------------------------------------------------------------------
OPTIMIZE_CASES = [
    ({"tp": 100, "fp": -5}, {}, {}),
    ({"tp": -5, "fp": -5, "fn_amount": -1.0}, {"amount": "amount"}, {"min_recall": 0.5}),
    ({"tp": -5, "fp": -5, "fn_amount": -1.0, "tp_amount": 0.1}, {"amount": "amount", "weight": "weight"},
     {"max_alert_rate": 0.2, "min_precision": 0.2}),
    ({"tp": 50, "fp": -2, "fn": -30, "tn": 0.5}, {"weight": "weight"}, {"max_fpr": 0.1, "max_alerts": 300, "volume": 10000}),
]


@pytest.mark.parametrize(("values", "columns", "constraints"), OPTIMIZE_CASES)
def test_optimize_prints_the_api_decision_as_json(capsys, data, values, columns, constraints):
    argv = ["optimize", data, "--score", "score", "--label", "label"]
    argv += [x for k, v in columns.items() for x in (f"--{k}", v)]
    argv += [x for k, v in values.items() for x in (f"--{k.replace('_', '-')}", v)]
    argv += [x for k, v in constraints.items() for x in (f"--{k.replace('_', '-')}", v)]
    status, out, err = run(capsys, *argv)
    assert status == 0 and err == ""
    got = json.loads(out)  # exactly one JSON object
    assert isinstance(got, dict) and set(REQUIRED_JSON_KEYS) <= set(got)
    volume = constraints.pop("volume", None)
    decision = am.optimize(api_curve(data, **columns), am.ValueModel(**values), volume=volume, **constraints)
    for key in REQUIRED_JSON_KEYS:
        want = getattr(decision, key) if key in ("threshold", "value") else getattr(decision.point, key)
        assert got[key] == want, key
    assert got["constraints"] == constraints and got["binding"] == list(decision.binding)
    assert got["near_optimal"]["rows"] == decision.near_optimal.rows


def test_optimize_needs_at_least_one_value(capsys, data):
    status, out, err = run(capsys, "optimize", data, "--score", "score", "--label", "label", "--min-recall", "0.5")
    assert status == 2 and out == ""
    assert_one_error_line(err, MSG_NO_VALUE)
    status, out, _ = run(capsys, "optimize", data, "--score", "score", "--label", "label", "--tp", "0")
    assert status == 0 and json.loads(out)["value"] == 0  # a value given as 0 is a value


def test_optimize_with_a_volume_says_what_each_count_counts(capsys, tmp_path):
    # 200 rows, 10 of them scoring >= 0.9; at 10,000 cases a day, 10 rows are 500 alerts a day.
    rng = np.random.default_rng(11)
    scores = np.r_[np.linspace(0.9, 0.99, 10), rng.uniform(0.0, 0.8, 190)]
    labels = np.r_[np.ones(8), np.zeros(2), (rng.random(190) < 0.05)].astype(int)
    amounts = np.round(rng.uniform(1, 100, 200), 2)
    path = tmp_path / "s.csv"
    pd.DataFrame({"score": scores, "label": labels, "amount": amounts}).to_csv(path, index=False)
    status, out, err = run(capsys, "optimize", path, "--score", "score", "--label", "label", "--amount", "amount",
                           "--tp", "100", "--fp", "-1", "--fn", "-50", "--max-alerts", "500", "--volume", "10000")
    assert status == 0 and err == ""
    got = json.loads(out)
    # Brute force from the raw rows: the data counts and the same per 10,000 cases.
    df = pd.read_csv(path)
    flagged = df["score"] >= got["threshold"]
    pos = df["label"] == 1
    data_counts = {"tp": (flagged & pos).sum(), "fp": (flagged & ~pos).sum(), "fn": (~flagged & pos).sum(),
                   "tn": (~flagged & ~pos).sum()}
    data_counts["alerts"] = flagged.sum()
    assert data_counts["alerts"] == 10 and got["binding"] == ["max_alerts"]
    for name, count in data_counts.items():
        assert got[name] == count, name  # counts among the data file's rows
        assert got["per_period"][name] == pytest.approx(count * 10_000 / 200, rel=1e-12), name
    assert got["n_cases"] == 200 and got["per_period"]["volume"] == 10_000
    assert got["per_period"]["alerts"] == pytest.approx(got["constraints"]["max_alerts"])  # the cap binds
    assert got["per_period"]["fn_amount"] == pytest.approx(df.loc[~flagged & pos, "amount"].sum() * 50, rel=1e-12)
    assert got["value"] == pytest.approx(
        sum(v * got["per_period"][c] for c, v in {"tp": 100, "fp": -1, "fn": -50}.items()), rel=1e-12)
    # Without a volume there is no per-period object: the counts are those of the data.
    status, out, _ = run(capsys, "optimize", path, "--score", "score", "--label", "label", "--tp", "1")
    assert status == 0 and "per_period" not in json.loads(out)


def test_optimize_writes_infinity_and_nan_as_null(capsys, data):
    # Nothing is worth flagging: the best threshold is +inf and precision is undefined.
    status, out, _ = run(capsys, "optimize", data, "--score", "score", "--label", "label", "--fp", "-1")
    assert status == 0
    got = json.loads(out)
    assert got["threshold"] is None and got["precision"] is None and got["alert_rate"] == 0


# -- bad input: status 2, one line, no traceback, no output file ------------------------------------------
def _edit_csv(path, column, row, value):
    df = pd.read_csv(path)
    df[column] = df[column].astype(object)
    df.loc[row, column] = value
    df.to_csv(path, index=False)


BAD_INPUT = [
    # (edit of the data file, extra arguments, expected message after "aipm-sim: error: ")
    ("missing", [], "data file '{path}' does not exist"),
    ("empty", [], "data file '{path}' is empty"),
    ("header", [], MSG_EMPTY.format("the data")),
    ("suffix", [], "data file '{path}' must end in .csv or .parquet; found '.xlsx'"),
    (None, ["--amount", "value"], MSG_COLUMN.format("value", "amount", "score, label, amount, weight")),
    (("score", 7, ""), [], "column 'score' must be finite numbers; found nan in 1 row(s), first at data row 8 (counting from 1)"),
    (("score", 3, "high"), [], "column 'score' must be numeric; found text 'high' in 1 row(s), first at data row 4 (counting from 1)"),
    (("label", 5, 2), [], MSG_LABELS.format("column 'label'", 2, 1, "data row 6 (counting from 1)")),
    (("label", 0, "fraud"), [], MSG_LABELS.format("column 'label'", "fraud", 1, "data row 1 (counting from 1)")),
    (("amount", 9, -12.5), ["--amount", "amount"], MSG_NEGATIVE_AMOUNT.format("column 'amount'", -12.5, 1, "data row 10 (counting from 1)")),
    (("weight", 4, 0), ["--weight", "weight"], MSG_WEIGHT.format("column 'weight'", 0.0, 1, "data row 5 (counting from 1)")),
]


def _prepare(path, edit):
    if edit == "missing":
        path.unlink()
    elif edit == "empty":
        path.write_text("")
    elif edit == "header":
        path.write_text("score,label,amount,weight\n")
    elif edit == "suffix":
        new = path.with_suffix(".xlsx")
        path.rename(new)
        return new
    elif edit is not None:
        _edit_csv(path, *edit)
    return path


def assert_one_error_line(err, message, prog="aipm-sim"):
    assert "Traceback" not in err
    assert err.count("\n") == 1 and err.endswith("\n")
    assert err == f"{prog}: error: {message}\n"


@pytest.mark.parametrize("command", ["curve", "optimize"])
@pytest.mark.parametrize(("edit", "extra", "message"), BAD_INPUT)
def test_bad_data_exits_2_with_one_line(capsys, data, tmp_path, command, edit, extra, message):
    path = _prepare(data, edit)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    argv = [command, path, "--score", "score", "--label", "label", *extra]
    argv += ["-o", out_dir / "curve.csv"] if command == "curve" else ["--tp", "1"]
    status, out, err = run(capsys, *argv)
    assert status == 2 and out == ""
    assert_one_error_line(err, message.format(path=path))
    assert list(out_dir.iterdir()) == []  # no output, not even a partial or temporary file


@pytest.mark.parametrize(
    ("args", "message", "prog"),
    [
        (["--bogus"], "unrecognized arguments: --bogus", "aipm-sim"),
        (["--tp", "abc"], "argument --tp: invalid float value: 'abc'", "aipm-sim"),
        (["--min-recall", "1.5"], "min_recall must be in [0, 1]; found 1.5", "aipm-sim"),
        (["--max-alert-rate", "-0.5"], "max_alert_rate must be in [0, 1]; found -0.5", "aipm-sim"),
        (["--tp", "inf"], "tp must be in (-inf, inf); found inf", "aipm-sim"),
        (["--fn-amount", "-1"], "the value model uses amounts (fn_amount) but the curve has none: "
                                "give the scored data an amount column", "aipm-sim"),
        (["--volume", "0"], "volume must be in (0, inf); found 0.0", "aipm-sim"),
    ],
)
def test_bad_options_exit_2_with_one_line(capsys, data, args, message, prog):
    value = [] if any(a.startswith(("--tp", "--fn")) for a in args) else ["--fp", "-1"]
    status, out, err = run(capsys, "optimize", data, "--score", "score", "--label", "label", *value, *args)
    assert status == 2 and out == ""
    assert_one_error_line(err, message, prog)


def test_constraints_that_cannot_hold(capsys, data):
    curve = api_curve(data)
    # Brute force: the highest recall among thresholds that flag at most 0.5 % of the cases.
    df = pd.read_csv(data)
    s, y = df["score"].to_numpy(), df["label"].to_numpy() == 1
    best = max(((s >= t) & y).sum() / y.sum() for t in np.unique(s) if (s >= t).mean() <= 0.005)
    status, out, err = run(capsys, "optimize", data, "--score", "score", "--label", "label", "--tp", "1",
                           "--min-recall", "0.95", "--max-alert-rate", "0.005")
    assert status == 2 and out == ""
    assert_one_error_line(err, "min_recall=0.95 is unreachable with max_alert_rate=0.005: "
                               f"the highest recall meeting max_alert_rate=0.005 is {best:.4g}")
    assert len(curve) > 100


def test_missing_required_arguments(capsys, data):
    status, out, err = run(capsys, "curve", data, "--score", "score")
    assert status == 2 and out == ""
    assert_one_error_line(err, "the following arguments are required: --label", "aipm-sim")
    status, out, err = run(capsys)
    assert status == 2
    assert_one_error_line(err, "the following arguments are required: command")


def test_missing_output_folder(capsys, data, tmp_path):
    target = tmp_path / "nowhere" / "curve.csv"
    status, out, err = run(capsys, "curve", data, "--score", "score", "--label", "label", "-o", target)
    assert status == 2 and out == ""
    assert_one_error_line(err, f"output folder {str(target.parent)!r} does not exist")


def test_failed_rename_leaves_no_file(capsys, data, tmp_path, monkeypatch):
    def refuse(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(cli.os, "replace", refuse)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    status, out, err = run(capsys, "curve", data, "--score", "score", "--label", "label", "-o", out_dir / "c.csv")
    assert status == 2
    assert_one_error_line(err, MSG_OUTPUT_FAILED.format(str(out_dir / "c.csv"), "disk full"))
    assert list(out_dir.iterdir()) == []


def curve_argv(data, target):
    return ["curve", data, "--score", "score", "--label", "label", "-o", target]


@pytest.mark.skipif(os.name != "posix", reason="symlinks and file modes are POSIX")
def test_output_through_a_symlink_replaces_the_target_and_keeps_the_link(capsys, data, tmp_path):
    real_dir = tmp_path / "real"
    real_dir.mkdir()
    target = real_dir / "curve.csv"
    target.write_text("old\n")
    os.chmod(target, 0o600)
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    status, out, err = run(capsys, *curve_argv(data, link))
    assert (status, out, err) == (0, "", "")
    assert link.is_symlink() and os.readlink(link) == str(target)
    pd.testing.assert_frame_equal(pd.read_csv(target), api_curve(data).to_frame(), check_exact=True, check_dtype=False)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600  # a replaced file keeps its mode, as open() would
    assert sorted(p.name for p in real_dir.iterdir()) == ["curve.csv"]  # the temporary file was beside the target
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "link.csv", "real"]
    # A dangling link: the file it names is created.
    os.unlink(target)
    status, _, _ = run(capsys, *curve_argv(data, link))
    assert status == 0 and link.is_symlink() and target.is_file()


@pytest.mark.skipif(os.name != "posix", reason="device files are POSIX")
def test_output_to_a_character_device_or_pipe_is_written_directly(capfd, data, tmp_path):
    # Through a link of our own: an implementation that replaced the target instead of writing to it
    # (as the old one did, as root) would then replace only this link, never /dev/null itself.
    null = tmp_path / "null"
    null.symlink_to("/dev/null")
    status = cli.main([str(a) for a in curve_argv(data, null)])
    assert status == 0 and null.is_symlink() and Path("/dev/null").is_char_device()
    null.unlink()
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(Path(fifo).read_text()), daemon=True)
    reader.start()
    status = cli.main([str(a) for a in curve_argv(data, fifo)])
    reader.join(timeout=30)
    assert status == 0 and got, "nothing was written to the pipe"
    pd.testing.assert_frame_equal(pd.read_csv(io.StringIO(got[0])), api_curve(data).to_frame(), check_exact=True,
                                  check_dtype=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "pipe"]


@pytest.mark.skipif(os.name != "posix", reason="permissions and sockets are POSIX")
def test_output_errors_name_the_path_given(capsys, data, tmp_path):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (out_dir / "sub").mkdir()
    cases = [
        ("", MSG_OUTPUT_EMPTY),
        (str(out_dir / "sub"), MSG_OUTPUT_IS_FOLDER.format(str(out_dir / "sub"))),
        (str(out_dir / "new") + os.sep, MSG_OUTPUT_IS_FOLDER.format(str(out_dir / "new") + os.sep)),
        (str(tmp_path / "nowhere" / "c.csv"), MSG_OUTPUT_FOLDER.format(str(tmp_path / "nowhere"))),
    ]
    link_to_folder = tmp_path / "folder_link"
    link_to_folder.symlink_to(out_dir / "sub")
    cases.append((str(link_to_folder), MSG_OUTPUT_IS_FOLDER.format(str(link_to_folder))))
    import socket
    sock_path = out_dir / "s.sock"
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(sock_path))
        cases.append((str(sock_path), MSG_OUTPUT_NOT_FILE.format(str(sock_path))))
        for target, message in cases:
            status, out, err = run(capsys, *curve_argv(data, target))
            assert status == 2 and out == "", target
            assert_one_error_line(err, message)
    finally:
        sock.close()
    assert sorted(p.name for p in out_dir.iterdir()) == ["s.sock", "sub"] and list((out_dir / "sub").iterdir()) == []
    if os.geteuid() != 0:  # root may write anywhere: a read-only folder only stops other users
        locked = tmp_path / "locked"
        locked.mkdir()
        os.chmod(locked, 0o500)
        status, out, err = run(capsys, *curve_argv(data, locked / "c.csv"))
        assert status == 2
        assert_one_error_line(err, MSG_OUTPUT_FAILED.format(str(locked / "c.csv"), "Permission denied"))
    # A folder no one may create files in, even root (sysfs): the message names the path given, not a temp file.
    if Path("/sys/kernel").is_dir():
        status, out, err = run(capsys, *curve_argv(data, "/sys/kernel/x.csv"))
        assert status == 2 and ".tmp" not in err
        assert err.startswith("aipm-sim: error: cannot write '/sys/kernel/x.csv': ")


def test_missing_optional_extra_is_one_line(capsys, data, monkeypatch):
    def needs_papermill(args):
        raise ModuleNotFoundError("No module named 'papermill'", name="papermill")

    monkeypatch.setattr(cli, "_run_curve", needs_papermill)
    status, out, err = run(capsys, "curve", data, "--score", "score", "--label", "label")
    assert status == 2 and out == ""
    assert_one_error_line(err, "'curve' needs papermill: pip install 'aipm_sim[app]'")


def test_unexpected_error_is_one_line_without_traceback(capsys, data, monkeypatch):
    def broken(args):
        raise RuntimeError("kernel died\nmore detail")

    monkeypatch.delenv("AIPM_SIM_DEBUG", raising=False)
    monkeypatch.setattr(cli, "_run_curve", broken)
    status, out, err = run(capsys, "curve", data, "--score", "score", "--label", "label")
    assert status == 1 and out == ""
    assert err == "aipm-sim: internal error (RuntimeError): kernel died (set AIPM_SIM_DEBUG=1 for the traceback)\n"
    monkeypatch.setenv("AIPM_SIM_DEBUG", "1")
    with pytest.raises(RuntimeError, match="kernel died"):
        cli.main(["curve", str(data), "--score", "score", "--label", "label"])


def test_help_exits_0(capsys):
    status, out, _ = run(capsys, "--help")
    assert status == 0 and "curve" in out and "optimize" in out


# -- the installed console script, in a real process ---------------------------------------------------------
def test_console_script_in_a_subprocess(data, tmp_path):
    assert SCRIPT.exists(), SCRIPT
    out_path = tmp_path / "curve.csv"
    done = subprocess.run([str(SCRIPT), "curve", str(data), "--score", "score", "--label", "label",
                           "--amount", "amount", "-o", str(out_path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "" and done.stderr == ""
    pd.testing.assert_frame_equal(pd.read_csv(out_path), api_curve(data, amount="amount").to_frame(), check_exact=True, check_dtype=False)
    _edit_csv(data, "score", 2, "unknown")
    done = subprocess.run([str(SCRIPT), "optimize", str(data), "--score", "score", "--label", "label", "--tp", "1"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and done.stdout == ""
    assert_one_error_line(done.stderr, "column 'score' must be numeric; found text 'unknown' in 1 row(s), first at data row 3 (counting from 1)")


def test_curve_writes_the_shortest_text_of_each_number(capsys, tmp_path):
    # A score of 0.9763 is written 0.9763 (repr), not %.17g's 0.97629999999999995, and reads back exactly.
    path = tmp_path / "scores.csv"
    pd.DataFrame({"score": [0.9763, 0.1 + 0.2, 0.5, 0.25], "label": [1, 0, 1, 0]}).to_csv(path, index=False)
    status, out, err = run(capsys, "curve", path, "--score", "score", "--label", "label")
    assert status == 0 and err == ""
    assert "0.9763," in out and "0.97629999" not in out and "0.30000000000000004," in out
    back = pd.read_csv(io.StringIO(out))
    pd.testing.assert_frame_equal(back, api_curve(path).to_frame(), check_exact=True, check_dtype=False)
