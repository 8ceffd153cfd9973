"""aipm_sim.notebook_tables (also ``aipm_sim.notebook``): the newer rooms' results in words and tables.

Each expected text is written by hand from the stand-in's raw numbers (thousands separators, a true
minus, units in the headers); the real-object tests check numbers against an independent oracle
(statsmodels' Wilson interval, numpy counts on the raw scores).
"""

import json
import math
import re
from pathlib import Path
from types import SimpleNamespace as NS

import numpy as np
import pandas as pd
import pytest

import aipm_sim as am
from aipm_sim import notebook as nb
from aipm_sim import notebook_tables as nt

M = "\N{MINUS SIGN}"
SNAKE = re.compile(r"\b[a-z]+_[a-z0-9_]+\b")
NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def _reads_like_words(table):
    """No code name, NaN or index column reaches the reader; Markdown and text agree on the header."""
    md = table._repr_markdown_()
    assert not SNAKE.search(md), SNAKE.search(md).group()
    assert "NaN" not in md and "nan" not in md.split() and "None" not in md
    assert all(h.strip() for h in table.header)  # an index column would have an empty or number header
    assert not any(re.fullmatch(r"\d+", h) for h in table.header)
    assert md.splitlines()[0] == "| " + " | ".join(table.header) + " |"
    assert "-" not in "".join(c for row in table.rows for c in row if re.search(r"-\d", c))  # a true minus
    return md


def test_every_helper_is_also_in_the_notebook_module():
    for name in nt.__all__:
        assert getattr(nb, name) is getattr(nt, name)
        assert name in nb.__all__


# -- monitoring ----------------------------------------------------------------------------------
def _comparison():
    table = pd.DataFrame({
        "policy": ["Do nothing", "Retrain every 4 weeks", "Re-threshold on the estimated prevalence and retrain "
                                                          "when the drift alert fires"],
        "value": [-2019985.2, -1809743.4, -2035930.0], "retrains": [0, 5, 0], "recalibrations": [0, 0, 25],
        "costs": [0.0, -75000.0, -5000.0], "net value": [-2019985.2, -1884743.4, -2040930.0],
        "alerts raised": [0, 0, 0], "periods below target": [0, 2, 0],
        "versus doing nothing": [0.0, 135241.8, -20944.8]})
    gains = pd.DataFrame({"retrain every (periods)": [1, 2, 3], "retrains": [21, 10, 7],
                          "versus doing nothing": [-65949.4, 80446.0, 0.2]})
    per_period = pd.DataFrame({"period": [0, 1, 2] * 3})
    return NS(table=table, interval_gains=gains, per_period=per_period, currency="EUR", period="week",
              verdict="Retrain every 4 weeks is best.", best_interval=4, break_even_interval=2)


def test_policy_table_writes_money_over_the_horizon_with_signed_gains():
    t = nb.policy_table(_comparison())
    assert t.header == ("policy", "value before costs (EUR over 3 weeks)", "retrains", "re-thresholdings",
                        "costs (EUR over 3 weeks)", "net value (EUR over 3 weeks)", "drift alerts",
                        "weeks below target", "gain over doing nothing (EUR over 3 weeks)")
    assert t.rows[0] == ("Do nothing", f"{M}2,019,985", "0", "0", "0", f"{M}2,019,985", "0", "0", "0")
    assert t.rows[1][1] == f"{M}1,809,743" and t.rows[1][4] == f"{M}75,000" and t.rows[1][-1] == "+135,242"
    assert t.rows[2][0].endswith("when the drift alert fires")  # the name in full, never cut
    assert t.rows[2][-1] == f"{M}20,945"
    md = _reads_like_words(t)
    assert md.splitlines()[1] == "|:--|" + "|".join(["--:"] * 8) + "|"
    assert "2019985" not in md and ".0" not in md


def test_policy_table_picks_columns_and_refuses_unknown_ones():
    t = nb.policy_table(_comparison(), ["net value", "versus doing nothing"])
    assert t.header == ("policy", "net value (EUR over 3 weeks)",
                        "gain over doing nothing (EUR over 3 weeks)")
    with pytest.raises(ValueError, match="'threshold' is not one this table writes"):
        nb.policy_table(_comparison(), ["threshold"])


