"""Participant input workbooks: one per participant that supplies data for the year.

Each workbook checks itself while it is being filled (a check column and a summary
cell), and carries its identity (program, fingerprint, participant, year) in a hidden
sheet, never in the file name.

Longer than our usual module (about 560 lines) on purpose: each check formula sits next to
its Python twin (``check_text``, ``measure_check_text``) that writes its cached value, and
the sheets share formats, the summary cell and the protection. The own-indicators table
is in ``justification``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator
from pathlib import Path

from . import __version__
from . import layout as L
from .cells import code_width, column_letter, row_height
from .model import Input, Measure, Program
from .notation import format_number
from .output import atomic_path
from .vocabulary import INDICATOR_STATUS, INT, MEASURE_DONE, MEASURE_STATUS, NO_DATA, SOURCES
from .styles import DEFAULT_FONT, GREEN, HEAD_FILL, INPUT_FILL, RED, YELLOW, status_format

# The measures sheet shows and the participant types labels («выполнено»), not codes.
DONE_LABEL = MEASURE_STATUS.label(MEASURE_DONE)

FIRST_DATA_ROW = 4  # 0-based: row 5 in Excel

# The functions our check formulas use: all of them exist since Excel 2007, none needs the
# "_xlfn." prefix that xlsxwriter looks for with some sixty regular expressions per formula.
_CLASSIC = {"IF", "ISBLANK", "ISNUMBER", "NOT", "INT", "AND", "OR", "N", "LEN", "TRIM", "SUMPRODUCT", "LEFT",
            "COUNT", "ROUND", "IFERROR"}
_FUNCTION = re.compile(r"([A-Z][A-Z0-9.]*)\(")


# Overriding this private method saves about a quarter of the time generate spends per workbook
# (scripts/measure_formula_override.py); tests/test_generate_formats.py pins its signature and checks
# that the shortcut returns what XlsxWriter's own method returns for every formula we write.
@functools.lru_cache(maxsize=1)
def classic_formula_worksheet():
    from xlsxwriter.worksheet import Worksheet

    class ClassicFormulas(Worksheet):
        def _prepare_formula(self, formula, expand_future_functions=False):
            if set(_FUNCTION.findall(formula)) <= _CLASSIC:
                return formula[1:] if formula.startswith("=") else formula
            return super()._prepare_formula(formula, expand_future_functions)

    return ClassicFormulas

VALUE_COL = 3  # D: fixed, the summary and the instructions count on it


def workbook_file_name(program: Program, participant: str, year: int) -> str:
    p = program.participants[participant]
    return L.safe_file_name(f"{year} {p.short_name} ({participant})") + ".xlsx"


def generate(program: Program, year: int, out_dir: str | Path,
             previous: dict[str, dict[str, float]] | None = None, previous_year: int | None = None) -> Iterator[Path]:
    """Write one workbook per supplying participant; yield each path as it is written.

    ``previous``: participant → {input code: value accepted for ``previous_year``} (by
    default the year before); each workbook then shows its own last year's values.
    """
    out_dir = Path(out_dir)
    for code in program.suppliers(year):
        path = out_dir / workbook_file_name(program, code, year)
        own_previous = None if previous is None else previous.get(code, {})
        write_participant_workbook(program, code, year, path, previous=own_previous, previous_year=previous_year)
        yield path


def _upper_in_workbook(inp: Input, own: dict[str, Input]) -> bool:
    return inp.upper is not None and all(name in own for name in inp.upper.names)


def check_text(raw, inp: Input, upper_value: float | None, upper_row: str = "") -> str:
    """What the check column's formula shows for ``raw``: the cached value we write with it."""
    if raw is None or raw == "":
        return _empty_text(inp)
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        return "Проверьте: введён текст, нужно число"
    if raw < inp.lower_bound:
        return f"{L.CHECK_ERROR_PREFIX}: меньше {format_number(inp.lower_bound)}"
    if inp.kind == INT and raw != int(raw):
        return f"{L.CHECK_ERROR_PREFIX}: нужно целое число"
    if upper_value is not None and raw > upper_value:
        return f"{L.CHECK_ERROR_PREFIX}: больше, чем {upper_row}"
    return L.CHECK_OK


