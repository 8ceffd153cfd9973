"""ScoreDistributionDisplay: the plotted steps against numpy.histogram."""

import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from .plotting_data import LABELS, SCORES, toy_curve

import aipm_sim as am
from aipm_sim.core.errors import ParameterError
from aipm_sim.core.engine.curve import MSG_BINS
from aipm_sim.plotting import ScoreDistributionDisplay
from aipm_sim.plotting.distribution import CAPTION, X_LABEL

cases = st.lists(
    st.tuples(
        st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.5, 0.75, 0.9, 1.0]) | st.floats(0.001, 1.0),
        st.booleans(),
        st.floats(0.5, 3.0),
    ),
    min_size=2,
    max_size=60,
)


@settings(deadline=None, max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=cases, bins=st.integers(1, 12))
def test_plotted_steps_match_numpy_histogram(ax, data, bins):
    scores, labels, weights = (np.array(c) for c in zip(*data))
    if not (labels.any() and (~labels).any()):
        return  # degenerate data sets are the core's business
    curve = am.ThresholdCurve.from_scores(am.ScoreSet(scores, labels, weights=weights))
    d = ScoreDistributionDisplay.from_curve(curve, bins=bins, ax=ax)
    edges = d.positive_line_.get_data().edges
    lo, hi = scores.min(), scores.max()
    want_edges = np.linspace(lo, hi, bins + 1) if lo < hi else np.linspace(lo - 0.5, hi + 0.5, bins + 1)
    assert_allclose(edges, want_edges)
    # numpy.histogram: bins [a, b) with the last one closed.
    want_pos, _ = np.histogram(scores[labels], bins=want_edges, weights=weights[labels])
    want_neg, _ = np.histogram(scores[~labels], bins=want_edges, weights=weights[~labels])
    assert_allclose(d.positive_line_.get_data().values, want_pos, atol=1e-9)
    assert_allclose(d.negative_line_.get_data().values, want_neg, atol=1e-9)
    ax.clear()


def test_log_bins_leave_out_non_positive_scores(ax):
    curve = am.ThresholdCurve.from_scores(am.ScoreSet([0.0, 0.001, 0.01, 0.1, 1.0], [0, 0, 1, 0, 1]))
    d = ScoreDistributionDisplay.from_curve(curve, bins=3, xscale="log", ax=ax)
    assert_allclose(d.edges, [0.001, 0.01, 0.1, 1.0])
    assert d.positives.tolist() == [0, 1, 1] and d.negatives.tolist() == [1, 0, 1]


@pytest.mark.parametrize("bins", [0, -1, 2.5, True, "10"])
@pytest.mark.parametrize("xscale", ["linear", "log"])
def test_bins_must_be_a_positive_integer(bins, xscale):
    with pytest.raises(ParameterError, match="^" + re.escape(MSG_BINS.format(bins)) + "$"):
        ScoreDistributionDisplay.arrays_from_curve(toy_curve(), bins=bins, xscale=xscale)


def test_plotted_steps_threshold_and_words(ax):
    curve = toy_curve()
    d = ScoreDistributionDisplay.from_curve(curve, threshold=0.5, bins=9, ax=ax)
    edges = np.linspace(0.05, 0.95, 10)
    scores, labels = np.array(SCORES), np.array(LABELS, dtype=bool)
    assert_allclose(d.positive_line_.get_data().edges, edges)
    assert_array_equal(d.positive_line_.get_data().values, np.histogram(scores[labels], bins=edges)[0])
    assert_array_equal(d.negative_line_.get_data().values, np.histogram(scores[~labels], bins=edges)[0])
    assert_array_equal(d.threshold_line_.get_xdata(), [0.6, 0.6])  # curve.at(0.5) applies 0.6
    assert d.flagged_span_.get_x() == 0.6
    assert d.flagged_span_.get_width() == pytest.approx(0.95 - 0.6)
    assert ax.get_xlabel() == X_LABEL
    assert ax.get_ylabel() == "cases in the data"
    assert ax.get_title(loc="left") == CAPTION
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "flagged side", "negative cases", "positive cases", "current threshold"]


