"""The scenario file format: read, validate and write a PM's numbers (TOML).

A scenario file (read with :mod:`tomllib`; nothing in it is executed) holds

* ``name``, ``title``, ``summary`` (one line), ``narrative``, ``kind``
  (``"threshold"``: one yes/no per case; ``"ranking"``: k recommendations per
  session), ``currency`` and ``priority`` (e.g. ``"recall"``);
* ``[parameters.NAME]`` – each business number: ``value``, plausible
  ``low``/``high`` bounds (used by the sensitivity analysis), the allowed
  range ``min``/``max`` (overrides outside it are refused), ``unit``,
  ``description`` and ``source`` (a citation or "rationale: …");
* ``[scores]`` – where the scores come from: ``source = "binormal"``
  (prevalence, auc, amounts), ``"file"`` (a CSV of scored cases) or
  ``"ranking_model"`` (synthetic recommendation candidates);
* ``[value]`` – money per outcome (the fields of :class:`ValueModel` or
  :class:`RankingValueModel`), gains > 0 and costs < 0;
* ``[decision]`` – ``volume`` (cases, or sessions, per month), ``k_max`` for
  rankings, and ``[decision.constraints]`` (the keyword arguments of
  :func:`optimize` / :func:`optimize_ranking`);
* optionally ``[success]`` (criteria such as ``min_recall = 0.7`` judged with
  a ``confidence``; see :mod:`aipm_sim.core.uncertainty.verdict`),
  ``[rule]`` (a simple baseline on the same cases),
  ``[opportunity]`` (build, inference and running costs),
  ``[[variants]]`` (candidate models: AUC, cost per 1,000 predictions,
  p95 latency) and ``[[groups]]`` (groups of cases compared for fairness:
  ``name``, ``share`` of the cases, ``prevalence``, ``auc``, optional
  ``label_noise`` and a ``source``; the shares add up to 1).

Every number outside ``[parameters]`` may be a literal or an *expression*
string over parameter names with ``+ - * /`` and parentheses, e.g.
``fp = "-cost_per_review - friction_cost_per_false_alert"``. Every value is
per month: volumes are cases per month and values currency per month.

This module is the format only: :func:`read_document` reads a file,
:func:`validate_document` checks a document and returns the fields of a
:class:`~aipm_sim.core.business.scenario.Scenario`, :func:`write_toml` writes
one back (with ``tomli_w``). The object built from them lives in
:mod:`aipm_sim.core.business.scenario`.
"""

from __future__ import annotations

import ast
import math
import tomllib
import types
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import tomli_w

from ..engine.optimize import CONSTRAINTS
from ..errors import ParameterError, ScenarioError
from .ranking import RANKING_CONSTRAINTS
from .roi import ModelVariant

MSG_NOT_TOML = "scenario file {!r} is not valid TOML: {}"
MSG_MISSING = "scenario file {!r}: {} is missing (required)"
MSG_UNKNOWN_KEY = "scenario file {!r}: unknown key {!r} in {}; allowed keys are: {}"
MSG_TYPE = "scenario file {!r}: {} must be {}; found {!r}"
MSG_CHOICE = "scenario file {!r}: {} must be one of {}; found {!r}"
MSG_BOUNDS = ("scenario file {!r}: parameters.{} needs min <= low <= value <= high <= max; "
              "found min={:g}, low={:g}, value={:g}, high={:g}, max={:g}")
MSG_EXPRESSION = ("scenario file {!r}: {} = {!r} is not allowed: only numbers, parameter names, "
                  "+ - * / and parentheses are")
MSG_EXPRESSION_DEPTH = "scenario file {!r}: {} is nested too deeply (more than {} levels of operators)"
MSG_PARAMETER_NOT_FINITE = "scenario file {!r}: parameters.{}.{} must be a finite number; found {!r}"
MSG_UNKNOWN_NAME = "scenario file {!r}: {} = {!r} uses unknown name {!r}; parameters are: {}"
MSG_VARIANT_DIVISION = "{} {!r}: a variant's number divides by zero"
MSG_RULE_SOURCE = "scenario file {!r}: rule kind {!r} needs scores.source {}; found {!r}"
MSG_SUCCESS_VALIDATION = ("scenario file {!r}: success.validation_cases is missing: a scenario with synthetic "
                          "(binormal) scores has no sampling error of its own, so it must name the size of "
                          "its validation set (e.g. validation_cases = 5000)")
