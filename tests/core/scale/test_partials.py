"""The merge of exact partials, cut into score ranges merged on threads, against the in-memory sweep.

Oracle: ``ThresholdCurve.from_scores`` on the union of the rows (itself tested against scikit-learn
and brute force in tests/core/engine). Scores in hundredths give ties that straddle the cut values;
whole amounts and quarter weights keep every sum exact, so the comparison is by equality.
"""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

import aipm_sim as am
from aipm_sim.core.engine._sweep import sweep
from aipm_sim.core.errors import DegenerateWarning
from aipm_sim.core.scale import partials
from aipm_sim.core.scale.partials import MERGE_RANGES, merge_exact


def _partial(scores, labels, weights, amounts):
    t, tp, fp, tpa, fpa = sweep(scores, labels, weights, amounts)
    return np.column_stack((t, tp, fp, tpa, fpa))


def _data(seed, sizes, levels=100):
    rng = np.random.default_rng(seed)
    out = []
    for n in sizes:
        out.append((rng.integers(0, levels + 1, n) / levels, rng.random(n) < 0.2,
                    rng.integers(1, 9, n) / 4, rng.integers(0, 300, n).astype(float)))
    return out


def _union_curve(data):
    cols = [np.concatenate(c) for c in zip(*data)]
    with warnings.catch_warnings():  # a few drawn rows may hold one class only: the curve warns, rightly
        warnings.simplefilter("ignore", DegenerateWarning)
        return am.ThresholdCurve.from_scores(am.ScoreSet(scores=cols[0], labels=cols[1], weights=cols[2],
                                                         amounts=cols[3]))


@pytest.fixture
def small_ranges(monkeypatch):
    """Cut every merge into ranges, however small (the real cut-over is a million rows)."""
    monkeypatch.setattr(partials, "_RANGE_ROWS", 1)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), sizes=st.lists(st.integers(0, 400), min_size=2, max_size=9),
       levels=st.sampled_from([3, 20, 100, 10_000]))
def test_ranged_merge_equals_the_sweep_of_the_union(seed, sizes, levels):
    partials._RANGE_ROWS, saved = 1, partials._RANGE_ROWS
    try:
        data = _data(seed, sizes, levels)
        parts = [_partial(*d) for d in data]
        merged = merge_exact(parts, 10**9, columnar=True)
        records = merge_exact(parts, 10**9)
    finally:
        partials._RANGE_ROWS = saved
    if sum(sizes) == 0:
        assert merged.shape == (5, 1)
        return
    curve = _union_curve(data)
    for row, name in enumerate(("thresholds", "tp", "fp", "tp_amount", "fp_amount")):
        assert_array_equal(merged[row], getattr(curve, name), err_msg=name)
    assert_array_equal(records, merged.T)


def test_ranges_cut_between_distinct_scores_only(small_ranges):
    data = _data(3, [5000, 7000, 3000], levels=50)  # 51 distinct scores, each in every partial
    parts = [_partial(*d) for d in data]
    flat = np.concatenate([p[1:] for p in parts])
    lengths = np.array([len(p) - 1 for p in parts])
    stop = np.cumsum(lengths)
    cuts = partials._range_cuts(flat, stop - lengths, stop)
    assert 3 <= len(cuts) <= MERGE_RANGES + 1
    for r in range(1, len(cuts) - 1):
        # the first threshold of a range is below the last of the range above, in every partial
        above = [flat[c - 1, 0] for c, f in zip(cuts[r], stop - lengths) if c > f]
        below = [flat[c, 0] for c, s in zip(cuts[r], stop) if c < s]
        assert min(above) > max(below)


def test_sums_that_are_not_exact_agree_to_rounding(small_ranges):
    rng = np.random.default_rng(8)
    data = [(rng.random(n), rng.random(n) < 0.1, rng.lognormal(0, 1, n), rng.gamma(2.0, 40.0, n))
            for n in (3000, 1, 4000, 2500)]
    merged = merge_exact([_partial(*d) for d in data], 10**9, columnar=True)
    curve = _union_curve(data)
    assert_array_equal(merged[0], curve.thresholds)
    for row, name in ((1, "tp"), (2, "fp"), (3, "tp_amount"), (4, "fp_amount")):
        assert_allclose(merged[row], getattr(curve, name), rtol=1e-13, atol=1e-9, err_msg=name)
