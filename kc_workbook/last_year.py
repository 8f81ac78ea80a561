"""Last year's values: what the previous year's record says, for this year's workbooks and report,
and the ``value-jump`` check (the classic extra or missing zero).

The records are those of ``history`` (``DIR/ГОД/consolidated_ГОД.json``); a missing, corrupt
or foreign record of last year simply gives nothing.
"""

from __future__ import annotations

from pathlib import Path

from .history import Record, read_record, record_path
from .notation import json_number
from .problems import Problem


def previous_values(records_dir: str | Path, year: int, program) -> dict[str, dict[str, float]]:
    """participant → input code → the value accepted from it last year (``year - 1``'s record).

    Empty when there is no usable record; only inputs the current definition still has."""
    record = _last_year(records_dir, year, program)
    if record is None:
        return {}
    out: dict[str, dict[str, float]] = {}
    for entry in record.data.get("inputs") or []:
        if not isinstance(entry, dict) or entry.get("code") not in program.inputs:
            continue
        parts = entry.get("parts")
        if not isinstance(parts, dict):
            continue
        for participant, value in parts.items():
            if (number := json_number(value)) is not None:
                out.setdefault(participant, {})[entry["code"]] = number
    return out


def _last_year(records_dir, year: int, program) -> Record | None:
    """``year - 1``'s record when it exists and is a record of this program (any edition)."""
    path = record_path(records_dir, year - 1)
    return read_record(path, program, year - 1)[0] if path.is_file() else None


def previous_facts(records_dir: str | Path, year: int, program) -> dict[int, float | None]:
    """indicator number → last year's exact fact: from ``year - 1``'s record, else the past-facts sheet."""
    record = _last_year(records_dir, year, program)
    from_record = record.facts() if record is not None else {}
    past = getattr(program, "past_facts", None) or {}
    out = {}
    for ind in program.indicators:
        value = from_record.get(ind.number)
        if value is None:
            value = (past.get(ind.number) or {}).get(year - 1)
        out[ind.number] = None if value is None else float(value)
    return out


def value_jumps(program, year: int, values_by_participant: dict[str, dict[str, float | None]],
                previous: dict[str, dict[str, float]], factor: float = 3.0, submissions=None) -> list[Problem]:
    """A warning ``value-jump`` for each value more than ``factor`` times larger or smaller than the
    value accepted from the same participant last year (the classic extra or missing zero).

    Zero: when either value is 0 there is no ratio and no warning (rare events — deaths, poisonings —
    go from 0 to a few and back). Values of opposite signs are always a jump.
    ``submissions`` (participant → ``read.Submission``, optional) gives the file, sheet and cell.
    """
    from .cells import as_text

    problems = []
    for participant, values in values_by_participant.items():
        before = previous.get(participant) or {}
        sub = (submissions or {}).get(participant)
        for code, value in values.items():
            old = before.get(code)
            if value is None or old is None or value == 0 or old == 0:
                continue
            if (value > 0) != (old > 0):
                how = "сменило знак"
            elif max(abs(value), abs(old)) / min(abs(value), abs(old)) > factor:
                ratio = max(abs(value), abs(old)) / min(abs(value), abs(old))
                how = f"в {_ratio_text(ratio)} раза {'больше' if abs(value) > abs(old) else 'меньше'}"
            else:
                continue
            cell = sub.cells.get(code) if sub is not None else None
            problems.append(Problem(
                "value-jump",
                f"{code} = {as_text(float(value))} за {year} год, а за {year - 1} год принято {as_text(float(old))}: "
                f"{how} (порог — в {_ratio_text(factor)} раза)",
                participant=participant, file=sub.name if sub is not None else None,
                sheet=cell.sheet if cell else None, cell=cell.cell if cell else None, value=as_text(float(value))))
    return problems


def _ratio_text(value: float) -> str:
    from .notation import format_number

    return format_number(value, 1)
