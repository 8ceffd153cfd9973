"""The compiled loop of the bootstrap: stratified multinomial resamples counted into threshold buckets.

Every case is given, once, the *bucket* of the grid row from which on it is
flagged (``bucket[i] = k`` when ``thresholds[k] <= score[i] < thresholds[k-1]``;
``len(thresholds)`` for a case below every threshold), and the cases of each
class are sorted once by bucket, so that each bucket's cases are contiguous.

A stratified resample draws, within each class, as many cases as the class
has, uniformly with replacement. That is the same as (1) drawing how many of
the draws land in each bucket, a multinomial over the buckets with the
buckets' sizes as weights (done as one binomial per bucket, conditional on
the draws left), then (2) drawing that many cases uniformly within each
bucket. Unweighted data without amounts need only (1): O(buckets) per
resample. Weights or amounts need (2) too, O(cases) per resample, but each
draw reads inside one bucket's contiguous block of the presorted data. No
resample sorts or copies the data.

Each resample reseeds the random generator with its own seed (from
:class:`numpy.random.SeedSequence`) before drawing, so the result depends on
the seeds only, not on the number of threads or the order they ran in.
"""

import numpy as np
from numba import njit, prange

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S32 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(32)


@njit(cache=True, nogil=True, inline="always")
def _splitmix(state):
    """SplitMix64: the next state and a 64-bit random number."""
    state = state + _GOLDEN
    z = state
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return state, z ^ (z >> _S31)


@njit(cache=True, nogil=True)
def order_by_bucket(bucket, rows, n_buckets):
    """``rows`` stably sorted by ``bucket[rows]`` (a counting sort, O(n)), and each bucket's size."""
    sizes = np.zeros(n_buckets, dtype=np.int64)
    for i in rows:
        sizes[bucket[i]] += 1
    starts = np.zeros(n_buckets, dtype=np.int64)
    for b in range(1, n_buckets):
        starts[b] = starts[b - 1] + sizes[b - 1]
    fill = starts.copy()
    out = np.empty(rows.shape[0], dtype=np.int64)
    for i in rows:
        b = bucket[i]
        out[fill[b]] = i
        fill[b] += 1
    return out, sizes, starts


@njit(cache=True, nogil=True)
def _draw_class(sizes, starts, n, weight, amount, has_weight, has_amount, counts, amounts, record, state):
    """One stratified resample of one class, added into ``counts``/``amounts`` (index = bucket).

    The buckets' counts come from numpy's binomial (seeded per resample); the cases within a bucket
    from SplitMix64 starting at ``state`` (Lemire's multiply-shift: uniform for sizes < 2**32), which
    is returned advanced. ``record`` (length ``n``, or 0 to skip) receives the drawn cases' positions
    in the presorted order.
    """
    draws = np.zeros(sizes.shape[0], dtype=np.int64)
    left, left_size = n, n
    for b in range(sizes.shape[0]):
        s = sizes[b]
        if left == 0:
            break
        if s == 0:
            continue
        k = left if s >= left_size else np.random.binomial(left, s / left_size)
        draws[b] = k
        left -= k
        left_size -= s
    need_cases = has_weight or has_amount or record.shape[0] > 0
    filled = 0
    for b in range(sizes.shape[0]):
        k = draws[b]
        if k == 0:
            continue
        if not need_cases:
            counts[b] += k
            continue
        start, us = starts[b], np.uint64(sizes[b])
        if record.shape[0] > 0:
            for _ in range(k):
                state, z = _splitmix(state)
                j = start + np.int64(((z >> _S32) * us) >> _S32)
                record[filled] = j
                filled += 1
                w = weight[j] if has_weight else 1.0
                counts[b] += w
                if has_amount:
                    amounts[b] += amount[j] * w
            continue
        # the bucket's sums in local variables (kept in registers, not stored back at every draw);
        # the same additions in the same order, so the same numbers as adding into counts[b]
        c, a = 0.0, 0.0
        if has_weight and has_amount:
            for _ in range(k):
                state, z = _splitmix(state)
                j = start + np.int64(((z >> _S32) * us) >> _S32)
                c += weight[j]
                a += amount[j] * weight[j]
        elif has_weight:
            for _ in range(k):
                state, z = _splitmix(state)
                c += weight[start + np.int64(((z >> _S32) * us) >> _S32)]
        else:
            c = float(k)
            for _ in range(k):
                state, z = _splitmix(state)
                a += amount[start + np.int64(((z >> _S32) * us) >> _S32)]
        counts[b] += c
        if has_amount:
            amounts[b] += a
    return state


@njit(cache=True, nogil=True)
def _alloc(r_total, n_buckets, has_amount):
    width = n_buckets if has_amount else 1
    return (np.zeros((r_total, n_buckets)), np.zeros((r_total, n_buckets)),
            np.zeros((r_total, width)), np.zeros((r_total, width)))


