"""Curves from partitioned Parquet on a local Dask cluster, against the in-memory path, measured in one run.

Usage::

    .venv/bin/python benchmarks/bench_scale.py [--rows 100000000] [--files 32] [--grid 100000]
    AIPM_BENCH_SCALE_ROWS=10000000 .venv/bin/python benchmarks/bench_scale.py

It writes ``--rows`` scored cases (calibrated probabilities, prevalence about
1 %, amounts; float64 scores, so nearly every score is distinct) to
``--files`` Parquet files in a temporary folder, then times, in this process
as the client:

* the in-memory path on the first ``--reference-rows`` rows (default
  10^7, or all rows if fewer): ``pandas.read_parquet`` of those files,
  ``ScoreSet.from_frame`` and ``ThresholdCurve.from_scores`` on one core —
  the reference (1.0x);
* ``ThresholdCurve.from_dask(dask.dataframe.read_parquet(folder), grid=K)``,
  binned, on a ``LocalCluster`` of one single-threaded worker process per
  core (``--workers``), and the same on a quarter of the files, to show that
  the client's memory does not grow with the rows;
* ``ThresholdCurve.from_dask`` exact (``grid=None``, ``max_rows`` above the
  number of rows).

Reading Parquet is included everywhere. Each row reports the wall time, rows
per second per core (the in-memory path uses one core, the cluster
``--workers``), the ratio of that rate to the reference's, and the client's
peak resident memory above its resident memory before the step (Linux
``VmHWM``, reset before each step). Times are single runs after a warm-up
(the workers load the compiled kernels first); a busy machine makes them
noisy.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from _common import machine_line, measured, print_padded_table

GOALS = {"binned": 2.0, "exact": 4.0}


def write_lake(folder, rows, files, seed=0):
    """``files`` Parquet files of calibrated scores (prevalence ~1 %) with labels and amounts."""
    import pandas as pd

    folder.mkdir(parents=True, exist_ok=True)
    per_file = np.diff(np.linspace(0, rows, files + 1).astype(np.int64))
    for i, n in enumerate(per_file):
        rng = np.random.default_rng([seed, i])
        # Calibrated by construction: the label is drawn with the score as its probability.
        score = 1.0 / (1.0 + np.exp(-(-5.4 + 1.2 * rng.standard_normal(n))))
        label = rng.random(n) < score
        amount = np.round(rng.gamma(2.0, 40.0, n) * np.where(label, 3.0, 1.0), 2)
        pd.DataFrame({"score": score, "label": label, "amount": amount}).to_parquet(
            folder / f"part-{i:03d}.parquet", index=False)
    return per_file


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=int(os.environ.get("AIPM_BENCH_SCALE_ROWS", 10**8)))
    parser.add_argument("--files", type=int, default=32)
    parser.add_argument("--grid", type=int, default=10**5)
    parser.add_argument("--reference-rows", type=int, default=10**7)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--dir", help="folder for the Parquet files (default: a temporary folder, removed)")
    args = parser.parse_args(argv)

    import dask
    import dask.dataframe as dd
    import distributed
    import pandas as pd

    import aipm_sim as am
    from aipm_sim.core.scale.files import dask_client

    root = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="aipm_bench_scale_"))
    lake = root / "lake"
    try:
        t0 = time.perf_counter()
        per_file = write_lake(lake, args.rows, args.files)
        files = sorted(lake.glob("*.parquet"))
        print(machine_line(f"dask {dask.__version__}", f"distributed {distributed.__version__}")
              + f"; load average {os.getloadavg()[0]:.1f} at the start")
        print(f"# {args.rows:,} rows in {args.files} Parquet files written in {time.perf_counter() - t0:.0f} s")

        target = min(args.reference_rows, args.rows)  # the first files holding at least that many rows
        n_ref_files = min(len(files), int(np.searchsorted(np.cumsum(per_file), target)) + 1)
        ref_files = files[:n_ref_files]
        ref_rows = int(per_file[:n_ref_files].sum())

        def in_memory():
            # One core: pyarrow reads without its thread pool.
            frame = pd.concat([pd.read_parquet(f, use_threads=False) for f in ref_files], ignore_index=True)
            ss = am.ScoreSet.from_frame(frame, score="score", label="label", amount="amount")
            del frame
            return am.ThresholdCurve.from_scores(ss)

        small = am.ScoreSet.from_frame(pd.read_parquet(files[0]).iloc[:1000], score="score", label="label",
                                       amount="amount")
        am.ThresholdCurve.from_scores(small)  # load the compiled kernels before timing
        am.ThresholdCurve.from_scores(small, grid=10)
        results = []
        _, t, mem = measured(in_memory)
        results.append(("in memory, exact (reference)", ref_rows, 1, t, mem))

        roles = {"score": "score", "label": "label", "amount": "amount"}
        with dask_client(n_workers=args.workers):
            warm = dd.read_parquet(files[:2])
            am.ThresholdCurve.from_dask(warm, **roles, grid=10)  # workers load the kernels
            am.ThresholdCurve.from_dask(warm, **roles)
            quarter = files[: max(1, len(files) // 4)]
            for name, paths, grid in (("Dask, binned K={:,}".format(args.grid), files, args.grid),
                                      ("Dask, binned K={:,}, a quarter of the files".format(args.grid), quarter,
                                       args.grid),
                                      ("Dask, exact", files, None)):
                n = int(per_file[: len(paths)].sum())
                frame = dd.read_parquet(paths)
                curve, t, mem = measured(lambda: am.ThresholdCurve.from_dask(frame, **roles, grid=grid,
                                                                            max_rows=n + 1))
                results.append((name, n, args.workers, t, mem))
                del curve
        ref_rate = results[0][1] / results[0][3]
        print(f"# goals: binned within {GOALS['binned']:g}x and exact within {GOALS['exact']:g}x of the "
              "reference's rows per second per core; binned client memory independent of the rows")
        header = ("path", "rows", "cores", "time (s)", "rows/s/core", "x slower", "client peak MB")
        widths = (44, 13, 5, 9, 12, 11, 14)
        table = []
        for name, n, cores, t, mem in results:
            rate = n / t / cores
            table.append((name, f"{n:,}", cores, f"{t:.1f}", f"{rate:,.0f}", f"{ref_rate / rate:.2f}",
                          f"{mem / 1e6:.0f}"))
        print_padded_table(header, table, widths)
    finally:
        if not args.dir:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
