"""A participant's own indicators and its reasons for missing them («Обоснование отклонения»).

An indicator is the participant's own when every input of its formula is supplied by
that participant alone: then the participant's workbook can show the indicator's plan
and the fact its values give (a live Excel formula), and demand a reason when the
target is missed. ``generate`` writes that section below the inputs (``write_section``);
``read`` finds it again by its header text (``read_justifications``).

The comparison is the report's: the fact rounded half up at the indicator's precision
against the year's target, by direction (increase: fact ≥ plan; decrease: fact ≤ plan;
must be zero: fact = 0); no target for the year, no reason needed.
"""

from __future__ import annotations

from . import layout as L
from decimal import Decimal

from .cells import as_text, cell_name, is_blank, row_height
from .indicators import is_met as decided, responsible_for
from .model import Indicator, Program
from .notation import format_number, round_half_up
from .problems import Problem
from .vocabulary import DECREASE, INCREASE, ZERO

# What the participant reads as the rule next to the plan.
REQUIREMENT = {INCREASE: "не ниже плана", DECREASE: "не выше плана", ZERO: "равно 0"}


def own_indicators(program: Program, participant: str) -> list[Indicator]:
    """Indicators whose every input is supplied by ``participant`` only, in the definition's order
    (the participant explains their deviations: ``indicators.responsible_for``)."""
    return [ind for ind in program.indicators
            if ind.formula.names and participant != program.executor and responsible_for(program, ind) == participant]


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def own_fact(ind: Indicator, values: dict) -> float | None:
    """The fact as the workbook shows it: rounded half up at the indicator's precision;
    None while an input is not a number or a denominator is zero."""
    known = {n: values.get(n) for n in ind.formula.names}
    if not all(_number(v) for v in known.values()):
        return None
    try:
        fact = ind.formula.evaluate(known)
    except ZeroDivisionError:
        return None
    return float(round_half_up(fact, ind.precision))


def is_met(ind: Indicator, plan: float, shown: float) -> bool:
    """The consolidation's rule (``indicators.is_met``) on the fact as the workbook shows it."""
    return decided(ind, Decimal(repr(plan)), Decimal(repr(shown)))


def check_text(ind: Indicator, plan: float | None, fact: float | None, reason) -> str:
    """What the section's check formula shows: the cached value written with it."""
    if plan is None:
        return L.CHECK_NO_TARGET
    if fact is None:
        return L.CHECK_NO_FACT
    if is_met(ind, plan, fact):
        return L.CHECK_OK
    if as_text(reason).strip(" "):  # Excel's TRIM removes spaces only
        return L.CHECK_REASON_GIVEN
    return L.CHECK_REASON_MISSING


def excel_expression(ind: Indicator) -> str:
    """The indicator's formula in Excel's syntax over the defined names (the input codes)."""
    import ast

    source = ind.formula.text.replace("×", "*").replace("÷", "/").replace(",", ".")
    # Formula accepted it: only names, numbers, + - * /, unary minus and parentheses, whose
    # precedence is the same in Excel; no strings, so spaces can go.
    return ast.unparse(ast.parse(source.strip(), mode="eval")).replace(" ", "")


def fact_formula(ind: Indicator) -> str:
    guards = ",".join(f"ISNUMBER({n})" for n in ind.formula.names)
    return f'=IF(AND({guards}),IFERROR(ROUND({excel_expression(ind)},{ind.precision}),""),"")'


def check_formula(ind: Indicator, fact_cell: str, plan_cell: str, reason_cell: str) -> str:
    met = {INCREASE: f"{fact_cell}>={plan_cell}", DECREASE: f"{fact_cell}<={plan_cell}", ZERO: f"{fact_cell}=0"}
    return (f'=IF(NOT(ISNUMBER({fact_cell})),"{L.CHECK_NO_FACT}",IF({met[ind.direction]},"{L.CHECK_OK}",'
            f'IF(LEN(TRIM({reason_cell}))=0,"{L.CHECK_REASON_MISSING}","{L.CHECK_REASON_GIVEN}")))')


def number_format(precision: int) -> str:
    return "#,##0" + ("." + "0" * precision if precision else "")


