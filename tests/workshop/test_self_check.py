"""Workshop self-checks: reading answers, tolerances, choices, and each question's expected answer."""

import math
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import aipm_sim as am
from aipm_sim.workshop import self_check as sc


# -- reading what people type --------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("0.065", 0.065),
        ("  0.5 ", 0.5),
        (".25", 0.25),
        ("-1,250", -1250.0),
        ("\u2212190,434 EUR", -190434.0),  # unicode minus, as aipm_sim prints it
        ("+3", 3.0),
        ("12%", 0.12),
        ("12 %", 0.12),
        ("1e3", 1000.0),
        ("300 per month", 300.0),
        ("0,065", 0.065),  # decimal commas, as typed in much of Europe
        ("12,5 %", 0.125),
        ("-3,75", -3.75),
        ("1,250.5", 1250.5),  # thousands groups with a decimal point
        ("-26k", -26_000.0),  # multipliers multiply; they are not a unit to drop
        ("-26 k EUR", -26_000.0),
        ("26kEUR", 26_000.0),
        ("26k€", 26_000.0),
        ("1.5M", 1_500_000.0),
        ("2 million USD", 2_000_000.0),
        ("2 Million", 2_000_000.0),
        ("67 thousand", 67_000.0),
        ("0,9 Mio", 900_000.0),
        ("4 months", 4.0),  # a unit, not a multiplier
        (7, 7.0),
        (0.5, 0.5),
    ],
)
def test_parse_answer(text, number):
    assert sc.parse_answer(text) == pytest.approx(number, rel=1e-15)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", sc.MSG_NOT_A_NUMBER.format("abc")),
        ("1.2.3", sc.MSG_NOT_A_NUMBER.format("1.2.3")),
        ("--5", sc.MSG_NOT_A_NUMBER.format("--5")),
        ("1,2,3", sc.MSG_NOT_A_NUMBER.format("1,2,3")),  # neither thousands groups nor a decimal comma
        ("12,5.0", sc.MSG_NOT_A_NUMBER.format("12,5.0")),
        ("3m", sc.MSG_AMBIGUOUS_M.format("3m")),  # a million, or 3 months?
        ("-2.5 m EUR", sc.MSG_AMBIGUOUS_M.format("-2.5 m EUR")),
        ("12k%", sc.MSG_NOT_A_NUMBER.format("12k%")),
        ("", sc.MSG_EMPTY),
        ("   ", sc.MSG_EMPTY),
        (True, sc.MSG_NOT_A_NUMBER.format(True)),
        (math.nan, sc.MSG_NOT_A_NUMBER.format(math.nan)),
        (math.inf, sc.MSG_NOT_A_NUMBER.format(math.inf)),
    ],
)
def test_unreadable_answers_are_named(text, message):
    with pytest.raises(am.ParameterError) as info:
        sc.parse_answer(text)
    assert str(info.value) == message


# -- tolerances ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("answer", "expected", "rel_tol", "abs_tol", "correct"),
    [
        ("105", 100.0, 0.05, 0.0, True),       # the boundary counts as within
        ("95", 100.0, 0.05, 0.0, True),
        ("105.01", 100.0, 0.05, 0.0, False),
        ("94.99", 100.0, 0.05, 0.0, False),
        ("-105", -100.0, 0.05, 0.0, True),
        ("0.3", 0.0, 0.5, 0.25, False),        # zero expected: only abs_tol helps
        ("0.25", 0.0, 0.5, 0.25, True),
        ("1.2", 1.0, 0.1, 0.25, True),         # abs_tol wider than rel_tol wins
        ("100", 100.0, 0.0, 0.0, True),        # exact
    ],
)
def test_check_number_tolerance(answer, expected, rel_tol, abs_tol, correct):
    verdict = sc.check_number(answer, expected, rel_tol=rel_tol, abs_tol=abs_tol)
    assert verdict.correct is correct
    assert verdict.expected == expected


