"""The fewest weighted cases whose curve is a given curve (for code that reads cases, not curves).

A curve from Dask lives in the client as arrays, while some readers (the
report's sensitivity, which re-reads its scenario's data file) take scored
cases. :func:`curve_cases` gives, for each row of the curve, one case per
class that the row newly flags, weighted by how many cases it stands for:
their curve has the same thresholds and the same counts and amounts (to
rounding: the differences of cumulative sums are added up again).
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def curve_cases(curve):
    """A DataFrame of ``score``, ``label`` (bool), ``weight`` (> 0) and, with amounts, ``amount`` (>= 0).

    Row ``k >= 1`` of ``curve`` gives a case of score ``thresholds[k]`` for each class it newly flags
    (``tp[k] - tp[k-1]`` positives, ``fp[k] - fp[k-1]`` negatives), with the class's new amount over its
    new weight as its amount. Cases the lowest row does not flag (a binned curve's scores below its
    lowest edge) get the next float below the lowest threshold.
    """
    t = np.asarray(curve.thresholds[1:], dtype=np.float64)
    parts = []
    for label, counts, amounts, total, total_amount in (
            (True, curve.tp, curve.tp_amount, curve.positives, curve.positive_amount),
            (False, curve.fp, curve.fp_amount, curve.negatives, curve.negative_amount)):
        w = np.append(np.diff(counts), total - counts[-1])
        s = np.append(t, np.nextafter(t[-1], -np.inf)) if len(t) else np.array([0.0])
        frame = {"score": s, "label": np.full(len(s), label), "weight": w}
        if curve.has_amounts:
            a = np.append(np.diff(amounts), total_amount - amounts[-1])
            with np.errstate(divide="ignore", invalid="ignore"):
                frame["amount"] = np.where(w > 0, np.maximum(a, 0.0) / w, 0.0)
        part = pd.DataFrame(frame)
        parts.append(part[part["weight"] > 1e-12 * max(total, 1.0)])
    return pd.concat(parts, ignore_index=True)
