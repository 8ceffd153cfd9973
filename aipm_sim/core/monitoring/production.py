"""Simulated production: periods of scored cases under a drift plan, with late labels.

The world is binormal (:class:`~aipm_sim.BinormalModel`): in period ``t``
(counting from 0) each case is a positive with probability ``pi_t`` (the
plan's prevalence path), and a model sees the latent score

    x = d(age) * y + (shift_t - shift_of_its_training_data) + e,   e ~ N(0, 1),

where ``age`` is how many periods its training labels are old
(``t - L - 1`` for a model trained on the labels of period ``L``; the
launch model is trained on the reference, period ``L = -1``), ``d(age)`` the
separation of AUC ``auc - auc_decay_per_period * age`` (never below 0.5),
and ``shift_t = score_shift_per_period * (t + 1)``. The model reports the
probability it *believes*: calibrated for the prevalence of its training
data and its AUC when new. So a prevalence change is prior shift, AUC decay
is concept drift (the same score means less), a score shift is a change in
what the model sees. The noise ``e`` and labels are drawn once per case, so
every policy (:func:`~aipm_sim.compare_policies`) is judged on the same
cases. Amounts (when the model has them) grow by
``amount_inflation_per_period`` a period.

The labels of period ``t`` are known at the end of period ``t + label_delay``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special, stats

from .._checks import readonly, require_real, require_whole
from ..engine.binormal import BinormalModel
from ..engine.point import OperatingPoint
from ..engine.scores import ScoreSet
from ..engine.value import ValueModel
from ..errors import ParameterError
from .drift import _check_method, _statistic, drift_null
from .estimation import _estimate
from .prior_shift import em_prevalence

#: No-drift resamples behind the default alert threshold, and their seed (fixed: the threshold is a
#: property of the sample sizes, not of the production's draw).
NULL_RESAMPLES = 100
NULL_SEED = 20261204

PREVALENCE_SHAPES = ("constant", "gradual", "sudden", "seasonal")
#: Lowest AUC a decaying model reaches (0.5 is chance; the binormal model needs a little more).
AUC_FLOOR = 0.501

MSG_SHAPE = "prevalence_shape must be one of {}; found {!r}"
MSG_PERIODS = "periods must be a whole number >= 1; found {!r}"
MSG_CASES = "cases_per_period must be a whole number >= 10; found {!r}"
MSG_DELAY = "label_delay must be a whole number of periods >= 0; found {!r}"
MSG_CHANGE_PERIOD = "change_period must be a whole number >= 0; found {!r}"
MSG_SEASON = "season_length must be a whole number of periods >= 2; found {!r}"
MSG_MODEL = "model_or_scores must be a BinormalModel or a labelled ScoreSet; found {}"
MSG_DRIFT = "drift must be a DriftPlan; found {}"
MSG_PREVALENCE_RANGE = ("the drift plan takes the prevalence to {:.4g} (starting prevalence {:.4g} times "
                        "prevalence_factor {:g}): it must stay below 1")
MSG_NO_THRESHOLD = "give a threshold, or a value_model from which the best threshold follows"


@dataclass(frozen=True, slots=True, kw_only=True)
class DriftPlan:
    """How the world moves after launch, period by period.

    Parameters
    ----------
    prevalence_shape : {"constant", "gradual", "sudden", "seasonal"}
        Path of the share of positives: unchanged; a straight line reaching
        ``prevalence_factor`` times the start in the last period; a step to
        that level at ``change_period``; or a season that peaks at that
        level halfway through each ``season_length`` periods.
    prevalence_factor : float
        The prevalence at the end / after the step / at the peak, as a
        multiple of the starting prevalence (> 0; 2.0: it doubles).
    change_period : int
        First period (counting from 0) at the new prevalence, for ``"sudden"``.
    season_length : int
        Periods per season, for ``"seasonal"`` (>= 2).
    auc_decay_per_period : float
        AUC a model loses per period of age (>= 0; 0.005: half a point a period).
    score_shift_per_period : float
        Shift of every case's latent score per period, in standard deviations.
    amount_inflation_per_period : float
        Growth of amounts per period, a fraction (0.01: 1 % a period; > -1).
    """

    prevalence_shape: str = "constant"
    prevalence_factor: float = 1.0
    change_period: int = 13
    season_length: int = 26
    auc_decay_per_period: float = 0.0
    score_shift_per_period: float = 0.0
    amount_inflation_per_period: float = 0.0

    def __post_init__(self):
        if self.prevalence_shape not in PREVALENCE_SHAPES:
            raise ParameterError(MSG_SHAPE.format(", ".join(map(repr, PREVALENCE_SHAPES)), self.prevalence_shape))
        set_ = lambda name, value: object.__setattr__(self, name, value)  # noqa: E731
        set_("prevalence_factor", require_real(self.prevalence_factor, "prevalence_factor", low=0.0, low_open=True))
        set_("change_period", require_whole(self.change_period, MSG_CHANGE_PERIOD.format(self.change_period), low=0))
        set_("season_length", require_whole(self.season_length, MSG_SEASON.format(self.season_length), low=2))
        set_("auc_decay_per_period", require_real(self.auc_decay_per_period, "auc_decay_per_period", low=0.0))
        set_("score_shift_per_period", require_real(self.score_shift_per_period, "score_shift_per_period"))
        set_("amount_inflation_per_period", require_real(self.amount_inflation_per_period,
                                                         "amount_inflation_per_period", low=-1.0, low_open=True))

    def prevalence_path(self, prevalence, periods):
        """Planned share of positives in each of ``periods`` periods, starting from ``prevalence``; ndarray."""
        t = np.arange(periods, dtype=np.float64)
        f = self.prevalence_factor
        if self.prevalence_shape == "gradual":
            factor = 1.0 + (f - 1.0) * (t + 1) / periods
        elif self.prevalence_shape == "sudden":
            factor = np.where(t >= self.change_period, f, 1.0)
        elif self.prevalence_shape == "seasonal":
            factor = 1.0 + (f - 1.0) * (1.0 - np.cos(2 * np.pi * (t + 1) / self.season_length)) / 2
        else:
            factor = np.ones(periods)
        return prevalence * factor

    def auc_at_age(self, auc, age):
        """A model's AUC at ``age`` periods (array-like), starting from ``auc``, never below :data:`AUC_FLOOR`."""
        return np.maximum(auc - self.auc_decay_per_period * np.asarray(age, dtype=np.float64), AUC_FLOOR)

    def shift(self, period):
        """Latent shift of period ``period`` (the reference, period -1, has 0)."""
        return self.score_shift_per_period * (np.asarray(period, dtype=np.float64) + 1)


