"""The compiled loop of the bootstrap: stratified multinomial resamples counted into threshold buckets.

Every case is given, once, the *bucket* of the grid row from which on it is
flagged (``bucket[i] = k`` when ``thresholds[k] <= score[i] < thresholds[k-1]``;
``len(thresholds)`` for a case below every threshold). A resample then draws,
within each class, as many cases as the class has, uniformly with
replacement, and adds each drawn case's weight (and amount) to its bucket:
O(cases) per resample, no sort and no per-resample copy of the data. The
flagged counts at each grid row are the cumulative sums of the buckets.

The random numbers come from SplitMix64 streams, one per resample, seeded
from :class:`numpy.random.SeedSequence`: the result depends on the seed only,
not on the number of threads that ran the resamples.
"""

import numpy as np
from numba import njit, prange

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30 = np.uint64(30)
_S27 = np.uint64(27)
_S31 = np.uint64(31)
_S32 = np.uint64(32)


@njit(cache=True, nogil=True, inline="always")
def _splitmix(state):
    state = state + _GOLDEN
    z = state
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return state, z ^ (z >> _S31)


@njit(cache=True, nogil=True)
def _one_class(bucket, weight, amount, has_weight, has_amount, state, counts, amounts):
    """Add one stratified resample of one class into ``counts``/``amounts`` (rows = buckets)."""
    n = bucket.shape[0]
    un = np.uint64(n)
    for _ in range(n):
        state, z = _splitmix(state)
        j = np.int64(((z >> _S32) * un) >> _S32)  # Lemire's multiply-shift: uniform in [0, n) for n < 2**32
        b = bucket[j]
        counts[b] += weight[j] if has_weight else 1.0
        if has_amount:
            amounts[b] += amount[j] * (weight[j] if has_weight else 1.0)
    return state


@njit(cache=True, nogil=True)
def _alloc(r_total, n_buckets, has_amount):
    width = n_buckets if has_amount else 1
    return (np.zeros((r_total, n_buckets)), np.zeros((r_total, n_buckets)),
            np.zeros((r_total, width)), np.zeros((r_total, width)))


@njit(cache=True, parallel=True)
def _parallel(bp, wp, ap, bn, wn, an, has_weight, has_amount, n_buckets, seeds):
    pos, neg, pos_a, neg_a = _alloc(seeds.shape[0], n_buckets, has_amount)
    for r in prange(seeds.shape[0]):
        state = _one_class(bp, wp, ap, has_weight, has_amount, seeds[r], pos[r], pos_a[r])
        _one_class(bn, wn, an, has_weight, has_amount, state, neg[r], neg_a[r])
    return pos, neg, pos_a, neg_a


# The same loop without threads: starting a parallel region costs tens of milliseconds when the cores
# are busy, far more than the resamples of a small validation set.
@njit(cache=True, nogil=True)
def _serial(bp, wp, ap, bn, wn, an, has_weight, has_amount, n_buckets, seeds):
    pos, neg, pos_a, neg_a = _alloc(seeds.shape[0], n_buckets, has_amount)
    for r in range(seeds.shape[0]):
        state = _one_class(bp, wp, ap, has_weight, has_amount, seeds[r], pos[r], pos_a[r])
        _one_class(bn, wn, an, has_weight, has_amount, state, neg[r], neg_a[r])
    return pos, neg, pos_a, neg_a


#: Draws (cases x resamples) per call above which the parallel build is used.
PARALLEL_DRAWS = 2_000_000


def resample_buckets(bucket_pos, w_pos, a_pos, bucket_neg, w_neg, a_neg, has_weight, has_amount, n_buckets, seeds):
    """Bucket sums of ``len(seeds)`` stratified resamples.

    Returns
    -------
    pos, neg : ndarray of shape (len(seeds), n_buckets)
        Weighted cases of each class drawn into each bucket.
    pos_amount, neg_amount : ndarray of shape (len(seeds), n_buckets)
        Their (weighted) amounts; shape (len(seeds), 1) of zeros without amounts.
    """
    draws = (len(bucket_pos) + len(bucket_neg)) * len(seeds)
    kernel = _parallel if draws >= PARALLEL_DRAWS else _serial
    return kernel(bucket_pos, w_pos, a_pos, bucket_neg, w_neg, a_neg, has_weight, has_amount, n_buckets, seeds)
