"""What the threshold explorer shows right now: :class:`ExplorerResult` (its ``.result``)."""

from __future__ import annotations

import math
import types
from dataclasses import dataclass

from ...core import Decision, Feasibility, OperatingPoint, ThresholdCurve, ValueModel, Vocabulary
from ..._format import fmt_count, fmt_fraction, fmt_money, fmt_threshold
from ...plotting._base import period_words


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class ExplorerResult:
    """What the explorer shows right now.

    Attributes
    ----------
    threshold : float
        The threshold asked for (the slider's value, or the optimum's).
    point : OperatingPoint
        Counts and rates of flagging ``score >= threshold``;
        ``point.threshold`` is the curve row that applies.
    value : float
        Value at ``point``: currency per period when a volume is known,
        otherwise in total over the curve's cases.
    alerts_per_period : float
        Flagged cases per period (or in the data without a volume).
    best_threshold, best_value : float
        The optimum under the constraints (NaN when none is feasible).
    gap_to_optimum : float
        ``best_value - value`` (NaN when there is no optimum); 0 at the optimum.
    meets_constraints : bool
        Whether ``point`` meets every active constraint.
    broken_constraints : tuple of str
        Names of the constraints ``point`` breaks.
    decision : Decision or None
        The optimisation behind ``best_*`` (None when infeasible).
    feasibility : Feasibility
        Which curve rows meet each active constraint.
    curve : ThresholdCurve
    value_model : ValueModel
    constraints : mapping of str to float
        Active constraints (read-only).
    volume : float or None
        Cases per period.
    period : str or None
        Name of the period ("day"); None: not said ("per period").
    notes : tuple of str
        Degenerate states and warnings, in words (also shown in the readout).
    vocabulary : Vocabulary
        The words of the cards and notes.
    """

    threshold: float
    point: OperatingPoint
    value: float
    alerts_per_period: float
    best_threshold: float
    best_value: float
    gap_to_optimum: float
    meets_constraints: bool
    broken_constraints: tuple
    decision: Decision | None
    feasibility: Feasibility
    curve: ThresholdCurve
    value_model: ValueModel
    constraints: types.MappingProxyType
    volume: float | None
    period: str | None
    notes: tuple
    vocabulary: Vocabulary = Vocabulary()

    def summary(self):
        """The state in a few plain lines (deterministic: fit for a strictly checked notebook cell)."""
        p = self.point
        where = period_words(self.volume, self.period)
        lines = [
            f"threshold {fmt_threshold(p.threshold)}: {self.vocabulary.cases} scoring at or above it are "
            f"{self.vocabulary.flagged}",
            f"precision {fmt_fraction(p.precision)}, recall {fmt_fraction(p.recall)}, "
            f"alert rate {fmt_fraction(p.alert_rate)}",
            f"{self.vocabulary.alerts} {where}: {fmt_count(self.alerts_per_period)}",
            f"value {where}: {fmt_money(self.value)}",
        ]
        if math.isfinite(self.best_value):
            lines.append(
                f"best threshold {fmt_threshold(self.best_threshold)}: value {fmt_money(self.best_value)} "
                f"{where}; {self.gap_words()}"
            )
        lines.extend(f"note: {n}" for n in self.notes)
        return "\n".join(lines)

    def gap_words(self):
        """The gap to the optimum in words: "this is the best threshold", "... earns 120 less per day"."""
        gap = self.gap_to_optimum
        where = period_words(self.volume, self.period)
        if not math.isfinite(gap):
            return "no threshold meets every constraint"
        if abs(gap) <= 1e-9 * max(1.0, abs(self.best_value)):
            return "this is the best threshold"
        amount = fmt_money(abs(gap))
        if gap > 0:
            return f"this threshold earns {amount} less {where}"
        return f"this threshold earns {amount} more {where} but breaks a constraint"
