"""The consolidated workbook (xlsxwriter) and its JSON twin.

Everything that came from a participant is written as text or a number, never as a
formula or a link. The workbook is deterministic: fixed document dates, stable order.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from .cells import format_number, row_height
from .consolidate import PARTICIPANT_STATUS_LABELS, Consolidation
from .indicators import MET, MISSED, NO_DATA, STATUS_LABELS, summarise_gaps
from .output import atomic_path, scratch_dir, write_text_atomic
from .problems import ERROR
from .program import DIRECTION_LABELS

SEVERITY_LABELS = {"error": "ошибка", "warning": "предупреждение", "note": "примечание"}
LARGE_ROWS = 5000


def write_json(result: Consolidation, path: str | Path) -> Path:
    write_text_atomic(path, json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n")
    return Path(path)


def write_workbook(result: Consolidation, path: str | Path) -> Path:
    import xlsxwriter

    with atomic_path(path) as tmp:
        # A region-wide consolidation has tens of thousands of provenance rows: then rows go to
        # disk as they are written, so that memory does not grow with the number of files.
        large = sum(len(i.suppliers) for i in result.program.inputs.values()) > LARGE_ROWS
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False,
                                            "strings_to_numbers": False, "constant_memory": large,
                                            "in_memory": not large, "tmpdir": scratch_dir()})
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
        _spending(wb, f, result)
        _measures(wb, f, result)
        _inputs(wb, f, result)
        _participants(wb, f, result)
        _problems(wb, f, result)
        wb.close()
    return Path(path)


class _Formats:
    def __init__(self, wb):
        self.wb = wb
        base = {"font_name": "Arial", "font_size": 10, "valign": "top"}
        self.base = base
        self.title = wb.add_format({**base, "bold": True, "font_size": 13})
        self.head = wb.add_format({**base, "bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                                   "align": "center"})
        self.text = wb.add_format({**base, "border": 1, "text_wrap": True})
        self.plain = wb.add_format({**base, "text_wrap": True})
        self.bold = wb.add_format({**base, "bold": True, "text_wrap": True})
        self.int = wb.add_format({**base, "border": 1, "num_format": "0"})
        self.when = wb.add_format({**base, "border": 1, "num_format": "dd.mm.yyyy hh:mm"})
        self.red = wb.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006"})
        self.green = wb.add_format({"bg_color": "#C6EFCE", "font_color": "#006100"})
        self.grey = wb.add_format({"bg_color": "#E7E6E6", "font_color": "#595959"})
        self.yellow = wb.add_format({"bg_color": "#FFEB9C", "font_color": "#9C5700"})
        self._numbers = {}

    def number(self, digits: int):
        if digits not in self._numbers:
            pattern = "0" if digits <= 0 else "0." + "0" * digits
            self._numbers[digits] = self.wb.add_format({**self.base, "border": 1, "num_format": pattern})
        return self._numbers[digits]


def _sheet(wb, f, name: str, title: str, headers: list[str], widths: list[int], header_row: int = 2,
           subtitle: str = ""):
    """A table sheet. Rows are written top to bottom only (constant_memory mode needs that)."""
    ws = wb.add_worksheet(name)
    ws.write_string(0, 0, title, f.title)
    if subtitle:
        ws.merge_range(1, 0, 1, len(headers) - 1, subtitle, f.plain)
        ws.set_row(1, 28)
    ws.write_row(header_row, 0, headers, f.head)
    ws.set_row(header_row, 30)
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    ws.freeze_panes(header_row + 1, 0)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(header_row)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    ws.set_footer("&CСтраница &P из &N")
    return ws


def _fit_height(ws, r: int, values, widths) -> None:
    """Neither Excel nor LibreOffice grows the rows of a written file: set their height."""
    height = row_height(values, widths)
    if height:
        ws.set_row(r, height)


def _cell(ws, r, c, value, fmt):
    """Numbers as numbers, everything else as text: never a formula or a link."""
    if value is None:
        ws.write_blank(r, c, None, fmt)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        ws.write_number(r, c, value, fmt)
    elif isinstance(value, dt.datetime):
        ws.write_datetime(r, c, value, fmt)
    else:
        ws.write_string(r, c, str(value), fmt)


def _summary(wb, f, result: Consolidation) -> None:
    prog = result.program
    ws = wb.add_worksheet("Сводка")
    ws.set_column(0, 0, 38)
    ws.set_column(1, 1, 90)
    ws.write_string(0, 0, f"Сводный отчёт о реализации муниципальной программы за {result.year} год", f.title)
    ws.merge_range(1, 0, 1, 1, f"«{prog.name}»", f.plain)
    ws.set_row(1, 28)
    expected = len(result.participants)
    received = sum(1 for p in result.participants if p.status in ("accepted", "accepted_with_warnings"))
    counts = {s: sum(1 for r in result.indicators if r.status == s) for s in STATUS_LABELS}
    rows = [
        ("Отчётный год", str(result.year)),
        ("Редакция программы", prog.amendment or "не указана"),
        ("Книги участников", f"приняты {received} из {expected}"),
        ("Показатели", f"достигнуто {counts[MET]}, не достигнуто {counts[MISSED]}, нет данных {counts[NO_DATA]}, "
                       f"цель не установлена {counts['no_target']} (всего {len(result.indicators)})"),
        ("Замечания", f"ошибок {result.count('error')}, предупреждений {result.count('warning')} "
                      "(лист «Замечания»)"),
        ("Эффективность реализации", verdict_text(result)),
        ("Исполнение расходов", execution_text(result)),
        ("Правило для «отсутствие случаев»", prog.settings.zero_rule_text),
        ("Сравнение с целью", "увеличение — факт не ниже плана, снижение — факт не выше плана, с точностью, "
                              "с которой задан план; отсутствие случаев — факт равен 0"),
        ("Определение программы", f"{Path(prog.path).name}, отпечаток {prog.fingerprint}"),
    ]
    r = 3
    for label, value in rows:
        ws.write_string(r, 0, label, f.bold)
        ws.write_string(r, 1, value, f.plain)
        _fit_height(ws, r, [label, value], [38, 90])
        r += 1
    main = [p for p in result.problems if p.severity == ERROR][:15]
    r += 1
    ws.write_string(r, 0, "Главное, что нужно исправить" if main else "Ошибок нет", f.bold)
    for p in main:
        r += 1
        ws.write_string(r, 1, str(p), f.plain)
        _fit_height(ws, r, ["", str(p)], [38, 90])
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.activate()


def verdict_text(result: Consolidation) -> str:
    e = result.efficiency
    if e is None or e.er is None:
        return "не определена: " + (e.reasons.get("er", "") if e else "")
    return f"{e.verdict} (ЭР = {_ratio(e.er)}; лист «Оценка эффективности»)"


def execution_text(result: Consolidation) -> str:
    b = result.budget
    if b is None or b.execution["total"] is None:
        reason = (b.reasons.get("plan") or b.reasons.get("fact")) if b else ""
        return "не определено" + (f": {reason}" if reason else "")
    return (f"{_money(b.fact['total'])} из {_money(b.plan['total'])} тыс. руб. "
            f"({_money(b.execution['total'])} %; лист «Расходы»)")




def _money(value: float | None) -> str:
    """Thousand roubles and percentages alike: one decimal, Russian notation."""
    return "—" if value is None else format_number(value, 1)


def _ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}".replace(".", ",")


def _indicators(wb, f, result: Consolidation) -> None:
    headers = ["№", "Задача", "Показатель", "Ед. изм.", "Направление", f"План {result.year}", f"Факт {result.year}",
               "Отклонение", "Достижение (СД), %", "Статус", "Причина / примечание"]
    widths = [5, 7, 55, 9, 14, 11, 11, 11, 12, 16, 45]
    ws = _sheet(wb, f, "Показатели", f"Сведения о достижении значений показателей за {result.year} год", headers, widths)
    by_number = {i.number: i for i in result.program.indicators}
    first = 3
    for i, res in enumerate(result.indicators):
        ind = by_number[res.number]
        r = first + i
        num = f.number(ind.precision)
        _cell(ws, r, 0, ind.number, f.int)
        _cell(ws, r, 1, ind.task, f.int)
        _cell(ws, r, 2, ind.name, f.text)
        _cell(ws, r, 3, ind.unit, f.text)
        _cell(ws, r, 4, DIRECTION_LABELS[ind.direction], f.text)
        _cell(ws, r, 5, res.plan, num)
        _cell(ws, r, 6, res.fact, f.number(max(ind.precision, 1)) if res.fact is not None else num)
        _cell(ws, r, 7, res.deviation, f.number(max(ind.precision, 1)))
        _cell(ws, r, 8, None if res.achievement is None else round(res.achievement * 100, 1), f.number(1))
        _cell(ws, r, 9, STATUS_LABELS[res.status], f.text)
        _cell(ws, r, 10, res.reason, f.text)
        _fit_height(ws, r, [None, None, ind.name, None, None, None, None, None, None, None, res.reason], widths)
    last = first + len(result.indicators) - 1
    rng = f"A{first + 1}:K{last + 1}"
    for label, fmt in ((STATUS_LABELS[MISSED], f.red), (STATUS_LABELS[MET], f.green), (STATUS_LABELS[NO_DATA], f.grey)):
        ws.conditional_format(rng, {"type": "formula", "criteria": f'=$J{first + 1}="{label}"', "format": fmt})
    ws.autofilter(first - 1, 0, last, len(headers) - 1)
    chart = wb.add_chart({"type": "bar"})
    chart.add_series({
        "name": "Достижение, %",
        "categories": ["Показатели", first, 0, last, 0],
        "values": ["Показатели", first, 8, last, 8],
        "fill": {"color": "#5B9BD5"},
    })
    chart.set_title({"name": "Степень достижения показателей, %"})
    chart.set_x_axis({"min": 0, "max": 100})
    chart.set_y_axis({"reverse": True, "name": "№ показателя"})
    chart.set_legend({"none": True})
    ws.insert_chart(last + 3, 2, chart, {"x_scale": 1.4, "y_scale": 1.2})


def _efficiency(wb, f, result: Consolidation) -> None:
    from .efficiency import HIGH, MEDIUM, SATISFACTORY, UNSATISFACTORY

    prog, e = result.program, result.efficiency
    s = prog.settings
    widths = [10, 60, 20, 60]
    ws = _sheet(wb, f, "Оценка эффективности", f"Оценка эффективности реализации программы за {result.year} год",
                ["Обозначение", "Показатель оценки", "Значение", "Как рассчитано / почему не определено"], widths,
                subtitle=f"Методика: {s.method}")
    by_number = {i.number: i for i in prog.indicators}
    r = 3
    for number, sd in e.sd.items():
        res = next(x for x in result.indicators if x.number == number)
        ind = by_number[number]
        rule = {"increase": "факт / план", "decrease": "план / факт", "zero": s.zero_rule_text}[ind.direction]
        note = f"{rule}, не более {_ratio(s.cap)}" if ind.direction != "zero" else rule
        if sd is None:
            note = res.reason or "нет данных"
        row = [f"СД{number}", f"Степень достижения показателя {number}: {ind.name}", sd, note]
        for c, value in enumerate(row):
            _cell(ws, r, c, value, f.number(3) if c == 2 else f.text)
        _fit_height(ws, r, row, widths)
        r += 1
    lines = [
        ("СР", "Степень реализации программы", e.sr, "среднее СДi по показателям, у которых есть цель на год", "sr"),
        ("СРм", "Степень реализации мероприятий", e.srm,
         f"выполнено полностью {e.measures_done} из {e.measures_planned} мероприятий", "srm"),
        ("ССуз", "Соответствие расходов запланированному уровню", e.ssuz, "фактические расходы / плановые", "ssuz"),
        ("Эис", "Эффективность использования средств", e.eis, "СРм / ССуз", "eis"),
        ("ЭР", "Эффективность реализации программы", e.er, "СР × Эис", "er"),
    ]
    for symbol, name, value, how, key in lines:
        note = how if value is not None else e.reasons.get(key, "")
        row = [symbol, name, value, note]
        for c, item in enumerate(row):
            _cell(ws, r, c, item, f.number(3) if c == 2 else f.bold if c < 2 else f.text)
        _fit_height(ws, r, row, widths)
        r += 1
    r += 1
    ws.write_string(r, 0, "Итог", f.bold)
    ws.write_string(r, 1, "Эффективность реализации программы", f.bold)
    ws.write_string(r, 2, e.verdict or "не определена", f.bold)
    thresholds = (f"{HIGH} — ЭР ≥ {_ratio(s.threshold_high)}; {MEDIUM} — ≥ {_ratio(s.threshold_medium)}; "
                  f"{SATISFACTORY} — ≥ {_ratio(s.threshold_satisfactory)}; иначе {UNSATISFACTORY}")
    ws.write_string(r, 3, thresholds if e.verdict else e.reasons.get("verdict", ""), f.plain)
    _fit_height(ws, r, ["", "", "", thresholds], widths)
    ws.conditional_format(r, 2, r, 2, {"type": "cell", "criteria": "==", "value": f'"{UNSATISFACTORY}"', "format": f.red})
    ws.conditional_format(r, 2, r, 2, {"type": "cell", "criteria": "==", "value": f'"{HIGH}"', "format": f.green})


def _totals(wb, f, result: Consolidation) -> None:
    from .indicators import summarise

    s = summarise(result.indicators)
    widths = [40, 12, 12]
    ws = _sheet(wb, f, "Итоги", f"Итоги достижения показателей за {result.year} год", ["", "Количество", "Доля, %"], widths)
    rows = [("Достигнуты", "achieved"), ("Не достигнуты", "not_achieved"),
            ("Достижение не определено (нет данных или цели)", "not_determinable")]
    r = 3
    for label, key in rows:
        _cell(ws, r, 0, label, f.text)
        _cell(ws, r, 1, s[key], f.int)
        _cell(ws, r, 2, s["percent"][key], f.number(1))
        r += 1
    _cell(ws, r, 0, "Всего", f.text)
    _cell(ws, r, 1, s["total"], f.int)
    _cell(ws, r, 2, 100.0 if s["total"] else None, f.number(1))
    chart = wb.add_chart({"type": "pie"})
    chart.add_series({"name": "Показатели", "categories": ["Итоги", 3, 0, 5, 0], "values": ["Итоги", 3, 1, 5, 1],
                      "data_labels": {"value": True},
                      "points": [{"fill": {"color": "#70AD47"}}, {"fill": {"color": "#FF6B6B"}},
                                 {"fill": {"color": "#BFBFBF"}}]})
    chart.set_title({"name": "Достижение показателей"})
    ws.insert_chart(r + 2, 0, chart)


def _spending(wb, f, result: Consolidation) -> None:
    from .program import SOURCE_LABELS, SOURCES

    b = result.budget
    widths = [44, 16, 16, 14, 50]
    ws = _sheet(wb, f, "Расходы", f"Информация о расходах на реализацию программы за {result.year} год, тыс. руб.",
                ["Источник", "План", "Факт", "Исполнение, %", "Примечание"], widths)
    r = 3
    for key in (*SOURCES, "total"):
        label = SOURCE_LABELS.get(key, "Всего")
        note = "" if b.execution[key] is not None else (b.reasons.get("plan") or b.reasons.get("fact")
                                                         or ("план равен 0" if b.plan[key] == 0 else ""))
        row = [label, b.plan[key], b.fact[key], b.execution[key], note]
        for c, value in enumerate(row):
            _cell(ws, r, c, value, (f.bold if key == "total" else f.text) if c in (0, 4) else f.number(1))
        _fit_height(ws, r, row, widths)
        r += 1
    chart = wb.add_chart({"type": "column"})
    for col, name, color in ((1, "План", "#A5A5A5"), (2, "Факт", "#5B9BD5")):
        chart.add_series({"name": name, "categories": ["Расходы", 3, 0, 5, 0], "values": ["Расходы", 3, col, 5, col],
                          "fill": {"color": color}})
    chart.set_title({"name": "Расходы по источникам: план и факт, тыс. руб."})
    chart.set_legend({"position": "bottom"})
    ws.insert_chart(r + 1, 0, chart, {"x_scale": 1.3})
    r += 18
    if not b.measures:
        ws.write_string(r, 0, "Мероприятия на год не определены: расходы по мероприятиям и участникам не приводятся.",
                        f.plain)
        return
    ws.write_string(r, 0, "По участникам (по мероприятиям)", f.bold)
    r += 1
    ws.write_row(r, 0, ["Участник", "План", "Факт", "Исполнение, %", ""], f.head)
    r += 1
    from .budget import execution

    for code, (plan, fact) in b.by_participant().items():
        row = [result.program.participants[code].short_name, plan, fact, execution(plan, fact),
               "" if fact is not None else "нет сведений"]
        for c, value in enumerate(row):
            _cell(ws, r, c, value, f.text if c in (0, 4) else f.number(1))
        r += 1
    r += 1
    ws.write_string(r, 0, "По мероприятиям (подробно — лист «Мероприятия»)", f.bold)
    r += 1
    ws.write_row(r, 0, ["Мероприятие", "План", "Факт", "Исполнение, %", "Ответственный"], f.head)
    r += 1
    for m in b.measures:
        planned = sum(m.plan.values())
        spent = None if m.fact is None or None in m.fact.values() else sum(m.fact.values())
        row = [f"{m.code} {m.name}", planned, spent, execution(planned, spent),
               result.program.participants[m.responsible].short_name]
        for c, value in enumerate(row):
            _cell(ws, r, c, value, f.text if c in (0, 4) else f.number(1))
        _fit_height(ws, r, row, widths)
        r += 1


def _measures(wb, f, result: Consolidation) -> None:
    from .program import SOURCES

    b = result.budget
    headers = ["Код", "Мероприятие", "Ответственный", "План: МБ", "План: ОБ", "План: ВБ", "Факт: МБ", "Факт: ОБ",
               "Факт: ВБ", "Исполнение, %", "Статус", "Причина"]
    widths = [12, 44, 22, 10, 10, 10, 10, 10, 10, 11, 16, 36]
    ws = _sheet(wb, f, "Мероприятия", f"Сведения о выполнении мероприятий программы за {result.year} год", headers,
                widths)
    if not b.measures:
        ws.write_string(3, 0, "Мероприятия на год не определены (лист «Мероприятия» определения программы).", f.plain)
        return
    from .budget import execution

    r = 3
    for m in b.measures:
        facts = [m.fact.get(k) if m.fact else None for k in SOURCES]
        spent = None if m.fact is None or None in facts else sum(facts)
        row = [m.code, m.name, result.program.participants[m.responsible].short_name,
               *[m.plan[k] for k in SOURCES], *facts, execution(sum(m.plan.values()), spent),
               m.status or "нет сведений", m.reason]
        for c, value in enumerate(row):
            _cell(ws, r, c, value, f.text if c in (0, 1, 2, 10, 11) else f.number(1))
        _fit_height(ws, r, row, widths)
        r += 1
    rng = f"A4:L{r}"
    ws.conditional_format(rng, {"type": "formula", "criteria": '=$K4="выполнено"', "format": f.green})
    ws.conditional_format(rng, {"type": "formula", "criteria": '=OR($K4="не выполнено",$K4="нет сведений")',
                                "format": f.red})
    ws.conditional_format(rng, {"type": "formula", "criteria": '=$K4="выполнено частично"', "format": f.yellow})
    ws.autofilter(2, 0, r - 1, len(headers) - 1)


def _inputs(wb, f, result: Consolidation) -> None:
    headers = ["Код", "Исходные данные", "Ед. изм.", "Участник", "Файл", "Лист", "Ячейка", "Введено", "Принято",
               "Итого по программе", "Примечание"]
    widths = [20, 50, 9, 26, 30, 10, 8, 14, 12, 13, 40]
    ws = _sheet(wb, f, "Исходные данные", f"Исходные данные за {result.year} год и их источники", headers, widths)
    prog = result.program
    used = result.used
    r = 3
    for code, combined in result.combined.items():
        inp = prog.inputs[code]
        digits = 0 if inp.kind == "int" else 3
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
            for c, value in enumerate(row):
                _cell(ws, r, c, value, f.text)
            _cell(ws, r, 8, cell.value if cell and cell.ok else None, f.number(digits))
            _cell(ws, r, 9, combined.value, f.number(digits))
            if supplier is None:
                note = summarise_gaps({prog.participants[s].short_name: combined.gaps.get(
                    prog.participants[s].short_name, "книга не представлена") for s in without})
            elif cell is None or not cell.ok:
                note = combined.gaps.get(prog.participants[supplier].short_name, "")
            elif combined.value is None:
                note = "итог не определён: " + combined.reason
            else:
                note = cell.comment
            _cell(ws, r, 10, note, f.text)
            height = max(name_height, row_height([note], [widths[10]]) if note else 0)
            if height:
                ws.set_row(r, height)
            r += 1
    ws.autofilter(2, 0, max(r - 1, 3), len(headers) - 1)
    ws.conditional_format(3, 9, max(r - 1, 3), 9, {"type": "blanks", "format": f.grey})


def _participants(wb, f, result: Consolidation) -> None:
    headers = ["Код", "Участник", "Статус", "Файл", "Сохранён", "Версия шаблона", "Ошибок", "Предупреждений",
               "Заполнил", "Письмо отправлено", "Ответ получен"]
    widths = [12, 40, 20, 36, 16, 10, 9, 9, 36, 16, 16]
    ws = _sheet(wb, f, "Участники", f"Книги участников за {result.year} год", headers, widths)
    r = 3
    for p in result.participants:
        sub = p.submission
        contact = ", ".join(v for v in (sub.contacts.get("fio"), sub.contacts.get("position"), sub.contacts.get("phone"))
                            if v) if sub else ""
        row = [p.code, result.program.participants[p.code].short_name, PARTICIPANT_STATUS_LABELS[p.status],
               sub.name if sub else None]
        for c, value in enumerate(row):
            _cell(ws, r, c, value, f.text)
        _cell(ws, r, 4, sub.saved_at if sub else None, f.when)
        _cell(ws, r, 5, sub.template_version if sub else None, f.text)
        _cell(ws, r, 6, p.errors, f.int)
        _cell(ws, r, 7, p.warnings, f.int)
        _cell(ws, r, 8, contact, f.text)
        sent, answered = result.mail.get(p.code, (None, None))
        _cell(ws, r, 9, sent, f.when)
        _cell(ws, r, 10, answered, f.when)
        _fit_height(ws, r, row + [None, None, None, None, contact], widths)
        r += 1
    last = max(r - 1, 3)
    rng = f"A4:K{last + 1}"
    ws.conditional_format(rng, {"type": "formula", "criteria": '=OR($C4="отклонён",$C4="не представлен")', "format": f.red})
    ws.conditional_format(rng, {"type": "formula", "criteria": '=$C4="принят с замечаниями"', "format": f.yellow})
    ws.autofilter(2, 0, last, len(headers) - 1)


def _problems(wb, f, result: Consolidation) -> None:
    headers = ["№", "Важность", "Код", "Участник", "Файл", "Лист", "Ячейка", "Значение", "Что не так", "Что сделать"]
    widths = [5, 14, 22, 24, 30, 12, 8, 16, 55, 45]
    ws = _sheet(wb, f, "Замечания", f"Замечания по книгам участников за {result.year} год", headers, widths)
    names = result.program.participants
    r = 3
    for i, p in enumerate(result.problems, start=1):
        row = [i, SEVERITY_LABELS[p.severity], p.code, names[p.participant].short_name if p.participant in names else "",
               p.file, p.sheet, p.cell, p.value, p.message, p.hint]
        for c, value in enumerate(row):
            _cell(ws, r, c, value, f.int if c == 0 else f.text)
        _fit_height(ws, r, row, widths)
        r += 1
    last = max(r - 1, 3)
    ws.conditional_format(f"B4:B{last + 1}", {"type": "cell", "criteria": "==", "value": '"ошибка"', "format": f.red})
    ws.autofilter(2, 0, last, len(headers) - 1)
