"""How sure is a decision made on data that live in many partitions: a Poisson bootstrap on Dask.

:func:`simulate_uncertainty_dask` answers what :func:`aipm_sim.simulate_uncertainty`
answers (bands on every metric and on the value, the interval of the best
threshold) for a Dask DataFrame, and returns the same :class:`~aipm_sim.Uncertainty`,
so every reader of it (bands, ``threshold_interval``, ``regret``,
``probability_meets``, the band chart, the report) works unchanged. Only small
arrays reach the client; the rows are read twice.

Pass 1
    The curve (:func:`~aipm_sim.core.scale.dask_curve.curve_from_dask`:
    exact, or binned with ``grid=``) and the decision on it
    (:func:`aipm_sim.optimize`). The thresholds the resamples are read at are
    chosen from the curve's rows as in memory: all of them, or at most about
    ``max_rows`` evenly spaced along them, the decision's threshold always
    among them.

Pass 2
    Each partition finds every row's *bucket* (the first of those thresholds
    at or below its score) and, for each resample in turn, gives every row a
    Poisson(1) weight: how many times the row is drawn. The sums of the drawn
    weights per bucket (positives, negatives, and their amounts when there
    are amounts) form an array of shape ``(resamples, 4 or 2, m + 1)``; the
    arrays of the partitions add (a tree reduction, ``split_every`` at a
    time). That array is all the client receives: 13 MB for 200 resamples at
    2,001 thresholds with amounts, whatever the rows; a task of the tree
    holds ``split_every`` of them.

The random numbers (the seeding contract)
    Partition ``p`` (its index in the frame, counting from 0) draws from
    ``rng = numpy.random.default_rng(numpy.random.SeedSequence([seed, p]))``:
    for resample ``r = 0, 1, …`` in turn ``u = rng.random(n_p)`` (one uniform
    per row, in the partition's row order), and row ``i``'s weight is the
    Poisson(1) quantile of ``u[i]``: the least ``k`` with ``P(K <= k) > u[i]``.
    The numbers therefore depend on the seed and on how the rows are split
    into partitions (the files), never on the number of workers, the
    scheduler or the order in which tasks run. Every row takes one uniform
    per resample, so the draws are the bulk of the work: they go into one
    reused buffer (:data:`BLOCK`) and are inverted in compiled code rather
    than drawn by ``rng.poisson`` (49 ns a draw on the 2-core test machine,
    against about 7 ns for a uniform and its inversion and sum); a test
    reproduces each weight with ``scipy.stats.poisson.ppf``.

Why rescale (a ratio estimator)
    A Poisson resample does not keep the class totals: with 50 positives a
    resample holds between about 35 and 65 drawn positives, and every rate
    would swing with that number. The in-memory bootstrap stratifies by
    class, because the prevalence is a known business fact (it is measured on
    all traffic, see :mod:`aipm_sim.core.uncertainty.bootstrap`). Here each
    resample's positives (counts and amounts) are multiplied by the data's
    weighted positives over the resample's, and its negatives likewise: every
    resample then has the data's class totals (to rounding), and its rates are
    ratio estimators of the stratified ones. With many cases per class the
    bands agree with the in-memory bootstrap's (a test checks it). A resample
    that draws no positive at all (chance ``e^-n`` for ``n`` positive rows)
    has none after rescaling either: its recall is undefined (NaN) there.

Dask is imported inside the functions only: ``import aipm_sim`` never loads it.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from .._checks import require_whole
from ..engine.optimize import optimize
from ..errors import ParameterError
from ..uncertainty.bootstrap import _from_bucket_sums, _grid_rows, checked_settings
from .dask_curve import MSG_NOT_DASK, MSG_SPLIT_EVERY, _dask, _tree, curve_from_dask
from .partials import add_binned, partition_name, validated

#: Uniforms drawn at a time into one reused buffer (2 MB): resamples x rows for a small partition,
#: a block of rows of one resample for a large one. A fresh array for every draw would cost more in
#: page faults than the draws themselves (measured: 39 against 1.8 ns a uniform on a virtual machine).
BLOCK = 1 << 18


def _poisson1_cdf():
    """P(K <= k) for K ~ Poisson(1), k = 0, 1, … up to where it rounds to 1 (a uniform in [0, 1) is below it)."""
    cdf, terms, term, k = [], [], math.exp(-1.0), 0
    while True:
        terms.append(term)
        c = math.fsum(terms)
        cdf.append(min(c, 1.0))
        if c >= 1.0:
            return np.array(cdf)
        k += 1
        term /= k


_CDF = _poisson1_cdf()


@njit(cache=True, nogil=True)
def _poisson_sums(u, bucket, labels, weights, amounts, use_w, use_a, cdf, out):
    """Add each row's Poisson(1) weight (the quantile of ``u[r, i]``) into ``out[r]``, shape (c, 4 or 2, m + 1).

    Rows of ``out[r]``: positives, negatives, then (``use_a``) amount of positives, amount of negatives
    (weighted).
    The quantile is counted without branches up to 8 (P(K >= 8) = 1e-5), then searched: a branch per
    draw that the processor cannot predict (K is 0 or 1 as often) cost twice the time.
    """
    c, n = u.shape
    top = cdf.shape[0]
    c0, c1, c2, c3, c4, c5, c6, c7 = cdf[0], cdf[1], cdf[2], cdf[3], cdf[4], cdf[5], cdf[6], cdf[7]
    for r in range(c):
        o = out[r]
        for i in range(n):
            x = u[r, i]
            k = (np.int64(x >= c0) + np.int64(x >= c1) + np.int64(x >= c2) + np.int64(x >= c3)
                 + np.int64(x >= c4) + np.int64(x >= c5) + np.int64(x >= c6) + np.int64(x >= c7))
            if k == 8:
                while k < top and cdf[k] <= x:
                    k += 1
            w = k * weights[i] if use_w else float(k)
            b = bucket[i]
            row = 1 - np.int64(labels[i])
            o[row, b] += w
            if use_a:
                o[row + 2, b] += w * amounts[i]


def bucket_of(scores, thresholds):
    """Each score's bucket: the first row of ``thresholds`` (decreasing) at or below it; ``len(thresholds)``: none."""
    return (len(thresholds) - np.searchsorted(thresholds[::-1], scores, side="right")).astype(np.int64)


