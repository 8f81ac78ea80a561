"""The consolidated workbook (xlsxwriter) and its JSON twin.

Everything that came from a participant is written as text or a number, never as a
formula or a link. The workbook is deterministic: fixed document dates, stable order.

The sheets are written by small modules: ``report_summary`` («Сводка», «О расчёте»),
``report_indicators`` («Показатели», «Оценка эффективности», «Итоги»), ``report_budget``
(«Расходы», «Мероприятия»), ``report_problems`` («Замечания»); ``report_base`` holds the
formats and the page set-up. The provenance sheet «Исходные данные» and «Участники» are here.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from .cells import code_width, row_height
from .consolidate import Consolidation
from .indicators import summarise_gaps
from .fastsheet import FastRows, splice
from .output import atomic_path, scratch_dir
from .report_base import DEFAULT_FONT, GREEN, RED, YELLOW, _cell, _fit_height, _Formats, _sheet
from .report_budget import measures_sheet as _measures
from .report_budget import spending_sheet as _spending
from .report_indicators import efficiency_sheet as _efficiency
from .report_indicators import indicators_sheet as _indicators
from .report_indicators import totals_sheet as _totals
from .report_problems import SEVERITY_LABELS
from .report_problems import problems_sheet as _problems
from .report_summary import about_sheet as _about
from .report_summary import summary_sheet as _summary
from .sentences import execution_text, problem_counts, verdict_text
from .vocabulary import ACCEPTED, MISSING, REJECTED, VERDICT, WITH_ERRORS, WITH_WARNINGS

__all__ = ["write_workbook", "write_json", "verdict_text", "execution_text", "problem_counts", "SEVERITY_LABELS"]

LARGE_ROWS = 5000


def write_json(result: Consolidation, path: str | Path) -> Path:
    # written as it is encoded: a region's record is megabytes of text, never held whole
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="\n") as out:
        json.dump(result.to_dict(), out, ensure_ascii=False, indent=2)
        out.write("\n")
    return Path(path)


def write_workbook(result: Consolidation, path: str | Path) -> Path:
    import xlsxwriter

    with atomic_path(path) as tmp:
        # A region-wide consolidation has tens of thousands of provenance rows: then rows go to
        # disk as they are written, so that memory does not grow with the number of files.
        large = sum(len(i.suppliers) for i in result.program.inputs.values()) > LARGE_ROWS
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False,
                                            "strings_to_numbers": False, "constant_memory": large,
                                            "in_memory": not large, "tmpdir": scratch_dir(),
                                            # Arial 10 (Liberation Sans where Arial is missing) as the
                                            # default font: columns are as wide in LibreOffice as in Excel.
                                            "default_format_properties": dict(DEFAULT_FONT)})
        # Conditional formats are formulas: the same shortcut past XlsxWriter's future-function scan
        # as in the participant workbooks (a fifth of the report's writing time).
        from .generate import classic_formula_worksheet

        wb.worksheet_class = classic_formula_worksheet()
        wb.set_properties({
            "title": f"Сводный отчёт за {result.year} год",
            "subject": result.program.name,
            "author": "kc_workbook",
            "created": dt.datetime(result.year + 1, 1, 1),
        })
        f = _Formats(wb)
        _summary(wb, f, result)
        _indicators(wb, f, result)
        _efficiency(wb, f, result)
        _totals(wb, f, result)
        _dynamics(wb, f, result)
        _spending(wb, f, result)
        _measures(wb, f, result)
        fast = [_inputs(wb, f, result)]
        _participants(wb, f, result)
        _problems(wb, f, result)
        _about(wb, f, result)
        wb.close()
        splice(tmp, fast)
    return Path(path)


def _dynamics(wb, f, result: Consolidation) -> None:
    """«Динамика»: plan and fact of every indicator by year up to this one, from the records of the
    earlier years, the definition's past facts and this year's result."""
    from .dynamics import add_dynamics_sheet
    from .history import build_history

    records = result.records_dir if result.records_dir is not None else Path(result.inbox) / ".no-records"
    # a table only: the charts by year are in the workbook of `kc-workbook history`
    add_dynamics_sheet(wb, f, build_history(result.program, records, current=result), result.year, charts=False)


def _inputs(wb, f, result: Consolidation) -> FastRows:
    """The provenance of every value: its rows go to the XML directly (fastsheet), not cell by cell."""
    headers = ["Код", "Исходные данные", "Ед. изм.", "Участник", "Файл", "Лист", "Ячейка", "Введено", "Принято",
               "Итого по программе", "Примечание"]
    # The code column as wide as the longest code: a code is never split. Printed at 80 %, two pages
    # across (code and name repeated): the source (participant, file, cell) on the first, what was typed,
    # accepted and the total on the second.
    widths = [code_width(result.combined, 20), 50, 9, 26, 30, 10, 8, 14, 12, 13, 40]
    ws = _sheet(wb, f, "Исходные данные", f"Исходные данные за {result.year} год и их источники", headers, widths)
    fast = FastRows(ws, Path(wb.tmpdir) if wb.tmpdir else None)
    prog = result.program
    used = result.used
    r = 3
    who_height: dict = {}
    typed = f._get(("typed",), {"border": 1, "num_format": "#,##0.0##"})
    for code, combined in result.combined.items():
        inp = prog.inputs[code]
        # a count whole; a decimal as typed, up to three decimals (68,4 and 23 880,0, not 68,400)
        number = f.number(0) if inp.kind == "int" else typed
        name_height = row_height([inp.name], [widths[1]])  # the same for every supplier's row
        # Suppliers without a workbook have no cell to point at: one row says who they are,
        # so that a region-wide consolidation does not list thousands of empty rows.
        without = [s for s in inp.suppliers if s not in used]
        rows = [s for s in inp.suppliers if s in used] + ([None] if without else [])
        for supplier in rows:
            sub = used.get(supplier) if supplier else None
            cell = sub.cells.get(code) if sub else None
            if supplier is None:
                who = prog.participants[without[0]].short_name if len(without) == 1 else \
                    f"{len(without)} участн. без книги"
            else:
                who = prog.participants[supplier].short_name
            row = [code, inp.name, inp.unit, who, sub.name if sub else None, cell.sheet if cell else None,
                   cell.cell if cell else None, cell.raw if cell else None]
            cells = [(value, f.text) for value in row]
            cells.append((cell.value if cell and cell.ok else None, number))
            cells.append((None if combined.value is None else float(combined.value), number))
            if supplier is None:
                note = summarise_gaps({prog.participants[s].short_name: combined.gaps.get(
                    prog.participants[s].short_name, "книга не представлена") for s in without})
            elif cell is None or not cell.ok:
                note = combined.gaps.get(prog.participants[supplier].short_name, "")
            elif cell.value is None and not inp.required:
                note = "не заполнено (необязательное значение)"
            elif combined.value is None:
                note = "итог не определён: " + combined.reason
            else:
                note = cell.comment
            cells.append((note, f.text))
            # the participant's name and the file name wrap too (a long file name to three lines);
            # computed once per participant, as there are thousands of rows
            if (supplier, who) not in who_height:
                who_height[supplier, who] = row_height([who, sub.name if sub else None], [widths[3], widths[4]])
            height = max(name_height, who_height[supplier, who], row_height([note], [widths[10]]) if note else 0)
            fast.add(r, cells, height or None)
            r += 1
    ws.autofilter(2, 0, max(r - 1, 3), len(headers) - 1)
    ws.conditional_format(3, 9, max(r - 1, 3), 9, {"type": "blanks", "format": f.grey})
    return fast


PARTICIPANT_COLOURS = {ACCEPTED: GREEN, WITH_WARNINGS: YELLOW, WITH_ERRORS: RED, REJECTED: RED, MISSING: RED}


def _round_text(state) -> str:
    """«на доработке, круг 2; возвращено 26.11.2026» — the state, the round after a return, the return's date."""
    text = state.label + (f", круг {state.number}" if state.number > 1 else "")
    return text + (f"; возвращено {state.returned_at:%d.%m.%Y}" if state.returned_at else "")