def test_retrain_schedule_table_in_words():
    t = nb.retrain_schedule_table(_comparison(), rows=3)
    assert t.header == ("retrain", "retrains", "gain over doing nothing (EUR over 3 weeks)")
    assert t.rows == (("every week", "21", f"{M}65,949"), ("every 2 weeks", "10", "+80,446"),
                      ("every 3 weeks", "7", "+0.20"))
    _reads_like_words(t)


def test_monitoring_table_and_its_errors():
    production = NS(metrics=pd.DataFrame({"period": [0, 1], "prevalence": [0.0192, 0.0405],
                                          "estimated prevalence": [0.018, math.nan],
                                          "value": [-1234.6, 20.0], "alert": [False, True]}))
    t = nb.monitoring_table(production, ["prevalence", "estimated prevalence", "value", "alert"], period="week",
                            positives="frauds", currency="EUR")
    assert t.header == ("week", "share of frauds", "share of frauds, estimated from the scores",
                        "value (EUR per week)", "drift alert")
    assert t.rows == (("0", "1.92%", "1.80%", f"{M}1,235", "no"), ("1", "4.05%", nb.MISSING, "20", "yes"))
    _reads_like_words(t)
    with pytest.raises(ValueError, match="'psi' is not one this table writes"):
        nb.monitoring_table(production, ["psi"])


def test_monitoring_summary_in_sentences():
    comparison = _comparison()
    plan = NS(comparison=comparison, production=NS(threshold=0.0653621, periods=3,
                                                   metrics=pd.DataFrame({"alert": [False, True, False]})),
              null=NS(threshold=0.0021739686))
    assert repr(nb.monitoring_summary(plan)) == (
        "- Launch threshold: 0.06536.\n"
        "- The drift alert fires above a score drift (PSI) of 0.002174; it fires in 1 of 3 weeks.\n"
        "- Retrain every 4 weeks is best.\n"
        "- Best retraining schedule: every 4 weeks; the most frequent one that still pays for itself: every 2 weeks.")


def test_the_policies_verdict_writes_a_true_minus():
    from aipm_sim.core.monitoring.policies import _money

    assert _money(-20944.8, "EUR") == f"{M}20,945 EUR" and _money(135241.8, "") == "135,242"


# -- uncertainty -----------------------------------------------------------------------------------
def _decision(**kw):
    base = dict(point=NS(alerts=304.0, precision=0.11184, recall=0.70833), threshold=0.0319512,
                alerts_per_period=304.0, value=2050.0, currency=None, volume=None, period=None, constraints={})
    return NS(**{**base, **kw})


def test_decision_line_in_words():
    assert repr(nb.decision_line(_decision(), currency="EUR")) == (
        "**Flag scores of 0.03195 or more.** Precision 11.2%, recall 70.8%, 304 alerts, value 2,050 EUR.")
    per_month = _decision(volume=600_000, period="month", currency="EUR", value=-190431.2,
                          point=NS(alerts=1.0, precision=math.nan, recall=0.0), alerts_per_period=4320.0)
    assert repr(nb.decision_line(per_month)) == (
        f"**Flag scores of 0.03195 or more.** Precision {nb.MISSING}, recall 0.0%, 4,320 alerts per month, "
        f"value {M}190,431 EUR per month.")
    nothing = _decision(point=NS(alerts=0.0, precision=math.nan, recall=0.0))
    assert repr(nb.decision_line(nothing)).startswith("**Flag nothing.**")


def test_decision_line_says_what_a_stated_confidence_guarantees():
    sure = _decision(constraints={"min_recall": 0.7}, confidence=0.9, confidence_bounds={"min_recall": 0.74321})
    lines = repr(nb.decision_line(sure, currency="EUR")).splitlines()
    assert lines[1] == ("- Guaranteed for the population: recall at least 70% with 90% confidence "
                        "(its lower confidence bound here: 74.3%).")
    assert "confidence=" not in "".join(lines) and "min_recall" not in "".join(lines)


