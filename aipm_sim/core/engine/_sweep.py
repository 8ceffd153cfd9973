"""The one threshold sweep behind every curve: sort once, in cache, and count in one pass.

Each case becomes a 24-byte record: its score's IEEE-754 bits mapped to an
order-preserving unsigned key, its signed weight (the sign carries the
label) and its weighted amount. One MSD radix pass on the top bits of the
key range scatters the records, in input order, into up to 2**10 buckets
(a histogram and a prefix sum size them); then, from the highest bucket
down, each bucket is sorted in cache (further 8-bit MSD passes on the
bucket's own key range, insertion sort for short ranges) and swept at once.
No argsort of the whole data and no gather through a permutation: every
pass over the full data is sequential or a scatter into a few thousand
streams.

The sort is stable, so the cases of one tied score are summed in a fixed
order (descending input position, as a stable sort walked from the top);
cumulative sums are float64, one row per distinct score.

Outputs have room for a row per case (untouched pages cost nothing); a
result far shorter than that is copied down. Peak memory: the records and
the scratch of the largest bucket (24 bytes a case each at worst) plus the
outputs (24 or 40 bytes a row).

:func:`row_at` answers "which row does flagging ``score >= t`` give" by a
binary search on the decreasing thresholds, so a curve keeps no reversed copy.

numba is a hard dependency: these loops are the reason the curve stays within
a small factor of a bare ``numpy.sort``, and one code path is one thing to test.
"""

import numpy as np
from numba import njit

_SIGN = np.uint64(0x8000000000000000)


@njit(cache=True, nogil=True)
def _ordered(b):
    """Map IEEE-754 bits to an unsigned integer with the same order as the floats."""
    if b & _SIGN:
        return ~b
    return b | _SIGN


@njit(cache=True, nogil=True)
def _unordered(k):
    """Inverse of ``_ordered``: back to IEEE-754 bits."""
    if k & _SIGN:
        return k & ~_SIGN
    return ~k


#: Bits of the first (MSD) radix pass over the whole data: at most 2**10 buckets, so that the
#: scatter's open cache lines (one per bucket, 24-byte records) stay within L1/L2. (At 10^7 cases on a
#: 2-core AMD EPYC, 2**10 buckets measured 15-20 % faster than 2**12, 2**13 and 2**14 slower still.)
_TOP_BITS_MAX = 10
#: Target records per top bucket (2**11 x 24 bytes = 48 kB: an L1/L2-resident sort).
_TOP_BUCKET_LOG2 = 11
#: Bits of each in-cache MSD pass inside a bucket.
_DIGIT_BITS = 8
#: Ranges this short are finished by insertion sort.
_INSERTION = 24


@njit(cache=True, nogil=True)
def _bit_length(x):
    """Number of bits needed for the unsigned integer ``x`` (0 for 0)."""
    r = 0
    while r < 64 and (x >> np.uint64(r)) != 0:
        r += 1
    return r


@njit(cache=True, nogil=True)
def _key_of(b):
    """The order-preserving key of one score's IEEE-754 bits (-0.0 and 0.0 share one key)."""
    if b == _SIGN:  # -0.0
        b = np.uint64(0)
    return _ordered(b)


@njit(cache=True, nogil=True)
def _insertion_sort(rec, lo, hi):
    """Stable insertion sort of records ``rec[lo:hi]`` by their key (column 0)."""
    for i in range(lo + 1, hi):
        k = rec[i, 0]
        if rec[i - 1, 0] <= k:
            continue
        b = rec[i, 1]
        c = rec[i, 2]
        j = i
        while j > lo and rec[j - 1, 0] > k:
            rec[j, 0] = rec[j - 1, 0]
            rec[j, 1] = rec[j - 1, 1]
            rec[j, 2] = rec[j - 1, 2]
            j -= 1
        rec[j, 0] = k
        rec[j, 1] = b
        rec[j, 2] = c


