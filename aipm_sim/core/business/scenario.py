"""Business scenarios: a PM's numbers, with units, ranges and sources, and what follows from them.

A :class:`Scenario` is read from a TOML file (the format, its sections and
their validation are described in :mod:`aipm_sim.core.business.scenario_file`)
and turns its parameters into a score model, a value model and constraints,
then asks the engine for the decision: :meth:`Scenario.optimize`, the rule
it replaces, ROI, model variants, and the sections of the later rooms
(success criteria, launch, monitoring, groups). Every value is per month:
volumes are cases per month and values currency per month.

The object is built from siblings: :mod:`.scenario_decision` (the optimum,
summaries, threshold view), :mod:`.scenario_roi` (the rule, ROI, variants)
and :mod:`.scenario_data` (cached score files and ranking samples). Their
names are importable from here too.

Public API: :func:`list_scenarios`, :func:`load_scenario`, :class:`Scenario`.
"""

from __future__ import annotations

import ast
import math
import types
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from ..engine.binormal import BinormalModel
from ..engine.curve import ThresholdCurve
from ..engine.optimize import exact_curve
from ..engine.value import ValueModel
from ..errors import ParameterError, ScenarioError
from .ranking import RankingModel, RankingValueModel
from .vocabulary import Vocabulary
from .scenario_data import _file_score_set, _ranking_curve, _ranking_sample
from .scenario_decision import (  # noqa: F401 (re-exported: callers and tests import them from here)
    MSG_K_THRESHOLD, MSG_RANKING_CONSTRAINT, MSG_SUMMARY_RANKING, PERIOD, DecisionMixin, DecisionSummary,
    ThresholdView)
from .scenario_file import (_VARIANT_KEYS, MSG_VARIANT_DIVISION, _evaluate, _thaw, _variants,
                            read_document, scenario_folder, validate_document, write_toml)
from .scenario_roi import (  # noqa: F401 (re-exported: callers and tests import them from here)
    BASELINE_RULE_INFEASIBLE, MSG_AGAINST, MSG_NO_OPPORTUNITY, MSG_NO_RULE, MSG_NO_VARIANTS, MSG_RULE_INFEASIBLE,
    MSG_VARIANTS_SOURCE, RoiMixin)

MSG_UNKNOWN_SCENARIO = "unknown scenario {!r}; valid scenarios are: {}"
MSG_SCENARIO_SUFFIX = ("unknown scenario {!r}: a file {!r} exists, but a scenario file must be a path ending in "
                       ".toml; valid preset names are: {}")
MSG_UNKNOWN_PARAMETER = "unknown parameter {!r} for scenario {!r}; valid parameters are: {}"
MSG_PARAMETER_RANGE = "parameter {!r} must be in {} ({}); found {!r}"
MSG_PARAMETER_NUMBER = "parameter {!r} must be a number; found {!r}"
MSG_PARAMETER_FINITE = "parameter {!r} must be a finite number ({}); found {!r}"
MSG_FILE_MISSING = "scenario file {!r} does not exist"
MSG_DIVISION = "scenario {!r}: {} = {!r} divides by zero with the current parameter values"


