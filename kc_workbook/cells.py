"""Cell values as spreadsheet readers return them, and cell addresses as people read them."""

from __future__ import annotations

import datetime as _dt

from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from .notation import format_number


def column_letter(col: int) -> str:
    """0-based column index → Excel letters (0 → A, 26 → AA)."""
    return xl_col_to_name(col)


def cell_name(row: int, col: int) -> str:
    """0-based (row, col) → "B7"."""
    return xl_rowcol_to_cell(row, col)


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def as_text(value) -> str:
    """A cell value as a person saw it, for messages and for text columns."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ИСТИНА" if value else "ЛОЖЬ"
    if isinstance(value, float):
        return format_number(value)
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.strftime("%d.%m.%Y")
    return str(value).strip()


def as_int(value) -> int | None:
    """A whole number from a cell (2023, 2023.0, "2023"), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def code_width(codes, least: int = 0, most: int = 36) -> int:
    """A column's width for codes such as AT_OBJECTS_COMPLIANT: as wide as the longest one, so that
    a code is never wrapped or cut (capitals and «_» are wider than a unit of column width)."""
    longest = max((len(code) for code in codes), default=0)
    return max(least, min(int(longest * 1.2) + 2, most))


CHARS_PER_WIDTH = 1.05  # characters of ordinary text in one unit of column width (bold: less)


def text_lines(text: str, width: float, bold: bool = False) -> int:
    """How many lines wrapped text takes in a column of this width (greedy word wrap)."""
    capacity = max(3, int(width * CHARS_PER_WIDTH * (0.9 if bold else 1.0)) - 1)  # a character of slack
    if len(text) <= capacity and "\n" not in text:
        return 1  # the common case, and a quick one: thousands of rows on «Исходные данные»
    lines = 0
    for paragraph in str(text).split("\n"):
        words = [w[i:i + capacity] for w in paragraph.split() for i in range(0, len(w), capacity)]
        used = -1  # characters on the current line; -1: no line started
        for word in words:
            if used >= 0 and used + 1 + len(word) <= capacity:
                used += 1 + len(word)
            else:
                lines += 1
                used = len(word)
        lines += 1 if used < 0 else 0
    return max(lines, 1)


def row_height(values, widths) -> float:
    """Row height in points for wrapped text in columns of these widths (0 when one line fits).

    Neither Excel nor LibreOffice grows the rows of a file written by a program. Lines are
    counted as they wrap, word by word (a count by characters alone cut the last line of
    a long name)."""
    lines = max((text_lines(v, w) for v, w in zip(values, widths) if isinstance(v, str) and v), default=1)
    return min(409, 13 * lines + 2) if lines > 1 else 0
