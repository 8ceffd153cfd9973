"""One threshold per group under a fairness rule, and what the rule costs in money."""

from __future__ import annotations

import math
import types
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._checks import require_real
from ..engine.curve import ThresholdCurve, per_period_factor
from ..engine.optimize import TOLERANCE, check_constraints, optimize
from ..engine.value import ValueModel
from ..errors import ConstraintError, DataError, DegenerateWarning, ParameterError
from . import _search
from .metrics import group_curves, group_table

#: The fairness rules, by name → the rates that must be within the tolerance across groups (read-only).
FAIRNESS_RULES = types.MappingProxyType({
    "demographic_parity": ("alert_rate",),
    "equal_opportunity": ("recall",),
    "equalized_odds": ("recall", "fpr"),
    "predictive_parity": ("precision",),
})
#: Each rule in words, for messages and labels.
RULE_WORDS = types.MappingProxyType({
    "demographic_parity": "equal alert rates (demographic parity)",
    "equal_opportunity": "equal recall (equal opportunity)",
    "equalized_odds": "equal recall and equal false positive rates (equalized odds)",
    "predictive_parity": "equal precision (predictive parity)",
})

#: Multiples of the Lagrange multipliers whose bounds are also tried per window (the smallest bound counts).
LAMBDA_SCALES = (2.0, 4.0, 8.0)

MSG_RULE = "fairness must be one of {} or None; found {!r}"
MSG_NO_CLASS = "{} compares {}, but group {!r} has no {} cases: its {} is undefined"
MSG_INFEASIBLE = "no choice of one threshold per group meets the constraints {}"
MSG_UNFAIR = ("no choice of one threshold per group meets {} within a tolerance of {:g} together with "
              "the constraints {}; without the fairness rule the best value is {:,.6g}")
MSG_ONLY_NOTHING = ("under {} within a tolerance of {:g}, the best choice is to flag nothing in any group "
                    "(that is always fair); every fair choice that flags cases is worth less or breaks a constraint")


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class GroupDecision:
    """The chosen threshold of every group, and what the fairness rule costs.

    Attributes
    ----------
    thresholds : mapping of group to float
        Flag the group's cases with ``score >= threshold`` (+inf: flag none); read-only.
    value : float
        Total value at those thresholds (currency; per period with ``volume``).
    by_group : pandas.DataFrame
        :func:`group_metrics`'s table at those thresholds.
    single_threshold : float or None
        The best common threshold for everyone under the same global
        constraints (no fairness rule); None when no common threshold meets them.
    single_threshold_value : float
        Its value (NaN when there is none).
    unconstrained_value : float
        Best value with a threshold per group and no fairness rule (the
        global constraints still apply).
    unconstrained_thresholds : mapping of group to float
        Those thresholds; read-only.
    price_of_fairness : float
        ``unconstrained_value - value`` >= 0: what the rule costs, in the value's unit.
    fairness : str or None
    tolerance : float
        Largest allowed absolute difference of the rule's rates between any two groups.
    constraints : mapping of str to float
        The global constraints (name → bound); read-only.
    volume : float or None
        Cases per period (all groups) the values count in.
    flags_nothing : bool
        True when the choice flags nothing in every group.
    note : str or None
        Words for the reader when the only worthwhile fair choice is to flag nothing.
    """

    thresholds: types.MappingProxyType
    value: float
    by_group: pd.DataFrame
    single_threshold: float | None
    single_threshold_value: float
    unconstrained_value: float
    unconstrained_thresholds: types.MappingProxyType
    price_of_fairness: float
    fairness: str | None
    tolerance: float
    constraints: types.MappingProxyType
    volume: float | None
    flags_nothing: bool
    note: str | None = None

    def to_dict(self):
        """Plain-Python summary (for JSON)."""
        def num(x):
            return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)

        table = self.by_group
        return {
            "fairness": self.fairness,
            "tolerance": self.tolerance,
            "thresholds": {str(k): v for k, v in self.thresholds.items()},
            "value": self.value,
            "unconstrained_value": self.unconstrained_value,
            "unconstrained_thresholds": {str(k): v for k, v in self.unconstrained_thresholds.items()},
            "price_of_fairness": self.price_of_fairness,
            "single_threshold": self.single_threshold,
            "single_threshold_value": num(self.single_threshold_value),
            "constraints": dict(self.constraints),
            "volume": self.volume,
            "flags_nothing": self.flags_nothing,
            "note": self.note,
            "by_group": {str(g): {c: num(table.loc[g, c]) for c in table.columns} for g in table.index},
        }


