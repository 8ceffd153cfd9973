"""The ``aipm-sim`` command line: a thin shell over :mod:`aipm_sim.core`.

Bad input of any kind exits with status 2 and one line on stderr; output
files are written to a temporary file and renamed, so they appear whole or
not at all.
"""

from __future__ import annotations

import argparse
import importlib
import json
import math
import os
import sys
import warnings

from .._output import (MSG_OUTPUT_EMPTY, MSG_OUTPUT_FAILED, MSG_OUTPUT_FOLDER,  # noqa: F401 - its messages
                      MSG_OUTPUT_IS_FOLDER, MSG_OUTPUT_NOT_FILE, OutputPathError, atomic_output)
# --engine dask: Dask is imported only when used
from .scale import add_engine_arguments, engine_flags, one_file, refuse_dask_flags, threshold_curve

EXIT_BAD_INPUT = 2
EXIT_INTERNAL_ERROR = 1

#: Modules of this package that each add subcommands: ``register(sub)`` adds them to the
#: subparsers ``sub``. Each imports the core only inside its run functions, so ``--help`` stays fast.
SUBCOMMAND_MODULES = ("uncertainty", "experiments", "groups", "monitoring")


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr (status 2)."""

    def error(self, message):
        # One prefix for every error, whichever subcommand's parser found it (was "aipm-sim optimize: error:").
        self.exit(EXIT_BAD_INPUT, f"aipm-sim: error: {message}\n")


def _add_data_arguments(p, *, required=True):
    # "+": an unquoted glob (lake/*.parquet) reaches us as many paths, which --engine dask reads as one data set
    p.add_argument("data", metavar="DATA", nargs="+" if required else "*",
                   help="CSV or Parquet file of scored cases (with --engine dask: files, a folder or a glob)")
    p.add_argument("--score", required=required, metavar="COL", help="column of model scores")
    p.add_argument("--label", required=required, metavar="COL", help="column of 0/1 outcomes")
    p.add_argument("--amount", metavar="COL", help="column of amounts (currency per case, >= 0)")
    p.add_argument("--weight", metavar="COL", help="column of row weights (cases each row stands for)")


def _add_value_arguments(p):
    """--tp … --tn-amount; None when not given (a cell not given is worth 0)."""
    for cell in ("tp", "fp", "fn", "tn"):
        p.add_argument(f"--{cell}", type=float, metavar="V",
                       help=f"value per {cell.upper()} case (gain > 0, cost < 0; default 0)")
    for cell in ("tp", "fp", "fn", "tn"):
        p.add_argument(f"--{cell}-amount", type=float, metavar="V",
                       help=f"fraction of the amount gained (> 0) or lost (< 0) per {cell.upper()} case (default 0)")


def _value_cells(args):
    """The value-model cells given on the command line, name -> float."""
    names = ("tp", "fp", "fn", "tn", "tp_amount", "fp_amount", "fn_amount", "tn_amount")
    return {name: getattr(args, name) for name in names if getattr(args, name) is not None}


def _add_constraint_arguments(p):
    p.add_argument("--min-recall", type=float, metavar="R", help="lowest acceptable recall, in [0, 1]")
    p.add_argument("--min-precision", type=float, metavar="P", help="lowest acceptable precision, in [0, 1]")
    p.add_argument("--max-alert-rate", type=float, metavar="Q", help="highest acceptable share of cases flagged")
    p.add_argument("--max-fpr", type=float, metavar="F", help="highest acceptable false positive rate")
    p.add_argument("--max-alerts", type=float, metavar="K",
                   help="most alerts allowed (per period with --volume, else in the data)")
    p.add_argument("--volume", type=float, metavar="N", help="cases per period (values become per period)")


def build_parser():
    parser = _Parser(prog="aipm-sim", description="Threshold decisions for classifiers, in money.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("curve", help="write the exact threshold curve as CSV")
    _add_data_arguments(p)
    add_engine_arguments(p)
    p.add_argument("-o", "--output", metavar="OUT.csv", help="output file (default: stdout)")
    p.set_defaults(run=_run_curve)

    p = sub.add_parser("optimize", help="print the best threshold as JSON (for scored data or a scenario)")
    _add_data_arguments(p, required=False)
    add_engine_arguments(p)
    _add_value_arguments(p)
    _add_constraint_arguments(p)
    p.add_argument("--confidence", type=float, metavar="C",
                   help="guarantee the constraints for the population with this confidence, in (0, 1)")
    _add_scenario_arguments(p, required=False)
    p.set_defaults(run=_run_optimize)

    p = sub.add_parser("scenarios", help="list the preset scenarios, one line each")
    p.set_defaults(run=_run_scenarios)

    p = sub.add_parser("sensitivity", help="vary each scenario parameter over its range; write a CSV")
    _add_scenario_arguments(p, required=True)
    p.add_argument("-o", "--output", metavar="OUT.csv", help="output file (default: stdout)")
    p.set_defaults(run=_run_sensitivity)

    p = sub.add_parser("app", help="serve a notebook as a no-code app (Voilà) on 127.0.0.1")
    p.add_argument("notebook", metavar="NOTEBOOK", nargs="?",
                   help="notebook to serve (default: notebooks/00_start_here.ipynb, the explorer)")
    p.add_argument("--port", type=int, metavar="P", help="port on 127.0.0.1 (default: first free from 8866)")
    p.add_argument("--no-browser", action="store_true", help="do not open a browser tab")
    p.add_argument("--free-kernels-after", type=int, default=60, metavar="SECONDS",
                   help="shut down the kernel of a closed or reloaded page after this many idle seconds "
                        "(default 60; an open page keeps its kernel)")
    p.set_defaults(run=_run_app)

    p = sub.add_parser("report", help="write a decision report (HTML, no code) for a scenario or scored data")
    _add_report_arguments(p)
    p.set_defaults(run=_run_report)

    for name in SUBCOMMAND_MODULES:
        importlib.import_module(f".{name}", __name__).register(sub)
    return parser


def _run_app(args):
    from ..app import serve

    status = serve(args.notebook, port=args.port, open_browser=not args.no_browser,
                   free_kernels_after=args.free_kernels_after)
    if status:
        raise SystemExit(status)


def _setting(text):
    """``NAME=VALUE`` of ``--set`` as a (name, value) pair; VALUE stays text (the scenario checks it)."""
    name, sep, value = text.partition("=")
    if not sep or not name.strip() or not value.strip():
        raise argparse.ArgumentTypeError(f"--set needs NAME=VALUE; found {text!r}")
    return name.strip(), value.strip()


def _add_report_arguments(p):
    p.add_argument("-o", "--output", required=True, metavar="REPORT.html", help="the report file to write")
    p.add_argument("--format", choices=("html", "pdf"), default="html",
                   help="html (default, self-contained) or pdf (printed by Chromium)")
    p.add_argument("--scenario", metavar="NAME", help="a preset scenario (aipm-sim scenarios) or a .toml file")
    p.add_argument("--set", dest="overrides", type=_setting, action="append", default=[], metavar="PARAM=VALUE",
                   help="change a scenario parameter (repeatable)")
    p.add_argument("--data", metavar="FILE", nargs="+",
                   help="CSV or Parquet file of scored cases (instead of a scenario); "
                        "with --engine dask files, a folder or a glob")
    p.add_argument("--score", metavar="COL", help="column of model scores (with --data)")
    p.add_argument("--label", metavar="COL", help="column of 0/1 outcomes (with --data)")
    p.add_argument("--amount", metavar="COL", help="column of amounts (currency per case, >= 0)")
    p.add_argument("--weight", metavar="COL", help="column of row weights (cases each row stands for)")
    _add_value_arguments(p)
    _add_constraint_arguments(p)
    p.add_argument("--period", metavar="WORD", help="the period of --volume (default: day; scenarios: month)")
    p.add_argument("--currency", metavar="WORD", help="name of the money unit (with --data; default: currency)")
    p.add_argument("--title", metavar="TEXT", help="report title (default: from the scenario or the data file)")
    add_engine_arguments(p)


MSG_SET_TWICE = "--set {} is given twice"
MSG_SEVERAL_FILES = ("DATA names {} files ({!r} …; an unquoted glob the shell expanded?); the default engine "
                     "reads one file: add --engine dask to read them all")


#: Options of ``aipm-sim report`` that describe scored data (``--data``), not a scenario.
REPORT_DATA_OPTIONS = ("score", "label", "amount", "weight", "tp", "fp", "fn", "tn", "tp_amount", "fp_amount",
                       "fn_amount", "tn_amount", "min_recall", "min_precision", "max_alert_rate", "max_fpr",
                       "max_alerts", "volume", "period", "currency")


def _run_report(args):
    from ..report import MSG_DATA_ONLY, build_report, check_output

    if args.scenario is not None:
        # Name the option as typed (--tp), not the Python argument it becomes (value).
        given = [f"--{n.replace('_', '-')}" for n in REPORT_DATA_OPTIONS if getattr(args, n) is not None]
        given += engine_flags(args)
        if given:
            raise ValueError(MSG_DATA_ONLY.format(given[0]))
    value = _value_cells(args)
    names = ("min_recall", "min_precision", "max_alert_rate", "max_fpr", "max_alerts")
    constraints = {n: getattr(args, n) for n in names if getattr(args, n) is not None}
    overrides = {}
    for name, raw in args.overrides:
        if name in overrides:
            raise ValueError(MSG_SET_TWICE.format(name))
        overrides[name] = raw
    curve = None
    if args.engine == "memory":
        refuse_dask_flags(args, ("grid", "scheduler", "max_rows"))
        if args.data is not None:
            one_file(args.data)
    elif args.data is not None and args.score is not None and args.label is not None:
        # The curve on Dask, here; the report (a fresh kernel) is handed the curve, not the files.
        check_output(args.output)  # a bad output path fails now, not after the cluster's work
        curve = threshold_curve(args)
    analysis = build_report(
        args.output, format=args.format, scenario=args.scenario, overrides=overrides or None,
        # several files (a glob the shell expanded) are named by the folder they share
        data=os.path.commonpath(args.data) if isinstance(args.data, tuple) else args.data,
        score=args.score, label=args.label, amount=args.amount, weight=args.weight,
        value=value or None, constraints=constraints or None, volume=args.volume,
        period=args.period, currency=args.currency, title=args.title, curve=curve,
    )
    sys.stdout.write(f"aipm-sim: wrote {args.output}: {analysis.headline()}\n")


def _score_set(args):
    from ..core import ScoreSet

    return ScoreSet.read(args.data, score=args.score, label=args.label, amount=args.amount, weight=args.weight)


def _run_curve(args):
    frame = threshold_curve(args).to_frame()
    # pandas writes each float as repr does: the shortest text that reads back as the same number
    # (0.9763, not %.17g's 0.97629999999999995).
    text = frame.to_csv(index=False)
    write_output(text, args.output)


MSG_DATA_OR_SCENARIO = "optimize needs either DATA (with --score and --label) or --scenario NAME"
MSG_BOTH = "give either DATA or --scenario, not both"
MSG_SCENARIO_OPTIONS = "--scenario takes its money and constraints from the scenario; change them with --set PARAM=VALUE (found {})"
MSG_SET_WITHOUT_SCENARIO = "--set changes scenario parameters: it needs --scenario NAME"
MSG_NO_VALUE = ("optimize needs at least one value: give --tp, --fp, --fn or --tn (currency per case) "
                "or --tp-amount, --fp-amount, --fn-amount or --tn-amount (a fraction of each case's amount)")


def _add_scenario_arguments(p, *, required):
    p.add_argument("--scenario", metavar="NAME", required=required,
                   help="a preset scenario (see: aipm-sim scenarios) or a scenario .toml file")
    p.add_argument("--set", dest="overrides", type=_setting, action="append", default=[], metavar="PARAM=VALUE",
                   help="change a scenario parameter (repeatable)")


def _scenario_overrides(pairs):
    """The ``--set`` pairs as a dict; a parameter set twice is refused (MSG_SET_TWICE), not silently the last."""
    overrides = {}
    for name, raw in pairs:
        if name in overrides:
            raise ValueError(MSG_SET_TWICE.format(name))
        overrides[name] = raw
    return overrides


def _load_scenario(args):
    from ..core import load_scenario

    return load_scenario(args.scenario, **_scenario_overrides(args.overrides))


def _run_scenarios(args):
    from ..core import list_scenarios

    table = list_scenarios(details=True)
    width = max(len(n) for n in table["name"])
    for name, summary in zip(table["name"], table["summary"]):
        sys.stdout.write(f"{name:<{width}}  {summary}\n")


def _run_sensitivity(args):
    from ..core import compute_sensitivity

    scenario = _load_scenario(args)
    frame = compute_sensitivity(scenario).to_frame()
    write_output(frame.to_csv(index=False, float_format="%.10g"), args.output)


def _run_scenario_optimize(args):
    given = [f"--{name.replace('_', '-')}" for name in
             ("min_recall", "min_precision", "max_alert_rate", "max_fpr", "max_alerts", "volume", "score", "label",
              "amount", "weight", "confidence") if getattr(args, name, None) is not None]
    given += [f"--{c.replace('_', '-')}" for c in _value_cells(args)] + engine_flags(args)
    if given:
        raise ValueError(MSG_SCENARIO_OPTIONS.format(", ".join(given)))
    scenario = _load_scenario(args)
    out = {"scenario": scenario.name, "kind": scenario.kind, "currency": scenario.currency,
           "period": "month", "parameters": scenario.values}
    from ..core.engine._nothing import nothing_if_practically_nothing

    # A capacity of 0 (--set analysts=0) is flagging nothing, not threshold 0.9999998 with 1e-13 alerts.
    decision = scenario.optimize()
    if scenario.kind != "ranking":
        decision = nothing_if_practically_nothing(decision)
        out["rule"] = "flag nothing" if decision.threshold == math.inf else f"flag scores >= {decision.threshold!r}"
    out.update(decision.to_dict())
    print_json(out)


def _run_optimize(args):
    from ..core import ValueModel, optimize

    if args.scenario is not None:
        if args.data is not None:
            raise ValueError(MSG_BOTH)
        return _run_scenario_optimize(args)
    if args.overrides:
        raise ValueError(MSG_SET_WITHOUT_SCENARIO)
    if args.data is None or args.score is None or args.label is None:
        raise ValueError(MSG_DATA_OR_SCENARIO)
    cells = _value_cells(args)
    if not cells:
        raise ValueError(MSG_NO_VALUE)
    curve = threshold_curve(args)
    vm = ValueModel(**cells)
    decision = optimize(
        curve, vm,
        min_recall=args.min_recall, min_precision=args.min_precision,
        max_alert_rate=args.max_alert_rate, max_fpr=args.max_fpr,
        max_alerts=args.max_alerts, volume=args.volume, confidence=args.confidence,
    )
    print_json(decision.to_dict())


def print_json(obj):
    """Print ``obj`` as JSON, with inf/NaN written as null (JSON has no such numbers)."""
    sys.stdout.write(json.dumps(_finite(obj), indent=2, allow_nan=False) + "\n")


def _finite(obj):
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_finite(v) for v in obj]
    return obj


def write_output(text, path):
    """Write ``text`` to ``path`` whole or not at all (see :func:`aipm_sim._output.atomic_output`); stdout if None.

    Every error names ``path`` as given, never the temporary file, and leaves nothing behind.
    """
    if path is None:
        sys.stdout.write(text)
        return
    with atomic_output(path) as target:
        try:
            with open(target, "w", newline="") as fh:
                fh.write(text)
        except OSError as exc:
            raise OutputPathError("failed", os.fspath(path), reason=exc.strerror or str(exc)) from None


def _one_data_argument(args):
    """DATA given as several paths (e.g. a glob the shell expanded) becomes one tuple for the Dask engine;
    one path stays a string, none is None; several paths for the memory engine are an error."""
    data = getattr(args, "data", None)
    if not isinstance(data, list):
        return
    if len(data) > 1 and getattr(args, "engine", "memory") != "dask":
        raise ValueError(MSG_SEVERAL_FILES.format(len(data), data[0]))
    args.data = None if not data else data[0] if len(data) == 1 else tuple(data)


def main(argv=None):
    """Entry point of the ``aipm-sim`` console script; returns the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # usage error (status 2, one line already on stderr) or --help (0)
        return exc.code if isinstance(exc.code, int) else EXIT_BAD_INPUT
    try:
        _one_data_argument(args)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            args.run(args)
        for w in caught:
            print(f"aipm-sim: warning: {w.message}", file=sys.stderr)
    except (ValueError, OSError, KeyError) as exc:
        print(f"aipm-sim: error: {_first_line(exc)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except ImportError as exc:  # an optional extra (papermill, voila, pyarrow) is not installed
        missing = exc.name or _first_line(exc)
        print(f"aipm-sim: error: '{args.command}' needs {missing}: pip install 'aipm_sim[app]'", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:  # a bug, not bad input: still one line, with a way to see more
        if os.environ.get("AIPM_SIM_DEBUG"):
            raise
        print(
            f"aipm-sim: internal error ({type(exc).__name__}): {_first_line(exc)} "
            "(set AIPM_SIM_DEBUG=1 for the traceback)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL_ERROR
    return 0


def _first_line(exc):
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


