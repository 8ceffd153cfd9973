"""PrecisionRecallDisplay and RocCurveDisplay, checked against scikit-learn's public curves."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from .plotting_data import LABELS, SCORES, big_curve, toy_curve
from sklearn.metrics import precision_recall_curve, roc_curve

import aipm_sim as am
from aipm_sim.core.errors import ParameterError
from aipm_sim.plotting import PrecisionRecallDisplay, RocCurveDisplay
from aipm_sim.plotting.curves import (
    MSG_UPDATE_PR,
    PR_CAPTION,
    PR_X_LABEL,
    PR_Y_LABEL,
    ROC_CAPTION,
    ROC_X_LABEL,
    ROC_Y_LABEL,
)


def test_roc_line_is_sklearns_roc_curve(ax):
    d = RocCurveDisplay.from_curve(toy_curve(), ax=ax)
    fpr, tpr, _ = roc_curve(LABELS, SCORES, drop_intermediate=False)
    assert_allclose(d.line_.get_xydata(), np.column_stack([fpr, tpr]))
    assert_array_equal(d.chance_line_.get_xydata(), [[0, 0], [1, 1]])
    assert ax.get_xlabel() == ROC_X_LABEL and ax.get_ylabel() == ROC_Y_LABEL
    assert ax.get_title(loc="left") == ROC_CAPTION


def test_pr_line_is_sklearns_precision_recall_curve(ax):
    d = PrecisionRecallDisplay.from_curve(toy_curve(), ax=ax)
    precision, recall, thresholds = precision_recall_curve(LABELS, SCORES)
    # scikit-learn: increasing thresholds plus a final (recall 0, precision 1) point that is no threshold.
    want = np.column_stack([recall[:-1], precision[:-1]])[::-1]
    assert_allclose(d.line_.get_xydata(), want)
    assert ax.get_xlabel() == PR_X_LABEL and ax.get_ylabel() == PR_Y_LABEL
    assert ax.get_title(loc="left") == PR_CAPTION
    assert_array_equal(d.chance_line_.get_ydata(), [3 / 8, 3 / 8])  # prevalence: random flagging


def test_points_are_marked(ax):
    curve = toy_curve()
    decision = am.optimize(curve, am.ValueModel(tp=10, fp=-3))
    pr = PrecisionRecallDisplay.from_decision(decision, threshold=0.3, ax=ax)
    p = curve.at(0.3)
    assert pr.point_marker_.get_xydata().tolist() == [[p.recall, p.precision]]
    assert pr.optimum_marker_.get_xydata().tolist() == [[decision.point.recall, decision.point.precision]]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["flagging at random (prevalence)", "the model, one point per threshold",
                      "best threshold", "current threshold"]


def _value_at(vm, P, N, fpr, tpr):
    """Closed form: value of the ROC point (fpr, tpr) for P positives and N negatives."""
    tp, fp = tpr * P, fpr * N
    return vm.tp * tp + vm.fp * fp + vm.fn * (P - tp) + vm.tn * (N - fp)


def test_roc_point_and_iso_value_line(ax):
    curve = toy_curve()
    vm = am.ValueModel(tp=10, fp=-3, fn=-1)
    d = RocCurveDisplay.from_decision(am.optimize(curve, vm), threshold=0.5, ax=ax)
    p = curve.at(0.5)
    assert d.point_marker_.get_xydata().tolist() == [[p.fpr, p.recall]]
    (x1, y1), (x2, y2) = d.iso_line_.get_xy1(), d.iso_line_.get_xy2()
    assert (x1, y1) == (p.fpr, p.recall)
    # By hand: flagging a positive is worth 10 - (-1) = 11, a negative -3; 3 positives, 5 negatives.
    assert (y2 - y1) / (x2 - x1) == pytest.approx(3 * 5 / (11 * 3))
    assert d.iso_line_.get_visible()


@pytest.mark.parametrize(
    "vm",
    [am.ValueModel(tp=10, fp=-3), am.ValueModel(tp=-5, fp=-5, fn=-200), am.ValueModel(tp=1, fp=-1, fn=-2, tn=0.5)],
)
def test_points_on_the_drawn_iso_value_line_have_equal_value(ax, vm):
    curve = big_curve(2000)
    d = RocCurveDisplay.from_curve(curve, threshold=0.3, value_model=vm, ax=ax)
    (x1, y1), (x2, y2) = d.iso_line_.get_xy1(), d.iso_line_.get_xy2()
    slope = (y2 - y1) / (x2 - x1)
    P, N = curve.positives, curve.negatives
    for dx in (-0.1, 0.05, 0.3):
        assert _value_at(vm, P, N, x1 + dx, y1 + slope * dx) == pytest.approx(_value_at(vm, P, N, x1, y1))


def test_vertical_and_missing_iso_lines(ax):
    curve = toy_curve()
    d = RocCurveDisplay.from_curve(curve, threshold=0.5, value_model=am.ValueModel(fp=-1), ax=ax)
    (x1, y1), (x2, y2) = d.iso_line_.get_xy1(), d.iso_line_.get_xy2()
    assert x1 == x2 and y2 > y1
    d.update(iso_slope=None)
    assert not d.iso_line_.get_visible()
    d2 = RocCurveDisplay.from_curve(curve, ax=ax)
    assert not d2.iso_line_.get_visible() and d2.point_marker_.get_xydata().size == 0


def test_undefined_precision_is_not_drawn(ax):
    curve = toy_curve()
    d = PrecisionRecallDisplay.from_curve(curve, ax=ax)
    assert 0 not in d.rows_  # row 0 flags nothing: precision undefined
    assert np.isfinite(d.line_.get_xydata()).all()


def test_updates_move_artists_in_place(ax):
    curve, other = toy_curve(), big_curve(800)
    pr = PrecisionRecallDisplay.from_curve(curve, ax=ax)
    line = pr.line_
    pr.update(**PrecisionRecallDisplay.arrays_from_curve(other))
    assert pr.line_ is line
    assert_array_equal(line.get_xydata()[:, 0], other.recall[pr.rows_])
    assert_array_equal(pr.chance_line_.get_ydata(), [other.prevalence] * 2)
    with pytest.raises(ParameterError, match=MSG_UPDATE_PR):
        pr.update(precision=other.precision)


def test_roc_curve_is_thinned_along_both_rates(ax):
    curve = big_curve(30_000)
    d = RocCurveDisplay.from_curve(curve, ax=ax, max_points=240)
    assert d.rows_.size <= 242
    xy = d.line_.get_xydata()
    assert_array_equal(xy[:, 0], curve.fpr[d.rows_])
    assert_array_equal(xy[:, 1], curve.tpr[d.rows_])
    # Evenly along each rate: no gap wider than a grid step plus one row's own jump.
    assert np.diff(xy[:, 0]).max() < 1 / 70 + 1e-3
    assert np.diff(xy[:, 1]).max() < 1 / 70 + np.diff(curve.tpr).max()
