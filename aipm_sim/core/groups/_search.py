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
def two_rates(rate1, rate2, vals, starts, ends, cand1, cand2, tol, order1, bound1, collect):
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
    order = np.lexsort((np.arange(len(vals)), -vals))
    kept = []
    for j in order:
        c = costs[j]
        if not any((costs[i] <= c).all() for i in kept):
            kept.append(j)
    return np.sort(np.array(kept, dtype=np.int64))


def branch_and_bound(vals, costs, bounds, incumbent, slack):
    """The best choice of one row per group with ``sum of costs <= bounds``, if better than ``incumbent``.

    Parameters
    ----------
    vals : list of ndarray, one per group
        Value of each candidate row.
    costs : list of ndarray of shape (n_g, K)
        The constraints' linear terms of each candidate row.
    bounds : ndarray of shape (K,)
    incumbent : float
        Only a total above ``incumbent + slack`` counts as better.

    Returns
    -------
    (float, list of int) or None
        The best total and the chosen position in each group's candidates.
    """
    G = len(vals)
    keep = [_pareto(v, c) for v, c in zip(vals, costs)]
    order_g = sorted(range(G), key=lambda g: len(keep[g]))
    cand = []
    for g in order_g:
        rows = keep[g]
        rows = rows[np.argsort(-vals[g][rows], kind="stable")]
        cand.append((rows, vals[g][rows], costs[g][rows]))
    K = len(bounds)
    rem_max = np.zeros(G + 1)
    rem_min = np.zeros((G + 1, K))
    for i in range(G - 1, -1, -1):
        rem_max[i] = rem_max[i + 1] + cand[i][1][0]
        rem_min[i] = rem_min[i + 1] + cand[i][2].min(axis=0)
    if (rem_min[0] > bounds).any():
        return None
    best = [incumbent, None]
    choice = [0] * G

    def dfs(i, value, cost):
        if i == G:
            if value > best[0] + slack:
                best[0], best[1] = value, list(choice)
            return
        rows, v, c = cand[i]
        for j in range(len(rows)):
            total = value + v[j]
            if total + rem_max[i + 1] <= best[0] + slack:
                break  # values are decreasing: no later row can do better
            spent = cost + c[j]
            if (spent + rem_min[i + 1] > bounds).any():
                continue
            choice[i] = rows[j]
            dfs(i + 1, total, spent)

    dfs(0, 0.0, np.zeros(K))
    if best[1] is None:
        return None
    picked = [0] * G
    for i, g in enumerate(order_g):
        picked[g] = int(best[1][i])
    return best[0], picked