@given(
    expected=st.floats(-1e6, 1e6, allow_nan=False).filter(lambda x: abs(x) > 1e-3),
    fraction=st.floats(0.0, 3.0),
    rel_tol=st.floats(0.001, 0.5),
)
def test_check_number_agrees_with_a_plain_comparison(expected, fraction, rel_tol):
    answer = expected * (1 + fraction if fraction < 1.5 else 1 - (fraction - 1.5))
    verdict = sc.check_number(answer, expected, rel_tol=rel_tol)
    off = abs(answer - expected) / abs(expected)
    if abs(off - rel_tol) > 1e-9:  # away from the boundary, where rounding decides
        assert verdict.correct is (off <= rel_tol)


def test_a_multiplier_is_not_read_as_a_unit():
    # "-26k" used to lose its k and be judged "about 100% too high" against -25,886.
    assert sc.check_number("-26k", -25_886.0, rel_tol=0.05).correct


def test_a_limit_makes_the_tolerance_one_sided():
    def within_100(x):
        return None if x >= 100 else f"{x:g} is below the floor of 100."

    for answer, correct in (("100", True), ("104", True), ("106", False), ("99.9", False), ("96", False)):
        verdict = sc.check_number(answer, 100.0, rel_tol=0.05, limit=within_100)
        assert verdict.correct is correct, answer
    assert sc.check_number("96", 100.0, rel_tol=0.05, limit=within_100).message == (
        "Not yet: 96 is below the floor of 100.")
    assert sc.check_number("96", 100.0, rel_tol=0.05).correct  # the same answer, without the limit


def test_messages_say_the_direction_in_words_without_the_answer():
    verdict = sc.check_number("-30,000", -25_000.0, rel_tol=0.05)
    assert verdict.message == "Not yet: \u221230,000 is too low. Look again and try once more."  # a true minus
    assert "25,000" not in verdict.message
    # 0.5 against 0.065 once read "about 665 % too high", from which 0.5 / 7.65 = 0.065 follows.
    assert sc.check_number("0.5", 0.065, rel_tol=0.05).message == (
        "Not yet: 0.5 is far too high. Look again and try once more.")
    assert sc.check_number("0.05", 0.065, rel_tol=0.05, hint="Raise it.").message == (
        "Not yet: 0.05 is too low. Raise it.")
    assert sc.check_number("0.066", 0.065, rel_tol=0.05).message == "Within tolerance: 0.066 is right."
    assert sc.check_number("x", 1.0).message == sc.MSG_NOT_A_NUMBER.format("x")


@pytest.mark.parametrize(("name", "value"), [("rel_tol", -0.1), ("abs_tol", math.nan), ("rel_tol", "wide")])
def test_bad_tolerance_is_refused(name, value):
    with pytest.raises(am.ParameterError) as info:
        sc.check_number("1", 1.0, **{name: value})
    assert str(info.value) == sc.MSG_TOLERANCE.format(name, value)


@pytest.mark.parametrize(
    ("answer", "correct", "message"),
    [
        ("up", True, "Right: up."),
        (" UP ", True, "Right: up."),
        ("down", False, "Not down. Look again and try once more."),
        ("sideways", False, sc.MSG_CHOICE.format("'up', 'down', 'the same'", "sideways")),
        ("", False, sc.MSG_EMPTY),
    ],
)
def test_check_choice(answer, correct, message):
    verdict = sc.check_choice(answer, "up", choices=("up", "down", "the same"))
    assert (verdict.correct, verdict.message) == (correct, message)


# -- the workshop's questions, against independent computations ---------------------------
def test_unknown_question_lists_the_known_ones():
    with pytest.raises(am.ParameterError) as info:
        sc.check("nope", "1")
    assert str(info.value) == sc.MSG_UNKNOWN_QUESTION.format("nope", ", ".join(sc.QUESTIONS))


