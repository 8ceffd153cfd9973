"""``aipm-sim app``: finding the notebook, choosing the port, serving it with Voilà.

The browser tests (tests/browser/) use the served app in Chromium; these
tests cover the parts a browser cannot see, and one real start without a
browser, so that app mode is checked even where Chromium is missing.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from aipm_sim import app
from aipm_sim.cli import main

ROOT = Path(__file__).resolve().parents[1]
START_HERE = ROOT / "notebooks" / "00_start_here.ipynb"


@pytest.fixture
def busy_port():
    """A port on 127.0.0.1 that a socket listens on for the test's duration."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def test_default_notebook_is_the_start_here_explorer_of_the_checkout():
    assert app.resolve_notebook() == START_HERE


def test_default_notebook_falls_back_to_the_current_folder(tmp_path, monkeypatch):
    # An installed (non-editable) package has no notebooks/ beside it.
    monkeypatch.setattr(app, "__file__", str(tmp_path / "site-packages" / "aipm_sim" / "app.py"))
    (tmp_path / "work" / "notebooks").mkdir(parents=True)
    notebook = tmp_path / "work" / "notebooks" / app.DEFAULT_NOTEBOOK
    notebook.write_text("{}")
    assert app.resolve_notebook(cwd=tmp_path / "work") == notebook
    with pytest.raises(app.AppError) as info:
        app.resolve_notebook(cwd=tmp_path)
    assert str(info.value) == app.MSG_NO_DEFAULT


def test_given_notebook_is_made_absolute(tmp_path):
    notebook = tmp_path / "mine.ipynb"
    notebook.write_text("{}")
    assert app.resolve_notebook("mine.ipynb", cwd=tmp_path) == notebook
    assert app.resolve_notebook(notebook).is_absolute()


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("missing.ipynb", False, app.MSG_NOTEBOOK_MISSING.format("missing.ipynb")),
        ("notes.md", True, app.MSG_NOT_A_NOTEBOOK.format("notes.md", ".md")),
        ("folder.ipynb", "dir", app.MSG_NOTEBOOK_MISSING.format("folder.ipynb")),
    ],
)
def test_bad_notebook_is_refused(tmp_path, name, make, message):
    if make == "dir":
        (tmp_path / name).mkdir()
    elif make:
        (tmp_path / name).write_text("# notes")
    with pytest.raises(app.AppError) as info:
        app.resolve_notebook(name, cwd=tmp_path)
    assert str(info.value) == message


@pytest.mark.parametrize("port", [0, 65536, -1, 8866.0, "8866", True])
def test_port_out_of_range_is_refused(port):
    with pytest.raises(app.AppError) as info:
        app.choose_port(port)
    assert str(info.value) == app.MSG_PORT.format(port)


def test_busy_port_given_is_refused(busy_port):
    assert not app.port_is_free(busy_port)
    with pytest.raises(app.AppError) as info:
        app.choose_port(busy_port)
    assert str(info.value) == app.MSG_PORT_BUSY.format(busy_port)


def test_port_left_in_time_wait_by_a_stopped_server_is_free():
    # A server that closed its side of a connection first leaves it in TIME_WAIT for
    # a minute; restarting the app on that port at once must still work.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        with socket.create_connection(("127.0.0.1", port)) as client:
            accepted, _ = server.accept()
            accepted.close()  # the server's side closes first: it goes to TIME_WAIT
            client.recv(1)  # sees the close, so the server's side leaves FIN_WAIT
    assert _server_side_in_time_wait(port), "the test did not make a TIME_WAIT socket"
    assert app.port_is_free(port)
    assert app.choose_port(port) == port


def _server_side_in_time_wait(port):
    """True when a TCP connection whose local port is ``port`` is in TIME_WAIT (Linux /proc)."""
    try:
        rows = Path("/proc/net/tcp").read_text().splitlines()[1:]
    except OSError:
        pytest.skip("no /proc/net/tcp: cannot see TIME_WAIT sockets on this system")
    # Columns: sl local_address rem_address st ...; st 06 is TIME_WAIT; ports are hex.
    return any(int(r.split()[1].split(":")[1], 16) == port and r.split()[3] == "06" for r in rows)


def test_default_port_skips_a_busy_one(busy_port, monkeypatch):
    monkeypatch.setattr(app, "DEFAULT_PORT", busy_port)
    chosen = app.choose_port()
    assert busy_port < chosen < busy_port + app.PORT_TRIES
    assert app.port_is_free(chosen)


def test_no_free_port_is_reported(busy_port, monkeypatch):
    monkeypatch.setattr(app, "DEFAULT_PORT", busy_port)
    monkeypatch.setattr(app, "PORT_TRIES", 1)
    with pytest.raises(app.AppError) as info:
        app.choose_port()
    assert str(info.value) == app.MSG_NO_FREE_PORT.format(busy_port, busy_port)


def test_voila_command_serves_only_localhost_on_the_chosen_port():
    command = app.voila_command(START_HERE, port=9001, open_browser=False)
    assert command[:4] == [sys.executable, "-m", "voila", str(START_HERE)]
    assert {"--port=9001", "--Voila.ip=127.0.0.1", "--Voila.port_retries=0", "--no-browser"} <= set(command)
    assert "--no-browser" not in app.voila_command(START_HERE, port=9001, open_browser=True)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["app", "missing.ipynb"], app.MSG_NOTEBOOK_MISSING.format("missing.ipynb")),
        (["app", "--port", "0"], app.MSG_PORT.format(0)),
    ],
)
def test_cli_bad_input_exits_2_with_one_line(argv, message, capsys):
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"aipm-sim: error: {message}\n"


def test_cli_busy_port_exits_2(busy_port, capsys):
    assert main(["app", str(START_HERE), "--port", str(busy_port), "--no-browser"]) == 2
    assert capsys.readouterr().err == f"aipm-sim: error: {app.MSG_PORT_BUSY.format(busy_port)}\n"


def _wait_for_http(url, process, seconds=120):
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "aipm-sim app exited before serving"
        try:
            with opener.open(url, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, ""
        except (urllib.error.URLError, OSError):
            time.sleep(0.25)
    raise AssertionError(f"nothing answered at {url}")


def _os_free_port():
    # An OS-assigned port: other test runs on the same machine may be using 8866 and up.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_app_prints_its_address_serves_the_notebook_and_stops_with_voila(tmp_path):
    port = _os_free_port()
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    env["JUPYTER_RUNTIME_DIR"] = str(tmp_path)
    process = subprocess.Popen(
        [sys.executable, "-m", "aipm_sim.cli", "app", "--no-browser", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env, cwd=tmp_path,
        start_new_session=True,
    )
    try:
        first = process.stdout.readline()
        url = app.app_url(port)
        assert first == f"aipm-sim: serving {app.DEFAULT_NOTEBOOK} at {url}\n"
        status, html = _wait_for_http(url, process)
        assert status == 200
        assert "Start here" in html  # the notebook's title, rendered by Voilà
        # SIGTERM to the aipm-sim process alone (not its group) must stop Voilà too.
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) in (0, -signal.SIGTERM, 128 + signal.SIGTERM)
        deadline = time.monotonic() + 60
        while not app.port_is_free(port) and time.monotonic() < deadline:
            time.sleep(0.25)
        assert app.port_is_free(port), "Voilà kept running after aipm-sim app stopped"
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        process.stdout.close()
