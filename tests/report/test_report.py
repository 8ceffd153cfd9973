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
from aipm_sim.core.business.scenario import MSG_PARAMETER_NUMBER, MSG_UNKNOWN_PARAMETER, MSG_UNKNOWN_SCENARIO
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
    assert "| Precision (share of cases flagged that are positives) | 75.0% |" in text
    assert "| Alerts per day | 400 |" in text


def test_data_assumptions_name_every_value_given(toy_csv):
    analysis = report.analyse(**toy_inputs(toy_csv, constraints={"min_recall": 0.5}), currency="EUR")
    rows = {a.name: a for a in analysis.assumptions}
    assert rows["value per false alarm (false positive)"].value == "\N{MINUS SIGN}4"
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
    fee = am.load_scenario("fraud_detection").parameters["chargeback_fee"].description
    assert analysis.inputs == f"scenario 'fraud_detection' with {fee} = 50"  # words, not the key
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
    assert f"Every order whose score is at or above {analysis.decision.threshold:.4g} is held for review" in text
    assert text.index("Bottom line") < text.index("Situation")  # the memo opens with its conclusion
    for heading in ("Bottom line", "Situation", "Decision", "Near-optimal band", "Assumptions", "Sensitivity",
                    "Caveats", "How sure are we?", "Monitoring plan"):
        assert re.search(rf"<h2[^>]*>{heading}", html), heading
    assert "ULB/Worldline" in text  # a cited source in the assumptions table
    # Static figures with alternative text: value, metrics, outcomes, tornado, the value's band, the sections'.
    images = re.findall(r'<img alt="([^"]+)"(?: class="aipm-(?:half|side)")? src="data:image/png;base64,', html)
    from_sections = [p for p in report.section_parts(analysis) if not isinstance(p, str)]
    assert len(images) == 4 + len(from_sections)
    assert re.search(r"<h2[^>]*>Launch plan", html)  # issue 11: the fraud report includes the launch plan
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
    assert "Every case whose score is at or above 0.6 is flagged." in text
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


# -- compared with flagging nothing ----------------------------------------------------------
def test_scenario_report_says_what_the_model_adds_over_flagging_nothing():
    analysis = report.analyse(scenario="fraud_detection")
    scenario = am.load_scenario("fraud_detection")
    uplift = scenario.uplift_over_nothing()
    # By hand: flagging nothing misses every fraud; the best threshold is worth about 74k a month more.
    assert scenario.nothing_value() == pytest.approx(-264_600.0)
    assert analysis.nothing_value == scenario.nothing_value()
    assert analysis.uplift_over_nothing == pytest.approx(uplift, rel=1e-12)
    text = report.decision_markdown(analysis)
    assert (f"| Compared with flagging nothing (worth −264,600 EUR per month) | "
            f"**+{uplift:,.0f} EUR** |") in text
    assert analysis.headline().endswith(f"(+{uplift:,.0f} EUR compared with flagging nothing)")


def test_data_report_compares_with_row_0_of_the_curve(toy_csv):
    analysis = report.analyse(**toy_inputs(toy_csv), currency="EUR")
    # Flagging nothing misses the 3 positives of every 6 cases: 3 * -6 = -18 per 6 cases, -1,800 per day.
    assert analysis.nothing_value == pytest.approx(-1800.0)
    assert analysis.uplift_over_nothing == pytest.approx(2600.0 + 1800.0)
    assert "| Compared with flagging nothing (worth −1,800 EUR per day) | **+4,400 EUR** |" in (
        report.decision_markdown(analysis))


# -- degenerate decisions: nothing can be flagged ----------------------------------------------
def test_no_capacity_reads_as_flag_nothing():
    analysis = report.analyse(scenario="fraud_detection", overrides={"analysts": 0})
    # The optimiser's row flags a vanishing share of orders (about 1e-12 a month): that is nothing.
    core = am.load_scenario("fraud_detection", analysts=0).optimize()
    assert 0 < core.alerts_per_period < 1e-6
    assert analysis.flags_nothing and analysis.decision.threshold == np.inf
    assert analysis.nothing_reason == report.NOTHING_CONSTRAINED
    assert analysis.decision.value == pytest.approx(core.value, abs=1e-6)
    decision = report.decision_markdown(analysis)
    assert f"**Flag nothing**: {report.NOTHING_CONSTRAINED}." in decision
    assert "| Alerts per month | 0 |" in decision
    assert "| Recall (share of fraudulent orders held for review) | 0.0% |" in decision
    assert "| Fraudulent orders not held for review per month | 1,800 |" in decision
    assert "at or above" not in decision
    band = report.band_markdown(analysis)
    assert band.startswith(f"## Near-optimal band\n\nNone: {report.NOTHING_CONSTRAINED}")
    alts = [report.value_figure(analysis).alt, report.metrics_figure(analysis).alt,
            report.outcomes_figure(analysis).alt]
    assert "0 fraud caught" in alts[2]
    for text in (decision, band, analysis.headline(), *alts):
        assert not re.search(r"\de-\d", text), text  # no 9.765e-13 alerts, no 5.4e-14 %
    assert analysis.headline().startswith(f"flag nothing ({report.NOTHING_CONSTRAINED}); expected value")


