"""Sending the workbooks out and collecting the answers by e-mail.

- ``prepare``: one ready-to-send .eml per participant (Outlook, Thunderbird and webmail
  open it), from a letter template the executor can edit;
- ``send``: sends the prepared messages over SMTP at most once (``sending.send_letters``:
  a lock per folder, a journal that says "sending" before and "sent" after each letter);
- ``collect``: takes workbook attachments out of saved messages (.eml, .mbox) and .zip
  archives into the inbox, never overwriting, with safe file names, never the same
  content twice, the journal written after each saved file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import mailbox
import re
import zipfile
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path

from .errors import KcWorkbookError
from .generate import workbook_file_name
from .inbox import inbox_files, not_regular
from .journal import read_journal, write_journal
from .layout import safe_file_name
from .lock import folder_lock
from .output import atomic_path, clean_temporary, write_bytes_atomic
from .sending import Sent, Smtp, send_letters, valid_address
from .preflight import LIMITS, WORKBOOK_EXTENSIONS
from .program import Program, default_program_path

LETTER_NAME = "letter_template.txt"
XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


class MailError(KcWorkbookError):
    """A mail step cannot proceed (no prepared messages, an unreadable letter template…)."""


def default_letter_path() -> Path:
    return default_program_path().with_name(LETTER_NAME)


def load_letter(path: Path | None = None) -> tuple[str, str]:
    """(subject, body) templates: the first line «Тема: …», then the body."""
    path = path or default_letter_path()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise MailError(f"не удалось прочитать шаблон письма {path}: {exc.strerror or exc}") from exc
    first, _, body = text.partition("\n")
    if not first.startswith("Тема:"):
        raise MailError(f"{path}: первая строка шаблона письма должна начинаться с «Тема:»")
    return first[len("Тема:"):].strip(), body.lstrip("\n")


def _fill(template: str, fields: dict, path: Path | None) -> str:
    try:
        return template.format(**fields)
    except (KeyError, IndexError, ValueError) as exc:
        known = ", ".join("{" + k + "}" for k in fields)
        raise MailError(f"шаблон письма {path or default_letter_path()}: неизвестное поле {exc}; можно: {known}") from exc


@dataclass
class Prepared:
    written: list[tuple[str, Path]] = field(default_factory=list)  # participant, .eml
    no_email: list[str] = field(default_factory=list)
    no_workbook: list[str] = field(default_factory=list)
    bad_email: list[str] = field(default_factory=list)  # the address on «Участники» is not one address


def executor_address(program: Program) -> str:
    """The executor's e-mail, the sender of every letter; refuses when it is missing or invalid."""
    executor = program.participants.get(program.executor)
    address = executor.email.strip() if executor and executor.email else ""
    if not valid_address(address):
        who = f"«{executor.short_name}» ({executor.code})" if executor else f"({program.executor})"
        what = "не указан" if not address else f"«{address}» — не адрес e-mail"
        raise MailError(f"адрес e-mail исполнителя {who} {what}: заполните на листе «Участники» столбец «E-mail» "
                        f"в строке исполнителя — он будет отправителем писем (From)")
    return address


def prepare(program: Program, year: int, templates: Path, out: Path, letter: Path | None = None) -> Prepared:
    subject_t, body_t = load_letter(letter)
    executor = program.participants.get(program.executor)
    sender = executor_address(program)
    result = Prepared()
    with folder_lock(out, "подготовка или отправка писем"):
        clean_temporary(out)
        for code in program.suppliers(year):
            _prepare_one(program, year, code, templates, out, subject_t, body_t, letter, executor, sender, result)
    return result