MSG_MONITORING_KIND = "scenario file {!r}: [monitoring] needs kind = 'threshold'; found {!r}"
KINDS = ("threshold", "ranking")
_SOURCES = {"threshold": ("binormal", "file"), "ranking": ("ranking_model",)}
_RULE_KINDS = {"amount": ("binormal", "file"), "auc": ("binormal",), "column": ("file",),
               "popularity": ("ranking_model",)}
_TOP_KEYS = ("name", "title", "summary", "narrative", "kind", "currency", "priority", "parameters",
             "scores", "value", "decision", "rule", "opportunity", "variants", "launch", "success",
             "groups", "monitoring", "vocabulary")
_TOP_REQUIRED = ("name", "title", "summary", "narrative", "kind", "currency", "parameters", "scores",
                 "value", "decision")
_PARAMETER_KEYS = ("value", "low", "high", "min", "max", "unit", "description", "source")
_SCORE_KEYS = {
    "binormal": {"required": ("prevalence", "auc"),
                 "expressions": ("prevalence", "auc", "amount_mean", "positive_amount_mean", "amount_sigma"),
                 "columns": ()},
    "file": {"required": ("score", "label"), "expressions": ("prevalence",),
             "columns": ("score", "label", "amount", "weight"), "files": ("file", "package_file")},
    "ranking_model": {"required": ("relevance_rate", "auc", "n_candidates", "n_sessions", "seed"),
                      "expressions": ("relevance_rate", "auc", "popularity_auc"),
                      "integers": ("n_candidates", "n_sessions", "seed")},
}
_VALUE_KEYS = {"threshold": ("tp", "fp", "fn", "tn", "tp_amount", "fp_amount", "fn_amount", "tn_amount"),
               "ranking": ("relevant", "irrelevant", "per_slot")}
_DECISION_KEYS = {"threshold": ("volume", "constraints"), "ranking": ("volume", "k_max", "constraints")}
_RULE_KEYS = ("kind", "description", "auc", "column")
_OPPORTUNITY_KEYS = ("build_cost", "cost_per_1000_predictions", "running_cost_per_month", "horizon_months",
                     "latency_budget_ms", "against")
_OPPORTUNITY_REQUIRED = ("build_cost", "cost_per_1000_predictions", "running_cost_per_month", "horizon_months")
# [monitoring]: after launch (aipm_sim.core.monitoring): the drift plan, the period, the costs of acting.
_MONITORING_NUMBERS = ("volume", "prevalence_factor", "auc_decay_per_period", "score_shift_per_period",
                       "amount_inflation_per_period", "retrain_cost", "recalibrate_cost")
_MONITORING_INTEGERS = {"periods": 1, "cases_per_period": 10, "label_delay": 0, "change_period": 0,
                        "season_length": 2, "seed": 0}
_MONITORING_CHOICES = {"prevalence_shape": ("constant", "gradual", "sudden", "seasonal"),
                       "drift_method": ("psi", "ks", "js", "wasserstein")}
_MONITORING_KEYS = ("period", "description", *_MONITORING_NUMBERS, *_MONITORING_INTEGERS, *_MONITORING_CHOICES)
_MONITORING_REQUIRED = ("period", "volume", "periods", "label_delay", "retrain_cost", "recalibrate_cost")
_VARIANT_KEYS = ("name", "auc", "cost_per_1000_predictions", "p95_latency_ms", "description", "source")
_VARIANT_NUMBERS = ("auc", "cost_per_1000_predictions", "p95_latency_ms")
# [launch] (issue 11): the A/B test and staged rollout; numbers are expressions, stages an array.
_LAUNCH_KEYS = ("traffic_per_day", "label_delay_days", "minimum_effect", "metric", "alpha", "power", "stages",
                "guardrail", "case")