def test_volume_scales_counts_and_log_axis_shows_gaps(ax):
    curve = toy_curve()
    d = ScoreDistributionDisplay.from_curve(curve, bins=9, volume=80, log=True, ax=ax)
    pos, _ = np.histogram(np.array(SCORES)[np.array(LABELS, dtype=bool)], bins=np.linspace(0.05, 0.95, 10))
    want = np.where(pos > 0, pos * 10.0, np.nan)  # 80 cases per period / 8 cases in the data
    assert_array_equal(d.positive_line_.get_data().values, want)
    assert ax.get_yscale() == "log"
    assert ax.get_ylabel() == "cases per period (log scale)"  # no period named: none guessed
    named = ScoreDistributionDisplay.from_curve(curve, bins=9, volume=80, period="day")
    assert named.ax_.get_ylabel() == "cases per day"


def test_from_decision_counts_per_period_of_the_decision(ax):
    curve = toy_curve()
    decision = am.optimize(curve, am.ValueModel(tp=20, fp=-5), volume=80, period="month")
    d = ScoreDistributionDisplay.from_decision(decision, bins=9, ax=ax)
    scores, labels = np.array(SCORES), np.array(LABELS, dtype=bool)
    want, _ = np.histogram(scores[labels], bins=np.linspace(0.05, 0.95, 10))
    assert_allclose(d.positive_line_.get_data().values, want * 10)  # 80 a month / 8 cases in the data
    assert ax.get_ylabel() == "cases per month"
    assert_array_equal(d.threshold_line_.get_xdata(), [decision.threshold] * 2)


def test_from_scores_equals_from_curve(ax):
    scores = am.ScoreSet([0.2, 0.4, 0.9], [0, 1, 1])
    d = ScoreDistributionDisplay.from_scores(scores, bins=2, ax=ax)
    # Bins [0.2, 0.55) and [0.55, 0.9]: one positive in each, the negative in the first.
    assert_array_equal(d.positive_line_.get_data().values, [1, 1])
    assert_array_equal(d.negative_line_.get_data().values, [1, 0])


def test_update_replaces_the_steps_in_place(ax):
    d = ScoreDistributionDisplay.from_curve(toy_curve(), bins=4, ax=ax)
    patch = d.positive_line_
    other = am.ThresholdCurve.from_scores(am.ScoreSet([0.1, 0.2, 0.3], [1, 0, 1]))
    d.update(**ScoreDistributionDisplay.arrays_from_curve(other, bins=2))
    assert d.positive_line_ is patch
    assert_array_equal(patch.get_data().values, [1, 1])
    with pytest.raises(ParameterError, match="update needs edges, positives and negatives together"):
        d.update(edges=np.array([0.0, 1.0]))


def test_single_score_gets_a_visible_bin(ax):
    curve = am.BinormalModel(prevalence=0.1, auc=0.5).curve(n_cases=100)
    d = ScoreDistributionDisplay.from_curve(curve, bins=1, threshold=0.1, ax=ax)
    assert_allclose(d.positive_line_.get_data().values, [10.0])
    assert_allclose(d.positive_line_.get_data().edges, [-0.4, 0.6])


def test_log_axes_stop_six_decades_down(ax):
    curve = am.BinormalModel(prevalence=0.01, auc=0.8).curve(n_cases=10_000)
    d = ScoreDistributionDisplay.from_curve(curve, log=True, xscale="log", bins=20, ax=ax)
    top = curve.thresholds[1]
    assert d.edges[0] >= top * 1e-6 and d.edges[-1] == top
    lo, hi = ax.get_ylim()
    heights = np.concatenate([d.positives, d.negatives])
    assert lo == pytest.approx(heights.max() * 1e-6) and hi == pytest.approx(heights.max() * 3)
