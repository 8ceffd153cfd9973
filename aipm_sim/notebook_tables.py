"""What the newer notebooks show a product manager: uncertainty, monitoring, launch and groups, in words.

The companion of :mod:`aipm_sim.notebook` (whose names it shares: every
function here is also ``aipm_sim.notebook.<name>``). Each function takes a
result object of a core room and returns a :class:`~aipm_sim.notebook.Prose`
or :class:`~aipm_sim.notebook.Table`: Markdown in JupyterLab and Voilà, the
same text where only text is shown. Numbers go through
:mod:`aipm_sim._format`; headers carry their units; no index column, no code
name, no ``NaN`` reaches the reader. Nothing here imports IPython.
"""

from __future__ import annotations

import math

import numpy as np

from ._format import MINUS, fmt_count, fmt_money, fmt_number, fmt_percent, fmt_threshold
from .notebook import MISSING, Prose, Table

__all__ = [
    "ab_test_text",
    "best_agreement_text",
    "bullets",
    "data_preview",
    "decisions_text",
    "decision_line",
    "fairness_price_table",
    "group_assumptions_table",
    "group_table",
    "groups_summary",
    "how_sure_summary",
    "interval_text",
    "labels_text",
    "labels_words",
    "launch_decisions_text",
    "launch_summary",
    "margin_table",
    "meets_text",
    "monitoring_summary",
    "monitoring_table",
    "parameter_text",
    "peeking_table",
    "peeking_text",
    "policy_table",
    "population_text",
    "retrain_schedule_table",
    "rollout_table",
]


def _level(x):
    """A stated level (a confidence, a power): ``90%``, ``95%``, ``97.5%``, never ``90.0%``."""
    try:  # the shared formatter's word for it, once it has one
        from ._format import fmt_level
    except ImportError:
        return f"{100 * float(x):.10g}%"
    return fmt_level(x)


def _points(x):
    """A difference of two shares in percentage points, always one decimal: 0.0296 → ``3.0``, 0.0777 → ``7.8``.

    One decimal for every row, so that a column of margins lines up (``fmt_number`` would drop ``.0``).
    """
    return f"{100 * float(x):,.1f}".replace("-", MINUS)


def _rate(x):
    return MISSING if x is None or (isinstance(x, float) and math.isnan(x)) else fmt_percent(x)


def _with(currency, per=None):
    """``" (EUR per week)"``, ``" (EUR)"`` or ``""``: a header's unit."""
    unit = " ".join(p for p in (currency, f"per {per}" if per else None) if p)
    return f" ({unit})" if unit else ""


def _metric_words(name):
    return {"fpr": "false alarm rate", "alert_rate": "share flagged"}.get(name, name.replace("_", " "))


# -- any room ------------------------------------------------------------------------------------
def bullets(text):
    """Lines of text (an explorer's ``result.summary()``) as a Markdown list: one line, one bullet.

    Printed, such lines wrap mid-word in JupyterLab and run together as Markdown prose.
    """
    return Prose("\n".join(f"- {line.strip()}" for line in str(text).splitlines() if line.strip()))


def decisions_text(named, *, currency=None):
    """Several decisions side by side, one bullet each: ``named`` is a sequence of (label, decision) pairs."""
    return Prose("\n".join(f"- {label}: {decision_line(d, currency=currency).text}" for label, d in named))


def best_agreement_text(decision, result, *, currency=None, chart="the chart", explorer="the explorer"):
    """The best threshold and value of a decision and of an explorer's result, one bullet each.

    ``result`` has ``best_threshold`` and ``best_value`` (an explorer's ``.result``); the period is the
    decision's.
    """
    cur = decision.currency or currency
    per = f" per {decision.period}" if decision.period else ""
    return Prose("\n".join(
        f"- {label.capitalize()}: best threshold {fmt_threshold(t)}, value {fmt_money(v, cur)}{per}."
        for label, t, v in ((chart, decision.threshold, decision.value),
                            (explorer, result.best_threshold, result.best_value))))


