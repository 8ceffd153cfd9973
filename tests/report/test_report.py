"""Decision reports: the numbers, the words, the rendered memo and its failure modes.

The rendering tests run the real template in a kernel (papermill) and
render it (nbconvert); a module-scoped fixture makes the fraud report once.
"""

import ast
import inspect
import re
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

import aipm_sim as am
from aipm_sim import report
from aipm_sim.cli import MSG_SET_TWICE, main
from aipm_sim.core.scenario import MSG_PARAMETER_NUMBER, MSG_UNKNOWN_PARAMETER, MSG_UNKNOWN_SCENARIO
from aipm_sim.report import _render

# -- a toy data set with a hand-checkable optimum ----------------------------------------
TOY = pd.DataFrame({
    "p": [0.9, 0.8, 0.7, 0.6, 0.5, 0.4],
    "y": [1, 1, 0, 1, 0, 0],
})
TOY_VALUE = {"tp": 10.0, "fp": -4.0, "fn": -6.0}
TOY_VOLUME = 600.0  # cases per day: 100 copies of the six cases


def brute_force_best(scores, labels, value, volume):
    """Best (threshold, value per period) by trying every score; ties go to the higher threshold."""
    best = None
    for t in sorted(set(scores), reverse=True):
        flagged = scores >= t
        tp = np.sum(flagged & labels)
        fp = np.sum(flagged & ~labels)
        fn = np.sum(~flagged & labels)
        total = value.get("tp", 0) * tp + value.get("fp", 0) * fp + value.get("fn", 0) * fn
        total *= volume / len(scores)
        if best is None or total > best[1]:
            best = (t, total)
    return best


@pytest.fixture
def toy_csv(tmp_path):
    path = tmp_path / "toy.csv"
    TOY.to_csv(path, index=False)
    return path


def toy_inputs(path, **more):
    return {"data": path, "score": "p", "label": "y", "value": TOY_VALUE, "volume": TOY_VOLUME, **more}


# -- analyse: numbers ---------------------------------------------------------------------
def test_data_decision_matches_brute_force(toy_csv):
    analysis = report.analyse(**toy_inputs(toy_csv))
    threshold, value = brute_force_best(TOY["p"].to_numpy(), TOY["y"].to_numpy() == 1, TOY_VALUE, TOY_VOLUME)
    # By hand: flagging p >= 0.6 catches all 3 positives with 1 false alarm: 3*10 - 4 = 26 per 6 cases.
    assert (threshold, value) == (0.6, 2600.0)
    assert analysis.decision.threshold == threshold
    assert analysis.decision.value == pytest.approx(value, rel=1e-12)
    text = report.decision_markdown(analysis)
    assert "**0.6**" in text
    assert "2,600 currency" in text
    assert "| Precision (share of alerts that are real positives) | 75.0% |" in text
    assert "| Alerts per day | 400 |" in text


def test_data_assumptions_name_every_value_given(toy_csv):
    analysis = report.analyse(**toy_inputs(toy_csv, constraints={"min_recall": 0.5}), currency="EUR")
    rows = {a.name: a for a in analysis.assumptions}
    assert rows["value per false alarm (false positive)"].value == "-4"
    assert rows["value per false alarm (false positive)"].unit == "EUR per case"
    assert rows["value per caught positive (true positive)"].source == "given for this report"
    assert rows["cases per period"].value == "600"
    assert rows["lowest acceptable recall"].value == "50.0%"
    assert rows["share of positives (prevalence)"].value == "50.0%"


def test_data_sensitivity_varies_each_value_given_by_half(toy_csv):
    analysis = report.analyse(**toy_inputs(toy_csv))
    table = analysis.sensitivity.table.set_index("parameter")
    assert set(table.index) == {"value_per_caught_positive", "value_per_false_alarm", "value_per_missed_positive"}
    fp = table.loc["value_per_false_alarm"]
    assert (fp["low"], fp["base"], fp["high"]) == (-6.0, -4.0, -2.0)
    # At fp = -6 the best choice is still p >= 0.6: 30 - 6 = 24 per 6 cases -> 2,400 per day.
    assert fp["value_at_low"] == pytest.approx(2400.0)
    expected = brute_force_best(TOY["p"].to_numpy(), TOY["y"].to_numpy() == 1,
                                {**TOY_VALUE, "fp": -6.0}, TOY_VOLUME)
    assert fp["value_at_low"] == pytest.approx(expected[1])


