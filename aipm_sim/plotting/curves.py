"""Precision-recall and ROC curves with the current operating point."""

from __future__ import annotations

import math

import numpy as np

from ..core.errors import ParameterError
from ._base import COLORS, KEEP, MAX_POINTS, get_axes, refresh_legend, select_rows, words_of

PR_CAPTION = "Each point is a threshold: catching more positives costs precision."
PR_X_LABEL = "recall: share of positives that get flagged"
PR_Y_LABEL = "precision: share of flagged cases that are positive"
ROC_CAPTION = "Each point is a threshold: up and to the left is better."
ROC_X_LABEL = "false positive rate: share of negatives wrongly flagged"
ROC_Y_LABEL = "true positive rate (recall): share of positives flagged"


def pr_words(vocabulary=None):
    """(caption, x label, y label) of the precision-recall chart in a decision's words (None: the defaults)."""
    if vocabulary is None:
        return PR_CAPTION, PR_X_LABEL, PR_Y_LABEL
    v = words_of(vocabulary)
    return (f"Each point is a threshold: catching more {v.positives} costs precision.",
            f"recall: share of {v.positives} {v.flagged}",
            f"precision: share of {v.alerts} that are {v.positives}")


def roc_words(vocabulary=None):
    """(x label, y label) of the ROC chart in a decision's words (None: the defaults)."""
    if vocabulary is None:
        return ROC_X_LABEL, ROC_Y_LABEL
    v = words_of(vocabulary)
    return (f"false positive rate: share of {v.negatives} {v.flagged}",
            f"true positive rate (recall): share of {v.positives} {v.flagged}")
MSG_UPDATE_PR = "update needs precision and recall together"
MSG_UPDATE_ROC = "update needs fpr and tpr together"


def _points_xy(point, x_name, y_name):
    if point is None:
        return [], []
    return [getattr(point, x_name)], [getattr(point, y_name)]