def _costs(curves, bounds, factor):
    """The global constraints as ``sum over groups of cost <= bound``: per group (m_g, K) costs and (K,) bounds."""
    P = sum(c.positives for c in curves)
    Nn = sum(c.negatives for c in curves)
    N = P + Nn
    cols = [[] for _ in curves]
    limits = []
    for name, bound in bounds.items():
        slack = TOLERANCE * max(1.0, abs(bound))
        if name == "max_fpr" and Nn == 0:
            continue  # no negatives: no false positive is possible (as in optimize)
        if name == "min_recall" and P == 0:
            return None
        terms = {
            "max_alerts": (lambda c: c.alerts * factor, bound + slack),
            "max_alert_rate": (lambda c: c.alerts / N, bound + slack),
            "max_fpr": (lambda c: c.fp / (Nn or 1.0), bound + slack),
            "min_recall": (lambda c: -c.tp / (P or 1.0), -(bound - slack)),
            "min_precision": (lambda c: (bound - slack) * c.alerts - c.tp, 0.0),
        }[name]
        for k, c in enumerate(curves):
            cols[k].append(terms[0](c))
        limits.append(terms[1])
        if name == "min_precision":  # precision needs something flagged
            for k, c in enumerate(curves):
                cols[k].append(-c.alerts)
            limits.append(-1e-300)
    costs = [np.column_stack(col) if col else np.zeros((len(c), 0)) for col, c in zip(cols, curves)]
    return costs, np.asarray(limits, dtype=float)