def test_data_without_money_has_no_sensitivity(toy_csv):
    analysis = report.analyse(data=toy_csv, score="p", label="y")
    assert analysis.sensitivity is None
    assert "nothing to vary" in report.sensitivity_markdown(analysis)
    assert report.tornado_figure(analysis) is None
    assert analysis.per_period == "in total over the data"


def test_scenario_decision_is_the_scenario_optimum():
    analysis = report.analyse(scenario="fraud_detection", overrides={"chargeback_fee": 50})
    scenario = am.load_scenario("fraud_detection", chargeback_fee=50)
    expected = scenario.optimize()
    assert analysis.decision.threshold == expected.threshold
    assert analysis.decision.value == expected.value
    assert analysis.decision.value_model.fn == -50
    assert analysis.period == "month"
    assert analysis.currency == scenario.currency
    assert analysis.inputs == "scenario 'fraud_detection' with chargeback_fee = 50"
    fee = next(a for a in analysis.assumptions if a.name == scenario.parameters["chargeback_fee"].description)
    assert fee.value == "50 (preset: 25)"
    assert fee.source == scenario.parameters["chargeback_fee"].source
    assert list(analysis.sensitivity.table["parameter"]) == list(am.compute_sensitivity(scenario).table["parameter"])


@pytest.mark.parametrize("name", [n for n in am.list_scenarios() if am.load_scenario(n).kind == "threshold"])
def test_every_threshold_preset_gives_a_complete_analysis(name):
    analysis = report.analyse(scenario=name)
    assert analysis.title == am.load_scenario(name).title
    assert len(analysis.sensitivity.table) > 0
    sources = [a.source for a in analysis.assumptions]
    assert all(sources)


def test_warnings_become_caveats_not_output(tmp_path):
    path = tmp_path / "no_positives.csv"
    pd.DataFrame({"p": [0.1, 0.2, 0.3], "y": [0, 0, 0]}).to_csv(path, index=False)
    analysis = report.analyse(data=path, score="p", label="y", value={"fp": -1})  # no warning escapes
    assert any("no positive cases" in c for c in analysis.caveats)


# -- analyse: bad input ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({}, am.ParameterError, report.MSG_NO_INPUT),
        ({"scenario": "fraud_detection", "data": "x.csv"}, am.ParameterError,
         report.MSG_BOTH_INPUTS.format("fraud_detection", "x.csv")),
        ({"scenario": "nope"}, am.ScenarioError,
         MSG_UNKNOWN_SCENARIO.format("nope", ", ".join(am.list_scenarios()))),
        ({"scenario": "fraud_detection", "overrides": {"fee": 1}}, am.ParameterError,
         MSG_UNKNOWN_PARAMETER.format("fee", "fraud_detection", ", ".join(am.load_scenario("fraud_detection").parameters))),
        ({"scenario": "fraud_detection", "overrides": {"chargeback_fee": "abc"}}, am.ParameterError,
         MSG_PARAMETER_NUMBER.format("chargeback_fee", "abc")),
        ({"scenario": "fraud_detection", "volume": 10}, am.ParameterError, report.MSG_DATA_ONLY.format("volume")),
        ({"scenario": "fraud_detection", "value": {"fp": -1}}, am.ParameterError,
         report.MSG_DATA_ONLY.format("value")),
        ({"scenario": "fraud_detection", "period": "day"}, am.ParameterError, report.MSG_DATA_ONLY.format("period")),
        ({"scenario": "recommendations"}, am.ParameterError, report.MSG_RANKING.format("recommendations")),
        ({"data": "TOY", "overrides": {"a": 1}}, am.ParameterError, report.MSG_OVERRIDES_NEED_SCENARIO),
        ({"data": "TOY", "score": "p"}, am.ParameterError, report.MSG_DATA_COLUMNS.format("--label")),
        ({"data": "TOY", "score": "p", "label": "y", "period": " "}, am.ParameterError,
         report.MSG_WORD.format("period", "day", " ")),
    ],
)
def test_bad_input_is_named(kwargs, error, message, toy_csv):
    if kwargs.get("data") == "TOY":
        kwargs = {**kwargs, "data": toy_csv}
    with pytest.raises(error) as info:
        report.analyse(**kwargs)
    assert str(info.value) == message


