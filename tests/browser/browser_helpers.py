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
# news" pop-up, no update check, no autosave.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        '{"fetchNews": "false", "checkForUpdates": false}',
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": '{"autosave": false}',
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


def _lab_command(page, menu, command):
    """Click main-menu ``menu`` then the item bound to ``command`` (a JupyterLab command id)."""
    page.locator("li.lm-MenuBar-item", has_text=menu).first.click()
    page.locator(f"li.lm-Menu-item[data-command='{command}']").first.click()


def open_in_lab(page, server, name):
    """Open notebook ``name`` of the Lab server's root and wait for an idle kernel."""
    page.goto(f"{server.url}lab/tree/{name}")
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell")
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']")


def run_all_cells(page, *, attempts=3, start_seconds=10):
    """Clear every output, then Run All Cells, retrying when the run does not start.

    The first "Run All Cells" after opening a notebook sometimes does nothing
    (about 3 runs in 8 on these machines); outputs are cleared first so that a
    started run is visible: some code cell's prompt then shows "[*]" or a number.
    """
    prompts = page.locator(".jp-CodeCell .jp-InputPrompt")
    for attempt in range(1, attempts + 1):
        _lab_command(page, "Edit", "editmenu:clear-all")
        _lab_command(page, "Run", "runmenu:run-all")
        deadline = time.monotonic() + start_seconds
        while time.monotonic() < deadline:
            if any(_STARTED_PROMPT.search(text) for text in prompts.all_inner_texts()):
                return attempt
            page.wait_for_timeout(250)
    raise AssertionError(f"Run All Cells did not start after {attempts} attempts")
