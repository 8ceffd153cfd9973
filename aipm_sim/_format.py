"""Numbers for people: one format for counts, money, shares and thresholds.

Every surface — explorer cards, chart labels, report tables, notebook tables
and CLI text — writes its numbers through these functions, so the same
number reads the same everywhere::

    >>> fmt_money(-883.4, "EUR")
    '−883 EUR'
    >>> fmt_money(71.0, "EUR", signed=True)
    '+71 EUR'
    >>> fmt_money(0.001, "EUR", signed=True)
    '0 EUR'
    >>> fmt_count(47.98)
    '48'
    >>> fmt_percent(0.453)
    '45.3%'
    >>> fmt_level(0.9)
    '90%'

The rules
---------
- Thousands are separated with a comma (``12,345``); negative numbers carry a
  true minus sign (``−``, U+2212), never a hyphen.
- Money: whole units from 10 up (``−883``, ``71``, ``24,577``); below 10 two
  decimals (``4.35``, ``0.50``), whole when it is whole (``5``). An amount
  that rounds to zero is ``0``, without a sign or decimals. ``signed=True``
  writes ``+`` before a gain (for differences: "+74,166 EUR compared with …").
- Counts (cases, alerts, expected counts per period): whole from 100 up; one
  decimal below 100 with a trailing ``.0`` dropped (``48``, ``12.5``); two
  significant digits below 1 (``0.37``); fewer than 0.005 cases are ``0``
  (an analytic curve's 1e-13 cases are nobody's cases).
- Shares (a fraction in [0, 1], written as a percentage): ``45.3%``,
  ``3.12%``, ``0.012%``; a share below 0.01 % but not zero is ``<0.01%``.
- Stated levels (a confidence, a power, a significance level, a share of
  resamples: numbers someone chose, not measured): the shortest percentage
  that is exact, ``90%``, ``97.5%``, ``99.9%`` (:func:`fmt_level`).
- Missing or undefined numbers (None, NaN) are the word ``undefined``; an
  infinite one is ``+∞`` / ``−∞`` (money and counts: ``undefined``).

Pure Python: this module imports nothing from the package's floors, so core,
plotting, widgets, report and CLI can all use it.
"""

from __future__ import annotations

import math

__all__ = [
    "MINUS",
    "UNDEFINED",
    "fmt_compact_money",
    "fmt_count",
    "fmt_fraction",
    "fmt_level",
    "fmt_money",
    "fmt_number",
    "fmt_pair",
    "fmt_parameter_range",
    "fmt_percent",
    "fmt_percent_tick",
    "fmt_signed_money",
    "fmt_threshold",
    "lower_first",
    "upper_first",
    "shortest",
]

#: The minus sign people read (U+2212), not a hyphen.
MINUS = "\N{MINUS SIGN}"

#: The word for a number that does not exist (None, NaN).
UNDEFINED = "undefined"


def _missing(x):
    return x is None or not math.isfinite(x)


def _minus(text):
    return text.replace("-", MINUS)


def _strip_zero(text):
    """``'48.0'`` → ``'48'`` (a trailing ``.0`` says nothing), ``'12.5'`` stays."""
    return text[:-2] if text.endswith(".0") else text


def fmt_money(x, currency=None, *, signed=False):
    """Money for people: ``−883 EUR``, ``24,577``, ``4.35 EUR``, ``0 EUR``, ``undefined``.

    Parameters
    ----------
    x : float or None
        Currency units (gains positive, costs negative).
    currency : str or None
        Unit written after the number (None or ``''``: none).
    signed : bool
        Write ``+`` before a gain, for differences. Zero never has a sign.
    """
    if _missing(x):
        return UNDEFINED
    x = float(x)
    a = abs(x)
    if a >= 10:
        text = f"{x:,.0f}"
    else:
        text = f"{x:,.2f}"
        if text.endswith(".00"):
            text = text[:-3]
    if text.lstrip("-") in ("0", "0.00"):
        text = "0"
    elif signed and x > 0:
        text = "+" + text
    text = _minus(text)
    return f"{text} {currency}" if currency else text


def fmt_signed_money(x, currency=None):
    """Money with the sign of a gain written, for differences: ``+74,166 EUR``, ``−25,886 EUR``, ``0 EUR``."""
    return fmt_money(x, currency, signed=True)


def fmt_compact_money(x, currency=None):
    """Short money for tight places (ticks, bar labels): ``−12k``, ``1.5M EUR``, ``250``; ``undefined`` for NaN/None.

    Three significant digits with a k/M/G suffix and a true minus sign.
    """
    if _missing(x):
        return UNDEFINED
    a = abs(x)
    text = f"{x:.3g}"
    for size, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if a >= size:
            text = f"{x / size:.3g}{suffix}"
            break
    if text in ("-0", "0"):
        text = "0"
    text = _minus(text)
    return f"{text} {currency}" if currency else text


