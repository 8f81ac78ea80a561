"""Sending the workbooks out through a real SMTP server on loopback, and collecting the
answers from saved messages and archives."""

from __future__ import annotations

import email
import json
import mailbox
import re
import zipfile
from email import policy
from email.message import EmailMessage

import pytest
from click.testing import CliRunner

from conftest import GOOD, YEAR, edit_workbook, fill_openpyxl
from kc_workbook.cli import main
from kc_workbook.generate import generate
from kc_workbook.program import read_program

EMAILS = {"MVD": "mvd@example.test", "GZ": "gz@example.test", "EDU": "edu@example.test",
          "CONTROL": "control@example.test", "FIN": "fin@example.test"}


def run(*args, **kwargs):
    return CliRunner().invoke(main, [str(a) for a in args], **kwargs)


@pytest.fixture
def mailing(template_copy, tmp_path):
    """A definition with e-mails for some participants, their workbooks, prepared letters."""
    rows = {code: r for r, code in enumerate(
        [c for c in read_program(template_copy).participants], start=2)}
    edit_workbook(template_copy, {("Участники", f"E{rows[c]}"): addr for c, addr in EMAILS.items()})
    program = read_program(template_copy)
    templates = tmp_path / "templates"
    list(generate(program, YEAR, templates))
    return program, template_copy, templates, tmp_path / "mail"


def test_prepare_writes_one_message_per_addressee_and_lists_the_rest(mailing):
    program, path, templates, mail_dir = mailing
    result = run("mail", "prepare", "--year", YEAR, "--program", path, "--templates", templates, "--out", mail_dir)
    assert result.exit_code == 1  # some participants have no e-mail: listed, not skipped silently
    assert "(HEALTH)" in result.output and "(JUVENILE)" in result.output
    messages = sorted(mail_dir.glob("*.eml"))
    assert len(messages) == len(EMAILS)
    mvd = next(m for m in messages if "(MVD)" in m.name)
    raw = mvd.read_bytes()
    assert b"filename*" in raw  # RFC 2231 for the Cyrillic file name
    msg = email.message_from_bytes(raw, policy=policy.default)
    assert msg["To"] == "mvd@example.test" and msg["From"] == "control@example.test"
    assert str(YEAR) in msg["Subject"] and "МВД" in msg["Subject"]
    (att,) = list(msg.iter_attachments())
    workbook = next(templates.glob("*(MVD).xlsx"))
    assert att.get_filename() == workbook.name
    assert att.get_payload(decode=True) == workbook.read_bytes()
    assert program.name in msg.get_body().get_content()


class Recorder:
    """An aiosmtpd handler that keeps every message and refuses one address."""

    def __init__(self, refuse=()):
        self.messages = []
        self.refuse = set(refuse)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted"


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller

    servers = []

    def start(refuse=()):
        import socket

        with socket.socket() as probe:  # a free port on loopback
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        handler = Recorder(refuse)
        controller = Controller(handler, hostname="127.0.0.1", port=port)
        controller.start()
        servers.append(controller)
        return handler, port

    yield start
    for controller in servers:
        controller.stop()


def test_send_delivers_each_message_once(mailing, smtp_server):
    program, path, templates, mail_dir = mailing
    run("mail", "prepare", "--year", YEAR, "--program", path, "--templates", templates, "--out", mail_dir)
    handler, port = smtp_server()
    result = run("mail", "send", "--year", YEAR, "--smtp", f"127.0.0.1:{port}", "--mail-dir", mail_dir)
    assert result.exit_code == 0, result.output
    assert sorted(r[0] for r, _ in handler.messages) == sorted(EMAILS.values())
    rcpt, content = next((r, c) for r, c in handler.messages if r == ["gz@example.test"])
    msg = email.message_from_bytes(content, policy=policy.default)
    assert "X-Unsent" not in msg and msg["Date"]
    (att,) = list(msg.iter_attachments())
    assert att.get_payload(decode=True) == next(templates.glob("*(GZ).xlsx")).read_bytes()
    journal = json.loads((mail_dir / "sent.json").read_text(encoding="utf-8"))
    assert set(journal) == set(EMAILS) and journal["GZ"]["message_id"] == msg["Message-ID"]

    again = run("mail", "send", "--year", YEAR, "--smtp", f"127.0.0.1:{port}", "--mail-dir", mail_dir)
    assert again.exit_code == 0 and len(handler.messages) == len(EMAILS)  # nothing sent twice