class _Problem:
    """Each group's rows, values and constraint terms; :meth:`solve` for a rule and tolerance."""

    def __init__(self, curves, vals, costs, limits):
        self.curves, self.vals, self.costs, self.limits = curves, vals, costs, limits
        self.constrained = len(limits) > 0
        # Lagrangian values: every window's best under the constraints is at most
        # const + (best of the adjusted values in the window), a bound the window sweep computes.
        self.lam = _search.lagrange_multipliers(vals, costs, limits)
        self.bound_vals = [v - c @ self.lam for v, c in zip(vals, costs)] if self.constrained else vals
        self.const = float(self.lam @ limits) if self.constrained else 0.0
        # The multipliers suit the problem without a rule; a fair window usually needs larger ones. Every
        # lam >= 0 gives a valid bound, so a window's bound is the smallest over these multiples of lam.
        scales = LAMBDA_SCALES if self.constrained and (self.lam > 0).any() else ()
        self.more = [([v - c @ (f * self.lam) for v, c in zip(vals, costs)], float(f * self.lam @ limits))
                     for f in scales]

    def total(self, rows):
        return float(sum(v[int(i)] for v, i in zip(self.vals, rows)))

    def _slack(self, best):
        return TOLERANCE * max(1.0, abs(best))

    def _meets(self, rows):
        if not self.constrained:
            return True
        spent = sum(c[int(i)] for c, i in zip(self.costs, rows))
        return bool((spent <= self.limits).all())

    def _best_in(self, windows, best):
        """Best rows over candidate windows ``(upper bound, rows per group)``, visited from the highest bound."""
        chosen = None
        seen = set()
        for ub, members in windows:
            if best is not None and ub <= best + self._slack(best):
                break
            key = tuple((len(m), int(m[0]), int(m[-1])) if len(m) else (0, -1, -1) for m in members)
            if key in seen:  # the same rows as a window already solved (runs: ends and length say it)
                continue
            seen.add(key)
            if not self.constrained:
                rows = [m[int(np.argmax(v[m]))] for m, v in zip(members, self.vals)]
                return self.total(rows), rows
            found = _search.branch_and_bound([v[m] for m, v in zip(members, self.vals)],
                                             [c[m] for m, c in zip(members, self.costs)], self.limits,
                                             -np.inf if best is None else best,
                                             0.0 if best is None else self._slack(best), self.lam)
            if found is not None:
                rows = [int(m[j]) for m, j in zip(members, found[1])]
                best, chosen = self.total(rows), rows
        return (best, chosen) if chosen is not None else None

    def solve(self, rule, tol):
        """``(value, rows)`` of the best choice, or None when nothing meets the rule and constraints."""
        curves = self.curves
        if rule is None:
            members = [np.arange(len(c)) for c in curves]
            ub = self.const + sum(float(v.max()) for v in self.bound_vals)
            return self._best_in([(ub, members)], None)
        width = tol + _search.RATE_SLACK
        rates = FAIRNESS_RULES[rule]
        nothing = [0] * len(curves)
        if rule == "equalized_odds":
            r1 = [c.recall for c in curves]
            r2 = [c.fpr for c in curves]
            starts, ends = self._offsets([len(c) for c in curves])
            rate1, rate2, vals = np.concatenate(r1), np.concatenate(r2), np.concatenate(self.bound_vals)
            cand1 = _distinct(rate1)
            bound1 = _search.one_rate(rate1, vals, starts, ends, cand1, width)
            order1 = np.argsort(-bound1, kind="stable")
            best, b1, b2, r1s, r2s, totals = _search.two_rates(
                rate1, rate2, vals, starts, ends, cand1, _distinct(rate2), width, order1, bound1, self.constrained,
                _search.block_max(vals))
            if not self.constrained:
                windows = [(best, self._members2(r1, r2, b1, b2, width))]
            else:
                for bv, const in self.more:  # the same windows in the same order, bounded with other multipliers
                    vals_f = np.concatenate(bv)
                    more = _search.two_rates(rate1, rate2, vals_f, starts, ends, cand1, _distinct(rate2), width,
                                             order1, bound1, True, _search.block_max(vals_f))[5]
                    totals = np.minimum(totals, more + (const - self.const))
                order = np.argsort(-totals, kind="stable")
                windows = ((self.const + totals[i],
                            [np.arange(lo, hi) for lo, hi in zip(*_search.window_runs(
                                rate1, rate2, starts, ends, r1s[i], r2s[i], width))]) for i in order)
            return self._best_in(windows, None)
        rate = rates[0]
        if rate == "precision":  # rows that flag something, sorted by precision
            perms = [1 + np.argsort(c.precision[1:], kind="stable") for c in curves]
        else:
            perms = [np.arange(len(c)) for c in curves]
        sorted_rates = [getattr(c, rate)[p] for c, p in zip(curves, perms)]
        starts, ends = self._offsets([len(p) for p in perms])
        all_rates = np.concatenate(sorted_rates)
        cand = _distinct(all_rates)
        totals = _search.one_rate(all_rates, np.concatenate([v[p] for v, p in zip(self.bound_vals, perms)]),
                                  starts, ends, cand, width)
        for bv, const in self.more:
            more = _search.one_rate(all_rates, np.concatenate([v[p] for v, p in zip(bv, perms)]), starts, ends,
                                    cand, width)
            totals = np.minimum(totals, more + (const - self.const))
        order = np.argsort(-totals, kind="stable")
        def members(c):  # each group's rows with the rate in [c, c + width]: a run of its sorted rows
            out = []
            for p, r in zip(perms, sorted_rates):
                run = p[np.searchsorted(r, c, side="left"):np.searchsorted(r, c + width, side="right")]
                out.append(np.sort(run) if rate == "precision" else run)
            return out

        windows = ((self.const + totals[i], members(cand[i])) for i in order if totals[i] > -np.inf)
        start = None
        if rate == "precision" and self._meets(nothing):  # every group flags nothing: always fair
            start = (self.total(nothing), nothing)
        found = self._best_in(windows, None if start is None else start[0])
        return found if found is not None else start

    @staticmethod
    def _offsets(sizes):
        ends = np.cumsum(sizes).astype(np.int64)
        return ends - np.asarray(sizes, dtype=np.int64), ends

    @staticmethod
    def _members2(r1, r2, a, b, width):
        """Rows of each group with recall in [a, a + width] and false positive rate in [b, b + width] (both rise
        along the rows, so the rows form one run)."""
        out = []
        for x, y in zip(r1, r2):
            lo = max(np.searchsorted(x, a, side="left"), np.searchsorted(y, b, side="left"))
            hi = min(np.searchsorted(x, a + width, side="right"), np.searchsorted(y, b + width, side="right"))
            out.append(np.arange(lo, max(lo, hi)))
        return out