class PrecisionRecallDisplay:
    """Precision against recall, one point per threshold, with the current point marked.

    Parameters
    ----------
    precision, recall : ndarray of shape (m,)
        Aligned curve arrays (fractions; precision is NaN where nothing is
        flagged and is not drawn there).
    point, optimum : OperatingPoint, optional
        Current point (black dot) and best point (green star).
    prevalence : float, optional
        Share of positives: the precision of flagging at random (dotted line).
    max_points : int or None

    Attributes
    ----------
    ax_, figure_, line_, point_marker_, optimum_marker_, chance_line_, caption_, rows_
    """

    def __init__(self, *, precision, recall, point=None, optimum=None, prevalence=None,
                 max_points=MAX_POINTS, vocabulary=None):
        self.vocabulary = vocabulary
        self.precision = precision
        self.recall = recall
        self.point = point
        self.optimum = optimum
        self.prevalence = prevalence
        self.max_points = max_points
        self.ax_ = None

    @classmethod
    def from_curve(cls, curve, *, threshold=None, optimum=None, ax=None, max_points=MAX_POINTS,
                   vocabulary=None, **kwargs):
        """Draw a curve's precision-recall trade-off; ``threshold`` marks ``curve.at(threshold)``."""
        point = None if threshold is None else curve.at(threshold)
        return cls(**cls.arrays_from_curve(curve), point=point, optimum=optimum,
                   max_points=max_points, vocabulary=vocabulary).plot(ax=ax, **kwargs)

    @classmethod
    def from_decision(cls, decision, *, threshold=None, ax=None, max_points=MAX_POINTS, vocabulary=None,
                      **kwargs):
        """Draw a Decision's curve with its optimum; ``threshold`` defaults to the optimum."""
        curve = decision.curve
        point = decision.point if threshold is None else curve.at(threshold)
        return cls(**cls.arrays_from_curve(curve), point=point, optimum=decision.point,
                   max_points=max_points, vocabulary=vocabulary).plot(ax=ax, **kwargs)

    @staticmethod
    def arrays_from_curve(curve):
        return {"precision": curve.precision, "recall": curve.recall, "prevalence": curve.prevalence}

    def plot(self, ax=None, *, caption=None, **kwargs):
        """Draw into ``ax`` (a new figure if None); ``kwargs`` go to the curve. Returns self."""
        words, x_label, y_label = pr_words(self.vocabulary)
        caption = words if caption is None else caption
        ax = get_axes(ax, f"{type(self).__name__}.plot")
        self.ax_, self.figure_ = ax, ax.figure
        self.chance_line_ = ax.axhline(
            np.nan, color=COLORS["chance"], linestyle=":", label="flagging at random (prevalence)"
        )
        kwargs.setdefault("color", COLORS["precision"])
        (self.line_,) = ax.plot([], [], label="the model, one point per threshold", **kwargs)
        (self.optimum_marker_,) = ax.plot(
            [], [], "*", color=COLORS["optimum"], markersize=14, zorder=4, label="best threshold"
        )
        (self.point_marker_,) = ax.plot(
            [], [], "o", color=COLORS["point"], markersize=7, zorder=5, label="current threshold"
        )
        ax.set_xlim(-0.02, 1.02)
        ax.set_ylim(-0.02, 1.02)
        ax.set_xlabel(x_label)
        ax.set_ylabel(y_label)
        self.caption_ = ax.set_title(caption, loc="left", fontsize="medium")
        self._draw_data()
        self.set_threshold(self.point)
        return self

    def _legend(self):
        """Legend of what is drawn (no star without an optimum, no chance line without a prevalence)."""
        refresh_legend(self.ax_, [self.chance_line_, self.line_, self.optimum_marker_, self.point_marker_],
                       loc="upper right")

    def _draw_data(self):
        p = np.asarray(self.precision, dtype=np.float64)
        r = np.asarray(self.recall, dtype=np.float64)
        # Rows with an undefined precision (nothing flagged) are not drawn.
        rows = select_rows([r], self.max_points)
        self.rows_ = rows[np.isfinite(p[rows])]
        self.line_.set_data(r[self.rows_], p[self.rows_])
        prev = self.prevalence
        visible = prev is not None and math.isfinite(prev)
        self.chance_line_.set_ydata([prev, prev] if visible else [np.nan, np.nan])
        self.chance_line_.set_visible(visible)
        self.optimum_marker_.set_data(*_points_xy(self.optimum, "recall", "precision"))
        self._legend()

    def update(self, *, precision=None, recall=None, prevalence=KEEP, optimum=KEEP):
        """Replace the curve (precision and recall together) and/or the optimum."""
        if (precision is None) != (recall is None):
            raise ParameterError(MSG_UPDATE_PR)
        if precision is not None:
            self.precision, self.recall = precision, recall
        if prevalence is not KEEP:
            self.prevalence = prevalence
        if optimum is not KEEP:
            self.optimum = optimum
        if self.ax_ is not None:
            self._draw_data()
        return self

    def set_threshold(self, point):
        """Move the current point's dot (None hides it)."""
        self.point = point
        if self.ax_ is not None:
            self.point_marker_.set_data(*_points_xy(point, "recall", "precision"))
            self._legend()
        return self

    @property
    def moving_artists_(self):
        return [self.point_marker_]