_LAUNCH_METRICS = ("value", "precision", "recall")
_GUARDRAIL_KEYS = ("name", "rate", "harm", "cost_per_event")
MSG_LAUNCH_STAGES = ("scenario file {!r}: launch.stages must be an array of increasing shares of traffic in (0, 1] "
                     "ending at 1.0 (e.g. [0.01, 0.1, 0.5, 1.0]); found {!r}")



# -- parameters ----------------------------------------------------------------------
@dataclass(frozen=True, slots=True, kw_only=True)
class Parameter:
    """One business number of a scenario.

    Attributes
    ----------
    name : str
    value : float
        The value in use.
    low, high : float
        Plausible range, used by the sensitivity analysis (low <= high).
    min, max : float
        Allowed range: a value outside it is refused (e.g. a rate outside [0, 1]).
    unit, description, source : str
        Unit (e.g. "EUR per alert"), meaning, and a citation or stated rationale.
    """

    name: str
    value: float
    low: float
    high: float
    min: float = -math.inf
    max: float = math.inf
    unit: str = ""
    description: str = ""
    source: str = ""

    def allows(self, x):
        """Whether ``x`` is a finite number in the allowed range."""
        return math.isfinite(x) and self.min <= x <= self.max

    @property
    def interval(self):
        """The allowed range as text, e.g. ``"[0, 1]"`` or ``"[0, inf)"`` (infinite ends are open)."""
        lo = "(-inf" if self.min == -math.inf else f"[{self.min:g}"
        hi = "inf)" if self.max == math.inf else f"{self.max:g}]"
        return f"{lo}, {hi}"


# -- safe expressions --------------------------------------------------------------------
_BINOPS = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b,
           ast.Mult: lambda a, b: a * b, ast.Div: lambda a, b: a / b}

#: Deepest nesting of operators an expression may have (evaluation recurses once per level).
MAX_EXPRESSION_DEPTH = 100


def _parse_expression(text, field, label, names):
    """Parse ``text`` (a number or an arithmetic expression over ``names``) into an AST, or raise."""
    if isinstance(text, bool) or not isinstance(text, (int, float, str)):
        raise ScenarioError(MSG_TYPE.format(label, field, "a number or an expression string", text))
    if not isinstance(text, str):
        return ast.Expression(body=ast.Constant(value=float(text)))
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError:
        raise ScenarioError(MSG_EXPRESSION.format(label, field, text)) from None
    except (RecursionError, MemoryError):  # Python's parser gives up on very deep nesting
        raise ScenarioError(MSG_EXPRESSION_DEPTH.format(label, field, MAX_EXPRESSION_DEPTH)) from None
    # Depth, without recursion: evaluating deeper trees would exhaust Python's stack.
    level, depth = [tree.body], 0
    while level:
        depth += 1
        if depth > MAX_EXPRESSION_DEPTH:
            raise ScenarioError(MSG_EXPRESSION_DEPTH.format(label, field, MAX_EXPRESSION_DEPTH))
        level = [child for node in level for child in ast.iter_child_nodes(node) if isinstance(child, ast.expr)]
    for node in ast.walk(tree):
        if isinstance(node, (ast.Expression, ast.operator, ast.unaryop, ast.Load)):
            continue
        if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
            continue
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) \
                and not isinstance(node.value, bool):
            continue
        if isinstance(node, ast.Name):
            if node.id not in names:
                raise ScenarioError(MSG_UNKNOWN_NAME.format(label, field, text, node.id, ", ".join(names)))
            continue
        raise ScenarioError(MSG_EXPRESSION.format(label, field, text))
    return tree


def _evaluate(node, values):
    if isinstance(node, ast.Expression):
        return _evaluate(node.body, values)
    if isinstance(node, ast.Constant):
        return float(node.value)
    if isinstance(node, ast.Name):
        return values[node.id]
    if isinstance(node, ast.UnaryOp):
        x = _evaluate(node.operand, values)
        return -x if isinstance(node.op, ast.USub) else x
    return _BINOPS[type(node.op)](_evaluate(node.left, values), _evaluate(node.right, values))


