"""What to do after launch, priced in money: do nothing, re-threshold, retrain on a schedule or on an alert.

Every policy is played on the same simulated cases (:class:`Production`), in
order, period by period:

1. at the start of period ``t`` (t >= 1) the policy may **retrain**: every
   ``retrain_every`` periods, or after a drift alert at the end of the
   previous period. A retrain needs labels newer than the deployed model's:
   it uses those of period ``L = t - 1 - label_delay`` (the latest known),
   costs ``retrain_cost``, and gives a model calibrated for period ``L``'s
   share of positives (kept half a case from 0 and 1: :func:`trained_prevalence`)
   and seeing its shift; the threshold goes back to the
   launch threshold. Without newer labels nothing happens and nothing is paid;
2. a **re-threshold** policy moves the threshold to
   :func:`~aipm_sim.adjust_threshold` of the launch threshold, from the
   prevalence the model was trained on to the prevalence estimated (EM,
   label-free) on the previous period's scores, and pays
   ``recalibrate_cost`` each period it does;
3. the period's cases are scored and flagged; its value is the realized
   value (labels arrive later, but the money is what it is);
4. at the end of the period the drift statistic of its scores against the
   model's training scores is computed; above its threshold it is an alert.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..._format import fmt_money
from .._checks import require_real, require_whole
from ..engine.value import ValueModel
from ..errors import ParameterError
from .drift import _check_method, _statistic, drift_null
from .prior_shift import adjust_threshold, em_prevalence
from .production import NULL_RESAMPLES, NULL_SEED, DeployedModel, Production

MSG_POLICY = ("unknown policy {!r}; policies are 'do_nothing', 'rethreshold', 'retrain_every_K' (K a whole "
              "number >= 1), 'retrain_on_drift', or several joined by '+'")
MSG_POLICIES = "policies must be a non-empty list of policy names or Policy objects; found {!r}"
MSG_RETRAIN_EVERY = "retrain_every must be a whole number of periods >= 1 or None; found {!r}"

DEFAULT_POLICIES = ("do_nothing", "rethreshold", "retrain_every_4", "retrain_on_drift")


@dataclass(frozen=True, slots=True, kw_only=True)
class Policy:
    """One way of running the model after launch.

    Parameters
    ----------
    name : str
        In words, for tables and charts (e.g. ``"Retrain every 4 periods"``).
    rethreshold : bool
        Move the threshold each period to the estimated prevalence.
    retrain_every : int, optional
        Retrain every that many periods.
    retrain_on_drift : bool
        Retrain after a period whose drift statistic exceeds its threshold.
    drift_method : str
        The drift statistic watched (alerts are counted for every policy).
    drift_threshold : float, optional
        Its alert threshold. None: the production's (for its statistic), else
        the 99th percentile of the statistic's no-drift noise at the
        production's period size (:func:`~aipm_sim.drift_null` on the
        reference scores), because a fixed PSI of 0.1 is rarely reached by a
        whole population's scores even when the fraud rate doubles.
    """

    name: str
    rethreshold: bool = False
    retrain_every: int | None = None
    retrain_on_drift: bool = False
    drift_method: str = "psi"
    drift_threshold: float | None = None

    def __post_init__(self):
        if self.retrain_every is not None:
            object.__setattr__(self, "retrain_every", require_whole(
                self.retrain_every, MSG_RETRAIN_EVERY.format(self.retrain_every), low=1))
        _check_method(self.drift_method)
        if self.drift_threshold is not None:
            object.__setattr__(self, "drift_threshold", require_real(self.drift_threshold, "drift_threshold", low=0.0))

    @classmethod
    def from_name(cls, spec, *, period="period"):
        """A policy from its short name (see :data:`DEFAULT_POLICIES`); parts joined by ``+`` combine."""
        if isinstance(spec, Policy):
            return spec
        if not isinstance(spec, str) or not spec:
            raise ParameterError(MSG_POLICY.format(spec))
        kw, words = {}, []
        for part in spec.split("+"):
            part = part.strip()
            m = re.fullmatch(r"retrain_every_(\d+)", part)
            if part == "do_nothing":
                words.append("do nothing")
            elif part == "rethreshold":
                kw["rethreshold"] = True
                words.append("re-threshold on the estimated prevalence")
            elif part == "retrain_on_drift":
                kw["retrain_on_drift"] = True
                words.append("retrain when the drift alert fires")
            elif m and int(m.group(1)) >= 1:
                k = int(m.group(1))
                kw["retrain_every"] = k
                words.append(f"retrain every {k} {period}s" if k > 1 else f"retrain every {period}")
            else:
                raise ParameterError(MSG_POLICY.format(spec))
        name = " and ".join(words)
        return cls(name=name[0].upper() + name[1:], **kw)


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class PolicyComparison:
    """Policies compared on one simulated production (see :func:`compare_policies`).

    Attributes
    ----------
    table : pandas.DataFrame
        One row per policy: total value before costs, retrains,
        recalibrations, costs (negative), net value, alerts raised, periods
        below target, and the difference in net value from doing nothing.
    per_period : pandas.DataFrame
        One row per policy and period: threshold, value, costs, net and
        cumulative net value, precision, recall, alert, retrained.
    interval_gains : pandas.DataFrame
        For each retraining interval k = 1 … periods: net value of
        "retrain every k" minus doing nothing.
    break_even_interval : int or None
        The shortest interval at which retraining on a schedule still pays
        for itself (net gain >= 0); None if no interval does.
    best_interval : int or None
        The interval with the largest net gain (None if none gains).
    best_policy : str
        Name of the policy with the highest net value.
    verdict : str
        One sentence in words.
    currency, period : str
    """

    table: pd.DataFrame
    per_period: pd.DataFrame
    interval_gains: pd.DataFrame
    break_even_interval: int | None
    best_interval: int | None
    best_policy: str
    verdict: str
    currency: str
    period: str


def trained_prevalence(share, n):
    """The prevalence a model retrained on ``n`` labelled cases with ``share`` positives believes: the share,
    kept half a case away from 0 and 1 (a period without positives still leaves some doubt)."""
    return float(min(max(share, 0.5 / n), 1.0 - 0.5 / n))


class _Runner:
    """Plays policies on one production, caching what policies share (a model's scores' value, EM, drift)."""

    def __init__(self, production, value_model, volume):
        self.p = production
        self.vm = value_model
        self.factor = 1.0 if volume is None else volume / production.cases_per_period
        self._scores = {}
        self._cache = {}

    def threshold(self, policy):
        """The policy's alert threshold; by default the 99th percentile of the no-drift noise at this size."""
        if policy.drift_threshold is not None:
            return policy.drift_threshold
        if policy.drift_method == self.p.drift_method:
            return self.p.drift_threshold
        key = ("null", policy.drift_method)
        if key not in self._cache:
            ref = self.p.reference.scores
            self._cache[key] = drift_null(ref, self.p.cases_per_period, method=policy.drift_method,
                                          resamples=NULL_RESAMPLES, seed=NULL_SEED).threshold
        return self._cache[key]

    def scores(self, model, t):
        key = (model, t)
        if key not in self._scores:
            if len(self._scores) > 64:
                self._scores.clear()
            self._scores[key] = self.p.scores(t, model)
        return self._scores[key]

    def outcome(self, model, t, threshold):
        key = ("outcome", model, t, threshold)
        if key not in self._cache:
            point = self.p.outcome(t, self.scores(model, t), threshold)
            self._cache[key] = (self.vm.point_value(point) * self.factor, point.precision, point.recall)
        return self._cache[key]

    def prevalence(self, model, t):
        key = ("em", model, t)
        if key not in self._cache:
            self._cache[key] = em_prevalence(self.scores(model, t), model.prevalence)[0]
        return self._cache[key]

    def drift(self, model, t, method):
        key = ("drift", model, t, method)
        if key not in self._cache:
            train = self.scores(model, model.data_period)
            self._cache[key] = _statistic(train, self.scores(model, t), method, 10, p_value=False)[0]
        return self._cache[key]

    def play(self, policy, retrain_cost, recalibrate_cost, *, watch=True):
        p = self.p
        model = p.launch_model
        threshold = p.threshold
        alert_before = False
        rows = []
        for t in range(p.periods):
            cost = 0.0
            retrained = recalibrated = False
            if t >= 1:
                due = (policy.retrain_every is not None and t % policy.retrain_every == 0) or (
                    policy.retrain_on_drift and alert_before)
                newest = t - 1 - p.label_delay
                if due and newest >= 0 and newest > model.data_period:
                    model = DeployedModel(newest, trained_prevalence(p.prevalence[newest], p.cases_per_period))
                    threshold = p.threshold
                    cost -= retrain_cost
                    retrained = True
                if policy.rethreshold:
                    estimate = self.prevalence(model, t - 1) if model.data_period < t - 1 else model.prevalence
                    threshold = adjust_threshold(p.threshold, from_prevalence=model.prevalence,
                                                 to_prevalence=estimate)
                    cost -= recalibrate_cost
                    recalibrated = True
            value, precision, recall = self.outcome(model, t, threshold)
            stat = self.drift(model, t, policy.drift_method) if watch or policy.retrain_on_drift else math.nan
            alert_before = bool(stat > self.threshold(policy))
            rows.append({"policy": policy.name, "period": t, "threshold": threshold, "value": value,
                         "costs": cost, "net value": value + cost, "precision": precision, "recall": recall,
                         "drift": stat, "alert": alert_before, "retrained": retrained,
                         "recalibrated": recalibrated})
        frame = pd.DataFrame(rows)
        frame["cumulative net value"] = frame["net value"].cumsum()
        return frame


