"""Curves of a Dask DataFrame, computed where its partitions are; only small partials reach the client.

Exact (``grid=None``): each partition is validated and swept by the same
compiled sweep as in memory (one row per distinct score and its cumulative
counts and amounts), then the partials merge in a tree of
``split_every``-way merges of sorted runs (:mod:`aipm_sim.core.scale.partials`),
the last one on the client.
The thresholds and the counts of unweighted cases equal the in-memory curve's bit for bit; sums of
weights and amounts are added in another order (per partition, then across), so with weights or amounts
that are not exact in binary (0.1, a lognormal amount) they agree to rounding, about 1e-15 relative
(whole amounts and quarter weights stay exact: the tests use them to compare by equality).
The client receives one array of the distinct scores, so the number of
distinct scores is limited (``max_rows``, default :data:`MAX_DISTINCT_SCORES`):
past it the merge stops with a message that suggests a grid.

Binned (``grid=K`` or edges): each partition sums its cases per bin; the
sums add in the same tree. With ``grid=K`` one more pass reads the score
column alone for its lowest and highest value (and, for probabilities, the
smallest above 0 and the largest below 1), which place the K edges.

Dask is imported inside the functions only: ``import aipm_sim`` never loads it.
"""

from __future__ import annotations

import math

import numpy as np

from .._checks import require_whole
from ..engine.binned import check_grid, curve_from_bins, grid_edges
from ..engine.curve import ThresholdCurve
from ..engine.scores import MSG_COLUMN, MSG_EMPTY
from ..errors import DataError, ParameterError
from .partials import add_binned, binned_partial, exact_partial, merge_exact, partition_name

#: The most distinct scores an exact curve from Dask may have unless ``max_rows`` says otherwise:
#: 5 x 10^7 rows of 5 float64 columns are 2 GB in the client, plus as much while the last merge runs.
MAX_DISTINCT_SCORES = 50_000_000

MSG_NOT_DASK = ("frame must be a Dask DataFrame (dask.dataframe); found {}: for a pandas DataFrame use "
                "ThresholdCurve.from_scores(ScoreSet.from_frame(...))")
MSG_NEEDS_DASK = "ThresholdCurve.from_dask needs Dask: pip install 'aipm_sim[scale]'"
MSG_MAX_ROWS = "max_rows must be a whole number >= 1 (the most distinct scores of an exact curve); found {!r}"
MSG_SPLIT_EVERY = "split_every must be a whole number >= 2 (partials merged at a time); found {!r}"


def _dask():
    try:
        import dask
        import dask.dataframe as dd
    except ImportError:
        raise ImportError(MSG_NEEDS_DASK, name="dask") from None
    return dask, dd


