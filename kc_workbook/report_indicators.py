"""The indicator sheets of the consolidated workbook: «Показатели» (the official table
«Сведения о достижении значений показателей» and its chart), «Оценка эффективности»
and «Итоги»."""

from __future__ import annotations

from .indicators import MET, MISSED, NO_DATA, NO_TARGET, STATUS_LABELS, round_half_up
from .report_base import GREEN, GREY, RED, _cell, _fit_height, _form, _ratio, _sheet

EXCEEDED = "exceeded"  # issue 11 may add it; until then no result has it
NO_VALUE = STATUS_LABELS[NO_DATA]  # a missing value reads as the status does
NOT_GIVEN = "обоснование не представлено"
STATUS_COLOURS = {MET: GREEN, EXCEEDED: GREEN, MISSED: RED, NO_DATA: GREY, NO_TARGET: None}
CHART_COLOURS = {MET: "#70AD47", EXCEEDED: "#548235", MISSED: "#E15759", NO_DATA: "#BFBFBF", NO_TARGET: "#BFBFBF"}


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status) or {EXCEEDED: "перевыполнен"}.get(status, status)


def shown(value: float | None, digits: int) -> float | None:
    """A value as the report shows it: at the indicator's precision."""
    return None if value is None else round_half_up(value, max(digits, 0))


def justification(result, res) -> tuple[str, bool]:
    """The text of the «обоснование отклонений» cell and whether something is missing there."""
    given = (getattr(res, "justification", "") or "").strip()
    if given:
        return given, False
    if res.status == MISSED:
        by = getattr(res, "justification_by", "") or ""
        who = result.program.participants[by].short_name if by in result.program.participants else by
        return NOT_GIVEN + (f" (представляет: {who})" if who else ""), True
    if res.status == NO_DATA:
        return "факт не определён: " + res.reason if res.reason else "факт не определён", False
    return "", False


def previous_value(res):
    previous = getattr(res, "previous", None)
    return NO_VALUE if previous is None else previous


INDICATOR_WIDTHS = [4, 40, 9, 18, 10, 10, 11, 11, 12, 34]


def indicators_sheet(wb, f, result) -> None:
    year = result.year
    headers = ["№", "Наименование показателя", "Ед. изм.", f"Факт года, предшествующего отчётному ({year - 1})",
               f"План на {year} год", f"Факт за {year} год", "Отклонение факта от плана",
               "Уровень достижения, %", "Оценка", "Обоснование отклонений"]
    widths = INDICATOR_WIDTHS
    ws, first = _form(wb, f, "Показатели", "Сведения о достижении значений показателей",
                      result.program.name, year, headers, widths)
    by_number = {i.number: i for i in result.program.indicators}
    # Hidden helper columns for the chart: the bar's value and the 100 % line.
    ws.set_column(12, 13, 8, None, {"hidden": True})
    r = first
    labels, colours = [], []
    for res in result.indicators:
        ind = by_number[res.number]
        digits = ind.precision
        fact = shown(res.fact, digits)
        deviation = None if fact is None or res.plan is None else shown(fact - res.plan, digits)
        level = None if res.achievement is None else round(res.achievement * 100, 1)
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
        ws.write_number(r, 12, level if level is not None else 0)
        ws.write_number(r, 13, 100)
        labels.append(f"{level:.1f} %".replace(".", ",") if level is not None else NO_VALUE)
        colours.append(CHART_COLOURS.get(res.status, "#BFBFBF"))
        r += 1
    last = r - 1
    if not result.indicators:
        return
    _achievement_chart(wb, ws, first, last, labels, colours, widths)


