"""Small helpers for cell coordinates and cell values as spreadsheet readers return them."""

from __future__ import annotations

import datetime as _dt


def column_letter(col: int) -> str:
    """0-based column index → Excel letters (0 → A, 26 → AA)."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_name(row: int, col: int) -> str:
    """0-based (row, col) → "B7"."""
    return f"{column_letter(col)}{row + 1}"


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


def format_number(value: float, digits: int | None = None) -> str:
    """Russian notation: comma decimal, no thousands separator (1234,5)."""
    if digits is None:
        text = f"{value:.10f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    else:
        text = f"{value:.{digits}f}"
    return text.replace(".", ",")


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


def as_number(value) -> float | None:
    """A number from a definition cell (numbers, or text with a comma decimal), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        text = value.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
        try:
            return float(text)
        except ValueError:
            return None
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
