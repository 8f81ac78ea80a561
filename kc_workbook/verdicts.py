"""One verdict per returned workbook, decided here and nowhere else.

``check``, ``consolidate``, ``status``, the consolidated workbook and the JSON all take a
workbook's verdict from ``submission_verdict``: a workbook with an error is never
«принят», in any summary line.
"""

from __future__ import annotations

from .problems import ERROR, WARNING
from .vocabulary import ACCEPTED, REJECTED, VERDICT, WITH_ERRORS, WITH_WARNINGS


def submission_verdict(problems, rejected: bool = False) -> str:
    """vocabulary.VERDICT code of a workbook from its own problems (notes do not count)."""
    if rejected:
        return REJECTED
    severities = {p.severity for p in problems}
    if ERROR in severities:
        return WITH_ERRORS
    if WARNING in severities:
        return WITH_WARNINGS
    return ACCEPTED


def is_accepted(verdict: str) -> bool:
    """Accepted, with or without warnings: its values are used and nothing must be fixed."""
    return verdict in (ACCEPTED, WITH_WARNINGS)


def label(verdict: str) -> str:
    return VERDICT.label(verdict)
