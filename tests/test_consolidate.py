"""Consolidation of an inbox: statuses, combination, indicators, cross-workbook checks."""

from __future__ import annotations

import datetime as dt
import hashlib
import os

import pytest

from conftest import GOOD, YEAR, but_reasons, expected_facts, fill_openpyxl
from kc_workbook.consolidate import consolidate
from kc_workbook.generate import write_participant_workbook
from kc_workbook.notation import round_half_up


def by_number(result):
    return {r.number: r for r in result.indicators}


def codes(result):
    return [(p.code, p.participant, p.cell) for p in result.problems]


def test_a_complete_inbox_computes_every_indicator(program, good_inbox):
    result = consolidate(program, YEAR, good_inbox)
    assert but_reasons(result.problems) == [] and result.exit_code == 0
    assert {p.message.split()[1] for p in result.problems} == {"5", "8", "11"}  # missed, reasons not given
    assert {p.status for p in result.participants} == {"accepted"}
    expected = expected_facts(GOOD)
    for number, res in by_number(result).items():
        assert float(res.fact_exact) == pytest.approx(expected[number]), number
        assert res.fact == float(round_half_up(res.fact_exact, res.precision)), number


def test_status_follows_the_direction(program, good_inbox):
    got = by_number(consolidate(program, YEAR, good_inbox))
    # increase: 38,24 % ≥ 35,71 → met; decrease: 1,21 % > 1,2 → missed; 100,0 ≤ 102,9 → met;
    # zero: 1 poisoning → missed, 0 deaths → met; increase: 97,7 % < 98,0 → missed
    assert {n: r.status for n, r in got.items()} == {
        1: "met", 2: "met", 3: "met", 4: "met", 5: "missed", 6: "met", 7: "met", 8: "missed", 9: "met",
        10: "met", 11: "missed"}
    assert got[5].achievement == 0.992  # 1,2 / 1,21 (the fact as shown) = 99,17 %
    assert got[8].achievement == 0 and got[9].achievement == 1
    assert got[1].achievement == 1  # capped


def test_no_target_that_year(program, tmp_path):
    for code, values in GOOD.items():
        write_participant_workbook(program, code, 2024, tmp_path / f"{code}.xlsx", values=values)
    result = consolidate(program, 2024, tmp_path)
    got = by_number(result)
    # indicators 1 and 2 have "-" for 2024 in Table 1: a fact, but no target and no achievement
    assert got[1].status == got[2].status == "no_target"
    assert got[1].fact == 38.24 and got[1].achievement is None
    assert got[3].status == "met" and got[3].plan == 55


def test_workbooks_of_another_year_are_rejected(program, good_inbox):
    result = consolidate(program, 2024, good_inbox)
    assert {p.status for p in result.participants} == {"rejected"}
    assert {p.code for p in result.problems} == {"workbook-wrong-year"}
    assert all(r.status == "no_data" for r in result.indicators)


def test_precision_of_the_target_decides(program, blank_workbooks, good_inbox):
    # 1,204 % rounds to 1,20 at the target's two decimals: met for a "decrease" target of 1,2
    fill_openpyxl(blank_workbooks["MVD"], good_inbox / "ответ mvd.xlsx", {**GOOD["MVD"], "CRIMES_JUVENILE": 35},
                  )
    fill_openpyxl(blank_workbooks["JUVENILE"], good_inbox / "ответ juvenile.xlsx", {"JUVENILES_14_18": 2907})
    got = by_number(consolidate(program, YEAR, good_inbox))
    assert float(got[5].fact_exact) == pytest.approx(35 / 2907 * 100) and got[5].fact == 1.2
    assert got[5].status == "met"


def test_a_missing_participant_leaves_its_indicators_without_data(program, good_inbox):
    os.remove(good_inbox / "ответ culture.xlsx")
    result = consolidate(program, YEAR, good_inbox)
    assert result.exit_code == 1
    assert ("participant-missing", "CULTURE", None) in codes(result)
    got = by_number(result)
    assert got[1].status == got[2].status == "no_data"
    assert "отдел по культуре" in got[1].reason
    assert got[3].status == "met"


def test_an_invalid_value_leaves_the_indicator_without_data(program, blank_workbooks, good_inbox):
    fill_openpyxl(blank_workbooks["HEALTH"], good_inbox / "ответ health.xlsx", {"DRUG_POISONINGS": "нет", "DRUG_DEATHS": 0})
    result = consolidate(program, YEAR, good_inbox)
    assert ("value-not-number", "HEALTH", "D5") in codes(result)
    got = by_number(result)
    assert got[8].status == "no_data" and "учреждения здравоохранения" in got[8].reason
    assert got[9].status == "met"
    assert {p.code: p.status for p in result.participants}["HEALTH"] == "with_errors"
    assert ("indicator-undeterminable", None, None) in codes(result)  # 8 cannot be computed; a workbook came


def test_several_suppliers_are_summed(program, good_inbox):
    result = consolidate(program, YEAR, good_inbox)
    total = result.combined["AT_OBJECTS_TOTAL"]
    assert total.value == 34 and total.parts == {"EDU": 28, "CULTURE": 6}


def test_cross_workbook_ratio(program, blank_workbooks, good_inbox):
    fill_openpyxl(blank_workbooks["GZ"], good_inbox / "ответ gz.xlsx", {"VIDEO_PLACES": 56, "ALERT_COVERED_K": 71.5})
    result = consolidate(program, YEAR, good_inbox)
    assert ("ratio-exceeded", "GZ", "D6") in codes(result)
    assert by_number(result)[11].status == "no_data"


