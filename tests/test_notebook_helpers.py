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


# -- summaries in sentences: small stand-ins, expected text written by hand ---------------------
from types import SimpleNamespace as NS  # noqa: E402


def _opportunity(**kw):
    base = dict(baseline="rule", gross_uplift_per_month=41874.66, inference_cost_per_month=1.0,
                running_cost_per_month=15000.0, net_value_per_month=26873.66, build_cost=350000.0,
                payback_months=13.0239, horizon_months=36.0, roi=1.7641)
    return NS(**{**base, **kw})


def test_opportunity_text_in_words():
    text = repr(nb.opportunity_text(_opportunity(), currency="EUR", comparison=NS(rule="a bureau-score cut-off")))
    assert text == (
        "- The model earns 41,875 EUR a month more than the rule (a bureau-score cut-off).\n"
        "- Running it costs 1 EUR a month for scoring and 15,000 EUR a month to run: net 26,874 EUR a month.\n"
        "- Building it costs 350,000 EUR: it pays back in 13 months; over 36 months, after the build cost, "
        "it earns 176.4% of the build cost (values not discounted).")


def test_opportunity_text_without_payback():
    text = repr(nb.opportunity_text(_opportunity(baseline="nothing", gross_uplift_per_month=-5.0,
                                                 payback_months=math.inf), currency="USD"))
    assert text.splitlines()[0] == f"- The model earns {M}5 USD a month more than acting on nothing."
    assert text.splitlines()[2] == ("- Building it costs 350,000 USD: it never pays back, because its net "
                                    "value a month is not positive.")


def test_variants_text_names_the_best_per_budget():
    text = repr(nb.variants_text(NS(latency_budget_ms=100.0, best="gradient boosting"),
                                 NS(latency_budget_ms=250.0, best="deep sequence model")))
    assert text == ("- Best variant within 100 ms: gradient boosting.\n"
                    "- Best variant within 250 ms: deep sequence model.")


def test_threshold_change_text_speaks_rules_in_words():
    scenario = am.load_scenario("fraud_detection")
    before = NS(threshold=0.065362, value=-190431.2, binding=(), constraints={})
    after = NS(threshold=0.065362, value=-216309.9, binding=("max_alerts",), constraints={"max_alerts": 4320.0})
    text = repr(nb.threshold_change_text(scenario, before, after, change="with the doubled fee"))
    assert text == (
        "- Best threshold: 0.06536 today, 0.06536 with the doubled fee (the same).\n"
        f"- Value per month: {M}190,431 EUR today, {M}216,310 EUR with the doubled fee: "
        f"a change of {M}25,879 EUR a month.\n"
        "- Rules that limit the decision with the doubled fee: at most 4,320 alerts per month.")
    assert "max_alerts" not in text
    moved = repr(nb.threshold_change_text(scenario, before, NS(threshold=0.1, value=1.0, binding=(),
                                                               constraints={}), change="later"))
    assert "(moves)" in moved and moved.endswith("later: none.")


def test_break_even_text_names_the_parameter_in_words():
    scenario = am.load_scenario("churn_retention")
    be = NS(parameter="save_rate",
            describe=lambda: "the model earns more per month than it costs to run when save_rate is above 0.1459 "
                             "(today 0.3)")
    assert repr(nb.break_even_text(scenario, be)) == (
        "The model earns more per month than it costs to run when share of would-be churners who stay "
        "because of the offer is above 0.1459 (today 0.3).")


def test_regret_table_in_words():
    scenario = am.load_scenario("churn_retention")
    sens = NS(regret_ranking=lambda: pd.DataFrame({"parameter": ["offer_cost", "save_rate"],
                                                   "regret": [16776.156316, 9075.297885],
                                                   "side": ["low", "high"]}))
    t = nb.regret_table(sens, scenario)
    assert t.header == ("Assumption", "Cost of keeping today's threshold (USD per month)", "When the assumption is")
    assert t.rows[0][1:] == ("16,776", "at its low end")
    assert t.rows[1] == ("Share of would-be churners who stay because of the offer", "9,075", "at its high end")
    assert "_" not in repr(t)


def test_sensitivity_text_in_words():
    real = am.load_scenario("churn_retention")
    summary = NS(threshold=0.14734, alerts_per_month=2000.0, value_per_month=27449.4)
    scenario = NS(words=real.words, currency="USD", parameters=real.parameters,
                  decision_summary=lambda d: summary)
    sens = NS(table=pd.DataFrame({"parameter": ["churn_rate"], "value_at_low": [4374.2], "value_at_high": [67439.0]}),
              regret_ranking=lambda: pd.DataFrame({"parameter": ["offer_cost"], "regret": [16776.2],
                                                   "side": ["low"]}))
    text = repr(nb.sensitivity_text(scenario, sens, decision=object()))
    assert text == (
        "- Today: customers scoring 0.1473 or more are sent an offer, 2,000 offers sent a month, "
        "worth 27,449 USD a month.\n"
        "- Biggest swing: share of customers who cancel in a month without an offer (4,374 to 67,439 USD a month "
        "across its plausible range).\n"
        "- Largest cost of keeping today's threshold: 16,776 USD a month, if cost of one retention offer "
        "(discount or credit), paid whether or not the customer would have left is at the low end of its range.")


def test_break_even_table_in_words():
    scenario = am.load_scenario("churn_retention")
    frame = pd.DataFrame({
        "parameter": ["save_rate", "offer_cost", "churn_rate"], "quantity": ["net_value"] * 3,
        "base": [0.3, 20.0, 0.04], "search_low": [0.0, 0.01, 0.0], "search_high": [1.0, 285.0, 1.0],
        "crossings_at": [(0.145914,), (0.825155, 50.7), ()], "positive_between": [((0.145914, 1.0),),
                                                                                  ((0.825155, 50.7),), ()],
        "positive_above": [True, True, None], "quantity_at_low": [-2501.0, -2501.0, math.nan],
        "quantity_at_high": [114733.1133, -2501.0, 10.0]})
    t = nb.break_even_table(scenario, frame)
    assert t.header[5] == "Net value at the low end (USD per month)"
    assert t.rows[0][1:] == ("0.3", "0.1459", "above 0.1459", "0 to 1", f"{M}2,501", "114,733")
    assert t.rows[1][2:4] == ("0.8252 and 50.7", "between 0.8252 and 50.7")
    assert t.rows[2][2:4] == ("none found", nb.MISSING) and t.rows[2][5] == "undefined"


def test_assumptions_table_writes_shares_as_percents_in_their_unit():
    s = am.load_scenario("fraud_detection")
    p = s.parameters["fraud_rate"]
    assert (p.value, p.unit, p.low, p.high) == (0.003, "fraction of orders", 0.0015, 0.006)  # the preset's
    row = next(r for r in nb.assumptions_table(s).rows if r[0] == p.description)
    assert row[1:4] == ("0.3%", "of orders", "0.15% to 0.6%")
    other = next(r for r in nb.assumptions_table(s).rows if r[0] == s.parameters["orders_per_day"].description)
    assert other[1:4] == ("20,000", "orders per day", "12,000 to 30,000")
