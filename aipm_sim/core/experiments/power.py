"""Power and sample size of an A/B test: two proportions and two means.

Plain functions, each pair the other's inverse, in the manner of
statsmodels' ``stats/power.py``:

* :func:`sample_size_proportions` / :func:`power_proportions` — a rate per
  case (conversion, fraud caught, false declines), with the pooled-variance
  normal approximation of R's ``power.prop.test`` (no continuity correction);
* :func:`sample_size_means` / :func:`power_means` — a mean per case (value
  per case in currency), with the two-sample t-test (equal variances), the
  same numbers as statsmodels' ``TTestIndPower``.

Sizes are **cases in the control group** (a float: round up to plan);
``ratio`` is the treatment group's size divided by the control group's, so
the treatment group has ``ratio * n_control`` cases.

``alternative`` is ``"two-sided"`` (a change in either direction),
``"larger"`` (treatment above control) or ``"smaller"`` (treatment below
control), as statsmodels names them.
"""

from __future__ import annotations

import math

from scipy import optimize, stats

from ..errors import ParameterError

ALTERNATIVES = ("two-sided", "larger", "smaller")

MSG_RATE = "{} must be a rate in (0, 1), a fraction of cases; found {!r}"
MSG_EQUAL_RATES = ("p_control and p_treatment are equal ({!r}): there is no difference to detect; "
                   "give the rate the change should reach")
MSG_POWER = "power must be in (0, 1), the chance of detecting the effect (e.g. 0.8); found {!r}"
MSG_ALPHA = "alpha must be in (0, 1), the false-positive rate accepted (e.g. 0.05); found {!r}"
MSG_RATIO = "ratio must be > 0, the treatment group's size over the control group's (1: equal groups); found {!r}"
MSG_ALTERNATIVE = "alternative must be one of 'two-sided', 'larger', 'smaller'; found {!r}"
MSG_WRONG_DIRECTION = ("alternative {!r} tests for a change in the other direction than the one given "
                       "({} → {}): no sample size reaches power {!r}")
MSG_POWER_TOO_LOW = ("power {!r} is below what a test of this size reaches with no cases at all ({:.3g}): "
                     "ask for more power (e.g. 0.8)")
MSG_DELTA = "delta must be a non-zero, finite difference in means (currency per case); found {!r}"
MSG_SD = "sd must be > 0, the standard deviation per case (same unit as delta); found {!r}"
MSG_N = "{} must be a number of cases > 0; found {!r}"
MSG_N_T = ("n_control must give the t-test at least one degree of freedom: "
           "n_control * (1 + ratio) > 2; found n_control = {!r} with ratio {!r}")


def _open_unit(value, message):
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ParameterError(message.format(value)) from None
    if not 0.0 < x < 1.0:  # also refuses NaN
        raise ParameterError(message.format(value))
    return x


def _rate(value, name):
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ParameterError(MSG_RATE.format(name, value)) from None
    if not 0.0 < x < 1.0:
        raise ParameterError(MSG_RATE.format(name, value))
    return x


def _positive(value, message, *args):
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ParameterError(message.format(*args, value)) from None
    if not (math.isfinite(x) and x > 0):
        raise ParameterError(message.format(*args, value))
    return x


def check_test(alpha, ratio, alternative):
    """Validated ``(alpha, ratio, alternative)`` shared by every function here."""
    alpha = _open_unit(alpha, MSG_ALPHA)
    ratio = _positive(ratio, MSG_RATIO)
    if alternative not in ALTERNATIVES:
        raise ParameterError(MSG_ALTERNATIVE.format(alternative))
    return alpha, ratio, alternative


def _z_alpha(alpha, alternative):
    return stats.norm.isf(alpha / 2 if alternative == "two-sided" else alpha)


def _proportion_parts(p_control, p_treatment, ratio, alternative):
    """Difference in the tested direction and the two standard deviations (per sqrt(n_control))."""
    r = ratio
    pooled = (p_control + r * p_treatment) / (1 + r)
    sd_null = math.sqrt(pooled * (1 - pooled) * (1 + 1 / r))
    sd_alt = math.sqrt(p_control * (1 - p_control) + p_treatment * (1 - p_treatment) / r)
    diff = p_treatment - p_control
    if alternative == "two-sided":
        diff = abs(diff)
    elif alternative == "smaller":
        diff = -diff
    return diff, sd_null, sd_alt