def _money(x, currency):
    return fmt_money(x, currency or None)


def compare_policies(production, value_model, *, policies=DEFAULT_POLICIES, retrain_cost=0.0, recalibrate_cost=0.0,
                     volume=None, min_recall=None, min_precision=None, currency="", period="period"):
    """Play each policy on the same simulated production and price it.

    Parameters
    ----------
    production : Production
        From :func:`simulate_production`.
    value_model : ValueModel
        Money per outcome (gains > 0, costs < 0).
    policies : sequence of str or Policy
        Short names (``"do_nothing"``, ``"rethreshold"``, ``"retrain_every_4"``,
        ``"retrain_on_drift"``, or several joined by ``+``) or :class:`Policy`
        objects. "Do nothing" is always computed (the baseline).
    retrain_cost, recalibrate_cost : float
        Money paid per retrain / per period of re-thresholding (>= 0, in
        currency; shown as negative costs).
    volume : float, optional
        Real cases per period: values are scaled from ``cases_per_period`` to it.
    min_recall, min_precision : float, optional
        Success criteria: periods whose realized recall / precision fall below
        are counted as "periods below target".
    currency, period : str
        Words for the verdict (``"EUR"``, ``"week"``).

    Returns
    -------
    PolicyComparison
    """
    if not isinstance(production, Production):
        raise TypeError(f"production must be a Production (from simulate_production); found {type(production).__name__}")
    if not isinstance(value_model, ValueModel):
        raise TypeError(f"value_model must be a ValueModel; found {type(value_model).__name__}")
    if isinstance(policies, (str, Policy)) or not policies:
        raise ParameterError(MSG_POLICIES.format(policies))
    retrain_cost = require_real(retrain_cost, "retrain_cost", low=0.0)
    recalibrate_cost = require_real(recalibrate_cost, "recalibrate_cost", low=0.0)
    if volume is not None:
        volume = require_real(volume, "volume", low=0.0, low_open=True)
    for name, bound in (("min_recall", min_recall), ("min_precision", min_precision)):
        if bound is not None:
            require_real(bound, name, low=0.0, high=1.0)
    chosen = [Policy.from_name(spec, period=period) for spec in policies]
    baseline = Policy.from_name("do_nothing", period=period)
    runner = _Runner(production, value_model, volume)
    frames = {pol.name: runner.play(pol, retrain_cost, recalibrate_cost) for pol in [baseline, *chosen]}
    base_net = float(frames[baseline.name]["net value"].sum())
    rows = []
    for pol in chosen:
        f = frames[pol.name]
        below = np.zeros(len(f), dtype=bool)
        if min_recall is not None:
            below |= ~(f["recall"].to_numpy() >= min_recall)
        if min_precision is not None:
            below |= ~(f["precision"].to_numpy() >= min_precision)
        net = float(f["net value"].sum())
        rows.append({"policy": pol.name, "value": float(f["value"].sum()), "retrains": int(f["retrained"].sum()),
                     "recalibrations": int(f["recalibrated"].sum()), "costs": float(f["costs"].sum()),
                     "net value": net, "alerts raised": int(f["alert"].sum()),
                     "periods below target": int(below.sum()), "versus doing nothing": net - base_net})
    table = pd.DataFrame(rows)
    per_period = pd.concat([frames[pol.name] for pol in chosen], ignore_index=True)
    gains = []
    for k in range(1, production.periods + 1):
        f = runner.play(Policy(name=f"every {k}", retrain_every=k), retrain_cost, recalibrate_cost, watch=False)
        gains.append({"retrain every (periods)": k, "retrains": int(f["retrained"].sum()),
                      "versus doing nothing": float(f["net value"].sum()) - base_net})
    interval_gains = pd.DataFrame(gains)
    paying = interval_gains[(interval_gains["versus doing nothing"] >= 0) & (interval_gains["retrains"] > 0)]
    break_even = None if paying.empty else int(paying["retrain every (periods)"].min())
    best_row = interval_gains.loc[interval_gains["versus doing nothing"].idxmax()]
    best_interval = int(best_row["retrain every (periods)"]) if best_row["versus doing nothing"] > 0 else None
    best = table.loc[table["net value"].idxmax()]
    verdict = _verdict(best, base_net, production.periods, currency, period, break_even)
    return PolicyComparison(table=table, per_period=per_period, interval_gains=interval_gains,
                            break_even_interval=break_even, best_interval=best_interval, best_policy=best["policy"],
                            verdict=verdict, currency=currency, period=period)


def _verdict(best, base_net, periods, currency, period, break_even):
    gain = float(best["net value"]) - base_net
    horizon = f"over {periods} {period}s"
    if best["policy"].lower() == "do nothing" or gain <= 0:
        text = f"Doing nothing is best {horizon}: no policy pays for its costs."
    else:
        text = (f"{best['policy']} is best: {_money(gain, currency)} more than doing nothing {horizon}, "
                f"net of its costs.")
    if break_even is not None:
        every = f"every {break_even} {period}s" if break_even > 1 else f"every {period}"
        text += f" Retraining on a schedule still pays for itself as often as {every}."
    return text

