"""What a notebook shows a product manager: prose as Markdown, tables in words and one number format.

Notebooks stay thin clients: one call per cell, and the wording lives here::

    from aipm_sim import notebook as nb
    nb.prose(scenario.narrative)          # Markdown: wraps at words, never mid-word
    nb.assumptions_table(scenario)        # what, value, unit, plausible range, source
    nb.decision_text(scenario, decision)  # the decision in sentences

Every object shows as Markdown in JupyterLab and Voilà, and as the same text
(a plain table) where only text is shown (a terminal, a strictly checked
notebook cell). Numbers go through :mod:`aipm_sim._format`: thousands
separators, a true minus sign, units in the headers, words for a number that
does not exist. Nothing here imports IPython.
"""

from __future__ import annotations

import math
import re

from ._format import (fmt_count, fmt_level, fmt_money, fmt_number, fmt_pair, fmt_parameter_range, fmt_percent,
                      fmt_threshold)
from ._format import lower_first as _lower_first
from ._format import upper_first as _upper_first

__all__ = [
    "MISSING",
    "Prose",
    "Table",
    "assumptions_table",
    "break_even_table",
    "break_even_text",
    "opportunity_text",
    "regret_table",
    "sensitivity_text",
    "threshold_change_text",
    "variants_text",
    "change_text",
    "comparison_table",
    "decision_text",
    "money_table",
    "prose",
    "ranking_decision_text",
    "ranking_table",
    "rules_table",
    "sensitivity_table",
    "table",
    "variants_table",
]

#: The words for a cell without a number (NaN, None): said, never "NaN".
MISSING = "not applicable"

#: How each kind of column is written (see :func:`table`).
KINDS = {
    "count": fmt_count,
    "money": fmt_money,
    "percent": fmt_percent,
    "number": fmt_number,
    "threshold": fmt_threshold,
    "text": str,
}

MSG_KIND = "column {!r}: kind must be one of {}; found {!r}"
MSG_COLUMN = "column {!r} is not in the table; its columns are: {}"


class Prose:
    """Text for people: Markdown in a notebook, the same text elsewhere."""

    def __init__(self, text):
        self.text = str(text).strip()

    def _repr_markdown_(self):
        return self.text

    def __repr__(self):
        return self.text


class Table:
    """A table in words: Markdown in a notebook, aligned plain text elsewhere.

    Attributes
    ----------
    header : tuple of str
    rows : tuple of tuple of str
        Every cell already written for reading.
    align : tuple of str
        ``"left"`` or ``"right"`` per column (numbers right).
    """

    def __init__(self, header, rows, align=None):
        self.header = tuple(str(h) for h in header)
        self.rows = tuple(tuple(str(c) for c in row) for row in rows)
        self.align = tuple(align) if align is not None else ("left",) * len(self.header)

    def _repr_markdown_(self):
        def cell(text):
            return text.replace("|", "\\|").replace("\n", " ")

        marks = {"left": ":--", "right": "--:"}
        lines = ["| " + " | ".join(cell(h) for h in self.header) + " |",
                 "|" + "|".join(marks[a] for a in self.align) + "|"]
        lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in self.rows]
        return "\n".join(lines)

    def __repr__(self):
        widths = [max(len(x) for x in col) for col in zip(self.header, *self.rows)]

        def line(cells):
            return "  ".join(c.rjust(w) if a == "right" else c.ljust(w)
                             for c, w, a in zip(cells, widths, self.align)).rstrip()

        return "\n".join([line(self.header), *(line(r) for r in self.rows)])


def prose(text):
    """``text`` (a scenario's narrative, a note) as Markdown: it wraps at words in JupyterLab and Voilà."""
    return Prose(text)


def _written(value, kind):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    if kind == "text":
        return str(value)
    return KINDS[kind](value)


def table(frame, columns):
    """``frame`` (a DataFrame) as a :class:`Table` of the given ``columns``, in that order, without its index.

    Parameters
    ----------
    frame : pandas.DataFrame
    columns : mapping of str to (str, str)
        Column name -> (header in words with its unit, kind), kind one of
        ``count``, ``money``, ``percent`` (a fraction in [0, 1]), ``number``,
        ``threshold``, ``text``. Missing values read :data:`MISSING`.
    """
    for name, (_, kind) in columns.items():
        if kind not in KINDS:
            raise ValueError(MSG_KIND.format(name, ", ".join(KINDS), kind))
        if name not in frame.columns:
            raise ValueError(MSG_COLUMN.format(name, ", ".join(map(str, frame.columns))))
    header = [h for h, _ in columns.values()]
    rows = [[_written(row[name], kind) for name, (_, kind) in columns.items()]
            for _, row in frame.iterrows()]
    align = ["left" if kind == "text" else "right" for _, kind in columns.values()]
    return Table(header, rows, align)


