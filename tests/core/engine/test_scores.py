"""ScoreSet: validation (every error path, message matched), storage, files."""

import re
import sys

import numpy as np
import pandas as pd
import pytest

import aipm_sim as am
from aipm_sim.core._checks import MSG_COMPLEX
from aipm_sim.core.errors import DataError
from aipm_sim.core.engine.scores import (
    MSG_COLUMN,
    MSG_EMPTY,
    MSG_LABELS,
    MSG_LENGTHS,
    MSG_NEGATIVE_AMOUNT,
    MSG_WEIGHT,
)

nan, inf = float("nan"), float("inf")


def exactly(message):
    """A ``match`` pattern for the whole message, nothing more."""
    return "^" + re.escape(message) + "$"


# -- constructor errors: (arguments, keyword arguments, expected message) ---------------------
CONSTRUCTOR_ERRORS = [
    (([0.1, 0.2, 0.3], [0, 1]), {}, MSG_LENGTHS.format([3, 2])),
    (([0.1, 0.2], [0, 1]), {"amounts": [1.0, 2.0, 3.0]}, MSG_LENGTHS.format([2, 2, 3])),
    (([0.1, 0.2], [0, 1]), {"weights": [1.0]}, MSG_LENGTHS.format([2, 2, 1])),
    (([0.1, 0.2], [0, 1]), {"groups": ["a"]}, MSG_LENGTHS.format([2, 2, 1])),
    (([], []), {}, MSG_EMPTY.format("scores")),
    (([0.1, nan, 0.3], [0, 1, 0]), {}, "scores must be finite numbers; found nan in 1 row(s), first at data row 2 (counting from 1)"),
    (([inf, 0.5, -inf], [0, 1, 0]), {}, "scores must be finite numbers; found inf in 2 row(s), first at data row 1 (counting from 1)"),
    (([0.1, None], [0, 1]), {}, "scores must be finite numbers; found nan in 1 row(s), first at data row 2 (counting from 1)"),
    ((["0.1", "high"], [0, 1]), {}, "scores must be numeric; found 'high' at data row 2 (counting from 1)"),
    (([0.1, "x", 0.2], [0, 1, 0]), {}, "scores must be numeric; found 'x' at data row 2 (counting from 1)"),
    (([[0.1, 0.2], [0.3, 0.4]], [0, 1]), {}, "scores must be one-dimensional; found shape (2, 2)"),
    (([0.1, 0.2, 0.3], [0, 2, 1]), {}, MSG_LABELS.format("labels", 2, 1, "data row 2 (counting from 1)")),
    (([0.1, 0.2, 0.3], [0, 1, -1]), {}, MSG_LABELS.format("labels", -1, 1, "data row 3 (counting from 1)")),
    (([0.1, 0.2], [0.0, 0.5]), {}, MSG_LABELS.format("labels", 0.5, 1, "data row 2 (counting from 1)")),
    (([0.1, 0.2], [nan, 1.0]), {}, MSG_LABELS.format("labels", nan, 1, "data row 1 (counting from 1)")),
    (([0.1, 0.2], ["yes", "no"]), {}, MSG_LABELS.format("labels", "yes", 2, "data row 1 (counting from 1)")),
    (([0.1, 0.2], [[0, 1]]), {}, "labels must be one-dimensional; found shape (1, 2)"),
    (([0.1, 0.2, 0.3], [0, 1, 0]), {"amounts": [1.0, 2.0, -0.5]}, MSG_NEGATIVE_AMOUNT.format("amounts", -0.5, 1, "data row 3 (counting from 1)")),
    (([0.1, 0.2], [0, 1]), {"amounts": [nan, 1.0]}, "amounts must be finite numbers; found nan in 1 row(s), first at data row 1 (counting from 1)"),
    (([0.1, 0.2], [0, 1]), {"amounts": ["1", "lots"]}, "amounts must be numeric; found 'lots' at data row 2 (counting from 1)"),
    (([0.1, 0.2, 0.3], [0, 1, 0]), {"weights": [0.0, -1.0, 2.0]}, MSG_WEIGHT.format("weights", 0.0, 2, "data row 1 (counting from 1)")),
    (([0.1, 0.2], [0, 1]), {"weights": [1.0, inf]}, "weights must be finite numbers; found inf in 1 row(s), first at data row 2 (counting from 1)"),
    (([0.1, 0.2], [0, 1]), {"groups": [["a", "b"]]}, "groups must be one-dimensional; found shape (1, 2)"),
    # Complex numbers are refused, not cast to their real part.
    (([0.1, 0.2 + 1j], [0, 1]), {}, MSG_COMPLEX.format("scores", 0.2 + 1j, "data row 2 (counting from 1)")),
    ((np.array([0.1, 0.2], dtype=complex), [0, 1]), {}, MSG_COMPLEX.format("scores", 0.1 + 0j, "data row 1 (counting from 1)")),
    (([0.1, 0.2], [0, 1]), {"amounts": [1.0, 3j]}, MSG_COMPLEX.format("amounts", 3j, "data row 2 (counting from 1)")),
    (([0.1, 0.2], [0, 1]), {"weights": np.array([1, 2 + 2j], dtype=object)},
     MSG_COMPLEX.format("weights", 2 + 2j, "data row 2 (counting from 1)")),
    (([0.1, 0.2], [0, 1 + 0j]), {}, MSG_COMPLEX.format("labels", 0j, "data row 1 (counting from 1)")),
]


