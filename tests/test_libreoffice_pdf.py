"""A participant workbook printed by LibreOffice: one A4 page per sheet, the title portrait,
the tables landscape, no text below 8 pt."""

from __future__ import annotations

import dataclasses

import pytest

import libreoffice
from conftest import GOOD, YEAR
from kc_workbook.cells import text_lines
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


def test_no_text_prints_over_other_text_and_no_heading_breaks_inside_a_word(program, tmp_path):
    """EDU has one of the longest names (two lines on «Титул»); comments longer than their rows' names; a
    status of two words in a narrow column; the measures' headings have the longest words («внебюджетные,»)."""
    from collections import Counter

    import openpyxl

    from test_efficiency import MEASURES

    libreoffice.require()
    prog = dataclasses.replace(program, measures=MEASURES)
    assert len(prog.participants["EDU"].name) > 100
    comments = {code: "пояснение участника, длиннее наименования показателя: столбец «Комментарий» уже, "
                "и строка растёт по нему" for code in GOOD["EDU"]}
    src = write_participant_workbook(prog, "EDU", YEAR, tmp_path / "EDU.xlsx", values=GOOD["EDU"], comments=comments,
                                     measures={"М-2": {"municipal": 8000.0, "status": "выполнено частично",
                                                       "reason": "срыв поставки"}})
    pdf = libreoffice.to_pdf(src, tmp_path)
    assert len(libreoffice.pdf_pages(pdf)) == 3  # title, data, measures: one page each
    words = libreoffice.pdf_words(pdf)
    assert {sheet: libreoffice.overprinted(page) for sheet, page in zip(["title", "data", "measures"], words)
            if libreoffice.overprinted(page)} == {}
    on_data = Counter(w[4] for w in words[1])  # every line of every comment printed: none cut off by its row
    assert {w for comment in comments.values() for w in comment.split() if on_data[w] < len(comments)} == set()
    sheets = openpyxl.load_workbook(src).sheetnames
    printed = {name: {w[4] for w in page} for name, page in zip(sheets, words)}
    broken = {sheet: heads - printed[sheet] for sheet, heads in libreoffice.header_words(src).items()
              if heads - printed[sheet]}
    assert broken == {}
    measures = openpyxl.load_workbook(src)["Мероприятия"]
    (status,) = [c for c in measures[5] if c.value == "выполнено частично"]
    assert status.alignment.wrap_text  # two lines in its cell, never spilling into «Причина» (clipped there)
    name = measures.cell(5, 3).value  # the row as high as the measure's name needs in its column, not 409 pt
    assert measures.row_dimensions[5].height <= 13 * (text_lines(name, measures.column_dimensions["C"].width) + 1) + 2
