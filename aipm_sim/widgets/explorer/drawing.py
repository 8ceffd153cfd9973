"""The explorer's six pictures: their figures (PNG images), the displays drawn into them, and the redraw."""

from __future__ import annotations

from ...plotting import (
    ConfusionMatrixDisplay,
    MetricsCurveDisplay,
    PrecisionRecallDisplay,
    RocCurveDisplay,
    ScoreDistributionDisplay,
    ValueCurveDisplay,
)
from .._canvas import FigureImage


class DrawingMixin:
    """Figures and displays (part of ThresholdExplorer)."""

    # ------------------------------------------------------------------------- pictures
    def _build_figures(self):
        size, dpi = (6.0, 3.9), 96
        margins = {"confusion": (1.25, 0.1, 0.1, 0.65)}
        self.figures = {name: FigureImage(figsize=size, dpi=dpi, name=name, margins=margins.get(name))
                        for name in ("value", "confusion", "metrics", "distribution", "pr", "roc")}
        self.displays = {}

    def _rebuild_displays(self):
        """Put the current curve, values and optimum into the displays (created on first call)."""
        curve, d = self.curve, self.decision
        optimum = d.point if d is not None else None
        value_data = {
            "thresholds": curve.thresholds, "values": self._values, "feasible": self.feasibility.feasible,
            "optimum_index": None if d is None else d.index,
            "band": None if d is None else d.near_optimal,
        }
        metrics = MetricsCurveDisplay.arrays_from_curve(curve)
        pr = PrecisionRecallDisplay.arrays_from_curve(curve)
        roc = RocCurveDisplay.arrays_from_curve(curve)
        slope = self.value_model.iso_value_slope(curve)
        # Every threshold axis covers the slider's range, so the pictures line up with it.
        xlim = self._slider_limits()
        value_data["xlim"] = metrics["xlim"] = xlim
        hist = ScoreDistributionDisplay.arrays_from_curve(
            curve, xscale=self.threshold_scale, xlim=xlim, volume=self.volume
        )
        point = getattr(self, "result", None)
        point = point.point if point is not None and point.curve is curve else curve.point(len(curve) - 1)
        if not self.displays:
            common = {"period": self.period, "vocabulary": self.words}
            f = self.figures
            self.displays = {
                "value": ValueCurveDisplay(
                    **value_data, point=point, volume=self.volume, currency=self.currency,
                    xscale=self.threshold_scale, **common,
                ).plot(ax=f["value"].figure.add_subplot()),
                "confusion": ConfusionMatrixDisplay(
                    point=point, value_model=self.value_model, volume=self.volume,
                    currency=self.currency, **common,
                ).plot(ax=f["confusion"].figure.add_subplot()),
                "metrics": MetricsCurveDisplay(
                    **metrics, point=point, optimum_threshold=None if d is None else d.threshold,
                    xscale=self.threshold_scale, vocabulary=self.words,
                ).plot(ax=f["metrics"].figure.add_subplot()),
                "distribution": ScoreDistributionDisplay(
                    **hist, point=point, log=self.log_counts, xscale=self.threshold_scale,
                    volume=self.volume, **common,
                ).plot(ax=f["distribution"].figure.add_subplot()),
                "pr": PrecisionRecallDisplay(**pr, point=point, optimum=optimum, vocabulary=self.words).plot(
                    ax=f["pr"].figure.add_subplot()),
                "roc": RocCurveDisplay(**roc, point=point, optimum=optimum, iso_slope=slope,
                                       vocabulary=self.words).plot(
                    ax=f["roc"].figure.add_subplot()),
            }
            for name, display in self.displays.items():
                f[name].add_display(display)
            return
        ds = self.displays
        ds["value"].update(**value_data)
        ds["confusion"].update(value_model=self.value_model, volume=self.volume)
        ds["metrics"].update(**metrics, optimum_threshold=None if d is None else d.threshold)
        ds["distribution"].update(**hist)
        ds["pr"].update(**pr, optimum=optimum)
        ds["roc"].update(**roc, optimum=optimum, iso_slope=slope)

    def redraw(self, *, full=False):
        """Render every picture and send it to the browser (no-op when ``render`` is False).

        ``full=False`` redraws only what a threshold move changes.
        """
        if not self.render:
            return
        for fig in self.figures.values():
            fig.draw(full=full)
            fig.publish()