def _check_formula(cell: str, inp: Input, upper_row: str, with_upper: bool) -> str:
    """The same rules as ``check_text``, as an Excel formula; input codes are defined names."""
    inner = f'"{L.CHECK_OK}"'
    if with_upper:
        guards = ",".join(f"ISNUMBER({n})" for n in inp.upper.names)
        inner = f'IF(AND({guards},{cell}>({inp.upper.text})),"{L.CHECK_ERROR_PREFIX}: больше, чем {upper_row}",{inner})'
    if inp.kind == INT:
        inner = f'IF({cell}<>INT({cell}),"{L.CHECK_ERROR_PREFIX}: нужно целое число",{inner})'
    bound = f"{inp.lower_bound:g}"
    inner = f'IF({cell}<{bound},"{L.CHECK_ERROR_PREFIX}: меньше {format_number(inp.lower_bound)}",{inner})'
    inner = f'IF(NOT(ISNUMBER({cell})),"Проверьте: введён текст, нужно число",{inner})'
    return f'=IF(ISBLANK({cell}),"{_empty_text(inp)}",{inner})'


def _empty_text(inp: Input) -> str:
    """An empty cell: a participant should see which values it may leave empty."""
    return L.CHECK_EMPTY if getattr(inp, "required", True) else f"{L.CHECK_EMPTY} (необязательно)"


def write_participant_workbook(
    program: Program,
    participant: str,
    year: int,
    path: str | Path,
    values: dict[str, object] | None = None,
    comments: dict[str, str] | None = None,
    measures: dict[str, dict] | None = None,
    contacts: dict[str, str] | None = None,
    sample: bool = False,
    saved_at: dt.datetime | None = None,
    justifications: dict[int, str] | None = None,
    previous: dict[str, float] | None = None,
    previous_year: int | None = None,
    remarks: dict[tuple[str, str], str] | None = None,
) -> Path:
    """Write the workbook of ``participant`` for ``year``.

    ``values``/``comments``/``measures``/``contacts``/``justifications`` pre-fill it (``measures``:
    code → {"municipal"/"regional"/"offbudget": fact, "status": …, "reason": …};
    ``justifications``: indicator number → reason) (the demo uses them to play a participant);
    ``previous`` (input code → value accepted for ``previous_year``, by default ``year - 1``)
    adds a locked column of last year's values; ``saved_at`` is the time recorded in the
    file (fixed by default, so that the same program and year give a byte-identical workbook).
    ``remarks`` ((sheet, cell) → text): cells highlighted, each with a note saying what is wrong
    (a workbook returned for correction, ``returns``).
    """
    import xlsxwriter

    values, comments, contacts = values or {}, comments or {}, contacts or {}
    person = program.participants[participant]
    inputs = program.inputs_of(participant)
    with atomic_path(path) as tmp:
        # Arial 10 as the default font, as in the report: without it the column widths are
        # measured in Calibri, which LibreOffice replaces by a wider font where Calibri is
        # missing, and the sheets print at 60–70 % (below 8 pt).
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False, "in_memory": True,
                                            "default_format_properties": dict(DEFAULT_FONT)})
        wb.set_properties({
            "title": f"Сведения за {year} год — {person.short_name}",
            "subject": program.name,
            "author": "kc_workbook",
            "company": "Администрация муниципального образования «Город Кирово-Чепецк»",
            "created": saved_at or dt.datetime(year + 1, 1, 1),
        })
        f = _formats(wb)
        from .justification import own_indicators

        _title_sheet(wb, f, program, person, year, contacts, sample, bool(inputs and own_indicators(program, participant)))
        if inputs:
            last_year = previous_year or year - 1
            _data_sheet(wb, f, program, participant, year, inputs, values, comments, justifications or {},
                        None if previous is None else (last_year, previous))
        own_measures = program.measures_of(participant, year)
        if own_measures:
            _measures_sheet(wb, f, program, participant, year, own_measures, measures or {}, activate=not inputs)
        _identity_sheet(wb, program, participant, year)
        if remarks:
            _remark_cells(wb, remarks)
        wb.close()
    return Path(path)


