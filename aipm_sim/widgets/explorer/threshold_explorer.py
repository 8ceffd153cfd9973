"""The threshold explorer app: :class:`ThresholdExplorer`, its parameters and the numbers behind its state.

Its controls, callbacks, pictures, readout and page are in the sibling
modules, mixed into the class.
"""

from __future__ import annotations

import math
import types

import numpy as np

from ...core import (
    BinormalModel,
    ConstraintError,
    ScoreSet,
    ThresholdCurve,
    ValueModel,
    Vocabulary,
    check_constraints,
    compute_feasibility,
    optimize,
)
from ...core.errors import ParameterError
from ...core.engine.optimize import exact_curve
from ..._format import fmt_money, fmt_threshold
from ...plotting._base import UNNAMED_CURRENCY, UNNAMED_PERIOD, period_words
from .._text_form import with_text
from .._uncertainty_toggle import UncertaintyToggle
from .callbacks import CallbacksMixin
from .cards import CardsMixin
from .controls import SAMPLE_SIZES, ControlsMixin
from .drawing import DrawingMixin
from .layout import LayoutMixin
from .notes import (NOTE_BREAKS, NOTE_FLAT_VALUE, NOTE_NO_NEGATIVES, NOTE_NO_POSITIVES, NOTE_NOTHING_FLAGGED,
                    NOTE_SINGLE_SCORE, NotesMixin, value_notes)
from .result import ExplorerResult

#: Cases behind a :class:`BinormalModel`'s analytic curve when no volume is given.
DEFAULT_MODEL_CASES = 10_000
#: First line of the explorer's text form (shown where widgets do not render), before its state.
TEXT_FORM = "The threshold explorer: move its controls in JupyterLab or the app. Now:"

MSG_SOURCE = (
    "source must be a ThresholdCurve, a ScoreSet or a BinormalModel; found {}"
)
MSG_VALUE_MODEL = "value_model must be a ValueModel; found {}"
MSG_SAMPLE_SIZE = "sample_size must be one of {}; found {!r}"
MSG_SCALE = "threshold_scale must be 'auto', 'linear' or 'log'; found {!r}"
MSG_VOLUME = "volume must be a positive number of cases per {}; found {!r}"


def _positive_volume(volume, period):
    """``volume`` as a positive finite float, or ParameterError(MSG_VOLUME) naming it."""
    try:
        x = float(volume)
    except (TypeError, ValueError):
        x = math.nan
    if not (math.isfinite(x) and x > 0):
        raise ParameterError(MSG_VOLUME.format(UNNAMED_PERIOD if period is None else period, volume))
    return x


class ThresholdExplorer(NotesMixin, ControlsMixin, CallbacksMixin, DrawingMixin, CardsMixin, LayoutMixin):
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

    @property
    def _currency_words(self):
        return UNNAMED_CURRENCY if self.currency is None else self.currency

    @property
    def _where(self):
        return period_words(self.volume, self.period)

    def _repr_mimebundle_(self, **kwargs):
        # Where widgets do not render (a saved notebook as HTML, a terminal): the state in words.
        return with_text(self.widget, TEXT_FORM + "\n" + self.result.summary(), **kwargs)

    def __repr__(self):
        r = self.result
        return (f"ThresholdExplorer(threshold {fmt_threshold(r.point.threshold)}, "
                f"value {fmt_money(r.value)} {self._where})")
