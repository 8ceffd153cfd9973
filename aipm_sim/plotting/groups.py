"""Groups side by side: rates by group at the chosen thresholds, and the price of fairness as a curve."""

from __future__ import annotations

import math

import numpy as np

from ..core.groups.optimize import RULE_WORDS
from ._base import LEGEND_STYLE, compact_money, fmt_fraction, get_axes, money_label, percent_tick, words_of

#: The rates in words, in drawing order.
RATE_WORDS = {
    "alert_rate": "alert rate\n(share flagged)",
    "recall": "recall\n(positives caught)",
    "precision": "precision\n(alerts that are right)",
    "fpr": "false alarm rate\n(negatives flagged)",
}


def rate_words(vocabulary=None):
    """:data:`RATE_WORDS` in a decision's words (``vocabulary``: a Vocabulary, mapping or None)."""
    v = words_of(vocabulary)
    return {"alert_rate": f"{v.alert_rate}\n(share {v.flagged})", "recall": f"recall\n({v.positives} {v.flagged})",
            "precision": f"precision\n({v.alerts} that are right)",
            "fpr": f"false alarm rate\n({v.negatives} {v.flagged})"}


#: The rates each rule compares (drawn with the tolerance band).
RULE_RATES = {"demographic_parity": ("alert_rate",), "equal_opportunity": ("recall",),
              "equalized_odds": ("recall", "fpr"), "predictive_parity": ("precision",)}
# Okabe–Ito, one colour per group (cycled beyond eight groups).
GROUP_COLORS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442", "#000000")
RULE_STYLES = {"demographic_parity": "-", "equal_opportunity": "--", "equalized_odds": ":", "predictive_parity": "-."}


class GroupMetricsDisplay:
    """Each group's rates at its threshold, as bars side by side, with the fairness rule's tolerance band.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`aipm_sim.group_metrics`'s table (indexed by group).
    rates : sequence of str
        Columns to draw (default: alert rate, recall, precision, false alarm rate).
    fairness : str, optional
        The rule: its rates get a grey band from the lowest group's rate to
        that plus ``tolerance`` (every group's bar must end inside it).
    tolerance : float, optional
    vocabulary : Vocabulary or mapping, optional
        The decision's words for the rates (``scenario.words``); None: alerts, positives.

    Attributes
    ----------
    ax_, figure_, bars_ (group → BarContainer), bands_ (rate → Rectangle), labels_ (x tick words)
    """

    def __init__(self, *, table, rates=tuple(RATE_WORDS), fairness=None, tolerance=None, vocabulary=None):
        self.table = table
        self.vocabulary = vocabulary
        self.rates = tuple(rates)
        self.fairness = fairness
        self.tolerance = tolerance
        self.ax_ = None

    @classmethod
    def from_decision(cls, decision, *, ax=None, **kwargs):
        """From a :class:`aipm_sim.GroupDecision`: its by-group table, rule and tolerance."""
        return cls(table=decision.by_group, fairness=decision.fairness, tolerance=decision.tolerance,
                   **kwargs).plot(ax=ax)

    @classmethod
    def from_score_set(cls, score_set, thresholds, *, fairness=None, tolerance=None, ax=None, **kwargs):
        """From scored data and thresholds, through :func:`aipm_sim.group_metrics`."""
        from ..core import group_metrics

        return cls(table=group_metrics(score_set, thresholds), fairness=fairness, tolerance=tolerance,
                   **kwargs).plot(ax=ax)

    def plot(self, ax=None):
        ax = get_axes(ax, "GroupMetricsDisplay", figsize=(7.5, 4.2))
        ax.clear()
        groups = list(self.table.index)
        x = np.arange(len(self.rates))
        width = 0.8 / max(len(groups), 1)
        self.bars_ = {}
        for k, g in enumerate(groups):
            heights = [float(self.table.loc[g, r]) for r in self.rates]
            drawn = [0.0 if math.isnan(h) else h for h in heights]
            bars = ax.bar(x - 0.4 + width * (k + 0.5), drawn, width * 0.9, label=str(g),
                          color=GROUP_COLORS[k % len(GROUP_COLORS)])
            for rect, h in zip(bars, heights):
                ax.annotate(fmt_fraction(h) if not math.isnan(h) else "n/a", (rect.get_x() + rect.get_width() / 2,
                            rect.get_height()), ha="center", va="bottom", fontsize=8)
            self.bars_[g] = bars
        self.bands_ = {}
        if self.fairness is not None and self.tolerance is not None:
            for j, rate in enumerate(self.rates):
                if rate not in RULE_RATES.get(self.fairness, ()):
                    continue
                vals = self.table[rate].to_numpy(dtype=float)
                vals = vals[~np.isnan(vals)]
                if vals.size == 0:
                    continue
                low = float(vals.min())
                self.bands_[rate] = ax.add_patch(_band(x[j] - 0.45, low, 0.9, min(self.tolerance, 1.0 - low)))
        words = rate_words(self.vocabulary)
        self.labels_ = [words.get(r, r) for r in self.rates]
        ax.set_xticks(x, self.labels_)
        ax.set_ylim(0, 1.1)
        ax.set_ylabel("share of the group")
        ax.yaxis.set_major_formatter(percent_tick)
        title = "Rates by group at the chosen thresholds"
        if self.fairness is not None:
            title += f"\nrule: {RULE_WORDS[self.fairness]}, within {100 * (self.tolerance or 0):.3g} points"
        ax.set_title(title, fontsize="medium")
        handles, labels = ax.get_legend_handles_labels()
        ax.legend(handles, labels, title="group", **LEGEND_STYLE)
        self.ax_, self.figure_ = ax, ax.figure
        return self


