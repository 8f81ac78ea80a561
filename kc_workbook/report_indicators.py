"""The indicator sheets of the consolidated workbook: «Показатели» (the official table
«Сведения о достижении значений показателей» and its chart), «Оценка эффективности»
and «Итоги»."""

from __future__ import annotations

from .efficiency import thresholds_text
from .indicators import summarise as totals
from .notation import format_percent, format_ratio, rounded
from .report_base import (DEFAULT_ROW, GREEN, GREY, RED, _cell, _fit_height, _form, _sheet, body_height,
                          row_height)
from .vocabulary import EXCEEDED, HIGH, INDICATOR_STATUS, MET, MISSED, NO_DATA, NO_TARGET, UNSATISFACTORY, ZERO_RULE

NO_VALUE = INDICATOR_STATUS.label(NO_DATA)  # a missing value reads as the status does
NOT_GIVEN = "обоснование не представлено"
STATUS_COLOURS = {MET: GREEN, EXCEEDED: GREEN, MISSED: RED, NO_DATA: GREY, NO_TARGET: None}
CHART_COLOURS = {MET: "#70AD47", EXCEEDED: "#548235", MISSED: "#E15759", NO_DATA: "#BFBFBF", NO_TARGET: "#BFBFBF"}


def status_label(status: str) -> str:
    return INDICATOR_STATUS.label(status)


def shown(value: float | None, digits: int) -> float | None:
    """A value as the report shows it: at the indicator's precision."""
    return rounded(value, max(digits, 0))


def justification(result, res) -> tuple[str, bool]:
    """The text of the «обоснование отклонений» cell and whether something is missing there."""
    given = res.justification.strip()
    if given:
        return given, False
    if res.status == MISSED:
        by = res.justification_by or ""
        who = result.program.participants[by].short_name if by in result.program.participants else by
        return NOT_GIVEN + (f" (представляет: {who})" if who else ""), True
    if res.status == NO_DATA:
        return "факт не определён: " + res.reason if res.reason else "факт не определён", False
    return "", False


def previous_value(res):
    return NO_VALUE if res.previous is None else res.previous


INDICATOR_WIDTHS = [4, 40, 9, 18, 10, 10, 11, 11, 12, 34]


