"""Looking at an A/B test every day: always-valid intervals and what peeking costs.

* :func:`sequential_halfwidth` — the half-width of the asymptotic confidence
  sequence of Waudby-Smith et al. (2023), the one PostHog and GrowthBook use:
  an interval that holds at every sample size at once, so it may be read
  every day without raising the false-positive rate;
* :func:`sequential_sample_size` — how many cases an always-valid test needs
  to detect what a fixed-horizon test of a given size detects;
* :func:`simulate_peeking` — seeded simulation of an A/A test (no real
  difference) read daily: how often a fixed-horizon test read every day, a
  fixed-horizon test read once at the end and the always-valid test declare a
  difference.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import optimize, stats

from .._checks import readonly, require_whole
from ..errors import ParameterError
from .power import MSG_ALPHA, MSG_POWER, _open_unit

MSG_SEQ_N = "n must be cases > 0 (a number or an array of them); found {!r}"
MSG_SEQ_SD = "sd must be > 0, the standard deviation per case; found {!r}"
MSG_TUNING = "tuning must be > 0, the number of cases at which the interval is tightest; found {!r}"
MSG_CASES_PER_DAY = "cases_per_day must be a whole number of cases >= 1 per group and day; found {!r}"
MSG_DAYS = "days must be a whole number >= 1; found {!r}"
MSG_SIMULATIONS = "n_simulations must be a whole number >= 1; found {!r}"
MSG_FIXED_N = "n_fixed must be cases > 0 per group; found {!r}"
MSG_SEED = "seed must be a whole number >= 0 (for numpy.random.default_rng, so that a rerun gives the same rates); found {!r}"


def mixture_rho2(alpha, tuning):
    """ρ² of the normal mixture that makes the boundary tightest at ``tuning`` cases (Waudby-Smith et al.)."""
    log_a = -2.0 * math.log(alpha)
    return (log_a + math.log(log_a + 1.0)) / tuning


def sequential_halfwidth(n, *, sd, alpha=0.05, tuning=5000):
    """Half-width of the asymptotic confidence sequence for a mean after ``n`` cases.

    The normal-mixture boundary of Waudby-Smith, Arnold, Wu, Wang and Ramdas
    (2023, "Time-uniform central limit theory and asymptotic confidence
    sequences")::

        halfwidth(n) = sd * sqrt(2 (n ρ² + 1) / (n² ρ²) * log(sqrt(n ρ² + 1) / alpha))

    with ``ρ² = (-2 log alpha + log(-2 log alpha + 1)) / tuning``. The interval
    ``mean ± halfwidth(n)`` covers the true mean at *every* ``n`` at once with
    probability at least ``1 - alpha`` (asymptotically; exactly for normal
    cases of known ``sd``). E.g. ``n = 5000, sd = 1``: 0.042924 (a
    fixed-horizon 95 % interval is 0.027718).

    Parameters
    ----------
    n : float or array-like of float
        Cases seen so far (> 0).
    sd : float
        Standard deviation per case (> 0); for a difference of two groups'
        means after ``n`` cases in each, ``sqrt(sd_t² + sd_c²)``.
    alpha : float
        Chance in (0, 1) that the interval ever misses.
    tuning : float
        Cases at which the boundary is tightest (> 0): the planned size.

    Returns
    -------
    float or ndarray
        Same unit as ``sd``; an array of the shape of ``n`` for an array.
    """
    sd = _positive(sd, MSG_SEQ_SD)
    alpha = _open_unit(alpha, MSG_ALPHA)
    tuning = _positive(tuning, MSG_TUNING)
    try:
        arr = np.asarray(n, dtype=np.float64) if not isinstance(n, str) else None
    except (TypeError, ValueError):  # e.g. ["a"] or [None, 5]
        arr = None
    if arr is None or not (np.all(np.isfinite(arr)) and np.all(arr > 0)) or arr.size == 0:
        raise ParameterError(MSG_SEQ_N.format(n))
    rho2 = mixture_rho2(alpha, tuning)
    out = sd * np.sqrt(2.0 * (arr * rho2 + 1.0) / (arr * arr * rho2) * np.log(np.sqrt(arr * rho2 + 1.0) / alpha))
    return float(out) if out.ndim == 0 else readonly(out)


def _positive(value, message):
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ParameterError(message.format(value)) from None
    if not (math.isfinite(x) and x > 0):
        raise ParameterError(message.format(value))
    return x


def sequential_sample_size(n_fixed, *, alpha=0.05, power=0.8):
    """Cases per group an always-valid test needs to detect what a fixed test of ``n_fixed`` detects.

    The fixed-horizon two-sided z-test of ``n_fixed`` cases per group detects
    ``delta = (z_{1-alpha/2} + z_power) * s / sqrt(n_fixed)`` (``s`` the
    standard deviation of one case's difference) with ``power``. The
    always-valid test, tuned at ``n_fixed``, detects it with the same power
    at its last look once ``delta >= halfwidth(n) + z_power * s / sqrt(n)``:
    the answer is the smallest such ``n`` (a conservative reading: an
    always-valid test may also stop earlier, when the effect is large).

    Parameters
    ----------
    n_fixed : float
        Cases per group of the fixed-horizon test (> 0).
    alpha, power : float
        In (0, 1).

    Returns
    -------
    float
        Cases per group (not rounded), larger than ``n_fixed``; the ratio
        does not depend on ``s`` or ``n_fixed`` much.
    """
    n_fixed = _positive(n_fixed, MSG_FIXED_N)
    alpha = _open_unit(alpha, MSG_ALPHA)
    power = _open_unit(power, MSG_POWER)
    z_b = stats.norm.ppf(power)
    delta = (stats.norm.isf(alpha / 2) + z_b) / math.sqrt(n_fixed)

    def gap(log_n):
        n = math.exp(log_n)
        return delta - sequential_halfwidth(n, sd=1.0, alpha=alpha, tuning=n_fixed) - z_b / math.sqrt(n)

    low, high = math.log(n_fixed), math.log(n_fixed) + math.log(2.0)
    while gap(high) < 0:
        high += math.log(2.0)
    return float(math.exp(optimize.brentq(gap, low, high, xtol=1e-12)))


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class PeekingSimulation:
    """False-positive rates of an A/A test read every day (see :func:`simulate_peeking`).

    Attributes
    ----------
    days : ndarray of int, shape (d,)
        1, 2, …, ``d``: the day of each look.
    cases_per_day : int
        Cases per group and day.
    alpha : float
        The test's nominal false-positive rate.
    n_simulations : int
        Simulated experiments.
    peeking : ndarray of float, shape (d,)
        Element i: share of experiments that a fixed-horizon test read every
        day up to day ``i + 1`` has declared a winner (rises above alpha).
    fixed_horizon : float
        Share declared a winner when read once, on the last day (about alpha).
    always_valid : ndarray of float, shape (d,)
        Element i: the same as ``peeking`` for the always-valid test (the
        confidence sequence tuned at the planned size); stays below alpha.
    seed : int
    """

    days: np.ndarray
    cases_per_day: int
    alpha: float
    n_simulations: int
    peeking: np.ndarray
    fixed_horizon: float
    always_valid: np.ndarray
    seed: int

    @property
    def peeking_rate(self):
        """False-positive rate of reading the fixed-horizon test every day, to the last day (a fraction)."""
        return float(self.peeking[-1])

    @property
    def always_valid_rate(self):
        """False-positive rate of the always-valid test read every day (a fraction)."""
        return float(self.always_valid[-1])


def simulate_peeking(*, cases_per_day, days, alpha=0.05, n_simulations=2000, seed=0):
    """Simulate A/A tests (no difference) and read them every day: how often is a winner declared?

    Each simulated experiment has ``cases_per_day`` normal cases per group
    and day; a look on day ``k`` computes the z statistic of the difference
    in means from everything so far. The fixed-horizon test declares a
    winner when ``|z| > z_{1 - alpha/2}``; the always-valid test when the
    difference leaves :func:`sequential_halfwidth` (tuned at the planned
    ``cases_per_day * days``). The z statistic does not depend on the
    values' mean or spread, so the rates hold for any metric whose daily
    means are close to normal.

    Parameters
    ----------
    cases_per_day : int
        Cases per group and day (>= 1).
    days : int
        Planned duration (>= 1); the fixed-horizon test is read on the last day.
    alpha : float
        Nominal false-positive rate in (0, 1).
    n_simulations : int
        Experiments simulated (>= 1).
    seed : int
        For ``numpy.random.default_rng``.

    Returns
    -------
    PeekingSimulation
    """
    cases = require_whole(cases_per_day, MSG_CASES_PER_DAY.format(cases_per_day), low=1)
    d = require_whole(days, MSG_DAYS.format(days), low=1)
    alpha = _open_unit(alpha, MSG_ALPHA)
    sims = require_whole(n_simulations, MSG_SIMULATIONS.format(n_simulations), low=1)
    if isinstance(seed, bool):
        raise ParameterError(MSG_SEED.format(seed))
    seed = require_whole(seed, MSG_SEED.format(seed), low=0)
    rng = np.random.default_rng(seed)
    # Sum over a day of the per-case differences (treatment - control): normal, variance 2 per case.
    daily = rng.standard_normal((sims, d)) * math.sqrt(2.0 * cases)
    total = np.cumsum(daily, axis=1)
    n = cases * np.arange(1, d + 1, dtype=np.float64)
    mean_diff = total / n
    z = mean_diff / np.sqrt(2.0 / n)
    crit = stats.norm.isf(alpha / 2)
    significant = np.abs(z) > crit
    peeking = np.logical_or.accumulate(significant, axis=1).mean(axis=0)
    halfwidth = sequential_halfwidth(n, sd=math.sqrt(2.0), alpha=alpha, tuning=float(n[-1]))
    valid = np.logical_or.accumulate(np.abs(mean_diff) > halfwidth, axis=1).mean(axis=0)
    return PeekingSimulation(
        days=readonly(np.arange(1, d + 1)),
        cases_per_day=cases,
        alpha=alpha,
        n_simulations=sims,
        peeking=readonly(np.asarray(peeking, dtype=np.float64)),
        fixed_horizon=float(significant[:, -1].mean()),
        always_valid=readonly(np.asarray(valid, dtype=np.float64)),
        seed=seed,
    )
