"""The round with participants through a real SMTP server on loopback: send, answer with
errors, return with remarks, remind the silent, answer corrected, accepted — with
``status`` checked after every step."""

from __future__ import annotations

import datetime as dt
import email
import email.utils
import io
import json
from email import policy

import pytest

from conftest import GOOD, YEAR, fill_openpyxl
from test_mail import EMAILS, message_with, run, mailing, smtp_server  # noqa: F401  (fixtures)

ERRORS = {"CRIMES_TOTAL": "много"}  # a text where a count is expected: an error at its cell


def state_of(path, who: str) -> str:
    result = run("status", "--year", YEAR, "--program", path)
    assert result.exit_code == 0, result.output
    return next(line for line in result.output.splitlines() if line.startswith(who))


def letters_to(handler, address):
    return [email.message_from_bytes(c, policy=policy.default) for r, c in handler.messages if r == [address]]


def saved_at(data: bytes, stamp: str) -> bytes:
    """The workbook with ``stamp`` as the time it was last saved (as Excel records it)."""
    import re
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(<)", rb"\g<1>" + stamp.encode() + rb"\g<2>",
                                 content)
            dst.writestr(info, content)
    return out.getvalue()


def answer(tmp_path, workbook_bytes, values, name, date):
    """A participant's answer: the workbook filled in another program, saved at the letter's time."""
    src = tmp_path / f"{name}.src.xlsx"
    src.write_bytes(workbook_bytes)
    stamp = email.utils.parsedate_to_datetime(date).astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    filled = saved_at(fill_openpyxl(src, tmp_path / f"{name}.xlsx", values).read_bytes(), stamp)
    letters = tmp_path / "letters" / name
    letters.mkdir(parents=True)
    (letters / "a.eml").write_bytes(message_with([("мвд.xlsx", filled)], date=date).as_bytes())
    return letters


@pytest.fixture
def round_started(mailing, smtp_server, tmp_path):
    program, path, templates, _ = mailing
    assert "не отправлено" in state_of(path, "МО МВД")
    run("mail", "prepare", "--year", YEAR, "--program", path, "--templates", templates)
    handler, port = smtp_server()
    assert run("mail", "send", "--year", YEAR, "--smtp", f"127.0.0.1:{port}").exit_code == 0
    assert "отправлено" in state_of(path, "МО МВД") and "не отправлено" not in state_of(path, "МО МВД")
    return program, path, handler, port


