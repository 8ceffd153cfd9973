"""The groups' tables for people: column names in words, percentages, money with its unit, no NaN."""

from __future__ import annotations

import math

import pandas as pd

#: Column names in words (tables of :func:`group_metrics`, :func:`group_disparities`, ``GroupSimulation.compare``).
COLUMN_WORDS = {
    "n_cases": "cases", "positives": "positives", "alerts": "flagged cases", "precision": "precision",
    "recall": "recall", "fpr": "false alarm rate", "alert_rate": "flag rate",
    "measured_prevalence": "prevalence as recorded", "true_prevalence": "true prevalence",
    "measured_recall": "recall as measured", "true_recall": "true recall",
    "measured_precision": "precision as measured", "true_precision": "true precision",
}
COUNTS = ("n_cases", "positives", "alerts")
UNDEFINED = "undefined"


def _percent(x):
    return UNDEFINED if not math.isfinite(x) else f"{100 * x:.1f}%"


def _counts(x):
    """A column of counts: whole numbers, or one decimal for all when some are fractional (weighted cases)."""
    whole = all(not math.isfinite(v) or v == round(v) for v in x)
    return [UNDEFINED if not math.isfinite(v) else f"{v:,.0f}" if whole else f"{v:,.1f}" for v in x]


def group_table_in_words(table, *, currency=None, period=None):
    """A groups table with its column names in words and every number formatted, for people.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`group_metrics`, :func:`group_disparities` or
        :meth:`GroupSimulation.compare`.
    currency : str, optional
        Unit of the ``value`` column ("EUR").
    period : str, optional
        Its period ("month"): the value column reads "value (EUR per month)".

    Returns
    -------
    pandas.DataFrame
        Strings: rates as percentages (``44.4%``), counts with thousands
        separators, value in whole currency units; an undefined rate (a group
        that flags nothing has no precision) reads "undefined". For
        :func:`group_disparities`, differences read in percentage points and
        ratios with two decimals.
    """
    unit = " ".join(p for p in (currency, f"per {period}" if period else None) if p)
    value_head = f"value ({unit})" if unit else "value"
    out = pd.DataFrame(index=table.index)
    disparities = list(table.index) == ["largest difference", "smallest ratio"]
    for col in table.columns:
        x = table[col].to_numpy(dtype=float)
        if disparities:
            cells = [UNDEFINED if not math.isfinite(x[0]) else f"{100 * x[0]:.1f} points",
                     UNDEFINED if not math.isfinite(x[1]) else f"{x[1]:.2f}"]
        elif col == "value":
            cells = [UNDEFINED if not math.isfinite(v) else f"{v:,.0f}".replace("-", "\N{MINUS SIGN}") for v in x]
        elif col in COUNTS:
            cells = _counts(x)
        else:
            cells = [_percent(v) for v in x]
        out[value_head if col == "value" else COLUMN_WORDS.get(col, col.replace("_", " "))] = cells
    out.index.name = None if table.index.name is None else str(table.index.name).replace("_", " ")
    return out