# -- the template ---------------------------------------------------------------------------
def test_template_parameters_are_exactly_analyse_arguments():
    nb = nbformat.read(report.template_path(), as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    assigned = {node.targets[0].id for node in ast.parse(tagged[0].source).body}
    assert assigned == set(inspect.signature(report.analyse).parameters)
    assert all(c.cell_type == "code" and not c.outputs for c in nb.cells)  # a template, not a result


def test_parameters_are_plain_and_data_paths_absolute(toy_csv, monkeypatch):
    monkeypatch.chdir(toy_csv.parent)
    params = report.report_parameters(data="toy.csv", value={"fp": np.float64(-4)}, volume=None, title="T")
    assert params == {"data": str(toy_csv.resolve()), "value": {"fp": -4.0}, "title": "T"}
    assert type(params["value"]["fp"]) is float
    assert report.report_parameters(scenario="mine.toml")["scenario"] == str(toy_csv.parent.resolve() / "mine.toml")
    assert report.report_parameters(scenario="fraud_detection")["scenario"] == "fraud_detection"  # a preset


def test_stderr_is_taken_out_of_the_report():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x", outputs=[
        nbformat.v4.new_output("stream", name="stderr", text="DeprecationWarning: old\n"),
        nbformat.v4.new_output("stream", name="stdout", text="kept\n"),
    ])])
    assert _render.strip_stderr(nb) == ["DeprecationWarning: old"]
    assert [o["name"] for o in nb.cells[0].outputs] == ["stdout"]


