"""BandDisplay and OptimumDisplay draw the Uncertainty's own arrays, with labels in words."""

import re

import numpy as np
import pytest

import aipm_sim as am
from aipm_sim.core.errors import ParameterError
from aipm_sim.plotting import BandDisplay, OptimumDisplay
from aipm_sim.plotting import uncertainty as pu


@pytest.fixture(scope="module")
def unc():
    sample = am.BinormalModel(prevalence=0.05, auc=0.85, amount_mean=100).sample(3000, seed=1)
    return am.simulate_uncertainty(sample, am.ValueModel(tp=-5, fp=-5, fn_amount=-1), resamples=40,
                                   volume=30_000, period="month", currency="EUR")


def test_band_display_draws_the_band(unc, ax):
    d = BandDisplay.from_uncertainty(unc, "recall", ax=ax)
    band = unc.band("recall")
    finite = np.isfinite(band["threshold"])
    x, y = d.line_.get_data()
    np.testing.assert_array_equal(x, band["threshold"][finite])
    np.testing.assert_array_equal(y, band["median"][finite])
    assert d.ax_ is ax and d.figure_ is ax.figure
    assert d.chosen_line_.get_xdata()[0] == unc.decision.threshold
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[0] == "95% of resamples" and labels[1] == "median of the resamples"
    assert f"chosen threshold {unc.decision.threshold:.4g}" in labels
    assert ax.get_ylabel().startswith("recall")


def test_value_band_speaks_money(unc, ax):
    d = BandDisplay.from_uncertainty(unc, ax=ax)
    assert ax.get_ylabel() == "value per month (EUR)"
    lo, hi = unc.threshold_interval
    assert d.interval_span_ is not None
    assert "best threshold in 95% of resamples" in [t.get_text() for t in ax.get_legend().get_texts()]


def test_optimum_display(unc, ax):
    d = OptimumDisplay.from_uncertainty(unc, ax=ax)
    heights = sum(p.get_height() for p in d.bars_)
    assert heights == np.isfinite(unc.best_thresholds).sum()
    x, y = d.regret_line_.get_data()
    finite = np.isfinite(unc.thresholds)
    np.testing.assert_allclose(y, unc.regret(unc.thresholds)[finite])
    assert d.regret_ax_.get_ylabel() == "expected value lost per month (EUR)"
    assert ax.get_ylabel() == "resamples"


def test_errors():
    with pytest.raises(ParameterError, match=re.escape(pu.MSG_METRIC.format(", ".join(pu.METRIC_WORDS), "f1"))):
        BandDisplay(thresholds=[1], low=[0], median=[0], high=[0], metric="f1")
    with pytest.raises(ParameterError, match=re.escape(pu.MSG_LENGTHS.format([2, 1, 1, 1]))):
        BandDisplay(thresholds=[1, 2], low=[0], median=[0], high=[0], metric="recall")


def test_optimum_display_without_a_volume_names_the_currency_given(ax):
    rng = np.random.default_rng(3)
    ss = am.ScoreSet(scores=rng.random(300), labels=rng.random(300) < 0.3)
    unc = am.simulate_uncertainty(ss, am.ValueModel(tp=10, fp=-2), resamples=5)
    d = OptimumDisplay.from_uncertainty(unc, ax=ax, currency="EUR")
    assert d.regret_ax_.get_ylabel() == "expected value lost, all the data's cases (EUR)"
