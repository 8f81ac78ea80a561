"""The executor's reasons workbook: «Обоснования отклонений ГОД.xlsx».

An «обоснование отклонений» is mandatory for every missed indicator. Where one
participant's values alone determine an indicator, that participant gives it in its own
workbook; for an indicator combined from several workbooks the executor gives it here.
``consolidate`` writes this workbook beside the report, listing each missed or
undeterminable indicator with its plan, fact and the participants' comments on the
inputs behind it, and an empty reason cell. Put back into the inbox (or given with
``--reasons``), it is read like any other workbook: its identity is in a hidden sheet,
it goes through preflight, and its problems name their cells.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from . import layout as L
from .cells import as_int, as_text, cell_name, row_height
from .notation import format_number
from .output import atomic_path
from .report_base import MARGIN
from .problems import Problem
from .vocabulary import INDICATOR_STATUS, MISSED, NO_DATA
from .styles import DEFAULT_FONT, HEAD_FILL, INPUT_FILL

FORMAT = "kc_workbook/reasons-workbook/1"
SHEET = "Обоснования"
HEAD_NUMBER = "№ показателя"
HEAD_REASON = "Обоснование отклонения (заполните)"
HEADERS = [HEAD_NUMBER, "Показатель", "Ед. изм.", "План", "Факт", "Статус",
           "Комментарии участников к исходным данным", HEAD_REASON]
WIDTHS = [11, 40, 8, 9, 9, 13, 33, 42]  # landscape A4 fitted to width at about 82 %: above 8 pt


def file_name(year: int) -> str:
    return f"Обоснования отклонений {year}.xlsx"


def needs_reason(result) -> bool:
    """A missed indicator, or one with a target but no fact."""
    return result.status == MISSED or (result.status == NO_DATA and result.plan is not None)


def write_reasons_workbook(consolidation, path: str | Path, given: dict[int, str] | None = None,
                           sample: bool = False) -> Path:
    """List every indicator that needs a reason; ``given`` pre-fills reasons already known."""
    import xlsxwriter

    program, year = consolidation.program, consolidation.year
    given = given or {}
    with atomic_path(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False,
                                            "strings_to_numbers": False, "in_memory": True,
                                            "default_format_properties": dict(DEFAULT_FONT)})
        wb.set_properties({"title": f"Обоснования отклонений за {year} год", "subject": program.name,
                           "author": "kc_workbook", "created": dt.datetime(year + 1, 1, 1)})
        base = {"font_name": "Arial", "font_size": 10, "valign": "top", "text_wrap": True}
        title = wb.add_format({**base, "bold": True, "font_size": 12})
        head = wb.add_format({**base, "bold": True, "bg_color": HEAD_FILL, "border": 1, "align": "center"})
        text = wb.add_format({**base, "border": 1})
        figure = wb.add_format({**base, "border": 1, "align": "right"})  # plan and fact, shown as text
        reason = wb.add_format({**base, "border": 1, "bg_color": INPUT_FILL, "locked": False})
        mark = wb.add_format({**base, "bold": True, "font_color": "#C00000"})
        ws = wb.add_worksheet(SHEET)
        for c, w in enumerate(WIDTHS):
            ws.set_column(c, c, w)
        ws.merge_range(0, 0, 0, len(HEADERS) - 1, f"Обоснования отклонений значений показателей за {year} год: "
                       f"«{program.name}»", title)
        ws.set_row(0, 30)
        ws.merge_range(1, 0, 1, len(HEADERS) - 1,
                       "ОБРАЗЕЦ: демонстрационные данные kc_workbook, не являются официальными" if sample else
                       "Заполните жёлтые ячейки и положите книгу в папку с книгами участников (или укажите её "
                       "параметром --reasons): обоснования войдут в отчёт.", mark if sample else text)
        ws.set_row(1, 28)
        ws.write_row(2, 0, HEADERS, head)
        ws.set_row(2, max(row_height(HEADERS, [w * 0.9 for w in WIDTHS]), 28))  # bold headers, wrapped
        r = 3
        for res in consolidation.indicators:
            if not needs_reason(res):
                continue
            ind = program.indicator[res.number]
            comments = _comments(consolidation, ind)
            row = [ind.number, ind.name, ind.unit, _shown(res.plan, ind.precision), _shown(res.fact, ind.precision),
                   INDICATOR_STATUS.label(res.status), comments]
            for c, value in enumerate(row):
                if isinstance(value, int):
                    ws.write_number(r, c, value, text)
                else:
                    ws.write_string(r, c, value, figure if c in (3, 4) else text)
            ws.write_string(r, len(row), given.get(res.number, ""), reason)
            height = row_height([None, ind.name, None, None, None, None, comments, given.get(res.number, "")], WIDTHS)
            ws.set_row(r, max(height, 45))
            r += 1
        if r == 3:
            ws.merge_range(3, 0, 3, len(HEADERS) - 1, "Все показатели с целевым значением достигнуты: обоснования не "
                           "нужны.", text)
        ws.ignore_errors({"number_stored_as_text": f"A1:{cell_name(max(r, 4), len(HEADERS) - 1)}"})
        ws.protect("", {"format_columns": True, "format_rows": True})
        ws.set_landscape()
        ws.set_paper(9)
        ws.set_margins(left=MARGIN, right=MARGIN, top=0.5, bottom=0.6)
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(2)
        ident = wb.add_worksheet(L.SHEET_IDENTITY)
        for i, (key, value) in enumerate(((L.ID_FORMAT, FORMAT), (L.ID_PROGRAM, program.program_id),
                                          (L.ID_FINGERPRINT, program.fingerprint), (L.ID_PARTICIPANT, program.executor),
                                          (L.ID_YEAR, str(year)))):
            ident.write_string(i, 0, key)
            ident.write_string(i, 1, value)
        ident.protect("")
        ident.very_hidden()
        wb.close()
    return Path(path)


def _shown(value, precision: int) -> str:
    return "—" if value is None else format_number(value, precision, group=True)


def _comments(consolidation, ind) -> str:
    """What participants wrote next to the inputs behind an indicator."""
    names = consolidation.program.participants
    found = []
    for code, sub in sorted(consolidation.used.items()):
        for name in ind.formula.names:
            cell = sub.cells.get(name)
            if cell is not None and cell.comment:
                found.append(f"{names[code].short_name}, {name}: {cell.comment}")
    return "\n".join(found) or "—"


def read_reasons(sheets: dict[str, list], numbers: set[int], where) -> tuple[dict[int, tuple[str, str, str]], list[Problem]]:
    """indicator number → (reason, sheet, cell) from a filled reasons workbook; problems at their cells."""
    found: dict[int, tuple[str, str, str]] = {}
    problems: list[Problem] = []
    for sheet_name, rows in sheets.items():
        header = next(((r, row) for r, row in enumerate(rows)
                       if HEAD_NUMBER in [as_text(v) for v in row] and HEAD_REASON in [as_text(v) for v in row]), None)
        if header is None:
            continue
        r0, row0 = header
        texts = [as_text(v) for v in row0]
        number_col, reason_col = texts.index(HEAD_NUMBER), texts.index(HEAD_REASON)
        for r in range(r0 + 1, len(rows)):
            row = rows[r]
            raw = row[number_col] if number_col < len(row) else None
            number = as_int(raw)
            if number is None:
                continue
            if number not in numbers:
                problems.append(where.problem("indicator-unknown", f"показателя № {number} нет в программе", sheet_name,
                                              cell_name(r, number_col), raw))
                continue
            text = as_text(row[reason_col]) if reason_col < len(row) else ""
            if text:
                found[number] = (text, sheet_name, cell_name(r, reason_col))
        return found, problems
    problems.append(where.problem("workbook-not-ours", f"в книге обоснований нет листа со столбцами «{HEAD_NUMBER}» и "
                                  f"«{HEAD_REASON}»"))
    return found, problems
