"""Budget execution: the program's funding for the year against the finance department's
actual spending, by source, and the same by measure and by participant where measures exist.

Money is thousand roubles to 0,1: each source's figure is rounded once, half up, and the
total is the sum of the rounded sources, so that a printed table adds up.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .indicators import Combined
from .model import BUDGET_INPUTS, MONEY_TOLERANCE, ROSPIS_DEC_INPUTS, ROSPIS_JAN_INPUTS, Program
from .notation import exact, format_money, format_percent, rounded
from .problems import Problem
from .vocabulary import SOURCE, SOURCES

KEYS = (*SOURCES, "total")


@dataclass(frozen=True)
class MeasureLine:
    code: str
    name: str
    responsible: str
    plan: dict[str, float]
    fact: dict[str, float | None] | None  # None: no report from the responsible participant
    status: str | None  # vocabulary.MEASURE_STATUS
    reason: str
    budget_funded: bool = True
    term: str = ""  # planned dates
    result: str = ""  # planned result
    term_fact: str = ""  # actual dates
    achieved: str = ""  # achieved result

    @property
    def planned(self) -> float:
        return rounded(sum(exact(v) for v in self.plan.values()), 1)

    @property
    def spent(self) -> float | None:
        """Actual spending over all sources; None when not reported or a figure is missing."""
        if self.fact is None or any(v is None for v in self.fact.values()):
            return None
        return rounded(sum(exact(v) for v in self.fact.values()), 1)


@dataclass(frozen=True)
class Budget:
    plan: dict[str, float | None]  # the passport's funding for the year
    fact: dict[str, float | None]  # кассовое исполнение reported by the finance department
    execution: dict[str, float | None]  # fact / plan × 100, to 0,1
    reasons: dict[str, str] = field(default_factory=dict)
    measures: tuple[MeasureLine, ...] = ()
    rospis_jan: dict[str, float | None] | None = None  # сводная бюджетная роспись on 1 January, when reported
    rospis_dec: dict[str, float | None] | None = None  # … on 31 December, when reported

    def by_participant(self) -> dict[str, tuple[float, float | None]]:
        """participant → (planned total, actual total or None when a report is missing)."""
        result: dict[str, tuple[float, float | None]] = {}
        for m in self.measures:
            plan, fact = result.get(m.responsible, (0.0, 0.0))
            spent = m.spent
            result[m.responsible] = (rounded(exact(plan) + exact(m.planned), 1),
                                     None if fact is None or spent is None else rounded(exact(fact) + exact(spent), 1))
        return result

    @property
    def measures_spent(self) -> float | None:
        """The measures' spending in total, when every measure reported it."""
        spent = [m.spent for m in self.measures]
        return None if not spent or None in spent else rounded(sum(exact(v) for v in spent), 1)


def execution(plan: float | None, fact: float | None) -> float | None:
    """fact / plan × 100, to 0,1 %, from the figures as shown."""
    if plan is None or fact is None or plan == 0:
        return None
    return rounded(exact(fact) / exact(plan) * 100, 1)


def _by_source(combined: dict[str, Combined], codes: dict[str, str]) -> dict[str, float | None] | None:
    """Rounded figures by source and their total; None when none of the inputs was reported."""
    items = {k: combined.get(codes[k]) for k in SOURCES}
    if all(item is None or item.value is None for item in items.values()):
        return None
    figures = {k: rounded(item.value, 1) if item is not None and item.value is not None else None
               for k, item in items.items()}
    figures["total"] = None if None in figures.values() else rounded(sum(exact(v) for v in figures.values()), 1)
    return figures


def compute_budget(program: Program, year: int, combined: dict[str, Combined], reports: dict) -> Budget:
    """``reports``: measure code → measures.MeasureReport, or None when not reported."""
    funding = program.funding.get(year)
    reasons = {}
    if funding is None:
        plan = dict.fromkeys(KEYS)
        reasons["plan"] = f"финансирование программы на {year} год не установлено (лист «Финансирование»)"
    else:
        plan = {**{k: rounded(v, 1) for k, v in funding.by_source().items()}, "total": rounded(funding.total, 1)}
    fact: dict[str, float | None] = {}
    for key in SOURCES:
        item = combined.get(BUDGET_INPUTS[key])
        fact[key] = rounded(item.value, 1) if item and item.value is not None else None
        if fact[key] is None:
            reasons["fact"] = item.reason if item else f"в программе нет исходных данных {BUDGET_INPUTS[key]}"
    fact["total"] = None if any(fact[k] is None for k in SOURCES) else rounded(sum(exact(fact[k]) for k in SOURCES), 1)
    lines = []
    for m in program.measures_of(None, year):
        report = reports.get(m.code)
        lines.append(MeasureLine(m.code, m.name, m.responsible, m.plan, dict(report.fact) if report else None,
                                 report.status if report else None, report.reason if report else "", m.budget_funded,
                                 m.term, m.result, report.term if report else "", report.achieved if report else ""))
    return Budget(plan, fact, {k: execution(plan[k], fact[k]) for k in KEYS}, reasons, tuple(lines),
                  rospis_jan=_by_source(combined, ROSPIS_JAN_INPUTS), rospis_dec=_by_source(combined, ROSPIS_DEC_INPUTS))


def overspending(budget: Budget, year: int, where) -> list[Problem]:
    """Spending above the year's funding, per source and in total (warnings with both figures).

    ``where(key)`` gives the finance department's cell for a source as (participant, file, sheet, cell)."""
    problems = []
    for key in KEYS:
        plan, fact = budget.plan.get(key), budget.fact.get(key)
        if plan is None or fact is None or exact(fact) - exact(plan) < exact(MONEY_TOLERANCE):
            continue
        label = SOURCE.label(key) if key in SOURCE else "Всего по программе"
        share = f" ({format_percent(budget.execution[key])} %)" if budget.execution[key] is not None else ""
        participant, file, sheet, cell = where(key)
        problems.append(Problem("budget-overspent", f"{label}: израсходовано {format_money(fact)} тыс. руб., а "
                                f"финансирование программы на {year} год — {format_money(plan)} тыс. руб.{share}",
                                participant=participant, file=file, sheet=sheet, cell=cell,
                                value=format_money(fact)))
    return problems


def against_measures(budget: Budget, where) -> list[Problem]:
    """The measures' actual spending per source should add up to the finance department's figure."""
    if not budget.measures or any(m.fact is None or None in m.fact.values() for m in budget.measures):
        return []
    problems = []
    for key in SOURCES:
        reported = budget.fact[key]
        participant, file, sheet, cell = where(key)
        if reported is None or cell is None:
            continue
        spent = rounded(sum(exact(m.fact[key]) for m in budget.measures), 1)
        if abs(exact(spent) - exact(reported)) >= exact(MONEY_TOLERANCE):
            problems.append(Problem(
                "budget-mismatch", f"{SOURCE.label(key)}: по мероприятиям израсходовано {format_money(spent)} тыс. руб., "
                f"по данным департамента финансов — {format_money(reported)} тыс. руб. (разница "
                f"{format_money(rounded(exact(spent) - exact(reported), 1))})",
                participant=participant, file=file, sheet=sheet, cell=cell, value=format_money(reported)))
    return problems
