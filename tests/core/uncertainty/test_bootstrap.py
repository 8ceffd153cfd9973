"""simulate_uncertainty: every resample against a brute-force rebuild, stratification, reproducibility, readers, errors."""

import re
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import aipm_sim as am
from aipm_sim.core.errors import ParameterError
from aipm_sim.core.uncertainty import bootstrap as bs
from aipm_sim.core.uncertainty._resample import Strata

@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(7)
    n = 80
    y = rng.random(n) < 0.3
    s = np.round(rng.normal(size=n) + y, 1)  # ties
    w = rng.choice([1.0, 2.5, 4.0], size=n)
    a = rng.gamma(2.0, 50.0, size=n)
    return am.ScoreSet(s, y, weights=w, amounts=a)


VM = am.ValueModel(tp=-5, fp=-5, fn_amount=-1, tp_amount=0.2)


def test_each_resample_equals_a_brute_force_rebuild(data):
    """The drawn cases come from the kernel (its recorded draws); every count, rate and value is rebuilt here."""
    u = am.simulate_uncertainty(data, VM, resamples=4, seed=11, volume=1000, min_recall=0.3)
    seeds = np.random.SeedSequence(11).generate_state(4, dtype=np.uint32)
    grid = u.thresholds
    bucket = len(grid) - np.searchsorted(grid[::-1], data.scores, side="right")
    strata = Strata(bucket, data.labels, data.weights, data.amounts, len(grid) + 1)
    for r in range(4):
        ip, ineg = strata.drawn_cases(seeds[r])
        assert len(ip) == data.labels.sum() and len(ineg) == (~data.labels).sum()  # stratified
        assert data.labels[ip].all() and not data.labels[ineg].any()
        rows = np.concatenate([ip, ineg])
        sub = am.ScoreSet(data.scores[rows], data.labels[rows], weights=data.weights[rows],
                          amounts=data.amounts[rows])
        curve = am.ThresholdCurve.from_scores(sub)
        for k, t in enumerate(u.thresholds):  # brute force at every threshold, flagging score >= t
            flagged = sub.scores >= t
            w, yy, amt = sub.weights, sub.labels, sub.amounts
            tp, fp = w[flagged & yy].sum(), w[flagged & ~yy].sum()
            P, N = w[yy].sum(), w[~yy].sum()
            assert u.metrics["recall"][r, k] == pytest.approx(tp / P, abs=1e-12)
            assert u.metrics["fpr"][r, k] == pytest.approx(fp / N, abs=1e-12)
            assert u.metrics["alert_rate"][r, k] == pytest.approx((tp + fp) / (P + N), abs=1e-12)
            fn_amount = (w * amt)[~flagged & yy].sum()
            tp_amount = (w * amt)[flagged & yy].sum()
            value = (-5 * (tp + fp) - fn_amount + 0.2 * tp_amount) * 1000 / (P + N)
            assert u.metrics["value"][r, k] == pytest.approx(value, rel=1e-9, abs=1e-9)
        own = am.optimize(curve, VM, volume=1000, min_recall=0.3)
        assert u.best_values[r] == pytest.approx(own.value, rel=1e-9)
    assert u.positives.shape == (4,)


def test_bucket_counts_are_multinomial():
    """Unweighted data draw only the buckets' counts: mean and variance of a bucket's share against the binomial."""
    rng = np.random.default_rng(0)
    n = 400
    bucket = rng.integers(0, 5, n)
    labels = np.zeros(n, dtype=bool)
    labels[:100] = True
    strata = Strata(bucket, labels, None, None, 5)
    pos, neg, _, _ = strata.resample(np.arange(2000, dtype=np.uint32))
    assert (pos.sum(axis=1) == 100).all() and (neg.sum(axis=1) == 300).all()
    share = (bucket[labels] == 2).mean()
    assert pos[:, 2].mean() == pytest.approx(100 * share, rel=0.03)
    assert pos[:, 2].var() == pytest.approx(100 * share * (1 - share), rel=0.15)


