"""The explorer's "show uncertainty" switch: a bootstrap of the data, bands in the value and metrics panels.

The bootstrap (:func:`aipm_sim.simulate_uncertainty`) runs once when the
switch is turned on and again only when the data, the money or the rules
change (:meth:`UncertaintyToggle.refresh`), never on a slider move: a slider
move only reads the stored bands at the new threshold, so the readout shows
"recall 72 % (58–83 %)".

It needs labelled cases to resample: a ScoreSet, or a synthetic model with a
sample size. An exact model curve has no sampling error, and a bare
ThresholdCurve has no cases; the switch then stays off and says why.
"""

from __future__ import annotations

import numpy as np

from ..core import ScoreSet, simulate_uncertainty
from ..plotting._base import fmt_fraction, fmt_money

#: Resamples of the explorer's bootstrap.
RESAMPLES = 200
#: Share of resamples inside the bands.
CONFIDENCE = 0.95
MSG_NO_CASES = ("uncertainty needs labelled cases to resample: give the explorer a ScoreSet, or choose a "
                "sample size for the synthetic model (its exact curve has no sampling error)")
#: Readout cards that get a range: card title → band metric.
CARD_METRICS = {"precision": "precision", "recall": "recall", "alert rate": "alert_rate"}
BAND_STYLE = {"alpha": 0.18, "linewidth": 0}


class UncertaintyToggle:
    """The switch and what it computes for one :class:`~aipm_sim.widgets.ThresholdExplorer`.

    Attributes
    ----------
    checkbox : ipywidgets.Checkbox
        "show uncertainty" (CSS class ``aipm-uncertainty``).
    uncertainty : Uncertainty or None
        The latest bootstrap (None while off or before the first one).
    computations : int
        Bootstraps run so far (one per data or money change while on).
    """

    def __init__(self, explorer, source):
        import ipywidgets as widgets

        self.explorer = explorer
        self.source = source if isinstance(source, ScoreSet) else None
        self.uncertainty = None
        self.computations = 0
        self._bands = {}
        self._artists = []
        self.checkbox = widgets.Checkbox(value=False, description="show uncertainty", indent=False,
                                         layout=widgets.Layout(width="auto", margin="0 0 0 12px"))
        self.checkbox.add_class("aipm-uncertainty")
        self._fit_to_cases()
        self.checkbox.observe(self._on_toggle, names="value")

    def _fit_to_cases(self):
        """Off and greyed out, with the reason as its tooltip, when there are no cases to resample."""
        available = self.source is not None or (self.explorer.model is not None and bool(self.explorer._sample_size))
        self.checkbox.disabled = not available
        self.checkbox.tooltip = None if available else MSG_NO_CASES
        if not available and self.checkbox.value:
            self.checkbox.value = False

    # -- data -------------------------------------------------------------------------
    def _cases(self):
        e = self.explorer
        if self.source is not None:
            return self.source
        if e.model is not None and e._sample_size:
            return e.model.sample(e._sample_size, seed=e.seed)  # the same cases as the explorer's curve
        return None

    @property
    def on(self):
        return bool(self.checkbox.value)

    def _on_toggle(self, change):
        self.explorer._compute(self._apply)

    def refresh(self):
        """After a data, money or rule change: recompute if the switch is on (else forget the old bands)."""
        self.uncertainty = None
        self._bands = {}
        self._fit_to_cases()
        if self.on:
            self._apply()

    def _apply(self):
        e = self.explorer
        self._clear()
        if self.on:
            cases = self._cases()
            if self.uncertainty is None and cases is not None:
                constraints = {k: v for k, v in e.constraints.items() if v is not None}
                self.uncertainty = simulate_uncertainty(cases, e.value_model, resamples=RESAMPLES,
                                                        confidence=CONFIDENCE, volume=e.volume, **constraints)
                self.computations += 1
                self._bands = {name: self.uncertainty.band(name) for name in (*CARD_METRICS.values(), "value")}
            if self._bands:
                self._draw()
        e._update_readout()
        e.redraw(full=True)

    # -- pictures ---------------------------------------------------------------------
    def _clear(self):
        for artist in self._artists:
            artist.remove()
        self._artists = []

    def _draw(self):
        displays = self.explorer.displays
        value = self._bands["value"]
        finite = np.isfinite(value["threshold"].to_numpy())
        ax = displays["value"].ax_
        self._artists.append(ax.fill_between(value["threshold"][finite], value["low"][finite],
                                             value["high"][finite], color="0.3", **BAND_STYLE))
        ax = displays["metrics"].ax_
        colors = {"precision": "#0072B2", "recall": "#E69F00", "alert_rate": "#CC79A7"}
        for metric, color in colors.items():
            band = self._bands[metric]
            keep = np.isfinite(band["threshold"].to_numpy()) & band["low"].notna().to_numpy()
            self._artists.append(ax.fill_between(band["threshold"][keep], band["low"][keep], band["high"][keep],
                                                 color=color, **BAND_STYLE))

    # -- readout ----------------------------------------------------------------------
    def range_at(self, metric, threshold):
        """``(low, high)`` of ``metric``'s band at ``threshold`` (the band's row at or above it), or None."""
        if not self._bands:
            return None
        band = self._bands[metric]
        row = self.uncertainty.row_at(threshold)
        low, high = float(band["low"].iloc[row]), float(band["high"].iloc[row])
        return None if np.isnan(low) else (low, high)

    def decorate(self, cards, point):
        """The readout's cards with each rate's range: ``"72.0% (58.1–83.3%)"``; unchanged while off."""
        if not (self.on and self._bands):
            return cards
        out = []
        for title, value, words in cards:
            metric = CARD_METRICS.get(title)
            if title.startswith("value "):
                metric = "value"
            span = None if metric is None else self.range_at(metric, point.threshold)
            if span is not None:
                fmt = fmt_money if metric == "value" else fmt_fraction
                value = f"{value} ({fmt(span[0])} – {fmt(span[1])})"
            out.append((title, value, words))
        return out
