"""Numbers in Russian notation: the one parser of what people type, the one rounding rule,
and the formatters of what they read.

Decisions are taken on exact values: a cell's number becomes the decimal a person sees
(``exact(0.1) == Fraction(1, 10)``, not the binary float), formulas are evaluated in
fractions, and a figure is rounded once, half up, to the precision it is shown with.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal
from fractions import Fraction

_SPACES = "\u00a0\u202f\u2009\u2007 "
# "1 234 567,5" with any kind of space as the thousands separator, comma decimal.
_GROUPED = re.compile(rf"^[+-]?\d{{1,3}}(?:[{_SPACES}]\d{{3}})+(?:,\d+)?$")
# "1234,5" or "1234.5" or "1234".
_PLAIN = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")


def parse_number_text(text: str) -> float | None:
    """A number typed as text ("1 234,5", "'12", "0.5"), or None when it is not one.

    Words such as ``nan``, ``inf`` or ``1_000`` are not numbers to a person: None."""
    s = text.strip().strip(_SPACES)
    if s.startswith("'"):
        s = s[1:].strip(_SPACES)
    if _GROUPED.match(s):
        s = re.sub(rf"[{_SPACES}]", "", s)
    elif not _PLAIN.match(s):
        return None
    return float(s.replace(",", "."))


def as_number(value) -> float | None:
    """A finite number from a cell: a number, or text that ``parse_number_text`` accepts."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, str):
        return parse_number_text(value)
    return None


def json_number(value) -> float | None:
    """A finite number read from a JSON record (a year's record), else None: text is not
    parsed there, and ``true``/``false`` are not numbers."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def exact(value: float | int | Fraction | Decimal) -> Fraction:
    """The decimal a person sees in the cell, exactly (the shortest repr of a float)."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, float):
        return Fraction(Decimal(repr(value)))
    return Fraction(value)


def round_half_up(value, digits: int) -> Decimal:
    """``value`` rounded once, half up (away from zero on a tie), to ``digits`` decimals."""
    q = exact(value) * 10**digits
    whole = math.floor(abs(q) + Fraction(1, 2))
    return Decimal(-whole if q < 0 else whole).scaleb(-digits)


def rounded(value, digits: int) -> float | None:
    """``round_half_up`` as a float for writing into a workbook (None stays None)."""
    return None if value is None else float(round_half_up(value, digits))


def format_number(value, digits: int | None = None, group: bool = False) -> str:
    """Russian notation: comma decimal; with ``group``, thousands separated by a non-breaking space.

    ``digits`` None: as many decimals as the value has (up to 10)."""
    if digits is None and isinstance(value, float):  # the common case, without fractions
        text = str(int(value)) if value.is_integer() else f"{value:.10f}".rstrip("0").rstrip(".")
    elif digits is None:
        q = exact(value)
        text = f"{float(q):.10f}".rstrip("0").rstrip(".") if q.denominator != 1 else str(q.numerator)
    else:
        text = f"{round_half_up(value, digits):f}"
    if group:
        negative = text.startswith("-")
        whole, dot, frac = text.lstrip("-").partition(".")
        whole = f"{int(whole):,}".replace(",", "\u00a0")
        text = f"{'-' if negative else ''}{whole}{dot}{frac}"
    return text.replace(".", ",")


def format_money(value) -> str:
    """Thousand roubles to 0,1, thousands separated («23 936,6»); «—» when unknown."""
    return "—" if value is None else format_number(value, 1, group=True)


def format_percent(value) -> str:
    """A percentage to 0,1 («99,6»); «—» when unknown."""
    return "—" if value is None else format_number(value, 1, group=True)


def format_ratio(value) -> str:
    """A coefficient of the efficiency evaluation to 0,001 («0,900»); «—» when unknown."""
    return "—" if value is None else format_number(value, 3)


def when(stamp: dt.datetime | None, unknown: str = "неизвестно когда") -> str:
    """A moment as people write it: 10.02.2026 09:00."""
    return stamp.strftime("%d.%m.%Y %H:%M") if stamp else unknown
