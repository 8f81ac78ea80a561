"""The workbook's own checks, recalculated by LibreOffice, say what Python decides.

Each case is a participant workbook filled with a kind of mistake. generate writes it with
the check texts Python decides as the formulas' cached values; LibreOffice opens it,
recalculates every formula and saves it; every check cell, every fact and the summary cell
must come back as Python wrote them. A second route types the same mistakes into a blank
workbook in LibreOffice, as a participant would.
"""

from __future__ import annotations

import dataclasses

import pytest
from python_calamine import CalamineWorkbook

import libreoffice
from conftest import GOOD, YEAR
from kc_workbook import layout as L
from kc_workbook.generate import write_participant_workbook

pytestmark = pytest.mark.libreoffice

MVD_MISTAKES = {
    "CRIMES_TOTAL": 1000,
    "CRIMES_PUBLIC": 1200,  # more than all crimes (ratio), and indicator 4 missed (120 % > 35 %) without a reason
    "CRIMES_JUVENILE": "много",  # text
    "DRUG_CRIMINAL_CASES": -1,  # below the lower bound
    "DRUG_ADMIN_CASES": 2.5,  # a fraction in a count
    # DRUG_USERS_CRIMINAL left empty
    "DRUG_USERS_ADMIN": 3,
}


def _program_variants(program):
    from test_efficiency import MEASURES

    def supplied_by(owners):
        inputs = {c: dataclasses.replace(i, suppliers=owners.get(c, i.suppliers)) for c, i in program.inputs.items()}
        return dataclasses.replace(program, inputs=inputs, measures=MEASURES)

    return {
        "measured": dataclasses.replace(program, measures=MEASURES),
        "health_alone": supplied_by({"POPULATION_AVG": ("HEALTH",)}),  # indicators 8 and 9 (must be zero) are HEALTH's
        "edu_alone": supplied_by({c: ("EDU",) for c in ("AT_OBJECTS_TOTAL", "AT_OBJECTS_COMPLIANT",
                                                           "AT_OBJECTS_PASSPORT")}),
    }


# name → (program variant, participant, year, pre-filled values, justifications, measures)
CASES = {
    "mvd_mistakes": ("measured", "MVD", YEAR, MVD_MISTAKES, {}, {}),
    "mvd_reason": ("measured", "MVD", YEAR, {**GOOD["MVD"], "CRIMES_PUBLIC": 500}, {4: "рост на улицах"}, {}),
    "mvd_blank_reason": ("measured", "MVD", YEAR, {**GOOD["MVD"], "CRIMES_PUBLIC": 500}, {4: "   "}, {}),
    "mvd_incomplete": ("measured", "MVD", YEAR, {"CRIMES_PUBLIC": 500}, {}, {}),
    "munserv_half_up_met": ("measured", "MUNSERV", YEAR, {"ANTICOR_PLANNED": 40, "ANTICOR_DONE": 35}, {}, {}),
    "munserv_missed": ("measured", "MUNSERV", YEAR, {"ANTICOR_PLANNED": 40, "ANTICOR_DONE": 31}, {}, {}),
    "munserv_zero_division": ("measured", "MUNSERV", YEAR, {"ANTICOR_PLANNED": 0, "ANTICOR_DONE": 0}, {}, {}),
    "gz_measures": ("measured", "GZ", YEAR, {"VIDEO_PLACES": 50, "ALERT_COVERED_K": "68,4"}, {},
                    {"М-1": {"municipal": 14000.0, "status": "выполнено частично"}}),
    "edu_measures": ("measured", "EDU", YEAR, GOOD["EDU"], {},
                     {"М-2": {"municipal": 9000.0, "regional": 56.6, "status": "выполнено"}}),
    "culture_empty": ("measured", "CULTURE", YEAR, {}, {}, {}),
    "health_zero_met": ("health_alone", "HEALTH", YEAR,
                        {"DRUG_POISONINGS": 0, "DRUG_DEATHS": 0, "POPULATION_AVG": 69800}, {}, {}),
    "health_zero_missed": ("health_alone", "HEALTH", YEAR,
                           {"DRUG_POISONINGS": 0, "DRUG_DEATHS": 1, "POPULATION_AVG": 69800}, {}, {}),
    "edu_no_target": ("edu_alone", "EDU", 2024,
                      {"AT_OBJECTS_TOTAL": 28, "AT_OBJECTS_COMPLIANT": 1, "AT_OBJECTS_PASSPORT": 2}, {}, {}),
}


def sheets_of(path) -> dict[str, list[list]]:
    wb = CalamineWorkbook.from_path(str(path))
    return {name: wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
            for name in (L.SHEET_DATA, L.SHEET_MEASURES) if name in wb.sheet_names}


def decided_cells(sheets: dict[str, list[list]]) -> dict[tuple[str, str], object]:
    """Every cell a formula fills: the summary (D2), the check columns, the own facts."""
    found = {}
    for name, rows in sheets.items():
        found[(name, "D2")] = rows[1][3]
        heads = {}
        for r, row in enumerate(rows):
            if L.HEAD_CHECK in row:
                heads = {c: v for c, v in enumerate(row) if v in (L.HEAD_CHECK, L.HEAD_OWN_FACT)}
                continue
            for c in heads:
                if c < len(row) and row[0] not in ("", None):
                    found[(name, f"{chr(65 + c)}{r + 1}")] = row[c]
    return found