def _remark_cells(wb, remarks: dict[tuple[str, str], str]) -> None:
    """Highlight each cell with a remark and attach the remark as a note (in a fixed order)."""
    mark = wb.add_format(status_format(RED))
    for (sheet, cell), text in sorted(remarks.items()):
        ws = wb.get_worksheet_by_name(sheet) if sheet else None
        if ws is None or not cell:
            continue
        ws.conditional_format(cell, {"type": "formula", "criteria": "TRUE", "format": mark})
        ws.write_comment(cell, text, {"author": "kc_workbook", "x_scale": 3, "y_scale": 2.5})


# Input cells: a count with thousands separated, anything else as typed. Never "#,##0.###":
# Excel shows a whole number in it with a trailing decimal comma («420,»).
COUNT_FORMAT = "#,##0"
MONEY_FORMAT = "#,##0.0"
# On the sheets we write, every text that looks like a number (a year, a code) is text on purpose.
_ALL_CELLS = "A1:XFD1048576"


def _formats(wb) -> dict:
    base = {"font_name": "Arial", "font_size": 10, "valign": "top"}
    numbers: dict[str, object] = {}

    def number(num_format: str):
        if num_format not in numbers:
            numbers[num_format] = wb.add_format({**base, "border": 1, "num_format": num_format})
        return numbers[num_format]

    return {
        "_base": base,
        "_number": number,
        "title": wb.add_format({**base, "bold": True, "font_size": 12, "text_wrap": True}),
        "text": wb.add_format({**base, "text_wrap": True}),
        "label": wb.add_format({**base, "bold": True, "text_wrap": True}),
        "head": wb.add_format({**base, "bold": True, "bg_color": HEAD_FILL, "border": 1, "text_wrap": True, "align": "center"}),
        "cell": wb.add_format({**base, "border": 1, "text_wrap": True}),
        "input_int": wb.add_format({**base, "border": 1, "bg_color": INPUT_FILL, "locked": False, "num_format": COUNT_FORMAT}),
        "input_num": wb.add_format({**base, "border": 1, "bg_color": INPUT_FILL, "locked": False}),
        # a fraction in a count: always a digit after the comma, so never «420,»
        "fraction": wb.add_format({"num_format": "#,##0.0#########", **status_format(RED)}),
        "previous": wb.add_format({**base, "border": 1, "bg_color": "#F2F2F2"}),
        "previous_int": wb.add_format({**base, "border": 1, "bg_color": "#F2F2F2", "num_format": COUNT_FORMAT}),
        "previous_none": wb.add_format({**base, "border": 1, "bg_color": "#F2F2F2", "font_color": "#808080"}),
        "input_text": wb.add_format({**base, "border": 1, "bg_color": INPUT_FILL, "locked": False, "text_wrap": True}),
        "code": wb.add_format({**base, "border": 1, "font_color": "#808080"}),
        "summary": wb.add_format({**base, "bold": True}),
        "sample": wb.add_format({**base, "bold": True, "font_color": "#C00000", "font_size": 12}),
        "red": wb.add_format(status_format(RED)),
        "yellow": wb.add_format(status_format(YELLOW)),
        "green": wb.add_format(status_format(GREEN)),
    }


TITLE_WIDTHS = [24, 72]  # label, value: portrait A4 at 100 %