def test_capacity_threshold_is_the_lowest_within_capacity():
    s = am.load_scenario("fraud_detection")
    v = s.values
    # The team's capacity, by hand: analysts x hours x 60 / minutes per review, for 30 days.
    capacity = v["analysts"] * v["review_hours_per_analyst_day"] * 60 / v["minutes_per_review"] * 30
    answer = sc.capacity_threshold()
    curve = s.curve()
    per_month = s.volume / curve.n_cases
    assert curve.at(answer).alerts * per_month <= capacity * (1 + 1e-12)
    lower = curve.thresholds[curve.index_at(answer) + 1]  # the next threshold down flags more
    assert curve.at(lower).alerts * per_month > capacity
    assert sc.check("capacity_threshold", f"{answer * 1.04:.6f}").correct
    assert not sc.check("capacity_threshold", f"{answer * 1.06:.6f}").correct


def test_capacity_answers_below_the_threshold_never_count():
    s = am.load_scenario("fraud_detection")
    capacity = s.constraints["max_alerts"]
    curve = s.curve()
    per_month = s.volume / curve.n_cases
    answer = sc.capacity_threshold()
    # 4 % below the answer: within a two-sided 5 %, yet the queue overflows, so it must not count.
    # The queue it reports is the model's exact one there (closed form, as the explorer shows it).
    at_low = s.score_model().point(0.06281).alerts * s.volume
    assert curve.at(0.06281).alerts * per_month == pytest.approx(at_low, rel=1e-12) and capacity == 4320
    verdict = sc.check("capacity_threshold", "0.06281")
    assert not verdict.correct
    assert verdict.message == "Not yet: " + sc.MSG_OVER_CAPACITY.format(
        threshold="0.06281", alerts=f"{at_low:,.0f}", capacity="4,320", tolerance="5%")
    # Rounded as the explorer's readout shows it (4 digits, here just below): the same cases, so right.
    shown = f"{answer:.4g}"
    assert float(shown) < answer and curve.index_at(float(shown)) == curve.index_at(answer)
    assert sc.check("capacity_threshold", shown).correct
    # The upper boundary counts: a hair inside +5 % (printing answer * 1.05 rounded may land just outside).
    assert sc.check("capacity_threshold", repr(answer * (1 + 0.05 * (1 - 1e-9)))).correct
    assert not sc.check("capacity_threshold", repr(answer * (1 + 0.05 * (1 + 1e-6)))).correct
    assert sc.capacity_exceeded(answer) is None
    assert "more than the team can review" in sc.capacity_exceeded(curve.thresholds[curve.index_at(answer) + 1])


def test_doubled_fee_costs_the_fee_on_every_missed_fraud():
    base = am.load_scenario("fraud_detection")
    fee = base.parameters["chargeback_fee"].value
    d = base.optimize()
    assert sc.doubled_fee_threshold_move() == "the same"  # capacity binds: the queue is full either way
    # Same threshold: the extra cost is the extra fee on each missed fraud per month.
    missed_per_month = d.point.fn * base.volume / d.point.n_cases
    assert sc.doubled_fee_value_change() == pytest.approx(-fee * missed_per_month, rel=1e-9)


def test_recommendation_uplift_and_payback():
    s = am.load_scenario("recommendations")
    uplift = s.optimize().value - s.rule_decision().value
    assert sc.recommendation_uplift() == pytest.approx(uplift, rel=1e-12)
    v = s.values
    inference = v["cost_per_1000_predictions"] * s.predictions_per_month / 1000
    net_per_month = uplift - inference - v["running_cost_per_month"]
    assert sc.recommendation_payback_months() == pytest.approx(v["build_cost"] / net_per_month, rel=1e-9)


