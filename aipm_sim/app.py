"""App mode: serve a notebook with Voilà, so people see outputs and sliders, not code.

``aipm-sim app [NOTEBOOK]`` is a thin shell over Voilà: it finds the
notebook (default: the start-here explorer of a source checkout), picks a
free port on 127.0.0.1, prints the address and runs Voilà until Ctrl+C.

Where the default notebook comes from: the ``notebooks/`` folder is part of
the source repository, not of the installed package. The default is
``notebooks/00_start_here.ipynb`` next to the package's own folder (a clone
installed with ``pip install -e .`` / ``make lab``), then under the current
folder; when neither exists, the command asks for a notebook path instead
of guessing.
"""

from __future__ import annotations

import errno
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

#: File name of the start-here explorer in the repository's ``notebooks/`` folder.
DEFAULT_NOTEBOOK = "00_start_here.ipynb"
#: First port tried when none is given (Voilà's own default).
DEFAULT_PORT = 8866
#: Only this interface is served: the app is for the person at this machine.
HOST = "127.0.0.1"
#: How many ports above the first one are tried when it is taken.
PORT_TRIES = 50
#: A kernel whose page went away (no open connection) is shut down after this many idle seconds.
#: Each app page runs its own kernel (about 360 MB); a closed or reloaded tab used to keep it
#: until the app stopped. A page that is still open is never culled (its connection counts).
FREE_KERNEL_AFTER = 60

MSG_NOTEBOOK_MISSING = "notebook {!r} does not exist"
MSG_NOT_A_NOTEBOOK = "notebook {!r} must be a .ipynb file; found {!r}"
MSG_NO_DEFAULT = (
    "the start-here notebook (notebooks/" + DEFAULT_NOTEBOOK + ") was not found next to the "
    "package or under the current folder: give the notebook to serve, e.g. "
    "aipm-sim app path/to/" + DEFAULT_NOTEBOOK
)
MSG_PORT = "port must be an integer in [1, 65535]; found {!r}"
MSG_PORT_BUSY = "port {} on " + HOST + " is already in use: choose another with --port"
MSG_NO_FREE_PORT = "no free port on " + HOST + " between {} and {}: choose one with --port"
MSG_NO_VOILA = "app mode needs Voilà, which is not installed: pip install 'aipm_sim[app]'"
MSG_FREE_AFTER = "--free-kernels-after must be a whole number of seconds >= 1; found {!r}"


class AppError(ValueError):
    """The app cannot start: missing notebook, busy port, Voilà not installed."""


def default_notebook(*, cwd=None):
    """Path of the start-here explorer notebook, or None when it cannot be found.

    Looks in ``notebooks/`` beside the package folder (a source checkout),
    then in ``notebooks/`` under ``cwd`` (default: the current folder).
    """
    package_root = Path(__file__).resolve().parent.parent
    here = Path.cwd() if cwd is None else Path(cwd)
    for folder in (package_root, here):
        candidate = folder / "notebooks" / DEFAULT_NOTEBOOK
        if candidate.is_file():
            return candidate
    return None


def resolve_notebook(notebook=None, *, cwd=None):
    """The notebook to serve, as an absolute path; raises :class:`AppError` when unusable."""
    if notebook is None:
        found = default_notebook(cwd=cwd)
        if found is None:
            raise AppError(MSG_NO_DEFAULT)
        return found
    path = Path(notebook)
    if not path.is_absolute() and cwd is not None:
        path = Path(cwd) / path
    if not path.is_file():
        raise AppError(MSG_NOTEBOOK_MISSING.format(str(notebook)))
    if path.suffix.lower() != ".ipynb":
        raise AppError(MSG_NOT_A_NOTEBOOK.format(str(notebook), path.suffix or "no suffix"))
    return path.resolve()