def test_interval_text_is_the_wilson_interval_of_statsmodels():
    from statsmodels.stats.proportion import proportion_confint

    data = am.BinormalModel(prevalence=0.02, auc=0.85).sample(3_000, seed=4)
    d = am.optimize(am.ThresholdCurve.from_scores(data), am.ValueModel(tp=100, fp=-5), min_recall=0.6)
    flagged = data.scores >= d.threshold
    tp, positives = int(np.sum(flagged & data.labels)), int(np.sum(data.labels))
    low, high = proportion_confint(tp, positives, alpha=0.05, method="wilson")
    assert repr(nb.interval_text(d, "recall")) == (
        f"Recall on the validation set: {am._format.fmt_percent(tp / positives)}; 95% interval (Wilson): "
        f"{am._format.fmt_percent(low)} to {am._format.fmt_percent(high)}.")


def test_population_and_meets_texts():
    model = NS(point=lambda t: NS(recall=0.6 if t > 0.03 else 0.8))
    assert repr(nb.population_text(model, _decision())) == (
        "Recall in the population at that threshold (0.03195): 60.0%.")
    u = NS(probability_meets=lambda t: 0.51, constraints={"min_recall": 0.7}, resamples=200)
    assert repr(nb.meets_text(u, _decision(), name="the decision on the validation set")) == (
        "The decision on the validation set (threshold 0.03195) meets the rule (recall at least 70%) "
        "in 51.0% of the 200 resamples.")


LABELS = NS(metric="recall", expected=0.8, half_width=0.0299, confidence=0.95, relevant=682,
            relevant_name="positives", cases=227334)


def test_labels_text_in_the_scenarios_words():
    assert repr(nb.labels_text(LABELS, positives="frauds", cases="orders")) == (
        "To know recall 80% within ± 3.0 points with 95% confidence, a validation needs 682 frauds, "
        "that is 227,334 labelled orders.")
    assert "682 positives" in repr(nb.labels_text(LABELS))


def test_how_sure_summary():
    model = NS(point=lambda t: NS(recall=0.6 if t > 0.03 else 0.727))
    plain = _decision(point=NS(alerts=304.0, precision=0.112, recall=0.708,
                               interval=lambda metric, confidence=0.95: (0.568, 0.818)))
    sure = _decision(threshold=0.01721, value=1415.0, point=NS(alerts=557.0, precision=0.0718, recall=0.833),
                     constraints={"min_recall": 0.7}, confidence=0.9, confidence_bounds={"min_recall": 0.743})
    assert repr(nb.how_sure_summary(model, plain, sure, labels=LABELS, currency="EUR", positives="frauds")) == (
        "- Decision on the validation set: threshold 0.03195, recall 70.8% measured (95% interval 56.8% to "
        "81.8%), 60.0% in the population.\n"
        "- Decision with a guarantee: threshold 0.01721, recall 83.3% measured, at least 74.3% with 90% "
        "confidence, 72.7% in the population.\n"
        "- Value: 2,050 EUR without the guarantee, 1,415 EUR with it.\n"
        "- Labels: to know recall 80% within ± 3.0 points with 95% confidence, a validation needs 682 frauds, "
        "that is 227,334 labelled cases.")


def test_margin_table_lines_up_one_decimal():
    t = nb.margin_table([50, 700, 1500], [0.10912, 0.02961, 0.02012], metric="recall", expected=0.8,
                        relevant_name="frauds")
    assert t.header == ("frauds in the validation set", "margin around recall 80% (percentage points)")
    assert t.rows == (("50", "± 10.9"), ("700", "± 3.0"), ("1,500", "± 2.0"))
    _reads_like_words(t)


def test_parameter_text_writes_a_fraction_as_a_percentage():
    s = am.load_scenario("fraud_detection")
    assert repr(nb.parameter_text(s, "fraud_rate")) == "Share of orders that are fraudulent: 0.3%."
    assert "fraud_rate" not in repr(nb.parameter_text(s, "fraud_rate"))


# -- launch ----------------------------------------------------------------------------------------
def _test_plan(**kw):
    base = dict(currency="EUR", period="month", volume=300_000, metric="value", cases_control=258554,
                cases_treatment=258554, cases_total=517108, cases_per_day=10000.0, days_collecting=51.7108,
                label_delay_days=30.0, days=82, minimum_effect=0.1, minimum_effect_per_period=60000.0,
                power=0.8, alpha=0.05, expected_effect=0.1244, always_valid_days=131)
    return NS(**{**base, **kw})


