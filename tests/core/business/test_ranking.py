"""Recommendations: ranking metrics against a brute-force per-session loop; the (k, min score) optimum."""

import itertools
import math
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import aipm_sim as am
from aipm_sim.core.errors import ConstraintError, DataError, ParameterError
from aipm_sim.core.engine.binormal import MSG_AUC
from aipm_sim.core.engine.optimize import MSG_LABEL
from aipm_sim.core.business.ranking import (MSG_K, MSG_K_MAX, MSG_MIN_SCORE, MSG_N_CANDIDATES, MSG_N_SESSIONS,
                                   MSG_NO_POPULARITY, MSG_POPULARITY_AUC, MSG_RANKING_EMPTY, MSG_RANKING_INFEASIBLE,
                                   MSG_RANKING_JOINT, MSG_SESSION_MISSING)
from aipm_sim.core.business.ranking import ranking_values
from aipm_sim.core.engine.scores import MSG_LENGTHS

inf, nan = math.inf, math.nan


def exactly(message):
    return "^" + re.escape(message) + "$"


# -- the oracle: for each session, sort, take the top k, keep score >= m, count ---------------------------
def brute_metrics(sessions, scores, labels, k, m):
    groups = {}
    for i, s in enumerate(sessions):
        groups.setdefault(s, []).append(i)
    S = len(groups)
    shown = rel = hits = displaying = 0
    recalls = []
    for rows in groups.values():
        ranked = sorted(rows, key=lambda i: (-scores[i], i))  # ties: earlier row first
        top = [i for i in ranked[:k] if scores[i] >= m]
        r = sum(bool(labels[i]) for i in top)
        shown += len(top)
        rel += r
        hits += r > 0
        displaying += len(top) > 0
        n_rel = sum(bool(labels[i]) for i in rows)
        if n_rel:
            recalls.append(r / n_rel)
    return {
        "shown": float(shown),
        "relevant_shown": float(rel),
        "irrelevant_shown": float(shown - rel),
        "precision_at_k": rel / (k * S),
        "precision_shown": rel / shown if shown else nan,
        "recall_at_k": float(np.mean(recalls)) if recalls else nan,
        "hit_rate": hits / S,
        "shown_per_session": shown / S,
        "clicks_per_1000_sessions": 1000 * rel / S,
        "sessions_displaying": float(displaying),
    }


@st.composite
def rankings(draw):
    n_sessions = draw(st.integers(1, 5))
    rows = []
    for s in range(n_sessions):
        for _ in range(draw(st.integers(1, 7))):
            rows.append((s, draw(st.sampled_from([0.1, 0.2, 0.3, 0.5, 0.9])), draw(st.booleans())))
    order = draw(st.permutations(range(len(rows))))  # sessions need not be contiguous
    rows = [rows[i] for i in order]
    sessions, scores, labels = zip(*rows)
    return list(sessions), list(scores), list(labels)


def close(a, b):
    return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


@given(rankings(), st.integers(1, 8), st.sampled_from([-inf, 0.05, 0.1, 0.2, 0.25, 0.3, 0.5, 0.9, 1.0, inf]))
def test_point_metrics_match_brute_force(data, k, m):
    sessions, scores, labels = data
    curve = am.RankingCurve.from_ranking(am.RankingSet(sessions, scores, labels), k_max=8)
    point = curve.point(k, m)
    expected = brute_metrics(sessions, scores, labels, k, m)
    for name, value in expected.items():
        assert close(getattr(point, name), value), name
    assert point.k == k and point.min_score == m and point.sessions == len(set(sessions))


@given(rankings(), st.integers(1, 6))
def test_metric_arrays_match_points_at_every_row(data, k):
    sessions, scores, labels = data
    curve = am.RankingCurve.from_ranking(am.RankingSet(sessions, scores, labels), k_max=6)
    thresholds = curve.thresholds(k)
    assert thresholds[0] == inf and np.all(np.diff(thresholds) < 0)
    for i, t in enumerate(thresholds):
        expected = brute_metrics(sessions, scores, labels, k, t)
        for name, value in expected.items():
            assert close(curve.metric(k, name)[i], value), (name, t)


