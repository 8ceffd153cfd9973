"""Metrics by group: one row per group at its threshold, and how far apart the groups are.

Each group's numbers come from its own exact curve (:meth:`ThresholdCurve.from_scores`
of the group's cases), read at the group's threshold with :meth:`ThresholdCurve.at`,
so a group's row is exactly what the engine gives for that group alone.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping

import numpy as np
import pandas as pd

from .._checks import require_real
from ..engine.curve import ThresholdCurve, per_period_factor
from ..engine.scores import ScoreSet
from ..engine.value import ValueModel
from ..errors import DataError, DegenerateWarning, ParameterError

MSG_NO_GROUPS = ("the scored data has no groups: build the ScoreSet with groups=... "
                 "(or ScoreSet.read(..., group=COLUMN)) to compare groups")
MSG_GROUP_NAN = "groups must not be missing (NaN or None); found one in {} row(s), first at data row {} (counting from 1)"
MSG_THRESHOLDS_MISSING = "thresholds has no threshold for group(s) {}; the groups are: {}"
MSG_THRESHOLDS_UNKNOWN = "thresholds names group(s) {} that are not in the data; the groups are: {}"
MSG_THRESHOLD_VALUE = "the threshold of group {!r} must be a number; found {!r}"

#: The rates compared between groups, in table order.
RATES = ("precision", "recall", "fpr", "alert_rate")
#: The "four-fifths rule" (US EEOC, 1978): a group's selection rate below 80 % of the highest group's is a warning sign.
FOUR_FIFTHS = 0.8


def split_groups(score_set):
    """The groups of ``score_set`` and each group's cases.

    Returns
    -------
    names : list
        The distinct group labels, sorted (as :func:`pandas.factorize` with ``sort=True`` sorts them), as Python values.
    parts : list of ScoreSet
        The cases of each group, in the same order (amounts and weights kept).
    """
    if not isinstance(score_set, ScoreSet):
        raise TypeError(f"score_set must be a ScoreSet; found {type(score_set).__name__}")
    g = score_set.groups
    if g is None:
        raise DataError(MSG_NO_GROUPS)
    codes, names = pd.factorize(g, sort=True)  # hashing, then only the distinct labels are sorted
    missing = codes < 0  # NaN and None get no code
    if missing.any():
        idx = np.flatnonzero(missing)
        raise DataError(MSG_GROUP_NAN.format(idx.size, idx[0] + 1))
    order = np.argsort(codes.astype(np.int32 if len(names) > 32767 else np.int16), kind="stable")
    ends = np.cumsum(np.bincount(codes, minlength=len(names)))
    parts = []
    for j in range(len(names)):
        rows = order[(ends[j - 1] if j else 0):ends[j]]
        parts.append(ScoreSet(
            score_set.scores[rows], score_set.labels[rows],
            amounts=None if score_set.amounts is None else score_set.amounts[rows],
            weights=None if score_set.weights is None else score_set.weights[rows],
        ))
    return [n.item() if isinstance(n, np.generic) else n for n in names], parts


def group_curves(score_set):
    """Each group's exact curve: ``(names, curves)``, warnings about groups without a class kept quiet.

    A group without positives (or negatives) has NaN recall (or false
    positive rate); :func:`group_metrics` says so in its table.
    """
    names, parts = split_groups(score_set)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateWarning)
        curves = [ThresholdCurve.from_scores(p) for p in parts]
    return names, curves


def _thresholds_by_group(thresholds, names):
    if isinstance(thresholds, Mapping):
        keys = list(thresholds)
        missing = [n for n in names if n not in thresholds]
        if missing:
            raise ParameterError(MSG_THRESHOLDS_MISSING.format(", ".join(map(repr, missing)),
                                                               ", ".join(map(repr, names))))
        unknown = [k for k in keys if k not in names]
        if unknown:
            raise ParameterError(MSG_THRESHOLDS_UNKNOWN.format(", ".join(map(repr, unknown)),
                                                               ", ".join(map(repr, names))))
        out = []
        for n in names:
            try:
                t = float(thresholds[n])
            except (TypeError, ValueError):
                raise ParameterError(MSG_THRESHOLD_VALUE.format(n, thresholds[n])) from None
            if math.isnan(t):
                raise ParameterError(MSG_THRESHOLD_VALUE.format(n, thresholds[n]))
            out.append(t)
        return out
    t = require_real(thresholds, "threshold", allow_inf=True)
    return [t] * len(names)


#: Each rate's (successes, trials) among a group's cases, for its interval.
_TRIALS = {"precision": ("tp", "alerts"), "recall": ("tp", "positives"), "fpr": ("fp", "negatives"),
           "alert_rate": ("alerts", "n_cases")}


def _intervals(p, confidence):
    from ..uncertainty.intervals import proportion_interval

    counts = {"tp": p.tp, "fp": p.fp, "alerts": p.alerts, "positives": p.tp + p.fn, "negatives": p.fp + p.tn,
              "n_cases": p.n_cases}
    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateWarning)  # no trials: the rate is undefined, NaN says so
        for rate, (k, n) in _TRIALS.items():
            low, high = proportion_interval(counts[k], counts[n], confidence=confidence)
            out[f"{rate}_low"], out[f"{rate}_high"] = low, high
    return out


def group_table(names, curves, rows, *, value_model=None, volume=None, confidence=None):
    """The by-group table at given curve rows (one per group); see :func:`group_metrics`."""
    n_total = sum(c.n_cases for c in curves)
    factor = per_period_factor(volume, n_total)
    records = []
    for curve, i in zip(curves, rows):
        p = curve.point(int(i))
        rec = {
            "n_cases": p.n_cases * factor,
            "positives": curve.positives * factor,
            "alerts": p.alerts * factor,
            "precision": p.precision,
            "recall": p.recall,
            "fpr": p.fpr,
            "alert_rate": p.alert_rate,
        }
        if value_model is not None:
            rec["value"] = value_model.point_value(p) * factor
        if confidence is not None:
            rec.update(_intervals(p, confidence))
        records.append(rec)
    table = pd.DataFrame.from_records(records, index=pd.Index(names, name="group"))
    disparities = group_disparities(table)
    table.attrs["thresholds"] = {n: float(curves[k].thresholds[int(rows[k])]) for k, n in enumerate(names)}
    table.attrs["largest_difference"] = disparities.loc["largest difference"].to_dict()
    table.attrs["smallest_ratio"] = disparities.loc["smallest ratio"].to_dict()
    ratio = disparities.loc["smallest ratio", "alert_rate"]
    table.attrs["selection_rate_ratio"] = ratio
    table.attrs["meets_four_fifths_rule"] = bool(ratio >= FOUR_FIFTHS) if not math.isnan(ratio) else None
    return table


def group_metrics(score_set, thresholds, *, value_model=None, volume=None, confidence=None):
    """Counts and rates by group at each group's threshold (flag ``score >= threshold``).

    Parameters
    ----------
    score_set : ScoreSet
        Scored cases with ``groups``.
    thresholds : float or mapping of group to float
        One threshold for everyone, or one per group (every group, no other key).
        ``inf`` flags nothing.
    value_model : ValueModel, optional
        Adds a ``value`` column: each group's value (currency, per period with ``volume``).
    volume : float, optional
        Cases per period across all groups: the counts and values are then per
        period (each group keeps its share of the cases); rates are unchanged.
    confidence : float, optional
        Adds each rate's two-sided interval by group, ``precision_low``,
        ``precision_high``, ``recall_low`` … ``alert_rate_high`` (Wilson, see
        :func:`aipm_sim.proportion_interval`), from the group's own counts: a
        small group gets a wide interval. With weights the counts are the
        weighted ones (the intervals are then approximate; see
        :meth:`aipm_sim.OperatingPoint.interval` for effective sizes). NaN
        where the rate is undefined.

    Returns
    -------
    pandas.DataFrame
        Indexed by group (sorted), columns ``n_cases``, ``positives``,
        ``alerts`` (weighted counts), ``precision``, ``recall``, ``fpr``,
        ``alert_rate`` (fractions in [0, 1], NaN where undefined: precision of
        a group that flags nothing, recall of a group without positives) and
        ``value`` with a value model. ``attrs`` holds the comparison between
        groups: ``"largest_difference"`` and ``"smallest_ratio"`` (rate →
        number, see :func:`group_disparities`), ``"selection_rate_ratio"``
        (the smallest alert-rate ratio, which the "four-fifths rule" asks to
        be at least 0.8), ``"meets_four_fifths_rule"`` (bool, None when
        undefined) and ``"thresholds"`` (group → threshold).
    """
    names, curves = group_curves(score_set)
    if value_model is not None and not isinstance(value_model, ValueModel):
        raise TypeError(f"value_model must be a ValueModel; found {type(value_model).__name__}")
    if volume is not None:
        volume = require_real(volume, "volume", low=0.0, low_open=True)
    ts = _thresholds_by_group(thresholds, names)
    rows = [c.index_at(t) for c, t in zip(curves, ts)]
    return group_table(names, curves, rows, value_model=value_model, volume=volume, confidence=confidence)


def group_disparities(table):
    """How far apart the groups are, per rate: the largest difference and the smallest ratio.

    Parameters
    ----------
    table : pandas.DataFrame
        A table from :func:`group_metrics` (rate columns ``precision``,
        ``recall``, ``fpr``, ``alert_rate``).

    Returns
    -------
    pandas.DataFrame
        Rows ``"largest difference"`` (highest group's rate minus lowest's, a
        fraction in [0, 1]) and ``"smallest ratio"`` (lowest / highest, in
        [0, 1]; 1 when all groups are at 0; the "four-fifths rule" reads the
        ``alert_rate`` one, the selection-rate ratio), columns the rates.
        Groups whose rate is undefined (NaN) are left out; NaN when fewer
        than one group has the rate.
    """
    out = {}
    for rate in RATES:
        x = table[rate].to_numpy(dtype=float)
        x = x[~np.isnan(x)]
        if x.size == 0:
            out[rate] = (math.nan, math.nan)
            continue
        hi, lo = float(x.max()), float(x.min())
        out[rate] = (hi - lo, 1.0 if hi == 0 else lo / hi)
    return pd.DataFrame(out, index=["largest difference", "smallest ratio"])
