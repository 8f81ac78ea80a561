"""Consolidation: every workbook in an inbox → one result (values, indicators, problems).

``consolidate()`` only reads: the inbox is never changed. ``report.write_workbook`` and
``report.write_json`` turn the result into files.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from .cells import as_text, format_number
from .indicators import Combined, IndicatorResult, combine, evaluate, summarise
from .problems import ERROR, WARNING, Problem
from .budget import Budget, compute_budget
from .efficiency import Efficiency, evaluate_efficiency
from .inbox import inbox_files, read_regular
from .journal import mail_status
from .program import BUDGET_INPUTS, MONEY_TOLERANCE, SOURCE_LABELS, SOURCES, Program
from .read import Submission, read_submission

ACCEPTED, WITH_WARNINGS, REJECTED, MISSING = "accepted", "accepted_with_warnings", "rejected", "missing"
PARTICIPANT_STATUS_LABELS = {
    ACCEPTED: "принят",
    WITH_WARNINGS: "принят с замечаниями",
    REJECTED: "отклонён",
    MISSING: "не представлен",
}


@dataclass
class ParticipantStatus:
    code: str
    status: str
    submission: Submission | None = None
    errors: int = 0
    warnings: int = 0


@dataclass
class Consolidation:
    program: Program
    year: int
    inbox: Path
    submissions: list[Submission] = field(default_factory=list)
    participants: list[ParticipantStatus] = field(default_factory=list)
    combined: dict[str, Combined] = field(default_factory=dict)
    indicators: list[IndicatorResult] = field(default_factory=list)
    budget: Budget | None = None
    efficiency: Efficiency | None = None
    mail: dict = field(default_factory=dict)  # participant → (sent at, answered at)
    problems: list[Problem] = field(default_factory=list)

    @property
    def used(self) -> dict[str, Submission]:
        return {p.code: p.submission for p in self.participants if p.submission is not None and p.status != REJECTED}

    @property
    def complete(self) -> bool:
        """Every expected workbook arrived and no problem is an error."""
        return not any(p.severity == ERROR for p in self.problems)

    @property
    def exit_code(self) -> int:
        return 0 if self.complete else 1

    def count(self, severity: str) -> int:
        return sum(1 for p in self.problems if p.severity == severity)

    def to_dict(self) -> dict:
        ind_by_number = {i.number: i for i in self.program.indicators}
        return {
            "year": self.year,
            "program_id": self.program.program_id,
            "program_fingerprint": self.program.fingerprint,
            "participants": [
                {
                    "code": p.code,
                    "name": self.program.participants[p.code].short_name,
                    "status": p.status,
                    "file": p.submission.name if p.submission else None,
                    "errors": p.errors,
                    "warnings": p.warnings,
                    "sent_at": _iso(self.mail.get(p.code, (None, None))[0]),
                    "answered_at": _iso(self.mail.get(p.code, (None, None))[1]),
                }
                for p in self.participants
            ],
            "inputs": [
                {"code": c.code, "value": c.value, "parts": c.parts, "reason": c.reason or None}
                for c in self.combined.values()
            ],
            "indicators": [
                {
                    "number": r.number,
                    "name": ind_by_number[r.number].name,
                    "direction": ind_by_number[r.number].direction,
                    "plan": r.plan,
                    "fact": r.fact,
                    "status": r.status,
                    "achievement": r.achievement,
                    "reason": r.reason or None,
                }
                for r in self.indicators
            ],
            "summary": summarise(self.indicators),
            "budget": _budget_dict(self.budget) if self.budget else None,
            "efficiency": _efficiency_dict(self.efficiency, self.program) if self.efficiency else None,
            "issues": [
                {
                    "severity": p.severity,
                    "code": p.code,
                    "participant": p.participant,
                    "file": p.file,
                    "sheet": p.sheet,
                    "cell": p.cell,
                    "value": p.value,
                    "message": p.message,
                }
                for p in self.problems
            ],
        }


def _iso(stamp: dt.datetime | None) -> str | None:
    return stamp.isoformat(timespec="seconds") if stamp else None


def _budget_dict(b: Budget) -> dict:
    return {
        "plan": b.plan,
        "fact": b.fact,
        "execution": b.execution,
        "reasons": b.reasons,
        "measures": [
            {"code": m.code, "responsible": m.responsible, "plan": m.plan, "fact": m.fact, "status": m.status,
             "reason": m.reason or None}
            for m in b.measures
        ],
    }


def _efficiency_dict(e: Efficiency, program: Program) -> dict:
    s = program.settings
    return {
        "method": s.method,
        "zero_rule": s.zero_rule_text,
        "thresholds": {"high": s.threshold_high, "medium": s.threshold_medium, "satisfactory": s.threshold_satisfactory},
        "sd": {str(n): v for n, v in e.sd.items()},
        "sr": e.sr,
        "srm": e.srm,
        "ssuz": e.ssuz,
        "eis": e.eis,
        "er": e.er,
        "verdict": e.verdict,
        "reasons": e.reasons,
    }


def consolidate(program: Program, year: int, inbox: str | Path, mail_dir: Path | None = None,
                progress=None) -> Consolidation:
    """``mail_dir``: where ``mail send``/``mail collect`` keep their journals, if they were used;
    ``progress(done, total)`` is called after each file read."""
    inbox = Path(inbox)
    result = Consolidation(program, year, inbox)
    result.mail = mail_status(mail_dir)
    result.submissions = read_all(program, year, inbox, inbox_files(inbox), progress=progress)
    chosen = _choose(result.submissions)
    _cross_checks(program, chosen)

    rejected = {s.participant: s for s in result.submissions if s.participant and s.rejected}
    why = {code: PARTICIPANT_STATUS_LABELS[REJECTED if code in rejected else MISSING]
           for code in program.suppliers(year) if code not in chosen}
    supplied = {code: {c: (cell.value if cell.ok else None) for c, cell in sub.cells.items()} for code, sub in chosen.items()}
    result.combined = combine(program, supplied, why)
    result.indicators = evaluate(program, year, result.combined)
    reports = {m.code: chosen[m.responsible].measures.get(m.code) if m.responsible in chosen else None
               for m in program.measures_of(None, year)}
    result.budget = compute_budget(program, year, result.combined, reports)
    _budget_against_measures(program, result.budget, chosen.get(_finance_supplier(program)))
    result.efficiency = evaluate_efficiency(program, year, result.indicators, result.budget)

    for code in program.suppliers(year):
        sub = chosen.get(code)
        if sub is None:
            result.participants.append(ParticipantStatus(code, REJECTED, rejected[code]) if code in rejected
                                       else ParticipantStatus(code, MISSING))
        else:
            result.participants.append(ParticipantStatus(code, WITH_WARNINGS if sub.problems else ACCEPTED, sub))

    for sub in result.submissions:
        result.problems.extend(sub.problems)
    for p in result.participants:
        if p.status == MISSING:
            person = program.participants[p.code]
            result.problems.append(Problem("participant-missing", f"нет книги участника «{person.short_name}» за {year} год",
                                           participant=p.code))
        if p.submission is not None:
            p.errors = sum(1 for x in p.submission.problems if x.severity == ERROR)
            p.warnings = sum(1 for x in p.submission.problems if x.severity == WARNING)
    result.problems.sort(key=_problem_order)
    return result


# Below this many files a second process costs more than it saves.
PARALLEL_FROM = 48
_worker_program: Program | None = None


def read_all(program: Program, year: int, inbox: Path, paths: list[Path], workers: int | None = None,
             progress=None) -> list[Submission]:
    """Read every file, in the order given; on more than one core, in worker processes."""
    jobs = [(path, path.relative_to(inbox).as_posix()) for path in paths]
    if workers is None:
        workers = min(os.cpu_count() or 1, 4) if len(jobs) >= PARALLEL_FROM else 1
    if workers < 2:
        return _counted((read_regular(path, program, year, name=name) for path, name in jobs), len(jobs), progress)
    from concurrent.futures import ProcessPoolExecutor

    chunk = max(1, len(jobs) // (workers * 8))
    pool = ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(program, os.getpid()))
    try:
        return _counted(pool.map(_read_one, [(path, name, year) for path, name in jobs], chunksize=chunk), len(jobs),
                        progress)
    except BaseException:  # Ctrl+C, SIGTERM (see cli), an error: the workers end with us, now
        from .inbox import stop_workers

        stop_workers(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _counted(items, total: int, progress) -> list:
    done = []
    for item in items:
        done.append(item)
        if progress is not None:
            progress(len(done), total)
    return done


def _init_worker(program: Program, parent: int | None = None) -> None:
    global _worker_program
    _worker_program = program
    from .inbox import end_with_parent

    end_with_parent(parent)


def _read_one(job) -> Submission:
    path, name, year = job
    return read_regular(path, _worker_program, year, name=name)


def _problem_order(p: Problem):
    # Errors first, then by participant, file and position; stable for equal keys.
    return (p.severity != ERROR, p.participant or "", p.file or "", p.sheet or "", _cell_key(p.cell), p.code)


def _cell_key(cell: str | None):
    if not cell:
        return (0, 0)
    letters = "".join(ch for ch in cell if ch.isalpha())
    digits = "".join(ch for ch in cell if ch.isdigit())
    return (int(digits or 0), len(letters), letters)


def _choose(submissions: list[Submission]) -> dict[str, Submission]:
    """One workbook per participant: the newest by the time saved in it; the others are reported."""
    by_participant: dict[str, list[Submission]] = {}
    for sub in submissions:
        if sub.usable and sub.participant:
            by_participant.setdefault(sub.participant, []).append(sub)
    chosen = {}
    for code, subs in by_participant.items():
        subs.sort(key=lambda s: (s.saved_at or dt.datetime.min, s.name))
        newest = subs[-1]
        chosen[code] = newest
        for old in subs[:-1]:
            old.problems.clear()  # its own mistakes no longer matter: only say that it was not used
            old.problem("workbook-duplicate",
                        f"от участника есть более новая книга «{newest.name}» (сохранена {_when(newest)}); "
                        f"эта (сохранена {_when(old)}) не учтена")
    return chosen


def _when(sub: Submission) -> str:
    stamp = sub.saved_at
    return stamp.strftime("%d.%m.%Y %H:%M") if stamp else "неизвестно когда"


def _finance_supplier(program: Program) -> str | None:
    suppliers = program.inputs.get(BUDGET_INPUTS["municipal"])
    return suppliers.suppliers[0] if suppliers and suppliers.suppliers else None


def _budget_against_measures(program: Program, budget: Budget, finance: Submission | None) -> None:
    """The measures' actual spending per source should add up to the finance department's figure."""
    if finance is None or not budget.measures or any(m.fact is None or None in m.fact.values() for m in budget.measures):
        return
    for key in SOURCES:
        reported = budget.fact[key]
        cell = finance.cells.get(BUDGET_INPUTS[key])
        if reported is None or cell is None:
            continue
        spent = sum(m.fact[key] for m in budget.measures)
        if abs(spent - reported) >= MONEY_TOLERANCE:
            finance.problem("budget-mismatch",
                            f"{SOURCE_LABELS[key]}: по мероприятиям израсходовано {format_number(spent, 1)} тыс. руб., "
                            f"по данным департамента финансов — {format_number(reported, 1)} тыс. руб. "
                            f"(разница {format_number(spent - reported, 1)})", cell.sheet, cell.cell, cell.value)



def _cross_checks(program: Program, chosen: dict[str, Submission]) -> None:
    """Control ratios whose inputs come from different workbooks (e.g. ALERT_COVERED_K ≤ POPULATION / 1000)."""
    def valid(s: str, code: str):
        cell = chosen[s].cells.get(code) if s in chosen else None
        return cell if cell is not None and cell.ok else None

    for code, inp in program.inputs.items():
        if inp.upper is None:
            continue
        # suppliers whose workbook lacks the bound's inputs: not checked inside the workbook
        across = [s for s in inp.suppliers if valid(s, code) and not all(n in chosen[s].cells for n in inp.upper.names)]
        if not across:
            continue
        totals = {}
        for n in inp.upper.names:
            parts = [valid(s, n) for s in program.inputs[n].suppliers]
            if any(c is None for c in parts):
                break
            totals[n] = sum(c.value for c in parts)
        else:
            part = sum(c.value for c in (valid(s, code) for s in inp.suppliers) if c is not None)
            try:
                limit = inp.upper.evaluate(totals)
            except ZeroDivisionError:
                continue
            if part <= limit + 1e-9:
                continue
            sources = ", ".join(f"{n} = {as_text(v)}" for n, v in totals.items())
            for s in across:
                cell = chosen[s].cells[code]
                chosen[s].problem("ratio-exceeded",
                                  f"{code} = {as_text(part)} больше, чем {inp.upper.text} = {as_text(limit)} ({sources})",
                                  cell.sheet, cell.cell, cell.value)
                cell.ok = False
