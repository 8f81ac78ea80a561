"""The money sheets of the consolidated workbook: «Расходы» (the official table «Сведения об
использовании бюджетных ассигнований») and «Мероприятия» («Сведения о выполнении мероприятий»).

The finance department's figure is the one total of actual spending. The measures' own
figures are shown beside it only as a reconciliation: their sum, the difference and why.
"""

from __future__ import annotations

from .budget import execution
from .model import MONEY_TOLERANCE
from .notation import exact, format_money, rounded
from .report_base import GREEN, GREY, RED, YELLOW, _cell, _fit_height, _form
from .vocabulary import MEASURE_DONE, MEASURE_PARTIAL, MEASURE_STATUS, NO_REPORT, SOURCE, SOURCES

NOT_REPORTED = "не представлена"


def source_label(key: str) -> str:
    return SOURCE.label(key) if key in SOURCE else "Всего"


def spending_sheet(wb, f, result) -> None:
    b = result.budget
    listed, january = b.rospis_dec, b.rospis_jan
    # (header, width, value for a source key); the January list only when it is reported
    columns = [
        ("Источник финансирования", 34, source_label),
        ("План по паспорту программы, тыс. руб.", 15, lambda k: b.plan[k]),
        *([("Сводная бюджетная роспись на 1 января, тыс. руб.", 16, lambda k: january.get(k))] if january else []),
        ("Сводная бюджетная роспись на 31 декабря, тыс. руб.", 17,
         lambda k: listed.get(k) if listed else NOT_REPORTED),
        ("Кассовое исполнение, тыс. руб.", 15, lambda k: b.fact[k]),
        ("Исполнение к плану по паспорту, %", 13, lambda k: b.execution[k]),
        ("Исполнение к сводной бюджетной росписи, %", 13,
         lambda k: execution(listed.get(k), b.fact[k]) if listed else None),
        ("Примечание", 50 - (16 if january else 0), lambda k: _note(b, k)),
    ]
    headers = [c[0] for c in columns]
    widths = [c[1] for c in columns]
    ws, r = _form(wb, f, "Расходы", "Сведения об использовании бюджетных ассигнований",
                  result.program.name, result.year, headers, widths, repeat=False)
    for key in (*SOURCES, "total"):
        total = key == "total"
        row = [c[2](key) for c in columns]
        for c, value in enumerate(row):
            if c in (0, len(row) - 1):
                fmt = f.cell(bold=total)
            elif value == NOT_REPORTED:
                fmt = f.cell(GREY)
            else:
                fmt = f.money(bold=total)
            _cell(ws, r, c, value, fmt)
        _fit_height(ws, r, row, widths)
        r += 1
    if not listed:
        text = ("Сводная бюджетная роспись на 31 декабря департаментом финансов не представлена: "
                "исполнение рассчитано к плану по паспорту программы.")
        ws.merge_range(r, 0, r, len(headers) - 1, text, f.plain)
        r += 1
    # Where the measures' spending disagrees with the total, say so right under the total.
    r = _reconciliation(ws, f, result, r + 1, widths)
    if b.measures:  # the measures on a page of their own: the table by source is never split from its total
        ws.set_h_pagebreaks([r])
    _by_measure(ws, f, result, r + 1, widths)


def _note(b, key: str) -> str:
    if b.execution[key] is not None:
        return ""
    return b.reasons.get("plan") or b.reasons.get("fact") or ("план равен 0" if b.plan[key] == 0 else "")


def _by_measure(ws, f, result, r: int, widths) -> int:
    """Seven columns under the table by source, whatever its width; the note in the last one."""
    b = result.budget
    names = result.program.participants
    last = len(widths) - 1
    if not b.measures:
        ws.merge_range(r, 0, r, last, "Мероприятия на год в определении программы не указаны: расходы по "
                                      "мероприятиям и ответственным участникам не приводятся.", f.plain)
        return r + 1
    ws.merge_range(r, 0, r, last, "В том числе по мероприятиям и ответственным участникам (по данным участников), "
                                  "тыс. руб.", f.bold)
    r += 1
    heads = ["Мероприятие", "Ответственный участник", "План", "Факт", "Исполнение, %", None, "Примечание"]
    for c, text in enumerate(heads):
        if c == 4:
            ws.merge_range(r, 4, r, 5, text, f.head)
        elif c == 6:
            _span(ws, r, 6, last, text, f.head)
        elif text is not None:
            ws.write_string(r, c, text, f.head)
    _fit_height(ws, r, heads, widths, bold=True)
    r += 1
    for m in b.measures:
        planned, spent = m.planned, m.spent
        over = spent is not None and spent > planned  # red, as on «Мероприятия»
        note = NO_REPORT if spent is None else ("расходы больше плана" if over else "")
        row = [f"{m.code} {m.name}", names[m.responsible].short_name, planned, spent, execution(planned, spent), None,
               note]
        for c, value in enumerate(row):
            if c == 4:
                ws.merge_range(r, 4, r, 5, None, f.money(RED if over else None))
            if c == 6:
                _span(ws, r, 6, last, value, f.cell(RED if over else None))
            elif c != 5:
                _cell(ws, r, c, value, f.text if c in (0, 1) else f.money(RED if over and c == 4 else None))
        _fit_height(ws, r, row, widths)
        r += 1
    r += 1
    ws.merge_range(r, 0, r, last, "По ответственным участникам (сумма по их мероприятиям), тыс. руб.", f.bold)
    r += 1
    for c, text in enumerate(heads):
        if c == 0:
            ws.merge_range(r, 0, r, 1, "Ответственный участник", f.head)
        elif c == 4:
            ws.merge_range(r, 4, r, 5, text, f.head)
        elif c == 6:
            _span(ws, r, 6, last, text, f.head)
        elif c in (2, 3):
            ws.write_string(r, c, text, f.head)
    r += 1
    for code, (planned, spent) in b.by_participant().items():
        ws.merge_range(r, 0, r, 1, names[code].short_name, f.text)
        _cell(ws, r, 2, planned, f.money())
        _cell(ws, r, 3, spent, f.money())
        over = spent is not None and spent > planned
        ws.merge_range(r, 4, r, 5, None, f.money(RED if over else None))
        _cell(ws, r, 4, execution(planned, spent), f.money(RED if over else None))
        _span(ws, r, 6, last, NO_REPORT if spent is None else "", f.text)
        r += 1
    return r