def data_preview(frame, rows=6):
    """The first ``rows`` rows of a data file as read (its own column names, which the reader maps), no index.

    Values read as they are in the file: whole numbers with thousands separators, other numbers as
    the shortest text that reads back as the same number (``109.35``, ``0.000124``), a true minus;
    an empty cell reads :data:`~aipm_sim.notebook.MISSING`.
    """
    head = frame.head(rows)

    def cell(v):
        if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)):
            return str(v)
        if math.isnan(v):
            return MISSING
        return fmt_number(v) if float(v).is_integer() else np.format_float_positional(float(v)).replace("-", MINUS)

    out = [[cell(v) for v in r] for r in head.itertuples(index=False)]
    kinds = ["right" if head[c].dtype.kind in "iuf" else "left" for c in head.columns]
    return Table([str(c) for c in head.columns], out, kinds)


# -- how sure are we (uncertainty) --------------------------------------------------------------
def decision_line(decision, *, currency=None):
    """A decision in a sentence for people: the rule in bold, its rates, counts and value; then its guarantees.

    ``currency`` is written after the value when the decision does not know
    its own. A decision with a stated confidence (``optimize(...,
    confidence=0.9)``) adds what it guarantees for the population.
    """
    d = decision
    cur = d.currency or currency
    per = f" per {d.period or 'period'}" if d.volume is not None else ""
    rule = ("**Flag nothing.**" if d.point.alerts == 0
            else f"**Flag scores of {fmt_threshold(d.threshold)} or more.**")
    text = (f"{rule} Precision {_rate(d.point.precision)}, recall {_rate(d.point.recall)}, "
            f"{fmt_count(d.alerts_per_period)} alerts{per}, value {fmt_money(d.value, cur)}{per}.")
    bounds = getattr(d, "confidence_bounds", None)
    if bounds:
        lines = [text]
        for name, bound in d.constraints.items():
            kind = "at least" if name.startswith("min_") else "at most"
            metric = _metric_words(name[4:])
            if name == "max_alerts":
                lines.append(f"- Guaranteed: {fmt_count(bound)} alerts or fewer{per}, with "
                             f"{_level(d.confidence)} confidence.")
            else:
                side = "lower" if kind == "at least" else "upper"
                lines.append(f"- Guaranteed for the population: {metric} {kind} {_level(bound)} with "
                             f"{_level(d.confidence)} confidence (its {side} confidence bound here: "
                             f"{fmt_percent(bounds[name])}).")
        text = "\n".join(lines)
    return Prose(text)


def interval_text(decision, metric="recall", *, confidence=0.95, where="on the validation set"):
    """A rate as measured and its confidence interval (Wilson), in one sentence."""
    low, high = decision.point.interval(metric, confidence=confidence)
    name = _metric_words(metric)
    return Prose(f"{name.capitalize()} {where}: {_rate(getattr(decision.point, metric))}; "
                 f"{_level(confidence)} interval (Wilson): {_rate(low)} to {_rate(high)}.")


def population_text(model, decision, metric="recall"):
    """What the population's rate is at the decision's threshold (a synthetic model knows it)."""
    name = _metric_words(metric)
    return Prose(f"{name.capitalize()} in the population at that threshold "
                 f"({fmt_threshold(decision.threshold)}): {_rate(getattr(model.point(decision.threshold), metric))}.")


def _rules_words(constraints):
    words = []
    for name, bound in constraints.items():
        kind = "at least" if name.startswith("min_") else "at most"
        words.append(f"{fmt_count(bound)} alerts or fewer" if name == "max_alerts"
                     else f"{_metric_words(name[4:])} {kind} {_level(bound)}")
    return " and ".join(words)


