"""Power and sample size against R's power.prop.test, statsmodels' TTestIndPower, and each other."""

import math
import re

import pytest
from hypothesis import given, strategies as st
from statsmodels.stats.power import TTestIndPower

import aipm_sim as am
from aipm_sim.core.errors import ParameterError
from aipm_sim.core.experiments.power import (
    MSG_ALPHA, MSG_ALTERNATIVE, MSG_DELTA, MSG_EQUAL_RATES, MSG_N, MSG_N_T, MSG_POWER, MSG_RATE, MSG_RATIO,
    MSG_POWER_TOO_LOW, MSG_SD, MSG_WRONG_DIRECTION,
)


def exactly(message):
    return "^" + re.escape(message) + "$"


# -- R references -------------------------------------------------------------------------------------
def test_r_power_prop_test_references():
    # R: power.prop.test(p1 = 0.02, p2 = 0.03, power = 0.8)  -> n = 3825.15
    assert am.sample_size_proportions(0.02, 0.03) == pytest.approx(3825.15, abs=0.005)
    # R: power.prop.test(p1 = 0.10, p2 = 0.11, sig.level = 0.1, power = 0.9)  -> n = 16093.88
    assert am.sample_size_proportions(0.10, 0.11, alpha=0.1, power=0.9) == pytest.approx(16093.88, abs=0.005)
    # R: power.prop.test(n = 3825.15, p1 = 0.02, p2 = 0.03)  -> power = 0.8 (to R's printed digits)
    assert am.power_proportions(0.02, 0.03, 3825.15) == pytest.approx(0.8, abs=1e-6)


def test_one_sided_is_r_formula():
    # R's power.prop.test(..., alternative = "one.sided") solves
    # (qnorm(1 - alpha) sqrt(2 pbar qbar) + qnorm(power) sqrt(p1 q1 + p2 q2))^2 / (p1 - p2)^2; written out here.
    from scipy.stats import norm
    p1, p2 = 0.02, 0.03
    pbar = (p1 + p2) / 2
    n = ((norm.ppf(0.95) * math.sqrt(2 * pbar * (1 - pbar)) + norm.ppf(0.8) * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2)))
         / (p2 - p1)) ** 2
    assert am.sample_size_proportions(p1, p2, alternative="larger") == pytest.approx(n, rel=1e-12)
    assert am.sample_size_proportions(p2, p1, alternative="smaller") == pytest.approx(n, rel=1e-12)


def test_direction_does_not_matter_two_sided_equal_groups():
    assert am.sample_size_proportions(0.03, 0.02) == pytest.approx(am.sample_size_proportions(0.02, 0.03))


def test_unequal_groups_closed_form():
    # Independent closed form: variances of the difference under H0 (pooled) and H1, with n_t = r n_c.
    pc, pt, r, alpha, power = 0.05, 0.06, 2.5, 0.05, 0.8
    from scipy.stats import norm
    pbar = (pc + r * pt) / (1 + r)
    s0 = math.sqrt(pbar * (1 - pbar) * (1 + 1 / r))
    s1 = math.sqrt(pc * (1 - pc) + pt * (1 - pt) / r)
    n = ((norm.ppf(1 - alpha / 2) * s0 + norm.ppf(power) * s1) / (pt - pc)) ** 2
    assert am.sample_size_proportions(pc, pt, ratio=r) == pytest.approx(n, rel=1e-12)


# -- statsmodels for means ---------------------------------------------------------------------------------
@pytest.mark.parametrize("alternative", ["two-sided", "larger", "smaller"])
@pytest.mark.parametrize("ratio", [0.5, 1.0, 3.0])
@pytest.mark.parametrize("alpha", [0.01, 0.05, 0.1])
def test_means_equal_statsmodels(alternative, ratio, alpha):
    effect = -0.15 if alternative == "smaller" else 0.15
    sd = 40.0
    expected = TTestIndPower().solve_power(effect_size=effect, alpha=alpha, power=0.8, ratio=ratio,
                                           alternative=alternative)
    got = am.sample_size_means(effect * sd, sd, alpha=alpha, power=0.8, ratio=ratio, alternative=alternative)
    assert got == pytest.approx(expected, rel=1e-7)
    expected_power = TTestIndPower().power(effect, 250.0, alpha, ratio=ratio, alternative=alternative)
    got_power = am.power_means(effect * sd, sd, 250.0, alpha=alpha, ratio=ratio, alternative=alternative)
    assert got_power == pytest.approx(expected_power, rel=1e-10)


def test_means_huge_effect_is_the_smallest_size():
    assert am.sample_size_means(100.0, 1.0) == pytest.approx(1.5)


# -- round trips ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("alternative", ["two-sided", "larger"])
@pytest.mark.parametrize("ratio", [0.25, 1.0, 4.0])
@pytest.mark.parametrize("alpha", [0.01, 0.05, 0.2])
@pytest.mark.parametrize("power", [0.5, 0.8, 0.95])
def test_round_trip(alternative, ratio, alpha, power):
    n = am.sample_size_proportions(0.04, 0.05, alpha=alpha, power=power, ratio=ratio, alternative=alternative)
    assert am.power_proportions(0.04, 0.05, n, alpha=alpha, ratio=ratio, alternative=alternative) == \
        pytest.approx(power, abs=1e-10)
    n = am.sample_size_means(3.0, 25.0, alpha=alpha, power=power, ratio=ratio, alternative=alternative)
    assert am.power_means(3.0, 25.0, n, alpha=alpha, ratio=ratio, alternative=alternative) == \
        pytest.approx(power, abs=1e-9)


