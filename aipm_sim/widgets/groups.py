"""GroupExplorer: a threshold per group, a fairness rule and its tolerance; "optimise" finds the best fair thresholds."""

from __future__ import annotations

import html
import math
import types
from dataclasses import dataclass

import pandas as pd

from ..core import fairness_frontier, group_metrics, optimize_groups
from ..core.groups.metrics import group_curves
from ..core.groups.optimize import FAIRNESS_RULES, RULE_WORDS
from ..plotting._base import fmt_count, fmt_fraction, fmt_money
from ..plotting.groups import FairnessFrontierDisplay, GroupMetricsDisplay
from ._canvas import FigureImage
from ._text_form import with_text

#: What the app says where widgets do not render (a saved notebook as HTML, a terminal).
TEXT_FORM = ("The groups explorer: choose a fairness rule and a tolerance, then optimise "
             "(it runs live in JupyterLab or Voilà).")

NO_RULE = "no fairness rule"
COLUMN_WORDS = {"n_cases": "cases", "positives": "positives", "alerts": "alerts", "precision": "precision",
                "recall": "recall", "fpr": "false alarm rate", "alert_rate": "alert rate"}
FRONTIER_TOLERANCES = (0.0, 0.01, 0.02, 0.05, 0.1)
#: A threshold box at or above this reads "flag nothing" (JSON, and so a widget, has no infinity).
FLAG_NOTHING = 1e9


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class GroupExplorerResult:
    """The explorer's current state.

    Attributes
    ----------
    thresholds : mapping of group to float
        The thresholds in the controls; read-only.
    by_group : pandas.DataFrame
        :func:`aipm_sim.group_metrics` at those thresholds (with ``value``).
    value : float
        Total value at those thresholds.
    fairness : str or None
    tolerance : float
    decision : GroupDecision or None
        The last "optimise" result, None until then or after a threshold was edited by hand.
    message : str or None
        Words shown when the optimisation could not run (e.g. a rule the constraints make impossible).
    """

    thresholds: types.MappingProxyType
    by_group: pd.DataFrame
    value: float
    fairness: str | None
    tolerance: float
    decision: object = None
    message: str | None = None


