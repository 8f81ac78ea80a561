"""Sentences about a consolidation, the same in the CLI and in the workbook."""

from __future__ import annotations

from .notation import format_money, format_number, format_percent, format_ratio
from .vocabulary import DIRECTION_BOUND, EFFICIENCY, ERROR, INDICATOR_STATUS, NOTE, WARNING, ZERO


def verdict_text(result) -> str:
    e = result.efficiency
    if e is None or e.er is None:
        return "не определена: " + (e.reasons.get("er", "") if e else "")
    return f"{EFFICIENCY.label(e.verdict)} (ЭР = {format_ratio(e.er)}; лист «Оценка эффективности»)"


def execution_text(result) -> str:
    b = result.budget
    if b is None or b.execution["total"] is None:
        reason = (b.reasons.get("plan") or b.reasons.get("fact")) if b else ""
        return "не определено" + (f": {reason}" if reason else "")
    return (f"{format_money(b.fact['total'])} из {format_money(b.plan['total'])} тыс. руб. "
            f"({format_percent(b.execution['total'])} %; лист «Расходы»)")


def shown_value(value, precision: int) -> str:
    """A plan or fact at the indicator's precision («35,71», «56»); «—» when there is none."""
    return "—" if value is None else format_number(value, precision, group=True)


def indicator_line(r, direction: str | None = None) -> str:
    """«план не более 35,0, факт 34,0: достигнут» — the plan as the bound it is, the fact as shown and decided.

    ``direction`` (vocabulary.DIRECTION) is the indicator's; without it (nor ``r.direction``) the plan stands bare.
    A zero target reads «0» whatever the precision: no cases, not «0,0» of them.
    """
    direction = direction or getattr(r, "direction", None)
    plan = shown_value(r.plan, r.precision)
    if direction == ZERO and r.plan == 0:
        plan = "0"
    bound = DIRECTION_BOUND.label(direction) if direction in DIRECTION_BOUND and r.plan is not None else ""
    return (f"план {bound:<8} {plan:>7}, факт {shown_value(r.fact, r.precision):>7}: "
            f"{INDICATOR_STATUS.label(r.status)}")


def participants_line(result) -> str:
    return f"приняты {result.accepted} из {len(result.participants)}"


def problem_counts(result) -> dict[str, int]:
    """errors, warnings, and notes (skipped files that are not workbooks: never counted as warnings)."""
    return {"errors": result.count(ERROR), "warnings": result.count(WARNING), "skipped": result.count(NOTE)}


def alike(n: int) -> str:
    """«(и ещё 1 такое же)», «(и ещё 2 таких же)»: the problems a listed one stands for besides itself."""
    return f" (и ещё {n} {'такое же' if n % 10 == 1 and n % 100 != 11 else 'таких же'})" if n > 0 else ""


def shortened(text: str, limit: int, at_word: bool = False) -> str:
    """``text`` within ``limit`` characters, «…» at its end when cut; ``at_word``: cut between words."""
    if len(text) <= limit:
        return text
    return (text[:limit].rsplit(" ", 1)[0] if at_word else text[:limit - 1]) + "…"