def test_exact_toy_case():
    # Session a: scores 0.9 (rel), 0.8, 0.7 (rel); session b: 0.6, 0.5 (rel); session c: 0.4 (no relevant).
    rs = am.RankingSet(["a", "a", "a", "b", "b", "c"], [0.9, 0.8, 0.7, 0.6, 0.5, 0.4], [1, 0, 1, 0, 1, 0])
    curve = am.RankingCurve.from_ranking(rs, k_max=3)
    p = curve.point(2)
    # top 2: a -> 0.9 (rel), 0.8; b -> 0.6, 0.5 (rel); c -> 0.4
    assert (p.shown, p.relevant_shown) == (5.0, 2.0)
    assert p.precision_at_k == 2 / 6
    assert p.precision_shown == 2 / 5
    assert p.recall_at_k == (1 / 2 + 1 / 1) / 2
    assert p.hit_rate == 2 / 3
    q = curve.point(2, 0.55)  # a: 0.9, 0.8; b: 0.6
    assert (q.shown, q.relevant_shown, q.hit_rate) == (3.0, 1.0, 1 / 3)
    assert curve.sessions == 3 and curve.sessions_with_relevant == 2


def test_threshold_curve_is_the_min_score_choice_at_fixed_k():
    rs = am.RankingModel(relevance_rate=0.2, auc=0.8, n_candidates=6).sample(50, seed=1)
    curve = am.RankingCurve.from_ranking(rs, k_max=4)
    tc = curve.threshold_curve(3)
    assert np.array_equal(tc.thresholds, curve.thresholds(3))
    assert np.array_equal(tc.tp, curve.metric(3, "relevant_shown"))
    assert np.array_equal(tc.fp, curve.metric(3, "irrelevant_shown"))
    np.testing.assert_array_equal(tc.precision[1:], curve.metric(3, "precision_shown")[1:])


# -- value and optimum ------------------------------------------------------------------------------
def brute_value(sessions, scores, labels, vm, k, m):
    """Value of showing the top k with score >= m, session by session: a session pays for k slots
    only when it shows at least one item (no carousel otherwise)."""
    groups = {}
    for i, s in enumerate(sessions):
        groups.setdefault(s, []).append(i)
    total = 0.0
    for rows in groups.values():
        top = [i for i in sorted(rows, key=lambda i: (-scores[i], i))[:k] if scores[i] >= m]
        r = sum(bool(labels[i]) for i in top)
        total += vm.relevant * r + vm.irrelevant * (len(top) - r) + (vm.per_slot * k if top else 0.0)
    return total


def brute_options(sessions, scores, labels, vm, k_max, min_precision=None):
    """Every feasible (value, k, min score), in the documented tie order: smallest k, then highest min score."""
    out = []
    for k in range(1, k_max + 1):
        for m in [inf, *sorted(set(scores), reverse=True)]:
            e = brute_metrics(sessions, scores, labels, k, m)
            if min_precision is not None and not (e["precision_shown"] >= min_precision):
                continue  # NaN (nothing shown) never meets a constraint
            out.append((brute_value(sessions, scores, labels, vm, k, m), k, m))
    return out


def brute_optimum(sessions, scores, labels, vm, k_max, min_precision=None):
    """The best (value, k, min score): the first of the tie order among the highest values."""
    best = None
    for option in brute_options(sessions, scores, labels, vm, k_max, min_precision):
        if best is None or option[0] > best[0]:
            best = option
    return best


def decide_or_infeasible(data, vm, min_precision):
    """(decision, brute-force best, curve) for k <= 5; None after checking a ConstraintError when nothing is feasible."""
    sessions, scores, labels = data
    curve = am.RankingCurve.from_ranking(am.RankingSet(sessions, scores, labels), k_max=5)
    best = brute_optimum(sessions, scores, labels, vm, 5, min_precision)
    if best is None:
        with pytest.raises(ConstraintError):
            am.optimize_ranking(curve, vm, min_precision=min_precision)
        return None
    return am.optimize_ranking(curve, vm, min_precision=min_precision), best, curve


@given(rankings(), st.floats(0, 5), st.floats(-3, 0), st.floats(-0.5, 0),
       st.sampled_from([None, 0.2, 0.5, 0.8]))