@dataclass(frozen=True, slots=True)
class DeployedModel:
    """A model as deployed: trained on the labels of ``data_period`` (-1: the reference), believing ``prevalence``."""

    data_period: int
    prevalence: float


def _separation(auc):
    return math.sqrt(2.0) * stats.norm.ppf(auc)


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Production:
    """Periods of simulated production (see :func:`simulate_production`); read-only.

    Attributes
    ----------
    model : BinormalModel
        The world at launch (prevalence, AUC, amounts).
    plan : DriftPlan
    periods, cases_per_period, label_delay : int
    threshold : float
        The launch threshold, a probability (what the launch model flags).
    value_model : ValueModel or None
    labels, noise : tuple of ndarray
        Per period, each case's label and latent noise (drawn once).
    amounts : tuple of ndarray, or None
        Per period, each case's amount (currency), inflation included.
    planned_prevalence : ndarray of shape (periods,)
        The plan's share of positives; ``prevalence`` the realized one.
    reference : ScoreSet
        The labelled pre-launch cases (period -1) the launch model and
        threshold were built on.
    drift_method : str
        The drift statistic watched.
    drift_threshold : float
        Its alert threshold (by default the 99th percentile of its no-drift noise at this period size).
    metrics : pandas.DataFrame
        One row per period for the launch model at the launch threshold:
        realized and label-free estimated precision, recall and value, the
        estimated prevalence, the PSI against the reference, and whether the
        period's labels are known by the end of the simulation.
    """

    model: BinormalModel
    plan: DriftPlan
    periods: int
    cases_per_period: int
    label_delay: int
    threshold: float
    value_model: ValueModel | None
    labels: tuple
    noise: tuple
    amounts: tuple | None
    planned_prevalence: np.ndarray
    prevalence: np.ndarray
    reference: ScoreSet
    reference_noise: np.ndarray
    metrics: pd.DataFrame
    seed: object
    drift_method: str = "psi"
    drift_threshold: float = float("nan")

    @property
    def launch_model(self):
        return DeployedModel(-1, self.model.prevalence)

    def labels_known(self, period):
        """Periods whose labels are known at the end of ``period`` (a range)."""
        return range(0, max(period - self.label_delay + 1, 0))

    def scores(self, period, model=None):
        """Scores a deployed model (default: the launch model) gives the cases of ``period`` (-1: the reference)."""
        model = self.launch_model if model is None else model
        if period == -1:
            y, e = self.reference.labels, self.reference_noise
        else:
            y, e = self.labels[period], self.noise[period]
        age = period - model.data_period - 1
        d_now = _separation(float(self.plan.auc_at_age(self.model.auc, max(age, 0))))
        d0 = self.model.separation
        x = d_now * y + (self.plan.shift(period) - self.plan.shift(model.data_period)) + e
        return special.expit(special.logit(model.prevalence) + d0 * x - d0 * d0 / 2)

    def outcome(self, period, scores, threshold):
        """The realized :class:`OperatingPoint` of flagging ``scores >= threshold`` among the cases of ``period``."""
        y = self.labels[period]
        flagged = scores >= threshold
        extra = {}
        if self.amounts is not None:
            a = self.amounts[period]
            extra = dict(tp_amount=float(a[y & flagged].sum()), fp_amount=float(a[~y & flagged].sum()),
                         positive_amount=float(a[y].sum()), negative_amount=float(a[~y].sum()))
        return OperatingPoint(threshold=float(threshold), index=None, tp=float((y & flagged).sum()),
                               fp=float((~y & flagged).sum()), positives=float(y.sum()),
                               negatives=float((~y).sum()), **extra)


