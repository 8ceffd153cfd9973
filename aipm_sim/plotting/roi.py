"""Pictures of the rule-versus-model comparison and of model variants.

Display objects built from core results (:class:`~aipm_sim.RuleComparison`,
:class:`~aipm_sim.VariantComparison`); nothing is recomputed here.
"""

from __future__ import annotations

import numpy as np

from ._base import fmt_compact_money, get_axes
from .sensitivity import HIGH_COLOR, LOW_COLOR

MODEL_COLOR = "#009E73"  # bluish green
RULE_COLOR = LOW_COLOR
OUT_COLOR = "#999999"


class RuleComparisonDisplay:
    """Value per month of the model and of the rule, as each is dialled up.

    Threshold scenarios: value against the share of cases flagged, one line
    per option, a dot at each best decision, a dashed line for acting on
    nothing. Rankings: the best value for each k.

    Parameters
    ----------
    model_x, model_value, rule_x, rule_value : array-like
        The two value curves.
    model_best, rule_best : (float, float)
        (x, value) of each best decision.
    nothing_value : float
    rule : str
        The rule in words (legend).
    x_label : str
    x_max : float, optional
        Right end of the x axis (the y axis fits what is visible). None: everything.
    currency : str
    period : str, optional
        The period the values are per (``"month"``); None: "per period".
    """

    def __init__(self, *, model_x, model_value, rule_x, rule_value, model_best, rule_best, nothing_value, rule,
                 x_label, x_max=None, currency="", period=None):
        self.model_x = np.asarray(model_x, dtype=float)
        self.model_value = np.asarray(model_value, dtype=float)
        self.rule_x = np.asarray(rule_x, dtype=float)
        self.rule_value = np.asarray(rule_value, dtype=float)
        self.model_best = tuple(float(v) for v in model_best)
        self.rule_best = tuple(float(v) for v in rule_best)
        self.nothing_value = float(nothing_value)
        self.rule = rule
        self.x_label = x_label
        self.x_max = None if x_max is None else float(x_max)
        self.currency = currency
        self.period = period

    @classmethod
    def from_comparison(cls, comparison, *, currency=None, x_max="auto", ax=None):
        """Draw a :class:`~aipm_sim.RuleComparison` (from ``Scenario.compare_rule()``).

        ``currency`` defaults to the model decision's (a scenario's), the
        period too. ``x_max="auto"`` (threshold scenarios) zooms on alert
        rates up to three times the larger of the two best ones (at least
        1 %); None shows every alert rate.
        """
        m, r = comparison.model_decision, comparison.rule_decision
        if currency is None:
            currency = getattr(m, "currency", None) or ""
        if hasattr(m, "by_k"):
            kw = dict(
                model_x=m.by_k["k"], model_value=m.by_k["value"], rule_x=r.by_k["k"], rule_value=r.by_k["value"],
                model_best=(m.k, m.value), rule_best=(r.k, r.value), x_label="items shown per visit (k)",
            )
        else:
            kw = dict(
                model_x=m.curve.alert_rate, model_value=m.values, rule_x=r.curve.alert_rate, rule_value=r.values,
                model_best=(m.point.alert_rate, m.value), rule_best=(r.point.alert_rate, r.value),
                x_label="share of cases flagged (alert rate)",
            )
            if x_max == "auto":
                x_max = min(1.0, max(0.01, 3 * max(m.point.alert_rate, r.point.alert_rate)))
        if x_max == "auto":
            x_max = None
        return cls(x_max=x_max, nothing_value=comparison.nothing_value, rule=comparison.rule, currency=currency,
                   period=getattr(m, "period", None), **kw).plot(ax=ax)

    def plot(self, ax=None):
        """Draw; returns ``self`` with ``ax_``, ``figure_``, ``model_line_``, ``rule_line_``, ``nothing_line_``."""
        ax = get_axes(ax, f"{type(self).__name__}.plot")
        (self.model_line_,) = ax.plot(self.model_x, self.model_value, color=MODEL_COLOR, label="model")
        (self.rule_line_,) = ax.plot(self.rule_x, self.rule_value, color=RULE_COLOR, label=f"rule: {self.rule}")
        nothing = fmt_compact_money(self.nothing_value, self.currency)
        self.nothing_line_ = ax.axhline(self.nothing_value, color=OUT_COLOR, linestyle="--",
                                        label=f"act on nothing ({nothing})")
        self.best_points_ = ax.scatter([self.model_best[0], self.rule_best[0]], [self.model_best[1], self.rule_best[1]],
                                       color=[MODEL_COLOR, RULE_COLOR], zorder=3)
        ax.annotate(f"model best {fmt_compact_money(self.model_best[1], self.currency)}", self.model_best,
                    xytext=(6, 6), textcoords="offset points", fontsize=8)
        ax.annotate(f"rule best {fmt_compact_money(self.rule_best[1], self.currency)}", self.rule_best,
                    xytext=(6, -12), textcoords="offset points", fontsize=8)
        if self.x_max is not None:
            seen = np.concatenate([self.model_value[self.model_x <= self.x_max],
                                   self.rule_value[self.rule_x <= self.x_max], [self.nothing_value]])
            seen = seen[np.isfinite(seen)]
            pad = 0.05 * max(float(seen.max() - seen.min()), 1e-9)
            ax.set_xlim(0, self.x_max)
            ax.set_ylim(float(seen.min()) - pad, float(seen.max()) + 3 * pad)
        ax.set_xlabel(self.x_label)
        ax.set_ylabel(f"value per {self.period or 'period'}{' (' + self.currency + ')' if self.currency else ''}")
        ax.set_title("Model or simple rule?")
        ax.legend(fontsize=8)
        self.ax_ = ax
        self.figure_ = ax.figure
        return self