@pytest.fixture(scope="module")
def recalculated(program, tmp_path_factory):
    libreoffice.require()
    variants = _program_variants(program)
    base = tmp_path_factory.mktemp("checks")
    written, jobs = {}, []
    for name, (variant, code, year, values, reasons, measures) in CASES.items():
        src = write_participant_workbook(variants[variant], code, year, base / f"{name}.xlsx", values=values,
                                         justifications=reasons, measures=measures)
        written[name] = src
        jobs.append({"src": src, "dst": base / f"{name}.lo.xlsx", "format": "xlsx", "values": {}})
    # The same mistakes typed by a person into a blank workbook.
    blank = write_participant_workbook(variants["measured"], "MVD", YEAR, base / "blank_mvd.xlsx")
    typed = {k: v for k, v in MVD_MISTAKES.items()}
    jobs.append({"src": blank, "dst": base / "typed_mvd.lo.xlsx", "format": "xlsx", "values": typed})
    jobs.append({"src": blank, "dst": base / "typed_mvd_reason.lo.xlsx", "format": "xlsx",
                 "values": {**GOOD["MVD"], "CRIMES_PUBLIC": 500, "Данные!E15": "рост на улицах"}})
    jobs.append({"src": blank, "dst": base / "typed_mvd_no_reason.lo.xlsx", "format": "xlsx",
                 "values": {**GOOD["MVD"], "CRIMES_PUBLIC": 500}})
    libreoffice.fill(jobs)
    return base, written


@pytest.mark.parametrize("case", list(CASES))
def test_every_check_cell_after_libreoffice_recalculates_is_what_python_decided(recalculated, case):
    base, written = recalculated
    python = decided_cells(sheets_of(written[case]))
    office = decided_cells(sheets_of(base / f"{case}.lo.xlsx"))
    assert len(python) > 2
    assert office == python


# What Python decides for the cases, spelled out: the comparison above cannot pass on two empty columns.
EXPECTED = {
    "mvd_mistakes": {("Данные", "D2"): "Есть ошибки: 4",  # text is «Проверьте», not an error
                     ("Данные", "F5"): "ОК",
                     ("Данные", "F6"): "Ошибка: больше, чем строка № 1",
                     ("Данные", "F7"): "Проверьте: введён текст, нужно число",
                     ("Данные", "F8"): "Ошибка: меньше 0",
                     ("Данные", "F9"): "Ошибка: нужно целое число",
                     ("Данные", "F10"): "Не заполнено",
                     ("Данные", "D15"): 120.0, ("Данные", "F15"): "Ошибка: укажите обоснование"},
    "mvd_reason": {("Данные", "D2"): "Заполнено 7 из 7, ошибок нет", ("Данные", "F15"): "Не достигнут, обоснование указано"},
    "mvd_blank_reason": {("Данные", "F15"): "Ошибка: укажите обоснование"},
    "mvd_incomplete": {("Данные", "D15"): "", ("Данные", "F15"): "Факт не рассчитан"},
    "munserv_half_up_met": {("Данные", "D10"): 87.5, ("Данные", "F10"): "ОК"},
    "munserv_missed": {("Данные", "D10"): 77.5, ("Данные", "F10"): "Ошибка: укажите обоснование",
                       ("Данные", "D2"): "Есть ошибки: 1"},
    "munserv_zero_division": {("Данные", "F10"): "Факт не рассчитан"},
    "gz_measures": {("Данные", "F10"): "Ошибка: укажите обоснование",
                    ("Мероприятия", "L5"): "Ошибка: укажите причину", ("Мероприятия", "D2"): "Есть ошибки: 1",
                    ("Данные", "D2"): "Есть ошибки: 1"},
    "edu_measures": {("Мероприятия", "L5"): "Проверьте: факт больше плана"},
    "culture_empty": {("Данные", "D2"): "Заполнено 0 из 3"},
    "health_zero_met": {("Данные", "F11"): "ОК", ("Данные", "F12"): "ОК"},
    "health_zero_missed": {("Данные", "F12"): "Ошибка: укажите обоснование"},
    "edu_no_target": {("Данные", "F11"): "Цель на год не установлена", ("Данные", "D2"): "Заполнено 3 из 3, ошибок нет"},
}


@pytest.mark.parametrize("case", list(EXPECTED))
def test_python_decides_as_the_rules_say(recalculated, case):
    _, written = recalculated
    cells = decided_cells(sheets_of(written[case]))
    assert {k: cells.get(k) for k in EXPECTED[case]} == EXPECTED[case]


def test_mistakes_typed_in_libreoffice_are_flagged_as_python_decides(recalculated):
    base, written = recalculated
    assert decided_cells(sheets_of(base / "typed_mvd.lo.xlsx")) == decided_cells(sheets_of(written["mvd_mistakes"]))


def test_a_missed_indicator_shows_the_error_until_a_reason_is_typed(program, recalculated):
    from kc_workbook.read import read_submission

    base, _ = recalculated
    program = _program_variants(program)["measured"]
    without = decided_cells(sheets_of(base / "typed_mvd_no_reason.lo.xlsx"))
    assert without[("Данные", "F15")] == "Ошибка: укажите обоснование"
    assert without[("Данные", "D2")] == "Есть ошибки: 1"
    assert without[("Данные", "D15")] == pytest.approx(40.5)
    with_reason = decided_cells(sheets_of(base / "typed_mvd_reason.lo.xlsx"))
    assert with_reason[("Данные", "F15")] == "Не достигнут, обоснование указано"
    assert with_reason[("Данные", "D2")] == "Заполнено 7 из 7, ошибок нет"
    sub = read_submission(base / "typed_mvd_reason.lo.xlsx", program, YEAR)
    assert sub.justifications == {4: ("рост на улицах", "Данные", "E15")} and sub.problems == []
    sub = read_submission(base / "typed_mvd_no_reason.lo.xlsx", program, YEAR)
    assert [(p.code, p.cell) for p in sub.problems] == [("justification-missing", "E15")]