# -- loading -------------------------------------------------------------------------------------
def scenario_folder():
    return Path(str(resources.files("aipm_sim") / "scenarios"))


def data_folder():
    return Path(str(resources.files("aipm_sim") / "data"))


def read_document(path):
    """The document (plain dicts) of the TOML file at ``path``; a file that is not TOML is a ScenarioError."""
    label = str(path)
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(MSG_NOT_TOML.format(label, exc)) from None
    except UnicodeDecodeError:
        raise ScenarioError(MSG_NOT_TOML.format(label, "it is not UTF-8 text")) from None
    return doc


def validate_document(doc, *, label="<dict>", base=None):
    """Check a scenario document (the dict :mod:`tomllib` returns); return the fields of its Scenario.

    ``base`` is the folder that relative ``scores.file`` paths are read from;
    ``label`` names the file in every message.
    """
    _keys(doc, _TOP_KEYS, "the top level", label)
    for key in _TOP_REQUIRED:
        if key not in doc:
            raise ScenarioError(MSG_MISSING.format(label, key))
    for key in ("name", "title", "summary", "narrative", "currency", "priority"):
        if key in doc and not isinstance(doc[key], str):
            raise ScenarioError(MSG_TYPE.format(label, key, "a string", doc[key]))
    kind = doc["kind"]
    if kind not in KINDS:
        raise ScenarioError(MSG_CHOICE.format(label, "kind", ", ".join(KINDS), kind))
    parameters = _parse_parameters(doc["parameters"], label)
    names = tuple(parameters)
    expressions = {}

    def expr(table_name, table, key):
        field = f"{table_name}.{key}"
        expressions[field] = _parse_expression(table[key], field, label, names)

    scores = _table(doc["scores"], "scores", label)
    source = scores.get("source")
    if source not in _SOURCES[kind]:
        raise ScenarioError(MSG_CHOICE.format(label, "scores.source", ", ".join(_SOURCES[kind]), source))
    spec = _SCORE_KEYS[source]
    allowed = ("source", *spec["expressions"], *spec.get("columns", ()), *spec.get("files", ()),
               *spec.get("integers", ()))
    _keys(scores, allowed, "scores", label)
    for key in spec["required"]:
        if key not in scores:
            raise ScenarioError(MSG_MISSING.format(label, f"scores.{key}"))
    for key in spec["expressions"]:
        if key in scores:
            expr("scores", scores, key)
    for key in spec.get("columns", ()):
        if key in scores and not isinstance(scores[key], str):
            raise ScenarioError(MSG_TYPE.format(label, f"scores.{key}", "a column name (string)", scores[key]))
    for key in spec.get("integers", ()):
        v = scores[key]
        if isinstance(v, bool) or not isinstance(v, int) or v < (0 if key == "seed" else 1):
            raise ScenarioError(MSG_TYPE.format(label, f"scores.{key}", "a whole number >= 1"
                                                if key != "seed" else "a whole number >= 0", v))
    if source == "file":
        given = [k for k in spec["files"] if k in scores]
        if len(given) != 1:
            raise ScenarioError(MSG_MISSING.format(label, "exactly one of scores.file, scores.package_file"))
        key = given[0]
        if not isinstance(scores[key], str):
            raise ScenarioError(MSG_TYPE.format(label, f"scores.{key}", "a file name (string)", scores[key]))
        where = (Path(base) if base is not None else Path(".")) if key == "file" else data_folder()
        data_path = where / scores[key]
        if not data_path.is_file():
            raise ScenarioError(f"scenario file {label!r}: scores.{key} {scores[key]!r} not found in {str(where)!r}")

    value = _table(doc["value"], "value", label)
    _keys(value, _VALUE_KEYS[kind], "value", label)
    for key in value:
        expr("value", value, key)

    decision = _table(doc["decision"], "decision", label)
    _keys(decision, _DECISION_KEYS[kind], "decision", label)
    if "volume" not in decision:
        raise ScenarioError(MSG_MISSING.format(label, "decision.volume"))
    expr("decision", decision, "volume")
    if kind == "ranking":
        k_max = decision.get("k_max")
        if isinstance(k_max, bool) or not isinstance(k_max, int) or k_max < 1:
            raise ScenarioError(MSG_TYPE.format(label, "decision.k_max", "a whole number >= 1", k_max))
    constraints = _table(decision.get("constraints", {}), "decision.constraints", label)
    _keys(constraints, tuple(RANKING_CONSTRAINTS if kind == "ranking" else CONSTRAINTS),
          "decision.constraints", label)
    for key in constraints:
        expr("decision.constraints", constraints, key)

    rule = None
    if "rule" in doc:
        rule = _table(doc["rule"], "rule", label)
        _keys(rule, _RULE_KEYS, "rule", label)
        rkind = rule.get("kind")
        if rkind not in _RULE_KINDS:
            raise ScenarioError(MSG_CHOICE.format(label, "rule.kind", ", ".join(_RULE_KINDS), rkind))
        if source not in _RULE_KINDS[rkind]:
            raise ScenarioError(MSG_RULE_SOURCE.format(label, rkind, " or ".join(_RULE_KINDS[rkind]), source))
        if not isinstance(rule.get("description"), str):
            raise ScenarioError(MSG_TYPE.format(label, "rule.description", "a string", rule.get("description")))
        if rkind == "auc":
            if "auc" not in rule:
                raise ScenarioError(MSG_MISSING.format(label, "rule.auc"))
            expr("rule", rule, "auc")
        if rkind == "column" and not isinstance(rule.get("column"), str):
            raise ScenarioError(MSG_TYPE.format(label, "rule.column", "a column name (string)", rule.get("column")))
        if rkind == "amount" and source == "file" and "amount" not in scores:
            raise ScenarioError(MSG_MISSING.format(label, "scores.amount (the amount rule needs it)"))

    opportunity = None
    if "opportunity" in doc:
        opportunity = _table(doc["opportunity"], "opportunity", label)
        _keys(opportunity, _OPPORTUNITY_KEYS, "opportunity", label)
        for key in _OPPORTUNITY_REQUIRED:
            if key not in opportunity:
                raise ScenarioError(MSG_MISSING.format(label, f"opportunity.{key}"))
        for key in opportunity:
            if key != "against":
                expr("opportunity", opportunity, key)
        against = opportunity.get("against", "rule" if rule is not None else "nothing")
        if against not in ("rule", "nothing") or (against == "rule" and rule is None):
            raise ScenarioError(MSG_CHOICE.format(
                label, "opportunity.against", "rule, nothing" if rule is not None else "nothing", against))

    launch = _launch(doc["launch"], expr, label) if "launch" in doc else None
    success = _success(doc["success"], kind, source, label) if "success" in doc else None
    monitoring = None
    if "monitoring" in doc:
        monitoring = _monitoring(doc["monitoring"], label, kind, expr)

    variant_tables = []
    raw_variants = doc.get("variants", [])
    if not isinstance(raw_variants, list):
        raise ScenarioError(MSG_TYPE.format(label, "variants", "an array of tables ([[variants]])", raw_variants))
    for i, raw in enumerate(raw_variants):
        where = f"variants[{i}]"
        raw = _table(raw, where, label)
        _keys(raw, _VARIANT_KEYS, where, label)
        for key in ("name", "auc", "cost_per_1000_predictions", "p95_latency_ms"):
            if key not in raw:
                raise ScenarioError(MSG_MISSING.format(label, f"{where}.{key}"))
        for key in _VARIANT_NUMBERS:  # numbers or expressions, e.g. auc = "model_auc" for the base case
            expr(where, raw, key)
        variant_tables.append(raw)
    try:
        variants = _variants(variant_tables, expressions, {n: p.value for n, p in parameters.items()})
    except (ParameterError, TypeError) as exc:
        raise ScenarioError(f"scenario file {label!r}: {exc}") from None
    except ZeroDivisionError:
        raise ScenarioError(MSG_VARIANT_DIVISION.format("scenario file", label)) from None
    if len({v.name for v in variants}) != len(variants):
        raise ScenarioError(f"scenario file {label!r}: variant names must be unique")

    return dict(
        name=doc["name"],
        title=doc["title"],
        summary=doc["summary"],
        narrative=doc["narrative"],
        kind=kind,
        currency=doc["currency"],
        priority=doc.get("priority", ""),
        parameters=types.MappingProxyType(parameters),
        scores=_freeze(scores),
        value=_freeze(value),
        decision=_freeze(decision),
        rule=None if rule is None else _freeze(rule),
        opportunity=None if opportunity is None else _freeze(opportunity),
        launch=None if launch is None else _freeze(launch),
        variants=variants,
        success=success,
        monitoring=None if monitoring is None else _freeze(monitoring),
        vocabulary=_vocabulary(doc.get("vocabulary"), label),
        _expressions=types.MappingProxyType(expressions),
        _variant_tables=tuple(_freeze(t) for t in variant_tables),
        groups=_groups(doc["groups"], label) if "groups" in doc else None,
    )