def _title_sheet(wb, f, program: Program, person, year: int, contacts: dict, sample: bool,
                 own_indicators: bool = False) -> None:
    ws = wb.add_worksheet(L.SHEET_TITLE)
    ws.set_column(0, 0, TITLE_WIDTHS[0])
    ws.set_column(1, 1, TITLE_WIDTHS[1])  # portrait A4 at 100 %
    ws.merge_range(0, 0, 0, 1, "Сведения для годового отчёта о реализации муниципальной программы", f["title"])
    ws.merge_range(1, 0, 1, 1, f"«{program.name}»", f["text"])
    ws.set_row(1, max(row_height([f"«{program.name}»"], [TITLE_WIDTHS[0] + TITLE_WIDTHS[1]]), 30))
    if sample:
        ws.merge_range(2, 0, 2, 1, "ОБРАЗЕЦ: демонстрационные данные kc_workbook, не являются официальными", f["sample"])
    rows = [
        ("Участник", person.name),
        ("Отчётный год", str(year)),
        ("Срок представления", program.deadline or "указан в сопроводительном письме"),
        ("Редакция программы", program.amendment or "—"),
    ]
    r = 3
    for label, value in rows:
        ws.write_string(r, 0, label, f["label"])
        ws.write_string(r, 1, value, f["text"])
        # a long name wraps: its row grows, or its second line prints over the next row
        height = row_height([value], [TITLE_WIDTHS[1]])
        if height:
            ws.set_row(r, height)
        r += 1
    r += 1
    for key, label in L.CONTACTS.items():
        ws.write_string(r, 0, label, f["label"])
        ws.write_string(r, 1, str(contacts.get(key, "")), f["input_text"])
        r += 1
    r += 1
    ws.write_string(r, 0, "Как заполнить", f["label"])
    steps = [
        f"На листе «{L.SHEET_DATA}» заполните жёлтые ячейки: значение за {year} год и, если нужно, комментарий.",
        "Вводите только число; пояснения пишите в столбце «Комментарий».",
        "Столбец «Проверка» и «Итог проверки» сразу показывают ошибки: исправьте их до отправки.",
        "Не удаляйте листы и строки, не меняйте столбец «Код». Имя файла менять можно.",
        "Сохраните книгу (.xlsx, .xls или .ods) и отправьте её ответным письмом.",
    ]
    if own_indicators:
        steps.insert(3, f"Под исходными данными — показатели, которые рассчитываются только по вашим данным. Если план "
                        f"не достигнут, укажите в столбце «{L.HEAD_JUSTIFICATION}» причину: без неё проверка покажет "
                        "ошибку.")
    steps = [f"{i}. {step}" for i, step in enumerate(steps, 1)]
    for step in steps:
        ws.write_string(r, 1, step, f["text"])
        height = row_height([step], [TITLE_WIDTHS[1]])
        if height:
            ws.set_row(r, height)
        r += 1
    ws.ignore_errors({"number_stored_as_text": _ALL_CELLS})
    ws.protect("", {"format_columns": True, "format_rows": True})
    ws.set_paper(9)
    ws.set_margins(left=0.5, right=0.5)
    ws.fit_to_pages(1, 0)


def _data_columns(with_previous: bool) -> dict[str, int]:
    keys = ["number", "name", "unit", "value"] + (["previous"] if with_previous else []) + ["comment", "check", "code"]
    return {k: c for c, k in enumerate(keys)}


# Landscape A4 fitted to width prints at about 86 % (8 columns: 81 %) of Arial 10: never below 8 pt.
_WIDTHS = {"number": 5, "name": 54, "unit": 9, "value": 15, "previous": 14, "comment": 24, "check": 28, "code": 20}


def _data_widths(inputs: list[Input]) -> dict[str, int]:
    """The column widths of «Данные»: the code column as wide as the longest code (a code is
    never wrapped or cut), the name column narrower by as much, so the page keeps its scale."""
    extra = code_width((inp.code for inp in inputs), _WIDTHS["code"]) - _WIDTHS["code"]
    return {**_WIDTHS, "code": _WIDTHS["code"] + extra, "name": _WIDTHS["name"] - extra}


