"""The explorer's "show uncertainty" switch: one bootstrap per data or money change, ranges in the readout, bands drawn."""

import re

import matplotlib
import numpy as np
import pytest

import aipm_sim as am
from aipm_sim.widgets import ThresholdExplorer
from aipm_sim.widgets import _uncertainty_toggle as ut

matplotlib.use("Agg")

VM = am.ValueModel(tp=50, fp=-5)


def kpi_values(explorer):
    return re.findall(r'aipm-kpi-value[^>]*>([^<]*)<', explorer.kpis.value)


@pytest.fixture
def explorer():
    sample = am.BinormalModel(prevalence=0.05, auc=0.85).sample(3000, seed=1)
    return ThresholdExplorer(sample, VM, render=False, min_recall=0.5), sample


def test_ranges_in_the_readout_are_the_bootstraps(explorer):
    e, sample = explorer
    toggle = e.uncertainty_toggle
    assert not toggle.checkbox.disabled and kpi_values(e)[1].count("(") == 0
    toggle.checkbox.value = True
    assert e.last_error is None and toggle.computations == 1
    u = am.simulate_uncertainty(sample, VM, resamples=ut.RESAMPLES, confidence=ut.CONFIDENCE, min_recall=0.5)
    band = u.band("recall")
    row = int(np.flatnonzero(band["threshold"].to_numpy() == e.result.threshold)[0])
    low, high = band["low"][row], band["high"][row]
    assert kpi_values(e)[1] == f"{100 * e.result.point.recall:.1f}% ({100 * low:.1f}% – {100 * high:.1f}%)"
    assert len(toggle._artists) == 4  # the value band and three metric bands


def test_one_bootstrap_per_money_change_not_per_slider_move(explorer):
    e, _ = explorer
    toggle = e.uncertainty_toggle
    toggle.checkbox.value = True
    for t in (0.2, 0.3, 0.4):
        e.threshold.value = t
    assert toggle.computations == 1
    e.value_inputs["fp"].value = -6
    assert toggle.computations == 2 and toggle.uncertainty.decision.value_model.fp == -6
    toggle.checkbox.value = False
    assert toggle._artists == [] and "(" not in kpi_values(e)[1]


def test_exact_model_has_no_cases_to_resample():
    e = ThresholdExplorer(am.BinormalModel(prevalence=0.05, auc=0.85), VM, render=False)
    box = e.uncertainty_toggle.checkbox
    assert box.disabled and box.tooltip == ut.MSG_NO_CASES
