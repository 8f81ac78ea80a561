"""Reading each workbook once: the preflight inflates parts from the bytes it read and hands
them to the reader; what it finds is what it found through zipfile."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from conftest import GOOD, YEAR, fill_openpyxl
from kc_workbook import preflight
from kc_workbook.preflight import examine
from kc_workbook.read import read_submission


def _rezip(src, dst, compression, edit=None):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", compression) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if edit:
                data = edit(info.filename, data)
            zout.writestr(info.filename, data)
    return dst


def test_the_reader_gets_the_bytes_the_preflight_read(blank_workbooks, tmp_path):
    path = fill_openpyxl(blank_workbooks["MVD"], tmp_path / "mvd.xlsx", GOOD["MVD"])
    found = examine(path)
    assert found.kind == "xlsx" and not found.blocking
    assert found.data == path.read_bytes()


def test_a_workbook_of_stored_parts_is_inspected_and_read(program, blank_workbooks, tmp_path):
    filled = fill_openpyxl(blank_workbooks["MVD"], tmp_path / "filled.xlsx", GOOD["MVD"])
    stored = _rezip(filled, tmp_path / "stored.xlsx", zipfile.ZIP_STORED)
    assert not examine(stored).blocking
    sub = read_submission(stored, program, YEAR)
    assert sub.usable and sub.values()["CRIMES_TOTAL"] == GOOD["MVD"]["CRIMES_TOTAL"]


def test_a_stored_part_that_differs_from_its_header_is_suspicious(blank_workbooks, tmp_path):
    stored = _rezip(blank_workbooks["MVD"], tmp_path / "stored.xlsx", zipfile.ZIP_STORED)
    data = bytearray(stored.read_bytes())
    with zipfile.ZipFile(stored) as zf:
        info = zf.getinfo("xl/worksheets/sheet2.xml")
    body = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[body + 100] ^= 0x01  # one bit of the sheet's XML: the CRC no longer matches
    stored.write_bytes(bytes(data))
    assert [code for code, _ in examine(stored).blocking] == ["archive-suspicious"]


def test_a_far_cell_in_a_stored_sheet_is_found(blank_workbooks, tmp_path):
    def far(name, data):
        if name == "xl/worksheets/sheet2.xml":
            return data.replace(b"</sheetData>", b'<row r="900000"><c r="A900000"><v>1</v></c></row></sheetData>')
        return data

    stored = _rezip(blank_workbooks["MVD"], tmp_path / "far.xlsx", zipfile.ZIP_STORED, far)
    assert [code for code, _ in examine(stored).blocking] == ["sheet-too-large"]


CORE = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties '
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" {ns}>'
        '<dc:creator>x</dc:creator>{element}</cp:coreProperties>')


def _core(ns: str, element: str) -> zipfile.ZipFile:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("docProps/core.xml", CORE.format(ns=ns, element=element))
    return zipfile.ZipFile(io.BytesIO(buf.getvalue()))


def test_the_recorded_time_is_the_same_by_regex_and_by_parse():
    usual = _core('xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
                  '<dcterms:modified xsi:type="dcterms:W3CDTF">2026-02-03T04:05:06Z</dcterms:modified>')
    other = _core('xmlns:t="http://purl.org/dc/terms/"', "<t:modified>2026-02-03T07:05:06+03:00</t:modified>")
    rebound = _core('xmlns:dcterms="http://example.invalid/"', "<dcterms:modified>2030-01-01T00:00:00Z</dcterms:modified>")
    assert preflight._recorded_time(usual, "xlsx") == dt.datetime(2026, 2, 3, 4, 5, 6)
    assert preflight._recorded_time(other, "xlsx") == dt.datetime(2026, 2, 3, 4, 5, 6)
    assert preflight._recorded_time(rebound, "xlsx") is None
