"""ThresholdExplorer without a browser: set a control's value, check ``result`` and the plotted data."""

import html
import math
import re

import numpy as np
import pytest
from scipy import stats
from numpy.testing import assert_array_equal

import aipm_sim as am
from aipm_sim.core.errors import ParameterError
from aipm_sim.core.engine.optimize import exact_curve
from aipm_sim.widgets import ExplorerResult, ThresholdExplorer
from aipm_sim.widgets.explorer import (
    NOTE_BREAKS,
    NOTE_FLAT_VALUE,
    NOTE_INFEASIBLE,
    NOTE_NO_POSITIVES,
    NOTE_NOTHING_FLAGGED,
    NOTE_SINGLE_SCORE,
    SAMPLE_SIZES,
    MSG_VOLUME,
)

SCORES = np.array([0.95, 0.8, 0.6, 0.6, 0.4, 0.3, 0.2, 0.05])
LABELS = np.array([1, 0, 1, 0, 0, 1, 0, 0])
MONEY = am.ValueModel(tp=-5, fp=-5, fn=-200)


def toy_curve():
    return am.ThresholdCurve.from_scores(am.ScoreSet(SCORES, LABELS))


def brute_value(vm, threshold, scale=1.0):
    total = 0.0
    for s, y in zip(SCORES, LABELS):
        cell = ("tp" if s >= threshold else "fn") if y else ("fp" if s >= threshold else "tn")
        total += getattr(vm, cell)
    return total * scale


def brute_best(vm, scale=1.0, ok=lambda t: True):
    """Best threshold by trying every distinct score and 'flag nothing' (ties: fewest alerts)."""
    candidates = [math.inf, *sorted(set(SCORES.tolist()), reverse=True)]
    best = None
    for t in candidates:
        if ok(t) and (best is None or brute_value(vm, t, scale) > brute_value(vm, best, scale)):
            best = t
    return best


def explorer(source=None, vm=MONEY, **kwargs):
    kwargs.setdefault("render", False)
    return ThresholdExplorer(toy_curve() if source is None else source, vm, **kwargs)


# --------------------------------------------------------------------------------- start
def test_starts_at_the_optimum():
    ex = explorer()
    r = ex.result
    assert isinstance(r, ExplorerResult)
    assert r.point.threshold == brute_best(MONEY)
    assert r.value == brute_value(MONEY, r.point.threshold)
    assert r.gap_to_optimum == 0 and r.meets_constraints and r.notes == ()
    assert r.summary().splitlines()[-1].endswith("this is the best threshold")
    assert ex.last_error is None


@pytest.mark.parametrize("source", ["curve", "scores", "model"])
def test_accepts_each_kind_of_source(source):
    src = {"curve": toy_curve(), "scores": am.ScoreSet(SCORES, LABELS),
           "model": am.BinormalModel(prevalence=0.1, auc=0.8)}[source]
    ex = explorer(src)
    assert ex.result.point == ex.decision.point
    assert (ex.prevalence is not None) == (source == "model")


def test_bad_arguments_are_named():
    with pytest.raises(TypeError, match="^source must be a ThresholdCurve, a ScoreSet or a BinormalModel; found list$"):
        ThresholdExplorer([0.1, 0.2], MONEY)
    with pytest.raises(TypeError, match="^value_model must be a ValueModel; found dict$"):
        ThresholdExplorer(toy_curve(), {"tp": 1})
    with pytest.raises(TypeError, match="^unknown constraint 'min_recal'"):
        ThresholdExplorer(toy_curve(), MONEY, min_recal=0.5)
    with pytest.raises(ParameterError, match=r"^min_recall must be in \[0, 1\]; found 1.5$"):
        ThresholdExplorer(toy_curve(), MONEY, min_recall=1.5)
    with pytest.raises(ParameterError, match="^sample_size must be one of"):
        ThresholdExplorer(am.BinormalModel(prevalence=0.1, auc=0.8), MONEY, sample_size=123)
    with pytest.raises(ParameterError, match="^threshold_scale must be 'auto', 'linear' or 'log'; found 'ln'$"):
        ThresholdExplorer(toy_curve(), MONEY, threshold_scale="ln")
    with pytest.raises(ParameterError, match="^" + re.escape(MSG_VOLUME.format("day", -1)) + "$"):
        ThresholdExplorer(toy_curve(), MONEY, volume=-1, period="day")
    for bad in ("10k", [1], math.nan, math.inf, 0):
        with pytest.raises(ParameterError, match="^" + re.escape(MSG_VOLUME.format("period", bad)) + "$"):
            ThresholdExplorer(toy_curve(), MONEY, volume=bad)
    # Bounds are checked, under their own names, before anything uses them.
    with pytest.raises(ParameterError, match="^min_recall must be a number; found 'half'$"):
        ThresholdExplorer(toy_curve(), MONEY, min_recall="half")
    with pytest.raises(ParameterError, match=r"^max_alerts must be in \[0, inf\]; found -3$"):
        ThresholdExplorer(toy_curve(), MONEY, max_alerts=-3)


