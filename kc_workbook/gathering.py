"""What is kept of an inbox's files as they are read, one at a time (``Gathered``).

``consolidate`` folds each file's ``Submission`` in as it arrives from the reading
(``inbox.read_each``): the memory of a consolidation then grows with the number of
participants, not with the number of files (issue #14: 30 000 files within 1.5 × of 2 000).
"""

from __future__ import annotations

import datetime as dt

from .notation import when
from .problems import Problem, problem_title
from .read import Submission


class Gathered:
    """What is kept of the files of an inbox as they are read, one at a time.

    Of each participant only the newest usable workbook (by the time saved in it, then by
    name) is kept whole, and the last of its rejected ones; of every other file only its
    problems, and of an older workbook only its name and time. Of the problems of one kind
    of one participant in files not in use, the first ``LISTED`` are kept and the rest are
    counted in one row naming the kind and the first and last such file by name: an inbox
    that kept every letter of several years does not list thousands of repeated workbooks,
    and the memory of a consolidation grows with the number of participants, not with the
    number of files. (While the files are read in worker processes, a few chunks of their
    results wait whole: a constant, see ``read_each``.)
    """

    LISTED = 10

    def __init__(self) -> None:
        self.newest: dict[tuple[str, str], Submission] = {}  # (role, participant) → newest usable workbook
        self.rejected: dict[str, Submission] = {}  # participant → its last rejected workbook
        self._older: dict[tuple[str, str], list] = {}  # (role, participant) → [(name, saved at)] of older ones
        self._problems: list[Problem] = []  # of the files that are neither of the above
        self._listed: dict[tuple, int] = {}  # (code, participant) → problems kept
        self._folded: dict[tuple, _Folded] = {}  # (code, participant) → what is counted, not kept
        self._given: set[tuple[str, str]] = set()  # (role, participant) of a workbook the user named

    def add(self, sub: Submission, given: bool = False) -> None:
        """Take in one file's submission; ``given``: named by the user as the reasons workbook
        (``--reasons``): if it is one, it is used rather than any reasons workbook of the inbox
        (a participant's workbook given there by mistake is one more file); its problems are
        always listed."""
        if sub.usable and sub.participant:
            key = (sub.role, sub.participant)
            held = self.newest.get(key)
            if given and sub.role == "reasons":  # read after the whole inbox: it replaces, never is replaced
                self._given.add(key)
            elif held is not None and _age(held) > _age(sub):
                held, sub = sub, held
            self.newest[key] = sub
            if held is not None:
                older = self._older.setdefault(key, [])
                if len(older) < self.LISTED:
                    older.append((held.name, held.saved_at))
                else:
                    self._fold("workbook-duplicate", held.participant, held.name, (key, held.name, held.saved_at))
            return
        if given:
            self._problems += sub.problems
        elif sub.participant and sub.rejected and sub.role == "data":
            # the last one gives the participant's status: its problems are listed in full (``problems``)
            before = self.rejected.get(sub.participant)
            self.rejected[sub.participant] = sub
            if before is not None:
                self._keep(before.problems)
        else:
            self._keep(sub.problems)

    def _keep(self, problems: list[Problem]) -> None:
        for problem in problems:
            key = (problem.code, problem.participant)
            if self._listed.get(key, 0) < self.LISTED:
                self._listed[key] = self._listed.get(key, 0) + 1
                self._problems.append(problem)
            else:
                self._fold(problem.code, problem.participant, problem.file, problem)

    def _fold(self, code: str, participant: str | None, file: str | None, first) -> None:
        folded = self._folded.get((code, participant))
        if folded is None:
            self._folded[code, participant] = _Folded(first, file)
        else:
            folded.count(file, first.value if isinstance(first, Problem) else None)

    def chosen(self, role: str) -> dict[str, Submission]:
        return {code: sub for (r, code), sub in self.newest.items() if r == role}

    def problems(self) -> list[Problem]:
        """The problems of every file not in use: its own, or that a newer workbook replaced it."""
        found = list(self._problems)
        for sub in self.rejected.values():
            found += sub.problems
        for key, older in self._older.items():
            found += [self._duplicate(key, name, saved_at) for name, saved_at in older]
        for (code, participant), folded in self._folded.items():
            if folded.problems == 1:  # one more is listed as it is
                first = folded.first
                found.append(first if isinstance(first, Problem) else self._duplicate(*first))
                continue
            found.append(Problem(
                code, f"«{problem_title(code)}»: то же ещё в {folded.files} файл{_plural(folded.files)} "
                f"(первый по имени — «{folded.low}», последний — «{folded.high}»), не перечисленных по отдельности",
                participant=participant, value=folded.value, more=folded.problems - 1))
        return found

    def _duplicate(self, key: tuple[str, str], name: str, saved_at: dt.datetime | None) -> Problem:
        newest = self.newest[key]
        if key in self._given:
            why = f"использована книга, указанная при запуске: «{newest.name}»; эта не учтена"
        elif saved_at == newest.saved_at:  # copies of one workbook, or saved the same minute
            at = f" ({when(saved_at)})" if saved_at else ""
            why = (f"от участника есть книга «{newest.name}», сохранённая тогда же{at}: учтена она, последняя по "
                   "имени файла; эта не учтена")
        else:
            why = (f"от участника есть более новая книга «{newest.name}» (сохранена {when(newest.saved_at)}); "
                   f"эта (сохранена {when(saved_at)}) не учтена")
        return Problem("workbook-duplicate", why, participant=key[1], file=name)


class _Folded:
    """Problems of one kind and participant beyond those listed: how many, in how many files,
    the first and last file by name, and the first problem (listed as it is when alone)."""

    def __init__(self, first, file: str | None):
        self.first, self.problems, self.files = first, 1, 1
        self.low = self.high = self._last = file or ""
        # the value they share (the year of last year's workbooks sent again), if they all have one
        self.value = first.value if isinstance(first, Problem) else None

    def count(self, file: str | None, value: str | None = None) -> None:
        file = file or ""
        self.problems += 1
        if value != self.value:
            self.value = None
        if file != self._last:  # the problems of one file come together
            self.files += 1
            self._last = file
            self.low, self.high = min(self.low, file), max(self.high, file)


def _plural(n: int) -> str:
    """The ending of «файл» after «в N»: в 1 файле, в 2 файлах, в 21 файле."""
    return "е" if n % 10 == 1 and n % 100 != 11 else "ах"


def _age(sub: Submission) -> tuple:
    return (sub.saved_at or dt.datetime.min, sub.name)