# -- the scenario -------------------------------------------------------------------------
@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Scenario(DecisionMixin, RoiMixin):
    """A business scenario: parameters with sources, where scores come from, money and constraints.

    Load one with :func:`load_scenario`; change parameters with
    :meth:`replace` (``scenario.replace(fraud_rate=0.004)``). Two scenarios
    are equal when their contents are (the file they came from does not count).

    Attributes
    ----------
    name, title, summary, narrative, kind, currency, priority : str
    parameters : mapping of str to Parameter
        In file order; read-only.
    scores, value, decision, rule, opportunity, launch, monitoring : mapping
        The file's tables (numbers or expression strings); read-only.
        ``rule``, ``opportunity``, ``launch`` and ``monitoring`` (after
        launch: the drift plan and the costs of acting, see
        :func:`aipm_sim.plan_monitoring`) may be None.
    success : mapping or None
        The ``[success]`` criteria (see :meth:`verdict`); read-only.
    variants : tuple of ModelVariant
        Evaluated with the current parameter values: a variant's AUC, cost
        or latency may be an expression (the base case's ``auc =
        "model_auc"`` follows ``replace(model_auc=…)``).
    path : pathlib.Path or None
        File the scenario was read from.
    vocabulary : Vocabulary or None
        The file's ``[vocabulary]`` (what a case, a flag, a positive are
        called); None: the generic words (see :attr:`words`).
    """

    name: str
    title: str
    summary: str
    narrative: str
    kind: str
    currency: str
    priority: str
    parameters: types.MappingProxyType
    scores: types.MappingProxyType
    value: types.MappingProxyType
    decision: types.MappingProxyType
    rule: types.MappingProxyType | None
    opportunity: types.MappingProxyType | None
    variants: tuple
    launch: types.MappingProxyType | None = None  # [launch]: A/B test and rollout (aipm_sim.plan_launch)
    monitoring: types.MappingProxyType | None = None
    path: Path | None = None
    success: types.MappingProxyType | None = None
    vocabulary: Vocabulary | None = None
    _expressions: types.MappingProxyType | None = None
    _variant_tables: tuple = ()
    groups: tuple | None = None  # [[groups]]: read-only tables (name, share, prevalence, auc, ...), or None

    @property
    def words(self):
        """The scenario's :class:`Vocabulary` (the generic words when its file sets none)."""
        return self.vocabulary if self.vocabulary is not None else Vocabulary()

    def __eq__(self, other):
        if not isinstance(other, Scenario):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    __hash__ = None

    # -- parameters ------------------------------------------------------------------
    @property
    def values(self):
        """Current parameter values, name -> float (a new dict)."""
        return {name: p.value for name, p in self.parameters.items()}

    def replace(self, **overrides):
        """A copy with some parameter values changed.

        Raises
        ------
        ParameterError
            For an unknown name (the message lists the valid ones), a
            non-number, an infinite or NaN value (also text such as
            ``"inf"`` or ``"1e309"``), or a value outside the parameter's
            allowed range. Each message names the parameter.
        """
        params = dict(self.parameters)
        for name, raw in overrides.items():
            if name not in params:
                raise ParameterError(MSG_UNKNOWN_PARAMETER.format(name, self.name, ", ".join(params)))
            p = params[name]
            if isinstance(raw, bool):
                raise ParameterError(MSG_PARAMETER_NUMBER.format(name, raw))
            try:
                x = float(raw)
            except (TypeError, ValueError):
                raise ParameterError(MSG_PARAMETER_NUMBER.format(name, raw)) from None
            if not math.isfinite(x):
                raise ParameterError(MSG_PARAMETER_FINITE.format(name, p.unit or "no unit", raw))
            if not p.allows(x):
                raise ParameterError(MSG_PARAMETER_RANGE.format(name, p.interval, p.unit or "no unit", raw))
            params[name] = replace(p, value=x)
        variants = self.variants
        if self._variant_tables:  # a variant's numbers may follow parameters (e.g. the base case's AUC)
            values = {n: p.value for n, p in params.items()}
            try:
                variants = _variants(self._variant_tables, self._expressions, values)
            except ZeroDivisionError:
                raise ParameterError(MSG_VARIANT_DIVISION.format("scenario", self.name)) from None
        return replace(self, parameters=types.MappingProxyType(params), variants=variants)

    def evaluate(self, field):
        """The number of a file field (e.g. ``"value.fp"``) with the current parameter values."""
        try:
            node = self._expressions[field]
        except KeyError:
            raise ParameterError(f"field must be one of {', '.join(self._expressions)}; found {field!r}") from None
        try:
            return float(_evaluate(node, self.values))
        except ZeroDivisionError:
            raise ParameterError(MSG_DIVISION.format(self.name, field, ast.unparse(node))) from None

    def _maybe(self, field):
        return self.evaluate(field) if field in self._expressions else None

    def assumptions(self):
        """The parameters as a table for a PM: value, unit, plausible range, allowed range, source."""
        rows = [{
            "parameter": p.name, "value": p.value, "unit": p.unit, "low": p.low, "high": p.high,
            "allowed_min": p.min, "allowed_max": p.max, "description": p.description, "source": p.source,
        } for p in self.parameters.values()]
        return pd.DataFrame(rows).set_index("parameter")

    # -- the pieces ---------------------------------------------------------------------------
    @property
    def volume(self):
        """Cases (threshold scenarios) or sessions (ranking) per month."""
        return self.evaluate("decision.volume")

    @property
    def predictions_per_month(self):
        """Model predictions per month: one per case, or one per candidate item for rankings."""
        if self.kind == "ranking":
            return self.volume * self._ranking_model().n_candidates
        return self.volume

    @property
    def constraints(self):
        """The constraints of :func:`optimize` (or :func:`optimize_ranking`), name -> bound (a new dict)."""
        return {name: self.evaluate(f"decision.constraints.{name}")
                for name in self.decision.get("constraints", {})}

    def value_model(self):
        """A :class:`ValueModel` (threshold) or :class:`RankingValueModel` (ranking), currency per case."""
        cells = {c: self.evaluate(f"value.{c}") for c in self.value}
        return RankingValueModel(**cells) if self.kind == "ranking" else ValueModel(**cells)

    def score_model(self, *, auc=None):
        """The synthetic model behind the scores (:class:`BinormalModel` or :class:`RankingModel`).

        ``auc`` replaces the model's AUC (for model variants). None for a
        file source.
        """
        source = self.scores["source"]
        if source == "binormal":
            return BinormalModel(
                self.evaluate("scores.prevalence"),
                self.evaluate("scores.auc") if auc is None else auc,
                amount_mean=self._maybe("scores.amount_mean"),
                positive_amount_mean=self._maybe("scores.positive_amount_mean"),
                amount_sigma=1.0 if "scores.amount_sigma" not in self._expressions
                else self.evaluate("scores.amount_sigma"),
            )
        if source == "ranking_model":
            return self._ranking_model(auc=auc)
        return None

    def _ranking_model(self, *, auc=None):
        return RankingModel(
            relevance_rate=self.evaluate("scores.relevance_rate"),
            auc=self.evaluate("scores.auc") if auc is None else auc,
            n_candidates=self.scores["n_candidates"],
            popularity_auc=self._maybe("scores.popularity_auc"),
        )

    def score_set(self, *, auc=None):
        """The scored cases: a :class:`ScoreSet` (file source) or a :class:`RankingSet` (ranking).

        A binormal source has no cases (its curve is exact): raises ScenarioError.
        """
        source = self.scores["source"]
        if source == "file":
            return _file_score_set(self, score_column=self.scores["score"])
        if source == "ranking_model":
            m = self._ranking_model(auc=auc)
            return _ranking_sample(m, self.scores["n_sessions"], self.scores["seed"])
        raise ScenarioError(f"scenario {self.name!r} has exact binormal scores, not a set of cases")

    def curve(self, *, auc=None, thresholds=None):
        """The model's :class:`ThresholdCurve` (or :class:`RankingCurve`).

        Counts are not per month: a binormal source gives shares of the
        population (``n_cases == 1``), a data file its own (weighted) cases,
        a ranking its sampled sessions. Pass ``volume=scenario.volume`` (or
        ``sessions=``) to the value functions to get currency per month, as
        :meth:`optimize` does.

        Parameters
        ----------
        auc : float, optional
            Replaces the model's AUC (model variants).
        thresholds : array-like of float, optional
            Binormal source: probability thresholds to include exactly, besides
            the grid (e.g. a threshold kept from another decision). Data files
            and rankings already have a row at every threshold that changes
            anything, so they ignore it.

        A binormal curve is the one :func:`optimize` decides on
        (:func:`~aipm_sim.core.engine.optimize.exact_curve` with this
        scenario's money, volume and constraints): it has a row exactly where
        each constraint binds, so that a binding constraint is met on the
        bound itself, not at the nearest grid point inside it, and one at the
        best threshold without constraints (Elkan's: where flagging one more
        case adds nothing). The best value is then exact and a smooth
        function of the parameters, and :meth:`optimize` decides on this very
        curve.
        """
        source = self.scores["source"]
        if source == "binormal":
            model = self.score_model(auc=auc)
            return exact_curve(model.curve(thresholds=thresholds), self.value_model(), volume=self.volume,
                               **self.constraints)
        if source == "file":
            return ThresholdCurve.from_scores(self.score_set())
        m = self._ranking_model(auc=auc)
        return _ranking_curve(m, self.scores["n_sessions"], self.scores["seed"], self.decision["k_max"], False)

    # -- files -------------------------------------------------------------------------------
    def to_dict(self):
        """The scenario as the plain dict a TOML file holds (current parameter values)."""
        out = {key: getattr(self, key) for key in ("name", "title", "summary", "narrative", "kind", "currency")}
        if self.priority:
            out["priority"] = self.priority
        out["parameters"] = {}
        for p in self.parameters.values():
            entry = {"value": p.value, "low": p.low, "high": p.high}
            if p.min != -math.inf:
                entry["min"] = p.min
            if p.max != math.inf:
                entry["max"] = p.max
            for key in ("unit", "description", "source"):
                if getattr(p, key):
                    entry[key] = getattr(p, key)
            out["parameters"][p.name] = entry
        for key in ("scores", "value", "decision", "rule", "opportunity", "launch", "success", "monitoring"):
            table = getattr(self, key)
            if table is not None:
                out[key] = _thaw(table)
        if self.groups is not None:
            out["groups"] = [_thaw(g) for g in self.groups]
        if self.vocabulary is not None and self.vocabulary.to_dict():
            out["vocabulary"] = self.vocabulary.to_dict()
        if self._variant_tables:
            out["variants"] = [_thaw(t) for t in self._variant_tables]
        elif self.variants:
            out["variants"] = [
                {k: getattr(v, k) for k in _VARIANT_KEYS if not (k in ("description", "source") and not getattr(v, k))}
                for v in self.variants
            ]
        return out

    def to_toml(self):
        """The scenario as TOML text; :func:`load_scenario` reads it back to an equal scenario."""
        return write_toml(self.to_dict())

    def save(self, path):
        """Write :meth:`to_toml` to ``path``."""
        Path(path).write_text(self.to_toml(), encoding="utf-8")

    def __repr__(self):
        return f"Scenario({self.name!r}: {self.summary})"