class GroupExplorer:
    """An app: per-group thresholds, a fairness rule, a tolerance and an "optimise" button.

    Parameters
    ----------
    score_set : ScoreSet
        Scored cases with groups.
    value_model : ValueModel
    volume : float, optional
        Cases per period (all groups); values are then per period.
    period, currency : str, optional
        Words for the money ("month", "EUR").
    render : bool
        False: no figures (for tests and scripts; ``.result`` is still computed).
    **constraints
        Global constraints as in :func:`aipm_sim.optimize_groups`.

    Attributes
    ----------
    result : GroupExplorerResult
    threshold_inputs : dict of group to ipywidgets.FloatText
    rule, tolerance, optimise_button, table, price
        The controls and outputs (ipywidgets).
    """

    def __init__(self, score_set, value_model, *, volume=None, period=None, currency=None, render=True,
                 **constraints):
        import ipywidgets as widgets

        self.score_set, self.value_model = score_set, value_model
        self.volume, self.period, self.currency = volume, period, currency
        self.constraints = constraints
        self.render = render
        names, _ = group_curves(score_set)
        self.names = names
        try:
            start = optimize_groups(score_set, value_model, volume=volume, **constraints)
            message, first = None, dict(start.thresholds)
        except ValueError as exc:  # constraints that cannot hold: start by flagging nothing, and say why
            start, message, first = None, str(exc), {g: math.inf for g in names}
        self.threshold_inputs = {
            g: widgets.FloatText(value=_finite(first[g]), description=str(g), step=0.01,
                                 layout=widgets.Layout(width="220px"))
            for g in names
        }
        self.rule = widgets.Dropdown(options=[(NO_RULE, None)] + [(RULE_WORDS[r], r) for r in FAIRNESS_RULES],
                                     value=None, description="rule", layout=widgets.Layout(width="420px"))
        self.tolerance = widgets.FloatSlider(value=0.02, min=0.0, max=0.2, step=0.005, description="allowed gap",
                                             readout_format=".1%",  # the largest gap between two groups' rates
                                             style={"description_width": "initial"})
        self.optimise_button = widgets.Button(description="optimise", button_style="primary")
        self.table = widgets.HTML()
        self.price = widgets.HTML()
        self._decision = start
        self._message = message
        self._syncing = False
        for w in self.threshold_inputs.values():
            w.observe(self._on_threshold, names="value")
        self.rule.observe(self._on_rule, names="value")
        self.tolerance.observe(self._on_rule, names="value")
        self.optimise_button.on_click(lambda _b: self.optimise())
        self.figures = {}
        if render:
            self.figures = {"groups": FigureImage(figsize=(7.5, 4.2), dpi=90, name="groups",
                                                  margins=(0.7, 0.15, 0.9, 0.6)),
                            "frontier": FigureImage(figsize=(7.0, 4.0), dpi=90, name="frontier",
                                                    margins=(0.9, 0.15, 0.6, 0.4))}
            self._frontier_ax = self.figures["frontier"].figure.add_subplot()
            self._groups_ax = self.figures["groups"].figure.add_subplot()
            self._draw_frontier()
        self._update()
        self.widget = widgets.VBox([
            widgets.HBox([self.rule, self.tolerance, self.optimise_button]),
            widgets.HBox(list(self.threshold_inputs.values()), layout=widgets.Layout(flex_flow="row wrap")),
            self.price, self.table,
            *(f.image for f in self.figures.values()),
        ])

    def _repr_mimebundle_(self, **kwargs):
        return with_text(self.widget, TEXT_FORM, **kwargs)

    # -- events -----------------------------------------------------------------
    def _on_threshold(self, _change):
        if not self._syncing:
            self._decision = None
            self._message = None
            self._update()

    def _on_rule(self, _change):
        self._decision = None
        self._message = None
        self._update()

    def optimise(self):
        """Find the best thresholds under the chosen rule and tolerance; put them in the controls."""
        try:
            d = optimize_groups(self.score_set, self.value_model, fairness=self.rule.value,
                                tolerance=self.tolerance.value, volume=self.volume, **self.constraints)
        except ValueError as exc:
            self._decision, self._message = None, str(exc)
            self._update()
            return self.result
        self._syncing = True
        try:
            for g, w in self.threshold_inputs.items():
                w.value = _finite(d.thresholds[g])
        finally:
            self._syncing = False
        self._decision, self._message = d, d.note
        self._update()
        return self.result

    # -- state and drawing ---------------------------------------------------------
    def _thresholds(self):
        if self._decision is not None:
            return dict(self._decision.thresholds)
        return {g: math.inf if w.value >= FLAG_NOTHING else float(w.value) for g, w in self.threshold_inputs.items()}

    def _update(self):
        ts = self._thresholds()
        table = group_metrics(self.score_set, ts, value_model=self.value_model, volume=self.volume)
        value = float(table["value"].sum())
        self.result = GroupExplorerResult(
            thresholds=types.MappingProxyType(ts), by_group=table, value=value, fairness=self.rule.value,
            tolerance=float(self.tolerance.value), decision=self._decision, message=self._message)
        self.table.value = self._table_html(table)
        self.price.value = self._price_html()
        if self.render:
            GroupMetricsDisplay(table=table, fairness=self.rule.value, tolerance=self.tolerance.value).plot(
                ax=self._groups_ax)
            self._publish("groups")

    def _publish(self, name):
        fig = self.figures[name]
        fig.draw(full=True)
        fig.publish()

    def _draw_frontier(self):
        frontier = fairness_frontier(self.score_set, self.value_model, tolerances=FRONTIER_TOLERANCES,
                                     volume=self.volume, **self.constraints)
        self.frontier_ = frontier
        FairnessFrontierDisplay(frontier=frontier, volume=self.volume, period=self.period,
                                currency=self.currency).plot(ax=self._frontier_ax)
        self._publish("frontier")

    def _money(self, x):
        per = f" per {self.period}" if self.volume is not None and self.period else ""
        return f"{fmt_money(x, self.currency or '')}{per}"

    def _price_html(self):
        r = self.result
        parts = [f"<b>value at these thresholds: {html.escape(self._money(r.value))}</b>"]
        d = r.decision
        if d is not None:
            parts.append(f"best without a fairness rule: {html.escape(self._money(d.unconstrained_value))}")
            if d.fairness is not None:
                parts.append(f"price of fairness: {html.escape(self._money(d.price_of_fairness))}")
            if d.single_threshold is not None:
                parts.append(f"one threshold for everyone: {html.escape(self._money(d.single_threshold_value))}")
        if r.message:
            parts.append(f"<i>{html.escape(r.message)}</i>")
        return "<br>".join(parts)

    def _table_html(self, table):
        value_head = "value" + (f" ({self.currency}" + (f" per {self.period}" if self.period and self.volume else "")
                                + ")" if self.currency else "")
        heads = ["group", "threshold", *COLUMN_WORDS.values(), value_head]
        rows = []
        for g in table.index:
            t = self.result.thresholds[g]
            cells = [str(g), "flag nothing" if t == math.inf else f"{t:.4g}"]
            for col in COLUMN_WORDS:
                x = float(table.loc[g, col])
                cells.append(fmt_count(x) if col in ("n_cases", "positives", "alerts") else fmt_fraction(x))
            cells.append(fmt_money(float(table.loc[g, "value"])))
            rows.append("".join(f"<td>{html.escape(c)}</td>" for c in cells))
        head = "".join(f"<th>{html.escape(h)}</th>" for h in heads)
        return f"<table><tr>{head}</tr>" + "".join(f"<tr>{r}</tr>" for r in rows) + "</table>"


def _finite(t):
    """A threshold for a number box: +inf (flag nothing) becomes a large number that flags nothing too."""
    return FLAG_NOTHING if t == math.inf else float(t)