@given(pc=st.floats(0.001, 0.9), lift=st.floats(0.05, 0.9), power=st.floats(0.5, 0.99),
       ratio=st.floats(0.1, 10.0), alpha=st.floats(0.001, 0.3))
def test_round_trip_property(pc, lift, power, ratio, alpha):
    pt = pc + lift * (1 - pc)
    n = am.sample_size_proportions(pc, pt, alpha=alpha, power=power, ratio=ratio)
    assert am.power_proportions(pc, pt, n, alpha=alpha, ratio=ratio) == pytest.approx(power, abs=1e-9)


def test_power_grows_with_size():
    powers = [am.power_proportions(0.02, 0.03, n) for n in (500, 1000, 4000, 10000)]
    assert powers == sorted(powers)
    powers = [am.power_means(1.0, 10.0, n) for n in (50, 500, 5000)]
    assert powers == sorted(powers)


# -- every error path ---------------------------------------------------------------------------------------------
ERRORS = [
    (am.sample_size_proportions, (0.0, 0.03), {}, MSG_RATE.format("p_control", 0.0)),
    (am.sample_size_proportions, (1.2, 0.03), {}, MSG_RATE.format("p_control", 1.2)),
    (am.sample_size_proportions, ("a", 0.03), {}, MSG_RATE.format("p_control", "a")),
    (am.sample_size_proportions, (0.02, 1.0), {}, MSG_RATE.format("p_treatment", 1.0)),
    (am.sample_size_proportions, (0.02, math.nan), {}, MSG_RATE.format("p_treatment", math.nan)),
    (am.sample_size_proportions, (0.02, 0.02), {}, MSG_EQUAL_RATES.format(0.02)),
    (am.sample_size_proportions, (0.02, 0.03), {"power": 1.0}, MSG_POWER.format(1.0)),
    (am.sample_size_proportions, (0.02, 0.03), {"power": 0}, MSG_POWER.format(0)),
    (am.sample_size_proportions, (0.02, 0.03), {"alpha": 0}, MSG_ALPHA.format(0)),
    (am.sample_size_proportions, (0.02, 0.03), {"alpha": 1.5}, MSG_ALPHA.format(1.5)),
    (am.sample_size_proportions, (0.02, 0.03), {"ratio": 0}, MSG_RATIO.format(0)),
    (am.sample_size_proportions, (0.02, 0.03), {"ratio": -1}, MSG_RATIO.format(-1)),
    (am.sample_size_proportions, (0.02, 0.03), {"alternative": "one.sided"}, MSG_ALTERNATIVE.format("one.sided")),
    (am.sample_size_proportions, (0.02, 0.03), {"alternative": "smaller"},
     MSG_WRONG_DIRECTION.format("smaller", 0.02, 0.03, 0.8)),
    # floor = Phi(-qnorm(1 - 0.25/2) sd_null / sd_alt) = 0.1313... for these rates (computed separately with scipy)
    (am.sample_size_proportions, (0.25, 0.4375), {"alpha": 0.25, "power": 0.01, "ratio": 0.5},
     MSG_POWER_TOO_LOW.format(0.01, 0.13131342443092298)),
    (am.power_proportions, (0.02, 0.03, 0), {}, MSG_N.format("n_control", 0)),
    (am.power_proportions, (0.02, 0.03, math.inf), {}, MSG_N.format("n_control", math.inf)),
    (am.power_proportions, (0.02, 0.02, 100), {}, MSG_EQUAL_RATES.format(0.02)),
    (am.power_proportions, (0.02, 0.03, 100), {"ratio": 0}, MSG_RATIO.format(0)),
    (am.sample_size_means, (0.0, 1.0), {}, MSG_DELTA.format(0.0)),
    (am.sample_size_means, (math.inf, 1.0), {}, MSG_DELTA.format(math.inf)),
    (am.sample_size_means, ("x", 1.0), {}, MSG_DELTA.format("x")),
    (am.sample_size_means, (1.0, 0.0), {}, MSG_SD.format(0.0)),
    (am.sample_size_means, (1.0, 1.0), {"power": 1.2}, MSG_POWER.format(1.2)),
    (am.sample_size_means, (1.0, 1.0), {"alpha": -0.1}, MSG_ALPHA.format(-0.1)),
    (am.sample_size_means, (1.0, 1.0), {"ratio": 0.0}, MSG_RATIO.format(0.0)),
    (am.sample_size_means, (1.0, 1.0), {"alternative": "smaller"}, MSG_WRONG_DIRECTION.format("smaller", 0, 1.0, 0.8)),
    (am.power_means, (1.0, 1.0, 1.0), {}, MSG_N_T.format(1.0, 1.0)),
    (am.power_means, (1.0, 1.0, -5), {}, MSG_N.format("n_control", -5)),
    (am.power_means, (1.0, -1.0, 50), {}, MSG_SD.format(-1.0)),
]


@pytest.mark.parametrize(("function", "args", "kwargs", "message"), ERRORS)
def test_errors(function, args, kwargs, message):
    with pytest.raises(ParameterError, match=exactly(message)):
        function(*args, **kwargs)