def test_optimize_ranking_matches_brute_force(data, rel, irr, slot, min_precision):
    sessions, scores, labels = data
    vm = am.RankingValueModel(relevant=rel, irrelevant=irr, per_slot=slot)
    decided = decide_or_infeasible(data, vm, min_precision)
    if decided is None:
        return
    d, best, curve = decided
    assert d.value == pytest.approx(best[0], abs=1e-9)
    # The chosen (k, min score) is feasible, worth what the decision says, and no option earlier in the
    # tie order (smaller k, or the same k with a higher minimum score) is worth clearly more or as much.
    options = brute_options(sessions, scores, labels, vm, 5, min_precision)
    assert (d.value, d.k, d.min_score) in [(pytest.approx(v, abs=1e-9), k, m) for v, k, m in options]
    assert vm.point_value(curve.point(d.k, d.min_score)) == pytest.approx(d.value, abs=1e-9)
    earlier = [v for v, k, m in options if (k, -m) < (d.k, -d.min_score)]
    assert all(v < d.value + 1e-9 for v in earlier)


@given(rankings(), st.integers(0, 12), st.integers(-8, 0), st.integers(-4, 0),
       st.sampled_from([None, 0.2, 0.5, 0.8]))
def test_optimize_ranking_choice_follows_the_tie_rule(data, rel, irr, slot, min_precision):
    # Money in quarters: every value is exact in binary floating point, so ties are exact ties, and the
    # decision must be the brute force's first best option: the smallest k, then the highest minimum score.
    vm = am.RankingValueModel(relevant=rel / 4, irrelevant=irr / 4, per_slot=slot / 4)
    decided = decide_or_infeasible(data, vm, min_precision)
    if decided is not None:
        d, best, _ = decided
        assert (d.value, d.k, d.min_score) == best


def test_nothing_shown_is_not_precise_enough():
    # Precision of nothing shown is NaN, and NaN never meets a constraint: with a precision floor that no
    # item reaches, showing nothing is not a feasible choice either.
    rs = am.RankingSet([0, 0, 1], [0.9, 0.4, 0.8], [0, 1, 0])
    curve = am.RankingCurve.from_ranking(rs, k_max=2)
    assert math.isnan(curve.point(1, inf).precision_shown)
    with pytest.raises(ConstraintError):
        am.optimize_ranking(curve, am.RankingValueModel(relevant=1.0), min_precision=0.9)


def test_slot_cost_only_in_sessions_that_display():
    # Session a shows 0.9 at min score 0.85; session b (best 0.6) shows nothing and pays no slots.
    rs = am.RankingSet(["a", "a", "b", "b"], [0.9, 0.3, 0.6, 0.2], [1, 0, 0, 0])
    curve = am.RankingCurve.from_ranking(rs, k_max=2)
    vm = am.RankingValueModel(relevant=1.0, irrelevant=-0.1, per_slot=-0.2)
    p = curve.point(2, 0.85)
    assert (p.shown, p.sessions_displaying) == (1.0, 1.0)
    assert vm.point_value(p) == pytest.approx(1.0 - 0.2 * 2 * 1)  # one session's two slots, not both sessions'
    assert vm.point_value(curve.point(2, 0.5)) == pytest.approx(1.0 - 0.1 - 0.2 * 2 * 2)
    d = am.optimize_ranking(curve, vm)
    assert (d.k, d.min_score, d.value) == (1, 0.9, pytest.approx(1.0 - 0.2))
    assert d.point.sessions_displaying == 1.0


@given(rankings(), st.integers(1, 5), st.floats(0, 5), st.floats(-3, 0), st.floats(-0.5, 0))
def test_slot_cost_is_charged_only_when_something_is_shown(data, k, rel, irr, slot):
    # One rule for the array of values and for a single point: k slots in each session that shows anything.
    sessions, scores, labels = data
    vm = am.RankingValueModel(relevant=rel, irrelevant=irr, per_slot=slot)
    curve = am.RankingCurve.from_ranking(am.RankingSet(sessions, scores, labels), k_max=5)
    values = ranking_values(curve, vm, k)
    for i, m in enumerate(curve.thresholds(k)):
        e = brute_metrics(sessions, scores, labels, k, m)
        by_hand = brute_value(sessions, scores, labels, vm, k, m)
        assert by_hand == pytest.approx(
            rel * e["relevant_shown"] + irr * e["irrelevant_shown"] + slot * k * e["sessions_displaying"], abs=1e-9)
        assert values[i] == pytest.approx(by_hand, abs=1e-9)
        assert vm.point_value(curve.point(k, m)) == pytest.approx(by_hand, abs=1e-9)
    # A finite minimum score above every score shows nothing: no carousel, no slot cost.
    above = curve.point(k, 2.0)
    assert above.shown == 0 and vm.point_value(above) == 0.0