def _as_model(model_or_scores):
    if isinstance(model_or_scores, BinormalModel):
        return model_or_scores
    if isinstance(model_or_scores, ScoreSet):
        s, y = model_or_scores.scores, model_or_scores.labels
        ranks = stats.rankdata(s)
        n1 = float(y.sum())
        n0 = float(len(y) - n1)
        auc = (ranks[y].sum() - n1 * (n1 + 1) / 2) / (n1 * n0)
        amounts = model_or_scores.amounts
        kw = {}
        if amounts is not None:
            kw = dict(amount_mean=float(amounts[~y].mean()), positive_amount_mean=float(amounts[y].mean()))
        return BinormalModel(model_or_scores.prevalence, min(max(auc, AUC_FLOOR), 0.999), **kw)
    raise TypeError(MSG_MODEL.format(type(model_or_scores).__name__))


def best_threshold(model, value_model):
    """The value-maximising probability threshold of a calibrated model (Elkan's cut-off), or None."""
    m0 = model.amount_mean or 0.0
    m1 = model.positive_amount_mean or 0.0
    vm = value_model
    gain_pos = vm.tp - vm.fn + m1 * (vm.tp_amount - vm.fn_amount)
    gain_neg = vm.fp - vm.tn + m0 * (vm.fp_amount - vm.tn_amount)
    if gain_pos > 0 > gain_neg:
        return -gain_neg / (gain_pos - gain_neg)
    return None


