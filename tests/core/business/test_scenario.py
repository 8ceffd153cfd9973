"""Scenarios: every preset loads, optimises and round-trips; every bad file and bad parameter has its message."""

import math
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import optimize as sopt
from scipy import stats

import aipm_sim as am
from aipm_sim.core.business import scenario as sc
from aipm_sim.core.business import scenario_file as sf
from aipm_sim.core.errors import ParameterError, ScenarioError
from aipm_sim.core.engine.optimize import CONSTRAINTS

PRESETS = ("churn_retention", "credit_approval", "credit_approval_groups", "fraud_detection", "medical_screening",
           "recommendations")
FOLDER = Path(am.__file__).parent / "scenarios"
LABEL = "toy.toml"


def exactly(message):
    return "^" + re.escape(message) + "$"


# -- presets -------------------------------------------------------------------------------------------
def test_list_scenarios():
    assert am.list_scenarios() == PRESETS
    table = am.list_scenarios(details=True)
    assert list(table.columns) == ["name", "kind", "title", "summary"]
    assert list(table["name"]) == list(PRESETS)
    assert all(isinstance(s, str) and s and "\n" not in s for s in table["summary"])


@pytest.mark.parametrize("name", PRESETS)
def test_preset_loads_optimizes_and_round_trips(name, tmp_path):
    s = am.load_scenario(name)
    assert s.name == name and s.path == FOLDER / f"{name}.toml"
    d = s.optimize()
    assert math.isfinite(d.value)
    assert isinstance(d, am.RankingDecision if s.kind == "ranking" else am.Decision)
    assert (d.period, d.currency) == ("month", s.currency)  # charts drawn from it say "per month" in its currency
    # The file as tomllib reads it is exactly what the scenario holds.
    assert tomllib.loads((FOLDER / f"{name}.toml").read_text()) == s.to_dict()
    # Write, read back: equal, and so is the decision.
    out = tmp_path / f"{name}.toml"
    s.save(out)
    again = am.load_scenario(out)
    assert again == s and again.path == out
    assert again.optimize().value == d.value
    # With overrides too.
    name0 = next(iter(s.parameters))
    p = s.parameters[name0]
    changed = s.replace(**{name0: p.high})
    changed.save(out)
    assert am.load_scenario(out) == changed != s


@pytest.mark.parametrize("name", PRESETS)
def test_every_number_has_a_unit_a_meaning_and_a_source(name):
    s = am.load_scenario(name)
    for p in s.parameters.values():
        assert p.unit and p.description and p.source, p.name
        assert p.min <= p.low <= p.value <= p.high <= p.max
    for v in s.variants:
        assert v.source, v.name
    table = s.assumptions()
    assert list(table.columns) == ["value", "unit", "low", "high", "allowed_min", "allowed_max", "description", "source"]
    assert list(table.index) == list(s.parameters)
    assert s.narrative.strip() and s.summary and s.title


def test_fraud_decision_equals_the_pieces_assembled_by_hand():
    s = am.load_scenario("fraud_detection")
    v = s.values
    review = v["analyst_cost_per_hour"] * v["minutes_per_review"] / 60
    vm = am.ValueModel(tp=-review, tp_amount=-(1 - v["recovery_fraction"]),
                       fp=-review - v["friction_cost_per_false_alert"], fp_amount=-v["lost_sale_fraction"],
                       fn=-v["chargeback_fee"], fn_amount=-1)
    assert s.value_model() == vm
    model = am.BinormalModel(v["fraud_rate"], v["model_auc"], amount_mean=v["legit_amount_mean"],
                             positive_amount_mean=v["fraud_amount_mean"], amount_sigma=v["amount_spread"])
    assert s.score_model() == model
    capacity = v["analysts"] * v["review_hours_per_analyst_day"] * 60 / v["minutes_per_review"] * 30
    assert s.constraints == {"max_alerts": capacity}
    assert s.volume == v["orders_per_day"] * 30
    # Where capacity binds, by hand: the latent cut c at which the expected share held equals capacity / volume.
    dsep = math.sqrt(2) * stats.norm.ppf(v["model_auc"])
    pi = v["fraud_rate"]
    c = sopt.brentq(lambda x: pi * stats.norm.sf(x - dsep) + (1 - pi) * stats.norm.sf(x) - capacity / s.volume,
                    -10, 20, xtol=1e-14)
    at_capacity = float(model.probability(c))
    expected = am.optimize(model.curve(thresholds=[at_capacity]), vm, volume=v["orders_per_day"] * 30,
                           max_alerts=capacity)
    d = s.optimize()
    assert d.threshold == pytest.approx(at_capacity, rel=1e-9) == expected.threshold
    assert d.value == pytest.approx(expected.value, rel=1e-12)
    # Capacity: never more held orders than the team can review, and with 2 analysts it binds: exactly full.
    assert d.point.alerts * s.volume == pytest.approx(capacity, rel=1e-9)
    assert d.point.alerts * s.volume <= capacity * (1 + 1e-12)
    assert d.binding == ("max_alerts",)
    assert s.nothing_value() == pytest.approx(-(v["chargeback_fee"] + v["fraud_amount_mean"]) * v["fraud_rate"]
                                              * s.volume)


