"""``aipm-sim drift``: has the score distribution moved, and what is the performance now (before labels)?"""

from __future__ import annotations

from . import print_json

METHODS = ("psi", "ks", "js", "wasserstein")
MSG_THRESHOLD_NEEDS_LABEL = "--threshold estimates performance without labels: it needs --label COL (the reference's outcomes)"
MSG_FILE_EMPTY = "data file {!r} has a header but no rows: at least one scored case is needed"


def register(sub):
    p = sub.add_parser("drift", help="compare current scores with a reference: drift statistics as JSON")
    p.add_argument("reference", metavar="REFERENCE", help="CSV or Parquet file of the reference (labelled) cases")
    p.add_argument("current", metavar="CURRENT", help="CSV or Parquet file of the current cases")
    p.add_argument("--score", required=True, metavar="COL", help="column of model scores (in both files)")
    p.add_argument("--label", metavar="COL", help="column of 0/1 outcomes in REFERENCE (needed by --threshold)")
    p.add_argument("--method", action="append", choices=METHODS, metavar="METHOD",
                   help="psi, ks, js or wasserstein (repeatable; default: all four)")
    p.add_argument("--bins", type=int, default=10, metavar="B", help="reference-quantile bins of psi and js (default 10)")
    p.add_argument("--threshold", type=float, metavar="T",
                   help="decision threshold: adds the label-free estimate of performance at it")
    p.set_defaults(run=_run_drift)


def _scores(path, column):
    from ..core._checks import as_float_array, require_finite
    from ..core.engine.scores import MSG_COLUMN, read_table
    from ..core.errors import DataError

    df = read_table(path)
    if len(df) == 0:
        raise DataError(MSG_FILE_EMPTY.format(str(path)))
    if column not in df.columns:
        raise DataError(MSG_COLUMN.format(column, "score", ", ".join(map(str, df.columns))) + f" (in {str(path)!r})")
    name = f"column {column!r} of {str(path)!r}"
    values = as_float_array(df[column].to_numpy(), name)
    require_finite(values, name)
    return df, values


def _run_drift(args):
    from ..core import ScoreSet, drift_statistic, estimate_performance

    if args.threshold is not None and args.label is None:
        raise ValueError(MSG_THRESHOLD_NEEDS_LABEL)
    ref_frame, ref = _scores(args.reference, args.score)
    _, cur = _scores(args.current, args.score)
    methods = args.method or list(METHODS)
    results = [drift_statistic(ref, cur, method=m, bins=args.bins) for m in dict.fromkeys(methods)]
    out = {
        "reference": str(args.reference),
        "current": str(args.current),
        "n_reference": int(ref.size),
        "n_current": int(cur.size),
        "drifted": any(r.drifted for r in results),
        "statistics": [dict(r.to_dict(), name=r.name, reading=r.describe()) for r in results],
    }
    if args.threshold is not None:
        reference = ScoreSet.from_frame(ref_frame, score=args.score, label=args.label)
        est = estimate_performance(reference, cur, threshold=args.threshold)
        out["estimate"] = {
            "threshold": args.threshold,
            "assumption": "P(outcome | score) unchanged since the reference (covariate shift only)",
            **{k: getattr(est, k) for k in ("alerts", "tp", "fp", "fn", "tn", "precision", "recall",
                                            "alert_rate", "tp_se", "fn_se", "precision_se", "recall_se")},
        }
    print_json(out)