def test_stratified_and_reproducible():
    model = am.BinormalModel(prevalence=0.02, auc=0.8)
    sample = model.sample(3000, seed=3)
    a = am.simulate_uncertainty(sample, am.ValueModel(tp=10, fp=-1), resamples=30, seed=5)
    b = am.simulate_uncertainty(sample, am.ValueModel(tp=10, fp=-1), resamples=30, seed=5)
    c = am.simulate_uncertainty(sample, am.ValueModel(tp=10, fp=-1), resamples=30, seed=6)
    positives = int(sample.labels.sum())
    assert np.all(a.positives == positives) and np.all(a.negatives == len(sample) - positives)
    for name in bs.BAND_METRICS:
        np.testing.assert_array_equal(a.metrics[name], b.metrics[name])
    np.testing.assert_array_equal(a.best_thresholds, b.best_thresholds)
    assert not np.array_equal(a.metrics["recall"], c.metrics["recall"])
    assert not a.metrics["recall"].flags.writeable and not a.best_thresholds.flags.writeable


def test_readers_against_the_stored_resamples(data):
    u = am.simulate_uncertainty(data, VM, resamples=50, seed=1, min_recall=0.4, max_alert_rate=0.6)
    decision = am.optimize(am.ThresholdCurve.from_scores(data), VM, min_recall=0.4, max_alert_rate=0.6)
    assert u.decision.threshold == decision.threshold and u.decision.value == decision.value
    band = u.band("recall")
    assert list(band.columns) == ["threshold", "low", "median", "high"]
    np.testing.assert_array_equal(band["threshold"], u.thresholds)
    np.testing.assert_allclose(band["median"], np.median(u.metrics["recall"], axis=0))
    np.testing.assert_allclose(band["low"], np.quantile(u.metrics["recall"], 0.025, axis=0))
    assert (band["low"] <= band["median"]).all() and (band["median"] <= band["high"]).all()
    k = int(np.flatnonzero(u.thresholds == decision.threshold)[0])
    # regret: mean over resamples of (own best − value at the threshold), brute force
    ok = ~np.isnan(u.best_values)
    assert u.regret(decision.threshold) == pytest.approx(np.mean(u.best_values[ok] - u.metrics["value"][ok, k]))
    free = am.simulate_uncertainty(data, VM, resamples=20, seed=1)
    assert (free.regret(free.thresholds) >= -1e-9).all()  # without constraints never negative
    np.testing.assert_allclose(u.regret(np.array([decision.threshold, u.thresholds[1]])),
                               [u.regret(decision.threshold), u.regret(u.thresholds[1])])
    # probability_meets: share of resamples with every constraint at that row
    meets = (u.metrics["recall"][:, k] >= 0.4 - 1e-12) & (u.metrics["alert_rate"][:, k] <= 0.6 + 1e-12)
    assert u.probability_meets(decision.threshold) == pytest.approx(meets.mean())
    lo, hi = u.value_interval
    assert lo == pytest.approx(np.quantile(u.metrics["value"][:, k], 0.025))
    tlo, thi = u.threshold_interval
    assert tlo <= np.nanmedian(u.best_thresholds) <= thi
    frame = u.bands_frame()
    assert list(frame.columns)[:4] == ["threshold", "precision_low", "precision_median", "precision_high"]
    assert "value_high" in frame.columns and len(frame) == len(u.thresholds)
    assert "Uncertainty(50 resamples" in repr(u)


def test_grid_is_thinned_and_keeps_the_decision():
    sample = am.BinormalModel(prevalence=0.1, auc=0.8).sample(4000, seed=2)
    u = am.simulate_uncertainty(sample, am.ValueModel(tp=10, fp=-1), resamples=3, max_rows=50)
    assert len(u.thresholds) <= 52 and u.thresholds[0] == np.inf
    assert u.decision.threshold in u.thresholds
    assert (np.diff(u.thresholds[1:]) < 0).all()


def test_progress_is_told_of_every_resample(data):
    class Counter:
        done = 0

        def update(self, n):
            Counter.done += n

    told = am.simulate_uncertainty(data, VM, resamples=23, seed=4, progress=Counter())
    assert Counter.done == 23
    # with a progress bar the resamples are drawn in batches, without it in one call: the same numbers
    silent = am.simulate_uncertainty(data, VM, resamples=23, seed=4)
    for name in bs.BAND_METRICS:
        np.testing.assert_array_equal(told.metrics[name], silent.metrics[name])
    np.testing.assert_array_equal(told.best_thresholds, silent.best_thresholds)