def fmt_count(x):
    """A count of cases for people: ``12,345``, ``48``, ``12.5``, ``0.37``, ``0``, ``undefined``.

    Fewer than 0.005 cases show as ``0``: an analytic curve's vanishing shares
    of a case (1e-13) are not cases anyone will see.
    """
    if _missing(x):
        return UNDEFINED
    x = float(x)
    a = abs(x)
    if a < 0.005:
        return "0"
    if a >= 99.95 or a == int(a):
        text = f"{x:,.0f}"
    elif a >= 0.995:
        text = _strip_zero(f"{x:,.1f}")
    else:
        text = f"{x:.2g}"
    return _minus(text)


def fmt_percent(x):
    """A fraction in [0, 1] as a percentage: ``45.3%``, ``3.12%``, ``0.012%``, ``<0.01%``, ``undefined``.

    Below 0.01 % (but not zero) it says ``<0.01%``: a share that small is not
    worth more digits, and a vanishing one (1e-16) is not a number to print.
    """
    if _missing(x):
        return UNDEFINED
    p = 100 * float(x)
    if p == 0 or abs(p) >= 10:
        text = f"{p:.1f}%"
    elif abs(p) < 0.01:
        text = "<0.01%" if p > 0 else "-<0.01%"
    else:
        text = f"{p:.2g}%" if abs(p) < 1 else f"{p:.2f}%"
    return _minus(text)


def fmt_level(x):
    """A stated level (confidence, power, significance, share of resamples) as the shortest exact percentage.

    A level is a round number someone chose, so it is written as chosen:
    no padding ``.0``, and as many decimals as it has (up to four).

    >>> [fmt_level(x) for x in (0.9, 0.95, 0.975, 0.999, 0.05, 0.8)]
    ['90%', '95%', '97.5%', '99.9%', '5%', '80%']

    Parameters
    ----------
    x : float or None
        Fraction in [0, 1]; None or NaN gives ``undefined``.
    """
    if _missing(x):
        return UNDEFINED
    p = 100 * float(x)
    for decimals in range(5):
        text = f"{p:.{decimals}f}"
        if abs(float(text) - p) <= 1e-9 * max(1.0, abs(p)):
            break
    return _minus(text + "%")


def fmt_percent_tick(x, _pos=None):
    """Tick label of a share axis (a matplotlib formatter): :func:`fmt_percent` without padding zeros.

    ``0.2`` → ``20%``, ``1`` → ``100%``, ``0.025`` → ``2.5%``: the same
    ``45.3%`` style as the chart's own labels, with no space before ``%``.
    """
    text = fmt_percent(x)
    if "." in text and text.endswith("%"):
        text = text[:-1].rstrip("0").rstrip(".") + "%"
    return text


#: The same function under the name the plotting floor has always used.
fmt_fraction = fmt_percent


def fmt_number(x, digits=4):
    """Any other real number (a parameter, a rate, a ratio): at most ``digits`` significant digits, thousands separated.

    ``20000.0`` → ``20,000``; ``0.0312345`` → ``0.03123``; ``-1.5`` → ``−1.5``;
    ``inf`` → ``+∞``; None or NaN → ``undefined``. Integers print in full.
    """
    if x is None or isinstance(x, bool):
        return UNDEFINED if x is None else str(x)
    x = float(x)
    if math.isnan(x):
        return UNDEFINED
    if math.isinf(x):
        return "+∞" if x > 0 else MINUS + "∞"
    if x == 0:
        return "0"
    if abs(x) >= 10 ** digits or (x == int(x) and abs(x) >= 1):
        text = f"{x:,.0f}"
    elif abs(x) >= 1:
        text = f"{x:,.{digits}g}"
    else:
        text = f"{x:.{digits}g}"
    if "e" in text:  # a tiny number: still no exponent a PM has to decode
        decimals = digits - 1 - math.floor(math.log10(abs(x)))
        text = f"{x:.{decimals}f}".rstrip("0").rstrip(".")
    return _minus(text)