def test_constraint_bounds_given_as_text_are_numbers():
    ex = explorer(min_recall="0.5", max_alerts=None)
    assert ex.constraints == {"min_recall": 0.5}
    assert ex.result.decision.constraints == {"min_recall": 0.5}
    ex.threshold.value = 0.95  # catches 1 of 3 positives
    assert ex.result.broken_constraints == ("min_recall",) and ex.last_error is None


# ------------------------------------------------------------------------ the threshold
@pytest.mark.parametrize("t", [0.05, 0.25, 0.5, 0.6, 0.7, 0.9, 0.95])
def test_threshold_slider_updates_result_and_plots_synchronously(t):
    ex = explorer(volume=80)
    ex.threshold.value = t
    r = ex.result
    want = toy_curve().at(t)
    assert r.threshold == t
    assert r.point.to_dict() == want.to_dict()
    assert r.value == pytest.approx(brute_value(MONEY, t, scale=10))  # 80 cases per day / 8 in the data
    assert r.alerts_per_period == pytest.approx((SCORES >= t).sum() * 10)
    assert r.gap_to_optimum == pytest.approx(r.best_value - r.value)
    d = ex.displays
    assert_array_equal(d["value"].threshold_line_.get_xdata(), [want.threshold] * 2)
    assert d["value"].point_marker_.get_xydata().tolist() == [[want.threshold, pytest.approx(r.value)]]
    assert d["metrics"].markers_.get_xydata()[:, 1].tolist() == pytest.approx(
        [want.precision, want.recall, want.f1, want.alert_rate], nan_ok=True)
    assert d["roc"].point_marker_.get_xydata().tolist() == [[want.fpr, want.recall]]
    assert d["pr"].point_marker_.get_xydata().tolist() == [[want.recall, want.precision]]
    assert_array_equal(d["distribution"].threshold_line_.get_xdata(), [want.threshold] * 2)
    assert d["confusion"].counts_["tp"] == want.tp * 10
    assert ex.alerts.value == pytest.approx(r.alerts_per_period, abs=0.05)  # shown to 0.1 alert
    assert "aipm-kpi-value" in ex.kpis.value and ex.last_error is None


def test_alerts_box_flags_the_riskiest_cases():
    ex = explorer(volume=80)
    ex.alerts.value = 30  # 3 cases in the data
    want = toy_curve().top_k(3)
    assert ex.result.point.index == want.index
    assert ex.result.point.alerts == 2  # the tie at 0.6 cannot be split: 2 flagged, not 3
    assert ex.threshold.value == want.threshold
    assert ex.alerts.value == 20


def test_go_to_optimum_button():
    ex = explorer(min_recall=1.0)
    ex.threshold.value = 0.9
    assert not ex.result.meets_constraints
    ex.goto_optimum.click()
    ok = lambda t: (SCORES[LABELS == 1] >= t).all()  # noqa: E731
    assert ex.result.point.threshold == brute_best(MONEY, ok=ok)
    assert ex.result.point.index == ex.decision.index
    assert ex.result.gap_to_optimum == 0


def test_flag_nothing_says_so():
    ex = explorer()
    ex.alerts.value = 0
    r = ex.result
    assert r.point.alerts == 0 and r.point.threshold == math.inf
    assert math.isnan(r.point.precision)
    assert NOTE_NOTHING_FLAGGED in r.notes
    assert NOTE_NOTHING_FLAGGED in ex.kpis.value
    assert ex.last_error is None


# ---------------------------------------------------------------------- value and rules
def test_value_inputs_replace_the_value_model_and_move_the_optimum():
    ex = explorer()
    ex.threshold.value = 0.5
    ex.value_inputs["fn"].value = -2.0
    assert ex.value_model == am.ValueModel(tp=-5, fp=-5, fn=-2)
    r = ex.result
    assert r.threshold == 0.5  # the threshold stays; the optimum moves
    assert r.best_threshold == brute_best(ex.value_model)
    assert r.value == brute_value(ex.value_model, 0.5)
    v = ex.displays["value"]
    assert_array_equal(v.line_.get_xydata()[:, 1], [brute_value(ex.value_model, t) for t in toy_curve().thresholds[1:]])
    assert v.optimum_marker_.get_xydata()[0, 0] == min(r.best_threshold, 0.95)


