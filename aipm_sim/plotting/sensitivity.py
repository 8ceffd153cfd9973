"""Pictures of sensitivity results: the tornado chart and the two-parameter map.

Both are Display objects in scikit-learn's style: ``from_sensitivity`` /
``from_map`` take a core result (:class:`~aipm_sim.Sensitivity`,
:class:`~aipm_sim.SensitivityMap`) and draw it; nothing is recomputed here.
``plot(ax=None)`` draws, keeps ``ax_`` and ``figure_`` and returns ``self``.
"""

from __future__ import annotations

import math

import numpy as np

from ..core.errors import ParameterError
from ._base import compact_money, fmt_compact_money, get_axes
from .._format import fmt_parameter_range

MSG_METRIC = "metric must be one of {}; found {!r}"
MSG_MAX_PARAMETERS = "max_parameters must be a whole number >= 1; found {!r}"

LOW_COLOR = "#0072B2"   # blue (Okabe–Ito)
HIGH_COLOR = "#E69F00"  # orange


def _number(x):
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.4g}"


def _int_or_none(k):
    return None if k is None or (isinstance(k, float) and math.isnan(k)) else int(k)


def _legend_below(ax, handles):
    """The legend under the chart, centred on the figure (never cut at its edge); inside the axes otherwise.

    With constrained layout (every figure the package makes) the legend sits
    outside the axes, below them, and the layout makes room for all of it.
    """
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    fig = ax.figure
    if isinstance(fig.get_layout_engine(), ConstrainedLayoutEngine) and len(fig.axes) == 1:
        return fig.legend(handles=handles, loc="outside lower center", ncols=len(handles), fontsize=8,
                          frameon=False)
    return ax.legend(handles=handles, loc="best", fontsize=8)


#: Written at a tornado bound where no decision meets the constraints.
INFEASIBLE_TEXT = "constraints cannot hold"


