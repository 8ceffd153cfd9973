"""The threshold explorer: move a threshold, watch precision, recall, alerts and money move.

A control change replaces a frozen parameter object (``dataclasses.replace``),
core computes, and the plots' artists move in place. The latest state is
public (:attr:`ThresholdExplorer.result`) and is updated synchronously when
a control's ``.value`` is set, so tests and power users need no browser::

    ex = ThresholdExplorer(am.BinormalModel(prevalence=0.01, auc=0.8),
                           am.ValueModel(tp=-5, fp=-5, fn=-200), volume=10_000)
    ex.threshold.value = 0.05
    ex.result.point.recall, ex.result.value
"""

from __future__ import annotations

import dataclasses
import html
import math
import traceback
import types
import warnings
from dataclasses import dataclass

import numpy as np

from ...core import (
    CONSTRAINTS,
    BinormalModel,
    ConstraintError,
    Decision,
    DegenerateWarning,
    Feasibility,
    OperatingPoint,
    ScoreSet,
    ThresholdCurve,
    ValueModel,
    Vocabulary,
    check_constraints,
    compute_feasibility,
    optimize,
)
from ...core.engine.curve import MSG_NO_NEGATIVES, MSG_NO_POSITIVES, MSG_NOTHING_FLAGGED
from ...core.errors import ParameterError
from ...core.engine.optimize import constraint_metric, diagnose_conflict, exact_curve, rows_meeting
from ...plotting import (
    ConfusionMatrixDisplay,
    MetricsCurveDisplay,
    PrecisionRecallDisplay,
    RocCurveDisplay,
    ScoreDistributionDisplay,
    ValueCurveDisplay,
)
from ..._format import fmt_count, fmt_fraction, fmt_money, fmt_number, fmt_threshold
from ...plotting._base import UNNAMED_CURRENCY, UNNAMED_PERIOD, period_words
from .._canvas import FigureImage
from .._uncertainty_toggle import UncertaintyToggle

#: Cases behind a :class:`BinormalModel`'s analytic curve when no volume is given.
DEFAULT_MODEL_CASES = 10_000
#: Sample sizes offered for a BinormalModel source (0 = the exact, analytic curve).
SAMPLE_SIZES = (0, 1_000, 10_000, 100_000, 1_000_000)
#: Number of slider positions between the lowest and the highest threshold: one arrow key press
#: moves the threshold by 1 % of the slider's visual width (on a log slider, 1 % of its decades).
SLIDER_STEPS = 100

MSG_SOURCE = (
    "source must be a ThresholdCurve, a ScoreSet or a BinormalModel; found {}"
)
MSG_VALUE_MODEL = "value_model must be a ValueModel; found {}"
MSG_SAMPLE_SIZE = "sample_size must be one of {}; found {!r}"
MSG_SCALE = "threshold_scale must be 'auto', 'linear' or 'log'; found {!r}"
MSG_VOLUME = "volume must be a positive number of cases per {}; found {!r}"

# Notes shown in the readout, in a product manager's words.
NOTE_NOTHING_FLAGGED = "Nothing is flagged at this threshold, so precision is undefined."
NOTE_NO_POSITIVES = "The data has no positive cases: recall and the true positive rate are undefined."
NOTE_NO_NEGATIVES = "The data has no negative cases: the false positive rate is undefined."
NOTE_FLAT_VALUE = "Every threshold is worth the same with these values per outcome."
NOTE_SINGLE_SCORE = "Every case has the same score: you can only flag all of them or none."
NOTE_BREAKS = "This threshold breaks: {}."
#: A value whose sign is unusual for its outcome: said, not refused (it may be meant).
NOTE_EARNING_MISS = ("A {} earns money here ({} per {}): a missed positive usually costs. "
                     "Check the sign (costs are negative).")
NOTE_EARNING_FALSE_ALARM = ("A {} earns money here ({} per {}): a false alarm usually costs. "
                            "Check the sign (costs are negative).")
NOTE_CAUGHT_BELOW_FALSE_ALARM = ("A {} ({}) is worth less than a {} ({}): catching a positive is usually "
                                 "worth more than a false alarm. Check the two values.")
#: A rule's bound outside what its rate can be: refused, the last good bound kept.
NOTE_RATE_REFUSED = ("{} {} refused: a {} is a share between 0 and 1 (0.5 is 50%). "
                     "Kept {}.")
NOTE_COUNT_REFUSED = "{} {} refused: a number of {} is 0 or more. Kept {}."
#: No threshold meets the rules: what cannot be had together, then the best that can be reached.
NOTE_INFEASIBLE = "No threshold {}; {}. Relax a rule to get a best threshold."
# What each rule asks of a threshold, and how the best reachable level is said (see _infeasible_words).
RULE_WORDS = {
    "min_recall": "catches at least {bound} of {w.positives}",
    "min_precision": "has at least {bound} {w.positives} among its {w.alerts}",
    "max_alert_rate": "flags at most {bound} of all {w.cases}",
    "max_fpr": "wrongly flags at most {bound} of {w.negatives}",
    "max_alerts": "stays within {bound} {w.alerts} {where}",
}
REACH_WORDS = {
    "min_recall": "the most it catches{when} is {level} of {w.positives}",
    "min_precision": "the highest share of {w.positives} among its {w.alerts}{when} is {level}",
    "max_alert_rate": "the least it flags{when} is {level} of all {w.cases}",
    "max_fpr": "the smallest share of {w.negatives} it wrongly flags{when} is {level}",
    "max_alerts": "the fewest {w.alerts} it gives{when} is {level} {where}",
}
#: Significant digits of the numbers the explorer writes into its text boxes.
BOX_DIGITS = 6

CELLS = ("tp", "fp", "fn", "tn")
AMOUNTS = ("tp_amount", "fp_amount", "fn_amount", "tn_amount")


def cell_labels(words):
    """The money boxes' labels in ``words`` (a :class:`~aipm_sim.Vocabulary`): one per ValueModel field."""
    labels = {c: words.cell(c) for c in CELLS}
    labels.update({f"{c}_amount": f"{words.cell(c)}: × amount" for c in CELLS})
    return labels