def _check_rates(p_control, p_treatment):
    p_control = _rate(p_control, "p_control")
    p_treatment = _rate(p_treatment, "p_treatment")
    if p_control == p_treatment:
        raise ParameterError(MSG_EQUAL_RATES.format(p_control))
    return p_control, p_treatment


def power_proportions(p_control, p_treatment, n_control, *, alpha=0.05, ratio=1.0, alternative="two-sided"):
    """Chance that a test of two rates detects the change from ``p_control`` to ``p_treatment``.

    The pooled-variance normal approximation of R's ``power.prop.test``
    (``strict = FALSE``: for a two-sided test the chance of rejecting in the
    wrong direction is not counted), generalised to unequal groups::

        power = Phi((|p_t - p_c| sqrt(n_c) - z sqrt(pbar (1 - pbar) (1 + 1/ratio)))
                    / sqrt(p_c (1 - p_c) + p_t (1 - p_t) / ratio))

    with ``pbar`` the rate of both groups pooled and ``z`` the normal
    quantile at ``1 - alpha/2`` (two-sided) or ``1 - alpha`` (one-sided).

    Parameters
    ----------
    p_control, p_treatment : float
        Rates per case in (0, 1) without and with the change; not equal.
    n_control : float
        Cases in the control group (> 0); the treatment group has ``ratio * n_control``.
    alpha : float
        False-positive rate in (0, 1).
    ratio : float
        Treatment group size / control group size (> 0).
    alternative : {"two-sided", "larger", "smaller"}

    Returns
    -------
    float
        Power, a fraction in (0, 1).
    """
    p_control, p_treatment = _check_rates(p_control, p_treatment)
    alpha, ratio, alternative = check_test(alpha, ratio, alternative)
    n = _positive(n_control, MSG_N, "n_control")
    diff, sd_null, sd_alt = _proportion_parts(p_control, p_treatment, ratio, alternative)
    z = _z_alpha(alpha, alternative)
    return float(stats.norm.cdf((diff * math.sqrt(n) - z * sd_null) / sd_alt))


def sample_size_proportions(p_control, p_treatment, *, alpha=0.05, power=0.8, ratio=1.0,
                            alternative="two-sided"):
    """Cases in the control group for a test of two rates to reach ``power``.

    The inverse of :func:`power_proportions`, in closed form::

        n_c = ((z_alpha sd_null + z_power sd_alt) / (p_t - p_c))²

    E.g. 0.02 against 0.03 at alpha 0.05 and power 0.8: 3825.15 cases per
    group, as R's ``power.prop.test(p1 = 0.02, p2 = 0.03, power = 0.8)``.

    Parameters
    ----------
    p_control, p_treatment : float
        Rates per case in (0, 1); not equal.
    alpha : float
        False-positive rate in (0, 1).
    power : float
        Chance of detecting the change, in (0, 1).
    ratio : float
        Treatment group size / control group size (> 0).
    alternative : {"two-sided", "larger", "smaller"}
        ``"larger"``: the test looks for ``p_treatment > p_control`` only.

    Returns
    -------
    float
        Cases in the control group (not rounded); the treatment group needs ``ratio`` times as many.

    Raises
    ------
    ParameterError
        For a rate outside (0, 1), equal rates, alpha or power outside (0, 1),
        ratio <= 0, a one-sided alternative pointing away from the change, or
        a power so low that the normal approximation reaches it with no cases.
    """
    p_control, p_treatment = _check_rates(p_control, p_treatment)
    alpha, ratio, alternative = check_test(alpha, ratio, alternative)
    power = _open_unit(power, MSG_POWER)
    diff, sd_null, sd_alt = _proportion_parts(p_control, p_treatment, ratio, alternative)
    if diff <= 0:
        raise ParameterError(MSG_WRONG_DIRECTION.format(alternative, p_control, p_treatment, power))
    root = _z_alpha(alpha, alternative) * sd_null + stats.norm.ppf(power) * sd_alt
    if root <= 0:  # the approximation's power tends to Phi(-z sd_null / sd_alt) > power as n -> 0
        floor = stats.norm.cdf(-_z_alpha(alpha, alternative) * sd_null / sd_alt)
        raise ParameterError(MSG_POWER_TOO_LOW.format(power, floor))
    return float((root / diff) ** 2)