def test_constraint_switches_and_bounds():
    ex = explorer()
    ex.constraint_inputs["min_recall"].value = 1.0
    assert ex.constraints == {}  # switched off: the bound alone does nothing
    ex.constraint_switches["min_recall"].value = True
    assert ex.constraints == {"min_recall": 1.0}
    ex.threshold.value = 0.9
    r = ex.result
    assert r.broken_constraints == ("min_recall",)
    assert NOTE_BREAKS.format("recall ≥ 100.0%") in r.notes
    assert ex.displays["value"].feasible is ex.decision.feasible
    ex.constraint_switches["max_alerts"].value = True
    ex.constraint_inputs["max_alerts"].value = 2
    r = ex.result
    assert r.decision is None and math.isnan(r.best_value) and math.isnan(r.gap_to_optimum)
    assert NOTE_INFEASIBLE.format(
        "catches at least 100% of positives and stays within 2 alerts in the data",
        "the most it catches while it stays within 2 alerts in the data is 33.3% of positives",
    ) in r.notes  # at most 2 alerts: the top score only (the tie at 0.6 makes 3), 1 of 3 positives
    # Still shaded row by row: recall 1 needs every positive (the last two rows); at most 2 alerts, the first three.
    rows = toy_curve()
    want = [(rec >= 1.0) and (a <= 2) for rec, a in zip(rows.recall, rows.alerts)]
    assert r.feasibility.feasible.tolist() == want == [False] * len(rows)
    assert ex.displays["value"].feasible.tolist() == want
    assert r.feasibility.masks["max_alerts"].tolist() == [a <= 2 for a in rows.alerts]
    assert r.broken_constraints == ("min_recall",)  # threshold 0.9: 1 alert
    assert ex.last_error is None
    ex.goto_optimum.click()  # nothing to go to: no error, no move
    assert ex.result.threshold == 0.9 and ex.last_error is None


# ------------------------------------------------------------------------- the model
def test_model_controls_rebuild_the_analytic_curve():
    ex = explorer(am.BinormalModel(prevalence=0.01, auc=0.8), volume=5000)
    ex.auc.value = 0.9
    ex.prevalence.value = 0.02
    model = am.BinormalModel(prevalence=ex.prevalence.value, auc=0.9)
    want = am.optimize(model, MONEY, volume=5000).curve  # the curve optimize decides on
    assert ex.model == am.BinormalModel(prevalence=ex.prevalence.value, auc=0.9)
    assert_array_equal(ex.curve.thresholds, want.thresholds)
    assert_array_equal(ex.curve.tp, want.tp)
    assert ex.result.curve is ex.curve
    assert ex.result.point.to_dict() == want.at(ex.result.threshold).to_dict()
    assert_array_equal(ex.displays["roc"].line_.get_xydata()[:, 0], want.fpr[ex.displays["roc"].rows_])


def test_sample_size_draws_a_seeded_sample():
    ex = explorer(am.BinormalModel(prevalence=0.05, auc=0.8), seed=7)
    ex.sample_size.value = 1000
    want = am.ThresholdCurve.from_scores(am.BinormalModel(prevalence=0.05, auc=0.8).sample(1000, seed=7))
    assert_array_equal(ex.curve.thresholds, want.thresholds)
    assert_array_equal(ex.curve.tp, want.tp)
    shown = ex.result.point.threshold  # the sampled row the reader looks at
    ex.sample_size.value = 0
    model = am.BinormalModel(prevalence=0.05, auc=0.8)
    # The curve optimize decides on, with the sampled row the reader looked at kept as a row.
    want = exact_curve(model.curve(n_cases=ex.volume, thresholds=[shown]), MONEY, volume=ex.volume)
    assert_array_equal(ex.curve.thresholds, want.thresholds)
    assert ex.result.point.threshold == shown


