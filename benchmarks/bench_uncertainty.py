"""How fast is the bootstrap of a decision? Ratios against one exact curve build, measured in one run.

Usage::

    .venv/bin/python benchmarks/bench_uncertainty.py [--n 1000000] [--resamples 200] [--repeat 2]

On the same data (prevalence 1 %, binormal scores with AUC 0.85, amounts), in
the same process, it times

* ``ThresholdCurve.from_scores`` (the reference, 1.0x);
* ``simulate_uncertainty`` with ``--resamples`` resamples (stratified,
  compiled, no sort per resample): amounts priced for the positives only
  (``fn_amount``: the negatives are drawn as bucket counts), for both classes,
  without weights or amounts, and with weights;
* a naive bootstrap: resample rows with replacement, build a new ScoreSet and
  curve, optimise (5 resamples timed, scaled to ``--resamples``);
* peak memory of ``simulate_uncertainty`` in bytes per case (a fresh
  subprocess, resident-set growth; Linux).

Goal: the bootstrap within 20x one curve build, a naive one above 200x;
peak memory below 200 bytes per case.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from _common import best_time, machine_line, make_data, measure_in_subprocess, print_markdown_table

NAIVE_RESAMPLES = 5

VALUE = dict(tp=-5.0, fp=-5.0, fn_amount=-1.0)

MEMORY_SNIPPET = """
from _common import make_data, measured
from bench_uncertainty import VALUE
import aipm_sim as am
scores, labels, amounts, weights = make_data({n})
ss = am.ScoreSet(scores, labels, amounts=amounts)
vm = am.ValueModel(**VALUE)
am.simulate_uncertainty(am.ScoreSet(scores[:300000], labels[:300000], amounts=amounts[:300000]), vm, resamples=10)
del scores, labels, amounts, weights
_, _, grown = measured(lambda: am.simulate_uncertainty(ss, vm, resamples={resamples}, min_recall=0.5))
print(grown / {n})
"""


def peak_bytes_per_case(n, resamples):
    return measure_in_subprocess(MEMORY_SNIPPET.format(n=n, resamples=resamples))


def naive_bootstrap(ss, vm, resamples, seed=0):
    """Resample rows with replacement, rebuild the curve, optimise: the textbook bootstrap."""
    import aipm_sim as am

    rng = np.random.default_rng(seed)
    n = len(ss)
    for _ in range(resamples):
        rows = rng.integers(0, n, n)
        sub = am.ScoreSet(ss.scores[rows], ss.labels[rows], amounts=ss.amounts[rows])
        am.optimize(am.ThresholdCurve.from_scores(sub), vm, min_recall=0.5)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10**6)
    parser.add_argument("--resamples", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--no-memory", action="store_true")
    args = parser.parse_args(argv)

    import aipm_sim as am

    print(machine_line() + f"; N = {args.n:,}, {args.resamples} resamples")
    vm = am.ValueModel(**VALUE)
    sc, lb, amt, w = make_data(300_000)  # compile (or load) both builds, serial and threaded, before timing
    am.simulate_uncertainty(am.ScoreSet(sc[:5000], lb[:5000], amounts=amt[:5000]), vm, resamples=3)
    am.simulate_uncertainty(am.ScoreSet(sc, lb, amounts=amt, weights=w), vm, resamples=10)

    scores, labels, amounts, weights = make_data(args.n)
    ss = am.ScoreSet(scores, labels, amounts=amounts)
    weighted = am.ScoreSet(scores, labels, amounts=amounts, weights=weights)
    t_curve = best_time(lambda: am.ThresholdCurve.from_scores(ss), args.repeat)
    rows = [("ThresholdCurve.from_scores (reference)", t_curve)]
    t_boot = best_time(lambda: am.simulate_uncertainty(ss, vm, resamples=args.resamples, min_recall=0.5),
                       args.repeat)
    rows.append((f"simulate_uncertainty, {args.resamples} resamples, amounts", t_boot))
    both = am.ValueModel(**VALUE, fp_amount=-0.01)  # amounts priced in both classes: every case drawn
    t_both = best_time(lambda: am.simulate_uncertainty(ss, both, resamples=args.resamples, min_recall=0.5),
                       args.repeat)
    rows.append((f"simulate_uncertainty, amounts priced for both classes (fp_amount too)", t_both))
    t_plain = best_time(lambda: am.simulate_uncertainty(am.ScoreSet(scores, labels), am.ValueModel(tp=-5, fp=-5, fn=-100),
                                                        resamples=args.resamples, min_recall=0.5), args.repeat)
    rows.append((f"simulate_uncertainty, no weights or amounts", t_plain))
    t_w = best_time(lambda: am.simulate_uncertainty(weighted, vm, resamples=args.resamples, min_recall=0.5),
                    args.repeat)
    rows.append((f"simulate_uncertainty, weights + amounts", t_w))
    t0 = time.perf_counter()
    naive_bootstrap(ss, vm, NAIVE_RESAMPLES)
    t_naive = (time.perf_counter() - t0) * args.resamples / NAIVE_RESAMPLES
    rows.append((f"naive bootstrap ({NAIVE_RESAMPLES} timed, scaled to {args.resamples})", t_naive))

    print_markdown_table(("step", "time (s)", "x one curve"),
                         [(name, f"{t:.3f}", f"{t / t_curve:.1f}") for name, t in rows], (":--", "--:", "--:"))
    if not args.no_memory:
        print(f"\npeak memory of simulate_uncertainty: {peak_bytes_per_case(args.n, args.resamples):.0f} bytes per case")


if __name__ == "__main__":
    main()