def _launch(raw, expr, label):
    """Check the ``[launch]`` table (traffic, label delay, minimum effect, alpha, power, stages, guardrail)."""
    launch = _table(raw, "launch", label)
    _keys(launch, _LAUNCH_KEYS, "launch", label)
    if "traffic_per_day" not in launch:
        raise ScenarioError(MSG_MISSING.format(label, "launch.traffic_per_day"))
    for key in ("traffic_per_day", "label_delay_days", "minimum_effect", "alpha", "power"):
        if key in launch:
            expr("launch", launch, key)
    if "metric" in launch and launch["metric"] not in _LAUNCH_METRICS:
        raise ScenarioError(MSG_CHOICE.format(label, "launch.metric", ", ".join(_LAUNCH_METRICS), launch["metric"]))
    if "case" in launch and not (isinstance(launch["case"], str) and launch["case"].strip()):
        raise ScenarioError(MSG_TYPE.format(label, "launch.case", "a non-empty string (e.g. 'order')", launch["case"]))
    if "stages" in launch:
        stages = launch["stages"]
        ok = (isinstance(stages, list) and stages and all(
            isinstance(x, (int, float)) and not isinstance(x, bool) and 0 < x <= 1 for x in stages)
            and stages[-1] == 1 and all(a < b for a, b in zip(stages, stages[1:])))
        if not ok:
            raise ScenarioError(MSG_LAUNCH_STAGES.format(label, stages))
    if "guardrail" in launch:
        guardrail = _table(launch["guardrail"], "launch.guardrail", label)
        _keys(guardrail, _GUARDRAIL_KEYS, "launch.guardrail", label)
        for key in ("name", "rate", "harm"):
            if key not in guardrail:
                raise ScenarioError(MSG_MISSING.format(label, f"launch.guardrail.{key}"))
        if not isinstance(guardrail["name"], str) or not guardrail["name"].strip():
            raise ScenarioError(MSG_TYPE.format(label, "launch.guardrail.name", "a non-empty string",
                                                guardrail["name"]))
        for key in ("rate", "harm", "cost_per_event"):
            if key in guardrail:
                expr("launch.guardrail", guardrail, key)
    return launch


