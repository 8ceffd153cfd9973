"""The one threshold sweep behind every curve: sort once, then count in one pass.

Unweighted cases: the scores of positives and of negatives are sorted
separately with numpy's SIMD sort (no argsort, no gather), then one merge
walks both from the top and writes a row per distinct score.

Rows with weights or amounts need a sort that carries a payload (the row
index): each score's IEEE-754 bits are mapped to an order-preserving
unsigned integer and an LSD radix sort in numba (8-bit digits) sorts them
with their row numbers, skipping the digits in which every key agrees.

Outputs are allocated with numpy. The merge writes in one pass into arrays
with room for a row per case (untouched pages cost nothing; a result far
shorter than that is copied down); the payload sweep, whose reads go through
the row index at random, is sized first by counting the distinct keys, a
sequential pass, so that it gathers the payload once.

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


@njit(cache=True, nogil=True)
def _ordered_keys(scores):
    n = scores.shape[0]
    keys = np.empty(n, dtype=np.uint64)
    buf = np.empty(1, dtype=np.float64)
    bits = buf.view(np.uint64)
    for i in range(n):
        # -0.0 and 0.0 are the same threshold; adding 0.0 turns -0.0 into 0.0.
        buf[0] = scores[i] + 0.0
        keys[i] = _ordered(bits[0])
    return keys


@njit(cache=True, nogil=True)
def _merge_sweep(pos, neg, thresholds, tp, fp):
    """Walk two ascending arrays from the top, one row per distinct score, in one pass.

    The outputs have room for a row per case (plus row 0); returns the number
    of rows written after the "flag nothing" row 0.
    """
    i = pos.shape[0] - 1
    j = neg.shape[0] - 1
    t = 0.0
    f = 0.0
    row = 0
    while i >= 0 or j >= 0:
        if j < 0 or (i >= 0 and pos[i] >= neg[j]):
            s = pos[i]
        else:
            s = neg[j]
        while i >= 0 and pos[i] == s:
            t += 1.0
            i -= 1
        while j >= 0 and neg[j] == s:
            f += 1.0
            j -= 1
        row += 1
        thresholds[row] = s + 0.0
        tp[row] = t
        fp[row] = f
    return row


@njit(cache=True, nogil=True)
def _count_distinct(keys):
    """Distinct values in a sorted array (the rows a sweep over it writes after row 0)."""
    n = keys.shape[0]
    count = 0
    for i in range(n):
        if i == 0 or keys[i] != keys[i - 1]:
            count += 1
    return count


#: LSD radix digits: 8 bits, 8 passes over 64-bit keys. (11-bit digits, 6 passes, measured 30 % slower
#: at 10^7 keys on a 2-core AVX-512 machine: 2,048 scatter targets per pass overflow the write buffers.)
_DIGIT_BITS = 8
_DIGITS = 8
_BUCKETS = 1 << _DIGIT_BITS


@njit(cache=True, nogil=True)
def _radix_argsort(keys):
    """Sorted keys and the indices that sort ``keys`` ascending (LSD radix, trivial digits skipped).

    ``keys`` is used as scratch space (its contents are undefined afterwards): the caller makes it
    for this sort and has no other use for it, and a copy would cost another 8 bytes a case.
    """
    n = keys.shape[0]
    mask = np.uint64(_BUCKETS - 1)
    counts = np.zeros((_DIGITS, _BUCKETS), dtype=np.int64)
    for i in range(n):
        k = keys[i]
        for d in range(_DIGITS):
            counts[d, (k >> np.uint64(_DIGIT_BITS * d)) & mask] += 1
    idx = np.arange(n).astype(np.uint32)
    src_keys = keys
    dst_keys = np.empty(n, dtype=np.uint64)
    dst_idx = np.empty(n, dtype=np.uint32)
    offsets = np.empty(_BUCKETS, dtype=np.int64)
    for d in range(_DIGITS):
        trivial = False
        for b in range(_BUCKETS):
            if counts[d, b] == n:
                trivial = True
        if trivial:
            continue
        total = 0
        for b in range(_BUCKETS):
            offsets[b] = total
            total += counts[d, b]
        shift = np.uint64(_DIGIT_BITS * d)
        for i in range(n):
            k = src_keys[i]
            b = (k >> shift) & mask
            j = offsets[b]
            offsets[b] = j + 1
            dst_keys[j] = k
            dst_idx[j] = idx[i]
        src_keys, dst_keys = dst_keys, src_keys
        idx, dst_idx = dst_idx, idx
    return src_keys, idx


@njit(cache=True, nogil=True)
def _pack_payload(labels, weights, amounts, use_w, use_a):
    """One 16-byte record per row: the signed weight (> 0 for a positive, < 0 for a negative: weights
    are > 0, so the sign carries the label) and the weighted amount, so that the sweep's reads
    through the sort order cost one cache miss a row, not three."""
    n = labels.shape[0]
    out = np.empty((n, 2))
    for j in range(n):
        w = weights[j] if use_w else 1.0
        out[j, 0] = w if labels[j] else -w
        out[j, 1] = w * amounts[j] if use_a else 0.0
    return out


@njit(cache=True, nogil=True)
def _sweep_payload(keys, order, payload, thresholds, tp, fp, tpa, fpa):
    """Walk keys sorted ascending from the top, reading each row's record through ``order``.

    Writes one row per distinct key after the "flag nothing" row 0 (the
    outputs are sized by :func:`_count_distinct`); returns the rows written.
    """
    t = 0.0
    f = 0.0
    ta = 0.0
    fa = 0.0
    row = 0
    i = keys.shape[0] - 1
    while i >= 0:
        k = keys[i]
        while i >= 0 and keys[i] == k:
            j = order[i]
            w = payload[j, 0]
            if w > 0.0:
                t += w
                ta += payload[j, 1]
            else:
                f -= w
                fa += payload[j, 1]
            i -= 1
        row += 1
        thresholds[row] = _unordered(k)
        tp[row] = t
        fp[row] = f
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
    if weights is None and amounts is None:
        # Unweighted: sort each class with numpy's SIMD sort, then merge in one pass into
        # arrays with room for every case (only the pages written are touched).
        pos = scores[labels]
        neg = scores[~labels]
        pos.sort()
        neg.sort()
        thresholds, tp, fp = _first_row(scores.shape[0])
        m = _merge_sweep(pos, neg, thresholds, tp, fp)
        return _fit(thresholds, m), _fit(tp, m), _fit(fp, m), None, None
    keys, order = _radix_argsort(_ordered_keys(scores))
    m = _count_distinct(keys)  # sequential over the keys: no gather of the payload twice
    bits, tp, fp = _first_row(m, dtype=np.uint64)
    # Amount sums start at 0 in row 0 (flag nothing).
    tpa = np.empty(m + 1)
    fpa = np.empty(m + 1)
    tpa[0] = fpa[0] = 0.0
    payload = _pack_payload(labels.view(np.uint8), empty if weights is None else weights,
                            empty if amounts is None else amounts, weights is not None, amounts is not None)
    _sweep_payload(keys, order, payload, bits, tp, fp, tpa, fpa)
    del payload
    thresholds = bits.view(np.float64)
    thresholds[0] = np.inf
    if amounts is None:
        return thresholds, tp, fp, None, None
    return thresholds, tp, fp, tpa, fpa


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