def closed_form_best(s):
    """Best value per month of a binormal scenario, independently: the binormal cells in closed form on a
    fine latent grid (2,000,001 cut-offs), plus the exact cut-offs where a rate constraint binds (brentq on the
    expected shares themselves). Negatives N(0, 1), positives N(d, 1), flag latent >= c."""
    pi, auc = s.evaluate("scores.prevalence"), s.evaluate("scores.auc")
    d = math.sqrt(2) * stats.norm.ppf(auc)
    cell = {c: (s.evaluate(f"value.{c}") if c in s.value else 0.0)
            for c in ("tp", "fp", "fn", "tn", "tp_amount", "fp_amount", "fn_amount", "tn_amount")}
    m0 = s.evaluate("scores.amount_mean") if "amount_mean" in s.scores else 0.0
    m1 = s.evaluate("scores.positive_amount_mean") if "positive_amount_mean" in s.scores else m0
    volume, cons = s.volume, s.constraints
    share = lambda c: pi * stats.norm.sf(c - d) + (1 - pi) * stats.norm.sf(c)
    cuts = [np.linspace(-12, 12, 2_000_001)]
    limits = [1.0]
    if "max_alerts" in cons:
        limits.append(cons["max_alerts"] / volume)
    if "max_alert_rate" in cons:
        limits.append(cons["max_alert_rate"])
    limit = min(limits)
    if limit < 1:
        cuts.append([sopt.brentq(lambda c: share(c) - limit, -20, 20, xtol=1e-15)])
    c = np.concatenate(cuts)
    tp, fp = pi * stats.norm.sf(c - d), (1 - pi) * stats.norm.sf(c)
    fn, tn = pi - tp, 1 - pi - fp
    value = volume * (cell["tp"] * tp + cell["fp"] * fp + cell["fn"] * fn + cell["tn"] * tn
                      + m1 * (cell["tp_amount"] * tp + cell["fn_amount"] * fn)
                      + m0 * (cell["fp_amount"] * fp + cell["tn_amount"] * tn))
    feasible = tp + fp <= limit * (1 + 1e-9)
    return float(np.max(np.where(feasible, value, -np.inf)))


@pytest.mark.parametrize("name, change, constraint", [
    ("credit_approval", {"default_rate": 0.12}, "max_alert_rate"),
    ("fraud_detection", {"analysts": 1}, "max_alerts"),
    ("churn_retention", {"churn_rate": 0.07}, "max_alerts"),
    ("fraud_detection", {}, "max_alerts"),
])
def test_a_binding_constraint_is_met_on_the_bound_not_at_a_grid_point(name, change, constraint):
    # The review's cases: on the 2001-point grid alone the optimum sat at the grid point inside the bound,
    # up to 0.4 % of the value away (credit 614,161 instead of 615,156 EUR per month).
    s = am.load_scenario(name, **change)
    d = s.optimize()
    assert constraint in d.binding
    assert d.value == pytest.approx(closed_form_best(s), rel=1e-8)


def test_the_unconstrained_optimum_is_elkan_s_threshold_exactly():
    # Without a binding budget the churn optimum offers to every customer whose churn probability p makes
    # p (save_rate LTV - offer_cost) >= (1 - p) offer_cost: p >= 20 / 150, on the curve exactly.
    s = am.load_scenario("churn_retention", offer_budget_per_month=1e9)
    d = s.optimize()
    assert d.binding == () and d.threshold == pytest.approx(2 / 15, rel=1e-12)
    assert d.value == pytest.approx(closed_form_best(s), rel=1e-9)


@pytest.mark.parametrize("constraint, bound, metric, fp", [
    ("min_recall", 0.9, "recall", -5.0),        # reviews cost: the optimum flags less than 90 % recall needs
    ("min_precision", 0.6, "precision", -0.5),  # false alarms cheap: the optimum flags more than 60 % precision allows
    ("max_fpr", 0.01, "fpr", -0.5),
    ("max_alert_rate", 0.02, "alert_rate", -0.5),
])
def test_every_rate_constraint_binds_exactly(constraint, bound, metric, fp):
    doc = {"name": "toy", "title": "t", "summary": "s", "narrative": "n", "kind": "threshold", "currency": "EUR",
           "parameters": {"fee": {"value": 1.0, "low": 0.5, "high": 2.0}},
           "scores": {"source": "binormal", "prevalence": 0.05, "auc": 0.85},
           "value": {"tp": 10, "fp": fp, "fn": -1}, "decision": {"volume": 1000, "constraints": {constraint: bound}}}
    s = sc.parse_scenario(doc)
    d = s.optimize()
    assert d.binding == (constraint,)
    assert getattr(d.point, metric) == pytest.approx(bound, rel=1e-9)
    # The same optimum as an independent fine search over latent cut-offs around the bound.
    dsep, pi = math.sqrt(2) * stats.norm.ppf(0.85), 0.05
    def rates(c):
        tp, fpr = stats.norm.sf(c - dsep), stats.norm.sf(c)
        return {"recall": tp, "fpr": fpr, "alert_rate": pi * tp + (1 - pi) * fpr,
                "precision": pi * tp / (pi * tp + (1 - pi) * fpr)}, tp, fpr

    on_bound = sopt.brentq(lambda x: rates(x)[0][metric] - bound, -6, 8, xtol=1e-15)
    c = np.r_[np.linspace(-6, 8, 1_400_001), on_bound]
    r, tp, fpr = rates(c)
    ok = r[metric] >= bound * (1 - 1e-12) if constraint.startswith("min") else r[metric] <= bound * (1 + 1e-12)
    value = 1000 * (10 * pi * tp + fp * (1 - pi) * fpr - 1 * pi * (1 - tp))
    assert d.value == pytest.approx(np.max(value[ok]), rel=1e-9)


def test_credit_and_churn_constraints_come_from_expressions():
    credit = am.load_scenario("credit_approval", min_approval_rate=0.9)
    assert credit.constraints == {"max_alert_rate": pytest.approx(0.1)}
    assert credit.optimize().point.alert_rate <= 0.1 + 1e-12
    churn = am.load_scenario("churn_retention", offer_budget_per_month=10_000, offer_cost=25)
    assert churn.constraints == {"max_alerts": 400.0}
    vm = churn.value_model()
    assert vm.tp == 0.30 * 500 - 25 and vm.fp == -25


