"""The explorer's controls: the threshold slider, the alerts box, the money and rule boxes, the model controls.

:class:`ControlsMixin` builds them and wires them to their handlers (mixed
into :class:`~aipm_sim.widgets.explorer.threshold_explorer.ThresholdExplorer`); the
handlers are in :mod:`.callbacks`.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from ...core import CONSTRAINTS, DegenerateWarning

#: Sample sizes offered for a BinormalModel source (0 = the exact, analytic curve).
SAMPLE_SIZES = (0, 1_000, 10_000, 100_000, 1_000_000)
#: Number of slider positions between the lowest and the highest threshold: one arrow key press
#: moves the threshold by 1 % of the slider's visual width (on a log slider, 1 % of its decades).
SLIDER_STEPS = 100

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


# Bound used when a constraint box is switched on without a value.
CONSTRAINT_DEFAULTS = {
    "min_recall": 0.5, "min_precision": 0.1, "max_alert_rate": 0.05, "max_fpr": 0.05, "max_alerts": 100.0,
}


def _readable(x):
    """``x`` rounded to ``BOX_DIGITS`` significant digits for a text box: -4.33333, not -4.333333333333334."""
    x = float(x)
    return float(f"{x:.{BOX_DIGITS}g}") if math.isfinite(x) else x


class ControlsMixin:
    """Builds the controls and wires them (part of ThresholdExplorer)."""

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