def indicators_sheet(wb, f, result) -> None:
    year = result.year
    headers = ["№", "Наименование показателя", "Ед. изм.", f"Факт года, предшествующего отчётному ({year - 1})",
               f"План на {year} год", f"Факт за {year} год", "Отклонение факта от плана",
               "Уровень достижения, %", "Оценка", "Обоснование отклонений"]
    widths = INDICATOR_WIDTHS
    ws, first = _form(wb, f, "Показатели", "Сведения о достижении значений показателей",
                      result.program.name, year, headers, widths, repeat=False)
    table_height = 0.0  # points of the table's body, to repeat its header only when it runs over a page
    by_number = {i.number: i for i in result.program.indicators}
    # Hidden helper columns for the chart: the bar's value and the 100 % line.
    ws.set_column(12, 13, 8, None, {"hidden": True})
    r = first
    labels, colours = [], []
    for res in result.indicators:
        ind = by_number[res.number]
        digits = ind.precision
        fact = shown(res.fact, digits)
        deviation = res.deviation
        level = res.level
        reason, missing = justification(result, res)
        prev = previous_value(res)
        colour = STATUS_COLOURS.get(res.status)
        _cell(ws, r, 0, ind.number, f.int)
        _cell(ws, r, 1, ind.name, f.text)
        _cell(ws, r, 2, ind.unit, f.text)
        _cell(ws, r, 3, prev, f.number(digits) if prev != NO_VALUE else f.cell(GREY))
        _cell(ws, r, 4, res.plan if res.plan is not None else "не установлен", f.number(digits) if res.plan is not None
              else f.text)
        _cell(ws, r, 5, fact if fact is not None else NO_VALUE, f.number(digits) if fact is not None else f.cell(GREY))
        _cell(ws, r, 6, deviation, f.number(digits))
        _cell(ws, r, 7, level, f.number(1, colour))
        _cell(ws, r, 8, status_label(res.status), f.cell(colour))
        _cell(ws, r, 9, reason, f.cell(RED if missing else None))
        _fit_height(ws, r, [None, ind.name, None, None, None, None, None, None, None, reason], widths)
        table_height += row_height([None, ind.name, None, None, None, None, None, None, None, reason],
                                   widths) or DEFAULT_ROW
        ws.write_number(r, 12, level if level is not None else 0)
        ws.write_number(r, 13, 100)
        labels.append(f"{format_percent(level)} %" if level is not None else NO_VALUE)
        colours.append(CHART_COLOURS.get(res.status, "#BFBFBF"))
        r += 1
    last = r - 1
    if table_height > body_height(widths, headers, result.program.name, year):
        ws.repeat_rows(3, 4)  # otherwise the header would print again alone above the chart
    if not result.indicators:
        return
    top = max([120] + [20 * -(-int(res.level) // 20) for res in result.indicators if res.level is not None])
    _achievement_chart(wb, ws, first, last, labels, colours, widths, top)


def _achievement_chart(wb, ws, first, last, labels, colours, widths, top: int = 120) -> None:
    name = ws.get_name()
    chart = wb.add_chart({"type": "column"})
    chart.add_series({
        "name": "Уровень достижения, %",
        "categories": [name, first, 0, last, 0],
        "values": [name, first, 12, last, 12],
        "points": [{"fill": {"color": c}, "border": {"none": True}} for c in colours],
        # a missed target's label in red: a level of 0 has no bar to colour
        "data_labels": {"value": True, "position": "outside_end", "font": {"size": 10},
                        "custom": [{"value": t, **({"font": {"size": 10, "bold": True, "color": c}}
                                                    if c == CHART_COLOURS[MISSED] else {})}
                                   for t, c in zip(labels, colours)]},
        "gap": 60,
    })
    line = wb.add_chart({"type": "line"})
    line.add_series({
        "name": "План (100 %)",
        "categories": [name, first, 0, last, 0],
        "values": [name, first, 13, last, 13],
        "line": {"color": "#404040", "width": 1.5, "dash_type": "dash"},
        "marker": {"type": "none"},
    })
    chart.combine(line)
    chart.set_title({"name": "Уровень достижения показателей, % (зелёный — достигнут, красный — не достигнут, "
                             "серый — нет данных)", "name_font": {"size": 10, "bold": True}})
    chart.set_x_axis({"name": "№ показателя", "num_font": {"size": 10}})
    chart.set_y_axis({"min": 0, "max": top, "major_unit": 20, "num_format": "0", "num_font": {"size": 10}})
    chart.set_legend({"position": "bottom", "delete_series": [0]})  # the title says what the colours mean
    chart.show_hidden_data()
    ws.set_h_pagebreaks([last + 1])  # the chart on a page of its own, never cut by a page break
    width = int(sum(w * 7 + 5 for w in widths[:10]) * 0.95)
    ws.insert_chart(last + 2, 0, chart, {"x_offset": 5, "y_offset": 10, "x_scale": width / 480, "y_scale": 1.2})


def efficiency_sheet(wb, f, result) -> None:
    prog, e = result.program, result.efficiency
    s = prog.settings
    widths = [12, 54, 22, 56]
    ws = _sheet(wb, f, "Оценка эффективности", f"Оценка эффективности реализации программы за {result.year} год",
                ["Обозначение", "Показатель оценки", "Значение", "Как рассчитано / почему не определено"], widths,
                subtitle=f"Методика: {method_text(s.method)}")
    by_number = {i.number: i for i in prog.indicators}
    r = 3
    for number, sd in e.sd.items():
        res = next(x for x in result.indicators if x.number == number)
        ind = by_number[number]
        rule = {"increase": "факт / план", "decrease": "план / факт", "zero": ZERO_RULE.label(s.zero_rule)}[ind.direction]
        note = f"{rule}, не более {format_ratio(s.cap)}" if ind.direction != "zero" else rule
        if sd is None:
            note = res.reason or NO_VALUE
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
            _cell(ws, r, c, item, f.number(3) if c == 2 else f.bold_box if c < 2 else f.text)
        _fit_height(ws, r, row, widths)
        r += 1
    r += 1
    colour = {HIGH: GREEN, UNSATISFACTORY: RED}.get(e.verdict)
    ws.write_string(r, 0, "Итог", f.bold)
    ws.write_string(r, 1, "Эффективность реализации программы", f.bold)
    ws.write_string(r, 2, e.verdict_label or "не определена", f.cell(colour, bold=True))
    ws.write_string(r, 3, thresholds_text(prog) if e.verdict else e.reasons.get("verdict", ""), f.plain)
    _fit_height(ws, r, ["", "", "", thresholds_text(prog)], widths)
    r += 2
    ws.merge_range(r, 0, r, 3, "Параметры оценки, применённые при расчёте", f.bold)
    r += 1
    for label, value in settings_used(result):
        ws.merge_range(r, 0, r, 1, label, f.text)
        ws.merge_range(r, 2, r, 3, value, f.text)
        _fit_height(ws, r, [label, value], [widths[0] + widths[1], widths[2] + widths[3]])
        r += 1


def method_text(method: str) -> str:
    """The method's name without the template's advice to the person filling it in."""
    parts = [p.strip() for p in method.split(";")]
    kept = [p for p in parts if p and "измените" not in p.lower()]
    return "; ".join(kept) or "не указана"


def settings_used(result) -> list[tuple[str, str]]:
    """(what, the choice) of every setting the evaluation used, and the notes on how it applied them."""
    e = result.efficiency
    used = [(what, method_text(value) if what == "Методика" else value)
            for what, value in result.program.settings.described()]
    if e is not None:
        used += [("Примечание", note) for note in e.notes.values()]
    return used


TOTALS_ROWS = (("Достигнуты", "achieved", GREEN), ("Перевыполнены", "exceeded", GREEN),
               ("Не достигнуты", "not_achieved", RED), ("Достижение не определено (нет данных)", "not_determinable", GREY))


def totals_sheet(wb, f, result) -> None:
    s = totals(result.indicators)
    without = sum(1 for r in result.indicators if r.plan is None or r.status == NO_TARGET)
    widths = [46, 14, 12]
    ws = _sheet(wb, f, "Итоги", f"Итоги достижения показателей за {result.year} год",
                ["Показатели с целевым значением на год", "Количество", "Доля, %"], widths)
    r = 3
    for label, key, colour in TOTALS_ROWS:
        _cell(ws, r, 0, label, f.cell(colour))
        _cell(ws, r, 1, s[key], f.int)
        _cell(ws, r, 2, s["percent"][key], f.number(1))
        r += 1
    _cell(ws, r, 0, "Всего", f.bold_box)
    _cell(ws, r, 1, s["total"], f.int)
    _cell(ws, r, 2, 100.0 if s["total"] else None, f.number(1))
    r += 1
    if without:
        ws.merge_range(r, 0, r, 2, f"Не учтены показатели без целевого значения на {result.year} год: {without}.",
                       f.plain)
        r += 1
    chart = wb.add_chart({"type": "pie"})
    chart.add_series({"name": "Показатели", "categories": ["Итоги", 3, 0, 6, 0], "values": ["Итоги", 3, 1, 6, 1],
                      "data_labels": {"value": True, "category": True, "separator": "\n", "font": {"size": 10}},
                      "points": [{"fill": {"color": CHART_COLOURS[MET]}}, {"fill": {"color": CHART_COLOURS[EXCEEDED]}},
                                 {"fill": {"color": CHART_COLOURS[MISSED]}}, {"fill": {"color": CHART_COLOURS[NO_DATA]}}]})
    chart.set_title({"name": "Достижение показателей", "name_font": {"size": 10, "bold": True}})
    chart.set_legend({"none": True})  # every slice is labelled with its name and count
    ws.insert_chart(r + 1, 0, chart, {"x_scale": 1.0, "y_scale": 1.1})
