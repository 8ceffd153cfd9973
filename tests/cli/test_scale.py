"""``--engine dask``: the same CSV and JSON as the in-memory command; bad data in one file is one line naming it.

The cluster is the session's one LocalCluster of worker threads (tests/conftest.py), reached over TCP by address
(``--scheduler`` or DASK_SCHEDULER_ADDRESS), as a remote cluster would be. The command without
either starts a LocalCluster of worker processes; that path is run by benchmarks/bench_scale.py.
"""

import json

import dask
import numpy as np
import pandas as pd
import pytest

from aipm_sim import cli
from aipm_sim.cli import MSG_SCENARIO_OPTIONS
from aipm_sim.cli.scale import MSG_GRID, MSG_MANY_FILES, MSG_MAX_ROWS, MSG_NEEDS_DASK
from aipm_sim.core._checks import data_row
from aipm_sim.core.engine.scores import MSG_COLUMN, MSG_LABELS
from aipm_sim.core.scale.files import MSG_NO_FILES
from aipm_sim.core.scale.partials import MSG_TOO_MANY

distributed = pytest.importorskip("distributed")
COLUMNS = ["--score", "score", "--label", "fraud", "--amount", "amount", "--weight", "weight"]
MONEY = ["--tp", "40", "--fp", "-5", "--fn", "-20", "--tp-amount", "0.5", "--min-recall", "0.3"]


def scored_rows(n, seed):
    """Ties (scores in twentieths), quarter weights and whole amounts: sums exact in any order."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"score": rng.integers(0, 21, n) / 20, "fraud": rng.random(n) < 0.1,
                         "amount": rng.integers(0, 500, n).astype(float), "weight": rng.integers(1, 9, n) / 4})


def write_parts(folder, frame, sizes):
    folder.mkdir()
    bounds = np.cumsum([0, *sizes])
    for i, (a, b) in enumerate(zip(bounds[:-1], bounds[1:])):
        frame.iloc[a:b].to_parquet(folder / f"part-{i:03d}.parquet", index=False)


@pytest.fixture
def scheduler(dask_cluster):
    """The address of the session's one cluster of worker threads (tests/conftest.py), reached over TCP."""
    return dask_cluster.scheduler_address


@pytest.fixture
def lake(tmp_path):
    """A folder of 4 Parquet files (one empty) and one file with the same rows, for the in-memory command."""
    rows = scored_rows(2000, seed=4)
    write_parts(tmp_path / "lake", rows, [600, 0, 900, 500])
    rows.to_parquet(tmp_path / "all.parquet", index=False)
    return tmp_path


def run(capsys, *argv):
    status = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize("grid", [[], ["--grid", "40"]], ids=["exact", "binned"])
@pytest.mark.parametrize("where", ["folder", "glob"])
def test_curve_on_dask_writes_the_in_memory_csv(capsys, lake, scheduler, grid, where):
    data = lake / "lake" if where == "folder" else f"{lake}/lake/part-*.parquet"
    status, dask_csv, err = run(capsys, "curve", data, *COLUMNS, *grid, "--engine", "dask", "--scheduler", scheduler)
    assert (status, err) == (0, "")
    status, memory_csv, err = run(capsys, "curve", lake / "all.parquet", *COLUMNS, *grid)
    assert (status, err) == (0, "")
    assert dask_csv == memory_csv
    assert len(dask_csv.splitlines()) == (41 if grid else 22) + 1  # rows after the header


def test_a_folder_of_csv_files_gives_the_in_memory_csv(capsys, tmp_path, scheduler):
    rows = scored_rows(500, seed=8)
    (tmp_path / "csv").mkdir()
    for i, part in enumerate((rows.iloc[:200], rows.iloc[200:])):
        part.to_csv(tmp_path / "csv" / f"part-{i}.csv", index=False)
    rows.to_csv(tmp_path / "all.csv", index=False)
    status, dask_csv, err = run(capsys, "curve", tmp_path / "csv", *COLUMNS, "--engine", "dask",
                                "--scheduler", scheduler)
    assert (status, err) == (0, "")
    assert dask_csv == run(capsys, "curve", tmp_path / "all.csv", *COLUMNS)[1]