@pytest.mark.parametrize(
    ("x", "count", "percent"),
    [(9.765e-13, "0", "<0.01%"), (0.0, "0", "0.0%"), (0.37, "0.37", "37.0%"), (764.6, "765", "76460.0%"),
     (12.5, "12.5", "1250.0%"), (4315.54, "4,316", "431554.0%")],
)
def test_counts_and_percentages_round_for_people(x, count, percent):
    assert report.fmt_count(x) == count
    assert report.fmt_percent(x) == percent


def test_outcomes_alt_text_rounds_like_the_figure():
    analysis = report.analyse(scenario="fraud_detection")
    figure = report.outcomes_figure(analysis)
    shown = [t.get_text().splitlines()[1].split(" orders")[0] for ax in figure.figure.axes for t in ax.texts]
    # Independently: the scenario's own decision, per month, rounded to whole cases.
    point = am.load_scenario("fraud_detection").optimize().point.per_period(analysis.decision.volume)
    tp, fn, fp, tn = (f"{round(getattr(point, c)):,}" for c in ("tp", "fn", "fp", "tn"))
    assert shown == [tp, fn, fp, tn]  # the figure's layout: caught, missed / false alarm, left alone
    assert "." not in "".join(shown)
    assert (f"{tp} fraud caught, {fn} fraud missed, {fp} good order held (false alarm), {tn} good order shipped"
            in figure.alt)


# -- the scores caveat names each scenario's own source ----------------------------------------
@pytest.mark.parametrize("name", [n for n in am.list_scenarios() if am.load_scenario(n).kind == "threshold"])
def test_scores_caveat_fits_the_source(name):
    scenario = am.load_scenario(name)
    caveats = " ".join(report.analyse(scenario=name).caveats)
    prevalence = scenario.parameters[scenario.scores["prevalence"]].description
    assert f"'{prevalence}'" in caveats
    if scenario.scores["source"] == "binormal":
        assert "synthetic: a calibrated binormal model" in caveats
        assert f"'{scenario.parameters[scenario.scores['auc']].description}'" in caveats
    else:
        assert "The scores are real" in caveats and "binormal" not in caveats
        assert Path(scenario.scores["package_file"]).name in caveats
    if name != "fraud_detection":
        assert "fraud" not in caveats.lower()


# -- text given by the user is text -------------------------------------------------------------
def test_title_is_escaped_not_rendered():
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    analysis = report.analyse(scenario="fraud_detection", title="Q3 <b>fraud</b> *review* [x](y)")
    html = markdown2html_mistune(report.header_markdown(analysis))
    assert "<b>" not in html and "<em>" not in html and 'href="y"' not in html
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", html, flags=re.S).group(1)
    assert re.sub(r"<[^>]+>|¶|&#182;", "", heading).strip() == "Q3 &lt;b&gt;fraud&lt;/b&gt; *review* [x](y)"


@pytest.mark.parametrize(("option", "value"), [("--tp", "3"), ("--volume", "10"), ("--max-alerts", "5"),
                                                ("--fn-amount", "-1"), ("--currency", "EUR")])
def test_data_options_with_a_scenario_name_the_option(option, value, tmp_path, capsys):
    out = tmp_path / "r.html"
    assert main(["report", "--scenario", "fraud_detection", option, value, "-o", str(out)]) == 2
    assert capsys.readouterr().err == f"aipm-sim: error: {report.MSG_DATA_ONLY.format(option)}\n"
    assert list(tmp_path.iterdir()) == []


# -- a bad output path fails before any work -------------------------------------------------------
@pytest.fixture
def no_work(monkeypatch):
    """Make computing or executing a report fail loudly: these checks must come first."""
    def refuse(*args, **kwargs):
        raise AssertionError("the report was computed before the output path was checked")

    monkeypatch.setattr(_render, "analyse", refuse)
    monkeypatch.setattr(_render, "execute_report", refuse)


def test_output_that_is_a_folder_is_refused(tmp_path, capsys, no_work):
    assert main(["report", "--scenario", "fraud_detection", "-o", str(tmp_path)]) == 2
    message = report.MSG_OUTPUT_IS_FOLDER.format(str(tmp_path), str(tmp_path / "report.html"))
    assert capsys.readouterr().err == f"aipm-sim: error: {message}\n"
    assert list(tmp_path.iterdir()) == []


