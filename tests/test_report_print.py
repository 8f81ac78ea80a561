"""The consolidated workbook as the head of the administration gets it: printed to A4 by
LibreOffice (Russian locale). Every page's footer names its sheet, so pages are counted per sheet."""

from __future__ import annotations

import dataclasses

import os
import re
import shutil
import subprocess

import pytest

import libreoffice
from kc_workbook.demo import run_demo
from kc_workbook.indicators import MISSED
from kc_workbook.problems import Problem
from kc_workbook.report import write_workbook

pytestmark = pytest.mark.libreoffice

LANDSCAPE, PORTRAIT = "landscape", "portrait"
# sheet → (orientation, most pages it may take for the demo)
EXPECTED = {
    "Сводка": (PORTRAIT, 1),
    "Показатели": (LANDSCAPE, 2),
    "Оценка эффективности": (LANDSCAPE, 2),
    "Итоги": (LANDSCAPE, 1),
    "Динамика": (LANDSCAPE, 3),
    "Расходы": (LANDSCAPE, 2),  # by source; by measure and participant
    "Мероприятия": (LANDSCAPE, 1),
    "Исходные данные": (LANDSCAPE, 6),
    "Участники": (LANDSCAPE, 1),
    "Замечания": (LANDSCAPE, 1),
    "О расчёте": (LANDSCAPE, 1),
}


def _require_poppler() -> None:
    if shutil.which("pdftotext") and shutil.which("pdfinfo"):
        return
    message = "poppler-utils (pdftotext, pdfinfo) are needed: apt-get install poppler-utils"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def books(program, tmp_path_factory):
    """name → workbook: "demo" is the demo's consolidated workbook, "crowded" the same with long
    reasons and many errors."""
    libreoffice.require()
    _require_poppler()
    out = tmp_path_factory.mktemp("print")
    run = run_demo(program, out / "demo")
    crowded = run.result
    crowded.indicators = [dataclasses.replace(res, status=MISSED,
                                              justification="ОБРАЗЕЦ: длинное обоснование отклонения. " * 20)
                          for res in crowded.indicators]
    crowded.problems = crowded.problems + [
        Problem("value-missing", "ОБРАЗЕЦ: значение не заполнено, хотя участник обязан его представить " * 3,
                participant="MVD", file="мвд.xlsx", sheet="Данные", cell=f"D{i}") for i in range(40)]
    return {"demo": run.workbook, "crowded": write_workbook(crowded, out / "crowded.xlsx")}


@pytest.fixture(scope="module")
def printed(books):
    """name → [(sheet name, orientation, text, (height, word) of its lowest word, its words with their
    boxes)] for every printed page of ``books``."""
    out = books["crowded"].parent
    env = {**libreoffice._clean_env(), "LC_ALL": "ru_RU.UTF-8"}
    done = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{out / 'lo'}", "--convert-to",
                           "pdf", "--outdir", str(out / "pdf"), *map(str, books.values())], capture_output=True,
                          text=True, env=env, timeout=300)
    return {name: _pages(out / "pdf" / (book.stem + ".pdf"), done.stderr) for name, book in books.items()}


@pytest.fixture(scope="module")
def pages(printed):
    return printed["demo"]


def _pages(pdf, log: str) -> list:
    assert pdf.exists(), log
    count = int(re.search(r"Pages:\s+(\d+)", _run("pdfinfo", str(pdf))).group(1))
    boxes = _run("pdftotext", "-bbox", str(pdf), "-").split("<page ")[1:]
    assert len(boxes) == count
    boxed = libreoffice.pdf_words(pdf)
    found = []
    for n in range(1, count + 1):
        size = re.search(r"size:\s+([\d.]+) x ([\d.]+)", _run("pdfinfo", "-f", str(n), "-l", str(n), str(pdf)))
        width, height = float(size.group(1)), float(size.group(2))
        text = _run("pdftotext", "-f", str(n), "-l", str(n), "-layout", str(pdf), "-")
        footer = re.search(r"^\s*(\S.*?)\s{2,}Страница \d+ из \d+", text, re.M)
        words = re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<', boxes[n - 1])
        smallest = min((float(y1) - float(y0), word) for y0, y1, word in words)
        found.append((footer.group(1).strip() if footer else None, LANDSCAPE if width > height else PORTRAIT, text,
                      smallest, boxed[n - 1]))
    return found