def test_recommendations_decision_is_k_and_min_score():
    s = am.load_scenario("recommendations")
    d = s.optimize()
    assert 1 <= d.k <= 10 and 0 < d.min_score < 1
    assert d.point.precision_shown >= s.values["min_precision"]
    rs = am.RankingModel(relevance_rate=0.03, auc=0.75, n_candidates=50, popularity_auc=0.62).sample(
        10_000, seed=20240611)
    curve = am.RankingCurve.from_ranking(rs, k_max=10)
    vm = am.RankingValueModel(relevant=0.30, irrelevant=-0.02, per_slot=-0.002)
    expected = am.optimize_ranking(curve, vm, sessions=40_000 * 30, min_precision=0.08)
    assert (d.k, d.min_score, d.value) == (expected.k, expected.min_score, expected.value)
    assert s.predictions_per_month == 40_000 * 30 * 50
    assert d.to_dict()["k"] == d.k


def test_medical_screening_reads_the_shipped_scores_and_reweights_prevalence():
    s = am.load_scenario("medical_screening")
    data = pd.read_csv(Path(am.__file__).parent / "data" / "breast_cancer_scores.csv")
    assert len(data) == 569 and int(data["label"].sum()) == 212
    cases = s.score_set()
    assert cases.prevalence == pytest.approx(0.3726) and cases.n_cases == pytest.approx(569)
    low = s.replace(prevalence=0.1).score_set()
    assert low.prevalence == pytest.approx(0.1) and low.n_cases == pytest.approx(569)
    # Each class keeps its own score distribution: weights are constant within a class.
    for cls in (True, False):
        w = low.weights[low.labels == cls]
        assert np.ptp(w) == pytest.approx(0, abs=1e-12)
    d = s.optimize()
    assert d.point.recall >= 0.95 and d.constraints == {"min_recall": 0.95}


def test_rules_are_evaluated_on_the_same_cases():
    fraud = am.load_scenario("fraud_detection")
    # The rules' curves are the plain curves plus exact rows where the constraints bind.
    rule, plain = fraud.rule_curve(), am.amount_rule_curve(fraud.score_model())
    assert len(rule) == len(plain) + 1
    np.testing.assert_array_equal(rule.tp[np.isin(rule.thresholds, plain.thresholds)], plain.tp)
    churn = am.load_scenario("churn_retention")
    rule, plain = churn.rule_curve(), am.BinormalModel(0.04, 0.65).curve()
    assert rule.positives == churn.curve().positives  # same population
    assert len(rule) == len(plain) + 2
    assert rule.tp[np.isin(rule.thresholds, plain.thresholds)].tolist() == plain.tp.tolist()
    # The extra rows: where the rule's offers use the whole budget, and Elkan's threshold, where an offer
    # breaks even: p (save_rate LTV - offer_cost) = (1 - p) offer_cost, p = 20 / (0.3 * 500) = 2 / 15.
    extra = rule.thresholds[~np.isin(rule.thresholds, plain.thresholds)]
    elkan = int(np.argmin(abs(extra - 2 / 15)))
    assert extra[elkan] == pytest.approx(2 / 15, rel=1e-12)
    assert rule.at(extra[1 - elkan]).alerts * churn.volume == pytest.approx(churn.constraints["max_alerts"], rel=1e-9)
    med = am.load_scenario("medical_screening")
    frame = pd.read_csv(Path(am.__file__).parent / "data" / "breast_cancer_scores.csv")
    by_radius = med.rule_curve()
    assert len(by_radius) == frame["worst_radius"].nunique() + 1
    assert by_radius.positives == pytest.approx(med.curve().positives)
    recs = am.load_scenario("recommendations")
    pop = recs.rule_curve()
    assert pop.sessions == recs.curve().sessions and pop.k_max == 10
    comparison = fraud.compare_rule()
    assert comparison.model_value == fraud.optimize().value
    assert comparison.rule_value == fraud.rule_decision().value
    assert comparison.nothing_value == fraud.nothing_value()


def test_opportunity_summary_is_compute_opportunity_of_the_pieces():
    s = am.load_scenario("churn_retention")
    v = s.values
    o = s.opportunity_summary()
    expected = am.compute_opportunity(
        model_value_per_month=s.optimize().value, baseline_value_per_month=s.rule_decision().value,
        predictions_per_month=v["customers_per_month"], build_cost=v["build_cost"],
        cost_per_1000_predictions=v["cost_per_1000_predictions"],
        running_cost_per_month=v["running_cost_per_month"], horizon_months=v["horizon_months"], baseline="rule")
    assert o == expected and o.baseline == "rule"
    against_nothing = s.opportunity_summary(against="nothing")
    assert against_nothing.baseline_value_per_month == 0.0 and against_nothing.baseline == "nothing"


def test_variants_equal_replacing_the_model_auc():
    s = am.load_scenario("fraud_detection")
    c = s.compare_variants()
    for row, v in zip(c.table.itertuples(), s.variants):
        assert row.value_per_month == s.replace(model_auc=v.auc).optimize().value
        assert row.within_latency_budget == (v.p95_latency_ms <= 100)
    assert c.latency_budget_ms == 100 and c.currency == "EUR"
    assert s.compare_variants(latency_budget_ms=10_000).latency_budget_ms == 10_000
    within = c.table[c.table["within_latency_budget"]]
    assert c.best == within.loc[within["net_value_per_month"].idxmax(), "variant"]


@pytest.mark.parametrize("name", ["fraud_detection", "churn_retention"])
def test_the_base_case_variant_is_the_scenario_s_own_model(name):
    # Before: the gradient-boosting variant hard-coded the base AUC, so --set model_auc=0.9 left it at 0.95.
    s = am.load_scenario(name)
    base = {v.name: v for v in s.variants}["gradient boosting"]
    assert (base.auc, base.cost_per_1000_predictions) == (s.values["model_auc"], s.values["cost_per_1000_predictions"])
    auc = s.parameters["model_auc"].low
    changed = s.replace(model_auc=auc, cost_per_1000_predictions=0.07)
    moved = {v.name: v for v in changed.variants}
    assert (moved["gradient boosting"].auc, moved["gradient boosting"].cost_per_1000_predictions) == (auc, 0.07)
    assert moved["logistic regression"] == {v.name: v for v in s.variants}["logistic regression"]  # literals stay
    row = changed.compare_variants().table.set_index("variant").loc["gradient boosting"]
    assert row["value_per_month"] == changed.optimize().value and row["auc"] == auc
    # The file keeps the expression, and reads back equal.
    assert changed.to_dict()["variants"][1]["auc"] == "model_auc"
    assert sc.parse_scenario(changed.to_dict()) == changed