def test_value_per_period_and_per_1000_sessions():
    rs = am.RankingModel(relevance_rate=0.1, auc=0.8, n_candidates=10).sample(200, seed=3)
    curve = am.RankingCurve.from_ranking(rs, k_max=5)
    vm = am.RankingValueModel(relevant=1.0, irrelevant=-0.05, per_slot=-0.01)
    total = am.optimize_ranking(curve, vm)
    monthly = am.optimize_ranking(curve, vm, sessions=1e6)
    assert (monthly.k, monthly.min_score) == (total.k, total.min_score)
    assert monthly.value == pytest.approx(total.value * 1e6 / 200)
    p = total.point
    assert total.value_per_1000_sessions == pytest.approx(
        1000 * (p.relevant_shown - 0.05 * p.irrelevant_shown - 0.01 * total.k * p.sessions_displaying) / 200)
    # Revenue: the clicks' worth (1.0 each), before annoyance and slot costs.
    assert total.revenue_per_1000_sessions == pytest.approx(1000 * p.relevant_shown / 200)
    assert total.revenue_per_1000_sessions == pytest.approx(p.clicks_per_1000_sessions * 1.0)
    assert monthly.revenue_per_1000_sessions == pytest.approx(total.revenue_per_1000_sessions)
    assert total.to_dict()["revenue_per_1000_sessions"] == total.revenue_per_1000_sessions
    by_k = total.by_k.set_index("k")
    assert by_k.loc[total.k, "value"] == pytest.approx(total.value)
    assert by_k["value"].max() == pytest.approx(total.value)
    assert by_k.loc[total.k, "revenue_per_1000_sessions"] == pytest.approx(total.revenue_per_1000_sessions)
    for kk, row in by_k.iterrows():
        q = curve.point(kk, row["min_score"])
        assert row["revenue_per_1000_sessions"] == pytest.approx(1000 * q.relevant_shown / 200)


def test_decision_carries_period_and_currency_labels():
    rs = am.RankingModel(relevance_rate=0.1, auc=0.8, n_candidates=10).sample(50, seed=3)
    curve = am.RankingCurve.from_ranking(rs, k_max=3)
    vm = am.RankingValueModel(relevant=1.0, irrelevant=-0.05)
    plain = am.optimize_ranking(curve, vm)
    assert (plain.period, plain.currency) == (None, None) and "period" not in plain.to_dict()
    labelled = am.optimize_ranking(curve, vm, sessions=1e5, period="month", currency="USD")
    assert (labelled.period, labelled.currency) == ("month", "USD")
    assert labelled.to_dict()["period"] == "month" and labelled.to_dict()["currency"] == "USD"
    with pytest.raises(ParameterError, match=exactly(MSG_LABEL.format("period", "month", ""))):
        am.optimize_ranking(curve, vm, period="")


def test_slot_cost_makes_fewer_slots_worth_it():
    rs = am.RankingModel(relevance_rate=0.05, auc=0.8, n_candidates=30).sample(500, seed=4)
    curve = am.RankingCurve.from_ranking(rs, k_max=10)
    free = am.optimize_ranking(curve, am.RankingValueModel(relevant=1.0, irrelevant=-0.01))
    costly = am.optimize_ranking(curve, am.RankingValueModel(relevant=1.0, irrelevant=-0.01, per_slot=-0.05))
    assert free.k == 10 and costly.k < free.k


def test_binding_constraint_and_unconstrained_value():
    rs = am.RankingModel(relevance_rate=0.05, auc=0.75, n_candidates=30).sample(500, seed=5)
    curve = am.RankingCurve.from_ranking(rs, k_max=8)
    vm = am.RankingValueModel(relevant=1.0, irrelevant=-0.02)
    free = am.optimize_ranking(curve, vm)
    strict = am.optimize_ranking(curve, vm, min_precision=free.point.precision_shown + 0.05)
    assert strict.binding == ("min_precision",)
    assert strict.value < free.value == strict.unconstrained_value
    assert strict.point.precision_shown >= free.point.precision_shown + 0.05
    assert strict.to_dict()["k"] == strict.k and strict.threshold == strict.min_score


