"""Self-checks for workshop exercises: is a participant's answer within tolerance?

* :func:`parse_answer` reads what a person types ("0.065", "−190,434 EUR",
  "12 %") into a number.
* :func:`check_number` and :func:`check_choice` compare an answer with the
  expected one and return a :class:`Verdict` with a message in plain words.
* :data:`QUESTIONS` holds the workshop's questions (``notebooks/workshop/``);
  each computes its expected answer from the package itself, so that the
  check stays right when a scenario's numbers change. :func:`check` checks
  an answer to one of them.
"""

from __future__ import annotations

import functools
import math
import re
import warnings
from dataclasses import dataclass
from typing import Callable

from .._format import fmt_count, fmt_number
from ..core.errors import ParameterError

MSG_NOT_A_NUMBER = "“{}” is not a number: write one such as 0.065, \N{MINUS SIGN}1,250 or 12%."
MSG_EMPTY = "give an answer first"
MSG_TOLERANCE = "{} must be a finite number >= 0; found {!r}"
MSG_CHOICE = "answer must be one of {}; found {!r}"
MSG_UNKNOWN_QUESTION = "unknown question {!r}; questions are: {}"
MSG_AMBIGUOUS_M = (
    "'m' could mean million or a unit (months, minutes): write M or million for a million "
    "(2.5M), or the number in full; found {!r}"
)
MSG_OVER_CAPACITY = (
    "at {threshold} the queue holds {alerts} orders a month, more than the team can review "
    "({capacity}). The answer must keep the queue within capacity: only thresholds at or above the "
    "lowest one that does count (up to {tolerance} above it)."
)

#: Words after a number that multiply it ("-26k", "1.5 million EUR"). k and M are case-sensitive:
#: "m" alone is refused as ambiguous (million, or months/minutes), see :data:`MSG_AMBIGUOUS_M`.
MULTIPLIERS = {"k": 1e3, "K": 1e3, "thousand": 1e3, "M": 1e6, "mn": 1e6, "million": 1e6,
               "mio": 1e6, "tsd": 1e3, "bn": 1e9, "billion": 1e9}

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
# Thousands groups: a first group of 1-3 digits not starting with 0, then ",ddd" groups.
_THOUSANDS = re.compile(r"^[+-]?[1-9]\d{0,2}(,\d{3})+(\.\d*)?$")


@dataclass(frozen=True, slots=True, kw_only=True)
class Verdict:
    """The outcome of one self-check.

    Attributes
    ----------
    correct : bool
        True when the answer is within tolerance (or is the right choice).
    answer : float or str
        The answer as understood (a number for numeric questions).
    expected : float or str
        The expected answer (the self-check widget does not show it).
    message : str
        One or two sentences for the participant.
    """

    correct: bool
    answer: object
    expected: object
    message: str


def parse_answer(text):
    """The number in ``text``: thousands separators, a unicode minus, a multiplier, a unit word or ``%`` allowed.

    ``"12%"`` and ``"12 %"`` give 0.12 (a fraction, as everywhere in
    aipm_sim). A multiplier right after the number counts: ``"-26k"`` is
    -26,000 and ``"1.5 million EUR"`` 1,500,000 (see :data:`MULTIPLIERS`);
    a lone ``"m"`` is refused, since it may be a unit (months) as well as
    a million. Any other word after the number is a unit and is ignored.

    Raises
    ------
    ParameterError
        When ``text`` holds no single number, or an ambiguous ``m``.
    """
    if isinstance(text, bool):
        raise ParameterError(MSG_NOT_A_NUMBER.format(text))
    if isinstance(text, (int, float)):
        if not math.isfinite(text):
            raise ParameterError(MSG_NOT_A_NUMBER.format(text))
        return float(text)
    s = str(text).strip()
    if not s:
        raise ParameterError(MSG_EMPTY)
    s = s.replace("\u2212", "-").replace("\u2009", "").replace("\u202f", "")
    percent = s.endswith("%")
    factor = 1.0
    if percent:
        s = s[:-1].strip()
    else:
        tail = re.search(r"\s*[A-Za-z€$£/ ]+$", s)  # "1,250 EUR", "300 per month", "-26k", "2 million"
        if tail:
            factor = _multiplier(tail.group(), text)
            s = s[:tail.start()]
    s = s.replace(" ", "")
    if _THOUSANDS.match(s):
        s = s.replace(",", "")  # "1,250" and "-190,434.5": commas group thousands
    elif s.count(",") == 1 and "." not in s:
        s = s.replace(",", ".")  # "0,065" and "12,5": a decimal comma, as typed in much of Europe
    if not _NUMBER.match(s):
        raise ParameterError(MSG_NOT_A_NUMBER.format(text))
    x = float(s) * factor
    return x / 100 if percent else x