# -- rendering --------------------------------------------------------------------------------
def visible_text(html):
    """The page's text without images, tags and the date (the only thing allowed to differ)."""
    html = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "IMAGE", html)
    html = re.sub(r"<style.*?</style>|<script.*?</script>", "", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", html)
    text = re.sub(r"\d{4}-\d{2}-\d{2}", "DATE", text)
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def fraud_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "r.html"
    assert main(["report", "--scenario", "fraud_detection", "-o", str(out)]) == 0
    return out


def test_fraud_report_reads_as_a_memo(fraud_report):
    html = fraud_report.read_text(encoding="utf-8")
    analysis = report.analyse(scenario="fraud_detection")
    text = visible_text(html)
    # Title, date, version, the decision and every section.
    assert analysis.title in text
    assert f"aipm_sim {am.__version__}" in text
    assert "Date: DATE" in text
    assert f"Flag every case whose score is at or above {analysis.decision.threshold:.4g}" in text
    for heading in ("Situation", "Decision", "Near-optimal band", "Assumptions", "Sensitivity", "Caveats"):
        assert re.search(rf"<h2[^>]*>{heading}", html), heading
    assert "ULB/Worldline" in text  # a cited source in the assumptions table
    # Static figures with alternative text: value, metrics, outcomes, tornado.
    images = re.findall(r'<img alt="([^"]+)" src="data:image/png;base64,', html)
    assert len(images) == 4
    assert all(alt[0].isupper() and alt.endswith(".") for alt in images)
    # No code, no prompts, no errors, no warnings, no network fetches.
    body = re.sub(r"<style.*?</style>", "", html, flags=re.S)
    assert "report.analyse" not in body
    assert 'class="jp-InputArea' not in body and "jp-InputPrompt" not in body and "In&nbsp;[" not in body
    assert "application/vnd.jupyter.stderr" not in body
    for word in ("Traceback", "Warning", "Error"):
        assert word not in text
    assert not re.search(r'<script[^>]*\bsrc="https?://', html)


def test_same_inputs_give_the_same_report(fraud_report, tmp_path, capsys):
    again = tmp_path / "again.html"
    assert main(["report", "--scenario", "fraud_detection", "-o", str(again)]) == 0
    assert capsys.readouterr().out.startswith(f"aipm-sim: wrote {again}: flag scores >= ")
    first, second = visible_text(fraud_report.read_text()), visible_text(again.read_text())
    assert re.findall(r"[-−]?\d[\d,.]*", first) == re.findall(r"[-−]?\d[\d,.]*", second)
    assert first == second


def test_data_report_shows_the_brute_force_optimum(toy_csv, tmp_path):
    out = tmp_path / "toy.html"
    argv = ["report", "--data", str(toy_csv), "--score", "p", "--label", "y", "--tp", "10", "--fp", "-4",
            "--fn", "-6", "--volume", "600", "--currency", "EUR", "-o", str(out)]
    assert main(argv) == 0
    text = visible_text(out.read_text())
    assert "Flag every case whose score is at or above 0.6 ." in text
    assert "Expected value per day 2,600 EUR" in text
    assert "Threshold decision for toy.csv" in text


# -- failures leave no file -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--scenario", "nope"], MSG_UNKNOWN_SCENARIO.format("nope", ", ".join(am.list_scenarios()))),
        (["--scenario", "fraud_detection", "--set", "chargeback_fee=lots"],
         MSG_PARAMETER_NUMBER.format("chargeback_fee", "lots")),
        (["--scenario", "fraud_detection", "--set", "chargeback_fee=5", "--set", "chargeback_fee=6"],
         MSG_SET_TWICE.format("chargeback_fee")),
        (["--data", "missing.csv", "--score", "p", "--label", "y"], "data file 'missing.csv' does not exist"),
        (["--data", "TOY", "--score", "nope", "--label", "y"],
         "column 'nope' (score) not found in the data; columns are: p, y"),
        (["--scenario", "recommendations"], report.MSG_RANKING.format("recommendations")),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(argv, message, toy_csv, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    argv = [str(toy_csv) if a == "TOY" else a for a in argv]
    assert main(["report", *argv, "-o", "r.html"]) == 2
    assert capsys.readouterr().err == f"aipm-sim: error: {message}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["toy.csv"]


def test_bad_set_syntax_is_a_usage_error(capsys):
    assert main(["report", "--scenario", "fraud_detection", "--set", "chargeback_fee", "-o", "r.html"]) == 2
    assert "--set needs NAME=VALUE; found 'chargeback_fee'" in capsys.readouterr().err


def test_missing_output_folder_is_refused(tmp_path, capsys):
    out = tmp_path / "no" / "r.html"
    assert main(["report", "--scenario", "fraud_detection", "-o", str(out)]) == 2
    assert capsys.readouterr().err == f"aipm-sim: error: {report.MSG_FOLDER.format(str(out.parent))}\n"


def test_failed_rendering_leaves_no_file(tmp_path, monkeypatch):
    def broken(nb, *, title):
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(_render, "execute_report", lambda parameters, *, workdir: nbformat.v4.new_notebook())
    monkeypatch.setattr(_render, "render_html", broken)
    with pytest.raises(RuntimeError, match="renderer crashed"):
        report.build_report(tmp_path / "r.html", scenario="fraud_detection")
    assert list(tmp_path.iterdir()) == []


def test_failed_pdf_print_leaves_no_file(tmp_path, monkeypatch):
    def broken(html, path):
        Path(path).write_bytes(b"%PDF-half")
        raise RuntimeError("printer crashed")

    monkeypatch.setattr(_render, "execute_report", lambda parameters, *, workdir: nbformat.v4.new_notebook())
    monkeypatch.setattr(_render, "print_pdf", broken)
    with pytest.raises(RuntimeError, match="printer crashed"):
        report.build_report(tmp_path / "r.pdf", format="pdf", scenario="fraud_detection")
    assert list(tmp_path.iterdir()) == []


def test_unknown_format_is_refused(tmp_path):
    with pytest.raises(am.ParameterError) as info:
        report.build_report(tmp_path / "r.docx", format="docx", scenario="fraud_detection")
    assert str(info.value) == report.MSG_FORMAT.format("html, pdf", "docx")


def test_pdf_is_printed_by_chromium(tmp_path):
    if not Path(_render.CHROMIUM).exists():
        pytest.skip(f"--format pdf needs Chromium at {_render.CHROMIUM}")
    out = tmp_path / "page.pdf"
    _render.print_pdf("<html><body><h1>Memo</h1><p>text</p></body></html>", out)
    assert out.read_bytes().startswith(b"%PDF-")
