"""The one threshold sweep behind every curve: sort once, then count in one pass.

Unweighted cases: the scores of positives and of negatives are sorted
separately with numpy's SIMD sort (no argsort, no gather), then one merge
walks both from the top and writes a row per distinct score.

Rows with weights or amounts need a sort that carries a payload (the row
index): each score's IEEE-754 bits are mapped to an order-preserving
unsigned integer and an LSD radix sort in numba sorts them with their row
numbers, skipping the byte positions in which every key agrees.

Both passes run twice over the sorted data: once to count the rows, once to
fill arrays allocated at their exact size with numpy.

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
def _merge_sweep(pos, neg, write, thresholds, tp, fp):
    """Walk two ascending arrays from the top, one row per distinct score.

    With ``write`` False only counts the rows; returns the number of rows
    after the "flag nothing" row 0.
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
        if write:
            thresholds[row] = s + 0.0
            tp[row] = t
            fp[row] = f
    return row


@njit(cache=True, nogil=True)
def _radix_argsort(keys):
    """Indices that sort ``keys`` ascending (LSD radix, 8-bit digits, trivial digits skipped)."""
    n = keys.shape[0]
    counts = np.zeros((8, 256), dtype=np.int64)
    for i in range(n):
        k = keys[i]
        for d in range(8):
            counts[d, (k >> np.uint64(8 * d)) & np.uint64(255)] += 1
    idx = np.arange(n).astype(np.uint32)
    src_keys = keys.copy()
    dst_keys = np.empty(n, dtype=np.uint64)
    dst_idx = np.empty(n, dtype=np.uint32)
    offsets = np.empty(256, dtype=np.int64)
    for d in range(8):
        trivial = False
        for b in range(256):
            if counts[d, b] == n:
                trivial = True
        if trivial:
            continue
        total = 0
        for b in range(256):
            offsets[b] = total
            total += counts[d, b]
        shift = np.uint64(8 * d)
        for i in range(n):
            k = src_keys[i]
            b = (k >> shift) & np.uint64(255)
            j = offsets[b]
            offsets[b] = j + 1
            dst_keys[j] = k
            dst_idx[j] = idx[i]
        src_keys, dst_keys = dst_keys, src_keys
        idx, dst_idx = dst_idx, idx
    return src_keys, idx


@njit(cache=True, nogil=True)
def _sweep_payload(keys, order, labels, weights, amounts, use_w, use_a, write,
                   thresholds, tp, fp, tpa, fpa):
    """Walk keys sorted ascending from the top, reading each row through ``order``.

    With ``write`` False only counts the rows; returns the number of rows
    after the "flag nothing" row 0.
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
            w = weights[j] if use_w else 1.0
            a = w * amounts[j] if use_a else 0.0
            if labels[j]:
                t += w
                ta += a
            else:
                f += w
                fa += a
            i -= 1
        row += 1
        if write:
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
        # Unweighted: sort each class with numpy's SIMD sort, then merge.
        pos = scores[labels]
        neg = scores[~labels]
        pos.sort()
        neg.sort()
        m = _merge_sweep(pos, neg, False, empty, empty, empty)
        thresholds, tp, fp = _first_row(m)
        _merge_sweep(pos, neg, True, thresholds, tp, fp)
        return thresholds, tp, fp, None, None
    keys, order = _radix_argsort(_ordered_keys(scores))
    args = (
        keys, order, labels.view(np.uint8),
        empty if weights is None else weights,
        empty if amounts is None else amounts,
        weights is not None, amounts is not None,
    )
    m = _sweep_payload(*args, False, np.empty(0, np.uint64), empty, empty, empty, empty)
    bits, tp, fp = _first_row(m, dtype=np.uint64)
    # Amount sums start at 0 in row 0 (flag nothing).
    tpa = np.empty(m + 1)
    fpa = np.empty(m + 1)
    tpa[0] = fpa[0] = 0.0
    _sweep_payload(*args, True, bits, tp, fp, tpa, fpa)
    thresholds = bits.view(np.float64)
    thresholds[0] = np.inf
    if amounts is None:
        return thresholds, tp, fp, None, None
    return thresholds, tp, fp, tpa, fpa


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
