"""The report's "Launch plan" section: the A/B test and the staged rollout of a scenario with ``[launch]``."""

from __future__ import annotations

import math

from .._format import fmt_level
from ._analysis import escape_text, fmt_count, fmt_money, fmt_percent
from ._figures import ReportFigure, _figure, small_text

#: Simulated A/A experiments behind the peeking sentence (seeded: the same report every run).
PEEKING_SIMULATIONS = 2000
PEEKING_SEED = 0


def launch_section(analysis):
    """Markdown and figures of the launch plan; ``[]`` without a scenario or without its ``[launch]`` section."""
    scenario = analysis.scenario
    if scenario is None or getattr(scenario, "launch", None) is None:
        return []
    from ..core import plan_launch, simulate_peeking

    launch = plan_launch(scenario)
    test, rollout = launch.test, launch.rollout
    cur = analysis.currency
    case = launch.case
    test_paragraph = _test_paragraph(launch, cur, case)
    lines = []
    looks = max(1, math.ceil(test.days_collecting))
    peek = simulate_peeking(cases_per_day=max(1, round(test.cases_per_day * test.allocation)), days=looks,
                            alpha=test.alpha, n_simulations=PEEKING_SIMULATIONS, seed=PEEKING_SEED)
    lines.append(
        f"**May we look every day?** Not at this test: reading it daily and stopping on the first "
        f"\"significant\" day would declare a winner in about {fmt_percent(peek.peeking_rate)} of tests where "
        f"nothing changed, not {fmt_level(test.alpha)} (simulated: {PEEKING_SIMULATIONS:,} such tests, "
        f"{looks} daily looks). To look every day, use an always-valid test: it needs "
        f"{test.always_valid_days:,} days instead of {test.days:,}, and false alarms stay below "
        f"{fmt_level(test.alpha)}."
    )
    if test.amount_spread == "cell means":
        lines += ["", "The spread of amounts within each outcome is not known here: every case is taken at its "
                  "outcome's mean amount, so the sizes above are a lower bound."]
    # Each picture on the right half of the page, beside the words that follow it: the test's power
    # beside the test, the rollout beside the peeking rule and the rollout's own words.
    parts = ["## Launch plan", power_figure(test, half=True, case=scenario.words.case), test_paragraph]
    if rollout is not None:
        parts.append(rollout_figure(rollout, half=True))
    parts.append("\n".join(lines))
    if rollout is not None:
        parts += ["\n".join(["### Staged rollout", "", escape_text(rollout.describe(case=case))]),
                  _rollout_table(rollout, cur, case.capitalize())]
    return parts


def _test_paragraph(launch, cur, case):
    t = launch.test
    units = "" if t.unit == "cases" else f" ({fmt_count(t.units_control)} {escape_text(t.unit)} per side)"
    per_side = "half on each side" if t.allocation == 0.5 else f"{fmt_percent(t.allocation)} on the model"
    if t.metric == "value":
        effect = f"a change of {fmt_money(t.minimum_effect, cur)} per {case} in value"
        if not math.isnan(t.minimum_effect_per_period):
            effect += f" ({fmt_money(t.minimum_effect_per_period, cur)} per {t.period or 'period'} for everyone)"
        direction = "a gain" if t.expected_effect >= 0 else "a loss"
        expected = (f"The offline numbers expect {direction} of {fmt_money(abs(t.expected_effect), cur)} per {case} "
                    f"({fmt_money(t.treatment_mean, cur)} with the model, {fmt_money(t.control_mean, cur)} today).")
    else:
        effect = f"a change of {t.minimum_effect * 100:+.2g} points in {t.metric}"
        expected = (f"The offline numbers expect {fmt_percent(t.treatment_mean)} with the model against "
                    f"{fmt_percent(t.control_mean)} today.")
    # An optimised rule may be best at flagging nothing (an amount rule whose every cut loses money): say so,
    # or the reader pictures a rule that holds orders.
    nothing = f", which at its best setting flags no {case}" if launch.control.point.alerts == 0 else ""
    return (
        f"**A/B test.** Test {escape_text(launch.treatment_name)} against today's rule "
        f"(*{escape_text(launch.control_name)}*{nothing}) on {fmt_count(t.cases_per_day)} {case}s a day, {per_side}. "
        f"To detect {effect} with {fmt_level(t.power)} power and at most {fmt_level(t.alpha)} false "
        f"positives, it needs {fmt_count(t.cases_control)} {case}s on today's side and "
        f"{fmt_count(t.cases_treatment)} on the model's{units}: "
        f"{fmt_count(math.ceil(t.days_collecting))} days of traffic plus "
        f"{fmt_count(t.label_delay_days)} days until the outcomes are known, **{t.days:,} days** in all. "
        + expected
    )


def _rollout_table(rollout, cur, case):
    rows = [f"| Stage | Share of traffic | Days | From day | {case}s on the model | Extra "
            f"{escape_text(rollout.guardrail_name)} if harmful | Value at risk | Value forgone by waiting |",
            "|--:|--:|--:|--:|--:|--:|--:|--:|"]
    for r in rollout.table.to_dict("records"):
        last = r["share"] == 1.0
        rows.append(
            f"| {r['stage']} | {fmt_level(r['share'])} | {'launch' if last else r['days']} | {r['start_day']} | "
            f"{'everyone' if last else fmt_count(r['treated_cases'])} | "
            f"{'' if last else fmt_count(r['events_at_risk'])} | "
            f"{'' if last or math.isnan(r['value_at_risk']) else fmt_money(r['value_at_risk'], cur)} | "
            f"{'' if last or math.isnan(r['value_forgone']) else fmt_money(r['value_forgone'], cur)} |"
        )
    return "\n".join(rows)


def power_figure(plan, *, half=False, case="case"):
    """Power against days, the plan marked (:class:`~aipm_sim.plotting.PowerDisplay`); ``half``: half the page wide."""
    from ..plotting import PowerDisplay
    from ._figures import HALF_FIGSIZE

    fig = _figure(HALF_FIGSIZE) if half else _figure()
    display = PowerDisplay.from_plan(plan, ax=fig.add_subplot(), case=case)
    if half:
        display.ax_.legend(fontsize="small", framealpha=0.85, loc="lower right")
    if half:
        display.ax_.set_title("How long must the A/B test run?")
        display.ax_.set_xlabel("days until the test can be read")
        display.ax_.set_ylabel("chance of detecting the effect")
        small_text(display.ax_)
    alt = (f"Line chart of the chance of detecting the effect against the days the test runs. It reaches "
           f"{fmt_level(plan.power)} at {plan.days:,} days, the planned length.")
    return ReportFigure(fig, alt, side=half)


def rollout_figure(rollout, *, half=False):
    """The stages on a time axis (:class:`~aipm_sim.plotting.RolloutDisplay`); ``half``: half the page wide."""
    from ..plotting import RolloutDisplay
    from ._figures import HALF_FIGSIZE

    fig = _figure(HALF_FIGSIZE) if half else _figure()
    display = RolloutDisplay.from_rollout(rollout, ax=fig.add_subplot())
    if half:
        display.ax_.set_title("Staged rollout: what each stage risks")
        display.ax_.set_ylabel("share of traffic treated")
        small_text(display.ax_)
    shares = ", ".join(fmt_level(s) for s in rollout.stages)
    alt = (f"Bar chart of the share of traffic on the new decision over time: stages of {shares}, "
           f"everyone from day {rollout.total_days:,}.")
    return ReportFigure(fig, alt, side=half)
