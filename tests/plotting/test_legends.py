"""Every legend lists exactly the labelled artists that are drawn, and follows visibility changes."""

import math

import numpy as np
import pytest
from matplotlib.collections import Collection
from matplotlib.lines import AxLine, Line2D
from matplotlib.patches import Rectangle
from .plotting_data import big_curve, toy_curve

import aipm_sim as am
from aipm_sim.plotting import (
    MetricsCurveDisplay,
    PrecisionRecallDisplay,
    RocCurveDisplay,
    ScoreDistributionDisplay,
    ValueCurveDisplay,
)

MONEY = am.ValueModel(tp=10, fp=-3)


def legend_entries(ax):
    legend = ax.get_legend()
    return [] if legend is None else [t.get_text() for t in legend.get_texts()]


def draws_something(artist):
    """Independent of the package: does ``artist`` put anything on the axes?"""
    if not artist.get_visible():
        return False
    if isinstance(artist, AxLine):
        return True
    if isinstance(artist, Line2D):
        xy = np.asarray(artist.get_xydata(), dtype=float)
        return any(math.isfinite(x) and math.isfinite(y) for x, y in xy)
    if isinstance(artist, Rectangle):
        return math.isfinite(artist.get_x()) and math.isfinite(artist.get_width()) and artist.get_width() > 0
    if isinstance(artist, Collection):
        return len(artist.get_paths()) > 0
    return True


def drawn_labels(ax):
    """Labels of the labelled artists that draw something, as a set (legend order is the display's choice)."""
    artists = [*ax.lines, *ax.patches, *ax.collections]
    return {a.get_label() for a in artists if not a.get_label().startswith("_") and draws_something(a)}


def assert_legend_matches(ax):
    entries = legend_entries(ax)
    assert len(entries) == len(set(entries))
    assert set(entries) == drawn_labels(ax)


def test_metrics_without_threshold_or_optimum(ax):
    d = MetricsCurveDisplay.from_curve(toy_curve(), ax=ax)
    assert "best threshold" not in legend_entries(ax) and "current threshold" not in legend_entries(ax)
    assert_legend_matches(ax)
    d.set_threshold(toy_curve().at(0.5))
    assert "current threshold" in legend_entries(ax)
    assert_legend_matches(ax)
    d.set_optimum(0.6)
    assert "best threshold" in legend_entries(ax)
    assert_legend_matches(ax)
    d.update(optimum_threshold=None)  # e.g. no threshold meets the rules any more
    assert "best threshold" not in legend_entries(ax)
    assert_legend_matches(ax)
    d.set_threshold(None)
    assert "current threshold" not in legend_entries(ax)
    assert_legend_matches(ax)


def test_metrics_from_decision_lists_both_lines(ax):
    MetricsCurveDisplay.from_decision(am.optimize(toy_curve(), MONEY), ax=ax)
    assert {"best threshold", "current threshold"} <= set(legend_entries(ax))
    assert_legend_matches(ax)


def test_roc_without_value_model_or_optimum(ax):
    d = RocCurveDisplay.from_curve(toy_curve(), threshold=0.5, ax=ax)
    entries = legend_entries(ax)
    assert "same value as the current threshold" not in entries  # no value model: no iso-value line
    assert "best threshold" not in entries and "current threshold" in entries
    assert_legend_matches(ax)
    d.update(iso_slope=1.0)
    assert "same value as the current threshold" in legend_entries(ax)
    assert_legend_matches(ax)
    d.set_threshold(None)
    assert "current threshold" not in legend_entries(ax)
    assert "same value as the current threshold" not in legend_entries(ax)
    assert_legend_matches(ax)


def test_roc_and_pr_from_decision(ax):
    decision = am.optimize(toy_curve(), MONEY)
    RocCurveDisplay.from_decision(decision, ax=ax)
    assert {"best threshold", "current threshold", "same value as the current threshold"} <= set(legend_entries(ax))
    assert_legend_matches(ax)


def test_pr_without_threshold_or_optimum(ax):
    d = PrecisionRecallDisplay.from_curve(toy_curve(), ax=ax)
    entries = legend_entries(ax)
    assert "best threshold" not in entries and "current threshold" not in entries
    assert_legend_matches(ax)
    d.update(optimum=toy_curve().at(0.6))
    d.set_threshold(toy_curve().at(0.3))
    assert {"best threshold", "current threshold"} <= set(legend_entries(ax))
    assert_legend_matches(ax)
    d.update(prevalence=None)
    assert "flagging at random (prevalence)" not in legend_entries(ax)
    assert_legend_matches(ax)


def test_distribution_without_threshold(ax):
    d = ScoreDistributionDisplay.from_curve(toy_curve(), ax=ax)
    entries = legend_entries(ax)
    assert "flagged side" not in entries and "current threshold" not in entries
    assert_legend_matches(ax)
    d.set_threshold(toy_curve().at(0.5))
    assert {"flagged side", "current threshold"} <= set(legend_entries(ax))
    assert_legend_matches(ax)
    d.set_threshold(toy_curve().point(0))  # flag nothing (+inf): no flagged side to show
    assert "flagged side" not in legend_entries(ax)
    assert_legend_matches(ax)


def test_distribution_legend_goes_where_it_hides_the_least(ax):
    ScoreDistributionDisplay.from_curve(toy_curve(), threshold=0.5, ax=ax)
    assert ax.get_legend()._loc == 0  # "best"


def test_value_without_optimum_band_or_rules(ax):
    curve = toy_curve()
    values = MONEY.value(curve)
    d = ValueCurveDisplay(thresholds=curve.thresholds, values=values).plot(ax=ax)
    assert legend_entries(ax) == ["value in the data"]
    assert_legend_matches(ax)
    d.set_threshold(curve.at(0.5))
    assert legend_entries(ax) == ["value in the data", "current threshold"]
    assert_legend_matches(ax)


def test_value_legend_follows_the_explorers_updates(ax):
    curve = big_curve(3000)
    decision = am.optimize(curve, am.ValueModel(tp=50, fp=-5), min_recall=0.3)
    d = ValueCurveDisplay.from_decision(decision, ax=ax)
    assert {"best threshold", "breaks a rule", "within 1% of the best"} <= set(legend_entries(ax))
    assert_legend_matches(ax)
    # No threshold meets the rules: no star, no band; the grey areas stay.
    d.update(optimum_index=None, band=None, feasible=np.zeros(len(curve), bool))
    assert "best threshold" not in legend_entries(ax) and "within 1% of the best" not in legend_entries(ax)
    assert "breaks a rule" in legend_entries(ax)
    assert_legend_matches(ax)
    d.update(feasible=None)
    assert "breaks a rule" not in legend_entries(ax)
    assert_legend_matches(ax)


@pytest.mark.parametrize("scale", ["linear", "log"])
def test_every_display_from_a_decision_matches(scale):
    import matplotlib.pyplot as plt

    curve = am.BinormalModel(prevalence=0.01, auc=0.8).curve(n_cases=10_000)
    decision = am.optimize(curve, am.ValueModel(tp=-5, fp=-5, fn=-200), volume=10_000, min_recall=0.5)
    displays = [
        ValueCurveDisplay.from_decision(decision, xscale=scale),
        MetricsCurveDisplay.from_decision(decision, xscale=scale),
        ScoreDistributionDisplay.from_decision(decision, xscale=scale, log=True),
        PrecisionRecallDisplay.from_decision(decision),
        RocCurveDisplay.from_decision(decision),
    ]
    for d in displays:
        assert_legend_matches(d.ax_)
    plt.close("all")