def test_unwritable_folder_is_refused_at_once(tmp_path, capsys, monkeypatch, no_work):
    import errno
    import os

    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    if os.access(folder, os.W_OK):  # root writes anyway: make the folder refuse the file the OS way
        def mkstemp(*args, **kwargs):
            raise PermissionError(errno.EPERM, os.strerror(errno.EPERM), str(folder / ".r.html.x.tmp"))

        monkeypatch.setattr(_render.tempfile, "mkstemp", mkstemp)
    out = folder / "r.html"
    assert main(["report", "--scenario", "fraud_detection", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    reason = os.strerror(errno.EPERM) if os.access(folder, os.W_OK) else os.strerror(errno.EACCES)
    assert err == f"aipm-sim: error: {report.MSG_FOLDER_NOT_WRITABLE.format(str(out), str(folder), reason)}\n"
    assert ".tmp" not in err
    folder.chmod(0o700)
    assert list(folder.iterdir()) == []


def test_read_only_file_system_is_refused(capsys, no_work):
    if not Path("/sys").is_dir() or os_writable("/sys"):
        pytest.skip("needs a read-only /sys (Linux)")
    assert main(["report", "--scenario", "fraud_detection", "-o", "/sys/r.html"]) == 2
    assert capsys.readouterr().err.startswith("aipm-sim: error: cannot write the report '/sys/r.html': its folder")


def os_writable(path):
    import tempfile

    try:
        fd, name = tempfile.mkstemp(dir=path)
    except OSError:
        return False
    import os

    os.close(fd)
    os.unlink(name)
    return True


# -- facts for workshops and apps ------------------------------------------------------------
def test_facts_are_formatted_rows_of_the_scenario():
    scenario = am.load_scenario("fraud_detection")
    text = report.facts_markdown(scenario, ["chargeback_fee", "max_alerts", "volume"])
    lines = text.splitlines()
    assert lines[:2] == ["| What | Value | Unit | Source |", "|:--|--:|:--|:--|"]
    fee = scenario.parameters["chargeback_fee"]
    assert lines[2] == f"| {fee.description} | 25 | {fee.unit} | {fee.source} |"
    # By hand: 2 analysts x 6 hours x 60 minutes / 5 minutes per review x 30 days.
    p = scenario.parameters
    assert lines[3] == ("| Most alerts allowed | 4,320 | cases per month | computed from: "
                        + "; ".join(p[n].description[:1].lower() + p[n].description[1:]
                                    for n in ("analysts", "review_hours_per_analyst_day", "minutes_per_review"))
                        + " |")
    assert lines[4].startswith("| Cases scored per month | 600,000 | cases per month |")
    recs = am.load_scenario("recommendations")
    assert "| 60,000,000 | predictions per month |" in report.facts_markdown(recs, ["predictions_per_month"])


def test_unknown_fact_lists_the_known_ones():
    scenario = am.load_scenario("fraud_detection")
    with pytest.raises(am.ParameterError) as info:
        report.facts_markdown(scenario, ["fee"])
    known = [*scenario.parameters, *scenario.constraints, "volume", "predictions_per_month"]
    assert str(info.value) == report.MSG_UNKNOWN_FACT.format("fee", "fraud_detection", ", ".join(known))


def test_the_report_names_no_parameter_by_its_code_name(fraud_report):
    # Every parameter of the scenario has a description: the memo must use it, never the key.
    text = visible_text(fraud_report.read_text(encoding="utf-8"))
    scenario = am.load_scenario("fraud_detection")
    for name, p in scenario.parameters.items():
        assert p.description, name
        if "_" in name:  # a key like "analysts" is also a plain word of the prose
            assert not re.search(rf"\b{re.escape(name)}\b", text), name
    for code in ("max_alerts", "min_recall", "Binding:", "snake_case"):
        assert code not in text, code


@pytest.mark.parametrize("name", ["credit_approval", "medical_screening", "churn_retention"])
def test_every_threshold_preset_reads_without_code_names(name):
    # The same check on the report's text parts (no papermill run: the words are the same functions).
    analysis = report.analyse(scenario=name)
    parts = [report.bottom_line_markdown(analysis), report.situation_markdown(analysis),
             report.decision_markdown(analysis), report.band_markdown(analysis),
             report.assumptions_markdown(analysis), report.sensitivity_markdown(analysis),
             report.caveats_markdown(analysis), report.value_figure(analysis).alt,
             report.outcomes_figure(analysis).alt, report.tornado_figure(analysis).alt]
    tornado = report.tornado_figure(analysis).figure
    parts += [t.get_text() for t in tornado.axes[0].get_yticklabels()]
    text = " ".join(parts)
    for key in analysis.scenario.parameters:
        if "_" in key:  # "prevalence" is also a plain word
            assert not re.search(rf"\b{re.escape(key)}\b", text), key
    for code in ("max_alerts", "max_alert_rate", "min_recall", "max_fpr"):
        assert code not in text, code


def test_the_value_chart_follows_the_values_around_the_decision():
    analysis = report.analyse(scenario="fraud_detection")
    ax = report.value_figure(analysis).figure.axes[0]
    low, high = ax.get_ylim()
    d = analysis.decision
    assert high < 0  # every value is negative: the axis does not run up to zero or beyond
    assert low < analysis.nothing_value < d.value < high  # the decision and flagging nothing both readable
    assert high - low < 5 * (d.value - analysis.nothing_value)


# -- the printed memo: four pages, nothing cut, no text under 8 pt -----------------------------
def _pdf_pages(path):
    """Pages of a PDF: poppler's pdfinfo when installed, else its page objects (Chromium writes them plainly)."""
    import re
    import shutil
    import subprocess

    if shutil.which("pdfinfo"):
        out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
        return int(re.search(r"^Pages:\s+(\d+)", out, re.MULTILINE).group(1))
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", Path(path).read_bytes()))


def _pdf_page_text(path, page):
    import shutil
    import subprocess

    if not shutil.which("pdftotext"):
        return None
    return subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(path), "-"],
                          capture_output=True, text=True, check=True).stdout


