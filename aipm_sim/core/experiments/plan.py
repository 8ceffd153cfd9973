"""From two decisions to an A/B test: how many cases, how many days, what it can detect in money.

The value per case of a decision is a discrete distribution over the four
cells of the 2x2 layout (and, with a value model that uses amounts, over
the amounts within each cell): a case in cell ``c`` is worth
``c + c_amount * amount``. Its mean and variance are therefore exact from
the cell counts, the cell amount sums and the cell sums of squared amounts.
A :class:`~aipm_sim.ThresholdCurve` stores the first two but not the
squares; give ``scores=`` (the scored cases) to have them exact, otherwise
each case is taken to carry its cell's mean amount, which leaves out the
spread of amounts within a cell and so *understates* the variance (the plan
says which was used: :attr:`ABTestPlan.amount_spread`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..engine.optimize import Decision
from ..engine.scores import ScoreSet
from ..errors import ParameterError
from .power import (
    MSG_ALPHA, MSG_POWER, _open_unit, check_test, power_means, power_proportions, sample_size_means,
    sample_size_proportions,
)
from .sequential import _positive, sequential_sample_size

METRICS = ("value", "precision", "recall")
_CELLS = ("tp", "fp", "fn", "tn")

MSG_DECISION = "{} must be a Decision (the result of aipm_sim.optimize or Scenario.optimize); found {}"
MSG_METRIC = "metric must be one of 'value', 'precision', 'recall'; found {!r}"
MSG_ALLOCATION = "allocation must be in (0, 1), the share of the test's cases that get the treatment; found {!r}"
MSG_CASES_PER_DAY = "cases_per_day must be > 0, the cases entering the test each day (both groups); found {!r}"
MSG_LABEL_DELAY = "label_delay_days must be >= 0, the days until a case's outcome is known; found {!r}"
MSG_NO_EFFECT = ("the two decisions have the same {} ({!r}): there is no expected difference to size the test for; "
                 "give minimum_effect (the smallest change worth detecting)")
MSG_MINIMUM_EFFECT = "minimum_effect must be a non-zero, finite change in {}; found {!r}"
MSG_UNDEFINED = "{} is undefined for the {} decision ({}): it cannot be the test's metric"
MSG_SCORES = "scores must be a ScoreSet or a pair (treatment's, control's) of them; found {}"
MSG_SCORES_AMOUNTS = "the {} scores have no amounts, but its value model uses them"
MSG_RATE_EDGE = ("a test of {} needs both rates strictly between 0 and 1; found {!r} for the control and {!r} with the "
                 "minimum effect: test the value per case instead (metric='value')")
MSG_VALUE_SD = "the value per case does not vary in either decision (sd 0): a test of value cannot be sized"

_UNITS = {"value": "cases", "precision": "flagged cases", "recall": "positive cases"}


@dataclass(frozen=True, slots=True, kw_only=True)
class ValueMoments:
    """Mean and standard deviation of one decision's value per case (see :func:`value_moments`).

    Attributes
    ----------
    mean, sd : float
        Currency per case.
    amount_spread : {"none", "data", "cell means"}
        How the amounts' spread within cells was known: not needed (no
        amount terms), from the scored cases, or left out (each case at its
        cell's mean amount: ``sd`` is then a lower bound).
    """

    mean: float
    sd: float
    amount_spread: str


def value_moments(decision, *, scores=None, amount_squares=None):
    """Exact mean and standard deviation of the value per case under ``decision``.

    Parameters
    ----------
    decision : Decision
    scores : ScoreSet, optional
        The scored cases (with amounts) the decision is applied to: they
        give each cell's mean squared amount. Exact when they are the
        curve's own cases; a large sample from the same model otherwise.
    amount_squares : mapping of str to float, optional
        Instead of ``scores``: the sum of squared amounts in each cell
        (keys ``"tp"``, ``"fp"``, ``"fn"``, ``"tn"``), on the scale of the
        curve's counts (currency² summed over the curve's cases), e.g. from
        a closed form (:func:`aipm_sim.plan_launch` does this for the
        binormal scenarios).

    Returns
    -------
    ValueMoments
    """
    point, vm = decision.point, decision.value_model
    n = point.n_cases
    counts = {c: getattr(point, c) for c in _CELLS}
    first = sum(getattr(vm, c) * counts[c] for c in _CELLS)
    second = sum(getattr(vm, c) ** 2 * counts[c] for c in _CELLS)
    spread = "none"
    if vm.uses_amounts:
        amounts = {c: getattr(point, f"{c}_amount") for c in _CELLS}
        if amount_squares is not None:
            squares = {c: float(amount_squares[c]) for c in _CELLS}
            spread = "data"
        else:
            squares = _cell_squares(decision, scores, counts, amounts)
            spread = "cell means" if scores is None else "data"
        for c in _CELLS:
            a = getattr(vm, f"{c}_amount")
            first += a * amounts[c]
            second += 2 * getattr(vm, c) * a * amounts[c] + a * a * squares[c]
    mean = first / n
    variance = max(second / n - mean * mean, 0.0)
    return ValueMoments(mean=float(mean), sd=math.sqrt(variance), amount_spread=spread)


def _cell_squares(decision, scores, counts, amounts):
    """Sum of squared amounts in each cell, on the curve's scale of counts."""
    if scores is None:
        return {c: amounts[c] ** 2 / counts[c] if counts[c] > 0 else 0.0 for c in _CELLS}
    if scores.amounts is None:
        raise ParameterError(MSG_SCORES_AMOUNTS.format("given"))
    flagged = scores.scores >= decision.threshold
    positive = scores.labels.astype(bool)
    w = np.ones(len(scores.scores)) if scores.weights is None else scores.weights
    masks = {"tp": flagged & positive, "fp": flagged & ~positive, "fn": ~flagged & positive, "tn": ~flagged & ~positive}
    out = {}
    for c, mask in masks.items():
        weight = float(w[mask].sum())
        if weight > 0:
            out[c] = counts[c] * float((w[mask] * scores.amounts[mask] ** 2).sum()) / weight
        else:  # no case of this cell in the data: fall back on the cell's mean amount
            out[c] = amounts[c] ** 2 / counts[c] if counts[c] > 0 else 0.0
    return out


