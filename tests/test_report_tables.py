"""The official tables, formats and page set-up of the consolidated workbook (the demo's),
inspected with openpyxl."""

from __future__ import annotations

import dataclasses

import openpyxl
import pytest

from kc_workbook.demo import run_demo
from kc_workbook.report import problem_counts, write_workbook
from kc_workbook.report_base import LIBREOFFICE_SLACK, MIN_SCALE, PRINTABLE

FORMS = {  # sheet → (title, the header row's texts, each in its own column)
    "Показатели": ("Сведения о достижении значений показателей",
                   ["№", "Наименование показателя", "Ед. изм.", "Факт года, предшествующего отчётному (2024)",
                    "План на 2025 год", "Факт за 2025 год", "Отклонение факта от плана", "Уровень достижения, %",
                    "Оценка", "Обоснование отклонений"]),
    "Расходы": ("Сведения об использовании бюджетных ассигнований",
                ["Источник финансирования", "План по паспорту программы, тыс. руб.",
                 "Сводная бюджетная роспись на 31 декабря, тыс. руб.", "Кассовое исполнение, тыс. руб.",
                 "Исполнение к плану по паспорту, %", "Исполнение к сводной бюджетной росписи, %", "Примечание"]),
    "Мероприятия": ("Сведения о выполнении мероприятий",
                    ["Код", "Мероприятие", "Ответственный участник", "Срок выполнения: план / факт",
                     "Результат: ожидаемый / достигнутый", "Расходы по плану, тыс. руб.", "Расходы по факту, тыс. руб.",
                     "Исполнение, %", "Статус", "Причина невыполнения / пояснение", "Требует внимания"]),
}


@pytest.fixture(scope="module")
def demo(program, tmp_path_factory):
    run = run_demo(program, tmp_path_factory.mktemp("demo"))
    return run, openpyxl.load_workbook(run.workbook)


def test_official_tables_have_title_program_header_and_column_numbers(demo):
    run, wb = demo
    for sheet, (title, headers) in FORMS.items():
        ws = wb[sheet]
        assert ws["A1"].value == title
        assert run.result.program.name in ws["A2"].value and "2025 год" in ws["A2"].value
        assert [c.value for c in ws[4]][:len(headers)] == headers, sheet
        assert [c.value for c in ws[5]][:len(headers)] == list(range(1, len(headers) + 1)), sheet


def test_every_number_from_1000_up_is_thousands_separated(demo):
    _, wb = demo
    checked = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, (int, float)) and not isinstance(c.value, bool) and abs(c.value) >= 1000:
                    assert c.number_format.startswith("#,##0"), (ws.title, c.coordinate, c.number_format)
                    checked += 1
    assert checked > 10  # money, population, crimes


def test_no_sheet_prints_below_the_stated_scale(demo):
    _, wb = demo
    for ws in wb.worksheets:
        assert ws.page_setup.paperSize in (9, "9"), ws.title
        if ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage:
            assert ws.page_setup.fitToWidth in (1, None) and ws.page_setup.fitToHeight == 0, ws.title
            widths = [d.width for key, d in ws.column_dimensions.items() if not d.hidden and d.width]
            # XlsxWriter writes (pixels) / 7; a pixel is 0,75 pt
            points = sum(w * 7 for w in widths) * 0.75 * LIBREOFFICE_SLACK
            scale = min(100, PRINTABLE[ws.page_setup.orientation] / points * 100)
        else:
            scale = int(ws.page_setup.scale or 100)  # no scale written: 100 %
        assert scale >= MIN_SCALE, (ws.title, scale)
    assert wb["Сводка"].page_setup.scale in (None, 100, "100") and wb["Сводка"].page_setup.orientation == "portrait"


def _status_fill(ws, row, col) -> str:
    return ws.cell(row, col).fill.fgColor.rgb or ""