def curve_from_dask(frame, *, score, label, amount=None, weight=None, grid=None, max_rows=None,
                    names=None, split_every=32):
    """The :class:`ThresholdCurve` (or, with ``grid``, the BinnedCurve) of a Dask DataFrame.

    The public face is :meth:`ThresholdCurve.from_dask`; the arguments are its, plus:

    Parameters
    ----------
    names : sequence of str, optional
        How error messages name each partition (e.g. its file); default
        ``"partition 3 of 8 (counting from 1)"``.
    split_every : int
        Partials merged by one task of the tree reduction (and by the client
        at the end). 32 rather than Dask's usual 8: on 2 worker processes and
        32 partitions the client merging all 32 itself (no merge on the
        workers, no partial sent twice) took 21–26 s against 32–35 s for 8.

    Raises
    ------
    DataError
        A missing column (before any work), no rows, or a partition whose
        rows break a ScoreSet rule (the in-memory message after its name);
        more than ``max_rows`` distinct scores.
    """
    dask, dd = _dask()
    if not isinstance(frame, dd.DataFrame):
        raise TypeError(MSG_NOT_DASK.format(type(frame).__name__))
    max_rows = MAX_DISTINCT_SCORES if max_rows is None else require_whole(
        max_rows, MSG_MAX_ROWS.format(max_rows), low=1)
    split_every = require_whole(split_every, MSG_SPLIT_EVERY.format(split_every), low=2)
    if grid is not None:
        grid = check_grid(grid)
    roles = {"score": score, "label": label, "amount": amount, "weight": weight}
    found = list(frame.columns)
    for role, col in roles.items():
        if col is not None and col not in found:
            raise DataError(MSG_COLUMN.format(col, role, ", ".join(map(str, found))))
    columns = list(dict.fromkeys(c for c in roles.values() if c is not None))
    parts = frame[columns].to_delayed(optimize_graph=True)
    n = len(parts)
    if names is None:
        names = [partition_name(i, n) for i in range(n)]
    elif len(names) != n:
        raise ParameterError(f"names must name each of the {n} partitions; found {len(names)} names")
    if grid is None:
        return _exact(dask, parts, names, roles, max_rows, split_every)
    if isinstance(grid, int):
        column = frame[score]
        lo, hi, inner_lo, inner_hi = dask.compute(column.min(), column.max(), column[column > 0].min(),
                                                  column[column < 1].max())
        lo, hi = float(lo), float(hi)
        if not (math.isfinite(lo) and math.isfinite(hi)):
            # NaN (no finite score, or no rows) or an infinite score: the binned pass names the rows.
            _binned_sums(dask, parts, names, roles, np.array([0.0]), (0, 0.0, 0.0), split_every)
            raise DataError(MSG_EMPTY.format("the data"))
        edges, guess = grid_edges(grid, lo, hi, inner=(float(inner_lo), float(inner_hi)))
    else:
        edges, guess = grid, (0, 0.0, 0.0)
    sums = _binned_sums(dask, parts, names, roles, edges, guess, split_every)
    if sums[0].sum() + sums[1].sum() == 0:
        raise DataError(MSG_EMPTY.format("the data"))
    return curve_from_bins(edges, sums, has_amounts=amount is not None)


def _tree(dask, nodes, combine, split_every, *args, top=1):
    """At most ``top`` delayed values from many, combining ``split_every`` at a time (a tree reduction)."""
    while len(nodes) > top:
        nodes = [dask.delayed(combine, pure=True)(nodes[i:i + split_every], *args)
                 for i in range(0, len(nodes), split_every)]
    return nodes


def _exact(dask, parts, names, roles, max_rows, split_every):
    leaves = [dask.delayed(exact_partial, pure=True)(p, names[i], roles, max_rows) for i, p in enumerate(parts)]
    # The workers merge until at most split_every partials are left; the client merges those, so that the
    # full result is written once, where it is needed, instead of on a worker and then again on arrival.
    top = list(dask.compute(*_tree(dask, leaves, merge_exact, split_every, max_rows, top=split_every)))
    fields = merge_exact(top, max_rows, columnar=True, consume=True)  # (3 or 5, rows): thresholds, tp, fp[, amounts]
    if fields.shape[1] == 1:
        raise DataError(MSG_EMPTY.format("the data"))
    has_amounts = roles["amount"] is not None
    curve = ThresholdCurve._trusted(
        thresholds=fields[0], tp=fields[1], fp=fields[2],
        positives=float(fields[1, -1]), negatives=float(fields[2, -1]),
        tp_amount=fields[3] if has_amounts else None, fp_amount=fields[4] if has_amounts else None,
        positive_amount=float(fields[3, -1]) if has_amounts else 0.0,
        negative_amount=float(fields[4, -1]) if has_amounts else 0.0,
    )
    curve._warn_degenerate()
    return curve


def _binned_sums(dask, parts, names, roles, edges, guess, split_every):
    edges = dask.delayed(edges, pure=True)  # one copy of the grid in the graph, not one per task
    leaves = [dask.delayed(binned_partial, pure=True)(p, names[i], roles, edges, guess)
              for i, p in enumerate(parts)]
    (sums,) = dask.compute(_tree(dask, leaves, add_binned, split_every)[0])
    return sums