def simulate_production(model_or_scores, *, periods=26, cases_per_period, drift=None, label_delay=4,
                        threshold=None, value_model=None, drift_method="psi", drift_threshold=None, seed):
    """Simulate ``periods`` periods of production under a drift plan.

    Parameters
    ----------
    model_or_scores : BinormalModel or ScoreSet
        The world at launch. A labelled ScoreSet is summarised by its
        prevalence, AUC (and class mean amounts) as a binormal model.
    periods : int
        Number of periods (>= 1), e.g. 26 fortnights.
    cases_per_period : int
        Cases simulated per period (>= 10); scale values to your real volume
        with ``volume=`` in :func:`compare_policies`.
    drift : DriftPlan, optional
        How things move (default: nothing moves).
    label_delay : int
        Periods until a period's labels are known (>= 0; 4: chargebacks
        arrive about four periods later).
    threshold : float, optional
        The launch threshold (a probability). None: the value model's best
        threshold for the launch model.
    value_model : ValueModel, optional
        Money per outcome, for the value columns.
    drift_method : str
        Drift statistic of the ``metrics`` table (default PSI).
    drift_threshold : float, optional
        Its alert threshold. None: the 99th percentile of its no-drift noise
        at ``cases_per_period`` cases (:func:`~aipm_sim.drift_null` on the
        reference scores, :data:`NULL_RESAMPLES` resamples with a fixed seed:
        the threshold belongs to the sample sizes, not to this draw).
    seed : int or numpy.random.Generator
        The only source of randomness.

    Returns
    -------
    Production
    """
    model = _as_model(model_or_scores)
    plan = DriftPlan() if drift is None else drift
    if not isinstance(plan, DriftPlan):
        raise TypeError(MSG_DRIFT.format(type(plan).__name__))
    periods = require_whole(periods, MSG_PERIODS.format(periods), low=1)
    n = require_whole(cases_per_period, MSG_CASES.format(cases_per_period), low=10)
    delay = require_whole(label_delay, MSG_DELAY.format(label_delay), low=0)
    drift_method = _check_method(drift_method)
    if drift_threshold is not None:
        drift_threshold = require_real(drift_threshold, "drift_threshold", low=0.0)
    if value_model is not None and not isinstance(value_model, ValueModel):
        raise TypeError(f"value_model must be a ValueModel or None; found {type(value_model).__name__}")
    if threshold is None:
        threshold = None if value_model is None else best_threshold(model, value_model)
        if threshold is None:
            raise ParameterError(MSG_NO_THRESHOLD)
    threshold = require_real(threshold, "threshold", low=0.0, high=1.0)
    planned = plan.prevalence_path(model.prevalence, periods)
    if planned.max() >= 1:
        raise ParameterError(MSG_PREVALENCE_RANGE.format(planned.max(), model.prevalence, plan.prevalence_factor))
    rng = np.random.default_rng(seed)

    def draw(prevalence, inflation):
        y = rng.random(n) < prevalence
        e = rng.standard_normal(n)
        a = None
        if model.amount_mean is not None:
            means = np.where(y, model.positive_amount_mean, model.amount_mean) * inflation
            s = model.amount_sigma
            with np.errstate(divide="ignore"):
                mu = np.log(means) - s * s / 2
            a = np.where(means > 0, np.exp(mu + s * rng.standard_normal(n)), 0.0)
        return readonly(y), readonly(e), None if a is None else readonly(a)

    ref_y, ref_e, ref_a = draw(model.prevalence, 1.0)
    labels, noise, amounts = [], [], []
    for t in range(periods):
        y, e, a = draw(planned[t], (1.0 + plan.amount_inflation_per_period) ** (t + 1))
        labels.append(y)
        noise.append(e)
        amounts.append(a)
    d0 = model.separation
    ref_scores = special.expit(special.logit(model.prevalence) + d0 * (d0 * ref_y + ref_e) - d0 * d0 / 2)
    reference = ScoreSet(ref_scores, ref_y, amounts=ref_a)
    prevalence = readonly(np.array([y.mean() for y in labels]))
    production = Production(
        model=model, plan=plan, periods=periods, cases_per_period=n, label_delay=delay, threshold=threshold,
        value_model=value_model, labels=tuple(labels), noise=tuple(noise),
        amounts=None if model.amount_mean is None else tuple(amounts), planned_prevalence=readonly(planned),
        prevalence=prevalence, reference=reference, reference_noise=readonly(ref_e), metrics=pd.DataFrame(),
        seed=seed)
    if drift_threshold is None:
        drift_threshold = drift_null(reference.scores, n, method=drift_method, resamples=NULL_RESAMPLES,
                                     seed=NULL_SEED).threshold
    object.__setattr__(production, "drift_method", drift_method)
    object.__setattr__(production, "drift_threshold", float(drift_threshold))
    object.__setattr__(production, "metrics", _metrics(production))
    return production


def _metrics(production):
    rows = []
    last = production.periods - 1
    vm = production.value_model
    ref = production.reference.scores
    for t in range(production.periods):
        s = production.scores(t)
        real = production.outcome(t, s, production.threshold)
        amounts = None if production.amounts is None else production.amounts[t]
        est = _estimate(s, s >= production.threshold, production.threshold, amounts=amounts, value_model=vm)
        pi, _, _, _ = em_prevalence(s, production.model.prevalence)
        stat = _statistic(ref, s, production.drift_method, 10, p_value=False)[0]
        rows.append({
            "period": t,
            "prevalence": float(production.prevalence[t]),
            "estimated prevalence": pi,
            "precision": real.precision,
            "estimated precision": est.precision,
            "precision standard error": est.precision_se,
            "recall": real.recall,
            "estimated recall": est.recall,
            "recall standard error": est.recall_se,
            "value": math.nan if vm is None else vm.point_value(real),
            "estimated value": est.value,
            "value standard error": est.value_se,
            "drift": stat,
            "drift threshold": production.drift_threshold,
            "alert": bool(stat > production.drift_threshold),
            "labels known": t + production.label_delay <= last,
        })
    return pd.DataFrame(rows)
