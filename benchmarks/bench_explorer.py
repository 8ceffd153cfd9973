"""How fast does the threshold explorer answer a slider move? Medians over many moves.

Usage::

    .venv/bin/python benchmarks/bench_explorer.py [--n 1000000] [--moves 60]

With ``--n`` scored cases (binormal, prevalence 1 %, AUC 0.85, with amounts;
one curve row per distinct score, so about ``n`` rows) it builds a
:class:`~aipm_sim.widgets.ThresholdExplorer` and times, per slider move
(``explorer.threshold.value = t`` for thresholds spread over the slider):

* **compute**: what core does for one move, ``curve.at(t)`` and the value
  of that point (the goal is < 1 ms);
* **state**: setting the slider with rendering off: compute, the result
  object, the KPI readout and every plot artist moved in place;
* **move → all redrawn**: setting the slider with rendering on, until every
  one of the six figures has been redrawn on its Agg canvas (only the moving
  artists, over a cached background) and encoded as the PNG the browser
  shows (the goal is < 100 ms);
* **full redraw**: every figure rendered from scratch and encoded (what a
  change of costs, constraints or model costs, and what a move would cost
  without blitting);
* the reference: one full Agg render of a bare figure with one
  2,000-point line, in the same run, so that ratios travel between machines.

Times are medians over the moves (in milliseconds).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import numpy as np

from _common import machine_line


def median_ms(samples):
    return 1e3 * statistics.median(samples)


def reference_draw(moves):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.0, 3.9), dpi=96)
    canvas = FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    x = np.linspace(0, 1, 2000)
    ax.plot(x, x ** 2)
    canvas.draw()
    out = []
    for _ in range(moves):
        t0 = time.perf_counter()
        canvas.draw()
        out.append(time.perf_counter() - t0)
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="scored cases (default 10^6)")
    parser.add_argument("--moves", type=int, default=60, help="slider moves timed (default 60)")
    args = parser.parse_args(argv)

    import aipm_sim as am
    from aipm_sim.widgets import ThresholdExplorer

    model = am.BinormalModel(prevalence=0.01, auc=0.85, amount_mean=80.0, positive_amount_mean=250.0)
    t0 = time.perf_counter()
    scores = model.sample(args.n, seed=0)
    curve = am.ThresholdCurve.from_scores(scores)
    t_curve = time.perf_counter() - t0
    money = am.ValueModel(tp=-5.0, fp=-5.0, fn_amount=-1.0)
    volume = 50_000.0

    t0 = time.perf_counter()
    live = ThresholdExplorer(curve, money, volume=volume, min_recall=0.5)
    t_build = time.perf_counter() - t0
    quiet = ThresholdExplorer(curve, money, volume=volume, min_recall=0.5, render=False)

    s = live.threshold
    if live.threshold_scale == "log":
        lo, hi = s.base ** s.min, s.base ** s.max
        targets = np.geomspace(lo, hi, args.moves)
    else:
        targets = np.linspace(s.min, s.max, args.moves)
    # Alternate ends so that consecutive moves are far apart (no cache favours them).
    targets = np.concatenate([targets[::2], targets[1::2][::-1]])

    compute, state, moved, full = [], [], [], []
    for t in targets:
        t = float(t)
        a = time.perf_counter()
        point = curve.at(t)
        money.point_value(point, volume=volume)
        compute.append(time.perf_counter() - a)

        a = time.perf_counter()
        quiet.threshold.value = t
        state.append(time.perf_counter() - a)

        a = time.perf_counter()
        live.threshold.value = t
        moved.append(time.perf_counter() - a)
        assert live.result.point.index == point.index and live.last_error is None

    for _ in range(max(5, args.moves // 6)):
        a = time.perf_counter()
        live.redraw(full=True)
        full.append(time.perf_counter() - a)
    ref = reference_draw(args.moves)
    r = median_ms(ref)

    rows = [
        ("compute: curve.at + value (goal < 1 ms)", median_ms(compute)),
        ("state: slider set, render off (all artists moved)", median_ms(state)),
        ("move -> all 6 figures redrawn + PNG (goal < 100 ms)", median_ms(moved)),
        ("full redraw of all 6 figures + PNG", median_ms(full)),
        ("reference: one bare 2,000-point figure, full Agg draw", r),
    ]
    print(machine_line())
    print(f"threshold explorer, {args.n:,} scored cases, {len(curve):,} curve rows, {args.moves} moves")
    print(f"curve built in {t_curve:.2f} s, explorer in {t_build:.2f} s; slider scale {live.threshold_scale}")
    width = max(len(name) for name, _ in rows)
    print(f"{'what (median)':<{width}}  {'ms':>9}  {'x reference':>11}")
    for name, ms in rows:
        print(f"{name:<{width}}  {ms:>9.3f}  {ms / r:>11.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
