"""The letters of the round after the first sending: returns with remarks and reminders.

- ``prepare_returns``: to each participant whose workbook in use has errors (with
  ``warnings``, warnings too), a letter listing every problem in Russian with a fresh
  workbook of the current template attached, pre-filled with what the participant sent,
  the problem cells highlighted and each carrying a note;
- ``prepare_reminders``: a short reminder (``templates/reminder_template.txt``) to those
  who were sent a workbook and have not answered, or were returned one and have not resent.

Both are sent by ``sending.send_letters`` into the same journal as the workbooks
(``sent.json`` of the mail folder), so every letter leaves at most once: a return's key
names the workbook returned (``return.CODE.SHA``), a reminder's key the day
(``remind.CODE.YYYY-MM-DD``), so nobody is reminded twice on the same day.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from pathlib import Path

from .generate import workbook_file_name, write_participant_workbook
from .journal import REMINDER, RETURN, SENT_JOURNAL, is_sent, read_journal
from .layout import safe_file_name
from .lock import folder_lock
from .mail import XLSX_TYPE, MailError, _fill, executor_address
from .output import clean_temporary, write_bytes_atomic
from .problems import ERROR, WARNING
from .rounds import Round, file_sha256
from .sending import valid_address
from .vocabulary import MEASURE_STATUS, REJECTED, RETURNED, SENT_OUT

RETURNS_DIR, REMINDERS_DIR = "returns", "reminders"
REMINDER_NAME = "reminder_template.txt"


@dataclass
class Letters:
    written: list[tuple[str, Path]] = field(default_factory=list)  # participant, .eml
    done_before: list[str] = field(default_factory=list)  # already returned / reminded today
    no_email: list[str] = field(default_factory=list)  # no valid address on «Участники»


def describe(problem) -> str:
    """«Лист «Данные», ячейка D7: …; что сделать: …»."""
    place = ""
    if problem.sheet:
        place = f"Лист «{problem.sheet}»" + (f", ячейка {problem.cell}" if problem.cell else "") + ": "
    elif problem.cell:
        place = f"Ячейка {problem.cell}: "
    return f"{place}{problem.message}; что сделать: {problem.hint}"


def remarks_of(submission, warnings: bool = False) -> list:
    """The problems a participant must fix in its workbook (errors; with ``warnings``, warnings too)."""
    wanted = {ERROR, WARNING} if warnings else {ERROR}
    return [p for p in submission.problems if p.severity in wanted]


def prefill(submission) -> dict:
    """What the participant sent, as ``write_participant_workbook`` takes it."""
    values, comments = {}, {}
    for code, cell in submission.cells.items():
        if cell.ok and cell.value is not None:
            values[code] = cell.value
        elif cell.raw not in (None, ""):
            values[code] = cell.raw  # as typed: the note next to it says what is wrong
        if cell.comment:
            comments[code] = cell.comment
    measures = {}
    for code, report in submission.measures.items():
        given = {k: v for k, v in report.fact.items() if v is not None}
        if report.status in MEASURE_STATUS:
            given["status"] = MEASURE_STATUS.label(report.status)
        if report.reason:
            given["reason"] = report.reason
        measures[code] = given
    justifications = {}
    for number, given in submission.justifications.items():
        text = given[0] if isinstance(given, tuple) else given
        if text:
            justifications[number] = text
    return {"values": values, "comments": comments, "measures": measures, "justifications": justifications,
            "contacts": dict(submission.contacts)}


def _letter(sender: str, to: str, subject: str, body: str, key: str, kind: str, code: str, year: int,
            sha: str | None = None, attachment: tuple[str, bytes] | None = None) -> EmailMessage:
    msg = EmailMessage(policy=policy.SMTP)
    msg["Subject"] = subject
    msg["To"] = to
    msg["From"] = sender
    msg["Message-ID"] = f"<kc-workbook.{key}@{sender.rsplit('@', 1)[1]}>"
    msg["X-Unsent"] = "1"
    msg["X-KC-Key"] = key
    msg["X-KC-Kind"] = kind
    msg["X-KC-Participant"] = code
    msg["X-KC-Year"] = str(year)
    if sha:
        msg["X-KC-Sha256"] = sha
    msg["X-KC-Attachments"] = "1" if attachment else "0"
    msg.set_content(body)
    if attachment:
        msg.add_attachment(attachment[1], maintype=XLSX_TYPE[0], subtype=XLSX_TYPE[1], filename=attachment[0])
        msg.set_boundary(f"kc-workbook-{key}")
    return msg


def _sent_keys(mail_dir: Path) -> set[str]:
    journal = read_journal(mail_dir / SENT_JOURNAL)
    return {key for key, entry in journal.items() if isinstance(entry, dict) and is_sent(entry)}


def _executor_fields(program) -> tuple[str, str]:
    executor = program.participants.get(program.executor)
    if executor is None:
        return "", ""
    return executor.name, ", ".join(x for x in (executor.contact, executor.phone, executor.email) if x)


def prepare_returns(result, mail_dir: Path, warnings: bool = False) -> Letters:
    """One letter with remarks and a pre-filled workbook per participant whose workbook in use
    must be corrected, in ``mail_dir/returns``; a workbook already returned is not returned again."""
    program, year = result.program, result.year
    sender = executor_address(program)
    executor, contact = _executor_fields(program)
    out = Path(mail_dir) / RETURNS_DIR
    letters = Letters()
    sent = _sent_keys(Path(mail_dir))
    with folder_lock(out, "подготовка или отправка писем"):
        clean_temporary(out)
        for p in result.participants:
            sub = p.submission
            if sub is None:
                continue
            remarks = remarks_of(sub, warnings)
            if not remarks:
                continue
            sha = file_sha256(sub.path) or "unknown"
            key = f"return.{p.code}.{sha[:16]}"
            if key in sent:
                letters.done_before.append(p.code)
                continue
            person = program.participants[p.code]
            if not valid_address(person.email):
                letters.no_email.append(p.code)
                continue
            name = workbook_file_name(program, p.code, year)
            notes: dict[tuple[str, str], list[str]] = {}
            for q in remarks:
                if q.sheet and q.cell:
                    notes.setdefault((q.sheet, q.cell), []).append(f"{q.message}. Что сделать: {q.hint}")
            with tempfile.TemporaryDirectory(prefix="kc-return-") as tmp:  # not in the mail folder: no leftovers
                given = prefill(sub) if p.status != REJECTED else {}
                path = write_participant_workbook(program, p.code, year, Path(tmp) / name,
                                                  remarks={k: "\n".join(v) for k, v in notes.items()}, **given)
                data = path.read_bytes()
            lines = "\n".join(f"{i}. {describe(q)}" for i, q in enumerate(remarks, 1))
            body = (f"Добрый день!\n\nВ книге «{sub.name}», присланной за {year} год по муниципальной программе "
                    f"«{program.name}», найдены замечания ({len(remarks)}):\n\n{lines}\n\n"
                    f"Во вложении — книга с присланными значениями: ячейки с замечаниями выделены, в примечании "
                    f"к каждой сказано, что не так. Исправьте их и отправьте книгу ответным письмом"
                    f"{' ' + program.deadline if program.deadline else ''}.\n\n"
                    + (f"По вопросам заполнения: {contact}.\n\n" if contact else "")
                    + f"С уважением,\n{executor}\n")
            msg = _letter(sender, person.email.strip(),
                          f"Книга за {year} год возвращена на доработку — {person.short_name}", body, key, RETURN,
                          p.code, year, sha, (name, data))
            target = out / (safe_file_name(f"{year} {person.short_name} ({p.code}) доработка {sha[:8]}") + ".eml")
            write_bytes_atomic(target, msg.as_bytes())
            letters.written.append((p.code, target))
    return letters


def default_reminder_path() -> Path:
    from .mail import default_letter_path

    return default_letter_path().with_name(REMINDER_NAME)


def needs_reminder(state: Round) -> bool:
    """Sent a workbook and not answered, or returned one and not resent."""
    return state.state in (SENT_OUT, RETURNED)


def prepare_reminders(program, year: int, rounds: dict[str, Round], mail_dir: Path, template: Path | None = None,
                      today: dt.date | None = None) -> Letters:
    """A reminder for each participant that ``needs_reminder``, in ``mail_dir/reminders``; one a day at most."""
    from .mail import load_letter

    template = template or default_reminder_path()
    subject_t, body_t = load_letter(template)
    sender = executor_address(program)
    executor, contact = _executor_fields(program)
    today = today or dt.date.today()
    out = Path(mail_dir) / REMINDERS_DIR
    letters = Letters()
    sent = _sent_keys(Path(mail_dir))
    with folder_lock(out, "подготовка или отправка писем"):
        clean_temporary(out)
        for code, state in rounds.items():
            if not needs_reminder(state):
                continue
            key = f"remind.{code}.{today.isoformat()}"
            if key in sent:
                letters.done_before.append(code)
                continue
            person = program.participants[code]
            if not valid_address(person.email):
                letters.no_email.append(code)
                continue
            fields = {
                "program": program.name, "year": year,
                "deadline": program.deadline or "в срок, указанный в книге",
                "participant": person.name, "participant_short": person.short_name,
                "executor": executor, "contact": contact,
                "sent": state.sent_at.strftime("%d.%m.%Y") if state.sent_at else "ранее",
                "returned": state.returned_at.strftime("%d.%m.%Y") if state.returned_at else "",
                "what": "исправленную книгу" if state.state == RETURNED else "заполненную книгу",
                "since": (f"книга возвращена вам на доработку {state.returned_at:%d.%m.%Y}" if state.state == RETURNED
                          and state.returned_at else f"книга направлена вам {state.sent_at:%d.%m.%Y}"
                          if state.sent_at else "книга направлена вам ранее"),
            }
            subject, body = _fill(subject_t, fields, template), _fill(body_t, fields, template)
            msg = _letter(sender, person.email.strip(), subject, body, key, REMINDER, code, year)
            target = out / (safe_file_name(f"{year} {person.short_name} ({code}) напоминание {today.isoformat()}")
                            + ".eml")
            write_bytes_atomic(target, msg.as_bytes())
            letters.written.append((code, target))
    return letters


__all__ = ["Letters", "MailError", "describe", "needs_reminder", "prefill", "prepare_reminders", "prepare_returns",
           "remarks_of"]
