"""ThresholdCurve.from_dask on the default threaded scheduler: equal to the in-memory curve, same validation.

The oracle is the in-memory path (ThresholdCurve.from_scores on the same rows, itself tested against
scikit-learn and brute force in tests/core/engine): equal by ==, array by array.
"""

import math
import re
import warnings

import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_array_equal

import aipm_sim as am
from aipm_sim.core._checks import MSG_NOT_FINITE, data_row
from aipm_sim.core.engine.binned import MSG_GRID
from aipm_sim.core.engine.scores import MSG_COLUMN, MSG_EMPTY, MSG_LABELS, MSG_NEGATIVE_AMOUNT, MSG_WEIGHT
from aipm_sim.core.errors import DataError, DegenerateWarning, ParameterError
from aipm_sim.core.scale.dask_curve import MSG_MAX_ROWS, MSG_NOT_DASK, curve_from_dask
from aipm_sim.core.scale.partials import MSG_TOO_MANY, MSG_WHERE, partition_name

from .conftest import scored_rows, write_parts

ROLES = {"score": "score", "label": "fraud", "amount": "amount", "weight": "weight"}
FIELDS = ("thresholds", "tp", "fp", "tp_amount", "fp_amount")


def exactly(message):
    return "^" + re.escape(message) + "$"


@pytest.fixture(autouse=True)
def threads():
    with dask.config.set(scheduler="threads"):
        yield


def in_memory(frame, grid=None, **roles):
    roles = roles or ROLES
    return am.ThresholdCurve.from_scores(am.ScoreSet.from_frame(frame, **roles), grid=grid)


def assert_same_curve(got, expected):
    assert type(got) is type(expected)
    for name in FIELDS:
        a, b = getattr(got, name), getattr(expected, name)
        if b is None:
            assert a is None
        else:
            assert_array_equal(a, b, strict=True)
    for name in ("positives", "negatives", "positive_amount", "negative_amount"):
        assert getattr(got, name) == getattr(expected, name)
    if isinstance(expected, am.BinnedCurve):
        assert_array_equal(got.bin_edges, expected.bin_edges)
        assert got.resolution == expected.resolution


@pytest.mark.parametrize("n_parts", [1, 3, 8])
def test_exact_curve_from_parquet_equals_the_in_memory_curve(tmp_path, rows, n_parts):
    sizes = np.diff(np.linspace(0, len(rows), n_parts + 1).astype(int))
    frame = dd.read_parquet(write_parts(tmp_path / "lake", rows, sizes))
    assert frame.npartitions == n_parts
    got = am.ThresholdCurve.from_dask(frame, **ROLES)
    assert_same_curve(got, in_memory(rows))
    assert len(got) == rows["score"].nunique() + 1  # one row per distinct score, after row 0


def test_partitions_of_a_single_class_or_no_rows(tmp_path, rows):
    # Sorted by label: the first files hold negatives only, the last positives only; one file is empty.
    ordered = rows.sort_values("fraud", kind="stable").reset_index(drop=True)
    n_neg = int((~ordered["fraud"]).sum())
    sizes = [n_neg - 100, 0, 100, len(ordered) - n_neg - 7, 7]
    frame = dd.read_parquet(write_parts(tmp_path / "lake", ordered, sizes))
    assert frame.map_partitions(len).compute().tolist() == sizes
    assert_same_curve(am.ThresholdCurve.from_dask(frame, **ROLES), in_memory(ordered))
    assert_same_curve(am.ThresholdCurve.from_dask(frame, **ROLES, grid=50), in_memory(ordered, grid=50))


def test_filtered_partitions_without_rows(rows):
    frame = dd.from_pandas(rows, npartitions=6)
    high = frame[frame["score"] >= 0.9]
    expected = in_memory(rows[rows["score"] >= 0.9])
    assert_same_curve(am.ThresholdCurve.from_dask(high, **ROLES), expected)


@settings(max_examples=25)
@given(st.lists(st.tuples(st.integers(0, 6).map(lambda k: k / 6 - 0.5), st.booleans(),
                          st.integers(1, 8).map(lambda k: k / 4), st.integers(0, 9).map(float)),
                min_size=1, max_size=50),
       st.integers(1, 7), st.sampled_from(["all", "plain", "weights", "amounts"]))
def test_property_equal_to_in_memory_with_ties_weights_and_amounts(data, n_parts, kind):
    frame = pd.DataFrame(data, columns=["score", "fraud", "weight", "amount"])
    roles = {"score": "score", "label": "fraud",
             "amount": "amount" if kind in ("all", "amounts") else None,
             "weight": "weight" if kind in ("all", "weights") else None}
    with warnings.catch_warnings():  # single-class samples warn in both paths alike
        warnings.simplefilter("ignore", DegenerateWarning)
        expected = in_memory(frame, **roles)
        # Two at a time: the deepest tree of merges.
        got = curve_from_dask(dd.from_pandas(frame, npartitions=n_parts), **roles, split_every=2)
    assert_same_curve(got, expected)


