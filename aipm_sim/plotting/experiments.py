"""Pictures of a launch: the A/B test's power and the staged rollout.

Display objects built from core results (:class:`~aipm_sim.ABTestPlan`,
:class:`~aipm_sim.RolloutPlan`); powers come from the plan's own
:meth:`~aipm_sim.ABTestPlan.power_at`, nothing is recomputed here.
"""

from __future__ import annotations

import numpy as np

from ..core.errors import ParameterError
from ._base import (
    COLORS, LEGEND_STYLE, THRESHOLD_STYLE, fmt_compact_money, fmt_count, fmt_level, fmt_money, get_axes, percent_tick,
)

MSG_X = "x must be 'days' or 'cases'; found {!r}"
POWER_COLOR = COLORS["precision"]
RISK_COLOR = COLORS["positive"]
STAGE_COLOR = COLORS["optimum"]


class PowerDisplay:
    """Chance of detecting the minimum effect against the test's length, with the plan marked.

    Parameters
    ----------
    days : array-like of float
        Days until the test can be read (collection plus label delay), increasing.
    power : array-like of float
        Power (fraction) of the test read on that day.
    plan_days : float
        The plan's duration (a vertical line).
    target_power : float
        The power asked for (a horizontal line).
    always_valid_days : float, optional
        The duration of the always-valid test that may be read every day (a dotted line).
    effect_label : str
        The effect the test is sized for, in words (title).
    x_label, x_unit : str
        Words of the x axis and of its unit in the legend (``"days"``; for
        sizes, ``days`` holds cases per group and ``x_unit`` is ``"cases per group"``).
    """

    def __init__(self, *, days, power, plan_days, target_power, always_valid_days=None, effect_label="",
                 x_label="days until the test can be read (traffic plus waiting for outcomes)", x_unit="days"):
        self.x_label = x_label
        self.x_unit = x_unit
        self.days = np.asarray(days, dtype=float)
        self.power = np.asarray(power, dtype=float)
        self.plan_days = float(plan_days)
        self.target_power = float(target_power)
        self.always_valid_days = None if always_valid_days is None else float(always_valid_days)
        self.effect_label = effect_label

    @classmethod
    def from_plan(cls, plan, *, x="days", ax=None, points=120, case="case"):
        """Draw an :class:`~aipm_sim.ABTestPlan`: power at lengths up to about twice the planned one.

        ``x="days"``: against the days until the test can be read; ``x="cases"``: against the cases
        in the control group. ``case``: the word for one case in the title ("order").
        """
        if x not in ("days", "cases"):
            raise ParameterError(MSG_X.format(x))
        top = max(2.0 * plan.units_control, 10.0)
        units = np.linspace(top / points, top, points)
        if plan.metric == "value":
            units = units[units * (1 + plan.ratio) > 2]
        power = plan.power_at(units)
        cases_control = units / plan.units_per_case
        if x == "cases":
            return cls(days=cases_control, power=power, plan_days=plan.cases_control, target_power=plan.power,
                       effect_label=effect_words(plan, case=case), x_label="cases in the control group (the other side alike)",
                       x_unit="cases per group").plot(ax=ax)
        days = plan.days_at(units)  # the slower side sets the pace, as in the plan itself
        return cls(days=days, power=power, plan_days=plan.days, target_power=plan.power,
                   always_valid_days=plan.always_valid_days, effect_label=effect_words(plan, case=case)).plot(ax=ax)

    def plot(self, ax=None):
        """Draw; returns ``self`` with ``ax_``, ``figure_``, ``line_``, ``plan_line_``, ``target_line_``."""
        ax = get_axes(ax, f"{type(self).__name__}.plot")
        (self.line_,) = ax.plot(self.days, self.power, color=POWER_COLOR, label="chance of detecting the effect")
        self.target_line_ = ax.axhline(self.target_power, color=COLORS["chance"], linestyle=":",
                                       label=f"power asked for ({fmt_level(self.target_power)})")
        self.plan_line_ = ax.axvline(self.plan_days, label=f"planned test: {fmt_count(self.plan_days)} {self.x_unit}",
                                     **THRESHOLD_STYLE)
        self.always_valid_line_ = None
        if self.always_valid_days is not None:
            self.always_valid_line_ = ax.axvline(
                self.always_valid_days, color=STAGE_COLOR, linestyle="-.",
                label=f"read every day (always valid): {fmt_count(self.always_valid_days)} days")
        ax.set_ylim(0, 1.02)
        ax.set_xlim(0, float(np.nanmax(self.days)) if self.days.size else 1)
        ax.set_xlabel(self.x_label)
        ax.set_ylabel("power: chance of detecting the effect")
        ax.yaxis.set_major_formatter(percent_tick)
        ax.set_title(f"How long must the A/B test run?{' ' + self.effect_label if self.effect_label else ''}")
        ax.legend(loc="lower right", **LEGEND_STYLE)
        self.ax_ = ax
        self.figure_ = ax.figure
        return self


