"""simulate_uncertainty_dask: the Poisson bootstrap per partition against a brute-force oracle, on every
scheduler, with the data's class totals, covering a known population's recall, and close to the
in-memory stratified bootstrap.

Oracle (a): plain numpy and scipy in this file. Each partition's uniforms come from
``default_rng(SeedSequence([seed, partition]))`` drawn as one (resamples, rows) block (the package
draws them in chunks: the same stream), each row's weight is ``scipy.stats.poisson.ppf(u, 1)``, and
the counts at each threshold are sums over the rows whose score is >= it (a comparison, no buckets).
"""

import re

import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from scipy import stats

import aipm_sim as am
from aipm_sim.core._checks import data_row
from aipm_sim.core.engine.scores import MSG_COLUMN, MSG_LABELS
from aipm_sim.core.errors import DataError, ParameterError
from aipm_sim.core.scale.bootstrap import poisson_partial, poisson_sums
from aipm_sim.core.scale.dask_curve import MSG_NOT_DASK, MSG_SPLIT_EVERY
from aipm_sim.core.scale.partials import MSG_TOO_MANY, MSG_WHERE, partition_name
from aipm_sim.core.uncertainty import bootstrap as bs
from aipm_sim.core.uncertainty.intervals import MSG_CONFIDENCE

from .conftest import write_parts

distributed = pytest.importorskip("distributed")

ROLES = {"score": "score", "label": "fraud", "amount": "amount", "weight": "weight"}
VALUE = am.ValueModel(tp=40, fp=-5, fn=-20, tp_amount=0.5)
SIZES = [700, 0, 300, 1200, 800]  # one partition without rows


def exactly(message):
    return "^" + re.escape(message) + "$"


@pytest.fixture
def lake(tmp_path, rows):
    return dd.read_parquet(write_parts(tmp_path / "lake", rows, SIZES))


def oracle_sums(rows, sizes, thresholds, resamples, seed, first=0):
    """(resamples, 4, m): drawn positives, negatives and their amounts flagged at each threshold (cumulative).

    ``sizes`` are the partitions' rows in order; the first is partition number ``first``.
    """
    out = np.zeros((resamples, 4, len(thresholds)))
    start = 0
    for p, size in enumerate(sizes, start=first):
        part = rows.iloc[start:start + size]
        start += size
        if size == 0:
            continue
        u = np.random.default_rng(np.random.SeedSequence([seed, p])).random((resamples, size))
        k = stats.poisson.ppf(u, 1.0)  # (resamples, rows): times each row is drawn
        w = part["weight"].to_numpy()
        y = part["fraud"].to_numpy()
        a = part["amount"].to_numpy()
        flagged = part["score"].to_numpy()[:, None] >= thresholds[None, :]  # (rows, m)
        for c, cls in enumerate((y, ~y)):
            out[:, c] += (k * (w * cls)) @ flagged
            out[:, c + 2] += (k * (w * a * cls)) @ flagged
    return out


def test_resample_sums_equal_a_brute_force_oracle(lake, rows):
    u = am.simulate_uncertainty_dask(lake, VALUE, **ROLES, resamples=40, seed=7, max_rows=30)
    t = u.thresholds
    expected = oracle_sums(rows, SIZES, t, 40, seed=7)
    parts = lake[list(ROLES.values())].to_delayed()
    names = [partition_name(i, len(parts)) for i in range(len(parts))]
    got = poisson_sums(dask, parts, names, ROLES, t, 40, 7, 32)  # per bucket (m + 1 of them)
    # Quarter weights, whole counts and amounts: every sum is exact, so the cumulative buckets equal it.
    assert_array_equal(np.cumsum(got, axis=2)[:, :, :-1], expected)

    # The rates and values of the result: the oracle's sums rescaled to the data's class totals.
    pos_total = (rows["weight"] * rows["fraud"]).sum()
    neg_total = (rows["weight"] * ~rows["fraud"]).sum()
    drawn = oracle_sums(rows, SIZES, np.array([-np.inf]), 40, seed=7)[:, :, :1]  # every row flagged: totals
    to_pos, to_neg = pos_total / drawn[:, 0], neg_total / drawn[:, 1]
    tp, fp, tp_amount = expected[:, 0] * to_pos, expected[:, 1] * to_neg, expected[:, 2] * to_pos
    pos_amount = drawn[:, 2] * to_pos
    with np.errstate(invalid="ignore"):
        assert_allclose(u.metrics["precision"], np.where(tp + fp > 0, tp / (tp + fp), np.nan), rtol=1e-12)
    assert_allclose(u.metrics["recall"], tp / pos_total, rtol=1e-12)
    assert_allclose(u.metrics["fpr"], fp / neg_total, rtol=1e-12)
    assert_allclose(u.metrics["alert_rate"], (tp + fp) / (pos_total + neg_total), rtol=1e-12)
    fn, fn_amount = pos_total - tp, pos_amount - tp_amount
    assert np.all(fn_amount >= -1e-9)
    value = 40 * tp - 5 * fp - 20 * fn + 0.5 * tp_amount
    assert_allclose(u.metrics["value"], value, rtol=1e-12, atol=1e-9)
    # The decision and the thresholds are those of the exact curve's optimum, as in memory.
    curve = am.ThresholdCurve.from_scores(am.ScoreSet.from_frame(rows, **ROLES))
    assert u.decision.threshold == am.optimize(curve, VALUE).threshold
    assert u.decision.threshold in t