_GROUP_KEYS = ("name", "share", "prevalence", "auc", "label_noise", "source")
_GROUP_RANGES = {"share": (0.0, 1.0, "a number in (0, 1]"), "prevalence": (0.0, 1.0, "a number in (0, 1)"),
                 "auc": (0.5, 1.0, "a number in (0.5, 1)"), "label_noise": (0.0, 0.5, "a number in [0, 0.5]")}
MSG_GROUP_SHARES = "scenario file {!r}: the groups' shares must add up to 1; found {:g}"
MSG_GROUP_NAMES = "scenario file {!r}: group names must be unique; found {!r} twice"


def _groups(raw, label):
    """``[[groups]]``: each group's name, share of the cases, prevalence, AUC, optional label noise and a source.

    Numbers are literals (each group is described, not a lever of the sensitivity analysis);
    ``source`` is a citation or "assumption: ...". Returns a tuple of read-only tables.
    """
    if not isinstance(raw, list) or not raw:
        raise ScenarioError(MSG_TYPE.format(label, "groups", "a non-empty array of tables ([[groups]])", raw))
    out, names = [], set()
    for i, table in enumerate(raw):
        where = f"groups[{i}]"
        table = _table(table, where, label)
        _keys(table, _GROUP_KEYS, where, label)
        for key in ("name", "share", "prevalence", "auc", "source"):
            if key not in table:
                raise ScenarioError(MSG_MISSING.format(label, f"{where}.{key}"))
        for key in ("name", "source"):
            if not isinstance(table[key], str) or not table[key].strip():
                raise ScenarioError(MSG_TYPE.format(label, f"{where}.{key}", "a non-empty string", table[key]))
        for key, (low, high, words) in _GROUP_RANGES.items():
            if key not in table:
                continue
            x = table[key]
            closed_low = key == "label_noise"
            closed_high = key in ("share", "label_noise")
            ok = (isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)
                  and (x >= low if closed_low else x > low) and (x <= high if closed_high else x < high))
            if not ok:
                raise ScenarioError(MSG_TYPE.format(label, f"{where}.{key}", words, x))
        if table["name"] in names:
            raise ScenarioError(MSG_GROUP_NAMES.format(label, table["name"]))
        names.add(table["name"])
        out.append(_freeze(table))
    total = sum(float(t["share"]) for t in out)
    if abs(total - 1.0) > 1e-6:
        raise ScenarioError(MSG_GROUP_SHARES.format(label, total))
    return tuple(out)