def constraint_labels(words, where):
    """The constraint switches' labels in ``words``; ``where`` is "per day" or "in the data"."""
    return {
        "min_recall": f"at least this recall: share of {words.positives} {words.flagged} (0–1)",
        "min_precision": f"at least this precision: share of {words.cases} {words.flagged} that are "
                         f"{words.positives} (0–1)",
        "max_alert_rate": f"at most this {words.alert_rate}: share of {words.cases} {words.flagged} (0–1)",
        "max_fpr": f"at most this share of {words.negatives} {words.flagged} (0–1)",
        "max_alerts": f"at most this many {words.alerts} {where} (e.g. the team's capacity)",
    }


#: Names of the rate rules, for a refused bound ("a recall is a share …").
RATE_NAMES = {"min_recall": "recall", "min_precision": "precision", "max_alert_rate": "rate",
              "max_fpr": "false positive rate"}


def value_notes(value_model, words, *, currency=None):
    """Notes on values whose sign is unusual for their outcome, in ``words`` (empty when all look usual).

    A missed positive or a false alarm that earns money, and a caught positive
    worth less than a false alarm, are usually sign errors (a missed fraud
    typed as +500). They are said, not refused: a reader may mean them.
    """
    vm, unit = value_model, currency or UNNAMED_CURRENCY
    notes = []
    for fixed, amount, note, cell in (("fn", "fn_amount", NOTE_EARNING_MISS, "fn"),
                                      ("fp", "fp_amount", NOTE_EARNING_FALSE_ALARM, "fp")):
        if getattr(vm, fixed) > 0:
            notes.append(note.format(words.cell(cell), fmt_money(getattr(vm, fixed), unit, signed=True), words.case))
        if getattr(vm, amount) > 0:
            share = f"+{fmt_number(getattr(vm, amount))} × its amount"
            notes.append(note.format(words.cell(cell), share, words.case))
    # The fixed parts only: amount terms apply to different amounts (positives' and negatives').
    if vm.tp < vm.fp:
        notes.append(NOTE_CAUGHT_BELOW_FALSE_ALARM.format(words.tp, fmt_money(vm.tp, unit), words.fp,
                                                          fmt_money(vm.fp, unit)))
    return tuple(notes)
# Bound used when a constraint box is switched on without a value.
CONSTRAINT_DEFAULTS = {
    "min_recall": 0.5, "min_precision": 0.1, "max_alert_rate": 0.05, "max_fpr": 0.05, "max_alerts": 100.0,
}


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class ExplorerResult:
    """What the explorer shows right now.

    Attributes
    ----------
    threshold : float
        The threshold asked for (the slider's value, or the optimum's).
    point : OperatingPoint
        Counts and rates of flagging ``score >= threshold``;
        ``point.threshold`` is the curve row that applies.
    value : float
        Value at ``point``: currency per period when a volume is known,
        otherwise in total over the curve's cases.
    alerts_per_period : float
        Flagged cases per period (or in the data without a volume).
    best_threshold, best_value : float
        The optimum under the constraints (NaN when none is feasible).
    gap_to_optimum : float
        ``best_value - value`` (NaN when there is no optimum); 0 at the optimum.
    meets_constraints : bool
        Whether ``point`` meets every active constraint.
    broken_constraints : tuple of str
        Names of the constraints ``point`` breaks.
    decision : Decision or None
        The optimisation behind ``best_*`` (None when infeasible).
    feasibility : Feasibility
        Which curve rows meet each active constraint.
    curve : ThresholdCurve
    value_model : ValueModel
    constraints : mapping of str to float
        Active constraints (read-only).
    volume : float or None
        Cases per period.
    period : str or None
        Name of the period ("day"); None: not said ("per period").
    notes : tuple of str
        Degenerate states and warnings, in words (also shown in the readout).
    vocabulary : Vocabulary
        The words of the cards and notes.
    """

    threshold: float
    point: OperatingPoint
    value: float
    alerts_per_period: float
    best_threshold: float
    best_value: float
    gap_to_optimum: float
    meets_constraints: bool
    broken_constraints: tuple
    decision: Decision | None
    feasibility: Feasibility
    curve: ThresholdCurve
    value_model: ValueModel
    constraints: types.MappingProxyType
    volume: float | None
    period: str | None
    notes: tuple
    vocabulary: Vocabulary = Vocabulary()

    def summary(self):
        """The state in a few plain lines (deterministic: fit for a strictly checked notebook cell)."""
        p = self.point
        where = period_words(self.volume, self.period)
        lines = [
            f"threshold {fmt_threshold(p.threshold)}: {self.vocabulary.cases} scoring at or above it are "
            f"{self.vocabulary.flagged}",
            f"precision {fmt_fraction(p.precision)}, recall {fmt_fraction(p.recall)}, "
            f"alert rate {fmt_fraction(p.alert_rate)}",
            f"{self.vocabulary.alerts} {where}: {fmt_count(self.alerts_per_period)}",
            f"value {where}: {fmt_money(self.value)}",
        ]
        if math.isfinite(self.best_value):
            lines.append(
                f"best threshold {fmt_threshold(self.best_threshold)}: value {fmt_money(self.best_value)} "
                f"{where}; {self.gap_words()}"
            )
        lines.extend(f"note: {n}" for n in self.notes)
        return "\n".join(lines)

    def gap_words(self):
        """The gap to the optimum in words: "this is the best threshold", "... earns 120 less per day"."""
        gap = self.gap_to_optimum
        where = period_words(self.volume, self.period)
        if not math.isfinite(gap):
            return "no threshold meets every constraint"
        if abs(gap) <= 1e-9 * max(1.0, abs(self.best_value)):
            return "this is the best threshold"
        amount = fmt_money(abs(gap))
        if gap > 0:
            return f"this threshold earns {amount} less {where}"
        return f"this threshold earns {amount} more {where} but breaks a constraint"


#: What :meth:`ThresholdExplorer._compute` returns when the computation raised (the error is shown).
_FAILED = object()


def _readable(x):
    """``x`` rounded to ``BOX_DIGITS`` significant digits for a text box: -4.33333, not -4.333333333333334."""
    x = float(x)
    return float(f"{x:.{BOX_DIGITS}g}") if math.isfinite(x) else x


def _positive_volume(volume, period):
    """``volume`` as a positive finite float, or ParameterError(MSG_VOLUME) naming it."""
    try:
        x = float(volume)
    except (TypeError, ValueError):
        x = math.nan
    if not (math.isfinite(x) and x > 0):
        raise ParameterError(MSG_VOLUME.format(UNNAMED_PERIOD if period is None else period, volume))
    return x


