"""The consolidated workbook and JSON as the executor and other programs meet them."""

from __future__ import annotations

import json

import pytest
from python_calamine import CalamineWorkbook

from conftest import GOOD, YEAR, fill_openpyxl
from kc_workbook.consolidate import consolidate
from kc_workbook.report import write_json, write_workbook

SHEETS = ["Сводка", "Показатели", "Оценка эффективности", "Итоги", "Динамика", "Расходы", "Мероприятия", "Исходные данные",
          "Участники", "Замечания", "О расчёте"]


@pytest.fixture
def written(program, blank_workbooks, good_inbox, tmp_path):
    fill_openpyxl(blank_workbooks["MVD"], good_inbox / "ответ mvd.xlsx",
                  {**GOOD["MVD"], "CRIMES_JUVENILE": "около 35", "Данные!E5": '=HYPERLINK("http://evil","x")',
                   "Данные!E6": "=cmd|' /C calc'!A0", "Титул!B9": "=1+1"})
    result = consolidate(program, YEAR, good_inbox)
    out = write_workbook(result, tmp_path / "out" / "consolidated.xlsx")
    js = write_json(result, tmp_path / "out" / "consolidated.json")
    return result, out, js


def test_every_sheet_is_there(written):
    _, out, _ = written
    assert CalamineWorkbook.from_path(str(out)).sheet_names == SHEETS


def test_indicator_rows_carry_plan_fact_and_status(written):
    result, out, _ = written
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Показатели").to_python(skip_empty_area=False)
    body = {int(r[0]): r for r in rows[5:16]}
    assert body[5][8] == "нет данных" and body[5][5] == "нет данных"  # CRIMES_JUVENILE was not a number
    assert body[3][4] == 55 and body[3][5] == 56 and body[3][8] == "достигнут"
    assert body[11][8] == "не достигнут"


def test_problems_sheet_names_file_sheet_and_cell(written):
    _, out, _ = written
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Замечания").to_python(skip_empty_area=False)
    found = [(r[10], r[2], r[4], r[5], r[6]) for r in rows[3:]]
    assert ("value-not-number", "не число", "ответ mvd.xlsx", "Данные", "D7") in found


def test_provenance_of_every_value(written, program):
    _, out, _ = written
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Исходные данные").to_python(skip_empty_area=False)
    by_code = {}
    for r in rows[3:]:
        by_code.setdefault(r[0], []).append(r)
    assert set(by_code) == set(program.inputs)
    (crimes,) = by_code["CRIMES_TOTAL"]
    assert crimes[4:9] == ["ответ mvd.xlsx", "Данные", "D5", "1234", 1234]
    assert [r[3] for r in by_code["AT_OBJECTS_TOTAL"]] == ["департамент образования", "отдел по культуре, спорту и делам молодежи"]
    assert by_code["AT_OBJECTS_TOTAL"][0][9] == 34


def test_participant_text_never_becomes_a_formula_or_link(written):
    import zipfile

    _, out, _ = written
    with zipfile.ZipFile(out) as zf:
        sheets = [n for n in zf.namelist() if n.startswith("xl/worksheets/sheet")]
        xml = "".join(zf.read(n).decode() for n in sheets)
        assert "<f>" not in xml  # no cell formula at all
        assert not any("hyperlink" in n.lower() or "externalLink" in n for n in zf.namelist())
        assert "<hyperlink" not in xml


def test_json_has_the_documented_shape(written):
    result, _, js = written
    data = json.loads(js.read_text(encoding="utf-8"))
    assert data["year"] == YEAR
    assert {p["status"] for p in data["participants"]} <= {"accepted", "accepted_with_warnings", "with_errors", "rejected", "missing"}
    ind = {i["number"]: i for i in data["indicators"]}
    assert ind[3]["plan"] == 55 and ind[3]["fact"] == 56 and ind[3]["status"] == "met"
    assert ind[5]["status"] == "no_data" and ind[5]["fact"] is None
    issue = next(i for i in data["issues"] if i["code"] == "value-not-number")
    assert issue == {**issue, "severity": "error", "participant": "MVD", "file": "ответ mvd.xlsx", "sheet": "Данные",
                     "cell": "D7"}


def test_the_same_inbox_gives_byte_identical_files(program, good_inbox, tmp_path):
    outputs = []
    for run in ("a", "b"):
        result = consolidate(program, YEAR, good_inbox)
        outputs.append((write_workbook(result, tmp_path / run / "c.xlsx").read_bytes(),
                        write_json(result, tmp_path / run / "c.json").read_bytes()))
    assert outputs[0] == outputs[1]


def test_a_failed_write_keeps_the_previous_workbook(program, good_inbox, tmp_path, monkeypatch):
    from kc_workbook import report

    result = consolidate(program, YEAR, good_inbox)
    target = write_workbook(result, tmp_path / "out" / "c.xlsx")
    before = target.read_bytes()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(report, "_problems", broken)
    with pytest.raises(RuntimeError):
        write_workbook(result, target)
    assert target.read_bytes() == before
    assert [p.name for p in target.parent.iterdir()] == ["c.xlsx"]  # no temporary file left behind


def test_a_large_consolidation_streams_rows_and_says_the_same(program, good_inbox, tmp_path, monkeypatch):
    from kc_workbook import report

    result = consolidate(program, YEAR, good_inbox)
    normal = write_workbook(result, tmp_path / "normal.xlsx")
    monkeypatch.setattr(report, "LARGE_ROWS", 0)  # as if the region's tens of thousands of rows
    streamed = write_workbook(result, tmp_path / "streamed.xlsx")
    a, b = CalamineWorkbook.from_path(str(normal)), CalamineWorkbook.from_path(str(streamed))
    assert a.sheet_names == b.sheet_names
    for name in a.sheet_names:
        assert a.get_sheet_by_name(name).to_python() == b.get_sheet_by_name(name).to_python(), name
    again = write_workbook(result, tmp_path / "again.xlsx")
    assert again.read_bytes() == streamed.read_bytes()
