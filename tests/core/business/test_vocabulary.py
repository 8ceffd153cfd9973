"""A scenario's [vocabulary]: validated like every table, round-tripped through TOML, generic words by default."""

import re
import tomllib

import pytest

import aipm_sim as am
from aipm_sim.core.business import scenario_file as sf
from aipm_sim.core.business.scenario import parse_scenario
from aipm_sim.core.business.vocabulary import MSG_UNKNOWN_WORD, MSG_WORD

LABEL = "toy.toml"


def fraud_doc(**vocabulary):
    doc = am.load_scenario("fraud_detection").to_dict()
    doc["vocabulary"] = vocabulary
    return doc


@pytest.mark.parametrize("name", ["churn_retention", "credit_approval", "fraud_detection", "medical_screening",
                                  "recommendations"])
def test_every_preset_names_its_cases_and_alerts(name):
    words = am.load_scenario(name).words
    assert words.alerts and words.cases and words.tp != am.Vocabulary().tp


def test_the_words_round_trip_through_toml():
    s = parse_scenario(fraud_doc(alerts="orders on hold", cases="orders"), label=LABEL)
    assert s.words.alerts == "orders on hold" and s.words.positives == "positives"  # the rest generic
    text = s.to_toml()
    assert tomllib.loads(text)["vocabulary"] == {"alerts": "orders on hold", "cases": "orders"}
    assert parse_scenario(tomllib.loads(text), label=LABEL) == s


def test_a_scenario_without_words_speaks_generically():
    doc = fraud_doc()
    del doc["vocabulary"]
    s = parse_scenario(doc, label=LABEL)
    assert s.vocabulary is None and s.words == am.Vocabulary() and "vocabulary" not in s.to_dict()


@pytest.mark.parametrize(
    ("vocabulary", "message"),
    [({"colour": "red"}, sf.MSG_UNKNOWN_KEY.format(LABEL, "colour", "vocabulary", ", ".join(am.Vocabulary.keys()))),
     ({"alerts": ""}, sf.MSG_TYPE.format(LABEL, "vocabulary.alerts", "a non-empty string", "")),
     ({"alerts": 3}, sf.MSG_TYPE.format(LABEL, "vocabulary.alerts", "a non-empty string", 3))],
)
def test_bad_words_are_refused_naming_file_and_key(vocabulary, message):
    with pytest.raises(am.ScenarioError, match="^" + re.escape(message) + "$"):
        parse_scenario(fraud_doc(**vocabulary), label=LABEL)


def test_vocabulary_errors():
    with pytest.raises(am.ParameterError, match="^" + re.escape(MSG_WORD.format("tp", " ")) + "$"):
        am.Vocabulary(tp=" ")
    with pytest.raises(am.ParameterError, match=re.escape(MSG_UNKNOWN_WORD.format("x", ", ".join(am.Vocabulary.keys())))):
        am.Vocabulary.from_mapping({"x": "y"})