def _data_sheet(wb, f, program: Program, participant: str, year: int, inputs: list[Input], values: dict, comments: dict,
                reasons: dict, previous: tuple[int, dict] | None):
    from .justification import own_indicators, write_section

    person = program.participants[participant]
    ws = wb.add_worksheet(L.SHEET_DATA, worksheet_class=classic_formula_worksheet())
    cols = _data_columns(previous is not None)
    last_col = len(cols) - 1
    widths = _data_widths(inputs)
    for key, c in cols.items():
        ws.set_column(c, c, widths[key])
    check_letter = column_letter(cols["check"])
    ws.merge_range(0, 0, 0, last_col, f"Исходные данные за {year} год — {person.short_name}", f["title"])
    ws.write_string(1, 1, "Итог проверки:", f["label"])
    headers = {"number": L.HEAD_NUMBER, "name": L.HEAD_NAME, "unit": L.HEAD_UNIT, "value": L.value_header(year),
               "comment": L.HEAD_COMMENT, "check": L.HEAD_CHECK, "code": L.HEAD_CODE}
    if previous is not None:
        headers["previous"] = L.previous_header(previous[0])
    for key, text in headers.items():
        ws.write_string(FIRST_DATA_ROW - 1, cols[key], text, f["head"])
    # bold headers wrap («Значение за 2025 год» takes two lines)
    ws.set_row(FIRST_DATA_ROW - 1, max(row_height(list(headers.values()), [widths[k] * 0.85 for k in headers]), 15))
    row_of = {inp.code: FIRST_DATA_ROW + i for i, inp in enumerate(inputs)}
    own = {inp.code: inp for inp in inputs}
    checks = []
    for i, inp in enumerate(inputs):
        r = row_of[inp.code]
        cell = f"D{r + 1}"
        ws.write_number(r, cols["number"], i + 1, f["cell"])
        ws.write_string(r, cols["name"], inp.name, f["cell"])
        ws.write_string(r, cols["unit"], inp.unit, f["cell"])
        raw = values.get(inp.code)
        style = f["input_int"] if inp.kind == "int" else f["input_num"]
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            ws.write_number(r, VALUE_COL, raw, style)
        elif raw not in (None, ""):
            ws.write_string(r, VALUE_COL, str(raw), style)
        else:
            ws.write_blank(r, VALUE_COL, None, style)
        if previous is not None:
            last = previous[1].get(inp.code)
            if isinstance(last, (int, float)) and not isinstance(last, bool):
                ws.write_number(r, cols["previous"], last,
                                f["previous_int"] if inp.kind == "int" and last == int(last) else f["previous"])
            else:
                ws.write_string(r, cols["previous"], INDICATOR_STATUS.label(NO_DATA), f["previous_none"])
        ws.write_string(r, cols["comment"], comments.get(inp.code, ""), f["input_text"])
        with_upper = _upper_in_workbook(inp, own)
        upper_row = ""
        upper_value = None
        if with_upper:
            upper_row = "строка № " + ", ".join(str(row_of[n] - FIRST_DATA_ROW + 1) for n in inp.upper.names)
            known = {n: values.get(n) for n in inp.upper.names}
            if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in known.values()):
                try:
                    upper_value = inp.upper.evaluate({n: float(v) for n, v in known.items()})
                except ZeroDivisionError:
                    upper_value = None
        result = check_text(raw, inp, upper_value, upper_row)
        checks.append(result)
        # the row as high as the longest of the name, a comment given and the check's text
        height = row_height([inp.name, comments.get(inp.code, ""), result],
                            [widths["name"], widths["comment"], widths["check"]])
        if height:
            ws.set_row(r, height)
        ws.write_formula(r, cols["check"], _check_formula(cell, inp, upper_row, with_upper), f["cell"], result)
        ws.write_string(r, cols["code"], inp.code, f["code"])
        ws.data_validation(r, VALUE_COL, r, VALUE_COL, _validation(inp))
        wb.define_name(inp.code, f"='{L.SHEET_DATA}'!$D${r + 1}")
    first, last = FIRST_DATA_ROW + 1, FIRST_DATA_ROW + len(inputs)
    # A fraction typed into a count shows as typed (in red), not rounded by the count's format.
    counts = [f"D{row_of[inp.code] + 1}" for inp in inputs if inp.kind == "int"]
    if counts:
        ws.conditional_format(counts[0], {"type": "formula", "criteria": f"=AND(ISNUMBER({counts[0]}),"
                                          f"{counts[0]}<>INT({counts[0]}))", "format": f["fraction"],
                                          "multi_range": " ".join(counts)})
    end = last
    indicators = own_indicators(program, participant)
    if indicators:
        end, more = write_section(ws, f, program, year, indicators, last + 1, cols, values, reasons,
                                  widths["name"])
        end += 1
        checks += more
    filled = sum(1 for inp in inputs if isinstance(values.get(inp.code), (int, float))
                 and not isinstance(values.get(inp.code), bool))
    _summary_cell(ws, f, f"{check_letter}{first}:{check_letter}{end}", checks, f"COUNT(D{first}:D{last})", filled,
                  len(inputs))
    # Excel's "number stored as text" marker stays on the value column, where it points at a mistake.
    ws.ignore_errors({"number_stored_as_text": "A1:C1048576 E1:XFD1048576"})
    _finish_table(ws, FIRST_DATA_ROW, activate=True)


