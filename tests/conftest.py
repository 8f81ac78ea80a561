"""Shared fixtures: the built-in program, and copies of its template to break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kc_workbook.program import default_program_path, read_program


@pytest.fixture(autouse=True)
def _outside_the_checkout(tmp_path, monkeypatch):
    """Commands write to output/ under the current folder by default: never into the checkout."""
    monkeypatch.chdir(tmp_path)


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


# --- participant workbooks -------------------------------------------------------------

YEAR = 2025

# Sample values that pass every check, by participant (invented for the tests).
GOOD = {
    "CONTROL": {"POPULATION": 70000, "POPULATION_AVG": 69800},
    "EDU": {"AT_OBJECTS_TOTAL": 28, "AT_OBJECTS_COMPLIANT": 10, "AT_OBJECTS_PASSPORT": 20},
    "CULTURE": {"AT_OBJECTS_TOTAL": 6, "AT_OBJECTS_COMPLIANT": 3, "AT_OBJECTS_PASSPORT": 5},
    "GZ": {"VIDEO_PLACES": 56, "ALERT_COVERED_K": 68.4},
    "MVD": {"CRIMES_TOTAL": 1234, "CRIMES_PUBLIC": 420, "CRIMES_JUVENILE": 35, "DRUG_CRIMINAL_CASES": 40,
            "DRUG_ADMIN_CASES": 30, "DRUG_USERS_CRIMINAL": 25, "DRUG_USERS_ADMIN": 30},
    "JUVENILE": {"JUVENILES_14_18": 2900},
    "HEALTH": {"DRUG_POISONINGS": 1, "DRUG_DEATHS": 0},
    "MUNSERV": {"ANTICOR_PLANNED": 40, "ANTICOR_DONE": 35},
    "FIN": {"BUDGET_FACT_MUNICIPAL": 23500.5, "BUDGET_FACT_REGIONAL": 56.6, "BUDGET_FACT_OFFBUDGET": 0},
}


# The GOOD values miss indicators 5, 8 and 11 (combined from several workbooks): without the
# executor's reasons workbook each gets a «justification-missing» warning, which tests of other
# matters leave aside with this.
def but_reasons(problems):
    return [p for p in problems if p.code != "justification-missing"]


def expected_facts(good: dict) -> dict[int, float]:
    """The methodology's formulas typed again by hand, over combined (summed) values."""
    v: dict[str, float] = {}
    for values in good.values():
        for code, value in values.items():
            v[code] = v.get(code, 0) + value
    return {
        1: v["AT_OBJECTS_COMPLIANT"] / v["AT_OBJECTS_TOTAL"] * 100,
        2: v["AT_OBJECTS_PASSPORT"] / v["AT_OBJECTS_TOTAL"] * 100,
        3: v["VIDEO_PLACES"],
        4: v["CRIMES_PUBLIC"] / v["CRIMES_TOTAL"] * 100,
        5: v["CRIMES_JUVENILE"] / v["JUVENILES_14_18"] * 100,
        6: (v["DRUG_CRIMINAL_CASES"] + v["DRUG_ADMIN_CASES"]) * 100000 / v["POPULATION"],
        7: (v["DRUG_USERS_CRIMINAL"] + v["DRUG_USERS_ADMIN"]) * 100000 / v["POPULATION"],
        8: v["DRUG_POISONINGS"] * 100000 / v["POPULATION_AVG"],
        9: v["DRUG_DEATHS"] * 100000 / v["POPULATION_AVG"],
        10: v["ANTICOR_DONE"] / v["ANTICOR_PLANNED"] * 100,
        11: v["ALERT_COVERED_K"] / (v["POPULATION"] / 1000) * 100,
    }


@pytest.fixture(scope="session")
def blank_workbooks(program, tmp_path_factory) -> dict[str, Path]:
    """The generated (empty) workbook of every supplier, by participant code."""
    from kc_workbook.generate import generate

    out = tmp_path_factory.mktemp("templates")
    paths = list(generate(program, YEAR, out))
    return {code: path for code, path in zip(program.suppliers(YEAR), paths)}


def fill_openpyxl(src: Path, dst: Path, values: dict, edit=None) -> Path:
    """Fill a generated workbook with openpyxl (another program than ours): values by input
    code (its defined name) or by "Sheet!A1"; ``edit(wb)`` may change the workbook further."""
    import openpyxl

    wb = openpyxl.load_workbook(src)
    for ref, value in values.items():
        if "!" in ref:
            sheet, cell = ref.split("!")
        else:
            sheet, cell = next(wb.defined_names[ref].destinations)
            cell = cell.replace("$", "")
        wb[sheet][cell] = value
    if edit:
        edit(wb)
    dst.parent.mkdir(parents=True, exist_ok=True)
    wb.save(dst)
    return dst


@pytest.fixture
def good_inbox(blank_workbooks, tmp_path) -> Path:
    """Every supplier's workbook, filled with GOOD by openpyxl and saved under a new name."""
    inbox = tmp_path / "inbox"
    for code, values in GOOD.items():
        fill_openpyxl(blank_workbooks[code], inbox / f"ответ {code.lower()}.xlsx", values)
    return inbox