def _meets_rule(curves, rows, rule, tolerance):
    """Whether one row per group meets ``rule`` within ``tolerance`` (as the searches count it)."""
    for rate in FAIRNESS_RULES[rule]:
        x = np.array([getattr(c, rate)[int(i)] for c, i in zip(curves, rows)])
        if rate == "precision" and all(int(i) == 0 for i in rows):
            continue  # every group flags nothing
        if np.isnan(x).any() or x.max() - x.min() > tolerance + _search.RATE_SLACK:
            return False
    return True


def _distinct(x):
    """Sorted distinct values of ``x`` (runs of sorted values: a stable sort merges them fast)."""
    x = np.sort(x, kind="stable")
    return x[np.concatenate(([True], x[1:] != x[:-1]))] if x.size else x


def optimize_groups(score_set, value_model, *, fairness=None, tolerance=0.0, volume=None, **constraints):
    """The best threshold for each group, deterministic, under a fairness rule and global constraints.

    Every combination of one curve row per group is considered (each group's
    exact curve, :meth:`ThresholdCurve.from_scores` of its cases), not a grid:
    the fairness rule keeps a rate of every group inside a common window of
    width ``tolerance``, whose lower end is swept over the distinct rates of all
    rows while each group keeps its best row inside it (a two-pointer walk
    with a sliding-window maximum). Cost, with ``M`` rows and ``U`` distinct
    rates in all and ``G`` groups: O(M log M + G U) for one rate; equalized
    odds repeats the walk on the false positive rate inside every recall
    window (O(U1 (G log m + G k + w)), O(M^2) at worst; see
    :mod:`aipm_sim.core.groups._search`). Global constraints are sums over
    the groups, so each window is then solved by branch and bound, exact,
    windows visited from the highest value down (exponential in ``G`` at worst).

    Parameters
    ----------
    score_set : ScoreSet
        Scored cases with ``groups``.
    value_model : ValueModel
    fairness : {"demographic_parity", "equal_opportunity", "equalized_odds", "predictive_parity"}, optional
        Equal alert rates, equal recall, equal recall and false positive
        rate, or equal precision across the groups. None: no rule.
    tolerance : float
        Largest allowed absolute difference of the rule's rates between any
        two groups (0.05: within 5 percentage points), >= 0; 1 allows anything.
    volume : float, optional
        Cases per period across all groups: values (and ``max_alerts``) are then per period.
    **constraints
        ``min_recall``, ``min_precision``, ``max_alert_rate``, ``max_fpr``,
        ``max_alerts``, as in :func:`aipm_sim.optimize`, over all groups together.

    Returns
    -------
    GroupDecision
        Ties in value go to the first window in the sweep (lowest rates) and,
        within a group, to its highest threshold.

    Notes
    -----
    Flagging nothing in every group meets every rule (for predictive parity,
    a group that flags nothing has no precision: the rule then asks every
    group to flag something, or none; below a tolerance of 1, since at 1 the
    rule allows every combination and its price is 0). A group without positives makes
    recall undefined and cannot take part in equal opportunity or equalized
    odds (DataError); without negatives the same for equalized odds.
    A fairness rule equalises the measured rates on these labels: it says
    nothing about labels that are themselves biased (see :func:`simulate_groups`).

    Raises
    ------
    ConstraintError
        When no combination meets the global constraints, or none meets them
        together with the fairness rule (the message says which).
    """
    if not isinstance(value_model, ValueModel):
        raise TypeError(f"value_model must be a ValueModel; found {type(value_model).__name__}")
    if fairness is not None and fairness not in FAIRNESS_RULES:
        raise ParameterError(MSG_RULE.format(", ".join(map(repr, FAIRNESS_RULES)), fairness))
    tolerance = require_real(tolerance, "tolerance", low=0.0)
    bounds = check_constraints(**constraints)
    if volume is not None:
        volume = require_real(volume, "volume", low=0.0, low_open=True)
    names, curves = group_curves(score_set)
    if fairness is not None:
        for rate, kind, attr in (("recall", "positive", "positives"), ("fpr", "negative", "negatives")):
            if rate in FAIRNESS_RULES[fairness]:
                for n, c in zip(names, curves):
                    if getattr(c, attr) == 0:
                        words = "recall" if rate == "recall" else "false positive rate"
                        raise DataError(MSG_NO_CLASS.format(RULE_WORDS[fairness], words, n, kind, words))
    factor = per_period_factor(volume, sum(c.n_cases for c in curves))
    vals = [value_model.value(c) * factor for c in curves]
    said = ", ".join(f"{k}={v:g}" for k, v in bounds.items())
    terms = _costs(curves, bounds, factor)
    if terms is None:
        raise ConstraintError(MSG_INFEASIBLE.format(said) + ": the data has no positive cases, so recall is undefined")
    problem = _Problem(curves, vals, *terms)
    free = problem.solve(None, 1.0)
    if free is None:
        raise ConstraintError(MSG_INFEASIBLE.format(said))
    if fairness is None or tolerance >= 1.0 or _meets_rule(curves, free[1], fairness, tolerance):
        fair = free  # the best choice without the rule already meets it
    else:
        fair = problem.solve(fairness, tolerance)
    if fair is None:
        raise ConstraintError(MSG_UNFAIR.format(RULE_WORDS[fairness], tolerance, said, free[0]))
    value, rows = fair
    unconstrained = free[0]
    flags_nothing = all(int(i) == 0 for i in rows)
    note = None
    if fairness is not None and flags_nothing and unconstrained > value + TOLERANCE * max(1.0, abs(value)):
        note = MSG_ONLY_NOTHING.format(RULE_WORDS[fairness], tolerance)
    single, single_value = _single_threshold(score_set, value_model, volume, bounds)

    def by_name(rs):
        return types.MappingProxyType({n: float(c.thresholds[int(i)]) for n, c, i in zip(names, curves, rs)})

    return GroupDecision(
        thresholds=by_name(rows),
        value=value,
        by_group=group_table(names, curves, rows, value_model=value_model, volume=volume),
        single_threshold=single,
        single_threshold_value=single_value,
        unconstrained_value=unconstrained,
        unconstrained_thresholds=by_name(free[1]),
        price_of_fairness=max(0.0, unconstrained - value),
        fairness=fairness,
        tolerance=tolerance,
        constraints=bounds,
        volume=volume,
        flags_nothing=flags_nothing,
        note=note,
    )


