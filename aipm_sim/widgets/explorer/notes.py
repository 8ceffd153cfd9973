"""The explorer's notes, in a product manager's words: degenerate states, broken and unmeetable rules,
values whose sign looks wrong, refused bounds.

:class:`NotesMixin` holds the explorer's methods that say the rules in
words (mixed into :class:`~aipm_sim.widgets.explorer.threshold_explorer.ThresholdExplorer`).
"""

from __future__ import annotations

import numpy as np

from ...core import CONSTRAINTS
from ...core.engine.optimize import constraint_metric, diagnose_conflict, rows_meeting
from ..._format import fmt_count, fmt_fraction, fmt_money, fmt_number
from ...plotting._base import UNNAMED_CURRENCY

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


class NotesMixin:
    """The rules in words: which ones a threshold breaks, why none can be met (part of ThresholdExplorer)."""

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
