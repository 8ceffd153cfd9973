"""One operating point: what flagging ``score >= threshold`` gives, as plain floats.

A point stores the flagged counts and the class totals; every other number
(the other cells, the rates, the amounts) is derived when it is read, so that
a scalar query (:meth:`aipm_sim.ThresholdCurve.at`) builds one cheaply. The
2x2 layout is that of :mod:`aipm_sim.core.engine.curve`.
"""

from __future__ import annotations

import math

from .._checks import require_real


def per_period_factor(volume, n_cases):
    """Multiplier turning counts among ``n_cases`` cases into counts per period of ``volume`` cases.

    The one place where aipm_sim scales to a volume: ``volume / n_cases``.

    Parameters
    ----------
    volume : float or None
        Cases per period (>= 0). None: no scaling (the factor is 1.0).
    n_cases : float
        Cases (weighted) the counts were taken among.

    Returns
    -------
    float
        1.0 without a volume; NaN when ``n_cases`` is 0 (nothing to scale from).
    """
    if volume is None:
        return 1.0
    volume = require_real(volume, "volume", low=0.0)
    return volume / n_cases if n_cases else math.nan


#: The public attributes of an :class:`OperatingPoint`, in the order of :meth:`OperatingPoint.to_dict`.
POINT_FIELDS = ("threshold", "index", "tp", "fp", "fn", "tn", "tp_amount", "fp_amount", "fn_amount", "tn_amount",
                "n_cases", "alerts", "precision", "recall", "fpr", "specificity", "npv", "f1", "alert_rate",
                "lift", "prevalence")