def _multiplier(tail, text):
    """The factor of the words after a number: ``"k"``, ``"k EUR"``, ``"kEUR"``, ``"k€"`` give 1,000; a unit gives 1."""
    words = tail.split()
    first = words[0].rstrip("€$£/") if words else ""
    if first == "m":
        raise ParameterError(MSG_AMBIGUOUS_M.format(text))
    glued = re.fullmatch(r"([kKM])[A-Z]{3}", first)  # "kEUR", "MUSD"
    if glued:
        first = glued.group(1)
    return MULTIPLIERS.get(first if len(first) <= 2 else first.lower(), 1.0)


def _tolerance(x, name):
    try:
        t = float(x)
    except (TypeError, ValueError):
        raise ParameterError(MSG_TOLERANCE.format(name, x)) from None
    if not (math.isfinite(t) and t >= 0):
        raise ParameterError(MSG_TOLERANCE.format(name, x))
    return t


#: What a wrong answer's feedback says when its question has no hint of its own.
TRY_AGAIN = "Look again and try once more."


def _direction(off, expected):
    """``'too high'``, ``'far too high'`` (more than twice as far from the answer as it is from zero) or the same low.

    Words only: never a ratio or a distance, from which the answer would follow.
    """
    side = "high" if off > 0 else "low"
    far = expected != 0 and abs(off) > abs(expected)
    return f"far too {side}" if far else f"too {side}"


def check_number(answer, expected, *, rel_tol=0.0, abs_tol=0.0, limit=None, hint=None):
    """Is ``answer`` within ``max(rel_tol * |expected|, abs_tol)`` of ``expected`` (and within ``limit``)?

    Parameters
    ----------
    answer : str or float
        What the participant typed (see :func:`parse_answer`).
    expected : float
    rel_tol : float
        Relative tolerance, a fraction of ``|expected|`` (0.05: within 5 %).
    abs_tol : float
        Absolute tolerance, in the answer's unit.
    limit : callable, optional
        For an answer that must not cross a hard limit (a threshold that
        must keep the queue within capacity): called with the answer as a
        float, returns None when the answer respects the limit, else a
        sentence saying what goes wrong there. An answer that crosses the
        limit never counts, however close it is, so the tolerance is
        one-sided: it only applies on the limit's safe side.
    hint : str, optional
        A sentence that follows a wrong answer's direction (default
        :data:`TRY_AGAIN`). The feedback says the direction in words
        ("too high", "far too high") and never a ratio or a distance to
        the answer, from which the answer would follow.

    Returns
    -------
    Verdict
        Not correct when the answer cannot be read as a number (the message
        says why); the boundary itself counts as within tolerance.
    """
    rel_tol = _tolerance(rel_tol, "rel_tol")
    abs_tol = _tolerance(abs_tol, "abs_tol")
    expected = float(expected)
    try:
        x = parse_answer(answer)
    except ParameterError as exc:
        return Verdict(correct=False, answer=answer, expected=expected, message=str(exc))
    if limit is not None:
        crossed = limit(x)
        if crossed:
            return Verdict(correct=False, answer=x, expected=expected, message=f"Not yet: {crossed}")
    allowed = max(rel_tol * abs(expected), abs_tol)
    off = x - expected
    # A hair of float slack so that the stated boundary itself is accepted.
    if abs(off) <= allowed * (1 + 1e-12) + 1e-15:
        return Verdict(correct=True, answer=x, expected=expected,
                       message=f"Within tolerance: {_show(x)} is right.")
    return Verdict(correct=False, answer=x, expected=expected,
                   message=f"Not yet: {_show(x)} is {_direction(off, expected)}. {hint or TRY_AGAIN}")


def check_choice(answer, expected, *, choices):
    """Is ``answer`` (one of ``choices``, compared without case) the expected one?"""
    choices = tuple(str(c) for c in choices)
    given = str(answer).strip()
    if not given:
        return Verdict(correct=False, answer=answer, expected=expected, message=MSG_EMPTY)
    match = next((c for c in choices if c.lower() == given.lower()), None)
    if match is None:
        return Verdict(correct=False, answer=answer, expected=expected,
                       message=MSG_CHOICE.format(", ".join(repr(c) for c in choices), answer))
    if match == expected:
        return Verdict(correct=True, answer=match, expected=expected, message=f"Right: {match}.")
    return Verdict(correct=False, answer=match, expected=expected,
                   message=f"Not {match}. Look again and try once more.")