# -- a scenario's pieces, in words ---------------------------------------------------------------


def _from_parameters(scenario, expression):
    """The parameters an expression uses, in words (``"computed from: …"``), or the number itself."""
    if not isinstance(expression, str):
        return "a fixed number"
    used = [n for n in dict.fromkeys(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", expression)) if n in scenario.parameters]
    if not used:
        return "a fixed number"
    return "from: " + "; ".join(_lower_first(scenario.parameters[n].description or n.replace("_", " "))
                                for n in used)


def assumptions_table(scenario):
    """The scenario's assumptions: what (its description), value, unit, plausible range and source."""
    rows = [_assumption_row(p) for p in scenario.parameters.values()]
    return Table(("Assumption", "Value", "Unit", "Plausible range", "Source"), rows,
                 ("left", "right", "left", "left", "left"))


def _assumption_row(p):
    """One assumption's cells; a share ("0.03", unit "fraction of candidate items") as a percent ("3%")."""
    unit = (p.unit or "").strip()
    words = unit.split(" ", 1)
    what = p.description or p.name.replace("_", " ")
    source = p.source or "not given"
    if words[0] in ("fraction", "share") and (len(words) == 1 or words[1].startswith("of ")):
        # a stated share reads as stated: "3%", "0.15% to 0.6%" (fmt_level: the shortest exact decimal)
        return (what, fmt_level(p.value), words[1] if len(words) > 1 else "share",
                f"{fmt_level(p.low)} to {fmt_level(p.high)}", source)
    return what, fmt_number(p.value), unit, f"{fmt_number(p.low)} to {fmt_number(p.high)}", source


def money_table(scenario):
    """Money per outcome in the scenario's words: the value per case and what it is computed from."""
    vm, w, cur = scenario.value_model(), scenario.words, scenario.currency
    rows = []
    for cell in ("tp", "fp", "fn", "tn"):
        for field in (cell, f"{cell}_amount"):
            if field not in scenario.value:
                continue
            if field == cell:
                what, shown = f"{w.cell(cell)}: fixed part", fmt_money(getattr(vm, field), f"{cur} per {w.case}")
            else:
                what, shown = f"{w.cell(cell)}: share of the {w.case}'s amount", fmt_number(getattr(vm, field))
            rows.append((what, shown, _from_parameters(scenario, scenario.value[field])))
    return Table(("Outcome", "Value (gain > 0, cost < 0)", "Computed"), rows, ("left", "right", "left"))


def _rule_words(name, bound, words, per):
    return {
        "max_alerts": f"at most {fmt_count(bound)} {words.alerts} {per}",
        "min_recall": f"at least {fmt_percent(bound)} of {words.positives} {words.flagged}",
        "min_precision": f"at least {fmt_percent(bound)} of {words.cases} {words.flagged} being {words.positives}",
        "max_alert_rate": f"at most {fmt_percent(bound)} of {words.cases} {words.flagged}",
        "max_fpr": f"at most {fmt_percent(bound)} of {words.negatives} {words.flagged}",
    }.get(name, f"{name.replace('_', ' ')} {fmt_number(bound)}")


def rules_table(scenario):
    """The scenario's business rules in words, with what each is computed from."""
    rows = [(_rule_words(name, bound, scenario.words, "per month"),
             _from_parameters(scenario, scenario.decision["constraints"][name]))
            for name, bound in scenario.constraints.items()]
    if not rows:
        rows = [("no rule: every threshold is allowed", "")]
    return Table(("Rule", "Computed"), rows)


def decision_text(scenario, decision=None):
    """The best threshold of a threshold scenario in sentences (what is flagged, counts, money, limits)."""
    d = scenario.optimize() if decision is None else decision
    s = scenario.decision_summary(d)
    w, cur = scenario.words, s.currency
    lines = [
        f"**{w.cases.capitalize()} scoring at or above {fmt_threshold(s.threshold)}** (a probability of "
        f"{fmt_percent(s.threshold)} or more) **are {w.flagged}.**",
        f"- {w.alerts.capitalize()} per month: {fmt_count(s.alerts_per_month)} of {fmt_count(s.cases_per_month)} "
        f"{w.cases}" + (f"; the team can handle {fmt_count(s.capacity_per_month)}." if s.capacity_per_month
                         is not None else "."),
        f"- Recall: {fmt_percent(s.recall)} of {w.positives} are {w.flagged}. Precision: "
        f"{fmt_percent(s.precision)} of {w.cases} {w.flagged} are {w.positives}.",
        f"- Value per month (costs are negative): {fmt_money(s.value_per_month, cur)} with the model, "
        f"{fmt_money(s.nothing_value_per_month, cur)} when nothing is {w.flagged}: "
        f"{fmt_money(abs(s.uplift_over_nothing_per_month), cur)} a month "
        f"{'better' if s.uplift_over_nothing_per_month >= 0 else 'worse'}.",
    ]
    if s.binding:
        rules = "; ".join(_rule_words(n, d.constraints[n], w, "per month") for n in s.binding)
        lines.append(f"- The rule that limits it: {rules}. Without it the best value would be "
                     f"{fmt_money(s.constraints_cost_per_month, cur)} a month higher.")
    else:
        lines.append("- No rule limits the decision.")
    lines.append(f"- Thresholds within 1% of the best value: {fmt_threshold(s.near_optimal_low)} to "
                 f"{fmt_threshold(s.near_optimal_high)}.")
    return Prose("\n".join(lines))


def sensitivity_table(sensitivity, scenario, *, rows=8):
    """What moves the decision: each assumption in words, the best threshold and the cost of not adapting."""
    cur = scenario.currency
    out = []
    for row in sensitivity.table.head(rows).itertuples(index=False):
        p = scenario.parameters.get(row.parameter)
        name = (p.description if p is not None and p.description else row.parameter.replace("_", " "))
        out.append((name, fmt_parameter_range(row.low, row.high, row.unit, cur),
                    fmt_pair(row.threshold_at_low, row.threshold_at_high, "threshold"),
                    fmt_money(row.regret_at_low), fmt_money(row.regret_at_high)))
    return Table(("Assumption", "Range tested", "Best threshold at low / high",
                  f"Cost of keeping today's threshold at low ({cur} per month)",
                  f"… at high ({cur} per month)"), out, ("left", "left", "left", "right", "right"))


def ranking_table(decision, *, currency=None):
    """A ranking decision's table by k: slots, minimum score, value and what visitors see, in words."""
    cur = f" ({currency} per month)" if currency else ""
    return table(decision.by_k, {
        "k": ("slots (k)", "count"), "min_score": ("minimum score", "threshold"),
        "value": (f"value{cur}", "money"), "shown_per_session": ("items shown per visit", "count"),
        "precision_shown": ("share of items shown that are clicked", "percent"),
        "hit_rate": ("visits with at least one click", "percent"),
        "clicks_per_1000_sessions": ("clicks per 1,000 visits", "count"),
    })


def ranking_decision_text(scenario, decision=None):
    """The best k and minimum score of a ranking scenario in sentences."""
    d = scenario.optimize() if decision is None else decision
    p, cur = d.point, scenario.currency
    lines = [
        f"**Show up to {d.k} items, only those with a click probability of {fmt_threshold(d.min_score)} or more.**",
        f"- Items shown per visit: {fmt_count(p.shown_per_session)} of {d.k} slots.",
        f"- Share of items shown that are clicked: {fmt_percent(p.precision_shown)}; of the top {d.k} candidates: "
        f"{fmt_percent(p.precision_at_k)}; share of all relevant items shown: {fmt_percent(p.recall_at_k)}; "
        f"visits with at least one click: {fmt_percent(p.hit_rate)}.",
        f"- Clicks per 1,000 visits: {fmt_count(p.clicks_per_1000_sessions)}.",
        f"- Value: {fmt_money(d.value, cur)} per month ({fmt_money(d.value_per_1000_sessions, cur)} per 1,000 visits).",
    ]
    lines.append("- No rule limits the decision." if not d.binding else
                 "- Rules that limit it: " + ", ".join(b.replace("_", " ") for b in d.binding) + ".")
    return Prose("\n".join(lines))


def comparison_table(comparison, *, currency=None):
    """Model against rule against acting on nothing, in words (:meth:`~aipm_sim.Scenario.compare_rule`)."""
    frame = comparison.to_frame()
    cur = f" ({currency} per month)" if currency else " (per month)"
    columns = {"option": ("option", "text"), "value": (f"best value{cur}", "money"),
               "threshold": ("best threshold or score", "threshold")}
    extra = {"k": ("slots (k)", "count"), "precision": ("precision", "percent"),
             "hit_rate": ("visits with a click", "percent"),
             "clicks_per_1000_sessions": ("clicks per 1,000 visits", "count"),
             "recall": ("recall", "percent"), "alert_rate": ("share flagged", "percent")}
    columns.update({k: v for k, v in extra.items() if k in frame.columns})
    return table(frame, columns)


def change_text(scenario, **changes):
    """What changing some parameters is worth: the best value's change and the flagged count, before and after."""
    base, after = scenario.decision_summary(), scenario.replace(**changes).decision_summary()
    w, cur = scenario.words, scenario.currency
    said = ", ".join(f"{_lower_first(scenario.parameters[k].description or k)} from "
                     f"{fmt_number(scenario.parameters[k].value)} to {fmt_number(v)}" for k, v in changes.items())
    lines = [
        f"With {said}:",
        f"- best value per month: {fmt_money(scenario.value_of_change(**changes), cur, signed=True)};",
        f"- {w.alerts} per month: {fmt_count(base.alerts_per_month)} now, {fmt_count(after.alerts_per_month)} after"
        + (f" (the team could handle {fmt_count(after.capacity_per_month)})." if after.capacity_per_month
           is not None else "."),
    ]
    return Prose("\n".join(lines))


def variants_table(comparison, *, currency=None):
    """Model variants side by side in words (:meth:`~aipm_sim.Scenario.compare_variants`)."""
    cur = f" ({currency} per month)" if currency else " (per month)"
    frame = comparison.table.copy()
    frame["within_latency_budget"] = frame["within_latency_budget"].map({True: "yes", False: "no"})
    return table(frame, {
        "variant": ("variant", "text"), "auc": ("AUC", "number"),
        "cost_per_1000_predictions": (f"cost per 1,000 scores{' (' + currency + ')' if currency else ''}", "number"),
        "p95_latency_ms": ("p95 latency (ms)", "count"), "within_latency_budget": ("fast enough", "text"),
        "net_value_per_month": (f"net value{cur}", "money"), "payback_months": ("payback (months)", "number"),
    })


# -- summaries in sentences (what a notebook's last cell says) ----------------------------------
def _words_for(scenario, name):
    """A parameter in words: its description, lower-case first, or its name without underscores."""
    p = scenario.parameters.get(name)
    return _lower_first(p.description) if p is not None and p.description else name.replace("_", " ")


def break_even_text(scenario, break_even):
    """A :class:`~aipm_sim.BreakEven` in one sentence, the parameter named in the scenario's words."""
    text = break_even.describe().replace(break_even.parameter, _words_for(scenario, break_even.parameter))
    return Prose(text[:1].upper() + text[1:] + ".")


def regret_table(sensitivity, scenario, *, rows=5):
    """The assumptions whose error would cost most if today's threshold were kept, largest first."""
    cur = scenario.currency
    out = [(_upper_first(_words_for(scenario, r.parameter)), fmt_money(r.regret), f"at its {r.side} end")
           for r in sensitivity.regret_ranking().head(rows).itertuples(index=False)]
    return Table(("Assumption", f"Cost of keeping today's threshold ({cur} per month)", "When the assumption is"),
                 out, ("left", "right", "left"))


def sensitivity_text(scenario, sensitivity, *, break_evens=(), decision=None):
    """Today's decision, the assumption that swings the value most, the largest regret and the break-evens."""
    s = scenario.decision_summary(scenario.optimize() if decision is None else decision)
    w, cur = scenario.words, scenario.currency
    top = sensitivity.table.iloc[0]
    regret = sensitivity.regret_ranking().iloc[0]
    lines = [
        f"- Today: {w.cases} scoring {fmt_threshold(s.threshold)} or more are {w.flagged}, "
        f"{fmt_count(s.alerts_per_month)} {w.alerts} a month, worth {fmt_money(s.value_per_month, cur)} a month.",
        f"- Biggest swing: {_words_for(scenario, top['parameter'])} ({fmt_money(top['value_at_low'])} to "
        f"{fmt_money(top['value_at_high'], cur)} a month across its plausible range).",
        f"- Largest cost of keeping today's threshold: {fmt_money(regret['regret'], cur)} a month, if "
        f"{_words_for(scenario, regret['parameter'])} is at the {regret['side']} end of its range.",
    ]
    lines += [f"- {break_even_text(scenario, b).text}" for b in break_evens]
    return Prose("\n".join(lines))


def opportunity_text(opportunity, *, currency, comparison=None):
    """Is the model worth building: uplift over the baseline, running costs, net value, payback and ROI."""
    o, cur = opportunity, currency
    base = "the rule" if o.baseline == "rule" else "acting on nothing"
    if comparison is not None and o.baseline == "rule":
        base = f"the rule ({comparison.rule})"
    uplift = o.gross_uplift_per_month
    lines = [
        f"- The model earns {fmt_money(uplift, cur)} a month more than {base}.",
        f"- Running it costs {fmt_money(o.inference_cost_per_month, cur)} a month for scoring and "
        f"{fmt_money(o.running_cost_per_month, cur)} a month to run: net {fmt_money(o.net_value_per_month, cur)} "
        "a month.",
    ]
    if math.isfinite(o.payback_months):
        lines.append(f"- Building it costs {fmt_money(o.build_cost, cur)}: it pays back in "
                     f"{fmt_number(o.payback_months, 2)} months; over {fmt_count(o.horizon_months)} months, after "
                     f"the build cost, it earns {fmt_percent(o.roi)} of the build cost (values not discounted).")
    else:
        lines.append(f"- Building it costs {fmt_money(o.build_cost, cur)}: it never pays back, because its net "
                     "value a month is not positive.")
    return Prose("\n".join(lines))


def variants_text(*comparisons):
    """The best model variant within each latency budget, one sentence per comparison."""
    return Prose("\n".join(
        f"- Best variant within {fmt_count(c.latency_budget_ms)} ms: {c.best}." for c in comparisons))


def threshold_change_text(scenario, before, after, *, change):
    """Two decisions side by side: threshold, value per month and the rules that limit the second.

    ``change`` names what differs in words, e.g. ``"with the doubled fee"``.
    """
    cur = scenario.currency
    moved = "the same" if before.threshold == after.threshold else "moves"
    rules = ("; ".join(_rule_words(n, after.constraints[n], scenario.words, "per month") for n in after.binding)
             if after.binding else "none")
    return Prose("\n".join([
        f"- Best threshold: {fmt_threshold(before.threshold)} today, {fmt_threshold(after.threshold)} {change} "
        f"({moved}).",
        f"- Value per month: {fmt_money(before.value, cur)} today, {fmt_money(after.value, cur)} {change}: "
        f"a change of {fmt_money(after.value - before.value, cur, signed=True)} a month.",
        f"- Rules that limit the decision {change}: {rules}.",
    ]))


_QUANTITY = {"net_value": "net value", "uplift": "gain over the baseline", "value": "best value"}


def _pays_when(row):
    parts = []
    for a, b in row.positive_between or ():
        if a <= row.search_low:
            parts.append(f"below {fmt_number(b)}")
        elif b >= row.search_high:
            parts.append(f"above {fmt_number(a)}")
        else:
            parts.append(f"between {fmt_number(a)} and {fmt_number(b)}")
    if parts:
        return " or ".join(parts)
    return {True: "above the break-even", False: "below the break-even"}.get(row.positive_above, MISSING)


def break_even_table(scenario, frame):
    """:func:`~aipm_sim.compute_break_even_table` in words: today's value, where the model stops paying off."""
    cur = scenario.currency
    rows, what = [], "net value"
    for r in frame.itertuples(index=False):
        what = _QUANTITY.get(r.quantity, r.quantity.replace("_", " "))
        crossings = " and ".join(fmt_number(x) for x in r.crossings_at) if r.crossings_at else "none found"
        rows.append((_upper_first(_words_for(scenario, r.parameter)), fmt_number(r.base), crossings,
                     _pays_when(r), f"{fmt_number(r.search_low)} to {fmt_number(r.search_high)}",
                     fmt_money(r.quantity_at_low), fmt_money(r.quantity_at_high)))
    return Table(("Assumption", "Today", "Break-even", "The model pays off when it is", "Range searched",
                  f"{what.capitalize()} at the low end ({cur} per month)", f"… at the high end ({cur} per month)"),
                 rows, ("left", "right", "right", "left", "left", "right", "right"))


# -- the newer rooms' notebooks (uncertainty, monitoring, launch, groups) live in their own module -----
from .notebook_tables import *  # noqa: E402,F401,F403  (re-exported: nb.policy_table, nb.group_table, …)
from .notebook_tables import __all__ as _tables_all  # noqa: E402

__all__ += _tables_all