def _monitoring(raw, label, kind, expr):
    """Check the ``[monitoring]`` table: numbers (or expressions) for money and drift, whole numbers, choices."""
    table = _table(raw, "monitoring", label)
    if kind != "threshold":
        raise ScenarioError(MSG_MONITORING_KIND.format(label, kind))
    _keys(table, _MONITORING_KEYS, "monitoring", label)
    for key in _MONITORING_REQUIRED:
        if key not in table:
            raise ScenarioError(MSG_MISSING.format(label, f"monitoring.{key}"))
    for key in ("period", "description"):
        if key in table and not isinstance(table[key], str):
            raise ScenarioError(MSG_TYPE.format(label, f"monitoring.{key}", "a string", table[key]))
    for key in _MONITORING_NUMBERS:
        if key in table:
            expr("monitoring", table, key)
    for key, low in _MONITORING_INTEGERS.items():
        v = table.get(key, low)
        if isinstance(v, bool) or not isinstance(v, int) or v < low:
            raise ScenarioError(MSG_TYPE.format(label, f"monitoring.{key}", f"a whole number >= {low}", v))
    for key, choices in _MONITORING_CHOICES.items():
        if key in table and table[key] not in choices:
            raise ScenarioError(MSG_CHOICE.format(label, f"monitoring.{key}", ", ".join(choices), table[key]))
    return table


def _vocabulary(raw, label):
    """The ``[vocabulary]`` table as a Vocabulary (None when the file has none): known keys, non-empty strings."""
    if raw is None:
        return None
    from .vocabulary import Vocabulary

    raw = _table(raw, "vocabulary", label)
    _keys(raw, Vocabulary.keys(), "vocabulary", label)
    for key, word in raw.items():
        if not isinstance(word, str) or not word.strip():
            raise ScenarioError(MSG_TYPE.format(label, f"vocabulary.{key}", "a non-empty string", word))
    return Vocabulary(**raw)


def _variants(tables, expressions, values):
    """The :class:`ModelVariant` of each ``[[variants]]`` table, its numbers evaluated with ``values``."""
    out = []
    for i, table in enumerate(tables):
        numbers = {key: float(_evaluate(expressions[f"variants[{i}].{key}"], values)) for key in _VARIANT_NUMBERS}
        try:
            out.append(ModelVariant(**{**dict(table), **numbers}))
        except ParameterError as exc:
            raise ParameterError(f"variants[{i}]: {exc}") from None
    return tuple(out)


