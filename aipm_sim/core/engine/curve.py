"""Threshold curves: every confusion-matrix metric at every threshold, from one sweep.

Convention (scikit-learn's): a case is *flagged* when ``score >= threshold``.
The 2x2 layout used everywhere in aipm_sim::

                      flagged     not flagged
    positive (y=1)      tp            fn
    negative (y=0)      fp            tn
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._checks import readonly, require_real
from ._sweep import first_not_cumulative, first_not_decreasing, row_at, rows_at, sweep
from ..errors import DegenerateWarning, ParameterError
from .point import OperatingPoint, _point, per_period_factor  # noqa: F401 (OperatingPoint: where it was)
from .scores import ScoreSet

MSG_NO_POSITIVES = "the data has no positive cases: recall is undefined (NaN)"
MSG_NO_NEGATIVES = "the data has no negative cases: the false positive rate is undefined (NaN)"
MSG_NOTHING_FLAGGED = "threshold {} flags no case: precision is undefined (NaN)"
MSG_THRESHOLD = "threshold must be a number; found {!r}"
MSG_BINS = "bins must be an integer >= 1; found {!r}"
MSG_EDGES = "bins must be increasing, finite bin edges (at least two); found {!r}"
MSG_NO_FINITE_THRESHOLD = "the curve has no finite threshold (it flags nothing or everything): there is nothing to bin"
# Rules of a ThresholdCurve built directly (see ThresholdCurve.__post_init__).
MSG_CURVE_SHAPE = "{} must be a one-dimensional array of numbers; found {}"
MSG_CURVE_EMPTY = "thresholds must have at least one row (row 0, +inf: flag nothing); found none"
MSG_CURVE_LENGTHS = "thresholds, tp and fp must have the same length; found lengths {}, {} and {}"
MSG_CURVE_FIRST = "thresholds[0] must be +inf (the flag-nothing row); found {!r}"
MSG_CURVE_NAN = "thresholds must not be NaN; found NaN at thresholds[{}]"
MSG_CURVE_ORDER = ("thresholds must be strictly decreasing after thresholds[0] = +inf; "
                   "found thresholds[{}] = {!r} then thresholds[{}] = {!r}")
MSG_CURVE_NOT_FINITE = "{} must be finite numbers; found {!r} at {}[{}]"
MSG_CURVE_FIRST_ROW = "{}[0] must be 0 (row 0, threshold +inf, flags nothing); found {!r}"
MSG_CURVE_MONOTONE = ("{} must be non-decreasing (each row flags every case the row above flags); "
                      "found {}[{}] = {!r} then {}[{}] = {!r}")
MSG_CURVE_RANGE = "{} must lie within [0, {}] = [0, {!r}]; found {!r} at {}[{}]"
MSG_CURVE_AMOUNT_PAIR = "tp_amount and fp_amount must be given both or neither; found only {}"
MSG_CURVE_AMOUNT_LENGTH = "{} must have the same length as thresholds ({}); found {}"

#: Relative float slack of the curve's count and amount rules (a fraction of the class totals).
CURVE_SLACK = 1e-9

_CELLS = ("tp", "fp", "fn", "tn")


def _div(num, den):
    """num / den with NaN where den == 0, silently (NaN is the documented answer)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.divide(num, den)
    if np.ndim(out) == 0:
        return float(out) if den != 0 else math.nan
    return np.where(den == 0, np.nan, out)


#: The compiled :func:`row_at` for a curve's thresholds (read-only float64), called past numba's
#: dispatcher, which costs as much as the search itself; set on the first scalar query.
_ROW_AT = [None]


def _compiled_row_at(thresholds):
    """The compiled entry point of :func:`row_at` for ``thresholds``' type (``row_at`` itself if numba
    does not expose it)."""
    row_at(thresholds, 0.0)  # compiles (or loads from the cache) the kernel for this type
    try:
        import numba

        entry = row_at.overloads[(numba.typeof(thresholds), numba.float64)].entry_point
    except (AttributeError, KeyError, TypeError):  # pragma: no cover - another numba
        entry = row_at
    _ROW_AT[0] = entry
    return entry