def test_analytic_optimum_is_exact_where_a_constraint_binds():
    # The optimum lies on the bound itself (recall exactly 0.5), not at a grid point inside it;
    # independent check: the closed-form recall of a binormal model, sf(x - d), at the chosen threshold.
    model = am.BinormalModel(prevalence=0.01, auc=0.8)
    money = am.ValueModel(tp=50, fp=-5)
    ex = explorer(model, money, volume=10_000, min_recall=0.5)
    r = ex.result
    d = math.sqrt(2) * stats.norm.ppf(0.8)
    assert stats.norm.sf(model.latent(r.threshold) - d) == pytest.approx(0.5, rel=1e-9)
    assert r.point.recall == pytest.approx(0.5, rel=1e-9)
    # ... and it is the best among the grid's thresholds too (a brute force over a fine grid).
    fine = model.curve(n_cases=10_000, n_thresholds=200_001)
    values = money.value(fine)
    ok = fine.recall >= 0.5
    assert r.best_value >= values[ok].max() - 1e-9 * abs(values[ok].max())

    # Rules and money move the exact rows with them: a new bound is met exactly, and without
    # rules the optimum is Elkan's threshold c_fp / (c_fp + gain of a caught positive), exactly.
    ex.constraint_inputs["min_recall"].value = 0.6
    assert ex.result.decision.point.recall == pytest.approx(0.6, rel=1e-9)  # the optimum; the slider stays
    ex.constraint_switches["min_recall"].value = False
    ex.value_inputs["fp"].value = -8.0
    assert ex.result.best_threshold == pytest.approx(8.0 / (8.0 + 50.0), rel=1e-12)


# -------------------------------------------------------------------------- extremes
EXTREMES = [
    ("prevalence", "min"), ("prevalence", "max"), ("auc", "min"), ("auc", "max"),
]


@pytest.mark.parametrize("control, end", EXTREMES)
@pytest.mark.parametrize("size", [0, 1000])
def test_model_controls_at_their_ends(control, end, size):
    ex = explorer(am.BinormalModel(prevalence=0.01, auc=0.8), min_recall=0.5, max_alert_rate=0.3)
    ex.sample_size.value = size
    w = getattr(ex, control)
    w.value = w.base ** getattr(w, end) if control == "prevalence" else getattr(w, end)
    for t in (ex.threshold.min, ex.threshold.max):
        ex.threshold.value = ex.threshold.base ** t if hasattr(ex.threshold, "base") else t
        assert ex.last_error is None
        assert math.isfinite(ex.result.value)
    ex.goto_optimum.click()
    assert ex.last_error is None


def test_auc_one_half_says_every_case_scores_the_same():
    ex = explorer(am.BinormalModel(prevalence=0.1, auc=0.5))
    assert NOTE_SINGLE_SCORE in ex.result.notes
    ex.threshold.value = ex.threshold.base ** ex.threshold.max if hasattr(ex.threshold, "base") else ex.threshold.max
    assert ex.last_error is None


def test_no_positives_in_a_small_sample_says_so():
    ex = explorer(am.BinormalModel(prevalence=0.01, auc=0.8), min_recall=0.5)
    ex.prevalence.value = ex.prevalence.base ** ex.prevalence.min  # 1 in 10,000
    ex.sample_size.value = 1000
    assert ex.curve.positives == 0
    r = ex.result
    assert NOTE_NO_POSITIVES in r.notes and r.decision is None  # min recall cannot be met either
    assert NOTE_NO_POSITIVES in ex.kpis.value
    assert ex.last_error is None


@pytest.mark.parametrize("costs", [
    dict(tp=0, fp=0, fn=0, tn=0),
    dict(tp=1e12, fp=-1e12, fn=-1e12, tn=1e12),
    dict(tp=-1e12, fp=1e12, fn=1e12, tn=-1e12),
])
def test_value_inputs_at_extremes(costs):
    ex = explorer(am.BinormalModel(prevalence=0.01, auc=0.8))
    for name, value in costs.items():
        ex.value_inputs[name].value = value
    assert ex.last_error is None
    assert ex.result.gap_to_optimum >= -1e-6 * max(1.0, abs(ex.result.best_value)) or not ex.result.meets_constraints
    if not any(costs.values()):
        assert NOTE_FLAT_VALUE in ex.result.notes


