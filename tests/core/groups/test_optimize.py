"""optimize_groups against brute force, closed forms and Fairlearn's ThresholdOptimizer (oracles only)."""

import itertools
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import aipm_sim as am
from aipm_sim.core.groups.optimize import (FAIRNESS_RULES, MSG_INFEASIBLE, MSG_NO_CLASS, MSG_ONLY_NOTHING,
                                           MSG_RULE, MSG_UNFAIR, RULE_WORDS)

RULES = [None, *FAIRNESS_RULES]
SLACK = 1e-12


def _rows(scores, labels, weights):
    """Every threshold's (threshold, tp, fp) of one group, counted directly: flag nothing, then each distinct score."""
    out = [(math.inf, 0.0, 0.0)]
    for t in np.unique(scores)[::-1]:
        flag = scores >= t
        out.append((float(t), float(weights[flag & labels].sum()), float(weights[flag & ~labels].sum())))
    return out


def _brute(groups_data, vm, rule, tol, bounds):
    """Best total value over every combination of one row per group meeting the rule and the constraints."""
    per_group = []
    for scores, labels, weights in groups_data:
        P, N = weights[labels].sum(), weights[~labels].sum()
        per_group.append([(t, tp, fp, P, N) for t, tp, fp in _rows(scores, labels, weights)])
    best = None
    for combo in itertools.product(*per_group):
        rates = {"alert_rate": [], "recall": [], "fpr": [], "precision": []}
        for t, tp, fp, P, N in combo:
            rates["alert_rate"].append((tp + fp) / (P + N))
            rates["recall"].append(tp / P if P else math.nan)
            rates["fpr"].append(fp / N if N else math.nan)
            rates["precision"].append(tp / (tp + fp) if tp + fp else math.nan)
        if rule is not None and tol < 1:  # at tolerance 1 every combination is allowed (documented)
            ok = True
            for rate in FAIRNESS_RULES[rule]:
                x = np.array(rates[rate])
                if rate == "precision" and np.isnan(x).all():
                    continue  # every group flags nothing
                if np.isnan(x).any() or x.max() - x.min() > tol + SLACK:
                    ok = False
            if not ok:
                continue
        TP = sum(c[1] for c in combo)
        FP = sum(c[2] for c in combo)
        P = sum(c[3] for c in combo)
        N = sum(c[4] for c in combo)
        metric = {"recall": TP / P if P else math.nan, "precision": TP / (TP + FP) if TP + FP else math.nan,
                  "alert_rate": (TP + FP) / (P + N), "fpr": FP / N if N else math.nan, "alerts": TP + FP}
        meets = True
        for name, b in bounds.items():
            kind, m, _ = am.CONSTRAINTS[name]
            x = metric[m]
            s = 1e-12 * max(1, abs(b))
            if kind == "min" and not (x >= b - s):
                meets = False
            if kind == "max" and x > b + s:
                meets = False
        if not meets:
            continue
        value = sum(vm.tp * tp + vm.fp * fp + vm.fn * (Pg - tp) + vm.tn * (Ng - fp) for _, tp, fp, Pg, Ng in combo)
        if best is None or value > best:
            best = value
    return best


@st.composite
def problems(draw):
    n_groups = draw(st.integers(2, 3))
    data = []
    for _ in range(n_groups):
        n = draw(st.integers(4, 30))
        scores = np.array(draw(st.lists(st.integers(0, 5), min_size=n, max_size=n)), dtype=float) / 5
        labels = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
        labels[0], labels[1] = True, False  # every group has both classes
        weights = np.array(draw(st.lists(st.sampled_from([1.0, 2.0, 0.5]), min_size=n, max_size=n)))
        data.append((scores, labels, weights))
    vm = am.ValueModel(**{c: draw(st.floats(-10, 10).map(lambda x: round(x, 2))) for c in ("tp", "fp", "fn", "tn")})
    tol = draw(st.sampled_from([0.0, 0.05, 0.1, 0.25, 0.5, 1.0]))
    bounds = draw(st.sampled_from([{}, {"max_alerts": 20.0}, {"min_recall": 0.5}, {"min_precision": 0.4},
                                   {"max_alert_rate": 0.5, "min_recall": 0.3}, {"max_fpr": 0.4}]))
    return data, vm, tol, bounds


