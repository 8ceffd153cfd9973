"""The one number format (aipm_sim._format): money, counts, shares, thresholds and CSV floats.

Expected texts are written by hand from the rules in the module's docstring; the property
tests read each text back and compare it with the number given (an independent parse).
"""

import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aipm_sim import _format as f
from aipm_sim.plotting import _base
from aipm_sim.report import _analysis

M = "\N{MINUS SIGN}"


@pytest.mark.parametrize(
    ("x", "currency", "signed", "text"),
    [
        (0.0, "EUR", True, "0 EUR"),            # "+0.00 EUR" was the old text
        (0.001, "EUR", True, "0 EUR"),          # rounds to zero: no sign, no decimals
        (-0.004, "EUR", False, "0 EUR"),
        (71.0, "EUR", True, "+71 EUR"),         # "+71.0" beside "−883" was the old text
        (-883.4, "EUR", False, f"{M}883 EUR"),
        (24_577.2, "EUR", False, "24,577 EUR"),
        (24_577.2, "EUR", True, "+24,577 EUR"),
        (-2_500_000, None, False, f"{M}2,500,000"),
        (86.08, "", False, "86"),
        (5.0, None, False, "5"),                # a review costing 5 is 5, not 5.00
        (4.345, None, False, "4.35") if f"{4.345:.2f}" == "4.35" else (4.355, None, False, f"{4.355:.2f}"),
        (-0.5, "EUR", False, f"{M}0.50 EUR"),
        (9.996, None, False, "10"),
        (math.nan, "EUR", False, "undefined"),
        (math.inf, "EUR", False, "undefined"),
        (None, "EUR", True, "undefined"),
    ],
)
def test_money(x, currency, signed, text):
    assert f.fmt_money(x, currency, signed=signed) == text


def test_signed_money_is_money_with_the_plus():
    assert f.fmt_signed_money(74_166.3, "EUR") == "+74,166 EUR"
    assert f.fmt_signed_money(-25_886, "EUR") == f"{M}25,886 EUR"
    assert f.fmt_signed_money(0.0, "EUR") == "0 EUR"


@pytest.mark.parametrize(
    ("x", "text"),
    [(12345.0, "12,345"), (3.0, "3"), (47.98, "48"), (51.987, "52"), (12.5, "12.5"), (0.372, "0.37"),
     (99.97, "100"), (0.996, "1"), (764.6, "765"), (4315.54, "4,316"), (math.nan, "undefined"),
     (None, "undefined"), (9.765e-13, "0"), (0.004, "0"), (0.006, "0.006"), (-3.0, f"{M}3")],
)
def test_count(x, text):
    assert f.fmt_count(x) == text


@pytest.mark.parametrize(
    ("x", "text"),
    [(0.453, "45.3%"), (0.0312, "3.12%"), (0.00012, "0.012%"), (0.0, "0.0%"), (1.0, "100.0%"),
     (math.nan, "undefined"), (5.4e-16, "<0.01%"), (0.0001, "0.01%"), (-0.05, f"{M}5.00%"),
     (-1e-9, f"{M}<0.01%")],
)
def test_percent(x, text):
    assert f.fmt_percent(x) == text


@pytest.mark.parametrize(
    ("x", "text"),
    [(20000.0, "20,000"), (0.0312345, "0.03123"), (-1.5, f"{M}1.5"), (1.23456, "1.235"), (math.inf, "+∞"),
     (-math.inf, f"{M}∞"), (math.nan, "undefined"), (None, "undefined"), (0.0, "0"), (3, "3"),
     (1.5e-7, "0.00000015"), (12345.6, "12,346")],
)
def test_number(x, text):
    assert f.fmt_number(x) == text


def test_threshold():
    assert f.fmt_threshold(0.031234) == "0.03123"
    assert f.fmt_threshold(math.inf) == "above every score"
    assert f.fmt_threshold(math.inf, infinite="flag nothing") == "flag nothing"
    assert f.fmt_threshold(math.nan) == "undefined"


@pytest.mark.parametrize(
    ("x", "currency", "text"),
    [(-12_000.0, "", f"{M}12k"), (1_500_000.0, "EUR", "1.5M EUR"), (-0.5, "EUR", f"{M}0.5 EUR"),
     (math.nan, "EUR", "undefined"), (None, "", "undefined"), (999.0, "", "999"), (1000.0, "", "1k"),
     (2.5e9, None, "2.5G"), (-0.0, None, "0")],
)
def test_compact_money(x, currency, text):
    assert f.fmt_compact_money(x, currency) == text


@pytest.mark.parametrize(("x", "text"), [(0.9763, "0.9763"), (0.1 + 0.2, "0.30000000000000004"), (1.0, "1.0"),
                                         (math.inf, "inf")])
def test_shortest_round_trip(x, text):
    assert f.shortest(x) == text and float(text) == x


def _read_back(text):
    """Parse a formatted number back (independent of the formatter): drop separators, unit, sign words."""
    body = text.split(" ")[0].replace(",", "").replace(M, "-").rstrip("%")
    return float(body)


finite = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False)


@given(finite, st.booleans())
def test_money_reads_back_within_its_rounding(x, signed):
    text = f.fmt_money(x, "EUR", signed=signed)
    assert "-" not in text and "e" not in text.split()[0]
    step = 1.0 if abs(x) >= 9.995 else 0.01
    assert abs(_read_back(text) - x) <= step / 2 + 1e-9 * abs(x)
    assert text.startswith("+") == (signed and text != "0 EUR" and x > 0)


