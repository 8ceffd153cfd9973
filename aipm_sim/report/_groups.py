"""The report's "Groups" section: metrics by group, a threshold per group under each fairness rule, and its price.

Applies when the scenario has ``[[groups]]``; the groups' cases are drawn
from their binormal models (:func:`aipm_sim.scenario_groups`, a fixed seed),
so every number here is a simulation of the scenario's assumptions.
"""

from __future__ import annotations

import math

from ._analysis import escape_text, fmt_money, fmt_signed_money, fmt_threshold
from ._figures import ReportFigure, _figure
from ..plotting._base import fmt_fraction as fmt_percent

#: Cases drawn for the section (all groups), and the seed.
N_CASES = 20_000
SEED = 0
#: Tolerance of the rules in the table: the largest allowed gap between two groups (2 percentage points).
TOLERANCE = 0.02
FRONTIER_TOLERANCES = (0.0, 0.01, 0.02, 0.05, 0.1)
CAVEAT = (
    "A fairness rule equalises one rate *as measured on the recorded outcomes*: it does not make the model "
    "equally accurate in every group, it does not correct outcomes that are recorded unequally (a group whose "
    "bad outcomes go unrecorded looks better than it is), and equal rates for groups say nothing about "
    "individuals. Which rule, if any, is lawful or appropriate is a decision for the legal and risk owners."
)


def groups_section(analysis):
    """Markdown and figures of the Groups section; ``[]`` without a scenario that has groups."""
    scenario = analysis.scenario
    if scenario is None or getattr(scenario, "groups", None) is None:
        return []
    from ..core import fairness_frontier, group_metrics, optimize_groups, scenario_groups
    from ..core.groups.optimize import FAIRNESS_RULES, RULE_WORDS
    from ..core.errors import ConstraintError, DataError
    from ..plotting.groups import FairnessFrontierDisplay, GroupMetricsDisplay

    cur, per = analysis.currency, f"per {analysis.period}"
    sim = scenario_groups(scenario, n_cases=N_CASES, seed=SEED)
    s, vm, volume, constraints = sim.measured, scenario.value_model(), scenario.volume, scenario.constraints
    free = optimize_groups(s, vm, volume=volume, **constraints)
    parts = ["## Groups", _groups_table(scenario)]
    if free.single_threshold is not None:
        one = group_metrics(s, free.single_threshold, value_model=vm, volume=volume)
        parts.append(
            f"**One threshold for everyone** ({fmt_threshold(free.single_threshold)}, the best common one) is worth "
            f"{fmt_money(free.single_threshold_value, cur)} {per}. By group:\n\n" + _rates_table(one, cur, per)
            + f"\n\nThe smallest ratio of flag rates between two groups is "
            f"{_ratio(one.attrs['selection_rate_ratio'])} (the \"four-fifths rule\" of US employment law asks for "
            "at least 0.8)."
        )
        fig = _figure()
        GroupMetricsDisplay(table=one, vocabulary=analysis.words).plot(ax=fig.add_subplot())
        parts.append(ReportFigure(fig, "Bar chart: alert rate, recall, precision and false alarm rate of each group "
                                       "at one threshold for everyone."))
    rows = [f"| {escape_text('no fairness rule (best threshold per group)')} | {_cuts(free)} | "
            f"{fmt_money(free.value, cur)} | — |"]
    for rule in FAIRNESS_RULES:
        try:
            d = optimize_groups(s, vm, fairness=rule, tolerance=TOLERANCE, volume=volume, **constraints)
        except (ConstraintError, DataError) as exc:
            rows.append(f"| {escape_text(RULE_WORDS[rule])} | {escape_text(str(exc))} | — | — |")
            continue
        rows.append(f"| {escape_text(RULE_WORDS[rule])} | {_cuts(d)} | {fmt_money(d.value, cur)} | "
                    f"{fmt_signed_money(-d.price_of_fairness, cur)} |")
    parts.append(
        f"**A threshold per group**, under each fairness rule within {100 * TOLERANCE:g} percentage points "
        f"(value and price {per}):\n\n"
        f"| rule | thresholds by group | value {per} | price of the rule |\n|---|---|---:|---:|\n" + "\n".join(rows)
    )
    frontier = fairness_frontier(s, vm, tolerances=FRONTIER_TOLERANCES, volume=volume, **constraints)
    fig = _figure()
    FairnessFrontierDisplay(frontier=frontier, volume=volume, period=analysis.period, currency=cur).plot(
        ax=fig.add_subplot())
    parts.append(ReportFigure(fig, "Line chart: the best value under each fairness rule against the allowed gap "
                                   "between groups; the gap to the top line is the price of fairness."))
    parts.append(f"*What a fairness rule does not guarantee.* {CAVEAT} The groups' cases here are simulated "
                 f"({N_CASES:,} cases, seed {SEED}) from the shares, prevalences and AUCs above.")
    return parts


def _groups_table(scenario):
    lines = ["| group | share of cases | prevalence | AUC | source |", "|---|---:|---:|---:|---|"]
    for g in scenario.groups:
        noise = g.get("label_noise", 0.0)
        extra = f" (and {fmt_percent(noise)} of positives unrecorded)" if noise else ""
        lines.append(f"| {escape_text(g['name'])} | {fmt_percent(g['share'])} | {fmt_percent(g['prevalence'])}"
                     f"{extra} | {g['auc']:.2f} | {escape_text(g['source'])} |")
    return "The scenario compares these groups of cases:\n\n" + "\n".join(lines)


def _rates_table(table, cur, per):
    lines = [f"| group | flagged | recall | precision | false alarm rate | value {per} |",
             "|---|---:|---:|---:|---:|---:|"]
    for g in table.index:
        r = table.loc[g]
        lines.append(f"| {escape_text(g)} | {fmt_percent(r['alert_rate'])} | {fmt_percent(r['recall'])} | "
                     f"{fmt_percent(r['precision'])} | {fmt_percent(r['fpr'])} | {fmt_money(r['value'], cur)} |")
    return "\n".join(lines)


def _cuts(decision):
    return "; ".join(f"{escape_text(g)}: {escape_text(fmt_threshold(t))}" for g, t in decision.thresholds.items())


def _ratio(x):
    return "undefined" if x is None or math.isnan(x) else f"{x:.2f}"
