"""ThresholdCurve: exact toy cases, queries, and properties against scikit-learn and brute force."""

import math
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.metrics import precision_recall_curve, roc_curve

import aipm_sim as am
from aipm_sim.core.engine.curve import (MSG_BINS, MSG_CURVE_AMOUNT_LENGTH, MSG_CURVE_AMOUNT_PAIR, MSG_CURVE_EMPTY,
                                 MSG_CURVE_FIRST, MSG_CURVE_FIRST_ROW, MSG_CURVE_LENGTHS, MSG_CURVE_MONOTONE,
                                 MSG_CURVE_NAN, MSG_CURVE_NOT_FINITE, MSG_CURVE_ORDER, MSG_CURVE_RANGE,
                                 MSG_CURVE_SHAPE, MSG_EDGES, MSG_NO_FINITE_THRESHOLD, MSG_NO_NEGATIVES,
                                 MSG_NO_POSITIVES, MSG_NOTHING_FLAGGED, MSG_THRESHOLD, per_period_factor)
from aipm_sim.core.errors import DegenerateWarning, ParameterError

nan, inf = math.nan, math.inf


def exactly(message):
    return "^" + re.escape(message) + "$"


def curve_of(score_set):
    """from_scores, expecting exactly the degenerate warnings the data calls for."""
    has_pos = bool(score_set.labels.any())
    has_neg = bool((~score_set.labels).any())
    if has_pos and has_neg:
        return am.ThresholdCurve.from_scores(score_set)
    with pytest.warns(DegenerateWarning) as record:
        curve = am.ThresholdCurve.from_scores(score_set)
    expected = ([] if has_pos else [MSG_NO_POSITIVES]) + ([] if has_neg else [MSG_NO_NEGATIVES])
    assert [str(w.message) for w in record] == expected
    return curve


# -- the oracle: flag ``score >= t`` and count, one threshold at a time ----------------------------
def brute_cells(scores, labels, weights, amounts, t):
    """(tp, fp, fn, tn, tp_amount, fp_amount, fn_amount, tn_amount) of flagging score >= t."""
    scores = np.asarray(scores, dtype=float)
    labels = np.asarray(labels, dtype=bool)
    w = np.ones(len(scores)) if weights is None else np.asarray(weights, dtype=float)
    a = np.zeros(len(scores)) if amounts is None else np.asarray(amounts, dtype=float)
    out_counts, out_amounts = [], []
    flagged = scores >= t
    for cell in (flagged & labels, flagged & ~labels, ~flagged & labels, ~flagged & ~labels):
        out_counts.append(float(sum(w[i] for i in np.flatnonzero(cell))))
        out_amounts.append(float(sum(w[i] * a[i] for i in np.flatnonzero(cell))))
    return (*out_counts, *out_amounts)


def ratio(num, den):
    return num / den if den != 0 else nan


def brute_metrics(tp, fp, fn, tn, beta=1.0):
    P, N = tp + fn, fp + tn
    n = P + N
    precision = ratio(tp, tp + fp)
    b2 = beta * beta
    return {
        "precision": precision,
        "recall": ratio(tp, P),
        "fpr": ratio(fp, N),
        "specificity": ratio(tn, N),
        "npv": ratio(tn, tn + fn),
        "f1": ratio(2 * tp, 2 * tp + fp + fn),
        "fbeta": ratio((1 + b2) * tp, (1 + b2) * tp + b2 * fn + fp),
        "alert_rate": ratio(tp + fp, n),
        "lift": ratio(precision, ratio(P, n)),
    }


# -- data strategies: ties, both signs, weights, amounts ---------------------------------------------
TIE_VALUES = [-1e300, -2.5, -1.0, -0.0, 0.0, 5e-324, 0.25, 0.5, 1.0, 3.0, 1e300]
any_score = st.floats(min_value=-1e300, max_value=1e300, allow_nan=False, allow_infinity=False)


@st.composite
def datasets(draw, *, weights=None, amounts=None, both_classes=False, integer=False, max_size=40):
    """(scores, labels, weights or None, amounts or None).

    ``weights`` / ``amounts``: True (always), False (never) or None (either).
    ``integer``: integer weights and amounts, so that every sum is exact.
    """
    n = draw(st.integers(2 if both_classes else 1, max_size))
    values = st.sampled_from(TIE_VALUES) if draw(st.booleans()) else st.one_of(any_score, st.sampled_from(TIE_VALUES))
    scores = draw(st.lists(values, min_size=n, max_size=n))
    labels = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    if both_classes:
        i, j = draw(st.permutations(range(n)))[:2]
        labels[i], labels[j] = True, False
    use_w = draw(st.booleans()) if weights is None else weights
    use_a = draw(st.booleans()) if amounts is None else amounts
    w = a = None
    if use_w:
        w_values = st.integers(1, 5) if integer else st.one_of(st.integers(1, 100), st.floats(0.01, 100.0))
        w = [float(x) for x in draw(st.lists(w_values, min_size=n, max_size=n))]
    if use_a:
        a_values = st.integers(0, 1000) if integer else st.floats(0.0, 1e6)
        a = [float(x) for x in draw(st.lists(a_values, min_size=n, max_size=n))]
    return scores, labels, w, a


