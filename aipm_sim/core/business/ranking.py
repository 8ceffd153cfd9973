"""Recommendations: a ranking problem, decided by a number of slots ``k`` and a minimum score.

Each *session* (a user visit) has candidate items, each with a model score
(the predicted probability that the user engages with it) and an outcome
label (1 = relevant: the user clicks it when it is shown). A page shows the
session's ``k`` highest-scored candidates, but only those with
``score >= min_score``, so that weak recommendations are not shown at all.

Ties in score within a session are ranked in row order (the earlier row
first), so "the top k" is always exactly k items.

Metrics at ``(k, min_score)``, over ``S`` sessions:

* ``precision_at_k`` – relevant items shown / (k · S): the usual precision@k,
  averaged over sessions; an empty slot counts as not relevant.
* ``precision_shown`` – relevant shown / items shown: how often what *is*
  shown is relevant (NaN when nothing is shown).
* ``recall_at_k`` – mean over sessions with at least one relevant candidate
  of (relevant shown / relevant candidates).
* ``hit_rate`` – share of sessions with at least one relevant item shown.
* ``clicks_per_1000_sessions`` – 1000 · relevant shown / S.
* ``sessions_displaying`` – sessions in which at least one item is shown
  (the carousel appears); a count in [0, S].

Money (:class:`RankingValueModel`) adds the value and the revenue per 1,000
sessions (:attr:`RankingDecision.revenue_per_1000_sessions`).
"""

from __future__ import annotations

import math
import types
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._checks import as_float_array, data_row, plain, readonly, require_finite, require_real, require_whole
from ..engine.binormal import MSG_AUC, BinormalModel
from ..engine.curve import ThresholdCurve
from ..errors import ConstraintError, DataError, ParameterError
from ..engine.optimize import TOLERANCE, _label, binding_constraints
from ..engine.scores import MSG_COLUMN, MSG_LENGTHS, _as_labels, _column_array, _numeric_column, read_table

MSG_RANKING_EMPTY = "the ranking data is empty: at least one scored candidate is needed"
MSG_NO_POPULARITY = "the ranking data has no popularity column: the popularity rule needs one"
MSG_K = "k must be a whole number in [1, {}]; found {!r}"
MSG_K_MAX = "k_max must be a whole number >= 1; found {!r}"
MSG_N_SESSIONS = "n_sessions must be a whole number >= 1; found {!r}"
MSG_N_CANDIDATES = "n_candidates must be a whole number >= 1; found {!r}"
MSG_MIN_SCORE = "min_score must be a number; found {!r}"
MSG_SESSION_MISSING = "{} must name a session in every row; found {!r} in {} row(s), first at {}"
MSG_POPULARITY_AUC = ("popularity_auc must be in [0.5, 1) (below 0.5 popularity ranks worse than chance); "
                      "found {!r}")
MSG_RANKING_INFEASIBLE = "{} is unreachable: the highest {} on this ranking, over every k and minimum score, is {}"
MSG_RANKING_JOINT = "the constraints {} cannot all hold at one (k, minimum score) on this ranking"

#: Constraints :func:`optimize_ranking` accepts: name -> (metric, allowed range of the bound).
RANKING_CONSTRAINTS = {
    "min_precision": ("precision_shown", (0.0, 1.0)),
    "min_hit_rate": ("hit_rate", (0.0, 1.0)),
    "min_recall": ("recall_at_k", (0.0, 1.0)),
}


