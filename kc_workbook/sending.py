"""Sending prepared letters at most once — the one mechanism every mail command uses.

``send_letters`` sends the .eml files of a folder over SMTP:

- one run at a time per folder (``lock.folder_lock``): a second run waits, then refuses;
- before a letter is handed to the server, its journal entry says "sending" (written
  atomically); after the server accepted it, "sent". A run interrupted in between leaves
  "sending": the outcome is unknown, the letter is listed as «неизвестно, дошло ли» and is
  sent again only when asked (``resend_uncertain``), never automatically;
- a letter file that is not a complete, parseable message (with its attachments, and
  with a valid sender and recipient) is refused, not sent.

A letter is identified in the journal by its ``X-KC-Key`` header, failing that by
``X-KC-Participant`` (the workbook letters of ``mail prepare``), failing that by its file
name. ``X-KC-Attachments: N`` states how many attachments it must carry.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser
from email.utils import format_datetime, getaddresses
from pathlib import Path

from .errors import KcWorkbookError
from .journal import SENDING, SENT, SENT_JOURNAL, is_sent, read_journal, write_journal
from .lock import folder_lock
from .output import clean_temporary


class SendError(KcWorkbookError):
    """Sending cannot proceed (no letters, the server cannot be reached…)."""


@dataclass
class Smtp:
    host: str
    port: int
    user: str | None = None
    password: str | None = None
    security: str = "none"  # "none" | "starttls" | "ssl"
    timeout: float = 30


@dataclass
class Sent:
    sent: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # sent before
    failed: list[tuple[str, str]] = field(default_factory=list)  # key, why (not delivered)
    uncertain: list[tuple[str, str, str]] = field(default_factory=list)  # key, file, since when
    invalid: list[tuple[str, str]] = field(default_factory=list)  # file, why (refused, not sent)

    @property
    def complete(self) -> bool:
        return not (self.failed or self.uncertain or self.invalid)


_ADDRESS = re.compile(r"^[^@\s,;<>\"()\[\]\\]+@[^@\s,;<>\"()\[\]\\]+\.[^@\s,;<>\"()\[\]\\.]+$")


def valid_address(value: str | None) -> bool:
    """One plausible address (Cyrillic domains allowed), no line breaks, no second address."""
    if not value or "\n" in value or "\r" in value:
        return False
    found = getaddresses([value])
    return len(found) == 1 and bool(_ADDRESS.match(found[0][1]))


def letter_key(msg, path: Path) -> str:
    return str(msg.get("X-KC-Key") or msg.get("X-KC-Participant") or path.stem)


def check_letter(data: bytes):
    """(message, None) for a complete letter, else (None, Russian reason)."""
    try:
        msg = BytesParser(policy=policy.SMTP).parsebytes(data)
        parts = list(msg.walk())
    except Exception as exc:  # the parser of a broken file may fail in many ways
        return None, f"файл письма не разбирается: {exc}"
    if any(part.defects for part in parts):
        return None, "файл письма повреждён или обрезан (например, диск был переполнен при подготовке)"
    if not valid_address(str(msg.get("From") or "")):
        return None, "в письме нет действительного адреса отправителя (From)"
    if not valid_address(str(msg.get("To") or "")):
        return None, "в письме нет действительного адреса получателя (To)"
    attachments = list(msg.iter_attachments()) if msg.is_multipart() else []
    expected = msg.get("X-KC-Attachments")
    if expected is not None and str(expected).strip().isdigit() and len(attachments) != int(str(expected)):
        return None, f"в письме {len(attachments)} вложений вместо {expected}"
    for part in attachments:
        name = part.get_filename() or "вложение"
        try:
            payload = part.get_payload(decode=True) or b""
        except Exception:
            return None, f"вложение «{name}» повреждено"
        if not payload:
            return None, f"вложение «{name}» пустое"
        if name.lower().endswith((".xlsx", ".xlsm", ".zip")):
            try:
                with zipfile.ZipFile(io.BytesIO(payload)) as zf:
                    bad = zf.testzip()
            except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError):
                bad = name
            if bad is not None:
                return None, f"вложение «{name}» повреждено или обрезано"
    return msg, None


def _connect(smtp: Smtp):
    import smtplib

    try:
        smtp_class = smtplib.SMTP_SSL if smtp.security == "ssl" else smtplib.SMTP
        server = smtp_class(smtp.host, smtp.port, timeout=smtp.timeout)
        if smtp.security == "starttls":
            server.starttls()
        if smtp.user:
            server.login(smtp.user, smtp.password or "")
    except (OSError, smtplib.SMTPException) as exc:
        raise SendError(f"не удалось подключиться к почтовому серверу {smtp.host}:{smtp.port}: {exc}") from exc
    return server


def send_letters(folder: Path, smtp: Smtp, letters: list[Path] | None = None, journal_name: str = SENT_JOURNAL,
                 resend_uncertain: bool = False, now=None, connect=None) -> Sent:
    """Send ``letters`` (default: every .eml in ``folder``) that the journal in ``folder`` does
    not list as sent or as being sent; see the module's description."""
    import smtplib

    now = now or (lambda: dt.datetime.now().astimezone())
    folder = Path(folder)
    result = Sent()
    with folder_lock(folder, "отправка писем"):
        clean_temporary(folder)
        paths = sorted(folder.glob("*.eml")) if letters is None else list(letters)
        if not paths:
            raise SendError(f"в папке {folder} нет подготовленных писем: сначала выполните «kc-workbook mail prepare»")
        journal_path = folder / journal_name
        journal = read_journal(journal_path)
        pending = []
        for path in paths:
            try:
                data = path.read_bytes()
            except OSError as exc:
                result.invalid.append((path.name, f"файл письма не читается: {exc.strerror or exc}"))
                continue
            msg, why = check_letter(data)
            if msg is None:
                result.invalid.append((path.name, why))
                continue
            key = letter_key(msg, path)
            entry = journal.get(key)
            if isinstance(entry, dict) and is_sent(entry):
                result.skipped.append(key)
            elif isinstance(entry, dict) and entry.get("state") == SENDING and not resend_uncertain:
                result.uncertain.append((key, entry.get("file") or path.name, entry.get("sending_at") or ""))
            else:
                pending.append((key, path, msg))
        seen = {key for key, _, _ in pending} | set(result.skipped) | {key for key, _, _ in result.uncertain}
        result.uncertain.extend((key, entry.get("file") or "", entry.get("sending_at") or "")
                                for key, entry in sorted(journal.items())
                                if key not in seen and isinstance(entry, dict) and entry.get("state") == SENDING)
        if not pending:
            return result
        server = (connect or _connect)(smtp)
        try:
            for i, (key, path, msg) in enumerate(pending):
                del msg["X-Unsent"]
                del msg["Date"]
                msg["Date"] = format_datetime(now())
                before = journal.get(key)
                journal[key] = {"state": SENDING, "sending_at": now().isoformat(timespec="seconds"),
                                "message_id": msg["Message-ID"], "to": msg["To"], "file": path.name,
                                **_story(msg)}
                write_journal(journal_path, journal)  # fails → nothing was handed to the server
                try:
                    server.send_message(msg)
                except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError,
                        smtplib.SMTPNotSupportedError) as exc:
                    _restore(journal, key, before)
                    write_journal(journal_path, journal)
                    result.failed.append((key, str(exc)))
                    continue
                except (OSError, smtplib.SMTPException) as exc:
                    # the connection broke while the letter was on its way: it may or may not have arrived
                    result.uncertain.append((key, path.name, journal[key]["sending_at"]))
                    result.failed.extend((k, f"не отправлено: соединение с сервером прервано ({exc})")
                                         for k, _, _ in pending[i + 1:])
                    break
                journal[key] = dict(journal[key], state=SENT, sent_at=now().isoformat(timespec="seconds"))
                try:
                    write_journal(journal_path, journal)
                except KcWorkbookError as exc:
                    raise SendError(f"письмо {path.name} отправлено, но журнал {journal_path} не записан ({exc}); "
                                    f"при следующем запуске оно будет показано как «неизвестно, дошло ли»") from exc
                result.sent.append(key)
        finally:
            try:
                server.quit()
            except (OSError, smtplib.SMTPException):
                pass
    return result


def _story(msg) -> dict:
    """What a letter says about itself for the journal: its kind, participant and the workbook it concerns."""
    story = {}
    for header, field_name in (("X-KC-Kind", "kind"), ("X-KC-Participant", "participant"), ("X-KC-Sha256", "sha256")):
        if msg.get(header):
            story[field_name] = str(msg[header]).strip()
    return story


def _restore(journal: dict, key: str, before) -> None:
    if before is None:
        journal.pop(key, None)
    else:
        journal[key] = before
