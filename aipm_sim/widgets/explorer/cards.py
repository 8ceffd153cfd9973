"""The explorer's readout: the threshold line, six KPI cards (precision, recall, alert rate, alerts, value,
gap to the optimum) and the notes, as HTML in ``kpis``."""

from __future__ import annotations

import html
import math

from ..._format import fmt_count, fmt_fraction, fmt_money, fmt_threshold


class CardsMixin:
    """Writes the readout (part of ThresholdExplorer)."""

    # ------------------------------------------------------------------------- readout
    def _update_readout(self):
        r = self.result
        p = r.point
        where, w = self._where, self.words
        cards = [
            ("precision", fmt_fraction(p.precision), f"of {w.cases} {w.flagged} are {w.positives}"),
            ("recall", fmt_fraction(p.recall), f"of {w.positives} are {w.flagged}"),
            (w.alert_rate, fmt_fraction(p.alert_rate), f"of all {w.cases} are {w.flagged}"),
            (f"{w.alerts} {where}", fmt_count(r.alerts_per_period), self._capacity_words(r)),
            (f"value {where}", fmt_money(r.value), self._currency_words),
            ("gap to the optimum", self._gap_text(r), r.gap_words()),
        ]
        cards = self.uncertainty_toggle.decorate(cards, p)  # "72.0% (58.1% – 83.3%)" when shown
        # Six cards that share the row (each at least 8em, at most a sixth of a wide screen) and wrap
        # evenly on a narrow one; a long subtitle wraps inside its card instead of taking a row.
        cell = ("flex:1 1 8em;max-width:16em;margin:0 6px 6px 0;padding:4px 8px;"
                "border:1px solid #ccc;border-radius:4px;box-sizing:border-box")
        parts = [
            f'<div style="{cell}"><div style="font-size:85%;color:#555">{html.escape(k)}</div>'
            f'<div class="aipm-kpi-value" style="font-size:130%;font-weight:bold">{html.escape(v)}</div>'
            f'<div style="font-size:80%;color:#555">{html.escape(s)}</div></div>'
            for k, v, s in cards
        ]
        parts = ['<div style="display:flex;flex-wrap:wrap">', *parts, '</div>']
        head = (f'<div style="margin-bottom:4px">Threshold <b>{fmt_threshold(p.threshold)}</b>: '
                f'{html.escape(w.cases)} scoring at or above it are {html.escape(w.flagged)}.</div>')
        notes = "".join(f'<li>{html.escape(n)}</li>' for n in r.notes)
        notes = f'<ul class="aipm-notes" style="margin:2px 0;color:#a33">{notes}</ul>' if notes else ""
        self.kpis.value = head + "".join(parts) + notes
        self.threshold_readout.value = f"<b>{html.escape(fmt_threshold(p.threshold))}</b>"

    def _capacity_words(self, r):
        """The alerts card's subtitle: against the capacity rule when it is on, else what the alerts are."""
        cap = self.constraints.get("max_alerts")
        if cap is None:
            return f"{self.words.cases} {self.words.flagged}"
        within = "within" if r.alerts_per_period <= cap * (1 + 1e-9) else "over"
        return f"{within} the limit of {fmt_count(cap)}"

    @staticmethod
    def _gap_text(r):
        if not math.isfinite(r.gap_to_optimum):
            return "no optimum"
        if r.gap_words() == "this is the best threshold":
            return "0"
        return fmt_money(-r.gap_to_optimum, signed=True)