def _single_threshold(score_set, value_model, volume, bounds):
    """The best common threshold under the global constraints (:func:`aipm_sim.optimize` on all cases)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateWarning)  # a class missing in all groups: said elsewhere
        pooled = ThresholdCurve.from_scores(score_set)
    try:
        decision = optimize(pooled, value_model, volume=volume, **bounds)
    except ConstraintError:
        return None, math.nan
    return decision.threshold, decision.value


def fairness_frontier(score_set, value_model, *, tolerances=(0.0, 0.01, 0.02, 0.05, 0.1, 0.2), rules=None,
                      volume=None, **constraints):
    """The price of fairness as a curve: the best value for each rule at each tolerance.

    Parameters
    ----------
    score_set, value_model, volume, **constraints
        As in :func:`optimize_groups`.
    tolerances : sequence of float
        Tolerances to solve at (each >= 0).
    rules : sequence of str, optional
        Fairness rules (default: every rule in :data:`FAIRNESS_RULES`); a
        rule that cannot apply (a group without positives for recall) or
        cannot hold with the constraints gives NaN.

    Returns
    -------
    pandas.DataFrame
        One row per (rule, tolerance): ``rule``, ``tolerance``, ``value``,
        ``price_of_fairness``, ``unconstrained_value``, ``single_threshold_value``.
    """
    rules = list(FAIRNESS_RULES) if rules is None else list(rules)
    records = []
    for rule in rules:
        for tol in tolerances:
            try:
                d = optimize_groups(score_set, value_model, fairness=rule, tolerance=tol, volume=volume, **constraints)
            except (ConstraintError, DataError):
                records.append({"rule": rule, "tolerance": float(tol), "value": math.nan,
                                "price_of_fairness": math.nan, "unconstrained_value": math.nan,
                                "single_threshold_value": math.nan})
                continue
            records.append({"rule": rule, "tolerance": d.tolerance, "value": d.value,
                            "price_of_fairness": d.price_of_fairness, "unconstrained_value": d.unconstrained_value,
                            "single_threshold_value": d.single_threshold_value})
    return pd.DataFrame.from_records(records)