def _score_set(data):
    scores = np.concatenate([d[0] for d in data])
    labels = np.concatenate([d[1] for d in data])
    weights = np.concatenate([d[2] for d in data])
    groups = np.concatenate([[f"g{k}"] * len(d[0]) for k, d in enumerate(data)])
    return am.ScoreSet(scores, labels, weights=weights, groups=groups)


@pytest.mark.parametrize("rule", RULES)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problem=problems())
def test_equals_brute_force(rule, problem):
    data, vm, tol, bounds = problem
    s = _score_set(data)
    best = _brute(data, vm, rule, tol, bounds)
    if best is None:
        with pytest.raises(am.ConstraintError):
            am.optimize_groups(s, vm, fairness=rule, tolerance=tol, **bounds)
        return
    d = am.optimize_groups(s, vm, fairness=rule, tolerance=tol, **bounds)
    assert d.value == pytest.approx(best, abs=1e-9)
    assert d.price_of_fairness >= 0
    # the chosen thresholds give that value and meet the rule
    table = am.group_metrics(s, dict(d.thresholds), value_model=vm)
    assert table["value"].sum() == pytest.approx(best, abs=1e-9)
    if rule is not None and tol < 1:
        for rate in FAIRNESS_RULES[rule]:
            x = table[rate].to_numpy()
            if not np.isnan(x).all():
                assert x.max() - x.min() <= tol + 1e-9
    free = _brute(data, vm, None, 1.0, bounds)
    assert d.unconstrained_value == pytest.approx(free, abs=1e-9)
    assert d.price_of_fairness == pytest.approx(free - best, abs=1e-9)  # against brute force, not the clamp
    if tol == 1.0:
        assert d.price_of_fairness == 0.0


def _calibrated(n=3000):
    """Two equal groups, scores U(0, 1) and U(0, 0.5), calibrated: a fine grid, each score a positive of weight s
    and a negative of weight 1 - s (expected counts, no sampling)."""
    s = (np.arange(n) + 0.5) / n
    sa, sb = s, s / 2
    scores = np.concatenate([sa, sa, sb, sb])
    labels = np.concatenate([np.ones(n), np.zeros(n), np.ones(n), np.zeros(n)])
    weights = np.concatenate([sa, 1 - sa, sb, 1 - sb])
    return am.ScoreSet(scores, labels, weights=weights, groups=np.repeat(["A", "B"], 2 * n)), 2 * n


def test_closed_form_accuracy():
    s, n = _calibrated()
    vm = am.ValueModel(tp=1.0, tn=1.0)  # accuracy * number of cases
    free = am.optimize_groups(s, vm)
    assert free.thresholds["A"] == pytest.approx(0.5, abs=1e-3)
    assert free.by_group.loc["B", "alerts"] == 0  # B's scores are all below 0.5: cutting at 0.5 flags none
    assert free.value / n == pytest.approx(0.75, abs=1e-4)
    dp = am.optimize_groups(s, vm, fairness="demographic_parity")
    # maximise (1 + 2t - 2t^2 + ...) : A cut a, B cut b with 1 - a = 2 (0.5 - b) → a = 2/3, b = 1/3, 17/24
    assert dp.thresholds["A"] == pytest.approx(2 / 3, abs=1e-3)
    assert dp.thresholds["B"] == pytest.approx(1 / 3, abs=1e-3)
    assert dp.value / n == pytest.approx(17 / 24, abs=1e-4)
    assert dp.price_of_fairness / n == pytest.approx(0.75 - 17 / 24, abs=1e-4)
    loose = am.optimize_groups(s, vm, fairness="demographic_parity", tolerance=1.0)
    assert loose.price_of_fairness == 0.0
    assert free.single_threshold == pytest.approx(0.5, abs=1e-3)