@dataclass(frozen=True, slots=True, kw_only=True)
class ABTestPlan:
    """How big and how long an A/B test of a treatment against a control must be.

    Sizes are in the metric's unit (:attr:`unit`): cases for ``"value"``,
    flagged cases for ``"precision"``, positive cases for ``"recall"``;
    ``cases_*`` are the cases that must enter the test to produce them.

    Attributes
    ----------
    metric : {"value", "precision", "recall"}
    unit : str
        What the sizes count (``"cases"``, ``"flagged cases"``, ``"positive cases"``).
    alpha, power : float
        False-positive rate and chance of detecting :attr:`minimum_effect`.
    allocation : float
        Share of the test's cases in the treatment group, in (0, 1).
    alternative : str
        ``"two-sided"``, ``"larger"`` or ``"smaller"``.
    control_mean, treatment_mean : float
        Per unit: currency per case (value) or a rate in [0, 1].
    control_sd, treatment_sd : float
        Standard deviation per unit (currency per case; ``sqrt(p (1 - p))`` for a rate).
    expected_effect : float
        ``treatment_mean - control_mean``: what the offline numbers promise.
    minimum_effect : float
        The change the test is sized to detect (per unit; default the expected effect).
    units_control, units_treatment : int
        Units needed in each group (rounded up).
    units_per_case : float
        Units per case entering the control group: 1 (value), its alert
        rate (precision), the prevalence (recall).
    treatment_units_per_case : float
        The same for the treatment group (a model flags more or fewer
        cases than the rule): it gives :attr:`cases_treatment`.
    cases_control, cases_treatment, cases_total : int
        Cases that enter each side (and both) by the time the slower side
        has its units: traffic splits by :attr:`allocation` (rounded up).
    cases_per_day : float
        Cases entering the test per day (both groups).
    days_collecting : float
        Days of traffic to collect ``cases_total``.
    label_delay_days : float
        Days until the last case's outcome is known.
    days : int
        Days until the test can be read: ``ceil(days_collecting + label_delay_days)``.
    always_valid_days : int
        The same for an always-valid (sequential) test that may be read every
        day (:func:`sequential_sample_size`).
    minimum_effect_per_day : float
        For ``"value"``: the minimum effect in currency per day at full
        traffic (``minimum_effect * cases_per_day``); NaN for a rate.
    volume, period, currency : float, str, str or None
        The decisions' cases per period and labels, when known.
    amount_spread : str
        See :class:`ValueMoments` (``"none"`` for a rate).
    """

    metric: str
    unit: str
    alpha: float
    power: float
    allocation: float
    alternative: str
    control_mean: float
    treatment_mean: float
    control_sd: float
    treatment_sd: float
    expected_effect: float
    minimum_effect: float
    units_control: int
    units_treatment: int
    units_per_case: float
    cases_control: int
    cases_treatment: int
    cases_total: int
    cases_per_day: float
    days_collecting: float
    label_delay_days: float
    days: int
    always_valid_days: int
    minimum_effect_per_day: float
    volume: float | None = None
    period: str | None = None
    currency: str | None = None
    amount_spread: str = "none"
    treatment_units_per_case: float | None = None

    def __post_init__(self):
        if self.treatment_units_per_case is None:
            object.__setattr__(self, "treatment_units_per_case", self.units_per_case)

    @property
    def ratio(self):
        """Treatment group size / control group size."""
        return self.allocation / (1 - self.allocation)

    def days_at(self, units_control):
        """Days until the test can be read with ``units_control`` units in the control group (array-like).

        Traffic splits by :attr:`allocation`, so both sides collect until the slower one has its units
        (``ratio * units_control`` in the treatment group); the label delay is added.
        """
        n = np.asarray(units_control, dtype=np.float64)
        entering = np.maximum(n / self.units_per_case / (1 - self.allocation),
                              self.ratio * n / self.treatment_units_per_case / self.allocation)
        out = entering / self.cases_per_day + self.label_delay_days
        return float(out) if out.ndim == 0 else out

    @property
    def minimum_effect_per_period(self):
        """Minimum effect in currency per period at full traffic (``volume`` cases); NaN when unknown."""
        if self.metric != "value" or self.volume is None:
            return math.nan
        return self.minimum_effect * self.volume

    def power_at(self, units_control):
        """Power of this test with ``units_control`` units in the control group (array-like → ndarray)."""
        n = np.atleast_1d(np.asarray(units_control, dtype=np.float64))
        out = np.array([self._power(float(x)) for x in n])
        return float(out[0]) if np.ndim(units_control) == 0 else out

    def _power(self, n):
        kw = dict(alpha=self.alpha, ratio=self.ratio, alternative=self.alternative)
        if self.metric == "value":
            if n * (1 + self.ratio) <= 2:
                return math.nan
            return power_means(self.minimum_effect, _pooled_sd(self.treatment_sd, self.control_sd, self.ratio), n,
                               **kw)
        target = self.control_mean + self.minimum_effect
        return power_proportions(self.control_mean, target, n, **kw)

    def to_dict(self):
        """Plain-Python summary (for JSON)."""
        out = {name: getattr(self, name) for name in self.__dataclass_fields__}
        out["minimum_effect_per_period"] = self.minimum_effect_per_period
        return out