class TornadoDisplay:
    """Tornado chart: how far each parameter's plausible range moves the best value.

    One horizontal pair of bars per parameter, largest swing on top: from
    the base value to the best value with the parameter at its low bound
    (blue) and at its high bound (orange). Labels give the range tested.
    A bound where no decision meets the constraints (NaN value) gets no bar
    but the words "constraints cannot hold" at the base line.

    Parameters
    ----------
    parameters : list of str
        Parameter names, largest swing first.
    low, high, base_parameter : array-like
        The parameter values tested and its base value.
    value_at_low, value_at_high : array-like
        Best value (currency per month) with the parameter at each bound.
    base_value : float
        Best value with every parameter at its base value.
    units : list of str, optional
    threshold_at_low, threshold_at_high : array-like, optional
        Best thresholds at each bound, written at the bar ends.
    k_at_low, k_at_high : array-like of int, optional
        Best k at each bound (rankings), written beside the thresholds.
    currency : str
    """

    def __init__(self, *, parameters, low, high, base_parameter, value_at_low, value_at_high, base_value,
                 units=None, threshold_at_low=None, threshold_at_high=None, k_at_low=None, k_at_high=None,
                 currency="", names=None, label_width=44):
        self.parameters = list(parameters)
        self.label_width = int(label_width)
        self.names = dict(names or {})
        self.low = np.asarray(low, dtype=float)
        self.high = np.asarray(high, dtype=float)
        self.base_parameter = np.asarray(base_parameter, dtype=float)
        self.value_at_low = np.asarray(value_at_low, dtype=float)
        self.value_at_high = np.asarray(value_at_high, dtype=float)
        self.base_value = float(base_value)
        self.units = list(units) if units is not None else [""] * len(self.parameters)
        self.threshold_at_low = None if threshold_at_low is None else np.asarray(threshold_at_low, dtype=float)
        self.threshold_at_high = None if threshold_at_high is None else np.asarray(threshold_at_high, dtype=float)
        self.k_at_low = None if k_at_low is None else [_int_or_none(k) for k in k_at_low]
        self.k_at_high = None if k_at_high is None else [_int_or_none(k) for k in k_at_high]
        self.currency = currency

    @classmethod
    def from_sensitivity(cls, sensitivity, *, max_parameters=10, currency=None, show_thresholds=True, drop_flat=True,
                         names=None, label_width=44, ax=None):
        """Draw a :class:`~aipm_sim.Sensitivity` result (from :func:`~aipm_sim.compute_sensitivity`).

        Parameters
        ----------
        sensitivity : Sensitivity
        max_parameters : int
            Show only the parameters with the largest swings.
        currency : str, optional
            Written after money amounts; default: the scenario's
            (``sensitivity.currency``).
        show_thresholds : bool
            Write the best threshold (and k for rankings) at each bar end.
        drop_flat : bool
            Leave out parameters that do not move the best value at all
            (e.g. a build cost, which matters for ROI but not for the
            threshold). Rows with a bound where the constraints cannot hold
            are never flat.
        names : mapping of str to str, optional
            Each parameter in words (a scenario's descriptions), shown instead
            of its code name.
        label_width : int
            Characters per line of a parameter's name on the y axis (longer
            names wrap).
        ax : matplotlib Axes, optional
        """
        try:
            m = int(max_parameters)
        except (TypeError, ValueError):
            raise ParameterError(MSG_MAX_PARAMETERS.format(max_parameters)) from None
        if m < 1 or m != max_parameters:
            raise ParameterError(MSG_MAX_PARAMETERS.format(max_parameters))
        t = sensitivity.table
        if drop_flat:
            t = t[~(t["swing"] == 0)]  # NaN swing (a bound without a feasible decision) is kept
        t = t.head(m)
        extra = {}
        if show_thresholds:
            extra = {"threshold_at_low": t["threshold_at_low"], "threshold_at_high": t["threshold_at_high"]}
            if "k_at_low" in t:
                extra.update(k_at_low=t["k_at_low"], k_at_high=t["k_at_high"])
        display = cls(
            parameters=t["parameter"], low=t["low"], high=t["high"], base_parameter=t["base"],
            value_at_low=t["value_at_low"], value_at_high=t["value_at_high"],
            base_value=sensitivity.base["value"], units=t["unit"],
            currency=sensitivity.currency if currency is None else currency, names=names,
            label_width=label_width, **extra,
        )
        return display.plot(ax=ax)

    def labels(self):
        """The y-axis labels: the name, then the range tested on a second line, e.g. "fraud_rate\\n0.0015 to 0.006 …"."""
        import textwrap

        return ["\n".join(textwrap.wrap(self.names.get(p, p), self.label_width)) + "\n" + fmt_parameter_range(lo, hi, u, self.currency)
                for p, lo, hi, u in zip(self.parameters, self.low, self.high, self.units)]

    def plot(self, ax=None):
        """Draw the chart; returns ``self`` with ``ax_``, ``figure_``, ``low_bars_``, ``high_bars_``."""
        n = len(self.parameters)
        ax = get_axes(ax, f"{type(self).__name__}.plot", figsize=(9.5, 1.6 + 0.62 * n))
        y = np.arange(n)[::-1]  # largest swing on top
        base = self.base_value
        # A bound without a feasible decision (NaN) gets a zero-width bar and words instead.
        low_width = np.where(np.isnan(self.value_at_low), 0.0, self.value_at_low - base)
        high_width = np.where(np.isnan(self.value_at_high), 0.0, self.value_at_high - base)
        self.low_bars_ = ax.barh(y, low_width, left=base, height=0.6, color=LOW_COLOR,
                                 label="parameter at its low bound")
        self.high_bars_ = ax.barh(y, high_width, left=base, height=0.6, color=HIGH_COLOR,
                                  alpha=0.85, label="parameter at its high bound")
        self.base_line_ = ax.axvline(base, color="black", linewidth=1)
        self.texts_ = []
        for i in range(n):
            for side, value, thr, ks in (("low", self.value_at_low[i], self.threshold_at_low, self.k_at_low),
                                         ("high", self.value_at_high[i], self.threshold_at_high, self.k_at_high)):
                if math.isnan(value):
                    text, value, right = f"{side}: {INFEASIBLE_TEXT}", base, side == "high"
                elif thr is not None:
                    text = f"t={_number(thr[i])}" + (f", k={ks[i]}" if ks is not None else "")
                    right = value >= base
                else:
                    continue
                self.texts_.append(ax.annotate(
                    text, (value, y[i]), xytext=(4 if right else -4, 0), textcoords="offset points",
                    ha="left" if right else "right", va="center", fontsize=8))
        ax.set_yticks(y, self.labels())
        cur = f" ({self.currency})" if self.currency else ""
        ax.set_xlabel(f"best value per month{cur}; line = base case {fmt_compact_money(base, self.currency)}")
        ax.set_title("Which assumptions move the value most")
        ax.xaxis.set_major_formatter(compact_money)  # "−350k", as every money axis
        self.legend_ = _legend_below(ax, [self.low_bars_, self.high_bars_])
        ax.margins(x=0.15)
        self.ax_ = ax
        self.figure_ = ax.figure
        return self


