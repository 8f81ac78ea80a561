"""«Замечания»: every problem by kind (in Russian), place and what to do; the code last.
Files that are not workbooks at all (an Excel lock file, a letter) are listed apart and are
not counted as warnings."""

from __future__ import annotations

from .problems import problem_title
from .report_base import RED, _cell, _fit_height, _sheet
from .vocabulary import ERROR, NOTE, SEVERITY

SEVERITY_LABELS = dict(SEVERITY.items())  # derived, for callers of the earlier API
# The file column holds a name of some twenty letters without a space («ГЗ_показатели_итог.xlsx») on
# one line: LibreOffice breaks a longer one anywhere. One A4 landscape page wide, at about 82 %.
PROBLEM_WIDTHS = [4, 14, 16, 16, 21, 11, 7, 10, 27, 25, 13]


def problems_sheet(wb, f, result) -> None:
    headers = ["№", "Важность", "Вид замечания", "Участник", "Файл", "Лист", "Ячейка", "Значение", "Что не так",
               "Что сделать", "Код"]
    widths = PROBLEM_WIDTHS
    ws = _sheet(wb, f, "Замечания", f"Замечания по книгам участников за {result.year} год", headers, widths)
    names = result.program.participants
    small = f._get(("code",), {"border": 1, "font_color": "#595959", "text_wrap": True})
    r = 3
    problems = [p for p in result.problems if p.severity != NOTE]
    notes = [p for p in result.problems if p.severity == NOTE]
    for i, p in enumerate(problems, start=1):
        row = [i, SEVERITY.label(p.severity), problem_title(p.code),
               names[p.participant].short_name if p.participant in names else "", p.file, p.sheet, p.cell, p.value,
               p.message, p.hint, p.code]
        for c, value in enumerate(row):
            fmt = f.int if c == 0 else small if c == 10 else f.cell(RED) if c == 1 and p.severity == ERROR else f.text
            _cell(ws, r, c, value, fmt)
        _fit_height(ws, r, row, widths)
        r += 1
    if not problems:
        ws.merge_range(r, 0, r, len(headers) - 1, "Замечаний нет.", f.plain)
        r += 1
    last = max(r - 1, 3)
    ws.autofilter(2, 0, last, len(headers) - 1)
    if notes:
        r += 1
        ws.merge_range(r, 0, r, len(headers) - 1, "Пропущенные файлы: не книги электронной таблицы, ничего делать не "
                                                  "нужно (в число замечаний не входят)", f.bold)
        r += 1
        for p in notes:
            row = [None, None, problem_title(p.code), None, p.file, None, None, None, p.message, p.hint, p.code]
            for c, value in enumerate(row):
                _cell(ws, r, c, value, small if c == 10 else f.text)
            _fit_height(ws, r, row, widths)
            r += 1
