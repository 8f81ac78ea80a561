"""Money, measures and the efficiency evaluation, worked out by hand."""

from __future__ import annotations

import dataclasses

import pytest
from python_calamine import CalamineWorkbook

from conftest import GOOD, YEAR, edit_workbook
from kc_workbook.budget import compute_budget
from kc_workbook.consolidate import consolidate
from kc_workbook.efficiency import evaluate_efficiency
from kc_workbook.generate import write_participant_workbook
from fractions import Fraction

from kc_workbook.indicators import IndicatorResult, assess
from kc_workbook.program import Measure, Settings, load_program
from kc_workbook.report import write_json, write_workbook


def ind(program, number):
    return next(i for i in program.indicators if i.number == number)


@pytest.mark.parametrize("number, plan, fact, expected", [
    (10, 80, 60, 0.75),  # increase: fact / plan
    (10, 80, 87.5, 1.0),  # increase above plan: capped at 1
    (4, 35, 40, 0.875),  # decrease: plan / fact
    (4, 35, 30, 1.0),  # decrease below plan: capped
    (4, 35, 0, 1.0),  # decrease to nothing: the best possible
    (8, 0, 0, 1.0),  # must be zero and is
    (8, 0, 1.43, 0.0),  # must be zero and is not
    (10, 0, 5, 1.0),  # increase with a plan of 0 (indicator 10 in 2023): met, no division
])
def test_achievement_by_hand(program, number, plan, fact, expected):
    assert assess(ind(program, number), plan, Fraction(str(fact)), program.settings).achievement == expected


def test_the_cap_comes_from_the_definition(program):
    loose = Settings(cap=1.2)
    assert assess(ind(program, 10), 80, Fraction(100), loose).achievement == 1.2
    assert assess(ind(program, 10), 80, Fraction(200), loose).achievement == 1.2
    assert assess(ind(program, 10), 80, Fraction(90), loose).achievement == 1.125


def budget_for(program, year, fin=None, reports=None):
    from kc_workbook.indicators import Combined

    fin = fin or {}
    combined = {code: Combined(code, fin.get(code)) for code in
                ("BUDGET_FACT_MUNICIPAL", "BUDGET_FACT_REGIONAL", "BUDGET_FACT_OFFBUDGET")}
    return compute_budget(program, year, combined, reports or {})


def test_sr_averages_only_indicators_with_a_target(program):
    results = [IndicatorResult(1, None, 40.0, "no_target"), IndicatorResult(3, 55, 56, "met", 1.0),
               IndicatorResult(4, 35, 40, "missed", 0.875)]
    e = evaluate_efficiency(program, 2024, results, budget_for(program, 2024))
    assert e.sd == {3: 1.0, 4: 0.875}
    assert e.sr == 0.938  # (1 + 0,875) / 2 = 0,9375, shown to 0,001, half up


def test_without_measures_srm_eis_er_cannot_be_determined(program):
    results = [IndicatorResult(3, 55, 56, "met", 1.0)]
    fin = {"BUDGET_FACT_MUNICIPAL": 20000.0, "BUDGET_FACT_REGIONAL": 50.0, "BUDGET_FACT_OFFBUDGET": 0.0}
    e = evaluate_efficiency(program, 2025, results, budget_for(program, 2025, fin))
    assert e.sr == 1.0 and e.ssuz == 0.834  # 20 050,0 / 24 038,7 = 0,83408…
    assert e.srm is e.eis is e.er is e.verdict is None
    assert "Мероприятия" in e.reasons["srm"] and "СРм" in e.reasons["eis"]
    assert "«Мероприятия»" in e.reasons["er"]  # the verdict names where to act, not only which ratio is missing


def test_without_a_spending_plan_ssuz_cannot_be_determined(program):
    # 2028: the passport says funding "will be planned" — no figures
    e = evaluate_efficiency(program, 2028, [IndicatorResult(3, 60, 61, "met", 1.0)], budget_for(program, 2028))
    assert e.ssuz is None and "2028" in e.reasons["ssuz"]