def port_is_free(port, *, host=HOST):
    """True when a server could listen on ``host:port`` right now.

    Binds the way servers do (Tornado, and so Voilà, set ``SO_REUSEADDR``):
    connections of a stopped server that linger in TIME_WAIT for a minute do
    not make the port busy, a socket listening on it does.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                return False
            raise
    return True


def choose_port(port=None, *, host=HOST):
    """The port to serve on.

    ``port`` given: that port, which must be free. None: the first free port
    from :data:`DEFAULT_PORT` upwards (at most :data:`PORT_TRIES` tried).
    """
    if port is not None:
        if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
            raise AppError(MSG_PORT.format(port))
        if not port_is_free(port, host=host):
            raise AppError(MSG_PORT_BUSY.format(port))
        return port
    last = DEFAULT_PORT + PORT_TRIES - 1
    for candidate in range(DEFAULT_PORT, last + 1):
        if port_is_free(candidate, host=host):
            return candidate
    raise AppError(MSG_NO_FREE_PORT.format(DEFAULT_PORT, last))


def app_url(port):
    """Address of the app served on ``port``."""
    return f"http://{HOST}:{port}/"


def voila_command(notebook, *, port, open_browser=True, free_kernels_after=FREE_KERNEL_AFTER):
    """The Voilà command line that serves ``notebook`` on :data:`HOST`:``port``.

    Voilà is told not to look for another port (the caller chose a free one
    and printed it), and to open a browser tab only when ``open_browser``.
    A kernel without any open page is shut down once it has been idle for
    ``free_kernels_after`` seconds (Jupyter's kernel culling, checked at a
    quarter of that interval; kernels with an open page are never culled).
    """
    seconds = _free_after(free_kernels_after)
    command = [
        sys.executable, "-m", "voila", str(notebook),
        f"--port={port}",
        f"--Voila.ip={HOST}",
        "--Voila.port_retries=0",
        f"--MappingKernelManager.cull_idle_timeout={seconds}",
        f"--MappingKernelManager.cull_interval={max(1, seconds // 4)}",
        "--MappingKernelManager.cull_connected=False",
    ]
    if not open_browser:
        command.append("--no-browser")
    return command


def _free_after(seconds):
    if isinstance(seconds, bool) or not isinstance(seconds, int) or seconds < 1:
        raise AppError(MSG_FREE_AFTER.format(seconds))
    return seconds


def _voila_installed():
    import importlib.util

    return importlib.util.find_spec("voila") is not None


def serve(notebook=None, *, port=None, open_browser=True, out=None, free_kernels_after=FREE_KERNEL_AFTER):
    """Serve ``notebook`` with Voilà until interrupted; return Voilà's exit status.

    Parameters
    ----------
    notebook : str or path, optional
        The notebook to show; default: :func:`default_notebook`.
    port : int, optional
        Port on 127.0.0.1; default: the first free one from 8866.
    open_browser : bool
        Open a browser tab on the app once it is up.
    out : file, optional
        Where the address is printed (default: stdout).
    free_kernels_after : int
        Seconds after which the kernel of a page that went away (closed or
        reloaded tab) is shut down; see :func:`voila_command`.

    Raises
    ------
    AppError
        Missing notebook, busy port, or Voilà not installed.
    """
    out = sys.stdout if out is None else out
    path = resolve_notebook(notebook)
    _free_after(free_kernels_after)
    if not _voila_installed():
        raise AppError(MSG_NO_VOILA)
    port = choose_port(port)
    print(f"aipm-sim: serving {path.name} at {app_url(port)}", file=out)
    print("aipm-sim: press Ctrl+C to stop", file=out, flush=True)
    child = subprocess.Popen(voila_command(path, port=port, open_browser=open_browser,
                                           free_kernels_after=free_kernels_after))
    previous = signal.getsignal(signal.SIGTERM)

    def forward(signum, frame):
        child.send_signal(signum)

    in_main_thread = _in_main_thread()
    if in_main_thread:
        signal.signal(signal.SIGTERM, forward)
    try:
        while True:
            try:
                return child.wait()
            except KeyboardInterrupt:
                # Ctrl+C reaches Voilà too (same process group); wait for it to stop.
                if os.name != "posix":  # pragma: no cover - no process groups to rely on
                    child.send_signal(signal.SIGINT)
                continue
    finally:
        if in_main_thread:
            signal.signal(signal.SIGTERM, previous)


def _in_main_thread():
    import threading

    return threading.current_thread() is threading.main_thread()
