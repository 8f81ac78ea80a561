"""The efficiency evaluation (the federal method most municipalities copy; see DOMAIN.md):

- СДi — achievement of indicator i (``indicators.achievement``), capped by the settings;
- СР = mean СДi over the indicators that have a target this year;
- СРм = measures done in full / measures planned;
- ССуз = actual spending / planned spending;
- Эис = СРм / ССуз;
- ЭР = СР × Эис, with the verdict by the thresholds of the program definition.

A value that cannot be determined is None, and ``reasons`` says why.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .budget import Budget
from .indicators import IndicatorResult
from .program import MEASURE_DONE, Program

HIGH, MEDIUM, SATISFACTORY, UNSATISFACTORY = "высокая", "средняя", "удовлетворительная", "неудовлетворительная"


@dataclass
class Efficiency:
    sd: dict[int, float | None]
    sr: float | None = None
    srm: float | None = None
    ssuz: float | None = None
    eis: float | None = None
    er: float | None = None
    verdict: str | None = None
    reasons: dict[str, str] = field(default_factory=dict)
    measures_done: int = 0
    measures_planned: int = 0


def verdict(er: float, program: Program) -> str:
    s = program.settings
    if er >= s.threshold_high:
        return HIGH
    if er >= s.threshold_medium:
        return MEDIUM
    if er >= s.threshold_satisfactory:
        return SATISFACTORY
    return UNSATISFACTORY


def evaluate_efficiency(program: Program, year: int, indicators: list[IndicatorResult], budget: Budget) -> Efficiency:
    targeted = [r for r in indicators if r.plan is not None]
    result = Efficiency(sd={r.number: r.achievement for r in targeted})
    why = result.reasons

    without = [r.number for r in targeted if r.achievement is None]
    if not targeted:
        why["sr"] = f"ни у одного показателя нет целевого значения на {year} год"
    elif without:
        why["sr"] = "нет фактических значений показателей № " + ", ".join(map(str, without))
    else:
        result.sr = sum(r.achievement for r in targeted) / len(targeted)

    result.measures_planned = len(budget.measures)
    unreported = [m.code for m in budget.measures if m.status is None]
    if not budget.measures:
        why["srm"] = f"мероприятия на {year} год не определены (лист «Мероприятия» определения программы)"
    elif unreported:
        why["srm"] = "нет сведений о выполнении мероприятий " + ", ".join(unreported)
    else:
        result.measures_done = sum(1 for m in budget.measures if m.status == MEASURE_DONE)
        result.srm = result.measures_done / result.measures_planned

    plan, fact = budget.plan["total"], budget.fact["total"]
    if plan is None or plan == 0:
        why["ssuz"] = budget.reasons.get("plan") or f"план расходов на {year} год равен 0"
    elif fact is None:
        why["ssuz"] = "нет данных о фактических расходах: " + budget.reasons.get("fact", "")
    else:
        result.ssuz = fact / plan

    if result.srm is None or result.ssuz is None:
        why["eis"] = "не определены " + " и ".join(n for n, v in (("СРм", result.srm), ("ССуз", result.ssuz)) if v is None)
    elif result.ssuz == 0:
        why["eis"] = "фактических расходов не было (ССуз = 0)"
    else:
        result.eis = result.srm / result.ssuz

    if result.sr is None or result.eis is None:
        why["er"] = "не определены " + " и ".join(n for n, v in (("СР", result.sr), ("Эис", result.eis)) if v is None)
        why["verdict"] = why["er"]
    else:
        result.er = result.sr * result.eis
        result.verdict = verdict(result.er, program)
    return result