class VariantsDisplay:
    """Net value per month of each model variant; variants over the latency budget are greyed out.

    Parameters
    ----------
    names : list of str
    net_value : array-like
        Net value per month of each variant (after inference and running costs).
    within_budget : array-like of bool
    p95_latency_ms : array-like
    latency_budget_ms : float
    best : str or None
    currency : str
    """

    def __init__(self, *, names, net_value, within_budget, p95_latency_ms, latency_budget_ms, best, currency=""):
        self.names = list(names)
        self.net_value = np.asarray(net_value, dtype=float)
        self.within_budget = np.asarray(within_budget, dtype=bool)
        self.p95_latency_ms = np.asarray(p95_latency_ms, dtype=float)
        self.latency_budget_ms = float(latency_budget_ms)
        self.best = best
        self.currency = currency

    @classmethod
    def from_comparison(cls, comparison, *, currency=None, ax=None):
        """Draw a :class:`~aipm_sim.VariantComparison` (from ``Scenario.compare_variants()``).

        ``currency`` defaults to the decisions' (``comparison.currency``).
        """
        t = comparison.table
        if currency is None:
            currency = comparison.currency or ""
        return cls(names=t["variant"], net_value=t["net_value_per_month"], within_budget=t["within_latency_budget"],
                   p95_latency_ms=t["p95_latency_ms"], latency_budget_ms=comparison.latency_budget_ms,
                   best=comparison.best, currency=currency).plot(ax=ax)

    def labels(self):
        """Bar labels: name and p95 latency, with "(over budget)" where it applies."""
        return [f"{n}\n{lat:g} ms{'' if ok else ' (over budget)'}"
                for n, lat, ok in zip(self.names, self.p95_latency_ms, self.within_budget)]

    def plot(self, ax=None):
        """Draw; returns ``self`` with ``ax_``, ``figure_``, ``bars_``."""
        ax = get_axes(ax, f"{type(self).__name__}.plot")
        colors = [HIGH_COLOR if n == self.best else (MODEL_COLOR if ok else OUT_COLOR)
                  for n, ok in zip(self.names, self.within_budget)]
        x = np.arange(len(self.names))
        self.bars_ = ax.bar(x, self.net_value, color=colors)
        for i, v in enumerate(self.net_value):
            ax.annotate(fmt_compact_money(v, self.currency), (x[i], v), xytext=(0, 3 if v >= 0 else -10),
                        textcoords="offset points", ha="center", fontsize=8)
        ax.axhline(0, color="black", linewidth=0.8)
        ax.set_xticks(x, self.labels())
        budget = "no latency budget" if np.isinf(self.latency_budget_ms) else \
            f"latency budget {self.latency_budget_ms:g} ms (p95)"
        ax.set_ylabel(f"net value per month{' (' + self.currency + ')' if self.currency else ''}")
        best = f"best within budget: {self.best}" if self.best else "no variant meets the budget"
        ax.set_title(f"Model variants — {budget}; {best}")
        self.ax_ = ax
        self.figure_ = ax.figure
        return self
