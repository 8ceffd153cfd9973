"""[success] criteria and scenario.verdict(): bounds against statsmodels' exact interval, words, file rules."""

import re
import tomllib

import pytest
from statsmodels.stats.proportion import proportion_confint

import aipm_sim as am
from aipm_sim.core.business import scenario_file as sf
from aipm_sim.core.errors import ScenarioError
from aipm_sim.core.uncertainty import verdict as vd


def one_sided(k, n, confidence, side):
    low, high = proportion_confint(k, n, alpha=2 * (1 - confidence), method="beta")
    return low if side == "lower" else high


def test_fraud_preset_judges_expected_counts_of_its_validation_size():
    s = am.load_scenario("fraud_detection")
    v = s.verdict()
    success = s.success
    point = s.score_model().point(s.optimize().threshold)
    n = success["validation_cases"]
    positives = n * s.score_model().prevalence
    recall = v.criteria[0]
    assert recall.name == "min_recall"
    assert recall.bound == pytest.approx(one_sided(point.recall * positives, positives, 0.9, "lower"), abs=1e-9)
    assert recall.words == (f"recall ≥ 35%: {recall.outcome} with 90% confidence "
                            f"(lower bound {100 * recall.bound:.1f}%)")  # a bound from 10% up: one decimal
    precision = v.criteria[1]
    flagged = n * point.alert_rate
    assert precision.bound == pytest.approx(one_sided(point.precision * flagged, flagged, 0.9, "lower"), abs=1e-9)
    assert [c.name for c in v.criteria] == ["min_recall", "min_precision", "min_value_per_month"]
    assert v.criteria[2].words.startswith("value ≥ \N{MINUS SIGN}200,000 EUR per month: ")
    assert "-" not in v.criteria[2].words  # a true minus sign, as in the report's money
    assert "50,000 validation cases" in v.validation
    assert v.met == all(c.met for c in v.criteria)


def test_medical_preset_uses_kish_counts_of_the_reweighted_file():
    s = am.load_scenario("medical_screening")
    v = s.verdict()
    data = s.score_set()
    point = am.ThresholdCurve.from_scores(data).at(s.optimize().threshold)
    # weights are constant within a class: the effective number of positives is their count
    positives = int(data.labels.sum())
    bound = one_sided(point.recall * positives, positives, 0.95, "lower")
    upper = one_sided(point.recall * positives, positives, 0.95, "upper")
    assert v.criteria[0].bound == pytest.approx(bound, abs=1e-9)
    assert v.criteria[0].outcome == ("met" if bound >= 0.95 else "not met" if upper < 0.95 else "not shown")


def test_outcomes_met_not_met_not_shown():
    scenario = am.load_scenario("medical_screening")
    rate = scenario.optimize().point.alert_rate
    success = {"min_recall": 0.5, "min_precision": 0.99, "max_alert_rate": rate, "confidence": 0.95}
    judged = vd.judge(success, decision=scenario.optimize(), score_set=scenario.score_set(),
                      volume=scenario.volume, currency="USD")
    outcomes = {c.name: c.outcome for c in judged.criteria}
    assert outcomes["min_recall"] == "met"
    assert outcomes["min_precision"] == "not met"  # even the upper bound is below 99 %
    assert judged.criteria[1].words.startswith("precision ≥ 99%: not met (upper bound")
    alert = judged.criteria[2]  # capped at exactly the rate measured: the data cannot tell
    assert alert.outcome == "not shown" and alert.opposite < rate < alert.bound
    assert alert.words.startswith("alert rate ≤ ") and "%: not shown with 95% confidence (upper bound" in alert.words
    assert not judged.met


def test_round_trip_through_toml(tmp_path):
    s = am.load_scenario("fraud_detection")
    path = tmp_path / "fraud.toml"
    s.save(path)
    again = am.load_scenario(path)
    assert again == s and dict(again.success) == dict(s.success)
    assert tomllib.loads(path.read_text())["success"]["validation_cases"] == 50000


def doc_with(success, source="binormal"):
    s = am.load_scenario("fraud_detection" if source == "binormal" else "medical_screening")
    doc = s.to_dict()
    doc["success"] = success
    return doc


LABEL = "t.toml"
ERRORS = [
    ({"min_recall": 0.7, "confidence": 0.9}, sf.MSG_SUCCESS_VALIDATION.format(LABEL)),
    ({"min_recal": 0.7}, sf.MSG_UNKNOWN_KEY.format(LABEL, "min_recal", "success",
                                                   ", ".join((*vd.CRITERIA, *vd.SETTINGS)))),
    ({"min_recall": 1.5, "validation_cases": 10}, sf.MSG_TYPE.format(LABEL, "success.min_recall",
                                                                     "a fraction in [0, 1]", 1.5)),
    ({"confidence": 1, "validation_cases": 10}, sf.MSG_TYPE.format(LABEL, "success.confidence",
                                                                   "a fraction in (0, 1), e.g. 0.9", 1)),
    ({"validation_cases": 2.5}, sf.MSG_TYPE.format(LABEL, "success.validation_cases",
                                                   "a whole number of cases >= 1", 2.5)),
    ({"min_value_per_month": "a lot", "validation_cases": 10},
     sf.MSG_TYPE.format(LABEL, "success.min_value_per_month", "a number (currency per month)", "a lot")),
    ("yes", sf.MSG_TYPE.format(LABEL, "success", "a table", "yes")),
]


@pytest.mark.parametrize("success, message", ERRORS)
def test_success_table_errors(success, message):
    with pytest.raises(ScenarioError, match=re.escape(message)):
        sf.validate_document(doc_with(success), label=LABEL)


def test_verdict_without_success_is_an_error():
    s = am.load_scenario("credit_approval")
    with pytest.raises(ScenarioError, match=re.escape("has no [success] criteria to judge")):
        s.verdict()


def test_an_undefined_bound_is_said_in_words_not_nan():
    # a threshold above every score flags nothing: precision has no cases to be judged by
    scenario = am.load_scenario("medical_screening")
    decision = am.optimize(am.ThresholdCurve.from_scores(scenario.score_set()), am.ValueModel(tp=-1, fp=-1))
    assert decision.point.alerts == 0
    judged = vd.judge({"min_precision": 0.5, "min_recall": 0.5, "confidence": 0.9}, decision=decision,
                      score_set=scenario.score_set(), volume=scenario.volume, currency="USD")
    words = {c.name: c.words for c in judged.criteria}
    assert words["min_precision"] == "precision ≥ 50%: not shown (nothing is flagged at this threshold)"
    upper = one_sided(0, int(scenario.score_set().labels.sum()), 0.9, "upper")  # none of the positives caught
    assert 0.01 <= upper < 0.1  # between 1% and 10%: two decimals
    assert words["min_recall"] == f"recall ≥ 50%: not met (upper bound {100 * upper:.2f}% with 90% confidence)"
    assert not any("nan" in w.lower() for w in words.values())
