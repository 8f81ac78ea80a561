"""Consolidation: every workbook in an inbox → one result (values, indicators, problems).

``consolidate()`` only reads: the inbox is never changed. It is a sequence of steps, each
of which returns what it found and its problems; nothing a step made is changed by a
later one. ``report.write_workbook`` and ``report.write_json`` turn the result into files.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .budget import Budget, against_measures, compute_budget, overspending
from .efficiency import Efficiency, evaluate_efficiency
from .indicators import Combined, IndicatorResult, combine, evaluate, responsible_for, summarise
from .gathering import Gathered
from .inbox import inbox_names, read_each
from .journal import mail_status
from .model import BUDGET_INPUTS, Program
from .notation import rounded
from .problems import ERROR, NOTE, WARNING, Problem, count
from .crosschecks import cross_checks
from .read import Submission, read_submission
from .verdicts import is_accepted, submission_verdict
from .vocabulary import (
    EFFICIENCY,
    INDICATOR_STATUS,
    MEASURE_STATUS,
    MISSED,
    MISSING,
    REJECTED,
    SSUZ_PLAN,
    VERDICT,
)

# The JSON record of a year (``consolidated_ГОД.json``) is what ``history`` reads back years later.
RECORD_FORMAT = "kc_workbook/consolidation/2"


@dataclass(frozen=True)
class ParticipantStatus:
    code: str
    status: str  # vocabulary.VERDICT
    submission: Submission | None = None
    errors: int = 0
    warnings: int = 0

    @property
    def status_label(self) -> str:
        return VERDICT.label(self.status)


@dataclass
class Consolidation:
    program: Program
    year: int
    inbox: Path
    participants: list[ParticipantStatus] = field(default_factory=list)
    combined: dict[str, Combined] = field(default_factory=dict)
    indicators: list[IndicatorResult] = field(default_factory=list)
    budget: Budget | None = None
    efficiency: Efficiency | None = None
    mail: dict = field(default_factory=dict)  # participant → (sent at, answered at)
    problems: list[Problem] = field(default_factory=list)
    records_dir: Path | None = None  # where the records of the years are: the history the report shows
    files: int = 0  # entries of the inbox read (none: the inbox is empty, or the wrong folder was given)

    @property
    def used(self) -> dict[str, Submission]:
        """Participant → the workbook whose values are used (as checked: invalid cells marked)."""
        return {p.code: p.submission for p in self.participants if p.submission is not None and p.status != REJECTED}

    @property
    def accepted(self) -> int:
        return sum(1 for p in self.participants if is_accepted(p.status))

    @property
    def complete(self) -> bool:
        """Every expected workbook arrived and no problem is an error."""
        return not any(p.severity == ERROR for p in self.problems)

    @property
    def exit_code(self) -> int:
        return 0 if self.complete else 1

    def count(self, severity: str) -> int:
        return count(self.problems, severity)

    def justifications(self) -> dict[int, str]:
        """indicator number → the reason given for its deviation."""
        return {r.number: r.justification for r in self.indicators if r.justification}

    @cached_property
    def rounds(self) -> dict:
        """participant → ``rounds.Round``: where it is in the round of collection (computed once:
        it compares the workbook in use with the returned one by content)."""
        from .rounds import consolidation_rounds

        return consolidation_rounds(self)

    def to_dict(self) -> dict:
        ind_by_number = self.program.indicator
        rounds = self.rounds
        return {
            "format": RECORD_FORMAT,
            "year": self.year,
            "program_id": self.program.program_id,
            "program_fingerprint": self.program.fingerprint,
            "participants": [
                {
                    "code": p.code,
                    "name": self.program.participants[p.code].short_name,
                    "status": p.status,
                    "status_label": p.status_label,
                    "file": p.submission.name if p.submission else None,
                    "errors": p.errors,
                    "warnings": p.warnings,
                    "sent_at": _iso(rounds[p.code].sent_at),
                    "answered_at": _iso(rounds[p.code].answered_at),
                    "round_state": rounds[p.code].state,
                    "round_state_label": rounds[p.code].label,
                    "round": rounds[p.code].number,
                    "returned_at": _iso(rounds[p.code].returned_at),
                }
                for p in self.participants
            ],
            "inputs": [
                {"code": c.code, "value": None if c.value is None else float(c.value), "parts": c.parts,
                 "reason": c.reason or None}
                for c in self.combined.values()
            ],
            "indicators": [
                {
                    "number": r.number,
                    "name": ind_by_number[r.number].name,
                    "unit": ind_by_number[r.number].unit,
                    "direction": ind_by_number[r.number].direction,
                    "precision": r.precision,
                    "plan": r.plan,
                    "fact": r.fact,
                    "fact_exact": None if r.fact_exact is None else float(r.fact_exact),
                    "deviation": r.deviation,
                    "level": r.level,
                    "status": r.status,
                    "status_label": INDICATOR_STATUS.label(r.status),
                    "achievement": r.achievement,
                    "reason": r.reason or None,
                    "previous": r.previous,
                    "justification": r.justification or None,
                    "justification_by": r.justification_by,
                    "justification_at": r.justification_at or None,
                }
                for r in self.indicators
            ],
            "summary": summarise(self.indicators),
            "budget": _budget_dict(self.budget) if self.budget else None,
            "efficiency": _efficiency_dict(self.efficiency, self.program) if self.efficiency else None,
            "issues": [p.as_dict() for p in self.problems],
        }


def _iso(stamp: dt.datetime | None) -> str | None:
    return stamp.isoformat(timespec="seconds") if stamp else None


def _budget_dict(b: Budget) -> dict:
    return {
        "plan": b.plan,
        "fact": b.fact,
        "execution": b.execution,
        "rospis_jan": b.rospis_jan,
        "rospis_dec": b.rospis_dec,
        "reasons": b.reasons,
        "measures": [
            {"code": m.code, "responsible": m.responsible, "plan": m.plan, "fact": m.fact, "status": m.status,
             "status_label": MEASURE_STATUS.label(m.status) if m.status else None, "reason": m.reason or None,
             "budget_funded": m.budget_funded}
            for m in b.measures
        ],
    }


def _efficiency_dict(e: Efficiency, program: Program) -> dict:
    s = program.settings
    return {
        "method": s.method,
        "settings": program.to_dict()["settings"],
        "settings_described": [{"what": what, "value": value} for what, value in s.described()],
        "ssuz_plan_used": e.plan_used,
        "ssuz_plan_used_label": SSUZ_PLAN.label(e.plan_used),
        "precision": "СДi, СР, СРм, ССуз, Эис и ЭР — до 0,001, каждый из показанных значений; пороги сравниваются "
                     "с ЭР, как он показан",
        "sd": {str(n): v for n, v in e.sd.items()},
        "sr": e.sr,
        "srm": e.srm,
        "ssuz": e.ssuz,
        "eis": e.eis,
        "er": e.er,
        "verdict": e.verdict,
        "verdict_label": EFFICIENCY.label(e.verdict) if e.verdict else None,
        "excluded_indicators": list(e.excluded),
        "reasons": e.reasons,
        "notes": e.notes,
    }


def consolidate(program: Program, year: int, inbox: str | Path, mail_dir: Path | None = None,
                records_dir: Path | None = None, reasons: Path | None = None, progress=None) -> Consolidation:
    """``mail_dir``: where ``mail send``/``mail collect`` keep their journals, if they were used;
    ``progress(done, total)`` is called after each file read;
    ``records_dir``: where the records of earlier years are (``DIR/ГОД/consolidated_ГОД.json``),
    for the comparison with last year's values."""
    inbox = Path(inbox)
    kept = Gathered()
    names = inbox_names(inbox)
    for sub in read_each(program, year, inbox, names, progress=progress):
        kept.add(sub)
    if reasons is not None:  # the executor's reasons workbook, given apart from the inbox
        kept.add(read_submission(reasons, program, year, name=os.fspath(reasons)), given=True)
    chosen = kept.chosen("data")
    reasons_book = kept.chosen("reasons")
    cross_problems, invalid = cross_checks(program, chosen)

    rejected = kept.rejected
    why = {code: VERDICT.label(REJECTED if code in rejected else MISSING)
           for code in program.suppliers(year) if code not in chosen}
    supplied = {code: {c: (cell.value if cell.ok and (code, c) not in invalid else None) for c, cell in sub.cells.items()}
                for code, sub in chosen.items()}
    combined = combine(program, supplied, why)
    indicators, indicator_problems = evaluate(program, year, combined)
    previous = {}
    if records_dir is not None:
        from .last_year import previous_facts

        previous = previous_facts(records_dir, year, program)
    indicators, reason_problems = explain(program, year, indicators, previous, chosen,
                                          reasons_book.get(program.executor))
    indicator_problems += reason_problems
    reports = {m.code: chosen[m.responsible].measures.get(m.code) if m.responsible in chosen else None
               for m in program.measures_of(None, year)}
    budget = compute_budget(program, year, combined, reports)
    finance = _finance_cells(program, chosen)
    budget_problems = overspending(budget, year, finance) + against_measures(budget, finance)
    efficiency = evaluate_efficiency(program, year, indicators, budget)

    # Each workbook's own problems: what reading it found, and what the checks across
    # workbooks found at its cells. An older workbook of a participant only says it was not used.
    jumps = []
    if records_dir is not None:
        from .last_year import previous_values, value_jumps

        jumps = value_jumps(program, year, supplied, previous_values(records_dir, year, program),
                            program.settings.jump_factor, submissions=chosen)
    # a missing reason that names a participant's workbook counts for that workbook, like the checks above
    across = cross_problems + budget_problems + jumps + [p for p in indicator_problems if p.file]
    indicator_problems = [p for p in indicator_problems if not p.file]
    checked: dict[str, Submission] = {}
    for code, sub in chosen.items():
        own = [p for p in across if p.file == sub.name and p.participant == code]
        cells = sub.cells  # copied only where a check across workbooks found a value invalid
        if any((code, c) in invalid for c in cells):
            cells = {c: dataclasses.replace(cell, ok=False) if (code, c) in invalid else cell for c, cell in cells.items()}
        checked[code] = dataclasses.replace(sub, problems=sub.problems + own, cells=cells)
    # what the checks across workbooks found elsewhere than in a workbook in use is listed on its own
    apart = [p for p in across if not (p.participant in checked and p.file == checked[p.participant].name)]

    participants = []
    problems: list[Problem] = []
    for code in program.suppliers(year):
        if code in checked:
            participants.append(_status(code, submission_verdict(checked[code].problems), checked[code]))
        elif code in rejected:
            participants.append(_status(code, REJECTED, rejected[code]))
        else:
            participants.append(ParticipantStatus(code, MISSING))
            problems.append(Problem("participant-missing", f"нет книги участника «{program.participants[code].short_name}» "
                                    f"за {year} год", participant=code))
    problems += kept.problems()
    for sub in checked.values():
        problems += sub.problems
    for sub in reasons_book.values():  # the executor's reasons workbook
        problems += sub.problems
    problems += apart + indicator_problems
    problems.sort(key=_problem_order)
    return Consolidation(program, year, inbox, participants, combined, indicators, budget, efficiency,
                         mail_status(mail_dir), problems, None if records_dir is None else Path(records_dir),
                         len(names))


