"""The [launch] scenario section and plan_launch: validation, round trip, the closed-form amount spread."""

import copy
import math
import re

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, stats

import aipm_sim as am
from aipm_sim.core.business import scenario as sc
from aipm_sim.core.business import scenario_file as sf
from aipm_sim.core.errors import ScenarioError
from aipm_sim.core.experiments.launch import MSG_NO_LAUNCH, _amount_rule_squares, _second_moment
from aipm_sim.core.experiments.rollout import NOT_PRICED

LABEL = "toy.toml"


def exactly(message):
    return "^" + re.escape(message) + "$"


def toy():
    return {
        "name": "toy", "title": "Toy", "summary": "a toy", "narrative": "n", "kind": "threshold", "currency": "EUR",
        "parameters": {"rate": {"value": 0.1, "low": 0.05, "high": 0.2, "min": 0.001, "max": 0.999},
                       "cost": {"value": 5, "low": 1, "high": 10, "min": 0}},
        "scores": {"source": "binormal", "prevalence": "rate", "auc": 0.8},
        "value": {"tp": 100, "fp": "-cost"},
        "decision": {"volume": 30000},
        "launch": {"traffic_per_day": 500, "label_delay_days": 3, "alpha": 0.05, "power": "0.8",
                   "stages": [0.1, 0.5, 1.0],
                   "guardrail": {"name": "complaints", "rate": 0.01, "harm": "rate / 20", "cost_per_event": "-cost"}},
    }


def parse(doc):
    return sc.parse_scenario(doc, label=LABEL)


def test_presets_have_launch_and_round_trip(tmp_path):
    for name in ("fraud_detection", "recommendations"):
        s = am.load_scenario(name)
        assert s.launch is not None
        s.save(tmp_path / f"{name}.toml")
        assert am.load_scenario(tmp_path / f"{name}.toml") == s


def test_toy_launch():
    s = parse(toy())
    settings = am.launch_settings(s)
    assert settings["traffic_per_day"] == 500 and settings["guardrail"]["harm"] == pytest.approx(0.005)
    lp = am.plan_launch(s)
    assert lp.control_name == "flag nothing" and lp.test.label_delay_days == 3
    assert lp.rollout.stages == (0.1, 0.5, 1.0) and lp.rollout.cost_per_event == -5
    assert lp.rollout.cases_per_day == pytest.approx(1000)  # 30,000 a month
    other = am.plan_launch(s, traffic_per_day=1000)
    assert other.test.days_collecting == pytest.approx(lp.test.days_collecting / 2)
    assert set(lp.to_dict()) == {"scenario", "treatment", "control", "test", "rollout"}
    with pytest.raises(TypeError):
        am.plan_launch(s, colour=1)


def bad(path, value):
    doc = copy.deepcopy(toy())
    keys = path.split(".")
    d = doc
    for k in keys[:-1]:
        d = d[k]
    if value is None:
        del d[keys[-1]]
    else:
        d[keys[-1]] = value
    return doc


BAD = [
    ("launch.colour", 1, sf.MSG_UNKNOWN_KEY.format(LABEL, "colour", "launch", ", ".join(sf._LAUNCH_KEYS))),
    ("launch.traffic_per_day", None, sf.MSG_MISSING.format(LABEL, "launch.traffic_per_day")),
    ("launch.metric", "profit", sf.MSG_CHOICE.format(LABEL, "launch.metric", "value, precision, recall", "profit")),
    ("launch.stages", [0.5, 0.1, 1.0], sf.MSG_LAUNCH_STAGES.format(LABEL, [0.5, 0.1, 1.0])),
    ("launch.stages", [0.1, 0.5], sf.MSG_LAUNCH_STAGES.format(LABEL, [0.1, 0.5])),
    ("launch.stages", "fast", sf.MSG_LAUNCH_STAGES.format(LABEL, "fast")),
    ("launch.guardrail.harm", None, sf.MSG_MISSING.format(LABEL, "launch.guardrail.harm")),
    ("launch.guardrail.name", 3, sf.MSG_TYPE.format(LABEL, "launch.guardrail.name", "a non-empty string", 3)),
    ("launch.guardrail.hue", 3, sf.MSG_UNKNOWN_KEY.format(LABEL, "hue", "launch.guardrail",
                                                         ", ".join(sf._GUARDRAIL_KEYS))),
    ("launch", 5, sf.MSG_TYPE.format(LABEL, "launch", "a table", 5)),
]


@pytest.mark.parametrize(("path", "value", "message"), BAD)
def test_bad_launch_sections(path, value, message):
    with pytest.raises(ScenarioError, match=exactly(message)):
        parse(bad(path, value))


def test_bad_expression_names_the_field():
    with pytest.raises(ScenarioError, match=r"launch\.alpha"):
        parse(bad("launch.alpha", "nope * 2"))


def test_no_launch_section():
    with pytest.raises(ScenarioError, match=exactly(MSG_NO_LAUNCH.format("churn_retention"))):
        am.plan_launch(am.load_scenario("churn_retention"))