def meets_text(uncertainty, decision, *, name="this decision"):
    """In how many bootstrap resamples ``decision``'s threshold still meets the rules."""
    share = uncertainty.probability_meets(decision.threshold)
    rules = _rules_words(uncertainty.constraints) or "every rule"
    return Prose(f"{name.capitalize()} (threshold {fmt_threshold(decision.threshold)}) meets the rule "
                 f"({rules}) in {fmt_percent(share)} of the {fmt_count(uncertainty.resamples)} resamples.")


def how_sure_summary(model, plain, sure, *, metric="recall", labels=None, currency=None, positives=None):
    """The how-sure notebook's key numbers: both decisions measured, bounded and in the population.

    ``plain`` is the decision on the validation set, ``sure`` the one with a
    stated confidence, ``model`` the synthetic population, ``labels`` an
    optional :class:`~aipm_sim.LabelsNeeded`.
    """
    name = _metric_words(metric)
    low, high = plain.point.interval(metric)
    bound_name = next(iter(sure.confidence_bounds))
    lines = [
        f"- Decision on the validation set: threshold {fmt_threshold(plain.threshold)}, {name} "
        f"{_rate(getattr(plain.point, metric))} measured ({_level(0.95)} interval {_rate(low)} to {_rate(high)}), "
        f"{_rate(getattr(model.point(plain.threshold), metric))} in the population.",
        f"- Decision with a guarantee: threshold {fmt_threshold(sure.threshold)}, {name} "
        f"{_rate(getattr(sure.point, metric))} measured, at least {fmt_percent(sure.confidence_bounds[bound_name])} "
        f"with {_level(sure.confidence)} confidence, {_rate(getattr(model.point(sure.threshold), metric))} "
        "in the population.",
        f"- Value: {fmt_money(plain.value, plain.currency or currency)} without the guarantee, "
        f"{fmt_money(sure.value, sure.currency or currency)} with it.",
    ]
    if labels is not None:
        lines.append(f"- Labels: {labels_words(labels, positives=positives)}.")
    return Prose("\n".join(lines))


def labels_words(labels, *, positives=None, cases="cases"):
    """A :class:`~aipm_sim.LabelsNeeded` in words: ``"to know recall 80% within ± 3.0 points … needs 682 frauds, …"``.

    ``positives`` names what is counted in the scenario's words (default: the
    result's own, e.g. "positives"); ``cases`` what is labelled ("orders").
    """
    relevant = positives if positives is not None and labels.relevant_name == "positives" else labels.relevant_name
    out = (f"to know {_metric_words(labels.metric)} {_level(labels.expected)} within "
           f"± {_points(labels.half_width)} points with {_level(labels.confidence)} confidence, "
           f"a validation needs {fmt_count(labels.relevant)} {relevant}")
    if labels.cases is not None and labels.metric != "alert_rate":
        out += f", that is {fmt_count(labels.cases)} labelled {cases}"
    return out


def labels_text(labels, *, positives=None, cases="cases"):
    """:func:`labels_words` as a sentence (Markdown)."""
    text = labels_words(labels, positives=positives, cases=cases)
    return Prose(text[:1].upper() + text[1:] + ".")


def margin_table(relevant, half_widths, *, metric="recall", expected, relevant_name="positives"):
    """The ± margin of a rate measured on each number of cases: ``relevant`` against ``half_widths`` (fractions)."""
    rows = [(fmt_count(n), f"± {_points(h)}") for n, h in zip(relevant, half_widths)]
    return Table((f"{relevant_name} in the validation set",
                  f"margin around {_metric_words(metric)} {_level(expected)} (percentage points)"),
                 rows, ("right", "right"))


def parameter_text(scenario, name):
    """One assumption of the scenario in a sentence: its description, then its value with its unit.

    A fraction (unit "fraction of …") reads as a percentage: "Share of orders that are fraudulent: 0.3%."
    """
    p = scenario.parameters[name]
    what = p.description or name.replace("_", " ")
    unit = p.unit or ""
    shown = _level(p.value) if unit.startswith("fraction") else f"{fmt_number(p.value)} {unit}".strip()
    return Prose(f"{what}: {shown}.")


