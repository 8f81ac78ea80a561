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
