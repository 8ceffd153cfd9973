"""Writing an output file whole or not at all: the one mechanism behind ``aipm-sim … -o`` and the reports.

The text goes to a temporary file beside the target, which is renamed over
the target only when everything succeeded; on any failure it is removed, so
a reader never sees half a file. The checks run when the ``with`` block is
entered, before the caller does any work, so that a bad path fails at once.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

MSG_OUTPUT_EMPTY = "the output file name is empty"
MSG_OUTPUT_FOLDER = "output folder {!r} does not exist"
MSG_OUTPUT_IS_FOLDER = "output {!r} is a folder, not a file"
MSG_OUTPUT_NOT_FILE = "output {!r} exists and is not a regular file, a terminal or a pipe"
MSG_OUTPUT_FAILED = "cannot write {!r}: {}"

_MESSAGES = {
    "empty": lambda e: MSG_OUTPUT_EMPTY,
    "folder": lambda e: MSG_OUTPUT_IS_FOLDER.format(e.path),
    "no_folder": lambda e: MSG_OUTPUT_FOLDER.format(e.folder),
    "not_file": lambda e: MSG_OUTPUT_NOT_FILE.format(e.path),
    "unwritable": lambda e: MSG_OUTPUT_FAILED.format(e.path, e.reason),
    "failed": lambda e: MSG_OUTPUT_FAILED.format(e.path, e.reason),
}


class OutputPathError(ValueError):
    """``path`` cannot be written; the message names ``path`` as given, never the temporary file.

    Attributes
    ----------
    problem : {"empty", "folder", "no_folder", "not_file", "unwritable", "failed"}
        Why: no name; a folder; its folder is missing; an existing file that is
        neither regular, a terminal nor a pipe; its folder refuses a new file;
        writing or renaming failed.
    path : str
        The output as given.
    folder : str
        Its folder as given (``"."`` for a bare file name).
    reason : str or None
        The operating system's words, for "unwritable" and "failed".
    """

    def __init__(self, problem, path, *, reason=None):
        self.problem = problem
        self.path = path
        self.folder = os.path.dirname(path) or "."
        self.reason = reason
        super().__init__(_MESSAGES[problem](self))


def _reason(exc):
    return exc.strerror or str(exc)


@contextlib.contextmanager
def atomic_output(path):
    """Yield the path to write to; leaving the block without an error makes it ``path``.

    A symlink is written through: the file it points to is replaced and the
    link kept. An existing character device or pipe (``/dev/stdout``,
    ``/dev/null``, a FIFO) is yielded itself, to be written directly as a
    shell redirection would. A new file gets the mode a plain ``open()``
    would give it (0666 less the umask), a replaced one keeps its mode.

    Raises
    ------
    OutputPathError
        On entry for a path that cannot be written, on exit when the rename
        fails; an exception in the block removes the temporary file and
        passes through unchanged.
    """
    given = os.fspath(path)
    if not given:
        raise OutputPathError("empty", given)
    if given.endswith(os.sep) or os.path.isdir(given):
        raise OutputPathError("folder", given)
    real = os.path.realpath(given)
    try:
        mode = os.stat(real).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise OutputPathError("failed", given, reason=_reason(exc)) from None
    if mode is not None and (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):
        yield Path(given)
        return
    if mode is not None and not stat.S_ISREG(mode):
        raise OutputPathError("not_file", given)
    folder = os.path.dirname(real)
    if not os.path.isdir(folder):
        raise OutputPathError("no_folder", given)
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(real)}.", suffix=".tmp")
    except OSError as exc:
        raise OutputPathError("unwritable", given, reason=_reason(exc)) from None
    os.close(fd)
    try:
        yield Path(tmp)
        try:
            # mkstemp makes the file private (0600); give it the mode a plain open() would.
            os.chmod(tmp, stat.S_IMODE(mode) if mode is not None else 0o666 & ~_umask())
            os.replace(tmp, real)
        except OSError as exc:
            raise OutputPathError("failed", given, reason=_reason(exc)) from None
    finally:
        if os.path.lexists(tmp):
            os.unlink(tmp)


def _umask():
    current = os.umask(0)
    os.umask(current)
    return current