@njit(cache=True, parallel=True)
def _parallel(sp, tp_, wp, ap, np_, sn, tn_, wn, an, nn, has_weight, has_amount, amount_p, amount_n, seeds):
    pos, neg, pos_a, neg_a = _alloc(seeds.shape[0], sp.shape[0], has_amount)
    none = np.zeros(0, dtype=np.int64)
    for r in prange(seeds.shape[0]):
        np.random.seed(seeds[r])
        state = np.uint64(seeds[r]) * _M2
        state = _draw_class(sp, tp_, np_, wp, ap, has_weight, has_amount and amount_p, pos[r], pos_a[r], none, state)
        _draw_class(sn, tn_, nn, wn, an, has_weight, has_amount and amount_n, neg[r], neg_a[r], none, state)
    return pos, neg, pos_a, neg_a


# The same loop without threads: starting a parallel region costs tens of milliseconds when the cores
# are busy, far more than the resamples of a small validation set.
@njit(cache=True, nogil=True)
def _serial(sp, tp_, wp, ap, np_, sn, tn_, wn, an, nn, has_weight, has_amount, amount_p, amount_n, seeds):
    pos, neg, pos_a, neg_a = _alloc(seeds.shape[0], sp.shape[0], has_amount)
    none = np.zeros(0, dtype=np.int64)
    for r in range(seeds.shape[0]):
        np.random.seed(seeds[r])
        state = np.uint64(seeds[r]) * _M2
        state = _draw_class(sp, tp_, np_, wp, ap, has_weight, has_amount and amount_p, pos[r], pos_a[r], none, state)
        _draw_class(sn, tn_, nn, wn, an, has_weight, has_amount and amount_n, neg[r], neg_a[r], none, state)
    return pos, neg, pos_a, neg_a


@njit(cache=True, nogil=True)
def _record(sp, tp_, wp, ap, np_, sn, tn_, wn, an, nn, has_weight, has_amount, amount_p, amount_n, seed):
    pos, neg, pos_a, neg_a = _alloc(1, sp.shape[0], has_amount)
    rec_p, rec_n = np.zeros(np_, dtype=np.int64), np.zeros(nn, dtype=np.int64)
    np.random.seed(seed)
    state = np.uint64(seed) * _M2
    state = _draw_class(sp, tp_, np_, wp, ap, has_weight, has_amount and amount_p, pos[0], pos_a[0], rec_p, state)
    _draw_class(sn, tn_, nn, wn, an, has_weight, has_amount and amount_n, neg[0], neg_a[0], rec_n, state)
    return rec_p, rec_n


#: Draws (cases x resamples) per call above which the parallel build is used.
PARALLEL_DRAWS = 2_000_000


class Strata:
    """The cases of each class sorted once by bucket, with their weights and amounts in that order.

    Parameters
    ----------
    bucket : ndarray of int, shape (n,)
        Each case's bucket in ``[0, n_buckets)``.
    labels : ndarray of bool, shape (n,)
    weights, amounts : ndarray of shape (n,) or None
    n_buckets : int
    amount_classes : (bool, bool)
        Whether the positives' and the negatives' amounts are summed (a value
        model without fp_amount and tn_amount needs no negative's amount: the
        negatives are then drawn as bucket counts only, unless weighted).
    """

    def __init__(self, bucket, labels, weights, amounts, n_buckets, *, amount_classes=(True, True)):
        self.has_weight, self.has_amount = weights is not None, amounts is not None
        self.amount_classes = tuple(bool(c) for c in amount_classes)
        self.n_buckets = n_buckets
        self.classes = []
        dummy = np.zeros(1)
        for mask in (labels, ~labels):
            rows = np.flatnonzero(mask)
            order, sizes, starts = order_by_bucket(bucket, rows, n_buckets)  # the one sort, by bucket
            w = np.ascontiguousarray(weights[order]) if self.has_weight else dummy
            a = np.ascontiguousarray(amounts[order]) if self.has_amount else dummy
            self.classes.append((sizes, starts, w, a, len(rows), order))

    def _args(self):
        (sp, tp_, wp, ap, np_, _), (sn, tn_, wn, an, nn, _) = self.classes
        return (sp, tp_, wp, ap, np_, sn, tn_, wn, an, nn, self.has_weight, self.has_amount,
                self.amount_classes[0], self.amount_classes[1])

    def resample(self, seeds):
        """Bucket sums of ``len(seeds)`` resamples.

        Returns
        -------
        pos, neg : ndarray of shape (len(seeds), n_buckets)
            Weighted cases of each class drawn into each bucket.
        pos_amount, neg_amount : ndarray
            Their weighted amounts, shape (len(seeds), n_buckets) (zeros for a class whose amounts are not
            summed, see ``amount_classes``); (len(seeds), 1) of zeros without amounts.
        """
        # draws of single cases (classes with weights or summed amounts; the others draw bucket counts only)
        heavy = sum(c[4] for c, summed in zip(self.classes, self.amount_classes)
                    if self.has_weight or (self.has_amount and summed))
        kernel = _parallel if heavy * len(seeds) >= PARALLEL_DRAWS else _serial
        return kernel(*self._args(), np.asarray(seeds, dtype=np.uint32))

    def drawn_cases(self, seed):
        """The original row numbers drawn by the resample with ``seed`` (positives, negatives), for tests.

        The same draws as :meth:`resample` makes for data with weights or amounts (data without
        either draw only the buckets' counts, from the same binomials).
        """
        rec_p, rec_n = _record(*self._args(), np.uint32(seed))
        return self.classes[0][5][rec_p], self.classes[1][5][rec_n]
