"""Budget execution: the program's funding for the year against the finance department's
actual spending, by source, and the same by measure and by participant where measures exist."""

from __future__ import annotations

from dataclasses import dataclass, field

from .indicators import Combined
from .program import BUDGET_INPUTS, SOURCES, Program

KEYS = (*SOURCES, "total")


@dataclass
class MeasureLine:
    code: str
    name: str
    responsible: str
    plan: dict[str, float]
    fact: dict[str, float | None] | None  # None: no report from the responsible participant
    status: str | None
    reason: str


@dataclass
class Budget:
    plan: dict[str, float | None]
    fact: dict[str, float | None]
    execution: dict[str, float | None]  # fact / plan × 100
    reasons: dict[str, str] = field(default_factory=dict)
    measures: list[MeasureLine] = field(default_factory=list)

    def by_participant(self) -> dict[str, tuple[float, float | None]]:
        """participant → (planned total, actual total or None when a report is missing)."""
        result: dict[str, tuple[float, float | None]] = {}
        for m in self.measures:
            plan, fact = result.get(m.responsible, (0.0, 0.0))
            spent = None if m.fact is None or any(v is None for v in m.fact.values()) else sum(m.fact.values())
            result[m.responsible] = (plan + sum(m.plan.values()), None if fact is None or spent is None else fact + spent)
        return result


def execution(plan: float | None, fact: float | None) -> float | None:
    if plan is None or fact is None or plan == 0:
        return None
    return fact / plan * 100


def compute_budget(program: Program, year: int, combined: dict[str, Combined], reports: dict) -> Budget:
    """``reports``: measure code → measures.MeasureReport, or None when not reported."""
    funding = program.funding.get(year)
    reasons = {}
    if funding is None:
        plan = dict.fromkeys(KEYS)
        reasons["plan"] = f"финансирование программы на {year} год не установлено (лист «Финансирование»)"
    else:
        plan = {**funding.by_source(), "total": funding.total}
    fact: dict[str, float | None] = {}
    for key in SOURCES:
        item = combined.get(BUDGET_INPUTS[key])
        fact[key] = item.value if item else None
        if fact[key] is None:
            reasons["fact"] = item.reason if item else f"в программе нет исходных данных {BUDGET_INPUTS[key]}"
    fact["total"] = None if any(fact[k] is None for k in SOURCES) else sum(fact[k] for k in SOURCES)
    result = Budget(plan, fact, {k: execution(plan[k], fact[k]) for k in KEYS}, reasons)
    for m in program.measures_of(None, year):
        report = reports.get(m.code)
        result.measures.append(MeasureLine(m.code, m.name, m.responsible, m.plan,
                                           dict(report.fact) if report else None,
                                           report.status if report else None, report.reason if report else ""))
    return result