@pytest.mark.parametrize("grid", [7, 1000, [0.1, 0.25, 0.5, 0.55, 2.0]])
def test_binned_curve_from_parquet_equals_the_in_memory_binned_curve(tmp_path, rows, grid):
    frame = dd.read_parquet(write_parts(tmp_path / "lake", rows, [1000, 500, 1500]))
    got = am.ThresholdCurve.from_dask(frame, **ROLES, grid=grid)
    assert_same_curve(got, in_memory(rows, grid=grid))
    exact = in_memory(rows)
    r = exact.index_at(got.thresholds)
    assert_array_equal(got.tp, exact.tp[r])
    assert_array_equal(got.fp_amount, exact.fp_amount[r])


def test_without_amounts_or_weights(rows):
    frame = dd.from_pandas(rows, npartitions=4)
    roles = {"score": "score", "label": "fraud"}
    got = am.ThresholdCurve.from_dask(frame, **roles)
    assert_same_curve(got, in_memory(rows, **roles))
    assert not got.has_amounts


def test_no_positives_warns_as_in_memory(rows):
    negatives = rows[~rows["fraud"]]
    with pytest.warns(DegenerateWarning, match="no positive cases"):
        got = am.ThresholdCurve.from_dask(dd.from_pandas(negatives, npartitions=3), **ROLES)
    assert got.positives == 0


def test_too_many_distinct_scores_says_so_and_suggests_a_grid():
    frame = dd.from_pandas(scored_rows(500, seed=2), npartitions=4)
    with pytest.raises(DataError, match=exactly(MSG_TOO_MANY.format(20))):
        am.ThresholdCurve.from_dask(frame, **ROLES, max_rows=20)
    assert "grid=K" in MSG_TOO_MANY
    # 21 distinct scores fit a limit of 21; the binned path has no such limit.
    assert len(am.ThresholdCurve.from_dask(frame, **ROLES, max_rows=21)) == 22
    assert len(am.ThresholdCurve.from_dask(frame, **ROLES, grid=10, max_rows=1)) == 11


def test_the_limit_holds_for_the_merged_scores_too():
    # 4 partitions of 5 distinct scores each, all different: each partition is within 12, the union is not.
    frame = pd.DataFrame({"score": np.arange(20) / 20, "fraud": np.arange(20) % 3 == 0})
    parts = dd.from_pandas(frame, npartitions=4, sort=False)
    roles = {"score": "score", "label": "fraud"}
    with pytest.raises(DataError, match=exactly(MSG_TOO_MANY.format(12))):
        am.ThresholdCurve.from_dask(parts, **roles, max_rows=12)
    with pytest.raises(DataError, match=exactly(MSG_TOO_MANY.format(12))):  # merged on a worker, 2 at a time
        curve_from_dask(parts, **roles, max_rows=12, split_every=2)
    assert len(am.ThresholdCurve.from_dask(parts, **roles, max_rows=20)) == 21


def bad(column, row, value):
    """The rows of scored_rows(40) with ``value`` in ``column`` at ``row``, in 4 partitions of 10 rows."""
    frame = scored_rows(40, seed=5)
    frame[column] = frame[column].astype(object if column == "fraud" else float)
    frame.loc[row, column] = value
    if column == "fraud":
        frame[column] = frame[column].astype(float)
    return dd.from_pandas(frame, npartitions=4, sort=False)


