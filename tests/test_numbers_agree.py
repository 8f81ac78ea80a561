"""Shown = decided: every case an auditor would circle, worked out by hand, in the CLI,
the workbook and the JSON; and properties that hold for any input."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from conftest import GOOD, YEAR, edit_workbook
from kc_workbook.cli import main
from kc_workbook.consolidate import consolidate
from kc_workbook.efficiency import verdict
from kc_workbook.generate import write_participant_workbook
from kc_workbook.indicators import assess
from kc_workbook.model import Settings
from kc_workbook.notation import format_number, round_half_up
from kc_workbook.program import load_program
from kc_workbook.report import write_json, write_workbook


def inbox_with(program, tmp_path, year=YEAR, **changes):
    """Every supplier's workbook with GOOD values, ``changes`` as {participant: {code: value}}."""
    inbox = tmp_path / "inbox"
    for code, values in GOOD.items():
        write_participant_workbook(program, code, year, inbox / f"{code}.xlsx", values={**values, **changes.get(code, {})})
    return inbox


def indicator(result, number):
    return next(r for r in result.indicators if r.number == number)


def consolidated(program, tmp_path, **changes):
    """The result, its JSON, and the «Показатели» sheet's rows by indicator number."""
    result = consolidate(program, YEAR, inbox_with(program, tmp_path, **changes))
    data = json.loads(write_json(result, tmp_path / "r.json").read_text(encoding="utf-8"))
    rows = CalamineWorkbook.from_path(str(write_workbook(result, tmp_path / "r.xlsx"))) \
        .get_sheet_by_name("Показатели").to_python(skip_empty_area=False)
    # the official table: №, name, unit, last year, plan, fact, deviation, level, status, reason
    sheet = {int(r[0]): r for r in rows if isinstance(r[0], float) and isinstance(r[1], str) and r[1]}
    return result, {i["number"]: i for i in data["indicators"]}, sheet


def test_a_fact_on_the_target_at_its_precision_is_shown_and_decided_alike(program, tmp_path):
    # 7141 of 20000 objects = 35,705 % exactly: half up to the target's two decimals is 35,71 = plan.
    # (In binary floating point 35,705 is 35,70499…, which printed 35,70 next to «достигнут».)
    result, data, sheet = consolidated(program, tmp_path, EDU={"AT_OBJECTS_TOTAL": 19994, "AT_OBJECTS_COMPLIANT": 7138})
    r = indicator(result, 1)
    assert (r.fact, r.status, r.achievement, r.deviation, r.level) == (35.71, "met", 1.0, 0.0, 100.0)
    assert data[1]["fact"] == 35.71 and data[1]["fact_exact"] == 35.705 and data[1]["status"] == "met"
    assert sheet[1][5] == 35.71 and sheet[1][6] == 0 and sheet[1][7] == 100 and sheet[1][8] == "достигнут"


@pytest.mark.parametrize("done, planned, exact", [(35, 44, "79.545"), (31, 39, "79.487")])
def test_two_facts_shown_alike_get_the_same_status(program, tmp_path, done, planned, exact):
    # Indicator 10's targets are whole percentages; it is reported to 0,1: both are 79,5 < 80,0.
    result, data, sheet = consolidated(program, tmp_path, MUNSERV={"ANTICOR_PLANNED": planned, "ANTICOR_DONE": done})
    r = indicator(result, 10)
    assert float(r.fact_exact) == pytest.approx(float(exact), abs=5e-4)
    assert (r.fact, r.status, r.level, r.achievement) == (79.5, "missed", 99.4, 0.994)  # 79,5 / 80 = 99,375 %
    assert data[10]["precision"] == 1 and sheet[10][5] == 79.5 and sheet[10][7] == 99.4 and sheet[10][8] == "не достигнут"


def test_an_exact_tie_rounds_half_up_not_down_by_binary_noise(program, tmp_path):
    # 68,565 thousand of 70 000 people = 97,95 % exactly → 98,0 = plan (the float gives 97,9499…)
    result, data, _ = consolidated(program, tmp_path, GZ={"ALERT_COVERED_K": 68.565})
    r = indicator(result, 11)
    assert r.fact_exact == Fraction(9795, 100)
    assert (r.fact, r.status, r.achievement) == (98.0, "met", 1.0)


def test_a_verdict_is_decided_on_er_as_shown(program):
    # ЭР 0,8996 is shown as 0,900: with the threshold «высокая — ЭР ≥ 0,900» it is «высокая».
    assert verdict(0.8996, program) == "high"
    assert verdict(0.8994, program) == "medium"


