"""What a decision report says: inputs → one Decision, assumptions, caveats, in words.

Everything numeric comes from :mod:`aipm_sim.core` (and the scenario library
when a scenario is named); this module only gathers and words it.
"""

from __future__ import annotations

import datetime as _dt
import html
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

from ..core import ScoreSet, ThresholdCurve, ValueModel, compute_sensitivity, load_scenario, optimize
from ..core.engine._nothing import NOTHING_ALERTS, nothing_if_practically_nothing  # noqa: F401 - NOTHING_ALERTS shared
from ..core.errors import ParameterError
# The figures' own rounding (no matplotlib import), so that the text and the charts agree.
from .._format import fmt_count, fmt_money, fmt_number, fmt_percent, fmt_signed_money  # noqa: F401 - shared names
from .._format import fmt_threshold as _fmt_threshold
from .._format import fmt_level, fmt_pair, fmt_parameter_range, lower_first

CELLS = ("tp", "fp", "fn", "tn")

MSG_NO_INPUT = "a report needs either a scenario (--scenario NAME) or scored data (--data FILE --score COL --label COL)"
MSG_BOTH_INPUTS = "give either a scenario or scored data, not both: found scenario {!r} and data {!r}"
MSG_DATA_COLUMNS = "scored data needs --score COL and --label COL; missing: {}"
MSG_DATA_ONLY = (
    "{} applies to scored data (--data), not to a scenario; change a scenario's numbers with "
    "--set NAME=VALUE"
)
MSG_OVERRIDES_NEED_SCENARIO = "overrides (--set NAME=VALUE) change a scenario's parameters: give a scenario too"
MSG_RANKING = (
    "reports cover threshold scenarios (one yes/no per case); {!r} is a ranking scenario "
    "(k items per session): explore it in a notebook instead"
)
MSG_WORD = "{} must be a non-empty word such as {!r}; found {!r}"

CELL_WORDS = {
    "tp": "caught positive (true positive)",
    "fp": "false alarm (false positive)",
    "fn": "missed positive (false negative)",
    "tn": "rightly left alone (true negative)",
}
CONSTRAINT_WORDS = {
    "min_recall": ("lowest acceptable recall", "fraction"),
    "min_precision": ("lowest acceptable precision", "fraction"),
    "max_alert_rate": ("highest acceptable share of cases flagged", "fraction"),
    "max_fpr": ("highest acceptable false positive rate", "fraction"),
    "max_alerts": ("most alerts allowed", "cases per {period}"),
}

#: Scored data has no plausible ranges: each value given is varied by this fraction either way.
DATA_SWING = 0.5
#: Readable parameter names for the values given with scored data (tornado labels).
DATA_PARAMETER_NAMES = {
    "tp": "value_per_caught_positive",
    "fp": "value_per_false_alarm",
    "fn": "value_per_missed_positive",
    "tn": "value_per_true_negative",
    "tp_amount": "amount_share_caught_positive",
    "fp_amount": "amount_share_false_alarm",
    "fn_amount": "amount_share_missed_positive",
    "tn_amount": "amount_share_true_negative",
}
#: The same parameters in words, for every table, chart and sentence of the report.
DATA_PARAMETER_WORDS = {
    "value_per_caught_positive": "value per caught positive",
    "value_per_false_alarm": "value per false alarm",
    "value_per_missed_positive": "value per missed positive",
    "value_per_true_negative": "value per case rightly left alone",
    "amount_share_caught_positive": "share of the amount gained or lost per caught positive",
    "amount_share_false_alarm": "share of the amount gained or lost per false alarm",
    "amount_share_missed_positive": "share of the amount gained or lost per missed positive",
    "amount_share_true_negative": "share of the amount gained or lost per case rightly left alone",
}
#: Rows of the sensitivity table in the report (the tornado shows up to 10).
SENSITIVITY_ROWS = 5
#: Why the best choice is to flag nothing (see :attr:`ReportAnalysis.nothing_reason`).
NOTHING_CONSTRAINED = "the constraints allow no alerts"
NOTHING_PAYS_BEST = "no threshold earns more than flagging nothing"

