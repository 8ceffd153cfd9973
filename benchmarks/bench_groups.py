"""How fast are per-group thresholds under a fairness rule? Ratios against one curve of the same data.

Usage::

    .venv/bin/python benchmarks/bench_groups.py [--n 1000000] [--groups 10] [--tolerance 0.02] [--repeat 3]

Ten groups (by default) of unequal sizes, prevalences 2-10 % and AUCs
0.70-0.90 (binormal, calibrated scores), 10^6 cases in all. In the same
process it times one ``ThresholdCurve.from_scores`` of all the cases (the
reference, 1.0x) and ``optimize_groups`` for each fairness rule (which
builds every group's curve, the pooled curve for the single-threshold
comparison and the by-group table, then searches). Goals: at most 3x for
demographic parity and equal opportunity, at most 10x for equalized odds.
Times are the best of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse

import numpy as np

from _common import best_time, machine_line


def make_data(n, n_groups, seed=0):
    import aipm_sim as am

    rng = np.random.default_rng(seed)
    shares = rng.dirichlet(np.full(n_groups, 2.0))
    sizes = np.maximum(1000, np.round(shares * n)).astype(int)
    parts, names = [], []
    for g, size in enumerate(sizes):
        model = am.BinormalModel(prevalence=float(rng.uniform(0.02, 0.10)), auc=float(rng.uniform(0.70, 0.90)))
        parts.append(model.sample(int(size), seed=seed + 1 + g))
        names.append(np.full(int(size), f"group {g + 1}", dtype=object))  # text labels, as read from a file
    scores = np.concatenate([p.scores for p in parts])
    labels = np.concatenate([p.labels for p in parts])
    return am.ScoreSet(scores, labels, groups=np.concatenate(names))


def main():
    import aipm_sim as am

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--groups", type=int, default=10)
    parser.add_argument("--tolerance", type=float, default=0.02)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    s = make_data(args.n, args.groups)
    vm = am.ValueModel(tp=200.0, fp=-10.0, fn=-50.0)
    am.optimize_groups(make_data(20_000, 3), vm, fairness="equalized_odds", tolerance=0.05)  # compile
    ref = best_time(lambda: am.ThresholdCurve.from_scores(s), args.repeat)
    print(machine_line())
    print(f"{len(s):,} cases in {args.groups} groups, tolerance {args.tolerance:g}")
    print(f"{'':34s} {'seconds':>9s} {'x curve':>8s}")
    print(f"{'ThresholdCurve.from_scores':34s} {ref:9.3f} {1.0:8.2f}")
    for rule in (None, "demographic_parity", "equal_opportunity", "equalized_odds", "predictive_parity"):
        t = best_time(lambda: am.optimize_groups(s, vm, fairness=rule, tolerance=args.tolerance), args.repeat)
        d = am.optimize_groups(s, vm, fairness=rule, tolerance=args.tolerance)
        print(f"{'optimize_groups ' + str(rule or 'no rule'):34s} {t:9.3f} {t / ref:8.2f}"
              f"   price of fairness {d.price_of_fairness:,.0f}")


if __name__ == "__main__":
    main()
