"""The program definition: the template holds the passport's numbers, and every kind of
defect in an edited copy gets one precise «Лист!Ячейка» problem."""

from __future__ import annotations

import re

import pytest

from conftest import DELETE_SHEET, edit_workbook
from kc_workbook.program import DECREASE, INCREASE, ZERO, load_program

# Typed again from Table 1 of the passport, independently of scripts/make_program_template.py:
# 2023, 2024, 2025, 2026, 2027, 2028–2030 (None: "-").
PASSPORT_TABLE_1 = {
    1: [None, None, 35.71, 42.87, 45.87, 50.0],
    2: [None, None, 71.42, 78.57, 80.35, 85.71],
    3: [54, 55, 55, 56, 57, 60],
    4: [40.0, 35.0, 35.0, 35.0, 35.0, 30.0],
    5: [1.23, 1.2, 1.2, 1.2, 1.2, 1.0],
    6: [105.5, 104.2, 102.9, 101.6, 100.3, 96.4],
    7: [90.1, 87.0, 83.9, 80.8, 77.7, 68.4],
    8: [0, 0, 0, 0, 0, 0],
    9: [0, 0, 0, 0, 0, 0],
    10: [0, 80, 80, 85, 90, 95],
    11: [97.0, 97.0, 98.0, 98.0, 98.0, 100.0],
}
PASSPORT_FUNDING = {  # municipal, regional, off-budget, total
    2020: (13283.6, 447.6, 500.0, 14231.2),
    2021: (15639.6, 0.0, 500.0, 16139.6),
    2022: (16600.3, 0.0, 500.0, 17100.3),
    2023: (19003.7, 6981.9, 219.0, 26204.6),
    2024: (21111.2, 51.6, 0.0, 21162.8),
    2025: (23982.1, 56.6, 0.0, 24038.7),
    2026: (23221.4, 56.6, 0.0, 23278.0),
    2027: (23379.0, 56.6, 0.0, 23435.6),
}
INPUT_CODES = [
    "AT_OBJECTS_TOTAL", "AT_OBJECTS_COMPLIANT", "AT_OBJECTS_PASSPORT", "VIDEO_PLACES", "CRIMES_TOTAL",
    "CRIMES_PUBLIC", "CRIMES_JUVENILE", "JUVENILES_14_18", "DRUG_CRIMINAL_CASES", "DRUG_ADMIN_CASES",
    "DRUG_USERS_CRIMINAL", "DRUG_USERS_ADMIN", "DRUG_POISONINGS", "DRUG_DEATHS", "POPULATION", "POPULATION_AVG",
    "ANTICOR_PLANNED", "ANTICOR_DONE", "ALERT_COVERED_K",
    "BUDGET_FACT_MUNICIPAL", "BUDGET_FACT_REGIONAL", "BUDGET_FACT_OFFBUDGET",
    "BUDGET_ROSPIS_JAN_MUNICIPAL", "BUDGET_ROSPIS_JAN_REGIONAL", "BUDGET_ROSPIS_JAN_OFFBUDGET",
    "BUDGET_ROSPIS_DEC_MUNICIPAL", "BUDGET_ROSPIS_DEC_REGIONAL", "BUDGET_ROSPIS_DEC_OFFBUDGET",
]


def test_template_loads_without_problems():
    program, problems = load_program()
    assert problems == []
    assert program.start_year == 2020 and program.end_year == 2030


def test_every_target_equals_table_1(program):
    assert [i.number for i in program.indicators] == list(range(1, 12))
    for ind in program.indicators:
        row = PASSPORT_TABLE_1[ind.number]
        expected = dict(zip(range(2023, 2028), row[:5])) | {y: row[5] for y in (2028, 2029, 2030)}
        assert ind.targets == expected, ind.number


def test_every_funding_cell_equals_the_passport(program):
    assert sorted(program.funding) == list(PASSPORT_FUNDING)
    for year, (municipal, regional, offbudget, total) in PASSPORT_FUNDING.items():
        f = program.funding[year]
        assert (f.municipal, f.regional, f.offbudget, f.total) == (municipal, regional, offbudget, total)


def test_participants_are_the_executor_and_the_21_of_the_passport(program):
    assert len(program.participants) == 22
    assert program.participants[program.executor].role == "executor"
    assert sum(p.role == "participant" for p in program.participants.values()) == 21
    assert all(p.email == "" for p in program.participants.values())


def test_inputs_use_the_agreed_codes_and_suppliers(program):
    assert list(program.inputs) == INPUT_CODES
    assert program.inputs["AT_OBJECTS_TOTAL"].suppliers == ("EDU", "CULTURE")
    assert program.inputs["POPULATION"].suppliers == (program.executor,)
    assert program.inputs["ALERT_COVERED_K"].kind == "decimal"
    assert program.inputs["CRIMES_TOTAL"].kind == "int"
    # the сводная бюджетная роспись is optional: the passport's funding is the default plan
    assert [c for c, i in program.inputs.items() if not i.required] == INPUT_CODES[-6:]


