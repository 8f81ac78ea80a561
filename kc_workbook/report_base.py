"""What every sheet of the consolidated workbook shares: formats, page set-up, cell writing.

Printing: every sheet is A4. A sheet whose columns fit the page at ``MIN_SCALE`` or more is
fitted to the page width (so its scale is at least ``MIN_SCALE``); a wider sheet prints at
exactly ``MIN_SCALE`` over several pages across, its first columns repeated. Text is 10 pt,
so nothing prints below 8 pt. The widths are computed as Excel and LibreOffice turn a
column's width in characters into points (``column_points``).
"""

from __future__ import annotations

import datetime as dt

from .cells import CHARS_PER_WIDTH, text_lines  # noqa: F401  (here since the report was written)
from .styles import DEFAULT_FONT, FILLS, FONT_SIZE, GREEN, GREY, HEAD_FILL, RED, YELLOW  # noqa: F401  (re-exported)

MIN_SCALE = 80  # per cent; the README states it
A4 = 9
MARGIN = 0.4  # inches, left and right
PRINTABLE = {"landscape": 841.89 - 2 * 72 * MARGIN, "portrait": 595.28 - 2 * 72 * MARGIN}  # points



# LibreOffice lays columns out a few per cent wider than Excel does: plan for the wider.
LIBREOFFICE_SLACK = 1.06
LINE_HEIGHT = 12.2  # points, a line of 10-pt Arial


def column_points(width: float) -> float:
    """A column's printed width in points at 100 %: XlsxWriter's character-to-pixel rule for
    the default font Arial 10 (7 pixels a character plus 5 of padding), plus LibreOffice's slack."""
    pixels = int(width * 12 + 0.5) if width < 1 else int(width * 7 + 0.5) + 5
    return pixels * 0.75 * LIBREOFFICE_SLACK


def row_height(values, widths, bold: bool = False) -> float:
    """Row height in points for wrapped text (0 when every value fits one line): neither Excel
    nor LibreOffice grows the rows of a file written by a program."""
    lines = max((text_lines(v, w, bold) for v, w in zip(values, widths) if isinstance(v, str) and v), default=1)
    return LINE_HEIGHT * lines + 3 if lines > 1 else 0


def fit_scale(widths, orientation: str = "landscape") -> int:
    """The scale (per cent, at most 100) at which these columns fill the printable width."""
    total = sum(column_points(w) for w in widths)
    return min(100, int(PRINTABLE[orientation] / total * 100)) if total else 100


DEFAULT_ROW = 12.75  # points: a row whose height is not set
PAGE_HEIGHT = {"landscape": 595.28, "portrait": 841.89}  # A4, points


def body_height(widths, headers, program_name: str, year: int, orientation: str = "landscape") -> float:
    """Points of a table's body that fit on the first printed page of an official table
    (``_form``): the page at the sheet's scale less the title, program, blank row, header
    and column numbers, each as high as ``_form`` makes it."""
    scale = max(fit_scale(widths, orientation), MIN_SCALE) / 100
    subtitle = f"муниципальной программы «{program_name}» за {year} год"
    top = (2 * DEFAULT_ROW + (row_height([subtitle], [sum(widths)]) or DEFAULT_ROW)  # title, program, blank
           + max(row_height(headers, widths, True), 30) + DEFAULT_ROW)  # header, column numbers
    return (PAGE_HEIGHT[orientation] - (0.5 + 0.6) * 72) / scale - top


class _Formats:
    """Formats are created once and shared: XlsxWriter writes each distinct one into the file."""

    def __init__(self, wb):
        self.wb = wb
        base = {"font_name": "Arial", "font_size": FONT_SIZE, "valign": "top"}
        self.base = base
        self.title = wb.add_format({**base, "bold": True, "font_size": 12, "text_wrap": True})
        self.head = wb.add_format({**base, "bold": True, "bg_color": HEAD_FILL, "border": 1, "text_wrap": True,
                                   "align": "center", "valign": "vcenter"})
        self.colnum = wb.add_format({**base, "border": 1, "align": "center", "num_format": "0",
                                     "font_color": "#595959"})
        self.text = wb.add_format({**base, "border": 1, "text_wrap": True})
        self.plain = wb.add_format({**base, "text_wrap": True})
        self.bold = wb.add_format({**base, "bold": True, "text_wrap": True})
        self.bold_box = wb.add_format({**base, "bold": True, "text_wrap": True, "border": 1})
        self.int = wb.add_format({**base, "border": 1, "num_format": "#,##0"})
        self.when = wb.add_format({**base, "border": 1, "num_format": "dd.mm.yyyy hh:mm"})
        # For conditional formats (they take the cell's own border and number format).
        self.red, self.green, self.grey, self.yellow = (
            wb.add_format({"bg_color": FILLS[c][0], "font_color": FILLS[c][1]}) for c in (RED, GREEN, GREY, YELLOW))
        self._cache: dict = {}

    def number(self, digits: int, colour: str | None = None, bold: bool = False):
        """Thousands separated (Russian Excel and LibreOffice show «# ##0,0»), ``digits`` decimals."""
        return self._get(("n", digits, colour, bold), {"border": 1, "num_format": number_format(digits),
                                                       **_fill(colour), **({"bold": True} if bold else {})})

    def money(self, colour: str | None = None, bold: bool = False):
        return self.number(1, colour, bold)

    def cell(self, colour: str | None = None, bold: bool = False):
        """Bordered wrapped text, optionally coloured by a status."""
        if colour is None and not bold:
            return self.text
        return self._get(("t", colour, bold), {"border": 1, "text_wrap": True, **_fill(colour),
                                               **({"bold": True} if bold else {})})

    def _get(self, key, props):
        if key not in self._cache:
            self._cache[key] = self.wb.add_format({**self.base, **props})
        return self._cache[key]


