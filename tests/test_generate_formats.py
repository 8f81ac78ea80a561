"""The participant workbook as Excel shows it: number formats, text that looks like a number,
last year's values beside the inputs, byte-identical output, and the private XlsxWriter
method generate overrides."""

from __future__ import annotations

import dataclasses
import inspect
import re
import zipfile

from python_calamine import CalamineWorkbook

from conftest import GOOD, YEAR
from kc_workbook import layout as L
from kc_workbook.generate import generate, write_participant_workbook
from kc_workbook.read import read_submission


def xml(path, part: str) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(part).decode("utf-8")


def measured(program):
    from test_efficiency import MEASURES

    return dataclasses.replace(program, measures=MEASURES)


def test_no_format_shows_a_whole_number_with_a_trailing_comma(program, tmp_path):
    prog = measured(program)
    for code in prog.suppliers(YEAR):
        path = write_participant_workbook(prog, code, YEAR, tmp_path / f"{code}.xlsx", values=GOOD.get(code, {}),
                                          previous={"POPULATION": 70100})
        formats = re.findall(r'formatCode="([^"]*)"', xml(path, "xl/styles.xml"))
        assert not [f for f in formats if f.endswith((".#", ".##", ".###"))], (code, formats)


def test_counts_are_grouped_decimals_as_typed_money_to_a_tenth(program, tmp_path):
    import openpyxl

    path = write_participant_workbook(measured(program), "GZ", YEAR, tmp_path / "gz.xlsx", values=GOOD["GZ"])
    wb = openpyxl.load_workbook(path)
    data = wb[L.SHEET_DATA]
    by_code = {data.cell(r, 7).value: data.cell(r, 4) for r in range(5, 7)}
    assert by_code["VIDEO_PLACES"].number_format == "#,##0"
    assert by_code["ALERT_COVERED_K"].number_format == "General"
    measures = wb[L.SHEET_MEASURES]
    assert measures["D5"].number_format == "#,##0.0" and measures["G5"].number_format == "#,##0.0"


def test_text_that_looks_like_a_number_carries_no_excel_marker(program, tmp_path):
    path = write_participant_workbook(measured(program), "GZ", YEAR, tmp_path / "gz.xlsx")
    with zipfile.ZipFile(path) as z:
        sheets = sorted(n for n in z.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n))
        for name in sheets:
            assert '<ignoredError sqref="' in z.read(name).decode(), name
    # …except where a participant types values: there the marker points at a mistake.
    assert '<ignoredError sqref="A1:C1048576 E1:XFD1048576" numberStoredAsText="1"/>' in xml(path, "xl/worksheets/sheet2.xml")


def test_last_years_values_beside_the_inputs_are_not_read_as_this_years(program, tmp_path):
    path = write_participant_workbook(program, "MVD", YEAR, tmp_path / "m.xlsx", values=GOOD["MVD"],
                                      previous={"CRIMES_TOTAL": 1300, "CRIMES_PUBLIC": 500.5}, previous_year=2024)
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(L.SHEET_DATA).to_python(skip_empty_area=False)
    heads = rows[3]
    assert heads[3] == L.value_header(YEAR) and heads[4] == "Принято за 2024 год"
    assert not heads[4].startswith(L.HEAD_VALUE_PREFIX)
    assert [r[4] for r in rows[4:7]] == [1300, 500.5, "нет данных"]
    sub = read_submission(path, program, YEAR)
    assert sub.problems == []
    assert sub.values() == {k: float(v) for k, v in GOOD["MVD"].items()}
    assert sub.cells["CRIMES_TOTAL"].cell == "D5"
    assert rows[1][3] == "Заполнено 7 из 7, ошибок нет" and [r[6] for r in rows[4:11]] == ["ОК"] * 7


def test_generate_gives_each_participant_its_own_last_year(program, tmp_path):
    previous = {"EDU": {"AT_OBJECTS_TOTAL": 27}, "CULTURE": {"AT_OBJECTS_TOTAL": 6}}
    paths = {p.name: p for p in generate(program, YEAR, tmp_path, previous=previous, previous_year=2024)}
    edu = next(p for n, p in paths.items() if "(EDU)" in n)
    rows = CalamineWorkbook.from_path(str(edu)).get_sheet_by_name(L.SHEET_DATA).to_python(skip_empty_area=False)
    assert rows[4][4] == 27
    mvd = next(p for n, p in paths.items() if "(MVD)" in n)
    rows = CalamineWorkbook.from_path(str(mvd)).get_sheet_by_name(L.SHEET_DATA).to_python(skip_empty_area=False)
    assert rows[3][4] == "Принято за 2024 год" and rows[4][4] == "нет данных"


def test_the_same_program_and_year_give_byte_identical_workbooks(program, tmp_path):
    prog = measured(program)
    for run in ("a", "b"):
        list(generate(prog, YEAR, tmp_path / run, previous={"MVD": {"CRIMES_TOTAL": 1}}))
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names and all((tmp_path / "a" / n).read_bytes() == (tmp_path / "b" / n).read_bytes() for n in names)


def test_the_private_xlsxwriter_method_we_override_is_as_we_know_it():
    from xlsxwriter.worksheet import Worksheet

    assert list(inspect.signature(Worksheet._prepare_formula).parameters) == [
        "self", "formula", "expand_future_functions"]


def test_our_formula_shortcut_returns_what_xlsxwriter_would(program, tmp_path, monkeypatch):
    """For every formula the workbooks contain, the override and XlsxWriter's own method agree."""
    from xlsxwriter.worksheet import Worksheet

    from kc_workbook import generate as g

    cls = g.classic_formula_worksheet()
    ours = cls._prepare_formula
    seen = []

    def spy(self, formula, expand_future_functions=False):
        result = ours(self, formula, expand_future_functions)
        seen.append((formula, result, Worksheet._prepare_formula(self, formula, expand_future_functions)))
        return result

    monkeypatch.setattr(cls, "_prepare_formula", spy)
    prog = measured(program)
    for code in prog.suppliers(YEAR):
        write_participant_workbook(prog, code, YEAR, tmp_path / f"{code}.xlsx", values=GOOD.get(code, {}),
                                   previous={})
    assert len(seen) > 40 and any("ROUND(" in f for f, _, _ in seen)
    assert [f for f, a, b in seen if a != b] == []