def test_counts_are_shown_as_counts(program, tmp_path):
    result, data, sheet = consolidated(program, tmp_path)
    r = indicator(result, 3)
    assert (r.plan, r.fact, r.precision) == (55, 56.0, 0)
    out = CliRunner().invoke(main, ["consolidate", "--year", str(YEAR), str(tmp_path / "inbox"),
                                    "--out", str(tmp_path / "c.xlsx")])
    line = next(x for x in out.output.splitlines() if x.strip().startswith("3."))
    assert "план не менее      55, факт      56: достигнут" in line  # a count: no «55,0»


def test_one_verdict_per_workbook_in_check_consolidate_and_json(program, tmp_path):
    inbox = inbox_with(program, tmp_path, HEALTH={"DRUG_POISONINGS": "нет"})
    result = consolidate(program, YEAR, inbox)
    status = {p.code: p.status for p in result.participants}
    assert status["HEALTH"] == "with_errors" and result.accepted == len(GOOD) - 1
    out = CliRunner().invoke(main, ["check", str(inbox / "HEALTH.xlsx")])
    assert out.exit_code == 1 and "— есть ошибки" in out.output
    out = CliRunner().invoke(main, ["consolidate", "--year", str(YEAR), str(inbox), "--out", str(tmp_path / "c.xlsx"),
                                    "--json", str(tmp_path / "c.json")])
    assert out.exit_code == 1
    assert f"приняты {len(GOOD) - 1} из {len(GOOD)}" in out.output
    data = json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))
    health = next(p for p in data["participants"] if p["code"] == "HEALTH")
    assert (health["status"], health["status_label"]) == ("with_errors", "есть ошибки")


def test_a_definition_number_must_be_finite(template_copy):
    edit_workbook(template_copy, {("Финансирование", "B7"): "nan", ("Целевые значения", "E4"): "inf"})
    _, problems = load_program(template_copy)
    assert [(p.code, p.sheet, p.cell) for p in problems] == [
        ("target-not-number", "Целевые значения", "E4"), ("funding-not-number", "Финансирование", "B7")]


def test_spending_above_the_funding_is_flagged(program, tmp_path):
    inbox = tmp_path / "inbox"
    for code, values in GOOD.items():
        if code == "FIN":  # 2024 funding: 21 111,2 + 51,6 = 21 162,8
            values = {"BUDGET_FACT_MUNICIPAL": 23000.0, "BUDGET_FACT_REGIONAL": 56.6, "BUDGET_FACT_OFFBUDGET": 0}
        write_participant_workbook(program, code, 2024, inbox / f"{code}.xlsx", values=values)
    result = consolidate(program, 2024, inbox)
    over = {(p.cell, p.value) for p in result.problems if p.code == "budget-overspent"}
    # municipal above its funding, regional 56,6 above 51,6, and the total 23 056,6 above 21 162,8
    assert over == {("D5", "23\u00a0000,0"), ("D6", "56,6"), (None, "23\u00a0056,6")}
    total = next(p for p in result.problems if p.code == "budget-overspent" and p.cell is None)
    assert "21\u00a0162,8" in total.message and "108,9 %" in total.message
    assert all(p.severity == "warning" and p.participant == "FIN" for p in result.problems if p.code == "budget-overspent")


def test_control_ratios_inside_and_across_workbooks(program, tmp_path):
    result = consolidate(program, YEAR, inbox_with(program, tmp_path,
                                                  MVD={"CRIMES_TOTAL": 100, "CRIMES_PUBLIC": 40, "CRIMES_JUVENILE": 150},
                                                  JUVENILE={"JUVENILES_14_18": 90000},
                                                  CONTROL={"POPULATION": 70000, "POPULATION_AVG": 60000}))
    found = {(p.code, p.participant, p.cell) for p in result.problems}
    assert ("ratio-exceeded", "MVD", "D7") in found  # crimes by minors above all crimes: same workbook
    assert ("ratio-exceeded", "JUVENILE", "D5") in found  # minors above the population: across workbooks
    assert ("value-out-of-line", "CONTROL", "D6") in found  # average population 14,3 % off the 1 January one
    assert indicator(result, 5).status == "no_data"  # never computed from a rejected value
    assert next(p for p in result.problems if p.code == "value-out-of-line").severity == "warning"


