"""What each partition sends back, and how two of them merge (no Dask here: plain numpy and numba).

An *exact partial* is a partition's curve in the sweep's layout: decreasing
thresholds with row 0 at +inf, and 2 (counts) or 4 (counts and amounts)
cumulative columns. Two partials merge into the partial of their union by
walking both sorted threshold lists at once (a merge of sorted runs, not a
sort): at each distinct threshold the union's cumulative counts are the sum
of each side's counts at its last row at or above it.

A *binned partial* is :func:`aipm_sim.core.engine.binned.bin_sums`'s
``(4, k + 1)`` array; partials add.

Every partition is validated with :meth:`ScoreSet.from_frame`, so its
messages are the in-memory ones, prefixed with where the rows are.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ..engine._sweep import sweep
from ..engine.binned import bin_sums
from ..engine.scores import ScoreSet
from ..errors import DataError

MSG_WHERE = "{}: {}"
MSG_PARTITION = "partition {} of {} (counting from 1)"
MSG_TOO_MANY = ("the data has more than {:,} distinct scores (max_rows): an exact curve needs a row for each "
                "and would not fit in the client's memory; give grid=K (e.g. grid=100_000, the command line's "
                "--grid) for a binned curve, exact at K thresholds, or a larger max_rows")


def partition_name(i, n):
    """How messages name the ``i``-th (0-based) of ``n`` partitions."""
    return MSG_PARTITION.format(i + 1, n)


def validated(frame, where, roles):
    """The rows of one partition as a :class:`ScoreSet` (None when it has no rows).

    ``roles`` maps score, label, amount, weight to column names (amount and
    weight may be None). A :class:`DataError` is the in-memory message,
    prefixed with ``where`` (the partition or the file), so that its row
    (``data row 4 (counting from 1)``) counts within that partition.
    """
    if len(frame) == 0:
        return None
    try:
        return ScoreSet.from_frame(frame, **roles)
    except DataError as exc:
        raise DataError(MSG_WHERE.format(where, exc)) from None


def empty_exact(has_amounts):
    """The partial of no rows: only row 0 (+inf, nothing flagged)."""
    return np.array([np.inf]), np.zeros((4 if has_amounts else 2, 1))


def exact_partial(frame, where, roles, max_rows):
    """(thresholds, cumulative columns) of one partition, from the compiled sweep."""
    has_amounts = roles["amount"] is not None
    s = validated(frame, where, roles)
    if s is None:
        return empty_exact(has_amounts)
    thresholds, tp, fp, tpa, fpa = sweep(s.scores, s.labels, s.weights, s.amounts)
    _check_size(thresholds, max_rows)
    columns = (tp, fp, tpa, fpa) if has_amounts else (tp, fp)
    return np.ascontiguousarray(thresholds), np.vstack(columns)


def binned_partial(frame, where, roles, edges, guess):
    """Per-bin sums of one partition (zeros when it has no rows)."""
    s = validated(frame, where, roles)
    if s is None:
        return np.zeros((4, len(edges) + 1))
    return bin_sums(s.scores, s.labels, edges, guess, weights=s.weights, amounts=s.amounts)


@njit(cache=True, nogil=True)
def _merge(ta, ca, tb, cb, t_out, c_out):
    """Merge two partials into preallocated outputs; returns the rows written after row 0."""
    na = ta.shape[0]
    nb = tb.shape[0]
    r = ca.shape[0]
    t_out[0] = np.inf
    for k in range(r):
        c_out[k, 0] = 0.0
    i = 1
    j = 1
    row = 0
    while i < na or j < nb:
        if j >= nb or (i < na and ta[i] >= tb[j]):
            s = ta[i]
        else:
            s = tb[j]
        if i < na and ta[i] == s:
            i += 1
        if j < nb and tb[j] == s:
            j += 1
        row += 1
        t_out[row] = s
        # Rows i - 1 and j - 1 are each side's last at or above s (row 0 holds zeros).
        for k in range(r):
            c_out[k, row] = ca[k, i - 1] + cb[k, j - 1]
    return row


def merge_two(a, b, max_rows):
    """The partial of the union of two partials' rows."""
    (ta, ca), (tb, cb) = a, b
    if len(ta) == 1:
        return b
    if len(tb) == 1:
        return a
    size = len(ta) + len(tb) - 1
    t_out = np.empty(size)
    c_out = np.empty((ca.shape[0], size))
    m = _merge(ta, ca, tb, cb, t_out, c_out)
    if m + 1 < size:
        t_out, c_out = t_out[: m + 1].copy(), c_out[:, : m + 1].copy()
    _check_size(t_out, max_rows)
    return t_out, c_out


def merge_exact(parts, max_rows):
    """Merge a list of partials, pairing them in a balanced tree (each row is copied log2(len) times)."""
    parts = list(parts)
    while len(parts) > 1:
        merged = [merge_two(parts[i], parts[i + 1], max_rows) for i in range(0, len(parts) - 1, 2)]
        if len(parts) % 2:
            merged.append(parts[-1])
        parts = merged
    return parts[0]


def add_binned(parts):
    """The sum of binned partials."""
    total = np.array(parts[0], dtype=np.float64, copy=True)
    for p in parts[1:]:
        total += p
    return total


def _check_size(thresholds, max_rows):
    if len(thresholds) - 1 > max_rows:
        raise DataError(MSG_TOO_MANY.format(max_rows))