def poisson_partial(frame, where, index, roles, thresholds, resamples, seed):
    """The bucket sums of one partition's Poisson resamples: an array of shape (resamples, 4 or 2, m + 1).

    Rows: positives, negatives, and with an amount column their amounts (see :func:`_poisson_sums`).

    ``index`` is the partition's index (its random numbers come from ``default_rng(SeedSequence([seed, index]))``,
    see the module docstring); ``where`` names it in error messages.
    """
    m = len(thresholds)
    out = np.zeros((resamples, 4 if roles["amount"] is not None else 2, m + 1))
    s = validated(frame, where, roles)
    if s is None:
        return out
    n = len(s.scores)
    bucket = bucket_of(s.scores, thresholds)
    labels = s.labels.view(np.uint8)
    empty = np.empty(0)
    weights = empty if s.weights is None else s.weights
    amounts = empty if s.amounts is None else s.amounts
    rng = np.random.default_rng(np.random.SeedSequence([seed, index]))
    use_w, use_a = s.weights is not None, s.amounts is not None
    buffer = np.empty(min(BLOCK, resamples * n))
    if n <= BLOCK:  # several resamples per draw: rows (c, n), the same stream as one row per resample
        step = BLOCK // n
        for start in range(0, resamples, step):
            stop = min(start + step, resamples)
            u = buffer[:(stop - start) * n].reshape(stop - start, n)
            rng.random(out=u)
            _poisson_sums(u, bucket, labels, weights, amounts, use_w, use_a, _CDF, out[start:stop])
        return out
    for r in range(resamples):  # a block of rows at a time, in row order
        for i in range(0, n, BLOCK):
            j = min(i + BLOCK, n)
            u = buffer[:j - i].reshape(1, j - i)
            rng.random(out=u)
            _poisson_sums(u, bucket[i:j], labels[i:j], weights[i:j] if use_w else weights,
                          amounts[i:j] if use_a else amounts, use_w, use_a, _CDF, out[r:r + 1])
    return out


def poisson_sums(dask, parts, names, roles, thresholds, resamples, seed, split_every):
    """The bucket sums of every partition's Poisson resamples, added (shape (resamples, 4 or 2, m + 1))."""
    grid = dask.delayed(np.asarray(thresholds), pure=True)  # one copy in the graph
    leaves = [dask.delayed(poisson_partial, pure=True)(p, names[i], i, roles, grid, resamples, seed)
              for i, p in enumerate(parts)]
    (sums,) = dask.compute(_tree(dask, leaves, add_binned, split_every)[0])
    return sums


