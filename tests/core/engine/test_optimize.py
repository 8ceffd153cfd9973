"""optimize: against a brute-force loop over every threshold, constraint errors, Elkan's rule."""

import itertools
import math
import re

import numpy as np
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

import aipm_sim as am
from aipm_sim.core.errors import ConstraintError, DegenerateWarning, ParameterError
from aipm_sim.core.engine.optimize import (CONSTRAINTS, MSG_LABEL, MSG_UNKNOWN_CONSTRAINT, TOLERANCE, check_constraints,
                                    compute_feasibility)

inf, nan = math.inf, math.nan
CELLS = ("tp", "fp", "fn", "tn")
NAMES = ("min_recall", "min_precision", "max_alert_rate", "max_fpr", "max_alerts")


def exactly(message):
    return "^" + re.escape(message) + "$"


def make_curve(scores, labels, weights=None, amounts=None):
    ss = am.ScoreSet(scores, labels, weights=weights, amounts=amounts)
    if ss.labels.all() or not ss.labels.any():
        with pytest.warns(DegenerateWarning):
            return am.ThresholdCurve.from_scores(ss)
    return am.ThresholdCurve.from_scores(ss)


# -- the oracle: every candidate threshold, counted from the raw rows ------------------------------
def brute_rows(scores, labels, weights, amounts, vm, volume):
    """One dict per candidate threshold (+inf, then each distinct score, decreasing)."""
    scores = np.asarray(scores, dtype=float)
    y = np.asarray(labels, dtype=bool)
    w = np.ones(len(scores)) if weights is None else np.asarray(weights, dtype=float)
    a = np.zeros(len(scores)) if amounts is None else np.asarray(amounts, dtype=float)
    n = w.sum()
    scale = 1.0 if volume is None else volume / n
    rows = []
    for t in [inf, *sorted(set(scores.tolist()), reverse=True)]:
        cnt, amt = {}, {}
        for i in range(len(scores)):
            cell = ("tp" if y[i] else "fp") if scores[i] >= t else ("fn" if y[i] else "tn")
            cnt[cell] = cnt.get(cell, 0.0) + w[i]
            amt[cell] = amt.get(cell, 0.0) + w[i] * a[i]
        tp, fp, fn, tn = (cnt.get(c, 0.0) for c in CELLS)
        total = sum(getattr(vm, c) * cnt.get(c, 0.0) for c in CELLS)
        total += sum(getattr(vm, f"{c}_amount") * amt.get(c, 0.0) for c in CELLS)
        rows.append({
            "threshold": t,
            "value": total * scale,
            "recall": tp / (tp + fn) if tp + fn else nan,
            "precision": tp / (tp + fp) if tp + fp else nan,
            "alert_rate": (tp + fp) / n,
            "fpr": fp / (fp + tn) if fp + tn else nan,
            "alerts": (tp + fp) * (1.0 if volume is None else volume / n),
        })
    return rows


def meets(row, name, bound):
    metric = {"min_recall": "recall", "min_precision": "precision", "max_alert_rate": "alert_rate",
              "max_fpr": "fpr", "max_alerts": "alerts"}[name]
    x = row[metric]
    if math.isnan(x):
        # FPR is NaN only without negatives: no false positive is possible, so its upper bound holds.
        # A lower bound (recall without positives, precision where nothing is flagged) is not shown met.
        return name.startswith("max")
    slack = TOLERANCE * max(1.0, abs(bound))  # optimize's documented float slack
    return x >= bound - slack if name.startswith("min") else x <= bound + slack


def brute_best(rows, bounds):
    """Index of the best feasible row (ties: the highest threshold, i.e. the first), or None."""
    feasible = [i for i, r in enumerate(rows) if all(meets(r, k, b) for k, b in bounds.items())]
    if not feasible:
        return None
    best = max(rows[i]["value"] for i in feasible)
    return min(i for i in feasible if rows[i]["value"] == best)


