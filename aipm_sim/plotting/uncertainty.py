"""How sure are we, in pictures: a metric or the value with its band, and where the best threshold falls."""

from __future__ import annotations

import math

import numpy as np

from ..core.errors import ParameterError
from ._base import (
    COLORS, UNNAMED_CURRENCY, compact_money, fmt_level, fmt_threshold, get_axes, money_label, percent_tick,
    period_words, threshold_label, words_of,
)

X_LABEL = "threshold (cases scoring at or above it are flagged)"
METRIC_WORDS = {"precision": "precision (share of alerts that are positives)",
                "recall": "recall (share of positives caught)",
                "fpr": "false positive rate (share of negatives flagged)",
                "alert_rate": "share of cases flagged", "value": "value"}


def metric_words(metric, vocabulary=None):
    """:data:`METRIC_WORDS` of ``metric`` in a decision's words (``vocabulary``: a Vocabulary, mapping or None)."""
    v = words_of(vocabulary)
    return {"precision": f"precision (share of {v.alerts} that are {v.positives})",
            "recall": f"recall (share of {v.positives} {v.flagged})",
            "fpr": f"false positive rate (share of {v.negatives} {v.flagged})",
            "alert_rate": f"share of {v.cases} {v.flagged}", "value": "value"}[metric]
MSG_LENGTHS = "thresholds, low, median and high must have the same length; found {}"
MSG_METRIC = "metric must be one of {}; found {!r}"


def _pct_words(confidence):
    return fmt_level(confidence)


class BandDisplay:
    """A metric (or the value) against the threshold, with the band the resamples span.

    Parameters
    ----------
    thresholds, low, median, high : ndarray of shape (m,)
        Decreasing thresholds and the band at each (:meth:`aipm_sim.Uncertainty.band`);
        the +inf row (flag nothing) is not drawn.
    metric : {"precision", "recall", "fpr", "alert_rate", "value"}
    confidence : float
        Share of resamples inside the band (for the legend).
    chosen_threshold : float, optional
        The decision's threshold (a vertical line).
    threshold_interval : (float, float), optional
        Where the resamples' best thresholds fall (a shaded span).
    volume, period, currency : optional
        Units of the value axis.
    vocabulary : Vocabulary or mapping, optional
        The decision's words for the axes (``scenario.words``); None: cases, alerts, positives.

    Attributes
    ----------
    ax_, figure_, band_ (PolyCollection), line_ (Line2D), chosen_line_, interval_span_
    """

    def __init__(self, *, thresholds, low, median, high, metric, confidence=0.95, chosen_threshold=None,
                 threshold_interval=None, volume=None, period=None, currency=None, vocabulary=None):
        if metric not in METRIC_WORDS:
            raise ParameterError(MSG_METRIC.format(", ".join(METRIC_WORDS), metric))
        arrays = [np.asarray(a, dtype=np.float64) for a in (thresholds, low, median, high)]
        if len({len(a) for a in arrays}) > 1:
            raise ParameterError(MSG_LENGTHS.format([len(a) for a in arrays]))
        self.thresholds, self.low, self.median, self.high = arrays
        self.metric = metric
        self.confidence = confidence
        self.chosen_threshold = chosen_threshold
        self.threshold_interval = threshold_interval
        self.volume, self.period, self.currency = volume, period, currency
        self.vocabulary = vocabulary
        self.ax_ = self.figure_ = None
        self.chosen_line_ = self.interval_span_ = None

    @classmethod
    def from_uncertainty(cls, uncertainty, metric="value", *, ax=None, period=None, currency=None, vocabulary=None):
        """Draw ``uncertainty.band(metric)`` with the decision's threshold and the best threshold's interval."""
        band = uncertainty.band(metric)
        d = uncertainty.decision
        return cls(thresholds=band["threshold"], low=band["low"], median=band["median"], high=band["high"],
                   metric=metric, confidence=uncertainty.confidence, chosen_threshold=d.threshold,
                   threshold_interval=uncertainty.threshold_interval, volume=uncertainty.volume,
                   period=period or d.period, currency=currency or d.currency,
                   vocabulary=vocabulary).plot(ax=ax)

    @property
    def y_label(self):
        if self.metric == "value":
            return money_label(self.volume, self.period, self.currency)
        return metric_words(self.metric, self.vocabulary)

    def plot(self, ax=None):
        """Draw on ``ax`` (a new figure when None); returns self."""
        ax = get_axes(ax, type(self).__name__)
        finite = np.isfinite(self.thresholds)
        x = self.thresholds[finite]
        share = _pct_words(self.confidence)
        self.band_ = ax.fill_between(x, self.low[finite], self.high[finite], color=COLORS.get("value", "C0"),
                                     alpha=0.25, linewidth=0, label=f"{share} of resamples")
        (self.line_,) = ax.plot(x, self.median[finite], color=COLORS.get("value", "C0"),
                                label="median of the resamples")
        if self.threshold_interval is not None and all(map(math.isfinite, self.threshold_interval)):
            lo, hi = self.threshold_interval
            self.interval_span_ = ax.axvspan(lo, hi, color="0.5", alpha=0.15,
                                             label=f"best threshold in {share} of resamples")
        if self.chosen_threshold is not None and math.isfinite(self.chosen_threshold):
            self.chosen_line_ = ax.axvline(self.chosen_threshold, color="0.2", linestyle="--", linewidth=1.5,
                                           label=f"chosen threshold {fmt_threshold(self.chosen_threshold)}")
        ax.set_xlabel(threshold_label(self.vocabulary))
        ax.set_ylabel(self.y_label)
        if self.metric == "value":
            ax.yaxis.set_major_formatter(compact_money)
        else:
            ax.set_ylim(-0.02, 1.02)
            ax.yaxis.set_major_formatter(percent_tick)
        ax.legend(fontsize="small", framealpha=0.85)
        self.ax_, self.figure_ = ax, ax.figure
        return self


