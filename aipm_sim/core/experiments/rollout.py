"""A staged rollout (1 % → 10 % → 50 % → 100 %) with a guardrail, in days and money.

At each stage a share ``s`` of the traffic gets the new decision and the
rest keeps today's. The stage lasts until a harmful rise of the guardrail
rate (e.g. false declines per order) by ``harm`` would be detected with the
plan's power, by a one-sided test of two rates (:func:`sample_size_proportions`
with ``ratio = s / (1 - s)``), before the next stage starts. The last stage
at 100 % is the launch itself: nothing is left to compare against, so it has
no days of its own.

Per stage the plan also gives what is at stake:

* *at risk*: if the new decision is in fact worse by ``harm``, the extra
  guardrail events among the treated cases of the stage (and their cost,
  with ``cost_per_event``);
* *forgone*: if it is as good as expected (``value_per_case``: by
  default the A/B plan's :attr:`ABTestPlan.expected_effect` when the test
  is on value; for a test of a rate the caller gives the value per case of
  the two decisions, as :func:`aipm_sim.plan_launch` does), the value the
  untreated share misses by ramping rather than launching at once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..._format import fmt_count, fmt_level, fmt_money
from ..errors import ParameterError
from .plan import ABTestPlan
from .power import sample_size_proportions

MSG_PLAN = "plan must be an ABTestPlan (the result of aipm_sim.plan_ab_test); found {}"
MSG_STAGES = ("stages must be increasing shares of traffic in (0, 1], ending at 1.0 (full launch), "
              "e.g. (0.01, 0.1, 0.5, 1.0); found {!r}")
MSG_GUARDRAIL = ("guardrail must be today's rate of the guardrail event per case, in (0, 1) "
                 "(e.g. 0.002 for 2 false declines per 1,000 orders); found {!r}")
MSG_HARM = ("harm must be a rise of the guardrail rate > 0 that keeps it below 1 (e.g. 0.001 for 1 more per "
            "1,000 orders); found {!r} on a guardrail of {!r}")
MSG_COST = "cost_per_event must be a finite amount of money per guardrail event (a cost: <= 0); found {!r}"
MSG_MIN_DAYS = "min_days must be a whole number of days >= 1 per stage; found {!r}"
MSG_TRAFFIC = "cases_per_day must be > 0, all the cases per day that the rollout ramps; found {!r}"
MSG_NAME = "guardrail_name must be a non-empty text (e.g. 'false declines'); found {!r}"
MSG_VALUE_PER_CASE = ("value_per_case must be a finite amount of money per case (the new decision's expected gain "
                      "over today's, negative for a loss); found {!r}")
#: How :meth:`RolloutPlan.table_in_words` shows money it cannot compute.
NOT_PRICED = "not priced"

#: Columns of :attr:`RolloutPlan.table`, in order.
COLUMNS = ("stage", "share", "days", "start_day", "end_day", "treated_cases", "events_at_risk", "value_at_risk",
           "value_forgone")


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class RolloutPlan:
    """Days per stage and what each stage puts at stake (see :func:`plan_rollout`).

    Attributes
    ----------
    plan : ABTestPlan
        The A/B plan the rollout follows (traffic, alpha, power, expected effect).
    stages : tuple of float
        Shares of traffic treated, increasing, the last 1.0.
    guardrail, harm : float
        Today's guardrail rate per case and the rise to detect (fractions).
    guardrail_name : str
        What the guardrail counts, for words (``"false declines"``).
    cost_per_event : float or None
        Currency per guardrail event (<= 0); None: not priced.
    table : pandas.DataFrame
        One row per stage, columns :data:`COLUMNS`: ``stage`` (1, 2, …),
        ``share`` (fraction of traffic), ``days`` (whole days; 0 for the
        launch), ``start_day``/``end_day`` (day 0 = start of the rollout),
        ``treated_cases`` (cases given the new decision during the stage),
        ``events_at_risk`` (extra guardrail events if the harm is real),
        ``value_at_risk`` (their cost, currency, <= 0; NaN unpriced) and
        ``value_forgone`` (currency the untreated share misses if the new
        decision is as good as expected, >= 0 for a gain; negative means
        ramping slower *saves* money because the treatment is expected to be
        worse).
    total_days : int
        Days from the first stage to full launch.
    cases_per_day : float
        All the traffic ramped, cases per day.
    value_per_case : float
        Expected gain of the new decision over today's, currency per case,
        behind ``value_forgone``; NaN when unknown (a test of a rate without
        a value per case given).
    """

    plan: ABTestPlan
    stages: tuple
    guardrail: float
    harm: float
    guardrail_name: str
    cost_per_event: float | None
    table: pd.DataFrame
    total_days: int
    cases_per_day: float
    value_per_case: float = math.nan

    @property
    def events_at_risk(self):
        """Extra guardrail events over the whole ramp if the harm is real."""
        return float(self.table["events_at_risk"].sum())

    @property
    def value_at_risk(self):
        """Their cost in currency (<= 0); NaN when the events are not priced."""
        return float(self.table["value_at_risk"].sum()) if self.cost_per_event is not None else math.nan

    @property
    def value_forgone(self):
        """Currency forgone by ramping instead of launching at once, if the effect is as expected.

        NaN when the value per case is unknown (:attr:`value_per_case`).
        """
        if math.isnan(self.value_per_case):
            return math.nan
        return float(self.table["value_forgone"].sum())

    def table_in_words(self, *, case="case"):
        """:attr:`table` for people: column names in words (``case``: ``"order"``), shares in percent.

        Counts are whole numbers and money is rounded to whole currency units;
        the launch row reads ``"everyone"`` (nothing is left to compare, so
        nothing is at risk or forgone) and money that cannot be computed
        (events without a cost, a rate without a value per case) reads
        :data:`NOT_PRICED`.
        """
        cur = f" ({self.plan.currency})" if self.plan.currency else ""
        out = self.table.copy()
        out["share"] = 100 * out["share"]
        ramp = out["share"] < 100
        for name in ("treated_cases", "events_at_risk", "value_at_risk", "value_forgone"):
            values = out[name].astype(object)
            for i in out.index:
                x = out.at[i, name]
                if not ramp[i]:
                    values[i] = "everyone" if name == "treated_cases" else ""
                elif math.isnan(x):
                    values[i] = NOT_PRICED
                else:
                    values[i] = int(round(x)) + 0
            out[name] = values
        return out.rename(columns={
            "stage": "stage", "share": "share of traffic (%)", "days": "days", "start_day": "from day",
            "end_day": "to day", "treated_cases": f"{case}s on the new decision",
            "events_at_risk": f"extra {self.guardrail_name} if harmful", "value_at_risk": f"value at risk{cur}",
            "value_forgone": f"value forgone by ramping{cur}",
        }).set_index("stage")

    def describe(self, *, case="case"):
        """The plan in one paragraph of words, with its units; ``case`` names one case (``"order"``)."""
        cur = f" {self.plan.currency}" if self.plan.currency else ""
        parts = []
        rows = self.table.to_dict("records")
        for r in rows[:-1]:
            parts.append(f"{fmt_level(r['share'])} of traffic for {r['days']:,} day{'s' if r['days'] != 1 else ''}")
        per_1000 = self.guardrail * 1000
        harm_1000 = self.harm * 1000
        text = (
            f"Ramp the new decision up in {len(rows)} stages: " + ", then ".join(parts)
            + f", then everyone (day {self.total_days:,}). Each stage lasts until a rise in "
            f"{self.guardrail_name} from {fmt_count(per_1000)} to {fmt_count(per_1000 + harm_1000)} per 1,000 {case}s would show "
            f"with {fmt_level(self.plan.power)} power (at most {fmt_level(self.plan.alpha)} false alarms) "
            f"before the next stage starts; stop and roll back if it does. "
        )
        if self.cost_per_event is not None:
            text += (f"If the new decision really is that much worse, the ramp costs about "
                     f"{_money(-self.value_at_risk)}{cur} ({fmt_count(self.events_at_risk)} extra {self.guardrail_name}) "
                     f"before it is caught. ")
        else:
            text += (f"If the new decision really is that much worse, about {fmt_count(self.events_at_risk)} extra "
                     f"{self.guardrail_name} happen before it is caught. ")
        if not math.isnan(self.value_per_case):
            forgone = self.value_forgone
            if forgone >= 0:
                text += (f"If it is as good as the offline numbers say, ramping rather than launching at once "
                         f"forgoes about {_money(forgone)}{cur}.")
            else:
                text += (f"The offline numbers expect it to be worse than today's decision: ramping slowly "
                         f"saves about {_money(-forgone)}{cur} compared with launching at once.")
        return text.rstrip()


def _money(x):
    return fmt_money(x)


def plan_rollout(plan, *, stages=(0.01, 0.1, 0.5, 1.0), guardrail, harm, cost_per_event=None,
                 guardrail_name="guardrail events", min_days=1, cases_per_day=None, value_per_case=None):
    """Days per stage of a staged rollout, and the value at risk and forgone in each.

    Parameters
    ----------
    plan : ABTestPlan
        Gives the traffic (:attr:`~ABTestPlan.cases_per_day`, all of it
        ramped), alpha, power and the expected effect per case.
    stages : sequence of float
        Shares of traffic treated at each stage, increasing, in (0, 1], the last 1.0.
    guardrail : float
        Today's rate of the guardrail event per case, in (0, 1).
    harm : float
        Rise of that rate the ramp must catch (> 0, ``guardrail + harm < 1``).
    cost_per_event : float, optional
        Currency per guardrail event (a cost, <= 0), to price the value at risk.
    guardrail_name : str
        What the guardrail counts, in words (plural).
    min_days : int
        Shortest stage (>= 1 day), e.g. 7 to see a full week.
    cases_per_day : float, optional
        All the traffic that is ramped, cases per day (> 0); default the
        plan's :attr:`~ABTestPlan.cases_per_day` (the test's traffic).
    value_per_case : float, optional
        Expected gain of the new decision over today's, currency per case
        (negative: a loss), for the value forgone by ramping. Default: the
        plan's :attr:`~ABTestPlan.expected_effect` when its metric is
        ``"value"``; unknown (NaN forgone) for a rate.

    Returns
    -------
    RolloutPlan
    """
    if not isinstance(plan, ABTestPlan):
        raise TypeError(MSG_PLAN.format(type(plan).__name__))
    stages = _stages(stages)
    g = _rate(guardrail, MSG_GUARDRAIL.format(guardrail))
    try:
        h = float(harm)
    except (TypeError, ValueError):
        raise ParameterError(MSG_HARM.format(harm, guardrail)) from None
    if not (math.isfinite(h) and h > 0 and g + h < 1):
        raise ParameterError(MSG_HARM.format(harm, guardrail))
    if cost_per_event is not None:
        try:
            cost = float(cost_per_event)
        except (TypeError, ValueError):
            raise ParameterError(MSG_COST.format(cost_per_event)) from None
        if not (math.isfinite(cost) and cost <= 0):
            raise ParameterError(MSG_COST.format(cost_per_event))
    else:
        cost = None
    if not isinstance(guardrail_name, str) or not guardrail_name.strip():
        raise ParameterError(MSG_NAME.format(guardrail_name))
    if isinstance(min_days, bool) or not isinstance(min_days, (int, np.integer, float)) or \
            not (math.isfinite(min_days) and min_days == int(min_days) and min_days >= 1):
        raise ParameterError(MSG_MIN_DAYS.format(min_days))
    min_days = int(min_days)

    if cases_per_day is None:
        traffic = plan.cases_per_day
    else:
        try:
            traffic = float(cases_per_day)
        except (TypeError, ValueError):
            raise ParameterError(MSG_TRAFFIC.format(cases_per_day)) from None
        if not (math.isfinite(traffic) and traffic > 0):
            raise ParameterError(MSG_TRAFFIC.format(cases_per_day))
    if value_per_case is None:
        gain = plan.expected_effect if plan.metric == "value" else math.nan
    else:
        try:
            gain = float(value_per_case)
        except (TypeError, ValueError):
            raise ParameterError(MSG_VALUE_PER_CASE.format(value_per_case)) from None
        if not math.isfinite(gain):
            raise ParameterError(MSG_VALUE_PER_CASE.format(value_per_case))
    rows, day = [], 0
    for i, s in enumerate(stages, start=1):
        if s < 1.0:
            n_control = sample_size_proportions(g, g + h, alpha=plan.alpha, power=plan.power, ratio=s / (1 - s),
                                                alternative="larger")
            n_c = math.ceil(n_control - 1e-9)
            n_t = math.ceil(s / (1 - s) * n_control - 1e-9)
            days = max(min_days, math.ceil(max(n_c / ((1 - s) * traffic), n_t / (s * traffic)) - 1e-9))
        else:
            days = 0
        treated = s * traffic * days
        rows.append({
            "stage": i, "share": s, "days": days, "start_day": day, "end_day": day + days,
            "treated_cases": treated, "events_at_risk": treated * h,
            "value_at_risk": treated * h * cost + 0.0 if cost is not None else math.nan,
            "value_forgone": (1 - s) * traffic * days * gain + 0.0,
        })
        day += days
    table = pd.DataFrame(rows, columns=list(COLUMNS))
    return RolloutPlan(plan=plan, stages=stages, guardrail=g, harm=h, guardrail_name=guardrail_name.strip(),
                       cost_per_event=cost, table=table, total_days=day,
                       cases_per_day=traffic, value_per_case=gain)


def _rate(value, message):
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ParameterError(message) from None
    if not 0 < x < 1:
        raise ParameterError(message)
    return x


def _stages(stages):
    try:
        values = tuple(float(s) for s in stages)
    except (TypeError, ValueError):
        raise ParameterError(MSG_STAGES.format(stages)) from None
    ok = (len(values) >= 1 and values[-1] == 1.0 and all(0 < s <= 1 for s in values)
          and all(a < b for a, b in zip(values, values[1:])))
    if not ok:
        raise ParameterError(MSG_STAGES.format(stages))
    return values