def test_ab_test_text_in_sentences():
    assert repr(nb.ab_test_text(_test_plan(), case="order")) == (
        "- Orders per side: 258,554 on today's rule and 258,554 on the model.\n"
        "- Days of traffic at 10,000 orders a day: 51.7; then 30 days of waiting for the outcomes: "
        "**82 days in all**.\n"
        "- Smallest gain it detects: 0.10 EUR per order = 60,000 EUR per month (80% power, 5% false alarms).\n"
        "- The offline numbers expect 0.12 EUR per order.\n"
        "- An always-valid test, which may be read every day, needs 131 days.")
    rate = repr(nb.ab_test_text(_test_plan(metric="recall", minimum_effect=0.05)))
    assert "Smallest change it detects: 5.0 points of recall" in rate


def test_peeking_table_and_text():
    peek = NS(days=np.array([1, 2, 3]), peeking=np.array([0.0545, 0.138, 0.315]),
              always_valid=np.array([0.0, 0.001, 0.0155]), fixed_horizon=0.0525, alpha=0.05,
              peeking_rate=0.315, always_valid_rate=0.0155)
    t = nb.peeking_table(peek, days=[1, 3])
    assert t.rows == (("1", "5.45%", "0.0%"), ("3", "31.5%", "1.55%"))
    _reads_like_words(t)
    assert repr(nb.peeking_text(peek, _test_plan())) == (
        "- Read once, at the end: 5.25% false winners (agreed: 5%).\n"
        "- Read every day: 31.5% false winners.\n"
        "- An always-valid test read every day: 1.55% false winners, but it needs 131 days instead of 82.")


def _rollout(cost=-29.33):
    table = pd.DataFrame({"stage": [1, 2, 3], "share": [0.01, 0.5, 1.0], "days": [27, 2, 0],
                          "start_day": [0, 27, 29], "end_day": [27, 29, 29],
                          "treated_cases": [5400.0, 20000.0, 0.0], "events_at_risk": [27.0, 100.0, 0.0],
                          "value_at_risk": [-792.0 if cost else math.nan, -2933.33 if cost else math.nan, 0.0],
                          "value_forgone": [66085.0, 2472.3, 0.0]})
    return NS(table=table, plan=NS(currency="EUR"), guardrail_name="cancelled orders", total_days=29,
              value_at_risk=-3725.33, events_at_risk=127.0, cost_per_event=cost)


def test_rollout_table_in_words():
    t = nb.rollout_table(_rollout(), case="order")
    assert t.header == ("stage", "share of traffic", "days", "from day … to day", "orders on the new decision",
                        "extra cancelled orders if harmful", "value at risk (EUR)", "value forgone by ramping (EUR)")
    assert t.rows == (("1", "1%", "27", "0 to 27", "5,400", "27", f"{M}792", "66,085"),
                      ("2", "50%", "2", "27 to 29", "20,000", "100", f"{M}2,933", "2,472"),
                      ("3", "100%", "0", "29 to 29", "everyone", "none", "none", "none"))
    _reads_like_words(t)
    unpriced = nb.rollout_table(_rollout(cost=None), case="order")
    assert unpriced.rows[0][6] == nb.MISSING


def test_launch_summary_and_decisions():
    launch = NS(test=_test_plan(), rollout=_rollout(), case="order")
    peek = NS(peeking_rate=0.315, alpha=0.05)
    assert repr(nb.launch_summary(launch, peek)) == (
        "- A/B test: 82 days (517,108 orders); an always-valid test: 131 days.\n"
        "- Read every day: 31.5% false winners instead of 5%.\n"
        "- Rollout: everyone on day 29; if the new decision is harmful, the ramp costs 3,725 EUR "
        "(127 extra cancelled orders).")
    both = NS(scenario=NS(currency="EUR"), treatment=_decision(), control_name="hold every order above an amount",
              control=_decision(point=NS(alerts=0.0, precision=math.nan, recall=0.0), value=-264600.0))
    lines = repr(nb.launch_decisions_text(both)).splitlines()
    assert lines[0].startswith("- The model: **Flag scores of 0.03195 or more.**")
    assert lines[1].startswith("- Today (hold every order above an amount): **Flag nothing.**")
    assert lines[1].endswith(f"value {M}264,600 EUR.")


# -- groups ----------------------------------------------------------------------------------------
def _by_group():
    return pd.DataFrame({"n_cases": [900.0, 500.0], "positives": [60.8, 61.5], "alerts": [104.3, 137.1],
                         "precision": [0.259, math.nan], "recall": [0.444, 0.535], "fpr": [0.092, 0.238],
                         "alert_rate": [0.116, 0.274], "value": [450584.4, -123276.2]},
                        index=pd.Index(["30 to 50", "under 30"], name="group"))


