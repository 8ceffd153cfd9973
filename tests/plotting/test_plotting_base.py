"""Row selection for drawing and the words and numbers on the pictures."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from aipm_sim.plotting._base import (
    compact_money,
    get_axes,
    period_words,
    money_label,
    select_rows,
)


def test_small_curves_are_drawn_in_full():
    x = np.array([np.inf, 3.0, 2.0, 1.0])
    assert select_rows([x], 10).tolist() == [1, 2, 3]  # +inf is never drawn
    assert select_rows([x], None).tolist() == [1, 2, 3]


def test_nan_rows_are_never_selected():
    x = np.array([0.0, np.nan, 0.5, 1.0])
    assert select_rows([x], 10).tolist() == [0, 2, 3]


@given(
    m=st.integers(min_value=50, max_value=3000),
    max_points=st.integers(min_value=10, max_value=400),
    keep=st.lists(st.integers(min_value=0, max_value=3000), max_size=5),
    power=st.floats(min_value=0.2, max_value=5.0),
)
def test_thinned_rows_follow_each_coordinate(m, max_points, keep, power):
    # Two monotone coordinates, one steep where the other is flat (like threshold and recall).
    u = np.linspace(0.0, 1.0, m)
    a, b = u ** power, 1.0 - (1.0 - u) ** (1.0 / power)
    rows = select_rows([a[::-1], b], max_points, keep=keep)
    assert np.all(np.diff(rows) > 0)
    assert rows[0] == 0 and rows[-1] == m - 1
    assert set(k for k in keep if k < m) <= set(rows.tolist())
    if m <= max_points:
        assert rows.tolist() == list(range(m))
        return
    assert rows.size <= max_points + len(keep) + 2
    per = max(2, max_points // 3)
    # No coordinate has a gap larger than one grid step between drawn rows (up to one row's own jump).
    for c in (a[::-1], b):
        jump = np.abs(np.diff(c)).max()
        gaps = np.abs(np.diff(c[rows]))
        assert gaps.max() <= (abs(c[-1] - c[0]) / (per - 1)) + jump + 1e-12


@pytest.mark.parametrize(
    "x, text",
    [(-12_000.0, "\N{MINUS SIGN}12k"), (1_500_000.0, "1.5M"), (250.0, "250"), (0.0, "0"), (2.5e9, "2.5G")],
)
def test_compact_money_ticks(x, text):
    assert compact_money(x) == text


def test_money_label_has_units():
    assert money_label(10_000, "day", "EUR") == "value per day (EUR)"
    assert money_label(None, "day", "EUR") == "total value of the data's cases (EUR)"
    # Units nobody named are not guessed.
    assert money_label(10_000, None, None) == "value per period (currency)"
    assert period_words(10_000, None) == "per period" and period_words(None, "day") == "in the data"


def test_get_axes_makes_a_figure_of_the_size_asked_or_uses_the_axes_given(ax):
    assert get_axes(ax, "test") is ax
    new = get_axes(None, "test", figsize=(3.0, 2.0))
    assert tuple(new.figure.get_size_inches()) == (3.0, 2.0)