@given(finite)
def test_count_reads_back_within_its_rounding(x):
    text = f.fmt_count(x)
    assert "-" not in text and "e" not in text
    assert abs(_read_back(text) - x) <= max(0.05, 0.5 if abs(x) >= 99.95 else 0.05, 0.005 * abs(x)) + 1e-9


@given(st.floats(min_value=-1, max_value=2, allow_nan=False))
def test_percent_reads_back(x):
    text = f.fmt_percent(x)
    assert text.endswith("%") and "-" not in text and "e" not in text
    if "<" not in text:
        assert abs(_read_back(text) / 100 - x) <= max(0.0005, 0.01 * abs(x))


def test_every_floor_uses_the_same_functions():
    # One formatter: plotting and the report re-export it rather than keep copies.
    assert _base.fmt_money is f.fmt_money and _base.fmt_count is f.fmt_count
    assert _base.fmt_fraction is f.fmt_percent and _analysis.fmt_percent is f.fmt_percent
    assert _analysis.fmt_money is f.fmt_money and _analysis.fmt_count is f.fmt_count
    assert _analysis.fmt_number is f.fmt_number


def test_the_format_module_imports_no_floor():
    with open(f.__file__, encoding="utf-8") as fh:
        source = fh.read()
    assert not re.search(r"^\s*(from|import) (\.|aipm_sim|matplotlib|ipywidgets|IPython)", source, re.M)


# -- stated levels, tick labels, ranges that read apart, descriptions mid-sentence -------------------

@pytest.mark.parametrize("x, text", [
    (0.9, "90%"), (0.95, "95%"), (0.975, "97.5%"), (0.999, "99.9%"), (0.05, "5%"), (0.8, "80%"),
    (0.025, "2.5%"), (0.9999, "99.99%"), (1.0, "100%"), (0.0, "0%"), (None, "undefined"), (math.nan, "undefined"),
])
def test_level_is_the_shortest_exact_percentage(x, text):
    assert f.fmt_level(x) == text


@given(st.integers(min_value=0, max_value=10_000))
def test_level_reads_back_exactly(k):
    x = k / 10_000  # a level with at most two decimals in percent
    text = f.fmt_level(x)
    assert float(text.rstrip("%")) / 100 == pytest.approx(x, abs=1e-12)
    assert not text.rstrip("%").endswith(".0") and ".00" not in text


@pytest.mark.parametrize("x, text", [(0.0, "0%"), (0.2, "20%"), (1.0, "100%"), (0.025, "2.5%"), (0.453, "45.3%")])
def test_percent_tick_has_the_house_style(x, text):
    from aipm_sim.plotting._base import percent_tick

    assert percent_tick(x, 0) == f.fmt_percent_tick(x) == text
    assert " %" not in text


@pytest.mark.parametrize("low, high, kind, text", [
    (0.06536457102, 0.06536457102, "threshold", "unchanged (0.06536)"),
    (0.0653641, 0.0653644, "threshold", "0.0653641 to 0.0653644"),
    (0.05969, 0.142, "threshold", "0.05969 to 0.142"),
    (-180_079.2, -180_079.4, "money", f"{M}180,079.20 to {M}180,079.40"),
    (-106_282.4, -357_706.6, "money", f"{M}106,282 to {M}357,707"),
    (0.12341, 0.12342, "percent", "12.341% to 12.342%"),
    (20_000.0, 20_000.0, "number", "unchanged (20,000)"),
])
def test_pair_reads_apart_or_says_unchanged(low, high, kind, text):
    assert f.fmt_pair(low, high, kind) == text


@given(st.floats(min_value=1e-6, max_value=1.0), st.floats(min_value=1e-9, max_value=1e-3))
def test_pair_of_different_thresholds_never_reads_the_same(x, gap):
    a, _, b = f.fmt_pair(x, x * (1 + gap), "threshold").partition(" to ")
    assert b and a != b


@pytest.mark.parametrize("low, high, unit, currency, text", [
    (0.0015, 0.006, "fraction of orders", "EUR", "0.15% to 0.6% of orders"),
    (90, 200, "EUR per order", "EUR", "90 to 200 EUR per order"),
    (100_000, 250_000, "EUR, one-off", "EUR", "100,000 to 250,000 EUR, one-off"),
    (12_000, 30_000, "orders per day", "EUR", "12,000 to 30,000 orders per day"),
    (0.92, 0.97, "AUC", "EUR", "0.92 to 0.97 AUC"),
])
def test_parameter_range_speaks_its_unit(low, high, unit, currency, text):
    assert f.fmt_parameter_range(low, high, unit, currency) == text


@pytest.mark.parametrize("text, out", [
    ("Share of orders that are fraudulent", "share of orders that are fraudulent"),
    ("A fraud caught", "a fraud caught"),
    ("EUR per order", "EUR per order"), ("AUC of the model", "AUC of the model"), ("F1 at the best", "F1 at the best"),
    ("already lower", "already lower"), ("", ""), ("I said", "I said"), ("McDonald's orders", "McDonald's orders"),
])
def test_lower_first_keeps_acronyms(text, out):
    assert f.lower_first(text) == out


def test_report_notebook_and_cli_share_lower_first():
    from aipm_sim import notebook
    from aipm_sim.report import _analysis

    assert notebook._lower_first is f.lower_first and _analysis.lower_first is f.lower_first


def test_upper_first_keeps_acronyms_further_on():
    assert f.upper_first("model AUC of the fraud score") == "Model AUC of the fraud score"
    assert f.upper_first("cost in EUR") == "Cost in EUR" != "cost in EUR".capitalize()
    assert f.upper_first("") == ""
    assert f.upper_first(f.lower_first("Share of orders")) == "Share of orders"
