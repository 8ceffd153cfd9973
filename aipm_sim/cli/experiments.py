"""``aipm-sim plan-test``: the size and duration of an A/B test, for two rates or a scenario's launch."""

from __future__ import annotations

import math

from . import _add_scenario_arguments, _load_scenario, print_json

MSG_BOTH = "give either --scenario or --baseline-rate with --rate, not both"
MSG_NEITHER = "give --baseline-rate and --rate (two rates per case in (0, 1)), or --scenario NAME"
MSG_RATE_ONLY = "--baseline-rate and --rate go together: give both"
MSG_CLI_RATE = "{} must be a rate in (0, 1), a fraction of cases (e.g. 0.02 for 2%); found {!r}"
MSG_CLI_EQUAL = "--baseline-rate and --rate are equal ({!r}): there is no difference to detect"
MSG_CLI_FRACTION = "{} must be in (0, 1), {}; found {!r}"
MSG_CLI_POSITIVE = "{} must be a number > 0, {}; found {!r}"
#: What each number flag means, for its message.
FLAG_WORDS = {
    "--alpha": "the false-positive rate accepted (e.g. 0.05 for 5%)",
    "--power": "the chance of detecting the change (e.g. 0.8 for 80%)",
    "--ratio": "the treatment group's size over the control group's (1: equal groups)",
    "--cases-per-day": "the cases entering the test per day, both groups",
}
MSG_RATIO_SCENARIO = "--ratio applies to two rates only; a scenario's test splits its traffic in half"


def register(sub):
    p = sub.add_parser("plan-test", help="size an A/B test: cases per group and days (two rates, or a scenario)")
    p.add_argument("--baseline-rate", type=float, metavar="P", help="today's rate per case, in (0, 1)")
    p.add_argument("--rate", type=float, metavar="P2", help="the rate the change should reach, in (0, 1)")
    p.add_argument("--alpha", type=float, metavar="A", help="false-positive rate accepted (default 0.05)")
    p.add_argument("--power", type=float, metavar="W", help="chance of detecting the change (default 0.8)")
    p.add_argument("--ratio", type=float, metavar="R",
                   help="treatment group size / control group size (default 1: equal groups)")
    p.add_argument("--alternative", choices=("two-sided", "larger", "smaller"), default="two-sided",
                   help="direction tested (default two-sided)")
    p.add_argument("--cases-per-day", type=float, metavar="N",
                   help="cases entering the test per day, both groups (gives the days; a scenario's own otherwise)")
    _add_scenario_arguments(p, required=False)
    p.set_defaults(run=_run_plan_test)


def _check_flags(args):
    """The number flags, refused with their own names (core's messages name its arguments instead)."""
    for flag, value in (("--alpha", args.alpha), ("--power", args.power)):
        if value is not None and not 0 < value < 1:
            raise ValueError(MSG_CLI_FRACTION.format(flag, FLAG_WORDS[flag], value))
    for flag, value in (("--ratio", args.ratio), ("--cases-per-day", args.cases_per_day)):
        if value is not None and not (math.isfinite(value) and value > 0):
            raise ValueError(MSG_CLI_POSITIVE.format(flag, FLAG_WORDS[flag], value))


def _run_plan_test(args):
    _check_flags(args)
    rates = (args.baseline_rate, args.rate)
    if args.scenario is not None:
        if any(r is not None for r in rates):
            raise ValueError(MSG_BOTH)
        if args.ratio is not None:
            raise ValueError(MSG_RATIO_SCENARIO)
        print_json(_scenario_plan(args))
        return
    if args.overrides:
        raise ValueError("--set changes a scenario's parameters: give --scenario NAME too")
    if all(r is None for r in rates):
        raise ValueError(MSG_NEITHER)
    if any(r is None for r in rates):
        raise ValueError(MSG_RATE_ONLY)
    print_json(_rates_plan(args))


def _rates_plan(args):
    from ..core import sample_size_proportions

    for flag, value in (("--baseline-rate", args.baseline_rate), ("--rate", args.rate)):
        if not 0 < value < 1:
            raise ValueError(MSG_CLI_RATE.format(flag, value))
    if args.baseline_rate == args.rate:
        raise ValueError(MSG_CLI_EQUAL.format(args.rate))
    alpha = 0.05 if args.alpha is None else args.alpha
    power = 0.8 if args.power is None else args.power
    ratio = 1.0 if args.ratio is None else args.ratio
    n = sample_size_proportions(args.baseline_rate, args.rate, alpha=alpha, power=power, ratio=ratio,
                                alternative=args.alternative)
    control, treatment = math.ceil(n - 1e-9), math.ceil(ratio * n - 1e-9)
    days = None
    if args.cases_per_day is not None:
        days = math.ceil(max(control * (1 + ratio), treatment * (1 + ratio) / ratio) / args.cases_per_day - 1e-9)
    return {
        "per_group": {"control": control, "treatment": treatment},
        "total": control + treatment,
        "days": days,
        "control_exact": n,
        "inputs": {"baseline_rate": args.baseline_rate, "rate": args.rate, "alpha": alpha, "power": power,
                   "ratio": ratio, "alternative": args.alternative, "cases_per_day": args.cases_per_day,
                   "method": "pooled-variance normal approximation (R's power.prop.test)"},
    }


def _scenario_plan(args):
    from ..core import plan_launch

    scenario = _load_scenario(args)
    changes = {}
    for name in ("alpha", "power"):
        if getattr(args, name) is not None:
            changes[name] = getattr(args, name)
    if args.cases_per_day is not None:
        changes["traffic_per_day"] = args.cases_per_day
    if args.alternative != "two-sided":
        raise ValueError("--alternative applies to two rates only; a scenario's test is two-sided")
    launch = plan_launch(scenario, **changes)
    test = launch.test
    out = {
        "scenario": scenario.name,
        "per_group": {"control": test.cases_control, "treatment": test.cases_treatment},
        "total": test.cases_total,
        "days": test.days,
        "always_valid_days": test.always_valid_days,
        "unit": test.unit,
        "inputs": {"metric": test.metric, "alpha": test.alpha, "power": test.power, "allocation": test.allocation,
                   "cases_per_day": test.cases_per_day, "label_delay_days": test.label_delay_days,
                   "minimum_effect": test.minimum_effect, "treatment": launch.treatment_name,
                   "control": launch.control_name},
    }
    out.update({k: v for k, v in launch.to_dict().items() if k in ("test", "rollout")})
    return out
