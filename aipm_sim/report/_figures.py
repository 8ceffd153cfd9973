"""Static figures of a decision report, drawn by :mod:`aipm_sim.plotting`.

Each function returns a new :class:`matplotlib.figure.Figure` that is not
registered with pyplot, so that a notebook shows it exactly once (as the
cell's result) and a report stays a series of plain PNG images.
"""

from __future__ import annotations

#: Width x height in inches: readable when the HTML page is about 900 px wide.
FIGSIZE = (9.0, 4.6)
#: PNG resolution of every report figure (dots per inch).
DPI = 120


def _figure(figsize=FIGSIZE):
    from matplotlib.figure import Figure

    return Figure(figsize=figsize, dpi=DPI, layout="constrained")


#: A threshold window spanning more than this ratio (largest / smallest) gets a log axis.
LOG_SPAN = 20.0
#: The threshold axis starts where this share of cases is flagged (or lower, to show the optimum).
WINDOW_ALERT_RATE = 0.5
#: The value axis shows at most this many times ``max(|best value|, 5 % of the range)`` below the best.
VALUE_ZOOM = 4.0
X_ZOOM_NOTE = "Thresholds that flag more than {:.0%} of cases are left out."
Y_ZOOM_NOTE = "Values far below the best are cut off."


def threshold_window(decision):
    """``(scale, left, right)`` of the threshold axis for a readable picture of ``decision``.

    The axis starts at the threshold that flags :data:`WINDOW_ALERT_RATE` of
    the cases (never right of the near-optimal band); lower thresholds only
    flag ever more cases. When that window holds positive thresholds
    spanning more than :data:`LOG_SPAN` (calibrated probabilities of a rare
    event), the axis is logarithmic.
    """
    import numpy as np

    curve = decision.curve
    t = np.asarray(curve.thresholds, dtype=np.float64)
    finite = np.isfinite(t)
    right = float(t[finite].max())
    within = finite & (np.asarray(curve.alert_rate) <= WINDOW_ALERT_RATE)
    left = float(t[within].min()) if within.any() else float(t[finite].min())
    left = min(left, float(decision.near_optimal.threshold_low), right)
    scale = "log" if left > 0 and right / left > LOG_SPAN else "linear"
    if left == right:
        return scale, None, None
    return scale, left, right


def value_limits(decision, current):
    """Y limits focusing on the best value, or None when ``current`` limits already do.

    The lower limit is the best value minus :data:`VALUE_ZOOM` times
    ``max(|best|, 5 % of the value range)``, so that the peak and the
    near-optimal band stay readable when the value plunges elsewhere.
    """
    import numpy as np

    v = np.asarray(decision.values, dtype=np.float64)
    v = v[np.isfinite(v)]
    best = float(decision.value)
    span = max(abs(best), 0.05 * float(v.max() - v.min()))
    low = best - VALUE_ZOOM * span
    if span == 0 or current[0] >= low:
        return None
    top = max(float(v.max()), 0.0)
    return low, top + 0.35 * (top - low)


def _zoom(fig, ax, window):
    """Apply the threshold window's limits to ``ax``."""
    scale, left, right = window
    if left is not None:
        ax.set_xlim(left, right)


def value_figure(analysis):
    """Value at every threshold: the optimum, the near-optimal band, constraints."""
    from ..plotting import ValueCurveDisplay

    decision = analysis.decision
    window = threshold_window(decision)
    fig = _figure()
    display = ValueCurveDisplay.from_decision(
        decision, ax=fig.add_subplot(), period=analysis.period, currency=analysis.currency,
        xscale=window[0],
    )
    ax = display.ax_
    limits = value_limits(decision, ax.get_ylim())
    notes = []
    if window[1] is not None and window[1] > _lowest_threshold(decision):
        notes.append(X_ZOOM_NOTE.format(WINDOW_ALERT_RATE))
    if limits is not None:
        ax.set_ylim(*limits)
        notes.append(Y_ZOOM_NOTE)
    _zoom(fig, ax, window)
    if notes:
        fig.supxlabel(" ".join(notes), fontsize="small", color="#555555")
    return fig


def _lowest_threshold(decision):
    import numpy as np

    t = np.asarray(decision.curve.thresholds, dtype=np.float64)
    return float(t[np.isfinite(t)].min())


def metrics_figure(analysis):
    """Precision, recall, F1 and alert rate against the threshold, the optimum marked."""
    from ..plotting import MetricsCurveDisplay

    window = threshold_window(analysis.decision)
    fig = _figure()
    display = MetricsCurveDisplay.from_decision(analysis.decision, ax=fig.add_subplot(), xscale=window[0])
    _zoom(fig, display.ax_, window)
    return fig


def outcomes_figure(analysis):
    """The four outcomes (caught, missed, false alarms, left alone) at the chosen threshold."""
    from ..plotting import ConfusionMatrixDisplay

    fig = _figure(figsize=(7.0, 4.6))
    ConfusionMatrixDisplay.from_decision(
        analysis.decision, ax=fig.add_subplot(), period=analysis.period, currency=analysis.currency,
    )
    return fig


def tornado_figure(analysis):
    """The sensitivity tornado, or None when there is no sensitivity analysis."""
    return None
