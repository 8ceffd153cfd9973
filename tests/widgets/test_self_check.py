"""The SelfCheck widget, without a browser: set the answer's ``.value``, read ``.result``."""

import pytest

import aipm_sim as am
from aipm_sim.workshop import self_check as sc
from aipm_sim.widgets import SelfCheck


def test_typing_an_answer_checks_it():
    w = SelfCheck("capacity_threshold")
    assert w.result is None
    expected = sc.capacity_threshold()
    w.answer.value = f"{expected * 1.02:.6f}"  # committed (Enter or leaving the box)
    assert w.result.correct
    assert "Within tolerance" in w.verdict.value
    w.answer.value = f"{expected * 2:.6f}"
    assert not w.result.correct
    assert "too high" in w.verdict.value
    assert f"{expected:.4g}" not in w.verdict.value  # the widget never gives the answer away


def test_a_capacity_answer_that_overfills_the_queue_is_refused():
    w = SelfCheck("capacity_threshold")
    w.answer.value = f"{sc.capacity_threshold() * 0.96:.6f}"  # within 5 %, but below
    assert not w.result.correct
    assert "more than the team can review" in w.verdict.value
    assert w.result.message == sc.check("capacity_threshold", w.answer.value).message


def test_the_button_checks_the_current_answer():
    w = SelfCheck("doubled_fee_value_change")
    w.button.click()
    assert w.result.message == sc.MSG_EMPTY
    w.answer.value = "lots"
    w.button.click()
    assert w.result.message == sc.MSG_NOT_A_NUMBER.format("lots")


def test_choice_questions_use_a_dropdown():
    w = SelfCheck("doubled_fee_threshold_move")
    assert list(w.answer.options) == ["choose…", "up", "down", "the same"]
    w.answer.value = "up"
    assert not w.result.correct
    w.answer.value = sc.doubled_fee_threshold_move()
    assert w.result.correct


def test_prefilled_answer_is_checked_at_once():
    w = SelfCheck("firm_up_first", answer=sc.firm_up_first())
    assert w.result.correct
    assert repr(w) == f"SelfCheck('firm_up_first': {w.result.message})"


def test_css_classes_for_browser_tests():
    w = SelfCheck("recommendation_uplift")
    assert "aipm-self-check" in w.widget._dom_classes
    assert "aipm-self-check-answer" in w.answer._dom_classes
    assert "aipm-self-check-button" in w.button._dom_classes
    assert "aipm-self-check-verdict" in w.verdict._dom_classes


def test_unknown_question():
    with pytest.raises(am.ParameterError, match="unknown question 'nope'"):
        SelfCheck("nope")


def test_the_text_form_is_the_question_and_the_verdict_never_the_answer():
    w = SelfCheck("labels_for_recall_margin")
    data = w._repr_mimebundle_()
    data = data[0] if isinstance(data, tuple) else data
    assert data["text/plain"] == "Check yourself: " + w.question.prompt  # not "VBox(children=…"
    assert data["text/markdown"] == "**Check yourself:** " + w.question.prompt
    assert "application/vnd.jupyter.widget-view+json" in data  # the live widget where widgets render
    w.answer.value = "-5"
    assert w.text().splitlines()[1].startswith("\u2718 Not yet")
    expected = sc.labels_for_recall_margin()
    assert f"{expected:,.0f}" not in w.text() and f"{expected:.4g}" not in w.text()
    fee = SelfCheck("doubled_fee_value_change", answer="-5")
    assert "Not yet: \u22125 is" in fee.text() and "-5" not in fee.text()  # the participant's number, true minus


def test_the_answer_box_suggests_numbers_with_a_true_minus():
    assert "\u22121,250" in SelfCheck("doubled_fee_value_change").answer.placeholder


def test_the_apps_text_form_is_a_sentence_not_a_widget_repr():
    from aipm_sim.widgets import experiments, groups, monitoring
    from aipm_sim.widgets._text_form import with_text

    import ipywidgets

    box = ipywidgets.VBox([ipywidgets.HTML("x")])
    data = with_text(box, "The planner.", markdown="**The planner.**")
    data = data[0] if isinstance(data, tuple) else data
    assert data["text/plain"] == "The planner." and data["text/markdown"] == "**The planner.**"
    assert "application/vnd.jupyter.widget-view+json" in data
    for module in (experiments, groups, monitoring):
        assert "JupyterLab or Voilà" in module.TEXT_FORM and "VBox" not in module.TEXT_FORM
