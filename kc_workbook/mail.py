"""Sending the workbooks out and collecting the answers by e-mail.

- ``prepare``: one ready-to-send .eml per participant (Outlook, Thunderbird and webmail
  open it), from a letter template the executor can edit;
- ``send``: sends the prepared messages over SMTP; a journal per year records what was
  sent, when and with which Message-ID, so a re-run never sends twice;
- ``collect``: takes workbook attachments out of saved messages (.eml, .mbox) and .zip
  archives into the inbox, never overwriting, with safe file names.
"""

from __future__ import annotations

import datetime as dt
import json
import mailbox
import re
import zipfile
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import format_datetime, getaddresses, parsedate_to_datetime
from pathlib import Path

from .errors import KcWorkbookError
from .generate import workbook_file_name
from .journal import SENT_JOURNAL
from .layout import safe_file_name
from .output import write_text_atomic
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


def prepare(program: Program, year: int, templates: Path, out: Path, letter: Path | None = None) -> Prepared:
    subject_t, body_t = load_letter(letter)
    executor = program.participants.get(program.executor)
    result = Prepared()
    for code in program.suppliers(year):
        person = program.participants[code]
        workbook = templates / workbook_file_name(program, code, year)
        if not person.email:
            result.no_email.append(code)
            continue
        if not workbook.is_file():
            result.no_workbook.append(code)
            continue
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
        msg["To"] = person.email
        if executor and executor.email:
            msg["From"] = executor.email
        msg["Message-ID"] = f"<kc-workbook.{year}.{code}.{program.fingerprint}@{_domain(executor)}>"
        msg["X-Unsent"] = "1"  # Outlook opens it as a draft, ready to send
        msg["X-KC-Participant"] = code
        msg["X-KC-Year"] = str(year)
        msg.set_content(_fill(body_t, fields, letter))
        msg.add_attachment(workbook.read_bytes(), maintype=XLSX_TYPE[0], subtype=XLSX_TYPE[1], filename=workbook.name)
        msg.set_boundary(f"kc-workbook-{year}-{code}")
        path = out / (safe_file_name(f"{year} {person.short_name} ({code})") + ".eml")
        out.mkdir(parents=True, exist_ok=True)
        path.write_bytes(msg.as_bytes())
        result.written.append((code, path))
    return result


def _domain(executor) -> str:
    if executor and "@" in executor.email:
        return executor.email.rsplit("@", 1)[1]
    return "kc-workbook.invalid"


# --- sending ---------------------------------------------------------------------------

def read_journal(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise MailError(f"журнал {path} повреждён: {exc}") from exc


@dataclass
class Sent:
    sent: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # sent before
    failed: list[tuple[str, str]] = field(default_factory=list)  # participant, why


def send(mail_dir: Path, host: str, port: int, user: str | None = None, password: str | None = None,
         security: str = "none", now=None, timeout: float = 30) -> Sent:
    """Send every prepared message in ``mail_dir`` that the journal does not list as sent."""
    import smtplib

    messages = sorted(mail_dir.glob("*.eml"))
    if not messages:
        raise MailError(f"в папке {mail_dir} нет подготовленных писем: сначала выполните «kc-workbook mail prepare»")
    journal_path = mail_dir / SENT_JOURNAL
    journal = read_journal(journal_path)
    result = Sent()
    try:
        smtp_class = smtplib.SMTP_SSL if security == "ssl" else smtplib.SMTP
        server = smtp_class(host, port, timeout=timeout)
        if security == "starttls":
            server.starttls()
        if user:
            server.login(user, password or "")
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(f"не удалось подключиться к почтовому серверу {host}:{port}: {exc}") from exc
    try:
        for path in messages:
            msg = BytesParser(policy=policy.SMTP).parsebytes(path.read_bytes())
            code = msg.get("X-KC-Participant", path.stem)
            if code in journal:
                result.skipped.append(code)
                continue
            del msg["X-Unsent"]
            msg["Date"] = format_datetime((now or dt.datetime.now)().astimezone())
            try:
                server.send_message(msg)
            except (OSError, smtplib.SMTPException) as exc:
                result.failed.append((code, str(exc)))
                continue
            journal[code] = {"sent_at": (now or dt.datetime.now)().isoformat(timespec="seconds"),
                             "message_id": msg["Message-ID"], "to": msg["To"], "file": path.name}
            write_text_atomic(journal_path, json.dumps(journal, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
            result.sent.append(code)
    finally:
        try:
            server.quit()
        except (OSError, smtplib.SMTPException):
            pass
    return result


# --- collecting ------------------------------------------------------------------------

@dataclass
class Attachment:
    name: str
    data: bytes
    sender: str = ""
    date: dt.datetime | None = None
    source: str = ""


@dataclass
class Collected:
    saved: list[tuple[Attachment, Path]] = field(default_factory=list)
    without_workbook: list[str] = field(default_factory=list)  # messages with no workbook attached
    skipped: list[tuple[str, str]] = field(default_factory=list)  # what, why


def collect(sources: list[Path], inbox: Path) -> Collected:
    result = Collected()
    found: list[Attachment] = []
    for source in sources:
        for path in sorted(source.rglob("*")) if source.is_dir() else [source]:
            if path.is_file():
                try:
                    found.extend(_attachments_of(path, result))
                except Exception as exc:  # one unreadable letter or archive must not stop the others
                    result.skipped.append((path.name, f"не удалось прочитать: {exc}"))
    inbox.mkdir(parents=True, exist_ok=True)
    for att in found:
        target = _free_name(inbox, safe_attachment_name(att.name))
        target.write_bytes(att.data)
        result.saved.append((att, target))
    return result


def _attachments_of(path: Path, result: Collected) -> list[Attachment]:
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
        return _from_zip(path.read_bytes(), path.name, "", None, result)
    if suffix in WORKBOOK_EXTENSIONS:
        return [Attachment(path.name, path.read_bytes(), source=path.name)]
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
                found.append(Attachment(name, content, sender, date, where))
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
        result.skipped.append((where, f"архив повреждён или защищён паролем: {exc}"))
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
    """Append what was collected (file, participant, sender, date) to the year's journal."""
    journal = read_journal(journal_path)
    for att, path, participant in saved:
        journal[path.name] = {
            "participant": participant,
            "from": att.sender,
            "date": att.date.isoformat(timespec="seconds") if att.date else None,
            "source": att.source,
        }
    write_text_atomic(journal_path, json.dumps(journal, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