def _prepare_one(program, year, code, templates, out, subject_t, body_t, letter, executor, sender, result) -> None:
    person = program.participants[code]
    workbook = templates / workbook_file_name(program, code, year)
    if not person.email:
        result.no_email.append(code)
        return
    if not valid_address(person.email):
        result.bad_email.append(code)
        return
    if not workbook.is_file():
        result.no_workbook.append(code)
        return
    fields = {
        "program": program.name,
        "year": year,
        "deadline": program.deadline or "в срок, указанный в книге",
        "participant": person.name,
        "participant_short": person.short_name,
        "executor": executor.name if executor else "",
        "contact": ", ".join(x for x in (executor.contact, executor.phone, executor.email) if x) if executor else "",
    }
    msg = EmailMessage(policy=policy.SMTP)
    msg["Subject"] = _fill(subject_t, fields, letter)
    msg["To"] = person.email.strip()
    msg["From"] = sender
    msg["Message-ID"] = f"<kc-workbook.{year}.{code}.{program.fingerprint}@{sender.rsplit('@', 1)[1]}>"
    msg["X-Unsent"] = "1"  # Outlook opens it as a draft, ready to send
    msg["X-KC-Participant"] = code
    msg["X-KC-Year"] = str(year)
    msg["X-KC-Attachments"] = "1"
    msg.set_content(_fill(body_t, fields, letter))
    msg.add_attachment(workbook.read_bytes(), maintype=XLSX_TYPE[0], subtype=XLSX_TYPE[1], filename=workbook.name)
    msg.set_boundary(f"kc-workbook-{year}-{code}")
    path = out / (safe_file_name(f"{year} {person.short_name} ({code})") + ".eml")
    write_bytes_atomic(path, msg.as_bytes())
    result.written.append((code, path))


# --- sending ---------------------------------------------------------------------------

def send(mail_dir: Path, host: str, port: int, user: str | None = None, password: str | None = None,
         security: str = "none", now=None, timeout: float = 30, resend_uncertain: bool = False) -> Sent:
    """Send every prepared message in ``mail_dir`` at most once (see ``sending``)."""
    return send_letters(mail_dir, Smtp(host, port, user, password, security, timeout),
                        resend_uncertain=resend_uncertain, now=now)


# --- collecting ------------------------------------------------------------------------

@dataclass
class Attachment:
    name: str
    data: bytes
    sender: str = ""
    date: dt.datetime | None = None
    source: str = ""
    date_kind: str = "message"  # "message": the letter's Date; "archive": the newest date inside a bare .zip;
    # "collected": the time of collection (a bare workbook, or an archive without dates)
    message_id: str = ""  # the letter's Message-ID, for a letter read from a mailbox (``imap``)


@dataclass
class Collected:
    saved: list[tuple[Attachment, Path]] = field(default_factory=list)
    participants: dict[Path, str | None] = field(default_factory=dict)  # saved file → participant, when identified
    duplicates: list[tuple[Attachment, str]] = field(default_factory=list)  # same content already in the inbox as …
    without_workbook: list[str] = field(default_factory=list)  # messages with no workbook attached
    skipped: list[tuple[str, str]] = field(default_factory=list)  # what, why