def _parse_parameters(raw, label):
    table = _table(raw, "parameters", label)
    if not table:
        raise ScenarioError(MSG_MISSING.format(label, "parameters (at least one)"))
    out = {}
    for name, entry in table.items():
        if not name.isidentifier():
            raise ScenarioError(MSG_TYPE.format(label, f"parameter name {name!r}", "a Python-style identifier", name))
        where = f"parameters.{name}"
        entry = _table(entry, where, label)
        _keys(entry, _PARAMETER_KEYS, where, label)
        nums = {}
        for key in ("value", "low", "high", "min", "max"):
            if key not in entry:
                if key in ("min", "max"):
                    nums[key] = -math.inf if key == "min" else math.inf
                    continue
                raise ScenarioError(MSG_MISSING.format(label, f"{where}.{key}"))
            v = entry[key]
            if isinstance(v, bool) or not isinstance(v, (int, float)) or math.isnan(v):
                raise ScenarioError(MSG_TYPE.format(label, f"{where}.{key}", "a number", v))
            if key in ("value", "low", "high") and not math.isfinite(v):  # min/max may be open (+-inf)
                raise ScenarioError(MSG_PARAMETER_NOT_FINITE.format(label, name, key, v))
            nums[key] = float(v)
        if not (nums["min"] <= nums["low"] <= nums["value"] <= nums["high"] <= nums["max"]):
            raise ScenarioError(MSG_BOUNDS.format(label, name, nums["min"], nums["low"], nums["value"],
                                                  nums["high"], nums["max"]))
        texts = {}
        for key in ("unit", "description", "source"):
            v = entry.get(key, "")
            if not isinstance(v, str):
                raise ScenarioError(MSG_TYPE.format(label, f"{where}.{key}", "a string", v))
            texts[key] = v
        out[name] = Parameter(name=name, **nums, **texts)
    return out


def _success(raw, kind, source, label):
    """``[success]``: criteria judged with a confidence (see :mod:`aipm_sim.core.uncertainty.verdict`)."""
    from ..uncertainty.verdict import CRITERIA, SETTINGS

    table = _table(raw, "success", label)
    _keys(table, (*CRITERIA, *SETTINGS), "success", label)
    if kind != "threshold":
        raise ScenarioError(MSG_CHOICE.format(label, "kind (for [success])", "threshold", kind))
    for key, v in table.items():
        number = not isinstance(v, bool) and isinstance(v, (int, float)) and math.isfinite(v)
        if key == "min_value_per_month":
            ok = number
        elif key == "confidence":
            ok = number and 0 < v < 1
        elif key in ("validation_cases", "resamples"):
            ok = number and v >= 1 and v == int(v)
        elif key == "seed":
            ok = number and v >= 0 and v == int(v)
        else:
            ok = number and 0 <= v <= 1
        if not ok:
            expected = {"min_value_per_month": "a number (currency per month)",
                        "confidence": "a fraction in (0, 1), e.g. 0.9",
                        "validation_cases": "a whole number of cases >= 1", "resamples": "a whole number >= 1",
                        "seed": "a whole number >= 0"}.get(key, "a fraction in [0, 1]")
            raise ScenarioError(MSG_TYPE.format(label, f"success.{key}", expected, v))
    if source == "binormal" and "validation_cases" not in table:
        raise ScenarioError(MSG_SUCCESS_VALIDATION.format(label))
    return _freeze(table)


def _table(value, where, label):
    if not isinstance(value, dict):
        raise ScenarioError(MSG_TYPE.format(label, where, "a table", value))
    return value


def _keys(table, allowed, where, label):
    for key in table:
        if key not in allowed:
            raise ScenarioError(MSG_UNKNOWN_KEY.format(label, key, where, ", ".join(allowed)))


def _freeze(table):
    return types.MappingProxyType({k: _freeze(v) if isinstance(v, dict) else v for k, v in table.items()})


def _thaw(table):
    return {k: _thaw(v) if isinstance(v, types.MappingProxyType) else v for k, v in table.items()}


# -- writing TOML (tomllib only reads) ---------------------------------------------------------------
def write_toml(doc):
    """A scenario document (the plain dict of :meth:`Scenario.to_dict`) as TOML text (``tomli_w``)."""
    return tomli_w.dumps(doc)