def test_division_by_zero_is_a_reason_not_a_crash(program, blank_workbooks, good_inbox):
    fill_openpyxl(blank_workbooks["MUNSERV"], good_inbox / "ответ munserv.xlsx", {"ANTICOR_PLANNED": 0, "ANTICOR_DONE": 0})
    got = by_number(consolidate(program, YEAR, good_inbox))
    assert got[10].status == "no_data" and "ANTICOR_PLANNED = 0" in got[10].reason


def test_the_newer_of_two_submissions_is_used(program, good_inbox, tmp_path):
    older = dt.datetime(2026, 2, 1, 10, 0)
    newer = dt.datetime(2026, 2, 3, 10, 0)
    write_participant_workbook(program, "HEALTH", YEAR, good_inbox / "б_новая.xlsx",
                               values={"DRUG_POISONINGS": 0, "DRUG_DEATHS": 0}, saved_at=newer)
    os.remove(good_inbox / "ответ health.xlsx")
    write_participant_workbook(program, "HEALTH", YEAR, good_inbox / "в_старая.xlsx",
                               values={"DRUG_POISONINGS": 3, "DRUG_DEATHS": 0}, saved_at=older)
    result = consolidate(program, YEAR, good_inbox)
    assert [(p.code, p.file) for p in but_reasons(result.problems)] == [("workbook-duplicate", "в_старая.xlsx")]
    assert result.used["HEALTH"].name == "б_новая.xlsx"
    assert result.combined["DRUG_POISONINGS"].value == 0


def test_without_a_recorded_time_the_file_time_decides(program, blank_workbooks, good_inbox):
    os.remove(good_inbox / "ответ health.xlsx")
    first = fill_openpyxl(blank_workbooks["HEALTH"], good_inbox / "а.xlsx", {"DRUG_POISONINGS": 5, "DRUG_DEATHS": 0})
    second = fill_openpyxl(blank_workbooks["HEALTH"], good_inbox / "б.xlsx", {"DRUG_POISONINGS": 0, "DRUG_DEATHS": 0})
    # openpyxl records its own save time; make both equal so that the file time decides
    from kc_workbook import preflight

    os.utime(first, (1_700_000_000, 1_700_000_000))
    os.utime(second, (1_600_000_000, 1_600_000_000))
    original = preflight._recorded_time
    preflight._recorded_time = lambda zf, kind: None
    try:
        result = consolidate(program, YEAR, good_inbox)
    finally:
        preflight._recorded_time = original
    assert result.used["HEALTH"].name == "а.xlsx"


def test_sub_folders_and_odd_files(program, good_inbox):
    (good_inbox / "вложенная" / "ещё").mkdir(parents=True)
    os.rename(good_inbox / "ответ edu.xlsx", good_inbox / "вложенная" / "ещё" / "edu.xlsx")
    (good_inbox / "~$edu.xlsx").write_bytes(b"x" * 165)
    (good_inbox / "readme.txt").write_text("hello")
    result = consolidate(program, YEAR, good_inbox)
    assert result.used["EDU"].name == "вложенная/ещё/edu.xlsx"
    assert sorted(p.code for p in but_reasons(result.problems)) == ["lock-file-skipped", "not-a-workbook"]
    assert result.exit_code == 0  # notes only


def tree_hashes(folder):
    return {p: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns) for p in sorted(folder.rglob("*"))
            if p.is_file()}


def test_the_inbox_is_never_changed(program, good_inbox):
    (good_inbox / "~$lock.xlsx").write_bytes(b"x")
    before = tree_hashes(good_inbox)
    from kc_workbook.report import write_json, write_workbook

    result = consolidate(program, YEAR, good_inbox)
    write_workbook(result, good_inbox.parent / "out.xlsx")
    write_json(result, good_inbox.parent / "out.json")
    assert tree_hashes(good_inbox) == before


def test_reading_in_worker_processes_gives_the_same_submissions(program, good_inbox):
    from kc_workbook.inbox import inbox_names, read_each

    (good_inbox / "~$lock.xlsx").write_bytes(b"x")
    files = inbox_names(good_inbox)
    serial = list(read_each(program, YEAR, good_inbox, files, workers=1))
    parallel = list(read_each(program, YEAR, good_inbox, files, workers=2))
    assert [(s.name, s.values(), s.problems, s.recorded_at) for s in serial] == \
           [(s.name, s.values(), s.problems, s.recorded_at) for s in parallel]


def test_many_missing_suppliers_keep_reasons_and_the_workbook_short(program, tmp_path):
    import dataclasses

    from python_calamine import CalamineWorkbook

    from kc_workbook.program import Participant
    from kc_workbook.report import write_workbook

    extra = {f"S{i:03d}": Participant(f"S{i:03d}", f"участник {i}", f"участник {i}") for i in range(300)}
    inputs = {c: dataclasses.replace(i, suppliers=i.suppliers + tuple(extra)) for c, i in program.inputs.items()}
    big = dataclasses.replace(program, participants={**program.participants, **extra}, inputs=inputs)
    for code, values in GOOD.items():
        write_participant_workbook(big, code, YEAR, tmp_path / "in" / f"{code}.xlsx", values=values)
    result = consolidate(big, YEAR, tmp_path / "in")
    assert all(r.status == "no_data" for r in result.indicators)
    assert all(len(r.reason) < 1000 and "и ещё 295" in r.reason for r in result.indicators)
    rows = CalamineWorkbook.from_path(str(write_workbook(result, tmp_path / "c.xlsx"))) \
        .get_sheet_by_name("Исходные данные").to_python(skip_empty_area=False)[3:]
    present = sum(len(i.suppliers) for i in program.inputs.values())
    assert len(rows) == present + len(program.inputs)  # one row says who sent nothing, per input
    assert {r[3] for r in rows if r[4] == ""} == {"300 участн. без книги"}
