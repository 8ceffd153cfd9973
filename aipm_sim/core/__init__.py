"""aipm_sim.core — the numbers: scored data, threshold curves, value and the optimum.

numpy, scipy and pandas only; nothing here imports a plotting or UI library.
"""

from .binormal import BinormalModel
from .curve import OperatingPoint, ThresholdCurve
from .errors import ConstraintError, DataError, DegenerateWarning, ParameterError
from .optimize import Decision, NearOptimalBand, optimize
from .scores import ScoreSet, read_table
from .value import ValueModel

__all__ = [
    "BinormalModel",
    "ConstraintError",
    "DataError",
    "Decision",
    "DegenerateWarning",
    "NearOptimalBand",
    "OperatingPoint",
    "ParameterError",
    "ScoreSet",
    "ThresholdCurve",
    "ValueModel",
    "optimize",
    "read_table",
]