def _participants(wb, f, result: Consolidation) -> None:
    headers = ["Код", "Участник", "Статус", "Файл", "Сохранён", "Версия книги", "Ошибок", "Предупр.",
               "Заполнил", "Письмо отправлено", "Ответ получен", "Состояние"]
    widths = [9, 22, 12, 22, 14, 7, 8, 8, 19, 14, 14, 16]  # one A4 landscape page at 80 %
    ws = _sheet(wb, f, "Участники", f"Книги участников за {result.year} год", headers, widths)
    rounds = result.rounds
    r = 3
    for p in result.participants:
        sub = p.submission
        contact = ", ".join(v for v in (sub.contacts.get("fio"), sub.contacts.get("position"), sub.contacts.get("phone"))
                            if v) if sub else ""
        row = [p.code, result.program.participants[p.code].short_name, VERDICT.label(p.status),
               sub.name if sub else None]
        for c, value in enumerate(row):
            _cell(ws, r, c, value, f.cell(PARTICIPANT_COLOURS.get(p.status)) if c == 2 else f.text)
        _cell(ws, r, 4, sub.saved_at if sub else None, f.when)
        _cell(ws, r, 5, sub.template_version if sub else None, f.text)
        _cell(ws, r, 6, p.errors, f.int)
        _cell(ws, r, 7, p.warnings, f.int)
        _cell(ws, r, 8, contact, f.text)
        # the dates of the round: the answer is that of the workbook in use, as `status` shows it
        _cell(ws, r, 9, rounds[p.code].sent_at, f.when)
        _cell(ws, r, 10, rounds[p.code].answered_at, f.when)
        state = _round_text(rounds[p.code])
        _cell(ws, r, 11, state, f.text)
        _fit_height(ws, r, row + [None, None, None, None, contact, None, None, state], widths)
        r += 1
    last = max(r - 1, 3)
    ws.autofilter(2, 0, last, len(headers) - 1)
