"""How sure are we? Intervals on every number, the uncertainty of the best threshold, constraints met with a stated confidence and the labels a validation needs.

* :mod:`.intervals` — :func:`proportion_interval` and the interval of one
  operating point's rate (:meth:`aipm_sim.OperatingPoint.interval`);
* :mod:`.labels` — how many labelled cases a validation needs;
* :mod:`.bootstrap` — :func:`simulate_uncertainty`, a stratified bootstrap of the whole decision;
* :mod:`.guarantee` — ``optimize(..., confidence=0.9)``: constraints that hold for the population.
"""

from .bootstrap import Uncertainty, simulate_uncertainty
from .guarantee import GuaranteedDecision
from .intervals import kish_effective_size, point_interval, proportion_interval
from .labels import LabelsNeeded, interval_width, labels_needed

__all__ = [
    "GuaranteedDecision",
    "Uncertainty",
    "LabelsNeeded",
    "interval_width",
    "kish_effective_size",
    "labels_needed",
    "point_interval",
    "proportion_interval",
    "simulate_uncertainty",
]
