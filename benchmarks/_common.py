"""What the benchmarks share: the machine line, timers, peak memory, the synthetic data and the tables.

Not a benchmark itself (``make bench`` runs ``benchmarks/bench_*.py`` only).
A benchmark run as ``python benchmarks/bench_x.py`` has this folder on
``sys.path``, so ``from _common import ...`` works; so does a measuring
subprocess that puts the folder on its path first (see
:func:`measure_in_subprocess`).
"""

from __future__ import annotations

import gc
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

#: This folder, for subprocesses that import from it.
HERE = Path(__file__).resolve().parent


# -- the machine ---------------------------------------------------------------------------------
def cpu_name():
    """The processor's model name (Linux ``/proc/cpuinfo``), else what :mod:`platform` says."""
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def machine_line(*libraries):
    """The first line every benchmark prints: versions, processor and cores.

    ``libraries`` are extra ``"name version"`` words, written after numpy's:
    ``# aipm_sim 0.1.0, numpy 2.4.6, dask 2025.1.0, Python 3.11.7, x86_64, <model name>, 2 cores``.
    """
    import aipm_sim

    parts = [f"aipm_sim {aipm_sim.__version__}", f"numpy {np.__version__}", *libraries,
             f"Python {platform.python_version()}", platform.machine(), cpu_name(), f"{os.cpu_count()} cores"]
    return "# " + ", ".join(parts)


# -- timers --------------------------------------------------------------------------------------
def best_time(fn, repeat, *, clock=time.perf_counter):
    """The shortest of ``repeat`` runs of ``fn()``, in seconds of ``clock`` (the least disturbed by other work)."""
    best = np.inf
    for _ in range(repeat):
        t0 = clock()
        fn()
        best = min(best, clock() - t0)
    return best


# -- peak memory (Linux) -------------------------------------------------------------------------
def status(field):
    """A ``/proc/self/status`` field in bytes (``VmRSS``: resident now; ``VmHWM``: its peak); 0 if absent."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field):
                return int(line.split()[1]) * 1024
    return 0


def measured(fn):
    """(result, seconds, peak resident memory growth in bytes) of ``fn()``."""
    gc.collect()
    try:
        with open("/proc/self/clear_refs", "w") as fh:  # reset the peak (VmHWM) to the current RSS
            fh.write("5")
    except OSError:
        pass
    before = status("VmRSS")
    t0 = time.perf_counter()
    out = fn()
    seconds = time.perf_counter() - t0
    return out, seconds, max(status("VmHWM") - before, 0)


def measure_in_subprocess(code):
    """Run ``code`` in a fresh Python (this folder on its path) and return the number its last line prints.

    A fresh process, so that earlier runs do not hide the peak; ``code``
    measures with :func:`measured` and prints the growth per case. A fixed
    mmap threshold makes glibc return large blocks to the system when freed,
    so that the resident-set peak measures the step's own arrays.
    """
    code = f"import sys\nsys.path.insert(0, {str(HERE)!r})\n{code}"
    env = {**os.environ, "MALLOC_MMAP_THRESHOLD_": "65536"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    return float(out.stdout.strip().splitlines()[-1])


# -- data ----------------------------------------------------------------------------------------
def make_data(n, seed=0):
    """``n`` binormal cases (prevalence 1 %, AUC 0.85) with amounts, and weights in [0.5, 2]: four arrays."""
    import aipm_sim as am

    model = am.BinormalModel(prevalence=0.01, auc=0.85, amount_mean=80.0, positive_amount_mean=250.0)
    s = model.sample(n, seed=seed)
    weights = np.random.default_rng(seed + 1).uniform(0.5, 2.0, n)
    return s.scores, s.labels, s.amounts, weights


# -- tables --------------------------------------------------------------------------------------
def print_padded_table(header, rows, widths):
    """A plain-text table: cells left-aligned in ``widths`` characters, ``" | "`` between them."""
    print(" | ".join(h.ljust(w) for h, w in zip(header, widths)))
    print("-|-".join("-" * w for w in widths))
    for cells in rows:
        print(" | ".join(str(c).ljust(w) for c, w in zip(cells, widths)))


def print_markdown_table(header, rows, align):
    """A Markdown table; ``align`` holds each column's rule (``":--"``, ``"--:"``, ``"---"``)."""
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join(align) + "|")
    for cells in rows:
        print("| " + " | ".join(str(c) for c in cells) + " |")
