"""Reading a participant's measures sheet: actual spending by source, status and reason.

Rows are found by the measure code under the «Код мероприятия» header, columns by their
header text, like the data sheet.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import layout as L
from .cells import as_text, cell_name, is_blank
from .model import Input, Program
from .notation import format_number
from .problems import Problem
from .values import parse_value
from .vocabulary import MEASURE_DONE, MEASURE_PARTIAL, MEASURE_STATUS, SOURCES

# Money as the participant types it: a decimal, thousand roubles, not negative.
_MONEY = Input("MONEY", "сумма", "тыс. руб.", "decimal", 0.0, ())


@dataclass
class MeasureReport:
    code: str
    sheet: str
    row: int
    fact: dict[str, float | None] = field(default_factory=dict)  # None: invalid
    status: str | None = None  # vocabulary.MEASURE_STATUS code; None: missing or not one of them
    reason: str = ""
    term: str = ""  # the actual dates, as typed
    achieved: str = ""  # the result achieved, as typed
    cells: dict[str, str] = field(default_factory=dict)  # "municipal"/…/"status"/"reason" → "G5"

    @property
    def spent(self) -> float | None:
        """Actual spending over all sources; None when a source's figure is missing or invalid."""
        return None if None in self.fact.values() else sum(self.fact.values())


def read_measures(sheets: dict, program: Program, participant: str, year: int, where
                  ) -> tuple[dict[str, MeasureReport], list[Problem]]:
    """The participant's reports on its measures of ``year`` (by code), and the problems found."""
    reports: dict[str, MeasureReport] = {}
    problems: list[Problem] = []
    expected = {m.code: m for m in program.measures_of(participant, year)}
    if not expected:
        return reports, problems
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
            problems.append(where.problem("measure-not-found", f"нет строки мероприятия «{code}» ({measure.name})",
                                          L.SHEET_MEASURES))
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
        report.term, report.achieved = as_text(at("term")), as_text(at("achieved"))
        report.status = MEASURE_STATUS.code(status_text)
        if report.status is None:
            what = f"«{status_text}» — не статус из списка" if status_text else "не указан статус"
            problems.append(where.problem("measure-status-invalid", f"мероприятие {code}: {what}", sheet_name,
                                          report.cells.get("status"), status_text or None))
        for key in SOURCES:
            raw = at(key)
            cell = report.cells.get(key)
            if is_blank(raw):
                # Nothing spent is often left blank; for money that was planned and spent it is a gap.
                if measure.plan[key] > 0 and report.status in (MEASURE_DONE, MEASURE_PARTIAL):
                    problems.append(where.problem("value-missing", f"мероприятие {code}: не указан факт расходов",
                                                  sheet_name, cell))
                    report.fact[key] = None
                else:
                    report.fact[key] = 0.0
                continue
            value, issues = parse_value(raw, _MONEY)
            problems += [where.problem(issue, f"мероприятие {code}: {message}", sheet_name, cell, raw)
                         for issue, message in issues]
            report.fact[key] = value
            if value is not None and value > measure.plan[key]:
                problems.append(where.problem(
                    "measure-overspent", f"мероприятие {code}: факт {format_number(value, 1)} больше плана "
                    f"{format_number(measure.plan[key], 1)} тыс. руб.", sheet_name, cell, raw))
        if report.status is not None and report.status != MEASURE_DONE and not report.reason:
            problems.append(where.problem("measure-reason-missing", f"мероприятие {code}: "
                                          f"«{MEASURE_STATUS.label(report.status)}», но причина не указана",
                                          sheet_name, report.cells.get("reason")))
        reports[code] = report
    return reports, problems


def _header(rows) -> tuple[int | None, dict[str, int]]:
    wanted = {L.HEAD_MEASURE_CODE: "code", L.HEAD_STATUS: "status", L.HEAD_REASON: "reason",
              L.HEAD_TERM_FACT: "term", L.HEAD_RESULT_FACT: "achieved"}
    wanted.update({L.fact_header(k): k for k in SOURCES})
    for r, row in enumerate(rows):
        columns = {}
        for c, value in enumerate(row):
            if isinstance(value, str) and value.strip() in wanted:
                columns.setdefault(wanted[value.strip()], c)
        if "code" in columns and "status" in columns:
            return r, columns
    return None, {}
