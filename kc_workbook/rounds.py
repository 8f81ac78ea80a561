"""Where each participant is in the round of collection, from the mail journals and the verdicts.

не отправлено → отправлено → получено → на доработке → получено повторно → принято
(``vocabulary.ROUND_STATE``). Pure functions: the journals are read by ``journal.mail_status``
and the verdicts decided by ``verdicts.submission_verdict``; nothing here reads a file but
the workbook whose content is compared with what was returned.

A newer answer replaces the older one (the consolidation's choice); the workbook that was
returned is recognised by its content (sha256), so a participant is «на доработке» exactly
while the workbook in use is the one sent back to them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from .verdicts import is_accepted
from .vocabulary import (MISSING, NOT_SENT, RECEIVED, RESUBMITTED, RETURNED, ROUND_ACCEPTED, ROUND_STATE,
                         SENT_OUT)


@dataclass(frozen=True)
class Round:
    state: str  # vocabulary.ROUND_STATE
    number: int  # 1 for the first answer; one more after each return with remarks
    sent_at: dt.datetime | None = None
    answered_at: dt.datetime | None = None
    returned_at: dt.datetime | None = None
    reminded_at: dt.datetime | None = None

    @property
    def label(self) -> str:
        return ROUND_STATE.label(self.state)


def file_sha256(path: Path | None) -> str | None:
    if path is None:
        return None
    try:
        with open(path, "rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError:
        return None


def participant_round(record=None, verdict: str | None = None, answer_sha: str | None = None) -> Round:
    """The state of one participant. ``record``: its ``journal.MailRecord`` (or None);
    ``verdict``: the verdict of the workbook in use (None or MISSING when there is none);
    ``answer_sha``: that workbook's sha256, when known."""
    sent_at = record[0] if record else None
    answers = getattr(record, "answers", ())
    returns = getattr(record, "returns", ())
    reminders = getattr(record, "reminders", ())
    returned_at = max((r[0] for r in returns if r[0] is not None), default=None)
    reminded_at = max((r for r in reminders if r is not None), default=None)
    answered_at = record[1] if record else None
    if answer_sha is not None:  # the date of the answer in use, when the journal knows it
        own = [a[0] for a in answers if a[1] == answer_sha and a[0] is not None]
        answered_at = max(own) if own else answered_at
    number = 1 + len(returns)
    has_answer = (verdict is not None and verdict != MISSING) or (verdict is None and answered_at is not None)
    if not has_answer:
        state = SENT_OUT if sent_at is not None or returns else NOT_SENT
        if returns:
            state = RETURNED
    elif returns and _is_returned(answer_sha, answered_at, returns):
        state = RETURNED
    elif verdict is not None and is_accepted(verdict):
        state = ROUND_ACCEPTED
    else:
        state = RESUBMITTED if returns else RECEIVED
    return Round(state, number, sent_at, answered_at, returned_at, reminded_at)


def _is_returned(answer_sha, answered_at, returns) -> bool:
    if answer_sha is not None and any(sha == answer_sha for _, sha in returns):
        return True
    if answer_sha is None or not any(sha for _, sha in returns):  # nothing to compare: by the dates
        last = max((when for when, _ in returns if when is not None), default=None)
        return last is not None and (answered_at is None or answered_at <= last)
    return False


def consolidation_rounds(result) -> dict[str, Round]:
    """participant → Round, for a ``consolidate.Consolidation``."""
    rounds = {}
    for p in result.participants:
        sub = p.submission
        sha = file_sha256(getattr(sub, "path", None)) if sub is not None else None
        rounds[p.code] = participant_round(result.mail.get(p.code), p.status, sha)
    return rounds