def make(data):
    scores, labels, w, a = data
    return am.ScoreSet(scores, labels, weights=w, amounts=a)


# -- exact toy case --------------------------------------------------------------------------
TOY_SCORES = [0.1, 0.9, 0.3, 0.8, 0.8]
TOY_LABELS = [1, 1, 0, 1, 0]


def toy():
    return am.ThresholdCurve.from_scores(am.ScoreSet(TOY_SCORES, TOY_LABELS))


def test_toy_counts_and_metrics():
    c = toy()
    # Worked by hand: flag >= 0.9 -> {0.9+}; >= 0.8 -> adds 0.8+, 0.8-; >= 0.3 -> adds 0.3-; >= 0.1 -> all.
    assert c.thresholds.tolist() == [inf, 0.9, 0.8, 0.3, 0.1]
    assert c.tp.tolist() == [0, 1, 2, 2, 3]
    assert c.fp.tolist() == [0, 0, 1, 2, 2]
    assert c.fn.tolist() == [3, 2, 1, 1, 0]
    assert c.tn.tolist() == [2, 2, 1, 0, 0]
    assert c.alerts.tolist() == [0, 1, 3, 4, 5]
    assert c.positives == 3 and c.negatives == 2 and c.n_cases == 5 and c.prevalence == 0.6
    assert_allclose(c.precision, [nan, 1, 2 / 3, 1 / 2, 3 / 5], rtol=1e-15)
    assert_allclose(c.recall, [0, 1 / 3, 2 / 3, 2 / 3, 1], rtol=1e-15)
    assert_allclose(c.tpr, c.recall, rtol=0)
    assert_allclose(c.fpr, [0, 0, 1 / 2, 1, 1], rtol=1e-15)
    assert_allclose(c.specificity, [1, 1, 1 / 2, 0, 0], rtol=1e-15)
    assert_allclose(c.npv, [2 / 5, 2 / 4, 1 / 2, 0, nan], rtol=1e-15)
    assert_allclose(c.f1, [0, 2 / 4, 4 / 6, 4 / 7, 6 / 8], rtol=1e-15)
    assert_allclose(c.fbeta(2.0), [0, 5 / 13, 10 / 15, 10 / 16, 15 / 17], rtol=1e-15)
    assert_allclose(c.alert_rate, [0, 0.2, 0.6, 0.8, 1.0], rtol=1e-15)
    assert_allclose(c.lift, [nan, 1 / 0.6, (2 / 3) / 0.6, 0.5 / 0.6, 1.0], rtol=1e-15)
    assert c.has_amounts is False and c.tp_amount is None and c.fn_amount is None
    assert repr(c) == "ThresholdCurve(5 thresholds, 5 cases, prevalence 0.6)"


def test_toy_with_weights_and_amounts():
    # Negatives down-sampled 1:10, so each stands for 10 cases; amounts per case.
    ss = am.ScoreSet(TOY_SCORES, TOY_LABELS, weights=[1, 1, 10, 1, 10], amounts=[5, 7, 2, 3, 4])
    c = am.ThresholdCurve.from_scores(ss)
    assert c.thresholds.tolist() == [inf, 0.9, 0.8, 0.3, 0.1]
    assert c.tp.tolist() == [0, 1, 2, 2, 3]
    assert c.fp.tolist() == [0, 0, 10, 20, 20]
    assert c.tp_amount.tolist() == [0, 7, 10, 10, 15]
    assert c.fp_amount.tolist() == [0, 0, 40, 60, 60]
    assert c.fn_amount.tolist() == [15, 8, 5, 5, 0]
    assert c.tn_amount.tolist() == [60, 60, 20, 0, 0]
    assert c.positive_amount == 15 and c.negative_amount == 60
    assert_allclose(c.alert_rate, [0, 1 / 23, 12 / 23, 22 / 23, 1], rtol=1e-15)
    assert repr(c) == "ThresholdCurve(5 thresholds, 23 cases, prevalence 0.1304, with amounts)"


def test_to_frame_columns_and_values():
    ss = am.ScoreSet(TOY_SCORES, TOY_LABELS, amounts=[5, 7, 2, 3, 4])
    c = am.ThresholdCurve.from_scores(ss)
    frame = c.to_frame()
    assert list(frame.columns) == [
        "threshold", "tp", "fp", "fn", "tn",
        "tp_amount", "fp_amount", "fn_amount", "tn_amount",
        "alerts", "precision", "recall", "fpr", "specificity", "npv", "f1", "alert_rate", "lift",
    ]
    for col in frame.columns:
        expected = getattr(c, col if col != "threshold" else "thresholds")
        assert_array_equal(frame[col].to_numpy(), expected)
    assert "tp_amount" not in toy().to_frame().columns
    assert len(toy().to_frame()) == 5