def test_the_full_round_send_errors_return_correct_accept(round_started, tmp_path):
    import openpyxl

    program, path, handler, port = round_started
    (first,) = letters_to(handler, "mvd@example.test")
    sent_workbook = next(first.iter_attachments()).get_payload(decode=True)

    # the participant answers with an error
    letters = answer(tmp_path, sent_workbook, {**GOOD["MVD"], **ERRORS}, "first", "Tue, 03 Feb 2026 10:00:00 +0300")
    assert run("mail", "collect", letters, "--year", YEAR, "--inbox", f"output/{YEAR}/inbox",
               "--program", path).exit_code == 0
    line = state_of(path, "МО МВД")
    assert "получено" in line and "есть ошибки" in line and "повторно" not in line

    # a dry run prepares the return, sends nothing, changes no state
    dry = run("mail", "return", "--year", YEAR, "--program", path, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "МО МВД" in dry.output and len(handler.messages) == len(EMAILS)
    assert "на доработке" not in state_of(path, "МО МВД")

    # the return: a letter listing the problem at its cell, the workbook pre-filled with a note there
    result = run("mail", "return", "--year", YEAR, "--program", path, "--smtp", f"127.0.0.1:{port}")
    assert result.exit_code == 0, result.output
    (back,) = [m for m in letters_to(handler, "mvd@example.test") if m["X-KC-Kind"] == "return"]
    text = back.get_body().get_content()
    assert "ячейка D" in text and "что сделать:" in text and "много" in text
    (att,) = list(back.iter_attachments())
    wb = openpyxl.load_workbook(io.BytesIO(att.get_payload(decode=True)))
    ws = wb["Данные"]
    noted = [c for row in ws.iter_rows() for c in row if c.comment is not None]
    assert len(noted) == 1 and noted[0].value == "много"
    assert ws[f"D{noted[0].row}"].value == "много"
    values = {c.value for row in ws.iter_rows() for c in row}
    assert 420 in values and 35 in values  # the rest of what was sent, pre-filled
    line = state_of(path, "МО МВД")
    assert "на доработке" in line and " 2 " in line  # the second round awaited

    # the same workbook is never returned twice
    again = run("mail", "return", "--year", YEAR, "--program", path, "--smtp", f"127.0.0.1:{port}")
    assert again.exit_code == 0 and "уже была возвращена" in again.output
    assert len([m for m in letters_to(handler, "mvd@example.test") if m["X-KC-Kind"] == "return"]) == 1

    # corrected in the returned workbook itself, sent back: accepted
    corrected = answer(tmp_path, att.get_payload(decode=True), {"CRIMES_TOTAL": 1234}, "second",
                       "Thu, 05 Feb 2026 10:00:00 +0300")
    assert run("mail", "collect", corrected, "--year", YEAR, "--inbox", f"output/{YEAR}/inbox",
               "--program", path).exit_code == 0
    line = state_of(path, "МО МВД")
    assert "принято" in line and "05.02.2026 07:00" in line, line

    result = run("consolidate", "--year", YEAR, f"output/{YEAR}/inbox", "--program", path, "--json", "c.json")
    mvd = next(p for p in json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))["participants"]
               if p["code"] == "MVD")
    assert (mvd["round_state"], mvd["round"]) == ("accepted", 2) and mvd["returned_at"]
    sheet = openpyxl.load_workbook(next((tmp_path / "output" / str(YEAR)).glob("consolidated_*.xlsx")))["Участники"]
    rows = {r[0].value: [c.value for c in r] for r in sheet.iter_rows(min_row=3)}
    assert rows["MVD"][11].startswith("принято, круг 2; возвращено ") and rows["GZ"][11] == "отправлено"


def test_an_answer_with_errors_resent_still_wrong_is_received_again(round_started, tmp_path):
    program, path, handler, port = round_started
    (first,) = letters_to(handler, "mvd@example.test")
    sent_workbook = next(first.iter_attachments()).get_payload(decode=True)
    letters = answer(tmp_path, sent_workbook, {**GOOD["MVD"], **ERRORS}, "first", "Tue, 03 Feb 2026 10:00:00 +0300")
    run("mail", "collect", letters, "--year", YEAR, "--inbox", f"output/{YEAR}/inbox", "--program", path)
    assert run("mail", "return", "--year", YEAR, "--program", path, "--smtp", f"127.0.0.1:{port}").exit_code == 0
    letters = answer(tmp_path, sent_workbook, {**GOOD["MVD"], "CRIMES_TOTAL": "ещё больше"}, "second",
                     "Thu, 05 Feb 2026 10:00:00 +0300")
    run("mail", "collect", letters, "--year", YEAR, "--inbox", f"output/{YEAR}/inbox", "--program", path)
    assert "получено повторно" in state_of(path, "МО МВД")


