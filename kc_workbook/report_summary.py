"""«Сводка» — one A4 page for the head of the administration — and «О расчёте», where the
technical lines (the definition's fingerprint, the rules, the settings) live."""

from __future__ import annotations

from pathlib import Path

from .report_base import GREEN, RED, YELLOW, _fit_height, page, row_height
from .report_indicators import justification, settings_used, shown, status_label, totals
from .notation import format_ratio
from .problems import grouped
from .sentences import alike, execution_text, problem_counts, shortened, verdict_text  # noqa: F401  (the report's API since the split)
from .vocabulary import (
    ERROR,
    HIGH,
    MEDIUM,
    MISSED,
    MISSING,
    NO_DATA,
    REJECTED,
    SATISFACTORY,
    SOURCE,
    SOURCES,
    UNSATISFACTORY,
    VERDICT,
    WITH_ERRORS,
)

SUMMARY_WIDTHS = [5, 36, 11, 11, 28]
# Warnings the head should see among what must be fixed (the others are for the executor).
FIX_WARNINGS = ("budget-mismatch", "budget-overspent", "measure-overspent", "measures-plan-mismatch")
SHOWN_MISSED = 8
SHOWN_FIXES = 8
SHOWN_REASON = 200  # characters of a reason or a problem on «Сводка»; the whole text is on the other sheets
SHOWN_LIST = 400
DEFAULT_ROW = 12.75  # points: a row whose height is not set
PAGE_HEIGHT = 841.89 - (0.5 + 0.6) * 72 - 40  # A4 portrait less the margins and the footer
RESERVED = 4 * DEFAULT_ROW + 30  # the lines after the list of fixes
AFTER_MISSED = 320  # points kept below the missed indicators: spending, participants, a few fixes




