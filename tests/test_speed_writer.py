"""The provenance sheet written as XML in one pass (kc_workbook.fastsheet) says what XlsxWriter
would have said cell by cell, keeps every value with its file, sheet and cell, and the
workbook stays deterministic and opens in LibreOffice."""

from __future__ import annotations

import datetime as dt
import zipfile

import pytest
from python_calamine import CalamineWorkbook

from conftest import GOOD, YEAR, fill_openpyxl
from kc_workbook import fastsheet, report
from kc_workbook.consolidate import consolidate
from kc_workbook.report import write_workbook

PROVENANCE = "Исходные данные"

TRICKY = [
    "обычный текст", "", " ведущий пробел", "хвостовой пробел ", "\tтаб", "a & b < c > d \" ' ",
    "строка\nс переводом", "управляющий\x01символ\x1f", "_x0041_ уже похоже на escape", "\ufffe\uffff",
    "эмодзи 😀", "x" * 40000, "😀" * 20000, "=1+1", "http://example.org",
]
NUMBERS = [0, 1, -1, 1234, 0.1, 1 / 3, 23500.5, 1e20, 1e-7, -0.0, 2**53, 68.4]


class CellByCell:
    """The reference: the same rows through XlsxWriter's own write calls, as report did before."""

    def __init__(self, ws, tmpdir=None):
        self.ws = ws
        self.first = None

    def add(self, r, cells, height=None):
        for c, (value, fmt) in enumerate(cells):
            report._cell(self.ws, r, c, value, fmt)
        if height:
            self.ws.set_row(r, height)


def _no_splice(path, sheets):
    pass


def _parts(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def _write_both(tmp_path, rows, constant_memory=True):
    """One workbook cell by cell through XlsxWriter, one through FastRows; the same rows."""
    import xlsxwriter

    paths = []
    for kind in ("reference", "fast"):
        path = tmp_path / f"{kind}.xlsx"
        wb = xlsxwriter.Workbook(str(path), {"constant_memory": constant_memory, "strings_to_formulas": False,
                                             "strings_to_urls": False, "strings_to_numbers": False})
        wb.set_properties({"created": dt.datetime(2026, 1, 1)})
        text = wb.add_format({"border": 1, "text_wrap": True})
        number = wb.add_format({"border": 1, "num_format": "0.000"})
        when = wb.add_format({"num_format": "dd.mm.yyyy hh:mm"})
        ws = wb.add_worksheet("Лист")
        ws.write_string(0, 0, "заголовок", text)
        ws.set_row(0, 30)
        sink = CellByCell(ws) if kind == "reference" else fastsheet.FastRows(ws, tmp_path)
        for r, (cells, height) in enumerate(rows, start=2):
            sink.add(r, [(v, {"text": text, "number": number, "when": when, None: None}[k]) for v, k in cells], height)
        ws.autofilter(1, 0, 1 + len(rows), 3)
        wb.close()
        if kind == "fast":
            fastsheet.splice(path, [sink])
        paths.append(path)
    return paths


def test_rows_are_the_xml_xlsxwriter_writes_cell_by_cell(tmp_path):
    rows = []
    for i, s in enumerate(TRICKY):
        rows.append(([(s, "text"), (NUMBERS[i % len(NUMBERS)], "number"), (None, "text"), (None, None), (True, "text"),
                      (dt.datetime(2025, 3, 1, 12, 30), "when")], [None, 15, 12.75, 30, 40.5, 0.5][i % 6]))
    reference, fast = _write_both(tmp_path, rows)
    a, b = _parts(reference), _parts(fast)
    assert list(a) == list(b)
    for name in a:
        assert a[name] == b[name], name


def test_shared_strings_mode_reads_the_same(tmp_path):
    """Outside constant-memory mode XlsxWriter would share strings; the values read back are the same."""
    rows = [([(s, "text"), (n, "number"), (None, "text")], None) for s, n in zip(TRICKY, NUMBERS * 2)]
    reference, fast = _write_both(tmp_path, rows, constant_memory=False)
    a = CalamineWorkbook.from_path(str(reference)).get_sheet_by_name("Лист").to_python()
    b = CalamineWorkbook.from_path(str(fast)).get_sheet_by_name("Лист").to_python()
    assert a == b


def test_rows_go_top_to_bottom(tmp_path):
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(tmp_path / "x.xlsx"))
    rows = fastsheet.FastRows(wb.add_worksheet(), tmp_path)
    rows.add(5, [("a", None)])
    with pytest.raises(ValueError):
        rows.add(5, [("b", None)])
    rows.close()
    wb.close()


def test_a_missing_sheet_part_fails_loudly(tmp_path):
    import xlsxwriter

    path = tmp_path / "x.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    rows = fastsheet.FastRows(ws, tmp_path)
    rows.add(1, [("a", None)])
    wb.close()
    ws.index = 7  # as if XlsxWriter named its parts otherwise
    with pytest.raises(RuntimeError):
        fastsheet.splice(path, [rows])


