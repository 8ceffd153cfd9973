"""Bias in the data: synthetic groups whose size, prevalence, AUC and recorded labels differ."""

from __future__ import annotations

import types
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._checks import require_real
from ..engine.binormal import BinormalModel
from ..engine.scores import ScoreSet
from ..errors import ParameterError
from .metrics import group_metrics

MSG_GROUPS = "groups must be a non-empty mapping of group name to GroupModel; found {!r}"
MSG_SIZE = "size of group {!r} must be a whole number >= 1; found {!r}"


@dataclass(frozen=True, slots=True, kw_only=True)
class GroupModel:
    """One synthetic group: how many cases, how many positives, how well the model ranks them, how labels are recorded.

    Parameters
    ----------
    size : int
        Cases in the group (>= 1).
    prevalence : float
        True share of positives, in (0, 1).
    auc : float
        The model's AUC in this group, in (0.5, 1).
    label_noise : float
        Share of the group's true positives recorded as negatives (e.g. fraud
        never reported, a disease never diagnosed), in [0, 0.5]. 0: labels
        are right. The hidden positives are more often the ones the model
        scores low (the obvious cases get recorded): a positive whose score
        is at quantile ``u`` among the group's positives is hidden with
        probability ``2 label_noise (1 - u)``.
    amount_mean, positive_amount_mean, amount_sigma : float, optional
        Amounts per case, as in :class:`aipm_sim.BinormalModel` (None: no amounts).
    """

    size: int
    prevalence: float
    auc: float
    label_noise: float = 0.0
    amount_mean: float | None = None
    positive_amount_mean: float | None = None
    amount_sigma: float = 1.0

    def __post_init__(self):
        if isinstance(self.size, bool) or not isinstance(self.size, (int, np.integer)) or self.size < 1:
            raise ParameterError(f"size must be a whole number >= 1; found {self.size!r}")
        object.__setattr__(self, "size", int(self.size))
        object.__setattr__(self, "label_noise", require_real(self.label_noise, "label_noise", low=0.0, high=0.5))
        self.binormal  # the same checks and messages as the binormal model

    @property
    def binormal(self):
        """The group's :class:`aipm_sim.BinormalModel` (true labels)."""
        return BinormalModel(self.prevalence, self.auc, amount_mean=self.amount_mean,
                             positive_amount_mean=self.positive_amount_mean, amount_sigma=self.amount_sigma)


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class GroupSimulation:
    """Synthetic groups: the labels as recorded and the truth behind them.

    Attributes
    ----------
    models : mapping of group name to GroupModel
    measured : ScoreSet
        Scores with the *recorded* labels (what an analysis of the data sees), with groups.
    truth : ScoreSet
        The same scores with the true labels, with groups.
    """

    models: types.MappingProxyType
    measured: ScoreSet
    truth: ScoreSet

    def compare(self, thresholds):
        """Measured against true metrics per group at ``thresholds`` (one number or group → threshold).

        Returns
        -------
        pandas.DataFrame
            Indexed by group: ``n_cases``, ``measured_prevalence``,
            ``true_prevalence``, ``measured_recall``, ``true_recall``,
            ``measured_precision``, ``true_precision``, ``alert_rate`` (fractions).
            Labels that hide positives make the measured recall look better
            than the truth (the hidden positives are mostly ones the model
            misses too) and the measured precision look worse.
        """
        m = group_metrics(self.measured, thresholds)
        t = group_metrics(self.truth, thresholds)
        return pd.DataFrame({
            "n_cases": m["n_cases"],
            "measured_prevalence": m["positives"] / m["n_cases"],
            "true_prevalence": t["positives"] / t["n_cases"],
            "measured_recall": m["recall"],
            "true_recall": t["recall"],
            "measured_precision": m["precision"],
            "true_precision": t["precision"],
            "alert_rate": m["alert_rate"],
        })


def simulate_groups(groups, *, seed):
    """Draw synthetic groups from their own binormal models, with biased labels where asked.

    Parameters
    ----------
    groups : mapping of str to GroupModel
        Each group's size, prevalence, AUC and label noise.
    seed : int or numpy.random.Generator
        The only source of randomness; same seed, same cases.

    Returns
    -------
    GroupSimulation
        ``measured`` (recorded labels) and ``truth`` (true labels) on the
        same scores; :meth:`GroupSimulation.compare` puts the measured and
        true recall per group side by side. A small group has noisy metrics;
        a group whose positives are under-recorded looks better than it is.
    """
    if not isinstance(groups, Mapping) or not groups:
        raise ParameterError(MSG_GROUPS.format(groups))
    for name, model in groups.items():
        if not isinstance(model, GroupModel):
            raise ParameterError(MSG_GROUPS.format(groups))
    rng = np.random.default_rng(seed)
    scores, truth, recorded, names, amounts = [], [], [], [], []
    for name, model in groups.items():
        sample = model.binormal.sample(model.size, seed=rng)
        pos = np.flatnonzero(sample.labels)
        quantile = (np.argsort(np.argsort(sample.scores[pos], kind="stable")) + 0.5) / max(pos.size, 1)
        hidden = np.zeros(model.size, dtype=bool)
        hidden[pos] = rng.random(pos.size) < 2 * model.label_noise * (1 - quantile)
        scores.append(sample.scores)
        amounts.append(sample.amounts)
        truth.append(sample.labels)
        recorded.append(sample.labels & ~hidden)
        names.append(np.full(model.size, name, dtype=object))
    s, g = np.concatenate(scores), np.concatenate(names)
    a = None if any(x is None for x in amounts) else np.concatenate(amounts)
    return GroupSimulation(
        models=types.MappingProxyType(dict(groups)),
        measured=ScoreSet(s, np.concatenate(recorded), amounts=a, groups=g),
        truth=ScoreSet(s, np.concatenate(truth), amounts=a, groups=g),
    )


MSG_SCENARIO_GROUPS = "scenario {!r} has no [[groups]]: add each group's share, prevalence and AUC to compare groups"


def scenario_groups(scenario, *, n_cases=20_000, seed=0):
    """Synthetic cases of a scenario's ``[[groups]]``: each group's share of ``n_cases``, prevalence and AUC.

    Amounts follow the scenario's score model (its ``amount_mean`` …), so
    its value model applies; the volume (cases per month) is the scenario's.

    Parameters
    ----------
    scenario : Scenario
        With ``groups`` (a credit scenario's age bands, say).
    n_cases : int
        Cases drawn in all (each group at least 1).
    seed : int

    Returns
    -------
    GroupSimulation
    """
    if scenario.groups is None:
        raise ParameterError(MSG_SCENARIO_GROUPS.format(scenario.name))
    base = scenario.score_model()
    amounts = {} if base is None else {"amount_mean": base.amount_mean,
                                       "positive_amount_mean": base.positive_amount_mean,
                                       "amount_sigma": base.amount_sigma}
    models = {g["name"]: GroupModel(size=max(1, round(float(g["share"]) * n_cases)), prevalence=float(g["prevalence"]),
                                    auc=float(g["auc"]), label_noise=float(g.get("label_noise", 0.0)), **amounts)
              for g in scenario.groups}
    return simulate_groups(models, seed=seed)