def rescaled(sums, positives, negatives):
    """Each resample's positives and negatives (counts and amounts) scaled to the data's class totals.

    ``sums`` has shape (resamples, 4 or 2, m + 1); returns (pos, neg, pos_amount, neg_amount), each
    (resamples, m + 1) (the amounts None without amount rows). A resample with no drawn case of a
    class keeps zeros for it.
    """
    out = []
    for row, total in ((0, positives), (1, negatives)):
        drawn = sums[:, row].sum(axis=1, keepdims=True)
        with np.errstate(divide="ignore", invalid="ignore"):
            factor = np.where(drawn > 0, total / drawn, 0.0)
        out.append((sums[:, row] * factor, sums[:, row + 2] * factor if sums.shape[1] == 4 else None))
    (pos, pos_a), (neg, neg_a) = out
    return pos, neg, pos_a, neg_a


def simulate_uncertainty_dask(frame, value_model, *, score, label, amount=None, weight=None, grid=None,
                              resamples=200, seed=0, confidence=0.95, volume=None, period=None, currency=None,
                              max_rows=2000, max_distinct=None, names=None, split_every=32, **constraints):
    """:func:`aipm_sim.simulate_uncertainty` for a Dask DataFrame: a Poisson bootstrap, partition by partition.

    Parameters
    ----------
    frame : dask.dataframe.DataFrame
        The labelled validation data; only the named columns are read (twice:
        once for the curve, once for the resamples).
    value_model : ValueModel
    score, label, amount, weight : str
        Column names, as in :meth:`aipm_sim.ThresholdCurve.from_dask`.
    grid : int or array, optional
        A binned curve (see :meth:`~aipm_sim.ThresholdCurve.from_dask`) for
        the decision and the thresholds; None: the exact curve.
    resamples, seed, confidence, volume, period, currency
        As in :func:`aipm_sim.simulate_uncertainty`; ``seed`` and each
        partition's index seed that partition's random numbers (see the module docstring).
    max_rows : int
        Most thresholds the resamples are read at (>= 2), as in memory.
    max_distinct : int, optional
        Most distinct scores of the exact curve (``max_rows`` of
        :meth:`~aipm_sim.ThresholdCurve.from_dask`; default its limit).
    names : sequence of str, optional
        How error messages name each partition (e.g. its file).
    split_every : int
        Partials added by one task of the tree reductions (>= 2).
    **constraints
        ``min_recall``, ``min_precision``, ``max_alert_rate``, ``max_fpr``,
        ``max_alerts``, checked again in every resample.

    Returns
    -------
    Uncertainty
        With ``positives`` and ``negatives`` equal to the data's (to
        rounding) in every resample that drew a case of each class (the
        rescaling, see the module docstring).

    Raises
    ------
    DataError
        As :meth:`~aipm_sim.ThresholdCurve.from_dask` (a missing column, no
        rows, a partition's bad row, named by its partition or file; more
        than ``max_distinct`` distinct scores, with the suggestion of a grid).
    """
    dask, dd = _dask()
    if not isinstance(frame, dd.DataFrame):
        raise TypeError(MSG_NOT_DASK.format(type(frame).__name__))
    resamples, max_rows, confidence, bounds, seed = checked_settings(value_model, resamples, max_rows, confidence,
                                                                     seed, constraints)
    split_every = require_whole(split_every, MSG_SPLIT_EVERY.format(split_every), low=2)
    roles = {"score": score, "label": label, "amount": amount, "weight": weight}

    n = frame.npartitions
    if names is None:
        names = [partition_name(i, n) for i in range(n)]
    elif len(names) != n:
        raise ParameterError(f"names must name each of the {n} partitions; found {len(names)} names")
    curve = curve_from_dask(frame, **roles, grid=grid, max_rows=max_distinct, names=names, split_every=split_every)
    decision = optimize(curve, value_model, volume=volume, period=period, currency=currency, **bounds)
    thresholds = curve.thresholds[_grid_rows(curve, decision, max_rows)]

    columns = list(dict.fromkeys(c for c in roles.values() if c is not None))
    parts = frame[columns].to_delayed(optimize_graph=True)
    sums = poisson_sums(dask, parts, names, roles, thresholds, resamples, seed, split_every)
    pos, neg, pos_a, neg_a = rescaled(sums, curve.positives, curve.negatives)
    return _from_bucket_sums(decision, thresholds, value_model, bounds, pos, neg, pos_a, neg_a,
                             resamples=resamples, seed=seed, confidence=confidence)