def test_execution_with_a_plan_of_0(program):
    fin = {"BUDGET_FACT_MUNICIPAL": 23982.1, "BUDGET_FACT_REGIONAL": 56.6, "BUDGET_FACT_OFFBUDGET": 0.0}
    b = budget_for(program, 2025, fin)
    assert b.execution["offbudget"] is None  # nothing planned: no percentage
    assert b.execution["municipal"] == 100.0 and b.execution["total"] == 100.0


# --- end to end, with measures -------------------------------------------------------

MEASURES = [
    Measure("М-1", 2, "Видеонаблюдение", "GZ", YEAR, {"municipal": 15000.0, "regional": 0.0, "offbudget": 0.0}),
    Measure("М-2", 1, "Защищенность школ", "EDU", YEAR, {"municipal": 8982.1, "regional": 56.6, "offbudget": 0.0}),
]
REPORTS = {
    "GZ": {"М-1": {"municipal": 15500.0, "status": "выполнено"}},  # overspent by 500,0
    "EDU": {"М-2": {"municipal": 8000.0, "regional": 56.6, "status": "выполнено частично", "reason": "срыв поставки"}},
}


@pytest.fixture
def measured(program, tmp_path):
    prog = dataclasses.replace(program, measures=MEASURES)
    inbox = tmp_path / "inbox"

    def make(fin_municipal=23500.0, reports=REPORTS):
        for code, values in GOOD.items():
            if code == "FIN":
                values = {**values, "BUDGET_FACT_MUNICIPAL": fin_municipal}
            write_participant_workbook(prog, code, YEAR, inbox / f"{code}.xlsx", values=values,
                                       measures=reports.get(code, {}))
        return consolidate(prog, YEAR, inbox)
    return prog, make


# Worked out by hand with the figures as printed (each to 0,001, half up):
# fact 5 = 35 / 2900 × 100 = 1,2069 → 1,21; СД5 = 1,20 / 1,21 = 99,17 % → 0,992
# fact 11 = 68,4 / 70 × 100 = 97,714 → 97,7; СД11 = 97,7 / 98,0 = 99,69 % → 0,997
# СД8 = 0 (one poisoning); the other eight are met: 1
# СР = (8 + 0,992 + 0,997) / 11 = 0,90809 → 0,908
# СРм = 1 of 2 budget-funded measures done = 0,500
# ССуз = 23 556,6 / 24 038,7 = 0,97994 → 0,980; Эис = 0,500 / 0,980 = 0,5102 → 0,510
# ЭР = 0,908 × 0,510 = 0,46308 → 0,463: неудовлетворительная
def test_the_evaluation_equals_the_hand_computation(measured, tmp_path):
    _, make = measured
    result = make()
    e = result.efficiency
    assert (e.sr, e.srm, e.ssuz, e.eis, e.er) == (0.908, 0.5, 0.98, 0.51, 0.463)
    assert e.verdict == "unsatisfactory" and e.verdict_label == "неудовлетворительная"

    data = __import__("json").loads(write_json(result, tmp_path / "r.json").read_text(encoding="utf-8"))
    assert data["efficiency"]["er"] == 0.463 and data["efficiency"]["verdict"] == "unsatisfactory"
    assert data["efficiency"]["sd"]["5"] == 0.992 and data["efficiency"]["sd"]["11"] == 0.997
    assert data["budget"]["fact"]["total"] == 23556.6
    assert data["budget"]["execution"]["municipal"] == 98.0  # 23 500,0 / 23 982,1 = 97,99 %

    rows = CalamineWorkbook.from_path(str(write_workbook(result, tmp_path / "r.xlsx"))) \
        .get_sheet_by_name("Оценка эффективности").to_python(skip_empty_area=False)
    values = {r[0]: r[2] for r in rows[3:] if r[0]}
    assert values["ЭР"] == 0.463 and values["СРм"] == 0.5 and values["СД8"] == 0
    assert values["Итог"] == "неудовлетворительная"


def test_overspending_is_a_warning_at_the_cell(measured):
    _, make = measured
    result = make()
    over = [p for p in result.problems if p.code == "measure-overspent"]
    assert [(p.participant, p.sheet, p.cell) for p in over] == [("GZ", "Мероприятия", "G5")]
    assert over[0].severity == "warning"
    assert result.efficiency.ssuz is not None  # overspending does not stop the evaluation