def test_missed_indicators_ask_for_a_reason_and_previous_year_says_no_data(demo):
    _, wb = demo
    ws = wb["Показатели"]
    rows = {r[0].value: r for r in ws.iter_rows(min_row=6, max_row=16)}
    # the demo's executor explains its missed indicators (sample text, marked as such)
    assert rows[5][8].value == "не достигнут" and rows[5][9].value.startswith("ОБРАЗЕЦ")
    assert rows[3][8].value == "достигнут" and rows[3][9].value is None
    assert all(r[3].value == "нет данных" for r in rows.values())  # no previous year's record: never 0
    assert "C6EFCE" in _status_fill(ws, 8, 9) and "FFC7CE" in _status_fill(ws, 10, 9)  # green / red


def test_given_reasons_and_previous_facts_reach_the_table(program, tmp_path):
    run = run_demo(program, tmp_path / "demo")
    run.result.indicators = [dataclasses.replace(res, previous=12345.6, justification=f"ОБРАЗЕЦ: причина {res.number}"
                                                 if res.number != 8 else "") for res in run.result.indicators]
    out = write_workbook(run.result, tmp_path / "with.xlsx")
    ws = openpyxl.load_workbook(out)["Показатели"]
    rows = {r[0].value: r for r in ws.iter_rows(min_row=6, max_row=16)}
    assert rows[5][9].value == "ОБРАЗЕЦ: причина 5"
    assert rows[8][9].value.startswith("обоснование не представлено")  # who gives it is named
    assert "отдел контроля" in rows[8][9].value
    assert rows[1][3].value == 12345.6 and rows[1][3].number_format.startswith("#,##0")


def test_totals_count_only_indicators_with_a_target_and_add_up_to_100(demo):
    run, wb = demo
    ws = wb["Итоги"]
    body = [[c.value for c in r] for r in ws.iter_rows(min_row=4, max_row=8)]
    assert [r[0] for r in body] == ["Достигнуты", "Перевыполнены", "Не достигнуты",
                                    "Достижение не определено (нет данных)", "Всего"]
    assert [r[1] for r in body] == [8, 0, 3, 0, 11]
    assert sum(r[2] for r in body[:4]) == pytest.approx(100.0) and body[4][2] == 100.0


def test_measures_overspent_or_partly_done_without_reason_are_marked_not_green(demo):
    _, wb = demo
    ws = wb["Мероприятия"]
    rows = {r[0].value: r for r in ws.iter_rows(min_row=6, max_row=10)}
    assert "FFC7CE" in (rows["ОБР-4"][8].fill.fgColor.rgb or "")  # 109,6 % of plan, no explanation
    assert "больше плана" in rows["ОБР-4"][10].value
    assert "причина не указана" in rows["ОБР-3"][10].value and "C6EFCE" not in (rows["ОБР-3"][8].fill.fgColor.rgb or "")
    assert "C6EFCE" in (rows["ОБР-1"][8].fill.fgColor.rgb or "") and rows["ОБР-1"][10].value is None
    # planned and actual dates and results, «—» where not given
    assert rows["ОБР-1"][3].value == "план: 01.02–30.11\nфакт: 01.02–15.11"
    assert rows["ОБР-2"][4].value.startswith("план: ") and rows["ОБР-5"][3].value == "план: —\nфакт: —"


def test_spending_sheet_explains_where_two_totals_disagree(demo):
    _, wb = demo
    texts = [c.value for r in wb["Расходы"].iter_rows() for c in r if isinstance(c.value, str)]
    assert sum(1 for t in texts if t == "Всего") == 1  # one total on the sheet
    (explained,) = [t for t in texts if "разница" in t]
    assert "23\u00a0890,0" in explained and "23\u00a0880,0" in explained and "10,0" in explained


