"""Scored cases: the input every curve is computed from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .._checks import MSG_COMPLEX, as_float_array, data_row, plain, readonly, require_finite
from ..errors import DataError

MSG_LENGTHS = "Found input variables with inconsistent numbers of samples: {}"
MSG_EMPTY = "{} is empty: at least one scored case is needed"
# Rows are named by _checks.data_row: "data row 4 (counting from 1)".
MSG_LABELS = "{} must be 0/1 or bool; found {!r} in {} row(s), first at {}"
MSG_NEGATIVE_AMOUNT = "{} must be >= 0; found {!r} in {} row(s), first at {}"
MSG_WEIGHT = "{} must be > 0 (how many real cases a row stands for); found {!r} in {} row(s), first at {}"
MSG_TEXT = "column {!r} must be numeric; found text {!r} in {} row(s), first at {}"
MSG_COLUMN = "column {!r} ({}) not found in the data; columns are: {}"


@dataclass(frozen=True, slots=True, eq=False)
class ScoreSet:
    """An immutable set of scored cases.

    Parameters
    ----------
    scores : array-like of shape (n,)
        Model scores, any finite real numbers (probabilities or raw margins).
        A higher score means "more likely positive".
    labels : array-like of shape (n,)
        True outcome, 0/1 or bool (1 = positive, e.g. fraud).
    amounts : array-like of shape (n,), optional
        Money at stake per case (e.g. transaction value), finite and >= 0,
        in currency per case.
    weights : array-like of shape (n,), optional
        How many real cases each row stands for, finite and > 0. After
        keeping every fraud but only 1 in 100 legitimate cases, give the
        legitimate rows weight 100 to recover the true counts.
    groups : array-like of shape (n,), optional
        A group label per case (for later per-group analysis); not used by
        the curve.

    All arrays are stored read-only.
    """

    scores: np.ndarray
    labels: np.ndarray
    amounts: np.ndarray | None = None
    weights: np.ndarray | None = None
    groups: np.ndarray | None = None

    def __init__(self, scores, labels, *, amounts=None, weights=None, groups=None):
        s = as_float_array(scores, "scores")
        y = _as_labels(labels, "labels")
        arrays = {"scores": s, "labels": y}
        if amounts is not None:
            arrays["amounts"] = as_float_array(amounts, "amounts")
        if weights is not None:
            arrays["weights"] = as_float_array(weights, "weights")
        if groups is not None:
            g = np.asarray(groups)
            if g.ndim != 1:
                raise DataError(f"groups must be one-dimensional; found shape {g.shape}")
            arrays["groups"] = g.copy()
        lengths = {len(a) for a in arrays.values()}
        if len(lengths) > 1:
            raise DataError(MSG_LENGTHS.format([len(a) for a in arrays.values()]))
        if len(s) == 0:
            raise DataError(MSG_EMPTY.format("scores"))
        require_finite(s, "scores")
        if "amounts" in arrays:
            a = arrays["amounts"]
            require_finite(a, "amounts")
            _require(a >= 0, a, MSG_NEGATIVE_AMOUNT, "amounts")
        if "weights" in arrays:
            w = arrays["weights"]
            require_finite(w, "weights")
            _require(w > 0, w, MSG_WEIGHT, "weights")
        for name in ("scores", "labels", "amounts", "weights", "groups"):
            arr = arrays.get(name)
            if arr is not None:
                # Own a private copy so that the caller's arrays are never frozen or aliased.
                if name != "labels" and arr.flags.writeable:
                    arr = arr.copy()
                readonly(arr)
            object.__setattr__(self, name, arr)

    # -- constructors -------------------------------------------------------
    @classmethod
    def from_frame(cls, df, *, score, label, amount=None, weight=None, group=None):
        """Build a ScoreSet from columns of a pandas DataFrame.

        Parameters
        ----------
        df : pandas.DataFrame
        score, label : str
            Column names of the scores and the 0/1 labels.
        amount, weight, group : str, optional
            Column names of the amounts (currency per case), the row weights
            and the groups.

        Errors name the column and the first offending row by its position in
        ``df`` counting from 1 (``"data row 4 (counting from 1)"``; in a CSV
        file, the 4th row after the header), whatever the index.
        """
        if len(df) == 0:
            raise DataError(MSG_EMPTY.format("the data"))
        columns = {"score": score, "label": label, "amount": amount, "weight": weight, "group": group}
        found = list(df.columns)
        for role, col in columns.items():
            if col is not None and col not in df.columns:
                raise DataError(MSG_COLUMN.format(col, role, ", ".join(map(str, found))))
        values = {}
        for role in ("score", "amount", "weight"):
            col = columns[role]
            if col is not None:
                values[role] = _numeric_column(df[col], col)
        amounts = weights = None
        if amount is not None:
            amounts = _column_array(values["amount"], amount, finite=True)
            _require(amounts >= 0, amounts, MSG_NEGATIVE_AMOUNT, f"column {amount!r}")
        if weight is not None:
            weights = _column_array(values["weight"], weight, finite=True)
            _require(weights > 0, weights, MSG_WEIGHT, f"column {weight!r}")
        return cls(
            _column_array(values["score"], score, finite=True),
            _as_labels(df[label].to_numpy(), f"column {label!r}"),
            amounts=amounts,
            weights=weights,
            groups=None if group is None else df[group].to_numpy(),
        )

    @classmethod
    def read(cls, path, *, score, label, amount=None, weight=None, group=None):
        """Read a CSV or Parquet file (chosen by the file suffix) into a ScoreSet.

        Parquet needs pyarrow (``pip install aipm_sim[parquet]``).
        """
        df = read_table(path)
        return cls.from_frame(df, score=score, label=label, amount=amount, weight=weight, group=group)

    # -- summaries ----------------------------------------------------------
    def __len__(self):
        return len(self.scores)

    @property
    def n_cases(self):
        """Number of real cases represented (sum of weights), a float."""
        return float(len(self.scores) if self.weights is None else self.weights.sum())

    @property
    def prevalence(self):
        """Weighted share of positives, a fraction in [0, 1]."""
        w = self.weights
        pos = self.labels.sum() if w is None else w[self.labels].sum()
        return float(pos) / self.n_cases

    def __repr__(self):
        extras = [name for name in ("amounts", "weights", "groups") if getattr(self, name) is not None]
        more = f", with {', '.join(extras)}" if extras else ""
        return f"ScoreSet({len(self)} rows, prevalence {self.prevalence:.4g}{more})"


def read_table(path):
    """Read a CSV or Parquet file into a DataFrame with errors that name the file."""
    path = Path(path)
    if not path.exists():
        raise DataError(f"data file {str(path)!r} does not exist")
    if path.is_dir():
        raise DataError(f"data file {str(path)!r} is a folder, not a file")
    suffix = path.suffix.lower()
    try:
        if suffix in (".parquet", ".pq"):
            try:
                import pyarrow  # noqa: F401
            except ImportError:
                raise DataError(
                    f"reading {str(path)!r} needs pyarrow: pip install 'aipm_sim[parquet]'"
                ) from None
            return pd.read_parquet(path)
        if suffix in (".csv", ".txt", ".gz"):
            return pd.read_csv(path)
    except pd.errors.EmptyDataError:
        raise DataError(f"data file {str(path)!r} is empty") from None
    except DataError:
        raise
    except Exception as exc:  # parser errors of every kind, shown in one line
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DataError(f"could not read {str(path)!r}: {first}") from None
    raise DataError(f"data file {str(path)!r} must end in .csv or .parquet; found {suffix or 'no suffix'!r}")


def _numeric_column(series, col):
    if series.dtype == bool:
        return series.astype(float)
    converted = pd.to_numeric(series, errors="coerce")
    bad = converted.isna() & series.notna()
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataError(MSG_TEXT.format(col, series.iloc[pos], int(bad.sum()), data_row(pos)))
    if pd.api.types.is_complex_dtype(converted):
        imag = converted.to_numpy().imag != 0
        pos = int(np.argmax(imag)) if imag.any() else 0
        raise DataError(MSG_COMPLEX.format(f"column {col!r}", plain(converted.iloc[pos]), data_row(pos)))
    return converted


def _column_array(series, col, *, finite):
    arr = series.to_numpy(dtype=np.float64, na_value=np.nan)
    if finite:
        require_finite(arr, f"column {col!r}")
    return arr


def _as_labels(labels, name):
    y = np.asarray(labels)
    if y.ndim != 1:
        raise DataError(f"{name} must be one-dimensional; found shape {y.shape}")
    if y.dtype == bool:
        return y.copy()
    if np.iscomplexobj(y):
        i = int(np.argmax(y.imag != 0)) if (y.imag != 0).any() else 0
        raise DataError(MSG_COMPLEX.format(name, plain(y[i]), data_row(i)))
    if np.issubdtype(y.dtype, np.number):
        numeric = y.astype(np.float64)
    else:  # objects or text: "1" and "0" are labels too, as when read from a file
        numeric = pd.to_numeric(pd.Series(y, dtype=object), errors="coerce").to_numpy(
            dtype=np.float64, na_value=np.nan
        )
    bad = ~((numeric == 0) | (numeric == 1))
    if bad.any():
        idx = np.flatnonzero(bad)
        raise DataError(MSG_LABELS.format(name, plain(y[idx[0]]), idx.size, data_row(idx[0])))
    return numeric == 1


def _require(ok, arr, template, name):
    if not ok.all():
        idx = np.flatnonzero(~ok)
        raise DataError(template.format(name, plain(arr[idx[0]]), idx.size, data_row(idx[0])))