def test_reminders_only_to_the_silent_and_never_twice_a_day(round_started, tmp_path):
    from conftest import edit_workbook
    from kc_workbook.program import read_program

    program, path, handler, port = round_started
    edit_workbook(path, {("Паспорт", "C10"): "до 1 февраля 2026 года"})  # the deadline, read from the definition
    assert read_program(path).deadline == "до 1 февраля 2026 года"
    (first,) = letters_to(handler, "mvd@example.test")
    letters = answer(tmp_path, next(first.iter_attachments()).get_payload(decode=True), GOOD["MVD"], "first",
                     "Tue, 03 Feb 2026 10:00:00 +0300")
    run("mail", "collect", letters, "--year", YEAR, "--inbox", f"output/{YEAR}/inbox", "--program", path)
    before = len(handler.messages)

    dry = run("mail", "remind", "--year", YEAR, "--program", path, "--dry-run")
    assert dry.exit_code == 0, dry.output and len(handler.messages) == before

    result = run("mail", "remind", "--year", YEAR, "--program", path, "--smtp", f"127.0.0.1:{port}")
    assert result.exit_code == 0, result.output
    reminded = sorted(r[0] for r, c in handler.messages[before:])
    # everyone sent a workbook but the MVD, which answered (CONTROL is the executor, also a supplier here)
    assert reminded == sorted(a for code, a in EMAILS.items() if code != "MVD")
    msg = email.message_from_bytes(handler.messages[before][1], policy=policy.default)
    assert msg["X-KC-Kind"] == "reminder" and not list(msg.iter_attachments())
    assert "до 1 февраля 2026 года" in msg.get_body().get_content()

    again = run("mail", "remind", "--year", YEAR, "--program", path, "--smtp", f"127.0.0.1:{port}")
    assert again.exit_code == 0 and len(handler.messages) == before + len(reminded)
    assert "Уже напоминали сегодня" in again.output
    sent = json.loads((tmp_path / "output" / str(YEAR) / "mail" / "sent.json").read_text(encoding="utf-8"))
    assert f"remind.GZ.{dt.date.today().isoformat()}" in sent


def test_return_and_remind_refuse_without_the_executors_address(round_started, tmp_path):
    from conftest import edit_workbook
    from kc_workbook.program import read_program

    program, path, handler, port = round_started
    row = 2 + list(read_program(path).participants).index(program.executor)
    edit_workbook(path, {("Участники", f"E{row}"): None})
    result = run("mail", "remind", "--year", YEAR, "--program", path, "--dry-run")
    assert result.exit_code == 2 and "«E-mail»" in result.output


def test_return_or_remind_without_a_server_asks_for_one(round_started):
    program, path, handler, port = round_started
    result = run("mail", "remind", "--year", YEAR, "--program", path)
    assert result.exit_code == 2 and "--smtp" in result.output


def test_a_returned_workbook_is_deterministic_and_its_notes_sit_at_the_problem_cells(program, tmp_path):
    import openpyxl

    from kc_workbook.generate import write_participant_workbook

    remarks = {("Данные", "D7"): "не число. Что сделать: введите число", ("Нет такого листа", "A1"): "пропущено"}
    a = write_participant_workbook(program, "MVD", YEAR, tmp_path / "a.xlsx", values={"CRIMES_TOTAL": "много"},
                                   remarks=remarks)
    b = write_participant_workbook(program, "MVD", YEAR, tmp_path / "b.xlsx", values={"CRIMES_TOTAL": "много"},
                                   remarks=dict(reversed(list(remarks.items()))))
    assert a.read_bytes() == b.read_bytes()
    ws = openpyxl.load_workbook(a)["Данные"]
    assert [c.coordinate for row in ws.iter_rows() for c in row if c.comment] == ["D7"]
    assert "введите число" in ws["D7"].comment.text


def test_warnings_are_returned_only_when_asked_and_each_problem_says_where_and_what_to_do(tmp_path):
    from kc_workbook.problems import Problem
    from kc_workbook.read import Submission
    from kc_workbook.round_letters import describe, remarks_of

    error = Problem("value-not-number", "«1 234 шт» не является числом", "MVD", "мвд.xlsx", "Данные", "D5", "1 234 шт")
    warning = Problem("workbook-outdated", "книга по прежней редакции", "MVD", "мвд.xlsx")
    sub = Submission(tmp_path / "мвд.xlsx", "мвд.xlsx", problems=[error, warning])
    assert remarks_of(sub) == [error] and remarks_of(sub, warnings=True) == [error, warning]
    text = describe(error)
    assert text.startswith("Лист «Данные», ячейка D5: «1 234 шт» не является числом; что сделать: ")
    assert text.endswith(error.hint) and describe(warning).startswith("книга по прежней редакции; что сделать: ")
