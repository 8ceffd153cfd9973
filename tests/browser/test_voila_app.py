"""The explorer as a no-code app: ``aipm-sim app`` serving it with Voilà, used in Chromium."""

from browser_helpers import explorer_journey, wait_for_explorer


def test_app_shows_the_explorer_without_code(voila_app, page):
    page.goto(voila_app.url)
    wait_for_explorer(page, voila_app)
    assert page.locator("h1").first.inner_text().startswith("Start here")
    assert page.locator(".jp-InputArea-editor:visible, .CodeMirror:visible, .cm-editor:visible").count() == 0
    assert page.locator(".aipm-figure").count() == 6
    assert page.console_log.unexpected() == []


def test_app_slider_readout_and_optimum(voila_app, page):
    page.goto(voila_app.url)
    explorer_journey(page, voila_app)
    assert page.console_log.unexpected() == []
