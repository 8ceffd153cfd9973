"""Small validation helpers; each message names the argument, the rule and what was found."""

import math

import numpy as np

from .errors import DataError, ParameterError


MSG_NOT_NUMERIC = "{} must be numeric; found {!r} at {}"
MSG_NOT_FINITE = "{} must be finite numbers; found {!r} in {} row(s), first at {}"
MSG_COMPLEX = "{} must be real numbers; found the complex number {!r} at {}"


def data_row(i):
    """How every message names the 0-based position ``i`` of a data value: ``"data row 4 (counting from 1)"``.

    Counted among the data rows (in a file, the rows after the header), so
    that the same words fit arrays, DataFrames and files; a file's line
    number is not given because blank lines and quoted line breaks make it
    unknowable here.
    """
    return f"data row {int(i) + 1} (counting from 1)"


def as_float_array(values, name):
    """Return ``values`` as a 1-D float64 array or raise DataError naming ``name``.

    Numbers of any real dtype, bools and numeric text convert; the first
    value that does not (text, a complex number) is reported with its row.
    """
    arr = np.asarray(values)
    if arr.ndim != 1:
        raise DataError(f"{name} must be one-dimensional; found shape {arr.shape}")
    if np.iscomplexobj(arr):
        i = int(np.argmax(arr.imag != 0)) if (arr.imag != 0).any() else 0
        raise DataError(MSG_COMPLEX.format(name, plain(arr[i]), data_row(i)))
    if arr.dtype == bool or np.issubdtype(arr.dtype, np.number):
        return np.asarray(arr, dtype=np.float64)
    try:
        return arr.astype(np.float64)
    except (TypeError, ValueError):
        i = _first_non_numeric(arr)
        if isinstance(arr[i], complex):
            raise DataError(MSG_COMPLEX.format(name, plain(arr[i]), data_row(i))) from None
        raise DataError(MSG_NOT_NUMERIC.format(name, plain(arr[i]), data_row(i))) from None


def _first_non_numeric(arr):
    for i, v in enumerate(arr):
        try:
            float(v)
        except (TypeError, ValueError):
            return i
    return 0


def plain(value):
    """A numpy scalar as the Python number it holds (for messages); anything else unchanged."""
    return value.item() if isinstance(value, np.generic) else value


def require_finite(arr, name):
    bad = ~np.isfinite(arr)
    if bad.any():
        idx = np.flatnonzero(bad)
        raise DataError(MSG_NOT_FINITE.format(name, plain(arr[idx[0]]), idx.size, data_row(idx[0])))


def require_real(value, name, *, low=-math.inf, high=math.inf, low_open=False, high_open=False,
                 allow_inf=False):
    """Check a scalar parameter lies in an interval and return it as float.

    Infinite values are rejected unless ``allow_inf`` (e.g. "no limit").
    """
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ParameterError(f"{name} must be a number; found {value!r}") from None
    ok = math.isfinite(x) or (allow_inf and not math.isnan(x))
    ok = ok and (x > low if low_open else x >= low) and (x < high if high_open else x <= high)
    if not ok:
        lo = "(" if low_open or (low == -math.inf and not allow_inf) else "["
        hi = ")" if high_open or (high == math.inf and not allow_inf) else "]"
        raise ParameterError(f"{name} must be in {lo}{low:g}, {high:g}{hi}; found {plain(value)!r}")
    return x


def require_whole(value, message, *, low, high=math.inf):
    """``value`` as an int in [low, high], or ParameterError(``message``).

    Accepts ints and floats with no fractional part (``3.0``); refuses
    ``2.5``, NaN, infinities and anything that is not a number.
    """
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ParameterError(message) from None
    if not (math.isfinite(x) and x == int(x) and low <= x <= high):
        raise ParameterError(message)
    return int(x)


def readonly(arr):
    arr.setflags(write=False)
    return arr
