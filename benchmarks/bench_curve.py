"""How fast is an exact threshold curve? Ratios against numpy's sort, measured in one run.

Usage::

    .venv/bin/python benchmarks/bench_curve.py [--sizes 100000 1000000 10000000] [--repeat 3]

For each N (prevalence 1 %, binormal scores with AUC 0.85) it times, on the
same arrays in the same process:

* ``numpy.sort(scores)``: the floor for any exact curve (the reference, 1.0x);
* ``ThresholdCurve.from_scores`` without weights, with amounts, and with
  weights and amounts;
* scikit-learn's ``roc_curve(drop_intermediate=False)`` and
  ``precision_recall_curve(sample_weight=...)`` as the outside reference;
* ``curve.at(t)`` called in a Python loop, and vectorised ``curve.index_at``;
* peak memory of building the curve, in bytes per case (a fresh subprocess
  per case, so that earlier runs do not hide it).

Times are the best of ``--repeat`` runs (the least disturbed by other work).
"""

from __future__ import annotations

import argparse
import warnings

import numpy as np

from _common import best_time, machine_line, make_data, measure_in_subprocess, print_padded_table

MEMORY_SNIPPET = """
from _common import make_data, measured
import aipm_sim as am
scores, labels, amounts, weights = make_data({n})
kind = {kind!r}
ss = am.ScoreSet(scores, labels,
                 amounts=amounts if kind != 'plain' else None,
                 weights=weights if kind == 'weighted' else None)
small = am.ScoreSet(scores[:1000], labels[:1000], amounts=amounts[:1000], weights=weights[:1000])
am.ThresholdCurve.from_scores(small)  # compile before measuring
am.ThresholdCurve.from_scores(am.ScoreSet(scores[:1000], labels[:1000]))
del scores, labels, amounts, weights
_, _, grown = measured(lambda: am.ThresholdCurve.from_scores(ss))
print(grown / {n})
"""


def peak_bytes_per_case(n, kind):
    """Peak RSS growth while building one curve, per case (fresh process; Linux)."""
    return measure_in_subprocess(MEMORY_SNIPPET.format(n=n, kind=kind))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10**5, 10**6, 10**7])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-sklearn", action="store_true", help="skip the scikit-learn reference")
    parser.add_argument("--no-memory", action="store_true", help="skip the peak-memory subprocesses")
    args = parser.parse_args(argv)

    import aipm_sim as am

    print(machine_line())
    # Compile the numba kernels before timing anything.
    sc, lb, am_, w = make_data(1000)
    am.ThresholdCurve.from_scores(am.ScoreSet(sc, lb))
    am.ThresholdCurve.from_scores(am.ScoreSet(sc, lb, amounts=am_, weights=w))

    header = ("N", "case", "time (s)", "x numpy.sort", "x faster than sklearn", "peak bytes/case")
    rows = []
    for n in args.sizes:
        scores, labels, amounts, weights = make_data(n)
        plain = am.ScoreSet(scores, labels)
        with_amounts = am.ScoreSet(scores, labels, amounts=amounts)
        weighted = am.ScoreSet(scores, labels, amounts=amounts, weights=weights)
        t_sort = best_time(lambda: np.sort(scores), args.repeat)
        rows.append((n, "numpy.sort (reference)", t_sort, 1.0, "", ""))
        t_roc = t_pr = np.nan
        if not args.no_sklearn:
            from sklearn.metrics import precision_recall_curve, roc_curve

            t_roc = best_time(lambda: roc_curve(labels, scores, drop_intermediate=False), args.repeat)
            t_pr = best_time(lambda: precision_recall_curve(labels, scores, sample_weight=weights), args.repeat)
            rows.append((n, "sklearn roc_curve", t_roc, t_roc / t_sort, "", ""))
            rows.append((n, "sklearn precision_recall_curve, weighted", t_pr, t_pr / t_sort, "", ""))
        for name, ss, kind, ref in (
            ("aipm_sim curve", plain, "plain", t_roc),
            ("aipm_sim curve, amounts", with_amounts, "amounts", t_roc),
            ("aipm_sim curve, weights + amounts", weighted, "weighted", t_pr),
        ):
            t = best_time(lambda: am.ThresholdCurve.from_scores(ss), args.repeat)
            mem = "" if args.no_memory else f"{peak_bytes_per_case(n, kind):.0f}"
            faster = "" if np.isnan(ref) else f"{ref / t:.1f}"
            rows.append((n, name, t, t / t_sort, faster, mem))

        curve = am.ThresholdCurve.from_scores(plain)
        queries = np.random.default_rng(2).uniform(0, 1, 100_000)
        loop = queries[:20_000].tolist()
        with warnings.catch_warnings():  # queries above every score flag nothing: warned, not the point here
            warnings.simplefilter("ignore", am.DegenerateWarning)
            t_at = best_time(lambda: [curve.at(q) for q in loop], args.repeat) / len(loop)
        t_vec = best_time(lambda: curve.index_at(queries), args.repeat) / len(queries)
        rows.append((n, "curve.at(t), Python loop, per call", t_at, np.nan, "", ""))
        rows.append((n, "curve.index_at(array), per query", t_vec, np.nan, "", ""))

    table = []
    for n, name, t, ratio, faster, mem in rows:
        time_text = f"{t * 1e6:.2f} us" if t < 1e-3 else f"{t:.4f}"
        ratio_text = "" if np.isnan(ratio) else f"{ratio:.2f}"
        table.append((f"{n:,}", name, time_text, ratio_text, faster, mem))
    print_padded_table(header, table, [10, 42, 11, 13, 22, 16])


if __name__ == "__main__":
    main()