# -- after launch (monitoring) ------------------------------------------------------------------
_MONITORING = {
    "prevalence": ("share of positives", "percent"),
    "estimated prevalence": ("share of positives, estimated from the scores", "percent"),
    "precision": ("precision", "percent"),
    "estimated precision": ("precision, estimated without outcomes", "percent"),
    "recall": ("recall", "percent"),
    "estimated recall": ("recall, estimated without outcomes", "percent"),
    "value": ("value", "money"),
    "estimated value": ("value, estimated without outcomes", "money"),
    "drift": ("score drift (PSI)", "number"),
    "alert": ("drift alert", "bool"),
    "labels known": ("outcomes known", "bool"),
}


def _cell(x, kind, currency=None):
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return MISSING
    if kind == "percent":
        return fmt_percent(x)
    if kind == "money":
        return fmt_money(x)
    if kind == "bool":
        return "yes" if x else "no"
    if kind == "count":
        return fmt_count(x)
    return fmt_number(x)


def monitoring_table(production, columns, *, period="period", positives="positives", currency=None):
    """Period by period, the realized and the label-free estimated metrics of a :class:`~aipm_sim.Production`.

    Parameters
    ----------
    production : Production
    columns : sequence of str
        Columns of ``production.metrics`` (``"prevalence"``, ``"estimated recall"``, …).
    period : str
        What one period is (``"week"``): the first column's header.
    positives : str
        What a positive is called (``"frauds"``): "share of frauds".
    currency : str, optional
        Unit of value columns.
    """
    frame = production.metrics
    header, kinds = [period], []
    for name in columns:
        if name not in _MONITORING:
            raise ValueError(f"column {name!r} is not one this table writes; it writes: {', '.join(_MONITORING)}")
        words, kind = _MONITORING[name]
        words = words.replace("positives", positives)
        if kind == "money":
            words += _with(currency, period)
        header.append(words)
        kinds.append(kind)
    rows = [[fmt_count(r["period"])] + [_cell(r[c], k) for c, k in zip(columns, kinds)]
            for _, r in frame.iterrows()]
    return Table(header, rows, ["right"] * len(header))


_POLICY_COLUMNS = {
    "value": "value before costs", "retrains": "retrains", "recalibrations": "re-thresholdings",
    "costs": "costs", "net value": "net value", "alerts raised": "drift alerts",
    "periods below target": "{period}s below target", "versus doing nothing": "gain over doing nothing",
}
_POLICY_MONEY = ("value", "costs", "net value", "versus doing nothing")


def _horizon(comparison):
    n = comparison.per_period["period"].nunique()
    return f"over {fmt_count(n)} {comparison.period}s"


def policy_table(comparison, columns=None):
    """A :class:`~aipm_sim.PolicyComparison` in words: one row per policy, money over the whole horizon.

    ``columns`` picks columns of ``comparison.table`` (default: all), in that
    order after the policy's name. Money columns read e.g. "net value (EUR
    over 26 weeks)"; the gain over doing nothing carries its sign.
    """
    frame = comparison.table
    columns = [c for c in frame.columns if c != "policy"] if columns is None else [c for c in columns if c != "policy"]
    header, align = ["policy"], ["left"]
    for c in columns:
        if c not in _POLICY_COLUMNS:
            raise ValueError(f"column {c!r} is not one this table writes; it writes: {', '.join(_POLICY_COLUMNS)}")
        words = _POLICY_COLUMNS[c].format(period=comparison.period)
        if c in _POLICY_MONEY:
            unit = " ".join(p for p in (comparison.currency, _horizon(comparison)) if p)
            words += f" ({unit})"
        header.append(words)
        align.append("right")
    rows = []
    for _, r in frame.iterrows():
        row = [r["policy"]]
        for c in columns:
            if c in _POLICY_MONEY:
                row.append(fmt_money(r[c], signed=c == "versus doing nothing"))
            else:
                row.append(fmt_count(r[c]))
        rows.append(row)
    return Table(header, rows, align)


