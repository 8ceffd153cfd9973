"""A workshop participant in the no-code app: exercise 1, answered with the explorer and checked."""

from browser_helpers import (
    answer_self_check,
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

    # Doing nothing does not pass: the explorer starts without the capacity limit, and the
    # threshold it shows holds more orders than the team can review.
    start_text, start = readout(page), readout_threshold(page)
    not_yet = answer_self_check(page, start)
    assert "Not yet" in not_yet and "more than the team can review" in not_yet
    wrong = answer_self_check(page, "0.5")
    assert "Not yet" in wrong and "too high" in wrong

    # Type the team's capacity (from the table above the explorer) into the alerts box, as the
    # exercise says; the threshold moves up until the held orders fit.
    capacity = load_scenario("fraud_detection").constraints["max_alerts"]
    assert f"{capacity:,.0f}" in page.inner_text("body")
    alerts = page.locator(".aipm-alerts input")
    alerts.fill(f"{capacity:.0f}")
    alerts.press("Enter")
    wait_for_change(page, ".aipm-kpis", start_text)
    settle(page)
    assert float(readout_threshold(page)) > float(start)

    right = answer_self_check(page, readout_threshold(page))
    assert "Within tolerance" in right
    assert page.console_log.unexpected() == []
