"""One exact answer: an analytic curve's queries in closed form, and optimize's exact optimum on a model.

Oracles: the binormal rates written here from scipy.stats.norm (recall = sf(x - d), fpr = sf(x) at latent
cut x, the calibrated score from Bayes' rule on the two class densities), each binding bound found with
scipy.optimize.brentq on those rates, and Elkan's cost threshold derived below in the package's signs.
"""

import math
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize as sp_optimize
from scipy import stats

import aipm_sim as am
from aipm_sim.core.errors import ConstraintError, DegenerateWarning

FIELDS = ("tp", "fp", "fn", "tn", "tp_amount", "fp_amount", "fn_amount", "tn_amount", "n_cases", "alerts",
          "precision", "recall", "fpr", "specificity", "npv", "f1", "alert_rate", "lift", "prevalence")


def assert_same_point(a, b, rel=1e-12):
    for name in FIELDS:
        x, y = getattr(a, name), getattr(b, name)
        if math.isnan(y):
            assert math.isnan(x), name
        else:
            assert x == pytest.approx(y, rel=rel, abs=1e-300), name


# -- the binormal oracle, from scipy.stats.norm ---------------------------------------------------------------
class Binormal:
    """Negatives N(0, 1), positives N(d, 1) in the latent score x; a case is flagged when x >= cut."""

    def __init__(self, prevalence, auc):
        self.pi = prevalence
        self.d = math.sqrt(2) * stats.norm.ppf(auc)  # AUC of N(0,1) vs N(d,1) is Phi(d / sqrt 2)

    def recall(self, x):
        return stats.norm.sf(x - self.d)

    def fpr(self, x):
        return stats.norm.sf(x)

    def alert_rate(self, x):
        return self.pi * self.recall(x) + (1 - self.pi) * self.fpr(x)

    def precision(self, x):
        return self.pi * self.recall(x) / self.alert_rate(x)

    def score(self, x):
        """Calibrated score at latent x: P(y = 1 | x) by Bayes' rule on the class densities."""
        pos, neg = self.pi * stats.norm.pdf(x - self.d), (1 - self.pi) * stats.norm.pdf(x)
        return pos / (pos + neg)

    def cut_where(self, f, target):
        """The latent cut where the monotone rate ``f`` equals ``target`` (brentq)."""
        return sp_optimize.brentq(lambda x: f(x) - target, -12.0, 12.0 + self.d, xtol=1e-14, rtol=1e-15)

    def cut_at_score(self, p):
        return self.cut_where(self.score, p)

    def value(self, x, vm, m0=0.0, m1=0.0):
        """Expected value per case of flagging x >= cut (amount means m0, m1 of negatives and positives)."""
        r, f = self.recall(x), self.fpr(x)
        pos = r * (vm.tp + m1 * vm.tp_amount) + (1 - r) * (vm.fn + m1 * vm.fn_amount)
        neg = f * (vm.fp + m0 * vm.fp_amount) + (1 - f) * (vm.tn + m0 * vm.tn_amount)
        return self.pi * pos + (1 - self.pi) * neg


def elkan(vm, m0=0.0, m1=0.0):
    """Cost threshold in the package's signs (gains positive, costs negative).

    Flagging a case with P(y = 1) = p instead of passing it changes the value by
    p (tp - fn) + (1 - p) (fp - tn) (plus the amount terms); it pays when that is >= 0, i.e. from
    p* = (tn - fp) / ((tp - fn) + (tn - fp)). With c_fp = tn - fp (what a false alarm costs against
    leaving the case alone) and c_fn = tp - fn (what a miss costs against catching it), that is
    Elkan's c_fp / (c_fp + c_fn).
    """
    c_fp = (vm.tn + m0 * vm.tn_amount) - (vm.fp + m0 * vm.fp_amount)
    c_fn = (vm.tp + m1 * vm.tp_amount) - (vm.fn + m1 * vm.fn_amount)
    return c_fp / (c_fp + c_fn)


MONEY = am.ValueModel(tp=-5, fp=-5, fn=-200)  # review 5, a missed fraud 200: Elkan's 5 / (5 + 195) = 0.025


# -- queries in closed form ----------------------------------------------------------------------------------
@settings(max_examples=60, deadline=None)
@given(prevalence=st.floats(1e-4, 0.5), auc=st.floats(0.55, 0.99), t=st.floats(0.0, 1.0),
       n_cases=st.sampled_from([1.0, 10_000.0, 3.5e6]), amounts=st.booleans())
def test_curve_at_is_the_closed_form(prevalence, auc, t, n_cases, amounts):
    kw = dict(amount_mean=40.0, positive_amount_mean=300.0) if amounts else {}
    model = am.BinormalModel(prevalence=prevalence, auc=auc, **kw)
    curve = model.curve(n_cases=n_cases, n_thresholds=101)  # a coarse grid: at() must not read it
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateWarning)  # t near 1 may flag nothing
        at, exact = curve.at(t), model.point(t, n_cases=n_cases)
    assert at.threshold == t
    assert at.index == curve.index_at(t)
    assert_same_point(at, exact)