@pytest.mark.parametrize("name", ["min_recall", "min_precision", "max_alert_rate", "max_fpr", "max_alerts"])
@pytest.mark.parametrize("end", ["min", "max"])
def test_every_constraint_at_both_ends(name, end):
    ex = explorer(am.BinormalModel(prevalence=0.01, auc=0.8), volume=1000)
    ex.constraint_switches[name].value = True
    box = ex.constraint_inputs[name]
    low, high = am.CONSTRAINTS[name].bounds
    box.value = low if end == "min" else (high if math.isfinite(high) else 1e15)
    assert ex.last_error is None
    bound = box.value
    assert ex.constraints[name] == bound
    # Oracle: the rows meeting the bound, read straight off the curve's arrays.
    curve = ex.curve
    metric = {"min_recall": curve.recall, "min_precision": curve.precision, "max_alert_rate": curve.alert_rate,
              "max_fpr": curve.fpr, "max_alerts": curve.alerts * (1000 / curve.n_cases)}[name]
    with np.errstate(invalid="ignore"):
        ok = metric >= bound - 1e-9 if name.startswith("min") else metric <= bound * (1 + 1e-12) + 1e-9
    r = ex.result
    if ok.any():
        values = ex.value_model.value(curve, volume=1000)
        assert r.decision is not None and r.decision.constraints == {name: bound}
        assert ok[r.decision.index]
        assert r.best_value == pytest.approx(values[ok].max())
        assert not any(n.startswith("No threshold") for n in r.notes)
    else:
        assert r.decision is None and math.isnan(r.best_value)
        assert [n for n in r.notes if n.startswith("No threshold ")], r.notes
        for key in ("value", "metrics", "pr", "roc"):
            legend = [t.get_text() for t in ex.displays[key].ax_.get_legend().get_texts()]
            assert "best threshold" not in legend, key


def test_all_constraints_together_cannot_break_the_app():
    ex = explorer(am.BinormalModel(prevalence=0.001, auc=0.999))
    for name, value in dict(min_recall=1.0, min_precision=1.0, max_alert_rate=0.0, max_fpr=0.0).items():
        ex.constraint_inputs[name].value = value
        ex.constraint_switches[name].value = True
    assert ex.result.decision is None and ex.last_error is None


# ---------------------------------------------------------------------- errors, warnings
def test_callback_errors_are_shown_not_swallowed(monkeypatch):
    ex = explorer()

    def broken(point):
        raise RuntimeError("the plot broke")

    monkeypatch.setattr(ex.displays["roc"], "set_threshold", broken)
    ex.threshold.value = 0.5
    assert "RuntimeError: the plot broke" in ex.last_error
    shown = "".join(o.get("text", "") for o in ex.errors.outputs)
    assert "RuntimeError: the plot broke" in shown and "Traceback" in shown
    assert ex.errors.layout.display is None  # visible
    monkeypatch.undo()
    ex.clear_errors()
    ex.threshold.value = 0.3
    assert ex.last_error is None and ex.errors.outputs == ()
    assert ex.result.point.threshold == 0.3


def test_unknown_degenerate_warnings_become_notes(monkeypatch):
    ex = explorer()
    real = am.ValueModel.point_value

    def noisy(self, point, *, volume=None):
        import warnings

        warnings.warn("something odd but computable", am.DegenerateWarning)
        return real(self, point, volume=volume)

    monkeypatch.setattr(am.ValueModel, "point_value", noisy)
    ex.threshold.value = 0.5
    assert ex.result.notes == ("something odd but computable",)
    assert "something odd but computable" in ex.kpis.value
    assert ex.last_error is None
    monkeypatch.undo()
    ex.threshold.value = 0.3
    assert ex.result.notes == ()  # a note lives as long as the state it came with


def test_other_warnings_in_callbacks_go_to_the_error_area(monkeypatch):
    ex = explorer()
    real = am.ValueModel.point_value

    def noisy(self, point, *, volume=None):
        import warnings

        warnings.warn("a library changed its mind", FutureWarning)
        return real(self, point, volume=volume)

    monkeypatch.setattr(am.ValueModel, "point_value", noisy)
    ex.threshold.value = 0.5
    assert ex.last_error == "warning (FutureWarning): a library changed its mind\n"
    assert ex.result.point.threshold == 0.6  # the move itself went through


# ---------------------------------------------------------------------- pictures, layout
def test_rendering_sends_pngs_and_a_move_only_redraws_what_moves():
    ex = explorer(am.BinormalModel(prevalence=0.02, auc=0.85), render=True)
    images = {name: bytes(f.image.value) for name, f in ex.figures.items()}
    assert all(v.startswith(b"\x89PNG") for v in images.values())
    renders = {name: f.renders for name, f in ex.figures.items()}
    ex.threshold.value = ex.result.threshold * 2
    assert {name: f.renders for name, f in ex.figures.items()} == renders  # blitted, not re-rendered
    assert all(bytes(f.image.value) != images[name] for name, f in ex.figures.items())
    ex.value_inputs["fp"].value = -50
    assert all(f.renders == renders[name] + 1 for name, f in ex.figures.items())


