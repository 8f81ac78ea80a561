"""The workbook «Динамика» (xlsxwriter): plan and fact of every indicator by year, achieved or
not, a plan-vs-fact chart per indicator, and the outlook to 2030 with its method and limits.

``write_dynamics(history, path)`` writes the whole workbook for ``kc-workbook history``;
``add_dynamics_sheet(wb, formats, history, up_to_year)`` adds the same rows, up to a year, to
a workbook being written (the consolidated report of that year). Deterministic: fixed
document dates, stable order.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .cells import cell_name, row_height
from .notation import format_number
from .history import (AT_RISK, FIRST_YEAR, LAST_YEAR, NO_GOAL, ON_TRACK, OUTLOOK_LABELS, OUTLOOK_LIMITS,
                      OUTLOOK_METHOD, SOURCE_LABELS, TOO_FEW, History)
from .indicators import MET, MISSED, NO_DATA, NO_TARGET
from .output import atomic_path
from .report_base import title_row
from .sentences import shortened

from .vocabulary import DIRECTION, INDICATOR_STATUS, NO_TARGET_SHORT, SEVERITY
from .styles import DEFAULT_FONT, GREEN, GREY, HEAD_FILL, RED, YELLOW, status_format

SHEET = "Динамика"
OUTLOOK_SHEET = "Прогноз до 2030"
ROW_LABELS = ("План", "Факт", "Источник факта", "Итог")
CHART_W, CHART_H = 500, 290  # px: two side by side, two rows on an A4 landscape page
CHART_ROWS = 15  # rows (20 px) a chart takes, with a gap
CHARTS_PER_PAGE = 4


class Formats:
    """The report's look (same fonts and colours); any object with these attributes will do."""

    def __init__(self, wb):
        self.wb = wb
        base = {"font_name": "Arial", "font_size": 10, "valign": "top"}
        self.base = base
        self.title = wb.add_format({**base, "bold": True, "font_size": 13})
        self.head = wb.add_format({**base, "bold": True, "bg_color": HEAD_FILL, "border": 1, "text_wrap": True,
                                   "align": "center"})
        self.text = wb.add_format({**base, "border": 1, "text_wrap": True})
        self.plain = wb.add_format({**base, "text_wrap": True})
        self.bold = wb.add_format({**base, "bold": True, "text_wrap": True})
        self.int = wb.add_format({**base, "border": 1, "num_format": "0"})
        self.red = wb.add_format(status_format(RED))
        self.green = wb.add_format(status_format(GREEN))
        self.grey = wb.add_format(status_format(GREY))
        self.yellow = wb.add_format(status_format(YELLOW))
        self._numbers = {}

    def number(self, digits: int):
        if digits not in self._numbers:
            pattern = "0" if digits <= 0 else "0." + "0" * digits
            self._numbers[digits] = self.wb.add_format({**self.base, "border": 1, "num_format": pattern})
        return self._numbers[digits]


def write_dynamics(history: History, path: str | Path) -> Path:
    """The workbook of ``kc-workbook history``: «Динамика», «Прогноз до 2030», «Записи», «Замечания»."""
    import xlsxwriter

    with atomic_path(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False,
                                            "strings_to_numbers": False,
                                            "default_format_properties": dict(DEFAULT_FONT)})
        wb.set_properties({
            "title": f"Динамика показателей программы {FIRST_YEAR}–{LAST_YEAR} гг.",
            "subject": getattr(history.program, "name", ""),
            "author": "kc_workbook",
            "created": dt.datetime((history.last_year or FIRST_YEAR) + 1, 1, 1),
        })
        f = Formats(wb)
        add_dynamics_sheet(wb, f, history, LAST_YEAR).activate()
        _outlook_sheet(wb, f, history)
        _records_sheet(wb, f, history)
        _problems_sheet(wb, f, history)
        wb.close()
    return Path(path)


def _page(ws, header_row: int | None = None) -> None:
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    if header_row is not None:
        ws.repeat_rows(header_row)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    ws.set_footer("&L&A&CСтраница &P из &N")  # the sheet's name, as on the report's pages


