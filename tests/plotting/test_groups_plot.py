"""Group displays draw the numbers of group_metrics / fairness_frontier, with words for labels."""

import numpy as np
import pytest

import aipm_sim as am
from aipm_sim.plotting import FairnessFrontierDisplay, GroupMetricsDisplay


@pytest.fixture(scope="module")
def data():
    sim = am.simulate_groups({"north": am.GroupModel(size=400, prevalence=0.2, auc=0.8),
                              "south": am.GroupModel(size=300, prevalence=0.1, auc=0.7)}, seed=2)
    return sim.measured, am.ValueModel(tp=100.0, fp=-10.0)


def test_group_metrics_bars_are_the_table(data, ax):
    s, vm = data
    d = am.optimize_groups(s, vm, fairness="equal_opportunity", tolerance=0.05)
    disp = GroupMetricsDisplay.from_decision(d, ax=ax)
    assert disp.ax_ is ax and disp.figure_ is ax.figure
    for g, bars in disp.bars_.items():
        heights = [b.get_height() for b in bars]
        np.testing.assert_allclose(heights, np.nan_to_num(d.by_group.loc[g, list(disp.rates)].to_numpy(float)))
    band = disp.bands_["recall"]
    assert band.get_y() == pytest.approx(d.by_group["recall"].min())
    assert band.get_height() == pytest.approx(0.05)
    assert set(disp.bands_) == {"recall"}
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["allowed by the rule", "north", "south"]
    assert "equal recall" in ax.get_title()
    assert not any("_" in t.get_text() for t in ax.get_xticklabels())


def test_group_metrics_from_score_set(data, ax):
    s, _ = data
    disp = GroupMetricsDisplay.from_score_set(s, 0.3, ax=ax)
    assert disp.bands_ == {}
    assert disp.bars_["north"][0].get_height() == pytest.approx(am.group_metrics(s, 0.3).loc["north", "alert_rate"])


def test_frontier_lines_are_the_frontier(data, ax):
    s, vm = data
    disp = FairnessFrontierDisplay.from_score_set(s, vm, tolerances=(0.0, 0.1, 1.0),
                                                  rules=["demographic_parity", "equalized_odds"],
                                                  volume=1000, period="month", currency="EUR", ax=ax)
    f = disp.frontier
    for rule, line in disp.lines_.items():
        part = f[f["rule"] == rule]
        np.testing.assert_allclose(line.get_ydata(), part["value"])
        np.testing.assert_allclose(line.get_xdata(), 100 * part["tolerance"])
    assert disp.unconstrained_line_.get_ydata()[0] == pytest.approx(f["unconstrained_value"].iloc[0])
    assert ax.get_ylabel() == "value per month (EUR)"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "equal alert rates (demographic parity)" in labels and "one threshold for everyone" in labels