def summary_sheet(wb, f, result) -> None:
    prog = result.program
    widths = SUMMARY_WIDTHS
    full = sum(widths)
    ws = wb.add_worksheet("Сводка")
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    page(ws, widths, "portrait", scale=100)
    r = 0
    used = 0.0  # points of the page's height taken so far

    def fit(values, widths_, bold=False, minimum=0.0):
        nonlocal used
        height = max(row_height(values, widths_, bold), minimum)
        if height:
            ws.set_row(r, height)
        used += height or DEFAULT_ROW

    def skip():
        nonlocal r, used
        r += 1
        used += DEFAULT_ROW

    def line(text, fmt, minimum=0.0):
        nonlocal r
        ws.merge_range(r, 0, r, 4, text, fmt)
        fit([text], [full * (0.85 if fmt is f.title else 1.0)], bold=fmt is not f.plain, minimum=minimum)
        r += 1

    line(f"Отчёт о реализации муниципальной программы за {result.year} год", f.title)
    line(f"«{prog.name}»", f.plain)
    skip()
    e = result.efficiency
    colour = {HIGH: GREEN, MEDIUM: GREEN, SATISFACTORY: YELLOW, UNSATISFACTORY: RED}.get(e.verdict if e else None)
    verdict = (f"Эффективность реализации программы: {e.verdict_label} (ЭР = {format_ratio(e.er)})" if e and e.er is not None
               else "Эффективность реализации программы не определена: " + (e.reasons.get("er", "") if e else ""))
    line(verdict, f.cell(colour, bold=True) if colour else f.bold)
    if e and e.er is not None:  # what the verdict is made of, so that a low one is not a puzzle
        line(f"ЭР = СР × Эис = {format_ratio(e.sr)} × {format_ratio(e.eis)}: СР — достижение целевых значений "
             f"показателей; Эис = СРм / ССуз = {format_ratio(e.srm)} / {format_ratio(e.ssuz)} — выполнено "
             f"мероприятий {e.measures_done} из {e.measures_planned}, расходы к плану {format_ratio(e.ssuz)}.", f.plain)

    s = totals(result.indicators)
    # a little air under the verdict: the text sits at the foot of a taller row
    low = f._get(("bold-bottom",), {"bold": True, "text_wrap": True, "valign": "bottom"})
    line(f"Показатели с целевым значением на {result.year} год: {s['total']}. Достигнуто {s['achieved']}"
         + (f", перевыполнено {s['exceeded']}" if s["exceeded"] else "")
         + f", не достигнуто {s['not_achieved']}, не определено {s['not_determinable']}.", low, minimum=30)
    missed = [x for x in result.indicators if x.status == MISSED]
    by_number = {i.number: i for i in prog.indicators}
    if missed:
        ws.write_row(r, 0, ["№", "Недостигнутый показатель", "План", "Факт", "Обоснование отклонения"], f.head)
        fit([], [])
        r += 1
        listed = 0
        for res in missed[:SHOWN_MISSED]:
            ind = by_number[res.number]
            reason, lacking = justification(result, res)
            reason = _short(reason, SHOWN_REASON)
            name = f"{ind.name}, {ind.unit}"
            if used + row_height([name, reason], [widths[1], widths[4]]) > PAGE_HEIGHT - AFTER_MISSED:
                break  # the rest of the page is for money, participants and fixes
            listed += 1
            ws.write_number(r, 0, ind.number, f.int)
            ws.write_string(r, 1, name, f.text)
            ws.write_number(r, 2, res.plan, f.number(ind.precision))
            ws.write_number(r, 3, shown(res.fact, ind.precision), f.number(ind.precision))
            ws.write_string(r, 4, reason, f.cell(RED if lacking else None))
            fit([None, name, None, None, reason], widths)
            r += 1
        if len(missed) > listed:
            line(f"И ещё {len(missed) - listed} — лист «Показатели».", f.plain)
    undetermined = [x for x in result.indicators if x.status == NO_DATA and x.plan is not None]
    if undetermined:
        why: dict[str, list[int]] = {}  # one reason, all its indicators
        for x in undetermined:
            why.setdefault(x.reason or status_label(x.status), []).append(x.number)
        text = "Не определены (нет данных): " + "; ".join(
            f"№ {', '.join(map(str, numbers))} — {reason}" for reason, numbers in why.items())
        line(_short(text, SHOWN_LIST), f.plain)
    skip()

    b = result.budget
    line("Расходы на реализацию программы, тыс. руб.", f.bold)
    ws.merge_range(r, 0, r, 1, "Источник финансирования", f.head)
    ws.write_row(r, 2, ["План", "Кассовое исполнение", "Исполнение, %"], f.head)
    fit(["", "", "Кассовое исполнение"], [45, 0, 11], bold=True, minimum=28)
    r += 1
    for key in (*SOURCES, "total"):
        if key != "total" and not b.plan[key] and not b.fact[key]:
            continue  # a source with neither plan nor spending says nothing to the head
        total = key == "total"
        ws.merge_range(r, 0, r, 1, SOURCE.label(key) if key in SOURCE else "Всего", f.cell(bold=total))
        for c, value in ((2, b.plan[key]), (3, b.fact[key]), (4, b.execution[key])):
            if value is None:
                ws.write_string(r, c, "—", f.cell(bold=total))
            else:
                ws.write_number(r, c, value, f.money(bold=total))
        fit([], [])
        r += 1
    if b.execution["total"] is None:
        line("Исполнение не определено: " + (b.reasons.get("plan") or b.reasons.get("fact") or ""), f.plain)
    skip()

    received = sum(1 for p in result.participants if p.status not in (MISSING, REJECTED))
    with_errors = [prog.participants[p.code].short_name for p in result.participants if p.status == WITH_ERRORS]
    line(f"Книги участников: представлены {received} из {len(result.participants)}"
         + (f"; с ошибками — {len(with_errors)} ({_short(', '.join(with_errors), SHOWN_LIST)})" if with_errors else "")
         + ".", f.bold)
    absent = [p for p in result.participants if p.status in (MISSING, REJECTED)]
    if absent:
        line(_short("Не представили (или книга отклонена): " + "; ".join(
            f"{prog.participants[p.code].short_name} — {VERDICT.label(p.status)}" for p in absent),
            SHOWN_LIST, " (лист «Участники»)"), f.plain)
    skip()

    fixes = what_to_fix(result)
    counts = problem_counts(result)
    line("Что нужно исправить" if fixes else "Исправлять нечего: ошибок нет.", f.bold)
    shown_fixes = 0
    for text, n in fixes[:SHOWN_FIXES]:
        text = "• " + _short(text, SHOWN_REASON) + alike(n - 1)
        if used + (row_height([text], [full]) or DEFAULT_ROW) + RESERVED > PAGE_HEIGHT:
            break  # «Сводка» stays one page: the rest is on «Замечания»
        line(text, f.plain)
        shown_fixes += n
    more = sum(n for _, n in fixes) - shown_fixes  # what is to fix, not lines: a line may stand for many
    tail = f"И ещё {more}; в" if more > 0 else "В"
    line(f"{tail}сего ошибок {counts['errors']}, предупреждений {counts['warnings']} — лист «Замечания».", f.plain)
    skip()
    line("Подробно: листы «Показатели», «Расходы», «Мероприятия», «Оценка эффективности»; как рассчитано — лист "
         "«О расчёте».", f.plain)
    ws.activate()


