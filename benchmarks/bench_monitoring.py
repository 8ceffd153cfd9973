"""How fast is monitoring? Ratios against numpy's sort, measured in one run.

Usage::

    .venv/bin/python benchmarks/bench_monitoring.py [--n 1000000] [--repeat 3]

It times, on the same arrays in the same process:

* ``numpy.sort`` of the reference scores (the reference, 1.0x);
* each drift statistic (``psi``, ``ks``, ``js``, ``wasserstein``) between a
  reference and a current sample of ``--n`` cases each (goals: PSI and KS at
  most 3x);
* the label-free estimate (``estimate_performance``) of ``--n`` current cases,
  with isotonic calibration on a labelled reference of 100,000 cases and
  without (goal: at most 2x);
* a 26-period simulated production of 100,000 cases per period and the
  comparison of 4 policies (with the break-even interval sweep), in seconds
  (goal: under 10 s on 2 cores).

Times are processor time (``time.process_time``: what the work costs, not
how long it waited for a busy machine), the best of ``--repeat`` runs; the
simulation also prints its wall-clock time.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from _common import best_time, machine_line


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import aipm_sim as am

    n, repeat = args.n, args.repeat
    model = am.BinormalModel(prevalence=0.01, auc=0.85)
    reference = model.sample(n, seed=1).scores
    current = am.BinormalModel(prevalence=0.02, auc=0.85).sample(n, seed=2).scores
    labelled = model.sample(100_000, seed=3)
    print(machine_line())
    sort = best_time(lambda: np.sort(reference), repeat, clock=time.process_time)
    print(f"\n{n:,} vs {n:,} cases; numpy.sort of the reference: {sort * 1000:.0f} ms (1.0x)\n")
    print(f"{'what':<46}{'ms':>9}{'x sort':>9}  goal")
    goals = {"psi": "<= 3x", "ks": "<= 3x"}
    for method in am.DRIFT_METHODS:
        t = best_time(lambda: am.drift_statistic(reference, current, method=method), repeat,
                      clock=time.process_time)
        print(f"{'drift_statistic ' + method:<46}{t * 1000:>9.0f}{t / sort:>9.2f}  {goals.get(method, '')}")
    for calibrate in (True, False):
        t = best_time(lambda: am.estimate_performance(labelled, current, threshold=0.1, calibrate=calibrate), repeat,
                      clock=time.process_time)
        what = "estimate_performance, " + ("isotonic on 100,000" if calibrate else "scores as calibrated")
        print(f"{what:<46}{t * 1000:>9.0f}{t / sort:>9.2f}  <= 2x")

    plan = am.DriftPlan(prevalence_shape="sudden", prevalence_factor=2.0, change_period=12,
                        auc_decay_per_period=0.003)
    value = am.ValueModel(tp=-5, fp=-5, fn=-150)
    w0, t0 = time.perf_counter(), time.process_time()
    production = am.simulate_production(model, periods=26, cases_per_period=100_000, drift=plan, label_delay=4,
                                        value_model=value, seed=4)
    t1 = time.process_time()
    am.compare_policies(production, value, retrain_cost=20_000, recalibrate_cost=100)
    w2, t2 = time.perf_counter(), time.process_time()
    print(f"\n26 periods x 100,000 cases: simulate_production {t1 - t0:.1f} s, compare_policies (4 policies "
          f"+ 26 retraining intervals) {t2 - t1:.1f} s, total {t2 - t0:.1f} s of processor time, "
          f"{w2 - w0:.1f} s wall clock (goal < 10 s)")


if __name__ == "__main__":
    main()
