"""Shared fixtures: the built-in program, and copies of its template to break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kc_workbook.program import default_program_path, read_program


@pytest.fixture(scope="session")
def program():
    return read_program()


@pytest.fixture
def template_copy(tmp_path) -> Path:
    target = tmp_path / "program.xlsx"
    shutil.copyfile(default_program_path(), target)
    return target


def edit_workbook(path: Path, edits) -> Path:
    """Apply edits to an .xlsx with openpyxl, as the executor would in Excel.

    ``edits`` maps (sheet, cell) to a value; a value of ``DELETE_SHEET`` removes the sheet.
    """
    import openpyxl

    wb = openpyxl.load_workbook(path)
    for (sheet, cell), value in edits.items():
        if value is DELETE_SHEET:
            del wb[sheet]
        else:
            wb[sheet][cell] = value
    wb.save(path)
    return path


DELETE_SHEET = object()