def brute_binding(rows, bounds, value):
    """Every constraint in some smallest set of constraints whose removal allows a better value."""
    slack = TOLERANCE * max(1.0, abs(value))
    names = list(bounds)
    helping = []
    for size in range(1, len(names) + 1):
        for removed in itertools.combinations(names, size):
            kept = {k: b for k, b in bounds.items() if k not in removed}
            if rows[brute_best(rows, kept)]["value"] > value + slack:
                helping.append(set(removed))
    minimal = [s for s in helping if not any(o < s for o in helping)]
    return sorted(set().union(*minimal)) if minimal else []


# -- the property -------------------------------------------------------------------------------
@st.composite
def problems(draw):
    n = draw(st.integers(1, 25))
    values = st.sampled_from([-2.0, -1.0, -0.0, 0.0, 0.5, 1.0, 3.0]) if draw(st.booleans()) else st.integers(-50, 50)
    scores = [float(s) for s in draw(st.lists(values, min_size=n, max_size=n))]
    labels = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    weights = draw(st.none() | st.lists(st.integers(1, 5).map(float), min_size=n, max_size=n))
    amounts = draw(st.none() | st.lists(st.integers(0, 500).map(float), min_size=n, max_size=n))
    per_case = {c: float(draw(st.integers(-20, 20))) for c in CELLS}
    fractions = {}
    if amounts is not None:
        fractions = {f"{c}_amount": draw(st.sampled_from([-1.0, -0.5, 0.0, 0.25, 1.0])) for c in CELLS}
    vm = am.ValueModel(**per_case, **fractions)
    volume = draw(st.none() | st.integers(1, 10**6).map(float))
    rows = brute_rows(scores, labels, weights, amounts, vm, volume)
    bounds = {}
    chosen = draw(st.sets(st.sampled_from(NAMES)) | st.lists(st.booleans(), min_size=5, max_size=5).map(
        lambda keep: {name for name, k in zip(NAMES, keep) if k}))
    for name in sorted(chosen, key=NAMES.index):
        metric = {"min_recall": "recall", "min_precision": "precision", "max_alert_rate": "alert_rate",
                  "max_fpr": "fpr", "max_alerts": "alerts"}[name]
        achieved = [r[metric] for r in rows if not math.isnan(r[metric])]
        if name == "max_alerts":
            random_bound = st.floats(0.0, 2.0 * max(achieved))
        else:
            random_bound = st.floats(0.0, 1.0)
        # Half the time a bound equal to a value some row reaches exactly: the constraint is then tight.
        bound = draw(st.sampled_from(achieved) if achieved and draw(st.booleans()) else random_bound)
        bounds[name] = bound
    tolerance = draw(st.sampled_from([0.0, 0.01, 0.1]))
    return scores, labels, weights, amounts, vm, volume, bounds, tolerance, rows


@settings(max_examples=200)
@given(problems())
def test_optimize_equals_brute_force(problem):
    scores, labels, weights, amounts, vm, volume, bounds, tolerance, rows = problem
    curve = make_curve(scores, labels, weights, amounts)
    assert [r["threshold"] for r in rows] == curve.thresholds.tolist()
    best = brute_best(rows, bounds)
    event("infeasible" if best is None else f"{len(bounds)} constraint(s)")
    if best is None:
        with pytest.raises(ConstraintError) as info:
            am.optimize(curve, vm, volume=volume, tolerance=tolerance, **bounds)
        # The message names at least one of the constraints given, with its bound.
        assert any(f"{k}={b:g}" in str(info.value) for k, b in bounds.items())
        return
    d = am.optimize(curve, vm, volume=volume, tolerance=tolerance, **bounds)
    assert d.threshold == rows[best]["threshold"]
    assert d.index == best and d.point.index == best
    assert d.value == rows[best]["value"]
    assert d.unconstrained_value == max(r["value"] for r in rows)
    assert d.feasible.tolist() == [all(meets(r, k, b) for k, b in bounds.items()) for r in rows]
    assert d.values.tolist() == [r["value"] for r in rows]
    assert dict(d.constraints) == bounds and d.volume == volume
    binding = brute_binding(rows, bounds, d.value)
    assert sorted(d.binding) == sorted(binding)
    slack = TOLERANCE * max(1.0, abs(d.value))
    assert bool(d.binding) == (d.unconstrained_value > d.value + slack)
    event(f"{len(binding)} binding")
    # Near-optimal band: every feasible row within tolerance lies inside it, and its ends are such rows.
    near = [i for i, r in enumerate(rows)
            if d.feasible[i] and r["value"] >= d.value - tolerance * abs(d.value)]
    band = d.near_optimal
    assert band.tolerance == tolerance and band.rows == len(near)
    assert band.threshold_high == rows[near[0]]["threshold"] == max(rows[i]["threshold"] for i in near)
    assert band.threshold_low == rows[near[-1]]["threshold"] == min(rows[i]["threshold"] for i in near)
    for i in near:
        assert band.threshold_low <= rows[i]["threshold"] <= band.threshold_high
    assert band.alert_rate_low == rows[near[0]]["alert_rate"]
    assert band.alert_rate_high == rows[near[-1]]["alert_rate"]
    assert best in near


