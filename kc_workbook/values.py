"""Values as people type them: parse what is unambiguous, say so, reject the rest.

``parse_value`` returns the number (or None) and the problems it found, each as a
(code, message) pair; the reader adds the file, sheet and cell.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from .cells import format_number
from .program import Input

_SPACES = "\u00a0\u202f\u2009\u2007 "
# "1 234 567,5" with any kind of space as the thousands separator, comma decimal.
_GROUPED = re.compile(rf"^[+-]?\d{{1,3}}(?:[{_SPACES}]\d{{3}})+(?:,\d+)?$")
# "1234,5" or "1234.5" or "1234".
_PLAIN = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
_ERRORS = re.compile(r"^(#[A-ZА-ЯЁ0-9/!?.]+|Err:\d+)$", re.IGNORECASE)


def parse_number_text(text: str) -> float | None:
    """A number typed as text ("1 234,5", "'12", "0.5"), or None when it is not one."""
    s = text.strip().strip(_SPACES)
    if s.startswith("'"):
        s = s[1:].strip(_SPACES)
    if _GROUPED.match(s):
        s = re.sub(rf"[{_SPACES}]", "", s)
    elif not _PLAIN.match(s):
        return None
    return float(s.replace(",", "."))


def parse_value(raw, inp: Input) -> tuple[float | None, list[tuple[str, str]]]:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, [("value-missing", f"не заполнено значение «{inp.code}»")]
    if isinstance(raw, bool):
        return None, [("value-not-number", "вместо числа логическое значение")]
    if isinstance(raw, (dt.date, dt.datetime, dt.time, dt.timedelta)):
        return None, [("value-date", "вместо числа дата или время")]
    problems: list[tuple[str, str]] = []
    if isinstance(raw, (int, float)):
        value = float(raw)
        if math.isnan(value) or math.isinf(value):
            return None, [("value-not-number", "значение не является числом")]
    else:
        text = str(raw)
        if _ERRORS.match(text.strip()):
            return None, [("value-formula-error", f"ошибка формулы {text.strip()}")]
        value = parse_number_text(text)
        if value is None:
            return None, [("value-not-number", f"«{text.strip()}» не является числом")]
        problems.append(("value-as-text", f"число введено как текст «{text.strip()}», прочитано как {format_number(value)}"))
    if inp.kind == "int" and not value.is_integer():
        return None, problems + [("value-fraction", f"{format_number(value)} — дробное число, а нужно целое")]
    if value < inp.lower_bound:
        return None, problems + [("value-below-bound",
                                  f"{format_number(value)} меньше допустимого {format_number(inp.lower_bound)}")]
    return value, problems
