"""The rollout planner: traffic, minimum effect, alpha and power, guardrail and stages → days and money.

    import aipm_sim as am
    from aipm_sim.widgets import RolloutPlanner
    planner = RolloutPlanner(am.load_scenario("fraud_detection"))
    planner              # the app
    planner.result       # the current LaunchPlan (A/B test and rollout)

Every control changes one setting of the scenario's ``[launch]`` section;
core (:func:`aipm_sim.plan_launch`) recomputes and the two pictures
(:class:`~aipm_sim.plotting.PowerDisplay`, :class:`~aipm_sim.plotting.RolloutDisplay`)
are redrawn. Bad input (a share of traffic above 100 %) shows one line and
keeps the last good plan.
"""

from __future__ import annotations

import html
import io

from .._format import fmt_count, fmt_level, fmt_money

from ..core import plan_launch
from ..core.experiments.launch import launch_settings
from ._text_form import with_text

#: What the app says where widgets do not render (a saved notebook as HTML, a terminal).
TEXT_FORM = ("The launch planner: change the traffic, the smallest gain, the power or the stages "
             "(it runs live in JupyterLab or Voilà).")

MSG_TRAFFIC_TEXT = "{}s per day in the test must be more than 0; found {!r}"
MSG_STAGES_TEXT = "stages must be percentages of traffic separated by commas, e.g. 1, 10, 50, 100; found {!r}"
MSG_STAGES_ORDER_TEXT = ("stages must be increasing percentages of traffic, each above 0 and at most 100, the last "
                         "100 (everyone), e.g. 1, 10, 50, 100; found {!r}")
MSG_EFFECT_TEXT = "the smallest change worth detecting must be a number other than 0 ({}); found {!r}"
MSG_GUARDRAIL_TEXT = "{} per 1,000 {}s today must be more than 0 and less than 1,000; found {!r}"
MSG_HARM_TEXT = ("the harmful rise must be more than 0 per 1,000 and keep {} below 1,000 per 1,000 {}s "
                 "({!r} today); found {!r}")
ALPHAS = (0.01, 0.05, 0.1)
POWERS = (0.8, 0.9, 0.95)