def _show(x):
    """The participant's own number as they read numbers elsewhere: 4 significant digits, thousands
    separated, a true minus (``−1,250``, ``0.065``, ``227,334``)."""
    return fmt_number(x, 4)


# -- the workshop's questions --------------------------------------------------------------
@dataclass(frozen=True, slots=True, kw_only=True)
class Question:
    """One workshop question and how to compute its answer.

    Attributes
    ----------
    key : str
    prompt : str
        The question, as the participant reads it.
    unit : str
        Unit of a numeric answer ("" for choices).
    solve : callable
        No arguments; returns the expected answer (a float, or one of ``choices``).
    rel_tol, abs_tol : float
        Tolerances of a numeric answer (see :func:`check_number`).
    choices : tuple of str, or callable returning one
        The options of a multiple-choice question (empty: numeric); a
        callable when they come from the package (e.g. a scenario's parameters).
    limit : callable or None
        A hard limit on a numeric answer, as :func:`check_number`'s
        ``limit`` (the tolerance is then one-sided).
    hint : str
        A sentence in words after a wrong numeric answer's direction
        (empty: :data:`TRY_AGAIN`); it must not contain a number that
        follows from the answer.
    """

    key: str
    prompt: str
    unit: str
    solve: Callable
    rel_tol: float = 0.0
    abs_tol: float = 0.0
    choices: tuple = ()
    limit: Callable | None = None
    hint: str = ""

    def expected(self):
        """The expected answer, computed now from the package."""
        return self.solve()

    def options(self):
        """The choices of a multiple-choice question, as a tuple (empty: numeric)."""
        return tuple(self.choices() if callable(self.choices) else self.choices)

    def check(self, answer, *, expected=None):
        """Check ``answer``; returns a :class:`Verdict`.

        ``expected`` (default: :meth:`expected`, computed now) lets a caller
        that checks many answers compute it once.
        """
        expected = self.expected() if expected is None else expected
        options = self.options()
        if options:
            return check_choice(answer, expected, choices=options)
        return check_number(answer, expected, rel_tol=self.rel_tol, abs_tol=self.abs_tol, limit=self.limit,
                            hint=self.hint or None)


def _fraud(**overrides):
    from ..core.business.scenario import load_scenario

    return load_scenario("fraud_detection", **overrides)


def capacity_threshold():
    """Lowest threshold whose alerts per month stay within the fraud team's review capacity."""
    s = _fraud()
    curve, capacity = s.curve(), s.constraints["max_alerts"]
    per_month = curve.alerts * (s.volume / curve.n_cases)
    within = per_month <= capacity * (1 + 1e-12)
    return float(curve.thresholds[within].min())


#: Tolerance of the capacity question: up to 5 % above the lowest threshold within capacity.
CAPACITY_REL_TOL = 0.05


def capacity_exceeded(threshold):
    """None when flagging ``score >= threshold`` keeps the fraud queue within capacity, else why not.

    The queue is the model's exact expectation at ``threshold`` (``curve.at``,
    the explorer's readout). A threshold read off that readout is rounded to
    four significant digits, so it counts as the highest threshold it can
    stand for: half a unit of its fourth digit above it.
    """
    from ..core.errors import DegenerateWarning

    s = _fraud()
    curve, capacity = s.curve(), s.constraints["max_alerts"]
    per_month = s.volume / curve.n_cases
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateWarning)  # flagging nothing keeps any queue empty
        if curve.at(threshold + _half_unit(threshold)).alerts * per_month <= capacity * (1 + 1e-12):
            return None
        alerts = curve.at(threshold).alerts * per_month
    return MSG_OVER_CAPACITY.format(threshold=_show(threshold), alerts=fmt_count(alerts),
                                    capacity=fmt_count(capacity), tolerance=f"{100 * CAPACITY_REL_TOL:g}%")  # a stated level: "5%"


def _half_unit(x):
    """Half a unit of the fourth significant digit of ``x`` (0 for 0 and non-finite ``x``)."""
    if x == 0 or not math.isfinite(x):
        return 0.0
    return 0.5 * 10.0 ** (math.floor(math.log10(abs(x))) - 3)