def test_against_fairlearn_threshold_optimizer():
    """Blocks of tied scores whose selection rates line up (0, 1/4, 1/2, 3/4, 1 in both groups), so that
    ThresholdOptimizer's best rate sits on one threshold per group with all the weight."""
    from fairlearn.postprocessing import ThresholdOptimizer
    from sklearn.base import BaseEstimator

    class Fixed(BaseEstimator):  # a 'model' whose prediction is the stored score
        def fit(self, X, y):
            self.fitted_ = True
            return self

        def predict(self, X):
            return X[:, 0]

    rng = np.random.default_rng(3)
    scores, labels, groups = [], [], []
    for g, pos in (("a", [0.9, 0.7, 0.4, 0.1]), ("b", [0.6, 0.3, 0.2, 0.05])):
        for level, p in zip((4, 3, 2, 1), pos):
            k = 40
            scores += [level + (0.5 if g == "b" else 0)] * k
            labels += list(rng.permutation(np.arange(k) < round(p * k)))
            groups += [g] * k
    scores, labels, groups = np.array(scores), np.array(labels), np.array(groups)
    to = ThresholdOptimizer(estimator=Fixed(), constraints="demographic_parity", objective="accuracy_score",
                            prefit=False, predict_method="predict", grid_size=1000)
    to.fit(scores[:, None], labels.astype(int), sensitive_features=groups)
    ours = am.optimize_groups(am.ScoreSet(scores, labels, groups=groups), am.ValueModel(tp=1.0, tn=1.0),
                              fairness="demographic_parity")
    for g in ("a", "b"):
        inter = to.interpolated_thresholder_.interpolation_dict[g]
        assert inter["p0"] in (0.0, 1.0)  # all weight on one threshold
        op = inter["operation1"] if inter["p0"] == 0.0 else inter["operation0"]
        # Fairlearn flags score > threshold; ours flags score >= threshold: same cases between tie blocks
        m = groups == g
        assert ((scores[m] > op.threshold) == (scores[m] >= ours.thresholds[g])).all()
    pred = to.predict(scores[:, None], sensitive_features=groups, random_state=0)
    assert ours.value / len(scores) == pytest.approx((pred == labels).mean())


def test_only_flag_nothing_is_said():
    # one group: every alert is a loss; other group: a gain, but alert rates can only be equal at zero
    s = am.ScoreSet([0.9, 0.8, 0.1, 0.2], [1, 1, 0, 0], groups=["a", "a", "b", "b"])
    vm = am.ValueModel(tp=10.0, fp=-100.0)
    d = am.optimize_groups(s, vm, fairness="demographic_parity")
    assert d.flags_nothing
    assert d.note == MSG_ONLY_NOTHING.format(RULE_WORDS["demographic_parity"], 0)
    assert d.price_of_fairness == pytest.approx(20.0)


def _sets():
    base = am.ScoreSet([0.9, 0.8, 0.1, 0.2], [1, 0, 1, 0], groups=["a", "a", "b", "b"])
    no_pos = am.ScoreSet([0.9, 0.8, 0.1, 0.2], [1, 0, 0, 0], groups=["a", "a", "b", "b"])
    no_neg = am.ScoreSet([0.9, 0.8, 0.1, 0.2], [1, 0, 1, 1], groups=["a", "a", "b", "b"])
    return base, no_pos, no_neg


BASE, NO_POS, NO_NEG = _sets()
VM = am.ValueModel(tp=1.0, fp=-1.0)


