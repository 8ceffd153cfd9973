"""simulate_groups against the binormal closed form, and fairness_frontier against optimize_groups."""

import numpy as np
import pytest

import aipm_sim as am


def test_truth_follows_the_binormal_model_and_noise_hides_low_scored_positives():
    models = {"big": am.GroupModel(size=200_000, prevalence=0.1, auc=0.85),
              "small": am.GroupModel(size=100_000, prevalence=0.2, auc=0.75, label_noise=0.3)}
    sim = am.simulate_groups(models, seed=7)
    table = sim.compare(0.3)
    for name, model in models.items():
        point = model.binormal.point(0.3)  # closed form of the true curve
        assert table.loc[name, "true_recall"] == pytest.approx(point.recall, abs=0.01)
        assert table.loc[name, "true_prevalence"] == pytest.approx(model.prevalence, abs=0.005)
        assert table.loc[name, "alert_rate"] == pytest.approx(point.alert_rate, abs=0.005)
        # the share hidden is label_noise on average: 2 noise (1 - u) with u uniform
        assert table.loc[name, "measured_prevalence"] == pytest.approx(model.prevalence * (1 - model.label_noise),
                                                                       abs=0.005)
    assert table.loc["big", "measured_recall"] == table.loc["big", "true_recall"]
    assert table.loc["small", "measured_recall"] > table.loc["small", "true_recall"] + 0.05
    assert table.loc["small", "measured_precision"] < table.loc["small", "true_precision"]
    np.testing.assert_array_equal(sim.measured.scores, sim.truth.scores)


def test_same_seed_same_cases():
    models = {"a": am.GroupModel(size=100, prevalence=0.3, auc=0.8, label_noise=0.2)}
    a, b = am.simulate_groups(models, seed=3), am.simulate_groups(models, seed=3)
    np.testing.assert_array_equal(a.measured.labels, b.measured.labels)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"size": 0, "prevalence": 0.1, "auc": 0.8}, "size must be a whole number >= 1; found 0"),
    ({"size": 10, "prevalence": 0.1, "auc": 0.8, "label_noise": 0.6}, "label_noise must be in [0, 0.5]; found 0.6"),
])
def test_group_model_errors(kwargs, message):
    with pytest.raises(am.ParameterError) as info:
        am.GroupModel(**kwargs)
    assert str(info.value) == message


def test_simulate_needs_group_models():
    with pytest.raises(am.ParameterError, match="groups must be a non-empty mapping"):
        am.simulate_groups({}, seed=0)


def test_frontier_is_optimize_groups_per_tolerance():
    sim = am.simulate_groups({"a": am.GroupModel(size=300, prevalence=0.3, auc=0.8),
                              "b": am.GroupModel(size=200, prevalence=0.2, auc=0.7)}, seed=1)
    vm = am.ValueModel(tp=50.0, fp=-10.0)
    frontier = am.fairness_frontier(sim.measured, vm, tolerances=(0.0, 0.1, 1.0), rules=["demographic_parity"])
    for _, row in frontier.iterrows():
        d = am.optimize_groups(sim.measured, vm, fairness="demographic_parity", tolerance=row["tolerance"])
        assert row["value"] == d.value
    assert (np.diff(frontier["value"]) >= -1e-9).all()  # looser rule, never worse
    assert frontier["price_of_fairness"].iloc[-1] == 0.0
