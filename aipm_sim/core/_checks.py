"""Small validation helpers; each message names the argument, the rule and what was found."""

import math

import numpy as np

from .errors import DataError, ParameterError


def as_float_array(values, name):
    """Return ``values`` as a 1-D float64 array or raise DataError naming ``name``."""
    arr = np.asarray(values)
    if arr.ndim != 1:
        raise DataError(f"{name} must be one-dimensional; found shape {arr.shape}")
    if arr.dtype == bool:
        arr = arr.astype(np.float64)
    if not (np.issubdtype(arr.dtype, np.number)):
        bad = _first_non_numeric(arr)
        raise DataError(f"{name} must be numeric; found {bad!r} at row {_row(arr, bad)}")
    arr = np.asarray(arr, dtype=np.float64)
    return arr


def _first_non_numeric(arr):
    for v in arr:
        try:
            float(v)
        except (TypeError, ValueError):
            return v
    return arr[0] if len(arr) else None


def _row(arr, value):
    for i, v in enumerate(arr):
        if v is value or v == value:
            return i
    return 0


def require_finite(arr, name):
    bad = ~np.isfinite(arr)
    if bad.any():
        idx = np.flatnonzero(bad)
        raise DataError(
            f"{name} must be finite numbers; found {arr[idx[0]]!r} in {idx.size} "
            f"row(s), first at row {idx[0]}"
        )


def require_real(value, name, *, low=-math.inf, high=math.inf, low_open=False, high_open=False):
    """Check a scalar parameter lies in an interval and return it as float."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ParameterError(f"{name} must be a number; found {value!r}") from None
    ok = math.isfinite(x) or (x == high == math.inf) or (x == low == -math.inf)
    ok = ok and (x > low if low_open else x >= low) and (x < high if high_open else x <= high)
    if not ok:
        lo = "(" if low_open else "["
        hi = ")" if high_open else "]"
        raise ParameterError(f"{name} must be in {lo}{low:g}, {high:g}{hi}; found {value!r}")
    return x


def readonly(arr):
    arr.setflags(write=False)
    return arr
