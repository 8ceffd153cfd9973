"""OperatingPoint: stored counts, derived rates, read-only, copies and pickles (hand-computed toy cases)."""

import copy
import math
import pickle

import pytest

import aipm_sim as am
from aipm_sim.core.engine.point import POINT_FIELDS


def toy_point(**kw):
    # 10 positives, 90 negatives; 6 positives and 9 negatives flagged; amounts 300 of 500 and 45 of 900.
    args = dict(threshold=0.3, index=4, tp=6.0, fp=9.0, positives=10.0, negatives=90.0,
                tp_amount=300.0, fp_amount=45.0, positive_amount=500.0, negative_amount=900.0)
    args.update(kw)
    return am.OperatingPoint(**args)


def test_every_attribute_from_the_counts():
    p = toy_point()
    want = dict(threshold=0.3, index=4, tp=6, fp=9, fn=4, tn=81, tp_amount=300, fp_amount=45, fn_amount=200,
                tn_amount=855, n_cases=100, alerts=15, precision=6 / 15, recall=0.6, fpr=0.1, specificity=0.9,
                npv=81 / 85, f1=12 / 25, alert_rate=0.15, lift=(6 / 15) / 0.1, prevalence=0.1)
    assert list(p.to_dict()) == list(POINT_FIELDS) == list(want)
    assert p.to_dict() == pytest.approx(want, rel=1e-15)
    assert p.fnr == pytest.approx(0.4)
    assert repr(p).startswith("OperatingPoint(threshold=0.3, index=4, tp=6.0, fp=9.0, fn=4.0, tn=81.0,")


def test_undefined_rates_are_nan():
    nothing = toy_point(tp=0.0, fp=0.0, tp_amount=0.0, fp_amount=0.0)
    assert math.isnan(nothing.precision) and math.isnan(nothing.lift) and nothing.recall == 0
    no_positives = am.OperatingPoint(threshold=0.5, index=1, tp=0.0, fp=3.0, positives=0.0, negatives=10.0)
    assert math.isnan(no_positives.recall) and math.isnan(no_positives.fnr) and no_positives.precision == 0
    assert math.isnan(no_positives.lift)  # prevalence 0
    assert all(math.isnan(getattr(no_positives, f"{c}_amount")) for c in ("tp", "fp", "fn", "tn"))
    everything = am.OperatingPoint(threshold=0.0, index=2, tp=4.0, fp=6.0, positives=4.0, negatives=6.0)
    assert math.isnan(everything.npv) and everything.alert_rate == 1


def test_read_only_and_equal_by_value():
    p = toy_point()
    for name in ("tp", "precision", "index", "fnr"):
        with pytest.raises(AttributeError):
            setattr(p, name, 1.0)
    with pytest.raises(AttributeError):
        p.new_attribute = 1
    assert p == toy_point() and hash(p) == hash(toy_point()) and p != toy_point(tp=5.0)
    assert copy.deepcopy(p) == p and pickle.loads(pickle.dumps(p)) == p


def test_per_period_scales_counts_and_amounts_not_rates():
    p = toy_point()
    day = p.per_period(1000)  # 100 cases stand for 1,000: everything countable times 10
    assert (day.tp, day.fp, day.fn, day.tn, day.alerts, day.n_cases) == (60, 90, 40, 810, 150, 1000)
    assert (day.tp_amount, day.fp_amount, day.fn_amount, day.tn_amount) == (3000, 450, 2000, 8550)
    for rate in ("precision", "recall", "fpr", "specificity", "npv", "f1", "alert_rate", "lift", "prevalence", "fnr"):
        assert getattr(day, rate) == getattr(p, rate)
    assert day.per_period(100).tp == pytest.approx(6.0)  # back to 100 cases
    assert pickle.loads(pickle.dumps(day)) == day and p.per_period(None) is p
