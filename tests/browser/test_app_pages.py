"""The app as a workshop laptop sees it: the recommendations explorer in its own words, the alerts
box, and kernels freed when pages go away (``aipm-sim app --free-kernels-after``)."""

from __future__ import annotations

import re
import sys
import time

import nbformat
import psutil
import pytest
from browser_helpers import Server, free_port, jupyter_env, settle, wait_for_change, wait_for_explorer

#: Words of the fraud queue that must not reach a reader of the recommendations decision.
FRAUD_WORDS = ("alert", "review", "fraud", "false alarm", "caught positive", "missed positive", "analyst",
               "(TP)", "(FP)")
#: Idle seconds after which the test app frees a page's kernel (the default is 60).
FREE_AFTER = 4


@pytest.fixture(scope="module")
def recommendations_app(browser, tmp_path_factory):
    """A one-cell notebook with the recommendations explorer, served by ``aipm-sim app``."""
    folder = tmp_path_factory.mktemp("recommendations_app")
    notebook = folder / "recommendations.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "import aipm_sim as am\nfrom aipm_sim.widgets.scenario_explorer import scenario_explorer\n"
        "scenario_explorer(am.load_scenario('recommendations'))")]
    nbformat.write(nb, notebook)
    port = free_port()
    argv = [sys.executable, "-m", "aipm_sim.cli", "app", str(notebook), "--port", str(port), "--no-browser",
            "--free-kernels-after", str(FREE_AFTER)]
    server = Server("recommendations", argv, url=f"http://127.0.0.1:{port}/", folder=folder,
                    env=jupyter_env(folder), cwd=folder)
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


def kernels(server):
    """Live kernel processes started by the app."""
    try:
        children = psutil.Process(server.process.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    out = []
    for child in children:
        try:
            if "ipykernel" in " ".join(child.cmdline()):
                out.append(child)
        except psutil.NoSuchProcess:
            continue
    return out


def test_the_recommendations_explorer_speaks_of_impressions_not_alerts(recommendations_app, page):
    page.goto(recommendations_app.url)
    wait_for_explorer(page, recommendations_app)
    text = page.inner_text(".aipm-explorer")
    for tab in page.locator(".aipm-settings .lm-TabBar-tab").all():  # every tab's text, too
        tab.click()
        text += page.inner_text(".aipm-settings")
    for word in FRAUD_WORDS:
        assert word.lower() not in text.lower(), word
    assert "impressions shown per month" in text and "relevant item shown (a click)" in text


def test_the_alerts_box_moves_the_threshold_to_that_many_and_agrees_with_the_card(recommendations_app, page):
    page.goto(recommendations_app.url)
    wait_for_explorer(page, recommendations_app)
    before = page.inner_text(".aipm-kpis")
    box = page.locator(".aipm-alerts input")
    box.fill("1000000")
    box.press("Enter")
    wait_for_change(page, ".aipm-kpis", before)
    settle(page)
    card = re.search(r"impressions shown per month\s+([\d,]+)", page.inner_text(".aipm-kpis"))
    shown = float(box.input_value())
    assert shown == int(shown)  # whole impressions, as the card shows them
    assert card and int(card.group(1).replace(",", "")) == int(shown)
    # The box moves the threshold; it does not switch a capacity rule on.
    assert not page.locator(".aipm-constraint-max-alerts input[type=checkbox]").is_checked()


def test_closed_pages_free_their_kernels(recommendations_app, browser):
    for _ in range(3):
        context = browser.new_context()
        tab = context.new_page()
        tab.goto(recommendations_app.url)
        wait_for_explorer(tab, recommendations_app)
        context.close()  # the tab goes away: its kernel has no connection left
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(kernels(recommendations_app)) > 1:
        time.sleep(1)
    assert len(kernels(recommendations_app)) <= 1, recommendations_app.log_tail()
