"""``--engine dask``, ``--grid`` and ``--scheduler`` for the ``curve`` and ``optimize`` subcommands.

Not a subcommand module (no ``register``): :func:`add_engine_arguments` adds the flags to an existing
subparser and :func:`threshold_curve` computes the curve either engine gives. Dask is imported only
when ``--engine dask`` runs.
"""

from __future__ import annotations

MSG_NEEDS_DASK = "{} needs --engine dask"
MSG_GRID = "--grid must be a whole number >= 2 (thresholds of the binned curve); found {!r}"
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


def add_engine_arguments(p):
    """Add --engine, --grid and --scheduler to the subparser ``p`` (which has DATA, --score, --label …)."""
    p.add_argument("--engine", choices=("memory", "dask"), default="memory",
                   help="memory (default: one file, read whole) or dask (DATA may be a folder or a quoted glob "
                        "such as 'lake/scores/*.parquet'; computed on a Dask cluster, a partition per file)")
    p.add_argument("--grid", type=_grid, metavar="K",
                   help="a binned curve with K thresholds (spaced on the log-odds scale for probabilities), "
                        "exact at each; for more distinct scores than memory holds")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="a running Dask scheduler (e.g. tcp://10.0.0.5:8786; default: DASK_SCHEDULER_ADDRESS, "
                        "else a local cluster on this machine's cores, on 127.0.0.1)")


def engine_flags(args):
    """The engine flags given on the command line, as typed (for commands that take no scored data)."""
    given = ["--engine"] if args.engine != "memory" else []
    return given + [f"--{name}" for name in ("grid", "scheduler") if getattr(args, name) is not None]


def threshold_curve(args):
    """The curve of the scored data on the command line, in memory or on Dask."""
    roles = {"score": args.score, "label": args.label, "amount": args.amount, "weight": args.weight}
    if args.engine == "memory":
        if args.scheduler is not None:
            raise ValueError(MSG_NEEDS_DASK.format("--scheduler"))
        import glob
        import os

        from ..core import ScoreSet, ThresholdCurve

        if glob.has_magic(str(args.data)) and not os.path.exists(args.data) or os.path.isdir(args.data):
            raise ValueError(MSG_MANY_FILES.format(str(args.data)))
        return ThresholdCurve.from_scores(ScoreSet.read(args.data, **roles), grid=args.grid)
    from ..core.scale.dask_curve import curve_from_dask
    from ..core.scale.files import dask_client, files_frame, scored_files

    files = scored_files(args.data)
    frame, names = files_frame(files, **roles)
    with dask_client(args.scheduler):
        return curve_from_dask(frame, **roles, grid=args.grid, names=names)