def test_arrays_are_read_only():
    c = am.ThresholdCurve.from_scores(am.ScoreSet(TOY_SCORES, TOY_LABELS, amounts=[1, 2, 3, 4, 5]))
    for name in ("thresholds", "tp", "fp", "tp_amount", "fp_amount", "alerts"):
        arr = getattr(c, name)
        assert not arr.flags.writeable, name
        with pytest.raises(ValueError):
            arr[0] = 1.0


def test_curve_is_frozen():
    with pytest.raises(AttributeError):
        toy().positives = 7.0


@pytest.mark.parametrize("weights", [None, [1.0, 2.0, 1.0, 1.0]])
def test_negative_and_positive_zero_are_one_threshold(weights):
    ss = am.ScoreSet([-0.0, 0.0, 1.0, -0.0], [1, 0, 1, 0], weights=weights)
    c = am.ThresholdCurve.from_scores(ss)
    assert c.thresholds.tolist() == [inf, 1.0, 0.0]
    assert not np.signbit(c.thresholds[2])
    assert c.tp.tolist() == [0, 1, 2]
    expected_fp = 2.0 if weights is None else 3.0
    assert c.fp.tolist() == [0, 0, expected_fp]
    assert c.at(-0.0).index == c.at(0.0).index == 2


@pytest.mark.parametrize("weights", [None, "ones"])
def test_both_signs_and_extreme_magnitudes(weights):
    scores = [-1e308, 1e308, -1.0, 1.0, 0.0, 5e-324, -5e-324, 2.2250738585072014e-308, -3.0, 1e308]
    labels = [0, 1, 0, 1, 1, 0, 1, 0, 1, 0]
    w = None if weights is None else [1.0] * len(scores)
    c = am.ThresholdCurve.from_scores(am.ScoreSet(scores, labels, weights=w))
    distinct = sorted(set(scores), reverse=True)
    assert c.thresholds.tolist() == [inf, *distinct]
    for i, t in enumerate(c.thresholds):
        tp, fp, *_ = brute_cells(scores, labels, w, None, t)
        assert (c.tp[i], c.fp[i]) == (tp, fp)


@pytest.mark.parametrize("weights", [None, [3.0]])
def test_single_case(weights):
    with pytest.warns(DegenerateWarning, match=exactly(MSG_NO_NEGATIVES)):
        c = am.ThresholdCurve.from_scores(am.ScoreSet([0.4], [1], weights=weights))
    w = 1.0 if weights is None else 3.0
    assert c.thresholds.tolist() == [inf, 0.4]
    assert c.tp.tolist() == [0, w] and c.fp.tolist() == [0, 0]
    assert_array_equal(c.recall, [0, 1])
    assert np.isnan(c.fpr).all() and np.isnan(c.specificity).all()
    assert_array_equal(c.precision, [nan, 1])


def test_all_equal_scores():
    c = am.ThresholdCurve.from_scores(am.ScoreSet([0.7] * 5, [1, 0, 0, 1, 0], weights=[1, 2, 3, 4, 5]))
    assert c.thresholds.tolist() == [inf, 0.7]
    assert c.tp.tolist() == [0, 5] and c.fp.tolist() == [0, 10]
    assert c.at(0.7).alerts == 15 and c.at(0.69).alerts == 15


def test_no_positives_warns_and_gives_nan():
    with pytest.warns(DegenerateWarning, match=exactly(MSG_NO_POSITIVES)):
        c = am.ThresholdCurve.from_scores(am.ScoreSet([0.2, 0.5, 0.5], [0, 0, 0]))
    assert np.isnan(c.recall).all() and np.isnan(c.lift).all()
    assert_array_equal(c.precision, [nan, 0, 0])
    assert_array_equal(c.fpr, [0, 2 / 3, 1])
    assert c.prevalence == 0
    p = c.at(0.5)
    assert math.isnan(p.recall) and math.isnan(p.lift) and p.precision == 0.0


def test_no_negatives_warns_and_gives_nan():
    with pytest.warns(DegenerateWarning, match=exactly(MSG_NO_NEGATIVES)):
        c = am.ThresholdCurve.from_scores(am.ScoreSet([0.2, 0.5], [True, True], amounts=[1, 2]))
    assert np.isnan(c.fpr).all() and np.isnan(c.specificity).all()
    assert_array_equal(c.recall, [0, 0.5, 1])
    assert_array_equal(c.precision, [nan, 1, 1])
    assert c.tn_amount.tolist() == [0, 0, 0]
    with pytest.warns(DegenerateWarning, match=exactly(MSG_NOTHING_FLAGGED.format(inf))):
        p = c.at(1.0)
    assert p.alerts == 0 and math.isnan(p.precision) and math.isnan(p.fpr)


def test_from_scores_needs_a_score_set():
    with pytest.raises(TypeError, match=exactly("score_set must be a ScoreSet; found list")):
        am.ThresholdCurve.from_scores([0.1, 0.2])


