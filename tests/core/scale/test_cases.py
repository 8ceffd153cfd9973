"""curve_cases: the weighted cases whose curve is the given curve (oracle: the in-memory curve of the original rows)."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

import aipm_sim as am
from aipm_sim.core.scale.cases import curve_cases

from .conftest import scored_rows

ROLES = {"score": "score", "label": "fraud", "amount": "amount", "weight": "weight"}


@pytest.mark.parametrize("grid", [None, 12, [0.2, 0.5, 0.9]])
@pytest.mark.parametrize("roles", [ROLES, {"score": "score", "label": "fraud"}], ids=["weighted", "plain"])
def test_the_cases_have_the_curve(grid, roles):
    rows = scored_rows(2000, seed=3)
    curve = am.ThresholdCurve.from_scores(am.ScoreSet.from_frame(rows, **roles), grid=grid)
    cases = curve_cases(curve)
    assert (cases["weight"] > 0).all()
    again = am.ThresholdCurve.from_scores(am.ScoreSet.from_frame(
        cases, score="score", label="label", weight="weight", amount="amount" if curve.has_amounts else None))
    m = len(curve)
    # the same thresholds (explicit edges above the lowest score: one more row below, flagging the rest)
    assert_array_equal(again.thresholds[:m], curve.thresholds)
    assert len(again) == m + (grid is not None and not isinstance(grid, int))
    for name in ("tp", "fp") + (("tp_amount", "fp_amount") if curve.has_amounts else ()):
        assert_allclose(getattr(again, name)[:m], getattr(curve, name), rtol=1e-12)
    assert again.positives == pytest.approx(curve.positives, rel=1e-12)
    assert again.negatives == pytest.approx(curve.negatives, rel=1e-12)
    assert np.isfinite(cases["score"]).all()
