"""How many labelled cases a validation needs, and how wide its interval will be.

Both answers use the Wilson interval of :func:`~aipm_sim.proportion_interval`
(the default interval everywhere in aipm_sim), evaluated at the rate one
expects to see: :func:`interval_width` is the Wilson half-width for a given
number of relevant cases, and :func:`labels_needed` the smallest whole number
of relevant cases whose half-width is at most the margin asked for.

The textbook normal approximation ``n = z² p (1 - p) / h²`` gives nearly the
same numbers (recall 0.8 within ±0.05 at 95 %: 245.9, so 246 positives;
Wilson: 245); Wilson is used so that a validation of the size given here
does show the margin promised with the interval the rest of the package
draws.
"""

from __future__ import annotations

import math
from dataclasses import dataclass



import numpy as np

from ..._format import fmt_count, fmt_level, fmt_percent
from .._checks import require_real
from ..errors import ParameterError
from .intervals import check_confidence, check_metric, proportion_interval

#: The relevant cases of each metric (the trials of its proportion), in words.
RELEVANT = {"recall": "positives", "precision": "flagged cases", "fpr": "negatives",
            "specificity": "negatives", "alert_rate": "cases"}
METRICS = tuple(RELEVANT)

MSG_EXPECTED = "expected must be a fraction in (0, 1) (the rate you expect to see); found {!r}"
MSG_HALF_WIDTH = "half_width must be a fraction in (0, 0.5) (the ± margin, e.g. 0.05); found {!r}"
MSG_RELEVANT = "relevant must be a number of cases >= 1; found {!r}"
MSG_SHARE = "{} must be a fraction in (0, 1]; found {!r}"
MSG_BOTH_SHARES = "give prevalence or alert_rate, not both"
MSG_CONVERT = "cases for {} are converted from {} with {}=…; {} was given"

#: Search limit: more relevant cases than this are never needed for a half-width >= 1e-4.
_MAX_RELEVANT = 10 ** 12


@dataclass(frozen=True, slots=True, kw_only=True)
class LabelsNeeded:
    """Labelled cases a validation needs so that a rate's interval is at most ``± half_width``.

    Attributes
    ----------
    metric : str
    expected : float
        Rate expected (a fraction).
    half_width : float
        The margin asked for (a fraction): the interval is ``expected ± half_width`` at most.
    confidence : float
    relevant : int
        Cases of the metric's kind needed: positives for recall, flagged
        cases for precision, negatives for fpr and specificity, all cases for
        the alert rate.
    relevant_name : str
        Their name in words (``"positives"``).
    cases : int or None
        Labelled cases in total: ``relevant`` divided by the share of cases
        of that kind (the prevalence for recall, 1 - prevalence for fpr, the
        alert rate for precision), rounded up; None when that share was not
        given (equal to ``relevant`` for the alert rate).
    """

    metric: str
    expected: float
    half_width: float
    confidence: float
    relevant: int
    relevant_name: str
    cases: int | None

    def describe(self):
        """E.g. ``"recall 80.0% ± 5.00% with 95.0% confidence needs 245 positives (24,500 labelled cases)"``."""
        out = (f"{self.metric.replace('_', ' ')} {fmt_percent(self.expected)} ± {fmt_percent(self.half_width)} with "
               f"{fmt_level(self.confidence)} confidence needs {fmt_count(self.relevant)} {self.relevant_name}")
        if self.cases is not None and self.metric != "alert_rate":
            out += f" ({fmt_count(self.cases)} labelled cases)"
        return out


def _check(metric, expected, confidence):
    check_metric(metric, METRICS)
    try:
        p = float(expected)
    except (TypeError, ValueError):
        raise ParameterError(MSG_EXPECTED.format(expected)) from None
    if not 0.0 < p < 1.0:
        raise ParameterError(MSG_EXPECTED.format(expected))
    return p, check_confidence(confidence)


def _half_width(p, n, confidence):
    low, high = proportion_interval(p * n, n, confidence=confidence)
    return (high - low) / 2


