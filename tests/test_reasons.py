"""Reasons for every deviation: the executor's reasons workbook, written by consolidate,
filled (in LibreOffice, as a person would), put back into the inbox and read back."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from python_calamine import CalamineWorkbook

import libreoffice
from conftest import YEAR
from kc_workbook.cli import main
from kc_workbook.consolidate import consolidate
from kc_workbook.indicators import responsible_for
from kc_workbook.reasons import HEAD_REASON, SHEET, file_name


def missing_reasons(result):
    return {(p.participant, p.message.split()[1]) for p in result.problems if p.code == "justification-missing"}


def test_who_explains_a_deviation(program):
    # one participant's values alone: that participant; combined from several: the executor
    assert responsible_for(program, program.indicator[3]) == "GZ"
    assert responsible_for(program, program.indicator[10]) == "MUNSERV"
    assert responsible_for(program, program.indicator[5]) == program.executor  # MVD and JUVENILE
    assert responsible_for(program, program.indicator[1]) == program.executor  # EDU and CULTURE


def test_a_missed_indicator_without_a_reason_is_a_warning_naming_who_gives_it(program, good_inbox):
    result = consolidate(program, YEAR, good_inbox)
    missed = {r.number for r in result.indicators if r.status == "missed"}
    assert missed == {5, 8, 11}
    assert missing_reasons(result) == {("CONTROL", "5"), ("CONTROL", "8"), ("CONTROL", "11")}
    assert all(p.severity == "warning" for p in result.problems if p.code == "justification-missing")


@pytest.mark.libreoffice
def test_the_reasons_workbook_round_trip_through_libreoffice(program, good_inbox, tmp_path):
    libreoffice.require()
    out = tmp_path / "out" / str(YEAR) / f"consolidated_{YEAR}.xlsx"
    first = CliRunner().invoke(main, ["consolidate", "--year", str(YEAR), str(good_inbox), "--out", str(out)])
    assert first.exit_code == 0, first.output  # warnings only
    book = out.parent / file_name(YEAR)
    rows = CalamineWorkbook.from_path(str(book)).get_sheet_by_name(SHEET).to_python(skip_empty_area=False)
    header = rows[2]
    listed = {int(r[0]): i for i, r in enumerate(rows[3:], start=3) if isinstance(r[0], float)}
    assert sorted(listed) == [5, 8, 11] and HEAD_REASON in header
    col = "ABCDEFGH"[header.index(HEAD_REASON)]
    # The executor types two reasons in LibreOffice and saves the book, renamed, as .ods into the inbox.
    libreoffice.fill([{"src": book, "dst": good_inbox / "обоснования.ods", "format": "ods", "values": {
        f"{SHEET}!{col}{listed[5] + 1}": "рост подростковой преступности",
        f"{SHEET}!{col}{listed[11] + 1}": "модернизация не завершена"}}])
    second = CliRunner().invoke(main, ["consolidate", "--year", str(YEAR), str(good_inbox), "--out", str(out)])
    assert second.exit_code == 0, second.output
    data = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    by_number = {i["number"]: i for i in data["indicators"]}
    assert by_number[5]["justification"] == "рост подростковой преступности"
    assert by_number[5]["justification_at"] == f"обоснования.ods: {SHEET}!{col}{listed[5] + 1}"
    assert by_number[8]["justification"] is None
    assert [(i["participant"], i["code"]) for i in data["issues"] if i["code"] == "justification-missing"] == [
        ("CONTROL", "justification-missing")]
    # the reasons already given are carried into the next reasons workbook
    rows = CalamineWorkbook.from_path(str(book)).get_sheet_by_name(SHEET).to_python(skip_empty_area=False)
    assert rows[listed[11]][header.index(HEAD_REASON)] == "модернизация не завершена"


def test_a_reasons_workbook_of_another_year_is_rejected(program, good_inbox, tmp_path):
    from kc_workbook.reasons import write_reasons_workbook

    other = consolidate(program, YEAR, good_inbox)
    other = type(other)(**{**other.__dict__, "year": YEAR - 1})
    write_reasons_workbook(other, good_inbox / "старые обоснования.xlsx", given={5: "прошлогоднее"})
    result = consolidate(program, YEAR, good_inbox)
    assert ("workbook-wrong-year", "старые обоснования.xlsx") in {(p.code, p.file) for p in result.problems}
    assert all(not r.justification for r in result.indicators)


def test_the_demo_explains_every_missed_indicator(program, tmp_path):
    from kc_workbook.demo import run_demo

    run = run_demo(program, tmp_path / "demo")
    missed = [r for r in run.result.indicators if r.status == "missed"]
    assert missed and all(r.justification.startswith("ОБРАЗЕЦ") for r in missed)
    assert not [p for p in run.result.problems if p.code == "justification-missing"]


def test_a_rejected_reasons_workbook_is_not_taken_for_the_executors_data(program, good_inbox, tmp_path):
    from kc_workbook.reasons import write_reasons_workbook

    other = consolidate(program, YEAR, good_inbox)
    other = type(other)(**{**other.__dict__, "year": YEAR - 1})
    write_reasons_workbook(other, good_inbox / "старые обоснования.xlsx", given={5: "прошлогоднее"})
    (good_inbox / "ответ control.xlsx").unlink()  # the executor's own data workbook did not come
    result = consolidate(program, YEAR, good_inbox)
    control = next(p for p in result.participants if p.code == program.executor)
    assert control.status == "missing" and control.submission is None


def test_the_reasons_workbook_named_at_the_command_is_used_over_the_inbox_one(program, good_inbox, tmp_path):
    from kc_workbook.reasons import write_reasons_workbook

    first = consolidate(program, YEAR, good_inbox)
    # the same file name in the inbox and elsewhere; the inbox one written later (newer)
    given = write_reasons_workbook(first, tmp_path / "у исполнителя" / file_name(YEAR), given={5: "указанная"})
    write_reasons_workbook(first, good_inbox / file_name(YEAR), given={5: "из папки"})
    result = consolidate(program, YEAR, good_inbox, reasons=given)
    assert {r.number: r.justification for r in result.indicators}[5] == "указанная"
    dups = [(p.code, p.file) for p in result.problems if p.code == "workbook-duplicate"]
    # the inbox copy is named as not used, and the two are told apart by their names
    assert dups == [("workbook-duplicate", file_name(YEAR))]
    assert result.justifications()[5] == "указанная"


def test_a_participants_workbook_given_as_reasons_does_not_replace_its_newer_one(program, good_inbox, tmp_path):
    import datetime as dt

    from conftest import GOOD
    from kc_workbook.generate import write_participant_workbook

    old = write_participant_workbook(program, "MVD", YEAR, tmp_path / "старый мвд.xlsx",
                                     values={**GOOD["MVD"], "CRIMES_TOTAL": 1}, saved_at=dt.datetime(YEAR + 1, 1, 5))
    result = consolidate(program, YEAR, good_inbox, reasons=old)  # the wrong file given to --reasons
    # one more MVD workbook, older than the inbox's: not preferred for being named at the command
    mvd = next(p for p in result.participants if p.code == "MVD")
    assert mvd.submission.name == "ответ mvd.xlsx"
    assert [p.file for p in result.problems if p.code == "workbook-duplicate"] == [str(old)]