# -- exact toy cases -----------------------------------------------------------------------------
# Highest score first: labels 1, 0, 0, 0, 1, 1, 1, 1 (so precision dips, then recovers).
TOY_SCORES = [0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1]
TOY_LABELS = [1, 0, 0, 0, 1, 1, 1, 1]


def toy():
    return am.ThresholdCurve.from_scores(am.ScoreSet(TOY_SCORES, TOY_LABELS))


def test_unconstrained_toy():
    # tp worth 10, fp costs 4: row k flags the top k; values 0, 10, 6, 2, -2, 8, 18, 28, 38.
    d = am.optimize(toy(), am.ValueModel(tp=10, fp=-4))
    assert d.threshold == 0.1 and d.value == 38 and d.unconstrained_value == 38
    assert d.binding == () and dict(d.constraints) == {}
    assert d.point.tp == 5 and d.point.fp == 3


def test_binding_constraint_and_band():
    vm = am.ValueModel(tp=10, fp=-4)
    d = am.optimize(toy(), vm, max_alert_rate=0.5)  # at most 4 of 8 flagged: values 0, 10, 6, 2, -2
    assert d.threshold == 0.8 and d.value == 10 and d.binding == ("max_alert_rate",)
    assert d.unconstrained_value == 38
    band = d.near_optimal
    assert (band.threshold_low, band.threshold_high, band.rows) == (0.8, 0.8, 1)
    wide = am.optimize(toy(), vm, max_alert_rate=0.5, tolerance=0.5)  # rows worth >= 5: 10 and 6
    assert (wide.near_optimal.threshold_low, wide.near_optimal.threshold_high) == (0.7, 0.8)
    assert (wide.near_optimal.alert_rate_low, wide.near_optimal.alert_rate_high) == (1 / 8, 2 / 8)
    loose = am.optimize(toy(), vm, max_alert_rate=1.0, min_recall=0.2)
    assert loose.binding == () and loose.value == 38


def test_two_identical_caps_are_both_binding():
    # 100 alerts a day and 1 % of 10,000 cases a day are the same cap: together they bind, alone neither does.
    curve = am.BinormalModel(0.01, 0.8).curve()
    vm = am.ValueModel(tp=-5, fp=-5, fn=-200)
    d = am.optimize(curve, vm, max_alerts=100, max_alert_rate=0.01, volume=10_000)
    free = am.optimize(curve, vm, volume=10_000)
    assert d.value < d.unconstrained_value == free.value
    assert d.binding == ("max_alert_rate", "max_alerts")
    # Either cap alone gives the same decision and binds alone.
    assert am.optimize(curve, vm, max_alerts=100, volume=10_000).value == d.value
    assert am.optimize(curve, vm, max_alert_rate=0.01, volume=10_000).binding == ("max_alert_rate",)
    # Against the brute force over every row and every set of dropped constraints.
    values = vm.value(curve, volume=10_000)
    rows = [{"value": v, "alerts": a, "alert_rate": r}
            for v, a, r in zip(values, curve.alerts * 10_000, curve.alert_rate)]
    bounds = {"max_alert_rate": 0.01, "max_alerts": 100.0}
    assert brute_binding(rows, bounds, d.value) == list(d.binding)
    # A looser second cap (2 %) is not binding: the smallest removal that helps is max_alerts alone.
    loose = am.optimize(curve, vm, max_alerts=100, max_alert_rate=0.02, volume=10_000)
    assert loose.binding == ("max_alerts",)
    assert brute_binding(rows, {"max_alert_rate": 0.02, "max_alerts": 100.0}, loose.value) == ["max_alerts"]