def _span(ws, r, first, last, value, fmt) -> None:
    if last > first:
        ws.merge_range(r, first, r, last, value or "", fmt)
    else:
        _cell(ws, r, first, value, fmt)


def reconciliation(result) -> list[tuple[str, float, float]]:
    """(source label, the measures' sum, the finance department's figure) where they differ."""
    b = result.budget
    if not b.measures or any(m.fact is None or None in m.fact.values() for m in b.measures):
        return []
    found = []
    for key in SOURCES:
        reported = b.fact[key]
        spent = rounded(sum(exact(m.fact[key]) for m in b.measures), 1)
        if reported is not None and abs(exact(spent) - exact(reported)) >= exact(MONEY_TOLERANCE):
            found.append((SOURCE.label(key), spent, reported))
    return found


def _reconciliation(ws, f, result, r: int, widths) -> int:
    last = len(widths) - 1
    diffs = reconciliation(result)
    if not diffs:
        b = result.budget
        if b.measures_spent is not None and all(b.fact[k] is not None for k in SOURCES):
            ws.merge_range(r, 0, r, last, "Расходы по мероприятиям совпадают с кассовым исполнением по данным "
                                          "департамента финансов.", f.plain)
            return r + 1
        return r
    ws.merge_range(r, 0, r, last, "Расхождение данных (итогом считается кассовое исполнение по данным департамента "
                                  "финансов)", f.bold)
    r += 1
    for label, spent, reported in diffs:
        text = (f"{label}: по мероприятиям (по данным ответственных участников) израсходовано {format_money(spent)} тыс. руб., "
                f"по данным департамента финансов — {format_money(reported)} тыс. руб.; разница "
                f"{format_money(rounded(exact(spent) - exact(reported), 1))} "
                "тыс. руб. В итог включено кассовое исполнение; расходы по мероприятиям нужно сверить с ним "
                "(департамент финансов и ответственные участники; лист «Замечания»).")
        ws.merge_range(r, 0, r, last, text, f.cell(YELLOW))
        _fit_height(ws, r, [text], [sum(widths)])
        r += 1
    return r


# «Исполнение, %» as wide as «Исполнение,» in bold: a header never breaks inside a word
MEASURE_WIDTHS = [8, 24, 14, 15, 22, 11, 11, 12, 12, 20, 17]
NOT_GIVEN = "—"


def plan_and_fact(plan: str, fact: str) -> str:
    """«план: …\nфакт: …» for the dates and results of a measure; «—» where one is not given."""
    return f"план: {plan or NOT_GIVEN}\nфакт: {fact or NOT_GIVEN}"


def measure_marks(m) -> list[str]:
    """What a reader must notice about a measure's report, in Russian."""
    marks = []
    if m.status is None:
        marks.append("сведения о выполнении не представлены")
        return marks
    if m.spent is not None and m.spent > m.planned:
        marks.append("расходы больше плана" + ("" if m.reason else ", пояснение не представлено"))
    if m.status != MEASURE_DONE and not m.reason:
        marks.append(f"«{MEASURE_STATUS.label(m.status)}», причина не указана")
    return marks


def measure_colour(m, marks) -> str:
    """Green only for a measure done in full, within plan, with nothing missing."""
    if marks or m.status is None:
        return RED
    if m.status == MEASURE_DONE:
        return YELLOW if m.spent is not None and m.spent > m.planned else GREEN
    return YELLOW if m.status == MEASURE_PARTIAL else RED


def measures_sheet(wb, f, result) -> None:
    b = result.budget
    names = result.program.participants
    headers = ["Код", "Мероприятие", "Ответственный участник", "Срок выполнения: план / факт",
               "Результат: ожидаемый / достигнутый", "Расходы по плану, тыс. руб.", "Расходы по факту, тыс. руб.",
               "Исполнение, %", "Статус", "Причина невыполнения / пояснение", "Требует внимания"]
    ws, r = _form(wb, f, "Мероприятия", "Сведения о выполнении мероприятий", result.program.name, result.year,
                  headers, MEASURE_WIDTHS)
    if not b.measures:
        ws.merge_range(r, 0, r, len(headers) - 1, "Мероприятия на год не определены (лист «Мероприятия» определения "
                                                  "программы).", f.plain)
        return
    for m in b.measures:
        marks = measure_marks(m)
        colour = measure_colour(m, marks)
        mark = "; ".join(marks)
        row = [m.code, m.name, names[m.responsible].short_name, plan_and_fact(m.term, m.term_fact),
               plan_and_fact(m.result, m.achieved), m.planned, m.spent, execution(m.planned, m.spent),
               MEASURE_STATUS.label(m.status) if m.status else NO_REPORT, m.reason, mark]
        for c, value in enumerate(row):
            if c == 8:
                fmt = f.cell(colour)
            elif c == 10:
                fmt = f.cell(RED if mark else None)
            elif c in (5, 6, 7):
                fmt = f.money()
            else:
                fmt = f.text
            _cell(ws, r, c, value, fmt)
        _fit_height(ws, r, row, MEASURE_WIDTHS)
        r += 1
