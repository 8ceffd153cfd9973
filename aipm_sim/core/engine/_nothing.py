"""A decision that flags a vanishing share of a case is the decision to flag nothing.

An exact binormal curve's highest thresholds flag 1e-18 of a case per period: with a capacity of
0 (``--set analysts=0``) the optimiser lands there, at threshold 0.9999998, and every count reads
9.8e-13. Flagging fewer than half a case per period is flagging nothing: curve row 0 (threshold
+inf, no alerts), as the report and the CLI say it.
"""

from __future__ import annotations

import dataclasses
import math

#: A decision flagging fewer cases than this per period (or in the data) flags nothing.
NOTHING_ALERTS = 0.5


def nothing_if_practically_nothing(decision):
    """``decision``, or flagging nothing (curve row 0) when it flags fewer than :data:`NOTHING_ALERTS` cases."""
    if decision.threshold == math.inf or decision.alerts_per_period >= NOTHING_ALERTS:
        return decision
    return dataclasses.replace(decision, threshold=math.inf, point=decision.curve.point(0),
                               value=float(decision.values[0]))