def test_one_refused_address_does_not_stop_the_others(mailing, smtp_server):
    program, path, templates, mail_dir = mailing
    run("mail", "prepare", "--year", YEAR, "--program", path, "--templates", templates, "--out", mail_dir)
    handler, port = smtp_server(refuse={"edu@example.test"})
    result = run("mail", "send", "--year", YEAR, "--smtp", f"127.0.0.1:{port}", "--mail-dir", mail_dir)
    assert result.exit_code == 1 and "EDU" in result.output
    assert len(handler.messages) == len(EMAILS) - 1
    assert "EDU" not in json.loads((mail_dir / "sent.json").read_text(encoding="utf-8"))
    # once the address is fixed, a re-run sends only that one
    handler.refuse.clear()
    result = run("mail", "send", "--year", YEAR, "--smtp", f"127.0.0.1:{port}", "--mail-dir", mail_dir)
    assert result.exit_code == 0 and len(handler.messages) == len(EMAILS)


def test_password_comes_from_the_environment_never_an_argument(mailing, smtp_server, monkeypatch):
    program, path, templates, mail_dir = mailing
    run("mail", "prepare", "--year", YEAR, "--program", path, "--templates", templates, "--out", mail_dir)
    _, port = smtp_server()
    result = run("mail", "send", "--year", YEAR, "--smtp", f"127.0.0.1:{port}", "--mail-dir", mail_dir,
                 "--password", "x")
    assert result.exit_code == 2  # no such option
    monkeypatch.setenv("KC_SMTP_PASSWORD", "secret")
    result = run("mail", "send", "--year", YEAR, "--smtp", f"127.0.0.1:{port}", "--mail-dir", mail_dir,
                 "--user", "otdel")
    assert result.exit_code == 2 and "Ошибка" in result.output  # the test server offers no AUTH: a message, not a crash
    assert isinstance(result.exception, SystemExit)  # the command ended itself: no exception escaped


def test_an_unreachable_server_is_a_message(mailing):
    program, path, templates, mail_dir = mailing
    run("mail", "prepare", "--year", YEAR, "--program", path, "--templates", templates, "--out", mail_dir)
    result = run("mail", "send", "--year", YEAR, "--smtp", "127.0.0.1:1", "--mail-dir", mail_dir)
    assert result.exit_code == 2 and "127.0.0.1:1" in result.output


def message_with(attachments, sender="mvd@example.test", date="Tue, 03 Feb 2026 10:00:00 +0300"):
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"], msg["Date"] = sender, "control@example.test", "Ответ", date
    msg.set_content("Книга во вложении.")
    for name, data in attachments:
        msg.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    return msg


