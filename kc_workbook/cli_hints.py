"""Hints the command line adds to a run's output: a --year that is likely wrong, a file that is no workbook.

Kept out of ``cli`` (imported by the commands that print them, not at start-up) to keep that module short.
"""

from __future__ import annotations

from collections import Counter

from .read import REJECTING


def wrong_year_hint(problems, year: int, accepted: int = 0) -> str | None:
    """One line when the rejected workbooks are all, or mostly, of one other year: --year is likely wrong.

    ``accepted``: how many workbooks were taken for ``year`` (none: then «все книги»). More of them
    than participants who sent the other year's workbook, and it is not --year that is wrong (one
    participant sending last year's book over and over is not a hint). The year is the problem's
    ``value`` (``read.identify``: the year written in the workbook).
    """
    years, senders, rejected = Counter(), {}, 0
    for p in problems:
        n = 1 + getattr(p, "more", 0)  # a folded row stands for more files
        rejected += n if p.code in REJECTING else 0
        if p.code == "workbook-wrong-year" and p.value:
            years[p.value] += n
            senders.setdefault(p.value, set()).add(p.participant or p.file or id(p))
    if not years:
        return None
    other, n = years.most_common(1)[0]
    if accepted == 0 and n == rejected:
        return f"Подсказка: все книги — за {other} год, а указан {year}: проверьте --year."
    if n >= 2 and n * 2 > rejected and len(senders[other]) > accepted:
        return f"Подсказка: из отклонённых книг {n} из {rejected} — за {other} год, а указан {year}: проверьте --year."
    return None


def not_checked(sub) -> str:
    """Why a file given to ``check`` is not a workbook, in the staff's words."""
    codes = {p.code for p in sub.problems}
    if "lock-file-skipped" in codes:
        return ("это служебный файл Excel или LibreOffice, который появляется, пока книга открыта, а не книга; "
                "проверьте саму книгу (её имя — без «~$» или «.~lock.» в начале)")
    if "file-temporary" in codes:
        return "это временный файл kc-workbook, а не книга"
    return "это не книга электронной таблицы"
