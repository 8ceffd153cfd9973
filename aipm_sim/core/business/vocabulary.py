"""The words of a decision: what a case, a flag, a positive and each outcome are called.

A fraud team reviews *alerts*; a shop shows *impressions*; a lender declines
*applications*; a clinic refers *patients*. Every surface (explorer cards,
chart labels, report lines) takes its words from a :class:`Vocabulary`, which
a scenario file sets in its ``[vocabulary]`` table::

    [vocabulary]
    cases = "candidate items"
    flagged = "shown"
    alerts = "impressions shown"
    positives = "relevant items"

Keys left out keep the generic words (``Vocabulary()``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from ..errors import ParameterError

__all__ = ["Vocabulary"]

MSG_WORD = "vocabulary.{} must be a non-empty string; found {!r}"
MSG_UNKNOWN_WORD = "unknown vocabulary key {!r}; keys are: {}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Vocabulary:
    """Names a reader knows, for the things a threshold decides about.

    Attributes
    ----------
    case, cases : str
        One scored thing and many ("order", "orders").
    flagged : str
        What happens to a case at or above the threshold, as a participle
        ("held for review", "shown", "declined", "referred").
    alerts : str
        The flagged cases as a count ("alerts", "impressions shown").
    alert_rate : str
        The share of cases flagged ("alert rate", "share shown").
    positives, negatives : str
        Cases of each true class ("fraudulent orders", "good orders").
    tp, fp, fn, tn : str
        The four outcomes: a positive flagged, a negative flagged, a
        positive not flagged, a negative not flagged.
    """

    case: str = "case"
    cases: str = "cases"
    flagged: str = "flagged"
    alerts: str = "alerts"
    alert_rate: str = "alert rate"
    positives: str = "positives"
    negatives: str = "negatives"
    tp: str = "caught positive"
    fp: str = "false alarm"
    fn: str = "missed positive"
    tn: str = "rightly left alone"

    def __post_init__(self):
        for f in dataclasses.fields(self):
            word = getattr(self, f.name)
            if not isinstance(word, str) or not word.strip():
                raise ParameterError(MSG_WORD.format(f.name, word))

    @classmethod
    def from_mapping(cls, words=None):
        """A Vocabulary from a mapping of some of its keys (None or empty: the generic words).

        A :class:`Vocabulary` is returned as it is.
        """
        if words is None:
            return cls()
        if isinstance(words, cls):
            return words
        known = cls.keys()
        for key in words:
            if key not in known:
                raise ParameterError(MSG_UNKNOWN_WORD.format(key, ", ".join(known)))
        return cls(**dict(words))

    @classmethod
    def keys(cls):
        """The names of the words, in order."""
        return tuple(f.name for f in dataclasses.fields(cls))

    def to_dict(self):
        """The words that differ from the generic ones (what a scenario file's ``[vocabulary]`` holds)."""
        generic = Vocabulary()
        return {k: getattr(self, k) for k in self.keys() if getattr(self, k) != getattr(generic, k)}

    def cell(self, name):
        """The words of outcome ``name`` (``'tp'``, ``'fp'``, ``'fn'``, ``'tn'``)."""
        return getattr(self, name)