def test_optimize_on_dask_prints_the_in_memory_decision(capsys, lake, scheduler, monkeypatch):
    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", scheduler)  # no --scheduler: the environment's cluster
    status, dask_json, err = run(capsys, "optimize", lake / "lake", *COLUMNS, *MONEY, "--engine", "dask")
    assert (status, err) == (0, "")
    status, memory_json, err = run(capsys, "optimize", lake / "all.parquet", *COLUMNS, *MONEY)
    assert (status, err) == (0, "")
    assert json.loads(dask_json) == json.loads(memory_json)


def test_bad_data_in_one_file_exits_2_with_one_line_naming_it(capsys, lake, scheduler):
    bad = scored_rows(50, seed=9).astype({"fraud": float})
    bad.loc[6, "fraud"] = 3.0
    bad.to_parquet(lake / "lake" / "part-002.parquet", index=False)
    status, out, err = run(capsys, "curve", lake / "lake", *COLUMNS, "--engine", "dask", "--scheduler", scheduler)
    where = f"file {str(lake / 'lake' / 'part-002.parquet')!r}"
    assert (status, out) == (2, "")
    message = MSG_LABELS.format("column 'fraud'", 3.0, 1, data_row(6))
    assert err == f"aipm-sim: error: {where}: {message}\n"


def test_a_file_without_a_column_is_named(capsys, lake, scheduler):
    scored_rows(10, seed=1).drop(columns="weight").to_parquet(lake / "lake" / "part-009.parquet", index=False)
    status, _, err = run(capsys, "curve", lake / "lake", *COLUMNS, "--engine", "dask", "--scheduler", scheduler)
    where = f"file {str(lake / 'lake' / 'part-009.parquet')!r}"
    assert status == 2
    assert err == f"aipm-sim: error: {where}: {MSG_COLUMN.format('weight', 'weight', 'score, fraud, amount')}\n"


@pytest.mark.parametrize(("argv", "message"), [
    (["curve", "{lake}/all.parquet", *COLUMNS, "--scheduler", "tcp://127.0.0.1:1"], MSG_NEEDS_DASK.format("--scheduler")),
    (["curve", "{lake}/nothing-*.parquet", *COLUMNS, "--engine", "dask"], MSG_NO_FILES.format("{lake}/nothing-*.parquet")),
])
def test_command_line_errors(capsys, lake, argv, message):
    status, _, err = run(capsys, *(a.format(lake=lake) for a in argv))
    assert (status, err) == (2, f"aipm-sim: error: {message.format(lake=lake)}\n")


def test_a_scenario_takes_no_engine_flags(capsys):
    status, _, err = run(capsys, "optimize", "--scenario", "fraud_detection", "--engine", "dask", "--grid", "10")
    assert (status, err) == (2, f"aipm-sim: error: {MSG_SCENARIO_OPTIONS.format('--engine, --grid')}\n")


@pytest.mark.parametrize("grid", ["1", "ten"])
def test_a_bad_grid_is_a_usage_error(capsys, lake, grid):
    status, _, err = run(capsys, "curve", lake / "all.parquet", *COLUMNS, "--grid", grid)
    assert status == 2 and err.endswith(f"argument --grid: {MSG_GRID.format(grid)}\n") and err.count("\n") == 1


@pytest.mark.parametrize("where", ["lake", "lake/*.parquet"])
def test_many_files_without_dask_say_which_flag_reads_them(capsys, lake, where):
    data = f"{lake}/{where}"
    status, out, err = run(capsys, "curve", data, *COLUMNS)
    assert (status, out) == (2, "") and err == f"aipm-sim: error: {MSG_MANY_FILES.format(data)}\n"


