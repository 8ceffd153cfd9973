"""Monitoring displays draw the core results' numbers, with labels in words."""

import numpy as np
import pytest

import aipm_sim as am
from aipm_sim.plotting import DriftDisplay, MonitoringDisplay, PolicyDisplay


@pytest.fixture(scope="module")
def production():
    plan = am.DriftPlan(prevalence_shape="sudden", prevalence_factor=2.0, change_period=3, auc_decay_per_period=0.01)
    return am.simulate_production(am.BinormalModel(0.05, 0.85), periods=6, cases_per_period=3_000, drift=plan,
                                  label_delay=2, value_model=am.ValueModel(tp=50, fp=-5), seed=1)


def test_drift_display(ax, production):
    null = am.drift_null(production.reference, 3_000, resamples=20, seed=0)
    d = DriftDisplay.from_production(production, null=null, period="week", ax=ax)
    assert np.array_equal(d.line_.get_ydata(), production.metrics["drift"].to_numpy())
    assert d.threshold == null.threshold
    assert ax.get_xlabel() == "week" and ax.get_ylabel() == "population stability index"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "no-drift noise (1st to 99th percentile)" in labels and "alert" in labels
    assert len(d.alerts_.get_offsets()) == int((production.metrics["drift"] > null.threshold).sum())


@pytest.mark.parametrize("metric", ["precision", "recall", "value"])
def test_monitoring_display(ax, production, metric):
    d = MonitoringDisplay.from_production(production, metric=metric, period="week", currency="EUR", ax=ax)
    m = production.metrics
    assert np.allclose(d.estimated_line_.get_ydata(), m[f"estimated {metric}"])
    realized = np.asarray(d.realized_line_.get_ydata(), dtype=float)
    known = m["labels known"].to_numpy()
    assert np.allclose(realized[known], m[metric][known]) and np.isnan(realized[~known]).all()
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert f"{metric} estimated without labels" in labels and "labels not yet known" in labels
    assert "_" not in ax.get_ylabel()


def test_policy_display(ax, production):
    comparison = am.compare_policies(production, am.ValueModel(tp=50, fp=-5),
                                     policies=["do_nothing", "rethreshold", "retrain_every_2"], retrain_cost=100)
    d = PolicyDisplay.from_comparison(comparison, ax=ax)
    per = comparison.per_period
    base = per[per["policy"] == "Do nothing"]["cumulative net value"].to_numpy()
    for name, line in d.lines_.items():
        mine = per[per["policy"] == name]["cumulative net value"].to_numpy() - base
        assert np.allclose(line.get_ydata(), mine)
    assert set(d.lines_) == {"Do nothing", "Re-threshold on the estimated prevalence", "Retrain every 2 periods"}
    assert ax.get_ylabel() == "net value compared with doing nothing"
