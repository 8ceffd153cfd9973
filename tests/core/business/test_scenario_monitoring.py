"""The scenario file's [monitoring] table: validated, kept, written back, used by plan_monitoring."""

import re

import pytest

import aipm_sim as am
from aipm_sim.core.business import scenario as sc
from aipm_sim.core.business import scenario_file as sf
from aipm_sim.core.errors import ParameterError, ScenarioError
from aipm_sim.core.monitoring.plan import MSG_NO_MONITORING

LABEL = "toy.toml"


def toy(**monitoring):
    table = {"period": "week", "volume": "cases * 7", "periods": 6, "label_delay": 2, "cases_per_period": 500,
             "retrain_cost": "retrain", "recalibrate_cost": 10, "prevalence_shape": "sudden",
             "prevalence_factor": 2.0, "change_period": 3, "seed": 4}
    table.update(monitoring)
    return {
        "name": "toy", "title": "Toy", "summary": "a toy", "narrative": "n", "kind": "threshold", "currency": "EUR",
        "parameters": {"rate": {"value": 0.1, "low": 0.05, "high": 0.2, "min": 0.001, "max": 0.999},
                       "cases": {"value": 1000, "low": 500, "high": 2000, "min": 1},
                       "retrain": {"value": 300, "low": 100, "high": 900, "min": 0}},
        "scores": {"source": "binormal", "prevalence": "rate", "auc": 0.8},
        "value": {"tp": 100, "fp": -5},
        "decision": {"volume": 1000},
        "monitoring": table,
    }


def parse(doc):
    return sc.parse_scenario(doc, label=LABEL)


def test_table_is_kept_evaluated_and_round_trips(tmp_path):
    s = parse(toy())
    assert s.monitoring["period"] == "week"
    assert s.evaluate("monitoring.volume") == 7000 and s.evaluate("monitoring.retrain_cost") == 300
    s.save(tmp_path / "toy.toml")
    assert am.load_scenario(tmp_path / "toy.toml") == s
    assert s.replace(retrain=500).evaluate("monitoring.retrain_cost") == 500


def test_presets_carry_a_monitoring_plan():
    for name in ("fraud_detection", "churn_retention"):
        assert am.load_scenario(name).monitoring is not None
    with pytest.raises(ParameterError, match="^" + re.escape(MSG_NO_MONITORING.format("medical_screening")) + "$"):
        am.plan_monitoring(am.load_scenario("medical_screening"))


def test_plan_monitoring_follows_the_table():
    plan = am.plan_monitoring(parse(toy()))
    prod = plan.production
    assert (prod.periods, prod.cases_per_period, prod.label_delay) == (6, 500, 2)
    assert plan.drift_plan.prevalence_shape == "sudden" and plan.drift_plan.change_period == 3
    assert plan.retrain_cost == 300 and plan.recalibrate_cost == 10 and plan.volume == 7000
    assert prod.planned_prevalence.tolist() == pytest.approx([0.1, 0.1, 0.1, 0.2, 0.2, 0.2])
    per = plan.comparison.per_period
    retrained = per[per["retrained"]]
    assert (retrained["costs"] <= -300).all()


@pytest.mark.parametrize("change, message", [
    ({"colour": "red"}, sf.MSG_UNKNOWN_KEY.format(LABEL, "colour", "monitoring", ", ".join(sf._MONITORING_KEYS))),
    ({"periods": 0}, sf.MSG_TYPE.format(LABEL, "monitoring.periods", "a whole number >= 1", 0)),
    ({"label_delay": 1.5}, sf.MSG_TYPE.format(LABEL, "monitoring.label_delay", "a whole number >= 0", 1.5)),
    ({"cases_per_period": 5}, sf.MSG_TYPE.format(LABEL, "monitoring.cases_per_period", "a whole number >= 10", 5)),
    ({"prevalence_shape": "wave"}, sf.MSG_CHOICE.format(LABEL, "monitoring.prevalence_shape",
                                                        "constant, gradual, sudden, seasonal", "wave")),
    ({"drift_method": "chi2"}, sf.MSG_CHOICE.format(LABEL, "monitoring.drift_method", "psi, ks, js, wasserstein",
                                                    "chi2")),
    ({"period": 7}, sf.MSG_TYPE.format(LABEL, "monitoring.period", "a string", 7)),
    ({"retrain_cost": "retrain + nope"}, sf.MSG_UNKNOWN_NAME.format(LABEL, "monitoring.retrain_cost",
                                                                    "retrain + nope", "nope", "rate, cases, retrain")),
])
def test_bad_table(change, message):
    with pytest.raises(ScenarioError, match="^" + re.escape(message) + "$"):
        parse(toy(**change))


@pytest.mark.parametrize("key", ["period", "volume", "periods", "label_delay", "retrain_cost", "recalibrate_cost"])
def test_required_keys(key):
    doc = toy()
    del doc["monitoring"][key]
    with pytest.raises(ScenarioError, match="^" + re.escape(sf.MSG_MISSING.format(LABEL, f"monitoring.{key}")) + "$"):
        parse(doc)


def test_monitoring_needs_a_threshold_scenario():
    doc = toy()
    doc.update(kind="ranking", scores={"source": "ranking_model", "relevance_rate": "rate", "auc": 0.8,
                                       "n_candidates": 5, "n_sessions": 20, "seed": 1},
               value={"relevant": 1, "irrelevant": -0.01}, decision={"volume": 1000, "k_max": 3})
    with pytest.raises(ScenarioError, match="^" + re.escape(sf.MSG_MONITORING_KIND.format(LABEL, "ranking")) + "$"):
        parse(doc)
