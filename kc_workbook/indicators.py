"""Combining inputs from several suppliers, computing indicators, comparing with targets.

An indicator is never computed from partial data: when a supplier of one of its inputs
is missing or sent an invalid value, the indicator has no fact and the reason says who.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .program import INCREASE, ZERO, Indicator, Program, Settings

MET, MISSED, NO_DATA, NO_TARGET = "met", "missed", "no_data", "no_target"
STATUS_LABELS = {MET: "достигнут", MISSED: "не достигнут", NO_DATA: "нет данных", NO_TARGET: "цель не установлена"}


@dataclass
class Combined:
    """One input for the whole program: the sum over its suppliers, or why there is none."""

    code: str
    value: float | None
    parts: dict[str, float | None] = field(default_factory=dict)  # participant → its value
    gaps: dict[str, str] = field(default_factory=dict)  # participant's short name → why its part is missing

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


@dataclass
class IndicatorResult:
    number: int
    plan: float | None
    fact: float | None
    status: str
    achievement: float | None = None  # СД, capped, by the program's rules
    deviation: float | None = None  # fact − plan
    reason: str = ""


def summarise(results: list[IndicatorResult]) -> dict:
    """Achieved / not achieved / not determinable, as counts and as percentages that add up
    to exactly 100 (largest remainder, to 0.1 %)."""
    counts = {
        "achieved": sum(1 for r in results if r.status == MET),
        "not_achieved": sum(1 for r in results if r.status == MISSED),
        "not_determinable": sum(1 for r in results if r.status in (NO_DATA, NO_TARGET)),
    }
    total = len(results)
    if not total:
        return {**counts, "total": 0, "percent": dict.fromkeys(counts, None)}
    tenths = {k: v * 1000 / total for k, v in counts.items()}
    floors = {k: int(v) for k, v in tenths.items()}
    left = 1000 - sum(floors.values())
    for k in sorted(tenths, key=lambda k: (floors[k] - tenths[k], list(counts).index(k)))[:left]:
        floors[k] += 1
    return {**counts, "total": total, "percent": {k: v / 10 for k, v in floors.items()}}


def round_half_up(value: float, digits: int) -> float:
    return float(Decimal(repr(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def combine(program: Program, supplied: dict[str, dict[str, float | None]], why_missing: dict[str, str]) -> dict[str, Combined]:
    """``supplied``: participant → {code: value or None (invalid)}; ``why_missing``: participant → reason."""
    result = {}
    for code, inp in program.inputs.items():
        parts, gaps = {}, {}
        for s in inp.suppliers:
            name = program.participants[s].short_name
            if s not in supplied:
                parts[s] = None
                gaps[name] = why_missing.get(s, "книга не представлена")
            elif supplied[s].get(code) is None:
                parts[s] = None
                gaps[name] = f"значение {code} отсутствует или ошибочно"
            else:
                parts[s] = supplied[s][code]
        value = None if gaps else sum(parts.values())
        result[code] = Combined(code, value, parts, gaps)
    return result


def achievement(ind: Indicator, plan: float, fact: float, settings: Settings) -> float:
    """СДi by the method in the program's settings: capped at ``settings.cap``."""
    cap = settings.cap
    if ind.direction == ZERO:
        return 1.0 if fact == 0 else 0.0
    if ind.direction == INCREASE:
        if plan == 0:
            return cap if fact >= 0 else 0.0
        return max(0.0, min(cap, fact / plan))
    if fact == 0:
        return cap
    return max(0.0, min(cap, plan / fact))


def is_met(ind: Indicator, plan: float, fact: float) -> bool:
    """Compared at the precision the target is stated in; must-be-zero compares the raw fact."""
    if ind.direction == ZERO:
        return fact == 0
    shown = round_half_up(fact, ind.precision)
    return shown >= plan if ind.direction == INCREASE else shown <= plan


def evaluate(program: Program, year: int, combined: dict[str, Combined]) -> list[IndicatorResult]:
    results = []
    for ind in program.indicators:
        plan = ind.target(year)
        missing = [combined[n] for n in ind.formula.names if combined[n].value is None]
        fact, reason = None, ""
        if missing:
            gaps: dict[str, str] = {}
            for c in missing:
                for name, why in c.gaps.items():
                    gaps[name] = why if name not in gaps or gaps[name] == why else "значения отсутствуют или ошибочны"
            reason = summarise_gaps(gaps)
        else:
            try:
                fact = ind.formula.evaluate({n: combined[n].value for n in ind.formula.names})
            except ZeroDivisionError:
                zeros = [n for n in ind.formula.names if combined[n].value == 0]
                reason = f"деление на ноль: {', '.join(f'{n} = 0' for n in zeros) or 'знаменатель равен 0'}"
        if fact is None:
            results.append(IndicatorResult(ind.number, plan, None, NO_DATA, reason=reason))
        elif plan is None:
            results.append(IndicatorResult(ind.number, None, fact, NO_TARGET, reason="целевое значение на этот год не установлено"))
        else:
            status = MET if is_met(ind, plan, fact) else MISSED
            results.append(IndicatorResult(ind.number, plan, fact, status, achievement(ind, plan, fact, program.settings),
                                           fact - plan))
    return results

