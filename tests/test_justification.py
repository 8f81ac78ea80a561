"""A participant's own indicators in its workbook: plan, the fact its values give, the reason
it must give for a miss; and the reader that takes the reasons back."""

from __future__ import annotations

import dataclasses

import pytest
from python_calamine import CalamineWorkbook

from conftest import GOOD, YEAR
from kc_workbook import justification as J
from kc_workbook import layout as L
from kc_workbook.generate import write_participant_workbook
from kc_workbook.read import read_submission


def rows_of(path, sheet="Данные"):
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python(skip_empty_area=False)


def section(path) -> dict[int, dict]:
    """Indicator number → {header: cell value} of the own-indicators table."""
    rows = rows_of(path)
    h = next(r for r, row in enumerate(rows) if L.HEAD_JUSTIFICATION in row)
    heads = rows[h]
    return {int(row[0]): dict(zip(heads, row)) for row in rows[h + 1:] if isinstance(row[0], float)}


def supplied_by(program, owners: dict[str, tuple[str, ...]]):
    """The program with some inputs supplied by other participants."""
    inputs = {code: dataclasses.replace(inp, suppliers=owners.get(code, inp.suppliers))
              for code, inp in program.inputs.items()}
    return dataclasses.replace(program, inputs=inputs)


def test_own_indicators_are_those_whose_every_input_is_the_participants_alone(program):
    own = {code: [i.number for i in J.own_indicators(program, code)] for code in program.suppliers(YEAR)}
    assert own["MVD"] == [4]  # 5, 6, 7 need JUVENILE's or CONTROL's inputs too
    assert own["GZ"] == [3]  # 11 needs CONTROL's population
    assert own["MUNSERV"] == [10]
    assert own["EDU"] == [] and own["CULTURE"] == []  # inputs summed over both
    assert own["CONTROL"] == [] and own["HEALTH"] == []


@pytest.mark.parametrize("done, shown, check", [
    (35, "88", L.CHECK_OK),  # 87,5 shown at precision 0, half up, is 88 ≥ 80
    (31, "78", L.CHECK_REASON_MISSING),  # 77,5 → 78 < 80
    (None, "", L.CHECK_NO_FACT),
])
def test_the_fact_rounds_half_up_at_the_indicators_precision(program, tmp_path, done, shown, check):
    values = {"ANTICOR_PLANNED": 40} if done is None else {"ANTICOR_PLANNED": 40, "ANTICOR_DONE": done}
    path = write_participant_workbook(program, "MUNSERV", YEAR, tmp_path / "m.xlsx", values=values)
    row = section(path)[10]
    assert row[L.target_header(YEAR)] == 80
    assert ("" if row[L.HEAD_OWN_FACT] == "" else f"{row[L.HEAD_OWN_FACT]:.0f}") == shown
    assert row[L.HEAD_CHECK] == check
    summary = rows_of(path)[1][3]
    assert summary == ("Есть ошибки: 1" if check == L.CHECK_REASON_MISSING else
                       f"Заполнено {len(values)} из 2" + (", ошибок нет" if len(values) == 2 else ""))


def test_a_miss_with_a_reason_is_not_an_error_and_the_reason_is_read_back(program, tmp_path):
    values = {**GOOD["MVD"], "CRIMES_PUBLIC": 500}  # 500 / 1234 = 40,5 % > 35 %
    path = write_participant_workbook(program, "MVD", YEAR, tmp_path / "m.xlsx", values=values,
                                      justifications={4: "рост уличной преступности в микрорайоне"})
    assert section(path)[4][L.HEAD_CHECK] == L.CHECK_REASON_GIVEN
    assert rows_of(path)[1][3] == "Заполнено 7 из 7, ошибок нет"
    sub = read_submission(path, program, YEAR)
    assert sub.problems == []
    assert {n: text for n, (text, _, _) in sub.justifications.items()} == {4: "рост уличной преступности в микрорайоне"}


def test_a_miss_without_a_reason_is_a_problem_at_the_reason_cell(program, tmp_path):
    values = {**GOOD["MVD"], "CRIMES_PUBLIC": 500}
    path = write_participant_workbook(program, "MVD", YEAR, tmp_path / "m.xlsx", values=values)
    assert section(path)[4][L.HEAD_CHECK] == L.CHECK_REASON_MISSING
    assert rows_of(path)[1][3] == "Есть ошибки: 1"
    sub = read_submission(path, program, YEAR)
    assert [(p.code, p.sheet, p.cell, p.participant) for p in sub.problems] == [
        ("justification-missing", "Данные", "E15", "MVD")]
    assert rows_of(path)[14][4] == ""  # E15 is the reason cell
    assert rows_of(path)[13][4] == L.HEAD_JUSTIFICATION
    assert sub.justifications == {}


def test_met_indicators_and_incomplete_data_need_no_reason(program, tmp_path):
    met = write_participant_workbook(program, "MVD", YEAR, tmp_path / "met.xlsx", values=GOOD["MVD"])
    partial = write_participant_workbook(program, "MVD", YEAR, tmp_path / "partial.xlsx",
                                         values={"CRIMES_PUBLIC": 500})
    assert read_submission(met, program, YEAR).problems == []
    assert "justification-missing" not in {p.code for p in read_submission(partial, program, YEAR).problems}