def retrain_schedule_table(comparison, *, rows=None):
    """Every retraining schedule priced: "retrain every k weeks", retrains, and its net gain over doing nothing."""
    frame = comparison.interval_gains if rows is None else comparison.interval_gains.head(rows)
    unit = " ".join(p for p in (comparison.currency, _horizon(comparison)) if p)
    period = comparison.period
    out = [(f"every {period}" if r["retrain every (periods)"] == 1
            else f"every {fmt_count(r['retrain every (periods)'])} {period}s",
            fmt_count(r["retrains"]), fmt_money(r["versus doing nothing"], signed=True))
           for _, r in frame.iterrows()]
    return Table(("retrain", "retrains", f"gain over doing nothing ({unit})"), out,
                 ("left", "right", "right"))


def monitoring_summary(plan):
    """The after-launch notebook's key numbers: launch threshold, the drift alert, the verdict and the schedules."""
    c, p = plan.comparison, plan.production
    fired = int(p.metrics["alert"].sum())
    period = c.period

    def every(k):
        return "never" if k is None else f"every {period}" if k == 1 else f"every {fmt_count(k)} {period}s"

    lines = [
        f"- Launch threshold: {fmt_threshold(p.threshold)}.",
        f"- The drift alert fires above a score drift (PSI) of {fmt_number(plan.null.threshold)}; it fires in "
        f"{fmt_count(fired)} of {fmt_count(p.periods)} {period}s.",
        f"- {c.verdict}",
        f"- Best retraining schedule: {every(c.best_interval)}; the most frequent one that still pays for itself: "
        f"{every(c.break_even_interval)}.",
    ]
    return Prose("\n".join(lines))


# -- plan the launch (experiments) --------------------------------------------------------------
def launch_decisions_text(launch):
    """The model's decision and today's rule, as the A/B test will compare them."""
    cur = launch.scenario.currency

    def line(d):
        if hasattr(d, "point") and hasattr(d.point, "precision") and hasattr(d, "threshold"):
            return decision_line(d, currency=cur).text
        return Prose(d.describe()).text

    return Prose(f"- The model: {line(launch.treatment)}\n"
                 f"- Today ({launch.control_name}): {line(launch.control)}")  # a ranking decision has no point


def ab_test_text(test, *, case="case"):
    """An :class:`~aipm_sim.ABTestPlan` in sentences: sizes, days, the smallest gain it detects."""
    cur = test.currency or ""
    cases = f"{case}s"
    lines = [
        f"- {cases.capitalize()} per side: {fmt_count(test.cases_control)} on today's rule and "
        f"{fmt_count(test.cases_treatment)} on the model.",
        f"- Days of traffic at {fmt_count(test.cases_per_day)} {cases} a day: {fmt_number(test.days_collecting, 3)}; "
        f"then {fmt_count(test.label_delay_days)} days of waiting for the outcomes: "
        f"**{fmt_count(test.days)} days in all**.",
    ]
    if test.metric == "value":
        per = f" per {test.period}" if test.period else ""
        lines.append(
            f"- Smallest gain it detects: {fmt_money(test.minimum_effect, cur)} per {case}"
            + (f" = {fmt_money(test.minimum_effect_per_period, cur)}{per}" if test.volume is not None else "")
            + f" ({_level(test.power)} power, {_level(test.alpha)} false alarms).")
        lines.append(f"- The offline numbers expect {fmt_money(test.expected_effect, cur)} per {case}.")
    else:
        lines.append(f"- Smallest change it detects: {_points(test.minimum_effect)} points of "
                     f"{test.metric} ({_level(test.power)} power, {_level(test.alpha)} false alarms).")
    lines.append(f"- An always-valid test, which may be read every day, needs {fmt_count(test.always_valid_days)} days.")
    return Prose("\n".join(lines))


