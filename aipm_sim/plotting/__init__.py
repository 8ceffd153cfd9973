"""aipm_sim.plotting — matplotlib pictures of core results, for people who never saw a ROC curve.

Each picture is a Display object in the style of scikit-learn's: build it
with a ``from_curve`` / ``from_decision`` constructor (which computes through
the public core API and draws), or with already-computed arrays and
``plot(ax=None)``. It keeps ``ax_``, ``figure_`` and its artists, and
``set_threshold(point)`` / ``update(...)`` move those artists in place, which
is what the interactive explorer does on every slider move::

    import aipm_sim as am
    from aipm_sim.plotting import ValueCurveDisplay
    decision = am.optimize(curve, am.ValueModel(tp=-5, fp=-5, fn=-200), volume=10_000)
    ValueCurveDisplay.from_decision(decision)
"""

from .confusion import ConfusionMatrixDisplay
from .curves import PrecisionRecallDisplay, RocCurveDisplay
from .distribution import ScoreDistributionDisplay
from .experiments import PowerDisplay, RolloutDisplay
from .groups import FairnessFrontierDisplay, GroupMetricsDisplay
from .metrics import MetricsCurveDisplay
from .monitoring import DriftDisplay, MonitoringDisplay, PolicyDisplay
from .roi import RuleComparisonDisplay, VariantsDisplay
from .sensitivity import SensitivityMapDisplay, TornadoDisplay
from .uncertainty import BandDisplay, OptimumDisplay
from .value import ValueCurveDisplay

__all__ = [
    "BandDisplay",
    "OptimumDisplay",
    "ConfusionMatrixDisplay",
    "FairnessFrontierDisplay",
    "GroupMetricsDisplay",
    "DriftDisplay",
    "MetricsCurveDisplay",
    "PowerDisplay",
    "MonitoringDisplay",
    "PolicyDisplay",
    "PrecisionRecallDisplay",
    "RocCurveDisplay",
    "RolloutDisplay",
    "RuleComparisonDisplay",
    "SensitivityMapDisplay",
    "TornadoDisplay",
    "ScoreDistributionDisplay",
    "ValueCurveDisplay",
    "VariantsDisplay",
]
