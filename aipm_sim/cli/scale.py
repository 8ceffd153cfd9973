"""``--engine dask``, ``--grid``, ``--scheduler`` and ``--max-rows`` for ``curve``, ``optimize``,
``uncertainty`` and ``report``.

Not a subcommand module (no ``register``): :func:`add_engine_arguments` adds the flags to an existing
subparser, :func:`threshold_curve` computes the curve either engine gives, and :func:`dask_data` and
:func:`computing` give the Dask frame and where it is computed. Dask is imported only when
``--engine dask`` runs.

``--scheduler threads`` (or ``synchronous``) computes with Dask's scheduler in this process, with no
cluster: the files are still read a partition at a time, on this machine's threads.
"""

from __future__ import annotations

import contextlib

MSG_NEEDS_DASK = "{} needs --engine dask"
MSG_GRID = "--grid must be a whole number >= 2 (thresholds of the binned curve); found {!r}"
MSG_MAX_ROWS = "--max-rows must be a whole number >= 1 (the most distinct scores of an exact curve); found {!r}"
#: ``--scheduler`` values that mean Dask's own scheduler in this process rather than a cluster's address.
IN_PROCESS = ("threads", "synchronous")
MSG_MANY_FILES = ("{!r} names many files (a folder or a glob); the default engine reads one file: "
                  "add --engine dask to read them all")


def _grid(text):
    import argparse

    try:
        k = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(MSG_GRID.format(text)) from None
    if k < 2:
        raise argparse.ArgumentTypeError(MSG_GRID.format(text))
    return k


def _max_rows(text):
    import argparse

    try:
        k = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(MSG_MAX_ROWS.format(text)) from None
    if k < 1:
        raise argparse.ArgumentTypeError(MSG_MAX_ROWS.format(text))
    return k


def add_engine_arguments(p):
    """Add --engine, --grid, --scheduler and --max-rows to the subparser ``p`` (which has DATA, --score …)."""
    p.add_argument("--engine", choices=("memory", "dask"), default="memory",
                   help="memory (default: one file, read whole) or dask (DATA may be files, a folder or a glob "
                        "such as 'lake/scores/*.parquet'; computed on a Dask cluster, a partition per file)")
    p.add_argument("--grid", type=_grid, metavar="K",
                   help="a binned curve with K thresholds (spaced on the log-odds scale for probabilities), "
                        "exact at each; for more distinct scores than memory holds")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="a running Dask scheduler (e.g. tcp://10.0.0.5:8786; default: DASK_SCHEDULER_ADDRESS, "
                        "else a local cluster on this machine's cores, on 127.0.0.1), or 'threads' (or "
                        "'synchronous') for Dask's scheduler in this process, with no cluster")
    p.add_argument("--max-rows", type=_max_rows, metavar="N",
                   help="most distinct scores of an exact curve with --engine dask (default 50,000,000); "
                        "past it the command stops and suggests --grid")


def engine_flags(args):
    """The engine flags given on the command line, as typed (for commands that take no scored data)."""
    given = ["--engine"] if args.engine != "memory" else []
    return given + [f"--{name.replace('_', '-')}" for name in ("grid", "scheduler", "max_rows")
                    if getattr(args, name) is not None]


def refuse_dask_flags(args, names=("scheduler", "max_rows")):
    """With the memory engine, the first of the Dask-only flags ``names`` given is an error."""
    for name in names:
        if getattr(args, name) is not None:
            raise ValueError(MSG_NEEDS_DASK.format(f"--{name.replace('_', '-')}"))


def dask_data(args):
    """(Dask frame with a partition per file of DATA, a name per partition, the column roles)."""
    from ..core.scale.files import files_frame, scored_files

    roles = {"score": args.score, "label": args.label, "amount": args.amount, "weight": args.weight}
    frame, names = files_frame(scored_files(args.data), **roles)
    return frame, names, roles


@contextlib.contextmanager
def computing(scheduler):
    """Where Dask computes inside the block: a cluster (:func:`~aipm_sim.core.scale.files.dask_client`:
    ``scheduler``'s address, DASK_SCHEDULER_ADDRESS or a new local cluster) or, for ``threads`` and
    ``synchronous``, Dask's scheduler in this process."""
    if scheduler in IN_PROCESS:
        import dask

        with dask.config.set(scheduler=scheduler):
            yield
        return
    from ..core.scale.files import dask_client

    with dask_client(scheduler):
        yield


def one_file(data):
    """``data`` unless it names many files (a folder or a glob), which only the Dask engine reads."""
    import glob
    import os

    if glob.has_magic(str(data)) and not os.path.exists(data) or os.path.isdir(data):
        raise ValueError(MSG_MANY_FILES.format(str(data)))
    return data


def threshold_curve(args):
    """The curve of the scored data on the command line, in memory or on Dask."""
    roles = {"score": args.score, "label": args.label, "amount": args.amount, "weight": args.weight}
    if args.engine == "memory":
        refuse_dask_flags(args)
        from ..core import ScoreSet, ThresholdCurve

        one_file(args.data)
        return ThresholdCurve.from_scores(ScoreSet.read(args.data, **roles), grid=args.grid)
    from ..core.scale.dask_curve import curve_from_dask

    frame, names, roles = dask_data(args)
    with computing(args.scheduler):
        return curve_from_dask(frame, **roles, grid=args.grid, max_rows=args.max_rows, names=names)