def test_collect_from_eml_mbox_and_zip(blank_workbooks, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    mvd = fill_openpyxl(blank_workbooks["MVD"], tmp_path / "mvd.xlsx", GOOD["MVD"]).read_bytes()
    gz = fill_openpyxl(blank_workbooks["GZ"], tmp_path / "gz.xlsx", GOOD["GZ"]).read_bytes()
    edu = fill_openpyxl(blank_workbooks["EDU"], tmp_path / "edu.xlsx", GOOD["EDU"]).read_bytes()
    letters = tmp_path / "letters"
    letters.mkdir()
    (letters / "hostile.eml").write_bytes(message_with([("../../evil.xlsx", mvd)]).as_bytes())
    (letters / "empty.eml").write_bytes(message_with([("scan.pdf", b"%PDF-1.4")]).as_bytes())
    box = mailbox.mbox(str(letters / "export.mbox"))
    box.add(message_with([("Копия отчёт (2).xlsx", gz)], sender="gz@example.test"))
    box.add(message_with([("Копия отчёт (2).xlsx", gz)], sender="gz@example.test"))  # sent twice
    box.flush()
    with zipfile.ZipFile(letters / "answers.zip", "w") as zf:
        zf.writestr("../CON.xlsx", edu)
        zf.writestr("readme.txt", "x")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "evil.xlsx").write_bytes(b"already here")

    result = run("mail", "collect", letters, "--year", YEAR, "--inbox", inbox, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in inbox.iterdir())
    # the letter sent twice is saved once: the same content is never saved again
    assert names == ["_CON.xlsx", "evil (2).xlsx", "evil.xlsx", "Копия отчёт (2).xlsx"]
    assert "уже есть в папке" in result.output
    assert (inbox / "evil.xlsx").read_bytes() == b"already here"  # never overwritten
    assert (inbox / "evil (2).xlsx").read_bytes() == mvd
    assert not (tmp_path / "evil.xlsx").exists() and not (tmp_path.parent / "evil.xlsx").exists()
    assert "в письме нет книги: empty.eml" in result.output
    assert "МО МВД России «Кирово-Чепецкий»: evil (2).xlsx" in result.output
    assert "департамент образования: _CON.xlsx" in result.output


def test_status_and_the_participants_sheet_show_sent_and_answered(mailing, smtp_server, blank_workbooks,
                                                                   tmp_path, monkeypatch):
    program, path, templates, _ = mailing
    monkeypatch.chdir(tmp_path)
    run("mail", "prepare", "--year", YEAR, "--program", path, "--templates", templates)
    handler, port = smtp_server()
    assert run("mail", "send", "--year", YEAR, "--smtp", f"127.0.0.1:{port}").exit_code == 0
    letters = tmp_path / "letters"
    letters.mkdir()
    answer = fill_openpyxl(blank_workbooks["MVD"], tmp_path / "a.xlsx", GOOD["MVD"]).read_bytes()
    (letters / "a.eml").write_bytes(message_with([("мвд.xlsx", answer)]).as_bytes())
    assert run("mail", "collect", letters, "--year", YEAR, "--inbox", f"output/{YEAR}/inbox",
               "--program", path).exit_code == 0

    result = run("status", "--year", YEAR, "--program", path)
    assert result.exit_code == 0, result.output
    mvd_line = next(line for line in result.output.splitlines() if line.startswith("МО МВД"))
    assert "03.02.2026 07:00" in mvd_line and "принят" in mvd_line  # answered (UTC), accepted
    health = next(line for line in result.output.splitlines() if line.startswith("учреждения здравоохранения"))
    assert "не представлен" in health

    result = run("consolidate", "--year", YEAR, f"output/{YEAR}/inbox", "--program", path, "--json", "c.json")
    data = json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))
    mvd = next(p for p in data["participants"] if p["code"] == "MVD")
    assert mvd["sent_at"] and mvd["answered_at"] == "2026-02-03T07:00:00"


def test_collect_names_a_broken_archive_in_russian(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    letters = tmp_path / "letters"
    letters.mkdir()
    (letters / "ответы.zip").write_bytes(b"PK\x03\x04" + b"\x00" * 40)  # cut off after its first header
    result = run("mail", "collect", letters, "--year", YEAR, "--inbox", tmp_path / "inbox")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    line = next(line for line in result.output.splitlines() if "ответы.zip" in line)
    assert "архив" in line
    # zipfile's English text («File is not a zip file») is not passed on
    assert not re.search(r"[A-Za-z]{3,}", line.replace("ответы.zip", "")), line
