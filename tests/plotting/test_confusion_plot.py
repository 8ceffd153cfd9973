"""ConfusionMatrixDisplay: counts, rates and money in each of the four cells."""

import math

import pytest
from .plotting_data import AMOUNTS, LABELS, SCORES, brute_cells, brute_value, toy_curve

import aipm_sim as am
from aipm_sim.plotting import ConfusionMatrixDisplay
from aipm_sim.plotting.confusion import CAPTION, COLUMNS, ROWS, cell_rates

MONEY = am.ValueModel(tp=20, fp=-5, fn=-1, tn=0.5, fn_amount=-1.0, tp_amount=0.1)


def test_counts_rates_and_words(ax):
    curve = toy_curve()
    point = curve.at(0.5)
    d = ConfusionMatrixDisplay.from_point(point, ax=ax)
    tp, fp, fn, tn = brute_cells(SCORES, LABELS, 0.5)
    assert d.counts_ == {"tp": tp, "fn": fn, "fp": fp, "tn": tn}
    assert d.rates_ == pytest.approx({"tp": 2 / 3, "fn": 1 / 3, "fp": 2 / 5, "tn": 3 / 5})
    assert d.texts_["tp"].get_text() == "caught (true positive)\n2 cases in the data\n66.7% of positives"
    assert d.texts_["fp"].get_text() == "false alarm (false positive)\n2 cases in the data\n40.0% of negatives"
    assert d.money_ == {}
    assert [t.get_text() for t in ax.get_xticklabels()] == list(COLUMNS)
    assert [t.get_text() for t in ax.get_yticklabels()] == list(ROWS)
    assert ax.get_title(loc="left") == CAPTION


def test_money_per_cell_adds_up_to_the_point_value(ax):
    curve = toy_curve(amounts=True)
    point = curve.at(0.5)
    d = ConfusionMatrixDisplay.from_point(point, value_model=MONEY, ax=ax)
    values = d.money_
    assert sum(values.values()) == pytest.approx(brute_value(MONEY, SCORES, LABELS, 0.5, AMOUNTS))
    # Missed positives: the one scoring 0.3 (amount 300): -1 per case and its whole amount.
    assert values["fn"] == pytest.approx(-1 - 300)
    assert values["tp"] == pytest.approx(2 * 20 + 0.1 * (120 + 80))
    # False alarms: 0.8 and 0.6 (amounts 30 and 10), -5 each; left alone: 0.4, 0.2, 0.05, +0.5 each.
    assert values["fp"] == pytest.approx(-10) and values["tn"] == pytest.approx(1.5)
    assert d.texts_["fn"].get_text().endswith("value \N{MINUS SIGN}301 in the data")


def test_volume_makes_counts_and_money_per_period(ax):
    curve = toy_curve()
    decision = am.optimize(curve, am.ValueModel(tp=20, fp=-5), volume=800)
    d = ConfusionMatrixDisplay.from_decision(decision, ax=ax)
    p = decision.point
    assert d.counts_ == {c: getattr(p, c) * 100 for c in ("tp", "fn", "fp", "tn")}
    assert sum(d.money_.values()) == pytest.approx(decision.value)
    # The decision does not say which period: never a guessed "per day".
    assert "cases per period" in d.texts_["tn"].get_text()


def test_from_decision_uses_the_decisions_period_and_currency(ax):
    decision = am.optimize(toy_curve(), am.ValueModel(tp=20, fp=-5), volume=800, period="month", currency="EUR")
    d = ConfusionMatrixDisplay.from_decision(decision, ax=ax)
    # Best: flag down to 0.3 (3 positives, 4 negatives: 60 - 20); 8 cases stand for 800 a month.
    assert d.texts_["tp"].get_text().splitlines()[1] == "300 cases per month"
    assert d.texts_["tp"].get_text().splitlines()[-1] == "value 6,000 EUR per month"  # 3 x 100 x 20
    d2 = ConfusionMatrixDisplay.from_decision(decision, period="week", currency="USD", ax=ax)
    assert d2.texts_["tp"].get_text().splitlines()[-1] == "value 6,000 USD per week"


def test_set_threshold_and_update_rewrite_the_same_texts(ax):
    curve = toy_curve()
    d = ConfusionMatrixDisplay.from_point(curve.at(0.9), ax=ax)
    text = d.texts_["tp"]
    d.set_threshold(curve.at(0.0))
    assert d.texts_["tp"] is text
    assert text.get_text().splitlines()[1:] == ["3 cases in the data", "100.0% of positives"]
    d.update(value_model=am.ValueModel(tp=1), volume=16)
    assert text.get_text().splitlines()[1:] == ["6 cases per period", "100.0% of positives", "value 6 per period"]


def test_rates_without_positives_are_undefined():
    with pytest.warns(am.DegenerateWarning):
        curve = am.ThresholdCurve.from_scores(am.ScoreSet([0.1, 0.2], [0, 0]))
    rates = cell_rates(curve.point(1))
    assert math.isnan(rates["tp"]) and math.isnan(rates["fn"])
    assert rates["fp"] == 0.5
