"""The program definition as plain, frozen objects, and its JSON export.

Made by ``loader.load_program`` from the definition workbook; never changed afterwards
(``dataclasses.replace`` makes a new one). Look-ups that consolidation asks for every
file are computed once per object (``cached_property``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property

from .formula import Formula
from .vocabulary import (
    DIRECTION,
    INCREASE,
    MISSING_FACT,
    PARTICIPANT,
    SOURCES,
    SRM_SCOPE,
    SSUZ_PLAN,
    ZERO_RULE,
)

# The finance department reports the year's actual spending by source through these
# inputs, and (optionally) the сводная бюджетная роспись on 1 January and 31 December.
BUDGET_INPUTS = {
    "municipal": "BUDGET_FACT_MUNICIPAL",
    "regional": "BUDGET_FACT_REGIONAL",
    "offbudget": "BUDGET_FACT_OFFBUDGET",
}
ROSPIS_JAN_INPUTS = {k: f"BUDGET_ROSPIS_JAN_{k.upper()}" for k in SOURCES}
ROSPIS_DEC_INPUTS = {k: f"BUDGET_ROSPIS_DEC_{k.upper()}" for k in SOURCES}

# Funding is in thousand roubles to 0.1: sums agree when they differ by less than this.
MONEY_TOLERANCE = 0.05


@dataclass(frozen=True)
class Participant:
    code: str
    short_name: str
    name: str
    role: str = PARTICIPANT
    email: str = ""
    contact: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Task:
    number: int
    name: str


@dataclass(frozen=True)
class Input:
    code: str
    name: str
    unit: str
    kind: str  # vocabulary.KIND
    lower_bound: float
    suppliers: tuple[str, ...]
    symbol: str = ""
    combine: str = "sum"
    upper: Formula | None = None  # control ratio: the value may not exceed this expression
    required: bool = True  # an optional input may be left empty
    # Reconciliation: the value should lie within ``near_tolerance`` % of this expression.
    near: Formula | None = None
    near_tolerance: float = 0.0


@dataclass(frozen=True)
class Indicator:
    number: int
    task: int
    name: str
    unit: str
    direction: str  # vocabulary.DIRECTION
    formula: Formula
    precision: int  # decimals the indicator is reported, compared and evaluated with
    source: str = ""
    targets: dict[int, float | None] = field(default_factory=dict)  # None: no target ("-")
    weight: float = 1.0  # in СР

    def target(self, year: int) -> float | None:
        return self.targets.get(year)


@dataclass(frozen=True)
class Funding:
    year: int
    municipal: float
    regional: float
    offbudget: float
    total: float

    def by_source(self) -> dict[str, float]:
        return {"municipal": self.municipal, "regional": self.regional, "offbudget": self.offbudget}


@dataclass(frozen=True)
class Measure:
    code: str
    task: int | None
    name: str
    responsible: str
    year: int
    plan: dict[str, float]
    term: str = ""  # planned dates, as the executor writes them («01.02–30.11», «IV квартал»)
    result: str = ""  # the planned result

    @property
    def budget_funded(self) -> bool:
        return sum(self.plan.values()) > 0


@dataclass(frozen=True)
class Settings:
    method: str = ""
    threshold_high: float = 0.90
    threshold_medium: float = 0.80
    threshold_satisfactory: float = 0.70
    cap: float = 1.0
    zero_rule: str = "one_if_zero"  # vocabulary.ZERO_RULE
    srm_scope: str = "budget_funded"  # vocabulary.SRM_SCOPE
    ssuz_plan: str = "passport"  # vocabulary.SSUZ_PLAN
    missing_fact: str = "sr_undetermined"  # vocabulary.MISSING_FACT
    exceed_margin: float = 10.0  # «перевыполнен»: achievement above 100 % by more than this, %
    jump_factor: float = 3.0  # value-jump: a value this many times above or below last year's

    def described(self) -> list[tuple[str, str]]:
        """Each rule as (what, the choice), in Russian: printed wherever a result is shown."""
        from .notation import format_number, format_ratio

        return [
            ("Методика", self.method or "не указана"),
            ("Пороги ЭР", f"высокая — не менее {format_ratio(self.threshold_high)}, средняя — не менее "
                          f"{format_ratio(self.threshold_medium)}, удовлетворительная — не менее "
                          f"{format_ratio(self.threshold_satisfactory)}"),
            ("Ограничение СДi сверху", format_number(self.cap)),
            ("Показатели «отсутствие случаев»", ZERO_RULE.label(self.zero_rule)),
            ("Мероприятия в СРм", SRM_SCOPE.label(self.srm_scope)),
            ("План расходов для ССуз", SSUZ_PLAN.label(self.ssuz_plan)),
            ("Показатель без факта", MISSING_FACT.label(self.missing_fact)),
            ("Перевыполнение", f"уровень достижения выше 100 % более чем на {format_number(self.exceed_margin)} %"),
        ]


@dataclass(frozen=True)
class Program:
    program_id: str
    name: str
    executor: str
    start_year: int
    end_year: int
    stages: str = ""
    goal: str = ""
    amendment: str = ""
    deadline: str = ""
    participants: dict[str, Participant] = field(default_factory=dict)
    tasks: dict[int, Task] = field(default_factory=dict)
    inputs: dict[str, Input] = field(default_factory=dict)
    indicators: tuple[Indicator, ...] = ()
    funding: dict[int, Funding] = field(default_factory=dict)
    measures: tuple[Measure, ...] = ()
    settings: Settings = field(default_factory=Settings)
    past_facts: dict[int, dict[int, float]] = field(default_factory=dict)  # indicator → year → fact
    path: str = field(default="", compare=False)

    @property
    def years(self) -> range:
        return range(self.start_year, self.end_year + 1)

    def target_years(self) -> list[int]:
        return sorted({y for ind in self.indicators for y in ind.targets})

    @cached_property
    def indicator(self) -> dict[int, Indicator]:
        return {ind.number: ind for ind in self.indicators}

    @cached_property
    def _inputs_by_participant(self) -> dict[str, tuple[Input, ...]]:
        index: dict[str, list[Input]] = {}
        for inp in self.inputs.values():
            for s in dict.fromkeys(inp.suppliers):
                index.setdefault(s, []).append(inp)
        return {k: tuple(v) for k, v in index.items()}

    def inputs_of(self, participant: str) -> list[Input]:
        """The inputs a participant supplies, in the order of the definition."""
        return list(self._inputs_by_participant.get(participant, ()))

    def measures_of(self, participant: str | None, year: int) -> list[Measure]:
        """The year's measures of one participant (or of everyone, for None), in definition order."""
        return [m for m in self.measures if m.year == year and (participant is None or m.responsible == participant)]

    @cached_property
    def _suppliers_by_year(self) -> dict[int | None, tuple[str, ...]]:
        return {}  # filled lazily by ``suppliers``; internal, never part of equality

    def suppliers(self, year: int | None = None) -> list[str]:
        """Participants who report: they supply an input, or are responsible for a measure of ``year``."""
        cache = self._suppliers_by_year
        if year not in cache:
            codes = {s for i in self.inputs.values() for s in i.suppliers}
            if year is not None:
                codes |= {m.responsible for m in self.measures_of(None, year)}
            cache[year] = tuple(c for c in self.participants if c in codes)
        return list(cache[year])

    @cached_property
    def responsible(self) -> dict[int, str]:
        """indicator → who explains its deviations: the one participant whose values alone
        determine it (it sees the indicator in its workbook), else the executor."""
        found = {}
        for ind in self.indicators:
            suppliers = {s for name in ind.formula.names for s in self.inputs[name].suppliers}
            alone = len(suppliers) == 1 and all(len(self.inputs[n].suppliers) == 1 for n in ind.formula.names)
            found[ind.number] = next(iter(suppliers)) if alone else self.executor
        return found

    def input_signature(self, code: str) -> str:
        """What a value of this input means: unit, kind, bound and the formulas it enters. A workbook
        made under a definition where this changed carries values that must not be used."""
        inp = self.inputs[code]
        roles = sorted(f"{ind.number}:{ind.formula.text}" for ind in self.indicators if code in ind.formula.names)
        text = "|".join([inp.unit, inp.kind, repr(inp.lower_bound), inp.upper.text if inp.upper else "", *roles])
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]

    @cached_property
    def fingerprint(self) -> str:
        """Changes whenever anything but contact details changes: marks outdated workbooks."""
        data = self.to_dict()
        for p in data["participants"]:
            p.pop("email", None)
        data.pop("past_facts")  # typed from published reports: nothing a participant's workbook shows
        canonical = json.dumps(data, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]

    def to_dict(self) -> dict:
        return {
            "program_id": self.program_id,
            "name": self.name,
            "executor": self.executor,
            "period": [self.start_year, self.end_year],
            "stages": self.stages,
            "amendment": self.amendment,
            "participants": [
                {"code": p.code, "name": p.name, "short_name": p.short_name, "role": p.role, "email": p.email}
                for p in self.participants.values()
            ],
            "tasks": [{"number": t.number, "name": t.name} for t in self.tasks.values()],
            "inputs": [
                {
                    "code": i.code,
                    "name": i.name,
                    "symbol": i.symbol,
                    "unit": i.unit,
                    "kind": i.kind,
                    "lower_bound": i.lower_bound,
                    "suppliers": list(i.suppliers),
                    "combine": i.combine,
                    "upper": i.upper.text if i.upper else None,
                    "required": i.required,
                    "near": i.near.text if i.near else None,
                    "near_tolerance": i.near_tolerance if i.near else None,
                }
                for i in self.inputs.values()
            ],
            "indicators": [
                {
                    "number": ind.number,
                    "name": ind.name,
                    "unit": ind.unit,
                    "task": ind.task,
                    "direction": ind.direction,
                    "direction_label": DIRECTION.label(ind.direction),
                    "formula": ind.formula.text,
                    "precision": ind.precision,
                    "weight": ind.weight,
                    "source": ind.source,
                    "targets": {str(y): ind.targets.get(y) for y in self.target_years()},
                }
                for ind in self.indicators
            ],
            "past_facts": {str(n): {str(y): v for y, v in sorted(facts.items())}
                           for n, facts in sorted(self.past_facts.items()) if facts},
            "funding": {
                str(f.year): {**f.by_source(), "total": f.total} for f in sorted(self.funding.values(), key=lambda f: f.year)
            },
            "measures": [
                {"code": m.code, "task": m.task, "name": m.name, "responsible": m.responsible, "year": m.year,
                 "plan": m.plan, "term": m.term, "result": m.result}
                for m in self.measures
            ],
            "settings": {
                "method": self.settings.method,
                "thresholds": {
                    "high": self.settings.threshold_high,
                    "medium": self.settings.threshold_medium,
                    "satisfactory": self.settings.threshold_satisfactory,
                },
                "cap": self.settings.cap,
                "zero_rule": self.settings.zero_rule,
                "srm_scope": self.settings.srm_scope,
                "ssuz_plan": self.settings.ssuz_plan,
                "missing_fact": self.settings.missing_fact,
                "exceed_margin": self.settings.exceed_margin,
                "jump_factor": self.settings.jump_factor,
            },
        }


__all__ = [
    "BUDGET_INPUTS", "ROSPIS_JAN_INPUTS", "ROSPIS_DEC_INPUTS", "MONEY_TOLERANCE", "Participant", "Task", "Input",
    "Indicator", "Funding", "Measure", "Settings", "Program", "INCREASE",
]