def test_problems_are_named_in_russian_and_skipped_files_are_not_warnings(demo):
    run, wb = demo
    ws = wb["Замечания"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=4)]
    codes = [r[10] for r in rows if r[10]]
    assert "lock-file-skipped" in codes and "not-a-workbook" in codes
    header_row = next(i for i, r in enumerate(rows) if r[0] and str(r[0]).startswith("Пропущенные файлы"))
    assert {r[10] for r in rows[header_row + 1:]} == {"lock-file-skipped", "not-a-workbook"}
    assert all(r[2] != r[10] for r in rows if r[10])  # a Russian name, not the code
    counts = problem_counts(run.result)
    assert counts["skipped"] == 2 == run.result.count("note") and counts["warnings"] == run.result.count("warning")
    summary = " ".join(str(c.value) for r in wb["Сводка"].iter_rows() for c in r if c.value)
    assert f"предупреждений {counts['warnings']} " in summary


def test_efficiency_sheet_has_no_template_instruction_and_lists_settings(demo):
    _, wb = demo
    texts = " ".join(str(c.value) for r in wb["Оценка эффективности"].iter_rows() for c in r if c.value)
    assert "измените" not in texts
    assert "Параметры оценки, применённые при расчёте" in texts and "Пороги ЭР" in texts
    assert "Мероприятия в СРм" in texts and "План расходов для ССуз" in texts
    about = " ".join(str(c.value) for r in wb["О расчёте"].iter_rows() for c in r if c.value)
    assert "отпечаток" in about


def test_the_report_with_charts_is_byte_identical_run_to_run(demo, tmp_path):
    run, _ = demo
    first = write_workbook(run.result, tmp_path / "a.xlsx").read_bytes()
    assert write_workbook(run.result, tmp_path / "b.xlsx").read_bytes() == first


def test_the_budget_lists_of_the_finance_department_get_their_columns_when_reported(program, tmp_path):
    run = run_demo(program, tmp_path / "demo")
    run.result.budget = dataclasses.replace(
        run.result.budget, rospis_dec={"municipal": 23900.0, "regional": 56.6, "offbudget": 0.0, "total": 23956.6},
        rospis_jan={"municipal": 23982.1, "regional": 56.6, "offbudget": 0.0, "total": 24038.7})
    ws = openpyxl.load_workbook(write_workbook(run.result, tmp_path / "r.xlsx"))["Расходы"]
    headers = [c.value for c in ws[4]]
    assert headers[2] == "Сводная бюджетная роспись на 1 января, тыс. руб."
    assert headers[3] == "Сводная бюджетная роспись на 31 декабря, тыс. руб."
    assert [c.value for c in ws[5]] == list(range(1, 9))
    total = next(r for r in ws.iter_rows(min_row=6) if r[0].value == "Всего")
    assert total[3].value == 23956.6 and total[6].value == 99.9  # 23 936,6 / 23 956,6 = 99,92 %
    assert not any("не представлена" in str(c.value) for r in ws.iter_rows() for c in r)


def test_every_kind_of_problem_has_a_russian_name():
    from kc_workbook.problems import CATALOGUE, TITLES, problem_title

    assert set(TITLES) == set(CATALOGUE)
    assert all(problem_title(code) != code for code in CATALOGUE)
    assert problem_title("no-such-kind") == "no-such-kind"


def test_the_summary_shows_what_the_efficiency_verdict_is_made_of(demo):
    from kc_workbook.notation import format_ratio

    run, wb = demo
    e = run.result.efficiency
    texts = [c.value for row in wb["Сводка"].iter_rows() for c in row if isinstance(c.value, str)]
    (made_of,) = [t for t in texts if t.startswith("ЭР = СР × Эис")]
    # the very figures of «Оценка эффективности», and that they multiply to the verdict's ЭР
    for value in (e.sr, e.eis, e.srm, e.ssuz):
        assert format_ratio(value) in made_of
    assert f"{e.measures_done} из {e.measures_planned}" in made_of
    assert abs(e.sr * e.eis - e.er) < 0.001
