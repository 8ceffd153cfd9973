"""``make lab``, the README's first command, really opens JupyterLab on the start-here notebook.

The test runs the Makefile's own recipe (not a copy of its command line), on
a free port, with ``$BROWSER`` set to a script that records what JupyterLab
asks a browser to open: as for a person, a local redirect page whose target
is the notebook.
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_make_lab_serves_jupyterlab_and_opens_the_start_here_notebook(tmp_path):
    opened = tmp_path / "opened.txt"
    recorder = tmp_path / "browser.py"
    # JupyterLab opens a file:// redirect page (and deletes it when it stops): keep its text.
    recorder.write_text(
        "import sys, urllib.parse, urllib.request\n"
        "page = urllib.request.url2pathname(urllib.parse.urlparse(sys.argv[1]).path)\n"
        f"open({str(opened)!r}, 'w').write(open(page).read())\n"
    )
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "MAKE"))}
    env.update(
        JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "workspaces"),
        JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "settings"),
        BROWSER=f"{sys.executable} {recorder} %s",
    )
    lab_args = (
        f"--port={port} --ServerApp.ip=127.0.0.1 --ServerApp.port_retries=0 "
        "--IdentityProvider.token="
    )
    process = subprocess.Popen(
        ["make", "--no-print-directory", "lab", f"LAB_ARGS={lab_args}"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not opened.exists():
            if process.poll() is not None:
                pytest.fail(f"make lab exited with {process.returncode}:\n{process.stdout.read()}")
            assert time.monotonic() < deadline, "make lab opened no browser within 120 s"
            time.sleep(0.25)
        targets = set(re.findall(r"http://[^\"'; <>]+", opened.read_text()))
        url = f"http://127.0.0.1:{port}/lab/tree/00_start_here.ipynb"
        assert targets == {url}
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(url, timeout=60) as response:
            assert response.status == 200
            page = response.read().decode("utf-8")
        # No "Jupyter news" pop-up: the page tells JupyterLab that news are off.
        config = json.loads(re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>',
                                      page, re.S).group(1))
        assert config["news"] == {"disabled": True}
        # The server's root is notebooks/: the file browser shows every notebook.
        with opener.open(f"http://127.0.0.1:{port}/api/contents/00_start_here.ipynb",
                         timeout=60) as response:
            assert b"Start here" in response.read()
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        process.stdout.close()