def write_section(ws, f: dict, program: Program, year: int, indicators: list[Indicator], first_row: int,
                  columns: dict[str, int], values: dict, reasons: dict, name_width: int) -> tuple[int, list[str]]:
    """Write the own-indicators table from ``first_row`` (0-based) of the data sheet.

    ``columns``: where the data sheet's «Ед. изм.», value, comment, check and code columns
    are; the table puts its plan, fact, reason, check and rule under them. Returns the last
    row written and the cached check texts (for the summary cell).
    """
    r = first_row
    # bold, not wrapped: it runs on over the empty cells instead of into the header below
    ws.write_string(r, 1, f"Показатели, которые рассчитываются только по вашим данным ({year} год)", f["summary"])
    r += 1
    heads = {0: L.HEAD_INDICATOR_NUMBER, 1: L.HEAD_INDICATOR, columns["unit"]: L.target_header(year),
             columns["value"]: L.HEAD_OWN_FACT, columns["comment"]: L.HEAD_JUSTIFICATION,
             columns["check"]: L.HEAD_CHECK, columns["code"]: L.HEAD_REQUIREMENT}
    for c, text in heads.items():
        ws.write_string(r, c, text, f["head"])
    for c in range(max(heads) + 1):
        if c not in heads:
            ws.write_blank(r, c, None, f["head"])
    ws.set_row(r, 42)
    checks = []
    for ind in indicators:
        r += 1
        plan = ind.target(year)
        fmt = f["_number"](number_format(ind.precision))
        fact = own_fact(ind, values)
        reason = reasons.get(ind.number, "")
        ws.write_number(r, 0, ind.number, f["cell"])
        ws.write_string(r, 1, f"{ind.name}, {ind.unit}", f["cell"])
        height = row_height([f"{ind.name}, {ind.unit}"], [name_width])
        if height:
            ws.set_row(r, height)
        if plan is None:
            ws.write_string(r, columns["unit"], "не установлен", f["cell"])
        else:
            ws.write_number(r, columns["unit"], plan, fmt)
        ws.write_formula(r, columns["value"], fact_formula(ind), fmt, "" if fact is None else fact)
        ws.write_string(r, columns["comment"], reason, f["input_text"])
        ws.data_validation(r, columns["comment"], r, columns["comment"], {
            "validate": "any", "input_title": L.HEAD_JUSTIFICATION[:32],
            "input_message": "Обязательно, если план не достигнут: почему и что делается, чтобы его достичь."})
        text = check_text(ind, plan, fact, reason)
        checks.append(text)
        if plan is None:
            ws.write_string(r, columns["check"], text, f["cell"])
        else:
            fact_cell, plan_cell = cell_name(r, columns["value"]), cell_name(r, columns["unit"])
            ws.write_formula(r, columns["check"], check_formula(ind, fact_cell, plan_cell,
                                                                cell_name(r, columns["comment"])), f["cell"], text)
        ws.write_string(r, columns["code"], REQUIREMENT[ind.direction], f["code"])
        for c in range(max(heads) + 1):
            if c not in heads:
                ws.write_blank(r, c, None, f["cell"])
    return r, checks


def read_justifications(sheets: dict[str, list[list]], program: Program, participant: str | None, year: int | None,
                        values: dict[str, float], file: str | None = None
                        ) -> tuple[dict[int, tuple[str, str, str]], list[Problem]]:
    """The reasons typed in the own-indicators table, found by its header text on any sheet.

    Returns ``(reasons, problems)``: indicator number → (reason, sheet, cell) (non-empty only), and a
    «justification-missing» problem at the reason cell of each own indicator that the
    workbook's own values miss without a reason. A workbook without the table (an older
    template, or a participant with no own indicators) gives nothing.
    """
    if participant is None or year is None:
        return {}, []
    own = {ind.number: ind for ind in own_indicators(program, participant)}
    if not own:
        return {}, []
    reasons: dict[int, tuple[str, str, str]] = {}
    cells: dict[int, tuple[str, str]] = {}
    for sheet_name, rows in sheets.items():
        header = _header(rows)
        if header is None:
            continue
        h, number_col, reason_col = header
        for r in range(h + 1, len(rows)):
            row = rows[r]
            number = row[number_col] if number_col < len(row) else None
            if not _number(number) or int(number) != number or int(number) not in own or int(number) in cells:
                continue
            reason = row[reason_col] if reason_col < len(row) else None
            cells[int(number)] = (sheet_name, cell_name(r, reason_col))
            if not is_blank(reason):
                reasons[int(number)] = (as_text(reason), sheet_name, cell_name(r, reason_col))
    problems = []
    for number, (sheet_name, cell) in cells.items():
        ind = own[number]
        plan = ind.target(year)
        fact = own_fact(ind, values)
        if number in reasons or plan is None or fact is None or is_met(ind, plan, fact):
            continue
        problems.append(Problem(
            "justification-missing",
            f"показатель {number} не достигнут (план {format_number(plan)}, факт {format_number(fact)}): "
            "обоснование отклонения не представлено",
            participant=participant, file=file, sheet=sheet_name, cell=cell, value=str(number)))
    return reasons, problems


def _header(rows) -> tuple[int, int, int] | None:
    for r, row in enumerate(rows):
        texts = {c: v.strip() for c, v in enumerate(row) if isinstance(v, str)}
        numbers = [c for c, t in texts.items() if t == L.HEAD_INDICATOR_NUMBER]
        reasons = [c for c, t in texts.items() if t == L.HEAD_JUSTIFICATION]
        if numbers and reasons:
            return r, numbers[0], reasons[0]
    return None
