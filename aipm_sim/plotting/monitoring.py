"""Pictures of life after launch: drift per period, estimated versus realized performance, policies in money.

Display objects built from core results (:class:`~aipm_sim.Production`,
:class:`~aipm_sim.PolicyComparison`, :class:`~aipm_sim.DriftNull`); nothing
is recomputed here.
"""

from __future__ import annotations

import numpy as np

from ._base import COLORS, LEGEND_STYLE, compact_money, get_axes

ALERT_COLOR = "#D55E00"  # vermillion
NOISE_COLOR = "#BBBBBB"
DELAY_COLOR = "#EEEEEE"
POLICY_COLORS = ("#000000", "#0072B2", "#009E73", "#E69F00", "#CC79A7", "#56B4E9", "#D55E00")

_METRIC_WORDS = {"precision": "precision", "recall": "recall", "value": "value"}


class DriftDisplay:
    """A drift statistic per period, with its alert threshold and the band of no-drift noise.

    Parameters
    ----------
    periods, statistic : array-like
        Period numbers and the statistic in each.
    threshold : float
        The alert threshold (a dashed line); periods above it are marked.
    noise_low, noise_high : float, optional
        The no-drift band (e.g. the 1st and 99th percentiles of :class:`~aipm_sim.DriftNull`), shaded.
    name : str
        The statistic in words (axis label).
    period : str
        Word for a period (x axis).
    """

    def __init__(self, *, periods, statistic, threshold, noise_low=None, noise_high=None,
                 name="drift statistic", period="period"):
        self.periods = np.asarray(periods, dtype=float)
        self.statistic = np.asarray(statistic, dtype=float)
        self.threshold = float(threshold)
        self.noise_low = noise_low
        self.noise_high = noise_high
        self.name = name
        self.period = period

    @classmethod
    def from_production(cls, production, *, null=None, threshold=None, period="period", ax=None):
        """The ``drift`` column of ``production.metrics``; ``null`` (a DriftNull) gives the band and the threshold."""
        m = production.metrics
        if threshold is None:
            threshold = null.threshold if null is not None else float(m["drift threshold"].iloc[0])
        kw = {}
        if null is not None:
            kw = dict(noise_low=float(np.quantile(null.statistics, 0.01)), noise_high=null.threshold)
        from ..core.monitoring.drift import METHOD_NAMES

        name = METHOD_NAMES[null.method] if null is not None else "drift statistic"
        return cls(periods=m["period"], statistic=m["drift"], threshold=threshold, name=name, period=period,
                   **kw).plot(ax=ax)

    def plot(self, ax=None):
        """Draw; returns self (``ax_``, ``figure_``, ``line_``, ``alerts_``)."""
        ax = get_axes(ax, "DriftDisplay")
        if self.noise_high is not None:
            self.band_ = ax.axhspan(self.noise_low or 0.0, self.noise_high, color=NOISE_COLOR, alpha=0.4,
                                    label="no-drift noise (1st to 99th percentile)")
        (self.line_,) = ax.plot(self.periods, self.statistic, marker="o", color=COLORS["value"], label=self.name)
        self.threshold_line_ = ax.axhline(self.threshold, color=ALERT_COLOR, linestyle="--",
                                          label=f"alert threshold {self.threshold:.3g}")
        above = self.statistic > self.threshold
        self.alerts_ = ax.scatter(self.periods[above], self.statistic[above], color=ALERT_COLOR, zorder=3, s=60,
                                  label="alert")
        ax.set_xlabel(self.period)
        ax.set_ylabel(self.name)
        ax.set_ylim(bottom=0)
        ax.legend(**LEGEND_STYLE)
        self.ax_, self.figure_ = ax, ax.figure
        return self


