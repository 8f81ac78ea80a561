"""Collecting the answers straight from a mailbox: a real IMAP server (Dovecot) on 127.0.0.1
with TLS, and the whole round — send, answer with errors, return, answer corrected,
accepted — read from it, with ``status`` after every step."""

from __future__ import annotations

import json

import pytest

from conftest import GOOD, YEAR, fill_openpyxl
from imap_server import PASSWORD, USER, start_dovecot, stop
from test_mail import message_with, run, mailing, smtp_server  # noqa: F401  (fixtures)
from test_mail_round import ERRORS, answer, letters_to, round_started, state_of  # noqa: F401


@pytest.fixture(scope="module")
def dovecot():
    box = start_dovecot()
    yield box
    stop(box)


@pytest.fixture
def mailbox(dovecot, monkeypatch):
    """The server with an empty INBOX, trusted by the client, the password in the environment."""
    conn = dovecot.client()
    try:
        conn.select("INBOX")
        conn.store("1:*", "+FLAGS.SILENT", "(\\Deleted)") if int(conn.select("INBOX")[1][0]) else None
        conn.expunge()
    finally:
        conn.logout()
    monkeypatch.setenv("SSL_CERT_FILE", str(dovecot.cert))
    monkeypatch.setenv("KC_IMAP_PASSWORD", PASSWORD)
    return dovecot


def collect_imap(box, program_path, *more, port=None):
    return run("mail", "collect", "--imap", f"127.0.0.1:{port or box.imaps_port}", "--user", USER,
               "--year", YEAR, "--inbox", f"output/{YEAR}/inbox", "--program", program_path, *more)


def test_collect_takes_each_letter_once_and_never_changes_the_mailbox(mailbox, blank_workbooks, tmp_path,
                                                                      template_copy):
    filled = fill_openpyxl(blank_workbooks["MVD"], tmp_path / "a.xlsx", GOOD["MVD"]).read_bytes()
    with_id = message_with([("мвд.xlsx", filled)])
    with_id["Message-ID"] = "<answer.1@mvd.example.test>"
    mailbox.deliver(with_id.as_bytes())
    mailbox.deliver(message_with([], sender="gz@example.test").as_bytes())  # no Message-ID: known by folder and UID
    result = collect_imap(mailbox, template_copy)
    assert result.exit_code == 0, result.output
    assert "Новых писем в папке «INBOX»: 2" in result.output and "Сохранено книг: 1" in result.output
    assert len(list((tmp_path / "output" / str(YEAR) / "inbox").iterdir())) == 1
    journal = json.loads((tmp_path / "output" / str(YEAR) / "mail" / "received.json").read_text(encoding="utf-8"))
    assert sum(1 for e in journal.values() if e.get("message_id")) == 3  # the workbook's entry and both letters
    assert any(e.get("message_id") == "<answer.1@mvd.example.test>" and e.get("participant") == "MVD"
               for e in journal.values())
    assert mailbox.count() == 2 and not any(b"\\Seen" in f for f in mailbox.flags())  # nothing deleted, unread

    again = collect_imap(mailbox, template_copy)
    assert again.exit_code == 0 and "Новых писем в папке «INBOX»: 0" in again.output

    # a new letter only is read; marked as read when asked, still not deleted
    mailbox.deliver(message_with([("мвд2.xlsx", filled)], date="Wed, 04 Feb 2026 10:00:00 +0300").as_bytes())
    third = collect_imap(mailbox, template_copy, "--mark-read")
    assert third.exit_code == 0 and "Новых писем в папке «INBOX»: 1" in third.output
    assert "уже есть в папке" in third.output  # the same workbook: not saved twice
    flags = mailbox.flags()
    assert len(flags) == 3 and [b"\\Seen" in f for f in flags] == [False, False, True]


def test_starttls_and_another_folder(mailbox, blank_workbooks, tmp_path, template_copy):
    filled = fill_openpyxl(blank_workbooks["GZ"], tmp_path / "a.xlsx", GOOD["GZ"]).read_bytes()
    mailbox.deliver(message_with([("гз.xlsx", filled)], sender="gz@example.test").as_bytes(), folder="Ответы")
    result = collect_imap(mailbox, template_copy, "--starttls", "--folder", "Ответы", port=mailbox.imap_port)
    assert result.exit_code == 0, result.output
    assert "Сохранено книг: 1" in result.output and "гз.xlsx" in result.output


def test_a_wrong_password_an_untrusted_certificate_and_a_missing_folder_are_messages(mailbox, template_copy,
                                                                                     monkeypatch):
    for wrong in ("wrong", "не тот"):  # a Cyrillic password goes as UTF-8 (SASL PLAIN)
        monkeypatch.setenv("KC_IMAP_PASSWORD", wrong)
        result = collect_imap(mailbox, template_copy)
        assert result.exit_code == 2 and "пароль" in result.output, result.output
    monkeypatch.setenv("KC_IMAP_PASSWORD", PASSWORD)
    result = collect_imap(mailbox, template_copy, "--folder", "Нет такой")
    assert result.exit_code == 2 and "Нет такой" in result.output
    monkeypatch.delenv("SSL_CERT_FILE")
    result = collect_imap(mailbox, template_copy)
    assert result.exit_code == 2 and "сертификат" in result.output


def test_the_password_is_never_an_argument(mailbox, template_copy, monkeypatch):
    result = collect_imap(mailbox, template_copy, "--password", PASSWORD)
    assert result.exit_code == 2 and "--password" in result.output
    monkeypatch.delenv("KC_IMAP_PASSWORD")
    result = run("mail", "collect", "--imap", f"127.0.0.1:{mailbox.imaps_port}", "--user", USER, "--year", YEAR,
                 "--inbox", "inbox", "--program", template_copy, input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output  # asked for, not shown


def test_the_full_round_from_the_mailbox(mailbox, round_started, tmp_path):
    program, path, handler, port = round_started
    (first,) = letters_to(handler, "mvd@example.test")
    workbook = next(first.iter_attachments()).get_payload(decode=True)
    letters = answer(tmp_path, workbook, {**GOOD["MVD"], **ERRORS}, "first", "Tue, 03 Feb 2026 10:00:00 +0300")
    mailbox.deliver((letters / "a.eml").read_bytes())
    assert collect_imap(mailbox, path).exit_code == 0
    assert "получено" in state_of(path, "МО МВД") and "есть ошибки" in state_of(path, "МО МВД")

    assert run("mail", "return", "--year", YEAR, "--program", path, "--smtp", f"127.0.0.1:{port}").exit_code == 0
    assert "на доработке" in state_of(path, "МО МВД")
    (back,) = [m for m in letters_to(handler, "mvd@example.test") if m["X-KC-Kind"] == "return"]
    returned = next(back.iter_attachments()).get_payload(decode=True)

    corrected = answer(tmp_path, returned, {"CRIMES_TOTAL": 1234}, "second", "Thu, 05 Feb 2026 10:00:00 +0300")
    mailbox.deliver((corrected / "a.eml").read_bytes())
    result = collect_imap(mailbox, path)
    assert result.exit_code == 0 and "Новых писем в папке «INBOX»: 1" in result.output
    assert "принято" in state_of(path, "МО МВД")