def test_binding_toy_caps_together_and_apart():
    vm = am.ValueModel(tp=10, fp=1)  # values rise with every row: the caps decide
    d = am.optimize(toy(), vm, max_alerts=3, max_alert_rate=3 / 8)
    assert d.point.alerts == 3 and d.binding == ("max_alert_rate", "max_alerts")
    d = am.optimize(toy(), vm, max_alerts=3, max_alert_rate=5 / 8, min_recall=0.2)
    assert d.point.alerts == 3 and d.binding == ("max_alerts",)  # min_recall=0.2 holds at 1 alert already
    d = am.optimize(toy(), vm, max_alerts=8, max_alert_rate=1.0)
    assert d.binding == () and d.value == d.unconstrained_value


def test_ties_go_to_the_highest_threshold():
    d = am.optimize(toy(), am.ValueModel())  # every threshold is worth 0
    assert d.threshold == inf and d.index == 0
    d = am.optimize(toy(), am.ValueModel(tp=1, fp=-1), max_alert_rate=0.5)  # values 0, 1, 0, -1, -2
    assert d.threshold == 0.8


def test_max_alerts_with_and_without_volume():
    vm = am.ValueModel(tp=10, fp=1)  # values rise with every row: the constraint decides
    assert am.optimize(toy(), vm, max_alerts=3).point.alerts == 3
    # 8 cases in the data stand for 800 per day: 3 rows of the data are 300 alerts per day.
    d = am.optimize(toy(), vm, max_alerts=300, volume=800)
    assert d.point.alerts == 3 and d.value == pytest.approx(vm.value(toy())[3] * 100, rel=1e-15)
    assert am.optimize(toy(), vm, max_alerts=299, volume=800).point.alerts == 2
    assert am.optimize(toy(), vm, max_alerts=inf).point.alerts == 8


def test_min_precision_and_max_fpr():
    vm = am.ValueModel(tp=10, fp=-4)
    assert am.optimize(toy(), vm, min_precision=0.6).threshold == 0.1  # precision 5/8 at the bottom
    assert am.optimize(toy(), vm, min_precision=0.7).threshold == 0.8
    # 3 negatives, in rows 2-4: fpr 1/3 is allowed, 2/3 is not, so only the top 2 cases can be flagged.
    d = am.optimize(toy(), vm, max_fpr=0.5)
    assert d.feasible.tolist() == [True, True, True, False, False, False, False, False, False]
    assert d.threshold == 0.8 and d.binding == ("max_fpr",)


def test_decision_outputs():
    d = am.optimize(toy(), am.ValueModel(tp=10, fp=-4), min_recall=0.4, volume=80)
    out = d.to_dict()
    for key in ("threshold", "value", "precision", "recall", "alert_rate", "tp", "fp", "fn", "tn",
                "unconstrained_value", "constraints", "binding", "near_optimal", "volume"):
        assert key in out
    assert out["constraints"] == {"min_recall": 0.4} and out["volume"] == 80
    assert out["value"] == d.value == pytest.approx(38 * 10, rel=1e-15)
    for arr in (d.values, d.feasible):
        assert not arr.flags.writeable
    with pytest.raises(TypeError):
        d.constraints["min_recall"] = 0.1
    with pytest.raises(AttributeError):
        d.threshold = 0.5


def test_period_and_currency_are_labels_carried_by_the_decision():
    vm = am.ValueModel(tp=10, fp=-4)
    plain = am.optimize(toy(), vm, volume=80)
    labelled = am.optimize(toy(), vm, volume=80, period="month", currency="EUR")
    assert (plain.period, plain.currency) == (None, None)
    assert (labelled.period, labelled.currency) == ("month", "EUR")
    # Labels only: the numbers are the same.
    assert labelled.value == plain.value and labelled.threshold == plain.threshold
    assert "period" not in plain.to_dict() and "currency" not in plain.to_dict()
    assert labelled.to_dict()["period"] == "month" and labelled.to_dict()["currency"] == "EUR"