def doubled_fee_value_change():
    """Change in the best value per month when the chargeback fee doubles (negative: a loss)."""
    base = _fraud()
    doubled = _fraud(chargeback_fee=2 * base.parameters["chargeback_fee"].value)
    return float(doubled.optimize().value - base.optimize().value)


def doubled_fee_threshold_move():
    """Does the best threshold go "up", "down" or stay "the same" when the chargeback fee doubles?"""
    base = _fraud()
    doubled = _fraud(chargeback_fee=2 * base.parameters["chargeback_fee"].value)
    before, after = base.optimize().threshold, doubled.optimize().threshold
    return "the same" if math.isclose(after, before, rel_tol=1e-9) else ("up" if after > before else "down")


def recommendation_uplift():
    """Value per month the recommendation model adds over showing the most popular items."""
    from ..core.business.scenario import load_scenario

    return float(load_scenario("recommendations").compare_rule().uplift_over_rule)


def recommendation_payback_months():
    """Months until the recommendation model's net gains over most-popular repay its build cost."""
    from ..core.business.scenario import load_scenario

    return float(load_scenario("recommendations").opportunity_summary().payback_months)


def firm_up_first():
    """The fraud assumption whose plausible range swings the best value most."""
    from ..core.business.sensitivity import compute_sensitivity

    s = _fraud()
    name = str(compute_sensitivity(s).table["parameter"].iloc[0])
    return _parameter_words(s, name)


#: Orders a day in the fraud A/B test of workshop exercise 7.
LAUNCH_ORDERS_PER_DAY = 10_000


def launch_test_days():
    """Days the fraud model's A/B test needs at 10,000 orders a day: traffic plus waiting for chargebacks."""
    from ..core.experiments.launch import plan_launch

    return float(plan_launch(_fraud(), traffic_per_day=LAUNCH_ORDERS_PER_DAY).test.days)


def launch_peeking():
    """Reading the fixed-horizon test every day: is the false-positive rate below, about, or well above alpha?"""
    from ..core.experiments.launch import plan_launch
    from ..core.experiments.sequential import simulate_peeking

    test = plan_launch(_fraud(), traffic_per_day=LAUNCH_ORDERS_PER_DAY).test
    sim = simulate_peeking(cases_per_day=LAUNCH_ORDERS_PER_DAY // 2, days=math.ceil(test.days_collecting),
                           alpha=test.alpha, n_simulations=2000, seed=0)
    rate = sim.peeking_rate
    return "well above 5%" if rate > 1.5 * test.alpha else ("below 5%" if rate < 0.8 * test.alpha else "about 5%")


#: Answers to the labels question within this fraction of the expected number count (the textbook
#: normal formula, 683 frauds instead of Wilson's 682, is well inside).
LABELS_REL_TOL = 0.05
LABELS_RECALL, LABELS_MARGIN = 0.8, 0.03
MSG_LABELS_TOO_FEW = ("with that many labelled orders the recall interval is still wider than ±3 points: more "
                      "labels are needed. Look at the ± column for the number of frauds that many orders hold.")
MSG_LABELS_TOO_MANY = ("that many labelled orders would do, but fewer already give ±3 points: look for the "
                       "smallest number of frauds whose margin is within ±3 points.")


def labels_for_recall_margin():
    """Labelled orders a validation needs to promise recall 80% ± 3% (95%) at the fraud scenario's fraud rate."""
    from ..core.uncertainty import labels_needed

    rate = _fraud().values["fraud_rate"]
    return float(labels_needed("recall", LABELS_RECALL, LABELS_MARGIN, prevalence=rate).cases)


def labels_hint(answer):
    """The labels question's feedback in words: only the direction, never the distance (used as ``limit``).

    None when ``answer`` is within :data:`LABELS_REL_TOL` of the answer (then it counts).
    """
    expected = labels_for_recall_margin()
    if abs(answer - expected) <= LABELS_REL_TOL * expected * (1 + 1e-12):
        return None
    return MSG_LABELS_TOO_FEW if answer < expected else MSG_LABELS_TOO_MANY


#: Exercise 6: the policies compared, as the participant names them (choices) and as the package does.
DECEMBER_CHOICES = {"do nothing": "do_nothing", "re-threshold": "rethreshold", "retrain every 4 weeks": "retrain_every_4"}