def test_fraud_pdf_fits_four_pages_and_its_last_page_is_not_only_caveats(tmp_path):
    if not Path(_render.CHROMIUM).exists():
        pytest.skip(f"--format pdf needs Chromium at {_render.CHROMIUM}")
    out = tmp_path / "fraud.pdf"
    report.build_report(out, format="pdf", scenario="fraud_detection")
    pages = _pdf_pages(out)
    assert pages <= 4
    first, last = _pdf_page_text(out, 1), _pdf_page_text(out, pages)
    if last is not None:
        assert "Bottom line" in first  # the bottom line opens the memo
        # The caveats share their page with the report's last section.
        assert not last.lstrip().startswith("Caveats") and len(last.split("Caveats")[0].split()) > 30


def _report_figures(analysis):
    figures = [report.value_figure(analysis), report.metrics_figure(analysis), report.outcomes_figure(analysis),
               report.tornado_figure(analysis)]
    figures += [p for p in report.section_parts(analysis) if not isinstance(p, str)]
    return [f for f in figures if f is not None]


@pytest.mark.parametrize("name", ["fraud_detection", "credit_approval_groups"])
def test_report_figures_text_is_at_least_8_points_and_inside_the_figure(name):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    analysis = report.analyse(scenario=name)
    for f in _report_figures(analysis):
        fig = f.figure
        FigureCanvasAgg(fig)
        fig.draw_without_rendering()
        renderer = fig.canvas.get_renderer()
        box = fig.bbox
        for t in fig.findobj(Text):
            if not (t.get_visible() and t.get_text().strip()):
                continue
            assert t.get_fontsize() >= 8, (f.alt[:40], t.get_text(), t.get_fontsize())
        for legend in [*fig.legends, *(ax.get_legend() for ax in fig.axes)]:
            if legend is None:
                continue
            ext = legend.get_window_extent(renderer)
            # Every legend whole on the figure (the tornado's once read "parameter at its high boun").
            assert ext.x0 >= box.x0 - 1 and ext.x1 <= box.x1 + 1 and ext.y0 >= box.y0 - 1, (f.alt[:40], ext)


def test_tornado_legend_is_whole_in_a_notebook_figure():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    scenario = am.load_scenario("fraud_detection")
    sens = am.compute_sensitivity(scenario, parameters=["fraud_rate", "chargeback_fee", "model_auc"])
    fig = Figure(figsize=(9.5, 3.5), layout="constrained")  # as notebook 05 draws it (pyplot, constrained)
    FigureCanvasAgg(fig)
    d = am.plotting.TornadoDisplay.from_sensitivity(sens, ax=fig.add_subplot())
    fig.draw_without_rendering()
    ext = d.legend_.get_window_extent(fig.canvas.get_renderer())
    assert fig.bbox.x0 <= ext.x0 and ext.x1 <= fig.bbox.x1 and fig.bbox.y0 <= ext.y0
    assert [t.get_text() for t in d.legend_.get_texts()] == ["parameter at its low bound",
                                                             "parameter at its high bound"]


def test_band_and_interval_rows_speak_the_scenario_words():
    from aipm_sim.report import _uncertainty

    analysis = report.analyse(scenario="medical_screening")
    w = analysis.words
    assert w.cases != "cases"  # the preset has its own word, so the check can fail
    assert f"of {w.cases}." in report.band_markdown(analysis) and "of cases" not in report.band_markdown(analysis)
    labels = [label for _, label in _uncertainty.rows(w)]
    assert labels[2] == f"Share of {w.cases} {w.flagged}" and all("positives" not in x for x in labels)