def test_css_classes_and_descriptions_for_browser_tests():
    ex = explorer(am.BinormalModel(prevalence=0.02, auc=0.85), period="day")
    assert "aipm-threshold" in ex.threshold._dom_classes and ex.threshold.description == "threshold"
    assert "aipm-kpis" in ex.kpis._dom_classes
    assert "aipm-goto-optimum" in ex.goto_optimum._dom_classes and ex.goto_optimum.description == "go to optimum"
    assert "aipm-explorer" in ex.widget._dom_classes
    assert ex.alerts.description == "threshold for this many alerts per day"
    bundle = ex._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert re.match(r"^ThresholdExplorer\(threshold [0-9.]+, value \N{MINUS SIGN}?[0-9,.]+ per day\)$", repr(ex))
    unnamed = explorer(am.BinormalModel(prevalence=0.02, auc=0.85))
    assert unnamed.alerts.description == "threshold for this many alerts per period"  # no period named: none guessed
    assert "per period" in unnamed.result.summary() and "per day" not in unnamed.result.summary()


def test_log_slider_for_low_prevalence_probabilities_linear_otherwise():
    assert explorer(am.BinormalModel(prevalence=0.01, auc=0.8)).threshold_scale == "log"
    assert explorer().threshold_scale == "linear"
    ex = explorer(am.BinormalModel(prevalence=0.01, auc=0.8), threshold_scale="linear")
    assert ex.displays["value"].ax_.get_xscale() == "linear"


def test_sample_sizes_offered():
    ex = explorer(am.BinormalModel(prevalence=0.05, auc=0.8))
    assert [v for _, v in ex.sample_size.options] == list(SAMPLE_SIZES)


def test_alerts_box_at_its_maximum_flags_everything():
    ex = explorer(volume=80)
    ex.alerts.value = ex.alerts.max
    assert ex.result.point.alerts == len(SCORES)
    assert ex.result.point.recall == 1.0 and ex.last_error is None
    ex.threshold.value = ex.threshold.min
    assert ex.result.point.alerts == len(SCORES)
    ex.threshold.value = ex.threshold.max
    assert ex.result.point.alerts == 1  # the top score only


def test_a_browser_snapping_the_slider_to_its_step_grid_does_not_move_the_threshold():
    ex = explorer(am.BinormalModel(prevalence=0.01, auc=0.8), min_recall=0.5)
    s = ex.threshold
    best = ex.result.point
    # What the browser sends back: the exponent rounded to the slider's grid.
    k = round((math.log10(s.value) - s.min) / s.step)
    snapped = s.base ** (s.min + k * s.step)
    assert snapped != s.value
    s.set_state({"value": snapped})  # the path a browser message takes
    assert ex.result.point == best and ex.result.meets_constraints
    # A real move from the browser (one step) is applied.
    s.set_state({"value": s.base ** (s.min + (k + 1) * s.step)})
    assert ex.result.point.threshold > best.threshold
    # A programmatic set is always applied, even within half a step.
    ex.goto_optimum.click()
    s.value = snapped
    assert ex.result.threshold == snapped


def test_a_browser_snapping_model_sliders_does_not_change_the_model():
    ex = explorer(am.BinormalModel(prevalence=0.004, auc=0.8537))
    model, point = ex.model, ex.result.point
    p, a = ex.prevalence, ex.auc
    p.set_state({"value": p.base ** (round(math.log10(0.004) / p.step) * p.step)})
    a.set_state({"value": round(0.8537, 3)})
    assert ex.model == model and ex.result.point == point
    a.set_state({"value": 0.9})  # a real move
    assert ex.model == am.BinormalModel(prevalence=0.004, auc=0.9)


# ------------------------------------------------------------------ words and boxes
def test_no_threshold_meets_a_rule_said_in_words():
    # The top score is a negative: no threshold has every alert positive; the best is 1 of 2.
    scores = am.ScoreSet(np.array([0.9, 0.8, 0.7]), np.array([0, 1, 0]))
    ex = explorer(scores, min_precision=0.6)
    note = NOTE_INFEASIBLE.format("has at least 60% positives among its alerts",
                                  "the highest share of positives among its alerts is 50.0%")
    assert note in ex.result.notes and html.escape(note) in ex.kpis.value
    ex = explorer(am.BinormalModel(prevalence=0.01, auc=0.8), volume=10_000, period="day",
                  min_recall=0.4, max_alerts=500)
    (note,) = [n for n in ex.result.notes if n.startswith("No threshold")]
    assert note.startswith("No threshold catches at least 40% of positives and stays within 500 alerts per day; "
                           "the most it catches while it stays within 500 alerts per day is ")
    assert not re.search(r"min_|max_|=", note)  # no argument names: the readout is for a PM