def add_dynamics_sheet(wb, formats, history: History, up_to_year: int, name: str = SHEET, charts: bool = True):
    """Add the sheet «Динамика» (years 2019 … ``up_to_year``) to an open xlsxwriter workbook; return it.

    ``formats``: an object like ``Formats`` (the consolidated report's formats do), or None. Rows are
    written top to bottom and nothing is merged across rows, so a workbook in constant-memory mode
    (a large consolidation) can take the sheet too."""
    f = formats or Formats(wb)
    years = list(range(FIRST_YEAR, min(up_to_year, LAST_YEAR) + 1))
    ws = wb.add_worksheet(name)
    widths = [17] + [10] * len(years)
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    last_col = len(widths) - 1
    first_year_col, last_year_col = 1, len(years)
    # Across the table: in column A alone a wrapping title (the report's title format wraps) printed its
    # second line over the explanation below.
    title_row(ws, f, 0, last_col, f"Динамика показателей программы, {FIRST_YEAR}–{years[-1]} гг.", widths)
    found = ", ".join(str(y) for y in history.years_found if y <= years[-1]) or "нет"
    note = (f"План — целевые значения действующей редакции программы; факт — из записей сводки (годы: {found}), "
            "за остальные годы — с листа «Факт прошлых лет» определения программы. Факт округлён до точности "
            "цели и сравнивается с ней так же, как в отчёте: зелёный — достигнут, красный — не достигнут, "
            "серый — нет данных.")
    ws.set_row(1, row_height([note], [sum(widths)]) or 15)
    ws.merge_range(1, 0, 1, last_col, note, f.plain)
    header = 2
    ws.set_row(header, 18)
    ws.write_string(header, 0, "Показатель", f.head)
    for i, year in enumerate(years):  # a year is a heading, not a quantity: no thousands separator
        ws.write_string(header, first_year_col + i, str(year), f.head)
    ws.ignore_errors({"number_stored_as_text": f"B{header + 1}:{cell_name(header, len(years))}"})
    ws.freeze_panes(header + 1, 1)
    # 9 pt: the words fit a year's column and print above 8 pt («цель не установлена» is «нет цели» here)
    small = wb.add_format({**getattr(f, "base", {}), "border": 1, "font_size": 9})
    r = header + 1
    blocks = []
    for ind in history.indicators:
        title = f"{ind.number}. {ind.name} — {ind.unit}, {DIRECTION.label(ind.direction)}"
        ws.set_row(r, row_height([title], [sum(widths)]) or 15)
        ws.merge_range(r, 0, r, last_col, title, f.bold)
        top = r + 1
        plan_fmt = f.number(ind.precision)
        for k, label in enumerate(ROW_LABELS):
            ws.write_string(top + k, 0, label, f.bold if k == 1 else f.text)
            for i, year in enumerate(years):
                p = ind.points[year]
                c = first_year_col + i
                if k == 0:
                    _number(ws, top, c, p.plan, plan_fmt)
                elif k == 1:
                    _number(ws, top + 1, c, p.shown, plan_fmt)
                elif k == 2:
                    ws.write_string(top + 2, c, SOURCE_LABELS.get(p.source, "") if p.source else "", small)
                else:
                    ws.write_string(top + 3, c, _status_label(p.status), small)
        span_fact = f"{cell_name(top + 1, first_year_col)}:{cell_name(top + 1, last_year_col)}"
        span_status = f"{cell_name(top + 3, first_year_col)}:{cell_name(top + 3, last_year_col)}"
        below = cell_name(top + 3, first_year_col)  # relative: each fact cell looks at its own status cell
        for status, fmt in ((MISSED, f.red), (MET, f.green), (NO_DATA, f.grey)):
            label = INDICATOR_STATUS.label(status)
            ws.conditional_format(span_fact, {"type": "formula", "criteria": f'={below}="{label}"', "format": fmt})
            ws.conditional_format(span_status, {"type": "cell", "criteria": "==", "value": f'"{label}"', "format": fmt})
        blocks.append((ind, top))
        r = top + len(ROW_LABELS)
    table_end = r
    _page(ws, header)
    ws.print_area(0, 0, table_end - 1 + (_charts_rows(len(blocks)) if charts else 0), last_col)
    if charts:
        _charts(wb, ws, name, blocks, header, first_year_col, last_year_col, table_end + 1)
    return ws


def _status_label(status) -> str:
    """The status as the report says it, in a year's narrow column."""
    return NO_TARGET_SHORT if status == NO_TARGET else INDICATOR_STATUS.label(status) if status else ""