@pytest.mark.parametrize(("args", "kwargs", "message"), CONSTRUCTOR_ERRORS)
def test_constructor_errors(args, kwargs, message):
    with pytest.raises(DataError, match=exactly(message)):
        am.ScoreSet(*args, **kwargs)


def test_errors_are_value_errors():
    assert issubclass(am.DataError, ValueError)
    assert issubclass(am.ParameterError, ValueError)
    assert issubclass(am.ConstraintError, ValueError)
    assert issubclass(am.DegenerateWarning, UserWarning)


# -- what is stored ----------------------------------------------------------------
def test_storage_types_and_values():
    s = am.ScoreSet([3, 1, 2], [1, 0, True], amounts=[5, 0, 2.5], weights=[1, 100, 2], groups=["a", "b", "a"])
    assert s.scores.dtype == np.float64 and s.scores.tolist() == [3.0, 1.0, 2.0]
    assert s.labels.dtype == bool and s.labels.tolist() == [True, False, True]
    assert s.amounts.tolist() == [5.0, 0.0, 2.5]
    assert s.weights.tolist() == [1.0, 100.0, 2.0]
    assert s.groups.tolist() == ["a", "b", "a"]
    assert len(s) == 3
    assert s.n_cases == 103.0
    assert s.prevalence == pytest.approx(3 / 103, rel=1e-15)
    assert repr(s) == "ScoreSet(3 rows, prevalence 0.02913, with amounts, weights, groups)"


def test_bool_labels_and_bool_scores_are_accepted():
    s = am.ScoreSet(np.array([True, False]), np.array([True, False]))
    assert s.scores.tolist() == [1.0, 0.0]
    assert s.labels.tolist() == [True, False]
    assert repr(s) == "ScoreSet(2 rows, prevalence 0.5)"


def test_numeric_text_and_object_arrays_convert():
    s = am.ScoreSet(np.array([0.25, 2], dtype=object), ["1", "0"])
    assert s.scores.tolist() == [0.25, 2.0]
    assert s.labels.tolist() == [True, False]
    assert am.ScoreSet(["0.5", "-1e3"], [0, 1]).scores.tolist() == [0.5, -1000.0]


def test_arrays_are_read_only_and_not_aliased():
    scores = np.array([0.3, 0.1, 0.2])
    labels = np.array([True, False, True])
    amounts = np.array([1.0, 2.0, 3.0])
    weights = np.array([1.0, 1.0, 2.0])
    groups = np.array(["a", "b", "c"])
    s = am.ScoreSet(scores, labels, amounts=amounts, weights=weights, groups=groups)
    for name in ("scores", "labels", "amounts", "weights", "groups"):
        arr = getattr(s, name)
        assert not arr.flags.writeable, name
        with pytest.raises(ValueError):
            arr[0] = arr[1]
    # The caller's arrays stay writable, and changing them does not change the ScoreSet.
    for arr in (scores, labels, amounts, weights, groups):
        assert arr.flags.writeable
    scores[0], labels[0], amounts[0], weights[0], groups[0] = 9.0, False, 9.0, 9.0, "z"
    assert s.scores[0] == 0.3 and s.labels[0] and s.amounts[0] == 1.0 and s.weights[0] == 1.0
    assert s.groups[0] == "a"


def test_score_set_is_frozen():
    s = am.ScoreSet([0.1], [1])
    with pytest.raises(AttributeError):
        s.scores = np.array([0.2])


