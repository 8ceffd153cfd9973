"""ValueModel: sign convention, amount terms, per-period scaling."""

import dataclasses
import math
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

import aipm_sim as am
from aipm_sim.core.errors import ParameterError
from aipm_sim.core.engine.value import MSG_POINT_AMOUNTS


def exactly(message):
    return "^" + re.escape(message) + "$"


# Scores, labels and amounts of a toy portfolio; flagging >= 0.5 catches fraud 1 and 2 and annoys one customer.
SCORES = [0.9, 0.7, 0.6, 0.4, 0.2, 0.1]
LABELS = [1, 1, 0, 1, 0, 0]
AMOUNTS = [100.0, 50.0, 20.0, 200.0, 10.0, 5.0]


def curve(amounts=True):
    return am.ThresholdCurve.from_scores(am.ScoreSet(SCORES, LABELS, amounts=AMOUNTS if amounts else None))


def test_sign_convention_per_case_values():
    # A caught fraud saves 100, a review costs 5 (on every flagged case), a missed fraud costs 80.
    vm = am.ValueModel(tp=100 - 5, fp=-5, fn=-80, tn=0)
    c = curve(amounts=False)
    # Rows: inf, 0.9, 0.7, 0.6, 0.4, 0.2, 0.1 -> (tp, fp, fn): (0,0,3) (1,0,2) (2,0,1) (2,1,1) (3,1,0) (3,2,0) (3,3,0)
    expected = [-240, 95 - 160, 190 - 80, 190 - 5 - 80, 285 - 5, 285 - 10, 285 - 15]
    assert vm.value(c).tolist() == expected
    assert vm.value_per_case(c).tolist() == pytest.approx([v / 6 for v in expected], rel=1e-15)


def test_tn_term():
    vm = am.ValueModel(tn=2.0)
    assert vm.value(curve(amounts=False)).tolist() == [6, 6, 6, 4, 4, 2, 0]


def test_amount_terms():
    # A missed fraud loses its whole amount; a caught one recovers 90 %; a blocked good customer costs 1 % of the amount.
    vm = am.ValueModel(fn_amount=-1.0, tp_amount=0.9, fp_amount=-0.01, tn_amount=0.001)
    c = curve()
    values = vm.value(c)
    for i, t in enumerate(c.thresholds):
        flagged = np.asarray(SCORES) >= t
        y = np.asarray(LABELS) == 1
        a = np.asarray(AMOUNTS)
        want = (0.9 * a[flagged & y].sum() - 0.01 * a[flagged & ~y].sum()
                - 1.0 * a[~flagged & y].sum() + 0.001 * a[~flagged & ~y].sum())
        assert values[i] == pytest.approx(want, rel=1e-12, abs=1e-12)
    assert values[0] == pytest.approx(-350 + 0.035)  # flag nothing: every fraud amount lost


def test_volume_scaling():
    vm = am.ValueModel(tp=40, fp=-3, fn_amount=-1.0)
    c = curve()
    total = vm.value(c)
    per_day = vm.value(c, volume=12_000)
    assert_allclose(per_day, total * 12_000 / 6, rtol=1e-14)
    assert_allclose(vm.value_per_case(c), total / 6, rtol=1e-14)
    for i in range(len(c)):
        p = c.point(i)
        assert vm.point_value(p) == pytest.approx(total[i], rel=1e-14)
        assert vm.point_value(p, volume=12_000) == pytest.approx(per_day[i], rel=1e-14)


def test_point_value_equals_value_at_that_row_on_an_analytic_curve():
    m = am.BinormalModel(prevalence=0.02, auc=0.85, amount_mean=30.0, positive_amount_mean=250.0)
    c = m.curve(n_cases=5e5, thresholds=[0.1])
    vm = am.ValueModel(tp=-2, fp=-2, fn_amount=-1.0, tp_amount=-0.1)
    p = c.at(0.1)
    assert vm.point_value(p) == pytest.approx(vm.value(c)[p.index], rel=1e-12)
    assert vm.point_value(p, volume=1e4) == pytest.approx(vm.value(c, volume=1e4)[p.index], rel=1e-12)