def test_a_glob_the_shell_expanded_reads_every_file(capsys, lake, scheduler):
    files = sorted((lake / "lake").glob("part-*.parquet"))  # what an unquoted glob passes: one path each
    status, dask_csv, err = run(capsys, "curve", *files, *COLUMNS, "--engine", "dask", "--scheduler", scheduler)
    assert (status, err) == (0, "")
    status, memory_csv, err = run(capsys, "curve", lake / "all.parquet", *COLUMNS)
    assert (status, err) == (0, "") and dask_csv == memory_csv


def test_a_glob_the_shell_expanded_without_dask_is_one_line(capsys, lake):
    files = sorted((lake / "lake").glob("part-*.parquet"))
    status, out, err = run(capsys, "optimize", *files, *COLUMNS, *MONEY)
    assert (status, out) == (2, "")
    assert err == f"aipm-sim: error: {cli.MSG_SEVERAL_FILES.format(len(files), str(files[0]))}\n"


def test_report_names_the_folder_of_an_expanded_glob(capsys, lake, tmp_path):
    files = sorted((lake / "lake").glob("part-*.parquet"))
    out_file = tmp_path / "report.html"
    status, out, err = run(capsys, "report", "--data", *files, *COLUMNS, *MONEY, "--engine", "dask",
                           "--scheduler", "threads", "-o", out_file)
    assert (status, err) == (0, "") and out_file.is_file()
    assert "data files in lake" in out_file.read_text()


def api_uncertainty(lake, **changes):
    """The Python API on the folder's files, a partition per file (as the command reads them)."""
    import aipm_sim as am
    from aipm_sim.core.scale.files import files_frame, scored_files

    roles = {"score": "score", "label": "fraud", "amount": "amount", "weight": "weight", **changes}
    frame, _ = files_frame(scored_files(lake / "lake"), **roles)
    with dask.config.set(scheduler="threads"):
        return am.simulate_uncertainty_dask(frame, am.ValueModel(tp=40, fp=-5, fn=-20, tp_amount=0.5), **roles,
                                            resamples=30, seed=2, min_recall=0.3)


@pytest.mark.parametrize("where", ["cluster", "threads"])
def test_uncertainty_on_dask_prints_the_api_numbers_and_the_in_memory_decision(capsys, lake, scheduler, where,
                                                                               tmp_path):
    address = scheduler if where == "cluster" else "threads"
    bands = tmp_path / "bands.csv"
    status, out, err = run(capsys, "uncertainty", lake / "lake", *COLUMNS, *MONEY, "--resamples", "30", "--seed", "2",
                           "--engine", "dask", "--scheduler", address, "-o", bands)
    assert (status, err) == (0, "")
    summary = json.loads(out)
    u = api_uncertainty(lake)
    assert summary["threshold_interval"] == list(u.threshold_interval)
    assert summary["value_interval"] == list(u.value_interval)
    assert summary["probability_meets"] == u.probability_meets(u.decision.threshold)
    assert "intervals" not in summary  # weighted: the exact intervals need each row's weight
    np.testing.assert_allclose(pd.read_csv(bands)["recall_low"], u.bands_frame()["recall_low"], rtol=1e-9)
    # The decision is the exact curve's: the in-memory command's, number for number.
    status, memory, err = run(capsys, "uncertainty", lake / "all.parquet", *COLUMNS, *MONEY, "--resamples", "30")
    assert (status, err) == (0, "")
    assert summary["decision"] == json.loads(memory)["decision"]


def test_unweighted_uncertainty_on_dask_has_the_exact_intervals_of_the_in_memory_command(capsys, lake):
    columns = COLUMNS[:6]  # no --weight
    status, out, err = run(capsys, "uncertainty", lake / "lake", *columns, *MONEY, "--engine", "dask",
                           "--scheduler", "synchronous")
    assert (status, err) == (0, "")
    status, memory, _ = run(capsys, "uncertainty", lake / "all.parquet", *columns, *MONEY)
    got, expected = json.loads(out), json.loads(memory)
    assert got["decision"] == expected["decision"]
    assert got["intervals"] == expected["intervals"]  # of the decision's counts: exact on either engine