def _check_cumulative(name, arr, total_name, total, slack):
    """``arr`` is a cumulative count (or amount) column: finite, 0 in row 0, non-decreasing, in [0, total]."""
    kind, i = first_not_cumulative(arr, float(total), float(slack))
    if kind == 1:
        raise ParameterError(MSG_CURVE_NOT_FINITE.format(name, float(arr[i]), name, i))
    if kind == 2:
        raise ParameterError(MSG_CURVE_FIRST_ROW.format(name, float(arr[0])))
    if kind == 3:
        raise ParameterError(MSG_CURVE_MONOTONE.format(name, name, i, float(arr[i]), name, i + 1, float(arr[i + 1])))
    if kind == 4:
        raise ParameterError(MSG_CURVE_RANGE.format(name, total_name, total, float(arr[i]), name, i))


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class ThresholdCurve:
    """Counts and metrics at every threshold, in one set of aligned arrays.

    Row ``i`` describes flagging every case with ``score >= thresholds[i]``.
    ``thresholds`` is strictly decreasing: row 0 is ``+inf`` (flag nothing),
    every further row is one distinct score (or, for an analytic curve, one
    grid point), and the last row flags the most cases.

    Build one with :meth:`from_scores` (exact, from data) or
    :meth:`aipm_sim.BinormalModel.curve` (expected values, analytic). A
    curve built directly is checked (ParameterError, naming the argument,
    the rule and the first row breaking it): ``thresholds`` strictly
    decreasing with only row 0 at +inf and no NaN; ``tp`` and ``fp``
    finite, 0 in row 0, non-decreasing and within ``[0, positives]`` /
    ``[0, negatives]``; ``tp_amount`` and ``fp_amount`` both or neither,
    of the same length, under the same rules against ``positive_amount`` /
    ``negative_amount``. Counts may exceed their bounds by a float slack of
    :data:`CURVE_SLACK` times the class totals (so the class totals should
    come from the last row of the cumulative sums, as :meth:`from_scores`
    takes them).

    Attributes
    ----------
    thresholds : ndarray of shape (m,)
        Decreasing score thresholds; ``thresholds[0] == inf``.
    tp, fp : ndarray of shape (m,)
        Weighted counts of flagged positives / negatives; non-decreasing.
    tp_amount, fp_amount : ndarray of shape (m,) or None
        Amounts (currency) of the flagged positives / negatives.
    positives, negatives : float
        Weighted totals of each class.
    positive_amount, negative_amount : float
        Amount totals of each class (0.0 without amounts).
    has_amounts : bool
    """

    thresholds: np.ndarray
    tp: np.ndarray
    fp: np.ndarray
    positives: float
    negatives: float
    tp_amount: np.ndarray | None = None
    fp_amount: np.ndarray | None = None
    positive_amount: float = 0.0
    negative_amount: float = 0.0
    _alerts: np.ndarray | None = field(init=False, repr=False, default=None)  # tp + fp, made on first use
    # BinormalModel.curve's closed forms (queries answered off the grid); None for a curve from data.
    _exact: object = field(init=False, repr=False, default=None)

    def __post_init__(self):
        self._prepare(validate=True)

    @classmethod
    def _trusted(cls, **fields):
        """A curve from arrays the sweep made, valid by construction: the checks of :meth:`_validate`
        (a pass over every column) are skipped, the conversions are not."""
        self = object.__new__(cls)
        for f in dataclasses.fields(cls):
            default = None if f.default is dataclasses.MISSING else f.default
            object.__setattr__(self, f.name, fields.get(f.name, default))
        self._prepare(validate=False)
        return self

    def _prepare(self, *, validate):
        for name in ("thresholds", "tp", "fp", "tp_amount", "fp_amount"):
            arr = getattr(self, name)
            if arr is not None:
                try:
                    arr = np.ascontiguousarray(arr, dtype=np.float64)
                except (TypeError, ValueError):
                    raise ParameterError(MSG_CURVE_SHAPE.format(name, f"{type(arr).__name__} {arr!r}")) from None
                if arr.ndim != 1:
                    raise ParameterError(MSG_CURVE_SHAPE.format(name, f"shape {arr.shape}"))
                object.__setattr__(self, name, readonly(arr))
        for name in ("positives", "negatives", "positive_amount", "negative_amount"):
            object.__setattr__(self, name, require_real(getattr(self, name), name, low=0.0))
        if validate:
            self._validate()

    def _validate(self):
        """The rules of a curve; each error names the argument, the rule and the first row breaking it."""
        t = self.thresholds
        n = len(t)
        if n == 0:
            raise ParameterError(MSG_CURVE_EMPTY)
        if len(self.tp) != n or len(self.fp) != n:
            raise ParameterError(MSG_CURVE_LENGTHS.format(n, len(self.tp), len(self.fp)))
        if t[0] != np.inf:
            raise ParameterError(MSG_CURVE_FIRST.format(float(t[0])))
        kind, i = first_not_decreasing(t)
        if kind == 1:
            raise ParameterError(MSG_CURVE_NAN.format(i))
        if kind == 2:
            raise ParameterError(MSG_CURVE_ORDER.format(i, float(t[i]), i + 1, float(t[i + 1])))
        slack = CURVE_SLACK * (self.positives + self.negatives)
        _check_cumulative("tp", self.tp, "positives", self.positives, slack)
        _check_cumulative("fp", self.fp, "negatives", self.negatives, slack)
        given = [name for name in ("tp_amount", "fp_amount") if getattr(self, name) is not None]
        if len(given) == 1:
            raise ParameterError(MSG_CURVE_AMOUNT_PAIR.format(given[0]))
        if given:
            slack = CURVE_SLACK * (self.positive_amount + self.negative_amount)
            for name, total_name in (("tp_amount", "positive_amount"), ("fp_amount", "negative_amount")):
                arr = getattr(self, name)
                if len(arr) != n:
                    raise ParameterError(MSG_CURVE_AMOUNT_LENGTH.format(name, n, len(arr)))
                _check_cumulative(name, arr, total_name, getattr(self, total_name), slack)

    # -- construction ---------------------------------------------------------
    @classmethod
    def from_scores(cls, score_set, *, grid=None):
        """The exact curve of a :class:`ScoreSet`, one row per distinct score.

        With ``grid`` (an int K >= 2: K edges from the lowest to the highest
        score, spaced on the log-odds scale for probabilities; or an
        increasing array of edges) a :class:`~aipm_sim.core.engine.binned.BinnedCurve`
        instead: one row per edge, exact at every edge, counted per bin
        without a sort (see :mod:`aipm_sim.core.engine.binned`).

        Warns (DegenerateWarning) when the data has no positives or no
        negatives; the undefined rates are then NaN.
        """
        if not isinstance(score_set, ScoreSet):
            raise TypeError(f"score_set must be a ScoreSet; found {type(score_set).__name__}")
        if grid is not None:
            from .binned import binned_curve

            return binned_curve(score_set, grid)
        s = score_set
        thresholds, tp, fp, tpa, fpa = sweep(s.scores, s.labels, s.weights, s.amounts)
        curve = cls._trusted(
            thresholds=thresholds,
            tp=tp,
            fp=fp,
            positives=float(tp[-1]),
            negatives=float(fp[-1]),
            tp_amount=tpa,
            fp_amount=fpa,
            positive_amount=0.0 if tpa is None else float(tpa[-1]),
            negative_amount=0.0 if fpa is None else float(fpa[-1]),
        )
        curve._warn_degenerate()
        return curve

    @classmethod
    def from_dask(cls, frame, *, score, label, amount=None, weight=None, grid=None, max_rows=None):
        """The curve of a Dask DataFrame's rows, computed where the rows are (see :mod:`aipm_sim.core.scale`).

        ``grid=None``: equal to :meth:`from_scores` on the same rows, one row
        per distinct score (at most ``max_rows``, default
        :data:`aipm_sim.core.scale.MAX_DISTINCT_SCORES`); ``grid``: a
        binned curve as in :meth:`from_scores`. Needs ``aipm_sim[scale]``.
        """
        from ..scale.dask_curve import curve_from_dask

        return curve_from_dask(frame, score=score, label=label, amount=amount, weight=weight, grid=grid,
                               max_rows=max_rows)

    def _warn_degenerate(self):
        if self.positives == 0:
            warnings.warn(MSG_NO_POSITIVES, DegenerateWarning, stacklevel=3)
        if self.negatives == 0:
            warnings.warn(MSG_NO_NEGATIVES, DegenerateWarning, stacklevel=3)

    # -- sizes ---------------------------------------------------------------
    def __len__(self):
        return len(self.thresholds)

    @property
    def n_cases(self):
        """All cases (weighted), a float."""
        return self.positives + self.negatives

    @property
    def prevalence(self):
        """Share of positives, a fraction in [0, 1]."""
        return _div(self.positives, self.n_cases)

    @property
    def has_amounts(self):
        return self.tp_amount is not None

    def per_period_factor(self, volume):
        """``volume / n_cases``: cases per period that one of the curve's cases stands for.

        1.0 when ``volume`` is None; see :func:`per_period_factor`.
        """
        return per_period_factor(volume, self.n_cases)

    # -- the 2x2 cells ----------------------------------------------------------
    @property
    def fn(self):
        """Missed positives at each threshold, ``positives - tp``."""
        return self.positives - self.tp

    @property
    def tn(self):
        """Correctly passed negatives at each threshold, ``negatives - fp``."""
        return self.negatives - self.fp

    @property
    def fn_amount(self):
        return None if self.tp_amount is None else self.positive_amount - self.tp_amount

    @property
    def tn_amount(self):
        return None if self.fp_amount is None else self.negative_amount - self.fp_amount

    @property
    def alerts(self):
        """Flagged cases at each threshold, ``tp + fp`` (increasing); computed on first use."""
        if self._alerts is None:
            object.__setattr__(self, "_alerts", readonly(self.tp + self.fp))
        return self._alerts

    # -- derived metrics (arrays aligned with thresholds) ----------------------------
    @property
    def precision(self):
        """``tp / (tp + fp)``; NaN in row 0, where nothing is flagged."""
        return _div(self.tp, self.alerts)

    @property
    def recall(self):
        """True positive rate ``tp / positives``; NaN if there are no positives."""
        return _div(self.tp, np.full_like(self.tp, self.positives))

    tpr = recall

    @property
    def fpr(self):
        """False positive rate ``fp / negatives``; NaN if there are no negatives."""
        return _div(self.fp, np.full_like(self.fp, self.negatives))

    @property
    def specificity(self):
        """``tn / negatives`` = 1 - fpr."""
        return _div(self.tn, np.full_like(self.fp, self.negatives))

    @property
    def npv(self):
        """Negative predictive value ``tn / (tn + fn)``; NaN when everything is flagged."""
        return _div(self.tn, self.tn + self.fn)

    @property
    def f1(self):
        """F1 score ``2 tp / (2 tp + fp + fn)``; NaN when that denominator is 0."""
        return self.fbeta(1.0)

    def fbeta(self, beta):
        """F-beta score ``(1 + b²) tp / ((1 + b²) tp + b² fn + fp)`` at each threshold.

        ``beta > 1`` weighs recall more, ``beta < 1`` precision more.
        """
        beta = require_real(beta, "beta", low=0.0, low_open=True)
        b2 = beta * beta
        num = (1.0 + b2) * self.tp
        return _div(num, num + b2 * self.fn + self.fp)

    @property
    def alert_rate(self):
        """Share of all cases flagged, a fraction in [0, 1]."""
        return _div(self.alerts, np.full_like(self.tp, self.n_cases))

    @property
    def lift(self):
        """``precision / prevalence``: how much richer in positives the flagged set is."""
        return _div(self.precision, np.full_like(self.tp, self.prevalence))

    # -- queries ---------------------------------------------------------------
    @property
    def model(self):
        """The :class:`~aipm_sim.BinormalModel` whose exact expected curve this is; None for a curve from data.

        A curve that knows its model answers :meth:`at`, :meth:`at_alert_rate`
        and :meth:`top_k` in closed form at any threshold, and
        :func:`~aipm_sim.optimize` finds the model's own optimum on it.
        """
        return None if self._exact is None else self._exact.model

    def index_at(self, threshold):
        """Row index of flagging ``score >= threshold``: the last row whose threshold is >= it.

        That row flags exactly the cases with ``score >= threshold`` (a
        threshold between two scores flags what the higher one flags; one
        above every score flags nothing: row 0). Vectorised: ``threshold``
        may be a scalar (an int comes back) or an array (an array of the same
        shape); a binary search, O(log n) per value.
        """
        if threshold.__class__ is float:  # the common scalar, without numpy's conversions
            if threshold != threshold:
                raise ParameterError(MSG_THRESHOLD.format(threshold))
            return (_ROW_AT[0] or _compiled_row_at(self.thresholds))(self.thresholds, threshold)
        scalar = np.ndim(threshold) == 0
        try:
            t = float(threshold) if scalar else np.asarray(threshold, dtype=np.float64)
        except (TypeError, ValueError):
            raise ParameterError(MSG_THRESHOLD.format(threshold)) from None
        if (t != t) if scalar else np.isnan(t).any():
            raise ParameterError(MSG_THRESHOLD.format(threshold if scalar else math.nan))
        # Rows whose threshold is >= t (row 0, +inf, always is); the last of them is the answer.
        if scalar:
            return int(row_at(self.thresholds, t))
        return rows_at(self.thresholds, t.ravel()).reshape(t.shape)

    def at(self, threshold):
        """The :class:`OperatingPoint` of flagging every case with ``score >= threshold``.

        Exact at any threshold. On a curve from data (:meth:`from_scores`) it
        is the row of :meth:`index_at`: at or below the lowest threshold every
        case is flagged (the last row), above the highest nothing is (row 0).
        On an analytic curve (:meth:`aipm_sim.BinormalModel.curve`) a
        threshold in [0, 1] is answered in closed form, as
        :meth:`aipm_sim.BinormalModel.point` does (``index`` is then the row
        at or above it). Warns (DegenerateWarning) when nothing is flagged.
        """
        i = self.index_at(threshold)
        if self._exact is not None and 0.0 <= threshold <= 1.0:
            return self._exact.point(float(threshold), i, stacklevel=3)
        return self._row_point(i, 3)

    def at_alert_rate(self, rate):
        """The point that flags the riskiest cases without exceeding ``rate`` of all cases.

        ``rate`` is a fraction in [0, 1]. Tied scores are flagged together, so
        on a curve from data the alert rate reached may be below ``rate``; on
        an analytic curve it is ``rate`` itself (up to float rounding), at the
        threshold found by root finding on the closed form.
        """
        rate = require_real(rate, "rate", low=0.0, high=1.0)
        return self._top(rate * self.n_cases)

    def top_k(self, k, *, volume=None):
        """The point that flags the riskiest cases without exceeding ``k`` (weighted) cases.

        With ``volume`` (cases per period, > 0), ``k`` is flagged cases per
        period. On an analytic curve the point flags ``k`` cases (up to float
        rounding), in closed form, as :meth:`at_alert_rate` does.
        """
        k = require_real(k, "k", low=0.0, allow_inf=True)
        if volume is not None:
            k = k / self.per_period_factor(require_real(volume, "volume", low=0.0, low_open=True))
        return self._top(k)

    def _top(self, k):
        if self._exact is not None:
            t = self._exact.threshold_flagging(k / self.n_cases if self.n_cases else 0.0)
            if t is not None:
                return self._exact.point(t, self.index_at(t), stacklevel=4)
        # Guard against the float rounding of rate * n_cases just below an exact count.
        i = int(self.alerts.searchsorted(k * (1 + 1e-12), side="right")) - 1
        return self._row_point(max(i, 0), 4)

    def point(self, index):
        """The :class:`OperatingPoint` of row ``index`` (an int; negative counts from the end)."""
        return self._row_point(int(index), None)

    def _row_point(self, i, stacklevel):
        """Row ``i``'s point; warns (DegenerateWarning, at ``stacklevel``) when it flags nothing, unless None."""
        tp, fp = self.tp.item(i), self.fp.item(i)
        if stacklevel is not None and tp + fp == 0:
            warnings.warn(MSG_NOTHING_FLAGGED.format(self.thresholds[i]), DegenerateWarning, stacklevel=stacklevel)
        tpa = self.tp_amount
        if tpa is None:
            return _point(self.thresholds.item(i), i, tp, fp, self.positives, self.negatives, None, None, 0.0, 0.0)
        return _point(self.thresholds.item(i), i, tp, fp, self.positives, self.negatives, tpa.item(i),
                      self.fp_amount.item(i), self.positive_amount, self.negative_amount)

    def histogram(self, bins=50, *, volume=None):
        """Cases of each class per score bin, read off the cumulative counts.

        The positives scoring in ``[edges[j], edges[j+1])`` are ``tp`` at
        threshold ``edges[j]`` minus ``tp`` at ``edges[j+1]`` (rows from
        :meth:`index_at`); the last bin is closed, as in
        :func:`numpy.histogram`, and scores outside the edges are not counted.
        For an analytic curve (:meth:`aipm_sim.BinormalModel.curve`) these
        are expected counts at the grid's resolution. O(bins log n).

        Parameters
        ----------
        bins : int or array-like of shape (k + 1,)
            Number of bins, evenly spaced between the lowest and the highest
            finite threshold (±0.5 around a single score), or the increasing
            bin edges themselves.
        volume : float, optional
            Cases per period: counts are then per period.

        Returns
        -------
        edges : ndarray of shape (k + 1,)
            Increasing bin edges (scores).
        positives, negatives : ndarray of shape (k,)
            Weighted cases of each class per bin (per period with ``volume``).
        """
        if np.ndim(bins) == 0:
            if isinstance(bins, bool) or not isinstance(bins, (int, np.integer)) or bins < 1:
                raise ParameterError(MSG_BINS.format(bins))
            finite = self.thresholds[np.isfinite(self.thresholds)]
            if finite.size == 0:
                raise ParameterError(MSG_NO_FINITE_THRESHOLD)
            lo, hi = float(finite.min()), float(finite.max())
            if lo == hi:
                lo, hi = lo - 0.5, hi + 0.5
            edges = np.linspace(lo, hi, int(bins) + 1)
        else:
            try:
                edges = np.asarray(bins, dtype=np.float64)
            except (TypeError, ValueError):
                raise ParameterError(MSG_EDGES.format(bins)) from None
            if edges.ndim != 1 or edges.size < 2 or not np.isfinite(edges).all() or (np.diff(edges) <= 0).any():
                raise ParameterError(MSG_EDGES.format(bins))
        # Cases scoring >= each edge; the last edge is inclusive, so count above it only.
        query = edges.copy()
        query[-1] = np.nextafter(edges[-1], np.inf)
        rows = self.index_at(query)
        f = self.per_period_factor(volume)
        pos_at_or_above, neg_at_or_above = self.tp[rows], self.fp[rows]
        positives = (pos_at_or_above[:-1] - pos_at_or_above[1:]) * f
        negatives = (neg_at_or_above[:-1] - neg_at_or_above[1:]) * f
        return edges, positives, negatives

    def to_frame(self):
        """All rows as a DataFrame: threshold, the four cells, amounts (if any) and every metric."""
        data = {"threshold": self.thresholds}
        for c in _CELLS:
            data[c] = getattr(self, c)
        if self.has_amounts:
            for c in _CELLS:
                data[f"{c}_amount"] = getattr(self, f"{c}_amount")
        data["alerts"] = self.alerts
        for name in ("precision", "recall", "fpr", "specificity", "npv", "f1", "alert_rate", "lift"):
            data[name] = getattr(self, name)
        return pd.DataFrame(data)

    def __repr__(self):
        return (
            f"ThresholdCurve({len(self)} thresholds, {self.n_cases:.6g} cases, "
            f"prevalence {self.prevalence:.4g}{', with amounts' if self.has_amounts else ''})"
        )