class SensitivityMapDisplay:
    """Two-parameter map: the best threshold (or value, or k) at every grid combination.

    Parameters
    ----------
    x, y : str
        Parameter names.
    x_values, y_values : array-like of shape (nx,), (ny,)
    z : array-like of shape (ny, nx)
        The metric drawn; NaN cells (constraints cannot hold) are left blank.
    metric : str
        "threshold", "value" or "k" (used in the title and colour bar).
    x_unit, y_unit, currency : str
    """

    METRICS = ("threshold", "value", "k")

    def __init__(self, *, x, y, x_values, y_values, z, metric, x_unit="", y_unit="", currency=""):
        self.x, self.y = x, y
        self.x_values = np.asarray(x_values, dtype=float)
        self.y_values = np.asarray(y_values, dtype=float)
        self.z = np.asarray(z, dtype=float)
        self.metric = metric
        self.x_unit, self.y_unit, self.currency = x_unit, y_unit, currency

    @classmethod
    def from_map(cls, sensitivity_map, *, metric="threshold", currency=None, annotate=True, ax=None):
        """Draw a :class:`~aipm_sim.SensitivityMap` (from :func:`~aipm_sim.compute_sensitivity_map`).

        Parameters
        ----------
        metric : {"threshold", "value", "k"}
        currency : str, optional
            Default: the scenario's (``sensitivity_map.currency``).
        annotate : bool
            Write each cell's number in it (only for grids up to 12 x 12).
        """
        if metric not in cls.METRICS or (metric == "k" and sensitivity_map.k is None):
            valid = cls.METRICS if sensitivity_map.k is not None else cls.METRICS[:2]
            raise ParameterError(MSG_METRIC.format(", ".join(valid), metric))
        m = sensitivity_map
        display = cls(x=m.x, y=m.y, x_values=m.x_values, y_values=m.y_values, z=getattr(m, metric),
                      metric=metric, x_unit=m.x_unit, y_unit=m.y_unit,
                      currency=m.currency if currency is None else currency)
        return display.plot(ax=ax, annotate=annotate)

    def plot(self, ax=None, *, annotate=True):
        """Draw; returns ``self`` with ``ax_``, ``figure_``, ``mesh_``, ``colorbar_``, ``texts_``."""
        ax = get_axes(ax, f"{type(self).__name__}.plot")
        cmap = "viridis" if self.metric != "value" else "RdYlGn"
        self.mesh_ = ax.pcolormesh(_edges(self.x_values), _edges(self.y_values), np.ma.masked_invalid(self.z),
                                   cmap=cmap, shading="flat")
        names = {"threshold": "best threshold", "value": f"best value per month{' (' + self.currency + ')' if self.currency else ''}",
                 "k": "best k (items shown)"}
        self.colorbar_ = ax.figure.colorbar(self.mesh_, ax=ax, label=names[self.metric])
        self.texts_ = []
        if annotate and self.z.shape[0] <= 12 and self.z.shape[1] <= 12:
            for i, yv in enumerate(self.y_values):
                for j, xv in enumerate(self.x_values):
                    z = self.z[i, j]
                    text = "n/a" if math.isnan(z) else (fmt_compact_money(z) if self.metric == "value" else _number(z))
                    self.texts_.append(ax.text(float(xv), float(yv), text,
                                               ha="center", va="center", fontsize=7))
        ax.set_xlabel(f"{self.x}{' (' + self.x_unit + ')' if self.x_unit else ''}")
        ax.set_ylabel(f"{self.y}{' (' + self.y_unit + ')' if self.y_unit else ''}")
        title = names[self.metric]
        ax.set_title(f"{title[0].upper()}{title[1:]} as {self.x} and {self.y} change")
        self.ax_ = ax
        self.figure_ = ax.figure
        return self


def _edges(values):
    """Cell edges around increasing grid values (midpoints, extended at the ends)."""
    v = np.asarray(values, dtype=float)
    if len(v) == 1:
        return np.array([v[0] - 0.5, v[0] + 0.5]) if v[0] == 0 else np.array([v[0] * 0.95, v[0] * 1.05])
    mid = (v[1:] + v[:-1]) / 2
    return np.concatenate([[v[0] - (mid[0] - v[0])], mid, [v[-1] + (v[-1] - mid[-1])]])

