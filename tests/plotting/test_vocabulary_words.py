"""Charts speak the scenario's words: no fraud-queue word in a recommendations or screening chart.

Every Display that draws a threshold decision takes ``vocabulary=`` (a scenario's ``words``); the
test draws each of them for the recommendations preset (its minimum-score view) and the medical
screening preset, collects every Text of the figure (titles, axis labels, ticks, legend, cell
texts) and checks that none holds a generic word the scenario's vocabulary replaces.
"""

import re

import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

import aipm_sim as am
from aipm_sim.core import optimize
from aipm_sim.plotting import (
    ConfusionMatrixDisplay,
    GroupMetricsDisplay,
    MetricsCurveDisplay,
    PrecisionRecallDisplay,
    RocCurveDisplay,
    ScoreDistributionDisplay,
    ValueCurveDisplay,
)
from aipm_sim.plotting.uncertainty import BandDisplay

#: Words of the fraud queue and of the generic vocabulary that the two presets replace.
#: ("true/false positive rate" are the metrics' own names, as precision and recall are, and stay.)
FOREIGN = re.compile(r"\balerts?\b|fraud|to review|\bcases?\b|\bpositives?\b(?! rate)|\bnegatives?\b",
                     re.IGNORECASE)


def _texts(figure):
    return [t.get_text() for t in figure.findobj(Text) if t.get_visible() and t.get_text().strip()]


def _decision(name):
    scenario = am.load_scenario(name)
    view = scenario.threshold_view()
    decision = optimize(view.curve, view.value_model, volume=view.volume, **view.constraints)
    return scenario, decision


@pytest.mark.parametrize("name", ["recommendations", "medical_screening"])
def test_threshold_displays_speak_the_scenario_words(name):
    scenario, decision = _decision(name)
    words = scenario.words
    drawn = {}
    for display in (ValueCurveDisplay, MetricsCurveDisplay, ScoreDistributionDisplay, ConfusionMatrixDisplay,
                    PrecisionRecallDisplay, RocCurveDisplay):
        fig = Figure(layout="constrained")
        display.from_decision(decision, ax=fig.add_subplot(), vocabulary=words)
        drawn[display.__name__] = _texts(fig)
    generic = {}
    for display in (MetricsCurveDisplay, ScoreDistributionDisplay, PrecisionRecallDisplay, RocCurveDisplay):
        fig = Figure(layout="constrained")
        display.from_decision(decision, ax=fig.add_subplot())
        generic[display.__name__] = [t for t in _texts(fig) if FOREIGN.search(t)]
    assert all(generic.values()), "without the vocabulary the generic words show (the check can fail)"
    for display, texts in drawn.items():
        assert texts, display
        bad = [t for t in texts if FOREIGN.search(t)]
        assert not bad, f"{display} reads generic or fraud words in {name}: {bad}"
    # The scenario's own words are there instead.
    assert any(words.flagged in t for t in drawn["MetricsCurveDisplay"])
    assert any(words.positives in t for t in drawn["ScoreDistributionDisplay"])
    assert any(words.cases in t for t in drawn["ValueCurveDisplay"])


def test_without_a_vocabulary_the_generic_words_stay():
    _, decision = _decision("fraud_detection")
    fig = Figure(layout="constrained")
    d = MetricsCurveDisplay.from_decision(decision, ax=fig.add_subplot())
    assert d.ax_.get_xlabel() == "threshold (cases scoring at or above it are flagged)"
    assert "alert rate: cases flagged" in _texts(fig)


def test_band_and_group_displays_take_the_vocabulary():
    scenario = am.load_scenario("medical_screening")
    words = scenario.words
    data = scenario.score_set()
    unc = am.simulate_uncertainty(data, scenario.value_model(), resamples=20, seed=0, volume=scenario.volume)
    fig = Figure(layout="constrained")
    d = BandDisplay.from_uncertainty(unc, "precision", ax=fig.add_subplot(), vocabulary=words)
    assert d.ax_.get_ylabel() == f"precision (share of {words.alerts} that are {words.positives})"
    assert words.flagged in d.ax_.get_xlabel() and not FOREIGN.search(d.ax_.get_xlabel())

    groups = am.load_scenario("credit_approval_groups")
    sim = am.scenario_groups(groups, n_cases=2_000, seed=0)
    table = am.group_metrics(sim.measured, 0.5)
    fig = Figure(layout="constrained")
    g = GroupMetricsDisplay(table=table, vocabulary=groups.words).plot(ax=fig.add_subplot())
    assert g.labels_[0].startswith(groups.words.alert_rate)


@pytest.mark.parametrize("name", ["recommendations", "medical_screening"])
def test_the_explorer_pictures_speak_the_scenario_words(name):
    from aipm_sim.widgets.scenario_explorer import scenario_explorer

    explorer = scenario_explorer(am.load_scenario(name))
    for picture, image in explorer.figures.items():
        image.draw(full=True)
        bad = [t for t in _texts(image.figure) if FOREIGN.search(t)]
        assert not bad, f"the explorer's {picture} picture reads generic or fraud words in {name}: {bad}"


@pytest.mark.parametrize("name", ["fraud_detection", "recommendations", "medical_screening"])
def test_the_confusion_caption_fits_the_explorer_picture(name):
    from aipm_sim.widgets.scenario_explorer import scenario_explorer

    explorer = scenario_explorer(am.load_scenario(name))
    image = explorer.figures["confusion"]
    image.draw(full=True)
    fig = image.figure
    renderer = fig.canvas.get_renderer()
    caption = explorer.displays["confusion"].caption_
    assert caption.get_window_extent(renderer).x1 <= fig.bbox.x1, caption.get_text()