def effect_words(plan, *, case="case"):
    """The effect a plan is sized for, in words: ``"(to detect +0.10 EUR per order)"``."""
    if plan.metric == "value":
        return f"(to detect {fmt_money(plan.minimum_effect, plan.currency, signed=True)} per {case})"
    return f"(to detect {plan.metric} {plan.minimum_effect * 100:+.2g} points)"


class RolloutDisplay:
    """The staged rollout on a time axis: share of traffic per stage, decision points, value at risk.

    Parameters
    ----------
    start_day, end_day, share : array-like
        Each stage's first and last day and share of traffic (fraction); the
        last stage is the launch (its end is the start).
    value_at_risk : array-like
        Each stage's value at risk (currency, <= 0; NaN when not priced).
    events_at_risk : array-like
        Each stage's extra guardrail events if the harm is real.
    guardrail_name : str
    currency : str
    """

    def __init__(self, *, start_day, end_day, share, value_at_risk, events_at_risk, guardrail_name="guardrail events",
                 currency=""):
        self.start_day = np.asarray(start_day, dtype=float)
        self.end_day = np.asarray(end_day, dtype=float)
        self.share = np.asarray(share, dtype=float)
        self.value_at_risk = np.asarray(value_at_risk, dtype=float)
        self.events_at_risk = np.asarray(events_at_risk, dtype=float)
        self.guardrail_name = guardrail_name
        self.currency = currency

    @classmethod
    def from_rollout(cls, rollout, *, ax=None):
        """Draw a :class:`~aipm_sim.RolloutPlan`."""
        t = rollout.table
        return cls(start_day=t["start_day"], end_day=t["end_day"], share=t["share"],
                   value_at_risk=t["value_at_risk"], events_at_risk=t["events_at_risk"],
                   guardrail_name=rollout.guardrail_name, currency=rollout.plan.currency or "").plot(ax=ax)

    def risk_labels(self):
        """The text above each ramp stage: what it puts at risk (in money, else in events)."""
        out = []
        for value, events in zip(self.value_at_risk[:-1], self.events_at_risk[:-1]):
            if np.isfinite(value):
                out.append(f"at risk {fmt_compact_money(value, self.currency)}")
            else:
                out.append(f"at risk {fmt_count(events)} {self.guardrail_name}")
        return out

    def plot(self, ax=None):
        """Draw; returns ``self`` with ``ax_``, ``figure_``, ``bars_`` (one per ramp stage), ``decision_lines_``."""
        ax = get_axes(ax, f"{type(self).__name__}.plot")
        ramp = slice(0, len(self.share) - 1)
        widths = self.end_day[ramp] - self.start_day[ramp]
        total = float(self.end_day[-1]) if self.end_day.size else 0.0
        self.bars_ = list(ax.bar(self.start_day[ramp], self.share[ramp], width=widths, align="edge",
                                 color=STAGE_COLOR, alpha=0.6, edgecolor="white", label="share of traffic treated"))
        tail = max(2.0, 0.15 * total)
        self.launch_bar_ = ax.bar([total], [1.0], width=tail, align="edge", color=STAGE_COLOR, alpha=0.9,
                                  label="everyone (launch)")[0]
        self.decision_lines_ = [ax.axvline(d, **THRESHOLD_STYLE) for d in self.end_day[ramp]]
        if self.decision_lines_:
            self.decision_lines_[0].set_label("decision point: go on or roll back")
        self.risk_texts_ = []
        for bar, text, share in zip(self.bars_, self.risk_labels(), self.share[ramp]):
            x = bar.get_x() + bar.get_width() / 2
            self.risk_texts_.append(ax.annotate(f"{fmt_level(share)}\n{text}", (x, share), xytext=(0, 4),
                                                textcoords="offset points", ha="center", fontsize=8,
                                                color=RISK_COLOR, zorder=5,
                                                bbox={"boxstyle": "round,pad=0.15", "facecolor": "white",
                                                      "edgecolor": "none", "alpha": 0.85}))
        ax.set_xlim(0, total + tail)
        ax.set_ylim(0, 1.25)
        ax.set_xlabel("days since the rollout started")
        ax.set_ylabel("share of traffic on the new decision")
        ax.set_yticks([0, 0.25, 0.5, 0.75, 1.0])
        ax.yaxis.set_major_formatter(percent_tick)
        ax.set_title("Staged rollout: how long each stage lasts, and what it puts at risk")
        ax.legend(loc="upper left", **LEGEND_STYLE)
        self.ax_ = ax
        self.figure_ = ax.figure
        return self