def fmt_threshold(x, *, infinite="above every score"):
    """A threshold: ``0.0312`` (4 significant digits); +inf is ``infinite`` (words)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return UNDEFINED
    if x == math.inf:
        return infinite
    return _minus(f"{x:.4g}")


def shortest(x):
    """The shortest text that reads back as the same float (``repr``): ``0.9763``, not ``0.97629999999999995``.

    For files meant for programs (CSV): exact round trip, no separators;
    ``inf`` / ``-inf`` / ``nan`` as Python writes them.
    """
    return repr(float(x))


_PAIR_FORMATS = {"number": lambda x, d: fmt_number(x, d), "threshold": lambda x, d: _minus(f"{x:.{d}g}"),
                 "money": lambda x, d: fmt_money(x) if d == 4 else _minus(f"{x:,.2f}"),
                 "percent": lambda x, d: fmt_percent(x) if d == 4 else _minus(f"{100 * x:.{d}g}%")}


def fmt_pair(low, high, kind="number", *, unchanged="unchanged ({})"):
    """Two ends of a range that read apart: ``0.05969 to 0.142``; the same value: ``unchanged (0.06536)``.

    Where the usual format writes two different numbers alike
    (``0.0653641`` and ``0.0653644`` both ``0.06536``), more digits are shown
    until they differ; where they are equal, ``unchanged`` (with ``{}`` for
    the value) says so in words.

    >>> fmt_pair(0.0653641, 0.0653644, "threshold")
    '0.0653641 to 0.0653644'
    >>> fmt_pair(0.06536, 0.06536, "threshold")
    'unchanged (0.06536)'

    Parameters
    ----------
    low, high : float
    kind : {"number", "threshold", "money", "percent"}
        The format: :func:`fmt_number`, :func:`fmt_threshold`, :func:`fmt_money`
        (without unit) or :func:`fmt_percent`.
    """
    fmt = _PAIR_FORMATS[kind]
    if kind == "threshold" and (_missing(low) or _missing(high)):
        a, b = fmt_threshold(low), fmt_threshold(high)
        return unchanged.format(a) if a == b else f"{a} to {b}"
    if _missing(low) or _missing(high):
        a = UNDEFINED if _missing(low) else fmt(low, 4)
        b = UNDEFINED if _missing(high) else fmt(high, 4)
        return f"{a} to {b}"
    if float(low) == float(high):
        return unchanged.format(fmt(low, 4))
    for digits in (4, 6, 8, 10, 12, 15):
        a, b = fmt(low, digits), fmt(high, digits)
        if a != b:
            break
    return f"{a} to {b}"


def fmt_parameter_range(low, high, unit=None, currency=None):
    """A parameter's tested range in its unit: a share as a percent, else a number with its unit after it.

    ``currency`` is accepted for symmetry with the other money formats; an
    amount keeps four significant digits (``0.006 USD per slot``), never
    rounded to cents.

    >>> fmt_parameter_range(0.0015, 0.006, "fraction of orders")
    '0.15% to 0.6% of orders'
    >>> fmt_parameter_range(90, 200, "EUR per order", "EUR")
    '90 to 200 EUR per order'
    >>> fmt_parameter_range(12_000, 30_000, "orders per day")
    '12,000 to 30,000 orders per day'
    """
    unit = (unit or "").strip()
    words = unit.split(" ", 1)
    if words[0] in ("fraction", "share") and (len(words) == 1 or words[1].startswith("of ")):
        rest = f" {words[1]}" if len(words) > 1 else ""
        return fmt_pair(low, high, "percent") + rest
    # Money keeps its significant digits (a cost of 0.006 USD per slot is not "0.01"): fmt_number.
    text = fmt_pair(low, high, "number")
    return f"{text} {unit}" if unit else text


def lower_first(text):
    """``text`` made to continue a sentence: its first letter lower-cased, unless the first word is an acronym.

    For a description pasted mid-sentence ("Main risk: share of orders that
    are fraudulent"); "EUR per order", "AUC of the model", "F1" and "I" stay
    as they are.

    >>> lower_first("Share of orders that are fraudulent")
    'share of orders that are fraudulent'
    >>> lower_first("AUC of the fraud model")
    'AUC of the fraud model'
    """
    if not text:
        return text
    first = text.split(" ", 1)[0]
    letters = [c for c in first[1:] if c.isalpha()]
    if not first[0].isupper() or first == "I":
        return text
    if (letters and all(c.islower() for c in letters)) or len(first) == 1:
        return text[0].lower() + text[1:]
    return text


def upper_first(text):
    """``text`` made to start a sentence or a table cell: its first letter upper-cased, the rest untouched.

    Unlike :meth:`str.capitalize`, which would write "Auc of the model" and
    "Cost in eur", acronyms further on stay as they are.

    >>> upper_first("AUC of the model"), upper_first("cost in EUR per order")
    ('AUC of the model', 'Cost in EUR per order')
    """
    return text[:1].upper() + text[1:] if text else text