def test_alerts_per_period():
    vm = am.ValueModel(tp=10, fp=-4)
    d = am.optimize(toy(), vm, volume=800)  # all 8 flagged; 8 cases in the data stand for 800 a day
    assert d.point.alerts == 8 and d.alerts_per_period == 800
    assert am.optimize(toy(), vm, max_alert_rate=0.5).alerts_per_period == 1  # no volume: in the data


# -- feasibility, constraint by constraint -----------------------------------------------------------------
def test_feasibility_row_by_row_equals_brute_force():
    # Rows flag the top 0..8 of labels 1, 0, 0, 0, 1, 1, 1, 1; 8 cases stand for 80 a day.
    f = compute_feasibility(toy(), volume=80, min_recall=0.4, max_alerts=50, min_precision=None)
    rows = brute_rows(TOY_SCORES, TOY_LABELS, None, None, am.ValueModel(), 80)
    assert dict(f.bounds) == {"min_recall": 0.4, "max_alerts": 50.0} and f.volume == 80
    for name, bound in f.bounds.items():
        assert f.masks[name].tolist() == [meets(r, name, bound) for r in rows], name
    both = [meets(r, "min_recall", 0.4) and meets(r, "max_alerts", 50) for r in rows]
    assert f.feasible.tolist() == both == [False] * 5 + [True] * 1 + [False] * 3  # recall 2/5 at 5 alerts
    assert f.broken(0) == ("min_recall",) and f.broken(5) == () and f.broken(8) == ("max_alerts",)
    for arr in (f.feasible, *f.masks.values()):
        assert not arr.flags.writeable
    d = am.optimize(toy(), am.ValueModel(tp=10, fp=-4), volume=80, min_recall=0.4, max_alerts=50)
    assert d.feasibility.feasible.tolist() == both and d.feasible.tolist() == both
    assert dict(d.feasibility.bounds) == dict(d.constraints)
    assert compute_feasibility(toy()).feasible.all() and compute_feasibility(toy()).broken(3) == ()


def test_check_constraints():
    assert dict(check_constraints(max_alerts=300, min_recall="0.5", max_fpr=None)) == {
        "min_recall": 0.5, "max_alerts": 300.0}  # CONSTRAINTS order, numbers as floats
    assert list(CONSTRAINTS) == list(NAMES)
    assert CONSTRAINTS["max_alerts"].bounds == (0.0, inf) and CONSTRAINTS["min_recall"].kind == "min"
    with pytest.raises(TypeError, match=exactly(MSG_UNKNOWN_CONSTRAINT.format("min_recal", ", ".join(NAMES)))):
        check_constraints(min_recal=0.5)
    with pytest.raises(ParameterError, match=exactly("min_recall must be in [0, 1]; found 1.5")):
        check_constraints(min_recall=1.5)
    with pytest.raises(ParameterError, match=exactly("volume must be in (0, inf); found -3")):
        compute_feasibility(toy(), volume=-3)


# -- constraint errors --------------------------------------------------------------------------------
def test_toy_pair_conflict_with_undefined_precision():
    # max_alert_rate=0 leaves only row 0 (nothing flagged), where precision is undefined.
    with pytest.raises(ConstraintError, match=exactly(
        "min_precision=0.99 is unreachable with max_alert_rate=0: "
        "the highest precision meeting max_alert_rate=0 is undefined"
    )):
        am.optimize(toy(), am.ValueModel(), min_precision=0.99, max_fpr=0.0, max_alert_rate=0.0)


def test_single_unreachable_constraint_message():
    curve = am.ThresholdCurve.from_scores(am.ScoreSet([0.9, 0.8, 0.5], [0, 1, 0]))
    # Brute force: precision of the top 1, 2, 3 cases is 0, 1/2, 1/3.
    with pytest.raises(ConstraintError, match=exactly(
        "min_precision=0.6 is unreachable: the highest precision on this curve is 0.5"
    )):
        am.optimize(curve, am.ValueModel(tp=1), min_precision=0.6)


