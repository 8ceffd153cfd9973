"""The compiled sweep's building blocks: order-preserving keys, the radix sort, the row search.

The public curve tests cover the sweep end to end; these pin down the
pieces whose bugs would only show on rare bit patterns or sizes.
"""

import warnings

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import aipm_sim as am
from aipm_sim.core.engine._sweep import _fit, _key_of, _sort_bucket, row_at, rows_at, sweep


def _ordered_keys(x):
    return np.array([_key_of(b) for b in np.asarray(x, dtype=np.float64).view(np.uint64)], dtype=np.uint64)


def _stable_sort(keys):
    """Records (key, row number, 0) sorted by the compiled in-cache sort; returns (keys, row numbers)."""
    n = len(keys)
    rec = np.zeros((n, 3), dtype=np.uint64)
    rec[:, 0] = keys
    rec[:, 1] = np.arange(n, dtype=np.uint64)
    _sort_bucket(rec, 0, n, np.empty((n, 3), dtype=np.uint64), np.empty((9 * 256 + 1, 2), dtype=np.int64),
                 np.empty(256, dtype=np.int64))
    return rec[:, 0], rec[:, 1].astype(np.int64)

SPECIAL = np.array([
    -np.finfo(float).max, -1e300, -1.0, -np.finfo(float).tiny, -5e-324, -0.0,
    0.0, 5e-324, np.finfo(float).tiny, 1.0, 1e300, np.finfo(float).max,
])


def test_keys_preserve_float_order_and_merge_signed_zeros():
    keys = _ordered_keys(SPECIAL)
    # -0.0 and 0.0 get one key; every other step strictly increases.
    assert keys[5] == keys[6]
    assert np.all(np.diff(np.delete(keys, 6).astype(object)) > 0)


@given(hnp.arrays(np.float64, st.integers(1, 300),
                  elements=st.floats(allow_nan=False, allow_infinity=False) | st.sampled_from(SPECIAL.tolist())))
def test_key_order_equals_float_order(x):
    keys = _ordered_keys(x)
    i, j = np.triu_indices(len(x), 1) if len(x) < 60 else (np.arange(len(x) - 1), np.arange(1, len(x)))
    assert np.array_equal(keys[i] < keys[j], x[i] < x[j])
    assert np.array_equal(keys[i] == keys[j], x[i] == x[j])


@given(hnp.arrays(np.uint64, st.integers(1, 500),
                  elements=st.integers(0, 2**64 - 1) | st.sampled_from([0, 1, 255, 256, 2**63, 2**64 - 1])))
def test_bucket_sort_is_numpys_stable_sort(keys):
    sorted_keys, order = _stable_sort(keys)
    want = np.argsort(keys, kind="stable")
    assert np.array_equal(sorted_keys, keys[want])
    assert np.array_equal(order, want)  # ties keep their input order


def test_bucket_sort_of_one_tie_of_clustered_keys_and_of_keys_that_differ_in_one_byte():
    same = np.full(1000, 0x0123456789ABCDEF, dtype=np.uint64)
    sorted_keys, order = _stable_sort(same)
    assert np.array_equal(sorted_keys, same) and np.array_equal(order, np.arange(1000))
    rng = np.random.default_rng(1)
    low_byte = (np.uint64(0xFF00) | rng.integers(0, 256, 1000).astype(np.uint64)) << np.uint64(40)
    # Clustered: a few far-apart keys and a dense cluster that the first pass cannot split.
    clustered = np.concatenate([np.array([0, 2**64 - 1, 2**40], dtype=np.uint64),
                                np.uint64(2**50) + rng.integers(0, 50, 3000).astype(np.uint64)])
    for keys in (low_byte, clustered):
        sorted_keys, order = _stable_sort(keys)
        assert np.array_equal(order, np.argsort(keys, kind="stable"))


def test_sweep_paths_agree_on_random_data():
    rng = np.random.default_rng(2)
    scores = np.round(rng.standard_normal(50_000), 2) * 10.0 ** rng.integers(-300, 300, 50_000)
    labels = rng.random(50_000) < 0.3
    t1, tp1, fp1, a1, b1 = sweep(scores, labels)
    t2, tp2, fp2, a2, b2 = sweep(scores, labels, weights=np.ones(50_000), amounts=np.full(50_000, 2.0))
    assert a1 is None and b1 is None
    assert np.array_equal(t1, t2) and np.array_equal(tp1, tp2) and np.array_equal(fp1, fp2)
    assert np.array_equal(a2, 2.0 * tp2) and np.array_equal(b2, 2.0 * fp2)
    assert t1[0] == np.inf and np.all(np.diff(t1) < 0)
    assert np.array_equal(t1[1:], np.unique(scores)[::-1])


@given(hnp.arrays(np.float64, st.integers(0, 60), unique=True,
                  elements=st.floats(allow_nan=False, allow_infinity=False) | st.sampled_from(SPECIAL.tolist())),
       st.lists(st.floats(allow_nan=False) | st.sampled_from([np.inf, -np.inf, 0.0, -0.0, *SPECIAL.tolist()]),
                min_size=1, max_size=20))
def test_row_at_is_the_last_row_at_or_above_by_brute_force(scores, queries):
    # A curve's thresholds: +inf, then distinct scores strictly decreasing (-0.0 and 0.0 are one).
    distinct = np.unique(scores + 0.0)[::-1]
    thresholds = np.concatenate([[np.inf], distinct])
    for t in queries:
        want = max(i for i in range(len(thresholds)) if thresholds[i] >= t)  # row 0, +inf, always is
        assert row_at(thresholds, t) == want
    assert rows_at(thresholds, np.asarray(queries, dtype=np.float64)).tolist() == [
        row_at(thresholds, t) for t in queries]


def test_fit_keeps_a_view_of_a_mostly_full_array_and_copies_a_short_one():
    arr = np.arange(10.0)
    full = _fit(arr, 6)  # 7 of 10 rows
    assert full.base is arr and full.tolist() == arr[:7].tolist()
    short = _fit(arr, 2)  # 3 of 10 rows: the rest is freed
    assert short.base is None and short.tolist() == [0.0, 1.0, 2.0]


@given(st.lists(st.tuples(st.integers(0, 5).map(lambda x: x / 4 - 0.5), st.booleans(),
                          st.floats(0.5, 3.0), st.floats(0, 100)), min_size=1, max_size=40),
       st.booleans())
def test_curves_from_scores_meet_every_rule_of_a_directly_built_curve(rows, weighted):
    # from_scores skips the checks of a directly built curve: its curves must pass them anyway.
    scores, labels, weights, amounts = (list(c) for c in zip(*rows))
    ss = am.ScoreSet(scores, labels, weights=weights if weighted else None, amounts=amounts if weighted else None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", am.DegenerateWarning)  # one class only is fine here
        curve = am.ThresholdCurve.from_scores(ss)
    curve._validate()
    rebuilt = am.ThresholdCurve(thresholds=curve.thresholds, tp=curve.tp, fp=curve.fp, positives=curve.positives,
                                negatives=curve.negatives, tp_amount=curve.tp_amount, fp_amount=curve.fp_amount,
                                positive_amount=curve.positive_amount, negative_amount=curve.negative_amount)
    assert rebuilt.alerts.tolist() == curve.alerts.tolist() == (curve.tp + curve.fp).tolist()