def _achievement_chart(wb, ws, first, last, labels, colours, widths) -> None:
    name = ws.get_name()
    chart = wb.add_chart({"type": "column"})
    chart.add_series({
        "name": "Уровень достижения, %",
        "categories": [name, first, 0, last, 0],
        "values": [name, first, 12, last, 12],
        "points": [{"fill": {"color": c}, "border": {"none": True}} for c in colours],
        "data_labels": {"value": True, "position": "outside_end", "custom": [{"value": t} for t in labels],
                        "font": {"size": 10}},
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
    chart.set_y_axis({"min": 0, "max": 120, "major_unit": 20, "num_format": "0", "num_font": {"size": 10}})
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
        rule = {"increase": "факт / план", "decrease": "план / факт", "zero": s.zero_rule_text}[ind.direction]
        note = f"{rule}, не более {_ratio(s.cap)}" if ind.direction != "zero" else rule
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
    colour = {"high": GREEN, "unsatisfactory": RED}.get(verdict_code(e)) if e.verdict else None
    ws.write_string(r, 0, "Итог", f.bold)
    ws.write_string(r, 1, "Эффективность реализации программы", f.bold)
    ws.write_string(r, 2, e.verdict or "не определена", f.cell(colour, bold=True))
    ws.write_string(r, 3, thresholds_text(s) if e.verdict else e.reasons.get("verdict", ""), f.plain)
    _fit_height(ws, r, ["", "", "", thresholds_text(s)], widths)
    r += 2
    ws.merge_range(r, 0, r, 3, "Параметры оценки, применённые при расчёте", f.bold)
    r += 1
    for label, value in settings_used(result):
        ws.merge_range(r, 0, r, 1, label, f.text)
        ws.merge_range(r, 2, r, 3, value, f.text)
        _fit_height(ws, r, [label, value], [widths[0] + widths[1], widths[2] + widths[3]])
        r += 1


def verdict_code(e) -> str | None:
    """"high" / "medium" / "satisfactory" / "unsatisfactory" (issue 11 adds it to the model)."""
    code = getattr(e, "verdict_code", None)
    if code or e.verdict is None:
        return code
    from .efficiency import HIGH, MEDIUM, SATISFACTORY, UNSATISFACTORY

    return {HIGH: "high", MEDIUM: "medium", SATISFACTORY: "satisfactory", UNSATISFACTORY: "unsatisfactory"}.get(
        e.verdict)


def method_text(method: str) -> str:
    """The method's name without the template's advice to the person filling it in."""
    parts = [p.strip() for p in method.split(";")]
    kept = [p for p in parts if p and "измените" not in p.lower()]
    return "; ".join(kept) or "не указана"


def thresholds_text(s) -> str:
    from .efficiency import HIGH, MEDIUM, SATISFACTORY, UNSATISFACTORY

    return (f"{HIGH} — ЭР ≥ {_ratio(s.threshold_high)}; {MEDIUM} — ≥ {_ratio(s.threshold_medium)}; "
            f"{SATISFACTORY} — ≥ {_ratio(s.threshold_satisfactory)}; иначе {UNSATISFACTORY}")


def settings_used(result) -> list[tuple[str, str]]:
    """(label, value) of every setting the evaluation used; issue 11 lists them on the result."""
    e = result.efficiency
    given = getattr(e, "settings_used", None) if e is not None else None
    if given:
        return [(str(a), str(b)) for a, b in given]
    s = result.program.settings
    return [
        ("Методика", method_text(s.method)),
        ("Порог высокой эффективности (ЭР не ниже)", _ratio(s.threshold_high)),
        ("Порог средней эффективности (ЭР не ниже)", _ratio(s.threshold_medium)),
        ("Порог удовлетворительной эффективности (ЭР не ниже)", _ratio(s.threshold_satisfactory)),
        ("Наибольшее значение СДi", _ratio(s.cap)),
        ("СДi для показателей «отсутствие случаев»", s.zero_rule_text),
    ]


TOTALS_ROWS = (("Достигнуты", "achieved", GREEN), ("Перевыполнены", "exceeded", GREEN),
               ("Не достигнуты", "not_achieved", RED), ("Достижение не определено (нет данных)", "not_determinable", GREY))


def totals(results) -> dict:
    """Only indicators with a target for the year; percentages add up to exactly 100
    (largest remainder, to 0,1 %)."""
    targeted = [r for r in results if r.plan is not None and r.status != NO_TARGET]
    counts = {
        "achieved": sum(1 for r in targeted if r.status == MET),
        "exceeded": sum(1 for r in targeted if r.status == EXCEEDED),
        "not_achieved": sum(1 for r in targeted if r.status == MISSED),
        "not_determinable": sum(1 for r in targeted if r.status not in (MET, EXCEEDED, MISSED)),
    }
    total = len(targeted)
    if not total:
        return {**counts, "total": 0, "percent": dict.fromkeys(counts)}
    tenths = {k: v * 1000 / total for k, v in counts.items()}
    floors = {k: int(v) for k, v in tenths.items()}
    left = 1000 - sum(floors.values())
    for k in sorted(tenths, key=lambda k: (floors[k] - tenths[k], list(counts).index(k)))[:left]:
        floors[k] += 1
    return {**counts, "total": total, "percent": {k: v / 10 for k, v in floors.items()}}


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
