"""``aipm-sim optimize DATA ... --group COL [--fairness RULE --tolerance T]``: one threshold per group.

Adds three options to the ``optimize`` subcommand (it adds no subcommand of
its own): with ``--group`` the JSON holds each group's threshold, the
by-group table and the price of fairness (:func:`aipm_sim.optimize_groups`).
"""

from __future__ import annotations

RULES = ("demographic_parity", "equal_opportunity", "equalized_odds", "predictive_parity")
MSG_RULE_WITHOUT_GROUP = "{} needs --group COL (the column naming each case's group)"
MSG_GROUP_WITH_SCENARIO = "--group works on scored data (DATA with --score and --label), not with --scenario"
MSG_TOLERANCE_WITHOUT_RULE = ("--tolerance {:g} is the allowed gap of a fairness rule's rate between groups: it "
                              "needs --fairness RULE (one of " + ", ".join(RULES) + ")")
MSG_GROUP_WITH_ENGINE = "--group gives one threshold per group from data in memory: it does not take {} (found {})"


def register(sub):
    """Add --group, --fairness and --tolerance to the ``optimize`` subcommand of ``sub``."""
    p = sub.choices["optimize"]
    p.add_argument("--group", metavar="COL", help="column of groups: one threshold per group (JSON per group)")
    p.add_argument("--fairness", choices=RULES, metavar="RULE",
                   help="fairness rule across groups: " + ", ".join(RULES) + " (needs --group)")
    p.add_argument("--tolerance", type=float, metavar="T",
                   help="largest allowed difference of the rule's rate between two groups (default 0)")
    plain = p.get_default("run")
    p.set_defaults(run=lambda args: run_optimize(args, plain))


def run_optimize(args, plain):
    """The group decision as JSON when --group is given; otherwise the plain ``optimize`` run."""
    if args.group is None:
        given = [flag for flag, v in (("--fairness", args.fairness), ("--tolerance", args.tolerance)) if v is not None]
        if given:
            raise ValueError(MSG_RULE_WITHOUT_GROUP.format(" and ".join(given)))
        return plain(args)
    from . import MSG_DATA_OR_SCENARIO, MSG_NO_VALUE, _value_cells, print_json
    from ..core import ScoreSet, ValueModel, optimize_groups
    from .scale import engine_flags

    if args.scenario is not None or args.overrides:
        raise ValueError(MSG_GROUP_WITH_SCENARIO)
    if args.tolerance is not None and args.fairness is None:
        raise ValueError(MSG_TOLERANCE_WITHOUT_RULE.format(args.tolerance))
    engine = engine_flags(args) + (["--confidence"] if getattr(args, "confidence", None) is not None else [])
    if engine:
        raise ValueError(MSG_GROUP_WITH_ENGINE.format("--engine, --grid, --scheduler or --confidence",
                                                      ", ".join(engine)))
    if args.data is None or args.score is None or args.label is None:
        raise ValueError(MSG_DATA_OR_SCENARIO)
    cells = _value_cells(args)
    if not cells:
        raise ValueError(MSG_NO_VALUE)
    score_set = ScoreSet.read(args.data, score=args.score, label=args.label, amount=args.amount,
                              weight=args.weight, group=args.group)
    decision = optimize_groups(
        score_set, ValueModel(**cells), fairness=args.fairness,
        tolerance=0.0 if args.tolerance is None else args.tolerance, volume=args.volume,
        min_recall=args.min_recall, min_precision=args.min_precision, max_alert_rate=args.max_alert_rate,
        max_fpr=args.max_fpr, max_alerts=args.max_alerts,
    )
    out = {"group_column": args.group}
    out.update(decision.to_dict())
    print_json(out)