def _pooled_sd(sd_t, sd_c, ratio):
    """One sd for both groups giving the difference of means the variance ``sd_t²/n_t + sd_c²/n_c``."""
    return math.sqrt((sd_t ** 2 / ratio + sd_c ** 2) / (1 + 1 / ratio))


def plan_ab_test(treatment, control, *, cases_per_day, alpha=0.05, power=0.8, allocation=0.5, metric="value",
                 minimum_effect=None, label_delay_days=0.0, alternative="two-sided", scores=None,
                 amount_squares=None):
    """Size an A/B test of ``treatment`` (e.g. the model) against ``control`` (e.g. today's rule).

    Parameters
    ----------
    treatment, control : Decision
        The two decisions (the model's threshold and the rule's, two
        thresholds, two model variants).
    cases_per_day : float
        Cases entering the test per day, both groups together (> 0).
    alpha, power : float
        False-positive rate and power, in (0, 1).
    allocation : float
        Share of the test's cases given the treatment, in (0, 1) (0.5: equal groups).
    metric : {"value", "precision", "recall"}
        ``"value"``: the value per case (currency), by the t-test on its
        exact mean and variance; ``"precision"``: the share of flagged cases
        that are positive (sizes in flagged cases); ``"recall"``: the share
        of positives flagged (sizes in positive cases), both by the test of
        two rates.
    minimum_effect : float, optional
        The smallest change worth detecting, treatment minus control, per
        unit (currency per case, or rate points such as 0.02). Default: the
        expected effect (the offline difference).
    label_delay_days : float
        Days until outcomes are known (chargebacks: weeks); added to the duration.
    alternative : {"two-sided", "larger", "smaller"}
    scores : ScoreSet or (ScoreSet, ScoreSet), optional
        The scored cases (one set for both, or the treatment's and the
        control's), for the exact spread of amounts within cells (see
        :func:`value_moments`).
    amount_squares : (mapping, mapping), optional
        Instead of ``scores``: the treatment's and the control's sums of
        squared amounts per cell (see :func:`value_moments`).

    Returns
    -------
    ABTestPlan
    """
    for name, d in (("treatment", treatment), ("control", control)):
        if not isinstance(d, Decision):
            raise TypeError(MSG_DECISION.format(name, type(d).__name__))
    if metric not in METRICS:
        raise ParameterError(MSG_METRIC.format(metric))
    alpha = _open_unit(alpha, MSG_ALPHA)
    power = _open_unit(power, MSG_POWER)
    allocation = _open_unit(allocation, MSG_ALLOCATION)
    check_test(alpha, 1.0, alternative)
    cases_per_day = _positive(cases_per_day, MSG_CASES_PER_DAY)
    label_delay_days = _nonnegative(label_delay_days, MSG_LABEL_DELAY)
    scores_t, scores_c = _split_scores(scores)
    labels = dict(volume=treatment.volume, period=treatment.period, currency=treatment.currency)

    if metric == "value":
        sq_t, sq_c = (None, None) if amount_squares is None else amount_squares
        mt = value_moments(treatment, scores=scores_t, amount_squares=sq_t)
        mc = value_moments(control, scores=scores_c, amount_squares=sq_c)
        spread = mt.amount_spread if mt.amount_spread != "none" else mc.amount_spread
        if "cell means" in (mt.amount_spread, mc.amount_spread):
            spread = "cell means"
        return size_test(metric=metric, control_mean=mc.mean, treatment_mean=mt.mean, control_sd=mc.sd,
                         treatment_sd=mt.sd, units_per_case=1.0, cases_per_day=cases_per_day, alpha=alpha,
                         power=power, allocation=allocation, minimum_effect=minimum_effect,
                         label_delay_days=label_delay_days, alternative=alternative, amount_spread=spread,
                         **labels)
    rate = "precision" if metric == "precision" else "recall"
    pt, pc = getattr(treatment.point, rate), getattr(control.point, rate)
    for name, p, d in (("treatment", pt, treatment), ("control", pc, control)):
        if math.isnan(p):
            raise ParameterError(MSG_UNDEFINED.format(rate, name, "it flags nothing" if rate == "precision"
                                                      else "the data has no positives"))
    share = "alert_rate" if metric == "precision" else "prevalence"
    return size_test(metric=metric, control_mean=pc, treatment_mean=pt, control_sd=math.sqrt(pc * (1 - pc)),
                     treatment_sd=math.sqrt(pt * (1 - pt)), units_per_case=getattr(control.point, share),
                     treatment_units_per_case=getattr(treatment.point, share), cases_per_day=cases_per_day,
                     alpha=alpha, power=power, allocation=allocation, minimum_effect=minimum_effect,
                     label_delay_days=label_delay_days, alternative=alternative, **labels)


