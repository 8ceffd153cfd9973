"""[[groups]] in the scenario file: validation messages, a TOML round trip and the synthetic groups."""

import copy

import pytest

import aipm_sim as am
from aipm_sim.core.business import scenario_file as sf
from aipm_sim.core.groups.simulate import MSG_SCENARIO_GROUPS

LABEL = "credit_approval_groups.toml"


@pytest.fixture(scope="module")
def doc():
    return sf.read_document(sf.scenario_folder() / LABEL)


def _with(doc, change):
    d = copy.deepcopy(doc)
    change(d)
    return d


def _set(i, key, value):
    def change(d):
        d["groups"][i][key] = value
    return change


def _drop(i, key):
    def change(d):
        del d["groups"][i][key]
    return change


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d.update(groups={"name": "x"}), sf.MSG_TYPE.format(LABEL, "groups", "a non-empty array of tables ([[groups]])", {"name": "x"})),
    (lambda d: d.update(groups=[]), sf.MSG_TYPE.format(LABEL, "groups", "a non-empty array of tables ([[groups]])", [])),
    (_drop(0, "auc"), sf.MSG_MISSING.format(LABEL, "groups[0].auc")),
    (_drop(1, "source"), sf.MSG_MISSING.format(LABEL, "groups[1].source")),
    (_set(0, "colour", "red"), sf.MSG_UNKNOWN_KEY.format(LABEL, "colour", "groups[0]", ", ".join(sf._GROUP_KEYS))),
    (_set(0, "auc", 0.4), sf.MSG_TYPE.format(LABEL, "groups[0].auc", "a number in (0.5, 1)", 0.4)),
    (_set(0, "prevalence", "high"), sf.MSG_TYPE.format(LABEL, "groups[0].prevalence", "a number in (0, 1)", "high")),
    (_set(2, "label_noise", 0.7), sf.MSG_TYPE.format(LABEL, "groups[2].label_noise", "a number in [0, 0.5]", 0.7)),
    (_set(0, "share", 0.5), sf.MSG_GROUP_SHARES.format(LABEL, 1.25)),
    (_set(1, "name", "under 30"), sf.MSG_GROUP_NAMES.format(LABEL, "under 30")),
    (_set(1, "name", ""), sf.MSG_TYPE.format(LABEL, "groups[1].name", "a non-empty string", "")),
])
def test_errors(doc, change, message):
    with pytest.raises(am.ScenarioError) as info:
        sf.validate_document(_with(doc, change), label=LABEL)
    assert str(info.value) == message


def test_round_trip_through_toml(tmp_path):
    s = am.load_scenario("credit_approval_groups")
    path = tmp_path / "mine.toml"
    s.save(path)
    again = am.load_scenario(path)
    assert again == s and again.groups == s.groups
    assert [g["name"] for g in again.groups] == ["under 30", "30 to 50", "over 50"]
    assert am.load_scenario("credit_approval").groups is None


def test_scenario_groups_follow_the_file():
    s = am.load_scenario("credit_approval_groups")
    sim = am.scenario_groups(s, n_cases=200_000, seed=1)
    table = sim.compare(0.2)
    for g in s.groups:
        assert table.loc[g["name"], "n_cases"] == round(g["share"] * 200_000)
        assert table.loc[g["name"], "true_prevalence"] == pytest.approx(g["prevalence"], abs=0.005)
    assert sim.measured.amounts is not None  # the value model uses amounts
    with pytest.raises(am.ParameterError) as info:
        am.scenario_groups(am.load_scenario("credit_approval"))
    assert str(info.value) == MSG_SCENARIO_GROUPS.format("credit_approval")
