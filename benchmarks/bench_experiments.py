"""How fast are the launch plans? Sizes against statsmodels, measured in the same run.

Usage::

    .venv/bin/python benchmarks/bench_experiments.py [--repeat 200]

Times (best of ``--repeat`` calls, in milliseconds) of

* ``sample_size_means`` (a t-test size, solved numerically) against
  statsmodels' ``TTestIndPower().solve_power`` for the same effect: the ratio
  travels between machines;
* ``sample_size_proportions`` (closed form) against the same reference;
* ``plan_launch`` on the fraud scenario once its curves are built (the
  A/B test, its always-valid length and the rollout);
* ``simulate_peeking`` of 2,000 A/A tests read on 52 days.
"""

from __future__ import annotations

import argparse

from _common import best_time, machine_line, print_markdown_table


def best(fn, repeat):
    """The shortest of ``repeat`` calls of ``fn()``, in milliseconds."""
    return best_time(fn, repeat) * 1e3


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args(argv)

    import aipm_sim as am
    from statsmodels.stats.power import TTestIndPower

    ref = best(lambda: TTestIndPower().solve_power(effect_size=0.02, alpha=0.05, power=0.8), args.repeat)
    means = best(lambda: am.sample_size_means(0.02, 1.0), args.repeat)
    rates = best(lambda: am.sample_size_proportions(0.02, 0.03), args.repeat)
    scenario = am.load_scenario("fraud_detection")
    am.plan_launch(scenario)  # the first call compiles (numba) and loads scipy: not timed
    launch = best(lambda: am.plan_launch(scenario), max(3, args.repeat // 20))
    peek = best(lambda: am.simulate_peeking(cases_per_day=5_000, days=52, n_simulations=2_000, seed=0),
                max(3, args.repeat // 20))
    print(machine_line())
    print_markdown_table(("step", "time (ms)", "× statsmodels solve_power"), [
        ("statsmodels TTestIndPower().solve_power (reference)", f"{ref:.3f}", "1.0"),
        ("sample_size_means", f"{means:.3f}", f"{means / ref:.2f}"),
        ("sample_size_proportions", f"{rates:.4f}", f"{rates / ref:.3f}"),
        ("plan_launch(fraud_detection)", f"{launch:.1f}", f"{launch / ref:.1f}"),
        ("simulate_peeking, 2,000 tests × 52 looks", f"{peek:.1f}", f"{peek / ref:.1f}"),
    ], ("---", "---", "---"))


if __name__ == "__main__":
    main()