# A valid 3-row curve (2 positives, 2 negatives, amounts 30 and 50); each case below breaks one rule.
GOOD = dict(thresholds=[inf, 0.8, 0.3], tp=[0.0, 1.0, 2.0], fp=[0.0, 1.0, 2.0], positives=2.0, negatives=2.0)
GOOD_AMOUNTS = dict(tp_amount=[0.0, 10.0, 30.0], fp_amount=[0.0, 20.0, 50.0], positive_amount=30.0,
                    negative_amount=50.0)


def changed(**kwargs):
    return {**GOOD, **GOOD_AMOUNTS, **kwargs}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (changed(thresholds=[inf, 0.8]), MSG_CURVE_LENGTHS.format(2, 3, 3)),
        (changed(tp=[0.0, 1.0]), MSG_CURVE_LENGTHS.format(3, 2, 3)),
        (changed(thresholds=[], tp=[], fp=[], tp_amount=[], fp_amount=[]), MSG_CURVE_EMPTY),
        (changed(thresholds=[[inf, 0.8, 0.3]]), MSG_CURVE_SHAPE.format("thresholds", "shape (1, 3)")),
        (changed(tp=["a", "b", "c"]), MSG_CURVE_SHAPE.format("tp", "list ['a', 'b', 'c']")),
        (changed(thresholds=[2.0, 0.8, 0.3]), MSG_CURVE_FIRST.format(2.0)),
        # Increasing after row 0: at() would answer from the wrong row.
        (changed(thresholds=[inf, 0.3, 0.8]), MSG_CURVE_ORDER.format(1, 0.3, 2, 0.8)),
        (changed(thresholds=[inf, 0.8, 0.8]), MSG_CURVE_ORDER.format(1, 0.8, 2, 0.8)),
        (changed(thresholds=[inf, inf, 0.3]), MSG_CURVE_ORDER.format(0, inf, 1, inf)),
        (changed(thresholds=[inf, nan, 0.3]), MSG_CURVE_NAN.format(1)),
        (changed(tp=[0.0, nan, 2.0]), MSG_CURVE_NOT_FINITE.format("tp", nan, "tp", 1)),
        (changed(fp=[0.0, 1.0, inf]), MSG_CURVE_NOT_FINITE.format("fp", inf, "fp", 2)),
        (changed(tp=[1.0, 1.0, 2.0]), MSG_CURVE_FIRST_ROW.format("tp", 1.0)),
        (changed(fp=[0.0, 2.0, 1.0]), MSG_CURVE_MONOTONE.format("fp", "fp", 1, 2.0, "fp", 2, 1.0)),
        # tp above the positives: recall would be 2.
        (changed(tp=[0.0, 1.0, 4.0]), MSG_CURVE_RANGE.format("tp", "positives", 2.0, 4.0, "tp", 2)),
        (changed(fp=[0.0, 1.0, 2.5]), MSG_CURVE_RANGE.format("fp", "negatives", 2.0, 2.5, "fp", 2)),
        (changed(positives=-1.0), "positives must be in [0, inf); found -1.0"),
        (changed(negatives=nan), "negatives must be in [0, inf); found nan"),
        ({**GOOD, "tp_amount": [0.0, 10.0, 30.0], "positive_amount": 30.0},
         MSG_CURVE_AMOUNT_PAIR.format("tp_amount")),
        ({**GOOD, "fp_amount": [0.0, 10.0, 30.0]}, MSG_CURVE_AMOUNT_PAIR.format("fp_amount")),
        (changed(fp_amount=[0.0, 50.0]), MSG_CURVE_AMOUNT_LENGTH.format("fp_amount", 3, 2)),
        (changed(tp_amount=[0.0, 20.0, 10.0]),
         MSG_CURVE_MONOTONE.format("tp_amount", "tp_amount", 1, 20.0, "tp_amount", 2, 10.0)),
        # The first row breaking any rule is reported (row 1 is above the total before row 2 goes down).
        (changed(tp_amount=[0.0, 40.0, 30.0]),
         MSG_CURVE_RANGE.format("tp_amount", "positive_amount", 30.0, 40.0, "tp_amount", 1)),
        (changed(tp_amount=[0.0, 10.0, 31.0]),
         MSG_CURVE_RANGE.format("tp_amount", "positive_amount", 30.0, 31.0, "tp_amount", 2)),
        (changed(negative_amount=-5.0), "negative_amount must be in [0, inf); found -5.0"),
    ],
)
def test_direct_construction_errors(kwargs, message):
    with pytest.raises(ParameterError, match=exactly(message)):
        am.ThresholdCurve(**kwargs)


