"""Mail under interruptions and concurrent runs: every letter at most once, every letter
not known to be delivered listed; collect re-run after a kill completes without duplicates."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import mailbox
import random
import smtplib
import subprocess
import sys
import time
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from conftest import GOOD, YEAR, edit_workbook, fill_openpyxl
from kc_workbook import lock, sending
from kc_workbook.output import is_temporary
from test_mail import EMAILS, Recorder, mailing, message_with, run, smtp_server  # noqa: F401 (fixtures)

HANG = 120


class Slow(Recorder):
    """A server that takes its time over each message, so that runs overlap and kills land mid-send."""

    delay = 0.0

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.delay)
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def slow_server(smtp_server, monkeypatch):
    def start(delay):
        monkeypatch.setattr(Slow, "delay", delay)
        monkeypatch.setattr(sys.modules["test_mail"], "Recorder", Slow)
        return smtp_server()

    return start


def kc_popen(*args, cwd):
    return subprocess.Popen([sys.executable, "-m", "kc_workbook", *map(str, args)], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def kc(*args, cwd):
    return subprocess.run([sys.executable, "-m", "kc_workbook", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, timeout=HANG)


def prepared(mailing):
    program, path, templates, mail_dir = mailing
    result = run("mail", "prepare", "--year", YEAR, "--program", path, "--templates", templates, "--mail-dir", mail_dir)
    assert result.exit_code == 1, result.output  # some participants have no address
    return mail_dir


def strike_once_started(proc, sign: Path, after: float) -> None:
    """kill -9 the process ``after`` seconds once ``sign`` appears (the work has begun)."""
    deadline = time.monotonic() + 60
    while not sign.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(after)
    proc.kill()


def delivered(handler) -> Counter:
    return Counter(rcpt for rcpts, _ in handler.messages for rcpt in rcpts)


def journal(mail_dir: Path) -> dict:
    return json.loads((mail_dir / "sent.json").read_text(encoding="utf-8"))


# --- sending at most once ----------------------------------------------------------------

def test_two_concurrent_sends_deliver_each_letter_once(mailing, slow_server, tmp_path):
    mail_dir = prepared(mailing)
    handler, port = slow_server(0.3)
    runs = [kc_popen("mail", "send", "--year", YEAR, "--smtp", f"127.0.0.1:{port}", "--mail-dir", mail_dir,
                     cwd=tmp_path) for _ in range(2)]
    outcomes = [(p.wait(timeout=HANG), p.communicate()) for p in runs]
    assert delivered(handler) == Counter(EMAILS.values()), outcomes
    for code, (out, err) in outcomes:
        assert code in (0, 2) and "Traceback" not in err  # the second waited and found all sent, or refused
        if code == 2:
            assert "занята" in err


def test_a_second_send_waits_then_refuses_while_the_folder_is_busy(mailing, smtp_server, monkeypatch):
    mail_dir = prepared(mailing)
    handler, port = smtp_server()
    monkeypatch.setattr(lock, "WAIT_SECONDS", 0.3)
    with lock.folder_lock(mail_dir, "отправка писем"):
        result = run("mail", "send", "--year", YEAR, "--smtp", f"127.0.0.1:{port}", "--mail-dir", mail_dir)
    assert result.exit_code == 2 and "занята" in result.output
    assert not handler.messages


def test_send_killed_at_random_points_never_sends_twice_and_lists_the_uncertain(mailing, slow_server, tmp_path):
    mail_dir = prepared(mailing)
    handler, port = slow_server(0.15)
    rng = random.Random(14)
    send = ["mail", "send", "--year", YEAR, "--smtp", f"127.0.0.1:{port}", "--mail-dir", mail_dir]
    for trial in range(4):  # bounded trials, each killed at a different moment
        (mail_dir / "sent.json").unlink(missing_ok=True)
        handler.messages.clear()
        proc = kc_popen(*send, cwd=tmp_path)
        strike_once_started(proc, mail_dir / "sent.json", rng.uniform(0, 0.6))
        proc.communicate(timeout=HANG)
        time.sleep(0.3)  # let the server finish a message it was receiving
        again = kc(*send, cwd=tmp_path)
        assert again.returncode in (0, 1) and "Traceback" not in again.stderr, again.stderr
        counts = delivered(handler)
        assert max(counts.values()) == 1, (trial, counts)  # never twice without being asked
        entries = journal(mail_dir)
        uncertain = {code for code, e in entries.items() if e["state"] == "sending"}
        assert set(entries) == set(EMAILS)
        for code, entry in entries.items():
            if entry["state"] == "sent":
                assert counts[EMAILS[code]] == 1
            else:
                assert code in again.stdout and "неизвестно, дошло ли" in again.stdout
        assert (again.returncode == 1) == bool(uncertain)
        # the executor checked and asks for them again: now everyone has it, the uncertain at most twice
        resend = kc(*send, "--resend-uncertain", cwd=tmp_path)
        assert resend.returncode == 0, resend.stdout
        counts = delivered(handler)
        assert set(counts) == set(EMAILS.values())
        assert all(n == 1 or code in uncertain for code, n in ((c, counts[EMAILS[c]]) for c in EMAILS))
        assert all(e["state"] == "sent" for e in journal(mail_dir).values())
        assert not [p for p in mail_dir.iterdir() if is_temporary(p.name)]


class Flaky:
    """An SMTP connection that breaks while one letter is on its way."""

    def __init__(self, breaks=(), log=None):
        self.breaks, self.log = set(breaks), log if log is not None else []

    def send_message(self, msg):
        self.log.append(msg["To"])
        if msg["To"] in self.breaks:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    def quit(self):
        pass


def test_a_letter_whose_outcome_is_unknown_is_sent_again_only_when_asked(mailing, monkeypatch):
    mail_dir = prepared(mailing)
    log = []
    monkeypatch.setattr(sending, "_connect", lambda smtp: Flaky({EMAILS["EDU"]}, log))
    result = run("mail", "send", "--year", YEAR, "--smtp", "127.0.0.1:25", "--mail-dir", mail_dir)
    assert result.exit_code == 1 and "неизвестно, дошло ли: 1" in result.output and "EDU" in result.output
    assert journal(mail_dir)["EDU"]["state"] == "sending"
    monkeypatch.setattr(sending, "_connect", lambda smtp: Flaky((), log))
    for _ in range(2):
        result = run("mail", "send", "--year", YEAR, "--smtp", "127.0.0.1:25", "--mail-dir", mail_dir)
        assert result.exit_code == 1 and "--resend-uncertain" in result.output
    assert Counter(log)[EMAILS["EDU"]] == 1 and set(log) == set(EMAILS.values())
    result = run("mail", "send", "--year", YEAR, "--smtp", "127.0.0.1:25", "--mail-dir", mail_dir,
                 "--resend-uncertain")
    assert result.exit_code == 0, result.output
    assert Counter(log)[EMAILS["EDU"]] == 2 and max(Counter(log).values()) == 2
    assert journal(mail_dir)["EDU"]["state"] == "sent"


def test_a_truncated_letter_is_refused_not_sent(mailing, smtp_server):
    mail_dir = prepared(mailing)
    mvd = next(mail_dir.glob("*(MVD).eml"))
    mvd.write_bytes(mvd.read_bytes()[:4096])  # what a full disk left behind
    handler, port = smtp_server()
    result = run("mail", "send", "--year", YEAR, "--smtp", f"127.0.0.1:{port}", "--mail-dir", mail_dir)
    assert result.exit_code == 1 and mvd.name in result.output
    assert EMAILS["MVD"] not in delivered(handler) and len(handler.messages) == len(EMAILS) - 1
    assert "MVD" not in journal(mail_dir)


def test_a_letter_without_a_valid_sender_is_refused(mailing, smtp_server):
    mail_dir = prepared(mailing)
    gz = next(mail_dir.glob("*(GZ).eml"))
    gz.write_bytes(gz.read_bytes().replace(b"From: control@example.test", b"From: control"))
    handler, port = smtp_server()
    result = run("mail", "send", "--year", YEAR, "--smtp", f"127.0.0.1:{port}", "--mail-dir", mail_dir)
    assert result.exit_code == 1 and gz.name in result.output and "From" in result.output
    assert EMAILS["GZ"] not in delivered(handler)


@pytest.mark.parametrize("address", ["", "control", "a@example.test, b@example.test"])
def test_prepare_refuses_without_the_executors_address_naming_the_field(mailing, address):
    program, path, templates, mail_dir = mailing
    rows = {code: r for r, code in enumerate(program.participants, start=2)}
    edit_workbook(path, {("Участники", f"E{rows[program.executor]}"): address or None})
    result = run("mail", "prepare", "--year", YEAR, "--program", path, "--templates", templates, "--mail-dir", mail_dir)
    assert result.exit_code == 2, result.output
    assert "«Участники»" in result.output and "«E-mail»" in result.output and "исполнителя" in result.output
    assert not list(mail_dir.glob("*.eml"))


def test_prepare_lists_an_address_with_a_line_break_instead_of_crashing(mailing):
    program, path, templates, mail_dir = mailing
    rows = {code: r for r, code in enumerate(program.participants, start=2)}
    edit_workbook(path, {("Участники", f"E{rows['EDU']}"): "edu@example.test\nother@example.test"})
    result = run("mail", "prepare", "--year", YEAR, "--program", path, "--templates", templates, "--mail-dir", mail_dir)
    assert result.exit_code == 1 and "(EDU)" in result.output
    assert not list(mail_dir.glob("*(EDU).eml")) and len(list(mail_dir.glob("*.eml"))) == len(EMAILS) - 1


# --- collecting: idempotent, journal after each file ----------------------------------------

@pytest.fixture
def answers(blank_workbooks, tmp_path):
    """Letters carrying ten distinct workbooks (blank and filled), some sent twice."""
    letters = tmp_path / "letters"
    letters.mkdir()
    contents = []
    for code, values in GOOD.items():
        filled = fill_openpyxl(blank_workbooks[code], tmp_path / "f" / f"{code}.xlsx", values).read_bytes()
        contents += [filled, blank_workbooks[code].read_bytes()]
    box = mailbox.mbox(str(letters / "export.mbox"))
    for i, data in enumerate(contents):
        (letters / f"{i:02}.eml").write_bytes(message_with([(f"отчёт {i % 3}.xlsx", data)]).as_bytes())
        if i % 4 == 0:
            box.add(message_with([(f"отчёт {i % 3}.xlsx", data)]))  # the same answer again
    box.flush()
    return letters, {hashlib.sha256(c).hexdigest() for c in contents}


def test_collect_killed_at_random_points_completes_on_rerun_without_duplicates(answers, tmp_path):
    letters, digests = answers
    rng = random.Random(3)
    for trial in range(4):
        year_dir = tmp_path / f"t{trial}" / str(YEAR)
        inbox, mail_dir = year_dir / "inbox", year_dir / "mail"
        args = ["mail", "collect", letters, "--year", YEAR, "--inbox", inbox]
        proc = kc_popen(*args, cwd=tmp_path)
        strike_once_started(proc, inbox, rng.uniform(0, 0.5))
        proc.communicate(timeout=HANG)
        again = kc(*args, cwd=tmp_path)
        assert again.returncode == 0, again.stderr
        files = sorted(inbox.iterdir())
        assert not [p for p in files if is_temporary(p.name)]  # the killed run's leftovers are gone
        found = [hashlib.sha256(p.read_bytes()).hexdigest() for p in files]
        assert sorted(found) == sorted(digests), trial  # every answer once, none cut off
        received = json.loads((mail_dir / "received.json").read_text(encoding="utf-8"))  # beside the inbox
        assert {e["sha256"] for e in received.values()} == digests
        assert set(received) == {p.name for p in files}
        assert sum(1 for e in received.values() if e["participant"]) == len(digests)
        third = kc(*args, cwd=tmp_path)
        assert third.returncode == 0 and sorted(inbox.iterdir()) == files


def test_an_answer_from_a_bare_zip_carries_the_archives_own_date(blank_workbooks, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    data = fill_openpyxl(blank_workbooks["MVD"], tmp_path / "mvd.xlsx", GOOD["MVD"]).read_bytes()
    with zipfile.ZipFile(tmp_path / "ответ.zip", "w") as zf:
        zf.writestr(zipfile.ZipInfo("мвд.xlsx", date_time=(2026, 2, 1, 12, 30, 0)), data)
    (tmp_path / "книга.xlsx").write_bytes(blank_workbooks["GZ"].read_bytes())
    result = run("mail", "collect", tmp_path / "ответ.zip", tmp_path / "книга.xlsx", "--year", YEAR,
                 "--inbox", "входящие", "--mail-dir", "почта")
    assert result.exit_code == 0, result.output
    assert "дата из архива 01.02.2026 12:30" in result.output and "дата — время сбора" in result.output
    received = json.loads((tmp_path / "почта" / "received.json").read_text(encoding="utf-8"))
    mvd = next(e for e in received.values() if e["participant"] == "MVD")
    assert mvd["date_kind"] == "archive" and mvd["date"].startswith("2026-02-01T12:30:00")
    gz = next(e for e in received.values() if e["participant"] == "GZ")
    assert gz["date_kind"] == "collected" and gz["date"][:10] == dt.date.today().isoformat()


def test_prepare_killed_at_random_points_leaves_only_complete_letters(mailing, tmp_path):
    from kc_workbook.sending import check_letter

    program, path, templates, mail_dir = mailing
    rng = random.Random(5)
    for trial in range(4):
        for old in mail_dir.glob("*.eml") if mail_dir.exists() else []:
            old.unlink()
        proc = kc_popen("mail", "prepare", "--year", YEAR, "--program", path, "--templates", templates,
                        "--mail-dir", mail_dir, cwd=tmp_path)
        deadline = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline and \
                not (mail_dir.is_dir() and any(".kc-tmp." in p.name for p in mail_dir.iterdir())):
            time.sleep(0.002)
        time.sleep(rng.uniform(0, 0.05))
        proc.kill()
        proc.communicate(timeout=HANG)
        for letter in mail_dir.glob("*.eml"):  # whatever is there under a letter's name is a whole letter
            msg, why = check_letter(letter.read_bytes())
            assert msg is not None, (trial, letter.name, why)
        again = kc("mail", "prepare", "--year", YEAR, "--program", path, "--templates", templates,
                   "--mail-dir", mail_dir, cwd=tmp_path)
        assert again.returncode == 1  # some participants have no address
        assert not [p for p in mail_dir.iterdir() if is_temporary(p.name)]
        assert len(list(mail_dir.glob("*.eml"))) == len(EMAILS)


# --- the letters of the round: the same mechanism ------------------------------------------

def test_reminders_killed_at_random_points_never_go_twice(mailing, slow_server, tmp_path):
    """A reminder run killed mid-send, then re-run: nobody gets a reminder twice the same day;
    what was cut off is listed as uncertain, not sent again unasked."""
    program, path, templates, mail_dir = mailing
    mail_dir = prepared(mailing)
    handler, port = slow_server(0.15)
    assert run("mail", "send", "--year", YEAR, "--smtp", f"127.0.0.1:{port}", "--mail-dir", mail_dir).exit_code == 0
    workbooks = json.loads((mail_dir / "sent.json").read_text(encoding="utf-8"))
    remind = ["mail", "remind", "--year", YEAR, "--program", path, "--mail-dir", mail_dir, "--inbox", tmp_path / "none",
              "--smtp", f"127.0.0.1:{port}"]
    rng = random.Random(15)
    for trial in range(3):
        (mail_dir / "sent.json").write_text(json.dumps(workbooks), encoding="utf-8")
        handler.messages.clear()
        proc = kc_popen(*remind, cwd=tmp_path)
        strike_once_started(proc, mail_dir / "reminders", rng.uniform(0.2, 0.8))
        proc.communicate(timeout=HANG)
        time.sleep(0.3)
        again = kc(*remind, cwd=tmp_path)
        assert again.returncode in (0, 1) and "Traceback" not in again.stderr, again.stderr
        counts = delivered(handler)
        assert counts and max(counts.values()) == 1, (trial, counts)
        entries = {k: e for k, e in journal(mail_dir).items() if k.startswith("remind.")}
        assert {e["participant"] for e in entries.values()} == set(EMAILS)
        for entry in entries.values():
            assert entry["kind"] == "reminder"
            if entry["state"] == "sent":
                assert counts[entry["to"]] == 1
            else:
                assert "неизвестно, дошло ли" in again.stdout
        uncertain = {e["to"] for e in entries.values() if e["state"] == "sending"}
        third = kc(*remind, cwd=tmp_path)  # the same day: nothing more
        assert "Уже напоминали сегодня" in third.stdout and delivered(handler) == counts
        resend = kc(*remind, "--resend-uncertain", cwd=tmp_path)  # the executor asks for the uncertain ones
        assert resend.returncode == 0, resend.stdout
        counts = delivered(handler)
        assert set(counts) == set(EMAILS.values())
        assert all(n == 1 or address in uncertain for address, n in counts.items())