@pytest.mark.parametrize("bad", [math.inf, -math.inf, math.nan])
def test_a_refused_money_input_puts_the_models_value_back_in_the_box(bad):
    ex = explorer()
    before = ex.result
    ex.value_inputs["fn"].value = bad
    assert "fn" in ex.last_error  # the error is shown ...
    assert ex.value_model == MONEY and ex.result.value == before.value
    assert ex.value_inputs["fn"].value == -200  # ... and the box shows what is used again
    ex.clear_errors()
    ex.value_inputs["fn"].value = -1000  # the box still works
    assert ex.value_model.fn == -1000 and ex.last_error is None


def test_a_refused_constraint_bound_puts_the_rule_in_force_back():
    ex = explorer(min_recall=0.5)
    ex.constraint_inputs["min_recall"].value = math.nan
    assert ex.constraints == {"min_recall": 0.5}
    assert any(n.endswith("refused: a recall is a share between 0 and 1 (0.5 is 50%). Kept 0.5 (50.0%).")
               for n in ex.result.notes)
    assert ex.constraint_inputs["min_recall"].value == 0.5
    assert ex.constraint_switches["min_recall"].value


def test_text_boxes_show_readable_numbers():
    vm = am.ValueModel(tp=-10 / 3, fp=-13 / 3, tp_amount=-0.050000000000000044, fn=-25.0)
    scores = am.ScoreSet(SCORES, LABELS, amounts=np.arange(1.0, 9.0))
    ex = explorer(scores, vm=vm, max_alert_rate=0.15000000000000002)
    boxes = {name: box.value for name, box in ex.value_inputs.items()}
    assert boxes["tp"] == -3.33333 and boxes["fp"] == -4.33333 and boxes["tp_amount"] == -0.05
    assert ex.constraint_inputs["max_alert_rate"].value == 0.15
    assert ex.value_model == vm  # only the boxes are rounded: the model keeps its numbers


# ------------------------------------------------------------------ slider and pictures agree
def test_the_threshold_beside_the_slider_is_the_one_in_the_readout():
    ex = explorer(am.BinormalModel(prevalence=0.01, auc=0.8), volume=10_000, min_recall=0.5)
    s = ex.threshold
    assert s.readout is False  # a browser would show a value set from Python snapped to the step grid
    for move in (lambda: None, lambda: setattr(s, "value", 0.0654), lambda: setattr(ex.alerts, "value", 321),
                 ex.goto_optimum.click):
        move()
        shown = re.search(r"<b>(.+)</b>", ex.threshold_readout.value).group(1)
        assert f"Threshold <b>{shown}</b>" in ex.kpis.value
        assert shown == f"{ex.result.point.threshold:.4g}"


def test_log_threshold_axes_cover_the_sliders_range():
    model = am.BinormalModel(prevalence=0.005, auc=0.9, amount_mean=60, positive_amount_mean=250)
    ex = explorer(model, am.ValueModel(tp=-3, fp=-3, fn_amount=-1.0, fp_amount=-0.01), volume=50_000,
                  max_alerts=400)
    assert ex.threshold_scale == "log"
    s = ex.threshold
    want = (s.base ** s.min, s.base ** s.max)
    for name in ("value", "metrics", "distribution"):
        assert ex.displays[name].ax_.get_xlim() == pytest.approx(want, rel=1e-9), name
    edges = ex.displays["distribution"].edges
    assert (edges[0], edges[-1]) == pytest.approx(want, rel=1e-9)
    ex.auc.value = 0.99  # a new curve: new slider range, the pictures follow
    want = (s.base ** s.min, s.base ** s.max)
    for name in ("value", "metrics", "distribution"):
        assert ex.displays[name].ax_.get_xlim() == pytest.approx(want, rel=1e-9), name


def iso_value(vm, curve, fpr, tpr):
    """Value of a ROC point, from the four cells (no amounts): the oracle for the iso-value line."""
    P, N = curve.positives, curve.negatives
    return P * tpr * vm.tp + P * (1 - tpr) * vm.fn + N * fpr * vm.fp + N * (1 - fpr) * vm.tn