def test_direct_construction_accepts_valid_curves_and_float_slack():
    c = am.ThresholdCurve(**changed())
    assert c.recall.tolist()[1:] == [0.5, 1.0] and c.has_amounts
    assert am.ThresholdCurve(**GOOD).at(0.5).tp == 1.0  # no amounts at all is fine
    # -inf as the last threshold (flag everything) is decreasing too.
    assert len(am.ThresholdCurve(**changed(thresholds=[inf, 0.8, -inf]))) == 3
    # Rounding of a few ulps (cumulative sums, survival functions) is within the slack.
    ulp = 2.0 * np.finfo(float).eps
    c = am.ThresholdCurve(**changed(tp=[-ulp, 1.0, 2.0 + ulp], fp=[0.0, 1.0 + ulp, 1.0]))
    assert c.positives == 2.0
    # Every curve aipm_sim itself builds passes: data (weighted, with amounts) and analytic ones.
    rng = np.random.default_rng(7)
    ss = am.ScoreSet(rng.normal(size=2000), rng.random(2000) < 0.3, weights=rng.random(2000) * 3 + 0.1,
                     amounts=rng.lognormal(size=2000))
    am.ThresholdCurve.from_scores(ss)
    am.BinormalModel(0.01, 0.8, amount_mean=50.0, positive_amount_mean=300.0).curve(n_cases=1e6)
    am.BinormalModel(0.3, 0.99).curve(n_cases=1e-6, thresholds=np.linspace(0, 1, 101))


# -- queries: at / index_at / top_k / at_alert_rate --------------------------------------------------
@pytest.mark.parametrize(
    ("t", "row"),
    [
        (inf, 0), (5.0, 0), (0.9000001, 0),  # above every score: nothing flagged
        (0.9, 1), (0.85, 1), (0.8000001, 1),  # between scores: what the higher one flags
        (0.8, 2), (0.5, 2), (0.3, 3), (0.2, 3), (0.1000001, 3), (0.1, 4), (-7.0, 4), (-inf, 4),
    ],
)
def test_at_thresholds_on_between_above_below_scores(t, row):
    c = toy()
    if row == 0:
        with pytest.warns(DegenerateWarning, match=exactly(MSG_NOTHING_FLAGGED.format(inf))):
            p = c.at(t)
    else:
        p = c.at(t)
    flagged = np.asarray(TOY_SCORES) >= t
    assert p.index == row == c.index_at(t)
    assert p.alerts == flagged.sum()
    assert p.tp == (flagged & (np.asarray(TOY_LABELS) == 1)).sum()
    assert p.threshold == c.thresholds[row]


def test_index_at_is_vectorised():
    c = toy()
    queries = np.array([inf, 5.0, 0.9, 0.85, 0.8, 0.31, 0.3, 0.1, -inf])
    got = c.index_at(queries)
    assert got.tolist() == [0, 0, 1, 1, 2, 2, 3, 4, 4]
    assert got.tolist() == [c.index_at(float(q)) for q in queries]
    assert c.index_at(queries.reshape(3, 3)).shape == (3, 3)


def test_nan_threshold_is_rejected():
    with pytest.raises(ParameterError, match=exactly("threshold must be a number; found nan")):
        toy().at(nan)
    with pytest.raises(ParameterError, match=exactly("threshold must be a number; found nan")):
        toy().index_at(nan)
    with pytest.raises(ParameterError, match=exactly(MSG_THRESHOLD.format(nan))):
        toy().index_at([0.5, nan])
    with pytest.raises(ParameterError, match=exactly(MSG_THRESHOLD.format("high"))):
        toy().at("high")
    with pytest.raises(ParameterError, match=exactly(MSG_THRESHOLD.format(None))):
        toy().index_at(None)


def test_operating_point_fields():
    p = am.ThresholdCurve.from_scores(am.ScoreSet(TOY_SCORES, TOY_LABELS, amounts=[5, 7, 2, 3, 4])).at(0.8)
    assert p.to_dict() == pytest.approx(
        dict(
            threshold=0.8, index=2, tp=2, fp=1, fn=1, tn=1,
            tp_amount=10, fp_amount=4, fn_amount=5, tn_amount=2,
            n_cases=5, alerts=3, precision=2 / 3, recall=2 / 3, fpr=1 / 2, specificity=1 / 2,
            npv=1 / 2, f1=4 / 6, alert_rate=3 / 5, lift=(2 / 3) / 0.6, prevalence=0.6,
        ),
        rel=1e-15,
    )
    no_amounts = toy().at(0.8)
    assert all(math.isnan(getattr(no_amounts, f"{c}_amount")) for c in ("tp", "fp", "fn", "tn"))
    with pytest.raises(AttributeError):
        p.tp = 3.0


