"""The exact searches behind :func:`aipm_sim.optimize_groups`.

Every group contributes its curve rows; a fairness rule asks one rate (two for
equalized odds) to lie within ``tolerance`` of each other across the groups,
i.e. inside a window ``[r, r + tolerance]`` whose lower end ``r`` is the
smallest chosen rate, which is the rate of some row. So sweeping ``r`` over
the distinct rates of all rows, in increasing order, and letting each group
take its best row inside the window finds the best fair combination.

Within a group the rows are sorted by the rate (alert rate, recall and false
positive rate already are, in curve order; precision is sorted once), so the
window is a run of consecutive rows whose ends only move forward as ``r``
grows: a two-pointer walk with a monotone queue of the best value in the
window (a sliding-window maximum) gives each group's best in amortised O(1).

* One rate, ``U`` distinct rates in all, ``M`` rows in all, ``G`` groups:
  O(M log M) to sort the candidates plus O(M + G U) for the sweep.
* Equalized odds (recall and false positive rate): the same walk on the
  false positive rate inside each recall window, for every distinct recall
  ``r1``; only the false positive rates ``r2`` that every group can still
  reach are visited. O(U1 (G log m + G k + w)) with ``U1`` distinct recalls,
  ``k`` the reachable ``r2`` per recall window and ``w`` the rows inside
  the windows; O(M^2) at worst, in practice a small multiple of one sweep.

With global constraints (sums over the groups) the window's best no longer
splits by group: the windows are visited from the highest unconstrained
value down, each solved exactly by branch and bound (:func:`branch_and_bound`),
until no window can beat the best found. That is exact; its worst case is
exponential in the number of groups.
"""

from __future__ import annotations

import numpy as np
from numba import njit

#: Float slack on the tolerance (rates are quotients of sums; 1/3 and 2/6 may differ in the last bit).
RATE_SLACK = 1e-12


@njit(cache=True, nogil=True)
def _window_sweep(rates, vals, starts, ends, cand, c_lo, c_hi, tol, out, dq, lo, hi, head, tail):
    """Sliding-window best per group for candidates ``cand[c_lo:c_hi]`` (increasing).

    ``rates``/``vals``: rows of all groups, group g at ``starts[g]:ends[g]``,
    rates non-decreasing there. ``out[c]`` gets the sum over groups of the best
    value with rate in ``[cand[c], cand[c] + tol]`` (-inf when a group has no
    row there). ``dq``/``lo``/``hi``/``head``/``tail`` are work arrays; the
    queue of group g lives in ``dq[starts[g]:ends[g]]``.
    """
    G = starts.shape[0]
    for g in range(G):
        lo[g] = starts[g]
        hi[g] = starts[g]
        head[g] = starts[g]
        tail[g] = starts[g]
    for c in range(c_lo, c_hi):
        r = cand[c]
        top = r + tol
        total = 0.0
        feasible = True
        for g in range(G):
            h = hi[g]
            e = ends[g]
            while h < e and rates[h] <= top:
                v = vals[h]
                while tail[g] > head[g] and vals[dq[tail[g] - 1]] < v:
                    tail[g] -= 1
                dq[tail[g]] = h
                tail[g] += 1
                h += 1
            hi[g] = h
            l = lo[g]
            while l < h and rates[l] < r:
                l += 1
            lo[g] = l
            while tail[g] > head[g] and dq[head[g]] < l:
                head[g] += 1
            if tail[g] == head[g]:
                feasible = False
            elif feasible:
                total += vals[dq[head[g]]]
        out[c] = total if feasible else -np.inf


@njit(cache=True, nogil=True)
def one_rate(rates, vals, starts, ends, cand, tol):
    """Per candidate lower end ``cand[c]``: the best total with every group's rate in the window."""
    n = rates.shape[0]
    G = starts.shape[0]
    out = np.empty(cand.shape[0])
    _window_sweep(rates, vals, starts, ends, cand, 0, cand.shape[0], tol, out,
                  np.empty(n, dtype=np.int64), np.empty(G, dtype=np.int64), np.empty(G, dtype=np.int64),
                  np.empty(G, dtype=np.int64), np.empty(G, dtype=np.int64))
    return out


