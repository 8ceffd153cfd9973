"""Binned curves in memory: exact at every edge (brute force and the exact curve), the grid, the resolution."""

import math
import re
import warnings

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from scipy.special import expit, logit

import aipm_sim as am
from aipm_sim.core.engine.binned import (LOGIT_CLIP, MSG_GRID, MSG_GRID_EDGES, BinnedCurve, bin_sums,
                                         grid_edges)
from aipm_sim.core.errors import DegenerateWarning, ParameterError


def exactly(message):
    return "^" + re.escape(message) + "$"


def brute_at(scores, labels, weights, amounts, t):
    """(tp, fp, tp_amount, fp_amount) of flagging score >= t, by a loop over the rows."""
    tp = fp = tpa = fpa = 0.0
    for s, y, w, a in zip(scores, labels, weights, amounts):
        if s >= t:
            if y:
                tp += w
                tpa += w * a
            else:
                fp += w
                fpa += w * a
    return tp, fp, tpa, fpa


# Dyadic weights (quarters) and whole amounts: every sum is exact in float64, in any order.
rows = st.lists(st.tuples(st.integers(0, 12).map(lambda k: k / 12), st.booleans(),
                          st.integers(1, 8).map(lambda k: k / 4), st.integers(0, 50).map(float)),
                min_size=1, max_size=60)


def score_set(data):
    s, y, w, a = (np.array(c) for c in zip(*data))
    return am.ScoreSet(s, y, weights=w, amounts=a)


@given(rows, st.integers(2, 20) | st.lists(st.integers(-2, 14).map(lambda k: k / 12), min_size=1,
                                            max_size=8, unique=True).map(sorted))
def test_binned_equals_the_exact_curve_and_brute_force_at_every_edge(data, grid):
    ss = score_set(data)
    with warnings.catch_warnings():  # single-class data warns; that is tested elsewhere
        warnings.simplefilter("ignore", DegenerateWarning)
        exact = am.ThresholdCurve.from_scores(ss)
        binned = am.ThresholdCurve.from_scores(ss, grid=grid)
    assert isinstance(binned, BinnedCurve)
    assert binned.thresholds[0] == math.inf
    assert_array_equal(binned.thresholds[1:], binned.bin_edges[::-1])
    rows_ = exact.index_at(binned.thresholds)
    assert_array_equal(binned.tp, exact.tp[rows_])
    assert_array_equal(binned.fp, exact.fp[rows_])
    assert_array_equal(binned.tp_amount, exact.tp_amount[rows_])
    assert_array_equal(binned.fp_amount, exact.fp_amount[rows_])
    assert (binned.positives, binned.negatives) == (exact.positives, exact.negatives)
    assert (binned.positive_amount, binned.negative_amount) == (exact.positive_amount, exact.negative_amount)
    for i, t in enumerate(binned.thresholds):
        assert (binned.tp[i], binned.fp[i], binned.tp_amount[i], binned.fp_amount[i]) == brute_at(
            ss.scores, ss.labels, ss.weights, ss.amounts, t)


def test_binned_with_float_weights_matches_the_exact_curve_to_rounding():
    rng = np.random.default_rng(3)
    n = 20_000
    s = rng.beta(0.4, 30, n)
    y = rng.random(n) < 0.02
    ss = am.ScoreSet(s, y, weights=rng.uniform(0.5, 2, n), amounts=rng.gamma(2, 40, n))
    exact = am.ThresholdCurve.from_scores(ss)
    binned = am.ThresholdCurve.from_scores(ss, grid=1000)
    r = exact.index_at(binned.thresholds)
    for name in ("tp", "fp", "tp_amount", "fp_amount"):
        assert_allclose(getattr(binned, name), getattr(exact, name)[r], rtol=1e-12, atol=1e-9)
    # The last edge is the lowest score: every case is flagged there.
    assert binned.thresholds[-1] == s.min()
    assert_allclose(binned.alerts[-1], binned.n_cases, rtol=1e-12)


def test_resolution_is_the_share_of_the_fullest_bin_by_hand():
    # Edges 0.15 and 0.25; bins: below 0.15 {0.1}, [0.15, 0.25) {0.2, 0.2}, at or above 0.25 {0.3, 0.9}.
    # Weights 1, 2, 1, 1, 3: the bins hold 1, 3 and 4 of the 8 weighted cases.
    ss = am.ScoreSet([0.1, 0.2, 0.2, 0.3, 0.9], [0, 1, 0, 0, 1], weights=[1, 2, 1, 1, 3])
    curve = am.ThresholdCurve.from_scores(ss, grid=[0.15, 0.25])
    assert curve.resolution == 4 / 8
    assert_array_equal(curve.tp, [0, 3, 5])  # 0.9 (weight 3); then also 0.2 (weight 2)
    assert_array_equal(curve.fp, [0, 1, 2])  # 0.3; then also 0.2
    assert curve.positives == 5 and curve.negatives == 3  # 0.1 (a negative) is below every edge
    # Unweighted, the middle and top bins hold 2 of 5 each.
    curve = am.ThresholdCurve.from_scores(am.ScoreSet(ss.scores, ss.labels), grid=[0.15, 0.25])
    assert curve.resolution == 2 / 5