@given(data=st.data(), n=st.integers(1, 40), resamples=st.integers(1, 4), seed=st.integers(0, 2 ** 63 - 1),
       index=st.integers(0, 10 ** 6))
def test_one_partition_equals_the_oracle_with_ties_weights_and_amounts(data, n, resamples, seed, index):
    whole = st.integers(0, 8)
    rows = pd.DataFrame({
        "score": np.array(data.draw(st.lists(whole, min_size=n, max_size=n))) / 8,  # ties
        "fraud": data.draw(st.lists(st.booleans(), min_size=n, max_size=n)),
        "amount": np.array(data.draw(st.lists(st.integers(0, 1000), min_size=n, max_size=n)), dtype=float),
        "weight": np.array(data.draw(st.lists(st.integers(1, 12), min_size=n, max_size=n))) / 4,
    })
    cuts = sorted(set(data.draw(st.lists(whole, min_size=1, max_size=6))), reverse=True)
    thresholds = np.array([np.inf, *(np.array(cuts) / 8 + 1 / 16)])  # between the scores, or above all
    got = poisson_partial(rows, "p", index, ROLES, thresholds, resamples, seed)
    expected = oracle_sums(rows, [n], thresholds, resamples, seed, first=index)
    assert_array_equal(np.cumsum(got, axis=2)[:, :, :-1], expected)
    assert_array_equal(got.sum(axis=2), oracle_sums(rows, [n], np.array([-np.inf]), resamples, seed,
                                                    first=index)[:, :, 0])


def test_the_same_numbers_on_threads_synchronous_and_a_cluster(lake, dask_cluster):
    def run():
        return am.simulate_uncertainty_dask(lake, VALUE, **ROLES, resamples=30, seed=3, max_rows=40,
                                            min_recall=0.3)

    with dask.config.set(scheduler="threads"):
        threads = run()
    with dask.config.set(scheduler="synchronous"):
        synchronous = run()
    with distributed.Client(dask_cluster) as client, distributed.get_task_stream(client) as stream:
        cluster = run()
    assert len(stream.data) >= len(SIZES)  # the partitions' tasks ran on the cluster's workers
    for other in (synchronous, cluster):
        assert_array_equal(other.thresholds, threads.thresholds)
        for name, values in threads.metrics.items():
            assert_array_equal(other.metrics[name], values)
        assert_array_equal(other.best_thresholds, threads.best_thresholds)
        assert_array_equal(other.feasible, threads.feasible)
    # Merged two at a time: the same sums (whole numbers), so the same result.
    pairs = am.simulate_uncertainty_dask(lake, VALUE, **ROLES, resamples=30, seed=3, max_rows=40, min_recall=0.3,
                                         split_every=2)
    assert_array_equal(pairs.metrics["value"], threads.metrics["value"])


def test_rates_are_fractions_and_every_resample_has_the_data_class_totals(lake, rows):
    u = am.simulate_uncertainty_dask(lake, VALUE, **ROLES, resamples=50, grid=25)
    for name in ("precision", "recall", "fpr", "alert_rate"):
        values = u.metrics[name][~np.isnan(u.metrics[name])]
        assert values.min() >= 0 and values.max() <= 1 + 1e-12
    assert_allclose(u.positives, (rows["weight"] * rows["fraud"]).sum(), rtol=1e-12)
    assert_allclose(u.negatives, (rows["weight"] * ~rows["fraud"]).sum(), rtol=1e-12)
    assert isinstance(u, am.Uncertainty) and len(u.thresholds) == 26  # +inf and the 25 edges
    assert not u.metrics["value"].flags.writeable


def test_90_percent_recall_bands_cover_a_known_population_recall():
    # Bernoulli population: a positive scores 1 with chance 0.6 (else 0), a negative with chance 0.1;
    # the recall at threshold 1 is 0.6. 100 data sets of 1500 cases, 10 % positives, 2 partitions each.
    rng = np.random.default_rng(2024)
    covered, trials = 0, 100
    with dask.config.set(scheduler="synchronous"):
        for i in range(trials):
            y = rng.random(1500) < 0.1
            s = np.where(y, rng.random(1500) < 0.6, rng.random(1500) < 0.1).astype(float)
            frame = dd.from_pandas(pd.DataFrame({"score": s, "y": y}), npartitions=2, sort=False)
            u = am.simulate_uncertainty_dask(frame, am.ValueModel(tp=10, fp=-1), score="score", label="y",
                                             grid=[1.0], resamples=200, seed=i, confidence=0.9)
            band = u.band("recall").set_index("threshold").loc[1.0]
            covered += band["low"] <= 0.6 <= band["high"]
    # binomial(100, 0.9): 3 standard deviations either side of 90 covered
    assert abs(covered - 90) <= 9, covered


