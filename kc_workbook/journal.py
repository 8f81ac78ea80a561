"""The year's mail journals: what ``mail send`` sent and what ``mail collect`` received.

Kept apart from ``mail`` so that consolidation can read them without importing the
e-mail machinery. Journals are JSON objects, replaced atomically on every change.

The sent journal: key → {"state": "sending" | "sent", "message_id", "to", "file",
"sending_at", "sent_at", "kind", "participant", "sha256"}. An entry without "state" (older
journals) was sent. The key of a workbook letter (``mail prepare``) is the participant's
code; a return with remarks (``mail return``, kind "return") is ``return.CODE.SHA`` with the
sha256 of the workbook returned; a reminder (kind "reminder") is ``remind.CODE.DATE``.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from .errors import KcWorkbookError

SENT_JOURNAL = "sent.json"
RECEIVED_JOURNAL = "received.json"
SENDING, SENT = "sending", "sent"


class JournalError(KcWorkbookError):
    """A journal exists but cannot be read."""


def default_mail_dir(year: int, inbox: Path | None = None) -> Path:
    """The one default of every mail command: ``ГОД/mail`` beside an inbox ``…/ГОД/inbox``,
    otherwise ``output/ГОД/mail`` in the current folder."""
    if inbox is not None:
        inbox = Path(inbox)
        if inbox.name and inbox.parent.name == str(year):
            return inbox.parent / "mail"
    return Path("output") / str(year) / "mail"


def read_journal(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise JournalError(f"журнал {path} повреждён или недоступен: {exc}") from exc
    if not isinstance(data, dict):
        raise JournalError(f"журнал {path} повреждён: ожидался объект JSON")
    return data


def write_journal(path: Path, journal: dict) -> None:
    from .output import write_text_atomic

    write_text_atomic(path, json.dumps(journal, ensure_ascii=False, indent=2, sort_keys=True) + "\n")


def is_sent(entry: dict) -> bool:
    return entry.get("state", SENT) == SENT


WORKBOOK, RETURN, REMINDER = "workbook", "return", "reminder"  # kinds of letters in the sent journal


class MailRecord(tuple):
    """(sent at, last answer at) of a participant, and the whole story: ``answers``
    [(date, sha256, file)], ``returns`` [(sent at, sha256 of the workbook returned)],
    ``reminders`` [sent at], each oldest first. A tuple, so that ``sent, answered = record``."""

    def __new__(cls, sent_at=None, answered_at=None, answers=(), returns=(), reminders=()):
        record = super().__new__(cls, (sent_at, answered_at))
        record.answers, record.returns, record.reminders = tuple(answers), tuple(returns), tuple(reminders)
        return record

    @property
    def sent_at(self):
        return self[0]

    @property
    def answered_at(self):
        return self[1]


def entry_kind(key: str, entry: dict) -> tuple[str, str]:
    """(kind, participant) of a sent journal entry."""
    kind = entry.get("kind") or WORKBOOK
    return kind, entry.get("participant") or (key if kind == WORKBOOK else key.split(".")[1] if "." in key else key)


def mail_status(mail_dir: Path | None) -> dict[str, MailRecord]:
    """participant → (sent at, last answer at), from the journals of ``mail send`` and ``mail collect``;
    each value a ``MailRecord`` with the answers, returns and reminders too."""
    def load(name):
        # The one reader of journals; a report must not fail for a damaged journal (``mail send``
        # refuses to go on with one): here it only means that the dates are not known.
        try:
            return read_journal(mail_dir / name) if mail_dir else {}
        except JournalError:
            return {}

    def stamp(text):
        try:
            value = dt.datetime.fromisoformat(text) if text else None
        except (TypeError, ValueError):
            return None
        return value.astimezone(dt.timezone.utc).replace(tzinfo=None) if value and value.tzinfo else value

    def order(pairs):
        return sorted(pairs, key=lambda x: (x[0] is None, x[0] or dt.datetime.min))

    result: dict[str, dict] = {}
    for key, entry in load(SENT_JOURNAL).items():
        if not (isinstance(entry, dict) and is_sent(entry)):
            continue
        kind, code = entry_kind(key, entry)
        slot = result.setdefault(code, {"sent": None, "answers": [], "returns": [], "reminders": []})
        when = stamp(entry.get("sent_at"))
        if kind == WORKBOOK:
            slot["sent"] = when
        elif kind == RETURN:
            slot["returns"].append((when, entry.get("sha256")))
        elif kind == REMINDER:
            slot["reminders"].append((when,))
    for name, entry in load(RECEIVED_JOURNAL).items():
        if not isinstance(entry, dict) or not entry.get("participant"):
            continue
        slot = result.setdefault(entry["participant"], {"sent": None, "answers": [], "returns": [], "reminders": []})
        slot["answers"].append((stamp(entry.get("date")), entry.get("sha256"), name))
    records = {}
    for code, slot in result.items():
        answers = order(slot["answers"])
        dates = [a[0] for a in answers if a[0] is not None]
        records[code] = MailRecord(slot["sent"], max(dates) if dates else None, answers, order(slot["returns"]),
                                   [r[0] for r in order(slot["reminders"])])
    return records