def peeking_table(peek, days=None):
    """Simulated A/A tests read every day: the share declaring a false winner by each day, for both tests."""
    wanted = peek.days if days is None else np.asarray(days)
    rows = [(fmt_count(d), fmt_percent(peek.peeking[i]), fmt_percent(peek.always_valid[i]))
            for d in wanted for i in [int(np.flatnonzero(peek.days == d)[0])]]
    return Table(("day", "read every day: false winners so far", "always-valid test: false winners so far"),
                 rows, ("right", "right", "right"))


def peeking_text(peek, test=None):
    """How often a test read once, read every day, and an always-valid one declare a winner when nothing changed."""
    lines = [f"- Read once, at the end: {fmt_percent(peek.fixed_horizon)} false winners "
             f"(agreed: {_level(peek.alpha)}).",
             f"- Read every day: {fmt_percent(peek.peeking_rate)} false winners.",
             f"- An always-valid test read every day: {fmt_percent(peek.always_valid_rate)} false winners"
             + (f", but it needs {fmt_count(test.always_valid_days)} days instead of {fmt_count(test.days)}."
                if test is not None else ".")]
    return Prose("\n".join(lines))


def rollout_table(rollout, *, case="case"):
    """A :class:`~aipm_sim.RolloutPlan`'s stages in words: share, days, cases treated, events and money at risk.

    The launch row reads "everyone" (nothing is left at risk or forgone: "none"); money that is not
    priced reads :data:`~aipm_sim.notebook.MISSING`.
    """
    cur = rollout.plan.currency
    rows = []
    for r in rollout.table.itertuples(index=False):
        last = r.share >= 1
        rows.append((
            fmt_count(r.stage), _level(r.share), fmt_count(r.days), f"{fmt_count(r.start_day)} to {fmt_count(r.end_day)}",
            "everyone" if last else fmt_count(r.treated_cases),
            "none" if last else fmt_count(r.events_at_risk),
            "none" if last else (MISSING if math.isnan(r.value_at_risk) else fmt_money(r.value_at_risk)),
            "none" if last else (MISSING if math.isnan(r.value_forgone) else fmt_money(r.value_forgone)),
        ))
    return Table(("stage", "share of traffic", "days", "from day … to day", f"{case}s on the new decision",
                  f"extra {rollout.guardrail_name} if harmful", f"value at risk{_with(cur)}",
                  f"value forgone by ramping{_with(cur)}"), rows, ["right"] * 8)


def launch_summary(launch, peek=None):
    """The launch notebook's key numbers: the test's days, the cost of peeking, the rollout's length and risk."""
    t, r = launch.test, launch.rollout
    cur = t.currency or ""
    lines = [f"- A/B test: {fmt_count(t.days)} days ({fmt_count(t.cases_total)} {launch.case}s); an always-valid "
             f"test: {fmt_count(t.always_valid_days)} days."]
    if peek is not None:
        lines.append(f"- Read every day: {fmt_percent(peek.peeking_rate)} false winners instead of "
                     f"{_level(peek.alpha)}.")
    if r is not None:
        risk = (f"if the new decision is harmful, the ramp costs {fmt_money(-r.value_at_risk, cur)} "
                f"({fmt_count(r.events_at_risk)} extra {r.guardrail_name})" if r.cost_per_event is not None else
                f"if the new decision is harmful, {fmt_count(r.events_at_risk)} extra {r.guardrail_name} happen")
        lines.append(f"- Rollout: everyone on day {fmt_count(r.total_days)}; {risk}.")
    return Prose("\n".join(lines))