def test_bad_data_in_one_file_stops_uncertainty_with_one_line_naming_it(capsys, lake):
    bad = scored_rows(50, seed=9).astype({"fraud": float})
    bad.loc[6, "fraud"] = 3.0
    bad.to_parquet(lake / "lake" / "part-002.parquet", index=False)
    status, out, err = run(capsys, "uncertainty", lake / "lake", *COLUMNS, *MONEY, "--engine", "dask",
                           "--scheduler", "threads")
    where = f"file {str(lake / 'lake' / 'part-002.parquet')!r}"
    assert (status, out) == (2, "")
    message = MSG_LABELS.format("column 'fraud'", 3.0, 1, data_row(6))
    assert err == f"aipm-sim: error: {where}: {message}\n"


@pytest.mark.parametrize("command", [["curve"], ["optimize", *MONEY], ["uncertainty", *MONEY, "--resamples", "5"]])
def test_max_rows_below_the_distinct_scores_suggests_a_grid(capsys, lake, command):
    # 21 distinct scores (twentieths) in the folder
    status, out, err = run(capsys, command[0], lake / "lake", *COLUMNS, *command[1:], "--engine", "dask",
                           "--scheduler", "threads", "--max-rows", "10")
    assert (status, out) == (2, "")
    assert err == f"aipm-sim: error: {MSG_TOO_MANY.format(10)}\n" and "--grid" in err
    status, out, err = run(capsys, command[0], lake / "lake", *COLUMNS, *command[1:], "--engine", "dask",
                           "--scheduler", "threads", "--max-rows", "21")
    assert (status, err) == (0, "")


def test_max_rows_with_the_memory_engine_or_a_bad_value(capsys, lake):
    for command in (["curve"], ["optimize", *MONEY], ["uncertainty", *MONEY]):
        status, _, err = run(capsys, command[0], lake / "all.parquet", *COLUMNS, *command[1:], "--max-rows", "10")
        assert (status, err) == (2, f"aipm-sim: error: {MSG_NEEDS_DASK.format('--max-rows')}\n")
    status, _, err = run(capsys, "uncertainty", lake / "all.parquet", *COLUMNS, *MONEY, "--grid", "10")
    assert (status, err) == (2, f"aipm-sim: error: {MSG_NEEDS_DASK.format('--grid')}\n")
    status, _, err = run(capsys, "curve", lake / "lake", *COLUMNS, "--engine", "dask", "--max-rows", "0")
    assert status == 2 and err.endswith(f"argument --max-rows: {MSG_MAX_ROWS.format('0')}\n") and err.count("\n") == 1
    status, _, err = run(capsys, "optimize", "--scenario", "fraud_detection", "--max-rows", "10")
    assert (status, err) == (2, f"aipm-sim: error: {MSG_SCENARIO_OPTIONS.format('--max-rows')}\n")


def test_curve_on_the_in_process_scheduler_is_the_cluster_csv(capsys, lake, scheduler):
    on_cluster = run(capsys, "curve", lake / "lake", *COLUMNS, "--engine", "dask", "--scheduler", scheduler)
    in_process = run(capsys, "curve", lake / "lake", *COLUMNS, "--engine", "dask", "--scheduler", "threads")
    assert on_cluster == in_process and on_cluster[0] == 0


def visible_text(html):
    import html as markup
    import re

    text = re.sub(r"(?s)<(script|style).*?</\1>", "", html)
    return re.sub(r"\s+", " ", markup.unescape(re.sub(r"<[^>]+>", " ", text)))


