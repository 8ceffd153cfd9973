"""ValueCurveDisplay: money against the threshold, the optimum, its band and the constraints."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_array_equal
from .plotting_data import AMOUNTS, LABELS, SCORES, big_curve, brute_value, toy_curve

import aipm_sim as am
from aipm_sim.core.errors import ParameterError
from aipm_sim.plotting import ValueCurveDisplay
from aipm_sim.plotting._base import MSG_POINT_NOT_A_ROW
from aipm_sim.plotting.value import CAPTION, MSG_LENGTHS, X_LABEL, infeasible_spans

MONEY = am.ValueModel(tp=-5, fp=-5, fn_amount=-1.0)


def test_value_line_matches_a_case_by_case_sum(ax):
    curve = toy_curve(amounts=True)
    decision = am.optimize(curve, MONEY)
    d = ValueCurveDisplay.from_decision(decision, ax=ax)
    xy = d.line_.get_xydata()
    assert_array_equal(xy[:, 0], curve.thresholds[1:])
    assert_array_equal(xy[:, 1], decision.values[1:])
    for t, v in xy:
        assert v == pytest.approx(brute_value(MONEY, SCORES, LABELS, t, AMOUNTS))


def test_optimum_star_and_label(ax):
    curve = toy_curve(amounts=True)
    decision = am.optimize(curve, MONEY)
    d = ValueCurveDisplay.from_decision(decision, ax=ax)
    # Brute force: the best of every distinct threshold (and of flagging nothing).
    candidates = [np.inf, *sorted(set(SCORES), reverse=True)]
    best = max(candidates, key=lambda t: brute_value(MONEY, SCORES, LABELS, t, AMOUNTS))
    assert d.optimum_marker_.get_xydata().tolist() == [[best, decision.value]]
    assert decision.value == pytest.approx(-30.0)
    assert d.optimum_text_.get_text() == "best: \N{MINUS SIGN}30"  # the shared money format
    assert d.point_marker_.get_xydata().tolist() == [[best, decision.value]]


def test_units_words_and_caption(ax):
    decision = am.optimize(toy_curve(), am.ValueModel(tp=10, fp=-3), volume=500)
    ValueCurveDisplay.from_decision(decision, ax=ax, period="week", currency="EUR")
    assert ax.get_ylabel() == "value per week (EUR)"
    assert ax.get_xlabel() == X_LABEL
    assert ax.get_title(loc="left") == CAPTION
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["value per week", "best threshold", "current threshold", "within 1% of the best"]


def test_from_decision_labels_with_the_decisions_period_and_currency(ax):
    decision = am.optimize(toy_curve(), am.ValueModel(tp=10, fp=-3), volume=500, period="month", currency="EUR")
    ValueCurveDisplay.from_decision(decision, ax=ax)
    assert ax.get_ylabel() == "value per month (EUR)"
    assert [t.get_text() for t in ax.get_legend().get_texts()][0] == "value per month"
    unnamed = am.optimize(toy_curve(), am.ValueModel(tp=10, fp=-3), volume=500)
    ValueCurveDisplay.from_decision(unnamed, ax=ax)
    assert ax.get_ylabel() == "value per period (currency)"  # never a guessed "per day"
    ValueCurveDisplay.from_curve(toy_curve(), am.ValueModel(tp=10, fp=-3), volume=500, period="day", ax=ax)
    assert ax.get_ylabel() == "value per day (currency)"


def test_total_value_label_without_volume(ax):
    ValueCurveDisplay.from_decision(am.optimize(toy_curve(), am.ValueModel(tp=10, fp=-3)), ax=ax)
    assert ax.get_ylabel() == "total value of the data's cases (currency)"


def test_near_optimal_band_is_shaded_between_its_thresholds(ax):
    curve = big_curve(5000)
    decision = am.optimize(curve, am.ValueModel(tp=50, fp=-5), tolerance=0.05)
    d = ValueCurveDisplay.from_decision(decision, ax=ax)
    band = decision.near_optimal
    assert d.band_.get_visible()
    assert d.band_.get_x() == band.threshold_low
    assert d.band_.get_width() == pytest.approx(band.threshold_high - band.threshold_low)
    assert d.band_.get_label() == "within 5% of the best"


def test_infeasible_regions_are_exactly_the_rows_that_break_a_constraint(ax):
    curve = big_curve(3000)
    decision = am.optimize(curve, am.ValueModel(tp=50, fp=-5), min_recall=0.3, max_alert_rate=0.2)
    d = ValueCurveDisplay.from_decision(decision, ax=ax)
    spans = [(p.vertices[:, 0].min(), p.vertices[:, 0].max()) for p in d.infeasible_.get_paths()]
    assert spans and "breaks a rule" in [t.get_text() for t in ax.get_legend().get_texts()]
    rng = np.random.default_rng(0)
    finite = curve.thresholds[1:]
    for x in rng.uniform(finite.min(), finite.max(), 400):
        row = curve.index_at(x)
        shaded = any(lo < x <= hi for lo, hi in spans)
        assert shaded == (not decision.feasible[row]), x


def test_infeasible_spans_toy():
    t = np.array([np.inf, 5.0, 4.0, 3.0, 2.0, 1.0])
    feasible = np.array([False, False, True, True, False, False])
    # Row i applies to thresholds in (t[i+1], t[i]]: rows 0-1 to those above 4 (up to the right
    # end), rows 4-5 to those up to 2 (down to the left end).
    assert infeasible_spans(t, feasible, right=6.0, left=0.5) == [(4.0, 6.0), (0.5, 2.0)]
    assert infeasible_spans(t, np.ones(6, bool)) == []
    assert infeasible_spans(t, np.array([True, True, False, True, True, True])) == [(3.0, 4.0)]


@given(st.lists(st.booleans(), min_size=2, max_size=40))
def test_infeasible_spans_cover_each_infeasible_row(mask):
    m = len(mask)
    t = np.concatenate([[np.inf], np.arange(m - 1, 0, -1, dtype=float)])
    spans = infeasible_spans(t, mask, right=float(m), left=0.0)
    for i in range(m):
        # A threshold strictly inside row i's interval (t[i+1], t[i]].
        hi = float(m) if i == 0 else t[i]
        lo = t[i + 1] if i + 1 < m else 0.0
        x = (lo + hi) / 2
        assert any(a < x <= b for a, b in spans) == (not mask[i])


def test_update_moves_artists_in_place_and_hides_what_is_gone(ax):
    curve = toy_curve()
    d = ValueCurveDisplay.from_decision(am.optimize(curve, am.ValueModel(tp=10, fp=-3), min_recall=0.9), ax=ax)
    line = d.line_
    assert len(d.infeasible_.get_paths()) > 0
    new = am.optimize(curve, am.ValueModel(tp=1, fp=-3))
    d.update(values=new.values, feasible=None, optimum_index=None, band=None)
    assert d.line_ is line
    assert_array_equal(line.get_xydata()[:, 1], new.values[1:])
    assert len(d.infeasible_.get_paths()) == 0
    assert not d.band_.get_visible()
    assert not d.optimum_text_.get_visible()
    d.set_threshold(curve.at(0.5))
    assert_array_equal(d.threshold_line_.get_xdata(), [0.6, 0.6])
    assert d.point_marker_.get_xydata().tolist() == [[0.6, new.values[curve.index_at(0.5)]]]


def test_lengths_must_agree():
    with pytest.raises(ParameterError, match=MSG_LENGTHS.format([3, 2]).replace("[", r"\[").replace("]", r"\]")):
        ValueCurveDisplay(thresholds=np.array([np.inf, 1.0, 0.5]), values=np.array([0.0, 1.0]))


def test_from_curve_optimises_with_constraints(ax):
    curve = toy_curve()
    d = ValueCurveDisplay.from_curve(curve, am.ValueModel(tp=10, fp=-3), volume=100, min_recall=1.0, ax=ax)
    want = am.optimize(curve, am.ValueModel(tp=10, fp=-3), volume=100, min_recall=1.0)
    assert d.optimum_index == want.index
    assert_array_equal(d.values, want.values)


def test_flat_value_does_not_break_the_axis(ax):
    d = ValueCurveDisplay.from_decision(am.optimize(toy_curve(), am.ValueModel()), ax=ax)
    lo, hi = ax.get_ylim()
    assert lo < 0 < hi
    assert d.optimum_marker_.get_xydata().tolist() == [[0.95, 0.0]]  # ties go to flagging nothing


# -------------------------------------------------------------------- readability
def test_caption_does_not_promise_the_star_at_the_peak(ax):
    # A binding rule puts the star away from the peak: the caption must still be true.
    decision = am.optimize(big_curve(3000), am.ValueModel(tp=50, fp=-5), max_alert_rate=0.05)
    d = ValueCurveDisplay.from_decision(decision, ax=ax)
    assert decision.binding and decision.value < decision.unconstrained_value
    assert "peak" not in CAPTION.lower() and "star" in CAPTION.lower() and "rule" in CAPTION
    assert d.caption_.get_text() == CAPTION


def test_threshold_line_does_not_look_like_the_value_line(ax):
    decision = am.optimize(toy_curve(), am.ValueModel(tp=10, fp=-3), volume=500)
    d = ValueCurveDisplay.from_decision(decision, ax=ax)
    value, threshold = d.line_, d.threshold_line_
    assert (threshold.get_linestyle(), threshold.get_color()) != (value.get_linestyle(), value.get_color())
    assert threshold.get_linestyle() == "--"


@pytest.mark.parametrize("scale", ["linear", "log"])
def test_best_label_sits_beside_the_star_not_on_the_threshold_line(ax, scale):
    curve = am.BinormalModel(prevalence=0.01, auc=0.8).curve(n_cases=10_000)
    decision = am.optimize(curve, am.ValueModel(tp=-5, fp=-5, fn=-200), volume=10_000, min_recall=0.5)
    d = ValueCurveDisplay.from_decision(decision, ax=ax, xscale=scale)  # opens at the optimum
    ax.figure.canvas.draw()
    box = d.optimum_text_.get_window_extent()
    line_x = ax.transData.transform((decision.threshold, 0))[0]
    assert not box.x0 <= line_x <= box.x1  # the vertical threshold line misses the text
    assert d.optimum_text_.get_bbox_patch() is not None  # a white box keeps it readable over the zero line


def test_a_narrow_band_is_drawn_at_least_the_minimum_width(ax):
    from aipm_sim.plotting.value import MIN_BAND_WIDTH

    curve = am.BinormalModel(prevalence=0.01, auc=0.8).curve(n_cases=10_000)
    decision = am.optimize(curve, am.ValueModel(tp=-5, fp=-5, fn=-200), volume=10_000, tolerance=0.0)
    band = decision.near_optimal
    assert band.rows == 1 and band.threshold_low == band.threshold_high  # one row: zero wide
    d = ValueCurveDisplay.from_decision(decision, ax=ax, xscale="log")
    to_axes = ax.transScale + ax.transLimits
    (a, _), (b, _) = to_axes.transform([(d.band_.get_x(), 0), (d.band_.get_x() + d.band_.get_width(), 0)])
    assert b - a == pytest.approx(MIN_BAND_WIDTH)
    assert d.band_.get_x() < band.threshold_low < d.band_.get_x() + d.band_.get_width()  # around the band


@pytest.mark.parametrize("scale", ["linear", "log"])
def test_threshold_axis_range(ax, scale):
    curve = am.BinormalModel(prevalence=0.01, auc=0.8).curve(n_cases=10_000)
    decision = am.optimize(curve, am.ValueModel(tp=-5, fp=-5, fn=-200), volume=10_000)
    d = ValueCurveDisplay.from_decision(decision, ax=ax, xscale=scale, xlim=(1e-4, 0.5))
    assert ax.get_xlim() == (1e-4, 0.5)
    x = d.line_.get_xdata()
    # Only rows in view are drawn, plus one beyond each end so the line reaches the edges.
    assert (x < 1e-4).sum() == 1 and (x > 0.5).sum() == 1
    ValueCurveDisplay.from_decision(decision, ax=ax, xscale=scale)
    lo, hi = ax.get_xlim()
    finite = curve.thresholds[np.isfinite(curve.thresholds)]
    assert hi == finite.max()
    assert lo == (finite.min() if scale == "linear" else finite[finite >= finite.max() * 1e-6].min())


def test_a_point_that_is_not_a_row_of_the_curve_is_refused():
    # BinormalModel.point is exact but belongs to no curve row: drawing it at a row would be wrong.
    model = am.BinormalModel(prevalence=0.05, auc=0.8)
    display = ValueCurveDisplay.from_curve(model.curve(n_thresholds=50), am.ValueModel(tp=10, fp=-1))
    exact = model.point(0.2)
    with pytest.raises(ParameterError) as info:
        display.set_threshold(exact)
    assert str(info.value) == MSG_POINT_NOT_A_ROW.format(0.2)


def test_focus_follows_the_values_around_the_decision(ax):
    # Values from -5,000,000 up to -190 at the best row; flagging nothing (row 0) is -265.
    values = np.array([-265.0, -230.0, -190.0, -400.0, -5_000_000.0])
    d = ValueCurveDisplay(thresholds=np.array([np.inf, 0.8, 0.5, 0.2, 0.0]), values=values, optimum_index=2)
    d.plot(ax=ax).focus()
    low, high = ax.get_ylim()
    # By hand: the gain over nothing is 75; 3 of it below the best is -415; the top leaves the legend room.
    assert low == pytest.approx(-190 - 3 * 75) and high == pytest.approx(-190 + 0.45 * 225)
    assert high < 0 and "cut off" in d.caption_.get_text()