def test_bands_agree_with_the_in_memory_bootstrap():
    rng = np.random.default_rng(5)
    n = 4000
    y = rng.random(n) < 0.1
    rows = pd.DataFrame({"score": np.round(rng.normal(np.where(y, 1.5, 0.0), 1.0), 3), "y": y,
                         "amount": rng.integers(1, 300, n).astype(float)})
    roles = {"score": "score", "label": "y", "amount": "amount"}
    vm = am.ValueModel(tp=30, fp=-4, fn_amount=-0.2)
    frame = dd.from_pandas(rows, npartitions=4, sort=False)
    with dask.config.set(scheduler="threads"):
        on_dask = am.simulate_uncertainty_dask(frame, vm, **roles, resamples=400, seed=1, max_rows=300)
    in_memory = am.simulate_uncertainty(am.ScoreSet.from_frame(rows, **roles), vm, resamples=400, seed=1,
                                        max_rows=300)
    assert on_dask.decision.threshold == in_memory.decision.threshold
    assert_array_equal(on_dask.thresholds, in_memory.thresholds)
    for metric in ("recall", "precision", "alert_rate"):
        a, b = on_dask.band(metric), in_memory.band(metric)
        for col in ("low", "median", "high"):
            assert np.nanmax(np.abs(a[col] - b[col])[10:]) < 0.03, (metric, col)
    lo_d, hi_d = on_dask.value_interval
    lo_m, hi_m = in_memory.value_interval
    width = hi_m - lo_m
    assert abs(lo_d - lo_m) < 0.2 * width and abs(hi_d - hi_m) < 0.2 * width


def test_errors_name_the_argument_or_the_partition(rows):
    frame = dd.from_pandas(rows, npartitions=3, sort=False)  # 1000 rows each
    bad = rows.astype({"fraud": float})
    bad.loc[1502, "fraud"] = 0.5
    bad_frame = dd.from_pandas(bad, npartitions=3, sort=False)
    cases = [
        ((rows, VALUE), {}, TypeError, MSG_NOT_DASK.format("DataFrame")),
        ((frame, "money"), {}, TypeError, bs.MSG_VALUE_MODEL.format("str")),
        ((frame, VALUE), {"resamples": 0}, ParameterError, bs.MSG_RESAMPLES.format(0)),
        ((frame, VALUE), {"max_rows": 1}, ParameterError, bs.MSG_MAX_ROWS.format(1)),
        ((frame, VALUE), {"seed": -1}, ParameterError, bs.MSG_SEED.format(-1)),
        ((frame, VALUE), {"confidence": 1.5}, ParameterError, MSG_CONFIDENCE.format(1.5)),
        ((frame, VALUE), {"split_every": 1}, ParameterError, MSG_SPLIT_EVERY.format(1)),
        ((frame, VALUE), {"max_distinct": 10}, DataError, MSG_TOO_MANY.format(10)),
        ((frame, VALUE), {"label": "label"}, DataError,
         MSG_COLUMN.format("label", "label", "score, fraud, amount, weight")),
        ((bad_frame, VALUE), {}, DataError,
         MSG_WHERE.format(partition_name(1, 3), MSG_LABELS.format("column 'fraud'", 0.5, 1, data_row(502)))),
    ]
    with dask.config.set(scheduler="synchronous"):
        for args, changes, error, message in cases:
            with pytest.raises(error, match=exactly(message)):
                am.simulate_uncertainty_dask(*args, **{**ROLES, "resamples": 5, **changes})


def test_large_partitions_draw_blocks_of_rows_from_the_same_stream(lake, rows, monkeypatch):
    import aipm_sim.core.scale.bootstrap as boot

    monkeypatch.setattr(boot, "BLOCK", 256)  # every partition (300 to 1200 rows) is drawn in blocks of rows
    t = np.array([np.inf, 0.9, 0.5, 0.25, 0.0])
    parts = lake[list(ROLES.values())].to_delayed()
    names = [partition_name(i, len(parts)) for i in range(len(parts))]
    with dask.config.set(scheduler="synchronous"):
        got = poisson_sums(dask, parts, names, ROLES, t, 7, 11, 32)
    assert_array_equal(np.cumsum(got, axis=2)[:, :, :-1], oracle_sums(rows, SIZES, t, 7, seed=11))


def test_without_amounts_a_partition_sends_two_rows(rows):
    roles = {**ROLES, "amount": None}
    t = np.array([np.inf, 0.5, 0.0])
    got = poisson_partial(rows.iloc[:300], "p", 2, roles, t, 3, 5)
    assert got.shape == (3, 2, 4)
    plain = rows.iloc[:300].assign(amount=0.0)
    assert_array_equal(np.cumsum(got, axis=2)[:, :, :-1], oracle_sums(plain, [300], t, 3, 5, first=2)[:, :2])
