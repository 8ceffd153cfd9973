"""Money per outcome: turning a curve's counts into value.

Sign convention, everywhere in aipm_sim: **a gain is positive, a cost is
negative**. The 2x2 layout is the one of :mod:`aipm_sim.core.engine.curve`::

                      flagged     not flagged
    positive (y=1)      tp            fn
    negative (y=0)      fp            tn
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

import numpy as np

from .._checks import require_real
from ..errors import ParameterError

_CELLS = ("tp", "fp", "fn", "tn")
MSG_POINT_AMOUNTS = "the value model uses amounts but the operating point has none"


@dataclass(frozen=True, slots=True, kw_only=True)
class ValueModel:
    """Value of each outcome, per case and in proportion to each case's amount.

    Parameters
    ----------
    tp, fp, fn, tn : float
        Currency per case in that cell (gain > 0, cost < 0). E.g. an analyst
        review costing 5 on every flagged case: ``tp=-5, fp=-5``.
    tp_amount, fp_amount, fn_amount, tn_amount : float
        Fraction of the case's amount gained (> 0) or lost (< 0) in that
        cell. E.g. a missed fraud loses its whole amount: ``fn_amount=-1``;
        a caught one recovers 90 %: ``tp_amount=0.9`` would count the
        recovery as a gain (use it only if the loss is also counted).

    Value at a threshold is the sum over cells of ``count * per_case +
    amount_sum * fraction``. Amount terms need a curve with amounts.
    """

    tp: float = 0.0
    fp: float = 0.0
    fn: float = 0.0
    tn: float = 0.0
    tp_amount: float = 0.0
    fp_amount: float = 0.0
    fn_amount: float = 0.0
    tn_amount: float = 0.0

    def __post_init__(self):
        for f in fields(self):
            object.__setattr__(self, f.name, require_real(getattr(self, f.name), f.name))

    @property
    def uses_amounts(self):
        return any(getattr(self, f"{c}_amount") != 0 for c in _CELLS)

    def _check(self, curve):
        if self.uses_amounts and not curve.has_amounts:
            used = [f"{c}_amount" for c in _CELLS if getattr(self, f"{c}_amount") != 0]
            raise ParameterError(
                f"the value model uses amounts ({', '.join(used)}) but the curve has none: "
                "give the scored data an amount column"
            )

    def value(self, curve, *, volume=None):
        """Total value at every threshold of ``curve``.

        Parameters
        ----------
        curve : ThresholdCurve
        volume : float, optional
            Cases per period (e.g. per day). None: the total over the
            curve's own cases; a number: the value of that many cases, i.e.
            currency per period.

        Returns
        -------
        ndarray of shape (len(curve),)
            Currency, aligned with ``curve.thresholds``.
        """
        self._check(curve)
        total = self.tp * curve.tp + self.fp * curve.fp + self.fn * curve.fn + self.tn * curve.tn
        if curve.has_amounts:
            total = total + (
                self.tp_amount * curve.tp_amount
                + self.fp_amount * curve.fp_amount
                + self.fn_amount * curve.fn_amount
                + self.tn_amount * curve.tn_amount
            )
        return total * curve.per_period_factor(volume)

    def value_per_case(self, curve):
        """Value at every threshold divided by the number of cases (currency per case)."""
        return self.value(curve, volume=1.0)

    def point_value(self, point, *, volume=None):
        """Value of one :class:`OperatingPoint` (currency; per period when ``volume`` is given)."""
        total = sum(getattr(self, c) * getattr(point, c) for c in _CELLS)
        if self.uses_amounts:
            if np.isnan(point.tp_amount):
                raise ParameterError(MSG_POINT_AMOUNTS)
            total += sum(getattr(self, f"{c}_amount") * getattr(point, f"{c}_amount") for c in _CELLS)
        return float(total) * point.per_period_factor(volume)

    def cell_values(self, point, *, volume=None):
        """Value of each cell of one :class:`OperatingPoint`: what its tp, fp, fn and tn cases are worth.

        Cell ``c`` is worth ``c`` (per case) times its count plus ``c_amount``
        times its amount sum; the four add up to :meth:`point_value`.

        Parameters
        ----------
        point : OperatingPoint
        volume : float, optional
            Cases per period: values are then currency per period.

        Returns
        -------
        dict of str to float
            Keys ``"tp"``, ``"fp"``, ``"fn"``, ``"tn"`` (the 2x2 layout's cells), currency.
        """
        f = point.per_period_factor(volume)
        out = {}
        for c in _CELLS:
            total = getattr(self, c) * getattr(point, c)
            share = getattr(self, f"{c}_amount")
            if share != 0:
                amount = getattr(point, f"{c}_amount")
                if math.isnan(amount):
                    raise ParameterError(MSG_POINT_AMOUNTS)
                total += share * amount
            out[c] = float(total) * f
        return out

    def iso_value_slope(self, curve):
        """Slope d(TPR)/d(FPR) of the lines of equal value in ROC space.

        Value is ``a P tpr + b N fpr + const`` with ``a`` the value of
        flagging rather than missing a positive (``tp - fn`` per case, plus
        the amount terms at the positives' mean amount) and ``b`` the same
        for a negative (``fp - tn``), so equal value means slope
        ``-b N / (a P)``. Exact for a value model without amount terms; with
        amounts it assumes each class's flagged cases carry that class's
        mean amount. At the unconstrained optimum of a smooth ROC curve, the
        curve's slope equals this one.

        Parameters
        ----------
        curve : ThresholdCurve
            Gives the class totals ``P``, ``N`` and mean amounts.

        Returns
        -------
        float or None
            ``math.inf`` for a vertical line (value ignores positives), None
            when the value does not depend on the threshold at all.
        """
        P, N = curve.positives, curve.negatives
        a = self.tp - self.fn
        b = self.fp - self.tn
        if curve.has_amounts:
            mean_pos = curve.positive_amount / P if P else 0.0
            mean_neg = curve.negative_amount / N if N else 0.0
            a += (self.tp_amount - self.fn_amount) * mean_pos
            b += (self.fp_amount - self.tn_amount) * mean_neg
        gain_pos, gain_neg = a * P, b * N
        if gain_pos == 0:
            return None if gain_neg == 0 else math.inf
        return -gain_neg / gain_pos