class OperatingPoint:
    """Everything that flagging ``score >= threshold`` gives, as plain floats (read-only).

    Built from the flagged counts and the class totals; every other number
    is derived from them when it is read (a scalar query builds a point in
    well under a microsecond, whatever is read from it later).

    Parameters
    ----------
    threshold : float
    index : int or None
    tp, fp : float
        Flagged positives and negatives (weighted).
    positives, negatives : float
        Class totals (weighted).
    tp_amount, fp_amount : float, optional
        Amounts of the flagged positives / negatives; None: no amounts (the
        amount attributes are then NaN).
    positive_amount, negative_amount : float
        Amount totals of each class (used with amounts only).

    Attributes
    ----------
    threshold : float
        The row's threshold (+inf flags nothing).
    index : int or None
        Row of the curve this point came from (for an analytic curve's
        point between two rows, the row at or above its threshold); None
        for a point computed without a curve
        (:meth:`aipm_sim.BinormalModel.point`), so that it can never be
        mistaken for a row (``-1`` would read the last one).
    tp, fp, fn, tn : float
        Weighted case counts in the 2x2 layout (see module docstring).
    tp_amount, fp_amount, fn_amount, tn_amount : float
        Sum of amounts (currency) in each cell; NaN when the data had no amounts.
    n_cases : float
        All cases (weighted).
    precision, recall, fpr, specificity, npv, f1, alert_rate, lift, prevalence : float
        Fractions in [0, 1] (lift is a ratio >= 0); NaN where undefined.
    alerts : float
        Flagged cases, ``tp + fp``.
    fnr : float
        The miss rate ``fn / positives`` = 1 - recall; NaN without positives.

    :meth:`per_period` gives the same point for another number of cases
    (counts and amounts scaled, rates unchanged); :meth:`to_dict` every
    attribute above but ``fnr``. Points compare equal when every attribute
    does; its attributes are read-only (assigning one raises AttributeError).
    """

    __slots__ = ("_threshold", "_index", "_tp", "_fp", "_pos", "_neg", "_tpa", "_fpa", "_pos_amount",
                 "_neg_amount", "_scale")

    def __init__(self, *, threshold, index, tp, fp, positives, negatives, tp_amount=None, fp_amount=None,
                 positive_amount=0.0, negative_amount=0.0):
        self._threshold = threshold
        self._index = index
        self._tp = tp
        self._fp = fp
        self._pos = positives
        self._neg = negatives
        self._tpa = tp_amount
        self._fpa = fp_amount
        self._pos_amount = positive_amount
        self._neg_amount = negative_amount
        self._scale = 1.0  # counts and amounts are read times this (per_period); rates never are

    # -- what was given ----------------------------------------------------------
    threshold = property(lambda self: self._threshold, doc="The row's threshold (+inf flags nothing).")
    index = property(lambda self: self._index, doc="Curve row of this point, or None (see the class docstring).")

    @property
    def tp(self):
        return self._tp * self._scale

    @property
    def fp(self):
        return self._fp * self._scale

    @property
    def fn(self):
        return (self._pos - self._tp) * self._scale

    @property
    def tn(self):
        return (self._neg - self._fp) * self._scale

    @property
    def tp_amount(self):
        return math.nan if self._tpa is None else self._tpa * self._scale

    @property
    def fp_amount(self):
        return math.nan if self._fpa is None else self._fpa * self._scale

    @property
    def fn_amount(self):
        return math.nan if self._tpa is None else (self._pos_amount - self._tpa) * self._scale

    @property
    def tn_amount(self):
        return math.nan if self._fpa is None else (self._neg_amount - self._fpa) * self._scale

    @property
    def n_cases(self):
        return (self._pos + self._neg) * self._scale

    @property
    def alerts(self):
        return (self._tp + self._fp) * self._scale

    # -- rates (unchanged by per_period) --------------------------------------------
    @property
    def precision(self):
        alerts = self._tp + self._fp
        return self._tp / alerts if alerts else math.nan

    @property
    def recall(self):
        return self._tp / self._pos if self._pos else math.nan

    @property
    def fpr(self):
        return self._fp / self._neg if self._neg else math.nan

    @property
    def specificity(self):
        return (self._neg - self._fp) / self._neg if self._neg else math.nan

    @property
    def npv(self):
        tn, fn = self._neg - self._fp, self._pos - self._tp
        return tn / (tn + fn) if tn + fn else math.nan

    @property
    def f1(self):
        den = 2 * self._tp + self._fp + (self._pos - self._tp)
        return 2 * self._tp / den if den else math.nan

    @property
    def alert_rate(self):
        n = self._pos + self._neg
        return (self._tp + self._fp) / n if n else math.nan

    @property
    def prevalence(self):
        n = self._pos + self._neg
        return self._pos / n if n else math.nan

    @property
    def lift(self):
        prevalence = self.prevalence
        return self.precision / prevalence if prevalence else math.nan

    @property
    def fnr(self):
        """Miss rate (false negative rate) ``fn / positives`` = 1 - recall; NaN without positives."""
        return (self._pos - self._tp) / self._pos if self._pos else math.nan

    # -- behaviour ---------------------------------------------------------------
    def per_period_factor(self, volume):
        """``volume / n_cases`` (1.0 when ``volume`` is None); see :func:`per_period_factor`."""
        return per_period_factor(volume, self.n_cases)

    def per_period(self, volume):
        """This point for ``volume`` cases (e.g. per day): counts and amounts scaled, rates unchanged.

        ``volume`` None returns the point itself. E.g. ``point.per_period(10_000).alerts`` is the
        alerts among 10,000 cases.
        """
        if volume is None:
            return self
        f = self.per_period_factor(volume)
        out = _rebuild_point(self._state())
        out._scale = self._scale * f
        return out

    def interval(self, metric, *, confidence=0.95, method="wilson", validation_cases=None, score_set=None):
        """Confidence interval ``(low, high)`` of ``metric`` here; see :func:`aipm_sim.point_interval`."""
        from ..uncertainty.intervals import point_interval  # lazy: the engine does not depend on that room

        return point_interval(self, metric, confidence=confidence, method=method,
                              validation_cases=validation_cases, score_set=score_set)

    def to_dict(self):
        """The point as a plain dict of Python numbers (the attributes in :data:`POINT_FIELDS`)."""
        return {name: getattr(self, name) for name in POINT_FIELDS}

    def __eq__(self, other):
        if other.__class__ is not self.__class__:
            return NotImplemented
        return tuple(self.to_dict().values()) == tuple(other.to_dict().values())

    def __hash__(self):
        return hash(tuple(self.to_dict().values()))

    def __repr__(self):
        return "OperatingPoint(" + ", ".join(f"{k}={v!r}" for k, v in self.to_dict().items()) + ")"

    def _state(self):
        return tuple(getattr(self, name) for name in OperatingPoint.__slots__)

    def __reduce__(self):
        return (_rebuild_point, (self._state(),))


_new = object.__new__


def _point(threshold, index, tp, fp, positives, negatives, tp_amount, fp_amount, positive_amount, negative_amount):
    """:class:`OperatingPoint` by position, without keyword handling (the scalar queries' constructor)."""
    p = _new(OperatingPoint)
    p._threshold = threshold
    p._index = index
    p._tp = tp
    p._fp = fp
    p._pos = positives
    p._neg = negatives
    p._tpa = tp_amount
    p._fpa = fp_amount
    p._pos_amount = positive_amount
    p._neg_amount = negative_amount
    p._scale = 1.0
    return p


def _rebuild_point(state):
    """An OperatingPoint from :meth:`OperatingPoint._state` (copies and pickles)."""
    out = object.__new__(OperatingPoint)
    for name, value in zip(OperatingPoint.__slots__, state):
        setattr(out, name, value)
    return out
