"""Driving a real spreadsheet application (LibreOffice headless) from the tests."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

FILTERS = {"xlsx": "Calc MS Excel 2007 XML", "ods": "calc8", "xls": "MS Excel 97"}
UNO_PYTHON = "/usr/bin/python3"
HERE = Path(__file__).resolve().parent


def available() -> bool:
    if not shutil.which("soffice") or not Path(UNO_PYTHON).exists():
        return False
    probe = subprocess.run([UNO_PYTHON, "-c", "import uno"], capture_output=True, env=_clean_env())
    return probe.returncode == 0


def require() -> None:
    """Skip on a developer machine without LibreOffice; under CI its absence is a failure."""
    if available():
        return
    message = "LibreOffice (soffice) with python3-uno is needed: apt-get install libreoffice-calc-nogui python3-uno"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def _clean_env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "PYENV"))}
    env["PATH"] = "/usr/bin:/bin:/usr/local/bin"
    env.setdefault("HOME", "/tmp")
    return env


def fill(jobs: list[dict]) -> None:
    """Each job: src, dst, format ("xlsx" | "ods" | "xls"), values {name or "Sheet!A1": value}."""
    payload = [{**job, "src": str(job["src"]), "dst": str(job["dst"]), "filter": FILTERS[job["format"]]} for job in jobs]
    result = subprocess.run([UNO_PYTHON, str(HERE / "lo_uno_fill.py")], input=json.dumps(payload), text=True,
                            capture_output=True, env=_clean_env(), timeout=600)
    assert result.returncode == 0, result.stderr
    for job in jobs:
        assert Path(job["dst"]).exists(), f"LibreOffice did not write {job['dst']}: {result.stderr}"


def to_pdf(src: Path, out_dir: Path) -> Path:
    """Print ``src`` to PDF as LibreOffice does (its own profile, Russian locale when installed)."""
    env = _clean_env()
    env["LC_ALL"] = "ru_RU.UTF-8"
    done = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{out_dir}/profile",
                           "--convert-to", "pdf", "--outdir", str(out_dir), str(src)],
                          capture_output=True, env=env, timeout=300)
    pdf = out_dir / (Path(src).stem + ".pdf")
    assert done.returncode == 0 and pdf.exists(), done.stderr
    return pdf


def pdf_pages(pdf: Path) -> list[dict]:
    """Per page: "landscape" (bool) and "min_text" (the lowest word height, pt) — poppler-utils' pdfinfo and
    pdftotext; skipped where they are not installed."""
    import re

    if not (shutil.which("pdfinfo") and shutil.which("pdftotext")):
        message = "poppler-utils (pdfinfo, pdftotext) are needed: apt-get install poppler-utils"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True).stdout
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)
    pages = [{"landscape": float(w) > float(h), "min_text": None} for w, h in sizes]
    words = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True).stdout
    page = -1
    for line in words.splitlines():
        if "<page " in line:
            page += 1
        m = re.search(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', line)
        if m:
            height = float(m.group(2)) - float(m.group(1))
            low = pages[page]["min_text"]
            pages[page]["min_text"] = height if low is None else min(low, height)
    return pages


def pdf_words(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Per page, every word pdftotext finds: (x0, y0, x1, y1, text), points from the page's top left."""
    import re
    import html

    boxes = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True).stdout
    word = re.compile(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<')
    return [[(float(x0), float(y0), float(x1), float(y1), html.unescape(w)) for x0, y0, x1, y1, w in word.findall(page)]
            for page in boxes.split("<page ")[1:]]


def overprinted(words, slack: float = 0.5) -> list[tuple[str, str]]:
    """Pairs of words on one page printed over each other: their boxes overlap across (by more than
    ``slack`` points) and by more than half their height (a word's box is a little higher than the
    distance between two lines of a paragraph, so the lines of one cell overlap a little). Text printed
    over other text: a wrapped line in a row too low for it, or text spilling into the next cell."""
    found = []
    ordered = sorted(words, key=lambda w: w[1])
    for i, (x0, y0, x1, y1, text) in enumerate(ordered):
        for u0, v0, u1, v1, other in ordered[i + 1:]:
            if v0 >= y1:
                break  # sorted by the top: no later word reaches this one
            if min(x1, u1) - max(x0, u0) > slack and min(y1, v1) - max(y0, v0) > min(y1 - y0, v1 - v0) / 2:
                found.append((text, other))
    return found


def header_words(path: Path) -> dict[str, set[str]]:
    """Sheet → every word of its column headings (the cells filled with the headings' colour)."""
    import openpyxl

    from kc_workbook.styles import HEAD_FILL

    found: dict[str, set[str]] = {}
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                colour = str(cell.fill.fgColor.rgb or "") if cell.fill and cell.fill.fill_type else ""
                if isinstance(cell.value, str) and colour.upper().endswith(HEAD_FILL[1:].upper()):
                    found.setdefault(ws.title, set()).update(cell.value.split())
    return found
