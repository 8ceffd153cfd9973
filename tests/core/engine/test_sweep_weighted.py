"""The weighted and amount sweep (MSD radix scatter + in-cache sort) against independent oracles.

Oracles: scikit-learn's public ``roc_curve`` / ``precision_recall_curve`` /
``confusion_matrix_at_thresholds`` with ``sample_weight``; a brute-force
``math.fsum`` per threshold; and a reference sweep written with numpy's stable
``argsort`` whose summation order (ties: descending input position, as a
stable ascending sort walked from the top) must be matched bit for bit.

Bounds of the generated numbers: weights in [1e-300, 1e300] and amounts in
[0, 1e6], at most 60 cases, so that every weighted amount (< 1e306) and
every sum (< 1e308) is finite in float64; smaller weights are allowed by
ScoreSet but their products with amounts underflow, which is float64's
answer, not the sweep's. Scores are finite (ScoreSet refuses ±inf and NaN),
including -0.0, which is the same threshold as 0.0.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import confusion_matrix_at_thresholds, precision_recall_curve, roc_curve

from aipm_sim.core.engine._sweep import _first_row, _fit, _msd_sweep, _top_bits, sweep

EPS = np.finfo(float).eps

score = st.sampled_from([-0.0, 0.0, 0.25, 0.5, 1.0, -3.0, 1e-300, 7e300]) | st.floats(
    -1e6, 1e6, allow_nan=False, allow_infinity=False)
weight = st.sampled_from([1e-300, 1e300, 1.0, 0.5]) | st.floats(1e-300, 1e300)
amount = st.sampled_from([0.0, 0.0, 1.0]) | st.floats(0.0, 1e6)
rows = st.lists(st.tuples(score, st.booleans(), weight, amount), min_size=1, max_size=60)
# For sklearn's rates: weights whose ratios float64 rates can still resolve (1e-300 beside 1e300
# rounds every rate to 0 or 1 in both implementations, which tests nothing).
moderate = st.lists(st.tuples(score, st.booleans(), st.sampled_from([1e-3, 1.0, 1e3]) | st.floats(1e-3, 1e3),
                              amount), min_size=1, max_size=60)


def _columns(data):
    s, y, w, a = (np.array(c) for c in zip(*data))
    return s.astype(float), y.astype(bool), w.astype(float), a.astype(float)


def reference_sweep(scores, labels, weights, amounts):
    """Stable ascending sort by numpy, walked from the top: the order the compiled sweep promises."""
    key = scores + 0.0  # -0.0 and 0.0 are one threshold
    order = np.argsort(key, kind="stable")[::-1]
    thresholds, tp, fp, tpa, fpa = [np.inf], [0.0], [0.0], [0.0], [0.0]
    t = f = ta = fa = 0.0
    i = 0
    while i < len(order):
        s = key[order[i]]
        while i < len(order) and key[order[i]] == s:
            j = order[i]
            if labels[j]:
                t += weights[j]
                ta += weights[j] * amounts[j]
            else:
                f += weights[j]
                fa += weights[j] * amounts[j]
            i += 1
        thresholds.append(s)
        tp.append(t)
        fp.append(f)
        tpa.append(ta)
        fpa.append(fa)
    return tuple(np.array(c) for c in (thresholds, tp, fp, tpa, fpa))


def assert_identical(got, want):
    for g, w in zip(got, want):
        assert g.tobytes() == w.tobytes()  # bit for bit, signs of zeros included


@settings(max_examples=150, deadline=None)
@given(rows)
def test_weighted_sweep_equals_brute_force_sums_and_the_stable_reference(data):
    scores, labels, weights, amounts = _columns(data)
    got = sweep(scores, labels, weights, amounts)
    assert_identical(got, reference_sweep(scores, labels, weights, amounts))
    thresholds, tp, fp, tpa, fpa = got
    assert thresholds[0] == np.inf and np.all(np.diff(thresholds) < 0)
    assert np.array_equal(thresholds[1:], np.unique(scores + 0.0)[::-1])
    wa = weights * amounts
    for i, t in enumerate(thresholds[1:], start=1):
        flagged = scores >= t
        for got_sum, values in ((tp[i], weights[flagged & labels]), (fp[i], weights[flagged & ~labels]),
                                (tpa[i], wa[flagged & labels]), (fpa[i], wa[flagged & ~labels])):
            # A running float64 sum of k terms is within k * eps * sum|x| of the exact sum.
            bound = len(values) * EPS * math.fsum(np.abs(values)) + 1e-320
            assert abs(got_sum - math.fsum(values)) <= bound


@settings(max_examples=100, deadline=None)
@given(moderate)
def test_weighted_sweep_equals_sklearn_weighted_curves(data):
    scores, labels, weights, amounts = _columns(data)
    if labels.all() or not labels.any():
        return  # sklearn's rates need both classes (the one-class curve is tested by brute force)
    thresholds, tp, fp, tpa, fpa = sweep(scores, labels, weights, amounts)
    for w, pos, neg in ((weights, tp, fp), (weights * amounts, tpa, fpa)):
        if w[labels].sum() == 0 or w[~labels].sum() == 0:
            continue  # amounts of zero: sklearn's rates divide by zero
        _, fps, _, tps, sk_thresholds = confusion_matrix_at_thresholds(labels, scores, sample_weight=w)
        # sklearn drops rows of zero weight; compare on its thresholds.
        rows_ = [int(np.flatnonzero(thresholds == t)[0]) for t in sk_thresholds]
        np.testing.assert_allclose(pos[rows_], tps, rtol=1e-12, atol=0)
        np.testing.assert_allclose(neg[rows_], fps, rtol=1e-12, atol=0)
    fpr, tpr, roc_t = roc_curve(labels, scores, sample_weight=weights, drop_intermediate=False)
    np.testing.assert_array_equal(roc_t, thresholds)
    np.testing.assert_allclose(tpr, tp / tp[-1], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(fpr, fp / fp[-1], rtol=1e-12, atol=1e-15)
    precision, recall, pr_t = precision_recall_curve(labels, scores, sample_weight=weights,
                                                     drop_intermediate=False)
    # sklearn: increasing thresholds, from the lowest score; the last point (recall 0) has no threshold.
    np.testing.assert_array_equal(pr_t[::-1], thresholds[1:])
    np.testing.assert_allclose(precision[:-1][::-1], tp[1:] / (tp[1:] + fp[1:]), rtol=1e-12)
    np.testing.assert_allclose(recall[:-1][::-1], tp[1:] / tp[-1], rtol=1e-12)


def _direct(scores, labels, weights, amounts, top_bits):
    """The compiled sweep with a chosen first-pass width (sweep() picks it from n)."""
    n = len(scores)
    bits, tp, fp = _first_row(n, dtype=np.uint64)
    tpa, fpa = np.zeros(n + 1), np.zeros(n + 1)
    m = _msd_sweep(scores.view(np.uint64), labels.view(np.uint8), weights, amounts, True, True, top_bits,
                   bits, tp, fp, tpa, fpa)
    thresholds = bits.view(np.float64)
    thresholds[0] = np.inf
    return tuple(_fit(a, m) for a in (thresholds, tp, fp, tpa, fpa))


def _data(scores, seed):
    rng = np.random.default_rng(seed)
    n = len(scores)
    return scores, rng.random(n) < 0.3, rng.uniform(0.1, 10.0, n), np.round(rng.exponential(50.0, n), 2)


@pytest.mark.parametrize("top_bits", [1, 6, 12])
def test_scores_spread_over_every_first_pass_bucket(top_bits):
    # Keys evenly spread between two extremes: every one of the 2**top_bits buckets gets cases.
    rng = np.random.default_rng(3)
    keys_span = np.linspace(-1.0, 1.0, 30_000) ** 3 * 1e3
    scores, labels, weights, amounts = _data(np.concatenate([keys_span, rng.choice(keys_span, 5_000)]), 4)
    got = _direct(scores, labels, weights, amounts, top_bits)
    assert_identical(got, reference_sweep(scores, labels, weights, amounts))


def test_scores_crowded_into_one_first_pass_bucket():
    # Two far outliers stretch the key range; 40,000 cases sit in one bucket of the first pass,
    # with heavy ties and a cluster dense enough to need several in-cache passes.
    rng = np.random.default_rng(5)
    crowd = 0.5 + rng.integers(0, 3_000, 40_000) * 1e-15
    scores, labels, weights, amounts = _data(np.concatenate([[-1e300, 1e300], crowd]), 6)
    assert _top_bits(len(scores)) > 1
    for top_bits in (_top_bits(len(scores)), 12):
        got = _direct(scores, labels, weights, amounts, top_bits)
        assert_identical(got, reference_sweep(scores, labels, weights, amounts))
    assert_identical(sweep(scores, labels, weights, amounts), reference_sweep(scores, labels, weights, amounts))


def test_unweighted_and_amount_paths_equal_the_reference_at_scale():
    rng = np.random.default_rng(7)
    scores = np.round(rng.standard_normal(200_000), 3)  # heavy ties
    labels = rng.random(200_000) < 0.05
    amounts = rng.exponential(80.0, 200_000)
    ones = np.ones(200_000)
    want = reference_sweep(scores, labels, ones, amounts)
    t, tp, fp, a, b = sweep(scores, labels)
    assert a is None and b is None
    assert_identical((t, tp, fp), want[:3])
    assert_identical(sweep(scores, labels, amounts=amounts), want)
    t, tp, fp, a, b = sweep(scores, labels, weights=ones)
    assert a is None and b is None
    assert_identical((t, tp, fp), want[:3])


def test_one_case_and_one_tied_score():
    assert_identical(sweep(np.array([-0.0]), np.array([True]), np.array([2.0]), np.array([3.0])),
                     (np.array([np.inf, 0.0]), np.array([0.0, 2.0]), np.array([0.0, 0.0]),
                      np.array([0.0, 6.0]), np.array([0.0, 0.0])))
    scores = np.full(5_000, 0.3)
    labels = np.arange(5_000) % 3 == 0
    t, tp, fp, _, _ = sweep(scores, labels)
    assert t.tolist() == [np.inf, 0.3] and tp.tolist() == [0.0, 1667.0] and fp.tolist() == [0.0, 3333.0]