@functools.lru_cache(maxsize=4)
def december_comparison(adapting=False):
    """Exercise 6's 26 weeks: the fraud rate doubles in December (week 12), retrains cost 15,000 EUR.

    ``adapting`` False: nothing else changes (prior shift only). True: the fraud scenario's own
    ``[monitoring]`` plan, in which fraudsters also learn the model (its AUC falls each week).
    Cached: the notebook and the self-checks share one simulation.
    """
    from ..core.monitoring import DriftPlan, compare_policies, plan_monitoring, simulate_production

    s = _fraud()
    if adapting:
        return plan_monitoring(s, policies=tuple(DECEMBER_CHOICES.values())).comparison
    m = s.monitoring
    plan = DriftPlan(prevalence_shape="sudden", prevalence_factor=2.0, change_period=m["change_period"])
    production = simulate_production(s.score_model(), periods=m["periods"], cases_per_period=m["cases_per_period"],
                                     drift=plan, label_delay=m["label_delay"], threshold=s.optimize().threshold,
                                     value_model=s.value_model(), seed=m["seed"])
    return compare_policies(production, s.value_model(), policies=tuple(DECEMBER_CHOICES.values()),
                            retrain_cost=s.evaluate("monitoring.retrain_cost"),
                            recalibrate_cost=s.evaluate("monitoring.recalibrate_cost"),
                            volume=s.evaluate("monitoring.volume"), currency=s.currency, period=m["period"])


def _best_choice(comparison):
    names = dict(zip(comparison.table["policy"], DECEMBER_CHOICES))
    return names[comparison.best_policy]


def december_policy():
    """Best of do nothing / re-threshold / retrain every 4 weeks when only the fraud rate doubles."""
    return _best_choice(december_comparison(False))


def december_rethreshold_gain():
    """EUR over the 26 weeks that re-thresholding adds over doing nothing, net of its costs (prior shift only)."""
    t = december_comparison(False).table.set_index("policy")
    return float(t["versus doing nothing"].iloc[1])


def adapting_policy():
    """Best of the three when fraudsters also adapt (the scenario's own monitoring plan)."""
    return _best_choice(december_comparison(True))


def _parameter_words(scenario, name):
    """A parameter as the participant reads it: its description (the code name only when it has none)."""
    p = scenario.parameters[name]
    return p.description or name.replace("_", " ")


def _fraud_parameter_names():
    """The fraud assumptions in words (their descriptions), the choices of the firm-up-first question."""
    s = _fraud()
    return tuple(_parameter_words(s, name) for name in s.parameters)


#: The groups exercise (08): the credit scenario by age band, its cases drawn as the report draws them.
GROUPS_SCENARIO = "credit_approval_groups"
GROUPS_TOLERANCE = 0.02
#: The fairness rules in words, as the exercise's choices.
RULE_CHOICES = {"demographic parity": "demographic_parity", "equal opportunity": "equal_opportunity",
                "equalized odds": "equalized_odds", "predictive parity": "predictive_parity"}


def _credit_groups():
    from ..core.business.scenario import load_scenario
    from ..core.groups.simulate import scenario_groups
    from ..report._groups import N_CASES, SEED

    s = load_scenario(GROUPS_SCENARIO)
    return s, scenario_groups(s, n_cases=N_CASES, seed=SEED).measured


def _group_decision(rule):
    from ..core.groups.optimize import optimize_groups

    s, cases = _credit_groups()
    return optimize_groups(cases, s.value_model(), fairness=rule, tolerance=GROUPS_TOLERANCE, volume=s.volume,
                           **s.constraints)


def _group_names():
    from ..core.business.scenario import load_scenario

    return tuple(g["name"] for g in load_scenario(GROUPS_SCENARIO).groups)


def groups_declined_most():
    """The age band declined most often at the best single threshold for everyone."""
    from ..core.groups.metrics import group_metrics

    s, cases = _credit_groups()
    d = _group_decision(None)
    table = group_metrics(cases, d.single_threshold)
    return str(table["alert_rate"].idxmax())


def groups_price_of_parity():
    """What equal decline rates (demographic parity, within 2 points) cost per month, in EUR."""
    return float(_group_decision("demographic_parity").price_of_fairness)


def groups_cheapest_rule():
    """The fairness rule (within 2 points) with the lowest price."""
    prices = {words: _group_decision(rule).price_of_fairness for words, rule in RULE_CHOICES.items()}
    return min(prices, key=prices.get)