def test_a_variant_number_that_leaves_its_range_names_the_variant():
    from aipm_sim.core.engine.binormal import MSG_AUC

    doc = toy()
    doc["variants"] = [{"name": "a", "auc": "rate * 8", "cost_per_1000_predictions": "cost / 10",
                        "p95_latency_ms": 1}]
    s = parse(doc)
    assert (s.variants[0].auc, s.variants[0].cost_per_1000_predictions) == (pytest.approx(0.8), 0.5)
    with pytest.raises(ParameterError, match=exactly("variants[0]: " + MSG_AUC.format(1.6))):
        s.replace(rate=0.2)
    doc["variants"][0]["auc"] = "rate * 10"
    with pytest.raises(ScenarioError, match=exactly(f"scenario file {LABEL!r}: variants[0]: " + MSG_AUC.format(1.0))):
        parse(doc)
    doc["variants"][0]["auc"] = "rate + ghost"
    with pytest.raises(ScenarioError, match=exactly(sf.MSG_UNKNOWN_NAME.format(LABEL, "variants[0].auc", "rate + ghost",
                                                                               "ghost", NAMES))):
        parse(doc)


def test_override_changes_only_that_parameter():
    s = am.load_scenario("fraud_detection")
    t = am.load_scenario("fraud_detection", fraud_rate="0.004")  # text, as from the command line
    assert t.values["fraud_rate"] == 0.004
    assert {k: v for k, v in t.values.items() if k != "fraud_rate"} == \
           {k: v for k, v in s.values.items() if k != "fraud_rate"}
    assert s.values["fraud_rate"] == 0.003  # the original is unchanged (frozen)
    assert repr(s).startswith("Scenario('fraud_detection': ")


