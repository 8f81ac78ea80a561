"""The year's mail journals: what ``mail send`` sent and what ``mail collect`` received.

Kept apart from ``mail`` so that consolidation can read them without importing the
e-mail machinery. Journals are JSON objects, replaced atomically on every change.

The sent journal: key (participant) → {"state": "sending" | "sent", "message_id", "to",
"file", "sending_at", "sent_at"}. An entry without "state" (older journals) was sent.
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


def mail_status(mail_dir: Path | None) -> dict[str, tuple[dt.datetime | None, dt.datetime | None]]:
    """participant → (sent at, last answer at), from the journals of ``mail send`` and ``mail collect``."""
    def load(name):
        try:
            data = json.loads((mail_dir / name).read_text(encoding="utf-8")) if mail_dir else {}
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def stamp(text):
        try:
            value = dt.datetime.fromisoformat(text) if text else None
        except (TypeError, ValueError):
            return None
        return value.astimezone(dt.timezone.utc).replace(tzinfo=None) if value and value.tzinfo else value

    result: dict[str, list] = {}
    for code, entry in load(SENT_JOURNAL).items():
        if isinstance(entry, dict) and is_sent(entry):
            result.setdefault(code, [None, None])[0] = stamp(entry.get("sent_at"))
    for entry in load(RECEIVED_JOURNAL).values():
        if not isinstance(entry, dict):
            continue
        code, when = entry.get("participant"), stamp(entry.get("date"))
        if code:
            slot = result.setdefault(code, [None, None])
            if when and (slot[1] is None or when > slot[1]):
                slot[1] = when
    return {code: (sent, answered) for code, (sent, answered) in result.items()}