# -- groups and fairness -------------------------------------------------------------------------
def group_assumptions_table(scenario, *, group="group"):
    """The scenario's ``[[groups]]``: each group's share of cases, share of positives, AUC and source."""
    w = scenario.words
    rows = [(g["name"], _level(g["share"]), _level(g["prevalence"]), fmt_number(g["auc"]),
             g.get("source") or "not given") for g in scenario.groups]
    return Table((group, f"share of {w.cases}", f"share of {w.positives}", "AUC (how well the score ranks)",
                  "source"), rows, ("left", "right", "right", "right", "left"))


def group_table(table, *, currency=None, period=None, index="group", words=None):
    """A groups table (:func:`~aipm_sim.group_metrics`, :func:`~aipm_sim.group_disparities`, ``compare``) in words.

    The groups (or, for disparities, the measures) make the first column,
    headed ``index``; every number is written as
    :func:`~aipm_sim.group_table_in_words` writes it (which see). With
    ``words`` (a scenario's :class:`~aipm_sim.Vocabulary`) the headers speak
    the scenario's language: "applications", "defaulters", "applications
    declined", "decline rate" instead of cases, positives, flagged cases and
    flag rate.
    """
    from .core.groups.words import group_table_in_words

    written = group_table_in_words(table, currency=currency, period=period)
    if list(table.index) == ["largest difference", "smallest ratio"] and index == "group":
        index = "across groups"
    names = {}
    if words is not None:
        names = {"cases": words.cases, "positives": words.positives, "flagged cases": words.alerts,
                 "flag rate": words.alert_rate}
    header = [index, *(names.get(str(c), str(c)) for c in written.columns)]
    rows = [[str(name), *(str(v) for v in row)] for name, row in zip(written.index, written.itertuples(index=False))]
    return Table(header, rows, ["left"] + ["right"] * len(written.columns))


def _rule_words(rule):
    return rule.replace("_", " ")


def fairness_price_table(frontier, *, currency=None, period=None):
    """:func:`~aipm_sim.fairness_frontier` in words: each rule and tolerance, its best value and its price.

    A rule that cannot hold reads "cannot be met".
    """
    unit = _with(currency, period)
    rows = []
    for r in frontier.itertuples(index=False):
        met = not math.isnan(r.value)
        rows.append((_rule_words(r.rule), f"{fmt_number(100 * r.tolerance)} points",
                     fmt_money(r.value) if met else "cannot be met",
                     fmt_money(r.price_of_fairness) if met else "cannot be met"))
    return Table(("fairness rule", "tolerance", f"best value{unit}", f"price of the rule{unit}"), rows,
                 ("left", "right", "right", "right"))


def groups_summary(best, parity, one, *, currency=None, period=None, group="group", words=None):
    """The groups notebook's key numbers: one threshold, per group, under parity, and the four-fifths ratio."""
    per = f" per {period}" if period else ""
    rates = "; ".join(f"{g} {fmt_percent(x)}" for g, x in parity.by_group["alert_rate"].items())
    lines = [
        f"- One threshold for everyone: {fmt_threshold(best.single_threshold)}, value "
        f"{fmt_money(best.single_threshold_value, currency)}{per}.",
        f"- Best threshold per {group}, no rule: value {fmt_money(best.unconstrained_value, currency)}{per}.",
        f"- {_rule_words(parity.fairness).capitalize()} (within {fmt_number(100 * parity.tolerance)} points): "
        f"value {fmt_money(parity.value, currency)}{per}, price {fmt_money(parity.price_of_fairness, currency)}{per}.",
        f"- {(words.alert_rate if words is not None else 'flag rate').capitalize()}s under "
        f"{_rule_words(parity.fairness)}: {rates}.",
        f"- Four-fifths ratio (lowest {words.alert_rate if words is not None else 'flag rate'} over highest) "
        "at one threshold: "
        f"{fmt_number(one.attrs['selection_rate_ratio'], 2)}.",
    ]
    return Prose("\n".join(lines))