@pytest.mark.parametrize(("score_set", "kwargs", "error", "message"), [
    (BASE, {"fairness": "parity"}, am.ParameterError, MSG_RULE.format(", ".join(map(repr, FAIRNESS_RULES)), "parity")),
    (BASE, {"tolerance": -0.1}, am.ParameterError, "tolerance must be in [0, inf); found -0.1"),
    (NO_POS, {"fairness": "equal_opportunity"}, am.DataError,
     MSG_NO_CLASS.format(RULE_WORDS["equal_opportunity"], "recall", "b", "positive", "recall")),
    (NO_NEG, {"fairness": "equalized_odds"}, am.DataError,
     MSG_NO_CLASS.format(RULE_WORDS["equalized_odds"], "false positive rate", "b", "negative", "false positive rate")),
    (am.ScoreSet([0.1, 0.9], [0, 1]), {}, am.DataError, am.core.groups.metrics.MSG_NO_GROUPS),
    (BASE, {"min_recall": 0.6, "max_alerts": 1}, am.ConstraintError, MSG_INFEASIBLE.format("min_recall=0.6, max_alerts=1")),
    (BASE, {"fairness": "equal_opportunity", "min_recall": 0.5, "max_alerts": 2}, am.ConstraintError,
     MSG_UNFAIR.format(RULE_WORDS["equal_opportunity"], 0.0, "min_recall=0.5, max_alerts=2", 1.0)),
    (am.ScoreSet([0.1, 0.2], [0, 0], groups=["a", "b"]), {"min_recall": 0.5}, am.ConstraintError,
     MSG_INFEASIBLE.format("min_recall=0.5") + ": the data has no positive cases, so recall is undefined"),
])
def test_errors(score_set, kwargs, error, message):
    with pytest.raises(error) as info:
        am.optimize_groups(score_set, VM, **kwargs)
    if message is not None:
        assert str(info.value) == message


def test_unknown_constraint_is_a_type_error():
    with pytest.raises(TypeError, match="unknown constraint 'min_profit'"):
        am.optimize_groups(BASE, VM, min_profit=1)


def test_decision_is_frozen_and_deterministic():
    s, _ = _calibrated(200)
    vm = am.ValueModel(tp=1.0, tn=1.0)
    a = am.optimize_groups(s, vm, fairness="equal_opportunity", tolerance=0.02)
    b = am.optimize_groups(s, vm, fairness="equal_opportunity", tolerance=0.02)
    assert dict(a.thresholds) == dict(b.thresholds)
    with pytest.raises(Exception):
        a.value = 1.0
    with pytest.raises(TypeError):
        a.thresholds["A"] = 0.0
    assert set(a.to_dict()) >= {"thresholds", "price_of_fairness", "by_group"}


@pytest.mark.parametrize("rule", list(FAIRNESS_RULES))
@pytest.mark.parametrize("tol", [0.05, 0.2])
def test_binding_constraint_equals_brute_force(rule, tol):
    """A limit on the alert rate that binds (its Lagrange multiplier is positive, so the windows' bounds come from
    several multiples of it): still the brute-force optimum."""
    rng = np.random.default_rng(7)
    data = []
    for n, shift in ((40, 0.0), (30, 1.0), (25, 2.0)):
        scores = rng.integers(0, 12, n).astype(float)
        labels = rng.random(n) < 0.2 + 0.05 * scores
        labels[0], labels[1] = True, False
        data.append((scores + shift, labels, rng.choice([0.5, 1.0, 2.0], n)))
    vm = am.ValueModel(tp=5.0, fp=-1.0, fn=-2.0, tn=0.5)
    bounds = {"max_alert_rate": 0.3}
    s = _score_set(data)
    from aipm_sim.core.groups import optimize as O
    names, curves = O.group_curves(s)
    costs, limits = O._costs(curves, bounds, 1.0)
    assert (O._search.lagrange_multipliers([vm.value(c) for c in curves], costs, limits) > 0).all()
    best = _brute(data, vm, rule, tol, bounds)
    d = am.optimize_groups(s, vm, fairness=rule, tolerance=tol, **bounds)
    assert d.value == pytest.approx(best, abs=1e-9)


def test_predictive_parity_at_tolerance_one_allows_a_group_that_flags_nothing():
    # a: flagging is worth 20; b: every alert loses. Below tolerance 1 predictive parity asks both groups to flag
    # something or neither (b flagging nothing has no precision); at 1 the rule allows anything (price 0).
    s = am.ScoreSet([0.9, 0.8, 0.1, 0.2], [1, 1, 0, 0], groups=["a", "a", "b", "b"])
    vm = am.ValueModel(tp=10.0, fp=-100.0)
    strict = am.optimize_groups(s, vm, fairness="predictive_parity", tolerance=0.99)
    assert strict.flags_nothing and strict.price_of_fairness == pytest.approx(20.0)
    loose = am.optimize_groups(s, vm, fairness="predictive_parity", tolerance=1.0)
    assert dict(loose.thresholds) == {"a": 0.8, "b": math.inf} and loose.price_of_fairness == 0.0