def _known_degenerate(message):
    """True for core warnings that the readout already explains in its own words."""
    prefix = MSG_NOTHING_FLAGGED.split("{}")[-1]
    return message in (MSG_NO_POSITIVES, MSG_NO_NEGATIVES) or message.endswith(prefix)


class ThresholdExplorer:
    """Interactive threshold explorer: sliders and boxes in, KPIs and six pictures out.

    Parameters
    ----------
    source : ThresholdCurve, ScoreSet or BinormalModel
        The scored cases. A :class:`BinormalModel` adds prevalence, AUC and
        sample-size controls that rebuild the curve.
    value_model : ValueModel
        Money per outcome (gains > 0, costs < 0); every field gets a box.
    volume : float, optional
        Cases per period: values and alerts are then per period (e.g. per
        day). A BinormalModel without a volume uses
        ``DEFAULT_MODEL_CASES`` cases per period.
    period : str, optional
        Name of the period, for labels ("day"); None says "per period".
    currency : str, optional
        Name of the money unit, for labels; None says "currency".
    vocabulary : Vocabulary or mapping, optional
        What a case, a flag, a positive and each outcome are called (see
        :class:`~aipm_sim.Vocabulary`; a mapping of some of its keys also
        works). Default: the generic words ("cases", "alerts", "positives").
    threshold : float, optional
        Starting threshold (default: the optimum).
    sample_size : int, optional
        BinormalModel only: 0 or None uses the exact, analytic curve (no
        sampling noise); otherwise one of ``SAMPLE_SIZES``, drawn with ``seed``.
    seed : int
        The only source of randomness (BinormalModel sampling).
    threshold_scale : {"auto", "linear", "log"}
        Slider and threshold axes: "log" suits calibrated probabilities at a
        low prevalence; "auto" picks it for such curves.
    log_counts : bool
        Logarithmic count axis in the score distribution.
    render : bool
        Draw the pictures (PNG) on every change. False keeps every artist
        up to date but skips the drawing (tests, scripting).
    **constraints
        ``min_recall``, ``min_precision``, ``max_alert_rate``, ``max_fpr``,
        ``max_alerts`` as in :func:`aipm_sim.optimize`; each gets a switch
        and a box.

    Attributes
    ----------
    threshold : FloatSlider or FloatLogSlider
        The threshold control (CSS class ``aipm-threshold``), without a
        readout of its own: see ``threshold_readout``.
    threshold_readout : HTML
        The threshold that applies, beside the slider and written exactly as
        in the KPI readout (CSS class ``aipm-threshold-readout``). A browser
        shows a value set from Python snapped to the slider's step grid, so
        the slider's own label would disagree with the KPIs.
    alerts : BoundedFloatText
        "threshold for this many alerts per period": a whole number of
        alerts (or in the data), linked both ways with the slider. It moves
        the threshold; the capacity *rule* is the ``max_alerts`` switch.
    goto_optimum : Button
        Moves the threshold to the best one (CSS class ``aipm-goto-optimum``).
    value_inputs : dict of str to FloatText
        One box per ValueModel field shown.
    constraint_switches, constraint_inputs : dict of str to Checkbox / BoundedFloatText
    prevalence, auc, sample_size : widgets or None
        BinormalModel controls (None for other sources).
    kpis : HTML
        The readout (CSS class ``aipm-kpis``).
    errors : Output
        Shows any error raised in a callback (CSS class ``aipm-errors``).
    displays : dict of str to Display
        ``value``, ``confusion``, ``metrics``, ``distribution``, ``pr``, ``roc``.
    figures : dict of str to FigureImage
    widget : VBox
        The whole app; displaying the explorer displays it.
    result : ExplorerResult
    """

    def __init__(self, source, value_model, *, volume=None, period=None, currency=None, vocabulary=None,
                 threshold=None, sample_size=None, seed=0, threshold_scale="auto", log_counts=True,
                 render=True, **constraints):
        import ipywidgets as widgets

        self._w = widgets
        if not isinstance(value_model, ValueModel):
            raise TypeError(MSG_VALUE_MODEL.format(type(value_model).__name__))
        if threshold_scale not in ("auto", "linear", "log"):
            raise ParameterError(MSG_SCALE.format(threshold_scale))
        # Bad names (TypeError) and bounds (ParameterError, naming the constraint) raise here,
        # in the caller's cell, before anything uses them.
        constraints = dict(check_constraints(**constraints))
        self.model = source if isinstance(source, BinormalModel) else None
        if self.model is None and not isinstance(source, (ThresholdCurve, ScoreSet)):
            raise TypeError(MSG_SOURCE.format(type(source).__name__))
        if self.model is not None:
            sample_size = 0 if sample_size is None else sample_size
            if sample_size not in SAMPLE_SIZES:
                raise ParameterError(MSG_SAMPLE_SIZE.format(list(SAMPLE_SIZES), sample_size))
            if volume is None:
                volume = DEFAULT_MODEL_CASES
        if volume is not None:
            volume = _positive_volume(volume, period)
        self.value_model = value_model
        self.volume = volume
        self.period = period
        self.currency = currency
        self.words = Vocabulary.from_mapping(vocabulary)
        self._refused = None  # the note of a refused bound, shown until the next change
        self.seed = seed
        self.render = render
        self.log_counts = log_counts
        self._sample_size = sample_size
        self._busy = False  # True while the explorer sets its own controls
        self._sent = {}  # id(control) -> value the explorer last gave it (see _browser_echo)
        self.last_error = None
        self.constraints = constraints
        self._compute(lambda: self._build_curve(source), initial=True)
        self.threshold_scale = self._choose_scale(threshold_scale)

        self._build_controls()
        self.uncertainty_toggle = UncertaintyToggle(self, source)  # "show uncertainty" (its own module)
        self._build_figures()
        self._compute(self._optimise, initial=True)
        start = self.decision.threshold if threshold is None and self.decision is not None else threshold
        self._compute(self._rebuild_displays, initial=True)
        if start is None:
            start = self._slider_limits()[1]
        self._set_threshold(start, initial=True)
        self._wire()
        self.widget = self._layout()

    # ----------------------------------------------------------------------- the numbers
    def _build_curve(self, source):
        if self.model is not None:
            if self._sample_size:
                self.curve = ThresholdCurve.from_scores(self.model.sample(self._sample_size, seed=self.seed))
            else:
                # The curve optimize decides on: rows where the money's optimum and each constraint's
                # bound lie, so that the optimum is the model's own (as optimize(model) and Scenario give).
                # The row the reader is looking at stays a row too: a rebuilt grid must not move the
                # threshold that applies (0.0201 became 0.02022 after a rule was switched off).
                current = getattr(self, "result", None)
                base = self.model
                if current is not None and 0 <= current.point.threshold <= 1:
                    base = self.model.curve(n_cases=self.volume, thresholds=[current.point.threshold])
                self.curve = exact_curve(base, self.value_model, volume=self.volume, **self.constraints)
        elif isinstance(source, ScoreSet):
            self.curve = ThresholdCurve.from_scores(source)
        else:
            self.curve = source

    def _optimise(self):
        """Optimum, feasibility and values for the current curve and value model (core computes them all)."""
        curve, vm, vol = self.curve, self.value_model, self.volume
        try:
            self.decision = optimize(curve, vm, volume=vol, period=self.period, currency=self.currency,
                                     **self.constraints)
            # An analytic curve given as the source gains the rows of its exact optimum.
            self.curve = curve = self.decision.curve
        except ConstraintError:
            self.decision = None  # the readout says why, in words (_infeasible_words)
            self.feasibility = compute_feasibility(curve, volume=vol, **self.constraints)
            self._values = vm.value(curve, volume=vol)
        else:
            self.feasibility = self.decision.feasibility
            self._values = self.decision.values
        values = self._values
        self._flat = bool(len(values)) and bool(np.nanmax(values) == np.nanmin(values))
        self._single_score = int(np.isfinite(curve.thresholds).sum()) == 1

    def _point_result(self, threshold, point):
        curve, vm, vol, d = self.curve, self.value_model, self.volume, self.decision
        value = vm.point_value(point, volume=vol)
        broken = self.feasibility.broken(point.index)
        best_value = d.value if d is not None else math.nan
        notes = []
        if d is None:
            notes.append(self._infeasible_words())
        if curve.positives == 0:
            notes.append(NOTE_NO_POSITIVES)
        if curve.negatives == 0:
            notes.append(NOTE_NO_NEGATIVES)
        if point.alerts == 0:
            notes.append(NOTE_NOTHING_FLAGGED)
        if self._single_score:
            notes.append(NOTE_SINGLE_SCORE)
        if broken:
            notes.append(NOTE_BREAKS.format(", ".join(self._said(n) for n in broken)))
        if self._flat:
            notes.append(NOTE_FLAT_VALUE)
        notes.extend(value_notes(vm, self.words, currency=self.currency))
        if self._refused:
            notes.append(self._refused)
        return ExplorerResult(
            threshold=float(threshold),
            point=point,
            value=value,
            alerts_per_period=point.per_period(vol).alerts,
            best_threshold=d.threshold if d is not None else math.nan,
            best_value=best_value,
            gap_to_optimum=best_value - value,
            meets_constraints=not broken,
            broken_constraints=broken,
            decision=d,
            feasibility=self.feasibility,
            curve=curve,
            value_model=vm,
            constraints=types.MappingProxyType(dict(self.constraints)),
            volume=vol,
            period=self.period,
            notes=tuple(notes),
            vocabulary=self.words,
        )

    def _said(self, name):
        bound = self.constraints[name]
        if name == "max_alerts":
            return f"at most {fmt_count(bound)} {self.words.alerts} {self._where}"
        kind, metric = CONSTRAINTS[name].kind, CONSTRAINTS[name].metric
        words = {"alert_rate": self.words.alert_rate, "fpr": "false positive rate"}.get(metric, metric)
        return f"{words} {'≥' if kind == 'min' else '≤'} {fmt_fraction(bound)}"

    def _asks(self, name):
        """What rule ``name`` asks of a threshold: "catches at least 40% of positives"."""
        bound = self.constraints[name]
        bound = fmt_count(bound) if name == "max_alerts" else f"{100 * bound:.4g}%"
        return RULE_WORDS[name].format(bound=bound, w=self.words, where=self._where)

    def _reached(self, name, rows, when=""):
        """The best level of ``name``'s metric among ``rows`` (bool mask), in words.

        ``when`` says which thresholds those rows are (" while it stays within
        500 alerts per day"); None when the metric is undefined on every row.
        """
        values = constraint_metric(self.curve, name, volume=self.volume)[rows]
        values = values[~np.isnan(values)]
        if values.size == 0:
            return None
        best = float(values.max() if CONSTRAINTS[name].kind == "min" else values.min())
        level = fmt_count(best) if name == "max_alerts" else fmt_fraction(best)
        return REACH_WORDS[name].format(when=when, level=level, where=self._where, w=self.words)

    def _infeasible_words(self):
        """Why no threshold meets the rules, in a product manager's words (core's message names arguments).

        The diagnosis is core's (:func:`~aipm_sim.core.engine.optimize.diagnose_conflict`, as in
        :func:`aipm_sim.optimize`'s ConstraintError); only the words differ.
        """
        masks = self.feasibility.masks
        target, given = diagnose_conflict(masks)
        allowed = rows_meeting(masks, given, len(self.curve))
        if not given:
            return NOTE_INFEASIBLE.format(self._asks(target),
                                          self._reached(target, allowed) or "it is undefined on this data")
        rest = " and ".join(self._asks(n) for n in given)
        reach = self._reached(target, allowed, f" while it {rest}") or "that level is undefined there"
        if len(given) == 1:  # a pair that cannot hold together
            return NOTE_INFEASIBLE.format(f"{self._asks(target)} and {rest}", reach)
        names = list(masks)
        asks = ", ".join(self._asks(n) for n in names[:-1]) + f" and {self._asks(names[-1])}"
        return NOTE_INFEASIBLE.format(asks, reach)

    @property
    def _currency_words(self):
        return UNNAMED_CURRENCY if self.currency is None else self.currency

    @property
    def _where(self):
        return period_words(self.volume, self.period)

    # ------------------------------------------------------------------------- callbacks
    def _compute(self, fn, *args, initial=False):
        """Run ``fn`` with warnings collected as readout notes and errors shown, never swallowed.

        During construction (``initial``) errors propagate to the caller's cell.
        Returns ``fn``'s result, or ``_FAILED`` when it raised.
        """
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                out = fn(*args)
            except Exception:
                if initial:
                    raise
                self._show_error(traceback.format_exc())
                return _FAILED
        notes = []
        for w in caught:
            message = str(w.message)
            if issubclass(w.category, DegenerateWarning):
                if not _known_degenerate(message):
                    notes.append(message)
            elif initial and not self.__dict__.get("widget"):
                # Construction-time warnings of other kinds are the caller's business.
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
            else:
                self._show_error(f"warning ({w.category.__name__}): {message}\n")
        if notes and getattr(self, "result", None) is not None:
            # Shown with the state they came with (until the next change).
            fresh = tuple(n for n in dict.fromkeys(notes) if n not in self.result.notes)
            self.result = dataclasses.replace(self.result, notes=self.result.notes + fresh)
            if hasattr(self, "kpis"):
                self._update_readout()
        return out

    def _show_error(self, text):
        self.last_error = text
        if hasattr(self, "errors"):
            self.errors.append_stdout(text if text.endswith("\n") else text + "\n")
            self.errors.layout.display = None

    def clear_errors(self):
        """Empty the error area."""
        self.last_error = None
        self.errors.outputs = ()
        self.errors.layout.display = "none"

    # ------------------------------------------------------------------------- controls
    def _choose_scale(self, scale):
        if scale != "auto":
            return scale
        t = self.curve.thresholds
        finite = t[np.isfinite(t)]
        probabilities = finite.size > 1 and finite.min() >= 0 and finite.max() <= 1
        if not probabilities:
            return "linear"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DegenerateWarning)
            median = self.curve.at_alert_rate(0.5).threshold
        return "log" if median < 0.05 else "linear"

    def _slider_limits(self):
        """Lowest and highest threshold the slider offers, for the current curve."""
        t = self.curve.thresholds
        finite = t[np.isfinite(t)]
        lo, hi = float(finite.min()), float(finite.max())
        if self.threshold_scale == "log":
            positive = finite[finite > 0]
            if positive.size == 0:
                return 1e-6, 1.0
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DegenerateWarning)
                q = self.curve.at_alert_rate(0.999).threshold
            hi = float(positive.max())
            lo = max(float(positive.min()), q if math.isfinite(q) else 0.0, hi * 1e-6)
        if lo >= hi:
            lo, hi = (lo / 2, hi * 2) if self.threshold_scale == "log" else (lo - 0.5, hi + 0.5)
        return lo, hi

    def _configure_slider(self):
        lo, hi = self._slider_limits()
        s = self.threshold
        with s.hold_trait_notifications():
            if self.threshold_scale == "log":
                lo_e, hi_e = math.log10(lo), math.log10(hi)
                s.min, s.max = min(s.min, lo_e), max(s.max, hi_e)  # widen first: no clamping
                s.min, s.max = lo_e, hi_e
                s.step = (hi_e - lo_e) / SLIDER_STEPS
            else:
                s.min, s.max = min(s.min, lo), max(s.max, hi)
                s.min, s.max = lo, hi
                s.step = (hi - lo) / SLIDER_STEPS

    def _build_controls(self):
        w = self._w
        wide = {"description_width": "initial"}
        lo, hi = self._slider_limits()
        # The slider's own readout is off: a browser shows a value set from Python (the optimum,
        # the alerts box) snapped to the step grid (0.06577 for 0.06542), which would disagree with
        # the KPIs. threshold_readout shows the threshold that applies, written as the KPIs write it.
        if self.threshold_scale == "log":
            self.threshold = w.FloatLogSlider(
                value=hi, base=10, min=math.log10(lo), max=math.log10(hi),
                step=(math.log10(hi) - math.log10(lo)) / SLIDER_STEPS,
                description="threshold", readout=False, readout_format=".4g", continuous_update=True,
                style=wide, layout=w.Layout(width="auto", flex="1 1 auto"),
            )
        else:
            self.threshold = w.FloatSlider(
                value=hi, min=lo, max=hi, step=(hi - lo) / SLIDER_STEPS, description="threshold",
                readout=False, readout_format=".4g", continuous_update=True, style=wide,
                layout=w.Layout(width="auto", flex="1 1 auto"),
            )
        self.threshold.add_class("aipm-threshold")
        self.threshold.tooltip = (f"{self.words.cases.capitalize()} scoring at or above the threshold are "
                                  f"{self.words.flagged}")
        self.threshold_readout = w.HTML(layout=w.Layout(min_width="7em", margin="0 0 0 8px"))
        self.threshold_readout.add_class("aipm-threshold-readout")
        # This box moves the threshold to give this many alerts; the capacity *rule* is the
        # constraints tab's max_alerts switch (its label says so). Whole alerts, as the card shows.
        self.alerts = w.BoundedFloatText(
            value=0.0, min=0.0, max=self._alerts_max(), step=1.0,
            description=f"threshold for this many {self.words.alerts} {self._where}",
            style=wide, layout=w.Layout(width="auto"),
        )
        self.alerts.add_class("aipm-alerts")
        self.goto_optimum = w.Button(
            description="go to optimum", icon="bullseye", button_style="success",
            tooltip="Move the threshold to the most valuable one that meets the constraints",
        )
        self.goto_optimum.add_class("aipm-goto-optimum")

        self.value_inputs = {}
        shown = list(CELLS)
        if self.curve.has_amounts or self.value_model.uses_amounts:
            shown += list(AMOUNTS)
        labels = cell_labels(self.words)
        for name in shown:
            label = labels[name]
            box = w.FloatText(value=_readable(getattr(self.value_model, name)), description=label, style=wide,
                              layout=w.Layout(width="100%"))
            box.add_class(f"aipm-value-{name.replace('_', '-')}")
            self.value_inputs[name] = box

        self.constraint_switches, self.constraint_inputs = {}, {}
        labels = constraint_labels(self.words, self._where)
        for name, constraint in CONSTRAINTS.items():
            high = constraint.bounds[1]
            on = name in self.constraints
            bound = self.constraints.get(name, CONSTRAINT_DEFAULTS[name])
            switch = w.Checkbox(value=on, description=labels[name], indent=False, style=wide,
                                layout=w.Layout(width="auto", flex="0 1 auto"))
            # Not bounded: a bound outside [0, 1] is refused with the reason (see _refusal), not
            # silently clamped (a recall minimum of 1.5 used to become 1).
            box = w.FloatText(
                value=_readable(bound), step=0.01 if math.isfinite(high) else 1.0, layout=w.Layout(width="7em"),
            )
            switch.add_class(f"aipm-constraint-{name.replace('_', '-')}")
            self.constraint_switches[name] = switch
            self.constraint_inputs[name] = box

        self.prevalence = self.auc = self.sample_size = None
        if self.model is not None:
            m = self.model
            self.prevalence = w.FloatLogSlider(
                value=m.prevalence, base=10, min=min(-4.0, math.log10(m.prevalence)), max=math.log10(0.5),
                step=0.01, description="prevalence (share of positives)", readout_format=".3g",
                continuous_update=False, style=wide, layout=w.Layout(width="100%"),
            )
            self.auc = w.FloatSlider(
                value=m.auc, min=0.5, max=0.999, step=0.001, description="AUC (how well the model ranks)",
                readout_format=".3f", continuous_update=False, style=wide, layout=w.Layout(width="100%"),
            )
            self.sample_size = w.Dropdown(
                options=[("exact curve (no sampling noise)" if n == 0 else f"{n:,} sampled cases", n)
                         for n in SAMPLE_SIZES],
                value=self._sample_size, description="cases", style=wide,
            )
            self.prevalence.add_class("aipm-prevalence")
            self.auc.add_class("aipm-auc")
            self.sample_size.add_class("aipm-sample-size")

        self.kpis = w.HTML()
        self.kpis.add_class("aipm-kpis")
        self.errors = w.Output(layout=w.Layout(display="none", border="1px solid #D55E00", padding="4px"))
        self.errors.add_class("aipm-errors")

    def _alerts_max(self):
        """Every case: the volume, or the curve's own cases without one."""
        return self.curve.n_cases if self.volume is None else self.volume

    def _wire(self):
        self.threshold.observe(self._on_threshold, names="value")
        self.alerts.observe(self._on_alerts, names="value")
        self.goto_optimum.on_click(self._on_goto)
        for name, box in self.value_inputs.items():
            box.observe(lambda change, name=name: self._on_value_input(name, change), names="value")
        for name in CONSTRAINTS:
            self.constraint_switches[name].observe(self._on_constraint, names="value")
            self.constraint_inputs[name].observe(self._on_constraint, names="value")
        if self.model is not None:
            self._remember(self.prevalence)
            self._remember(self.auc)
            self.prevalence.observe(lambda c: self._on_model("prevalence", c), names="value")
            self.auc.observe(lambda c: self._on_model("auc", c), names="value")
            self.sample_size.observe(lambda c: self._on_model("sample_size", c), names="value")

    # -- handlers: each runs through _compute, so errors are shown, not swallowed
    def _on_threshold(self, change):
        if self._busy:
            return
        if self._browser_echo(self.threshold, change["new"]):
            return
        self._refused = None
        self._compute(self._set_threshold, change["new"])

    def _remember(self, control):
        self._sent[id(control)] = control.value

    def _browser_echo(self, control, new):
        """True when ``new`` is the browser sending back, snapped to the step grid, a value we set.

        A slider shows a value set from Python at the nearest step and answers
        with that step's value; applying it would move the threshold off the
        optimum (or change a model parameter) without anyone touching anything.
        """
        sent = self._sent.pop(id(control), None)
        # ipywidgets holds a property lock while it applies a state sent by the browser.
        if sent is None or "value" not in getattr(control, "_property_lock", {}):
            return False
        a, b = new, sent
        if isinstance(control, self._w.FloatLogSlider):
            if a <= 0 or b <= 0:
                return False
            a, b = math.log(a, control.base), math.log(b, control.base)
        return abs(a - b) <= 0.5 * control.step * (1 + 1e-9)

    def _on_alerts(self, change):
        if not self._busy and self._compute(self._set_alerts, change["new"]) is _FAILED:
            self._restore_controls()

    def _on_goto(self, _button=None):
        self._compute(self.go_to_optimum)

    def _on_value_input(self, name, change):
        self._refused = None if not self._busy else self._refused
        if not self._busy and self._compute(self._set_value_model, name, change["new"]) is _FAILED:
            self._restore_controls()

    def _on_constraint(self, _change):
        if self._busy:
            return
        refused = self._refusal()
        if refused:
            self._refused = refused
            self._restore_controls()  # the last good bounds, in force and in the boxes
            self.result = self._point_result(self.result.threshold, self.result.point)
            self._update_readout()
            return
        self._refused = None
        if self._compute(self._set_constraints) is _FAILED:
            self._restore_controls()

    def _refusal(self):
        """The note refusing a switched-on bound its metric cannot have (a recall of 1.5), or None."""
        for name in CONSTRAINTS:
            if not self.constraint_switches[name].value:
                continue
            x = self.constraint_inputs[name].value
            label = constraint_labels(self.words, self._where)[name].split(":")[0].replace(" (0–1)", "")
            kept = self.constraints.get(name)
            if name == "max_alerts":
                if not (math.isfinite(x) and x >= 0):
                    last = "no limit" if kept is None else fmt_count(kept)
                    return NOTE_COUNT_REFUSED.format(label.capitalize(), fmt_number(x), self.words.alerts, last)
            elif not (math.isfinite(x) and 0 <= x <= 1):
                last = "no such rule" if kept is None else f"{fmt_number(kept)} ({fmt_fraction(kept)})"
                return NOTE_RATE_REFUSED.format(label.capitalize(), fmt_number(x), RATE_NAMES[name], last)
        return None

    def _restore_controls(self):
        """After a refused input (inf, NaN …): show what the explorer really uses again.

        The error stays in the error area; the boxes go back to the value
        model, the constraints in force and the current alerts, so that no
        box shows a number the pictures do not use.
        """
        self._busy = True
        try:
            for name, box in self.value_inputs.items():
                box.value = _readable(getattr(self.value_model, name))
            for name in CONSTRAINTS:
                box = self.constraint_inputs[name]
                self.constraint_switches[name].value = name in self.constraints
                if name in self.constraints:
                    box.value = _readable(self.constraints[name])
                elif not math.isfinite(box.value):
                    box.value = CONSTRAINT_DEFAULTS[name]
            self.alerts.value = self._alerts_shown()
        finally:
            self._busy = False

    def _alerts_shown(self):
        """The alerts box's number: the card's count, whole (298.8 expected alerts show as 299)."""
        return min(float(round(self.result.alerts_per_period)), self.alerts.max)

    def _on_model(self, name, change):
        if self._busy or (name != "sample_size" and self._browser_echo(change["owner"], change["new"])):
            return
        self._compute(self._set_model, name, change["new"])

    # -- what each control does
    def _set_threshold(self, threshold, *, point=None, initial=False):
        """Make ``threshold`` current (``point`` when the caller already has the row)."""
        if point is None:
            point = self.curve.at(threshold)
        self.result = self._point_result(threshold, point)
        self._busy = True
        try:
            self._sync_slider(threshold)
            self.alerts.value = self._alerts_shown()
        finally:
            self._busy = False
        for display in self.displays.values():
            display.set_threshold(point)
        self._update_readout()
        self.redraw(full=initial)

    def _sync_slider(self, threshold):
        s = self.threshold
        if not math.isfinite(threshold):
            threshold = self._slider_limits()[1]
        if s.value != threshold:
            s.value = threshold  # clamped into the slider's range by ipywidgets
        # A browser answers with this value snapped to the step grid; see _on_threshold.
        self._remember(s)

    def _set_alerts(self, alerts):
        """Flag the riskiest cases up to ``alerts`` per period (ties may give fewer)."""
        point = self.curve.top_k(alerts, volume=self.volume)
        self._set_threshold(point.threshold, point=point)

    def go_to_optimum(self):
        """Move the threshold to the best one (no change when no threshold meets the constraints)."""
        if self.decision is None:
            self._update_readout()
            return
        self._set_threshold(self.decision.threshold, point=self.decision.point)

    def _set_value_model(self, name, value):
        self.value_model = dataclasses.replace(self.value_model, **{name: value})
        self._after_money_or_rules()

    def _set_constraints(self):
        self.constraints = dict(check_constraints(**{
            name: self._bound_in_box(name) for name in CONSTRAINTS if self.constraint_switches[name].value
        }))
        self._after_money_or_rules()

    def _bound_in_box(self, name):
        """The bound a constraint box stands for: the exact one in force while the box shows it rounded."""
        shown = self.constraint_inputs[name].value
        exact = self.constraints.get(name)
        return exact if exact is not None and shown == _readable(exact) else shown

    def _set_model(self, name, value):
        if name == "sample_size":
            self._sample_size = value
        else:
            self.model = dataclasses.replace(self.model, **{name: value})
        self._refresh_curve()
        self._after_decision_inputs()

    def _refresh_curve(self):
        """Build the curve anew and fit the slider and the alerts box to it."""
        self._build_curve(None)
        self._busy = True
        try:
            self._configure_slider()
            self.alerts.max = self._alerts_max()
        finally:
            self._busy = False

    def _after_money_or_rules(self):
        """Money and rules move an analytic curve's exact rows (its optimum, its bounds): rebuild it first."""
        if self.model is not None and not self._sample_size:
            self._refresh_curve()
        self._after_decision_inputs()

    def _after_decision_inputs(self):
        """Re-optimise and redraw everything, keeping the threshold that applies where it is.

        Only "go to optimum" moves the threshold: a rule, a value or the model
        changed here leaves the row the reader looks at in place (a rebuilt
        analytic curve keeps it as a row, see :meth:`_build_curve`).
        """
        self._optimise()
        self._rebuild_displays()
        asked, row = self.result.threshold, self.result.point.threshold
        point = self.curve.at(asked)
        if math.isfinite(row) and point.threshold != row:
            asked, point = row, self.curve.at(row)  # the slider's value now falls on another row: keep the row
        self._set_threshold(asked, point=point, initial=True)
        self.uncertainty_toggle.refresh()  # a new bootstrap (if shown) for the new data, money or rules

    # ------------------------------------------------------------------------- pictures
    def _build_figures(self):
        size, dpi = (6.0, 3.9), 96
        margins = {"confusion": (1.25, 0.1, 0.1, 0.65)}
        self.figures = {name: FigureImage(figsize=size, dpi=dpi, name=name, margins=margins.get(name))
                        for name in ("value", "confusion", "metrics", "distribution", "pr", "roc")}
        self.displays = {}

    def _rebuild_displays(self):
        """Put the current curve, values and optimum into the displays (created on first call)."""
        curve, d = self.curve, self.decision
        optimum = d.point if d is not None else None
        value_data = {
            "thresholds": curve.thresholds, "values": self._values, "feasible": self.feasibility.feasible,
            "optimum_index": None if d is None else d.index,
            "band": None if d is None else d.near_optimal,
        }
        metrics = MetricsCurveDisplay.arrays_from_curve(curve)
        pr = PrecisionRecallDisplay.arrays_from_curve(curve)
        roc = RocCurveDisplay.arrays_from_curve(curve)
        slope = self.value_model.iso_value_slope(curve)
        # Every threshold axis covers the slider's range, so the pictures line up with it.
        xlim = self._slider_limits()
        value_data["xlim"] = metrics["xlim"] = xlim
        hist = ScoreDistributionDisplay.arrays_from_curve(
            curve, xscale=self.threshold_scale, xlim=xlim, volume=self.volume
        )
        point = getattr(self, "result", None)
        point = point.point if point is not None and point.curve is curve else curve.point(len(curve) - 1)
        if not self.displays:
            common = {"period": self.period}
            f = self.figures
            self.displays = {
                "value": ValueCurveDisplay(
                    **value_data, point=point, volume=self.volume, currency=self.currency,
                    xscale=self.threshold_scale, **common,
                ).plot(ax=f["value"].figure.add_subplot()),
                "confusion": ConfusionMatrixDisplay(
                    point=point, value_model=self.value_model, volume=self.volume,
                    currency=self.currency, vocabulary=self.words, **common,
                ).plot(ax=f["confusion"].figure.add_subplot()),
                "metrics": MetricsCurveDisplay(
                    **metrics, point=point, optimum_threshold=None if d is None else d.threshold,
                    xscale=self.threshold_scale,
                ).plot(ax=f["metrics"].figure.add_subplot()),
                "distribution": ScoreDistributionDisplay(
                    **hist, point=point, log=self.log_counts, xscale=self.threshold_scale,
                    volume=self.volume, **common,
                ).plot(ax=f["distribution"].figure.add_subplot()),
                "pr": PrecisionRecallDisplay(**pr, point=point, optimum=optimum).plot(
                    ax=f["pr"].figure.add_subplot()),
                "roc": RocCurveDisplay(**roc, point=point, optimum=optimum, iso_slope=slope).plot(
                    ax=f["roc"].figure.add_subplot()),
            }
            for name, display in self.displays.items():
                f[name].add_display(display)
            return
        ds = self.displays
        ds["value"].update(**value_data)
        ds["confusion"].update(value_model=self.value_model, volume=self.volume)
        ds["metrics"].update(**metrics, optimum_threshold=None if d is None else d.threshold)
        ds["distribution"].update(**hist)
        ds["pr"].update(**pr, optimum=optimum)
        ds["roc"].update(**roc, optimum=optimum, iso_slope=slope)

    def redraw(self, *, full=False):
        """Render every picture and send it to the browser (no-op when ``render`` is False).

        ``full=False`` redraws only what a threshold move changes.
        """
        if not self.render:
            return
        for fig in self.figures.values():
            fig.draw(full=full)
            fig.publish()

    # ------------------------------------------------------------------------- readout
    def _update_readout(self):
        r = self.result
        p = r.point
        where, w = self._where, self.words
        cards = [
            ("precision", fmt_fraction(p.precision), f"of {w.cases} {w.flagged} are {w.positives}"),
            ("recall", fmt_fraction(p.recall), f"of {w.positives} are {w.flagged}"),
            (w.alert_rate, fmt_fraction(p.alert_rate), f"of all {w.cases} are {w.flagged}"),
            (f"{w.alerts} {where}", fmt_count(r.alerts_per_period), self._capacity_words(r)),
            (f"value {where}", fmt_money(r.value), self._currency_words),
            ("gap to the optimum", self._gap_text(r), r.gap_words()),
        ]
        cards = self.uncertainty_toggle.decorate(cards, p)  # "72.0% (58.1% – 83.3%)" when shown
        # Six cards that share the row (each at least 8em, at most a sixth of a wide screen) and wrap
        # evenly on a narrow one; a long subtitle wraps inside its card instead of taking a row.
        cell = ("flex:1 1 8em;max-width:16em;margin:0 6px 6px 0;padding:4px 8px;"
                "border:1px solid #ccc;border-radius:4px;box-sizing:border-box")
        parts = [
            f'<div style="{cell}"><div style="font-size:85%;color:#555">{html.escape(k)}</div>'
            f'<div class="aipm-kpi-value" style="font-size:130%;font-weight:bold">{html.escape(v)}</div>'
            f'<div style="font-size:80%;color:#555">{html.escape(s)}</div></div>'
            for k, v, s in cards
        ]
        parts = ['<div style="display:flex;flex-wrap:wrap">', *parts, '</div>']
        head = (f'<div style="margin-bottom:4px">Threshold <b>{fmt_threshold(p.threshold)}</b>: '
                f'{html.escape(w.cases)} scoring at or above it are {html.escape(w.flagged)}.</div>')
        notes = "".join(f'<li>{html.escape(n)}</li>' for n in r.notes)
        notes = f'<ul class="aipm-notes" style="margin:2px 0;color:#a33">{notes}</ul>' if notes else ""
        self.kpis.value = head + "".join(parts) + notes
        self.threshold_readout.value = f"<b>{html.escape(fmt_threshold(p.threshold))}</b>"

    def _capacity_words(self, r):
        """The alerts card's subtitle: against the capacity rule when it is on, else what the alerts are."""
        cap = self.constraints.get("max_alerts")
        if cap is None:
            return f"{self.words.cases} {self.words.flagged}"
        within = "within" if r.alerts_per_period <= cap * (1 + 1e-9) else "over"
        return f"{within} the limit of {fmt_count(cap)}"

    @staticmethod
    def _gap_text(r):
        if not math.isfinite(r.gap_to_optimum):
            return "no optimum"
        if r.gap_words() == "this is the best threshold":
            return "0"
        return fmt_money(-r.gap_to_optimum, signed=True)

    # ------------------------------------------------------------------------- layout
    def _layout(self):
        w = self._w
        words = self.words
        head = w.HTML(
            f"<b>Move the threshold</b> and watch precision, recall, {html.escape(words.alerts)} and money move "
            f"together. {html.escape(words.cases.capitalize())} scoring at or above the threshold are "
            f"{html.escape(words.flagged)}."
        )
        threshold_row = w.HBox([self.alerts, self.goto_optimum, self.uncertainty_toggle.checkbox],
                               layout=w.Layout(flex_flow="row wrap"))
        money_help = w.HTML(
            f"Money per {html.escape(words.case)} in each outcome ({html.escape(self._currency_words)}): gains "
            f"positive, costs negative (a cost of 5 per {html.escape(words.case)} is −5). '× amount' terms take "
            f"that share of the {html.escape(words.case)}'s amount."
        )
        money = w.VBox([money_help, w.GridBox(
            list(self.value_inputs.values()),
            layout=w.Layout(grid_template_columns="repeat(auto-fill, minmax(27em, 1fr))"),
        )])
        constraints = w.VBox([
            w.HTML("Switch on the business rules the threshold must respect. A capacity (how many "
                   f"{html.escape(words.alerts)} the team can handle {html.escape(self._where)}) is the last rule."),
            *[w.HBox([self.constraint_switches[n], self.constraint_inputs[n]]) for n in CONSTRAINTS],
        ])
        tabs = [money, constraints]
        titles = ["money per outcome", "constraints"]
        if self.model is not None:
            tabs.append(w.VBox([
                w.HTML("A synthetic model: change how rare positives are and how well it ranks them."),
                self.prevalence, self.auc, self.sample_size,
            ]))
            titles.append("model")
        settings = w.Tab(children=tabs, titles=titles)
        settings.add_class("aipm-settings")
        f = self.figures
        grid = w.GridBox(
            [f[n].image for n in ("value", "confusion", "metrics", "distribution", "pr", "roc")],
            layout=w.Layout(grid_template_columns="repeat(2, minmax(0, 1fr))", grid_gap="4px"),
        )
        slider_row = w.HBox([self.threshold, self.threshold_readout], layout=w.Layout(align_items="center"))
        box = w.VBox([head, slider_row, threshold_row, self.kpis, self.errors, settings, grid])
        box.add_class("aipm-explorer")
        return box

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    def __repr__(self):
        r = self.result
        return (f"ThresholdExplorer(threshold {fmt_threshold(r.point.threshold)}, "
                f"value {fmt_money(r.value)} {self._where})")
