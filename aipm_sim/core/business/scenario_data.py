"""A scenario's cases, read or drawn once: score files (cached by path and modification time, reweighted to a
``scores.prevalence``) and ranking samples and curves (cached by model)."""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np

from ..engine.scores import ScoreSet, read_table
from ..errors import ParameterError
from .ranking import RankingCurve
from .scenario_file import data_folder


@functools.lru_cache(maxsize=8)
def _read_cached(path, mtime):
    return read_table(path)


def _file_score_set(scenario, *, score_column):
    s = scenario.scores
    where = (scenario.path.parent if scenario.path is not None else Path(".")) if "file" in s else data_folder()
    path = where / (s["file"] if "file" in s else s["package_file"])
    df = _read_cached(str(path), path.stat().st_mtime_ns)
    base = ScoreSet.from_frame(df, score=score_column, label=s["label"], amount=s.get("amount"),
                               weight=s.get("weight"))
    if "scores.prevalence" not in scenario._expressions:
        return base
    target = scenario.evaluate("scores.prevalence")
    if not 0 < target < 1:
        raise ParameterError(f"scores.prevalence must be in (0, 1); found {target!r}")
    weights = np.ones(len(base)) if base.weights is None else np.asarray(base.weights)
    data_prev = base.prevalence
    if not 0 < data_prev < 1:
        raise ParameterError("scores.prevalence needs data with both positive and negative cases")
    # Prior shift: reweight each class so that the weighted share of positives is the target,
    # keeping the total weight.
    factor = np.where(base.labels, target / data_prev, (1 - target) / (1 - data_prev))
    return ScoreSet(base.scores, base.labels, amounts=base.amounts, weights=weights * factor)


@functools.lru_cache(maxsize=16)
def _ranking_sample(model, n_sessions, seed):
    return model.sample(n_sessions, seed=seed)


@functools.lru_cache(maxsize=16)
def _ranking_curve(model, n_sessions, seed, k_max, popularity):
    ranking = _ranking_sample(model, n_sessions, seed)
    if popularity:
        ranking = ranking.by_popularity()
    return RankingCurve.from_ranking(ranking, k_max=k_max)