@settings(max_examples=30, deadline=None)
@given(prevalence=st.floats(1e-3, 0.5), auc=st.floats(0.55, 0.99), t=st.floats(1e-6, 1 - 1e-6))
def test_curve_at_against_scipy(prevalence, auc, t):
    b = Binormal(prevalence, auc)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateWarning)  # far up the tail nothing is flagged
        p = am.BinormalModel(prevalence=prevalence, auc=auc).curve(n_thresholds=11).at(t)
    # Solve the posterior for the latent cut: log odds = logit(prevalence) + d x - d²/2.
    x = (math.log(t / (1 - t)) - math.log(prevalence / (1 - prevalence)) + b.d ** 2 / 2) / b.d
    assert p.recall == pytest.approx(b.recall(x), rel=1e-9)
    assert p.fpr == pytest.approx(b.fpr(x), rel=1e-9)


@settings(max_examples=40, deadline=None)
@given(prevalence=st.floats(1e-3, 0.5), auc=st.floats(0.55, 0.99), rate=st.floats(1e-6, 0.999),
       volume=st.sampled_from([None, 10_000.0]))
def test_alert_rate_and_top_k_in_closed_form(prevalence, auc, rate, volume):
    model = am.BinormalModel(prevalence=prevalence, auc=auc)
    curve = model.curve(n_cases=5000.0, n_thresholds=51)
    p = curve.at_alert_rate(rate)
    assert p.alert_rate == pytest.approx(rate, rel=1e-9)
    assert_same_point(p, model.point(p.threshold, n_cases=5000.0))
    b = Binormal(prevalence, auc)
    assert p.threshold == pytest.approx(b.score(b.cut_where(b.alert_rate, rate)), rel=1e-7)
    k = rate * (5000.0 if volume is None else volume)
    q = curve.top_k(k, volume=volume)
    assert q.per_period(volume).alerts == pytest.approx(k, rel=1e-9)


def test_queries_at_the_ends_stay_on_the_rows():
    model = am.BinormalModel(prevalence=0.02, auc=0.8)
    curve = model.curve(n_cases=100.0)
    assert curve.at(-1.0).alerts == pytest.approx(100.0) and curve.at(0.0).alerts == pytest.approx(100.0)
    with pytest.warns(DegenerateWarning):
        assert curve.at(math.inf).index == 0
    with pytest.warns(DegenerateWarning):
        assert curve.at_alert_rate(0.0).index == 0
    assert curve.at_alert_rate(1.0).index == len(curve) - 1
    half = am.BinormalModel(prevalence=0.1, auc=0.5).curve(n_cases=100.0)  # every case scores 0.1
    assert half.at(0.05).alerts == pytest.approx(100.0) and half.at(0.1).alerts == pytest.approx(100.0)
    with pytest.warns(DegenerateWarning):
        assert half.top_k(50).alerts == 0  # ties are flagged together: 50 of 100 is nothing


def test_a_curve_knows_its_model():
    model = am.BinormalModel(prevalence=0.3, auc=0.8)
    assert model.curve().model is model
    assert am.ThresholdCurve.from_scores(model.sample(500, seed=1)).model is None


# -- the exact optimum ---------------------------------------------------------------------------------------
CASES = [  # (prevalence, auc, constraint, bound): each bound excludes Elkan's threshold
    (0.01, 0.8, "min_recall", 0.5),
    (0.05, 0.9, "min_recall", 0.95),
    (0.01, 0.8, "min_precision", 0.1),
    (0.2, 0.75, "min_precision", 0.5),
    (0.01, 0.8, "max_fpr", 0.05),
    (0.05, 0.85, "max_alert_rate", 0.02),
    (0.01, 0.8, "max_alerts", 150.0),
]
VOLUME = 10_000.0


def oracle_optimum(b, vm, name, bound):
    """Latent cut of the best threshold: Elkan's, moved onto the bound when the bound excludes it."""
    x = b.cut_at_score(elkan(vm))
    if name == "min_recall":
        return min(x, b.cut_where(b.recall, bound))  # recall >= r holds below a cut
    rate, target = {"min_precision": (b.precision, bound), "max_fpr": (b.fpr, bound),
                    "max_alert_rate": (b.alert_rate, bound), "max_alerts": (b.alert_rate, bound / VOLUME)}[name]
    return max(x, b.cut_where(rate, target))  # the others hold above a cut