def test_firm_up_first_is_the_largest_swing_by_brute_force():
    s = am.load_scenario("fraud_detection")
    swings = {}
    for name, p in s.parameters.items():
        if p.low < p.high:
            values = [s.replace(**{name: bound}).optimize().value for bound in (p.low, p.high)]
            swings[name] = abs(values[1] - values[0])
    assert sc.firm_up_first() == s.parameters[max(swings, key=swings.get)].description  # in words
    q = sc.question("firm_up_first")
    assert set(q.options()) == {p.description for p in s.parameters.values()}
    assert not any("_" in option for option in q.options())  # no code name reaches the participant


@pytest.mark.parametrize("key", list(sc.QUESTIONS))
def test_every_question_accepts_its_own_answer(key):
    q = sc.question(key)
    expected = q.expected()
    answer = expected if isinstance(expected, str) else f"{expected:.10g}"
    assert sc.check(key, answer).correct
    if q.options():
        assert expected in q.options()
    else:
        assert np.isfinite(expected) and q.rel_tol > 0


@pytest.mark.parametrize(("key", "scenario"), [("doubled_fee_value_change", "fraud_detection"),
                                               ("recommendation_uplift", "recommendations")])
def test_money_units_are_the_scenarios_currency(key, scenario):
    assert sc.question(key).unit == f"{am.load_scenario(scenario).currency} per month"


# -- exercise 7: the launch ------------------------------------------------------------------------------
def test_launch_test_days_from_the_t_test():
    from statsmodels.stats.power import TTestIndPower

    plan = am.plan_launch(am.load_scenario("fraud_detection"), traffic_per_day=10_000).test
    # equal groups: one pooled sd of value per order; 0.10 EUR per order to detect (the scenario's minimum effect)
    sd = math.sqrt((plan.treatment_sd ** 2 + plan.control_sd ** 2) / 2)
    n = TTestIndPower().solve_power(effect_size=0.1 / sd, alpha=0.05, power=0.8)
    assert sc.launch_test_days() == math.ceil(2 * math.ceil(n) / 10_000 + 30)  # 30 days of waiting for chargebacks


def test_launch_feedback_gives_only_a_direction():
    expected = sc.launch_test_days()
    for answer, side in ((expected * 0.6, "low"), (expected * 1.7, "high")):
        message = sc.check("launch_test_days", f"{answer:.0f}").message
        assert f"too {side}" in message and "%" not in message and f"{expected:.0f}" not in message


def test_peeking_is_well_above_alpha():
    # Armitage, McPherson and Rowe (1969): reading a 5 % test 50 times gives roughly 30 % false positives.
    assert sc.launch_peeking() == "well above 5%"


# -- exercise 8: groups and fairness ------------------------------------------------------------------
def test_groups_questions_count_the_cases_directly():
    s = am.load_scenario(sc.GROUPS_SCENARIO)
    _, cases = sc._credit_groups()
    d = sc._group_decision(None)
    # decline rate of each band at the single threshold, counted with numpy
    rates = {g: float(np.mean(cases.scores[cases.groups == g] >= d.single_threshold)) for g in sc._group_names()}
    assert sc.groups_declined_most() == max(rates, key=rates.get)
    # the price is the gap between the best per group and the best under demographic parity, both >= 0 apart
    dp = sc._group_decision("demographic_parity")
    assert sc.groups_price_of_parity() == pytest.approx(d.value - dp.value, rel=1e-12) and dp.price_of_fairness >= 0
    vm = s.value_model()
    flagged = np.zeros(len(cases), dtype=bool)
    for g, t in dp.thresholds.items():
        flagged |= (cases.groups == g) & (cases.scores >= t)
    y, a = cases.labels, cases.amounts
    value = (vm.fn_amount * a[~flagged & y].sum() + vm.tn_amount * a[~flagged & ~y].sum()) * s.volume / len(cases)
    assert dp.value == pytest.approx(value, rel=1e-9)
    assert sc.groups_cheapest_rule() in sc.RULE_CHOICES
    assert not sc.check("groups_price_of_parity", f"{1.2 * dp.price_of_fairness:.6g}").correct