QUESTIONS = {
    q.key: q for q in (
        Question(key="capacity_threshold",
                 prompt="Which threshold keeps the review queue within the team's capacity (the lowest such "
                        "threshold)? Answers up to 5% above it count; none that overfills the queue does.",
                 unit="score", solve=capacity_threshold, rel_tol=CAPACITY_REL_TOL, limit=capacity_exceeded,
                 hint="Move the threshold down step by step while the alerts per month still fit the team's "
                      "capacity; the answer is the last one that fits."),
        Question(key="doubled_fee_value_change",
                 prompt="By how much does the best value per month change when the chargeback fee doubles? "
                        "(a loss is negative)",
                 unit="EUR per month", solve=doubled_fee_value_change, rel_tol=0.05,
                 hint="Compare the best value per month before and after doubling the fee; "
                      "the change is after minus before."),
        Question(key="doubled_fee_threshold_move",
                 prompt="When the chargeback fee doubles, does the best threshold go up, down, or stay the same?",
                 unit="", solve=doubled_fee_threshold_move, choices=("up", "down", "the same")),
        Question(key="recommendation_uplift",
                 prompt="How much value per month does the recommendation model add over showing the most "
                        "popular items?",
                 unit="USD per month", solve=recommendation_uplift, rel_tol=0.05,
                 hint="Read the model's best value and the most-popular rule's best value; the answer is "
                      "their difference."),
        Question(key="recommendation_payback_months",
                 prompt="After how many months have the model's net gains repaid its build cost?",
                 unit="months", solve=recommendation_payback_months, rel_tol=0.10, abs_tol=0.25,
                 hint="Divide the build cost by what the model adds each month, net of its running cost."),
        Question(key="labels_for_recall_margin",
                 prompt="How many labelled orders must a validation hold to promise recall 80% ± 3% "
                        "(95% confidence) at the scenario's fraud rate? Answers within 5% count.",
                 unit="labelled orders", solve=labels_for_recall_margin, rel_tol=LABELS_REL_TOL,
                 limit=labels_hint),
        Question(key="launch_test_days",
                 prompt="How many days does the A/B test of the new fraud model need at 10,000 orders a day, "
                        "until it can be read (waiting for the chargebacks included)?",
                 unit="days", solve=launch_test_days, rel_tol=0.02, abs_tol=1.0,
                 hint="Read the plan's days in all: the days of traffic plus the days of waiting for outcomes."),
        Question(key="launch_peeking",
                 prompt="If the team reads this test every day and stops at the first significant day, how often "
                        "does it declare a winner when nothing changed?",
                 unit="", solve=launch_peeking, choices=("below 5%", "about 5%", "well above 5%")),
        Question(key="december_policy",
                 prompt="The fraud rate doubles in December and nothing else changes: which policy earns the most "
                        "over the 26 weeks, net of its costs?",
                 unit="", solve=december_policy, choices=tuple(DECEMBER_CHOICES)),
        Question(key="december_rethreshold_gain",
                 prompt="How much more than doing nothing does re-thresholding earn over the 26 weeks, net of "
                        "its costs?",
                 unit="EUR over 26 weeks", solve=december_rethreshold_gain, rel_tol=0.10),
        Question(key="adapting_policy",
                 prompt="Now fraudsters also learn the model (it loses a little ranking power every week): which "
                        "policy earns the most?",
                 unit="", solve=adapting_policy, choices=tuple(DECEMBER_CHOICES)),
        Question(key="firm_up_first",
                 prompt="Which fraud assumption should the team firm up first (the largest swing in value)?",
                 unit="", solve=firm_up_first, choices=_fraud_parameter_names),
        Question(key="groups_declined_most",
                 prompt="With one threshold for everyone, which age band has its applications declined most often?",
                 unit="", solve=groups_declined_most, choices=_group_names),
        Question(key="groups_price_of_parity",
                 prompt="What does demographic parity (decline rates within 2 percentage points) cost per month "
                        "compared with the best threshold per group? (a cost is a positive number here)",
                 unit="EUR per month", solve=groups_price_of_parity, rel_tol=0.05),
        Question(key="groups_cheapest_rule",
                 prompt="Which fairness rule, within 2 percentage points, costs the least?",
                 unit="", solve=groups_cheapest_rule, choices=tuple(RULE_CHOICES)),
    )
}


def question(key):
    """The :class:`Question` called ``key`` (see :data:`QUESTIONS`)."""
    try:
        return QUESTIONS[key]
    except KeyError:
        raise ParameterError(MSG_UNKNOWN_QUESTION.format(key, ", ".join(QUESTIONS))) from None


def check(key, answer):
    """Check ``answer`` to workshop question ``key``; returns a :class:`Verdict`."""
    return question(key).check(answer)
