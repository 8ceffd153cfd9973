"""Building blocks of the browser tests: servers, the browser's console, JupyterLab steps.

Imported by ``conftest.py`` (the fixtures) and by the test modules.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
EXPLORER = NOTEBOOKS / "00_start_here.ipynb"
ARTIFACTS = ROOT / "test-artifacts"

CHROMIUM = Path(os.environ.get("AIPM_SIM_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: Tall, so that a full explorer fits in one screenshot.
VIEWPORT = {"width": 1280, "height": 2000}
#: Servers start in about 4 s here; the limit only guards against a hang.
SERVER_START_SECONDS = 120
#: Default limit for any wait in a page (kernel start + first plot on a busy 2-core machine).
PAGE_TIMEOUT_MS = 90_000

#: Voilà's page template fetches Font Awesome from a CDN; offline (as here and
#: in CI) that gives exactly these console errors on every load.
ALLOWED_CONSOLE_ERRORS = (
    re.compile(r"https://cdn\.jsdelivr\.net/npm/@fortawesome/fontawesome-free@[^/]+/css/(all|v4-shims)\.min\.css"),
)

# JupyterLab user settings for a quiet, deterministic session: no "Jupyter
# news" pop-up, no update check, no autosave, and the notebook's own kernel
# started without a "Select Kernel" dialog.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        '{"fetchNews": "false", "checkForUpdates": false}',
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": '{"autosave": false}',
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": '{"autoStartDefaultKernel": true}',
}


# -- availability ------------------------------------------------------------------
def in_ci():
    """True when the ``CI`` environment variable says this is a CI run."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def unavailable(reason):
    """Skip on a developer machine; fail under CI, where the browser tests must run."""
    if in_ci():
        pytest.fail(f"{reason}; CI is set, so the browser tests must run, not skip", pytrace=False)
    pytest.skip(reason)


def playwright_or_skip():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed (pip install -e '.[dev]')")
    return sync_playwright