def test_group_table_puts_the_groups_in_a_named_first_column():
    t = nb.group_table(_by_group(), currency="EUR", period="month", index="age band")
    assert t.header == ("age band", "cases", "positives", "flagged cases", "precision", "recall",
                        "false alarm rate", "flag rate", "value (EUR per month)")
    assert t.rows == (("30 to 50", "900", "60.8", "104.3", "25.9%", "44.4%", "9.2%", "11.6%", "450,584"),
                      ("under 30", "500", "61.5", "137.1", "undefined", "53.5%", "23.8%", "27.4%",
                       f"{M}123,276"))
    md = _reads_like_words(t)
    assert "alert_rate" not in md and "n_cases" not in md


def test_group_table_speaks_the_scenarios_words():
    words = am.load_scenario("credit_approval_groups").words
    t = nb.group_table(_by_group(), currency="EUR", period="month", index="age band", words=words)
    assert t.header == ("age band", "applications", "defaulters", "applications declined", "precision", "recall",
                        "false alarm rate", "decline rate", "value (EUR per month)")
    assert "flag rate" not in t._repr_markdown_() and "cases" not in t._repr_markdown_()


def test_group_table_of_disparities_names_its_rows():
    d = pd.DataFrame({"recall": [0.146, 0.73], "alert_rate": [0.18, 0.34]},
                     index=["largest difference", "smallest ratio"])
    t = nb.group_table(d)
    assert t.header == ("across groups", "recall", "flag rate")
    assert t.rows == (("largest difference", "14.6 points", "18.0 points"), ("smallest ratio", "0.73", "0.34"))


def test_group_assumptions_table():
    s = NS(words=NS(cases="applications", positives="defaulters"),
           groups=({"name": "under 30", "share": 0.25, "prevalence": 0.12, "auc": 0.72, "source": "assumption"},
                   {"name": "over 50", "share": 0.3, "prevalence": 0.065, "auc": 0.8}))
    t = nb.group_assumptions_table(s, group="age band")
    assert t.header == ("age band", "share of applications", "share of defaulters", "AUC (how well the score ranks)",
                        "source")
    assert t.rows == (("under 30", "25%", "12%", "0.72", "assumption"), ("over 50", "30%", "6.5%", "0.8", "not given"))


def test_fairness_price_table_says_when_a_rule_cannot_be_met():
    frontier = pd.DataFrame({"rule": ["demographic_parity", "equalized_odds"], "tolerance": [0.02, 0.0],
                             "value": [878995.2, math.nan], "price_of_fairness": [18059.4, math.nan]})
    t = nb.fairness_price_table(frontier, currency="EUR", period="month")
    assert t.header == ("fairness rule", "tolerance", "best value (EUR per month)", "price of the rule (EUR per month)")
    assert t.rows == (("demographic parity", "2 points", "878,995", "18,059"),
                      ("equalized odds", "0 points", "cannot be met", "cannot be met"))
    _reads_like_words(t)


def test_groups_summary():
    best = NS(single_threshold=0.152512, single_threshold_value=882184.4, unconstrained_value=897054.0)
    parity = NS(fairness="demographic_parity", tolerance=0.02, value=878995.2, price_of_fairness=18059.4,
                by_group=pd.DataFrame({"alert_rate": [0.139, 0.155]}, index=["30 to 50", "under 30"]))
    one = NS(attrs={"selection_rate_ratio": 0.3412})
    text = repr(nb.groups_summary(best, parity, one, currency="EUR", period="month", group="age band"))
    assert text == (
        "- One threshold for everyone: 0.1525, value 882,184 EUR per month.\n"
        "- Best threshold per age band, no rule: value 897,054 EUR per month.\n"
        "- Demographic parity (within 2 points): value 878,995 EUR per month, price 18,059 EUR per month.\n"
        "- Flag rates under demographic parity: 30 to 50 13.9%; under 30 15.5%.\n"
        "- Four-fifths ratio (lowest flag rate over highest) at one threshold: 0.34.")
    assert not SNAKE.search(text)
    words = am.load_scenario("credit_approval_groups").words
    said = repr(nb.groups_summary(best, parity, one, currency="EUR", period="month", group="age band", words=words))
    assert "- Decline rates under demographic parity: 30 to 50 13.9%; under 30 15.5%." in said
    assert "(lowest decline rate over highest)" in said and "flag rate" not in said


