"""Values as people type them: parse what is unambiguous, say so, reject the rest.

``parse_value`` returns the number (or None) and the problems it found, each as a
(code, message) pair; the reader adds the file, sheet and cell.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from .model import Input
from .notation import format_number, parse_number_text
from .vocabulary import INT

_ERRORS = re.compile(r"^(#[A-ZА-ЯЁ0-9/!?.]+|Err:\d+)$", re.IGNORECASE)


def parse_value(raw, inp: Input) -> tuple[float | None, list[tuple[str, str]]]:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, [("value-missing", f"не заполнено значение «{inp.code}»")] if inp.required else []
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
    if inp.kind == INT and not value.is_integer():
        return None, problems + [("value-fraction", f"{format_number(value)} — дробное число, а нужно целое")]
    if value < inp.lower_bound:
        return None, problems + [("value-below-bound",
                                  f"{format_number(value)} меньше допустимого {format_number(inp.lower_bound)}")]
    return value, problems
