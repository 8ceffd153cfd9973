"""The confidence sequence against its references, its coverage by simulation, and the peeking simulation."""

import math
import re

import numpy as np
import pytest
from scipy import stats

import aipm_sim as am
from aipm_sim.core.errors import ParameterError
from aipm_sim.core.experiments.power import MSG_ALPHA, MSG_POWER
from aipm_sim.core.experiments.sequential import (
    MSG_CASES_PER_DAY, MSG_DAYS, MSG_FIXED_N, MSG_SEED, MSG_SEQ_N, MSG_SEQ_SD, MSG_SIMULATIONS, MSG_TUNING,
)


def exactly(message):
    return "^" + re.escape(message) + "$"


def test_references():
    # Waudby-Smith et al. (2023) normal-mixture boundary, tuning 5000, alpha 0.05 (the references).
    assert am.sequential_halfwidth(5000, sd=1) == pytest.approx(0.042924, abs=5e-7)
    assert am.sequential_halfwidth(1000, sd=1, alpha=0.05, tuning=5000) == pytest.approx(0.106375, abs=5e-7)


def test_scales_with_sd_and_is_wider_than_fixed():
    n = np.array([10.0, 100.0, 5000.0, 1e6])
    hw = am.sequential_halfwidth(n, sd=3.0)
    assert hw.shape == (4,) and not hw.flags.writeable
    np.testing.assert_allclose(hw, 3.0 * am.sequential_halfwidth(n, sd=1.0))
    assert np.all(hw > stats.norm.isf(0.025) * 3.0 / np.sqrt(n))


def test_coverage_uniform_over_time():
    # 400 streams of 2,000 normal cases: the running mean must stay inside the sequence at EVERY n.
    rng = np.random.default_rng(11)
    n = np.arange(1, 2001, dtype=np.float64)
    for alpha in (0.05, 0.2):
        x = rng.normal(5.0, 2.0, size=(400, n.size))
        means = np.cumsum(x, axis=1) / n
        hw = am.sequential_halfwidth(n, sd=2.0, alpha=alpha, tuning=500)
        ever_missed = (np.abs(means - 5.0) > hw).any(axis=1).mean()
        # 1 - alpha coverage, with a binomial margin of 3 standard errors over 400 streams
        assert ever_missed <= alpha + 3 * math.sqrt(alpha * (1 - alpha) / 400)


def test_sequential_sample_size():
    n = am.sequential_sample_size(1000)
    # at n the boundary plus the power margin equals the fixed test's detectable effect
    delta = (stats.norm.isf(0.025) + stats.norm.ppf(0.8)) / math.sqrt(1000)
    assert am.sequential_halfwidth(n, sd=1, tuning=1000) + stats.norm.ppf(0.8) / math.sqrt(n) == \
        pytest.approx(delta, rel=1e-9)
    assert 1.2 < n / 1000 < 3.0


def test_peeking_inflates_false_positives():
    sim = am.simulate_peeking(cases_per_day=200, days=20, n_simulations=3000, seed=3)
    se = math.sqrt(0.05 * 0.95 / 3000)
    assert abs(sim.fixed_horizon - 0.05) < 4 * se  # read once: the nominal rate
    # Read daily: the classic inflation. Armitage, McPherson & Rowe (1969, J. R. Stat. Soc. A 132, table 2):
    # 20 equally spaced two-sided looks at nominal 5 % declare a difference in 24.8 % of null experiments
    # (0.2472 in a separate 400,000-path simulation of the normal random walk).
    se20 = math.sqrt(0.248 * 0.752 / 3000)
    assert abs(sim.peeking_rate - 0.248) < 4 * se20
    assert sim.always_valid_rate <= 0.05
    assert np.all(np.diff(sim.peeking) >= 0)
    assert abs(sim.peeking[0] - 0.05) < 4 * se  # the first look is a single fixed-horizon test
    # Armitage et al.'s table for 2 and 5 looks: 8.3 % and 14.2 %
    few = am.simulate_peeking(cases_per_day=200, days=5, n_simulations=3000, seed=3)
    for looks, rate in ((2, 0.083), (5, 0.142)):
        assert abs(few.peeking[looks - 1] - rate) < 4 * math.sqrt(rate * (1 - rate) / 3000)
    assert list(sim.days) == list(range(1, 21))
    again = am.simulate_peeking(cases_per_day=200, days=20, n_simulations=3000, seed=3)
    np.testing.assert_array_equal(again.peeking, sim.peeking)


ERRORS = [
    (am.sequential_halfwidth, (0,), {"sd": 1}, MSG_SEQ_N.format(0)),
    (am.sequential_halfwidth, ([5, -1],), {"sd": 1}, MSG_SEQ_N.format([5, -1])),
    (am.sequential_halfwidth, ("a",), {"sd": 1}, MSG_SEQ_N.format("a")),
    (am.sequential_halfwidth, (["a", 5],), {"sd": 1}, MSG_SEQ_N.format(["a", 5])),
    (am.sequential_halfwidth, ([],), {"sd": 1}, MSG_SEQ_N.format([])),
    (am.sequential_halfwidth, (10,), {"sd": 0}, MSG_SEQ_SD.format(0)),
    (am.sequential_halfwidth, (10,), {"sd": 1, "alpha": 1}, MSG_ALPHA.format(1)),
    (am.sequential_halfwidth, (10,), {"sd": 1, "tuning": 0}, MSG_TUNING.format(0)),
    (am.sequential_sample_size, (0,), {}, MSG_FIXED_N.format(0)),
    (am.sequential_sample_size, (10,), {"power": 1}, MSG_POWER.format(1)),
    (am.simulate_peeking, (), {"cases_per_day": 0, "days": 3}, MSG_CASES_PER_DAY.format(0)),
    (am.simulate_peeking, (), {"cases_per_day": 10, "days": 1.5}, MSG_DAYS.format(1.5)),
    (am.simulate_peeking, (), {"cases_per_day": 10, "days": 3, "n_simulations": 0}, MSG_SIMULATIONS.format(0)),
    (am.simulate_peeking, (), {"cases_per_day": 10, "days": 3, "alpha": 0}, MSG_ALPHA.format(0)),
    (am.simulate_peeking, (), {"cases_per_day": 10, "days": 3, "seed": None}, MSG_SEED.format(None)),
    (am.simulate_peeking, (), {"cases_per_day": 10, "days": 3, "seed": -1}, MSG_SEED.format(-1)),
    (am.simulate_peeking, (), {"cases_per_day": 10, "days": 3, "seed": 1.5}, MSG_SEED.format(1.5)),
]


@pytest.mark.parametrize(("function", "args", "kwargs", "message"), ERRORS)
def test_errors(function, args, kwargs, message):
    with pytest.raises(ParameterError, match=exactly(message)):
        function(*args, **kwargs)