def test_unweighted_without_amounts_runs_and_bands_a_frame():
    sample = am.BinormalModel(prevalence=0.2, auc=0.7).sample(300, seed=1)
    u = am.simulate_uncertainty(sample, am.ValueModel(tp=3, fp=-1), resamples=5)
    assert isinstance(u.band("value"), pd.DataFrame)
    assert np.all(u.positives == sample.labels.sum())


ERRORS = [
    ({"resamples": 0}, ParameterError, bs.MSG_RESAMPLES.format(0)),
    ({"resamples": 2.5}, ParameterError, bs.MSG_RESAMPLES.format(2.5)),
    ({"confidence": 1.2}, ParameterError, "confidence must be a number in (0, 1), e.g. 0.95; found 1.2"),
    ({"max_rows": 1}, ParameterError, bs.MSG_MAX_ROWS.format(1)),
    ({"seed": -1}, ParameterError, bs.MSG_SEED.format(-1)),
    ({"seed": 1.5}, ParameterError, bs.MSG_SEED.format(1.5)),
    ({"seed": "x"}, ParameterError, bs.MSG_SEED.format("x")),
    ({"min_recall": 2}, ParameterError, "min_recall must be in [0, 1]; found 2"),
    ({"min_recal": 0.5}, TypeError, "unknown constraint 'min_recal'"),
]


@pytest.mark.parametrize("kwargs, error, message", ERRORS)
def test_errors(data, kwargs, error, message):
    with pytest.raises(error, match=re.escape(message)):
        am.simulate_uncertainty(data, VM, **kwargs)


def test_type_and_reader_errors(data):
    with pytest.raises(TypeError, match=re.escape(bs.MSG_SCORE_SET.format("list"))):
        am.simulate_uncertainty([1, 2], VM)
    with pytest.raises(TypeError, match=re.escape(bs.MSG_VALUE_MODEL.format("dict"))):
        am.simulate_uncertainty(data, {})
    u = am.simulate_uncertainty(data, VM, resamples=2)
    with pytest.raises(ParameterError, match=re.escape(bs.MSG_BAND_METRIC.format(", ".join(bs.BAND_METRICS), "f1"))):
        u.band("f1")
    with pytest.raises(ParameterError, match="threshold must be a number"):
        u.regret(float("nan"))


@given(arrays(np.float64, st.tuples(st.integers(1, 30), st.integers(1, 8)),
              elements=st.one_of(st.floats(-1e6, 1e6), st.just(np.nan))),
       st.floats(0, 1))
def test_nan_quantiles_equal_numpy(values, q):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # numpy warns on all-NaN columns
        expected = np.nanquantile(values, [q, 0.5], axis=0)
    # numpy places the quantile at n*q + 1 - q - 1, we at q*(n - 1): the same point to a few roundings,
    # so the values agree to a few roundings of the column's scale (not of the value, which may be ~0).
    scale = np.nanmax(np.abs(values), initial=1.0)
    np.testing.assert_allclose(bs.nan_quantiles(values, (q, 0.5)), expected, rtol=1e-9, atol=1e-10 * scale)