def test_top_k_and_alert_rate_with_ties():
    c = toy()  # alerts per row: 0, 1, 3, 4, 5 (the two 0.8 scores are flagged together)
    assert [c.top_k(k).alerts for k in (1, 2, 2.99, 3, 4, 5, 6, inf)] == [1, 1, 1, 3, 4, 5, 5, 5]
    with pytest.warns(DegenerateWarning, match=exactly(MSG_NOTHING_FLAGGED.format(inf))):
        assert c.top_k(0.5).alerts == 0
    assert c.at_alert_rate(0.6).alerts == 3  # 0.6 * 5 is 3 up to rounding: still 3 cases
    assert c.at_alert_rate(0.5).alerts == 1
    assert c.at_alert_rate(1.0).index == 4
    with pytest.warns(DegenerateWarning):
        assert c.at_alert_rate(0.0).index == 0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: c.at_alert_rate(1.5), "rate must be in [0, 1]; found 1.5"),
        (lambda c: c.at_alert_rate(-0.1), "rate must be in [0, 1]; found -0.1"),
        (lambda c: c.at_alert_rate("a lot"), "rate must be a number; found 'a lot'"),
        (lambda c: c.top_k(-1), "k must be in [0, inf]; found -1"),
        (lambda c: c.top_k(nan), "k must be in [0, inf]; found nan"),
        (lambda c: c.top_k(3, volume=0), "volume must be in (0, inf); found 0"),
        (lambda c: c.top_k(3, volume="many"), "volume must be a number; found 'many'"),
        (lambda c: c.histogram(0), MSG_BINS.format(0)),
        (lambda c: c.histogram(2.5), MSG_BINS.format(2.5)),
        (lambda c: c.histogram(True), MSG_BINS.format(True)),
        (lambda c: c.histogram("10"), MSG_BINS.format("10")),
        (lambda c: c.histogram([0.5]), MSG_EDGES.format([0.5])),
        (lambda c: c.histogram([0.5, 0.2]), MSG_EDGES.format([0.5, 0.2])),
        (lambda c: c.histogram([0.0, inf]), MSG_EDGES.format([0.0, inf])),
        (lambda c: c.histogram(["a", "b"]), MSG_EDGES.format(["a", "b"])),
        (lambda c: c.histogram(3, volume=-1), "volume must be in [0, inf); found -1"),
        (lambda c: c.at(0.5).per_period(-5), "volume must be in [0, inf); found -5"),
        (lambda c: c.fbeta(0), "beta must be in (0, inf); found 0"),
        (lambda c: c.fbeta(inf), "beta must be in (0, inf); found inf"),
    ],
)
def test_query_parameter_errors(call, message):
    with pytest.raises(ParameterError, match=exactly(message)):
        call(toy())


# -- property tests against scikit-learn ---------------------------------------------------------------
@settings(max_examples=150)
@given(datasets(both_classes=True, amounts=False))
def test_counts_and_thresholds_equal_sklearn_roc_curve(data):
    scores, labels, w, _ = data
    c = am.ThresholdCurve.from_scores(make(data))
    fpr, tpr, thresholds = roc_curve(labels, scores, sample_weight=w, drop_intermediate=False)
    assert_array_equal(c.thresholds, thresholds)
    assert_allclose(c.recall, tpr, rtol=1e-12, atol=1e-12)
    assert_allclose(c.fpr, fpr, rtol=1e-12, atol=1e-12)
    # Counts recovered from the rates and the class totals.
    w_arr = np.ones(len(scores)) if w is None else np.asarray(w)
    P, N = w_arr[np.asarray(labels)].sum(), w_arr[~np.asarray(labels)].sum()
    assert_allclose(c.tp, tpr * P, rtol=1e-12, atol=1e-9)
    assert_allclose(c.fp, fpr * N, rtol=1e-12, atol=1e-9)


@settings(max_examples=150)
@given(datasets(both_classes=True))
def test_precision_recall_equal_sklearn_precision_recall_curve(data):
    scores, labels, w, _ = data
    c = am.ThresholdCurve.from_scores(make(data))
    precision, recall, thresholds = precision_recall_curve(labels, scores, sample_weight=w)
    # scikit-learn: increasing thresholds, plus a final (precision 1, recall 0) point; ours: decreasing, row 0 = +inf.
    assert_array_equal(c.thresholds[1:][::-1], thresholds)
    assert_allclose(c.precision[1:][::-1], precision[:-1], rtol=1e-12, atol=1e-12)
    assert_allclose(c.recall[1:][::-1], recall[:-1], rtol=1e-12, atol=1e-12)


@settings(max_examples=150)
@given(datasets(), st.floats(0.1, 5.0))
def test_every_row_equals_brute_force(data, beta):
    scores, labels, w, a = data
    c = curve_of(make(data))
    assert np.all(np.diff(c.thresholds) < 0)
    assert c.thresholds[0] == inf
    assert_array_equal(c.thresholds[1:], sorted(set(scores), reverse=True))
    for i, t in enumerate(c.thresholds):
        tp, fp, fn, tn, tpa, fpa, fna, tna = brute_cells(scores, labels, w, a, t)
        assert_allclose([c.tp[i], c.fp[i], c.fn[i], c.tn[i]], [tp, fp, fn, tn], rtol=1e-12, atol=1e-9)
        if a is None:
            assert not c.has_amounts
        else:
            got = [c.tp_amount[i], c.fp_amount[i], c.fn_amount[i], c.tn_amount[i]]
            # fn/tn amounts are totals minus sums: allow rounding relative to the total.
            total = tpa + fpa + fna + tna
            assert_allclose(got, [tpa, fpa, fna, tna], rtol=1e-9, atol=1e-12 * total)
        expected = brute_metrics(tp, fp, fn, tn, beta)
        for name in ("precision", "recall", "fpr", "specificity", "npv", "f1", "alert_rate", "lift"):
            assert_allclose(getattr(c, name)[i], expected[name], rtol=1e-9, atol=1e-12, err_msg=name)
        assert_allclose(c.fbeta(beta)[i], expected["fbeta"], rtol=1e-9, atol=1e-12)
        point = c.point(i)
        for name in ("precision", "recall", "fpr", "specificity", "npv", "f1", "alert_rate", "lift"):
            assert_allclose(getattr(point, name), expected[name], rtol=1e-9, atol=1e-12, err_msg=name)


