"""The threshold explorer: move a threshold, watch precision, recall, alerts and money move.

A control change replaces a frozen parameter object (``dataclasses.replace``),
core computes, and the plots' artists move in place. The latest state is
public (:attr:`ThresholdExplorer.result`) and is updated synchronously when
a control's ``.value`` is set, so tests and power users need no browser::

    ex = ThresholdExplorer(am.BinormalModel(prevalence=0.01, auc=0.8),
                           am.ValueModel(tp=-5, fp=-5, fn=-200), volume=10_000)
    ex.threshold.value = 0.05
    ex.result.point.recall, ex.result.value

The package's modules, one part of the app each: ``threshold_explorer`` (the class, its
parameters and the numbers behind its state), ``result`` (ExplorerResult),
``controls`` (building and wiring the controls), ``callbacks`` (what each
control change does), ``notes`` (the readout's notes in words), ``cards``
(the readout), ``drawing`` (the six pictures) and ``layout`` (the page and
its settings tabs). Every name is importable from here.
"""

from .threshold_explorer import (
    DEFAULT_MODEL_CASES,
    MSG_SAMPLE_SIZE,
    MSG_SCALE,
    MSG_SOURCE,
    MSG_VALUE_MODEL,
    MSG_VOLUME,
    ThresholdExplorer,
)
from .controls import (
    AMOUNTS,
    BOX_DIGITS,
    CELLS,
    CONSTRAINT_DEFAULTS,
    SAMPLE_SIZES,
    SLIDER_STEPS,
    cell_labels,
    constraint_labels,
)
from .notes import (
    NOTE_BREAKS,
    NOTE_CAUGHT_BELOW_FALSE_ALARM,
    NOTE_COUNT_REFUSED,
    NOTE_EARNING_FALSE_ALARM,
    NOTE_EARNING_MISS,
    NOTE_FLAT_VALUE,
    NOTE_INFEASIBLE,
    NOTE_NO_NEGATIVES,
    NOTE_NO_POSITIVES,
    NOTE_NOTHING_FLAGGED,
    NOTE_RATE_REFUSED,
    NOTE_SINGLE_SCORE,
    RATE_NAMES,
    REACH_WORDS,
    RULE_WORDS,
    value_notes,
)
from .result import ExplorerResult

__all__ = [
    "AMOUNTS",
    "BOX_DIGITS",
    "CELLS",
    "CONSTRAINT_DEFAULTS",
    "DEFAULT_MODEL_CASES",
    "MSG_SAMPLE_SIZE",
    "MSG_SCALE",
    "MSG_SOURCE",
    "MSG_VALUE_MODEL",
    "MSG_VOLUME",
    "NOTE_BREAKS",
    "NOTE_CAUGHT_BELOW_FALSE_ALARM",
    "NOTE_COUNT_REFUSED",
    "NOTE_EARNING_FALSE_ALARM",
    "NOTE_EARNING_MISS",
    "NOTE_FLAT_VALUE",
    "NOTE_INFEASIBLE",
    "NOTE_NO_NEGATIVES",
    "NOTE_NO_POSITIVES",
    "NOTE_NOTHING_FLAGGED",
    "NOTE_RATE_REFUSED",
    "NOTE_SINGLE_SCORE",
    "RATE_NAMES",
    "REACH_WORDS",
    "RULE_WORDS",
    "SAMPLE_SIZES",
    "SLIDER_STEPS",
    "ExplorerResult",
    "ThresholdExplorer",
    "cell_labels",
    "constraint_labels",
    "value_notes",
]
