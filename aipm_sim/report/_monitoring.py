"""The report's "Monitoring plan": what to watch after launch, when to act, and what acting is worth.

Shown for scenarios with a ``[monitoring]`` table (fraud, churn); computed
by :func:`aipm_sim.plan_monitoring` (a simulation of the scenario's drift
plan), drawn by :class:`aipm_sim.plotting.PolicyDisplay`.
"""

from __future__ import annotations

from ._analysis import _cell, fmt_count, fmt_money, fmt_percent, fmt_signed_money, fmt_threshold
from ._figures import ReportFigure, _figure


def monitoring_section(analysis):
    """Markdown parts and a figure of the monitoring plan; ``[]`` without a scenario ``[monitoring]`` table."""
    scenario = analysis.scenario
    if scenario is None or getattr(scenario, "monitoring", None) is None or scenario.kind != "threshold":
        return []
    from ..core import plan_monitoring

    plan = plan_monitoring(scenario)
    # The chart beside the words (right half of the page): after the heading and the expectation,
    # before the paragraphs it illustrates; the policy table starts below it.
    return [plan_markdown(plan, analysis.currency), policy_figure(plan)]


def _periods(k, period):
    return f"{k} {period}" + ("" if k == 1 else "s")


def _fires(alerts, periods):
    if alerts == 0:
        return "none of them"
    return f"{alerts} of them"


def _waits_for_alert(policy):
    """Whether a policy (by its name in words) acts only when the drift alert fires."""
    return "drift alert" in policy.lower()


def _scheduled_interval(policy):
    """The k of a policy named "Retrain every k <periods>" ("every <period>": 1), else None."""
    words = policy.lower().split()
    if words[:2] != ["retrain", "every"] or len(words) < 3:
        return None
    return int(words[2]) if words[2].isdigit() else 1


def _best_schedule(cmp_, period, currency):
    """One sentence on the best fixed retraining schedule, consistent with the policy table above it."""
    if cmp_.best_interval is None:
        return ""
    gains = cmp_.interval_gains.set_index("retrain every (periods)")["versus doing nothing"]
    k = cmp_.best_interval
    listed = {_scheduled_interval(p) for p in cmp_.table["policy"]} - {None}
    if k in listed:
        return f"No other fixed schedule earns more than retraining every {_periods(k, period)}."
    return (f"Of the schedules not in the table, retraining every {_periods(k, period)} would earn a little more "
            f"({fmt_signed_money(gains[k], currency)} against doing nothing).")


def _instead(plan, m, delay):
    """What to do when the drift alert does not fire in the simulation: a schedule, and the outcomes."""
    cmp_, period = plan.comparison, plan.period
    launch_recall = fmt_percent(m["recall"].iloc[0])
    check = (f"each {period}, once its outcomes arrive ({delay} later), compare the recall they show with the "
             f"{launch_recall} of the first {period}: a clear fall means the model has lost its edge and is the "
             "signal to retrain early")
    if cmp_.best_interval is None:
        act = "No retraining schedule pays for its cost here, so keep the model and"
    else:
        act = f"Retrain on a schedule (every {_periods(cmp_.best_interval, period)} earns the most below) and"
    return (f"**What to do instead.** Do not wait for the drift alert: in this simulation it never fires, so "
            f"the responses that wait for it do exactly what doing nothing does. {act} {check}.")