@given(
    tp=st.integers(-50, 50), fp=st.integers(-50, 50), fn=st.integers(-50, 50), tn=st.integers(-50, 50),
    fractions=st.lists(st.sampled_from([-1.0, -0.5, 0.0, 0.25, 1.0]), min_size=4, max_size=4),
)
def test_value_equals_a_brute_force_sum_over_cases(tp, fp, fn, tn, fractions):
    vm = am.ValueModel(tp=tp, fp=fp, fn=fn, tn=tn, **dict(zip(("tp_amount", "fp_amount", "fn_amount", "tn_amount"), fractions)))
    c = curve()
    values = vm.value(c)
    per_case = {"tp": tp, "fp": fp, "fn": fn, "tn": tn}
    fraction = dict(zip(("tp", "fp", "fn", "tn"), fractions))
    for i, t in enumerate(c.thresholds):
        total = 0.0
        for s, y, a in zip(SCORES, LABELS, AMOUNTS):
            cell = ("tp" if y else "fp") if s >= t else ("fn" if y else "tn")
            total += per_case[cell] + fraction[cell] * a
        assert values[i] == total  # integers and quarters of integer amounts: exact


def test_amount_terms_need_a_curve_with_amounts():
    vm = am.ValueModel(tp=1.0, fn_amount=-1.0, fp_amount=-0.5)
    message = ("the value model uses amounts (fp_amount, fn_amount) but the curve has none: "
               "give the scored data an amount column")
    with pytest.raises(ParameterError, match=exactly(message)):
        vm.value(curve(amounts=False))
    with pytest.raises(ParameterError, match=exactly(message)):
        am.optimize(curve(amounts=False), vm)
    point = curve(amounts=False).point(2)
    with pytest.raises(ParameterError, match=exactly("the value model uses amounts but the operating point has none")):
        vm.point_value(point)
    # Per-case terms alone work on either curve.
    assert am.ValueModel(tp=1.0).value(curve(amounts=False)).tolist() == am.ValueModel(tp=1.0).value(curve()).tolist()
    assert not am.ValueModel(tp=1.0).uses_amounts and vm.uses_amounts


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"tp": "a lot"}, "tp must be a number; found 'a lot'"),
        ({"fp": math.nan}, "fp must be in (-inf, inf); found nan"),
        ({"fn": math.inf}, "fn must be in (-inf, inf); found inf"),
        ({"tn_amount": -math.inf}, "tn_amount must be in (-inf, inf); found -inf"),
    ],
)
def test_parameter_errors(kwargs, message):
    with pytest.raises(ParameterError, match=exactly(message)):
        am.ValueModel(**kwargs)


def test_volume_errors():
    vm = am.ValueModel(tp=1.0)
    with pytest.raises(ParameterError, match=exactly("volume must be in [0, inf); found -1")):
        vm.value(curve(), volume=-1)
    with pytest.raises(ParameterError, match=exactly("volume must be in [0, inf); found inf")):
        vm.point_value(curve().point(1), volume=math.inf)


def test_value_model_is_frozen_and_numbers_are_floats():
    vm = am.ValueModel(tp=3, fn_amount=-1)
    assert isinstance(vm.tp, float) and vm.fp == 0.0
    with pytest.raises(AttributeError):
        vm.tp = 4.0
    assert dataclasses.replace(vm, tp=5).tp == 5.0