def test_directions(program):
    directions = {i.number: i.direction for i in program.indicators}
    assert [n for n, d in directions.items() if d == INCREASE] == [1, 2, 3, 10, 11]
    assert [n for n, d in directions.items() if d == DECREASE] == [4, 5, 6, 7]
    assert [n for n, d in directions.items() if d == ZERO] == [8, 9]


def test_formulas_compute_the_methodology(program):
    v = {code: float(n) for n, code in enumerate(INPUT_CODES[:19], start=3)}
    v["POPULATION"], v["POPULATION_AVG"], v["ALERT_COVERED_K"] = 70000.0, 70500.0, 68.5
    expected = {
        1: v["AT_OBJECTS_COMPLIANT"] / v["AT_OBJECTS_TOTAL"] * 100,
        2: v["AT_OBJECTS_PASSPORT"] / v["AT_OBJECTS_TOTAL"] * 100,
        3: v["VIDEO_PLACES"],
        4: v["CRIMES_PUBLIC"] / v["CRIMES_TOTAL"] * 100,
        5: v["CRIMES_JUVENILE"] / v["JUVENILES_14_18"] * 100,
        6: (v["DRUG_CRIMINAL_CASES"] + v["DRUG_ADMIN_CASES"]) * 100000 / 70000,
        7: (v["DRUG_USERS_CRIMINAL"] + v["DRUG_USERS_ADMIN"]) * 100000 / 70000,
        8: v["DRUG_POISONINGS"] * 100000 / 70500,
        9: v["DRUG_DEATHS"] * 100000 / 70500,
        10: v["ANTICOR_DONE"] / v["ANTICOR_PLANNED"] * 100,
        11: 68.5 / 70.0 * 100,
    }
    for ind in program.indicators:
        assert ind.formula.evaluate(v) == pytest.approx(expected[ind.number]), ind.number


def test_evaluation_settings(program):
    s = program.settings
    assert (s.threshold_high, s.threshold_medium, s.threshold_satisfactory, s.cap) == (0.90, 0.80, 0.70, 1.0)
    assert s.zero_rule == "one_if_zero"


def test_fingerprint_is_stable_and_follows_content(program, template_copy):
    again, _ = load_program(template_copy)
    assert again.fingerprint == program.fingerprint
    edit_workbook(template_copy, {("Целевые значения", "E4"): 56})
    changed, _ = load_program(template_copy)
    assert changed.fingerprint != program.fingerprint


