"""The explorer's page: the slider rows, the readout, the settings tabs (money per outcome, constraints,
model) and the grid of pictures, in one VBox."""

from __future__ import annotations

import html

from ...core import CONSTRAINTS


class LayoutMixin:
    """Puts the controls, readout and pictures on one page (part of ThresholdExplorer)."""

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