def collect(sources: list[Path], inbox: Path, journal_path: Path | None = None, identify=None, now=None,
            messages=()) -> Collected:
    """Save the workbooks found in ``sources`` into ``inbox``. A content already in the inbox
    (or recorded in the journal) is not saved again; each file is written atomically and the
    journal (``journal_path``) is written after each saved file, so that a re-run after an
    interruption completes the job without duplicates. ``identify(path)`` → participant code.
    ``messages``: (Message-ID, where, raw bytes) of letters read from a mailbox; each one's
    Message-ID is recorded in the journal once its workbooks are saved (``taken_messages``)."""
    result = Collected()
    collected_at = (now or (lambda: dt.datetime.now().astimezone()))()
    found: list[Attachment] = []
    taken: dict[str, str] = {}
    for message_id, where, data in messages:
        try:
            parsed = BytesParser(policy=policy.default).parsebytes(data)
            atts = _from_message(parsed, where, result)
        except Exception as exc:  # one unreadable letter must not stop the others
            result.skipped.append((where, f"не удалось прочитать: {exc}"))
            continue
        for att in atts:
            att.message_id = message_id
        found.extend(atts)
        taken[message_id] = where
    for source in sources:
        for path in sorted(source.rglob("*")) if source.is_dir() else [source]:
            if path.is_dir():
                continue
            odd = not_regular(path)
            if odd is not None:
                result.skipped.append((path.name, odd[1]))
                continue
            try:
                found.extend(_attachments_of(path, result, collected_at))
            except Exception as exc:  # one unreadable letter or archive must not stop the others
                result.skipped.append((path.name, f"не удалось прочитать: {exc}"))
    lock_dir = journal_path.parent if journal_path is not None else inbox
    with folder_lock(lock_dir, "сбор ответов"):
        inbox.mkdir(parents=True, exist_ok=True)
        clean_temporary(inbox)
        journal = read_journal(journal_path) if journal_path is not None else {}
        known = _known_contents(inbox)
        for att in found:
            digest = hashlib.sha256(att.data).hexdigest()
            if digest in known:
                result.duplicates.append((att, known[digest]))
                if journal_path is not None and known[digest] not in journal:  # saved by an interrupted run
                    journal[known[digest]] = _received_entry(att, identify(inbox / known[digest]) if identify else None,
                                                             digest)
                    write_journal(journal_path, journal)
                continue
            target = _free_name(inbox, safe_attachment_name(att.name))
            with atomic_path(target) as tmp:
                tmp.write_bytes(att.data)
            known[digest] = target.name
            participant = identify(target) if identify else None
            result.saved.append((att, target))
            result.participants[target] = participant
            if journal_path is not None:
                journal[target.name] = _received_entry(att, participant, digest)
                write_journal(journal_path, journal)
        if journal_path is not None and taken:  # every letter read, with or without a workbook: never again
            for message_id, where in taken.items():
                journal.setdefault(f"message:{message_id}", {"message_id": message_id, "source": where,
                                                             "collected_at": collected_at.isoformat(timespec="seconds")})
            write_journal(journal_path, journal)
    return result


def taken_messages(journal_path: Path) -> set[str]:
    """The Message-IDs of the letters already taken from a mailbox."""
    return {str(e["message_id"]) for e in read_journal(journal_path).values()
            if isinstance(e, dict) and e.get("message_id")}


def _known_contents(inbox: Path) -> dict[str, str]:
    """content hash → file name (relative to the inbox), for every regular file in the inbox."""
    known = {}
    for path in inbox_files(inbox):
        if not_regular(path) is not None:
            continue
        try:
            with open(path, "rb") as fh:
                digest = hashlib.file_digest(fh, "sha256").hexdigest()
        except OSError:
            continue
        known[digest] = path.relative_to(inbox).as_posix()
    return known


def _received_entry(att: Attachment, participant: str | None, digest: str) -> dict:
    return {
        "participant": participant,
        "from": att.sender,
        "date": att.date.isoformat(timespec="seconds") if att.date else None,
        "date_kind": att.date_kind,
        "source": att.source,
        "sha256": digest,
        **({"message_id": att.message_id} if att.message_id else {}),
    }


def _attachments_of(path: Path, result: Collected, collected_at: dt.datetime) -> list[Attachment]:
    suffix = path.suffix.lower()
    if suffix == ".eml":
        msg = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        return _from_message(msg, path.name, result)
    if suffix in (".mbox", ".mbx") or _looks_like_mbox(path):
        found = []
        for i, msg in enumerate(mailbox.mbox(str(path), factory=None, create=False)):
            parsed = BytesParser(policy=policy.default).parsebytes(msg.as_bytes())
            found.extend(_from_message(parsed, f"{path.name}, письмо {i + 1}", result))
        return found
    if suffix == ".zip":
        found = _from_zip(path.read_bytes(), path.name, "", None, result)
        stamps = [a.date for a in found if a.date is not None]
        for att in found:  # a bare archive has no letter: its own date, failing that the time of collection
            att.date, att.date_kind = (max(stamps), "archive") if stamps else (collected_at, "collected")
        return found
    if suffix in WORKBOOK_EXTENSIONS:
        return [Attachment(path.name, path.read_bytes(), source=path.name, date=collected_at, date_kind="collected")]
    result.skipped.append((path.name, "не письмо, не архив и не книга"))
    return []


