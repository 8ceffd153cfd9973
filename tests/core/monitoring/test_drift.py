"""Drift statistics against closed forms (population PSI, normal shifts) and scipy."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats
from scipy.spatial import distance

import aipm_sim as am
from aipm_sim.core.errors import DataError, ParameterError
from aipm_sim.core.monitoring import drift as drift_module
from aipm_sim.core.monitoring.drift import (MSG_BINS, MSG_CONSTANT, MSG_EMPTY, MSG_METHOD, MSG_N_CURRENT,
                                            MSG_RESAMPLES)


def population_psi(delta, bins=10):
    """PSI between N(0, 1) and N(delta, 1) on the deciles of N(0, 1), from the normal cdf."""
    edges = np.concatenate([[-np.inf], stats.norm.ppf(np.arange(1, bins) / bins), [np.inf]])
    p = np.diff(stats.norm.cdf(edges))
    q = np.diff(stats.norm.cdf(edges - delta))
    return float(np.sum((q - p) * np.log(q / p)))


@pytest.mark.parametrize("delta, published", [(0.1, 0.0096), (0.2, 0.038), (0.3, 0.086), (0.5, 0.238)])
def test_psi_of_a_million_cases_is_the_population_psi(delta, published):
    rng = np.random.default_rng(10)
    reference = rng.standard_normal(1_000_000)
    current = rng.standard_normal(1_000_000) + delta
    truth = population_psi(delta)
    assert truth == pytest.approx(published, rel=0.02)  # the rounded references
    result = am.drift_statistic(reference, current, method="psi")
    assert result.statistic == pytest.approx(truth, rel=0.05)
    assert math.isnan(result.p_value)
    assert result.threshold == 0.1
    assert result.drifted == (result.statistic > 0.1)


@pytest.mark.parametrize("n1, n2, decimals", [(300, 200, None), (400, 250, 1), (20_000, 15_000, None),
                                              (30_000, 12_000, 1)])
def test_ks_equals_scipy(n1, n2, decimals):
    rng = np.random.default_rng(n1)
    a = rng.standard_normal(n1)
    b = rng.standard_normal(n2) + 0.05
    if decimals is not None:  # ties within and across the samples
        a, b = np.round(a, decimals), np.round(b, decimals)
    ours = am.drift_statistic(a, b, method="ks")
    ref = stats.ks_2samp(a, b)
    assert ours.statistic == ref.statistic
    assert ours.p_value == pytest.approx(ref.pvalue, rel=1e-12, abs=1e-300)


@given(st.lists(st.integers(0, 5), min_size=1, max_size=30), st.lists(st.integers(0, 5), min_size=1, max_size=30))
def test_ks_statistic_and_wasserstein_with_ties_equal_scipy(a, b):
    a = np.sort(np.asarray(a, dtype=float))
    b = np.sort(np.asarray(b, dtype=float))
    # the large-sample path (scipy's exact mode rounds its statistic to a multiple of 1 / lcm(n1, n2));
    # scipy's p-value and distance divide by zero on one-point samples: its warnings are not ours
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        ks = stats.ks_2samp(a, b, method="asymp").statistic
        expected = stats.wasserstein_distance(a, b)
    assert drift_module._ks_statistic(a, b) == ks
    assert drift_module._wasserstein(a, b) == pytest.approx(expected, abs=1e-12)


def test_wasserstein_is_the_shift_in_reference_standard_deviations():
    rng = np.random.default_rng(3)
    reference = 2.0 * rng.standard_normal(200_000)
    current = 2.0 * rng.standard_normal(200_000) + 1.0  # half a standard deviation
    result = am.drift_statistic(reference, current, method="wasserstein")
    assert result.statistic == pytest.approx(0.5, abs=0.02)
    assert result.statistic == pytest.approx(stats.wasserstein_distance(reference, current) / np.std(reference))


def test_js_distance_base_2_on_reference_deciles():
    rng = np.random.default_rng(4)
    reference = rng.standard_normal(5_000)
    current = rng.standard_normal(3_000) + 0.3
    edges = np.quantile(reference, np.arange(1, 10) / 10, method="inverted_cdf")
    p = np.bincount(np.searchsorted(edges, reference, side="left"), minlength=10) / reference.size
    q = np.bincount(np.searchsorted(edges, current, side="left"), minlength=10) / current.size
    m = (p + q) / 2
    js = math.sqrt(0.5 * np.sum(p * np.log2(p / m)) + 0.5 * np.sum(q * np.log2(q / m)))
    assert am.drift_statistic(reference, current, method="js").statistic == pytest.approx(js, rel=1e-12)
    assert am.drift_statistic(reference, reference, method="js").statistic == 0.0


def test_psi_floors_empty_bins_and_accepts_score_sets():
    reference = np.arange(100, dtype=float)
    current = np.full(50, 99.0)  # every current case in the top bin
    p = np.full(10, 0.1)
    q = np.maximum(np.eye(10)[9], 1e-4)
    expected = float(np.sum((q - p) * np.log(q / p)))
    ref_set = am.ScoreSet(reference, reference > 50)
    assert am.drift_statistic(ref_set, current).statistic == pytest.approx(expected)
    assert am.drift_statistic(ref_set, current).describe().endswith("(major shift)")


def test_tied_reference_merges_edges():
    reference = np.repeat([0.0, 1.0], 50)
    assert am.drift_statistic(reference, reference).statistic == 0.0
    assert np.array_equal(drift_module.quantile_edges(reference, 10), [0.0, 1.0])


def test_psi_bands_in_words():
    assert [am.psi_band(x) for x in (0.05, 0.1, 0.2, 0.25, math.nan)] == [
        "stable", "moderate shift", "moderate shift", "major shift", "unknown"]


def test_result_is_frozen():
    result = am.drift_statistic([0.0, 1.0, 2.0], [0.5, 1.5])
    with pytest.raises(AttributeError):
        result.statistic = 0.0
    assert set(result.to_dict()) == {"method", "statistic", "p_value", "threshold", "drifted", "n_reference",
                                     "n_current"}


def test_no_drift_null_threshold_is_exceeded_about_one_percent_of_the_time():
    # 40 references of one distribution; for each, the 99th-percentile threshold at 200 current cases,
    # then 50 fresh current samples of the same distribution: about 1 % of the 2000 should exceed it.
    rng = np.random.default_rng(2026)
    exceeded = trials = 0
    for i in range(40):
        reference = rng.standard_normal(500)
        null = am.drift_null(reference, 200, method="psi", resamples=200, seed=i)
        assert null.threshold == pytest.approx(np.quantile(null.statistics, 0.99))
        for _ in range(50):
            exceeded += am.drift_statistic(reference, rng.standard_normal(200), threshold=null.threshold).drifted
            trials += 1
    assert 0.002 <= exceeded / trials <= 0.025


def test_null_shrinks_with_the_sample_size():
    rng = np.random.default_rng(5)
    reference = rng.standard_normal(5_000)
    small = am.drift_null(reference, 200, method="ks", resamples=50, seed=1)
    large = am.drift_null(reference, 5_000, method="ks", resamples=50, seed=1)
    assert large.threshold < small.threshold
    assert np.all(np.diff(small.statistics) >= 0)
    assert not small.statistics.flags.writeable
    assert small.percentile_of(np.inf) == 1.0
    again = am.drift_null(reference, 200, method="ks", resamples=50, seed=1)
    assert np.array_equal(again.statistics, small.statistics)


ERRORS = [
    (lambda: am.drift_statistic([1.0, np.nan], [1.0]), DataError, "reference must be finite numbers; found nan in 1 row(s), first at data row 2 (counting from 1)"),
    (lambda: am.drift_statistic([1.0], ["a"]), DataError, "current must be numeric; found 'a' at data row 1 (counting from 1)"),
    (lambda: am.drift_statistic([], [1.0]), DataError, MSG_EMPTY.format("reference")),
    (lambda: am.drift_statistic([1.0], [1.0], method="chi2"), ParameterError,
     MSG_METHOD.format("'psi', 'ks', 'js', 'wasserstein'", "chi2")),
    (lambda: am.drift_statistic([1.0], [1.0], bins=1), ParameterError, MSG_BINS.format(1)),
    (lambda: am.drift_statistic([1.0, 1.0], [1.0], method="wasserstein"), DataError, MSG_CONSTANT.format(1.0)),
    (lambda: am.drift_statistic([1.0], [1.0], threshold=-1), ParameterError, "threshold must be in [0, inf); found -1"),
    (lambda: am.drift_null([1.0, 2.0], 0, seed=0), ParameterError, MSG_N_CURRENT.format(0)),
    (lambda: am.drift_null([1.0, 2.0], 5, resamples=3, seed=0), ParameterError, MSG_RESAMPLES.format(3)),
    (lambda: am.drift_null([1.0, 2.0], 5, quantile=1.0, seed=0), ParameterError, "quantile must be in (0, 1); found 1.0"),
]


@pytest.mark.parametrize("call, error, message", ERRORS)
def test_errors(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert str(info.value) == message


@given(st.lists(st.integers(0, 6), min_size=1, max_size=40), st.integers(1, 30), st.sampled_from(["psi", "js"]),
       st.integers(2, 12), st.integers(0, 1_000))
def test_binned_null_equals_resampling_by_hand(reference, n_current, method, bins, seed):
    # the no-drift statistics for PSI and JS come from counts per sorted reference value, not from sorting
    # each resample: they must equal, draw for draw, the statistic of the resampled arrays
    reference = np.asarray(reference, dtype=float) / 6  # ties
    rng = np.random.default_rng(seed)
    by_hand = []
    for _ in range(10):
        r = reference[rng.integers(0, reference.size, reference.size)]
        c = reference[rng.integers(0, reference.size, n_current)]
        edges = np.unique(np.quantile(r, np.arange(1, bins) / bins, method="inverted_cdf"))
        p = np.array([np.mean((r > lo) & (r <= hi)) for lo, hi in zip(np.r_[-np.inf, edges], np.r_[edges, np.inf])])
        q = np.array([np.mean((c > lo) & (c <= hi)) for lo, hi in zip(np.r_[-np.inf, edges], np.r_[edges, np.inf])])
        if method == "psi":
            p, q = np.maximum(p, 1e-4), np.maximum(q, 1e-4)
            by_hand.append(np.sum((q - p) * np.log(q / p)))
        else:
            by_hand.append(distance.jensenshannon(p, q, base=2) if np.any(p != q) else 0.0)
    null = am.drift_null(reference, n_current, method=method, bins=bins, resamples=10, seed=seed)
    assert null.statistics == pytest.approx(np.sort(by_hand), abs=1e-12)


def test_psi_and_js_against_numpy_quantiles_and_scipy():
    rng = np.random.default_rng(12)
    reference = rng.standard_normal(7_777)
    current = 1.2 * rng.standard_normal(3_333) + 0.1
    edges = np.r_[-np.inf, np.quantile(reference, np.arange(1, 10) / 10, method="inverted_cdf"), np.inf]
    p = np.array([np.mean((reference > lo) & (reference <= hi)) for lo, hi in zip(edges[:-1], edges[1:])])
    q = np.array([np.mean((current > lo) & (current <= hi)) for lo, hi in zip(edges[:-1], edges[1:])])
    assert am.drift_statistic(reference, current).statistic == pytest.approx(np.sum((q - p) * np.log(q / p)),
                                                                           rel=1e-12)
    assert am.drift_statistic(reference, current, method="js").statistic == pytest.approx(
        distance.jensenshannon(p, q, base=2), rel=1e-9)