def test_class_rate_bounds_hold_when_the_class_is_absent():
    # No negatives: no false positive is possible, so max_fpr constrains nothing (fpr itself is NaN).
    no_negatives = make_curve([0.9, 0.8, 0.4], [1, 1, 1])
    d = am.optimize(no_negatives, am.ValueModel(tp=1, fp=-1), max_fpr=0.0)
    assert d.feasible.all() and d.binding == () and d.point.tp == 3 and math.isnan(d.point.fpr)
    assert d.feasibility.masks["max_fpr"].tolist() == [True] * 4
    # Other bounds still apply, and still bind.
    d = am.optimize(no_negatives, am.ValueModel(tp=1), max_fpr=0.0, max_alerts=2)
    assert d.point.tp == 2 and d.binding == ("max_alerts",)
    # A lower bound needs its metric to show it is met: min_recall without positives cannot be.
    no_positives = make_curve([0.9, 0.8], [0, 0])
    with pytest.raises(ConstraintError, match=exactly(
        "min_recall=0.5 is unreachable: the highest recall on this curve is undefined"
    )):
        am.optimize(no_positives, am.ValueModel(tp=1), min_recall=0.5)
    # min_precision is NaN where nothing is flagged: row 0 never meets it.
    with pytest.raises(ConstraintError, match=exactly(
        "min_precision=0.5 is unreachable: the highest precision on this curve is 0"
    )):
        am.optimize(no_positives, am.ValueModel(fp=-1), min_precision=0.5)


def test_three_constraints_that_cannot_all_hold():
    # Pairwise compatible (recall+alerts: top 5-6; precision+alerts: top 1; recall+precision: all 8)
    # but not all three: the top 5 and 6 have precision 0.4 and 0.5.
    vm = am.ValueModel(tp=1)
    for pair in ({"min_recall": 0.4, "max_alert_rate": 0.75}, {"min_precision": 0.6, "max_alert_rate": 0.75},
                 {"min_recall": 0.4, "min_precision": 0.6}):
        am.optimize(toy(), vm, **pair)
    with pytest.raises(ConstraintError, match=exactly(
        "the constraints min_recall=0.4, min_precision=0.6, max_alert_rate=0.75 cannot all hold: "
        "the highest recall meeting min_precision=0.6, max_alert_rate=0.75 is 0.2"
    )):
        am.optimize(toy(), vm, max_alert_rate=0.75, min_precision=0.6, min_recall=0.4)


@pytest.fixture(scope="module")
def fraud():
    """A sampled fraud-like data set and, by brute force, the metrics of every distinct threshold."""
    sample = am.BinormalModel(prevalence=0.05, auc=0.8).sample(4000, seed=11)
    s, y = sample.scores, sample.labels
    P, N, n = y.sum(), (~y).sum(), len(s)
    rows = []
    for t in np.unique(s):
        flagged = s >= t
        tp, fp = float((flagged & y).sum()), float((flagged & ~y).sum())
        rows.append({"recall": tp / P, "precision": tp / (tp + fp), "alert_rate": (tp + fp) / n,
                     "fpr": fp / N, "alerts": tp + fp})
    return am.ThresholdCurve.from_scores(sample), rows


METRIC = {"min_recall": "recall", "min_precision": "precision", "max_alert_rate": "alert_rate",
          "max_fpr": "fpr", "max_alerts": "alerts"}


@pytest.mark.parametrize(
    ("kwargs", "reported", "other"),
    [
        ({"min_recall": 0.95, "max_alert_rate": 0.001}, "min_recall", "max_alert_rate"),  # issue 5's example
        ({"max_alert_rate": 0.001, "min_recall": 0.95}, "min_recall", "max_alert_rate"),  # keyword order is irrelevant
        ({"min_recall": 0.9, "max_fpr": 0.05}, "min_recall", "max_fpr"),
        ({"min_recall": 0.8, "max_alerts": 20}, "min_recall", "max_alerts"),
        ({"max_fpr": 0.0, "min_recall": 0.5}, "min_recall", "max_fpr"),
        ({"min_precision": 0.6, "min_recall": 0.5}, "min_recall", "min_precision"),  # two lower bounds: optimize's order
    ],
)
def test_pair_conflict_message_with_brute_force_reachable_value(fraud, kwargs, reported, other):
    curve, rows = fraud
    bound, other_bound = kwargs[reported], kwargs[other]
    metric = METRIC[reported]
    reachable = [r[metric] for r in rows if meets(r, other, other_bound)]
    assert reachable and max(reachable) < bound  # the brute force agrees the pair cannot hold
    message = (f"{reported}={bound:g} is unreachable with {other}={other_bound:g}: "
               f"the highest {metric} meeting {other}={other_bound:g} is {max(reachable):.4g}")
    with pytest.raises(ConstraintError, match=exactly(message)):
        am.optimize(curve, am.ValueModel(tp=1), **kwargs)