def _charts_rows(n: int) -> int:
    return 1 + ((n + 1) // 2) * CHART_ROWS


def _charts(wb, ws, sheet: str, blocks, header: int, c0: int, c1: int, start: int) -> None:
    """One small line chart per indicator, two per row, four per printed page."""
    ws.write_string(start, 0, "Графики: план и факт по годам", wb.add_format({"bold": True, "font_name": "Arial"}))
    breaks = [start]
    for k, (ind, top) in enumerate(blocks):
        chart = wb.add_chart({"type": "line"})
        chart.add_series({"name": "План", "categories": [sheet, header, c0, header, c1],
                          "values": [sheet, top, c0, top, c1],
                          "line": {"color": "#7F7F7F", "dash_type": "dash", "width": 1.5},
                          "marker": {"type": "diamond", "size": 5, "fill": {"color": "#7F7F7F"},
                                     "border": {"color": "#7F7F7F"}}})
        chart.add_series({"name": "Факт", "categories": [sheet, header, c0, header, c1],
                          "values": [sheet, top + 1, c0, top + 1, c1],
                          "line": {"color": "#2E75B6", "width": 2.25},
                          "marker": {"type": "circle", "size": 6, "fill": {"color": "#2E75B6"},
                                     "border": {"color": "#2E75B6"}}})
        title = f"{ind.number}. {ind.name}"
        chart.set_title({"name": shortened(title, 89),
                         "name_font": {"size": 11, "bold": True}})  # LibreOffice prints a chart's text smaller
        chart.set_legend({"position": "bottom", "font": {"size": 11}})
        chart.set_x_axis({"num_font": {"size": 11}})
        chart.set_y_axis({"num_font": {"size": 11}, "name": ind.unit, "name_font": {"size": 11},
                          "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
        chart.show_blanks_as("gap")
        chart.set_size({"width": CHART_W, "height": CHART_H})
        row = start + 1 + (k // 2) * CHART_ROWS
        if k % CHARTS_PER_PAGE == 0 and k:
            breaks.append(row)
        ws.insert_chart(row, 0, chart, {"x_offset": 5 + (k % 2) * (CHART_W + 15), "y_offset": 5,
                                        "object_position": 3})
    ws.set_h_pagebreaks(breaks)


def _number(ws, r: int, c: int, value, fmt) -> None:
    if value is None:
        ws.write_blank(r, c, None, fmt)
    else:
        ws.write_number(r, c, value, fmt)


def _outlook_sheet(wb, f, history: History) -> None:
    ws = wb.add_worksheet(OUTLOOK_SHEET)
    start = (history.last_year or FIRST_YEAR - 1) + 1
    years = list(range(start, LAST_YEAR + 1))
    widths = [5, 44, 13, 9, 12, 10] + [9] * len(years) + [24]
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    last_col = len(widths) - 1
    ws.write_string(0, 0, f"Прогноз достижения целей до {LAST_YEAR} года", f.title)
    ws.merge_range(1, 0, 1, last_col, OUTLOOK_METHOD, f.plain)
    ws.merge_range(2, 0, 2, last_col, OUTLOOK_LIMITS, f.plain)
    total = sum(widths)
    for r, text in ((1, OUTLOOK_METHOD), (2, OUTLOOK_LIMITS)):
        ws.set_row(r, row_height([text], [total]) or 15)
    header = 4
    ws.write_row(header, 0, ["№", "Показатель", "Направление", "Лет с фактом", "Изменение за год (наклон)", ""],
                 f.head)
    for i, year in enumerate(years):
        ws.write_number(header, 6 + i, year, f.head)
    ws.write_string(header, last_col, "Оценка", f.head)
    ws.set_row(header, 30)
    ws.freeze_panes(header + 1, 0)
    r = header + 1
    for ind in history.indicators:
        o = ind.outlook
        digits = ind.precision
        for c, value in enumerate((ind.number, ind.name, DIRECTION.label(ind.direction), o.facts)):
            fmt = f.int if c in (0, 3) else f.text
            ws.merge_range(r, c, r + 1, c, "", fmt)
            if isinstance(value, int):
                ws.write_number(r, c, value, fmt)
            else:
                ws.write_string(r, c, value, fmt)
        ws.merge_range(r, 4, r + 1, 4, "", f.number(digits + 1))
        _number(ws, r, 4, o.slope, f.number(digits + 1))
        ws.write_string(r, 5, "Цель", f.text)
        ws.write_string(r + 1, 5, "Прогноз", f.bold)
        for i, year in enumerate(years):
            _number(ws, r, 6 + i, ind.points[year].plan, f.number(digits))
            _number(ws, r + 1, 6 + i, o.projections.get(year), f.number(digits))
        verdict = o.label
        if o.status == AT_RISK:
            verdict += ": " + ", ".join(str(y) for y in o.missed_years)
        ws.merge_range(r, last_col, r + 1, last_col, verdict, f.text)
        if o.missed_years:
            for year in o.missed_years:
                if year in years:
                    ws.conditional_format(r + 1, 6 + years.index(year), r + 1, 6 + years.index(year),
                                          {"type": "no_errors", "format": f.red})
        height = row_height([ind.name], [widths[1]])  # the name spans two rows of 15 points
        if height > 30:
            ws.set_row(r + 1, height - 15)
        r += 2
    rng = f"{cell_name(header + 1, last_col)}:{cell_name(r - 1, last_col)}"
    for status, fmt in ((AT_RISK, f.red), (ON_TRACK, f.green), (TOO_FEW, f.grey), (NO_GOAL, f.grey)):
        ws.conditional_format(rng, {"type": "text", "criteria": "begins with", "value": OUTLOOK_LABELS[status],
                                    "format": fmt})
    _page(ws, header)


def _records_sheet(wb, f, history: History) -> None:
    ws = wb.add_worksheet("Записи")
    widths = [8, 60, 20, 40]
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    ws.write_string(0, 0, "Записи сводки по годам", f.title)
    ws.write_row(2, 0, ["Год", "Файл записи", "Отпечаток определения", "Примечание"], f.head)
    r = 3
    current = getattr(history.program, "fingerprint", None)
    for year, record in sorted(history.records.items()):
        fingerprint = record.data.get("program_fingerprint")
        note = "другая редакция определения" if record.other_definition else ""
        ws.write_number(r, 0, year, f.int)
        ws.write_string(r, 1, str(record.path), f.text)
        ws.write_string(r, 2, str(fingerprint or ""), f.text)
        ws.write_string(r, 3, note, f.text)
        r += 1
    if not history.records:
        ws.write_string(r, 0, "Записей сводки не найдено: факты взяты только с листа «Факт прошлых лет».", f.plain)
        r += 1
    r += 1
    ws.write_string(r, 0, f"Действующее определение программы: отпечаток {current}", f.plain)
    _page(ws, 2)


def _problems_sheet(wb, f, history: History) -> None:

    ws = wb.add_worksheet("Замечания")
    headers = ["№", "Важность", "Код", "Файл", "Лист", "Значение", "Что не так", "Что сделать"]
    widths = [4, 14, 18, 26, 10, 12, 40, 34]  # landscape A4 at above 80 %
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    ws.write_string(0, 0, "Замечания по записям лет", f.title)
    ws.write_row(2, 0, headers, f.head)
    r = 3
    for i, p in enumerate(history.problems, start=1):
        row = [i, SEVERITY.label(p.severity), p.code, p.file or "", p.sheet or "", p.value or "", p.message, p.hint]
        ws.write_number(r, 0, i, f.int)
        for c, value in enumerate(row[1:], start=1):
            ws.write_string(r, c, str(value), f.text)
        height = row_height(row, widths)
        if height:
            ws.set_row(r, height)
        r += 1
    if not history.problems:
        ws.merge_range(r, 0, r, len(headers) - 1, "Замечаний нет.", f.plain)
    error = SEVERITY.label("error")
    ws.conditional_format(3, 1, max(r - 1, 3), 1, {"type": "cell", "criteria": "==", "value": f'"{error}"',
                                                  "format": f.red})
    _page(ws, 2)


def summary_lines(history: History) -> list[str]:
    """A short Russian summary for the CLI."""
    lines = [f"Записи сводки: {', '.join(str(y) for y in history.years_found) or 'не найдены'}"]
    past_years = sorted({y for i in history.indicators for y, p in i.points.items() if p.source == "past_facts"})
    if past_years:
        lines.append(f"Факт прошлых лет (из определения программы): {', '.join(str(y) for y in past_years)}")
    errors = sum(1 for p in history.problems if p.severity == "error")
    lines.append(f"Замечания: ошибок {errors}, предупреждений {len(history.problems) - errors}")
    for p in history.problems[:10]:
        lines.append(f"  {p}")
    if len(history.problems) > 10:
        lines.append(f"  … и ещё {len(history.problems) - 10}: все на листе «Замечания»")
    risky = history.at_risk
    few = [i for i in history.indicators if i.outlook.status == TOO_FEW]
    lines.append(f"Прогноз до {LAST_YEAR} года: с риском недостижения — {len(risky)}, "
                 f"недостаточно данных — {len(few)}, из {len(history.indicators)}")
    for ind in risky:
        o = ind.outlook
        year = o.missed_years[-1]
        target = ind.points[year].plan
        since = f"; не достигается с {o.missed_years[0]} года" if o.missed_years[0] != year else ""
        name = shortened(ind.name, 50)
        lines.append(f"  {ind.number:>2}. прогноз на {year} год {format_number(o.projections[year], ind.precision)}, "
                     f"цель {format_number(target, ind.precision)}{since} ({name})")
    return lines