def number_format(digits: int) -> str:
    return "#,##0" if digits <= 0 else "#,##0." + "0" * digits


def _fill(colour: str | None) -> dict:
    if colour is None:
        return {}
    bg, fg = FILLS[colour]
    return {"bg_color": bg, "font_color": fg}


def page(ws, widths, orientation: str = "landscape", scale: int | None = None) -> int:
    """A4 set-up; returns the scale the sheet prints at (never below ``MIN_SCALE``).
    ``scale``: print at exactly this scale (a sheet laid out to fit the page at it)."""
    ws.set_paper(A4)
    if orientation == "landscape":
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.set_margins(left=MARGIN, right=MARGIN, top=0.5, bottom=0.6)
    ws.set_footer("&L&A&CСтраница &P из &N")  # 10 pt, like the cells
    # Codes and years written as text are meant as text: no "number stored as text" marker.
    ws.ignore_errors({"number_stored_as_text": "A1:XFD1048576"})
    if scale is not None:
        ws.set_print_scale(max(scale, MIN_SCALE))
        return max(scale, MIN_SCALE)
    scale = fit_scale(widths, orientation)
    if scale >= MIN_SCALE:
        ws.fit_to_pages(1, 0)
        return scale
    ws.set_print_scale(MIN_SCALE)
    ws.repeat_columns(0, 1)
    return MIN_SCALE


TITLE_SIZE = 1.3  # a title's letters (12 pt bold) are this many times wider than those of 10-pt text
TITLE_LINE = 17  # points, a line of a title


def title_row(ws, f, r: int, last_col: int, title: str, widths) -> None:
    """A title merged across the table and as tall as its wrapped lines: a row that is not grown
    prints the second line over the row below."""
    ws.merge_range(r, 0, r, last_col, title, f.title)
    lines = text_lines(title, sum(widths) / TITLE_SIZE, bold=True)
    if lines > 1:
        ws.set_row(r, lines * TITLE_LINE)


def _sheet(wb, f, name: str, title: str, headers: list[str], widths: list[int], header_row: int = 2,
           subtitle: str = ""):
    """A table sheet. Rows are written top to bottom only (constant_memory mode needs that)."""
    ws = wb.add_worksheet(name)
    title_row(ws, f, 0, len(headers) - 1, title, widths)
    if subtitle:
        ws.merge_range(1, 0, 1, len(headers) - 1, subtitle, f.plain)
        ws.set_row(1, 28)
    ws.write_row(header_row, 0, headers, f.head)
    _fit_height(ws, header_row, headers, widths, minimum=30, bold=True)
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    ws.freeze_panes(header_row + 1, 0)
    page(ws, widths)
    ws.repeat_rows(header_row)
    return ws


def _form(wb, f, name: str, title: str, program_name: str, year: int, headers: list[str], widths: list[float],
          repeat: bool = True):
    """An official table: title, program and year, a header row and a row of column numbers,
    repeated on every printed page unless ``repeat`` is false (a sheet with other tables below).
    Returns the sheet and the first row of the table's body."""
    ws = wb.add_worksheet(name)
    last = len(headers) - 1
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    title_row(ws, f, 0, last, title, widths)
    ws.merge_range(1, 0, 1, last, f"муниципальной программы «{program_name}» за {year} год", f.plain)
    _fit_height(ws, 1, [f"муниципальной программы «{program_name}» за {year} год"], [sum(widths)])
    ws.write_row(3, 0, headers, f.head)
    _fit_height(ws, 3, headers, widths, minimum=30, bold=True)
    for c in range(len(headers)):
        ws.write_number(4, c, c + 1, f.colnum)
    ws.freeze_panes(5, 0)
    page(ws, widths)
    if repeat:
        ws.repeat_rows(3, 4)
    return ws, 5


def _fit_height(ws, r: int, values, widths, minimum: float = 0, bold: bool = False) -> None:
    """Neither Excel nor LibreOffice grows the rows of a written file: set their height."""
    height = max(row_height(values, widths, bold), minimum)
    if height:
        ws.set_row(r, min(409, height))


def _cell(ws, r, c, value, fmt):
    """Numbers as numbers, everything else as text: never a formula or a link."""
    if value is None or value == "":
        ws.write_blank(r, c, None, fmt)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        ws.write_number(r, c, value, fmt)
    elif isinstance(value, dt.datetime):
        ws.write_datetime(r, c, value, fmt)
    else:
        ws.write_string(r, c, str(value), fmt)