def _band(x, low, width, height):
    from matplotlib.patches import Rectangle

    return Rectangle((x, low), width, max(height, 0.004), facecolor="#999999", alpha=0.3, edgecolor="#555555",
                     linestyle=":", label="allowed by the rule")


class FairnessFrontierDisplay:
    """The price of fairness as a curve: the best value under each rule against its tolerance.

    Parameters
    ----------
    frontier : pandas.DataFrame
        :func:`aipm_sim.fairness_frontier`'s table (``rule``, ``tolerance``, ``value``, ...).
    volume, period, currency : optional
        For the money axis's words.

    Attributes
    ----------
    ax_, figure_, lines_ (rule → Line2D), unconstrained_line_, single_line_
    """

    def __init__(self, *, frontier, volume=None, period=None, currency=None):
        self.frontier = frontier
        self.volume, self.period, self.currency = volume, period, currency
        self.ax_ = None

    @classmethod
    def from_score_set(cls, score_set, value_model, *, tolerances=(0.0, 0.01, 0.02, 0.05, 0.1, 0.2), rules=None,
                       volume=None, period=None, currency=None, ax=None, **constraints):
        """Solve every rule at every tolerance (:func:`aipm_sim.fairness_frontier`) and draw."""
        from ..core import fairness_frontier

        frontier = fairness_frontier(score_set, value_model, tolerances=tolerances, rules=rules, volume=volume,
                                     **constraints)
        return cls(frontier=frontier, volume=volume, period=period, currency=currency).plot(ax=ax)

    def plot(self, ax=None):
        ax = get_axes(ax, "FairnessFrontierDisplay", figsize=(7.0, 4.2))
        ax.clear()
        f = self.frontier
        self.lines_ = {}
        for rule, part in f.groupby("rule", sort=False):
            (line,) = ax.plot(100 * part["tolerance"], part["value"], marker="o", linestyle=RULE_STYLES.get(rule, "-"),
                              label=RULE_WORDS.get(rule, rule))
            self.lines_[rule] = line
        free = f["unconstrained_value"].dropna()
        self.unconstrained_line_ = None
        if len(free):
            self.unconstrained_line_ = ax.axhline(float(free.iloc[0]), color="#555555", linewidth=1,
                                                  label="no fairness rule (best per group)")
        single = f["single_threshold_value"].dropna()
        self.single_line_ = None
        if len(single):
            self.single_line_ = ax.axhline(float(single.iloc[0]), color="#999999", linestyle="--", linewidth=1,
                                           label="one threshold for everyone")
        ax.set_xlabel("tolerance: largest allowed gap between groups (percentage points)")
        ax.set_ylabel(money_label(self.volume, self.period, self.currency))
        ax.yaxis.set_major_formatter(compact_money)
        ax.set_title("What fairness costs: the gap to the top line is the price", fontsize="medium")
        ax.legend(**LEGEND_STYLE)
        self.ax_, self.figure_ = ax, ax.figure
        return self
