"""The engine: scored cases, the exact threshold curve, value, the optimum and the binormal model.

Every other room is built on these: ``ScoreSet`` (scores, labels, amounts,
weights) → ``ThresholdCurve`` (one compiled sweep, one row per distinct
score) → ``OperatingPoint`` → ``ValueModel`` (money per cell) →
``optimize`` (the best threshold under constraints). ``BinormalModel`` is the
synthetic model described by prevalence and AUC, answered in closed form.
"""

from .binned import BinnedCurve
from .binormal import BinormalModel
from .curve import ThresholdCurve
from .point import OperatingPoint
from .optimize import (CONSTRAINTS, Constraint, Decision, Feasibility, NearOptimalBand, check_constraints,
                       compute_feasibility, optimize)
from .scores import ScoreSet, read_table
from .value import ValueModel

__all__ = [
    "CONSTRAINTS",
    "BinnedCurve",
    "BinormalModel",
    "Constraint",
    "Decision",
    "Feasibility",
    "NearOptimalBand",
    "OperatingPoint",
    "ScoreSet",
    "ThresholdCurve",
    "ValueModel",
    "check_constraints",
    "compute_feasibility",
    "optimize",
    "read_table",
]