def test_infeasible_constraints_name_the_reachable_best():
    rs = am.RankingSet([0, 0, 1, 1], [0.9, 0.1, 0.8, 0.2], [1, 0, 0, 0])
    curve = am.RankingCurve.from_ranking(rs, k_max=2)
    vm = am.RankingValueModel(relevant=1.0)
    with pytest.raises(ConstraintError, match=exactly(MSG_RANKING_INFEASIBLE.format(
            "min_hit_rate=0.9", "hit_rate", "0.5"))):
        am.optimize_ranking(curve, vm, min_hit_rate=0.9)


def test_constraints_that_hold_alone_but_not_together():
    # Precision 1 means showing only 0.9; recall 1 means showing 0.1 too, and then 0.5 as well.
    rs = am.RankingSet([0, 0, 0], [0.9, 0.5, 0.1], [1, 0, 1])
    curve = am.RankingCurve.from_ranking(rs, k_max=3)
    vm = am.RankingValueModel(relevant=1.0)
    am.optimize_ranking(curve, vm, min_precision=1.0)
    am.optimize_ranking(curve, vm, min_recall=1.0)
    with pytest.raises(ConstraintError, match=exactly(MSG_RANKING_JOINT.format("min_precision=1, min_recall=1"))):
        am.optimize_ranking(curve, vm, min_precision=1.0, min_recall=1.0)


# -- synthetic candidates -------------------------------------------------------------------------------
def test_ranking_model_sample_is_seeded_and_calibrated():
    m = am.RankingModel(relevance_rate=0.05, auc=0.8, n_candidates=20, popularity_auc=0.6)
    a, b = m.sample(3000, seed=11), m.sample(3000, seed=11)
    assert np.array_equal(a.scores, b.scores) and np.array_equal(a.labels, b.labels)
    assert a.n_sessions == 3000 and len(a) == 60000
    assert abs(a.labels.mean() - 0.05) < 0.005
    # Calibration: among candidates scored in [0.1, 0.2), the share relevant is in that range.
    sel = (a.scores >= 0.1) & (a.scores < 0.2)
    assert 0.1 <= a.labels[sel].mean() < 0.2
    from sklearn.metrics import roc_auc_score

    assert roc_auc_score(a.labels, a.scores) == pytest.approx(0.8, abs=0.01)
    assert roc_auc_score(a.labels, a.popularity) == pytest.approx(0.6, abs=0.01)
    pop = a.by_popularity()
    assert np.array_equal(pop.scores, a.popularity) and np.array_equal(pop.labels, a.labels)


def test_from_frame_and_read(tmp_path):
    # (The errors of from_frame are in test_errors.)
    df = pd.DataFrame({"user": ["u", "u", "v"], "p": [0.3, 0.6, 0.2], "click": [0, 1, 1], "pop": [5, 9, 1]})
    rs = am.RankingSet.from_frame(df, session="user", score="p", label="click", popularity="pop")
    path = tmp_path / "r.csv"
    df.to_csv(path, index=False)
    rs2 = am.RankingSet.read(path, session="user", score="p", label="click")
    assert np.array_equal(rs.scores, rs2.scores) and rs.n_sessions == 2
    assert rs2.popularity is None
    assert repr(rs) == "RankingSet(2 sessions, 3 candidates, 0.6667 relevant)"