def test_any_finite_score_is_accepted():
    s = am.ScoreSet([-1e308, 1e308, 5e-324, -0.0, 0.0], [0, 1, 0, 1, 0])
    assert s.scores.tolist() == [-1e308, 1e308, 5e-324, 0.0, 0.0]


# -- from_frame ------------------------------------------------------------------------
def _frame():
    return pd.DataFrame(
        {
            "p": [0.9, 0.1, 0.4, 0.4],
            "y": [1, 0, 0, 1],
            "amt": [10.0, 0.0, 3.5, 7.0],
            "w": [1.0, 50.0, 50.0, 1.0],
            "seg": ["x", "y", "x", "y"],
        }
    )


def test_from_frame_equals_the_arrays():
    df = _frame()
    s = am.ScoreSet.from_frame(df, score="p", label="y", amount="amt", weight="w", group="seg")
    assert s.scores.tolist() == [0.9, 0.1, 0.4, 0.4]
    assert s.labels.tolist() == [True, False, False, True]
    assert s.amounts.tolist() == [10.0, 0.0, 3.5, 7.0]
    assert s.weights.tolist() == [1.0, 50.0, 50.0, 1.0]
    assert s.groups.tolist() == ["x", "y", "x", "y"]


def test_from_frame_bool_columns():
    df = pd.DataFrame({"p": [True, False], "y": [True, False]})
    s = am.ScoreSet.from_frame(df, score="p", label="y")
    assert s.scores.tolist() == [1.0, 0.0] and s.labels.tolist() == [True, False]


FRAME_ERRORS = [
    ({"score": "prob", "label": "y"}, None, MSG_COLUMN.format("prob", "score", "p, y, amt, w, seg")),
    ({"score": "p", "label": "target"}, None, MSG_COLUMN.format("target", "label", "p, y, amt, w, seg")),
    ({"score": "p", "label": "y", "amount": "value"}, None, MSG_COLUMN.format("value", "amount", "p, y, amt, w, seg")),
    ({"score": "p", "label": "y", "weight": "wt"}, None, MSG_COLUMN.format("wt", "weight", "p, y, amt, w, seg")),
    ({"score": "p", "label": "y", "group": "g"}, None, MSG_COLUMN.format("g", "group", "p, y, amt, w, seg")),
    ({"score": "p", "label": "y"}, ("p", 2, "abc"),
     "column 'p' must be numeric; found text 'abc' in 1 row(s), first at data row 3 (counting from 1)"),
    ({"score": "p", "label": "y"}, ("p", 1, None),
     "column 'p' must be finite numbers; found nan in 1 row(s), first at data row 2 (counting from 1)"),
    ({"score": "p", "label": "y"}, ("p", 3, inf),
     "column 'p' must be finite numbers; found inf in 1 row(s), first at data row 4 (counting from 1)"),
    ({"score": "p", "label": "y"}, ("y", 2, 2), MSG_LABELS.format("column 'y'", 2, 1, "data row 3 (counting from 1)")),
    ({"score": "p", "label": "y"}, ("y", 0, "fraud"), MSG_LABELS.format("column 'y'", "fraud", 1, "data row 1 (counting from 1)")),
    ({"score": "p", "label": "y", "amount": "amt"}, ("amt", 3, -2.0),
     MSG_NEGATIVE_AMOUNT.format("column 'amt'", -2.0, 1, "data row 4 (counting from 1)")),
    ({"score": "p", "label": "y", "amount": "amt"}, ("amt", 1, "n/a"),
     "column 'amt' must be numeric; found text 'n/a' in 1 row(s), first at data row 2 (counting from 1)"),
    ({"score": "p", "label": "y", "weight": "w"}, ("w", 0, 0.0), MSG_WEIGHT.format("column 'w'", 0.0, 1, "data row 1 (counting from 1)")),
]


def test_from_frame_refuses_complex_columns():
    df = pd.DataFrame({"p": [0.1, 0.2 + 2j, 0.3], "y": [0, 1, 0]})
    with pytest.raises(DataError, match=exactly(MSG_COMPLEX.format("column 'p'", 0.2 + 2j, "data row 2 (counting from 1)"))):
        am.ScoreSet.from_frame(df, score="p", label="y")


def test_data_row_is_the_row_after_the_header_counting_from_1(tmp_path):
    # The oracle is the file's own text: data row k (counting from 1) is line k + 1, after the header.
    path = tmp_path / "s.csv"
    path.write_text("p,y\n0.1,0\n0.2,1\n0.3,0\nhigh,1\n0.5,0\n")
    with pytest.raises(DataError) as info:
        am.ScoreSet.read(path, score="p", label="y")
    k = int(re.search(r"data row (\d+) \(counting from 1\)", str(info.value)).group(1))
    assert path.read_text().splitlines()[k].startswith("high")