def test_report_from_a_folder_on_dask_shows_the_in_memory_decision(capsys, tmp_path):
    rows = scored_rows(1500, seed=4).drop(columns="weight")
    rows["fraud"] = np.random.default_rng(5).random(1500) < 0.4 * rows["score"]  # a score that tells
    write_parts(tmp_path / "lake", rows, [500, 600, 400])
    rows.to_csv(tmp_path / "all.csv", index=False)
    money = ["--score", "score", "--label", "fraud", "--amount", "amount", "--tp", "10", "--fp", "-5", "--fn", "-2",
             "--tp-amount", "0.05", "--volume", "1000", "--currency", "EUR"]
    status, on_dask, err = run(capsys, "report", "--data", tmp_path / "lake", *money, "--engine", "dask",
                               "--scheduler", "threads", "-o", tmp_path / "dask.html")
    assert (status, err) == (0, "")
    status, in_memory, err = run(capsys, "report", "--data", tmp_path / "all.csv", *money, "-o", tmp_path / "memory.html")
    assert (status, err) == (0, "")
    headline = in_memory.split(": ", 2)[2]  # "aipm-sim: wrote PATH: flag scores >= …"
    assert on_dask.split(": ", 2)[2] == headline and "flag scores >= 0.5" not in headline
    dask_text = visible_text((tmp_path / "dask.html").read_text())
    memory_text = visible_text((tmp_path / "memory.html").read_text())
    def between(text, first, last):
        return text[text.index(first):text.index(last)]

    assert between(memory_text, "Bottom line", "Situation") == between(dask_text, "Bottom line", "Situation")
    assert between(memory_text, "Decision ¶", "Assumptions ¶") == between(dask_text, "Decision ¶", "Assumptions ¶")
    # the sensitivity (re-optimised on the curve's weighted cases) says the same
    assert memory_text[memory_text.index("Sensitivity ¶"):] == dask_text[dask_text.index("Sensitivity ¶"):]
    assert "Threshold decision for lake" in dask_text
    assert "computed from the scored data files in lake (score column 'score'" in dask_text


def test_report_engine_flags_need_dask_and_data(capsys, tmp_path):
    status, _, err = run(capsys, "report", "--scenario", "fraud_detection", "--engine", "dask", "-o", tmp_path / "r.html")
    assert (status, err) == (2, "aipm-sim: error: --engine applies to scored data (--data), not to a scenario; "
                                "change a scenario's numbers with --set NAME=VALUE\n")
    status, _, err = run(capsys, "report", "--data", tmp_path / "x.csv", "--score", "s", "--label", "y", "--grid", "5",
                         "-o", tmp_path / "r.html")
    assert (status, err) == (2, f"aipm-sim: error: {MSG_NEEDS_DASK.format('--grid')}\n")
    assert not (tmp_path / "r.html").exists()


def test_report_on_dask_with_too_many_scores_writes_nothing(capsys, lake, tmp_path):
    status, out, err = run(capsys, "report", "--data", lake / "lake", *COLUMNS, "--tp", "10", "--engine", "dask",
                           "--scheduler", "threads", "--max-rows", "10", "-o", tmp_path / "r.html")
    assert (status, out, err) == (2, "", f"aipm-sim: error: {MSG_TOO_MANY.format(10)}\n")
    assert not (tmp_path / "r.html").exists()


def test_report_on_dask_checks_its_output_before_computing(capsys, lake, tmp_path, monkeypatch):
    from aipm_sim import cli as cli_package
    from aipm_sim.report import MSG_FOLDER

    computed = []
    monkeypatch.setattr(cli_package, "threshold_curve", lambda args: computed.append(args))
    missing = tmp_path / "no such folder" / "report.html"
    status, out, err = run(capsys, "report", "--data", lake / "lake", *COLUMNS, *MONEY, "--engine", "dask",
                           "--scheduler", "threads", "-o", missing)
    assert (status, out, computed) == (2, "", [])
    assert err == f"aipm-sim: error: {MSG_FOLDER.format(str(missing.parent))}\n"
    assert not missing.parent.exists()