def _run(*args) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def test_every_sheet_prints_on_a4_in_its_orientation_and_page_count(pages):
    by_sheet: dict[str, list[str]] = {}
    for sheet, orientation, *_ in pages:
        by_sheet.setdefault(sheet, []).append(orientation)
    assert set(by_sheet) == set(EXPECTED)
    for sheet, (orientation, most) in EXPECTED.items():
        assert set(by_sheet[sheet]) == {orientation}, sheet
        assert 1 <= len(by_sheet[sheet]) <= most, (sheet, len(by_sheet[sheet]))


def test_the_summary_is_one_page_with_what_the_head_needs(pages):
    (text,) = [t for sheet, _, t, *_ in pages if sheet == "Сводка"]
    assert "Эффективность реализации программы: неудовлетворительная (ЭР = 0,684)" in text
    assert "Достигнуто 8, не достигнуто 3" in text
    assert "24 038,7" in text and "23 936,6" in text  # thousands separated, as Russian LibreOffice shows them
    assert "отпечаток" not in text  # technical lines live on «О расчёте»


def test_official_tables_print_their_column_numbers(pages):
    (first, *_) = [t for sheet, _, t, *_ in pages if sheet == "Показатели"]
    assert re.search(r"^\s*1\s+2\s+3\s+4\s+5\s+6\s+7\s+8\s+9\s+10\s*$", first, re.M)


def test_the_summary_stays_one_page_however_much_there_is_to_say(printed):
    summary = [t for sheet, _, t, *_ in printed["crowded"] if sheet == "Сводка"]
    assert len(summary) == 1
    assert "лист «Замечания»" in summary[0] and "И ещё" in summary[0]


def test_no_text_prints_below_8_pt(printed):
    """pdftotext's word boxes are 1,3 times the font size high (Liberation Sans)."""
    for name, pages in printed.items():
        for number, (sheet, _, _, (height, word), _) in enumerate(pages, start=1):
            assert height / 1.3 >= 8 - 0.1, (name, number, sheet, word, round(height / 1.3, 1))


def test_no_text_prints_over_other_text(printed):
    """A wrapped title over the line below it, a long name's second line over the next row: words overprint."""
    for name, pages in printed.items():
        found = {(number, sheet): libreoffice.overprinted(words)
                 for number, (sheet, *_, words) in enumerate(pages, start=1) if libreoffice.overprinted(words)}
        assert found == {}, name


def _words_by_sheet(pages) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for sheet, *_, words in pages:
        found.setdefault(sheet, set()).update(w[4] for w in words)
    return found


def test_no_heading_breaks_inside_a_word(books, printed):
    """Each word of every column heading prints whole on its sheet's pages («Исполнение,», not «Исполнени» «е,»)."""
    for name in books:
        printed_words = _words_by_sheet(printed[name])
        broken = {sheet: heads - printed_words[sheet] for sheet, heads in libreoffice.header_words(books[name]).items()
                  if heads - printed_words[sheet]}
        assert broken == {}, name


def test_input_codes_print_whole(books, printed):
    """«Исходные данные»: a code (AT_OBJECTS_COMPLIANT) is never split over two lines."""
    import openpyxl

    ws = openpyxl.load_workbook(books["demo"], read_only=True)["Исходные данные"]
    codes = {row[0] for row in ws.iter_rows(min_row=4, max_col=1, values_only=True) if row[0]}
    assert "AT_OBJECTS_COMPLIANT" in codes
    assert codes - _words_by_sheet(printed["demo"])["Исходные данные"] == set()
