"""Is a model worth building? Rule baselines, return on investment, model variants.

All money is currency per month, with one sign rule:

* a quantity named ``*value*`` or ``*uplift*`` is signed: a gain is
  positive, a loss negative (a fraud scenario's ``model_value_per_month`` is
  negative: what fraud and reviews still cost);
* a quantity named ``*cost*`` (``build_cost``, ``inference_cost_per_month``,
  ``running_cost_per_month``, ``cost_per_1000_predictions``) is the positive
  amount paid, and is *subtracted*: ``net = uplift - inference_cost -
  running_cost``. The same holds for a scenario's cost parameters (e.g.
  ``offer_cost``), which its value model turns into negative cell values.

"Per month" means per month of decisions. When a month's decisions earn
their money over a longer life (a loan's lifetime margin, a retained
customer's lifetime value), that whole value is booked in the month of the
decision, undiscounted: payback and ROI then count months of decisions, and
the cash arrives later than they suggest.

* :func:`amount_rule_curve` – the exact curve of the rule "flag every case
  whose amount is at least A" on a :class:`BinormalModel`'s cases.
* :func:`compare_rule` – the best model decision against the best rule
  decision on the same cases, same money and same constraints.
* :func:`compute_opportunity` – net value per month, ROI and payback period.
* :func:`compare_variants` – several candidate models (AUC, cost per 1,000
  predictions, p95 latency) under a latency budget.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from .._checks import require_real
from ..engine.binormal import BinormalModel
from ..engine.curve import ThresholdCurve
from ..errors import ParameterError

MSG_RULE_THRESHOLDS = "thresholds must be amounts > 0 and finite; found {}"
MSG_RULE_NEEDS_AMOUNTS = "the amount rule needs a model with amounts (amount_mean); this model has none"
MSG_RULE_SIGMA = "the amount rule needs amount_sigma > 0 (with 0 every case of a class has the same amount); found {!r}"
MSG_BUILD_COST = "build_cost must be > 0 (ROI divides by it); found {!r}"
MSG_VARIANT_LENGTHS = "variants and decisions must have the same length; found {} and {}"
MSG_VARIANT_NAMES = "variant names must be unique; {!r} appears more than once"


def amount_rule_curve(model, *, n_cases=1.0, n_thresholds=2001, thresholds=None):
    """Exact curve of "flag every case with amount >= A" on ``model``'s cases.

    The model's amounts are lognormal in each class with the same log-scale
    spread ``s`` (``amount_sigma``) and means ``m0`` (negatives) and ``m1``
    (positives), so, with ``mu = log(m) - s²/2``::

        flagged share of a class  = P(amount >= A)      = sf((log A - mu) / s)
        flagged amount of a class = E[amount; amount >= A] = m · sf((log A - mu) / s - s)

    Parameters
    ----------
    model : BinormalModel
        Must have amounts and ``amount_sigma > 0``.
    n_cases : float
        Population size the expected counts refer to.
    n_thresholds : int
        Amount cut-offs, spaced evenly in log(amount) across both classes'
        ranges (±8 spreads), plus 0 (flag everything).
    thresholds : array-like of float, optional
        Amount cut-offs (> 0, finite) to include exactly, besides the grid
        (e.g. where a capacity constraint binds).

    Returns
    -------
    ThresholdCurve
        ``thresholds`` are amounts (currency), decreasing, row 0 = +inf.
    """
    if not isinstance(model, BinormalModel):
        raise TypeError(f"model must be a BinormalModel; found {type(model).__name__}")
    if model.amount_mean is None:
        raise ParameterError(MSG_RULE_NEEDS_AMOUNTS)
    s = model.amount_sigma
    if s <= 0:
        raise ParameterError(MSG_RULE_SIGMA.format(s))
    n_cases = require_real(n_cases, "n_cases", low=0.0, low_open=True)
    n_thresholds = int(require_real(n_thresholds, "n_thresholds", low=2))
    P = n_cases * model.prevalence
    N = n_cases - P
    m0, m1 = model.amount_mean, model.positive_amount_mean
    means = [m for m in (m0, m1) if m > 0]
    if not means:
        raise ParameterError(MSG_RULE_NEEDS_AMOUNTS)
    mus = [math.log(m) - s * s / 2 for m in means]
    grid = np.exp(np.linspace(min(mus) - 8 * s, max(mus) + 8 * s, n_thresholds))
    extra = np.asarray([] if thresholds is None else thresholds, dtype=np.float64).ravel()
    if not (np.isfinite(extra) & (extra > 0)).all():
        raise ParameterError(MSG_RULE_THRESHOLDS.format(extra.tolist()))
    grid = np.unique(np.concatenate([grid, extra]))[::-1]
    thresholds = np.concatenate([[np.inf], grid, [0.0]])
    log_a = np.log(np.maximum(thresholds, np.finfo(float).tiny))
    log_a[0], log_a[-1] = np.inf, -np.inf

    def share(m):
        if m == 0:  # every amount is 0: flagged only by the cut-off 0
            return (thresholds <= 0).astype(np.float64), np.zeros(len(thresholds))
        mu = math.log(m) - s * s / 2
        z = (log_a - mu) / s
        return stats.norm.sf(z), m * stats.norm.sf(z - s)

    pos_share, pos_amount = share(m1)
    neg_share, neg_amount = share(m0)
    return ThresholdCurve(
        thresholds=thresholds,
        tp=P * pos_share,
        fp=N * neg_share,
        positives=P,
        negatives=N,
        tp_amount=P * pos_amount,
        fp_amount=N * neg_amount,
        positive_amount=P * m1,
        negative_amount=N * m0,
    )


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class RuleComparison:
    """The model's best decision against a simple rule's best, on the same cases.

    Attributes
    ----------
    rule : str
        What the rule does, in words.
    model_decision, rule_decision : Decision or RankingDecision
        Each optimised with the same value model, volume and constraints.
    nothing_value : float
        Value of acting on nothing (no model, no rule), same units.
    model_value, rule_value : float
        The two decisions' values (currency per month for scenarios).
    uplift_over_rule : float
        ``model_value - rule_value``.
    uplift_over_nothing : float
        ``model_value - nothing_value``.
    """

    rule: str
    model_decision: object
    rule_decision: object
    nothing_value: float
    model_value: float
    rule_value: float
    uplift_over_rule: float
    uplift_over_nothing: float

    def to_frame(self):
        """One row per option (nothing, rule, model) with its value and operating point."""
        rows = [{"option": "act on nothing", "value": self.nothing_value}]
        for name, d in (("rule: " + self.rule, self.rule_decision), ("model", self.model_decision)):
            row = {"option": name, "value": d.value, "threshold": d.threshold}
            if hasattr(d, "k"):
                row.update(k=d.k, precision=d.point.precision_shown, hit_rate=d.point.hit_rate,
                           clicks_per_1000_sessions=d.point.clicks_per_1000_sessions)
            else:
                row.update(recall=d.point.recall, precision=d.point.precision, alert_rate=d.point.alert_rate)
            rows.append(row)
        return pd.DataFrame(rows)


def compare_rule(model_decision, rule_decision, *, rule, nothing_value=0.0):
    """Put a model decision and a rule decision side by side.

    Parameters
    ----------
    model_decision, rule_decision : Decision or RankingDecision
        Optimised on the same cases with the same money (the caller's duty).
    rule : str
        The rule in words, e.g. "flag transactions above an amount".
    nothing_value : float
        Value of acting on nothing, same units as the decisions' values.
    """
    nothing_value = require_real(nothing_value, "nothing_value")
    return RuleComparison(
        rule=str(rule),
        model_decision=model_decision,
        rule_decision=rule_decision,
        nothing_value=nothing_value,
        model_value=float(model_decision.value),
        rule_value=float(rule_decision.value),
        uplift_over_rule=float(model_decision.value - rule_decision.value),
        uplift_over_nothing=float(model_decision.value - nothing_value),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Opportunity:
    """What a model is worth per month once its costs are counted.

    Money follows the module's sign rule: ``*value*`` and ``*uplift*``
    fields are signed (gain > 0), ``*cost*`` fields are positive amounts
    that are subtracted.

    Attributes
    ----------
    model_value_per_month, baseline_value_per_month : float
        Value of the model's best decision and of the baseline (a rule, or
        acting on nothing), currency per month, signed.
    gross_uplift_per_month : float
        ``model_value_per_month - baseline_value_per_month``.
    predictions_per_month : float
        Scored cases per month.
    cost_per_1000_predictions : float
        Inference cost, currency per 1,000 predictions (>= 0).
    inference_cost_per_month : float
        ``predictions_per_month / 1000 * cost_per_1000_predictions``.
    running_cost_per_month : float
        Monitoring, retraining, people (>= 0).
    net_value_per_month : float
        ``gross_uplift_per_month - inference_cost_per_month - running_cost_per_month``.
    build_cost : float
        One-off cost to build and launch (> 0).
    horizon_months : float
        Months over which ROI is counted (> 0).
    net_value_over_horizon : float
        ``net_value_per_month * horizon_months - build_cost``.
    roi : float
        ``net_value_over_horizon / build_cost``, a ratio (0.5 = 50 %).
    payback_months : float
        ``build_cost / net_value_per_month``; +inf when the net value per
        month is <= 0 (it never pays back). Months of decisions: see the
        module docstring for values earned over a longer life.
    baseline : str
        What the baseline is, in words (e.g. ``"rule"``, ``"nothing"``);
        empty when not said.
    """

    model_value_per_month: float
    baseline_value_per_month: float
    gross_uplift_per_month: float
    predictions_per_month: float
    cost_per_1000_predictions: float
    inference_cost_per_month: float
    running_cost_per_month: float
    net_value_per_month: float
    build_cost: float
    horizon_months: float
    net_value_over_horizon: float
    roi: float
    payback_months: float
    baseline: str = ""

    def to_dict(self):
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def compute_opportunity(*, model_value_per_month, baseline_value_per_month, predictions_per_month,
                        build_cost, cost_per_1000_predictions, running_cost_per_month, horizon_months,
                        baseline=""):
    """Net value per month, ROI over a horizon and payback period of a model.

    Every argument is keyword-only and described in :class:`Opportunity`;
    costs are positive amounts (they are subtracted).
    """
    model_value = require_real(model_value_per_month, "model_value_per_month")
    baseline_value = require_real(baseline_value_per_month, "baseline_value_per_month")
    predictions = require_real(predictions_per_month, "predictions_per_month", low=0.0)
    try:
        build = float(build_cost)
    except (TypeError, ValueError):
        raise ParameterError(MSG_BUILD_COST.format(build_cost)) from None
    if not (math.isfinite(build) and build > 0):
        raise ParameterError(MSG_BUILD_COST.format(build_cost))
    per_1000 = require_real(cost_per_1000_predictions, "cost_per_1000_predictions", low=0.0)
    running = require_real(running_cost_per_month, "running_cost_per_month", low=0.0)
    horizon = require_real(horizon_months, "horizon_months", low=0.0, low_open=True)
    gross = model_value - baseline_value
    inference = predictions / 1000.0 * per_1000
    net = gross - inference - running
    over = net * horizon - build
    return Opportunity(
        model_value_per_month=model_value,
        baseline_value_per_month=baseline_value,
        gross_uplift_per_month=gross,
        predictions_per_month=predictions,
        cost_per_1000_predictions=per_1000,
        inference_cost_per_month=inference,
        running_cost_per_month=running,
        net_value_per_month=net,
        build_cost=build,
        horizon_months=horizon,
        net_value_over_horizon=over,
        roi=over / build,
        payback_months=build / net if net > 0 else math.inf,
        baseline=str(baseline),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class ModelVariant:
    """A candidate model: how well it ranks, what it costs to run, how fast it answers.

    Parameters
    ----------
    name : str
    auc : float
        Expected AUC, in [0.5, 1).
    cost_per_1000_predictions : float
        Inference cost, currency per 1,000 predictions, >= 0.
    p95_latency_ms : float
        95th-percentile response time, milliseconds, >= 0.
    description, source : str
        What it is, and where its numbers come from.
    """

    name: str
    auc: float
    cost_per_1000_predictions: float
    p95_latency_ms: float
    description: str = ""
    source: str = ""

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name:
            raise ParameterError(f"name must be a non-empty string; found {self.name!r}")
        BinormalModel(0.5, self.auc)  # validates the AUC with the package's message
        object.__setattr__(self, "auc", float(self.auc))
        object.__setattr__(self, "cost_per_1000_predictions",
                           require_real(self.cost_per_1000_predictions, "cost_per_1000_predictions", low=0.0))
        object.__setattr__(self, "p95_latency_ms", require_real(self.p95_latency_ms, "p95_latency_ms", low=0.0))


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class VariantComparison:
    """Model variants compared by net value per month under a latency budget.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per variant, in the order given: variant, auc,
        cost_per_1000_predictions, p95_latency_ms, within_latency_budget,
        threshold (and k for rankings), value_per_month,
        baseline_value_per_month, inference_cost_per_month,
        net_value_per_month, roi, payback_months. The ``*value*`` columns are
        signed (gain > 0); the ``*cost*`` columns are positive amounts,
        subtracted: ``net_value_per_month = value_per_month -
        baseline_value_per_month - inference_cost_per_month -
        running_cost_per_month``.
    best : str or None
        The variant within the budget with the highest net value per month
        (ties: the first listed); None when no variant meets the budget.
    latency_budget_ms : float
        +inf when there is no budget.
    opportunities : tuple of Opportunity
        Aligned with the table rows.
    currency : str or None
        Money unit of the decisions (their ``currency`` label), for charts.
    """

    table: pd.DataFrame
    best: str | None
    latency_budget_ms: float
    opportunities: tuple
    currency: str | None = None


def compare_variants(variants, decisions, *, baseline_value_per_month, predictions_per_month, build_cost,
                     running_cost_per_month, horizon_months, latency_budget_ms=None, baseline=""):
    """Net value of each model variant, and the best one within a latency budget.

    Parameters
    ----------
    variants : sequence of ModelVariant
    decisions : sequence of Decision or RankingDecision
        The best decision each variant allows (same order), values in
        currency per month.
    baseline_value_per_month, predictions_per_month, build_cost, running_cost_per_month, horizon_months, baseline
        As in :func:`compute_opportunity` (shared by every variant).
    latency_budget_ms : float, optional
        Variants with ``p95_latency_ms`` above it are out. None: no budget.

    Returns
    -------
    VariantComparison
    """
    variants, decisions = list(variants), list(decisions)
    if len(variants) != len(decisions):
        raise ParameterError(MSG_VARIANT_LENGTHS.format(len(variants), len(decisions)))
    seen = set()
    for v in variants:
        if not isinstance(v, ModelVariant):
            raise TypeError(f"variants must be ModelVariant objects; found {type(v).__name__}")
        if v.name in seen:
            raise ParameterError(MSG_VARIANT_NAMES.format(v.name))
        seen.add(v.name)
    budget = math.inf if latency_budget_ms is None else require_real(latency_budget_ms, "latency_budget_ms", low=0.0)
    rows, opportunities = [], []
    best, best_net = None, -math.inf
    for v, d in zip(variants, decisions):
        opp = compute_opportunity(
            model_value_per_month=d.value,
            baseline_value_per_month=baseline_value_per_month,
            predictions_per_month=predictions_per_month,
            build_cost=build_cost,
            cost_per_1000_predictions=v.cost_per_1000_predictions,
            running_cost_per_month=running_cost_per_month,
            horizon_months=horizon_months,
            baseline=baseline,
        )
        ok = v.p95_latency_ms <= budget
        row = {
            "variant": v.name,
            "auc": v.auc,
            "cost_per_1000_predictions": v.cost_per_1000_predictions,
            "p95_latency_ms": v.p95_latency_ms,
            "within_latency_budget": ok,
            "threshold": d.threshold,
        }
        if hasattr(d, "k"):
            row["k"] = d.k
        row.update(
            value_per_month=opp.model_value_per_month,
            baseline_value_per_month=opp.baseline_value_per_month,
            inference_cost_per_month=opp.inference_cost_per_month,
            net_value_per_month=opp.net_value_per_month,
            roi=opp.roi,
            payback_months=opp.payback_months,
        )
        rows.append(row)
        opportunities.append(opp)
        if ok and opp.net_value_per_month > best_net:
            best, best_net = v.name, opp.net_value_per_month
    currencies = {getattr(d, "currency", None) for d in decisions}
    return VariantComparison(table=pd.DataFrame(rows), best=best, latency_budget_ms=budget,
                             opportunities=tuple(opportunities),
                             currency=currencies.pop() if len(currencies) == 1 else None)