def _looks_like_mbox(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(5) == b"From "


def _from_message(msg, where: str, result: Collected) -> list[Attachment]:
    sender = ", ".join(addr for _, addr in getaddresses(msg.get_all("From", [])))
    try:
        date = parsedate_to_datetime(msg["Date"]) if msg["Date"] else None
    except (TypeError, ValueError):
        date = None
    found = []
    for part in msg.iter_attachments():
        name = part.get_filename() or ""
        try:
            data = part.get_payload(decode=True) or b""
        except Exception:  # a broken part must not hide the others
            result.skipped.append((f"{where}: {name}", "вложение повреждено"))
            continue
        lower = name.lower()
        if lower.endswith(".zip"):
            found.extend(_from_zip(data, f"{where}: {name}", sender, date, result))
        elif Path(lower).suffix in WORKBOOK_EXTENSIONS:
            found.append(Attachment(name, data, sender, date, where))
    if not found:
        result.without_workbook.append(where)
    return found


def _from_zip(data: bytes, where: str, sender: str, date, result: Collected) -> list[Attachment]:
    import io

    found = []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            if len(infos) > LIMITS.members:
                result.skipped.append((where, f"в архиве {len(infos)} файлов — похоже на zip-бомбу"))
                return []
            for info in infos:
                name = info.filename
                if info.is_dir() or Path(name.lower()).suffix not in WORKBOOK_EXTENSIONS:
                    continue
                if info.file_size > LIMITS.file_bytes:
                    result.skipped.append((f"{where}: {name}", "файл в архиве слишком велик"))
                    continue
                with zf.open(info) as fh:
                    content = fh.read(LIMITS.file_bytes + 1)
                if len(content) > LIMITS.file_bytes:
                    result.skipped.append((f"{where}: {name}", "файл в архиве слишком велик"))
                    continue
                att = Attachment(name, content, sender, date, where)
                if date is None:  # a bare archive: remember the member's own date (local time)
                    try:
                        att.date, att.date_kind = dt.datetime(*info.date_time).astimezone(), "archive"
                    except (ValueError, OverflowError):
                        att.date = None
                found.append(att)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError):
        # zipfile's own text is English: the person reads what to do instead
        result.skipped.append((where, "архив повреждён, обрезан или защищён паролем: попросите прислать его заново"))
    return found


_TRAVERSAL = re.compile(r"^.*[\\/]")


def safe_attachment_name(name: str) -> str:
    """Only the last path component, without characters or names Windows refuses."""
    base = _TRAVERSAL.sub("", name.replace("\x00", "")).strip()
    suffix = Path(base).suffix.lower()
    stem = safe_file_name(base[: -len(suffix)] if suffix else base, limit=100).lstrip(".")
    if suffix not in WORKBOOK_EXTENSIONS:
        suffix = ".xlsx"
    return (stem or "вложение") + suffix


def _free_name(folder: Path, name: str) -> Path:
    target = folder / name
    stem, suffix = Path(name).stem, Path(name).suffix
    n = 2
    while target.exists():
        target = folder / f"{stem} ({n}){suffix}"
        n += 1
    return target


def record_received(journal_path: Path, saved: list[tuple[Attachment, Path, str | None]]) -> None:
    """Add what was collected (file, participant, sender, date) to the year's journal."""
    journal = read_journal(journal_path)
    for att, path, participant in saved:
        journal[path.name] = _received_entry(att, participant, hashlib.sha256(att.data).hexdigest())
    write_journal(journal_path, journal)
