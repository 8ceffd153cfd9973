"""The compiled sweep's building blocks: order-preserving keys and the radix sort.

The public curve tests cover the sweep end to end; these pin down the two
pieces whose bugs would only show on rare bit patterns.
"""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from aipm_sim.core._sweep import _ordered_keys, _radix_argsort, sweep

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
def test_radix_argsort_sorts_any_keys(keys):
    sorted_keys, order = _radix_argsort(keys)
    assert np.array_equal(sorted_keys, np.sort(keys))
    assert np.array_equal(keys[order], sorted_keys)
    assert np.array_equal(np.sort(order), np.arange(len(keys)))


def test_radix_argsort_when_every_digit_is_trivial_or_only_one_is_not():
    same = np.full(1000, 0x0123456789ABCDEF, dtype=np.uint64)
    sorted_keys, order = _radix_argsort(same)
    assert np.array_equal(sorted_keys, same) and np.array_equal(np.sort(order), np.arange(1000))
    rng = np.random.default_rng(1)
    low_byte = (np.uint64(0xFF00) | rng.integers(0, 256, 1000).astype(np.uint64)) << np.uint64(40)
    sorted_keys, order = _radix_argsort(low_byte)
    assert np.array_equal(sorted_keys, np.sort(low_byte)) and np.array_equal(low_byte[order], sorted_keys)


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
