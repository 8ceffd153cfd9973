"""``aipm-sim uncertainty``: how sure the decision is, by a bootstrap of the scored data.

Prints a JSON summary (the decision, the best threshold's interval, the
value's interval, intervals of the rates at the decision) and, with ``-o``,
writes every band (metric and value against the threshold) as CSV. No
progress bar: the output is for machines.

With ``--engine dask`` (DATA a folder or a glob of files, a partition per
file) the bootstrap is :func:`aipm_sim.simulate_uncertainty_dask` (Poisson
weights per partition, rescaled to the class totals), on the curve of
``--grid`` if given; ``--max-rows`` bounds the exact curve's distinct
scores. There the rates' exact intervals at the decision are of counts: with
``--weight`` they need each row's weight (the effective number of cases),
which only the in-memory engine keeps, so ``intervals`` is left out.
"""

from __future__ import annotations

from . import (MSG_NO_VALUE, _add_constraint_arguments, _add_data_arguments, _add_value_arguments, _score_set,
               _value_cells, print_json, write_output)
from .scale import add_engine_arguments, computing, dask_data, one_file, refuse_dask_flags


def register(sub):
    p = sub.add_parser("uncertainty",
                       help="bootstrap the decision: bands on every metric, the best threshold's interval (JSON; -o: CSV)")
    _add_data_arguments(p)
    add_engine_arguments(p)
    _add_value_arguments(p)
    _add_constraint_arguments(p)
    p.add_argument("--resamples", type=int, default=200, metavar="R", help="bootstrap resamples (default 200)")
    p.add_argument("--seed", type=int, default=0, metavar="S", help="seed of the resamples (default 0)")
    p.add_argument("--confidence", type=float, default=0.95, metavar="C",
                   help="share of resamples inside each band, in (0, 1) (default 0.95)")
    p.add_argument("-o", "--output", metavar="BANDS.csv", help="write the bands as CSV to this file")
    p.set_defaults(run=run)


def run(args):
    from ..core import ValueModel, simulate_uncertainty

    cells = _value_cells(args)
    if not cells:
        raise ValueError(MSG_NO_VALUE.replace("optimize needs", "uncertainty needs"))
    common = dict(
        resamples=args.resamples, seed=args.seed, confidence=args.confidence,
        volume=args.volume, min_recall=args.min_recall, min_precision=args.min_precision,
        max_alert_rate=args.max_alert_rate, max_fpr=args.max_fpr, max_alerts=args.max_alerts,
    )
    if args.engine == "memory":
        refuse_dask_flags(args, ("grid", "scheduler", "max_rows"))
        one_file(args.data)
        data = _score_set(args)
        u = simulate_uncertainty(data, ValueModel(**cells), **common)
    else:
        from ..core import simulate_uncertainty_dask

        data = None
        frame, names, roles = dask_data(args)
        with computing(args.scheduler):
            u = simulate_uncertainty_dask(frame, ValueModel(**cells), **roles, grid=args.grid,
                                          max_distinct=args.max_rows, names=names, **common)
    d = u.decision
    out = {
        "decision": d.to_dict(),
        "resamples": u.resamples,
        "seed": u.seed,
        "confidence": u.confidence,
        "threshold_interval": list(u.threshold_interval),
        "value_interval": list(u.value_interval),
        "probability_meets": u.probability_meets(d.threshold),
    }
    if data is not None or args.weight is None:
        intervals = {}
        for metric in ("recall", "precision", "alert_rate"):
            low, high = d.point.interval(metric, confidence=args.confidence, score_set=data)
            intervals[metric] = {"value": getattr(d.point, metric), "low": low, "high": high}
        out["intervals"] = intervals
    if args.output is not None:
        write_output(u.bands_frame().to_csv(index=False, float_format="%.10g"), args.output)
        out["bands"] = str(args.output)
    print_json(out)