M_FIRST_ROW = 4
# Landscape A4 at about 81 %: above 8 pt. Every word of a header fits its column in bold, as LibreOffice
# prints it (a header never breaks inside a word): the off-budget columns as wide as «внебюджетные,»,
# «Срок выполнения (факт)» as «выполнения»; the status wraps («выполнено / частично»).
MEASURE_WIDTHS = [4, 12, 20, 10, 10, 15, 10, 10, 15, 11, 12, 11, 12, 12]
M_PLAN_COL = {"municipal": 3, "regional": 4, "offbudget": 5}
M_FACT_COL = {"municipal": 6, "regional": 7, "offbudget": 8}
M_STATUS_COL, M_REASON_COL, M_CHECK_COL = 9, 10, 11
M_TERM_COL, M_RESULT_COL = 12, 13  # the actual dates and the result achieved, as the participant writes them


def measure_check_text(plan: dict, fact: dict, status, reason) -> str:
    """What the measures sheet's check formula shows: the cached value we write with it."""
    if status in (None, ""):
        return L.CHECK_EMPTY
    if status != DONE_LABEL and not (reason or "").strip():
        return f"{L.CHECK_ERROR_PREFIX}: укажите причину"
    if any(isinstance(fact.get(k), (int, float)) and fact[k] > plan[k] for k in SOURCES):
        return "Проверьте: факт больше плана"
    return L.CHECK_OK