@settings(max_examples=100)
@given(datasets(integer=True, weights=False, amounts=False))
def test_unweighted_and_unit_weight_paths_agree_exactly(data):
    scores, labels, _, _ = data
    a = curve_of(am.ScoreSet(scores, labels))
    b = curve_of(am.ScoreSet(scores, labels, weights=np.ones(len(scores))))
    c = curve_of(am.ScoreSet(scores, labels, amounts=np.zeros(len(scores))))
    for other in (b, c):
        assert_array_equal(a.thresholds, other.thresholds)
        assert_array_equal(a.tp, other.tp)
        assert_array_equal(a.fp, other.fp)


@settings(max_examples=150)
@given(data=datasets(integer=True), t=st.one_of(any_score, st.sampled_from([inf, -inf, *TIE_VALUES])), pick=st.integers(0, 100))
def test_at_equals_brute_force_score_at_least_t(data, t, pick):
    scores, labels, w, a = data
    c = curve_of(make(data))
    for query in (t, scores[pick % len(scores)], np.nextafter(scores[pick % len(scores)], inf)):
        tp, fp, fn, tn, tpa, fpa, fna, tna = brute_cells(scores, labels, w, a, query)
        if tp + fp == 0:
            with pytest.warns(DegenerateWarning):
                p = c.at(query)
        else:
            p = c.at(query)
        assert (p.tp, p.fp, p.fn, p.tn) == (tp, fp, fn, tn)
        if a is not None:
            assert (p.tp_amount, p.fp_amount, p.fn_amount, p.tn_amount) == (tpa, fpa, fna, tna)
        assert c.index_at(query) == p.index
        assert c.index_at(np.array([query]))[0] == p.index


@settings(max_examples=150)
@given(data=datasets(integer=True), k=st.integers(0, 250), rate=st.floats(0.0, 1.0))
def test_top_k_and_alert_rate_equal_brute_force(data, k, rate):
    scores, labels, w, a = data
    c = curve_of(make(data))
    w_arr = np.ones(len(scores)) if w is None else np.asarray(w)
    candidates = [inf, *sorted(set(scores), reverse=True)]
    flagged = [float(w_arr[np.asarray(scores) >= t].sum()) for t in candidates]
    n = float(w_arr.sum())

    def expected_row(limit):
        return max(i for i, f in enumerate(flagged) if f <= limit)

    def check(call, row):
        if flagged[row] == 0:
            with pytest.warns(DegenerateWarning):
                p = call()
        else:
            p = call()
        assert p.index == row
        assert p.alerts == flagged[row]

    check(lambda: c.top_k(k), expected_row(k))
    # A rate that is exactly some row's share: that row is reached despite rounding of rate * n.
    j = k % len(flagged)
    check(lambda: c.at_alert_rate(flagged[j] / n), j)
    assume(all(abs(f - rate * n) > 1e-9 * n for f in flagged))
    check(lambda: c.at_alert_rate(rate), expected_row(rate * n))


def test_large_random_data_equals_sklearn():
    # Enough rows of both signs for the radix sort to use many digit positions.
    rng = np.random.default_rng(20261126)
    n = 200_000
    labels = rng.random(n) < 0.05
    scores = np.round(rng.standard_normal(n) * 10 + 3 * labels, 3)  # many ties
    scores[:1000] = rng.standard_normal(1000) * 1e200
    weights = rng.integers(1, 100, n).astype(float)
    amounts = rng.exponential(50.0, n)
    for w, a in ((None, None), (weights, None), (weights, amounts)):
        c = am.ThresholdCurve.from_scores(am.ScoreSet(scores, labels, weights=w, amounts=a))
        fpr, tpr, thresholds = roc_curve(labels, scores, sample_weight=w, drop_intermediate=False)
        assert_array_equal(c.thresholds, thresholds)
        assert_allclose(c.recall, tpr, rtol=1e-10, atol=1e-12)
        assert_allclose(c.fpr, fpr, rtol=1e-10, atol=1e-12)
    # Amount sums at a few thresholds against numpy sums of the flagged rows.
    for t in (c.thresholds[1], 3.0, 0.0, -5.0, c.thresholds[-1]):
        i = c.index_at(t)
        flagged = scores >= t
        assert c.tp_amount[i] == pytest.approx((weights * amounts)[flagged & labels].sum(), rel=1e-9)
        assert c.fp_amount[i] == pytest.approx((weights * amounts)[flagged & ~labels].sum(), rel=1e-9)


def test_to_frame_round_trips_through_pandas():
    frame = toy().to_frame()
    assert isinstance(frame, pd.DataFrame)
    assert frame["threshold"].iloc[0] == inf and frame["tp"].dtype == np.float64