@pytest.mark.parametrize("call, error, message", [
    (lambda: am.RankingSet([0, 1], [0.5], [1, 0]), DataError, MSG_LENGTHS.format([2, 1, 2])),
    (lambda: am.RankingSet(["a", None, None], [0.5, 0.4, 0.3], [1, 0, 0]), DataError,
     MSG_SESSION_MISSING.format("sessions", None, 2, "data row 2 (counting from 1)")),
    (lambda: am.RankingSet([1.0, nan], [0.5, 0.4], [1, 0]), DataError, MSG_SESSION_MISSING.format("sessions", nan, 1, "data row 2 (counting from 1)")),
    (lambda: am.RankingSet.from_frame(pd.DataFrame({"s": [1, None, 3], "p": [0.1, 0.2, 0.3], "y": [0, 1, 0]}),
                                      session="s", score="p", label="y"), DataError,
     MSG_SESSION_MISSING.format("column 's'", nan, 1, "data row 2 (counting from 1)")),
    (lambda: am.RankingSet.from_frame(pd.DataFrame({"s": [1, 1], "p": [0.1, "abc"], "y": [0, 1]}),
                                      session="s", score="p", label="y"), DataError,
     "column 'p' must be numeric; found text 'abc' in 1 row(s), first at data row 2 (counting from 1)"),
    (lambda: am.RankingSet.from_frame(pd.DataFrame({"s": [1, 1], "p": [0.1, inf], "y": [0, 1]}),
                                      session="s", score="p", label="y"), DataError,
     "column 'p' must be finite numbers; found inf in 1 row(s), first at data row 2 (counting from 1)"),
    (lambda: am.RankingSet.from_frame(pd.DataFrame({"s": [1, 1], "p": [0.1, 0.2], "y": [0, 1], "n": ["x", 2]}),
                                      session="s", score="p", label="y", popularity="n"), DataError,
     "column 'n' must be numeric; found text 'x' in 1 row(s), first at data row 1 (counting from 1)"),
    (lambda: am.RankingSet.from_frame(pd.DataFrame({"s": [1, 1], "p": [0.1, 0.2], "y": [0, 3]}),
                                      session="s", score="p", label="y"), DataError,
     "column 'y' must be 0/1 or bool; found 3 in 1 row(s), first at data row 2 (counting from 1)"),
    (lambda: am.RankingSet([], [], []), DataError, MSG_RANKING_EMPTY),
    (lambda: am.RankingSet([0], [nan], [1]), DataError,
     "scores must be finite numbers; found nan in 1 row(s), first at data row 1 (counting from 1)"),
    (lambda: am.RankingSet([0], [0.5], [2]), DataError, "labels must be 0/1 or bool; found 2 in 1 row(s), first at data row 1 (counting from 1)"),
    (lambda: am.RankingSet([0], [0.5], [1]).by_popularity(), DataError, MSG_NO_POPULARITY),
    (lambda: am.RankingSet.from_frame(pd.DataFrame({"s": [1]}), session="s", score="x", label="y"), DataError,
     "column 'x' (score) not found in the data; columns are: s"),
    (lambda: am.RankingCurve.from_ranking(am.RankingSet([0], [0.5], [1]), k_max=0), ParameterError,
     MSG_K_MAX.format(0)),
    (lambda: am.RankingCurve.from_ranking(am.RankingSet([0], [0.5], [1]), k_max=2).point(3), ParameterError,
     MSG_K.format(2, 3)),
    (lambda: am.RankingCurve.from_ranking(am.RankingSet([0], [0.5], [1]), k_max=2).point(1.5), ParameterError,
     MSG_K.format(2, 1.5)),
    (lambda: am.RankingCurve.from_ranking(am.RankingSet([0], [0.5], [1]), k_max=2).point(1, nan), ParameterError,
     MSG_MIN_SCORE.format(nan)),
    (lambda: am.RankingCurve.from_ranking(am.RankingSet([0], [0.5], [1]), k_max=2).point(1, "high"), ParameterError,
     MSG_MIN_SCORE.format("high")),
    (lambda: am.RankingCurve.from_ranking(am.RankingSet([0], [0.5], [1]), k_max=2).metric(1, "nope"),
     ParameterError, "metric must be one of shown, relevant_shown, irrelevant_shown, precision_at_k, "
     "precision_shown, recall_at_k, hit_rate, shown_per_session, clicks_per_1000_sessions, "
     "sessions_displaying; found 'nope'"),
    (lambda: am.RankingModel(relevance_rate=0.1, auc=0.8, n_candidates=2.5), ParameterError,
     MSG_N_CANDIDATES.format(2.5)),
    (lambda: am.RankingModel(relevance_rate=1.5, auc=0.8, n_candidates=2), ParameterError,
     "relevance_rate must be in (0, 1); found 1.5"),
    (lambda: am.RankingModel(relevance_rate=0, auc=0.8, n_candidates=2), ParameterError,
     "relevance_rate must be in (0, 1); found 0"),
    (lambda: am.RankingModel(relevance_rate=0.1, auc=1.0, n_candidates=2), ParameterError, MSG_AUC.format(1.0)),
    (lambda: am.RankingModel(relevance_rate=0.1, auc="good", n_candidates=2), ParameterError, MSG_AUC.format("good")),
    (lambda: am.RankingModel(relevance_rate=0.1, auc=0.8, n_candidates=2, popularity_auc=0.4), ParameterError,
     MSG_POPULARITY_AUC.format(0.4)),
    (lambda: am.RankingModel(relevance_rate=0.1, auc=0.8, n_candidates=2).sample(0, seed=1), ParameterError,
     MSG_N_SESSIONS.format(0)),
    (lambda: am.RankingValueModel(relevant="x"), ParameterError, "relevant must be a number; found 'x'"),
    (lambda: am.optimize_ranking(am.RankingCurve.from_ranking(am.RankingSet([0], [0.5], [1]), k_max=1),
                                 am.RankingValueModel(), min_precision=2), ParameterError,
     "min_precision must be in [0, 1]; found 2"),
    (lambda: am.optimize_ranking("curve", am.RankingValueModel()), TypeError,
     "curve must be a RankingCurve; found str"),
    (lambda: am.optimize_ranking(am.RankingCurve.from_ranking(am.RankingSet([0], [0.5], [1]), k_max=1),
                                 am.ValueModel()), TypeError, "value_model must be a RankingValueModel; found ValueModel"),
])
def test_errors(call, error, message):
    with pytest.raises(error, match=exactly(message)):
        call()