def interval_width(metric, expected, relevant, *, confidence=0.95):
    """Half-width (the ± margin) of the Wilson interval of ``metric`` when it reads ``expected`` among ``relevant`` cases.

    Parameters
    ----------
    metric : {"recall", "precision", "fpr", "specificity", "alert_rate"}
    expected : float
        The rate seen, a fraction in (0, 1).
    relevant : float or array-like
        Cases of the metric's kind (positives for recall …), >= 1 (an array gives an array).
    confidence : float
        A fraction in (0, 1).

    Returns
    -------
    float
        A fraction: the interval is about ``expected ± half-width`` (Wilson's
        is slightly asymmetric; this is half its length).
    """
    p, confidence = _check(metric, expected, confidence)
    try:
        n = np.asarray(relevant, dtype=np.float64)
    except (TypeError, ValueError):
        raise ParameterError(MSG_RELEVANT.format(relevant)) from None
    if not (np.isfinite(n).all() and (n >= 1).all()):
        raise ParameterError(MSG_RELEVANT.format(relevant))
    half = _half_width(p, n, confidence)
    return float(half) if np.ndim(relevant) == 0 else np.asarray(half)


def labels_needed(metric, expected, half_width, *, confidence=0.95, prevalence=None, alert_rate=None):
    """The labelled cases a validation needs to measure ``metric`` within ``± half_width``.

    Parameters
    ----------
    metric : {"recall", "precision", "fpr", "specificity", "alert_rate"}
    expected : float
        The rate you expect to see, a fraction in (0, 1) (e.g. 0.8 for recall 80 %).
    half_width : float
        The margin, a fraction in (0, 0.5): 0.05 for "± 5 points".
    confidence : float
        A fraction in (0, 1).
    prevalence : float, optional
        Share of positives among all cases, to convert positives (recall) or
        negatives (fpr, specificity) into labelled cases.
    alert_rate : float, optional
        Share of cases flagged, to convert flagged cases (precision) into labelled cases.

    Returns
    -------
    LabelsNeeded
        ``relevant``: the smallest whole number of relevant cases whose Wilson
        half-width (see :func:`interval_width`) is at most ``half_width``.
        E.g. recall 0.8 ± 0.05 at 95 %: 245 positives, 24,500 cases at 1 %
        prevalence (the normal approximation says 246 and 24,600).

    Raises
    ------
    ParameterError
        For an unknown metric, an expected rate outside (0, 1), a half-width
        outside (0, 0.5), a confidence outside (0, 1), a share outside (0, 1],
        both shares, or a share that does not convert this metric.
    """
    p, confidence = _check(metric, expected, confidence)
    try:
        h = float(half_width)
    except (TypeError, ValueError):
        raise ParameterError(MSG_HALF_WIDTH.format(half_width)) from None
    if not 0.0 < h < 0.5:
        raise ParameterError(MSG_HALF_WIDTH.format(half_width))
    if prevalence is not None and alert_rate is not None:
        raise ParameterError(MSG_BOTH_SHARES)
    share = None
    if prevalence is not None:
        prevalence = require_real(prevalence, "prevalence", low=0.0, high=1.0, low_open=True)
        if metric == "recall":
            share = prevalence
        elif metric in ("fpr", "specificity"):
            share = 1.0 - prevalence
        elif metric == "precision":
            raise ParameterError(MSG_CONVERT.format(metric, "flagged cases", "alert_rate", "prevalence"))
    if alert_rate is not None:
        alert_rate = require_real(alert_rate, "alert_rate", low=0.0, high=1.0, low_open=True)
        if metric != "precision" and metric != "alert_rate":
            raise ParameterError(MSG_CONVERT.format(metric, RELEVANT[metric], "prevalence", "alert_rate"))
        if metric == "precision":
            share = alert_rate
    if metric == "alert_rate":
        share = 1.0
    n = _smallest(p, h, confidence)
    cases = None if share is None or share == 0 else int(math.ceil(n / share - 1e-9))
    return LabelsNeeded(metric=metric, expected=p, half_width=h, confidence=confidence, relevant=n,
                        relevant_name=RELEVANT[metric], cases=cases)


def _smallest(p, h, confidence):
    """Smallest n >= 1 with Wilson half-width <= h (the half-width decreases in n: bisection)."""
    lo, hi = 1, 2
    while _half_width(p, hi, confidence) > h:
        lo, hi = hi, hi * 2
        if hi > _MAX_RELEVANT:
            return int(hi)
    if _half_width(p, lo, confidence) <= h:
        return lo
    while hi - lo > 1:  # invariant: width(lo) > h >= width(hi)
        mid = (lo + hi) // 2
        if _half_width(p, mid, confidence) > h:
            lo = mid
        else:
            hi = mid
    return int(hi)


def normal_approximation(expected, half_width, *, confidence=0.95):
    """The textbook ``z² p (1 - p) / h²`` (a float, not rounded), for comparison."""
    from scipy import stats

    z = stats.norm.isf((1 - confidence) / 2)
    return float(z * z * expected * (1 - expected) / half_width ** 2)



