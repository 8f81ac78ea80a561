"""Checks across workbooks: control ratios whose parts come from different participants
(ALERT_COVERED_K ≤ POPULATION / 1000) and reconciliations (POPULATION_AVG close to POPULATION).

Each check returns its problems and the values that must not be used; it changes nothing.
"""

from __future__ import annotations

from .cells import as_text
from .model import Program
from .notation import exact, format_number
from .problems import Problem
from .read import Cell, Submission


def cross_checks(program: Program, chosen: dict[str, Submission]) -> tuple[list[Problem], set[tuple[str, str]]]:
    """Control ratios whose inputs come from different workbooks (ALERT_COVERED_K ≤ POPULATION / 1000)
    and reconciliations (POPULATION_AVG close to POPULATION).

    Returns the problems and the (participant, code) values that must not be used."""
    problems: list[Problem] = []
    invalid: set[tuple[str, str]] = set()

    def valid(s: str, code: str) -> Cell | None:
        if (s, code) in invalid:  # rejected by a ratio checked before: not used in the next check either
            return None
        cell = chosen[s].cells.get(code) if s in chosen else None
        return cell if cell is not None and cell.ok and cell.value is not None else None

    def totals_of(names) -> dict | None:
        totals = {}
        for n in names:
            parts = [valid(s, n) for s in program.inputs[n].suppliers]
            if any(c is None for c in parts):
                return None
            totals[n] = sum(exact(c.value) for c in parts)
        return totals

    for code, inp in program.inputs.items():
        if inp.upper is not None:
            # suppliers whose workbook lacks the bound's inputs: not checked inside the workbook
            across = [s for s in inp.suppliers if valid(s, code) and not all(n in chosen[s].cells for n in inp.upper.names)]
            totals = totals_of(inp.upper.names) if across else None
            if totals is not None:
                part = sum(exact(c.value) for c in (valid(s, code) for s in inp.suppliers) if c is not None)
                try:
                    limit = inp.upper.evaluate(totals)
                except ZeroDivisionError:
                    limit = None
                if limit is not None and part > limit:
                    sources = ", ".join(f"{n} = {format_number(v)}" for n, v in totals.items())
                    for s in across:
                        cell = chosen[s].cells[code]
                        problems.append(Problem("ratio-exceeded", f"{code} = {format_number(part)} больше, чем "
                                                f"{inp.upper.text} = {format_number(limit)} ({sources})", participant=s,
                                                file=chosen[s].name, sheet=cell.sheet, cell=cell.cell,
                                                value=as_text(cell.value)))
                        invalid.add((s, code))
        if inp.near is not None:
            problems += _reconcile(program, inp, chosen, valid, totals_of)
    return problems, invalid


def _reconcile(program: Program, inp, chosen, valid, totals_of) -> list[Problem]:
    """A value that should lie within a tolerance of another (a warning: both may be right)."""
    mine = [(s, valid(s, inp.code)) for s in inp.suppliers]
    if any(c is None for _, c in mine):
        return []
    totals = totals_of(inp.near.names)
    if totals is None:
        return []
    try:
        other = inp.near.evaluate(totals)
    except ZeroDivisionError:
        return []
    value = sum(exact(c.value) for _, c in mine)
    if other == 0 or abs(value - other) * 100 <= exact(inp.near_tolerance) * abs(other):
        return []
    off = abs(value - other) * 100 / abs(other)
    message = (f"{inp.code} = {format_number(value)} отличается от {inp.near.text} = {format_number(other)} на "
               f"{format_number(off, 1)} % (допустимо {format_number(inp.near_tolerance)} %)")
    return [Problem("value-out-of-line", message, participant=s, file=chosen[s].name, sheet=c.sheet, cell=c.cell,
                    value=as_text(c.value)) for s, c in mine]
