"""What each partition sends back, and how partials merge (no Dask here: plain numpy and numba).

An *exact partial* is a partition's curve from the compiled sweep, as one
record per row: an array of shape (m + 1, 3) of (threshold, tp, fp), or
(m + 1, 5) with the amounts, thresholds decreasing, row 0 at +inf with zero
counts, the counts cumulative. Partials merge into the partial of their union
by walking their sorted thresholds at once (a merge of sorted runs, not a
sort): at each distinct threshold the union's counts are the sum of each
partial's counts at its last row at or above it. A large final merge
(on the client) is cut into score ranges merged on threads at once.

A *binned partial* is :func:`aipm_sim.core.engine.binned.bin_sums`'s
``(4, k + 1)`` array; partials add.

Every partition is validated with :meth:`ScoreSet.from_frame`, so its
messages are the in-memory ones, prefixed with where the rows are.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

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
def _merge(flat, first, stop, before, out, offset, columnar, with_first):
    """Merge the runs ``flat[first[q]:stop[q]]`` of k partials into ``out`` from row ``offset``.

    ``flat`` holds the partials' rows after their row 0, one after another (records of
    threshold, tp, fp[, tp_amount, fp_amount]); ``before[q]`` is partial q's record just above its
    run (its row 0, zeros, when the run starts at its first row). ``out`` is (rows, w) records or,
    if ``columnar``, (w, rows) columns, so that a final merge writes the curve's arrays directly.
    Each row written is the sum over the partials of each one's record at its last row at or above
    the row's threshold. With ``with_first`` the record above the first threshold is written first
    (+inf: the whole merge's row 0). Returns the rows written.

    The sums are running sums: when a partial moves to its next row, its increment is added
    (compensated: Neumaier's variant of Kahan's summation), so a row costs the partials that move,
    not all k. Whole counts and sums of quarters are exact at every step; other sums carry about
    one rounding of the total, as a direct sum would.
    """
    k = len(first)
    w = flat.shape[1]
    pos = first.copy()
    head = np.empty(k)  # next threshold of each run; -inf when it has none left
    cur = before.copy()  # each partial's record at its last row taken
    acc = np.zeros(w)
    comp = np.zeros(w)  # the low-order part each running sum has lost
    for q in range(k):
        head[q] = flat[pos[q], 0] if pos[q] < stop[q] else -np.inf
        for j in range(1, w):
            acc[j] += cur[q, j]
    acc[0] = np.inf
    row = offset
    if with_first:
        for j in range(w):
            if columnar:
                out[j, row] = acc[j]
            else:
                out[row, j] = acc[j]
        row += 1
    while True:
        s = head[0]
        for q in range(1, k):
            if head[q] > s:
                s = head[q]
        if s == -np.inf:
            return row - offset
        for q in range(k):
            if head[q] == s:
                i = pos[q]
                for j in range(1, w):
                    step = flat[i, j] - cur[q, j]
                    cur[q, j] = flat[i, j]
                    total = acc[j] + step
                    if abs(acc[j]) >= abs(step):
                        comp[j] += (acc[j] - total) + step
                    else:
                        comp[j] += (step - total) + acc[j]
                    acc[j] = total
                pos[q] = i + 1
                head[q] = flat[i + 1, 0] if i + 1 < stop[q] else -np.inf
        if columnar:
            out[0, row] = s
            for j in range(1, w):
                out[j, row] = acc[j] + comp[j]
        else:
            out[row, 0] = s
            for j in range(1, w):
                out[row, j] = acc[j] + comp[j]
        row += 1


#: Score ranges a large final merge is cut into, each merged on its own thread. A constant, not the
#: number of cores, so that the sums (added in a different order in each range) are the same on
#: every machine.
MERGE_RANGES = 8
#: Rows below which one range is merged (threads cost more than they save).
_RANGE_ROWS = 1_000_000


def merge_exact(parts, max_rows, *, columnar=False, consume=False):
    """The partial of the union of the rows of a list of partials: one k-way merge.

    With ``columnar``, the result is transposed: shape (3 or 5, rows), a contiguous array per field.
    With ``consume``, ``parts`` (a list) is emptied as its rows are copied, so that the client holds
    each row once. Past :data:`_RANGE_ROWS` rows the scores are cut into :data:`MERGE_RANGES`
    ranges, merged at once on as many threads as there are cores; a tie never straddles two ranges,
    and the result does not depend on the number of threads.
    """
    nonempty = [p for p in parts if p.shape[0] > 1]
    fallback = parts[0]
    if consume:
        parts.clear()
    if len(nonempty) <= 1:
        merged = nonempty[0] if nonempty else fallback
        return np.ascontiguousarray(merged.T) if columnar else merged
    width = nonempty[0].shape[1]
    lengths = np.array([p.shape[0] - 1 for p in nonempty], dtype=np.int64)
    stop = np.cumsum(lengths)
    first = stop - lengths
    flat = np.empty((int(stop[-1]), width))
    for q in range(len(nonempty)):
        flat[first[q]:stop[q]] = nonempty[q][1:]
        if consume:
            nonempty[q] = None  # the copy in flat is the one left
    del nonempty
    cuts = _range_cuts(flat, first, stop)
    size = int(stop[-1]) + 1
    out = np.empty((width, size)) if columnar else np.empty((size, width))
    # Range r: rows cuts[r, q] to cuts[r + 1, q] of each partial, written from the row after every
    # earlier range's input rows (an upper bound of its output), then moved up to close the gaps.
    # Range 0 starts at row 0 with the +inf row; the others after it.
    starts = [0] + [1 + int((cuts[r] - cuts[0]).sum()) for r in range(1, len(cuts) - 1)]

    def run(r):
        lo, hi = cuts[r], cuts[r + 1]
        before = np.zeros((len(first), width))
        above = lo > first
        before[above] = flat[lo[above] - 1]
        return _merge(flat, lo, hi, before, out, starts[r], columnar, r == 0)

    if len(cuts) == 2:
        written = [run(0)]
    else:
        with ThreadPoolExecutor(max_workers=min(os.cpu_count() or 1, len(cuts) - 1)) as pool:
            written = list(pool.map(run, range(len(cuts) - 1)))
    del flat
    rows = 0
    for start, n in zip(starts, written):
        if start != rows:
            if columnar:
                out[:, rows:rows + n] = out[:, start:start + n]
            else:
                out[rows:rows + n] = out[start:start + n]
        rows += n
    _check_size(rows, max_rows)
    if rows == size:
        return out
    return out[:, :rows].copy() if columnar else out[:rows].copy()


def _range_cuts(flat, first, stop):
    """Where each partial's run is cut into score ranges: shape (ranges + 1, k), row r the first row of
    range r in each partial (the last row: ``stop``). Cut values are thresholds spread evenly over
    the rows of all partials, so the ranges are of about equal size; a cut at value v puts every
    row with a threshold above v before it, so equal thresholds stay in one range."""
    total = int(stop[-1])
    if total < _RANGE_ROWS:
        return np.stack([first, stop])
    sample = np.sort(flat[:: max(1, total // (MERGE_RANGES * 256)), 0])[::-1]
    values = np.unique(sample[np.linspace(0, len(sample) - 1, MERGE_RANGES + 1).astype(np.int64)[1:-1]])[::-1]
    cuts = [first]
    for v in values:  # decreasing cut values
        cuts.append(_first_at_or_below(flat, first, stop, v))
    cuts.append(stop)
    return np.stack(cuts)


@njit(cache=True, nogil=True)
def _first_at_or_below(flat, first, stop, value):
    """In each run, the first row whose threshold is <= ``value`` (thresholds decrease: a binary search)."""
    out = np.empty(len(first), dtype=np.int64)
    for q in range(len(first)):
        lo, hi = first[q], stop[q]
        while lo < hi:
            mid = (lo + hi) // 2
            if flat[mid, 0] > value:
                lo = mid + 1
            else:
                hi = mid
        out[q] = lo
    return out


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