def _measures_sheet(wb, f, program: Program, participant: str, year: int, own: list[Measure], filled: dict,
                    activate: bool) -> None:
    ws = wb.add_worksheet(L.SHEET_MEASURES, worksheet_class=classic_formula_worksheet())
    widths = MEASURE_WIDTHS
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    person = program.participants[participant]
    ws.merge_range(0, 0, 0, M_RESULT_COL, f"Выполнение мероприятий программы за {year} год — {person.short_name}",
                   f["title"])
    ws.write_string(1, 2, "Итог проверки:", f["label"])
    headers = ([L.HEAD_NUMBER, L.HEAD_MEASURE_CODE, L.HEAD_MEASURE_NAME] + [L.plan_header(k) for k in SOURCES]
               + [L.fact_header(k) for k in SOURCES] + [L.HEAD_STATUS, L.HEAD_REASON, L.HEAD_CHECK, L.HEAD_TERM_FACT,
                                                         L.HEAD_RESULT_FACT])
    ws.write_row(M_FIRST_ROW - 1, 0, headers, f["head"])
    # «Причина (если выполнено не полностью)» takes five lines (counted as plain text: the count for bold
    # splits «областной» in a column that holds it)
    ws.set_row(M_FIRST_ROW - 1, max(row_height(headers, widths), 56))
    money_fixed = f["_number"](MONEY_FORMAT)
    money_input = wb.add_format({**f["_base"], "border": 1, "num_format": MONEY_FORMAT, "bg_color": INPUT_FILL,
                                 "locked": False})
    checks = []
    for i, m in enumerate(own):
        r = M_FIRST_ROW + i
        n = r + 1
        given = filled.get(m.code, {})
        ws.write_number(r, 0, i + 1, f["cell"])
        ws.write_string(r, 1, m.code, f["code"])
        planned = "; ".join(part for part in (f"срок: {m.term}" if m.term else "",
                                              f"ожидаемый результат: {m.result}" if m.result else "") if part)
        name = f"{m.name}\n({planned})" if planned else m.name
        ws.write_string(r, 2, name, f["cell"])
        ws.write_string(r, M_TERM_COL, str(given.get("term", "")), f["input_text"])
        ws.write_string(r, M_RESULT_COL, str(given.get("achieved", "")), f["input_text"])
        # one value per column: the name is in the third
        shown = [None, None, name] + [None] * 6 + [given.get("status"), given.get("reason"), None,
                                                   given.get("term"), given.get("achieved")]
        height = row_height(shown, widths)
        if height:
            ws.set_row(r, height)
        for k in SOURCES:
            ws.write_number(r, M_PLAN_COL[k], m.plan[k], money_fixed)
            value = given.get(k)
            if isinstance(value, (int, float)):
                ws.write_number(r, M_FACT_COL[k], value, money_input)
            elif value not in (None, ""):
                ws.write_string(r, M_FACT_COL[k], str(value), money_input)
            else:
                ws.write_blank(r, M_FACT_COL[k], None, money_input)
            ws.data_validation(r, M_FACT_COL[k], r, M_FACT_COL[k], {
                "validate": "decimal", "criteria": ">=", "value": 0, "error_title": "Неверное значение",
                "error_message": "Введите сумму в тыс. руб., не меньше 0.", "input_title": "Факт, тыс. руб.",
                "input_message": "Фактические расходы на мероприятие в отчётном году, тыс. руб. (до 0,1)"})
        status, reason = given.get("status", ""), given.get("reason", "")
        ws.write_string(r, M_STATUS_COL, status, f["input_text"])
        ws.data_validation(r, M_STATUS_COL, r, M_STATUS_COL, {
            "validate": "list", "source": list(MEASURE_STATUS.labels), "error_title": "Неверный статус",
            "error_message": "Выберите статус из списка."})
        ws.write_string(r, M_REASON_COL, reason, f["input_text"])
        plan_col = {k: column_letter(M_PLAN_COL[k]) for k in SOURCES}
        fact_col = {k: column_letter(M_FACT_COL[k]) for k in SOURCES}
        st, rs = f"{column_letter(M_STATUS_COL)}{n}", f"{column_letter(M_REASON_COL)}{n}"
        over = ",".join(f"N({fact_col[k]}{n})>{plan_col[k]}{n}" for k in SOURCES)
        formula = (f'=IF(LEN({st})=0,"{L.CHECK_EMPTY}",IF(AND({st}<>"{DONE_LABEL}",LEN(TRIM({rs}))=0),'
                   f'"{L.CHECK_ERROR_PREFIX}: укажите причину",IF(OR({over}),"Проверьте: факт больше плана",'
                   f'"{L.CHECK_OK}")))')
        result = measure_check_text(m.plan, given, status, reason)
        checks.append(result)
        ws.write_formula(r, M_CHECK_COL, formula, f["cell"], result)
    first, last = M_FIRST_ROW + 1, M_FIRST_ROW + len(own)
    check, status_col = column_letter(M_CHECK_COL), column_letter(M_STATUS_COL)
    _summary_cell(ws, f, f"{check}{first}:{check}{last}", checks,
                  f'SUMPRODUCT(--(LEN({status_col}{first}:{status_col}{last})>0))',
                  sum(1 for m in own if filled.get(m.code, {}).get("status")), len(own))
    ws.ignore_errors({"number_stored_as_text": "A1:F1048576 J1:XFD1048576"})  # not on the facts typed in G:I
    _finish_table(ws, M_FIRST_ROW, activate)


