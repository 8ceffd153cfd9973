"""What happens when a control changes: each handler, what it does, and how errors and warnings are shown."""

from __future__ import annotations

import dataclasses
import math
import traceback
import warnings

from ...core import CONSTRAINTS, DegenerateWarning, check_constraints
from ...core.engine.curve import MSG_NO_NEGATIVES, MSG_NO_POSITIVES, MSG_NOTHING_FLAGGED
from ..._format import fmt_count, fmt_fraction, fmt_number
from .controls import CONSTRAINT_DEFAULTS, _readable, constraint_labels
from .notes import NOTE_COUNT_REFUSED, NOTE_RATE_REFUSED, RATE_NAMES

#: What :meth:`ThresholdExplorer._compute` returns when the computation raised (the error is shown).
_FAILED = object()


def _known_degenerate(message):
    """True for core warnings that the readout already explains in its own words."""
    prefix = MSG_NOTHING_FLAGGED.split("{}")[-1]
    return message in (MSG_NO_POSITIVES, MSG_NO_NEGATIVES) or message.endswith(prefix)


class CallbacksMixin:
    """Runs every control change through :meth:`_compute` (part of ThresholdExplorer)."""

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
