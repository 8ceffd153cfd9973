"""The explorer in the reader's words: vocabulary, plausibility notes, refused bounds, a steady threshold.

Oracles: the scenario files' own [vocabulary] words, hand-written sign rules, the curve's rows.
"""

import html
import math
import re

import numpy as np
import pytest

import aipm_sim as am
from aipm_sim.widgets import ThresholdExplorer
from aipm_sim.widgets.explorer import (NOTE_CAUGHT_BELOW_FALSE_ALARM, NOTE_EARNING_MISS, SLIDER_STEPS,
                                       value_notes)
from aipm_sim.widgets.scenario_explorer import scenario_explorer

#: Words of the fraud queue that must not reach a reader of another decision.
FRAUD_WORDS = ("alert", "review", "fraud", "false alarm", "caught positive", "missed positive", "analyst",
               "(TP)", "(FP)")


def visible_text(ex):
    """Every text the explorer shows (cards, notes, labels, help), as a browser would read it."""
    parts = [ex.kpis.value, ex.alerts.description, ex.threshold_readout.value]
    parts += [box.description for box in ex.value_inputs.values()]
    parts += [sw.description for sw in ex.constraint_switches.values()]
    stack = [ex.widget]
    while stack:
        w = stack.pop()
        if hasattr(w, "children"):
            stack.extend(w.children)
        if type(w).__name__ == "HTML":
            parts.append(w.value)
        titles = getattr(w, "titles", None)
        if titles:
            parts.extend(titles)
    parts += [t.get_text() for t in ex.displays["confusion"].texts_.values()]
    return html.unescape(re.sub(r"<[^>]+>", " ", " ".join(parts)))


def test_the_recommendations_explorer_speaks_of_impressions_and_clicks():
    s = am.load_scenario("recommendations")
    ex = scenario_explorer(s, render=False)
    text = visible_text(ex)
    for word in FRAUD_WORDS:
        assert word.lower() not in text.lower(), word
    words = s.words
    assert f"{words.alerts} per month" in text and words.tp in text and "impressions shown" in text
    assert ex.result.summary().splitlines()[2].startswith("impressions shown per month: ")


@pytest.mark.parametrize(("name", "alerts"), [("credit_approval", "applications declined"),
                                              ("medical_screening", "patients referred"),
                                              ("churn_retention", "offers sent")])
def test_every_preset_brings_its_own_words(name, alerts):
    ex = scenario_explorer(am.load_scenario(name), render=False)
    text = visible_text(ex)
    assert f"{alerts} per month" in text
    assert "caught positive" not in text and "(TP)" not in text


def test_vocabulary_argument_takes_a_mapping_and_keeps_generic_words_elsewhere():
    model = am.BinormalModel(prevalence=0.01, auc=0.8)
    ex = ThresholdExplorer(model, am.ValueModel(tp=10, fp=-1), render=False,
                           vocabulary={"alerts": "calls made", "cases": "leads", "flagged": "called"})
    assert ex.alerts.description == "threshold for this many calls made per period"
    assert "of all leads are called" in ex.kpis.value
    with pytest.raises(am.ParameterError, match="unknown vocabulary key 'colour'"):
        ThresholdExplorer(model, am.ValueModel(tp=10, fp=-1), render=False, vocabulary={"colour": "red"})


# -- plausibility -------------------------------------------------------------------------
def test_a_missed_positive_that_earns_money_is_said():
    words = am.Vocabulary()
    assert value_notes(am.ValueModel(tp=10, fp=-1, fn=-50), words) == ()
    notes = value_notes(am.ValueModel(tp=10, fp=-1, fn=500), words, currency="EUR")
    assert notes == (NOTE_EARNING_MISS.format("missed positive", "+500 EUR", "case"),)
    notes = value_notes(am.ValueModel(tp=-5, fp=-1), words, currency="EUR")
    assert notes == (NOTE_CAUGHT_BELOW_FALSE_ALARM.format("caught positive", "\N{MINUS SIGN}5 EUR",
                                                          "false alarm", "\N{MINUS SIGN}1 EUR"),)
    assert "false alarm usually costs" in value_notes(am.ValueModel(tp=10, fp=2), words)[0]
    assert "× its amount" in value_notes(am.ValueModel(tp=10, fn_amount=0.5), words)[0]


