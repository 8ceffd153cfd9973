"""The explorer as a no-code app: ``aipm-sim app`` serving it with Voilà, used in Chromium."""


def test_app_shows_the_explorer_without_code(voila_app, page):
    page.goto(voila_app.url)
    page.wait_for_selector(".jp-OutputArea-output", state="attached")
    page.wait_for_load_state("networkidle")
    assert page.locator(".jp-InputArea-editor:visible").count() == 0
    assert page.locator("h1").first.inner_text().startswith("Start here")
    assert page.console_log.unexpected() == []
