"""Files of scored cases as one Dask DataFrame with a partition per file, and where to compute it.

:func:`scored_files` turns what a user typed (a file, a folder, a glob such
as ``'lake/scores/*.parquet'``) into a sorted list of files;
:func:`files_frame` reads them lazily, one partition per file, so that an
error in the rows of one file names that file (and the row within it).
:func:`dask_client` connects to a cluster or starts one on this machine.
Dask is imported inside the functions only.
"""

from __future__ import annotations

import contextlib
import glob
import logging
import os
from pathlib import Path

from ..engine.scores import MSG_COLUMN
from ..errors import DataError, ParameterError

SUFFIXES = (".parquet", ".pq", ".csv")
MSG_NO_FILES = "no data files match {!r} (a file, a folder of .parquet/.csv files, or a glob like 'lake/*.parquet')"
MSG_SUFFIX = "data file {!r} must end in .csv or .parquet; found {!r}"
MSG_FILE = "file {!r}"
MSG_READ = "could not read {!r}: {}"
MSG_SCHEDULER = "could not reach the Dask scheduler at {!r}: {}"

#: Options of every ``LocalCluster`` we start (here and in the tests): no dashboard and no fixed port.
#: A scheduler serves HTTP (health, metrics) even without a dashboard, on port 8787 unless told
#: otherwise, and a second cluster at the same time then warns "Port 8787 is already in use"; the
#: scheduler's own port is random too (``scheduler_port=0``). Bound to 127.0.0.1: nothing is reachable
#: from another machine.
LOCAL_CLUSTER_OPTIONS = {
    "host": "127.0.0.1",
    "scheduler_port": 0,
    "dashboard_address": None,
    "scheduler_kwargs": {"dashboard": False, "dashboard_address": "127.0.0.1:0"},
}


def scored_files(data):
    """The files ``data`` names, sorted: a file, every .parquet/.pq/.csv file in a folder, or a glob's matches;
    or, for a list or tuple of those, each one's files in the order given (each file once)."""
    if isinstance(data, (list, tuple)):
        return list(dict.fromkeys(f for item in data for f in scored_files(item)))
    text = os.fspath(data)
    path = Path(text)
    if glob.has_magic(text):
        files = sorted(p for p in glob.glob(text, recursive=True) if Path(p).is_file())
    elif path.is_dir():
        files = sorted(str(p) for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)
    elif path.is_file():
        files = [text]
    else:
        files = []
    if not files:
        raise DataError(MSG_NO_FILES.format(text))
    for f in files:
        if Path(f).suffix.lower() not in SUFFIXES:
            raise DataError(MSG_SUFFIX.format(f, Path(f).suffix or "no suffix"))
    return files


def _columns_of(path):
    if Path(path).suffix.lower() == ".csv":
        import pandas as pd

        return list(pd.read_csv(path, nrows=0).columns)
    import pyarrow.parquet as pq

    return list(pq.read_schema(path).names)


def read_file(path, columns, roles):
    """The ``columns`` of one file as a pandas DataFrame; a DataError names the file."""
    where = MSG_FILE.format(path)
    try:
        found = _columns_of(path)
    except Exception as exc:  # unreadable footer or header, of any kind: one line naming the file
        raise DataError(MSG_READ.format(path, _first_line(exc))) from None
    for role, col in roles.items():
        if col is not None and col not in found:
            raise DataError(f"{where}: " + MSG_COLUMN.format(col, role, ", ".join(map(str, found))))
    try:
        if Path(path).suffix.lower() == ".csv":
            import pandas as pd

            return pd.read_csv(path, usecols=columns)[columns]
        import pyarrow.parquet as pq

        return pq.read_table(path, columns=columns).to_pandas()
    except Exception as exc:
        raise DataError(MSG_READ.format(path, _first_line(exc))) from None


def files_frame(files, *, score, label, amount=None, weight=None):
    """(Dask DataFrame with one partition per file, a name per partition for messages).

    Only the score, label, amount and weight columns are read. The first
    file is opened on the client for its columns (its footer, not its rows).
    """
    import dask.dataframe as dd

    roles = {"score": score, "label": label, "amount": amount, "weight": weight}
    columns = list(dict.fromkeys(c for c in roles.values() if c is not None))
    meta = read_file(files[0], columns, roles).iloc[:0]
    frame = dd.from_map(read_file, files, columns=columns, roles=roles, meta=meta, enforce_metadata=False,
                        label="read-scored-files")
    return frame, [MSG_FILE.format(f) for f in files]


@contextlib.contextmanager
def dask_client(address=None, *, n_workers=None):
    """A ``distributed.Client``: to the scheduler at ``address`` (or ``DASK_SCHEDULER_ADDRESS``), else to a
    new ``LocalCluster`` on 127.0.0.1 with a single-threaded worker process per core (closed on exit), with
    no dashboard and random ports (:data:`LOCAL_CLUSTER_OPTIONS`), so that two runs at once never clash."""
    from distributed import Client, LocalCluster

    address = address or os.environ.get("DASK_SCHEDULER_ADDRESS")
    if address:
        try:
            client = Client(address, timeout="10s")
        except (OSError, TimeoutError) as exc:
            raise ParameterError(MSG_SCHEDULER.format(address, _first_line(exc))) from None
        try:
            yield client
        finally:
            client.close()
        return
    cluster = LocalCluster(n_workers=n_workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
                           silence_logs=logging.CRITICAL, **LOCAL_CLUSTER_OPTIONS)
    try:
        with Client(cluster) as client:
            yield client
    finally:
        cluster.close()


def _first_line(exc):
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