def test_roc_iso_value_line_follows_the_slider():
    ex = explorer()
    roc = ex.displays["roc"]
    for t in (0.3, 0.6, 0.9):
        ex.threshold.value = t
        p = ex.result.point
        (x1, y1), (x2, y2) = roc.iso_line_.get_xy1(), roc.iso_line_.get_xy2()
        assert (x1, y1) == pytest.approx((p.fpr, p.recall))  # through the current point
        # Every point on the line is worth the same as the current threshold.
        assert iso_value(MONEY, ex.curve, x2, y2) == pytest.approx(iso_value(MONEY, ex.curve, x1, y1))
        assert iso_value(MONEY, ex.curve, x1, y1) == pytest.approx(ex.result.value)
        assert roc.iso_line_.get_visible()


def test_legends_follow_the_rules():
    ex = explorer(render=True)
    for name in ("value", "metrics", "pr", "roc"):
        assert "best threshold" in [t.get_text() for t in ex.displays[name].ax_.get_legend().get_texts()]
    ex.constraint_switches["min_recall"].value = True
    ex.constraint_inputs["min_recall"].value = 1.0
    ex.constraint_switches["max_alerts"].value = True
    ex.constraint_inputs["max_alerts"].value = 2  # nothing meets both
    assert ex.result.decision is None
    for name in ("value", "metrics", "pr", "roc"):
        assert "best threshold" not in [t.get_text() for t in ex.displays[name].ax_.get_legend().get_texts()]


def test_three_rules_that_cannot_all_hold_are_said_in_words():
    # core's test_three_constraints_that_cannot_all_hold, in the explorer: on the top-8 toy scores
    # (labels 1,0,0,0,1,1,1,1) each pair of rules holds, all three do not; the best recall within the
    # other two is 1 of 5 positives (the top score alone), 20 %.
    scores = [0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1]
    curve = am.ThresholdCurve.from_scores(am.ScoreSet(scores, [1, 0, 0, 0, 1, 1, 1, 1]))
    ex = explorer(curve, am.ValueModel(tp=1), max_alert_rate=0.75, min_precision=0.6, min_recall=0.4)
    assert ex.result.decision is None
    assert NOTE_INFEASIBLE.format(
        "catches at least 40% of positives, has at least 60% positives among its alerts and flags at most 75% "
        "of all cases",
        "the most it catches while it has at least 60% positives among its alerts and flags at most 75% of all "
        "cases is 20.0% of positives",
    ) in ex.result.notes


# -------------------------------------------------------------- one best answer everywhere
def test_explorer_and_optimize_on_the_model_show_one_best_threshold():
    # The start-here notebook's case: its chart is drawn from optimize(model, ...), the explorer below it.
    model = am.BinormalModel(prevalence=0.01, auc=0.8)
    money = am.ValueModel(tp=-5, fp=-5, fn=-200)
    d = am.optimize(model, money, volume=10_000, min_recall=0.5)
    for source in (model, model.curve(n_cases=10_000), model.curve()):  # the model, or a curve that knows it
        ex = explorer(source, money, volume=10_000, min_recall=0.5)
        r = ex.result
        assert r.best_threshold == d.threshold and r.threshold == d.threshold
        assert r.best_value == pytest.approx(d.value, rel=1e-12)
        assert r.point.recall == pytest.approx(0.5, rel=1e-12)
        assert ex.curve is ex.decision.curve and r.gap_words() == "this is the best threshold"
        # The value chart's star is that same optimum.
        value_display = ex.displays["value"]
        assert value_display.thresholds[value_display.optimum_index] == d.threshold
        assert value_display.values[value_display.optimum_index] == pytest.approx(d.value, rel=1e-12)


def test_explorer_slider_reads_the_model_exactly_between_rows():
    model = am.BinormalModel(prevalence=0.01, auc=0.8)
    ex = explorer(model, am.ValueModel(tp=-5, fp=-5, fn=-200), volume=10_000)
    ex.threshold.value = 1 / 11
    assert 1 / 11 not in ex.curve.thresholds
    exact = model.point(1 / 11, n_cases=10_000)
    assert ex.result.point.recall == pytest.approx(exact.recall, rel=1e-12)
    assert ex.result.point.alerts == pytest.approx(exact.alerts, rel=1e-12)


def test_text_form_is_the_state_in_words_not_the_widget_tree():
    ex = ThresholdExplorer(am.BinormalModel(0.02, 0.9), am.ValueModel(tp=90, fp=-5, fn=-100), volume=1000)
    data = ex._repr_mimebundle_()
    data = data[0] if isinstance(data, tuple) else data
    text = data["text/plain"]
    assert "VBox" not in text and "children" not in text
    assert text.startswith("The threshold explorer")
    assert ex.result.summary() in text
    assert "application/vnd.jupyter.widget-view+json" in data  # JupyterLab and Voilà still get the live widget