# -- servers --------------------------------------------------------------------------
def free_port():
    """A port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def jupyter_env(folder):
    """The environment for a Jupyter process whose state stays inside ``folder``."""
    env = dict(os.environ)
    for var, name in (
        ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("JUPYTER_CONFIG_DIR", "config"),
        ("JUPYTER_DATA_DIR", "data"),
        ("JUPYTERLAB_WORKSPACES_DIR", "workspaces"),
        ("JUPYTERLAB_SETTINGS_DIR", "settings"),
    ):
        path = folder / name
        path.mkdir(parents=True, exist_ok=True)
        env[var] = str(path)
    # An inherited MPLBACKEND=Agg would make inline figures disappear in the kernel.
    env.pop("MPLBACKEND", None)
    env["PYTHONUNBUFFERED"] = "1"
    return env


class Server:
    """A server process in its own process group, with its output in a log file."""

    def __init__(self, name, argv, *, url, folder, env, cwd):
        self.name = name
        self.url = url
        self.log_path = folder / f"{name}.log"
        self._log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
            stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True,
        )

    def log_tail(self, lines=40):
        self._log.flush()
        text = self.log_path.read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])

    def wait_ready(self, path="api/status"):
        """Poll ``url + path`` until the server answers (any HTTP status counts)."""
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        deadline = time.monotonic() + SERVER_START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"{self.name} exited with status {self.process.returncode} before answering:\n"
                    + self.log_tail()
                )
            try:
                with opener.open(self.url + path, timeout=5):
                    return
            except urllib.error.HTTPError:
                return  # an HTTP answer, even a redirect or 404, means it is listening
            except (urllib.error.URLError, OSError):
                time.sleep(0.25)
        raise RuntimeError(f"{self.name} did not answer within {SERVER_START_SECONDS} s:\n" + self.log_tail())

    def stop(self):
        """SIGTERM to the process group (Jupyter then shuts its kernels down), SIGKILL if stuck."""
        if self.process.poll() is None:
            pgid = os.getpgid(self.process.pid)
            os.killpg(pgid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(pgid, signal.SIGKILL)
                self.process.wait()
        self._log.close()


class ConsoleLog:
    """Console errors and uncaught exceptions of one page."""

    def __init__(self, page):
        self.errors = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.errors.append(f"uncaught: {exc}"))

    def _on_console(self, message):
        if message.type == "error":
            url = (message.location or {}).get("url", "")
            self.errors.append(f"{message.text} ({url})" if url else message.text)

    def unexpected(self):
        """Errors other than the known, harmless ones (:data:`ALLOWED_CONSOLE_ERRORS`)."""
        return [e for e in self.errors if not any(p.search(e) for p in ALLOWED_CONSOLE_ERRORS)]


# -- JupyterLab helpers ---------------------------------------------------------------
#: Code cells whose prompt shows a number or "*" have run or are running.
_STARTED_PROMPT = re.compile(r"\[(\d+|\*)\]")
#: A code cell that has run shows its execution count.
_DONE_PROMPT = re.compile(r"\[\d+\]")


def _lab_command(page, menu, command):
    """Click main-menu ``menu`` then the item bound to ``command`` (a JupyterLab command id)."""
    page.locator("li.lm-MenuBar-item", has_text=menu).first.click()
    page.locator(f"li.lm-Menu-item[data-command='{command}']").first.click()


def accept_dialog(page):
    """Accept a JupyterLab dialog if one is open (e.g. "Select Kernel": the notebook's own kernel)."""
    dialog = page.locator(".jp-Dialog")
    if dialog.count() and dialog.first.is_visible():
        dialog.locator(".jp-mod-accept").first.click()
        return True
    return False


def open_in_lab(page, server, name):
    """Open notebook ``name`` of the Lab server's root and wait for an idle kernel."""
    page.goto(f"{server.url}lab/tree/{name}")
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell")
    accept_dialog(page)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']")


def run_all_cells(page, *, attempts=3, start_seconds=10, finish_seconds=PAGE_TIMEOUT_MS / 1000):
    """Clear every output, then Run All Cells until every code cell has run; retry when it does not.

    The first "Run All Cells" after opening a notebook sometimes does nothing
    (about 3 runs in 8 on these machines), and a run can stop early when the
    kernel session is still settling. Outputs are cleared first so that
    progress is visible in the prompts ("[*]" queued or running, "[n]" done).
    Fails, naming the first error output, when the run keeps stopping early.
    """
    prompts = page.locator(".jp-CodeCell .jp-InputPrompt")
    idle = page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']")
    for attempt in range(1, attempts + 1):
        _lab_command(page, "Edit", "editmenu:clear-all")
        _lab_command(page, "Run", "runmenu:run-all")
        deadline = time.monotonic() + start_seconds
        started = False
        while time.monotonic() < deadline and not started:
            started = any(_STARTED_PROMPT.search(t) for t in prompts.all_inner_texts())
            if not started:
                if accept_dialog(page):
                    deadline = time.monotonic() + start_seconds  # the kernel starts now
                page.wait_for_timeout(250)
        if not started:
            continue
        deadline = time.monotonic() + finish_seconds
        stopped_since = None
        while time.monotonic() < deadline:
            texts = prompts.all_inner_texts()
            if all(_DONE_PROMPT.search(t) for t in texts):
                return attempt
            accept_dialog(page)
            running = any("[*]" in t for t in texts)
            if not running and idle.count():
                stopped_since = stopped_since or time.monotonic()
                if time.monotonic() - stopped_since > 2:
                    break  # the run stopped before the last cell: try again
            else:
                stopped_since = None
            page.wait_for_timeout(250)
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    first = errors.first.inner_text()[:2000] if errors.count() else "no error output"
    raise AssertionError(f"Run All Cells did not run every cell in {attempts} attempts; first error: {first}")


# -- the explorer (aipm_sim.widgets.ThresholdExplorer), as a person uses it -----------------
#: The readout starts with "Threshold 0.0202: flag cases ...".
_KPI_THRESHOLD = re.compile(r"Threshold\s+(\S+):")


#: What Voilà shows instead of a cell's output when the cell raised.
VOILA_CELL_ERROR = "There was an error when executing cell"


def wait_for_explorer(page, server=None):
    """Wait until the explorer's slider, readout and first value picture are on the page.

    Fails at once, with the end of ``server``'s log, when a cell raised in
    the kernel (Voilà then shows an error box instead of the widgets).
    """
    slider = page.locator(".aipm-threshold .noUi-handle")
    failed = page.get_by_text(VOILA_CELL_ERROR)
    slider.or_(failed).first.wait_for()
    if failed.count():
        log = f"\n--- {server.name} log ---\n{server.log_tail()}" if server is not None else ""
        raise AssertionError(f"a notebook cell failed in the kernel: {failed.first.inner_text()}{log}")
    page.wait_for_selector(".aipm-kpis .aipm-kpi-value")
    page.wait_for_selector(".aipm-figure-value[src^='blob:']")


def readout(page):
    """The KPI readout's text."""
    return page.inner_text(".aipm-kpis")


def readout_threshold(page):
    """The threshold the readout reports, as written there."""
    match = _KPI_THRESHOLD.search(readout(page))
    assert match, f"no threshold in the readout: {readout(page)!r}"
    return match.group(1)


def picture(page, name="value"):
    """(src, PNG screenshot) of one explorer picture: both change when it is redrawn."""
    image = page.locator(f".aipm-figure-{name}")
    image.scroll_into_view_if_needed()
    return image.get_attribute("src"), image.screenshot()


def press_on_slider(page, key, times):
    """Focus the threshold slider's handle and press ``key`` ``times`` times, like a keyboard user."""
    handle = page.locator(".aipm-threshold .noUi-handle")
    handle.focus()
    for _ in range(times):
        handle.press(key)


def wait_for_change(page, selector, old_text, *, timeout_ms=60_000):
    """Wait until the text of ``selector`` differs from ``old_text``; return the new text."""
    page.wait_for_function(
        "([sel, old]) => { const e = document.querySelector(sel); return e && e.innerText !== old; }",
        arg=[selector, old_text], timeout=timeout_ms,
    )
    return page.inner_text(selector)


def settle(page, *, quiet_ms=1500, timeout_ms=60_000):
    """Wait until the readout has not changed for ``quiet_ms``; return its text.

    A burst of key presses reaches the kernel as several updates; the next
    step of a test must start from the last one, not from an intermediate one.
    """
    deadline = time.monotonic() + timeout_ms / 1000
    last, since = readout(page), time.monotonic()
    while time.monotonic() < deadline:
        page.wait_for_timeout(250)
        now = readout(page)
        if now != last:
            last, since = now, time.monotonic()
        elif (time.monotonic() - since) * 1000 >= quiet_ms:
            return last
    raise AssertionError(f"the readout kept changing for {timeout_ms} ms")


def wait_for_new_src(page, name, old_src, *, timeout_ms=60_000):
    """Wait until explorer picture ``name`` shows a new image."""
    page.wait_for_function(
        "([sel, old]) => { const e = document.querySelector(sel); return e && e.src !== old; }",
        arg=[f".aipm-figure-{name}", old_src], timeout=timeout_ms,
    )


def set_money(page, cell, value):
    """Type ``value`` into the money box of ``cell`` ("fp", "fn", ...) and commit it (Enter)."""
    box = page.locator(f".aipm-value-{cell} input")
    box.scroll_into_view_if_needed()
    box.fill(str(value))
    box.press("Enter")


def go_to_optimum(page):
    page.locator(".aipm-goto-optimum").click()


def explorer_journey(page, server=None):
    """What a person does with the start-here explorer, with the checks a reviewer would make.

    1. Keyboard: five ArrowRight presses on the threshold slider raise the
       threshold; the readout and the value picture change (new image, other pixels).
    2. "go to optimum" brings back the starting (best) threshold.
    3. A missed fraud now costs 1,000 instead of 200: the readout's value
       changes at once, and "go to optimum" moves to a lower threshold
       (catching more fraud is now worth more false alarms).
    """
    wait_for_explorer(page, server)
    start_text, start = readout(page), readout_threshold(page)
    src, pixels = picture(page, "value")

    press_on_slider(page, "ArrowRight", 5)
    wait_for_change(page, ".aipm-kpis", start_text)
    moved_text = settle(page)
    moved = readout_threshold(page)
    assert float(moved) > float(start), (start, moved)
    assert moved_text.split("\n")[1:] != start_text.split("\n")[1:]  # the KPIs, not only the heading
    wait_for_new_src(page, "value", src)
    new_src, new_pixels = picture(page, "value")
    assert new_src != src and new_pixels != pixels

    go_to_optimum(page)
    wait_for_change(page, ".aipm-kpis", moved_text)
    before = settle(page)
    assert readout_threshold(page) == start

    set_money(page, "fn", -1000)
    wait_for_change(page, ".aipm-kpis", before)
    repriced = settle(page)
    assert readout_threshold(page) == start  # the slider stays where it was ...
    go_to_optimum(page)
    wait_for_change(page, ".aipm-kpis", repriced)
    settle(page)
    assert float(readout_threshold(page)) < float(start)  # ... and the optimum moved down


def answer_self_check(page, text, *, index=0):
    """Type ``text`` into self-check box number ``index`` and press Enter; return the verdict text."""
    check = page.locator(".aipm-self-check").nth(index)
    box = check.locator(".aipm-self-check-answer input")
    box.scroll_into_view_if_needed()
    old = check.locator(".aipm-self-check-verdict").inner_text()
    box.fill(text)
    box.press("Enter")
    page.wait_for_function(
        "([i, old]) => { const v = document.querySelectorAll('.aipm-self-check-verdict')[i];"
        " return v && v.innerText.trim() !== '' && v.innerText !== old; }",
        arg=[index, old],
    )
    return check.locator(".aipm-self-check-verdict").inner_text()