def explain(program: Program, year: int, results: list[IndicatorResult], previous: dict[int, float | None],
            chosen: dict[str, Submission], reasons_book: Submission | None
            ) -> tuple[list[IndicatorResult], list[Problem]]:
    """Each result with last year's fact and the reason for its deviation; a warning for
    every missed indicator whose reason was not given, naming who should give it."""
    from .reasons import file_name, needs_reason

    explained, problems = [], []
    for r in results:
        ind = program.indicator[r.number]
        who = responsible_for(program, ind)
        before = previous.get(r.number)
        given = None
        for sub in (chosen.get(who) if who != program.executor else None, reasons_book):
            if sub is not None and r.number in sub.justifications:
                text, sheet, cell = sub.justifications[r.number]
                given = (text, f"{sub.name}: {sheet}!{cell}")
                break
        r = dataclasses.replace(r, previous=None if before is None else rounded(before, ind.precision),
                                justification_by=who if needs_reason(r) else None,
                                justification=given[0] if given else "", justification_at=given[1] if given else "")
        # the participant's own workbook already says so at its reason cell (justification.read_justifications)
        said = who in chosen and any(p.code == "justification-missing" and p.value == str(r.number)
                                     for p in chosen[who].problems)
        if r.status == MISSED and not given and not said:
            if who == program.executor:
                where = f"исполнитель программы — в книге «{file_name(year)}»"
            else:
                where = f"«{program.participants[who].short_name}» — в своей книге, ячейка «Обоснование отклонения»"
            problems.append(Problem("justification-missing", f"показатель {r.number} не достигнут, обоснование "
                                    f"отклонения не представлено: его даёт {where}", participant=who,
                                    file=chosen[who].name if who in chosen and who != program.executor else None))
        explained.append(r)
    return explained, problems