class RolloutPlanner:
    """An ipywidgets app over :func:`aipm_sim.plan_launch` for one scenario.

    Parameters
    ----------
    scenario : Scenario
        With a ``[launch]`` section (and a guardrail for the rollout).
    render : bool
        Draw the pictures (False: numbers only, for tests and speed).

    Attributes
    ----------
    result : LaunchPlan
        The latest plan (core object: ``result.test``, ``result.rollout``).
    traffic, minimum_effect, guardrail_rate, harm : ipywidgets.FloatText
        Cases per day in the test; the minimum effect (currency per case, or
        percentage points for a rate: 0.5 for half a point); today's
        guardrail events and the harmful rise, both per 1,000 cases.
    alpha, power : ipywidgets.Dropdown
    stages : ipywidgets.Text
        Percentages of traffic, comma separated.
    summary : ipywidgets.HTML
        Days and money in words.
    errors : ipywidgets.HTML
        One line when an input is refused (empty otherwise).
    """

    def __init__(self, scenario, *, render=True):
        import ipywidgets as w

        self.scenario = scenario
        self.render = render
        base = launch_settings(scenario)
        self._settings = {k: base[k] for k in ("traffic_per_day", "minimum_effect", "alpha", "power", "stages",
                                               "guardrail")}
        self.result = plan_launch(scenario, **self._settings)
        case = self.result.case
        test = self.result.test
        style = {"description_width": "initial"}
        self.traffic = w.FloatText(value=test.cases_per_day, description=f"{case}s per day in the test",
                                   style=style)
        # A rate's effect is typed in percentage points (0.5, not 0.005), as the PM says it.
        self._effect_scale = 1.0 if test.metric == "value" else 100.0
        self._effect_unit = (f"{scenario.currency} per {case}" if test.metric == "value"
                             else f"percentage points of {test.metric}")
        self.minimum_effect = w.FloatText(value=round(test.minimum_effect * self._effect_scale, 12), step=0.01,
                                          description=f"smallest change worth detecting ({self._effect_unit})",
                                          style=style)
        # The scenario's own alpha and power are among the choices (not snapped to the nearest one).
        self.alpha = w.Dropdown(options=_choices(ALPHAS, test.alpha), value=test.alpha,
                                description="false alarms accepted", style=style)
        self.power = w.Dropdown(options=_choices(POWERS, test.power), value=test.power,
                                description="power", style=style)
        self.stages = w.Text(value=", ".join(f"{100 * s:g}" for s in self._settings["stages"]),
                             description="stages (% of traffic)", continuous_update=False, style=style)
        g = self._settings["guardrail"] or {"rate": 0.01, "harm": 0.001, "name": "guardrail events",
                                            "cost_per_event": None}
        self.guardrail_rate = w.FloatText(value=1000 * g["rate"], description=f"{g['name']} per 1,000 {case}s today",
                                          style=style)
        self.harm = w.FloatText(value=1000 * g["harm"], description="harmful rise (per 1,000)", style=style)
        self.summary = w.HTML()
        self.errors = w.HTML()
        self.image = w.Image(format="png", layout=w.Layout(width="100%", height="auto"))
        for control in (self.traffic, self.minimum_effect, self.alpha, self.power, self.stages,
                        self.guardrail_rate, self.harm):
            control.observe(self._on_change, names="value")
        controls = w.VBox([self.traffic, self.minimum_effect, w.HBox([self.alpha, self.power]), self.stages,
                           self.guardrail_rate, self.harm])
        self.widget = w.VBox([controls, self.errors, self.summary, self.image])
        self.widget.add_class("aipm-rollout-planner")
        self._refresh()

    def _repr_mimebundle_(self, **kwargs):
        return with_text(self.widget, TEXT_FORM, **kwargs)

    def _on_change(self, _change=None):
        case = self.result.case
        try:
            if not self.traffic.value > 0:
                raise ValueError(MSG_TRAFFIC_TEXT.format(case, self.traffic.value))
            if self.minimum_effect.value == 0:
                raise ValueError(MSG_EFFECT_TEXT.format(self._effect_unit, self.minimum_effect.value))
            settings = dict(self._settings)
            settings.update(traffic_per_day=self.traffic.value,
                            minimum_effect=self.minimum_effect.value / self._effect_scale,
                            alpha=self.alpha.value, power=self.power.value, stages=_parse_stages(self.stages.value))
            if settings["guardrail"] is not None:
                name, rate, harm = settings["guardrail"]["name"], self.guardrail_rate.value, self.harm.value
                if not 0 < rate < 1000:
                    raise ValueError(MSG_GUARDRAIL_TEXT.format(name, case, rate))
                if not (harm > 0 and rate + harm < 1000):
                    raise ValueError(MSG_HARM_TEXT.format(name, case, rate, harm))
                settings["guardrail"] = dict(settings["guardrail"], rate=rate / 1000, harm=harm / 1000)
            result = plan_launch(self.scenario, **settings)
        except ValueError as exc:
            self.errors.value = f'<span style="color:#D55E00">{html.escape(str(exc).splitlines()[0])}</span>'
            return
        self.errors.value = ""
        self._settings, self.result = settings, result
        self._refresh()

    def summary_text(self):
        """The plan's key numbers in one paragraph (plain text)."""
        t, r, case = self.result.test, self.result.rollout, self.result.case
        text = (f"A/B test: {fmt_count(t.cases_control)} {case}s on each side, {fmt_count(t.days)} days "
                f"({t.label_delay_days:g} of them waiting for outcomes); {t.always_valid_days:,} days if you "
                f"want to look every day.")
        if r is not None:
            text += f" Rollout: full launch on day {r.total_days:,}"
            if r.cost_per_event is not None:
                text += f", {fmt_money(-r.value_at_risk, self.scenario.currency)} at risk if it is harmful"
            text += "."
        return text

    def _refresh(self):
        self.summary.value = f"<p>{html.escape(self.summary_text())}</p>"
        if self.render:
            self.image.value = self._png()

    def _png(self):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        from ..plotting import PowerDisplay, RolloutDisplay

        has_rollout = self.result.rollout is not None
        fig = Figure(figsize=(12, 4.2) if has_rollout else (6.5, 4.2), dpi=80, layout="constrained")
        FigureCanvasAgg(fig)
        axes = fig.subplots(1, 2 if has_rollout else 1)
        axes = list(axes) if has_rollout else [axes]
        PowerDisplay.from_plan(self.result.test, ax=axes[0], case=self.scenario.words.case)
        if has_rollout:
            RolloutDisplay.from_rollout(self.result.rollout, ax=axes[1])
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", facecolor="white")
        return buffer.getvalue()


def _choices(options, own):
    """Dropdown options ``(label in percent, value)``: the usual levels and the scenario's own ("5%", "2.5%")."""
    return [(fmt_level(x), x) for x in sorted(set(options) | {own})]


def _parse_stages(text):
    try:
        values = [float(part) / 100 for part in str(text).replace(";", ",").split(",") if part.strip()]
    except ValueError:
        raise ValueError(MSG_STAGES_TEXT.format(text)) from None
    if not values:
        raise ValueError(MSG_STAGES_TEXT.format(text))
    ok = (values[-1] == 1.0 and all(0 < v <= 1 for v in values) and all(a < b for a, b in zip(values, values[1:])))
    if not ok:  # said here in percent, as typed: core's message speaks of shares in (0, 1]
        raise ValueError(MSG_STAGES_ORDER_TEXT.format(text))
    return tuple(values)