def test_an_indicator_without_a_fact_although_its_workbooks_came_is_an_error(program, tmp_path):
    inbox = inbox_with(program, tmp_path, MUNSERV={"ANTICOR_PLANNED": 0, "ANTICOR_DONE": 0})
    result = consolidate(program, YEAR, inbox)
    (p,) = [p for p in result.problems if p.code == "indicator-undeterminable"]
    assert "10" in p.message and "ANTICOR_PLANNED = 0" in p.message and p.severity == "error"
    out = CliRunner().invoke(main, ["consolidate", "--year", str(YEAR), str(inbox), "--out", str(tmp_path / "c.xlsx")])
    assert out.exit_code == 1


def test_program_show_gives_each_indicators_precision():
    out = CliRunner().invoke(main, ["program", "show", "--json"])
    assert out.exit_code == 0
    data = json.loads(out.output)
    assert {i["number"]: i["precision"] for i in data["indicators"]} == {
        1: 2, 2: 2, 3: 0, 4: 1, 5: 2, 6: 1, 7: 1, 8: 1, 9: 1, 10: 1, 11: 1}


def test_evaluation_settings_change_the_result_and_are_stated(program, tmp_path):
    import dataclasses

    from kc_workbook.efficiency import evaluate_efficiency
    from kc_workbook.model import Measure

    measures = (Measure("М-1", 1, "с бюджетом", "GZ", YEAR, {"municipal": 100.0, "regional": 0.0, "offbudget": 0.0}),
                Measure("М-2", 1, "без бюджета", "GZ", YEAR, {"municipal": 0.0, "regional": 0.0, "offbudget": 0.0}))
    prog = dataclasses.replace(program, measures=measures)
    inbox = tmp_path / "inbox"
    for code, values in GOOD.items():
        write_participant_workbook(prog, code, YEAR, inbox / f"{code}.xlsx", values=values, measures={
            "М-1": {"municipal": 100.0, "status": "выполнено"}, "М-2": {"status": "не выполнено", "reason": "нет"}}
            if code == "GZ" else None)
    result = consolidate(prog, YEAR, inbox)
    assert result.efficiency.srm == 1.0  # only the budget-funded measure counts (the federal text)
    assert "без бюджетного финансирования: 1" in result.efficiency.notes["srm"]
    everything = dataclasses.replace(prog, settings=dataclasses.replace(prog.settings, srm_scope="all"))
    assert evaluate_efficiency(everything, YEAR, result.indicators, result.budget).srm == 0.5
    excluded = dataclasses.replace(prog, settings=dataclasses.replace(prog.settings, missing_fact="exclude"))
    no_fact = [dataclasses.replace(r, achievement=None, fact=None, status="no_data") if r.number == 8 else r
               for r in result.indicators]
    e = evaluate_efficiency(excluded, YEAR, no_fact, result.budget)
    assert e.sr is not None and e.excluded == (8,) and "8" in e.notes["sr"]
    assert evaluate_efficiency(prog, YEAR, no_fact, result.budget).sr is None  # the default: not determined
    data = json.loads(write_json(result, tmp_path / "r.json").read_text(encoding="utf-8"))
    assert data["efficiency"]["settings"]["srm_scope"] == "budget_funded"
    assert any(s["what"] == "Мероприятия в СРм" for s in data["efficiency"]["settings_described"])


# --- properties ---------------------------------------------------------------------------

DIRECTIONS = {"increase": 1, "decrease": 4, "zero": 8}


@settings(max_examples=400, deadline=None)
@given(direction=st.sampled_from(sorted(DIRECTIONS)), precision=st.integers(0, 3),
       plan=st.decimals(0, 1000, places=2, allow_nan=False, allow_infinity=False),
       fact=st.fractions(0, 2000, max_denominator=10_000))
def test_shown_fact_status_and_achievement_never_disagree(program, direction, precision, plan, fact):
    import dataclasses

    ind = dataclasses.replace(program.indicator[DIRECTIONS[direction]], precision=precision)
    plan = float(round_half_up(plan, precision)) if direction != "zero" else 0.0
    r = assess(ind, plan, fact, Settings())
    shown_fact, shown_plan = Decimal(format_number(r.fact, precision).replace(",", ".")), Decimal(repr(plan))
    assert shown_fact == round_half_up(fact, precision)
    met = {"increase": shown_fact >= shown_plan, "decrease": shown_fact <= shown_plan, "zero": shown_fact == 0}[direction]
    assert (r.status in ("met", "exceeded")) == met
    assert (r.achievement == 1.0) == met  # СДi reaches the cap exactly when the target is met
    if r.level is not None:
        assert (r.level >= 100) == met
    assert r.deviation == float(shown_fact - shown_plan)