# -- exercise 6: re-threshold or retrain ---------------------------------------------------------
def test_december_answers_follow_from_the_simulation():
    december = sc.december_comparison(False)
    per = december.per_period
    net = per.groupby("policy", sort=False)["net value"].sum()
    best = net.idxmax()
    assert sc.december_policy() == dict(zip(net.index, sc.DECEMBER_CHOICES))[best] == "re-threshold"
    assert sc.december_rethreshold_gain() == pytest.approx(
        net["Re-threshold on the estimated prevalence"] - net["Do nothing"])
    # after the December step the re-thresholded cut-off is the odds rescaling of the doubled rate
    s = am.load_scenario("fraud_detection")
    late = per[(per["policy"] == "Re-threshold on the estimated prevalence") & (per["period"] >= 16)]["threshold"]
    target = am.adjust_threshold(s.optimize().threshold, from_prevalence=s.values["fraud_rate"],
                                 to_prevalence=2 * s.values["fraud_rate"])
    assert abs(late.median() - target) < 0.3 * target
    assert sc.adapting_policy() == "retrain every 4 weeks"
    assert sc.check("december_policy", "retrain every 4 weeks").correct is False


_NUMBERS = re.compile(r"[-−+]?\d[\d,]*(?:\.\d+)?")


def _numbers_in(text):
    return [float(n.replace(",", "").replace("−", "-")) for n in _NUMBERS.findall(text)]


def _derived_from(expected, answer):
    """Numbers from which the expected answer follows, given the participant's own answer."""
    off = answer - expected
    out = [expected, abs(off), off]
    if expected:
        out += [abs(off) / abs(expected), 100 * abs(off) / abs(expected), answer / expected,
                100 * answer / expected]
    if answer:
        out += [expected / answer, 100 * expected / answer]
    return [x for x in out if x != 0]


@pytest.mark.parametrize("key", [k for k, q in sc.QUESTIONS.items() if not q.options()])
@pytest.mark.parametrize("factor", [0.1, 0.5, 0.8, 0.97, 1.2, 1.5, 3.0, 7.65, -1.0])
def test_no_feedback_contains_a_number_derived_from_the_answer(key, factor):
    q = sc.QUESTIONS[key]
    expected = q.expected()
    answer = float(f"{expected * factor:.4g}")
    verdict = q.check(str(answer), expected=expected)
    # Numbers the participant already knows: their answer, and for the capacity question what the
    # queue holds at their own threshold and the team's capacity (the exercise's given).
    known = _numbers_in(str(answer)) + _numbers_in(q.prompt)
    for n in _numbers_in(verdict.message):
        if any(math.isclose(n, k, rel_tol=1e-3) for k in known):
            continue
        for d in _derived_from(expected, answer):
            assert not math.isclose(abs(n), abs(d), rel_tol=0.02), (verdict.message, d)
    if not verdict.correct and q.limit is None or (q.limit is not None and q.limit(answer) is None
                                                   and not verdict.correct):
        assert "too high" in verdict.message or "too low" in verdict.message


@pytest.mark.parametrize("answer", ["-30,000", "-0.5", "-1250.5", "lots", "-26k"])
def test_feedback_writes_a_true_minus_never_a_hyphen_before_a_number(answer):
    message = sc.check_number(answer, -25_000.0, rel_tol=0.05).message
    assert not re.search(r"-\d", message), message
    if answer.startswith("-") and answer != "lots":
        assert "\u2212" in message  # the participant's own negative number, as aipm_sim prints numbers


def test_feedback_shows_the_participants_number_in_the_shared_format():
    # 1234567.891 typed: thousands separated, whole (4 significant digits are not enough for it)
    assert sc.check_number("1234567.891", 10.0).message.startswith("Not yet: 1,234,568 is far too high.")
    assert sc.check_number("0.0654321", 1.0).message.startswith("Not yet: 0.06543 is too low.")