def _check_means(delta, sd):
    try:
        d = float(delta)
    except (TypeError, ValueError):
        raise ParameterError(MSG_DELTA.format(delta)) from None
    if not math.isfinite(d) or d == 0:
        raise ParameterError(MSG_DELTA.format(delta))
    return d, _positive(sd, MSG_SD)


def _t_power(effect, n, ratio, alpha, alternative):
    """Power of the two-sample t-test (equal variances), effect in standard deviations."""
    df = n * (1 + ratio) - 2
    nc = effect * math.sqrt(n * ratio / (1 + ratio))
    crit = stats.t.isf(alpha / 2 if alternative == "two-sided" else alpha, df)
    upper = 0.0 if alternative == "smaller" else stats.nct.sf(crit, df, nc)
    lower = 0.0 if alternative == "larger" else stats.nct.cdf(-crit, df, nc)
    out = float(upper + lower)
    if math.isnan(out):  # scipy's noncentral t fails for a huge non-centrality: power is then ~1
        out = float((0.0 if alternative == "smaller" else stats.norm.sf(crit - nc))
                    + (0.0 if alternative == "larger" else stats.norm.cdf(-crit - nc)))
    return out


def power_means(delta, sd, n_control, *, alpha=0.05, ratio=1.0, alternative="two-sided"):
    """Chance that a two-sample t-test detects a difference ``delta`` in the mean per case.

    Equal variances, ``n_control + ratio * n_control - 2`` degrees of
    freedom, both tails counted for a two-sided test (as statsmodels'
    ``TTestIndPower().power(delta / sd, n_control, alpha, ratio, alternative)``).

    Parameters
    ----------
    delta : float
        Treatment mean minus control mean (currency per case), non-zero.
    sd : float
        Standard deviation per case (> 0, same unit).
    n_control : float
        Cases in the control group; ``n_control * (1 + ratio)`` must exceed 2.
    alpha, ratio, alternative
        As for :func:`power_proportions`.

    Returns
    -------
    float
        Power, a fraction in (0, 1).
    """
    delta, sd = _check_means(delta, sd)
    alpha, ratio, alternative = check_test(alpha, ratio, alternative)
    n = _positive(n_control, MSG_N, "n_control")
    if n * (1 + ratio) <= 2:
        raise ParameterError(MSG_N_T.format(n_control, ratio))
    return _t_power(delta / sd, n, ratio, alpha, alternative)


def sample_size_means(delta, sd, *, alpha=0.05, power=0.8, ratio=1.0, alternative="two-sided"):
    """Cases in the control group for a t-test to detect ``delta`` with ``power``.

    The inverse of :func:`power_means`, solved numerically (as statsmodels'
    ``TTestIndPower().solve_power(effect_size=delta / sd, alpha=alpha,
    power=power, ratio=ratio, alternative=alternative)``).

    Parameters
    ----------
    delta : float
        Treatment mean minus control mean to detect (currency per case), non-zero.
    sd : float
        Standard deviation per case (> 0).
    alpha, power, ratio, alternative
        As for :func:`sample_size_proportions`.

    Returns
    -------
    float
        Cases in the control group (not rounded); the treatment group needs ``ratio`` times as many.
        At least ``3 / (1 + ratio)`` (one degree of freedom): returned as such when the effect is
        so large that even that reaches ``power``.
    """
    delta, sd = _check_means(delta, sd)
    alpha, ratio, alternative = check_test(alpha, ratio, alternative)
    power = _open_unit(power, MSG_POWER)
    effect = delta / sd
    if (alternative == "larger" and effect < 0) or (alternative == "smaller" and effect > 0):
        raise ParameterError(MSG_WRONG_DIRECTION.format(alternative, 0, delta, power))
    low = 3.0 / (1 + ratio)  # one degree of freedom

    def gap(log_n):
        return _t_power(effect, math.exp(log_n), ratio, alpha, alternative) - power

    if gap(math.log(low)) >= 0:
        return low
    # The normal approximation, doubled, brackets the t-test's answer from above.
    z = _z_alpha(alpha, alternative) + stats.norm.ppf(power)
    high = max(4.0 * low, 4.0 * (z / abs(effect)) ** 2 * (1 + 1 / ratio) + 10.0)
    while gap(math.log(high)) < 0:
        high *= 4.0
    return float(math.exp(optimize.brentq(gap, math.log(low), math.log(high), xtol=1e-13, rtol=1e-14)))
