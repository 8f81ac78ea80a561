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


def row_height(values, widths) -> float:
    """Row height in points for wrapped text in columns of these widths (0 when one line fits).

    Neither Excel nor LibreOffice grows the rows of a file written by a program."""
    lines = 1
    for value, width in zip(values, widths):
        if isinstance(value, str) and len(value) > width:
            per_line = max(4, int(width * 1.15))
            lines = max(lines, sum(-(-max(len(part), 1) // per_line) for part in value.split("\n")))
    return min(409, 13 * lines + 2) if lines > 1 else 0
