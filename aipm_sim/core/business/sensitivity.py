"""How sure are we of the decision when the business numbers are rough?

* :func:`compute_sensitivity` – one parameter at a time, at its low and high
  bounds: how the best threshold (or k) and the value move, and what keeping
  today's decision would cost there (the *regret*). Feeds the tornado chart.
* :func:`compute_sensitivity_map` – two parameters on a grid: best threshold
  and value at every combination.
* :func:`compute_break_even` – the parameter value at which the decision
  flips: where the model's net value per month (or its uplift) crosses zero.

Every function re-runs :meth:`Scenario.optimize` on a copy of the scenario
made with :meth:`Scenario.replace`; nothing is approximated. Where a
parameter value leaves no decision that meets the scenario's constraints
(e.g. a precision floor the model cannot reach), the results are NaN there
and the value is recorded (``Sensitivity.infeasible``,
``BreakEven.infeasible_values``, blank cells of a map).

Signs: values and quantities are signed (gain > 0); a regret is a loss,
reported as a positive amount (>= 0).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._checks import readonly, require_real, require_whole
from ..errors import ConstraintError, ParameterError
from .scenario import MSG_UNKNOWN_PARAMETER

MSG_SAME_PARAMETER = "x and y must be two different parameters; found {!r} twice"
MSG_QUANTITY = "quantity must be one of {}; found {!r}"
MSG_SEARCH = "search range for {!r} must satisfy low < high within the allowed range [{:g}, {:g}]; found [{!r}, {!r}]"
MSG_N = "{} must be a whole number >= {}; found {!r}"

QUANTITIES = ("net_value", "uplift", "value")

#: Words for "the quantity is positive / negative", per quantity (used by :meth:`BreakEven.describe`).
QUANTITY_WORDS = {
    "net_value": ("the model earns more per month than it costs to run",
                  "the model earns less per month than it costs to run"),
    "uplift": ("the model beats the baseline", "the model does not beat the baseline"),
    "value": ("the best value per month is positive", "the best value per month is negative"),
}


def _summary(scenario, decision):
    """Threshold, k, value and the headline metrics of a decision, as a dict."""
    out = {"threshold": float(decision.threshold), "value": float(decision.value)}
    if scenario.kind == "ranking":
        p = decision.point
        out.update(k=decision.k, precision=p.precision_shown, hit_rate=p.hit_rate,
                   clicks_per_1000_sessions=p.clicks_per_1000_sessions)
    else:
        p = decision.point
        out.update(recall=p.recall, precision=p.precision, alert_rate=p.alert_rate)
    return out


def value_of_keeping(decision, scenario):
    """Value per month, under ``scenario``, of keeping ``decision``'s threshold (and k).

    The threshold is applied exactly to ``scenario``'s own model and money
    (a binormal curve is evaluated at the kept threshold itself, not at the
    nearest grid point). A capacity limit (``max_alerts``) is honoured the
    way the scenarios model it: alerts beyond the capacity are not worked,
    so the effective threshold is the higher of the kept one and
    :meth:`Scenario.capacity_threshold`. Other constraints are policies, not
    physics: they are not enforced here.
    """
    if scenario.kind == "ranking":
        point = scenario.curve().point(decision.k, decision.min_score)
        return scenario.value_model().point_value(point, sessions=scenario.volume)
    kept = float(decision.threshold)
    curve = scenario.curve(thresholds=[kept] if np.isfinite(kept) else None)
    cap = scenario.capacity_threshold(curve)
    effective = kept if cap is None else max(kept, cap)
    values = scenario.value_model().value(curve, volume=scenario.volume)
    return float(values[curve.index_at(effective)])


def _optimize_or_none(scenario):
    """``scenario.optimize()``, or None when its constraints cannot all hold."""
    try:
        return scenario.optimize()
    except ConstraintError:
        return None


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Sensitivity:
    """One-at-a-time sensitivity of the decision to each parameter's plausible range.

    Attributes
    ----------
    scenario_name : str
    base : dict
        The base decision: threshold, value (currency per month) and
        headline metrics (k for rankings).
    table : pandas.DataFrame
        One row per parameter with columns ``parameter, unit, base, low,
        high``, then for each side ``s`` in (``low``, ``high``):
        ``threshold_at_s``, ``value_at_s`` (the best value per month when
        the parameter is at that bound, signed), ``regret_at_s`` (how much
        less per month keeping the base decision earns there: a loss, >= 0),
        and for rankings ``k_at_s``; finally ``swing = |value_at_high -
        value_at_low|``. All three are NaN at a bound where the constraints
        cannot hold. Rows with such a bound come first (NaN swing), then the
        largest swing first. Parameters with ``low == high`` are left out.
    infeasible : tuple of (str, str)
        ``(parameter, side)`` for every bound where no decision meets the
        constraints; empty when there is none.
    currency : str
        The scenario's money unit (for labels).
    """

    scenario_name: str
    base: dict
    table: pd.DataFrame
    infeasible: tuple = ()
    currency: str = ""

    def to_frame(self):
        """The table (a copy)."""
        return self.table.copy()

    def regret_ranking(self):
        """Parameters by the most that keeping today's decision could lose, largest first.

        Returns
        -------
        pandas.DataFrame
            Columns ``parameter``, ``regret`` (the larger of
            ``regret_at_low`` and ``regret_at_high``, currency per month,
            >= 0) and ``side`` (``"low"`` or ``"high"``: the bound where it
            occurs; ties go to ``"low"``). Parameters whose regrets are both
            NaN (constraints cannot hold at either bound) come last.
        """
        t = self.table
        low, high = t["regret_at_low"].to_numpy(float), t["regret_at_high"].to_numpy(float)
        use_high = (high > low) | (np.isnan(low) & ~np.isnan(high))
        out = pd.DataFrame({"parameter": t["parameter"], "regret": np.where(use_high, high, low),
                            "side": np.where(use_high, "high", "low")})
        return out.sort_values("regret", ascending=False, kind="stable", na_position="last").reset_index(drop=True)


def compute_sensitivity(scenario, *, parameters=None):
    """Vary each parameter to its low and high bound, one at a time, and re-optimise.

    Parameters
    ----------
    scenario : Scenario
    parameters : sequence of str, optional
        Which parameters (default: every parameter whose low < high).

    Returns
    -------
    Sensitivity
    """
    names = _names(scenario, parameters)
    base_decision = scenario.optimize()
    rows, infeasible = [], []
    for name in names:
        p = scenario.parameters[name]
        row = {"parameter": name, "unit": p.unit, "base": p.value, "low": p.low, "high": p.high}
        for side in ("low", "high"):
            varied = scenario.replace(**{name: getattr(p, side)})
            d = _optimize_or_none(varied)
            if d is None:
                infeasible.append((name, side))
                row[f"threshold_at_{side}"] = math.nan
                if scenario.kind == "ranking":
                    row[f"k_at_{side}"] = math.nan
                row[f"value_at_{side}"] = row[f"regret_at_{side}"] = math.nan
                continue
            row[f"threshold_at_{side}"] = float(d.threshold)
            if scenario.kind == "ranking":
                row[f"k_at_{side}"] = d.k
            row[f"value_at_{side}"] = float(d.value)
            row[f"regret_at_{side}"] = max(0.0, float(d.value) - value_of_keeping(base_decision, varied))
        row["swing"] = abs(row["value_at_high"] - row["value_at_low"])
        rows.append(row)
    table = pd.DataFrame(rows)
    if len(table):
        table = table.sort_values("swing", ascending=False, kind="stable", na_position="first")
        table = table.reset_index(drop=True)
    return Sensitivity(scenario_name=scenario.name, base=_summary(scenario, base_decision), table=table,
                       infeasible=tuple(infeasible), currency=scenario.currency)


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class SensitivityMap:
    """Best threshold and value over a grid of two parameters.

    Attributes
    ----------
    x, y : str
        Parameter names (x varies along columns, y along rows).
    x_values, y_values : ndarray of shape (nx,), (ny,)
        Grid values, increasing.
    threshold, value : ndarray of shape (ny, nx)
        Best threshold and its value (currency per month) at
        ``(y_values[i], x_values[j])``; NaN where the constraints cannot hold.
    k : ndarray of shape (ny, nx) or None
        Best k (rankings only).
    x_unit, y_unit : str
    currency : str
        The scenario's money unit (for labels).
    """

    x: str
    y: str
    x_values: np.ndarray
    y_values: np.ndarray
    threshold: np.ndarray
    value: np.ndarray
    k: np.ndarray | None
    x_unit: str
    y_unit: str
    currency: str = ""

    def to_frame(self):
        """Long table: one row per grid point with x, y, threshold, value (and k)."""
        xx, yy = np.meshgrid(self.x_values, self.y_values)
        data = {self.x: xx.ravel(), self.y: yy.ravel(), "threshold": self.threshold.ravel(),
                "value": self.value.ravel()}
        if self.k is not None:
            data["k"] = self.k.ravel()
        return pd.DataFrame(data)


def compute_sensitivity_map(scenario, x, y, *, x_values=None, y_values=None, n=9):
    """Re-optimise on a grid of two parameters.

    Parameters
    ----------
    scenario : Scenario
    x, y : str
        Two different parameter names.
    x_values, y_values : array-like, optional
        Grid values (default: ``n`` values evenly from low to high).
    n : int
        Default grid size per axis, >= 2.

    Returns
    -------
    SensitivityMap
    """
    for name in (x, y):
        _names(scenario, [name])
    if x == y:
        raise ParameterError(MSG_SAME_PARAMETER.format(x))
    n = require_whole(n, MSG_N.format("n", 2, n), low=2)
    grids = []
    for name, given in ((x, x_values), (y, y_values)):
        p = scenario.parameters[name]
        vals = np.linspace(p.low, p.high, n) if given is None else np.asarray(given, dtype=np.float64).ravel()
        if vals.size == 0:
            raise ParameterError(f"{name} grid must not be empty")
        for v in vals:
            scenario.replace(**{name: float(v)})  # validates the range with the usual message
        grids.append(np.unique(vals))
    xs, ys = grids
    threshold = np.full((len(ys), len(xs)), np.nan)
    value = np.full_like(threshold, np.nan)
    ks = np.full_like(threshold, np.nan) if scenario.kind == "ranking" else None
    for i, yv in enumerate(ys):
        for j, xv in enumerate(xs):
            try:
                d = scenario.replace(**{x: float(xv), y: float(yv)}).optimize()
            except ConstraintError:
                continue
            threshold[i, j] = d.threshold
            value[i, j] = d.value
            if ks is not None:
                ks[i, j] = d.k
    return SensitivityMap(
        x=x, y=y, x_values=readonly(xs), y_values=readonly(ys), threshold=readonly(threshold),
        value=readonly(value), k=None if ks is None else readonly(ks),
        x_unit=scenario.parameters[x].unit, y_unit=scenario.parameters[y].unit, currency=scenario.currency,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class BreakEven:
    """Where a decision flips as one parameter moves.

    Attributes
    ----------
    parameter : str
    quantity : str
        ``"net_value"`` (model's net value per month after running costs,
        against the baseline: deploy or not), ``"uplift"`` (model's best
        value minus the baseline's, before running costs) or ``"value"``
        (the best value itself).
    break_even : float
        Parameter value where the quantity crosses 0 (of several crossings,
        the one nearest to the base value; every one is in ``crossings_at``);
        NaN if it does not cross within the range, which can mean "always
        pays" or "never pays": read ``quantity_at_low`` and
        ``quantity_at_high``.
    base : float
        The parameter's current value.
    ratio_to_base : float
        ``break_even / base`` (NaN when base is 0 or there is no crossing).
    positive_above : bool or None
        True if the quantity is positive above the break-even point, False
        if below; None without a crossing.
    search_low, search_high : float
        The range searched.
    quantity_at_low, quantity_at_high : float
        The quantity at the ends of the range (currency per month, signed);
        NaN where the constraints cannot hold.
    infeasible_values : tuple of float
        Parameter values tried (scan points, increasing) where the model's
        constraints cannot hold, so the quantity is undefined; crossings are
        looked for only between neighbouring values where it is defined.
        Empty when every value was feasible.
    crossings : int
        Changes of sign seen between neighbouring scan points (0: none; more
        than 1: ``break_even`` is only the one nearest to the base value).
        The quantity has three signs: negative, exactly 0 (e.g. neither the
        model nor the baseline acts on anyone) and positive, so a run of
        exact zeros is a state of its own: leaving it is a crossing.
    crossings_at : tuple of float
        Every crossing, increasing, each bisected to ``rtol`` (a crossing
        whose bracket holds values where the constraints cannot hold is
        left out: it has no single location).
    positive_between : tuple of (float, float)
        The parameter intervals, increasing, where the quantity is positive
        (> 0), bounded by crossings or the ends of the range searched.
        Empty when it is positive nowhere, or when values where the
        constraints cannot hold leave the intervals unknown.
    """

    parameter: str
    quantity: str
    break_even: float
    base: float
    ratio_to_base: float
    positive_above: bool | None
    search_low: float
    search_high: float
    quantity_at_low: float
    quantity_at_high: float
    infeasible_values: tuple = ()
    crossings: int = 0
    crossings_at: tuple = ()
    positive_between: tuple = ()

    def describe(self):
        """The result in one sentence for a PM, read from the fields (no new computation).

        E.g. "the model earns more per month than it costs to run when
        save_rate is above 0.1459 (today 0.3)", or with two crossings "…
        when offer_cost is between 0.8252 and 50.7 (today 20)": the
        intervals of ``positive_between``. When those are unknown (values
        where the constraints cannot hold), it names the crossing nearest
        to today and says how many there are; without a crossing it says
        whether the quantity is positive or negative across the whole range
        searched, or that no single break-even was found.
        """
        good, bad = QUANTITY_WORDS[self.quantity]
        today = f"(today {_num(self.base)})"
        span = f"{self.parameter} from {_num(self.search_low)} to {_num(self.search_high)}"
        if self.crossings_at and self.positive_between:
            parts = []
            for a, b in self.positive_between:
                if a <= self.search_low:
                    parts.append(f"below {_num(b)}")
                elif b >= self.search_high:
                    parts.append(f"above {_num(a)}")
                else:
                    parts.append(f"between {_num(a)} and {_num(b)}")
            return f"{good} when {self.parameter} is {' or '.join(parts)} {today}"
        if not math.isnan(self.break_even):
            if self.positive_above is None:
                return f"the break-even of {self.parameter} is {_num(self.break_even)} {today}"
            side = "above" if self.positive_above else "below"
            more = (f"; this is the nearest of {self.crossings} crossings between {_num(self.search_low)} "
                    f"and {_num(self.search_high)}" if self.crossings > 1 else "")
            return f"{good} when {self.parameter} is {side} {_num(self.break_even)} {today}{more}"
        lo, hi = self.quantity_at_low, self.quantity_at_high
        if not self.infeasible_values and lo > 0 and hi > 0:
            return f"{good} across the whole range searched ({span}): no break-even {today}"
        if not self.infeasible_values and lo < 0 and hi < 0:
            return f"{bad} across the whole range searched ({span}): no break-even {today}"
        return (f"no single break-even found for {span} {today}; "
                f"see quantity_at_low, quantity_at_high and infeasible_values")


def decision_quantity(scenario, quantity):
    """The number whose sign is the decision: see :class:`BreakEven` (currency per month).

    The baseline is :meth:`Scenario.baseline` (acting on nothing when the
    rule cannot meet the constraints). Raises ConstraintError when the
    model cannot meet them.
    """
    if quantity not in QUANTITIES:
        raise ParameterError(MSG_QUANTITY.format(", ".join(QUANTITIES), quantity))
    if quantity == "net_value":
        return scenario.opportunity_summary().net_value_per_month
    if quantity == "uplift":
        return scenario.optimize().value - scenario.baseline()[1]
    return scenario.optimize().value


def compute_break_even(scenario, parameter, *, quantity=None, search=None, n_grid=41, rtol=1e-9):
    """The value of ``parameter`` at which the decision flips.

    Scans ``n_grid`` evenly spaced values of the search range for changes
    of the quantity's sign (negative, exactly 0, positive) and bisects
    every one to ``rtol`` of the range; ``break_even`` is the one nearest
    to the parameter's base value, ``crossings_at`` holds them all and
    ``positive_between`` the intervals where the quantity is positive. A
    crossing between two scan points that cross back is not seen: refine
    ``n_grid`` or ``search`` for those.

    Parameters
    ----------
    scenario : Scenario
    parameter : str
    quantity : {"net_value", "uplift", "value"}, optional
        Default ``"net_value"`` when the scenario has opportunity costs,
        else ``"uplift"``.
    search : (float, float), optional
        Range searched; default the parameter's plausible range widened to
        ten times its width on each side, clipped to the allowed range.
    n_grid : int
        Scan points, >= 2.
    rtol : float
        Precision of the bisection, relative to the range width.

    Returns
    -------
    BreakEven
    """
    _names(scenario, [parameter])
    p = scenario.parameters[parameter]
    if quantity is None:
        quantity = "net_value" if scenario.opportunity is not None else "uplift"
    if quantity not in QUANTITIES:
        raise ParameterError(MSG_QUANTITY.format(", ".join(QUANTITIES), quantity))
    if search is None:
        width = max(p.high - p.low, abs(p.value) * 0.5, 1e-9)
        lo, hi = max(p.min, p.low - 10 * width), min(p.max, p.high + 10 * width)
    else:
        lo, hi = (float(v) for v in search)
        if not (p.min <= lo < hi <= p.max):
            raise ParameterError(MSG_SEARCH.format(parameter, p.min, p.max, search[0], search[1]))
    n_grid = require_whole(n_grid, MSG_N.format("n_grid", 2, n_grid), low=2)
    rtol = require_real(rtol, "rtol", low=0.0, low_open=True)
    infeasible = []

    def f(v):
        try:
            return float(decision_quantity(scenario.replace(**{parameter: v}), quantity))
        except ConstraintError:
            infeasible.append(v)
            return math.nan

    grid = [float(v) for v in np.linspace(lo, hi, n_grid)]
    vals = [f(v) for v in grid]
    signs = [_sign(v) for v in vals]
    # A bracket is a scan interval with defined ends whose signs (-, 0, +) differ: a run of exact zeros is a
    # state of its own, so leaving it (0 -> +) is bisected to where the quantity stops being 0.
    brackets = [i for i in range(n_grid - 1)
                if signs[i] is not None and signs[i + 1] is not None and signs[i] != signs[i + 1]]

    def bisect(i):
        a, b, sa = grid[i], grid[i + 1], signs[i]
        while b - a > rtol * (hi - lo):
            mid = 0.5 * (a + b)
            sm = _sign(f(mid))
            if sm is None:  # the constraints fail inside the bracket: no single crossing to report
                return math.nan
            if sm == sa:
                a = mid
            else:
                b = mid
        return 0.5 * (a + b)

    located = {i: bisect(i) for i in brackets}
    crossing = math.nan
    positive_above = None
    if brackets:
        i = min(brackets, key=lambda j: min(abs(grid[j] - p.value), abs(grid[j + 1] - p.value)))
        crossing = located[i]
        if not math.isnan(crossing):
            positive_above = True if signs[i + 1] == 1 else False if signs[i] == 1 else None
    crossings_at = tuple(located[i] for i in brackets if not math.isnan(located[i]))
    positive_between = ()
    if not infeasible and len(crossings_at) == len(brackets):
        # Runs of positive scan points, bounded by the crossings next to them or the ends of the range.
        edges = {i: located[i] for i in brackets}
        runs, start = [], None
        for j, sj in enumerate(signs):
            if sj == 1 and start is None:
                start = lo if j == 0 else edges[j - 1]
            if sj == 1 and (j == n_grid - 1 or signs[j + 1] != 1):
                runs.append((float(start), float(hi if j == n_grid - 1 else edges[j])))
                start = None
        positive_between = tuple(runs)
    ratio = crossing / p.value if (p.value != 0 and not math.isnan(crossing)) else math.nan
    return BreakEven(
        parameter=parameter, quantity=quantity, break_even=crossing, base=p.value, ratio_to_base=ratio,
        positive_above=positive_above, search_low=float(lo), search_high=float(hi),
        quantity_at_low=float(vals[0]), quantity_at_high=float(vals[-1]),
        infeasible_values=tuple(sorted(infeasible)), crossings=len(brackets), crossings_at=crossings_at,
        positive_between=positive_between,
    )


def _sign(x):
    """-1, 0 or 1; None for NaN (the constraints cannot hold there)."""
    if math.isnan(x):
        return None
    return (x > 0) - (x < 0)


def compute_break_even_table(scenario, *, parameters=None, quantity=None, n_grid=21):
    """:func:`compute_break_even` for several parameters, as a DataFrame (one row each).

    One column per :class:`BreakEven` field (``infeasible_values`` holds tuples).
    """
    rows = []
    for name in _names(scenario, parameters):
        b = compute_break_even(scenario, name, quantity=quantity, n_grid=n_grid)
        rows.append({f: getattr(b, f) for f in b.__dataclass_fields__})
    return pd.DataFrame(rows)


def _num(x):
    """A parameter value for a sentence: 4 significant digits, thousands separated from 1,000 on."""
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.4g}"


def _names(scenario, parameters):
    valid = list(scenario.parameters)
    if parameters is None:
        return [n for n, p in scenario.parameters.items() if p.low < p.high]
    out = []
    for name in parameters:
        if name not in scenario.parameters:
            raise ParameterError(MSG_UNKNOWN_PARAMETER.format(name, scenario.name, ", ".join(valid)))
        out.append(name)
    return out