class RocCurveDisplay:
    """True positive rate against false positive rate, with the current point and its iso-value line.

    Parameters
    ----------
    fpr, tpr : ndarray of shape (m,)
        Aligned curve arrays (fractions in [0, 1]).
    point, optimum : OperatingPoint, optional
        Current point (black dot) and best point (green star).
    iso_slope : float or None
        Slope of the line of equal value through the current point (see
        :meth:`aipm_sim.ValueModel.iso_value_slope`); None draws no line,
        ``math.inf`` a vertical one.
    max_points : int or None

    Attributes
    ----------
    ax_, figure_, line_, chance_line_, point_marker_, optimum_marker_, iso_line_, caption_, rows_
    """

    def __init__(self, *, fpr, tpr, point=None, optimum=None, iso_slope=None, max_points=MAX_POINTS,
                 vocabulary=None):
        self.vocabulary = vocabulary
        self.fpr = fpr
        self.tpr = tpr
        self.point = point
        self.optimum = optimum
        self.iso_slope = iso_slope
        self.max_points = max_points
        self.ax_ = None

    @classmethod
    def from_curve(cls, curve, *, threshold=None, optimum=None, value_model=None, ax=None,
                   max_points=MAX_POINTS, vocabulary=None, **kwargs):
        """Draw a curve's ROC; with ``value_model`` the iso-value line goes through the current point."""
        point = None if threshold is None else curve.at(threshold)
        slope = None if value_model is None else value_model.iso_value_slope(curve)
        return cls(**cls.arrays_from_curve(curve), point=point, optimum=optimum, iso_slope=slope,
                   max_points=max_points, vocabulary=vocabulary).plot(ax=ax, **kwargs)

    @classmethod
    def from_decision(cls, decision, *, threshold=None, ax=None, max_points=MAX_POINTS, vocabulary=None,
                      **kwargs):
        """Draw a Decision's ROC, optimum and iso-value line; ``threshold`` defaults to the optimum."""
        curve = decision.curve
        point = decision.point if threshold is None else curve.at(threshold)
        return cls(**cls.arrays_from_curve(curve), point=point, optimum=decision.point,
                   iso_slope=decision.value_model.iso_value_slope(curve),
                   max_points=max_points, vocabulary=vocabulary).plot(ax=ax, **kwargs)

    @staticmethod
    def arrays_from_curve(curve):
        return {"fpr": curve.fpr, "tpr": curve.tpr}

    def plot(self, ax=None, *, caption=ROC_CAPTION, **kwargs):
        """Draw into ``ax`` (a new figure if None); ``kwargs`` go to the curve. Returns self."""
        ax = get_axes(ax, f"{type(self).__name__}.plot")
        self.ax_, self.figure_ = ax, ax.figure
        (self.chance_line_,) = ax.plot(
            [0, 1], [0, 1], color=COLORS["chance"], linestyle=":", label="a model that guesses (AUC 0.5)"
        )
        kwargs.setdefault("color", COLORS["negative"])
        (self.line_,) = ax.plot([], [], label="the model, one point per threshold", **kwargs)
        self.iso_line_ = ax.axline(
            (0.0, 0.0), (1.0, 1.0), color=COLORS["iso"], linestyle="--", linewidth=1.2,
            label="same value as the current threshold",
        )
        (self.optimum_marker_,) = ax.plot(
            [], [], "*", color=COLORS["optimum"], markersize=14, zorder=4, label="best threshold"
        )
        (self.point_marker_,) = ax.plot(
            [], [], "o", color=COLORS["point"], markersize=7, zorder=5, label="current threshold"
        )
        ax.set_xlim(-0.02, 1.02)
        ax.set_ylim(-0.02, 1.02)
        x_label, y_label = roc_words(self.vocabulary)
        ax.set_xlabel(x_label)
        ax.set_ylabel(y_label)
        self.caption_ = ax.set_title(caption, loc="left", fontsize="medium")
        self._draw_data()
        self.set_threshold(self.point)
        return self

    def _legend(self):
        """Legend of what is drawn (no iso-value line without a value model, no star without an optimum)."""
        refresh_legend(self.ax_, [self.chance_line_, self.line_, self.iso_line_, self.optimum_marker_,
                                  self.point_marker_], loc="lower right")

    def _draw_data(self):
        x = np.asarray(self.fpr, dtype=np.float64)
        y = np.asarray(self.tpr, dtype=np.float64)
        self.rows_ = select_rows([x, y], self.max_points)
        self.line_.set_data(x[self.rows_], y[self.rows_])
        self.optimum_marker_.set_data(*_points_xy(self.optimum, "fpr", "recall"))
        self._legend()

    def update(self, *, fpr=None, tpr=None, optimum=KEEP, iso_slope=KEEP):
        """Replace the curve (fpr and tpr together), the optimum and/or the iso-value slope."""
        if (fpr is None) != (tpr is None):
            raise ParameterError(MSG_UPDATE_ROC)
        if fpr is not None:
            self.fpr, self.tpr = fpr, tpr
        if optimum is not KEEP:
            self.optimum = optimum
        if iso_slope is not KEEP:
            self.iso_slope = iso_slope
        if self.ax_ is not None:
            self._draw_data()
            self.set_threshold(self.point)
        return self

    def set_threshold(self, point):
        """Move the current point and its iso-value line (None hides both)."""
        self.point = point
        if self.ax_ is None:
            return self
        self.point_marker_.set_data(*_points_xy(point, "fpr", "recall"))
        x0 = np.nan if point is None else point.fpr
        y0 = np.nan if point is None else point.recall
        slope = self.iso_slope
        drawable = point is not None and slope is not None and math.isfinite(x0) and math.isfinite(y0)
        self.iso_line_.set_visible(drawable)
        if drawable:
            # Through (x0, y0) in direction (1, slope), or straight up for an infinite slope.
            dx, dy = (0.0, 1.0) if math.isinf(slope) else (1.0, slope)
            self.iso_line_.set_xy1((x0, y0))
            self.iso_line_.set_xy2((x0 + dx, y0 + dy))
        self._legend()
        return self

    @property
    def moving_artists_(self):
        return [self.point_marker_, self.iso_line_]
