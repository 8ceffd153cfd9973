"""MetricsCurveDisplay: precision, recall, F1 and alert rate against the threshold."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from .plotting_data import LABELS, SCORES, big_curve, brute_cells, toy_curve

import aipm_sim as am
from aipm_sim.core.errors import ParameterError
from aipm_sim.plotting import MetricsCurveDisplay
from aipm_sim.plotting.metrics import CAPTION, METRIC_LABELS, MSG_UPDATE_TOGETHER, X_LABEL, Y_LABEL


def test_lines_are_the_curve_arrays_and_match_brute_force(ax):
    curve = toy_curve()
    d = MetricsCurveDisplay.from_curve(curve, ax=ax)
    rows = np.arange(1, len(curve))  # every finite threshold; +inf is not drawn
    assert_array_equal(d.rows_, rows)
    for name, line in d.lines_.items():
        xy = line.get_xydata()
        assert_array_equal(xy[:, 0], curve.thresholds[rows])
        assert_array_equal(xy[:, 1], getattr(curve, name)[rows])
    # Independent check of what is drawn: counts by a loop over cases.
    for (t, p), (_, r), (_, f1), (_, ar) in zip(*(d.lines_[n].get_xydata() for n in METRIC_LABELS)):
        tp, fp, fn, tn = brute_cells(SCORES, LABELS, t)
        assert p == pytest.approx(tp / (tp + fp))
        assert r == pytest.approx(tp / (tp + fn))
        assert f1 == pytest.approx(2 * tp / (2 * tp + fp + fn))
        assert ar == pytest.approx((tp + fp) / len(SCORES))


def test_words_legend_and_caption(ax):
    d = MetricsCurveDisplay.from_curve(toy_curve(), ax=ax)
    assert ax.get_xlabel() == X_LABEL
    assert ax.get_ylabel() == Y_LABEL
    assert ax.get_title(loc="left") == CAPTION
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == list(METRIC_LABELS.values())  # no threshold and no optimum given: neither is listed
    d.set_threshold(toy_curve().at(0.5))
    d.set_optimum(0.6)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [*METRIC_LABELS.values(), "best threshold", "current threshold"]
    assert d.line_ is d.lines_["precision"]
    assert d.figure_ is ax.figure and d.ax_ is ax


def test_current_threshold_and_optimum_are_marked(ax):
    curve = toy_curve()
    decision = am.optimize(curve, am.ValueModel(tp=10, fp=-3))
    d = MetricsCurveDisplay.from_decision(decision, threshold=0.35, ax=ax)
    point = curve.at(0.35)
    assert point.threshold == 0.4  # the row that applies: scores 0.95, 0.8, 0.6, 0.6, 0.4 flagged
    assert_array_equal(d.threshold_line_.get_xdata(), [0.4, 0.4])
    assert_array_equal(d.optimum_line_.get_xdata(), [decision.threshold] * 2)
    assert d.optimum_line_.get_visible()
    xy = d.markers_.get_xydata()
    assert_array_equal(xy[:, 0], [0.4] * 4)
    assert_allclose(xy[:, 1], [point.precision, point.recall, point.f1, point.alert_rate])


def test_without_point_or_optimum_nothing_is_marked(ax):
    d = MetricsCurveDisplay.from_curve(toy_curve(), ax=ax)
    assert not d.threshold_line_.get_visible()
    assert not d.optimum_line_.get_visible()
    assert d.markers_.get_xydata().size == 0


def test_flag_nothing_is_drawn_at_the_right_end(ax):
    curve = toy_curve()
    with pytest.warns(am.DegenerateWarning, match="flags no case"):
        d = MetricsCurveDisplay.from_curve(curve, threshold=2.0, optimum_threshold=np.inf, ax=ax)
    assert_array_equal(d.threshold_line_.get_xdata(), [0.95, 0.95])
    assert_array_equal(d.optimum_line_.get_xdata(), [0.95, 0.95])


def test_set_threshold_and_update_move_artists_in_place(ax):
    curve = toy_curve()
    d = MetricsCurveDisplay.from_curve(curve, threshold=0.9, ax=ax)
    lines_before = list(ax.lines)
    d.set_threshold(curve.at(0.25))
    assert_array_equal(d.threshold_line_.get_xdata(), [0.3, 0.3])
    other = big_curve(500)
    d.update(**MetricsCurveDisplay.arrays_from_curve(other), optimum_threshold=0.5)
    assert list(ax.lines) == lines_before  # same artists, new data
    assert_array_equal(d.lines_["recall"].get_xydata()[:, 1], other.recall[d.rows_])
    assert_array_equal(d.optimum_line_.get_xdata(), [0.5, 0.5])
    d.update(optimum_threshold=None)
    assert not d.optimum_line_.get_visible()


def test_update_needs_all_arrays_together(ax):
    d = MetricsCurveDisplay.from_curve(toy_curve(), ax=ax)
    with pytest.raises(ParameterError, match=MSG_UPDATE_TOGETHER):
        d.update(thresholds=np.array([np.inf, 1.0]))


def test_large_curves_are_thinned_to_rows_of_the_curve(ax):
    curve = big_curve()
    d = MetricsCurveDisplay.from_curve(curve, ax=ax, max_points=300)
    assert d.rows_.size <= 300 + 2
    assert d.rows_[0] == 1 and d.rows_[-1] == len(curve) - 1
    xy = d.lines_["alert_rate"].get_xydata()
    assert_array_equal(xy[:, 0], curve.thresholds[d.rows_])
    assert_array_equal(xy[:, 1], curve.alert_rate[d.rows_])


def test_log_scale_leaves_out_non_positive_scores(ax):
    curve = am.ThresholdCurve.from_scores(am.ScoreSet([-1.0, 0.0, 0.01, 0.1, 1.0], [0, 0, 1, 0, 1]))
    d = MetricsCurveDisplay.from_curve(curve, ax=ax, xscale="log")
    assert ax.get_xscale() == "log"
    assert curve.thresholds[d.rows_].tolist() == [1.0, 0.1, 0.01]


def test_log_scale_needs_a_positive_threshold(ax):
    curve = am.ThresholdCurve.from_scores(am.ScoreSet([-2.0, -1.0], [0, 1]))
    with pytest.raises(ParameterError, match="xscale 'log' needs positive thresholds; the lowest threshold on this curve is -2.0"):
        MetricsCurveDisplay.from_curve(curve, ax=ax, xscale="log")


def test_bad_scale_is_named():
    with pytest.raises(ParameterError, match="^xscale must be 'linear' or 'log'; found 'logit'$"):
        MetricsCurveDisplay(**MetricsCurveDisplay.arrays_from_curve(toy_curve()), xscale="logit")


def test_plot_without_ax_makes_a_figure():
    d = MetricsCurveDisplay.from_curve(toy_curve())
    assert d.ax_.figure is d.figure_


def test_kwargs_reach_the_lines(ax):
    d = MetricsCurveDisplay.from_curve(toy_curve(), ax=ax, linewidth=4)
    assert all(line.get_linewidth() == 4 for line in d.lines_.values())