def test_scenarios_do_not_import_scikit_learn():
    code = ("import sys, aipm_sim as am; am.load_scenario('medical_screening').optimize();"
            "print('sklearn' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# -- bad parameters ------------------------------------------------------------------------------------------
FRAUD_NAMES = ", ".join(am.load_scenario("fraud_detection").parameters)


@pytest.mark.parametrize("overrides, message", [
    ({"fraud_rat": 0.1}, sc.MSG_UNKNOWN_PARAMETER.format("fraud_rat", "fraud_detection", FRAUD_NAMES)),
    ({"fraud_rate": 2}, sc.MSG_PARAMETER_RANGE.format("fraud_rate", "[1e-05, 0.5]", "fraction of orders", 2)),
    ({"recovery_fraction": -0.1},
     sc.MSG_PARAMETER_RANGE.format("recovery_fraction", "[0, 1]", "fraction of the order amount", -0.1)),
    ({"analysts": -1}, sc.MSG_PARAMETER_RANGE.format("analysts", "[0, inf)", "analysts on shift each day", -1)),
    ({"chargeback_fee": "lots"}, sc.MSG_PARAMETER_NUMBER.format("chargeback_fee", "lots")),
    ({"chargeback_fee": True}, sc.MSG_PARAMETER_NUMBER.format("chargeback_fee", True)),
    ({"chargeback_fee": None}, sc.MSG_PARAMETER_NUMBER.format("chargeback_fee", None)),
    ({"chargeback_fee": math.nan}, sc.MSG_PARAMETER_FINITE.format("chargeback_fee", "EUR per chargeback", math.nan)),
    # Infinite values are refused under the parameter's own name (not later as "volume" or "fn").
    ({"orders_per_day": math.inf}, sc.MSG_PARAMETER_FINITE.format("orders_per_day", "orders per day", math.inf)),
    ({"orders_per_day": "inf"}, sc.MSG_PARAMETER_FINITE.format("orders_per_day", "orders per day", "inf")),
    ({"chargeback_fee": "1e309"}, sc.MSG_PARAMETER_FINITE.format("chargeback_fee", "EUR per chargeback", "1e309")),
    ({"legit_amount_mean": -math.inf},
     sc.MSG_PARAMETER_FINITE.format("legit_amount_mean", "EUR per order", -math.inf)),
])
def test_bad_overrides(overrides, message):
    with pytest.raises(ParameterError, match=exactly(message)):
        am.load_scenario("fraud_detection", **overrides)


def test_unknown_scenario_lists_the_valid_ones(tmp_path, monkeypatch):
    with pytest.raises(ScenarioError, match=exactly(sc.MSG_UNKNOWN_SCENARIO.format("fraud", ", ".join(PRESETS)))):
        am.load_scenario("fraud")
    # An existing file that is not a .toml path: the message says what a file must look like.
    monkeypatch.chdir(tmp_path)
    am.load_scenario("churn_retention").save(tmp_path / "mine.txt")
    with pytest.raises(ScenarioError, match=exactly(sc.MSG_SCENARIO_SUFFIX.format("mine.txt", "mine.txt",
                                                                                ", ".join(PRESETS)))):
        am.load_scenario("mine.txt")


def test_missing_and_unreadable_files(tmp_path):
    with pytest.raises(ScenarioError, match=exactly(sc.MSG_FILE_MISSING.format(str(tmp_path / "no.toml")))):
        am.load_scenario(tmp_path / "no.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\nname = "y"\n')
    with pytest.raises(ScenarioError, match="^" + re.escape(f"scenario file {str(bad)!r} is not valid TOML: ")):
        am.load_scenario(bad)
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ScenarioError, match=exactly(sf.MSG_NOT_TOML.format(str(binary), "it is not UTF-8 text"))):
        am.load_scenario(binary)


# -- bad files: a minimal valid document, then one thing wrong at a time ---------------------------------
def toy():
    return {
        "name": "toy", "title": "Toy", "summary": "a toy", "narrative": "n", "kind": "threshold", "currency": "EUR",
        "parameters": {
            "rate": {"value": 0.1, "low": 0.05, "high": 0.2, "min": 0.001, "max": 0.999, "unit": "fraction",
                     "description": "d", "source": "s"},
            "cost": {"value": 5, "low": 1, "high": 10, "min": 0, "unit": "EUR"},
        },
        "scores": {"source": "binormal", "prevalence": "rate", "auc": 0.8},
        "value": {"tp": 100, "fp": "-cost"},
        "decision": {"volume": 1000},
    }


def ranking_toy():
    doc = toy()
    doc.update(kind="ranking", scores={"source": "ranking_model", "relevance_rate": "rate", "auc": 0.8,
                                       "n_candidates": 5, "n_sessions": 20, "seed": 1},
               value={"relevant": 1, "irrelevant": "-cost / 100"}, decision={"volume": 1000, "k_max": 3})
    return doc


def with_(doc, path, value):
    """``doc`` with the key at ``path`` (dotted) set to ``value``, or deleted when value is DELETE."""
    keys = path.split(".")
    d = doc
    for k in keys[:-1]:
        d = d[k]
    if value is DELETE:
        del d[keys[-1]]
    else:
        d[keys[-1]] = value
    return doc


DELETE = object()
NAMES = "rate, cost"


def parse(doc):
    return sc.parse_scenario(doc, label=LABEL)


def test_the_toy_documents_are_valid():
    s = parse(toy())
    assert s.optimize().value > 0 and s.value_model() == am.ValueModel(tp=100, fp=-5)
    r = parse(ranking_toy())
    assert 1 <= r.optimize().k <= 3


BAD_FILES = [
    ("title", DELETE, sf.MSG_MISSING.format(LABEL, "title")),
    ("colour", "red", sf.MSG_UNKNOWN_KEY.format(LABEL, "colour", "the top level", ", ".join(sf._TOP_KEYS))),
    ("kind", "regression", sf.MSG_CHOICE.format(LABEL, "kind", "threshold, ranking", "regression")),
    ("title", 3, sf.MSG_TYPE.format(LABEL, "title", "a string", 3)),
    ("parameters", {}, sf.MSG_MISSING.format(LABEL, "parameters (at least one)")),
    ("parameters", [1], sf.MSG_TYPE.format(LABEL, "parameters", "a table", [1])),
    ("parameters.rate.low", DELETE, sf.MSG_MISSING.format(LABEL, "parameters.rate.low")),
    ("parameters.rate.value", "x", sf.MSG_TYPE.format(LABEL, "parameters.rate.value", "a number", "x")),
    ("parameters.rate.value", True, sf.MSG_TYPE.format(LABEL, "parameters.rate.value", "a number", True)),
    # Infinite value or plausible bounds: the sensitivity analysis would try them; open min/max are fine.
    ("parameters.rate.high", math.inf, sf.MSG_PARAMETER_NOT_FINITE.format(LABEL, "rate", "high", math.inf)),
    ("parameters.rate.low", -math.inf, sf.MSG_PARAMETER_NOT_FINITE.format(LABEL, "rate", "low", -math.inf)),
    ("parameters.cost.value", math.inf, sf.MSG_PARAMETER_NOT_FINITE.format(LABEL, "cost", "value", math.inf)),
    ("parameters.rate.value", 0.3, sf.MSG_BOUNDS.format(LABEL, "rate", 0.001, 0.05, 0.3, 0.2, 0.999)),
    ("parameters.rate.min", 0.06, sf.MSG_BOUNDS.format(LABEL, "rate", 0.06, 0.05, 0.1, 0.2, 0.999)),
    ("parameters.rate.sauce", 1, sf.MSG_UNKNOWN_KEY.format(LABEL, "sauce", "parameters.rate",
                                                            ", ".join(sf._PARAMETER_KEYS))),
    ("parameters.rate.unit", 5, sf.MSG_TYPE.format(LABEL, "parameters.rate.unit", "a string", 5)),
    ("parameters.bad-name", {"value": 1, "low": 1, "high": 1},
     sf.MSG_TYPE.format(LABEL, "parameter name 'bad-name'", "a Python-style identifier", "bad-name")),
    ("scores.source", "magic", sf.MSG_CHOICE.format(LABEL, "scores.source", "binormal, file", "magic")),
    ("scores.auc", DELETE, sf.MSG_MISSING.format(LABEL, "scores.auc")),
    ("scores.n_sessions", 5, sf.MSG_UNKNOWN_KEY.format(
        LABEL, "n_sessions", "scores",
        "source, prevalence, auc, amount_mean, positive_amount_mean, amount_sigma")),
    ("value.fp", "__import__('os').system('true')", sf.MSG_EXPRESSION.format(
        LABEL, "value.fp", "__import__('os').system('true')")),
    ("value.fp", "-(cost", sf.MSG_EXPRESSION.format(LABEL, "value.fp", "-(cost")),
    # Too deep to evaluate (150 levels), and too deep for Python's parser itself (5,000: RecursionError).
    ("value.fp", "-" * 150 + "cost", sf.MSG_EXPRESSION_DEPTH.format(LABEL, "value.fp", sf.MAX_EXPRESSION_DEPTH)),
    ("value.fp", "-" * 5000 + "cost", sf.MSG_EXPRESSION_DEPTH.format(LABEL, "value.fp", sf.MAX_EXPRESSION_DEPTH)),
    ("value.fp", "1 + " * 120 + "cost", sf.MSG_EXPRESSION_DEPTH.format(LABEL, "value.fp", sf.MAX_EXPRESSION_DEPTH)),
    ("value.fp", "cost ** 2", sf.MSG_EXPRESSION.format(LABEL, "value.fp", "cost ** 2")),
    ("value.fp", "cost.real", sf.MSG_EXPRESSION.format(LABEL, "value.fp", "cost.real")),
    ("value.fp", "cost if rate else 1", sf.MSG_EXPRESSION.format(LABEL, "value.fp", "cost if rate else 1")),
    ("value.fp", "'text'", sf.MSG_EXPRESSION.format(LABEL, "value.fp", "'text'")),
    ("value.fp", "True", sf.MSG_EXPRESSION.format(LABEL, "value.fp", "True")),
    ("value.fp", "-costt", sf.MSG_UNKNOWN_NAME.format(LABEL, "value.fp", "-costt", "costt", NAMES)),
    ("value.tp", True, sf.MSG_TYPE.format(LABEL, "value.tp", "a number or an expression string", True)),
    ("value.tp", [1], sf.MSG_TYPE.format(LABEL, "value.tp", "a number or an expression string", [1])),
    ("value.tq", 1, sf.MSG_UNKNOWN_KEY.format(LABEL, "tq", "value", ", ".join(sf._VALUE_KEYS["threshold"]))),
    ("decision.volume", DELETE, sf.MSG_MISSING.format(LABEL, "decision.volume")),
    ("decision.k_max", 3, sf.MSG_UNKNOWN_KEY.format(LABEL, "k_max", "decision", "volume, constraints")),
    ("decision.constraints", {"min_recal": 0.5},
     sf.MSG_UNKNOWN_KEY.format(LABEL, "min_recal", "decision.constraints", ", ".join(CONSTRAINTS))),
    ("rule", {"kind": "magic", "description": "d"},
     sf.MSG_CHOICE.format(LABEL, "rule.kind", "amount, auc, column, popularity", "magic")),
    ("rule", {"kind": "popularity", "description": "d"},
     sf.MSG_RULE_SOURCE.format(LABEL, "popularity", "ranking_model", "binormal")),
    ("rule", {"kind": "auc", "description": "d"}, sf.MSG_MISSING.format(LABEL, "rule.auc")),
    ("rule", {"kind": "auc", "auc": 0.6}, sf.MSG_TYPE.format(LABEL, "rule.description", "a string", None)),
    ("rule", {"kind": "auc", "auc": 0.6, "description": "d", "colour": 1},
     sf.MSG_UNKNOWN_KEY.format(LABEL, "colour", "rule", ", ".join(sf._RULE_KEYS))),
    ("opportunity", {"cost_per_1000_predictions": 1, "running_cost_per_month": 1, "horizon_months": 1},
     sf.MSG_MISSING.format(LABEL, "opportunity.build_cost")),
    ("opportunity", {"build_cost": 1, "cost_per_1000_predictions": 1, "running_cost_per_month": 1,
                     "horizon_months": 1, "against": "rule"},
     sf.MSG_CHOICE.format(LABEL, "opportunity.against", "nothing", "rule")),
    ("variants", {"name": "a"}, sf.MSG_TYPE.format(LABEL, "variants", "an array of tables ([[variants]])",
                                                   {"name": "a"})),
    ("variants", [{"name": "a", "cost_per_1000_predictions": 0, "p95_latency_ms": 1}],
     sf.MSG_MISSING.format(LABEL, "variants[0].auc")),
    ("variants", [{"name": "a", "auc": 0.3, "cost_per_1000_predictions": 0, "p95_latency_ms": 1}],
     f"scenario file {LABEL!r}: variants[0]: auc must be in [0.5, 1) (below 0.5 the model is worse than "
     "chance: flip its scores); found 0.3"),
    ("variants", [{"name": "a", "auc": 0.8, "cost_per_1000_predictions": 0, "p95_latency_ms": 1}] * 2,
     f"scenario file {LABEL!r}: variant names must be unique"),
    ("scores", {"source": "file", "score": "s", "label": "y"},
     sf.MSG_MISSING.format(LABEL, "exactly one of scores.file, scores.package_file")),
    ("scores", {"source": "file", "score": "s", "label": "y", "package_file": "nope.csv"},
     f"scenario file {LABEL!r}: scores.package_file 'nope.csv' not found in "
     f"{str(Path(am.__file__).parent / 'data')!r}"),
    ("scores", {"source": "file", "score": 1, "label": "y", "package_file": "breast_cancer_scores.csv"},
     sf.MSG_TYPE.format(LABEL, "scores.score", "a column name (string)", 1)),
]


@pytest.mark.parametrize("path, value, message", BAD_FILES)
def test_bad_file(path, value, message):
    doc = with_(toy(), path, value)
    with pytest.raises(ScenarioError, match=exactly(message)):
        parse(doc)


@pytest.mark.parametrize("path, value, message", [
    ("scores.n_sessions", 0, sf.MSG_TYPE.format(LABEL, "scores.n_sessions", "a whole number >= 1", 0)),
    ("scores.seed", -1, sf.MSG_TYPE.format(LABEL, "scores.seed", "a whole number >= 0", -1)),
    ("scores.n_candidates", 2.5, sf.MSG_TYPE.format(LABEL, "scores.n_candidates", "a whole number >= 1", 2.5)),
    ("scores.source", "binormal", sf.MSG_CHOICE.format(LABEL, "scores.source", "ranking_model", "binormal")),
    ("decision.k_max", DELETE, sf.MSG_TYPE.format(LABEL, "decision.k_max", "a whole number >= 1", None)),
    ("decision.constraints", {"max_fpr": 0.1}, sf.MSG_UNKNOWN_KEY.format(
        LABEL, "max_fpr", "decision.constraints", "min_precision, min_hit_rate, min_recall")),
    ("value.tp", 1, sf.MSG_UNKNOWN_KEY.format(LABEL, "tp", "value", "relevant, irrelevant, per_slot")),
    ("rule", {"kind": "amount", "description": "d"}, sf.MSG_RULE_SOURCE.format(LABEL, "amount", "binormal or file",
                                                                              "ranking_model")),
])
def test_bad_ranking_file(path, value, message):
    with pytest.raises(ScenarioError, match=exactly(message)):
        parse(with_(ranking_toy(), path, value))


def test_file_source_relative_to_the_scenario_file(tmp_path):
    data = pd.DataFrame({"s": [0.9, 0.8, 0.3, 0.1], "y": [1, 0, 1, 0], "amt": [10.0, 5.0, 1.0, 2.0]})
    data.to_csv(tmp_path / "cases.csv", index=False)
    doc = toy()
    doc["scores"] = {"source": "file", "file": "cases.csv", "score": "s", "label": "y", "amount": "amt"}
    doc["rule"] = {"kind": "amount", "description": "flag big amounts"}
    s = sc.parse_scenario(doc, label=LABEL, base=tmp_path, path=tmp_path / "toy.toml")
    assert s.curve().n_cases == 4 and s.score_set().prevalence == 0.5
    np.testing.assert_array_equal(s.rule_curve().thresholds[1:], [10.0, 5.0, 2.0, 1.0])
    s.save(tmp_path / "toy.toml")
    assert am.load_scenario(tmp_path / "toy.toml") == s
    with pytest.raises(ScenarioError, match=exactly(sc.MSG_VARIANTS_SOURCE.format("toy", "file"))):
        parse_with_variants(doc, tmp_path).compare_variants()
    with pytest.raises(ScenarioError, match=exactly(f"scenario {'toy'!r} has exact binormal scores, "
                                                    "not a set of cases")):
        parse(toy()).score_set()


def parse_with_variants(doc, base):
    doc = dict(doc)
    doc["opportunity"] = {"build_cost": 1, "cost_per_1000_predictions": 0, "running_cost_per_month": 0,
                          "horizon_months": 1}
    doc["variants"] = [{"name": "a", "auc": 0.8, "cost_per_1000_predictions": 0, "p95_latency_ms": 1}]
    return sc.parse_scenario(doc, label=LABEL, base=base)


def test_runtime_errors_of_a_valid_file():
    doc = toy()
    doc["value"]["fp"] = "-1 / cost"
    s = parse(doc)
    with pytest.raises(ParameterError, match=exactly(sc.MSG_DIVISION.format("toy", "value.fp", "-1 / cost"))):
        s.replace(cost=0).optimize()
    with pytest.raises(ParameterError, match=exactly(f"field must be one of {', '.join(s._expressions)}; "
                                                     "found 'value.nope'")):
        s.evaluate("value.nope")
    with pytest.raises(ScenarioError, match=exactly(sc.MSG_NO_RULE.format("toy"))):
        s.compare_rule()
    with pytest.raises(ScenarioError, match=exactly(sc.MSG_NO_OPPORTUNITY.format("toy"))):
        s.opportunity_summary()
    with pytest.raises(ScenarioError, match=exactly(sc.MSG_NO_VARIANTS.format("toy"))):
        s.compare_variants()
    with pytest.raises(ParameterError, match=exactly(sc.MSG_AGAINST.format("rules"))):
        am.load_scenario("churn_retention").opportunity_summary(against="rules")


def test_expressions_follow_arithmetic():
    doc = toy()
    doc["value"] = {"tp": "-(cost + 1) * 2 / 4 - -3", "fp": "+cost", "tn": 7}
    s = parse(doc)
    vm = s.value_model()
    assert (vm.tp, vm.fp, vm.tn) == (-(5 + 1) * 2 / 4 + 3, 5.0, 7.0)


def test_to_toml_writes_every_kind_of_value(tmp_path):
    doc = toy()
    doc["narrative"] = 'quotes " and \\ backslash\nand a new line, ünïcödé'
    doc["parameters"]["cost"]["max"] = math.inf  # not written: the default
    s = parse(doc)
    text = s.to_toml()
    assert tomllib.loads(text) == s.to_dict()
    assert "max" not in tomllib.loads(text)["parameters"]["cost"]


# -- views and summaries the notebooks and the explorer use -------------------------------------------------
def test_uplift_over_nothing_against_the_closed_form_of_missing_every_fraud():
    s = am.load_scenario("fraud_detection")
    v = s.values
    # Acting on nothing: every fraud is missed and costs its fee plus its whole amount.
    nothing = 30 * v["orders_per_day"] * v["fraud_rate"] * (-v["chargeback_fee"] - v["fraud_amount_mean"])
    assert s.nothing_value() == pytest.approx(nothing, rel=1e-12)
    d = s.optimize()
    assert s.uplift_over_nothing() == pytest.approx(d.value - nothing, rel=1e-12)
    assert s.uplift_over_nothing(d) == s.uplift_over_nothing() > 0


def test_capacity_threshold_is_the_lowest_threshold_within_capacity():
    s = am.load_scenario("fraud_detection")
    curve = s.curve()
    capacity = s.constraints["max_alerts"]
    lowest = math.inf
    for t, alerts in zip(curve.thresholds, curve.alerts):  # by hand: alerts per month of each row
        if alerts / curve.n_cases * s.volume <= capacity * (1 + 1e-12):
            lowest = min(lowest, t)
    assert s.capacity_threshold() == lowest
    assert s.optimize().threshold >= lowest  # the decision never holds more than the team can review
    nobody = s.replace(analysts=0)  # nobody to review: flag (practically) nothing
    assert nobody.curve().at(nobody.capacity_threshold()).alert_rate * nobody.volume <= 1e-12
    assert am.load_scenario("credit_approval").capacity_threshold() is None
    with pytest.raises(ScenarioError):
        am.load_scenario("recommendations").capacity_threshold()


def test_threshold_view_of_a_ranking_counts_the_top_k_by_hand():
    s = am.load_scenario("recommendations")
    d = s.optimize()
    view = s.threshold_view()
    assert view.k == d.k and dict(view.constraints) == s.constraints
    rs = s.score_set()
    frame = pd.DataFrame({"session": rs.session_codes, "score": rs.scores, "label": rs.labels, "row": np.arange(len(rs))})
    top = frame.sort_values(["session", "score", "row"], ascending=[True, False, True]).groupby("session").head(d.k)
    S = rs.n_sessions
    assert view.curve.n_cases == len(top)
    assert view.volume == pytest.approx(s.volume * len(top) / S, rel=1e-12)
    vm = s.value_model()
    assert (view.value_model.tp, view.value_model.fp) == (vm.relevant, vm.irrelevant)
    assert (view.value_model.tp_amount, view.value_model.fp_amount) == (vm.per_slot, vm.per_slot)
    assert view.fixed_value == 0.0
    values = view.value_model.value(view.curve, volume=view.volume)
    for m in (d.min_score, 0.2, 0.5, float(top["score"].min())):
        # By hand: clicks and annoyance of what is shown, and k slots in each visit that shows anything.
        shown = top[top["score"] >= m]
        displaying = shown["session"].nunique()
        by_hand = (vm.relevant * shown["label"].sum() + vm.irrelevant * (~shown["label"]).sum()
                   + vm.per_slot * d.k * displaying) * s.volume / S
        assert values[view.curve.index_at(m)] == pytest.approx(by_hand, rel=1e-12)
        if m == d.min_score:
            assert by_hand == pytest.approx(d.value, rel=1e-12)
            assert displaying < S  # some visits show nothing at the best minimum score: no slots there
    # The view's best minimum score is the ranking decision's.
    assert am.optimize(view.curve, view.value_model, volume=view.volume, **view.constraints).threshold == d.min_score
    assert s.threshold_view(k=3).curve.n_cases == len(
        frame.sort_values(["session", "score"], ascending=[True, False]).groupby("session").head(3))


def test_threshold_view_of_a_threshold_scenario_and_its_errors():
    s = am.load_scenario("medical_screening")
    view = s.threshold_view()
    assert view.k is None and view.fixed_value == 0.0 and view.volume == s.volume
    assert view.value_model == s.value_model() and dict(view.constraints) == s.constraints
    np.testing.assert_array_equal(view.curve.tp, s.curve().tp)
    with pytest.raises(ParameterError, match=exactly(sc.MSG_K_THRESHOLD.format("medical_screening"))):
        s.threshold_view(k=3)
    doc = am.load_scenario("recommendations").to_dict()
    doc["decision"]["constraints"]["min_hit_rate"] = 0.1
    with pytest.raises(ParameterError, match=exactly(sc.MSG_RANKING_CONSTRAINT.format("recommendations",
                                                                                        "min_hit_rate"))):
        sc.parse_scenario(doc).threshold_view()


def test_decision_summary_by_hand():
    s = am.load_scenario("fraud_detection")
    d = s.optimize()
    summary = s.decision_summary()
    curve, vm = s.curve(), s.value_model()
    free = am.optimize(curve, vm, volume=s.volume)  # the same money without the capacity limit
    assert summary.threshold == d.threshold and summary.cases_per_month == 30 * 20_000
    assert summary.alerts_per_month == pytest.approx(d.point.alert_rate * 600_000, rel=1e-12)
    assert summary.capacity_per_month == s.constraints["max_alerts"]
    assert summary.alerts_per_month == pytest.approx(summary.capacity_per_month, rel=1e-9)  # the queue is full
    assert summary.alerts_per_month <= summary.capacity_per_month * (1 + 1e-12)
    assert (summary.recall, summary.precision) == (d.point.recall, d.point.precision)
    assert summary.value_per_month == d.value and summary.nothing_value_per_month == s.nothing_value()
    assert summary.uplift_over_nothing_per_month == pytest.approx(d.value - s.nothing_value(), rel=1e-12)
    assert summary.unconstrained_value_per_month == pytest.approx(free.value, rel=1e-12)
    assert summary.constraints_cost_per_month == pytest.approx(free.value - d.value, rel=1e-9)
    assert summary.constraints_cost_per_month > 0
    assert summary.binding == ("max_alerts",) and summary.currency == "EUR"
    assert (summary.near_optimal_low, summary.near_optimal_high) == (
        d.near_optimal.threshold_low, d.near_optimal.threshold_high)
    assert summary.to_dict()["binding"] == ["max_alerts"]
    assert am.load_scenario("churn_retention").decision_summary().currency == "USD"
    assert am.load_scenario("credit_approval").decision_summary().capacity_per_month is None
    with pytest.raises(ScenarioError, match=exactly(sc.MSG_SUMMARY_RANKING.format("recommendations"))):
        am.load_scenario("recommendations").decision_summary()


def test_value_of_change_is_the_difference_of_two_optima():
    s = am.load_scenario("fraud_detection")
    by_hand = am.load_scenario("fraud_detection", analysts=3).optimize().value - s.optimize().value
    assert s.value_of_change(analysts=3) == pytest.approx(by_hand, rel=1e-12)
    assert s.value_of_change() == 0.0
    assert s.value_of_change(chargeback_fee=50) < 0  # dearer chargebacks: the same fraud costs more


@pytest.mark.parametrize("name", ["fraud_detection", "churn_retention", "credit_approval"])
def test_scenario_optimum_is_the_model_optimum(name):
    # One path: Scenario.optimize, optimize on the scenario's model and optimize on its curve agree exactly.
    s = am.load_scenario(name)
    d = s.optimize()
    on_model = am.optimize(s.score_model(), s.value_model(), volume=s.volume, **s.constraints)
    assert d.threshold == on_model.threshold
    assert d.value == pytest.approx(on_model.value, rel=1e-12)
    curve = s.curve()
    assert am.optimize(curve, s.value_model(), volume=s.volume, **s.constraints).curve is curve