# -- argument errors -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"min_recall": 1.5}, "min_recall must be in [0, 1]; found 1.5"),
        ({"min_precision": -0.1}, "min_precision must be in [0, 1]; found -0.1"),
        ({"max_alert_rate": nan}, "max_alert_rate must be in [0, 1]; found nan"),
        ({"max_fpr": "low"}, "max_fpr must be a number; found 'low'"),
        ({"max_alerts": -1}, "max_alerts must be in [0, inf]; found -1"),
        ({"volume": 0}, "volume must be in (0, inf); found 0"),
        ({"volume": inf}, "volume must be in (0, inf); found inf"),
        ({"tolerance": -0.01}, "tolerance must be in [0, inf); found -0.01"),
        ({"period": ""}, MSG_LABEL.format("period", "day", "")),
        ({"period": 30}, MSG_LABEL.format("period", "day", 30)),
        ({"currency": "  "}, MSG_LABEL.format("currency", "EUR", "  ")),
    ],
)
def test_argument_errors(kwargs, message):
    with pytest.raises(ParameterError, match=exactly(message)):
        am.optimize(toy(), am.ValueModel(tp=1), **kwargs)


def test_type_errors():
    with pytest.raises(TypeError, match=exactly("curve must be a ThresholdCurve or a BinormalModel; found ScoreSet")):
        am.optimize(am.ScoreSet([0.1], [1]), am.ValueModel())
    with pytest.raises(TypeError, match=exactly("value_model must be a ValueModel; found dict")):
        am.optimize(toy(), {"tp": 1})


# -- Elkan's rule ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("auc", [0.7, 0.85, 0.97])
@pytest.mark.parametrize(("c_fp", "c_fn"), [(1.0, 1.0), (1.0, 9.0), (1.0, 99.0), (5.0, 20.0), (30.0, 10.0)])
def test_elkan_threshold_on_a_calibrated_model(auc, c_fp, c_fn):
    # Elkan (2001): with calibrated scores, flag when p * c_fn >= (1 - p) * c_fp, i.e. p >= c_fp / (c_fp + c_fn).
    target = c_fp / (c_fp + c_fn)
    model = am.BinormalModel(prevalence=0.05, auc=auc)
    grid = target * (1 + np.linspace(-0.02, 0.02, 401))  # relative steps of 1e-4 around the target
    curve = model.curve(n_cases=1e6, thresholds=grid[(grid > 0) & (grid < 1)])
    d = am.optimize(curve, am.ValueModel(fp=-c_fp, fn=-c_fn))
    assert d.threshold == pytest.approx(target, rel=3e-4)


def test_describe_says_the_decision_in_words_with_its_units():
    vm = am.ValueModel(tp=10, fp=-4)
    # Toy, by hand: max_alert_rate 0.5 keeps the top score (1 positive of 5): value 10 in 8 cases.
    capped = am.optimize(toy(), vm, max_alert_rate=0.5, volume=800, period="day", currency="EUR")
    assert capped.describe() == (
        "flag scores >= 0.8: precision 100.0%, recall 20.0%, 100 alerts per day, value 1,000 EUR per day"
    )
    # All 8 flagged (5 of them positive), no volume: counts and value among the data's cases.
    assert am.optimize(toy(), vm).describe() == (
        "flag scores >= 0.1: precision 62.5%, recall 100.0%, 8 alerts, value 38"
    )
    # A volume without a named period; flagging nothing leaves precision undefined.
    nothing = am.optimize(toy(), am.ValueModel(fp=-1), volume=80)
    assert nothing.describe() == "flag nothing: precision n/a, recall 0.0%, 0 alerts per period, value 0 per period"