@pytest.fixture
def inbox(blank_workbooks, good_inbox):
    fill_openpyxl(blank_workbooks["MVD"], good_inbox / "ответ mvd.xlsx",
                  {**GOOD["MVD"], "CRIMES_JUVENILE": "около 35 & <больше>", "CRIMES_PUBLIC": " 420 "})
    (good_inbox / "ответ health.xlsx").unlink()  # a supplier without a workbook: one summary row
    return good_inbox


@pytest.mark.parametrize("large", [False, True])
def test_the_provenance_sheet_says_what_the_cell_by_cell_writer_said(program, inbox, tmp_path, monkeypatch, large):
    result = consolidate(program, YEAR, inbox)
    if large:
        monkeypatch.setattr(report, "LARGE_ROWS", 0)
    fast = write_workbook(result, tmp_path / "fast.xlsx")
    monkeypatch.setattr(report, "FastRows", CellByCell)
    monkeypatch.setattr(report, "splice", _no_splice)
    reference = write_workbook(result, tmp_path / "reference.xlsx")
    a, b = CalamineWorkbook.from_path(str(reference)), CalamineWorkbook.from_path(str(fast))
    assert a.sheet_names == b.sheet_names
    for name in a.sheet_names:
        assert a.get_sheet_by_name(name).to_python() == b.get_sheet_by_name(name).to_python(), name
    rows = b.get_sheet_by_name(PROVENANCE).to_python()[3:]
    expected = sum(len(i.suppliers) for i in program.inputs.values())
    assert len(rows) == expected  # HEALTH, without a workbook, is the only supplier of its inputs
    assert {r[0] for r in rows} == set(program.inputs)
    poisonings = next(r for r in rows if r[0] == "DRUG_POISONINGS")
    assert poisonings[4:9] == ["", "", "", "", ""] and poisonings[10]
    crimes = next(r for r in rows if r[0] == "CRIMES_JUVENILE")
    assert crimes[4:8] == ["ответ mvd.xlsx", "Данные", "D7", "около 35 & <больше>"]
    if large:  # constant memory: XlsxWriter's inline strings, so every part is the same XML
        ref, new = _parts(reference), _parts(fast)
        assert list(ref) == list(new)
        for name in ref:
            assert ref[name] == new[name], name


def test_every_supplier_value_has_its_file_sheet_and_cell(program, good_inbox, tmp_path):
    result = consolidate(program, YEAR, good_inbox)
    out = write_workbook(result, tmp_path / "c.xlsx")
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name(PROVENANCE).to_python()[3:]
    seen = {(r[0], r[4]): r for r in rows}
    for sub in result.used.values():
        for code, cell in sub.cells.items():
            row = seen[(code, sub.name)]
            assert row[5:7] == [cell.sheet, cell.cell]
            if cell.ok:
                assert row[8] == ("" if cell.value is None else cell.value)  # an optional input left empty


def test_two_runs_give_identical_bytes(program, inbox, tmp_path, monkeypatch):
    monkeypatch.setattr(report, "LARGE_ROWS", 0)
    first = write_workbook(consolidate(program, YEAR, inbox), tmp_path / "a" / "c.xlsx").read_bytes()
    second = write_workbook(consolidate(program, YEAR, inbox), tmp_path / "b" / "c.xlsx").read_bytes()
    assert first == second


def test_a_corrupt_sheet_part_is_caught_by_libreoffice(program, good_inbox, tmp_path, monkeypatch):
    """The check the next test relies on can fail: a broken sheet XML does not open."""
    import libreoffice

    libreoffice.require()
    result = consolidate(program, YEAR, good_inbox)
    good = _provenance(write_workbook(result, tmp_path / "good.xlsx"))
    original = fastsheet._text
    monkeypatch.setattr(fastsheet, "_text", lambda value: original(value).replace("</t>", "</x>", 1))
    out = write_workbook(result, tmp_path / "broken.xlsx")
    assert not _opens_in_libreoffice(out, good, tmp_path)


@pytest.mark.libreoffice
def test_the_workbook_opens_in_libreoffice(program, inbox, tmp_path, monkeypatch):
    import libreoffice

    libreoffice.require()
    monkeypatch.setattr(report, "LARGE_ROWS", 0)
    out = write_workbook(consolidate(program, YEAR, inbox), tmp_path / "c.xlsx")
    assert _opens_in_libreoffice(out, _provenance(out), tmp_path)



def _provenance(path) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(PROVENANCE).to_python()


def _opens_in_libreoffice(path, expected: list[list], tmp_path) -> bool:
    """LibreOffice opens the workbook and re-saves it with the provenance sheet's values as expected.

    LibreOffice opens a workbook with a broken sheet part without complaint (it drops what it
    cannot read), so the values it re-saves are what tells."""
    import libreoffice

    resaved = tmp_path / f"resaved_{path.stem}.xlsx"
    try:
        libreoffice.fill([{"src": path, "dst": resaved, "format": "xlsx", "values": {}}])
        theirs = _provenance(resaved)
    except Exception:  # fill asserts that LibreOffice saved; calamine may fail to read
        return False
    return len(expected) > 3 and theirs == expected