# -- value per cell ---------------------------------------------------------------------------------------
@given(
    tp=st.integers(-50, 50), fp=st.integers(-50, 50), fn=st.integers(-50, 50), tn=st.integers(-50, 50),
    fractions=st.lists(st.sampled_from([-1.0, -0.5, 0.0, 0.25, 1.0]), min_size=4, max_size=4),
    row=st.integers(0, 6), volume=st.sampled_from([None, 600.0]),
)
def test_cell_values_equal_a_brute_force_sum_over_each_cells_cases(tp, fp, fn, tn, fractions, row, volume):
    shares = dict(zip(("tp_amount", "fp_amount", "fn_amount", "tn_amount"), fractions))
    vm = am.ValueModel(tp=tp, fp=fp, fn=fn, tn=tn, **shares)
    c = curve()
    point = c.point(row)
    per_case = {"tp": tp, "fp": fp, "fn": fn, "tn": tn}
    fraction = dict(zip(("tp", "fp", "fn", "tn"), fractions))
    want = {"tp": 0.0, "fp": 0.0, "fn": 0.0, "tn": 0.0}
    for s, y, a in zip(SCORES, LABELS, AMOUNTS):
        cell = ("tp" if y else "fp") if s >= c.thresholds[row] else ("fn" if y else "tn")
        want[cell] += per_case[cell] + fraction[cell] * a
    scale = 1.0 if volume is None else volume / 6  # 6 cases in the data
    got = vm.cell_values(point, volume=volume)
    assert list(got) == ["tp", "fp", "fn", "tn"]
    assert got == pytest.approx({k: v * scale for k, v in want.items()}, rel=1e-12, abs=1e-12)
    assert sum(got.values()) == pytest.approx(vm.point_value(point, volume=volume), rel=1e-12, abs=1e-9)


def test_cell_values_need_amounts_only_for_the_amount_terms_used():
    point = curve(amounts=False).point(2)  # 0.7: two frauds caught, one missed, three left alone
    assert am.ValueModel(tp=10, fn=-80).cell_values(point) == {"tp": 20.0, "fp": 0.0, "fn": -80.0, "tn": 0.0}
    with pytest.raises(ParameterError, match=exactly(MSG_POINT_AMOUNTS)):
        am.ValueModel(fn_amount=-1.0).cell_values(point)


# -- lines of equal value in ROC space ------------------------------------------------------------------
def _value_at(vm, P, N, fpr, tpr):
    """Closed form: value of the ROC point (fpr, tpr) for P positives and N negatives."""
    tp, fp = tpr * P, fpr * N
    return vm.tp * tp + vm.fp * fp + vm.fn * (P - tp) + vm.tn * (N - fp)


@pytest.mark.parametrize(
    "vm",
    [am.ValueModel(tp=10, fp=-3), am.ValueModel(tp=-5, fp=-5, fn=-200), am.ValueModel(tp=1, fp=-1, fn=-2, tn=0.5)],
)
def test_points_on_the_iso_value_line_have_equal_value(vm):
    c = am.ThresholdCurve.from_scores(am.BinormalModel(prevalence=0.05, auc=0.85).sample(2000, seed=3))
    slope = vm.iso_value_slope(c)
    P, N = c.positives, c.negatives
    x0, y0 = 0.2, 0.6
    for dx in (-0.1, 0.05, 0.3):
        assert _value_at(vm, P, N, x0 + dx, y0 + slope * dx) == pytest.approx(_value_at(vm, P, N, x0, y0))


def test_iso_value_line_touches_the_roc_curve_at_the_optimum():
    # Analytic binormal curve, no constraints: the best threshold is where the ROC curve's slope
    # equals the iso-value slope (the curve touches the highest line of equal value).
    c = am.BinormalModel(prevalence=0.05, auc=0.8).curve(n_thresholds=20001)
    vm = am.ValueModel(tp=40, fp=-4)
    d = am.optimize(c, vm)
    c, i = d.curve, d.index  # the curve decided on (the model's, with a row at the exact optimum)
    roc_slope = (c.tpr[i + 5] - c.tpr[i - 5]) / (c.fpr[i + 5] - c.fpr[i - 5])
    assert roc_slope == pytest.approx(vm.iso_value_slope(c), rel=1e-3)


def test_iso_value_slope_special_cases():
    c = curve(amounts=False)
    assert am.ValueModel().iso_value_slope(c) is None
    assert am.ValueModel(fp=-1).iso_value_slope(c) == math.inf
    assert am.ValueModel(tp=3, fn=3).iso_value_slope(c) is None


def test_iso_value_slope_with_amounts_uses_mean_amounts():
    vm = am.ValueModel(fn_amount=-1.0, fp=-5)
    # Positives' mean amount (100 + 50 + 200) / 3; flagging a positive avoids losing it.
    a = (100 + 50 + 200) / 3
    assert vm.iso_value_slope(curve()) == pytest.approx(-(-5 * 3) / (a * 3))