class MonitoringDisplay:
    """Realized versus label-free estimated precision, recall or value per period; label delay shaded, alerts marked.

    Parameters
    ----------
    periods, realized, estimated : array-like
    standard_error : array-like, optional
        Of the estimate (a band of two standard errors).
    labels_known_until : int
        Last period whose labels are known; later periods are shaded (only the estimate exists then).
    alerts : array-like of bool, optional
        Periods with a drift alert (marked on the x axis).
    metric : {"precision", "recall", "value"}
    period, currency : str
    """

    def __init__(self, *, periods, realized, estimated, standard_error=None, labels_known_until=None, alerts=None,
                 metric="precision", period="period", currency=""):
        self.periods = np.asarray(periods, dtype=float)
        self.realized = np.asarray(realized, dtype=float)
        self.estimated = np.asarray(estimated, dtype=float)
        self.standard_error = None if standard_error is None else np.asarray(standard_error, dtype=float)
        self.labels_known_until = labels_known_until
        self.alerts = None if alerts is None else np.asarray(alerts, dtype=bool)
        self.metric = metric
        self.period = period
        self.currency = currency

    @classmethod
    def from_production(cls, production, *, metric="precision", period="period", currency="", ax=None):
        """The realized and estimated ``metric`` of ``production.metrics``."""
        m = production.metrics
        known = m["period"][m["labels known"]]
        return cls(periods=m["period"], realized=m[metric], estimated=m[f"estimated {metric}"],
                   standard_error=m[f"{metric} standard error"],
                   labels_known_until=int(known.max()) if len(known) else -1, alerts=m["alert"], metric=metric,
                   period=period, currency=currency).plot(ax=ax)

    def plot(self, ax=None):
        """Draw; returns self (``ax_``, ``figure_``, ``realized_line_``, ``estimated_line_``)."""
        ax = get_axes(ax, "MonitoringDisplay")
        words = _METRIC_WORDS.get(self.metric, self.metric)
        if self.labels_known_until is not None and self.labels_known_until < self.periods.max():
            self.delay_ = ax.axvspan(self.labels_known_until + 0.5, self.periods.max() + 0.5, color=DELAY_COLOR,
                                     label="labels not yet known")
        if self.standard_error is not None:
            ax.fill_between(self.periods, self.estimated - 2 * self.standard_error,
                            self.estimated + 2 * self.standard_error, color=COLORS["precision"], alpha=0.15,
                            label="estimate ± 2 standard errors")
        (self.estimated_line_,) = ax.plot(self.periods, self.estimated, color=COLORS["precision"], linestyle="--",
                                          label=f"{words} estimated without labels")
        shown = self.realized.copy()
        if self.labels_known_until is not None:
            shown[self.periods > self.labels_known_until] = np.nan
        (self.realized_line_,) = ax.plot(self.periods, shown, color=COLORS["value"], marker="o", markersize=3,
                                         label=f"{words} from the labels")
        if self.alerts is not None and self.alerts.any():
            ax.plot(self.periods[self.alerts], np.full(self.alerts.sum(), np.nanmin(shown) if np.isfinite(
                np.nanmin(shown)) else 0), linestyle="none", marker="^", color=ALERT_COLOR, label="drift alert")
        ax.set_xlabel(self.period)
        if self.metric == "value":
            ax.set_ylabel(f"value per {self.period} ({self.currency})".replace(" ()", ""))
            ax.yaxis.set_major_formatter(compact_money)
        else:
            ax.set_ylabel(f"{words} (share)")
        ax.legend(**LEGEND_STYLE)
        self.ax_, self.figure_ = ax, ax.figure
        return self


class PolicyDisplay:
    """Cumulative net value per policy over the periods (costs included).

    Parameters
    ----------
    periods : array-like
    cumulative : mapping of str to array-like
        Policy name (words) → cumulative net value per period.
    retrains : mapping of str to array-like of bool, optional
        Periods in which each policy retrained (marked).
    period, currency : str
    """

    def __init__(self, *, periods, cumulative, retrains=None, period="period", currency=""):
        self.periods = np.asarray(periods, dtype=float)
        self.cumulative = {k: np.asarray(v, dtype=float) for k, v in cumulative.items()}
        self.retrains = None if retrains is None else {k: np.asarray(v, dtype=bool) for k, v in retrains.items()}
        self.period = period
        self.currency = currency

    @classmethod
    def from_comparison(cls, comparison, *, relative=True, ax=None):
        """Draw a :class:`~aipm_sim.PolicyComparison`; ``relative``: minus doing nothing (the baseline is 0)."""
        per = comparison.per_period
        names = list(dict.fromkeys(per["policy"]))
        frames = {n: per[per["policy"] == n] for n in names}
        periods = frames[names[0]]["period"].to_numpy()
        base = None
        if relative and "Do nothing" in frames:
            base = frames["Do nothing"]["cumulative net value"].to_numpy()
        cumulative = {n: f["cumulative net value"].to_numpy() - (0 if base is None else base) for n, f in frames.items()}
        display = cls(periods=periods, cumulative=cumulative,
                      retrains={n: f["retrained"].to_numpy() for n, f in frames.items()},
                      period=comparison.period, currency=comparison.currency)
        display.relative = base is not None
        return display.plot(ax=ax)

    relative = False

    def plot(self, ax=None):
        """Draw; returns self (``ax_``, ``figure_``, ``lines_``: policy → Line2D)."""
        ax = get_axes(ax, "PolicyDisplay")
        self.lines_ = {}
        for i, (name, values) in enumerate(self.cumulative.items()):
            color = POLICY_COLORS[i % len(POLICY_COLORS)]
            (line,) = ax.plot(self.periods, values, color=color, label=name, linewidth=2 if i == 0 else 1.5)
            self.lines_[name] = line
            if self.retrains is not None and self.retrains[name].any():
                r = self.retrains[name]
                ax.plot(self.periods[r], values[r], linestyle="none", marker="o", color=color, markersize=4)
        ax.axhline(0, color="#999999", linewidth=0.8)
        ax.set_xlabel(self.period)
        what = "net value compared with doing nothing" if self.relative else "cumulative net value"
        ax.set_ylabel(f"{what} ({self.currency})" if self.currency else what)
        ax.yaxis.set_major_formatter(compact_money)
        ax.legend(title="dots: retrains", **LEGEND_STYLE)
        self.ax_, self.figure_ = ax, ax.figure
        return self