def _status(code: str, verdict: str, sub: Submission) -> ParticipantStatus:
    return ParticipantStatus(code, verdict, sub, sum(1 for p in sub.problems if p.severity == ERROR),
                             sum(1 for p in sub.problems if p.severity == WARNING))


def _problem_order(p: Problem):
    # Errors first, then warnings, then notes; by participant (the rows that stand for more files
    # last), file and position; stable for equal keys.
    rank = {ERROR: 0, WARNING: 1, NOTE: 2}[p.severity]
    return (rank, p.participant or "", p.more > 0, p.file or "", p.sheet or "", _cell_key(p.cell), p.code)


def _cell_key(cell: str | None):
    if not cell:
        return (0, 0)
    letters = "".join(ch for ch in cell if ch.isalpha())
    digits = "".join(ch for ch in cell if ch.isdigit())
    return (int(digits or 0), len(letters), letters)


def _finance_cells(program: Program, chosen: dict[str, Submission]):
    """source → (participant, file, sheet, cell) of the finance department's spending figure."""
    inp = program.inputs.get(BUDGET_INPUTS["municipal"])
    code = inp.suppliers[0] if inp and inp.suppliers else None
    sub = chosen.get(code) if code else None

    def where(key: str):
        cell = sub.cells.get(BUDGET_INPUTS[key]) if sub and key in BUDGET_INPUTS else None
        if sub is None:
            return (None, None, None, None)
        return (code, sub.name, cell.sheet if cell else None, cell.cell if cell else None)
    return where