@pytest.mark.parametrize(("columns", "change", "message"), FRAME_ERRORS)
def test_from_frame_errors_name_the_column_row_and_value(columns, change, message):
    df = _frame()
    if change is not None:
        col, row, value = change
        df[col] = df[col].astype(object)
        df.loc[row, col] = value
    with pytest.raises(DataError, match=exactly(message)):
        am.ScoreSet.from_frame(df, **columns)


def test_from_frame_empty():
    with pytest.raises(DataError, match=exactly(MSG_EMPTY.format("the data"))):
        am.ScoreSet.from_frame(pd.DataFrame({"p": [], "y": []}), score="p", label="y")


# -- files -------------------------------------------------------------------------------
def test_csv_round_trip(tmp_path):
    df = _frame()
    path = tmp_path / "scored.csv"
    df.to_csv(path, index=False)
    s = am.ScoreSet.read(path, score="p", label="y", amount="amt", weight="w", group="seg")
    direct = am.ScoreSet.from_frame(df, score="p", label="y", amount="amt", weight="w", group="seg")
    for name in ("scores", "labels", "amounts", "weights", "groups"):
        np.testing.assert_array_equal(getattr(s, name), getattr(direct, name))
    assert am.read_table(str(path)).equals(pd.read_csv(path))


def test_parquet_round_trip(tmp_path):
    pytest.importorskip("pyarrow")
    df = _frame()
    path = tmp_path / "scored.parquet"
    df.to_parquet(path)
    s = am.ScoreSet.read(path, score="p", label="y", amount="amt", weight="w", group="seg")
    for name, col in (("scores", "p"), ("amounts", "amt"), ("weights", "w")):
        np.testing.assert_array_equal(getattr(s, name), df[col].to_numpy(dtype=float))
    np.testing.assert_array_equal(s.labels, df["y"].to_numpy() == 1)
    assert s.groups.tolist() == df["seg"].tolist()


def test_parquet_nullable_score_is_reported(tmp_path):
    pytest.importorskip("pyarrow")
    df = pd.DataFrame({"p": pd.array([1, None, 3], dtype="Int64"), "y": [1, 0, 1]})
    path = tmp_path / "scored.parquet"
    df.to_parquet(path)
    message = "column 'p' must be finite numbers; found nan in 1 row(s), first at data row 2 (counting from 1)"
    with pytest.raises(DataError, match=exactly(message)):
        am.ScoreSet.read(path, score="p", label="y")


def test_parquet_without_pyarrow(tmp_path, monkeypatch):
    path = tmp_path / "scored.parquet"
    path.write_bytes(b"not used")
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # makes `import pyarrow` fail
    message = f"reading {str(path)!r} needs pyarrow: pip install 'aipm_sim[parquet]'"
    with pytest.raises(DataError, match=exactly(message)):
        am.read_table(path)


def test_file_errors(tmp_path):
    missing = tmp_path / "nope.csv"
    with pytest.raises(DataError, match=exactly(f"data file {str(missing)!r} does not exist")):
        am.ScoreSet.read(missing, score="p", label="y")
    with pytest.raises(DataError, match=exactly(f"data file {str(tmp_path)!r} is a folder, not a file")):
        am.read_table(tmp_path)
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(DataError, match=exactly(f"data file {str(empty)!r} is empty")):
        am.read_table(empty)
    header_only = tmp_path / "header.csv"
    header_only.write_text("p,y\n")
    with pytest.raises(DataError, match=exactly(MSG_EMPTY.format("the data"))):
        am.ScoreSet.read(header_only, score="p", label="y")
    excel = tmp_path / "scores.xlsx"
    excel.write_text("x")
    with pytest.raises(DataError, match=exactly(f"data file {str(excel)!r} must end in .csv or .parquet; found '.xlsx'")):
        am.read_table(excel)
    bare = tmp_path / "scores"
    bare.write_text("x")
    with pytest.raises(DataError, match=exactly(f"data file {str(bare)!r} must end in .csv or .parquet; found 'no suffix'")):
        am.read_table(bare)
    broken = tmp_path / "broken.parquet"
    broken.write_text("this is not parquet")
    with pytest.raises(DataError, match="^" + re.escape(f"could not read {str(broken)!r}: ")):
        am.read_table(broken)