GENERAL_CAVEATS = (
    "Values are expected values: on any single {period} the real counts and money will scatter around them.",
    "The money per outcome is an assumption (see the table above); the sensitivity section shows which "
    "assumptions move the decision most.",
    "The analysis assumes that future cases look like the cases it was computed from (same mix of "
    "positives, same score distribution). Re-run it when the model, the traffic or the costs change.",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Assumption:
    """One row of the assumptions table.

    Attributes
    ----------
    name : str
        What is assumed, in words.
    value : str
        The value, formatted for reading.
    unit : str
    source : str
        Where the value comes from (a scenario's cited source, the command
        line, the data file).
    """

    name: str
    value: str
    unit: str
    source: str


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class ReportAnalysis:
    """Everything a decision report shows, computed once.

    Attributes
    ----------
    title : str
    date : datetime.date
        Date the report was made (the only thing that changes between two
        runs with the same inputs).
    version : str
        aipm_sim version.
    inputs : str
        One sentence naming the inputs (scenario or data file).
    narrative : str
        The situation in a few sentences (a scenario's narrative; empty for data).
    scenario : Scenario or None
        The scenario, with overrides applied (None for scored data).
    decision : aipm_sim.Decision
        The optimiser's decision; one that flags fewer than
        :data:`NOTHING_ALERTS` cases per period is shown as what it is,
        flagging nothing (row 0 of the curve: threshold +inf, no alerts).
    nothing_value : float
        Value of flagging nothing (no alerts at all), per period: the
        baseline the decision is compared with.
    assumptions : tuple of Assumption
    sensitivity : object or None
        The scenario library's sensitivity result, when available.
    caveats : tuple of str
        General caveats, input-specific ones and every warning raised while
        computing (so that none is lost, and none appears as a raw warning).
    period, currency : str
        Words for the period of ``volume`` ("day") and the money unit.
    """

    title: str
    date: _dt.date
    version: str
    inputs: str
    narrative: str
    scenario: object
    decision: object
    nothing_value: float
    assumptions: tuple
    sensitivity: object
    caveats: tuple
    period: str
    currency: str

    @property
    def per_period(self):
        """``'per day'`` with a volume, ``'in total over the data'`` without."""
        return f"per {self.period}" if self.decision.volume is not None else "in total over the data"

    @property
    def uplift_over_nothing(self):
        """How much more the decision earns than flagging nothing, per period (currency; > 0: it pays)."""
        return float(self.decision.value) - float(self.nothing_value)

    @property
    def flags_nothing(self):
        """True when the decision flags no case."""
        return self.decision.point.alerts == 0

    @property
    def nothing_reason(self):
        """Why the decision flags nothing (:data:`NOTHING_CONSTRAINED` or :data:`NOTHING_PAYS_BEST`); None when it flags some."""
        if not self.flags_nothing:
            return None
        return NOTHING_CONSTRAINED if self.decision.binding else NOTHING_PAYS_BEST

    @property
    def words(self):
        """The scenario's :class:`~aipm_sim.Vocabulary` (generic words for scored data)."""
        from ..core import Vocabulary

        return self.scenario.words if self.scenario is not None else Vocabulary()

    def parameter_words(self, name):
        """Parameter ``name`` in words: the scenario's description (never the code name when one exists)."""
        if self.scenario is not None and name in self.scenario.parameters:
            p = self.scenario.parameters[name]
            if p.description:
                return p.description
        return DATA_PARAMETER_WORDS.get(name, name.replace("_", " "))

    def constraint_words(self, name):
        """A constraint in force, in words with its bound: "at most 4,320 alerts per month"."""
        bound = self.decision.constraints[name]
        w = self.words
        return {
            "max_alerts": f"at most {fmt_count(bound)} {w.alerts} {self.per_period}",
            "min_recall": f"at least {fmt_percent(bound)} of {w.positives} {w.flagged}",
            "min_precision": f"at least {fmt_percent(bound)} of {w.cases} {w.flagged} being {w.positives}",
            "max_alert_rate": f"at most {fmt_percent(bound)} of {w.cases} {w.flagged}",
            "max_fpr": f"at most {fmt_percent(bound)} of {w.negatives} {w.flagged}",
        }.get(name, name.replace("_", " "))

    def decision_words(self):
        """The decision in a few words: ``flag scores >= 0.06542`` or ``flag nothing (the constraints allow no alerts)``."""
        if self.flags_nothing:
            return f"flag nothing ({self.nothing_reason})"
        return f"flag scores >= {fmt_threshold(self.decision.threshold)}"

    def headline(self):
        """One line: the decision, its expected value and what it adds over flagging nothing."""
        d = self.decision
        line = f"{self.decision_words()}; expected value {fmt_money(d.value, self.currency)} {self.per_period}"
        if not self.flags_nothing:
            line += f" ({fmt_signed_money(self.uplift_over_nothing, self.currency)} compared with flagging nothing)"
        return line


# -- formatting ----------------------------------------------------------------------
def fmt_threshold(x):
    """A threshold for the report: +inf says what it means (flag nothing)."""
    return _fmt_threshold(x, infinite="above every score (flag nothing)")


#: Characters with a meaning in Markdown, backslash-escaped in text given by the user.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def escape_text(text):
    """``text`` (a title, a file name) as literal text in the report's Markdown: no HTML, no formatting."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(str(text), quote=False))


# -- building the analysis -----------------------------------------------------------
def analyse(
    *,
    scenario=None,
    overrides=None,
    data=None,
    score=None,
    label=None,
    amount=None,
    weight=None,
    value=None,
    constraints=None,
    volume=None,
    title=None,
    period=None,
    currency=None,
    date=None,
    curve=None,
):
    """Compute everything a decision report shows.

    Give either ``scenario`` (a name from :func:`aipm_sim.list_scenarios`,
    with ``overrides`` as for :func:`aipm_sim.load_scenario`) or scored
    ``data`` (CSV/Parquet path) with its ``score`` and ``label`` columns, a
    ``value`` mapping (``tp``, ``fp``, ``fn``, ``tn`` and ``*_amount``, as
    :class:`aipm_sim.ValueModel`), ``constraints`` (as
    :func:`aipm_sim.optimize`) and ``volume`` (cases per ``period``).

    ``curve`` (a :class:`aipm_sim.ThresholdCurve`, or the path of one pickled
    by :func:`aipm_sim.report.build_report`) is the curve of ``data`` computed
    elsewhere, e.g. on Dask from a folder of files (``aipm-sim report --engine
    dask``): ``data`` is then only named, not read.

    Returns
    -------
    ReportAnalysis

    Raises
    ------
    ValueError (DataError, ParameterError, ConstraintError)
        Bad scenario, parameter or data; the message names it.
    """
    for name, given, example in (("period", period, "day"), ("currency", currency, "EUR")):
        if given is not None and (not isinstance(given, str) or not given.strip()):
            raise ParameterError(MSG_WORD.format(name, example, given))
    if scenario is None and data is None:
        raise ParameterError(MSG_NO_INPUT)
    if scenario is not None and data is not None:
        raise ParameterError(MSG_BOTH_INPUTS.format(scenario, str(data)))
    if isinstance(date, str):
        date = _dt.date.fromisoformat(date)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if scenario is not None:
            data_only = {"score": score, "label": label, "amount": amount, "weight": weight, "value": value,
                         "constraints": constraints, "volume": volume, "period": period, "currency": currency}
            for name, given in data_only.items():
                if given is not None and given != {}:
                    raise ParameterError(MSG_DATA_ONLY.format(name))
            parts = _from_scenario(scenario, dict(overrides or {}))
        else:
            if overrides:
                raise ParameterError(MSG_OVERRIDES_NEED_SCENARIO)
            parts = _from_data(
                data, score=score, label=label, amount=amount, weight=weight, value=dict(value or {}),
                constraints=dict(constraints or {}), volume=volume, period=period or "day",
                currency=currency or "currency", curve=_load_curve(curve),
            )
    seen = []
    for w in caught:
        text = f"Warning while computing: {w.message}"
        if text not in seen:
            seen.append(text)
    from .. import __version__

    decision = nothing_if_practically_nothing(parts["decision"])
    return ReportAnalysis(
        title=title or parts["title"],
        date=date or _dt.date.today(),
        version=__version__,
        inputs=parts["inputs"],
        narrative=parts.get("narrative", ""),
        scenario=parts.get("scenario"),
        decision=decision,
        nothing_value=parts["nothing_value"],
        assumptions=tuple(parts["assumptions"]),
        sensitivity=parts.get("sensitivity"),
        caveats=tuple(c.format(period=parts["period"]) for c in GENERAL_CAVEATS)
        + tuple(parts["caveats"]) + tuple(seen),
        period=parts["period"],
        currency=parts["currency"],
    )


def _load_curve(curve):
    """A curve given to :func:`analyse`: the object, or read from the file :func:`build_report` pickled it to."""
    if curve is None or isinstance(curve, ThresholdCurve):
        return curve
    import pickle

    with open(curve, "rb") as fh:  # written by build_report in its own temporary folder
        return pickle.load(fh)


def _from_data(data, *, score, label, amount, weight, value, constraints, volume, period, currency, curve=None):
    missing = [flag for flag, given in (("--score", score), ("--label", label)) if not given]
    if missing:
        raise ParameterError(MSG_DATA_COLUMNS.format(", ".join(missing)))
    path = Path(data)
    if curve is None:
        scores = ScoreSet.read(path, score=score, label=label, amount=amount, weight=weight)
        curve = ThresholdCurve.from_scores(scores)
        cases, where = f"{fmt_number(scores.n_cases)} ({len(scores):,} rows)", f"data file {path.name}"
    else:  # computed elsewhere (on Dask) from the files ``data`` names
        scores, cases = None, fmt_number(curve.n_cases)
        where = f"data files in {path.name}" if path.is_dir() else f"data files {path.name}"
    value_model = ValueModel(**value)
    decision = optimize(curve, value_model, volume=volume, **constraints)
    given = "given for this report"
    rows = [
        Assumption(name="scored cases", value=cases, unit="cases", source=where),
        Assumption(name="share of positives (prevalence)", value=fmt_percent(curve.prevalence),
                   unit="fraction", source=f"{where}, column {label!r}"),
    ]
    for cell in CELLS:
        rows.append(Assumption(name=f"value per {CELL_WORDS[cell]}", value=fmt_number(getattr(value_model, cell)),
                               unit=f"{currency} per case", source=given))
    for cell in CELLS:
        fraction = getattr(value_model, f"{cell}_amount")
        if fraction:
            rows.append(Assumption(name=f"share of the amount gained (+) or lost (−) per {CELL_WORDS[cell]}",
                                   value=fmt_number(fraction), unit=f"fraction of column {amount!r}",
                                   source=given))
    if volume is not None:
        rows.append(Assumption(name="cases per period", value=fmt_number(volume), unit=f"cases per {period}",
                               source=given))
    for name, bound in decision.constraints.items():
        words, unit = CONSTRAINT_WORDS[name]
        shown = fmt_percent(bound) if unit == "fraction" else fmt_number(bound)
        rows.append(Assumption(name=words, value=shown, unit=unit.format(period=period), source=given))
    sensitivity_inputs = dict(value_model=value_model, constraints=decision.constraints,
                              volume=curve.n_cases if volume is None else volume, currency=currency)
    if scores is not None:
        sensitivity = _data_sensitivity(path, score=score, label=label, amount=amount, weight=weight,
                                        **sensitivity_inputs)
    else:
        sensitivity = _curve_sensitivity(curve, path.name, **sensitivity_inputs)
    caveats = []
    if curve.positives < 100:
        caveats.append(
            f"The data holds only {fmt_number(curve.positives)} positive cases: recall and the value "
            "are uncertain by several percentage points; collect more labelled cases before relying "
            "on the exact threshold."
        )
    return {
        "title": f"Threshold decision for {path.name}",
        # Row 0 of the curve flags nothing (threshold +inf).
        "nothing_value": float(decision.values[0]),
        "inputs": (f"scored data from {path.name}" if scores is not None else f"the scored {where}")
                  + f" (score column {score!r}, label column {label!r})",
        "decision": decision,
        "sensitivity": sensitivity,
        "assumptions": rows,
        "caveats": caveats,
        "period": period,
        "currency": currency,
    }


def _curve_sensitivity(curve, name, **inputs):
    """:func:`_data_sensitivity` of a curve without its data: on the fewest weighted cases with that curve
    (:func:`aipm_sim.core.scale.cases.curve_cases`), written to a temporary file for the scenario to read."""
    import tempfile

    from ..core.scale.cases import curve_cases

    cases = curve_cases(curve)
    with tempfile.TemporaryDirectory(prefix="aipm_sim_cases_") as tmp:
        file = Path(tmp) / "cases.parquet"
        cases.to_parquet(file, index=False)
        return _data_sensitivity(file, score="score", label="label", amount="amount" if curve.has_amounts else None,
                                 weight="weight", name=name, **inputs)


def _data_sensitivity(path, *, score, label, amount, weight, value_model, constraints, volume, currency, name=None):
    """One-at-a-time sensitivity of scored data to each value given, ±:data:`DATA_SWING`.

    The inputs become a scenario (scores from the file, each non-zero value a
    parameter with range ``value * (1 ± DATA_SWING)``), so that the scenario
    library's :func:`aipm_sim.compute_sensitivity` does the work. None when
    no value is given.
    """
    from ..core.business.scenario import parse_scenario

    given = {field: getattr(value_model, field) for field in DATA_PARAMETER_NAMES if getattr(value_model, field)}
    if not given:
        return None
    parameters, value = {}, {}
    for field, x in given.items():
        name = DATA_PARAMETER_NAMES[field]
        low, high = sorted((x * (1 - DATA_SWING), x * (1 + DATA_SWING)))
        unit = f"{currency} per case" if "amount" not in field else "fraction of the amount"
        parameters[name] = {"value": x, "low": low, "high": high, "unit": unit,
                            "description": DATA_PARAMETER_WORDS[name],
                            "source": f"given for this report; range ±{fmt_level(DATA_SWING)}"}
        value[field] = name
    scores = {"source": "file", "file": str(Path(path).resolve()), "score": score, "label": label}
    scores.update({k: v for k, v in (("amount", amount), ("weight", weight)) if v is not None})
    doc = {
        "name": "scored_data", "title": name or path.name, "summary": "scored data", "narrative": "",
        "kind": "threshold", "currency": currency, "parameters": parameters, "scores": scores,
        "value": value, "decision": {"volume": float(volume), "constraints": dict(constraints)},
    }
    return compute_sensitivity(parse_scenario(doc, label=name or path.name))


def _from_scenario(name, overrides):
    scenario = load_scenario(name, **overrides)
    if scenario.kind != "threshold":
        raise ParameterError(MSG_RANKING.format(scenario.name))
    decision = scenario.optimize()
    period, currency = "month", scenario.currency
    rows = []
    for p in scenario.parameters.values():
        shown = fmt_number(p.value)
        if p.name in overrides:
            base = load_scenario(name).parameters[p.name].value
            shown += f" (preset: {fmt_number(base)})"
        rows.append(Assumption(name=p.description or p.name, value=shown, unit=p.unit,
                               source=p.source or "not given"))
    vm = decision.value_model
    for cell in CELLS:
        for field, unit in ((cell, f"{currency} per case"), (f"{cell}_amount", "fraction of the amount")):
            if field in scenario.value:
                raw = scenario.value[field]
                source = _computed(raw, scenario)
                what = scenario.words.cell(cell)
                what = what if field == cell else f"share of the amount per {what}"
                rows.append(Assumption(name=f"value per {what}" if field == cell else what,
                                       value=fmt_number(getattr(vm, field)), unit=unit, source=source))
    rows.append(Assumption(name="cases per month", value=fmt_number(scenario.volume), unit="cases per month",
                           source=_computed(scenario.decision.get("volume"), scenario)))
    for cname, bound in decision.constraints.items():
        words, unit = CONSTRAINT_WORDS[cname]
        shown = fmt_percent(bound) if unit == "fraction" else fmt_number(bound)
        rows.append(Assumption(name=words, value=shown, unit=unit.format(period=period),
                               source=_computed(scenario.decision["constraints"].get(cname), scenario)))
    changed = ", ".join(f"{scenario.parameters[k].description or k} = {fmt_number(scenario.parameters[k].value)}"
                        for k in overrides)
    inputs = f"scenario {scenario.name!r}" + (f" with {changed}" if changed else " (preset values)")
    caveats = [_score_caveat(scenario)]
    caveats.append(
        "Every number in the assumptions above is a teaching value with its source or rationale; "
        "replace the ones marked 'assumption' with your own (--set NAME=VALUE)."
    )
    return {
        "title": scenario.title,
        "nothing_value": scenario.nothing_value(),
        "inputs": inputs,
        "narrative": scenario.narrative.strip(),
        "decision": decision,
        "assumptions": rows,
        "caveats": caveats,
        "period": period,
        "currency": currency,
        "scenario": scenario,
        "sensitivity": compute_sensitivity(scenario),
    }


def _score_caveat(scenario):
    """Where a scenario's scores come from, and what that means for the exact threshold."""
    scores = scenario.scores

    def row(key, fallback):
        name = scores.get(key)
        p = scenario.parameters.get(name) if isinstance(name, str) else None
        return f"'{p.description or p.name}'" if p is not None else fallback

    if scores.get("source") == "binormal":
        return (
            "The scores are synthetic: a calibrated binormal model set by two of the assumptions, "
            f"{row('auc', 'the AUC')} and {row('prevalence', 'the share of positives')}; they are not "
            "measurements from a real model. Re-run the report on your model's scored cases (--data) "
            "before acting on the exact threshold."
        )
    where = Path(str(scores.get("package_file") or scores.get("file") or "a data file")).name
    text = f"The scores are real: a model's scores on a fixed set of cases (the file {where} of the scenario)"
    if scores.get("prevalence"):
        text += f", their share of positives reweighted to {row('prevalence', 'the share of positives')} in the assumptions"
    return text + (". They are not your model on your cases: re-run the report on your own model's scored "
                   "cases (--data) before acting on the exact threshold.")


#: Numbers of a scenario that are neither parameters nor constraints, for :func:`facts_markdown`:
#: the attribute, its words and its unit.
SCENARIO_QUANTITIES = {
    "volume": ("cases scored per month", "cases per month"),
    "predictions_per_month": ("model predictions per month (one per candidate item on every visit)",
                              "predictions per month"),
}
MSG_UNKNOWN_FACT = "{!r} is not a parameter, constraint or quantity of scenario {!r}; choose from: {}"


def facts_markdown(scenario, names):
    """A small table of some of ``scenario``'s numbers, formatted for people (workshops, apps).

    Parameters
    ----------
    scenario : Scenario
    names : sequence of str
        Parameter names (``"chargeback_fee"``), constraint names
        (``"max_alerts"``, per month) or a key of :data:`SCENARIO_QUANTITIES`,
        in the order to show them.

    Returns
    -------
    str
        A Markdown table: what, value, unit, source.

    Raises
    ------
    ParameterError
        For a name the scenario does not have (the message lists the valid ones).
    """
    constraints = scenario.constraints
    lines = ["| What | Value | Unit | Source |", "|:--|--:|:--|:--|"]
    for name in names:
        if name in scenario.parameters:
            p = scenario.parameters[name]
            row = (p.description or p.name, fmt_number(p.value), p.unit, p.source or "not given")
        elif name in constraints:
            words, unit = CONSTRAINT_WORDS[name]
            bound = constraints[name]
            shown = fmt_percent(bound) if unit == "fraction" else fmt_number(bound)
            row = (words, shown, unit.format(period="month"),
                   _computed(scenario.decision["constraints"].get(name), scenario))
        elif name in SCENARIO_QUANTITIES:
            words, unit = SCENARIO_QUANTITIES[name]
            row = (words, fmt_number(float(getattr(scenario, name))), unit, "computed from the scenario's parameters")
        else:
            known = [*scenario.parameters, *constraints, *SCENARIO_QUANTITIES]
            raise ParameterError(MSG_UNKNOWN_FACT.format(name, scenario.name, ", ".join(known)))
        what = row[0][:1].upper() + row[0][1:]
        lines.append("| " + " | ".join(_cell(x) for x in (what, *row[1:])) + " |")
    return "\n".join(lines)


def _computed(raw, scenario=None):
    """Where a scenario's derived number comes from: the parameters it is computed from, in words."""
    if raw is None or not isinstance(raw, str):
        return "scenario file"
    if scenario is None:
        return f"computed: {raw}"
    used = [n for n in dict.fromkeys(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", raw)) if n in scenario.parameters]
    if not used:
        return f"computed: {raw}"
    words = [scenario.parameters[n].description or n.replace("_", " ") for n in used]
    return "computed from: " + "; ".join(lower_first(w) for w in words)


# -- words ---------------------------------------------------------------------------
def header_markdown(analysis):
    """Title, date, version and inputs (the title and the inputs as literal text: no HTML, no Markdown)."""
    return (
        f"# {escape_text(analysis.title)}\n\n"
        f"**Date:** {analysis.date.isoformat()} · **aipm_sim** {analysis.version} · "
        f"**Inputs:** {escape_text(analysis.inputs)}"
    )


def situation_markdown(analysis):
    """The situation (a scenario's narrative), or a line on the data."""
    text = analysis.narrative or f"The decision is computed from {escape_text(analysis.inputs)}."
    return "## Situation\n\n" + text


def decision_markdown(analysis):
    """The recommended threshold, what it gives and what it adds over flagging nothing, as a short table."""
    d = analysis.decision
    p = d.point
    cur, per = analysis.currency, analysis.per_period
    w = analysis.words
    scale = 1.0 if d.volume is None else d.volume / p.n_cases
    if analysis.flags_nothing:
        lead = f"**Flag nothing**: {analysis.nothing_reason}."
        precision = "none flagged"
    else:
        lead = (f"Every {escape_text(analysis.words.case)} whose score is at or above "
                f"**{fmt_threshold(d.threshold)}** is {escape_text(analysis.words.flagged)}.")
        precision = fmt_percent(p.precision)
    lines = [
        "## Decision",
        "",
        lead,
        "",
        "| | |",
        "|:--|--:|",
        f"| Expected value {per} | **{fmt_money(d.value, cur)}** |",
    ]
    if not analysis.flags_nothing:
        lines.append(f"| Compared with flagging nothing (worth {fmt_money(analysis.nothing_value, cur)} {per}) | "
                     f"**{fmt_signed_money(analysis.uplift_over_nothing, cur)}** |")
    lines += [
        f"| Precision (share of {w.cases} {w.flagged} that are {w.positives}) | {precision} |",
        f"| Recall (share of {w.positives} {w.flagged}) | {fmt_percent(p.recall)} |",
        f"| {w.alerts.capitalize()} {per} | {fmt_count(p.alerts * scale)} |",
        f"| Share of {w.cases} {w.flagged} | {fmt_percent(p.alert_rate)} |",
        f"| {w.positives.capitalize()} not {w.flagged} {per} | {fmt_count(p.fn * scale)} |",
    ]
    if d.constraints:
        cost = d.unconstrained_value - d.value
        lines += [
            "",
            f"Without any constraint the best value would be {fmt_money(d.unconstrained_value, cur)} {per}; "
            f"the constraints cost {fmt_money(cost, cur)} {per}."
            + (f" The rule that limits the decision: {'; '.join(analysis.constraint_words(n) for n in d.binding)}."
               if d.binding else " None of them limits the decision."),
        ]
    return "\n".join(lines)


def bottom_line_markdown(analysis):
    """The memo's first lines: the decision, what it is worth against flagging nothing, the main risk."""
    d, cur, per, w = analysis.decision, analysis.currency, analysis.per_period, analysis.words
    if analysis.flags_nothing:
        first = f"**Flag nothing**: {analysis.nothing_reason}; that is worth {fmt_money(d.value, cur)} {per}."
    else:
        alerts = fmt_count(d.point.alerts * (1.0 if d.volume is None else d.volume / d.point.n_cases))
        first = (f"**{escape_text(w.cases.capitalize())} scoring at or above {fmt_threshold(d.threshold)} are "
                 f"{escape_text(w.flagged)}** (about {alerts} {escape_text(w.alerts)} {per}), for an expected "
                 f"value of {fmt_money(d.value, cur)} {per}: "
                 f"{fmt_money(abs(analysis.uplift_over_nothing), cur)} "
                 f"{'more' if analysis.uplift_over_nothing >= 0 else 'less'} than flagging nothing.")
    lines = ["## Bottom line", "", first]
    if d.binding:
        lines[-1] += (" The decision is limited by "
                      + "; ".join(analysis.constraint_words(n) for n in d.binding) + ".")
    sens = analysis.sensitivity
    if sens is not None and len(sens.table):
        top = sens.table.iloc[0]
        lo, hi = sorted((float(top["value_at_low"]), float(top["value_at_high"])))
        lines[-1] += (f" Main risk: **{escape_text(lower_first(analysis.parameter_words(top['parameter'])))}**; "
                      "over its "
                      f"plausible range the best value runs from {fmt_money(lo, cur)} to {fmt_money(hi, cur)} {per}.")
    return "\n".join(lines)


def assumptions_markdown(analysis):
    """The assumptions, one line each where it fits: what, its value with its unit (bold), where it comes from.

    A list rather than a table: the source runs on after its value across the
    whole width, so the thirty-odd assumptions of a preset take a third of a
    page, not a page.
    """
    lines = ["## Assumptions", ""]
    for a in analysis.assumptions:
        value = _value_in_unit(a.value, a.unit)
        source = f" · {escape_text(a.source)}" if a.source else ""
        lines.append(f"- {escape_text(a.name)}: **{escape_text(value)}**{source}")
    return "\n".join(lines)


def _value_in_unit(value, unit):
    """An assumption's value with its unit; a share ("0.003 fraction of orders") as a percent ("0.3% of orders")."""
    unit = (unit or "").strip()
    if unit == "fraction" and str(value).endswith("%"):  # already a percent ("15.0%"), not "15.0% fraction"
        return str(value)
    if unit.startswith("fraction of "):
        try:
            x = float(str(value).replace(",", "").replace("\N{MINUS SIGN}", "-"))
        except ValueError:
            pass
        else:
            return f"{fmt_percent(x)} {unit[len('fraction '):]}"
    return f"{value} {unit}".strip() if unit else str(value)


def band_markdown(analysis):
    """How flat the optimum is: the near-optimal band in words."""
    b = analysis.decision.near_optimal
    d = analysis.decision
    best = f"{fmt_money(d.value, analysis.currency)} {analysis.per_period}"
    if analysis.flags_nothing and d.binding:
        return ("## Near-optimal band\n\n"
                f"None: {analysis.nothing_reason}, so flagging nothing ({best}) is the only choice. "
                "To act on the scores at all, relax the rules that allow nothing: "
                + "; ".join(analysis.constraint_words(n) for n in d.binding) + ".")
    low, high = fmt_threshold(b.threshold_low), fmt_threshold(b.threshold_high)
    return (
        "## Near-optimal band\n\n"
        f"Any threshold from **{low}** to **{high}** gives a value within "
        f"{fmt_level(b.tolerance)} of the best ({best}), "
        f"flagging between {fmt_percent(b.alert_rate_low)} and {fmt_percent(b.alert_rate_high)} of "
        f"{analysis.words.cases}. "
        "Inside this band, choose for operational reasons (team capacity, customer friction): "
        "the money barely changes."
    )


def caveats_markdown(analysis):
    """Bulleted caveats."""
    return "## Caveats\n\n" + "\n".join(f"- {c}" for c in analysis.caveats)


def _cell(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def sensitivity_markdown(analysis):
    """What moves the decision: the assumptions with the largest swing, and the cost of not adapting."""
    sens = analysis.sensitivity
    if sens is None or not len(sens.table):
        return "## Sensitivity\n\nNo money per outcome was given, so there is nothing to vary."
    cur, per = analysis.currency, analysis.per_period
    how = (
        f"each value given for this report, one at a time, {fmt_level(DATA_SWING)} lower and higher"
        if analysis.scenario is None else "each parameter, one at a time, at the low and high end of its plausible range"
    )
    lines = [
        "## Sensitivity",
        "",
        f"The chart and the table below re-run the whole optimisation with {how}. "
        "*Best value* is what the best threshold earns in that case; *cost of keeping today's threshold* "
        "is how much less today's threshold earns there than the best one (zero: no need to change it).",
        "",
        f"| Assumption | Range tested | Best value ({cur} {per}) | Best threshold | "
        f"Cost of keeping today's threshold ({cur} {per}) |",
        "|:--|:--|--:|--:|--:|",
    ]
    for row in sens.table.head(SENSITIVITY_ROWS).itertuples(index=False):
        regret = max(row.regret_at_low, row.regret_at_high)
        lines.append(
            f"| {_cell(analysis.parameter_words(row.parameter))} | "
            f"{_cell(fmt_parameter_range(row.low, row.high, row.unit, cur))} | "
            f"{fmt_pair(row.value_at_low, row.value_at_high, 'money')} | "
            f"{fmt_pair(row.threshold_at_low, row.threshold_at_high, 'threshold')} | "
            f"{fmt_money(regret)} |"
        )
    top = sens.table.iloc[0]
    lines += [
        "",
        f"The value depends most on **{escape_text(lower_first(analysis.parameter_words(top['parameter'])))}**; "
        "firm up that number first.",
    ]
    return "\n".join(lines)