@njit(cache=True, nogil=True)
def window_runs(rate1, rate2, starts, ends, a, b, tol):
    """Each group's rows (positions inside the group) with ``rate1`` in [a, a + tol] and ``rate2`` in [b, b + tol]:
    ``lo[g]:hi[g]`` (both rates rise along a group's rows, so the rows form one run)."""
    G = starts.shape[0]
    lo = np.empty(G, dtype=np.int64)
    hi = np.empty(G, dtype=np.int64)
    for g in range(G):
        x = rate1[starts[g]:ends[g]]
        y = rate2[starts[g]:ends[g]]
        lo[g] = max(np.searchsorted(x, a, side="left"), np.searchsorted(y, b, side="left"))
        hi[g] = max(lo[g], min(np.searchsorted(x, a + tol, side="right"), np.searchsorted(y, b + tol, side="right")))
    return lo, hi


#: Rows per block of the range-maximum table of :func:`two_rates`.
BLOCK = 256


def block_max(vals):
    """Maximum of each block of :data:`BLOCK` consecutive values (the last block padded with -inf)."""
    n = len(vals)
    pad = np.full(-(-n // BLOCK) * BLOCK, -np.inf)
    pad[:n] = vals
    return pad.reshape(-1, BLOCK).max(axis=1)


@njit(cache=True, nogil=True)
def _range_max(vals, blocks, lo, hi):
    """max(vals[lo:hi]) (-inf when empty), scanning whole blocks through their maxima."""
    best = -np.inf
    i = lo
    while i < hi and i % BLOCK:
        best = max(best, vals[i])
        i += 1
    while i + BLOCK <= hi:
        best = max(best, blocks[i // BLOCK])
        i += BLOCK
    while i < hi:
        best = max(best, vals[i])
        i += 1
    return best


@njit(cache=True, nogil=True)
def two_rates(rate1, rate2, vals, starts, ends, cand1, cand2, tol, order1, bound1, collect, blocks):
    """Equalized odds: the best total with every group's ``rate1`` and ``rate2`` in a common window each.

    Both rates are non-decreasing within each group's rows. The recall
    windows ``cand1`` are visited in the order ``order1``, from the highest
    upper bound ``bound1`` (the best total ignoring ``rate2``) down; without
    ``collect`` the walk stops once no bound can beat the best found. Returns
    the best total and its ``(r1, r2)`` window; with ``collect``, also every
    feasible window's best (``r1s``, ``r2s``, ``totals``), for the constrained search.
    """
    n = vals.shape[0]
    G = starts.shape[0]
    a = np.empty(G, dtype=np.int64)
    b = np.empty(G, dtype=np.int64)
    dq = np.empty(n, dtype=np.int64)
    lo = np.empty(G, dtype=np.int64)
    hi = np.empty(G, dtype=np.int64)
    head = np.empty(G, dtype=np.int64)
    tail = np.empty(G, dtype=np.int64)
    out = np.empty(cand2.shape[0])
    best = -np.inf
    best1 = np.nan
    best2 = np.nan
    cap = 16
    r1s = np.empty(cap)
    r2s = np.empty(cap)
    totals = np.empty(cap)
    k = 0
    for o in range(order1.shape[0]):
        c1 = order1[o]
        if bound1[c1] == -np.inf:
            break
        if not collect and bound1[c1] <= best:
            break
        r1 = cand1[c1]
        ok = True
        low2 = -np.inf
        high2 = np.inf
        for g in range(G):
            seg = rate1[starts[g]:ends[g]]
            a[g] = starts[g] + np.searchsorted(seg, r1, side="left")
            b[g] = starts[g] + np.searchsorted(seg, r1 + tol, side="right")
            if a[g] >= b[g]:
                ok = False
                break
            low2 = max(low2, rate2[a[g]] - tol)
            high2 = min(high2, rate2[b[g] - 1])
        if not ok or low2 > high2:
            continue
        if not collect:  # a tighter bound: each group's best row whose rate2 can still be in a common window
            tight = 0.0
            for g in range(G):
                seg = rate2[a[g]:b[g]]
                lo_g = a[g] + np.searchsorted(seg, low2, side="left")
                hi_g = a[g] + np.searchsorted(seg, high2 + tol, side="right")
                tight += _range_max(vals, blocks, lo_g, hi_g)
            if tight <= best:
                continue
        c_lo = np.searchsorted(cand2, low2, side="left")
        c_hi = np.searchsorted(cand2, high2, side="right")
        if c_lo >= c_hi:
            continue
        _window_sweep(rate2, vals, a, b, cand2, c_lo, c_hi, tol, out, dq, lo, hi, head, tail)
        for c2 in range(c_lo, c_hi):
            t = out[c2]
            if t == -np.inf:
                continue
            if t > best or (t == best and (r1 < best1 or (r1 == best1 and cand2[c2] < best2))):
                best = t
                best1 = r1
                best2 = cand2[c2]
            if collect:
                if k == cap:
                    cap *= 2
                    r1s = np.concatenate((r1s, np.empty(cap - k)))
                    r2s = np.concatenate((r2s, np.empty(cap - k)))
                    totals = np.concatenate((totals, np.empty(cap - k)))
                r1s[k] = r1
                r2s[k] = cand2[c2]
                totals[k] = t
                k += 1
    return best, best1, best2, r1s[:k], r2s[:k], totals[:k]


#: Most rows of a group filtered pairwise by :func:`_pareto` (several costs that do not move together).
PARETO_ROWS = 2000


def _pareto(vals, costs):
    """Rows of one group that no other row beats (value >= and every cost <=); in their original order."""
    if costs.shape[1] == 0:
        return np.array([int(np.argmax(vals))])
    steps = np.diff(costs, axis=0)
    if (steps >= 0).all():  # every cost grows along the rows: keep the rows that beat all earlier ones
        run = np.maximum.accumulate(np.concatenate(([-np.inf], vals[:-1])))
        return np.flatnonzero(vals > run)
    if (steps <= 0).all():  # every cost shrinks along the rows: keep those that beat all later ones
        later = np.concatenate((np.maximum.accumulate(vals[::-1])[::-1][1:], [-np.inf]))
        return np.flatnonzero(vals > later)
    if costs.shape[1] == 1:  # one cost: sort by it (ties: higher value first), keep each new best value
        order = np.lexsort((np.arange(len(vals)), -vals, costs[:, 0]))
        v = vals[order]
        run = np.maximum.accumulate(np.concatenate(([-np.inf], v[:-1])))
        return np.sort(order[v > run])
    if len(vals) > PARETO_ROWS:  # keeping every row is exact too, only the search is longer
        return np.arange(len(vals))
    order = np.lexsort((np.arange(len(vals)), -vals)).astype(np.int64)
    return np.sort(_undominated(order, np.ascontiguousarray(costs, dtype=np.float64)))


@njit(cache=True, nogil=True)
def _undominated(order, costs):
    """Rows visited in ``order`` (value decreasing) that no earlier-visited row matches or beats on every cost."""
    kept = np.empty(order.shape[0], dtype=np.int64)
    n = 0
    K = costs.shape[1]
    for j in order:
        beaten = False
        for m in range(n):
            i = kept[m]
            k = 0
            while k < K and costs[i, k] <= costs[j, k]:
                k += 1
            if k == K:
                beaten = True
                break
        if not beaten:
            kept[n] = j
            n += 1
    return kept[:n]


@njit(cache=True, nogil=True)
def _dfs(off, v, c, adj, rem_lag, rem_min, bounds, lam, incumbent, slack):
    """Depth-first branch and bound over groups ``0..G-1`` (candidates of group i at ``off[i]:off[i+1]``,
    by decreasing ``adj``); see :func:`branch_and_bound`. Returns (found, best total, chosen candidate per group)."""
    G = off.shape[0] - 1
    K = bounds.shape[0]
    best = incumbent
    found = False
    choice = np.zeros(G, dtype=np.int64)
    best_choice = np.zeros(G, dtype=np.int64)
    pos = np.zeros(G, dtype=np.int64)
    val = np.zeros(G + 1)
    cost = np.zeros((G + 1, K))
    i = 0
    pos[0] = off[0]
    while i >= 0:
        if pos[i] >= off[i + 1]:
            i -= 1
            if i >= 0:
                pos[i] += 1
            continue
        j = pos[i]
        room = 0.0
        for k in range(K):
            room += lam[k] * (bounds[k] - cost[i, k])
        if val[i] + adj[j] + rem_lag[i + 1] + room <= best + slack:
            pos[i] = off[i + 1]  # Lagrangian values decrease: nothing later in this group can do better
            continue
        ok = True
        for k in range(K):
            if cost[i, k] + c[j, k] + rem_min[i + 1, k] > bounds[k]:
                ok = False
                break
        if not ok:
            pos[i] += 1
            continue
        choice[i] = j
        val[i + 1] = val[i] + v[j]
        for k in range(K):
            cost[i + 1, k] = cost[i, k] + c[j, k]
        if i == G - 1:
            if val[i + 1] > best + slack:
                best = val[i + 1]
                found = True
                for h in range(G):
                    best_choice[h] = choice[h]
            pos[i] += 1
        else:
            i += 1
            pos[i] = off[i]
    return found, best, best_choice


def lagrange_multipliers(vals, costs, bounds, *, rounds=2, steps=40):
    """Multipliers ``lam >= 0`` of the constraints that make ``lam . bounds + sum_g max_i (v_gi - lam . c_gi)`` small.

    That expression bounds the best total under ``sum of costs <= bounds`` from
    above for every ``lam >= 0`` (Lagrangian relaxation); any ``lam`` is valid,
    a good one makes the bound tight. Coordinate-wise bisection on the sign of
    the slope ``bound_k - sum_g c_gk(argmax)``, ``rounds`` passes.
    """
    K = len(bounds)
    lam = np.zeros(K)
    if K == 0:
        return lam

    def slope(lam_, k):
        used = 0.0
        for v, c in zip(vals, costs):
            used += c[int(np.argmax(v - c @ lam_)), k]
        return bounds[k] - used

    for _ in range(rounds):
        for k in range(K):
            trial = lam.copy()
            trial[k] = 0.0
            if slope(trial, k) >= 0:
                lam[k] = 0.0
                continue
            spread_v = max(float(v.max() - v.min()) for v in vals)
            spread_c = max(float(c[:, k].max() - c[:, k].min()) for c in costs)
            hi = max(spread_v, 1.0) / max(spread_c, 1e-300)
            for _grow in range(60):
                trial[k] = hi
                if slope(trial, k) >= 0:
                    break
                hi *= 4.0
            lo = 0.0
            for _step in range(steps):
                trial[k] = 0.5 * (lo + hi)
                if slope(trial, k) >= 0:
                    hi = trial[k]
                else:
                    lo = trial[k]
            lam[k] = hi
    return lam


def branch_and_bound(vals, costs, bounds, incumbent, slack, lam=None):
    """The best choice of one row per group with ``sum of costs <= bounds``, if better than ``incumbent``.

    Depth first over the groups (fewest candidates first), each group's rows
    by decreasing Lagrangian value ``v - lam . c``; a branch is cut when even
    the Lagrangian bound of the groups left (:func:`lagrange_multipliers`)
    cannot beat the best found, or when the smallest costs left already
    break a bound. Rows another row of the same group beats on value and
    every cost are dropped first.

    Parameters
    ----------
    vals : list of ndarray, one per group
        Value of each candidate row.
    costs : list of ndarray of shape (n_g, K)
        The constraints' linear terms of each candidate row.
    bounds : ndarray of shape (K,)
    incumbent : float
        Only a total above ``incumbent + slack`` counts as better.
    lam : ndarray of shape (K,), optional
        Multipliers >= 0 (default 0: the plain bound, the sum of the best values left).

    Returns
    -------
    (float, list of int) or None
        The best total and the chosen position in each group's candidates.
    """
    G = len(vals)
    K = len(bounds)
    lam = np.zeros(K) if lam is None else np.asarray(lam, dtype=float)
    keep = [_pareto(v, c) for v, c in zip(vals, costs)]
    order_g = sorted(range(G), key=lambda g: len(keep[g]))
    cand = []
    for g in order_g:
        rows = keep[g]
        adj = vals[g][rows] - costs[g][rows] @ lam
        order = np.argsort(-adj, kind="stable")
        rows = rows[order]
        cand.append((rows, vals[g][rows], costs[g][rows], adj[order]))
    rem_lag = np.zeros(G + 1)
    rem_min = np.zeros((G + 1, K))
    for i in range(G - 1, -1, -1):
        rem_lag[i] = rem_lag[i + 1] + cand[i][3][0]
        rem_min[i] = rem_min[i + 1] + cand[i][2].min(axis=0)
    if (rem_min[0] > bounds).any():
        return None
    off = np.zeros(G + 1, dtype=np.int64)
    off[1:] = np.cumsum([len(cd[0]) for cd in cand])
    found, total, chosen = _dfs(off, np.concatenate([cd[1] for cd in cand]),
                                np.ascontiguousarray(np.concatenate([cd[2] for cd in cand]).reshape(-1, K)),
                                np.concatenate([cd[3] for cd in cand]), rem_lag, rem_min, np.asarray(bounds, dtype=float),
                                lam, float(incumbent), float(slack))
    if not found:
        return None
    rows_all = np.concatenate([cd[0] for cd in cand])
    best = [total, [int(rows_all[j]) for j in chosen]]
    picked = [0] * G
    for i, g in enumerate(order_g):
        picked[g] = int(best[1][i])
    return best[0], picked