def test_the_explorer_notes_a_sign_error_in_the_scenarios_words():
    ex = scenario_explorer(am.load_scenario("fraud_detection"), render=False)
    assert not any("earns money" in n for n in ex.result.notes)
    ex.value_inputs["fn"].value = 500  # a missed fraud typed without its minus sign
    note = NOTE_EARNING_MISS.format("fraud missed", "+500 EUR", "order")
    assert note in ex.result.notes and html.escape(note) in ex.kpis.value


@pytest.mark.parametrize(("name", "bad"), [("min_recall", 1.5), ("min_precision", -0.2), ("max_fpr", math.inf),
                                           ("max_alert_rate", 2.0)])
def test_a_rate_outside_0_1_is_refused_with_the_reason_and_the_last_good_value_kept(name, bad):
    ex = scenario_explorer(am.load_scenario("fraud_detection"), render=False)
    ex.constraint_switches[name].value = True
    ex.constraint_inputs[name].value = 0.3
    before = dict(ex.constraints)
    ex.constraint_inputs[name].value = bad
    assert ex.constraints == before and ex.constraint_inputs[name].value == 0.3  # restored, not clamped to 1
    refused = [n for n in ex.result.notes if "refused" in n]
    assert len(refused) == 1 and "is a share between 0 and 1" in refused[0] and "Kept 0.3 (30.0%)" in refused[0]
    assert ex.last_error is None
    ex.threshold.value = ex.result.threshold * 1.1  # the next move clears the note
    assert not any("refused" in n for n in ex.result.notes)


def test_a_negative_capacity_is_refused():
    ex = scenario_explorer(am.load_scenario("fraud_detection"), render=False)
    ex.constraint_inputs["max_alerts"].value = -5
    assert ex.constraints["max_alerts"] == 4320 and ex.constraint_inputs["max_alerts"].value == 4320
    assert any("refused: a number of alerts is 0 or more. Kept 4,320." in n for n in ex.result.notes)


# -- the capacity box and the threshold that stays put ------------------------------------------
def test_the_alerts_box_names_what_it_does_and_agrees_with_the_card():
    ex = scenario_explorer(am.load_scenario("fraud_detection"), render=False)
    assert ex.alerts.description == "threshold for this many alerts per month"
    label = ex.constraint_switches["max_alerts"].description
    assert label.startswith("at most this many alerts per month") and "capacity" in label
    ex.alerts.value = 300
    r = ex.result
    # The box shows whole alerts: the card's count, rounded (never 298.8 beside 299).
    assert ex.alerts.value == round(r.alerts_per_period) and ex.alerts.value == int(ex.alerts.value)
    card = re.search(r"alerts per month</div><div[^>]*>([^<]*)</div><div[^>]*>([^<]*)<", ex.kpis.value)
    assert card.group(1) == f"{round(r.alerts_per_period):,}"
    assert card.group(2) == "within the limit of 4,320"
    ex.alerts.value = 5000
    assert "over the limit of 4,320" in ex.kpis.value


@pytest.mark.parametrize("name", ["min_recall", "max_alerts", "min_precision", "max_fpr"])
def test_switching_a_rule_on_and_off_never_moves_the_threshold(name):
    # 0.0201 once became 0.02022: the analytic curve was rebuilt for the new rules without the row in view.
    ex = scenario_explorer(am.load_scenario("fraud_detection"), render=False)
    for start in (ex.result.point.threshold, 0.0201):
        ex.threshold.value = start
        shown = ex.result.point.threshold
        for _ in range(2):
            ex.constraint_switches[name].value = not ex.constraint_switches[name].value
            assert ex.result.point.threshold == shown
        ex.value_inputs["fp"].value = -6.0  # a money edit neither
        assert ex.result.point.threshold == shown
        ex.value_inputs["fp"].value = -4.33333


def test_one_arrow_key_step_is_one_percent_of_the_slider():
    assert SLIDER_STEPS == 100
    for source in (am.BinormalModel(prevalence=0.01, auc=0.8),  # a log slider: 1 % of its decades
                   am.ScoreSet(np.linspace(0, 1, 50), np.arange(50) % 2)):
        ex = ThresholdExplorer(source, am.ValueModel(tp=10, fp=-1), render=False)
        s = ex.threshold
        assert s.step == pytest.approx((s.max - s.min) / 100)