class OptimumDisplay:
    """Where each resample's best threshold falls (histogram) and what choosing each threshold costs (regret).

    Parameters
    ----------
    best_thresholds : ndarray of shape (resamples,)
        :attr:`aipm_sim.Uncertainty.best_thresholds` (NaN and +inf are left out of the histogram).
    thresholds, regret : ndarray of shape (m,)
        Thresholds and the expected value lost at each (:meth:`aipm_sim.Uncertainty.regret`).
    chosen_threshold : float, optional
    volume, period, currency : optional
        Units of the regret axis.

    Attributes
    ----------
    ax_ (histogram), regret_ax_ (twin axis), figure_, bars_, regret_line_, chosen_line_
    """

    def __init__(self, *, best_thresholds, thresholds, regret, chosen_threshold=None, volume=None, period=None,
                 currency=None, bins=30):
        self.best_thresholds = np.asarray(best_thresholds, dtype=np.float64)
        self.thresholds = np.asarray(thresholds, dtype=np.float64)
        self.regret = np.asarray(regret, dtype=np.float64)
        if len(self.thresholds) != len(self.regret):
            raise ParameterError(f"thresholds and regret must have the same length; found "
                                 f"{[len(self.thresholds), len(self.regret)]}")
        self.chosen_threshold = chosen_threshold
        self.volume, self.period, self.currency = volume, period, currency
        self.bins = bins
        self.ax_ = self.regret_ax_ = self.figure_ = self.chosen_line_ = None

    @classmethod
    def from_uncertainty(cls, uncertainty, *, ax=None, bins=30, period=None, currency=None):
        """Draw an :class:`~aipm_sim.Uncertainty`; ``period`` and ``currency`` default to its decision's."""
        d = uncertainty.decision
        t = uncertainty.thresholds
        return cls(best_thresholds=uncertainty.best_thresholds, thresholds=t, regret=uncertainty.regret(t),
                   chosen_threshold=d.threshold, volume=uncertainty.volume, period=period or d.period,
                   currency=currency or d.currency, bins=bins).plot(ax=ax)

    def plot(self, ax=None):
        ax = get_axes(ax, type(self).__name__)
        best = self.best_thresholds[np.isfinite(self.best_thresholds)]
        if best.size:
            _, _, self.bars_ = ax.hist(best, bins=self.bins, color="0.6", label="best threshold of a resample")
        else:
            self.bars_ = None
        ax.set_xlabel(X_LABEL)
        ax.set_ylabel("resamples")
        twin = ax.twinx()
        finite = np.isfinite(self.thresholds)
        currency = UNNAMED_CURRENCY if self.currency is None else self.currency
        per = (f"expected value lost {period_words(self.volume, self.period)} ({currency})"
               if self.volume is not None else f"expected value lost, all the data's cases ({currency})")
        (self.regret_line_,) = twin.plot(self.thresholds[finite], self.regret[finite], color="C3",
                                         label="expected value lost by choosing this threshold")
        twin.set_ylabel(per)
        twin.yaxis.set_major_formatter(compact_money)
        if self.chosen_threshold is not None and math.isfinite(self.chosen_threshold):
            self.chosen_line_ = ax.axvline(self.chosen_threshold, color="0.2", linestyle="--", linewidth=1.5,
                                           label=f"chosen threshold {fmt_threshold(self.chosen_threshold)}")
        if best.size:
            lo, hi = float(best.min()), float(best.max())
            pad = 0.5 * (hi - lo) if hi > lo else max(abs(lo) * 0.5, 0.01)
            ax.set_xlim(max(lo - pad, float(np.nanmin(self.thresholds[finite]))), hi + pad)
        handles = [h for h in (self.bars_, self.regret_line_, self.chosen_line_) if h is not None]
        labels = [h.get_label() if hasattr(h, "get_label") else "best threshold of a resample" for h in handles]
        if self.bars_ is not None:
            labels[0] = "best threshold of a resample"
        ax.legend(handles, labels, fontsize="small", framealpha=0.85, loc="upper right")
        self.ax_, self.regret_ax_, self.figure_ = ax, twin, ax.figure
        return self