@pytest.mark.parametrize("cut", [50.0, 120.0, 400.0])
def test_amount_rule_squares_by_integration(cut):
    # E[A^2 1{A >= c}] of a lognormal, integrated numerically over its density (an independent oracle).
    model = am.BinormalModel(0.01, 0.9, amount_mean=88.0, positive_amount_mean=122.0, amount_sigma=1.2)
    curve = am.amount_rule_curve(model, thresholds=np.array([cut]))
    row = int(np.flatnonzero(curve.thresholds == cut)[0])
    # flagging only gains here, so the best decision under a cap at that row's alerts is the row itself
    decision = am.optimize(curve, am.ValueModel(tp=1.0), max_alerts=curve.alerts[row])
    assert decision.threshold == cut
    got = _amount_rule_squares(model, decision)
    for mean, n, cell, rest in ((122.0, curve.positives, "tp", "fn"), (88.0, curve.negatives, "fp", "tn")):
        s = 1.2
        mu = math.log(mean) - s * s / 2
        dist = stats.lognorm(s, scale=math.exp(mu))
        above, _ = integrate.quad(lambda a: a * a * dist.pdf(a), cut, np.inf, limit=200)
        assert got[cell] == pytest.approx(n * above, rel=1e-6)
        assert got[cell] + got[rest] == pytest.approx(n * _second_moment(mean, s), rel=1e-12)
        assert _second_moment(mean, s) == pytest.approx(dist.moment(2), rel=1e-12)


def test_fraud_plan_uses_the_closed_form_spread():
    s = am.load_scenario("fraud_detection")
    lp = am.plan_launch(s)
    assert lp.test.amount_spread == "data" and lp.test.label_delay_days == 30
    rough = am.plan_ab_test(lp.treatment, lp.control, cases_per_day=10_000, minimum_effect=0.1)
    assert rough.amount_spread == "cell means" and rough.units_control < lp.test.units_control
    # the closed form feeds plan_ab_test: the same plan as passing the squares by hand
    model = s.score_model()
    e_pos = 122.0 ** 2 * math.exp(1.2 ** 2)
    e_neg = 88.0 ** 2 * math.exp(1.2 ** 2)
    p = lp.treatment.point
    squares_t = {"tp": p.tp * e_pos, "fn": p.fn * e_pos, "fp": p.fp * e_neg, "tn": p.tn * e_neg}
    squares_c = _amount_rule_squares(model, lp.control)
    again = am.plan_ab_test(lp.treatment, lp.control, cases_per_day=10_000, minimum_effect=0.1,
                            label_delay_days=30, amount_squares=(squares_t, squares_c))
    assert again.units_control == lp.test.units_control and again.days == lp.test.days


def test_recommendations_plan_in_items_shown():
    lp = am.plan_launch(am.load_scenario("recommendations"))
    assert lp.test.metric == "precision" and lp.test.unit == "items shown"
    assert math.isnan(lp.rollout.value_at_risk)  # the guardrail has no cost per event
    # A test of a rate still forgoes money by ramping: the untreated visits miss the model's value per
    # visit over the popularity rule's, here from each decision's value per 1,000 sessions (a visit is a session).
    gain = (lp.treatment.value_per_1000_sessions - lp.control.value_per_1000_sessions) / 1000
    t = lp.rollout.table
    untreated = ((1 - t["share"]) * t["days"] * 40_000).sum()  # visits_per_day = 40,000
    assert lp.rollout.value_forgone == pytest.approx(untreated * gain, rel=1e-9) and lp.rollout.value_forgone > 0
    words = lp.rollout.table_in_words(case=lp.case)
    assert "nan" not in words.to_string().lower()
    assert set(words["value at risk (USD)"]) == {NOT_PRICED, ""}
    assert "forgoes about" in lp.rollout.describe(case="visit")
    assert lp.test.units_control == math.ceil(am.sample_size_proportions(
        lp.test.control_mean, lp.test.control_mean + 0.005))


def test_file_scenario_spread_from_the_cases(tmp_path):
    # A data-file scenario: the spread within cells comes from its own cases, for the model and the amount rule.
    rng = np.random.default_rng(3)
    n = 300
    y = rng.random(n) < 0.2
    frame = {"s": np.round(rng.random(n) * 0.6 + 0.4 * y, 2), "y": y.astype(int),
             "amt": np.round(rng.lognormal(3, 1, n), 2)}
    pd.DataFrame(frame).to_csv(tmp_path / "cases.csv", index=False)
    doc = toy()
    doc["scores"] = {"source": "file", "file": "cases.csv", "score": "s", "label": "y", "amount": "amt"}
    doc["rule"] = {"kind": "amount", "description": "flag big amounts"}
    doc["value"] = {"tp": -2, "fp": -3, "fn_amount": -1, "fp_amount": -0.1}
    s = sc.parse_scenario(doc, label=LABEL, base=tmp_path, path=tmp_path / "toy.toml")
    lp = am.plan_launch(s)
    assert lp.test.amount_spread == "data"
    for decision, scores, sd in ((lp.treatment, frame["s"], lp.test.treatment_sd),
                                 (lp.control, frame["amt"], lp.test.control_sd)):
        flagged = scores >= decision.threshold
        v = np.select([flagged & y, flagged & ~y, ~flagged & y], [-2.0, -3.0 - 0.1 * frame["amt"], -frame["amt"]], 0.0)
        assert sd == pytest.approx(v.std(), rel=1e-9)