def _finish_table(ws, first_row: int, activate: bool) -> None:
    """Frozen header, protection with only input cells unlocked, A4 landscape fitted to width."""
    ws.freeze_panes(first_row, 0)
    ws.protect("", {"format_columns": True, "format_rows": True})
    ws.set_landscape()
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(first_row - 1)
    if activate:
        ws.activate()


def _summary_cell(ws, f, check_range: str, checks: list[str], filled_formula: str, filled: int, total: int) -> None:
    """«Заполнено N из M» (with «, ошибок нет» once all is filled) / «Есть ошибки: K» in D2, and
    colours on the check column: the participant sees before sending that the workbook is done."""
    n_err = f'SUMPRODUCT(--(LEFT({check_range},{len(L.CHECK_ERROR_PREFIX)})="{L.CHECK_ERROR_PREFIX}"))'
    done = ", ошибок нет"
    summary = (f'=IF({n_err}>0,"Есть ошибки: "&{n_err},"Заполнено "&{filled_formula}&" из {total}"'
               f'&IF({filled_formula}={total},"{done}",""))')
    errors = sum(1 for c in checks if c.startswith(L.CHECK_ERROR_PREFIX))
    shown = f"Есть ошибки: {errors}" if errors else f"Заполнено {filled} из {total}" + (done if filled == total else "")
    ws.write_formula(1, 3, summary, f["summary"], shown)
    # the summary in red while there are errors: seen from the top of the sheet
    ws.conditional_format(1, 3, 1, 3, {"type": "text", "criteria": "begins with", "value": "Есть ошибки",
                                       "format": f["red"]})
    ws.conditional_format(check_range, {"type": "text", "criteria": "begins with", "value": L.CHECK_ERROR_PREFIX,
                                        "format": f["red"]})
    ws.conditional_format(check_range, {"type": "text", "criteria": "begins with", "value": "Проверьте",
                                        "format": f["yellow"]})
    ws.conditional_format(check_range, {"type": "cell", "criteria": "==", "value": f'"{L.CHECK_OK}"', "format": f["green"]})


def _validation(inp: Input) -> dict:
    whole = inp.kind == INT
    bound = int(inp.lower_bound) if whole else inp.lower_bound
    what = "целое число" if whole else "число"
    title = (inp.symbol or inp.code)[:32]
    return {
        "validate": "integer" if whole else "decimal",
        "criteria": ">=",
        "value": bound,
        "input_title": title,
        "input_message": f"{inp.name} ({inp.unit})"[:255],
        "error_title": "Неверное значение",
        "error_message": f"Введите {what} не меньше {format_number(float(bound))}.",
    }


def _identity_sheet(wb, program: Program, participant: str, year: int) -> None:
    ws = wb.add_worksheet(L.SHEET_IDENTITY)
    rows = [
        (L.ID_FORMAT, L.FORMAT),
        (L.ID_PROGRAM, program.program_id),
        (L.ID_FINGERPRINT, program.fingerprint),
        (L.ID_AMENDMENT, program.amendment),
        (L.ID_PARTICIPANT, participant),
        (L.ID_YEAR, str(year)),
        (L.ID_VERSION, __version__),
        *((L.ID_INPUT_PREFIX + inp.code, program.input_signature(inp.code)) for inp in program.inputs_of(participant)),
    ]
    for r, (key, value) in enumerate(rows):
        ws.write_string(r, 0, key)
        ws.write_string(r, 1, value)
    ws.ignore_errors({"number_stored_as_text": _ALL_CELLS})
    ws.protect("")
    ws.very_hidden()
