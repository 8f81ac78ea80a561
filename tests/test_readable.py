"""What reads badly when the demo's workbooks are printed by LibreOffice (Russian locale):
each test here failed before the layout fix it names."""

from __future__ import annotations

import dataclasses

import openpyxl
import pytest

from kc_workbook.cells import row_height
from kc_workbook.demo import run_demo
from kc_workbook.generate import MEASURE_WIDTHS, _data_widths, _WIDTHS
from kc_workbook.indicators import MISSED
from kc_workbook.reasons import WIDTHS as REASONS_WIDTHS
from kc_workbook.reasons import file_name
from kc_workbook.report import write_workbook
from kc_workbook.report_base import MIN_SCALE, fit_scale


@pytest.fixture(scope="module")
def demo(program, tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    return out, run_demo(program, out)


def _default_font(path) -> tuple[str, float]:
    font = openpyxl.load_workbook(path)._fonts[0]  # the Normal style's font: the unit of column widths
    return font.name, font.sz


def test_every_workbook_measures_its_columns_in_arial_10(demo, program):
    """In Calibri, which LibreOffice replaces by a wider font where it is missing, the participant
    workbooks printed at 61–76 % and the reasons workbook at 52 % (5 pt)."""
    out, run = demo
    books = [run.workbook, out / file_name(2025), *sorted((out / "templates").glob("*.xlsx"))]
    assert len(books) > 3
    for book in books:
        assert _default_font(book) == ("Arial", 10), book.name


def test_participant_and_reasons_sheets_fit_the_page_at_the_readable_scale(program):
    assert fit_scale(list(_WIDTHS.values())) >= MIN_SCALE  # «Данные» with last year's column
    assert fit_scale(MEASURE_WIDTHS) >= MIN_SCALE
    assert fit_scale(REASONS_WIDTHS) >= MIN_SCALE


def test_the_code_column_holds_the_longest_code(program):
    """«BUDGET_ROSPIS_JAN_OFFBUDGET» ran over the border of a 20-wide column."""
    inputs = program.inputs_of("FIN")
    widths = _data_widths(inputs)
    assert widths["code"] > max(len(i.code) for i in inputs)
    assert sum(widths.values()) == sum(_WIDTHS.values())  # the page keeps its scale


def test_a_wrapped_name_gets_its_last_line():
    """Counted by characters, this name took two lines; wrapped word by word it takes three."""
    name = ("Количество подведомственных объектов, подлежащих антитеррористической защите, на 1 января "
            "отчетного периода")
    assert row_height([name], [50]) >= 3 * 13


def test_provenance_rows_are_as_high_as_a_wrapped_file_name(demo):
    _, run = demo
    ws = openpyxl.load_workbook(run.workbook)["Исходные данные"]
    rows = [r for r in ws.iter_rows(min_row=4) if r[4].value and "(JUVENILE)" in r[4].value]
    assert rows
    assert all((ws.row_dimensions[r[0].row].height or 0) >= 3 * 13 for r in rows)


def test_an_optional_value_left_empty_is_not_called_an_error(demo):
    _, run = demo
    ws = openpyxl.load_workbook(run.workbook)["Исходные данные"]
    notes = {r[0].value: r[10].value for r in ws.iter_rows(min_row=4)}
    assert notes["BUDGET_ROSPIS_DEC_MUNICIPAL"] == "не заполнено (необязательное значение)"
    # an accepted decimal shows as typed, not with three zeros
    formats = {r[0].value: r[8].number_format for r in ws.iter_rows(min_row=4)}
    assert formats["BUDGET_FACT_MUNICIPAL"] == "#,##0.0##" and formats["CRIMES_TOTAL"] == "#,##0"


def _print_titles(path, sheet):
    return openpyxl.load_workbook(path)[sheet].print_title_rows


def test_the_indicators_header_repeats_only_when_the_table_runs_over_a_page(demo, tmp_path):
    """Repeated on a one-page table, the header printed alone above the chart on its own page."""
    _, run = demo
    assert _print_titles(run.workbook, "Показатели") is None
    long = dataclasses.replace(run.result, indicators=[
        dataclasses.replace(r, status=MISSED, justification="ОБРАЗЕЦ: длинное обоснование. " * 20)
        for r in run.result.indicators])
    book = write_workbook(long, tmp_path / "long.xlsx")
    assert _print_titles(book, "Показатели") == "$4:$5"


def test_the_summary_names_who_sent_a_workbook_with_errors(demo):
    _, run = demo
    ws = openpyxl.load_workbook(run.workbook)["Сводка"]
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(t.startswith("Книги участников: представлены 10 из 10; с ошибками — 1 (департамент образования)")
               for t in texts)
    assert any(t.startswith("Всего ошибок 1, предупреждений 5") for t in texts)


def test_dynamics_prints_above_8_pt(demo, tmp_path):
    """Its status words were 8 pt (7,7 printed), its charts' 8 pt (5,8 printed) and «Замечания» printed at 61 %."""
    import shutil

    from click.testing import CliRunner

    from kc_workbook.cli import main

    out, _ = demo
    (tmp_path / "2025").mkdir()
    shutil.copy(out / "consolidated_2025.json", tmp_path / "2025" / "consolidated_2025.json")
    done = CliRunner().invoke(main, ["history", "--records", str(tmp_path), "--out", str(tmp_path / "d.xlsx")])
    assert done.exit_code in (0, 1), done.output
    wb = openpyxl.load_workbook(tmp_path / "d.xlsx")
    ws = wb["Динамика"]
    statuses = [c for row in ws.iter_rows() if row[0].value == "Итог" for c in row[1:]]
    assert statuses and all(c.font.sz >= 9 for c in statuses)
    problems = wb["Замечания"]
    widths = [problems.column_dimensions[chr(65 + i)].width - 0.7109375 for i in range(8)]
    assert fit_scale(widths) >= MIN_SCALE
    assert all(size >= 11 for size in _chart_font_sizes(tmp_path / "d.xlsx"))


def _chart_font_sizes(path) -> list[float]:
    import re
    import zipfile

    with zipfile.ZipFile(path) as z:
        charts = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")]
    assert charts
    return [int(s) / 100 for c in charts for s in re.findall(r'<a:defRPr[^>]* sz="(\d+)"', c)]


def test_a_participant_sees_which_values_it_may_leave_empty(demo):
    """The finance department saw «Не заполнено» beside all nine values, six of them optional."""
    out, _ = demo
    (book,) = (out / "templates").glob("*(FIN).xlsx")
    ws = openpyxl.load_workbook(book)["Данные"]
    check = {row[-1].value: row[-2] for row in ws.iter_rows(min_row=4) if row[-1].value}
    assert check["BUDGET_ROSPIS_DEC_MUNICIPAL"].value.startswith('=IF(ISBLANK(D')
    assert "Не заполнено (необязательно)" in check["BUDGET_ROSPIS_DEC_MUNICIPAL"].value
    assert "(необязательно)" not in check["BUDGET_FACT_MUNICIPAL"].value
    cached = openpyxl.load_workbook(book, data_only=True)["Данные"]
    assert cached[check["BUDGET_ROSPIS_DEC_MUNICIPAL"].coordinate].value == "Не заполнено (необязательно)"


def test_an_overspent_measure_is_red_on_the_spending_sheet_too(demo):
    """«Мероприятия» showed ОБР-4 at 109,6 % in red; «Расходы» showed it plain."""
    _, run = demo
    ws = openpyxl.load_workbook(run.workbook)["Расходы"]
    rows = {row[0].value.split()[0] if isinstance(row[0].value, str) else None: row for row in ws.iter_rows()}
    assert rows["ОБР-4"][4].fill.fgColor.rgb.endswith("FFC7CE")
    assert not rows["ОБР-1"][4].fill.fgColor.rgb.endswith("FFC7CE")
    culture = [row for row in ws.iter_rows() if row[0].value == "отдел по культуре, спорту и делам молодежи"]
    assert culture and culture[0][4].fill.fgColor.rgb.endswith("FFC7CE")


def test_the_own_indicators_title_is_not_wrapped_into_the_header_below(demo):
    """Wrapped in the name column, its second line printed over the table's header."""
    out, _ = demo
    (book,) = (out / "templates").glob("*(MVD).xlsx")
    ws = openpyxl.load_workbook(book)["Данные"]
    (title,) = [c for row in ws.iter_rows() for c in row
                if isinstance(c.value, str) and c.value.startswith("Показатели, которые рассчитываются")]
    assert not title.alignment.wrap_text
