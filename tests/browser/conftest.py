"""Fixtures for the browser tests: real servers on 127.0.0.1, driven by a real Chromium.

* The Voilà app is started the way a facilitator starts it, with
  ``aipm-sim app NOTEBOOK --port P --no-browser``; JupyterLab with
  ``jupyter lab`` on a temporary copy of ``notebooks/`` (so running cells
  never autosaves into the repository). Both get temporary Jupyter
  runtime/config/data/workspace/settings folders, listen on a free port of
  127.0.0.1, are polled until they answer, and are stopped through their
  process group in the fixture finalizer.
* The browser is Debian's Chromium (``/usr/bin/chromium``; never a Playwright
  download), launched with the flags of ``/work/shared/TOOLING.md`` so that it
  does not try to reach the internet.
* Without Chromium or Playwright a developer's run skips with the reason;
  under CI (the ``CI`` environment variable set, as every CI service does)
  the same situation is a failure.
* A failing test leaves a full-page screenshot in ``test-artifacts/``.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import pytest
from browser_helpers import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    EXPLORER,
    LAB_SETTINGS,
    NOTEBOOKS,
    PAGE_TIMEOUT_MS,
    VIEWPORT,
    ConsoleLog,
    Server,
    free_port,
    jupyter_env,
    playwright_or_skip,
    unavailable,
)


@pytest.fixture(scope="session")
def explorer_notebook():
    if not EXPLORER.is_file():
        pytest.fail(f"the explorer notebook {EXPLORER} is missing", pytrace=False)
    return EXPLORER


def _serve_app(tmp_path_factory, notebook, name):
    """Start ``aipm-sim app NOTEBOOK`` on a free port; yield the :class:`Server`, then stop it."""
    folder = tmp_path_factory.mktemp(name)
    port = free_port()
    argv = [sys.executable, "-m", "aipm_sim.cli", "app", str(notebook), "--port", str(port), "--no-browser"]
    server = Server(name, argv, url=f"http://127.0.0.1:{port}/", folder=folder, env=jupyter_env(folder), cwd=folder)
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def voila_app(browser, tmp_path_factory, explorer_notebook):
    """The explorer served as an app by ``aipm-sim app``; yields the :class:`Server`."""
    yield from _serve_app(tmp_path_factory, explorer_notebook, "voila")


@pytest.fixture(scope="session")
def workshop_app(browser, tmp_path_factory):
    """Workshop exercise 1 served as an app, the way a facilitator hands it out."""
    notebook = NOTEBOOKS / "workshop" / "01_capacity.ipynb"
    if not notebook.is_file():
        pytest.fail(f"the workshop notebook {notebook} is missing", pytrace=False)
    yield from _serve_app(tmp_path_factory, notebook, "workshop")


@pytest.fixture(scope="session")
def jupyterlab(browser, tmp_path_factory, explorer_notebook):
    """JupyterLab on a temporary copy of ``notebooks/``; yields the :class:`Server`."""
    folder = tmp_path_factory.mktemp("jupyterlab")
    root = folder / "notebooks"
    shutil.copytree(NOTEBOOKS, root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    env = jupyter_env(folder)
    settings = Path(env["JUPYTERLAB_SETTINGS_DIR"])
    for name, text in LAB_SETTINGS.items():
        (settings / name).parent.mkdir(parents=True, exist_ok=True)
        (settings / name).write_text(text)
    port = free_port()
    argv = [
        sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}",
        "--ServerApp.ip=127.0.0.1", "--ServerApp.port_retries=0",
        "--IdentityProvider.token=", "--ServerApp.password=", "--allow-root",
        f"--ServerApp.root_dir={root}",
    ]
    server = Server("jupyterlab", argv, url=f"http://127.0.0.1:{port}/", folder=folder, env=env, cwd=root)
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


# -- browser and pages ----------------------------------------------------------------
@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium under Playwright (skips, or fails under CI, when either is missing)."""
    sync_playwright = playwright_or_skip()
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        unavailable(f"Chromium not found at {CHROMIUM} (Debian: apt-get install chromium)")
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


def _artifact_name(nodeid):
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid).strip("_")[:150] + ".png"


@pytest.fixture
def page(browser, request):
    """A fresh browser page (own context); its console is at ``page.console_log``.

    When the test fails, a full-page screenshot goes to ``test-artifacts/``.
    """
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    page.console_log = ConsoleLog(page)
    try:
        yield page
    finally:
        report = getattr(request.node, "report_call", None)
        if report is None or report.failed:
            ARTIFACTS.mkdir(exist_ok=True)
            target = ARTIFACTS / _artifact_name(request.node.nodeid)
            try:
                page.screenshot(path=str(target), full_page=True)
                print(f"screenshot saved to {target}")
            except Exception as exc:  # the page may be gone; the test's own error matters more
                print(f"could not save a screenshot: {exc}")
        context.close()