@njit(cache=True, nogil=True)
def _sort_bucket(rec, lo, hi, tmp, stack, counts):
    """Stable sort of records ``rec[lo:hi]`` by key: MSD radix passes in cache, insertion sort at the leaves.

    Each range is split on the top 8 bits of its own key range (``key - min`` over the range), so
    clustered keys are split as finely as spread ones; ties (one key) need no work and keep their
    order. ``tmp`` holds at least ``hi - lo`` records; ``stack`` at least 9 * 256 + 1 pairs.
    """
    top = 0
    stack[0, 0] = lo
    stack[0, 1] = hi
    top = 1
    while top > 0:
        top -= 1
        a = stack[top, 0]
        b = stack[top, 1]
        if b - a <= _INSERTION:
            _insertion_sort(rec, a, b)
            continue
        kmin = rec[a, 0]
        kmax = kmin
        for i in range(a + 1, b):
            k = rec[i, 0]
            if k < kmin:
                kmin = k
            elif k > kmax:
                kmax = k
        if kmin == kmax:
            continue  # one tie: already in input order
        r = _bit_length(kmax - kmin)
        shift = np.uint64(r - _DIGIT_BITS if r > _DIGIT_BITS else 0)
        nb = int((kmax - kmin) >> shift) + 1
        for d in range(nb):
            counts[d] = 0
        for i in range(a, b):
            counts[int((rec[i, 0] - kmin) >> shift)] += 1
        total = 0
        for d in range(nb):
            c = counts[d]
            counts[d] = total
            total += c
        for i in range(a, b):
            d = int((rec[i, 0] - kmin) >> shift)
            j = counts[d]
            counts[d] = j + 1
            tmp[j, 0] = rec[i, 0]
            tmp[j, 1] = rec[i, 1]
            tmp[j, 2] = rec[i, 2]
        for i in range(b - a):
            rec[a + i, 0] = tmp[i, 0]
            rec[a + i, 1] = tmp[i, 1]
            rec[a + i, 2] = tmp[i, 2]
        # counts[d] is now the end of sub-range d (relative to a); push the ranges that need work.
        start = 0
        for d in range(nb):
            end = counts[d]
            if end - start > 1 and shift > 0:
                stack[top, 0] = a + start
                stack[top, 1] = a + end
                top += 1
            start = end


@njit(cache=True, nogil=True)
def _msd_sweep(score_bits, labels, weights, amounts, use_w, use_a, top_bits, thresholds, tp, fp, tpa, fpa):
    """Sort (key, signed weight, weighted amount) records by an MSD radix scatter, then sweep.

    Pass 1 finds the key range; pass 2 counts records per top bucket (the top ``top_bits``
    bits of ``key - min``, 1 to 16); pass 3 scatters each row's record into its bucket, in input order (stable).
    Then, from the highest bucket down, each bucket is sorted in cache (:func:`_sort_bucket`) and
    swept at once, writing one row per distinct key after the "flag nothing" row 0 (the outputs
    have room for a row per case). Summation order equals a stable sort walked from the top.
    Returns the number of rows written.
    """
    n = score_bits.shape[0]
    if n == 0:
        return 0
    kmin = _key_of(score_bits[0])
    kmax = kmin
    for i in range(1, n):
        k = _key_of(score_bits[i])
        if k < kmin:
            kmin = k
        elif k > kmax:
            kmax = k
    r = _bit_length(kmax - kmin)
    shift = np.uint64(r - top_bits if r > top_bits else 0)
    nb = int((kmax - kmin) >> shift) + 1
    counts = np.zeros(nb + 1, dtype=np.int64)
    for i in range(n):
        counts[int((_key_of(score_bits[i]) - kmin) >> shift) + 1] += 1
    biggest = 0
    for d in range(nb):
        if counts[d + 1] > biggest:
            biggest = counts[d + 1]
        counts[d + 1] += counts[d]
    # counts[d] is the start of bucket d; fill[d] its next free slot.
    fill = counts[:nb].copy()
    rec = np.empty((n, 3), dtype=np.uint64)
    recf = rec.view(np.float64)
    for i in range(n):
        k = _key_of(score_bits[i])
        d = int((k - kmin) >> shift)
        j = fill[d]
        fill[d] = j + 1
        w = weights[i] if use_w else 1.0
        rec[j, 0] = k
        recf[j, 1] = w if labels[i] else -w
        recf[j, 2] = w * amounts[i] if use_a else 0.0
    tmp = np.empty((biggest, 3), dtype=np.uint64)
    stack = np.empty((9 * 256 + 1, 2), dtype=np.int64)
    sub = np.empty(256, dtype=np.int64)
    t = 0.0
    f = 0.0
    ta = 0.0
    fa = 0.0
    row = 0
    for d in range(nb - 1, -1, -1):
        lo = counts[d]
        hi = counts[d + 1]
        if hi - lo > 1 and shift > 0:
            _sort_bucket(rec, lo, hi, tmp, stack, sub)
        i = hi - 1
        while i >= lo:
            k = rec[i, 0]
            while i >= lo and rec[i, 0] == k:
                w = recf[i, 1]
                if w > 0.0:
                    t += w
                    ta += recf[i, 2]
                else:
                    f -= w
                    fa += recf[i, 2]
                i -= 1
            row += 1
            thresholds[row] = _unordered(k)
            tp[row] = t
            fp[row] = f
            if use_a:
                tpa[row] = ta
                fpa[row] = fa
    return row


