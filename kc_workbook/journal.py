"""The year's mail journals: what ``mail send`` sent and what ``mail collect`` received.

Kept apart from ``mail`` so that consolidation can read them without importing the
e-mail machinery.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

SENT_JOURNAL = "sent.json"
RECEIVED_JOURNAL = "received.json"


def mail_status(mail_dir: Path | None) -> dict[str, tuple[dt.datetime | None, dt.datetime | None]]:
    """participant → (sent at, last answer at), from the journals of ``mail send`` and ``mail collect``."""
    def load(name):
        try:
            return json.loads((mail_dir / name).read_text(encoding="utf-8")) if mail_dir else {}
        except (OSError, ValueError):
            return {}

    def stamp(text):
        try:
            value = dt.datetime.fromisoformat(text) if text else None
        except ValueError:
            return None
        return value.astimezone(dt.timezone.utc).replace(tzinfo=None) if value and value.tzinfo else value

    result: dict[str, list] = {}
    for code, entry in load(SENT_JOURNAL).items():
        result.setdefault(code, [None, None])[0] = stamp(entry.get("sent_at"))
    for entry in load(RECEIVED_JOURNAL).values():
        code, when = entry.get("participant"), stamp(entry.get("date"))
        if code:
            slot = result.setdefault(code, [None, None])
            if when and (slot[1] is None or when > slot[1]):
                slot[1] = when
    return {code: (sent, answered) for code, (sent, answered) in result.items()}
