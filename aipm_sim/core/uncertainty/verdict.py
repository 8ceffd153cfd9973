"""Success criteria of a scenario, judged with a stated confidence: ``scenario.verdict()``.

A scenario file may say what success means::

    [success]
    min_recall = 0.7            # recall at least 70 %
    min_precision = 0.2         # precision at least 20 %
    min_value_per_month = 0     # the model must not lose money
    confidence = 0.9            # each judged with 90 % confidence
    validation_cases = 5000     # scenarios with a synthetic (binormal) model: the validation size

Each criterion is judged at the scenario's decision (its best threshold),
on its validation data, by a one-sided confidence bound: a criterion is
*met* when the bound clears it, *not met* when even the opposite bound falls
short, and *not shown* in between (the data cannot tell). Rates use the exact
Clopper-Pearson bound (Kish's effective counts for weighted data); the value
per month uses the stratified bootstrap of :func:`simulate_uncertainty`.

A binormal scenario has no sampling error of its own; ``validation_cases``
says how large the validation will be. Rates are then judged as that
validation would judge them if it measured the model's rates exactly (the
model's expected counts among that many cases), and the value by a bootstrap
of one validation set of that size drawn from the model (``seed``, default 0).
Each criterion is a separate statement at the stated confidence.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..._format import fmt_count, fmt_level, fmt_money, fmt_percent
from .intervals import effective_counts, one_sided_bound

#: Criteria a ``[success]`` table may hold: name → (metric, kind).
CRITERIA = {
    "min_recall": ("recall", "min"),
    "min_precision": ("precision", "min"),
    "max_fpr": ("fpr", "max"),
    "max_alert_rate": ("alert_rate", "max"),
    "min_value_per_month": ("value", "min"),
}
#: Other keys of the table.
SETTINGS = ("confidence", "validation_cases", "seed", "resamples")
_WORDS = {"recall": "recall", "precision": "precision", "fpr": "false positive rate",
          "alert_rate": "alert rate", "value": "value"}
#: Why a bound is undefined (no cases of the metric's kind at the decision), in words.
_NO_EVIDENCE = {"recall": "the validation data hold no positives", "precision": "nothing is flagged at this threshold",
                "fpr": "the validation data hold no negatives", "alert_rate": "the validation data hold no cases",
                "value": "the value is undefined"}
MET, NOT_MET, NOT_SHOWN = "met", "not met", "not shown"


def _pct(x):
    return fmt_percent(x)


@dataclass(frozen=True, slots=True, kw_only=True)
class Criterion:
    """One success criterion judged at the decision.

    Attributes
    ----------
    name : str
        The key in ``[success]`` (``"min_recall"``).
    target : float
        The bound asked for (a fraction, or currency per month for the value).
    estimate : float
        The measured (or, for a model, expected) number at the decision.
    bound : float
        The one-sided confidence bound on the side the criterion needs
        (lower for ``min_*``, upper for ``max_*``).
    opposite : float
        The bound on the other side (to tell "not met" from "not shown").
    outcome : {"met", "not met", "not shown"}
    confidence : float
    words : str
        The verdict in words, e.g. ``"recall ≥ 70.0%: met with 90.0% confidence (lower bound 73.1%)"``.
    """

    name: str
    target: float
    estimate: float
    bound: float
    opposite: float
    outcome: str
    confidence: float
    words: str

    @property
    def met(self):
        return self.outcome == MET


@dataclass(frozen=True, slots=True, kw_only=True)
class Verdict:
    """All success criteria of a scenario (see :meth:`aipm_sim.Scenario.verdict`).

    Attributes
    ----------
    criteria : tuple of Criterion
    confidence : float
    threshold : float
        The decision's threshold the criteria were judged at.
    validation : str
        Where the evidence comes from, in words (``"5,000 validation cases (expected counts of the model)"``).
    """

    criteria: tuple
    confidence: float
    threshold: float
    validation: str

    @property
    def met(self):
        """Whether every criterion is met with the confidence."""
        return all(c.met for c in self.criteria)

    def describe(self):
        """One line per criterion."""
        return "\n".join(c.words for c in self.criteria)


def _words(name, target, outcome, confidence, bound, currency):
    metric, kind = CRITERIA[name]
    sign = "≥" if kind == "min" else "≤"
    side = "lower" if kind == "min" else "upper"
    if metric == "value":  # a true minus sign, as the report's money
        said, shown = (fmt_money(x, currency) for x in (target, bound))
        said += " per month"
    else:
        said, shown = fmt_level(target), _pct(bound)
    head = f"{_WORDS[metric]} {sign} {said}"
    if math.isnan(bound):
        return f"{head}: not shown ({_NO_EVIDENCE[metric]})"
    if outcome == MET:
        return f"{head}: met with {fmt_level(confidence)} confidence ({side} bound {shown})"
    if outcome == NOT_MET:
        other = "upper" if kind == "min" else "lower"
        return f"{head}: not met ({other} bound {shown} with {fmt_level(confidence)} confidence)"
    return f"{head}: not shown with {fmt_level(confidence)} confidence ({side} bound {shown})"


def judge(success, *, decision, score_set=None, model=None, volume, currency):
    """The :class:`Verdict` of a ``[success]`` table (numbers already evaluated) at ``decision``.

    Parameters
    ----------
    success : mapping
        Criteria and settings (see the module docstring).
    decision : Decision
        The scenario's decision (its threshold is judged).
    score_set : ScoreSet, optional
        Labelled validation data (a file scenario).
    model : BinormalModel, optional
        The synthetic model (a binormal scenario); needs ``validation_cases``.
    volume : float
        Cases per month (for the value).
    currency : str
    """
    from .bootstrap import simulate_uncertainty
    from ..engine.curve import ThresholdCurve

    confidence = float(success.get("confidence", 0.9))
    t = decision.threshold
    if model is not None:
        n_val = float(success["validation_cases"])
        point = model.point(t)
        validation = f"{fmt_count(n_val)} validation cases (the model's expected counts)"
        sample = None
    else:
        point = ThresholdCurve.from_scores(score_set).at(t) if np.isfinite(t) else \
            ThresholdCurve.from_scores(score_set).point(0)
        n_val = None
        validation = f"{len(score_set):,} labelled validation cases"
        sample = score_set
    out = []
    for name, (metric, kind) in CRITERIA.items():
        if name not in success:
            continue
        target = float(success[name])
        if metric == "value":
            if sample is None:
                sample = model.sample(int(round(n_val)), seed=int(success.get("seed", 0)))
            u = simulate_uncertainty(sample, decision.value_model, resamples=int(success.get("resamples", 200)),
                                     seed=int(success.get("seed", 0)), confidence=confidence, volume=volume,
                                     max_rows=500)
            row = u.row_at(t)
            values = u.metrics["value"][:, row]
            low, high = float(np.quantile(values, 1 - confidence)), float(np.quantile(values, confidence))
            estimate = float(decision.value)
        else:
            k, n = effective_counts(point, metric, validation_cases=n_val,
                                    score_set=None if model is not None else score_set)
            low = float(one_sided_bound(k, n, confidence=confidence, side="lower"))
            high = float(one_sided_bound(k, n, confidence=confidence, side="upper"))
            estimate = k / n if n else math.nan
        bound, opposite = (low, high) if kind == "min" else (high, low)
        if kind == "min":
            outcome = MET if bound >= target else (NOT_MET if opposite < target else NOT_SHOWN)
        else:
            outcome = MET if bound <= target else (NOT_MET if opposite > target else NOT_SHOWN)
        if math.isnan(bound):
            outcome = NOT_SHOWN
        shown = opposite if outcome == NOT_MET else bound
        out.append(Criterion(name=name, target=target, estimate=estimate, bound=bound, opposite=opposite,
                             outcome=outcome, confidence=confidence,
                             words=_words(name, target, outcome, confidence, shown, currency)))
    return Verdict(criteria=tuple(out), confidence=confidence, threshold=t, validation=validation)