def sweep(scores, labels, weights=None, amounts=None):
    """Cumulative counts at every distinct score, highest score first.

    Parameters
    ----------
    scores : ndarray of shape (n,), float64, finite
    labels : ndarray of shape (n,), bool
    weights, amounts : ndarray of shape (n,) or None

    Returns
    -------
    thresholds : ndarray of shape (m + 1,)
        Strictly decreasing; element 0 is +inf (flag nothing), element i >= 1
        is the i-th highest distinct score.
    tp, fp : ndarray of shape (m + 1,)
        Weighted counts of positives / negatives with ``score >= thresholds[i]``.
    tp_amount, fp_amount : ndarray of shape (m + 1,) or None
        Weighted amount sums of the same cases (None without amounts).
    """
    empty = np.empty(0)
    n = scores.shape[0]
    use_a = amounts is not None
    # Room for a row per case (only the pages written are touched); a short result is copied down.
    bits, tp, fp = _first_row(n, dtype=np.uint64)
    tpa = np.empty(n + 1 if use_a else 1)
    fpa = np.empty(n + 1 if use_a else 1)
    tpa[0] = fpa[0] = 0.0  # amount sums start at 0 in row 0 (flag nothing)
    m = _msd_sweep(np.ascontiguousarray(scores, dtype=np.float64).view(np.uint64),
                   np.ascontiguousarray(labels, dtype=np.bool_).view(np.uint8),
                   empty if weights is None else weights, empty if amounts is None else amounts,
                   weights is not None, use_a, _top_bits(n), bits, tp, fp, tpa, fpa)
    thresholds = bits.view(np.float64)
    thresholds[0] = np.inf
    out = _fit(thresholds, m), _fit(tp, m), _fit(fp, m)
    if not use_a:
        return *out, None, None
    return *out, _fit(tpa, m), _fit(fpa, m)


def _top_bits(n):
    """Bits of the first radix pass for n cases: about 2**11 cases a bucket, 2 to 2**10 buckets."""
    return min(max(int(n).bit_length() - _TOP_BUCKET_LOG2, 1), _TOP_BITS_MAX)


def _fit(arr, m):
    """The first m + 1 rows of ``arr``: a view when that is most of it, else a copy (freeing the rest)."""
    rows = arr[: m + 1]
    return rows if 2 * (m + 1) >= arr.shape[0] else rows.copy()


def _first_row(m, dtype=np.float64):
    """Allocate the threshold and two count arrays of m + 1 rows; row 0 flags nothing."""
    first = np.empty(m + 1, dtype=dtype)
    a = np.empty(m + 1)
    b = np.empty(m + 1)
    first[0] = 0
    if dtype == np.float64:
        first[0] = np.inf
    a[0] = b[0] = 0.0
    return first, a, b


# -- checks of a curve's columns (one pass each; ThresholdCurve builds its messages from the result) -----
@njit(cache=True, nogil=True)
def first_not_decreasing(thresholds):
    """(kind, i) of the first break of "strictly decreasing, no NaN": kind 0 none, 1 NaN at i, 2 t[i] <= t[i+1]."""
    n = thresholds.shape[0]
    for i in range(n):
        if thresholds[i] != thresholds[i]:
            return 1, i
        if i + 1 < n and not thresholds[i + 1] < thresholds[i]:
            if thresholds[i + 1] != thresholds[i + 1]:
                return 1, i + 1
            return 2, i
    return 0, -1


@njit(cache=True, nogil=True)
def first_not_cumulative(values, total, slack):
    """(kind, i) of the first break of a cumulative column's rules, each with ``slack``.

    kind 0: none; 1: not finite at i; 2: values[0] is not 0; 3: values[i + 1] < values[i];
    4: values[i] outside [0, total]. Rules are checked row by row, in that order within a row.
    """
    n = values.shape[0]
    for i in range(n):
        v = values[i]
        if not (v - v == 0.0):  # NaN or ±inf
            return 1, i
        if i == 0 and abs(v) > slack:
            return 2, 0
        if i > 0 and v < values[i - 1] - slack:
            return 3, i - 1
        if v < -slack or v > total + slack:
            return 4, i
    return 0, -1


# -- queries: the row of flagging ``score >= t``, by binary search on the decreasing thresholds ----------
@njit(cache=True, nogil=True)
def row_at(thresholds, t):
    """The last row whose threshold is >= ``t`` (``thresholds`` strictly decreasing, row 0 +inf); O(log n)."""
    lo = 0
    hi = thresholds.shape[0]
    # Invariant: rows < lo have threshold >= t; rows >= hi have threshold < t.
    while lo < hi:
        mid = (lo + hi) >> 1
        if thresholds[mid] >= t:
            lo = mid + 1
        else:
            hi = mid
    return lo - 1


@njit(cache=True, nogil=True)
def rows_at(thresholds, ts):
    """:func:`row_at` for every value of the 1-D array ``ts``."""
    out = np.empty(ts.shape[0], dtype=np.int64)
    for i in range(ts.shape[0]):
        out[i] = row_at(thresholds, ts[i])
    return out