# -- loading -------------------------------------------------------------------------------------

def list_scenarios(*, details=False):
    """The preset scenarios shipped with the package.

    Parameters
    ----------
    details : bool
        False: a tuple of names, sorted. True: a DataFrame with name, kind,
        title and summary (one line each).
    """
    names = tuple(sorted(p.stem for p in scenario_folder().glob("*.toml")))
    if not details:
        return names
    rows = []
    for name in names:
        s = load_scenario(name)
        rows.append({"name": name, "kind": s.kind, "title": s.title, "summary": s.summary})
    return pd.DataFrame(rows)


def load_scenario(name_or_path, **overrides):
    """Load a preset by name, or a scenario file by path, then apply parameter overrides.

    Parameters
    ----------
    name_or_path : str or path-like
        A preset name (see :func:`list_scenarios`) or a path to a ``.toml`` file.
    **overrides : float
        New values for parameters, e.g. ``fraud_rate=0.004``.

    Raises
    ------
    ScenarioError
        Unknown preset (the message lists the valid ones), missing file or a
        file that breaks the format (the message names the key).
    ParameterError
        Unknown parameter or a value outside its allowed range.
    """
    text = str(name_or_path)
    is_path = isinstance(name_or_path, Path) or text.endswith(".toml") or "/" in text or "\\" in text
    if is_path:
        path = Path(name_or_path)
        if not path.is_file():
            raise ScenarioError(MSG_FILE_MISSING.format(str(path)))
    else:
        path = scenario_folder() / f"{text}.toml"
        if not path.is_file():
            if Path(text).is_file():  # e.g. "mine.txt": a file, but not a .toml path
                raise ScenarioError(MSG_SCENARIO_SUFFIX.format(text, text, ", ".join(list_scenarios())))
            raise ScenarioError(MSG_UNKNOWN_SCENARIO.format(text, ", ".join(list_scenarios())))
    scenario = _load_file(path)
    return scenario.replace(**overrides) if overrides else scenario


def _load_file(path):
    return parse_scenario(read_document(path), label=str(path), base=path.parent, path=path)


def parse_scenario(doc, *, label="<dict>", base=None, path=None):
    """Validate a scenario document (the dict :mod:`tomllib` returns) and build the :class:`Scenario`.

    ``base`` is the folder that relative ``scores.file`` paths are read from;
    ``path`` is the file it came from (kept as :attr:`Scenario.path`).
    """
    return Scenario(**validate_document(doc, label=label, base=base), path=path)