@pytest.mark.parametrize("deaths, check", [(0, L.CHECK_OK), (1, L.CHECK_REASON_MISSING)])
def test_must_be_zero_indicators(program, tmp_path, deaths, check):
    prog = supplied_by(program, {"POPULATION_AVG": ("HEALTH",)})
    assert [i.number for i in J.own_indicators(prog, "HEALTH")] == [8, 9]
    values = {"DRUG_POISONINGS": 0, "DRUG_DEATHS": deaths, "POPULATION_AVG": 69800}
    path = write_participant_workbook(prog, "HEALTH", YEAR, tmp_path / "h.xlsx", values=values)
    rows = section(path)
    assert rows[8][L.HEAD_CHECK] == L.CHECK_OK and rows[8][L.HEAD_OWN_FACT] == 0
    assert rows[9][L.HEAD_CHECK] == check
    assert rows[9][L.HEAD_REQUIREMENT] == "равно 0"
    codes = [p.code for p in read_submission(path, prog, YEAR).problems]
    assert codes == ([] if deaths == 0 else ["justification-missing"])


def test_no_target_for_the_year_needs_no_reason(program, tmp_path):
    prog = supplied_by(program, {c: ("EDU",) for c in ("AT_OBJECTS_TOTAL", "AT_OBJECTS_COMPLIANT", "AT_OBJECTS_PASSPORT")})
    assert prog.indicators[0].target(2024) is None
    values = {"AT_OBJECTS_TOTAL": 28, "AT_OBJECTS_COMPLIANT": 1, "AT_OBJECTS_PASSPORT": 2}
    path = write_participant_workbook(prog, "EDU", 2024, tmp_path / "e.xlsx", values=values)
    rows = section(path)
    assert set(rows) == {1, 2}
    assert rows[1][L.HEAD_CHECK] == L.CHECK_NO_TARGET and rows[1][L.target_header(2024)] == "не установлен"
    assert rows[1][L.HEAD_OWN_FACT] == pytest.approx(3.57)
    assert read_submission(path, prog, 2024).problems == []
    # The same values in 2025, when the targets exist, miss both.
    path = write_participant_workbook(prog, "EDU", YEAR, tmp_path / "e25.xlsx", values=values)
    assert [p.code for p in read_submission(path, prog, YEAR).problems] == ["justification-missing"] * 2


def test_the_live_formulas(program):
    ind = next(i for i in program.indicators if i.number == 11)
    assert J.fact_formula(ind) == ('=IF(AND(ISNUMBER(ALERT_COVERED_K),ISNUMBER(POPULATION)),'
                                   'IFERROR(ROUND(ALERT_COVERED_K/(POPULATION/1000)*100,1),""),"")')
    six = next(i for i in program.indicators if i.number == 6)
    assert J.excel_expression(six) == "(DRUG_CRIMINAL_CASES+DRUG_ADMIN_CASES)*100000/POPULATION"
    assert '"ОК"' in J.check_formula(six, "D15", "C15", "F15") and "D15<=C15" in J.check_formula(six, "D15", "C15", "F15")


def test_reasons_found_by_header_text_wherever_the_table_moved(program):
    rows = [["x"], [], ["", L.HEAD_INDICATOR_NUMBER, "", "", L.HEAD_JUSTIFICATION], ["", 4.0, "", "", "  причина  "],
            ["", "итого", "", "", "не показатель"], ["", 99.0, "", "", "чужой"]]
    reasons, problems = J.read_justifications({"Лист1": rows}, program, "MVD", YEAR, {})
    assert reasons == {4: ("причина", "Лист1", "E4")} and problems == []


def test_the_workbook_decides_missed_as_the_consolidation_does(program):
    """Same values, same verdict: the participant is asked for a reason exactly when the report says «не достигнут»."""
    from kc_workbook.indicators import assess
    from kc_workbook.model import Settings

    prog = supplied_by(program, {"POPULATION_AVG": ("HEALTH",)})
    cases = {4: [{"CRIMES_PUBLIC": p, "CRIMES_TOTAL": 1000} for p in (349, 350, 350.4, 350.5, 351, 0)],
             10: [{"ANTICOR_DONE": d, "ANTICOR_PLANNED": 40} for d in (31, 31.8, 31.99, 32, 40, 0)],
             3: [{"VIDEO_PLACES": v} for v in (54, 54.5, 55, 56)],
             9: [{"DRUG_DEATHS": d, "POPULATION_AVG": 69800} for d in (0, 1)]}
    for number, value_sets in cases.items():
        ind = next(i for i in prog.indicators if i.number == number)
        plan = ind.target(YEAR)
        for values in value_sets:
            exact = ind.formula.evaluate(values)
            report = assess(ind, plan, exact, Settings()).status in ("met", "exceeded")
            assert J.is_met(ind, plan, J.own_fact(ind, values)) == report, (number, values)