# (edits, expected code, expected "Лист!Ячейка")
DEFECTS = {
    "unknown input in formula": ({("Показатели", "F2"): "AT_OBJECTS_COMPLIANT / NO_SUCH_CODE * 100"},
                                 "formula-unknown-input", "Показатели!F2"),
    "formula syntax error": ({("Показатели", "F3"): "(AT_OBJECTS_PASSPORT / AT_OBJECTS_TOTAL * 100"},
                             "formula-syntax", "Показатели!F3"),
    "function call in formula": ({("Показатели", "F4"): "__import__('os').system('echo')"},
                                 "formula-syntax", "Показатели!F4"),
    "missing target": ({("Целевые значения", "E4"): None}, "target-missing", "Целевые значения!E4"),
    "non-numeric target": ({("Целевые значения", "F5"): "около 35"}, "target-not-number", "Целевые значения!F5"),
    "duplicate participant code": ({("Участники", "A24"): "MVD", ("Участники", "C24"): "ещё раз"},
                                   "code-duplicate", "Участники!A24"),
    "supplier not a participant": ({("Исходные данные", "G2"): "EDU; POLICE"},
                                   "participant-unknown", "Исходные данные!G2"),
    "input without supplier": ({("Исходные данные", "G5"): None}, "input-no-supplier", "Исходные данные!G5"),
    "funding does not add up": ({("Финансирование", "E5"): 26204.7}, "funding-sum-mismatch", "Финансирование!E5"),
    "funding not a number": ({("Финансирование", "C3"): "пятнадцать"}, "funding-not-number", "Финансирование!C3"),
    "unknown direction": ({("Показатели", "E6"): "рост"}, "value-invalid", "Показатели!E6"),
    "unknown kind": ({("Исходные данные", "E3"): "число"}, "value-invalid", "Исходные данные!E3"),
    "unknown task": ({("Показатели", "B7"): 9}, "task-unknown", "Показатели!B7"),
    "targets of an unknown indicator": ({("Целевые значения", "A13"): 12, ("Целевые значения", "C13"): 1},
                                        "indicator-unknown", "Целевые значения!A13"),
    "duplicate input code": ({("Исходные данные", "A21"): "CRIMES_TOTAL", ("Исходные данные", "G21"): "MVD"},
                             "code-duplicate", "Исходные данные!A21"),
    "executor not a participant": ({("Паспорт", "C4"): "NOBODY"}, "participant-unknown", "Паспорт!C4"),
    "program name missing": ({("Паспорт", "C3"): None}, "field-missing", "Паспорт!C3"),
    "threshold not a number": ({("Оценка эффективности", "C3"): "высокий"}, "setting-invalid", "Оценка эффективности!C3"),
    "renamed column": ({("Показатели", "F1"): "Формула"}, "column-missing", "Показатели!J1"),
    "deleted sheet": ({("Мероприятия", "A1"): DELETE_SHEET}, "sheet-missing", "Мероприятия"),
    # the executor's own mistakes that once passed unnoticed
    "division by a constant zero": ({("Показатели", "F2"): "AT_OBJECTS_COMPLIANT / 0 * 100"},
                                    "formula-syntax", "Показатели!F2"),
    "division by an expression always zero": (
        {("Показатели", "F2"): "AT_OBJECTS_COMPLIANT / (AT_OBJECTS_TOTAL - AT_OBJECTS_TOTAL) * 100"},
        "formula-syntax", "Показатели!F2"),
    "e-mail with a Cyrillic name": ({("Участники", "E3"): "отдел@кчгу.рф"}, "email-invalid", "Участники!E3"),
    "a formula of 2000 terms": ({("Показатели", "F2"): " + ".join(["AT_OBJECTS_TOTAL"] * 2000)},
                                "formula-syntax", "Показатели!F2"),
    "e-mail without @": ({("Участники", "E3"): "gz.kchepetsk.ru"}, "email-invalid", "Участники!E3"),
    "two e-mails in one cell": ({("Участники", "E3"): "a@gz.ru, b@gz.ru"}, "email-invalid", "Участники!E3"),
    "e-mail with a line break": ({("Участники", "E3"): "a@gz.ru\nb@gz.ru"}, "email-invalid", "Участники!E3"),
    "Cyrillic e-mail with a comma": ({("Участники", "E3"): "отдел@кчгу,рф"}, "email-invalid", "Участники!E3"),
    "thresholds typed in percent": ({("Оценка эффективности", "C3"): 90}, "setting-invalid",
                                    "Оценка эффективности!C3"),
    "end year 2300": ({("Паспорт", "C6"): 2300}, "value-invalid", "Паспорт!C6"),
    "period not covering the funding": ({("Паспорт", "C5"): 2024}, "value-invalid", "Паспорт!C5"),
    "end year before the targets end": ({("Паспорт", "C6"): 2025}, "value-invalid", "Паспорт!C6"),
    "measure of an unknown participant": (
        {("Мероприятия", "A2"): "M1", ("Мероприятия", "C2"): "Проверка", ("Мероприятия", "D2"): "NOBODY",
         ("Мероприятия", "E2"): 2028}, "participant-unknown", "Мероприятия!D2"),
}


@pytest.mark.parametrize("name", list(DEFECTS))
def test_each_defect_gets_one_precise_problem(template_copy, name):
    edits, code, where = DEFECTS[name]
    edit_workbook(template_copy, edits)
    _, problems = load_program(template_copy)
    assert [(p.code, p.location) for p in problems] == [(code, f"program.xlsx: {where}")]


@pytest.mark.parametrize("address", ["otdel@admin.kirovo-chepetsk.ru", "otdel@кчгу.рф", "a.b+c@x-y.org"])
def test_good_e_mail_addresses_pass(template_copy, address):
    edit_workbook(template_copy, {("Участники", "E3"): address})
    program, problems = load_program(template_copy)
    assert problems == [] and program.participants["GZ"].email == address


def test_missing_file_is_a_problem_not_a_crash(tmp_path):
    program, problems = load_program(tmp_path / "nowhere.xlsx")
    assert program is None
    assert [p.code for p in problems] == ["program-unreadable"]


def test_not_a_workbook_is_a_problem_not_a_crash(tmp_path):
    bad = tmp_path / "program.xlsx"
    bad.write_text("<html>not a workbook</html>")
    program, problems = load_program(bad)
    assert program is None
    assert [p.code for p in problems] == ["program-unreadable"]
    # the reader's own (English) error text is not shown to the executor: Russian only, besides the path
    assert not re.search(r"[A-Za-z]{3,}", problems[0].message.replace(str(bad), "").replace("Excel", ""))


@pytest.mark.parametrize("sheet, cell, header", [("Целевые значения", "F1", "2026 г."),
                                                 ("Факт прошлых лет", "D1", "2020 год")])
def test_a_year_header_that_is_not_a_year_is_reported_at_its_cell(template_copy, sheet, cell, header):
    edit_workbook(template_copy, {(sheet, cell): header, (sheet, "K1"): "Примечание"})
    program, problems = load_program(template_copy)
    found = [(p.code, p.sheet, p.cell) for p in problems if p.sheet == sheet]
    # the column is not silently left out; a column of notes beside the years is no problem
    assert found == [("value-invalid", sheet, cell)]