# -- per period, the miss rate, histograms ------------------------------------------------------------
def test_operating_point_per_period_and_miss_rate():
    p = am.ThresholdCurve.from_scores(am.ScoreSet(TOY_SCORES, TOY_LABELS, amounts=[5, 7, 2, 3, 4])).at(0.8)
    # 5 cases in the data stand for 1,000 a day: every count and amount times 200, rates unchanged.
    day = p.per_period(1000)
    assert (day.tp, day.fp, day.fn, day.tn, day.alerts, day.n_cases) == (400, 200, 200, 200, 600, 1000)
    assert (day.tp_amount, day.fp_amount, day.fn_amount, day.tn_amount) == (2000, 800, 1000, 400)
    for rate in ("precision", "recall", "fpr", "specificity", "npv", "f1", "alert_rate", "lift", "prevalence"):
        assert getattr(day, rate) == getattr(p, rate)
    assert (day.threshold, day.index) == (p.threshold, p.index)
    assert p.per_period(None) is p
    assert p.per_period_factor(1000) == 200 and p.per_period_factor(None) == 1.0
    assert p.fnr == 1 / 3 and p.fnr == pytest.approx(1 - p.recall)  # one of three positives (0.1) is missed
    with pytest.warns(DegenerateWarning):
        no_positives = am.ThresholdCurve.from_scores(am.ScoreSet([0.1, 0.2], [0, 0])).at(0.15)
    assert math.isnan(no_positives.fnr)


def test_per_period_factor():
    assert per_period_factor(None, 8) == 1.0
    assert per_period_factor(800, 8) == 100.0
    assert per_period_factor(0, 8) == 0.0
    assert math.isnan(per_period_factor(800, 0))
    assert toy().per_period_factor(50) == 10.0


def test_top_k_per_period():
    c = toy()  # 5 cases; alerts per row 0, 1, 3, 4, 5
    # 300 alerts a day among 500 cases a day is 3 of the 5 cases in the data.
    assert c.top_k(300, volume=500).alerts == 3
    assert c.top_k(299, volume=500).alerts == 1
    assert c.top_k(inf, volume=500).alerts == 5


cases_for_histogram = st.lists(
    st.tuples(
        st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.5, 0.75, 0.9, 1.0]) | st.floats(0.001, 1.0),
        st.booleans(),
        st.floats(0.5, 3.0),
    ),
    min_size=2,
    max_size=60,
)


@given(cases_for_histogram, st.integers(1, 12), st.sampled_from([None, 1000.0]))
def test_histogram_equals_numpy_histogram(data, bins, volume):
    scores, labels, weights = (np.array(c) for c in zip(*data))
    if not (labels.any() and (~labels).any()):
        return  # degenerate data sets: tested below
    curve = am.ThresholdCurve.from_scores(am.ScoreSet(scores, labels, weights=weights))
    edges, pos, neg = curve.histogram(bins, volume=volume)
    scale = 1.0 if volume is None else volume / weights.sum()
    if scores.min() < scores.max():
        assert_allclose(edges, np.linspace(scores.min(), scores.max(), bins + 1))
    # numpy.histogram: bins [a, b) with the last one closed, as here.
    want_pos, _ = np.histogram(scores[labels], bins=edges, weights=weights[labels])
    want_neg, _ = np.histogram(scores[~labels], bins=edges, weights=weights[~labels])
    assert_allclose(pos, want_pos * scale, atol=1e-9)
    assert_allclose(neg, want_neg * scale, atol=1e-9)
    # Given edges (some scores outside them are not counted), the same as numpy.
    given_edges = [0.05, 0.3, 0.5, 0.8]
    _, pos, neg = curve.histogram(given_edges)
    assert_allclose(pos, np.histogram(scores[labels], bins=given_edges, weights=weights[labels])[0], atol=1e-9)
    assert_allclose(neg, np.histogram(scores[~labels], bins=given_edges, weights=weights[~labels])[0], atol=1e-9)


def test_histogram_of_an_analytic_curve_adds_up_to_each_class():
    curve = am.BinormalModel(prevalence=0.02, auc=0.9).curve(n_cases=1000)
    _, pos, neg = curve.histogram(30)
    assert pos.sum() == pytest.approx(20.0)
    assert neg.sum() == pytest.approx(980.0)
    assert (pos >= 0).all() and (neg >= 0).all()


def test_histogram_of_a_single_score_centres_one_bin_on_it():
    curve = am.BinormalModel(prevalence=0.1, auc=0.5).curve(n_cases=100)
    edges, pos, neg = curve.histogram(1)
    assert_allclose(edges, [-0.4, 0.6])
    assert_allclose(pos, [10.0])
    assert_allclose(neg, [90.0])


def test_histogram_needs_a_finite_threshold():
    nothing = am.ThresholdCurve(thresholds=[inf], tp=[0.0], fp=[0.0], positives=1.0, negatives=1.0)
    with pytest.raises(ParameterError, match=exactly(MSG_NO_FINITE_THRESHOLD)):
        nothing.histogram(3)