def test_grid_k_on_probabilities_is_evenly_spaced_in_log_odds():
    edges, _ = grid_edges(101, 0.001, 0.5)
    assert edges[0] == 0.001 and edges[-1] == 0.5
    assert_allclose(np.diff(logit(edges)), (logit(0.5) - logit(0.001)) / 100, rtol=1e-9)
    # A score of exactly 0 or 1 is the end edge itself; the log-odds inside are clipped.
    edges, _ = grid_edges(5, 0.0, 1.0)
    assert edges[0] == 0.0 and edges[-1] == 1.0
    assert_allclose(edges[1:-1], expit(np.linspace(logit(LOGIT_CLIP), logit(1 - LOGIT_CLIP), 5))[1:-1])


def test_scores_of_exactly_0_or_1_do_not_spread_the_log_odds_grid():
    # A few scores of exactly 0 and 1 among scores in [0.001, 0.3]: the log-odds spacing runs between the
    # smallest score above 0 and the largest below 1, not over +-27.6 (the clip), where no case is.
    edges, _ = grid_edges(6, 0.0, 1.0, inner=(0.001, 0.3))
    assert edges[0] == 0.0 and edges[-1] == 1.0
    assert_allclose(edges[1:-1], expit(np.linspace(logit(0.001), logit(0.3), 6))[1:-1], rtol=1e-12)
    edges, _ = grid_edges(5, 0.0, 1.0, inner=(math.nan, math.nan))  # nothing strictly inside: the clip
    assert_allclose(edges[1:-1], expit(np.linspace(logit(LOGIT_CLIP), logit(1 - LOGIT_CLIP), 5))[1:-1])
    rng = np.random.default_rng(4)
    scores = np.concatenate([[0.0] * 5, [1.0] * 5, rng.uniform(0.001, 0.3, 990)])
    labels = np.arange(scores.size) % 10 == 0
    curve = am.ThresholdCurve.from_scores(am.ScoreSet(scores, labels), grid=30)
    inside = np.sort(curve.bin_edges)[1:-1]
    assert inside.min() > 0.0009 and inside.max() < 0.31  # every inner edge among the cases
    # the fullest bin, by hand (bins: below the first edge, between edges, at or above the last)
    def fullest(edges):
        return np.bincount(np.searchsorted(edges, scores, side="right"), minlength=edges.size + 1).max() / scores.size

    assert curve.resolution == fullest(np.sort(curve.bin_edges))
    clipped, _ = grid_edges(30, 0.0, 1.0)  # the old spacing, clipped at 1e-12: coarser
    assert fullest(clipped) > 2 * curve.resolution


def test_grid_k_on_margins_is_evenly_spaced():
    edges, _ = grid_edges(5, -2.0, 6.0)
    assert_array_equal(edges, [-2.0, 0.0, 2.0, 4.0, 6.0])
    edges, _ = grid_edges(7, 3.0, 3.0)  # one score: one edge
    assert_array_equal(edges, [3.0])


@given(st.lists(st.floats(-1e6, 1e6) | st.floats(0, 1) | st.sampled_from([0.0, 1.0, 0.5, 1e-300, 1 - 1e-16]),
                min_size=1, max_size=200), st.integers(2, 40))
@example([0.0, -2.2250738585e-313], 2)  # a subnormal range: its inverse step overflows to inf
def test_the_fast_bin_guess_gives_the_bins_of_a_search(scores, k):
    s = np.array(scores)
    y = np.arange(len(s)) % 2 == 0
    edges, guess = grid_edges(k, float(s.min()), float(s.max()))
    fast = bin_sums(s, y, edges, guess)
    # The oracle: numpy's searchsorted (the number of edges <= each score) and a count per bin.
    b = np.searchsorted(edges, s, side="right")
    assert_array_equal(fast[0], np.bincount(b[y], minlength=len(edges) + 1))
    assert_array_equal(fast[1], np.bincount(b[~y], minlength=len(edges) + 1))


def test_binned_curve_warns_like_the_exact_one_and_reads_like_a_curve():
    ss = am.ScoreSet([0.1, 0.4, 0.7], [1, 1, 1])
    with pytest.warns(DegenerateWarning):
        curve = am.ThresholdCurve.from_scores(ss, grid=[0.1, 0.4, 0.7])
    assert repr(curve).startswith("BinnedCurve(3 thresholds, 3 cases")
    point = curve.at(0.4)
    assert point.tp == 2 and point.threshold == 0.4
    # Between two edges the answer comes from the edge at or above (the grid's resolution).
    point = curve.at(0.5)
    assert point.tp == 1 and point.threshold == 0.7


@pytest.mark.parametrize(("grid", "message"), [
    (1, MSG_GRID.format(1)),
    (True, MSG_GRID.format(True)),
    (2.5, MSG_GRID.format(2.5)),
    ("10", MSG_GRID.format("10")),
    ([], MSG_GRID.format([])),
    ([[0.1, 0.2]], MSG_GRID.format([[0.1, 0.2]])),
    (["a"], MSG_GRID.format(["a"])),
    ([0.2, 0.1], MSG_GRID_EDGES.format(0.2, 0.1, 1)),
    ([0.1, 0.1], MSG_GRID_EDGES.format(0.1, 0.1, 1)),
    ([math.nan, 0.5], MSG_GRID_EDGES.format(None, math.nan, 0)),
    ([0.1, math.inf], MSG_GRID_EDGES.format(0.1, math.inf, 1)),
])
def test_bad_grids_are_refused(grid, message):
    ss = am.ScoreSet([0.1, 0.4], [0, 1])
    with pytest.raises(ParameterError, match=exactly(message)):
        am.ThresholdCurve.from_scores(ss, grid=grid)
