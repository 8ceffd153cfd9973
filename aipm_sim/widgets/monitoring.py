"""The monitoring dashboard: move the drift plan's sliders, watch the policies' money change.

    import aipm_sim as am
    from aipm_sim.widgets import MonitoringDashboard
    dashboard = MonitoringDashboard.from_scenario(am.load_scenario("fraud_detection"))
    dashboard              # the app
    dashboard.result       # the latest simulation and policy comparison, without a browser

Each control changes the frozen :class:`~aipm_sim.DriftPlan` (``dataclasses.replace``)
or a cost; core simulates the periods again (:func:`~aipm_sim.simulate_production`)
and prices the policies (:func:`~aipm_sim.compare_policies`); plotting draws
the realized and label-free precision and each policy's money.
"""

from __future__ import annotations

import dataclasses
import html
from dataclasses import dataclass

from ..core.engine.binormal import BinormalModel
from ..core.engine.value import ValueModel
from ..core.monitoring import DEFAULT_POLICIES, DriftPlan, compare_policies, simulate_production
from ._text_form import with_text

#: What the app says where widgets do not render (a saved notebook as HTML, a terminal).
TEXT_FORM = ("The after-launch dashboard: move the forecast and the policies are priced again "
             "(it runs live in JupyterLab or Voilà).")

FIGSIZE = (11.0, 3.8)
DPI = 90


#: Column headings of the dashboard's policy table (the report's words).
TABLE_HEADINGS = ("Policy", "Net value", "Compared with doing nothing", "Retrains", "Alerts")


def policy_table_html(comparison):
    """The policy table as HTML in the reader's words: money with its currency, one format (``fmt_money``)."""
    from ..plotting._base import fmt_money

    cur = comparison.currency
    head = "".join(f"<th>{html.escape(h)}</th>" for h in TABLE_HEADINGS)
    rows = []
    for _, row in comparison.table.iterrows():
        versus = ("(the baseline)" if row["policy"] == "Do nothing"
                  else "no difference" if row["versus doing nothing"] == 0
                  else fmt_money(row["versus doing nothing"], cur))
        cells = (html.escape(str(row["policy"])), fmt_money(row["net value"], cur), versus,
                 f"{int(row['retrains'])}", f"{int(row['alerts raised'])}")
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return f'<table class="dataframe"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class DashboardResult:
    """The dashboard's latest state.

    Attributes
    ----------
    drift_plan : DriftPlan
    label_delay : int
    retrain_cost, recalibrate_cost : float
    production : Production
    comparison : PolicyComparison
    """

    drift_plan: DriftPlan
    label_delay: int
    retrain_cost: float
    recalibrate_cost: float
    production: object
    comparison: object


