"""What each partition sends back, and how partials merge (no Dask here: plain numpy and numba).

An *exact partial* is a partition's curve from the compiled sweep, as one
record per row: an array of shape (m + 1, 3) of (threshold, tp, fp), or
(m + 1, 5) with the amounts, thresholds decreasing, row 0 at +inf with zero
counts, the counts cumulative. Partials merge into the partial of their union
by walking their sorted thresholds at once (a merge of sorted runs, not a
sort): at each distinct threshold the union's counts are the sum of each
partial's counts at its last row at or above it.

A *binned partial* is :func:`aipm_sim.core.engine.binned.bin_sums`'s
``(4, k + 1)`` array; partials add.

Every partition is validated with :meth:`ScoreSet.from_frame`, so its
messages are the in-memory ones, prefixed with where the rows are.
"""

from __future__ import annotations

import numpy as np
from numba import njit
from numba.typed import List

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
    row = np.zeros((1, 5 if has_amounts else 3))
    row[0, 0] = np.inf
    return row


def exact_partial(frame, where, roles, max_rows):
    """The exact partial of one partition, from the compiled sweep: an array of shape (m + 1, 3 or 5).

    Row i is (threshold, tp, fp[, tp_amount, fp_amount]) of the sweep's row i: one record per
    distinct score, so that a merge reads each partial as one sequential stream.
    """
    has_amounts = roles["amount"] is not None
    s = validated(frame, where, roles)
    if s is None:
        return empty_exact(has_amounts)
    thresholds, tp, fp, tpa, fpa = sweep(s.scores, s.labels, s.weights, s.amounts)
    _check_size(len(thresholds), max_rows)
    return np.column_stack((thresholds, tp, fp, tpa, fpa) if has_amounts else (thresholds, tp, fp))


def binned_partial(frame, where, roles, edges, guess):
    """Per-bin sums of one partition (zeros when it has no rows)."""
    s = validated(frame, where, roles)
    if s is None:
        return np.zeros((4, len(edges) + 1))
    return bin_sums(s.scores, s.labels, edges, guess, weights=s.weights, amounts=s.amounts)


@njit(cache=True, nogil=True)
def _merge(parts, out, columns, columnar):
    """Merge k partials (a typed list) in one pass into ``out`` (records) or, if ``columnar``, ``columns``.

    ``columns`` has one row per record field (threshold first), so that a final merge writes the
    curve's arrays directly. Returns the rows written after row 0. Each output row is the sum, over
    the partials, of the partial's counts at its last row at or above the row's threshold (row 0 of
    a partial holds zeros), added in partition order whatever the rows before it. Each partial's next
    threshold and current counts are kept in small arrays, so the list is read once per input row.
    """
    k = len(parts)
    w = out.shape[1] if not columnar else columns.shape[0]
    pos = np.ones(k, dtype=np.int64)
    head = np.empty(k)  # next threshold of each partial; -inf when it has none left
    cur = np.zeros((k, w))  # each partial's record at its last row taken
    for q in range(k):
        head[q] = parts[q][1, 0] if parts[q].shape[0] > 1 else -np.inf
    acc = np.zeros(w)
    acc[0] = np.inf
    row = 0
    while True:
        if columnar:
            for j in range(w):
                columns[j, row] = acc[j]
        else:
            for j in range(w):
                out[row, j] = acc[j]
        s = head[0]
        for q in range(1, k):
            if head[q] > s:
                s = head[q]
        if s == -np.inf:
            return row
        for q in range(k):
            if head[q] == s:
                p = parts[q]
                i = pos[q]
                for j in range(1, w):
                    cur[q, j] = p[i, j]
                pos[q] = i + 1
                head[q] = p[i + 1, 0] if i + 1 < p.shape[0] else -np.inf
        row += 1
        acc[0] = s
        for j in range(1, w):
            total = 0.0
            for q in range(k):
                total += cur[q, j]
            acc[j] = total


def merge_exact(parts, max_rows, *, columnar=False):
    """The partial of the union of the rows of a list of partials: one k-way merge, one output allocation.

    With ``columnar``, the result is transposed: shape (3 or 5, rows), a contiguous array per field.
    (On a virtual machine a fresh page can cost more than the arithmetic: merging all at once, rather
    than two at a time, writes each row once.)
    """
    nonempty = [p for p in parts if p.shape[0] > 1]
    if len(nonempty) <= 1:
        merged = nonempty[0] if nonempty else parts[0]
        return np.ascontiguousarray(merged.T) if columnar else merged
    typed = List()
    for p in nonempty:
        typed.append(np.ascontiguousarray(p))
    size = sum(p.shape[0] - 1 for p in nonempty) + 1
    width = nonempty[0].shape[1]
    if columnar:
        out, columns = np.empty((1, width)), np.empty((width, size))
    else:
        out, columns = np.empty((size, width)), np.empty((width, 1))
    m = _merge(typed, out, columns, columnar)
    _check_size(m + 1, max_rows)
    if columnar:
        return columns[:, : m + 1].copy() if m + 1 < size else columns
    return out[: m + 1].copy() if m + 1 < size else out


def add_binned(parts):
    """The sum of binned partials."""
    total = np.array(parts[0], dtype=np.float64, copy=True)
    for p in parts[1:]:
        total += p
    return total


def _check_size(rows, max_rows):
    """``rows`` (row 0 included) within ``max_rows`` distinct scores, or DataError(MSG_TOO_MANY)."""
    if rows - 1 > max_rows:
        raise DataError(MSG_TOO_MANY.format(max_rows))