def size_test(*, metric, control_mean, treatment_mean, control_sd, treatment_sd, units_per_case, cases_per_day,
              alpha, power, allocation, minimum_effect, label_delay_days, alternative, volume=None, period=None,
              currency=None, amount_spread="none", unit=None, treatment_units_per_case=None):
    """The :class:`ABTestPlan` from the two groups' means and spreads (the arithmetic of :func:`plan_ab_test`).

    ``metric`` ``"value"`` uses the t-test (:func:`sample_size_means`, one
    pooled sd giving the difference its exact variance), a rate the test of
    two proportions (:func:`sample_size_proportions`) at ``control_mean``
    against ``control_mean + minimum_effect``. ``units_per_case`` is the
    control side's (and the treatment's too unless
    ``treatment_units_per_case`` is given: a model flags more or fewer cases
    than the rule). ``unit`` names what a rate's
    sizes count when it is not the default of the metric (``"items shown"``).
    """
    ratio = allocation / (1 - allocation)
    expected = treatment_mean - control_mean
    name = "value per case" if metric == "value" else metric
    if minimum_effect is None:
        if expected == 0:
            raise ParameterError(MSG_NO_EFFECT.format(name, treatment_mean))
        effect = expected
    else:
        try:
            effect = float(minimum_effect)
        except (TypeError, ValueError):
            raise ParameterError(MSG_MINIMUM_EFFECT.format(name, minimum_effect)) from None
        if not math.isfinite(effect) or effect == 0:
            raise ParameterError(MSG_MINIMUM_EFFECT.format(name, minimum_effect))
    kw = dict(alpha=alpha, power=power, ratio=ratio, alternative=alternative)
    if metric == "value":
        sd = _pooled_sd(treatment_sd, control_sd, ratio)
        if sd == 0:
            raise ParameterError(MSG_VALUE_SD)
        units_c = sample_size_means(effect, sd, **kw)
    else:
        target = control_mean + effect
        if not (0 < control_mean < 1 and 0 < target < 1):
            raise ParameterError(MSG_RATE_EDGE.format(metric, control_mean, target))
        units_c = sample_size_proportions(control_mean, target, **kw)
    n_c = math.ceil(units_c - 1e-9)
    n_t = math.ceil(ratio * units_c - 1e-9)
    if units_per_case <= 0 or math.isnan(units_per_case):
        raise ParameterError(MSG_UNDEFINED.format("the share of " + _UNITS[metric], "control", "none in the data"))
    cases_c = math.ceil(n_c / units_per_case - 1e-9)
    per_case_t = units_per_case if treatment_units_per_case is None else treatment_units_per_case
    if per_case_t <= 0 or math.isnan(per_case_t):
        raise ParameterError(MSG_UNDEFINED.format("the share of " + _UNITS[metric], "treatment", "none in the data"))
    cases_t = math.ceil(n_t / per_case_t - 1e-9)
    # Traffic splits by the allocation: both sides receive cases until the slower one has its units.
    entering = max(cases_c / (1 - allocation), cases_t / allocation)
    cases_c = max(cases_c, math.ceil(entering * (1 - allocation) - 1e-9))
    cases_t = max(cases_t, math.ceil(entering * allocation - 1e-9))
    collecting = entering / cases_per_day
    seq_factor = sequential_sample_size(max(units_c, 1.0), alpha=alpha, power=power) / max(units_c, 1.0)
    return ABTestPlan(
        metric=metric, unit=unit or _UNITS[metric], alpha=alpha, power=power, allocation=allocation,
        alternative=alternative, control_mean=float(control_mean), treatment_mean=float(treatment_mean),
        control_sd=float(control_sd), treatment_sd=float(treatment_sd), expected_effect=float(expected),
        minimum_effect=effect, units_control=n_c, units_treatment=n_t, units_per_case=float(units_per_case),
        cases_control=cases_c, cases_treatment=cases_t, cases_total=cases_c + cases_t,
        cases_per_day=cases_per_day, days_collecting=collecting, label_delay_days=label_delay_days,
        days=math.ceil(collecting + label_delay_days - 1e-9),
        always_valid_days=math.ceil(collecting * seq_factor + label_delay_days - 1e-9),
        minimum_effect_per_day=effect * cases_per_day if metric == "value" else math.nan,
        volume=volume, period=period, currency=currency, amount_spread=amount_spread,
        treatment_units_per_case=float(per_case_t),
    )


def _split_scores(scores):
    if scores is None or isinstance(scores, ScoreSet):
        return scores, scores
    if isinstance(scores, (tuple, list)) and len(scores) == 2 and all(
            s is None or isinstance(s, ScoreSet) for s in scores):
        return scores[0], scores[1]
    raise TypeError(MSG_SCORES.format(type(scores).__name__))


def _nonnegative(value, message):
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ParameterError(message.format(value)) from None
    if not (math.isfinite(x) and x >= 0):
        raise ParameterError(message.format(value))
    return x