# (frame, arguments, error type, message): rows count within the partition, from 1.
ERRORS = [
    (lambda: bad("score", 23, math.nan), {}, DataError,
     MSG_WHERE.format(partition_name(2, 4), MSG_NOT_FINITE.format("column 'score'", math.nan, 1, data_row(3)))),
    (lambda: bad("score", 0, math.inf), {"grid": 10}, DataError,
     MSG_WHERE.format(partition_name(0, 4), MSG_NOT_FINITE.format("column 'score'", math.inf, 1, data_row(0)))),
    (lambda: bad("fraud", 17, 2.0), {}, DataError,
     MSG_WHERE.format(partition_name(1, 4), MSG_LABELS.format("column 'fraud'", 2.0, 1, data_row(7)))),
    (lambda: bad("amount", 39, -1.0), {"grid": [0.5]}, DataError,
     MSG_WHERE.format(partition_name(3, 4), MSG_NEGATIVE_AMOUNT.format("column 'amount'", -1.0, 1, data_row(9)))),
    (lambda: bad("weight", 30, 0.0), {}, DataError,
     MSG_WHERE.format(partition_name(3, 4), MSG_WEIGHT.format("column 'weight'", 0.0, 1, data_row(0)))),
    (lambda: bad("weight", 1, 0.0), {}, DataError,
     MSG_WHERE.format(partition_name(0, 4), MSG_WEIGHT.format("column 'weight'", 0.0, 1, data_row(1)))),
    (lambda: bad("weight", 1, 1.0), {"label": "outcome"}, DataError,
     MSG_COLUMN.format("outcome", "label", "score, fraud, amount, weight")),
    (lambda: bad("weight", 1, 1.0), {"max_rows": 0}, ParameterError, MSG_MAX_ROWS.format(0)),
    (lambda: bad("weight", 1, 1.0), {"grid": 1}, ParameterError, MSG_GRID.format(1)),
    (lambda: scored_rows(5, seed=1), {}, TypeError, MSG_NOT_DASK.format("DataFrame")),
    (lambda: dd.from_pandas(scored_rows(5, seed=1), npartitions=2).query("score > 5"), {}, DataError,
     MSG_EMPTY.format("the data")),
    (lambda: dd.from_pandas(scored_rows(5, seed=1), npartitions=2).query("score > 5"), {"grid": 4}, DataError,
     MSG_EMPTY.format("the data")),
]


@pytest.mark.parametrize(("make", "args", "error", "message"), ERRORS)
def test_errors_name_the_partition_and_the_row_within_it(make, args, error, message):
    with pytest.raises(error, match=exactly(message)):
        am.ThresholdCurve.from_dask(make(), **{**ROLES, **args})


def test_the_same_messages_as_in_memory_after_the_partition():
    frame = scored_rows(40, seed=5)
    frame.loc[23, "weight"] = -2.0
    with pytest.raises(DataError) as in_memory_error:
        am.ScoreSet.from_frame(frame.iloc[20:30], **ROLES)
    with pytest.raises(DataError) as dask_error:
        am.ThresholdCurve.from_dask(dd.from_pandas(frame, npartitions=4, sort=False), **ROLES)
    assert str(dask_error.value) == f"{partition_name(2, 4)}: {in_memory_error.value}"


def test_weights_and_amounts_inexact_in_binary_agree_to_rounding():
    # Lognormal amounts and uniform weights: the partitions add in another order than the in-memory sweep, so
    # the sums agree to rounding (the module says 1e-15 relative), the thresholds exactly.
    rng = np.random.default_rng(5)
    n = 4000
    y = rng.random(n) < 0.1
    frame = pd.DataFrame({"score": np.round(rng.beta(2, 5, n) + 0.3 * y, 2), "fraud": y,
                          "amount": rng.lognormal(3, 1.5, n), "weight": rng.uniform(0.1, 10, n)})
    got = am.ThresholdCurve.from_dask(dd.from_pandas(frame, npartitions=5), **ROLES)
    expected = am.ThresholdCurve.from_scores(am.ScoreSet(frame["score"].to_numpy(), frame["fraud"].to_numpy(),
                                                         amounts=frame["amount"].to_numpy(),
                                                         weights=frame["weight"].to_numpy()))
    assert_array_equal(got.thresholds, expected.thresholds)
    for name in ("tp", "fp", "tp_amount", "fp_amount"):
        np.testing.assert_allclose(getattr(got, name), getattr(expected, name), rtol=1e-13, atol=0)


def test_binned_grid_with_scores_of_exactly_0_and_1_matches_memory():
    rng = np.random.default_rng(8)
    n = 600
    frame = pd.DataFrame({"score": np.concatenate([[0.0] * 4, [1.0] * 3, rng.uniform(0.01, 0.4, n - 7)]),
                          "fraud": np.arange(n) % 7 == 0, "amount": 1.0, "weight": 1.0})
    got = am.ThresholdCurve.from_dask(dd.from_pandas(frame, npartitions=3), **ROLES, grid=25)
    expected = in_memory(frame, grid=25)
    assert_array_equal(got.bin_edges, expected.bin_edges)
    assert np.sort(got.bin_edges)[1] > 0.0099  # spaced among the cases, not down to log-odds -27
    only_ends = frame.assign(score=np.where(np.arange(n) % 2 == 0, 0.0, 1.0))  # no score strictly inside
    got = am.ThresholdCurve.from_dask(dd.from_pandas(only_ends, npartitions=3), **ROLES, grid=5)
    assert_array_equal(got.bin_edges, in_memory(only_ends, grid=5).bin_edges)
