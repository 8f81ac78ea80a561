"""A participant workbook printed by LibreOffice: one A4 page per sheet, the title portrait,
the tables landscape, no text below 8 pt."""

from __future__ import annotations

import dataclasses

import pytest

import libreoffice
from conftest import GOOD, YEAR
from kc_workbook.generate import write_participant_workbook

pytestmark = pytest.mark.libreoffice

# Arial (Liberation Sans in LibreOffice) of 10 pt at 100 % gives words 9,89 pt high in pdftotext's boxes.
EIGHT_POINT_WORD = 7.9  # 8 pt


@pytest.mark.parametrize("code, previous", [("GZ", None), ("MVD", {"CRIMES_TOTAL": 1300})])
def test_each_sheet_prints_on_one_readable_a4_page(program, tmp_path, code, previous):
    from test_efficiency import MEASURES

    libreoffice.require()
    prog = dataclasses.replace(program, measures=MEASURES)
    sheets = ["title", "data"] + (["measures"] if prog.measures_of(code, YEAR) else [])
    values = {**GOOD[code], "VIDEO_PLACES": 50} if code == "GZ" else GOOD[code]
    src = write_participant_workbook(prog, code, YEAR, tmp_path / f"{code}.xlsx", values=values, previous=previous,
                                     measures={"М-1": {"municipal": 14000.0, "status": "выполнено частично"}})
    pages = libreoffice.pdf_pages(libreoffice.to_pdf(src, tmp_path))
    assert len(pages) == len(sheets)
    assert [p["landscape"] for p in pages] == [False] + [True] * (len(sheets) - 1)
    small = {sheet: p["min_text"] for sheet, p in zip(sheets, pages) if p["min_text"] < EIGHT_POINT_WORD}
    assert small == {}