def what_to_fix(result) -> list[tuple[str, int]]:
    """In Russian, the most important first: errors, missing reasons for deviations, then
    warnings; each with how many it stands for (repeated workbooks of one kind, one line)."""
    names = result.program.participants
    by_number = {i.number: i for i in result.program.indicators}

    def who(p):
        name = names[p.participant].short_name if p.participant in names else p.file or ""
        return "" if not name or name in p.message else name + ": "

    lines = [(who(p) + p.message, n) for p, n in grouped(p for p in result.problems if p.severity == ERROR)]
    for res in result.indicators:
        reason, lacking = justification(result, res)
        if lacking:
            lines.append((f"показатель № {res.number} «{_short(by_number[res.number].name)}»: {reason}", 1))
    lines += [(who(p) + p.message, n) for p, n in grouped(p for p in result.problems if p.code in FIX_WARNINGS)]
    return lines


def _short(name: str, limit: int = 60, more: str = "") -> str:
    """Cut between words; ``more`` follows only a text that was cut (where to read the rest)."""
    cut = shortened(name, limit, at_word=True)
    return cut if cut == name else cut + more


def about_sheet(wb, f, result) -> None:
    """«О расчёте»: what the figures were computed from and by which rules."""
    prog = result.program
    s = prog.settings
    widths = [44, 80]
    ws = wb.add_worksheet("О расчёте")
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    page(ws, widths)
    ws.merge_range(0, 0, 0, 1, f"О расчёте сводного отчёта за {result.year} год", f.title)
    counts = problem_counts(result)
    rows = [
        ("Программа", prog.name),
        ("Редакция программы", prog.amendment or "не указана"),
        ("Определение программы", f"{Path(prog.path).name}, отпечаток {prog.fingerprint}"),
        ("Папка с книгами участников", Path(result.inbox).name),
        ("Сравнение с целью", "факт рассчитывается точно из введённых значений, округляется один раз (половина — "
                              "вверх) до числа знаков показателя, и это значение показывается, сравнивается с планом "
                              "(увеличение — не ниже, снижение — не выше, отсутствие случаев — равно 0) и идёт в "
                              "отклонение и СДi"),
        ("Уровень достижения, %", "факт / план (увеличение) или план / факт (снижение) × 100, до 0,1 %; у не "
                                  "достигнутого показателя не округляется до 100,0 %. СДi — то же, делённое на 100, "
                                  f"не более {format_ratio(s.cap)}"),
        ("Точность оценки", "СДi, СР, СРм, ССуз, Эис и ЭР — до 0,001, каждый из показанных значений; пороги "
                            "сравниваются с ЭР так, как он показан"),
        *settings_used(result),
        ("Итоги достижения показателей", "учитываются только показатели с целевым значением на отчётный год; "
                                         "доли в сумме дают 100 %"),
        ("Итог расходов", "кассовое исполнение по данным департамента финансов; расходы по мероприятиям — по "
                          "данным ответственных участников, расхождение показано на листе «Расходы»"),
        ("Пропущенные файлы", f"{counts['skipped']} (не книги электронной таблицы; в число замечаний не входят)"),
    ]
    r = 2
    for label, value in rows:
        ws.write_string(r, 0, label, f.bold_box)
        ws.write_string(r, 1, value, f.text)
        _fit_height(ws, r, [label, value], widths)
        r += 1