def test_measures_disagreeing_with_the_finance_department(measured):
    _, make = measured
    result = make(fin_municipal=23400.0)
    (p,) = [p for p in result.problems if p.code == "budget-mismatch"]
    assert (p.participant, p.sheet, p.cell) == ("FIN", "Данные", "D5")
    assert "23\u00a0500,0" in p.message and "23\u00a0400,0" in p.message and "100,0" in p.message


def test_the_measures_agree_with_the_finance_department(measured):
    _, make = measured
    assert not [p for p in make().problems if p.code == "budget-mismatch"]


@pytest.mark.parametrize("report, code, cell", [
    ({"municipal": 100.0, "status": "не выполнено"}, "measure-reason-missing", "K5"),
    ({"municipal": 100.0, "status": "почти"}, "measure-status-invalid", "J5"),
    ({"municipal": "много", "status": "выполнено"}, "value-not-number", "G5"),
    ({"status": "выполнено"}, "value-missing", "G5"),
])
def test_measure_rules_name_the_cell(measured, report, code, cell):
    _, make = measured
    result = make(reports={**REPORTS, "GZ": {"М-1": report}})
    assert (code, "GZ", "Мероприятия", cell) in [(p.code, p.participant, p.sheet, p.cell) for p in result.problems]
    # only a status that is not one of the list leaves СРм undetermined; money errors affect spending
    assert (result.efficiency.srm is None) == (code == "measure-status-invalid")


def test_a_participant_with_measures_only_gets_a_workbook(program, tmp_path):
    from kc_workbook.generate import generate

    prog = dataclasses.replace(program, measures=[Measure("М-9", None, "Экспертиза", "LAW", YEAR,
                                                          {"municipal": 0.0, "regional": 0.0, "offbudget": 0.0})])
    names = [p.name for p in generate(prog, YEAR, tmp_path)]
    (law,) = [n for n in names if "(LAW)" in n]
    sheets = CalamineWorkbook.from_path(str(tmp_path / law)).sheet_names
    assert "Мероприятия" in sheets and "Данные" not in sheets


def test_totals_add_up_to_100_percent(measured, tmp_path):
    _, make = measured
    result = make()
    rows = CalamineWorkbook.from_path(str(write_workbook(result, tmp_path / "r.xlsx"))) \
        .get_sheet_by_name("Итоги").to_python(skip_empty_area=False)
    counts = [r[1] for r in rows[3:7]]  # achieved, exceeded, not achieved, not determinable
    shares = [r[2] for r in rows[3:7]]
    assert counts == [8, 0, 3, 0] and sum(shares) == pytest.approx(100.0)


def test_program_check_compares_measures_with_funding(template_copy):
    edit_workbook(template_copy, {("Мероприятия", "A2"): "М-1", ("Мероприятия", "B2"): 2,
                                  ("Мероприятия", "C2"): "Видеонаблюдение", ("Мероприятия", "D2"): "GZ",
                                  ("Мероприятия", "E2"): 2025, ("Мероприятия", "F2"): 20000.0,
                                  ("Мероприятия", "G2"): 56.6})
    program, problems = load_program(template_copy)
    assert program is not None
    (p,) = problems
    assert p.code == "measures-plan-mismatch" and p.severity == "warning"
    assert "20000,0" in p.message and "23982,1" in p.message and "-3982,1" in p.message


def test_spending_sheet_by_source_participant_and_measure(measured, tmp_path):
    _, make = measured
    rows = CalamineWorkbook.from_path(str(write_workbook(make(), tmp_path / "r.xlsx"))) \
        .get_sheet_by_name("Расходы").to_python(skip_empty_area=False)
    by_label = {r[0]: r for r in rows if r and r[0]}
    muni = by_label["Бюджет муниципального образования"]  # passport plan, budget list, cash execution, %
    assert [muni[1], muni[3], muni[4]] == [23982.1, 23500.0, 98.0]  # 23 500,0 / 23 982,1 = 97,99 %
    assert by_label["Внебюджетные источники"][4] == ""  # plan of 0: no percentage
    assert by_label["МКУ «КЧГУ ГЗ»"][2:5] == [15000.0, 15500.0, 103.3]
    assert by_label["М-2 Защищенность школ"][2:5] == [9038.7, 8056.6, 89.1]