@pytest.mark.parametrize(("prevalence", "auc", "name", "bound"), CASES)
def test_optimize_on_a_model_is_the_closed_form_optimum(prevalence, auc, name, bound):
    b = Binormal(prevalence, auc)
    x = oracle_optimum(b, MONEY, name, bound)
    d = am.optimize(am.BinormalModel(prevalence=prevalence, auc=auc), MONEY, volume=VOLUME, **{name: bound})
    assert d.threshold == pytest.approx(b.score(x), rel=1e-9)
    assert d.value == pytest.approx(VOLUME * b.value(x, MONEY), rel=1e-9)
    assert d.binding == (name,)
    metric = {"min_recall": d.point.recall, "min_precision": d.point.precision, "max_fpr": d.point.fpr,
              "max_alert_rate": d.point.alert_rate, "max_alerts": d.alerts_per_period}[name]
    assert metric == pytest.approx(bound, rel=1e-9)  # on the bound itself (recall 0.5, not 0.502)
    assert d.point.index is not None and d.curve.point(d.point.index).threshold == d.threshold


@pytest.mark.parametrize(("prevalence", "auc", "name", "bound"), CASES)
def test_a_model_curve_and_the_model_give_one_optimum(prevalence, auc, name, bound):
    model = am.BinormalModel(prevalence=prevalence, auc=auc)
    on_model = am.optimize(model, MONEY, volume=VOLUME, **{name: bound})
    on_curve = am.optimize(model.curve(n_cases=123.0), MONEY, volume=VOLUME, **{name: bound})
    assert on_curve.threshold == on_model.threshold
    assert on_curve.value == pytest.approx(on_model.value, rel=1e-12)
    assert on_curve.curve.model is model and len(on_curve.curve) > len(model.curve())
    # A curve that has the rows already is decided on as it is.
    assert am.optimize(on_curve.curve, MONEY, volume=VOLUME, **{name: bound}).curve is on_curve.curve


def test_a_loose_bound_leaves_elkan_threshold():
    b = Binormal(0.01, 0.8)
    d = am.optimize(am.BinormalModel(prevalence=0.01, auc=0.8), MONEY, volume=VOLUME, min_recall=0.05)
    assert d.binding == () and d.threshold == pytest.approx(elkan(MONEY), rel=1e-12)
    assert d.value == pytest.approx(VOLUME * b.value(b.cut_at_score(elkan(MONEY)), MONEY), rel=1e-9)


@pytest.mark.parametrize("vm", [
    MONEY,
    am.ValueModel(tp=30, fp=-2, fn=-10, tn=1),
    am.ValueModel(tp=-3, fp=-3, fn_amount=-1.0, fp_amount=-0.01),
])
@pytest.mark.parametrize("volume", [None, 50_000.0])
def test_optimize_without_constraints_is_elkan(vm, volume):
    m0, m1 = 60.0, 250.0
    model = am.BinormalModel(prevalence=0.005, auc=0.9, amount_mean=m0, positive_amount_mean=m1)
    d = am.optimize(model, vm, volume=volume)
    assert d.threshold == pytest.approx(elkan(vm, m0, m1), rel=1e-12)
    b = Binormal(0.005, 0.9)
    per_case = b.value(b.cut_at_score(elkan(vm, m0, m1)), vm, m0, m1)
    assert d.value == pytest.approx((1.0 if volume is None else volume) * per_case, rel=1e-9)
    assert d.value == d.unconstrained_value and d.binding == ()


@pytest.mark.parametrize(("kwargs", "target", "given"), [
    (dict(min_recall=0.9, max_alert_rate=0.01), "min_recall", "max_alert_rate"),
    (dict(min_recall=0.5, min_precision=0.5), "min_recall", "min_precision"),
    (dict(min_recall=0.99, max_alerts=300.0), "min_recall", "max_alerts"),
])
def test_optimize_on_a_model_with_infeasible_constraints(kwargs, target, given):
    model = am.BinormalModel(prevalence=0.01, auc=0.8)
    with pytest.raises(ConstraintError) as info:
        am.optimize(model, MONEY, volume=VOLUME, **kwargs)
    # In words: which bound cannot be met under which, and the best reachable (the model's own, on the
    # other constraint's exact row).
    b = Binormal(0.01, 0.8)
    rate = {"max_alert_rate": b.alert_rate, "min_precision": b.precision, "max_alerts": b.alert_rate}[given]
    bound = kwargs[given] / (VOLUME if given == "max_alerts" else 1.0)
    reach = b.recall(b.cut_where(rate, bound))
    said = f"{target}={kwargs[target]:g}", f"{given}={kwargs[given]:g}"
    assert str(info.value) == (f"{said[0]} is unreachable with {said[1]}: the highest recall meeting {said[1]} "
                               f"is {reach:.4g}")


def test_optimize_refuses_other_sources():
    with pytest.raises(TypeError, match="^curve must be a ThresholdCurve or a BinormalModel; found list$"):
        am.optimize([0.1, 0.2], MONEY)