# -- any room ------------------------------------------------------------------------------------
def test_bullets_make_one_bullet_per_line():
    text = "threshold 0.0201: cases scoring at or above it are flagged\n\n  value per day: \u221216,040 \n"
    assert repr(nb.bullets(text)) == ("- threshold 0.0201: cases scoring at or above it are flagged\n"
                                      "- value per day: \u221216,040")


def test_decisions_text_and_best_agreement():
    text = repr(nb.decisions_text([("With weights", _decision()), ("Without weights", _decision(value=-21644.4))],
                                  currency="EUR"))
    assert text.splitlines() == [
        "- With weights: **Flag scores of 0.03195 or more.** Precision 11.2%, recall 70.8%, 304 alerts, "
        "value 2,050 EUR.",
        f"- Without weights: **Flag scores of 0.03195 or more.** Precision 11.2%, recall 70.8%, 304 alerts, "
        f"value {M}21,644 EUR."]
    d = _decision(threshold=0.020104, value=-16040.3, period="day")
    agree = repr(nb.best_agreement_text(d, NS(best_threshold=0.020104, best_value=-16040.3), currency="EUR"))
    assert agree == (f"- The chart: best threshold 0.0201, value {M}16,040 EUR per day.\n"
                     f"- The explorer: best threshold 0.0201, value {M}16,040 EUR per day.")


def test_data_preview_shows_the_file_as_read_without_index():
    frame = pd.DataFrame({"case_id": [14, 32], "score": [0.000124, 8.2e-05], "amount": [109.35, -1234.5],
                          "note": ["a", None], "weight": [25.0, math.nan]})
    t = nb.data_preview(frame, rows=2)
    assert t.header == ("case_id", "score", "amount", "note", "weight")  # the file's own names: the reader maps them
    assert t.rows == (("14", "0.000124", "109.35", "a", "25"), ("32", "0.000082", f"{M}1234.5", nb.MISSING, nb.MISSING))
    assert t.align == ("right", "right", "right", "left", "right")


# -- the committed notebooks -----------------------------------------------------------------------
def _outputs(path):
    for cell in json.loads(path.read_text())["cells"]:
        if cell["cell_type"] == "code":
            yield "".join(cell["source"]), cell.get("outputs", [])


ALL_NOTEBOOKS = sorted(str(p.relative_to(NOTEBOOKS).with_suffix("")) for p in NOTEBOOKS.rglob("*.ipynb")
                       if ".ipynb_checkpoints" not in p.parts)


@pytest.mark.parametrize("name", ALL_NOTEBOOKS)
def test_stored_outputs_hold_no_raw_python(name):
    """No printed f-string, repr'd str, pandas frame, dict or progress bar in the committed outputs."""
    for source, outputs in _outputs(NOTEBOOKS / f"{name}.ipynb"):
        assert "print(" not in source and 'f"' not in source, source
        for out in outputs:
            if "application/vnd.jupyter.widget-view+json" in out.get("data", {}):
                continue  # a live widget (its text form is the widget's own; SelfCheck's is tested apart)
            assert out["output_type"] != "stream", (source, out)  # printed text: Markdown instead
            plain = "".join(out.get("data", {}).get("text/plain", ""))
            if "<Figure size" in plain:
                continue
            assert not plain.startswith(("'", '"', "{", "VBox(", "HBox(")), (source, plain[:80])
            assert "it/s]" not in plain and "0%|" not in plain, (source, plain[:80])  # a frozen tqdm bar
            assert "text/html" not in out.get("data", {}) or "dataframe" not in "".join(out["data"]["text/html"])


def test_the_progress_bar_leaves_a_note_in_the_saved_notebook():
    cells = [(s, o) for s, o in _outputs(NOTEBOOKS / "07_how_sure_are_we.ipynb") if "ProgressBar(" in s]
    assert len(cells) == 1
    (_, outputs), = cells
    assert [o["data"]["text/markdown"] for o in outputs] in (["Done: 200 resamples."], [["Done: 200 resamples."]])