@dataclass(frozen=True, slots=True, eq=False)
class RankingSet:
    """Scored candidate items grouped into sessions; immutable.

    Parameters
    ----------
    sessions : array-like of shape (n,)
        Session (user visit) of each candidate row; any hashable labels.
    scores : array-like of shape (n,)
        Model score of each candidate, finite; higher is shown first.
        Usually the predicted probability of engagement.
    labels : array-like of shape (n,)
        1 if the user engages with (clicks) the item when shown, else 0.
    popularity : array-like of shape (n,), optional
        The item's popularity (e.g. clicks across all users), finite; used
        by the "recommend the most popular items" rule.

    Attributes
    ----------
    session_codes : ndarray of int64, shape (n,)
        Sessions as codes 0 … n_sessions - 1 (order of first appearance).
    """

    session_codes: np.ndarray
    scores: np.ndarray
    labels: np.ndarray
    popularity: np.ndarray | None = None

    def __init__(self, sessions, scores, labels, *, popularity=None):
        raw = np.asarray(sessions)
        if raw.ndim != 1:
            raise DataError(f"sessions must be one-dimensional; found shape {raw.shape}")
        s = as_float_array(scores, "scores")
        y = _as_labels(labels, "labels")
        arrays = [raw, s, y]
        if popularity is not None:
            pop = as_float_array(popularity, "popularity")
            arrays.append(pop)
        if len({len(a) for a in arrays}) > 1:
            raise DataError(MSG_LENGTHS.format([len(a) for a in arrays]))
        if len(s) == 0:
            raise DataError(MSG_RANKING_EMPTY)
        require_finite(s, "scores")
        _require_sessions(raw, "sessions")
        codes = pd.factorize(pd.Series(raw), sort=False)[0].astype(np.int64)
        object.__setattr__(self, "session_codes", readonly(codes))
        object.__setattr__(self, "scores", readonly(s.copy() + 0.0))
        object.__setattr__(self, "labels", readonly(y.copy()))
        if popularity is not None:
            require_finite(pop, "popularity")
            object.__setattr__(self, "popularity", readonly(pop.copy() + 0.0))
        else:
            object.__setattr__(self, "popularity", None)

    @classmethod
    def from_frame(cls, df, *, session, score, label, popularity=None):
        """Build a RankingSet from columns of a DataFrame (one row per candidate).

        Errors name the column and the first offending row (0-based, in
        ``df`` order): a missing session id, a score or popularity that is
        not a finite number, a label that is not 0/1.
        """
        if len(df) == 0:
            raise DataError(MSG_RANKING_EMPTY)
        for role, col in {"session": session, "score": score, "label": label, "popularity": popularity}.items():
            if col is not None and col not in df.columns:
                raise DataError(MSG_COLUMN.format(col, role, ", ".join(map(str, df.columns))))
        sessions = df[session].to_numpy()
        _require_sessions(sessions, f"column {session!r}")
        pop = None
        if popularity is not None:
            pop = _column_array(_numeric_column(df[popularity], popularity), popularity, finite=True)
        return cls(
            sessions,
            _column_array(_numeric_column(df[score], score), score, finite=True),
            _as_labels(df[label].to_numpy(), f"column {label!r}"),
            popularity=pop,
        )

    @classmethod
    def read(cls, path, *, session, score, label, popularity=None):
        """Read a CSV or Parquet file of candidates into a RankingSet."""
        return cls.from_frame(read_table(path), session=session, score=score, label=label, popularity=popularity)

    def __len__(self):
        return len(self.scores)

    @property
    def n_sessions(self):
        """Number of sessions, an int."""
        return int(self.session_codes.max()) + 1

    def by_popularity(self):
        """The same candidates and labels, scored by popularity instead of the model."""
        if self.popularity is None:
            raise DataError(MSG_NO_POPULARITY)
        return RankingSet(self.session_codes, self.popularity, self.labels)

    def __repr__(self):
        return (
            f"RankingSet({self.n_sessions} sessions, {len(self)} candidates, "
            f"{float(self.labels.mean()):.4g} relevant)"
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class RankingModel:
    """Synthetic recommendation candidates: binormal, calibrated scores per candidate.

    Parameters
    ----------
    relevance_rate : float
        Share of candidates the user would click if shown, a fraction in (0, 1).
    auc : float
        How well the model's score separates relevant from irrelevant
        candidates (pooled over sessions), in [0.5, 1).
    n_candidates : int
        Candidates scored per session, >= 1.
    popularity_auc : float, optional
        The same for item popularity, used by the popularity rule; in
        [0.5, 1). None: no popularity column.

    Each candidate is relevant independently with probability
    ``relevance_rate``; its score is the calibrated probability of the
    binormal model (see :class:`BinormalModel`); popularity is
    ``exp(z + d_pop · label)`` with its own independent normal ``z``.
    """

    relevance_rate: float
    auc: float
    n_candidates: int
    popularity_auc: float | None = None

    def __post_init__(self):
        rate = require_real(self.relevance_rate, "relevance_rate", low=0.0, high=1.0, low_open=True, high_open=True)
        object.__setattr__(self, "relevance_rate", rate)
        object.__setattr__(self, "auc", _auc(self.auc, MSG_AUC))
        n = require_whole(self.n_candidates, MSG_N_CANDIDATES.format(self.n_candidates), low=1)
        object.__setattr__(self, "n_candidates", n)
        if self.popularity_auc is not None:
            object.__setattr__(self, "popularity_auc", _auc(self.popularity_auc, MSG_POPULARITY_AUC))

    def sample(self, n_sessions, *, seed):
        """Draw ``n_sessions`` sessions of ``n_candidates`` candidates each.

        Parameters
        ----------
        n_sessions : int
            >= 1.
        seed : int or numpy.random.Generator
            The only source of randomness.

        Returns
        -------
        RankingSet
        """
        n_sessions = require_whole(n_sessions, MSG_N_SESSIONS.format(n_sessions), low=1)
        n = n_sessions * self.n_candidates
        rng = np.random.default_rng(seed)
        labels = rng.random(n) < self.relevance_rate
        model = BinormalModel(self.relevance_rate, self.auc)
        scores = model.probability(rng.standard_normal(n) + model.separation * labels)
        popularity = None
        if self.popularity_auc is not None:
            d_pop = BinormalModel(self.relevance_rate, self.popularity_auc).separation
            popularity = np.exp(rng.standard_normal(n) + d_pop * labels)
        sessions = np.repeat(np.arange(n_sessions), self.n_candidates)
        return RankingSet(sessions, scores, labels, popularity=popularity)


@dataclass(frozen=True, slots=True, kw_only=True)
class RankingValueModel:
    """Money per recommendation shown.

    Parameters
    ----------
    relevant : float
        Currency per relevant item shown (a click), e.g. revenue per click (> 0).
    irrelevant : float
        Currency per irrelevant item shown, e.g. the cost of annoyance and
        lost trust (< 0).
    per_slot : float
        Currency per slot per session that displays the carousel, whether
        or not each of its k slots is filled (< 0): the page space the
        carousel takes from other content. This is what makes a smaller k
        worth choosing.

    Items not shown are worth 0. Value of showing the top k with a minimum
    score, over S sessions: ``relevant * relevant_shown + irrelevant *
    irrelevant_shown + per_slot * k * sessions_displaying``, where
    ``sessions_displaying`` counts the sessions with at least one item at
    or above the minimum score. A session that shows nothing has no
    carousel: it uses no slots (see :func:`slots_used`), so a minimum score
    that shows nothing anywhere (e.g. +inf) is worth 0.
    """

    relevant: float = 0.0
    irrelevant: float = 0.0
    per_slot: float = 0.0

    def __post_init__(self):
        for name in ("relevant", "irrelevant", "per_slot"):
            object.__setattr__(self, name, require_real(getattr(self, name), name))

    def point_value(self, point, *, sessions=None):
        """Value of a :class:`RankingPoint`: total over its sessions, or for ``sessions`` sessions."""
        total = self.relevant * point.relevant_shown + self.irrelevant * point.irrelevant_shown
        total += self.per_slot * slots_used(point.k, point.sessions_displaying)
        if sessions is None:
            return float(total)
        return float(total) * require_real(sessions, "sessions", low=0.0) / point.sessions

    def revenue(self, point, *, sessions=None):
        """Revenue of the clicks of a :class:`RankingPoint` (``relevant * relevant_shown``), before any cost.

        Total over its sessions, or for ``sessions`` sessions (e.g. 1,000).
        """
        total = self.relevant * point.relevant_shown
        if sessions is None:
            return float(total)
        return float(total) * require_real(sessions, "sessions", low=0.0) / point.sessions


def slots_used(k, sessions_displaying):
    """Slots the carousel takes: ``k`` in each session that displays it (shows at least one item).

    ``sessions_displaying`` may be a number or an array (one per
    minimum-score row); the result has its shape. The one rule for
    charging :attr:`RankingValueModel.per_slot`.
    """
    return float(k) * np.asarray(sessions_displaying, dtype=np.float64) if np.ndim(sessions_displaying) \
        else float(k) * float(sessions_displaying)


@dataclass(frozen=True, slots=True, kw_only=True)
class RankingPoint:
    """Everything that showing the top ``k`` with ``score >= min_score`` gives.

    Attributes
    ----------
    k : int
        Slots per page.
    min_score : float
        Minimum score shown (+inf: show nothing; -inf: no minimum).
    sessions : int
        Sessions in the data.
    shown, relevant_shown, irrelevant_shown : float
        Items shown in all sessions, and how many of them are relevant / not.
    precision_at_k, precision_shown, recall_at_k, hit_rate : float
        Fractions in [0, 1] (see module docstring); NaN where undefined.
    shown_per_session : float
        Items shown per session (<= k).
    clicks_per_1000_sessions : float
        Relevant items shown per 1,000 sessions.
    sessions_displaying : float
        Sessions with at least one item shown (the carousel appears), a
        count in [0, sessions]; the slot cost is charged in these only.
    """

    k: int
    min_score: float
    sessions: int
    shown: float
    relevant_shown: float
    irrelevant_shown: float
    precision_at_k: float
    precision_shown: float
    recall_at_k: float
    hit_rate: float
    shown_per_session: float
    clicks_per_1000_sessions: float
    sessions_displaying: float

    def to_dict(self):
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class _KCurve:
    thresholds: np.ndarray  # decreasing, [0] = +inf
    shown: np.ndarray
    relevant: np.ndarray
    recall_sum: np.ndarray
    hits: np.ndarray
    displaying: np.ndarray  # sessions whose best-ranked candidate is shown
    displaying_relevant: np.ndarray  # ... and that candidate is relevant
    view: ThresholdCurve  # the same rows as a threshold curve (tp = relevant shown, fp = irrelevant shown)


@dataclass(frozen=True, slots=True, eq=False)
class RankingCurve:
    """Counts at every (k, minimum score), from one sort of the candidates.

    Build with :meth:`from_ranking`. For each ``k`` in 1 … ``k_max`` the rows
    are the distinct scores among the top-k candidates of every session, in
    decreasing order, after a first ``+inf`` row that shows nothing; row
    ``i`` shows every top-k candidate with ``score >= thresholds(k)[i]``.

    Attributes
    ----------
    k_max : int
    sessions : int
        Number of sessions.
    sessions_with_relevant : int
        Sessions with at least one relevant candidate.
    """

    k_max: int
    sessions: int
    sessions_with_relevant: int
    _curves: tuple

    @classmethod
    def from_ranking(cls, ranking_set, *, k_max=10):
        """Sweep every ``k`` in 1 … ``k_max`` and every minimum score.

        Parameters
        ----------
        ranking_set : RankingSet
        k_max : int
            Largest number of slots considered, >= 1.
        """
        if not isinstance(ranking_set, RankingSet):
            raise TypeError(f"ranking_set must be a RankingSet; found {type(ranking_set).__name__}")
        k_max = require_whole(k_max, MSG_K_MAX.format(k_max), low=1)
        codes, scores, labels = ranking_set.session_codes, ranking_set.scores, ranking_set.labels
        n = len(scores)
        S = ranking_set.n_sessions
        # Sort by session, then score descending, then row: the rank of each candidate.
        order = np.lexsort((np.arange(n), -scores, codes))
        sc = codes[order]
        starts = np.flatnonzero(np.r_[True, sc[1:] != sc[:-1]])
        first = np.repeat(starts, np.diff(np.r_[starts, n]))
        rank = np.empty(n, dtype=np.int64)
        rank[order] = np.arange(n) - first
        rel_per_session = np.bincount(codes, weights=labels.astype(np.float64), minlength=S)
        with np.errstate(divide="ignore"):
            recall_weight = np.where(labels, 1.0 / rel_per_session[codes], 0.0)
        # The session's best-ranked relevant candidate makes the hit.
        big = np.iinfo(np.int64).max
        best_rel_rank = np.full(S, big)
        np.minimum.at(best_rel_rank, codes[labels], rank[labels])
        is_hit = labels & (rank == best_rel_rank[codes])
        # A session displays the carousel when its best-ranked candidate is shown.
        is_first = rank == 0
        curves = []
        for k in range(1, k_max + 1):
            top = rank < k
            s = scores[top]
            o = np.argsort(-s, kind="stable")
            s = s[o]
            cols = [np.ones(len(s)), labels[top][o].astype(np.float64), recall_weight[top][o],
                    is_hit[top][o].astype(np.float64), is_first[top][o].astype(np.float64),
                    (is_first & labels)[top][o].astype(np.float64)]
            last = np.flatnonzero(np.r_[s[1:] != s[:-1], True]) if len(s) else np.array([], dtype=np.int64)
            sums = [np.r_[0.0, np.cumsum(c)[last]] for c in cols]
            thresholds = np.r_[np.inf, s[last]]
            view = ThresholdCurve(thresholds=thresholds, tp=sums[1], fp=sums[0] - sums[1],
                                  positives=float(sums[1][-1]), negatives=float(sums[0][-1] - sums[1][-1]))
            curves.append(_KCurve(
                thresholds=view.thresholds, shown=readonly(sums[0]), relevant=view.tp,
                recall_sum=readonly(sums[2]), hits=readonly(sums[3]), displaying=readonly(sums[4]),
                displaying_relevant=readonly(sums[5]), view=view,
            ))
        return cls(k_max, S, int((rel_per_session > 0).sum()), tuple(curves))

    def thresholds(self, k):
        """Decreasing minimum-score rows for ``k`` slots; element 0 is +inf (show nothing)."""
        return self._curve(k).thresholds

    def _curve(self, k):
        return self._curves[require_whole(k, MSG_K.format(self.k_max, k), low=1, high=self.k_max) - 1]

    def point(self, k, min_score=-math.inf):
        """The :class:`RankingPoint` of showing the top ``k`` with ``score >= min_score``."""
        c = self._curve(k)
        try:
            m = float(min_score)
        except (TypeError, ValueError):
            raise ParameterError(MSG_MIN_SCORE.format(min_score)) from None
        if math.isnan(m):
            raise ParameterError(MSG_MIN_SCORE.format(min_score))
        # The threshold curve's row search: the last row whose threshold is >= min_score.
        return self._point(int(k), m, c, c.view.index_at(m))

    def _point(self, k, min_score, c, i):
        S = self.sessions
        shown, rel = float(c.shown[i]), float(c.relevant[i])
        R = self.sessions_with_relevant
        return RankingPoint(
            k=k,
            min_score=min_score,
            sessions=S,
            shown=shown,
            relevant_shown=rel,
            irrelevant_shown=shown - rel,
            precision_at_k=rel / (k * S),
            precision_shown=rel / shown if shown else math.nan,
            recall_at_k=float(c.recall_sum[i]) / R if R else math.nan,
            hit_rate=float(c.hits[i]) / S,
            shown_per_session=shown / S,
            clicks_per_1000_sessions=1000.0 * rel / S,
            sessions_displaying=float(c.displaying[i]),
        )

    def metric(self, k, name):
        """Array of metric ``name`` at every row of ``thresholds(k)`` (see :class:`RankingPoint`)."""
        c = self._curve(k)
        S, R = self.sessions, self.sessions_with_relevant
        with np.errstate(divide="ignore", invalid="ignore"):
            table = {
                "shown": c.shown,
                "relevant_shown": c.relevant,
                "irrelevant_shown": c.shown - c.relevant,
                "precision_at_k": c.relevant / (int(k) * S),
                "precision_shown": np.where(c.shown > 0, c.relevant / np.where(c.shown > 0, c.shown, 1), np.nan),
                "recall_at_k": c.recall_sum / R if R else np.full(len(c.shown), np.nan),
                "hit_rate": c.hits / S,
                "shown_per_session": c.shown / S,
                "clicks_per_1000_sessions": 1000.0 * c.relevant / S,
                "sessions_displaying": c.displaying,
            }
        if name not in table:
            raise ParameterError(f"metric must be one of {', '.join(table)}; found {name!r}")
        return np.asarray(table[name], dtype=np.float64)

    def threshold_curve(self, k, *, with_slots=False):
        """The minimum-score choice at fixed ``k`` as a :class:`ThresholdCurve`.

        Cases are the top-k candidates of every session: ``tp`` = relevant
        items shown, ``fp`` = irrelevant items shown, so the threshold tools
        (optimize, the explorer) apply to the minimum score. Recall on this
        curve is the share of relevant top-k candidates shown (not recall@k).
        The curve is built once per k and shared (it is immutable).

        Parameters
        ----------
        k : int
        with_slots : bool
            False (default): no amounts. True: each session's best-ranked
            candidate has amount ``k`` and every other candidate 0, so the
            flagged amount at a row is the slots the carousel takes there
            (``k`` × sessions displaying); a value model with ``tp_amount =
            fp_amount = per_slot`` then charges the slot cost exactly as
            :class:`RankingValueModel` does.
        """
        c = self._curve(k)
        if not with_slots:
            return c.view
        k = int(k)
        rel, irr = c.displaying_relevant, c.displaying - c.displaying_relevant
        return ThresholdCurve(thresholds=c.view.thresholds, tp=c.view.tp, fp=c.view.fp,
                              positives=c.view.positives, negatives=c.view.negatives,
                              tp_amount=k * rel, fp_amount=k * irr,
                              positive_amount=float(k * rel[-1]), negative_amount=float(k * irr[-1]))

    def to_frame(self):
        """Every (k, minimum score) row as a DataFrame, with every metric."""
        frames = []
        for k in range(1, self.k_max + 1):
            data = {"k": k, "min_score": self.thresholds(k)}
            for name in RankingPoint.__dataclass_fields__:
                if name not in ("k", "min_score", "sessions"):
                    data[name] = self.metric(k, name)
            frames.append(pd.DataFrame(data))
        return pd.concat(frames, ignore_index=True)

    def __repr__(self):
        return f"RankingCurve(k 1…{self.k_max}, {self.sessions} sessions)"


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class RankingDecision:
    """The chosen number of slots and minimum score, with the reasons.

    Attributes
    ----------
    k : int
        Items per page.
    min_score : float
        Show only candidates with ``score >= min_score`` (+inf: show nothing).
    point : RankingPoint
    value : float
        Value at the choice: currency per period when ``sessions`` was given,
        otherwise in total over the curve's sessions.
    value_per_1000_sessions : float
        Currency per 1,000 sessions.
    revenue_per_1000_sessions : float
        Revenue of the clicks per 1,000 sessions (``relevant`` × clicks),
        before annoyance and slot costs: currency per 1,000 sessions, >= 0
        when clicks are worth money.
    unconstrained_value : float
        Best value without constraints (same units as ``value``).
    constraints : mapping
        Name -> bound, read-only.
    binding : tuple of str
        Constraints without which a better choice exists.
    by_k : pandas.DataFrame
        The best feasible minimum score for each k: k, min_score, value,
        value_per_1000_sessions, revenue_per_1000_sessions and every metric
        (NaN row when infeasible).
    sessions : float or None
        Sessions per period used to scale ``value``.
    curve, value_model
        The inputs.
    period, currency : str or None
        Labels of the period ``sessions`` counts (``"month"``) and of the
        money unit, for charts and text; None: not said.
    """

    k: int
    min_score: float
    point: RankingPoint
    value: float
    value_per_1000_sessions: float
    unconstrained_value: float
    constraints: types.MappingProxyType
    binding: tuple
    by_k: pd.DataFrame
    sessions: float | None
    curve: RankingCurve
    value_model: RankingValueModel
    period: str | None = None
    currency: str | None = None
    revenue_per_1000_sessions: float = math.nan

    @property
    def threshold(self):
        """Alias of :attr:`min_score`, so that a ranking decision reads like a threshold one."""
        return self.min_score

    def to_dict(self):
        """Plain-Python summary (for JSON): k, min_score, value and the metrics."""
        out = {"k": self.k, "min_score": self.min_score, "value": self.value,
               "value_per_1000_sessions": self.value_per_1000_sessions,
               "revenue_per_1000_sessions": self.revenue_per_1000_sessions}
        out.update({k: v for k, v in self.point.to_dict().items() if k not in ("k", "min_score")})
        out["volume"] = self.sessions
        for label in ("period", "currency"):
            if getattr(self, label) is not None:
                out[label] = getattr(self, label)
        out["unconstrained_value"] = self.unconstrained_value
        out["constraints"] = dict(self.constraints)
        out["binding"] = list(self.binding)
        return out


def ranking_values(curve, value_model, k, *, sessions=None):
    """Value at every row of ``curve.thresholds(k)``: total, or per ``sessions`` sessions."""
    rel = curve.metric(k, "relevant_shown")
    irr = curve.metric(k, "irrelevant_shown")
    total = value_model.relevant * rel + value_model.irrelevant * irr
    total += value_model.per_slot * slots_used(int(k), curve.metric(k, "sessions_displaying"))
    scale = 1.0 if sessions is None else sessions / curve.sessions
    return total * scale


def optimize_ranking(curve, value_model, *, min_precision=None, min_hit_rate=None, min_recall=None,
                     sessions=None, k_values=None, period=None, currency=None):
    """The (k, minimum score) with the highest value among those meeting every constraint.

    Parameters
    ----------
    curve : RankingCurve
    value_model : RankingValueModel
    min_precision : float, optional
        Lowest acceptable ``precision_shown`` (share of shown items that are
        relevant), in [0, 1].
    min_hit_rate, min_recall : float, optional
        Lowest acceptable hit rate / recall@k, in [0, 1].
    sessions : float, optional
        Sessions per period; values are then currency per period.
    k_values : iterable of int, optional
        The k to consider (default 1 … ``curve.k_max``).
    period, currency : str, optional
        Labels stored on the decision (e.g. ``"month"``, ``"USD"``), as in
        :func:`aipm_sim.optimize`.

    Returns
    -------
    RankingDecision
        Ties go to the smallest k, then the highest minimum score.

    Raises
    ------
    ConstraintError
        When no (k, minimum score) meets every constraint.
    """
    if not isinstance(curve, RankingCurve):
        raise TypeError(f"curve must be a RankingCurve; found {type(curve).__name__}")
    if not isinstance(value_model, RankingValueModel):
        raise TypeError(f"value_model must be a RankingValueModel; found {type(value_model).__name__}")
    given = {"min_precision": min_precision, "min_hit_rate": min_hit_rate, "min_recall": min_recall}
    bounds = {}
    for name, bound in given.items():
        if bound is not None:
            low, high = RANKING_CONSTRAINTS[name][1]
            bounds[name] = require_real(bound, name, low=low, high=high)
    if sessions is not None:
        sessions = require_real(sessions, "sessions", low=0.0, low_open=True)
    period = _label(period, "period", "month")
    currency = _label(currency, "currency", "USD")
    ks = list(range(1, curve.k_max + 1)) if k_values is None else [
        require_whole(k, MSG_K.format(curve.k_max, k), low=1, high=curve.k_max) for k in k_values]
    values = {k: ranking_values(curve, value_model, k, sessions=sessions) for k in ks}  # once per k

    def feasible_mask(k, names):
        ok = np.ones(len(curve.thresholds(k)), dtype=bool)
        for name in names:
            metric = curve.metric(k, RANKING_CONSTRAINTS[name][0])
            b = bounds[name]
            with np.errstate(invalid="ignore"):
                ok &= metric >= b - TOLERANCE * max(1.0, abs(b))
        return ok

    def best_over(names):
        best = None
        for k in ks:
            vals = values[k]
            ok = feasible_mask(k, names)
            if ok.any():
                i = int(np.argmax(np.where(ok, vals, -np.inf)))
                if best is None or vals[i] > best[2]:
                    best = (k, i, float(vals[i]))
        return best

    best = best_over(list(bounds))
    if best is None:
        for name in bounds:
            if best_over([name]) is None:
                metric = RANKING_CONSTRAINTS[name][0]
                reach = max(float(np.nanmax(np.r_[curve.metric(k, metric), -np.inf])) for k in ks)
                raise ConstraintError(
                    MSG_RANKING_INFEASIBLE.format(f"{name}={bounds[name]:g}", metric, f"{reach:.4g}"))
        said = ", ".join(f"{n}={b:g}" for n, b in bounds.items())
        raise ConstraintError(MSG_RANKING_JOINT.format(said))
    k, i, value = best
    # Every (k, min score) row at once, so that binding means what it means for thresholds
    # (optimize.binding_constraints): two constraints that bind together are both listed.
    all_values = np.concatenate([values[kk] for kk in ks])
    masks = {name: np.concatenate([feasible_mask(kk, [name]) for kk in ks]) for name in bounds}
    binding = binding_constraints(all_values, masks, value)
    unconstrained = best_over([])[2]
    rows = []
    for kk in ks:
        vals = values[kk]
        ok = feasible_mask(kk, list(bounds))
        if ok.any():
            j = int(np.argmax(np.where(ok, vals, -np.inf)))
            p = curve._point(kk, float(curve.thresholds(kk)[j]), curve._curve(kk), j)
            row = p.to_dict()
            row["value"] = float(vals[j])
        else:
            row = {"k": kk, "min_score": math.nan, "value": math.nan}
        rows.append(row)
    by_k = pd.DataFrame(rows)
    point = curve._point(k, float(curve.thresholds(k)[i]), curve._curve(k), i)
    per_1000 = value_model.point_value(point, sessions=1000.0)
    points = [None if math.isnan(r["value"]) else RankingPoint(**{f: r[f] for f in RankingPoint.__dataclass_fields__})
              for r in rows]
    by_k["value_per_1000_sessions"] = [math.nan if q is None else value_model.point_value(q, sessions=1000.0)
                                       for q in points]
    by_k["revenue_per_1000_sessions"] = [math.nan if q is None else value_model.revenue(q, sessions=1000.0)
                                         for q in points]
    first = ["k", "min_score", "value", "value_per_1000_sessions", "revenue_per_1000_sessions"]
    by_k = by_k[first + [c for c in by_k.columns if c not in first]]
    return RankingDecision(
        k=k,
        min_score=point.min_score,
        point=point,
        value=value,
        value_per_1000_sessions=per_1000,
        unconstrained_value=unconstrained,
        constraints=types.MappingProxyType(dict(bounds)),
        binding=tuple(binding),
        by_k=by_k,
        sessions=sessions,
        curve=curve,
        value_model=value_model,
        period=period,
        currency=currency,
        revenue_per_1000_sessions=value_model.revenue(point, sessions=1000.0),
    )


def _auc(value, message):
    """An AUC in [0.5, 1) as float, or ParameterError(``message``)."""
    try:
        a = float(value)
    except (TypeError, ValueError):
        raise ParameterError(message.format(value)) from None
    if not 0.5 <= a < 1.0:
        raise ParameterError(message.format(value))
    return a


def _require_sessions(sessions, name):
    """Every row must name a session: None, NaN and pandas' missing values are refused."""
    missing = np.asarray(pd.isna(sessions), dtype=bool)
    if missing.any():
        idx = np.flatnonzero(missing)
        raise DataError(MSG_SESSION_MISSING.format(name, plain(sessions[idx[0]]), idx.size, data_row(idx[0])))
