"""aipm_sim.notebook: prose and tables in words, numbers in the shared format, no code names."""

import math
import re

import pandas as pd
import pytest

import aipm_sim as am
from aipm_sim import notebook as nb

M = "\N{MINUS SIGN}"


def test_table_formats_each_column_and_says_missing_values_in_words():
    frame = pd.DataFrame({"n": [20000.0, 3.0], "eur": [-4567.122733, 0.0], "share": [0.453, math.nan],
                          "t": [8.4736, math.inf], "name": ["a|b", "c"]})
    t = nb.table(frame, {"name": ("option", "text"), "n": ("orders per day", "count"),
                         "eur": ("value (EUR per month)", "money"), "share": ("recall", "percent"),
                         "t": ("threshold", "threshold")})
    assert t.header == ("option", "orders per day", "value (EUR per month)", "recall", "threshold")
    assert t.rows == (("a|b", "20,000", f"{M}4,567", "45.3%", "8.474"),
                      ("c", "3", "0", nb.MISSING, "above every score"))
    md = t._repr_markdown_()
    assert md.splitlines()[1] == "|:--|--:|--:|--:|--:|" and "a\\|b" in md  # no index column, pipes escaped
    assert "NaN" not in repr(t) and "4567.12" not in repr(t)


@pytest.mark.parametrize(("columns", "message"), [
    ({"x": ("x", "colour")}, nb.MSG_KIND.format("x", ", ".join(nb.KINDS), "colour")),
    ({"y": ("y", "count")}, nb.MSG_COLUMN.format("y", "x")),
])
def test_table_errors(columns, message):
    with pytest.raises(ValueError, match="^" + re.escape(message) + "$"):
        nb.table(pd.DataFrame({"x": [1]}), columns)


def test_prose_is_markdown_and_the_same_text():
    p = nb.prose("  A *word*.\n\nTwo.  ")
    assert p._repr_markdown_() == repr(p) == "A *word*.\n\nTwo."


@pytest.mark.parametrize("name", ["fraud_detection", "credit_approval", "medical_screening"])
def test_scenario_tables_speak_words_not_code(name):
    s = am.load_scenario(name)
    texts = [repr(nb.assumptions_table(s)), repr(nb.money_table(s)), repr(nb.rules_table(s)),
             repr(nb.decision_text(s)), repr(nb.sensitivity_table(am.compute_sensitivity(s), s))]
    for text in texts:
        for key in s.parameters:
            if "_" in key:
                assert not re.search(rf"\b{key}\b", text), (key, text[:200])
        assert "{" not in text and "NaN" not in text and not re.search(r"[1-9]\.\d{5,}|0\.0*[1-9]\d{4,}", text)


def test_decision_text_agrees_with_the_decision():
    s = am.load_scenario("fraud_detection")
    d = s.optimize()
    text = repr(nb.decision_text(s, d))
    summary = s.decision_summary(d)
    assert f"{round(summary.alerts_per_month):,} of {round(summary.cases_per_month):,} orders" in text
    assert f"{M}{round(-summary.value_per_month):,} EUR with the model" in text
    assert "at most 4,320 alerts per month" in text


def test_change_text_says_what_a_third_analyst_is_worth():
    s = am.load_scenario("fraud_detection")
    text = repr(nb.change_text(s, analysts=3))
    gain = s.value_of_change(analysts=3)
    assert f"best value per month: +{round(gain):,} EUR" in text
    assert "now" in text and "after (the team could handle 6,480)" in text  # 3 x 6 h x 60 / 5 min x 30 days