def plan_markdown(plan, currency):
    """The plan in words: watch, alert, act, worth, and where the label-free estimate fails."""
    prod, cmp_, period = plan.production, plan.comparison, plan.period
    m = prod.metrics
    alerts = int((m["drift"] > plan.null.threshold).sum())
    delay = _periods(prod.label_delay, period)
    table = cmp_.table
    lines = ["## Monitoring plan", ""]
    if plan.description:
        lines += [f"*Expected after launch: {plan.description}.*", ""]
    lines += [
        f"**What to watch.** Every {period}, compare the model's scores with those it was launched on "
        f"({plan.drift_name}), and, while the outcomes are still unknown (they arrive {delay} later), "
        "the precision and recall estimated from the scores alone. Once the outcomes arrive, compare them with "
        "what was estimated.",
        "",
        f"**Alert threshold.** An alert fires when the {plan.drift_name} exceeds "
        f"**{plan.null.threshold:.2g}**: the level that scores with no drift at all exceed only 1 time in 100 "
        f"by chance, on batches of {fmt_count(prod.cases_per_period)} cases. (The usual rule of thumb, 0.1, "
        f"fits samples of a few hundred cases; on batches this size it would almost never fire.) In the "
        f"simulated {_periods(prod.periods, period)} it fires in {_fires(alerts, prod.periods)}."
        # Why it stays silent is said once, below ("Where the estimate without labels fails").
        + ("" if alerts else " The score distribution hardly moves here: only the outcomes show the change."),
        "",
        *([] if alerts else [_instead(plan, m, delay), ""]),
        ("**What to do when it fires, and what each response is worth**" if alerts
         else "**What each response is worth**") + " over the simulated "
        f"{_periods(prod.periods, period)} (net of retraining at {fmt_money(plan.retrain_cost, currency)} each "
        f"and re-thresholding at {fmt_money(plan.recalibrate_cost, currency)} per {period}):",
        "",
        "| Policy | Net value | Compared with doing nothing | Retrains | Alerts |",
        "|:--|--:|--:|--:|--:|",
    ]
    for _, row in table.iterrows():
        diff = row["versus doing nothing"]
        versus = ("(the baseline)" if row["policy"] == "Do nothing"
                  else "no difference" if diff == 0 else fmt_signed_money(diff, currency))
        if not alerts and _waits_for_alert(row["policy"]):
            versus += " (the alert never fired)"
        lines.append(f"| {_cell(row['policy'])} | {fmt_money(row['net value'], currency)} | {versus} | "
                     f"{row['retrains']} | {row['alerts raised']} |")
    lines += ["", f"**Verdict.** {cmp_.verdict}"]
    schedule = _best_schedule(cmp_, period, currency)
    if schedule:
        lines[-1] += " " + schedule
    last = m.iloc[-1]
    lines += [
        "",
        f"**Where the estimate without labels fails.** In the last simulated {period} the scores alone "
        f"suggest a recall of {fmt_percent(last['estimated recall'])}; the outcomes show "
        f"{fmt_percent(last['recall'])}, and a share of positives of {fmt_percent(last['prevalence'])} against "
        f"{fmt_percent(last['estimated prevalence'])} estimated. The estimate assumes that a score means what "
        "it meant at launch: a change in the share of positives, or a world that changes under the model "
        "(concept drift), breaks that, and only the outcomes show it. Simulated at the decision's threshold "
        f"({fmt_threshold(prod.threshold)}); capacity limits are not re-applied period by period.",
    ]
    return "\n".join(lines)


def policy_figure(plan, *, side=False):
    """Net value of each policy over time, relative to doing nothing (a ReportFigure; ``side``: half the page, beside the text)."""
    from ..plotting import PolicyDisplay
    from ._figures import HALF_FIGSIZE, small_text

    fig = _figure((HALF_FIGSIZE[0], 3.3)) if side else _figure((7.0, 1.65))
    display = PolicyDisplay.from_comparison(plan.comparison, ax=fig.add_subplot())
    if not side:
        import textwrap

        # Long policy names: the legend beside the chart, each name wrapped, in the "small" size.
        ax = display.ax_
        if display.relative:
            cur = plan.comparison.currency
            ax.set_ylabel(f"vs. doing nothing ({cur})" if cur else "vs. doing nothing", fontsize="small")
        legend = ax.get_legend()
        title = legend.get_title().get_text() if legend is not None else None
        if legend is not None:
            legend.remove()
        handles = list(display.lines_.values())
        ax.legend(handles=handles, labels=[textwrap.fill(h.get_label(), 34) for h in handles], title=title,
                  title_fontsize="small", fontsize="small", loc="center left", bbox_to_anchor=(1.01, 0.5),
                  frameon=False)
    if side:
        import textwrap

        ax = display.ax_
        if display.relative:
            cur = plan.comparison.currency
            ax.set_ylabel(f"net value vs. doing nothing ({cur})" if cur else "net value vs. doing nothing")
        legend = ax.get_legend()
        title = legend.get_title().get_text() if legend is not None else None
        if legend is not None:
            legend.remove()
        # Policies have long names: the legend goes under the chart, each name wrapped to its width.
        handles = list(display.lines_.values())
        fig.legend(handles=handles, labels=[textwrap.fill(h.get_label(), 56) for h in handles],
                   title=title, title_fontsize="small", loc="outside lower center", ncols=1, fontsize="small",
                   frameon=False)
        small_text(ax)
    best = plan.comparison.best_policy
    alt = (f"Line chart of each policy's net value compared with doing nothing, {plan.period} by {plan.period}, "
           f"over {plan.production.periods} {plan.period}s; the best is: {best}.")
    return ReportFigure(fig, alt, side=side)