class MonitoringDashboard:
    """Sliders for the drift plan (prevalence change, AUC decay, label delay, retrain cost) over a policy table.

    Parameters
    ----------
    model : BinormalModel
        The world at launch.
    value_model : ValueModel
    threshold : float, optional
        The launch threshold (default: the value model's best).
    periods, cases_per_period : int
        Simulated periods and cases in each.
    drift_plan : DriftPlan, optional
        Starting plan (default: the prevalence doubles at period 12).
    label_delay : int
    retrain_cost, recalibrate_cost : float
        Currency per retrain and per period of re-thresholding.
    volume : float, optional
        Real cases per period (values are scaled to it).
    currency, period : str
    policies : sequence
        As for :func:`~aipm_sim.compare_policies`.
    seed : int
    render : bool
        Draw the charts (False: compute only, e.g. in tests).

    Attributes
    ----------
    prevalence_factor, auc_decay, label_delay, retrain_cost : ipywidgets controls
    table, verdict : ipywidgets.HTML
    result : DashboardResult
    widget : ipywidgets.VBox
    """

    def __init__(self, model, value_model, *, threshold=None, periods=26, cases_per_period=20_000, drift_plan=None,
                 label_delay=4, retrain_cost=15_000.0, recalibrate_cost=200.0, volume=None, currency="",
                 period="period", policies=DEFAULT_POLICIES, seed=1, render=True):
        import ipywidgets as widgets

        if not isinstance(model, BinormalModel):
            raise TypeError(f"model must be a BinormalModel; found {type(model).__name__}")
        if not isinstance(value_model, ValueModel):
            raise TypeError(f"value_model must be a ValueModel; found {type(value_model).__name__}")
        self.model, self.value_model, self.threshold = model, value_model, threshold
        self.periods, self.cases_per_period = periods, cases_per_period
        self.recalibrate_cost, self.volume = float(recalibrate_cost), volume
        self.currency, self.period, self.policies, self.seed = currency, period, tuple(policies), seed
        self.render = render
        self._plan = drift_plan or DriftPlan(prevalence_shape="sudden", prevalence_factor=2.0,
                                             change_period=min(12, periods - 1))
        style = {"description_width": "initial"}
        self.prevalence_factor = widgets.FloatSlider(
            value=self._plan.prevalence_factor, min=0.25, max=4.0, step=0.25, description="share of positives ×",
            continuous_update=False, style=style)
        self.auc_decay = widgets.FloatSlider(
            value=self._plan.auc_decay_per_period, min=0.0, max=0.02, step=0.001, readout_format=".3f",
            description=f"AUC lost per {period}", continuous_update=False, style=style)
        self.label_delay = widgets.IntSlider(value=label_delay, min=0, max=max(periods - 2, 0),
                                             description=f"outcomes arrive after ({period}s)",
                                             continuous_update=False, style=style)
        self.retrain_cost = widgets.FloatText(value=float(retrain_cost), description=f"cost of a retrain ({currency})".replace(" ()", ""),
                                              style=style)
        for control in (self.prevalence_factor, self.auc_decay, self.label_delay, self.retrain_cost):
            control.observe(lambda change: self.update(), names="value")
        self.verdict = widgets.HTML()
        self.table = widgets.HTML()
        self._figure = None
        children = [widgets.HBox([self.prevalence_factor, self.auc_decay]),
                    widgets.HBox([self.label_delay, self.retrain_cost]), self.verdict]
        if render:
            from ._canvas import FigureImage

            self._figure = FigureImage(figsize=FIGSIZE, dpi=DPI, name="monitoring", margins=(0.9, 0.2, 0.6, 0.3))
            children.append(self._figure.image)
        children.append(self.table)
        self.widget = widgets.VBox(children)
        self.widget.add_class("aipm-monitoring-dashboard")
        self.result = None
        self.update()

    @classmethod
    def from_scenario(cls, scenario, **kwargs):
        """A dashboard on a scenario with a ``[monitoring]`` table (its plan, costs, period and volume)."""
        from ..core.monitoring.plan import MSG_NO_MONITORING
        from ..core.errors import ParameterError

        m = scenario.monitoring
        if m is None:
            raise ParameterError(MSG_NO_MONITORING.format(scenario.name))

        def number(key, default=0.0):
            return scenario.evaluate(f"monitoring.{key}") if key in m else default

        plan = DriftPlan(prevalence_shape=m.get("prevalence_shape", "constant"),
                         prevalence_factor=number("prevalence_factor", 1.0), change_period=m.get("change_period", 13),
                         season_length=m.get("season_length", 26), auc_decay_per_period=number("auc_decay_per_period"),
                         score_shift_per_period=number("score_shift_per_period"),
                         amount_inflation_per_period=number("amount_inflation_per_period"))
        options = dict(threshold=float(scenario.optimize().threshold), periods=m["periods"],
                       cases_per_period=m.get("cases_per_period", 20_000), drift_plan=plan,
                       label_delay=m["label_delay"], retrain_cost=number("retrain_cost"),
                       recalibrate_cost=number("recalibrate_cost"), volume=number("volume"),
                       currency=scenario.currency, period=m["period"], seed=m.get("seed", 1))
        options.update(kwargs)
        return cls(scenario.score_model(), scenario.value_model(), **options)

    def update(self):
        """Simulate and price again with the controls' values; redraw."""
        plan = dataclasses.replace(self._plan, prevalence_factor=float(self.prevalence_factor.value),
                                   auc_decay_per_period=float(self.auc_decay.value))
        delay = int(self.label_delay.value)
        cost = max(float(self.retrain_cost.value), 0.0)
        production = simulate_production(self.model, periods=self.periods, cases_per_period=self.cases_per_period,
                                         drift=plan, label_delay=delay, threshold=self.threshold,
                                         value_model=self.value_model, seed=self.seed)
        comparison = compare_policies(production, self.value_model, policies=self.policies, retrain_cost=cost,
                                      recalibrate_cost=self.recalibrate_cost, volume=self.volume,
                                      currency=self.currency, period=self.period)
        self.result = DashboardResult(drift_plan=plan, label_delay=delay, retrain_cost=cost,
                                      recalibrate_cost=self.recalibrate_cost, production=production,
                                      comparison=comparison)
        self.verdict.value = f"<b>{html.escape(comparison.verdict)}</b>"
        self.table.value = policy_table_html(comparison)
        if self._figure is not None:
            self._draw()

    def _draw(self):
        from ..plotting import MonitoringDisplay, PolicyDisplay

        fig = self._figure.figure
        fig.clear()
        fig.subplots_adjust(wspace=0.35, left=0.08, right=0.98, bottom=0.16, top=0.95)
        left, right = fig.subplots(1, 2)
        MonitoringDisplay.from_production(self.result.production, metric="precision", period=self.period, ax=left)
        PolicyDisplay.from_comparison(self.result.comparison, ax=right)
        self._figure.draw()
        self._figure.publish()

    def _repr_mimebundle_(self, **kwargs):
        return with_text(self.widget, TEXT_FORM, **kwargs)

    def __repr__(self):
        return f"MonitoringDashboard({self.result.comparison.verdict})"