@settings(max_examples=25)
@given(st.data())
def test_resample_counts_equal_brute_force_on_random_data(draw):
    n = draw.draw(st.integers(4, 40))
    scores = np.array(draw.draw(st.lists(st.sampled_from([0.1, 0.2, 0.3, 0.5, 0.8]), min_size=n, max_size=n)))
    labels = np.array(draw.draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    labels[0], labels[1] = True, False  # both classes
    weights = np.array(draw.draw(st.lists(st.sampled_from([0.5, 1.0, 3.0]), min_size=n, max_size=n)))
    amounts = np.array(draw.draw(st.lists(st.floats(0, 100), min_size=n, max_size=n)))
    data = am.ScoreSet(scores, labels, weights=weights, amounts=amounts)
    seed = draw.draw(st.integers(0, 2 ** 16))
    u = am.simulate_uncertainty(data, VM, resamples=2, seed=seed)
    grid = u.thresholds
    bucket = len(grid) - np.searchsorted(grid[::-1], data.scores, side="right")
    strata = Strata(bucket, data.labels, data.weights, data.amounts, len(grid) + 1)
    r_seed = np.random.SeedSequence(seed).generate_state(2, dtype=np.uint32)[1]
    ip, ineg = strata.drawn_cases(r_seed)
    rows = np.concatenate([ip, ineg])
    s, y, w = data.scores[rows], data.labels[rows], data.weights[rows]
    for k, t in enumerate(grid):
        tp = w[(s >= t) & y].sum()
        assert u.metrics["recall"][1, k] == pytest.approx(tp / w[y].sum(), abs=1e-12)


@pytest.mark.parametrize("with_weights, with_amounts", [(True, True), (True, False), (False, True), (False, False)])
def test_bucket_sums_equal_the_recorded_draws(data, with_weights, with_amounts):
    """Each path of the kernel (weights and/or amounts, or neither) against sums over its recorded draws."""
    w = data.weights if with_weights else None
    a = data.amounts if with_amounts else None
    grid = np.unique(data.scores)[::-1]
    bucket = len(grid) - np.searchsorted(grid[::-1], data.scores, side="right")
    strata = Strata(bucket, data.labels, w, a, len(grid) + 1)
    seeds = np.random.SeedSequence(3).generate_state(3, dtype=np.uint32)
    pos, neg, pos_a, neg_a = strata.resample(seeds)
    for r, seed in enumerate(seeds):
        for rows, counts, amounts in zip(strata.drawn_cases(seed), (pos[r], neg[r]), (pos_a[r], neg_a[r])):
            weight = np.ones(len(data)) if w is None else w
            expected = np.bincount(bucket[rows], weights=weight[rows], minlength=len(grid) + 1)
            if with_weights or with_amounts:  # the recorded cases are the ones summed
                np.testing.assert_allclose(counts, expected, rtol=1e-12)
            else:  # only the buckets' counts are drawn, from the same binomials
                np.testing.assert_array_equal(counts, expected)
            if with_amounts:
                np.testing.assert_allclose(amounts, np.bincount(bucket[rows], weights=(a * weight)[rows],
                                                                minlength=len(grid) + 1), rtol=1e-12, atol=1e-9)


@pytest.mark.parametrize("with_weights", [True, False])
def test_a_class_whose_amounts_are_not_priced_is_drawn_as_counts_only(data, with_weights):
    """fn_amount alone prices only the positives' amounts: the negatives' are skipped, nothing else changes."""
    w = data.weights if with_weights else None
    grid = np.unique(data.scores)[::-1]
    bucket = len(grid) - np.searchsorted(grid[::-1], data.scores, side="right")
    seeds = np.random.SeedSequence(5).generate_state(4, dtype=np.uint32)
    both = Strata(bucket, data.labels, w, data.amounts, len(grid) + 1).resample(seeds)
    pos_only = Strata(bucket, data.labels, w, data.amounts, len(grid) + 1,
                      amount_classes=(True, False)).resample(seeds)
    for i in range(3):  # the counts of both classes and the positives' amounts: bit for bit
        np.testing.assert_array_equal(pos_only[i], both[i])
    assert not pos_only[3].any()
    # and the value of every resample is the one of a value model whose amounts are summed for both classes
    data_w = am.ScoreSet(data.scores, data.labels, weights=w, amounts=data.amounts)
    vm = am.ValueModel(tp=-5, fp=-5, fn_amount=-1)
    u = am.simulate_uncertainty(data_w, vm, resamples=6, seed=2)
    full = am.simulate_uncertainty(data_w, am.ValueModel(tp=-5, fp=-5, fn_amount=-1, fp_amount=1e-300), resamples=6,
                                   seed=2)
    np.testing.assert_allclose(u.metrics["value"], full.metrics["value"], rtol=1e-12, atol=1e-9)
    np.testing.assert_array_equal(u.metrics["recall"], full.metrics["recall"])


def test_row_at_is_the_last_grid_threshold_at_or_above():
    rng = np.random.default_rng(5)
    scores = rng.integers(0, 50, 400) / 50
    ss = am.ScoreSet(scores=scores, labels=rng.random(400) < 0.3)
    u = am.simulate_uncertainty(ss, am.ValueModel(tp=10, fp=-2), resamples=5, max_rows=10)
    grid = u.thresholds  # decreasing, +inf first
    for t in (-1.0, 0.0, 0.13, 0.5, 0.97, 1.0, 2.0):
        at_or_above = np.flatnonzero(grid >= t)  # brute force: every grid row at or above t
        assert u.row_at(t) == at_or_above[-1]
    assert list(u.row_at(np.array([2.0, 0.0]))) == [0, len(grid) - 1]