RANKING_METRICS = {"min_precision": "precision_shown", "min_hit_rate": "hit_rate", "min_recall": "recall_at_k"}


def brute_binding(sessions, scores, labels, vm, k_max, bounds):
    """Binding constraints by their definition: each one in a smallest set whose removal raises the best value."""
    rows = [(brute_value(sessions, scores, labels, vm, k, m), brute_metrics(sessions, scores, labels, k, m))
            for k in range(1, k_max + 1) for m in [inf, *sorted(set(scores), reverse=True)]]

    def best(kept):
        ok = [v for v, e in rows if all(e[RANKING_METRICS[n]] >= bounds[n] - 1e-12 for n in kept)]
        return max(ok) if ok else -inf

    value = best(bounds)
    helps = [set(drop) for r in range(1, len(bounds) + 1) for drop in itertools.combinations(bounds, r)
             if best([n for n in bounds if n not in drop]) > value + 1e-12 * max(1.0, abs(value))]
    minimal = [s for s in helps if not any(o < s for o in helps)]
    return tuple(n for n in RANKING_METRICS if any(n in s for s in minimal)), value


@pytest.mark.parametrize("seed", range(40))
def test_binding_matches_its_definition_by_brute_force(seed):
    # Seed 20 has two constraints that bind only together (min_hit_rate and min_recall): dropping
    # either alone changes nothing, dropping both helps.
    rng = np.random.default_rng(seed)
    sessions = np.repeat(np.arange(6), 4).tolist()
    scores = np.round(rng.uniform(0, 1, 24), 1).tolist()  # ties
    labels = (rng.uniform(0, 1, 24) < np.array(scores) * 0.8).astype(int).tolist()
    vm = am.RankingValueModel(relevant=1.0, irrelevant=-0.3, per_slot=-0.05)
    curve = am.RankingCurve.from_ranking(am.RankingSet(sessions, scores, labels), k_max=3)
    # Each bound is a value the metric takes at some (k, min score): bounds that can hold and bind.
    reached = [brute_metrics(sessions, scores, labels, k, m)
               for k in range(1, 4) for m in [inf, *sorted(set(scores), reverse=True)]]
    bounds = {}
    for name, metric in RANKING_METRICS.items():
        values = sorted({e[metric] for e in reached if not math.isnan(e[metric])})
        bounds[name] = float(values[int(rng.integers(0, len(values)))])
    want, value = brute_binding(sessions, scores, labels, vm, 3, bounds)
    if value == -inf:
        with pytest.raises(ConstraintError):
            am.optimize_ranking(curve, vm, **bounds)
        return
    d = am.optimize_ranking(curve, vm, **bounds)
    assert d.value == pytest.approx(value, abs=1e-9)
    assert d.binding == want
    assert bool(d.binding) == (d.unconstrained_value > d.value + 1e-9)
