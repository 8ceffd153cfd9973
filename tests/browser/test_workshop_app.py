"""A workshop participant in the no-code app: exercise 1, answered with the explorer and checked."""

from browser_helpers import (
    answer_self_check,
    press_on_slider,
    readout,
    readout_threshold,
    settle,
    wait_for_change,
    wait_for_explorer,
)

from aipm_sim import load_scenario


def test_participant_finds_the_capacity_threshold_and_checks_it(workshop_app, page):
    page.goto(workshop_app.url)
    wait_for_explorer(page, workshop_app)
    page.wait_for_selector(".aipm-self-check-answer input")
    assert page.locator(".cm-editor:visible, .jp-InputArea-editor:visible").count() == 0

    wrong = answer_self_check(page, "0.5")
    assert "Not yet" in wrong and "too high" in wrong

    # Lower the threshold: more orders are held than the team can review ...
    start_text, start = readout(page), readout_threshold(page)
    press_on_slider(page, "ArrowLeft", 5)
    wait_for_change(page, ".aipm-kpis", start_text)
    lowered = settle(page)
    assert float(readout_threshold(page)) < float(start)
    # ... then type the team's capacity into the alerts box, as the exercise says.
    capacity = load_scenario("fraud_detection").constraints["max_alerts"]
    alerts = page.locator(".aipm-alerts input")
    alerts.fill(f"{capacity:.0f}")
    alerts.press("Enter")
    wait_for_change(page, ".aipm-kpis", lowered)
    settle(page)

    right = answer_self_check(page, readout_threshold(page))
    assert "Within tolerance" in right
    assert page.console_log.unexpected() == []
