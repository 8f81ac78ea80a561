"""Combining inputs from several suppliers, computing indicators, comparing with targets.

An indicator is never computed from partial data: when a supplier of one of its inputs
is missing or sent an invalid value, the indicator has no fact and the reason says who.

Shown = decided: the fact is computed exactly (fractions) from the values as typed,
rounded once, half up, to the indicator's precision, and that rounded fact is what every
output shows, compares with the plan and uses for the deviation, the level of
achievement and СДi. The level of achievement is rounded half up to 0,1 %, but never up
to 100,0 % for a missed target (99,96 % of a missed target is shown as 99,9 %).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from .model import Indicator, Program, Settings
from .notation import exact, round_half_up
from .problems import Problem
from .vocabulary import DECREASE, EXCEEDED, INCREASE, INDICATOR_STATUS, MET, MISSED, NO_DATA, NO_TARGET, ZERO

# СДi and the level of achievement: 0,001 as a ratio, 0,1 as a percentage.
ACHIEVEMENT_DIGITS = 3


@dataclass(frozen=True)
class Combined:
    """One input for the whole program: the sum over its suppliers, or why there is none."""

    code: str
    value: Fraction | None
    parts: dict[str, float | None] = field(default_factory=dict)  # participant → its value
    gaps: dict[str, str] = field(default_factory=dict)  # participant's short name → why its part is missing
    missing_books: bool = False  # some supplier sent no usable workbook at all

    @property
    def reason(self) -> str:
        return summarise_gaps(self.gaps)


# With hundreds of suppliers a reason listing all of them would fill a cell: name a few.
SHOWN_GAPS = 5


def summarise_gaps(gaps: dict[str, str]) -> str:
    shown = [f"{name}: {why}" for name, why in list(gaps.items())[:SHOWN_GAPS]]
    if len(gaps) > SHOWN_GAPS:
        shown.append(f"и ещё {len(gaps) - SHOWN_GAPS} участн. (лист «Участники»)")
    return "; ".join(shown)


@dataclass(frozen=True)
class IndicatorResult:
    number: int
    plan: float | None
    fact: float | None  # rounded to the indicator's precision: what is shown and decided on
    status: str  # vocabulary.INDICATOR_STATUS
    achievement: float | None = None  # СДi, capped, to 0,001
    deviation: float | None = None  # fact − plan, at the indicator's precision
    level: float | None = None  # level of achievement, % (not capped), to 0,1
    reason: str = ""
    fact_exact: Fraction | None = None
    precision: int = 0
    previous: float | None = None  # last year's fact, at this precision; None: no data
    justification: str = ""  # the reason for the deviation, as given
    justification_by: str | None = None  # participant who gives it (the executor for combined indicators)
    justification_at: str = ""  # «файл: Лист!Ячейка» where it was given

    @property
    def status_label(self) -> str:
        return INDICATOR_STATUS.label(self.status)


def responsible_for(program: Program, ind: Indicator) -> str:
    """Who explains a deviation: the one participant whose values alone determine the
    indicator (it sees the indicator in its workbook), else the executor."""
    return program.responsible[ind.number]


def summarise(results: list[IndicatorResult]) -> dict:
    """Achieved / exceeded / not achieved / not determinable, over the indicators that have a
    target this year, as counts and as percentages that add up to exactly 100 (largest
    remainder, to 0.1 %)."""
    targeted = [r for r in results if r.status != NO_TARGET]
    counts = {
        "achieved": sum(1 for r in targeted if r.status == MET),
        "exceeded": sum(1 for r in targeted if r.status == EXCEEDED),
        "not_achieved": sum(1 for r in targeted if r.status == MISSED),
        "not_determinable": sum(1 for r in targeted if r.status == NO_DATA),
    }
    total = len(targeted)
    without_target = len(results) - total
    if not total:
        return {**counts, "total": 0, "without_target": without_target, "percent": dict.fromkeys(counts, None)}
    tenths = {k: Fraction(v * 1000, total) for k, v in counts.items()}
    floors = {k: math.floor(v) for k, v in tenths.items()}
    left = 1000 - sum(floors.values())
    for k in sorted(tenths, key=lambda k: (floors[k] - tenths[k], list(counts).index(k)))[:left]:
        floors[k] += 1
    return {**counts, "total": total, "without_target": without_target,
            "percent": {k: v / 10 for k, v in floors.items()}}


def combine(program: Program, supplied: dict[str, dict[str, float | None]], why_missing: dict[str, str]
            ) -> dict[str, Combined]:
    """``supplied``: participant → {code: value, or None when invalid}; ``why_missing``: participant → reason."""
    result = {}
    for code, inp in program.inputs.items():
        parts, gaps, missing_books = {}, {}, False
        for s in inp.suppliers:
            name = program.participants[s].short_name
            if s not in supplied:
                parts[s] = None
                gaps[name] = why_missing.get(s, "книга не представлена")
                missing_books = True
            elif supplied[s].get(code) is None:
                parts[s] = None
                gaps[name] = f"значение {code} отсутствует или ошибочно"
            else:
                parts[s] = supplied[s][code]
        value = None if gaps else sum((exact(v) for v in parts.values()), Fraction(0))
        result[code] = Combined(code, value, parts, gaps, missing_books)
    return result


def level_of_achievement(ind: Indicator, plan: Decimal, fact: Decimal) -> Fraction | None:
    """fact / plan (increase) or plan / fact (decrease), not capped; None where it has no meaning."""
    if ind.direction == ZERO:
        return Fraction(1) if fact == 0 else Fraction(0)
    if ind.direction == INCREASE:
        return None if plan == 0 else Fraction(fact) / Fraction(plan)
    return None if fact == 0 else Fraction(plan) / Fraction(fact)


def is_met(ind: Indicator, plan: Decimal, fact: Decimal) -> bool:
    """The rounded fact against the plan: increase — not below, decrease — not above, zero — equal to 0."""
    if ind.direction == ZERO:
        return fact == 0
    return fact >= plan if ind.direction == INCREASE else fact <= plan


def assess(ind: Indicator, plan: float, fact_exact: Fraction, settings: Settings) -> IndicatorResult:
    """Everything shown about an indicator that has a target and a fact, decided on the rounded fact."""
    fact = round_half_up(fact_exact, ind.precision)
    planned = Decimal(repr(plan))
    met = is_met(ind, planned, fact)
    ratio = level_of_achievement(ind, planned, fact)
    level = None
    if ratio is not None:
        level = round_half_up(ratio * 100, ACHIEVEMENT_DIGITS - 2)
        if not met and level >= 100:  # half up must not carry a missed target to 100,0 %
            level = Decimal(math.floor(ratio * 1000)).scaleb(-1).min(Decimal("99.9"))
    cap = exact(settings.cap)
    if ind.direction == ZERO:
        sd = Fraction(1) if met else Fraction(0)
    elif ratio is None:  # a plan of 0 to increase from, or nothing left to decrease: fully achieved
        sd = cap if met else Fraction(0)
    else:
        sd = max(Fraction(0), min(cap, Fraction(level) / 100))
    status = MET if met else MISSED
    if met and level is not None and ind.direction != ZERO and level > 100 + exact(settings.exceed_margin):
        status = EXCEEDED
    return IndicatorResult(
        number=ind.number, plan=plan, fact=float(fact), status=status,
        achievement=float(round_half_up(sd, ACHIEVEMENT_DIGITS)),
        deviation=float(fact - planned), level=None if level is None else float(level), fact_exact=fact_exact,
        precision=ind.precision)


def evaluate(program: Program, year: int, combined: dict[str, Combined]) -> tuple[list[IndicatorResult], list[Problem]]:
    """Every indicator's result for ``year``, and a problem for each one that cannot be computed
    although every supplier's workbook arrived (a zero denominator, an invalid value)."""
    results, problems = [], []
    for ind in program.indicators:
        plan = ind.target(year)
        missing = [combined[n] for n in ind.formula.names if combined[n].value is None]
        fact_exact, reason = None, ""
        if missing:
            gaps: dict[str, str] = {}
            for c in missing:
                for name, why in c.gaps.items():
                    gaps[name] = why if name not in gaps or gaps[name] == why else "значения отсутствуют или ошибочны"
            reason = summarise_gaps(gaps)
        else:
            try:
                fact_exact = ind.formula.evaluate({n: combined[n].value for n in ind.formula.names})
            except ZeroDivisionError:
                zeros = [n for n in ind.formula.names if combined[n].value == 0]
                reason = f"деление на ноль: {', '.join(f'{n} = 0' for n in zeros) or 'знаменатель равен 0'}"
        if fact_exact is None:
            results.append(IndicatorResult(ind.number, plan, None, NO_DATA, reason=reason, precision=ind.precision))
            if not any(c.missing_books for c in missing):
                problems.append(Problem("indicator-undeterminable", f"показатель {ind.number} «{ind.name}» не "
                                        f"рассчитан: {reason} (формула {ind.formula.text})"))
        elif plan is None:
            fact = round_half_up(fact_exact, ind.precision)
            results.append(IndicatorResult(ind.number, None, float(fact), NO_TARGET, fact_exact=fact_exact,
                                           reason="целевое значение на этот год не установлено",
                                           precision=ind.precision))
        else:
            results.append(assess(ind, plan, fact_exact, program.settings))
    return results, problems


__all__ = ["Combined", "IndicatorResult", "combine", "evaluate", "assess", "summarise", "summarise_gaps",
           "MET", "EXCEEDED", "MISSED", "NO_DATA", "NO_TARGET", "DECREASE"]
