"""Reading a participant's measures sheet: actual spending by source, status and reason.

Rows are found by the measure code under the «Код мероприятия» header, columns by their
header text, like the data sheet.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import layout as L
from .cells import as_text, cell_name, format_number, is_blank
from .program import MEASURE_DONE, MEASURE_PARTIAL, MEASURE_STATUSES, SOURCES, Input, Program
from .values import parse_value

# Money as the participant types it: a decimal, thousand roubles, not negative.
_MONEY = Input("MONEY", "сумма", "тыс. руб.", "decimal", 0.0, ())


@dataclass
class MeasureReport:
    code: str
    sheet: str
    row: int
    fact: dict[str, float | None] = field(default_factory=dict)  # None: invalid
    status: str | None = None  # None: missing or not one of MEASURE_STATUSES
    reason: str = ""
    cells: dict[str, str] = field(default_factory=dict)  # "municipal"/…/"status"/"reason" → "G5"


def read_measures(sub, program: Program, sheets: dict, year: int) -> None:
    """Fill ``sub.measures`` and report problems on ``sub``."""
    expected = {m.code: m for m in program.measures_of(sub.participant, year)}
    if not expected:
        return
    found: dict[str, tuple[str, int, dict]] = {}
    for sheet_name, rows in sheets.items():
        header_row, columns = _header(rows)
        if header_row is None:
            continue
        for r in range(header_row + 1, len(rows)):
            row = rows[r]
            c = columns["code"]
            code = row[c].strip() if c < len(row) and isinstance(row[c], str) else ""
            if code in expected and code not in found:
                found[code] = (sheet_name, r, columns)
    for code, measure in expected.items():
        if code not in found:
            sub.problem("measure-not-found", f"нет строки мероприятия «{code}» ({measure.name})", L.SHEET_MEASURES)
            continue
        sheet_name, r, columns = found[code]
        row = sheets[sheet_name][r]

        def at(key, row=row, columns=columns):
            c = columns.get(key)
            return row[c] if c is not None and c < len(row) else None

        report = MeasureReport(code, sheet_name, r)
        report.cells = {key: cell_name(r, c) for key, c in columns.items()}
        status_text = as_text(at("status"))
        report.reason = as_text(at("reason"))
        if status_text.lower() in MEASURE_STATUSES:
            report.status = status_text.lower()
        else:
            what = f"«{status_text}» — не статус из списка" if status_text else "не указан статус"
            sub.problem("measure-status-invalid", f"мероприятие {code}: {what}", sheet_name, report.cells.get("status"),
                        status_text or None)
        for key in SOURCES:
            raw = at(key)
            where = report.cells.get(key)
            if is_blank(raw):
                # Nothing spent is often left blank; for money that was planned and spent it is a gap.
                if measure.plan[key] > 0 and report.status in (MEASURE_DONE, MEASURE_PARTIAL):
                    sub.problem("value-missing", f"мероприятие {code}: не указан факт расходов", sheet_name, where)
                    report.fact[key] = None
                else:
                    report.fact[key] = 0.0
                continue
            value, issues = parse_value(raw, _MONEY)
            for issue, message in issues:
                sub.problem(issue, f"мероприятие {code}: {message}", sheet_name, where, raw)
            report.fact[key] = value
            if value is not None and value > measure.plan[key] + 1e-9:
                sub.problem("measure-overspent",
                            f"мероприятие {code}: факт {format_number(value, 1)} больше плана {format_number(measure.plan[key], 1)} тыс. руб.",
                            sheet_name, where, raw)
        if report.status is not None and report.status != MEASURE_DONE and not report.reason:
            sub.problem("measure-reason-missing", f"мероприятие {code}: «{report.status}», но причина не указана",
                        sheet_name, report.cells.get("reason"))
        sub.measures[code] = report


def _header(rows) -> tuple[int | None, dict[str, int]]:
    wanted = {L.HEAD_MEASURE_CODE: "code", L.HEAD_STATUS: "status", L.HEAD_REASON: "reason"}
    wanted.update({L.fact_header(k): k for k in SOURCES})
    for r, row in enumerate(rows):
        columns = {}
        for c, value in enumerate(row):
            if isinstance(value, str) and value.strip() in wanted:
                columns.setdefault(wanted[value.strip()], c)
        if "code" in columns and "status" in columns:
            return r, columns
    return None, {}
