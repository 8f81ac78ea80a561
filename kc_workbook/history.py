"""The program's years: the JSON records of consolidated years, merged with past facts, and
the outlook to 2030.

Nothing here prints or writes: ``build_history`` returns a ``History`` (indicators × years
with plan, fact, source and status; the outlook; problems). Records are found as
``DIR/ГОД/consolidated_ГОД.json`` (``DIR`` is ``output/`` by default). A record that cannot be
read, or is not a record of this program, is a Problem, not a crash; a record made under
another edition of the definition is used, with a note.

Plans always come from the current definition; facts from the records, else from the
definition's sheet «Факт прошлых лет» (``program.past_facts``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from .definition import SHEET_PAST_FACTS as PAST_FACTS_SHEET  # loaded as ``program.past_facts``
from .indicators import MET, MISSED, NO_DATA, NO_TARGET, is_met
from .notation import format_number, json_number, round_half_up
from .problems import Problem
from .vocabulary import FACT_SOURCE, INCREASE, OUTLOOK, ZERO

RECORD_FORMAT_PREFIX = "kc_workbook/consolidation/"
FIRST_YEAR, LAST_YEAR = 2019, 2030
YEARS = tuple(range(FIRST_YEAR, LAST_YEAR + 1))
DEFAULT_RECORDS_DIR = Path("output")
MIN_FACTS = 3  # the outlook needs at least this many years with a fact

SOURCE_RECORD, SOURCE_PAST = FACT_SOURCE.codes
SOURCE_LABELS = dict(FACT_SOURCE.items())  # derived from vocabulary

AT_RISK, ON_TRACK, TOO_FEW, NO_GOAL = OUTLOOK.codes
OUTLOOK_LABELS = dict(OUTLOOK.items())  # derived from vocabulary
OUTLOOK_METHOD = (
    "Прогноз: прямая, проведённая методом наименьших квадратов через фактические значения "
    f"показателя по годам (нужно не менее {MIN_FACTS} лет с фактом), продолженная на следующие годы с "
    f"целевыми значениями и на {LAST_YEAR} год. Прогноз округляется до точности цели и сравнивается "
    "с ней по направлению показателя: увеличение — прогноз не ниже цели, снижение — не выше, "
    "отсутствие случаев — прогноз равен 0. «С риском недостижения» — хотя бы в одном из этих лет "
    "прогноз цель не достигает."
)
OUTLOOK_LIMITS = (
    "Ограничения: прогноз лишь продолжает средний темп прошлых лет. Он не учитывает новые "
    "мероприятия, изменения финансирования и методики, естественные пределы показателя (доля не "
    "бывает меньше 0 и больше 100 %, число случаев — меньше 0: прогноз не обрезается) и случайные "
    "колебания; при трёх-пяти годах одно необычное значение сильно меняет наклон. Это повод "
    "обсудить показатель с участником, а не оценка эффективности."
)

@dataclass
class Record:
    """One year's consolidation record as read back."""

    year: int
    path: Path
    data: dict
    other_definition: bool = False

    def facts(self) -> dict[int, float | None]:
        """indicator number → the exact fact (``fact_exact`` when the record has it)."""
        out = {}
        for entry in self.data.get("indicators") or []:
            if not isinstance(entry, dict) or not isinstance(entry.get("number"), int):
                continue
            value = entry.get("fact_exact", entry.get("fact"))
            out[entry["number"]] = json_number(value)
        return out


@dataclass
class YearPoint:
    year: int
    plan: float | None
    fact: float | None  # exact
    shown: float | None  # the fact rounded at the indicator's precision: what is shown and compared
    source: str | None  # SOURCE_RECORD | SOURCE_PAST | None
    status: str | None  # MET | MISSED | NO_DATA | NO_TARGET; None: a year not yet reported, or no plan nor fact


@dataclass
class Outlook:
    status: str  # AT_RISK | ON_TRACK | TOO_FEW | NO_GOAL
    facts: int  # how many years with a fact
    slope: float | None = None  # change per year
    intercept: float | None = None  # value of the line in year 0 (fact ≈ intercept + slope × year)
    projections: dict[int, float] = field(default_factory=dict)  # year → projected value (exact)
    missed_years: list[int] = field(default_factory=list)  # years whose projection misses the target

    @property
    def label(self) -> str:
        return OUTLOOK_LABELS[self.status]


@dataclass
class IndicatorHistory:
    number: int
    name: str
    unit: str
    direction: str
    precision: int
    points: dict[int, YearPoint]
    outlook: Outlook


@dataclass
class History:
    program: object
    records: dict[int, Record] = field(default_factory=dict)
    indicators: list[IndicatorHistory] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    last_year: int | None = None  # the last year with any fact

    @property
    def years_found(self) -> list[int]:
        return sorted(self.records)

    @property
    def at_risk(self) -> list[IndicatorHistory]:
        return [i for i in self.indicators if i.outlook.status == AT_RISK]

    def to_dict(self) -> dict:
        return {
            "format": "kc_workbook/history/1",
            "program_id": getattr(self.program, "program_id", None),
            "program_fingerprint": getattr(self.program, "fingerprint", None),
            "years": list(YEARS),
            "records": {str(y): str(r.path) for y, r in sorted(self.records.items())},
            "outlook_method": OUTLOOK_METHOD,
            "outlook_limits": OUTLOOK_LIMITS,
            "indicators": [
                {
                    "number": i.number,
                    "name": i.name,
                    "unit": i.unit,
                    "direction": i.direction,
                    "precision": i.precision,
                    "years": {
                        str(y): {"plan": p.plan, "fact": p.shown, "fact_exact": p.fact, "source": p.source,
                                 "status": p.status}
                        for y, p in i.points.items()
                    },
                    "outlook": {
                        "status": i.outlook.status,
                        "label": i.outlook.label,
                        "facts": i.outlook.facts,
                        "slope": i.outlook.slope,
                        "intercept": i.outlook.intercept,
                        "projections": {str(y): v for y, v in i.outlook.projections.items()},
                        "missed_years": i.outlook.missed_years,
                    },
                }
                for i in self.indicators
            ],
            "issues": [p.as_dict() for p in self.problems],
        }


# --- records ------------------------------------------------------------------------------


def find_records(records_dir: str | Path = DEFAULT_RECORDS_DIR, program=None) -> tuple[dict[int, Record], list[Problem]]:
    """Every ``DIR/ГОД/consolidated_ГОД.json``, validated; with ``program`` also checked to be its records."""
    records_dir = Path(records_dir)
    records: dict[int, Record] = {}
    problems: list[Problem] = []
    if not records_dir.is_dir():
        return records, problems
    for folder in sorted(records_dir.iterdir()):
        if not (folder.is_dir() and folder.name.isdigit() and len(folder.name) == 4):
            continue
        path = folder / f"consolidated_{folder.name}.json"
        if not path.is_file():
            continue
        record, found = read_record(path, program, int(folder.name))
        problems.extend(found)
        if record is not None:
            records[record.year] = record
    return records, problems


def read_record(path: str | Path, program=None, year: int | None = None) -> tuple[Record | None, list[Problem]]:
    """One record: (Record or None, problems). ``year``: the year its folder says."""
    path = Path(path)
    where = str(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else "это не JSON или файл обрезан"
        return None, [Problem("record-unreadable", f"запись года не читается: {why}", file=where)]
    if not isinstance(data, dict):
        return None, [Problem("record-foreign", "файл не является записью сводки kc_workbook", file=where)]
    fmt = data.get("format")
    # Records written before the format key existed (format 1) have the same fields.
    if fmt is None and not {"year", "program_id", "indicators"} <= data.keys():
        return None, [Problem("record-foreign", "файл не является записью сводки kc_workbook", file=where)]
    if fmt is not None and not (isinstance(fmt, str) and fmt.startswith(RECORD_FORMAT_PREFIX)):
        return None, [Problem("record-foreign", f"файл не является записью сводки kc_workbook (формат «{fmt}»)",
                              file=where)]
    if not isinstance(data.get("year"), int) or not isinstance(data.get("indicators"), list):
        return None, [Problem("record-unreadable", "в записи года нет года или показателей", file=where)]
    if year is not None and data["year"] != year:
        return None, [Problem("record-foreign", f"запись за {data['year']} год лежит в папке {year} года", file=where,
                              value=str(data["year"]))]
    record = Record(data["year"], path, data)
    problems = []
    if program is not None:
        if data.get("program_id") != program.program_id:
            return None, [Problem("record-foreign", f"запись другой программы («{data.get('program_id')}»)", file=where,
                                  value=str(data.get("program_id")))]
        if data.get("program_fingerprint") != program.fingerprint:
            record.other_definition = True
            problems.append(Problem(
                "record-other-definition",
                f"{data['year']} год сведён по другой редакции определения программы (отпечаток "
                f"{data.get('program_fingerprint')}, действующая — {program.fingerprint}); факты учтены",
                file=where, value=str(data.get("program_fingerprint"))))
    return record, problems


def record_path(records_dir: str | Path, year: int) -> Path:
    return Path(records_dir) / str(year) / f"consolidated_{year}.json"


# --- history ------------------------------------------------------------------------------


def build_history(program, records_dir: str | Path = DEFAULT_RECORDS_DIR, current=None) -> History:
    """Plans, facts and statuses per indicator and year 2019–2030, and the outlook.

    ``current``: a ``Consolidation`` not yet written (the consolidated report of a year shows its own
    year too): its ``to_dict()`` is used as that year's record.
    """
    records, problems = find_records(records_dir, program)
    if current is not None:
        records[current.year] = Record(current.year, record_path(records_dir, current.year), current.to_dict())
    past = getattr(program, "past_facts", None) or {}
    history = History(program, records, problems=problems)
    facts_by_year = {y: r.facts() for y, r in records.items()}
    reported = [y for y, facts in facts_by_year.items() if any(v is not None for v in facts.values())]
    reported += [y for by_year in past.values() for y, v in by_year.items() if v is not None]
    history.last_year = max(reported, default=None)
    for ind in program.indicators:
        points = {}
        for year in YEARS:
            fact, source = _fact(ind, year, facts_by_year, past, records, history.problems,
                                 getattr(program, "path", ""))
            plan = ind.targets.get(year)
            shown = None if fact is None else round_at(fact, ind.precision)
            points[year] = YearPoint(year, plan, fact, shown, source, _status(ind, year, plan, fact, history.last_year))
        history.indicators.append(IndicatorHistory(ind.number, ind.name, ind.unit, ind.direction, ind.precision, points,
                                                   outlook(ind, points)))
    return history


def _fact(ind, year, facts_by_year, past, records, problems, program_path) -> tuple[float | None, str | None]:
    from_record = facts_by_year.get(year, {}).get(ind.number)
    typed = (past.get(ind.number) or {}).get(year)
    if from_record is not None:
        if typed is not None and round_at(typed, ind.precision) != round_at(from_record, ind.precision):
            # Located on the definition's sheet, where it is typed (and fixed); the record is named in the text.
            problems.append(Problem(
                "record-fact-conflict",
                f"показатель {ind.number}, {year} год: в записи сводки {records[year].path} факт "
                f"{_text(from_record, ind.precision)}, на листе «{PAST_FACTS_SHEET}» — {_text(typed, ind.precision)}; "
                "использован факт сводки",
                file=Path(program_path).name if program_path else None, sheet=PAST_FACTS_SHEET,
                value=_text(typed, ind.precision)))
        return from_record, SOURCE_RECORD
    if typed is not None:
        return float(typed), SOURCE_PAST
    return None, None


def _status(ind, year: int, plan, fact, last_year) -> str | None:
    if fact is None:
        if plan is None or last_year is None or year > last_year:
            return None
        return NO_DATA
    if plan is None:
        return NO_TARGET
    return MET if achieved(ind, plan, fact) else MISSED


def achieved(ind, plan: float, fact: float) -> bool:
    """The report's rule: the fact rounded once, half up, at the indicator's precision, against the plan."""
    return is_met(ind, Decimal(repr(plan)), round_half_up(fact, ind.precision))


def round_at(value: float, digits: int) -> float:
    """Half up, from the exact decimal notation of the float (the report's rule)."""
    return float(round_half_up(value, digits))


# --- outlook ------------------------------------------------------------------------------


def least_squares(points: list[tuple[int, float]]) -> tuple[float, float]:
    """(intercept, slope) of the line value = intercept + slope × year that minimises the squared errors."""
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    sxx = sum((x - mean_x) ** 2 for x, _ in points)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in points)
    slope = sxy / sxx
    return mean_y - slope * mean_x, slope


def outlook(ind, points: dict[int, YearPoint]) -> Outlook:
    facts = [(y, p.fact) for y, p in sorted(points.items()) if p.fact is not None]
    if len(facts) < MIN_FACTS:
        return Outlook(TOO_FEW, len(facts))
    intercept, slope = least_squares(facts)
    last = facts[-1][0]
    years = [y for y in YEARS if y > last and (ind.targets.get(y) is not None or y == LAST_YEAR)]
    result = Outlook(NO_GOAL, len(facts), slope, intercept,
                     {y: intercept + slope * y for y in years})
    for year, value in result.projections.items():
        target = ind.targets.get(year)
        if target is None:
            continue
        result.status = ON_TRACK if result.status == NO_GOAL else result.status
        if misses(ind.direction, round_at(value, ind.precision), target):
            result.missed_years.append(year)
            result.status = AT_RISK
    return result


def misses(direction: str, projected: float, target: float) -> bool:
    if direction == ZERO:
        return projected > 0
    if direction == INCREASE:
        return projected < target
    return projected > target


def _text(value: float, digits: int) -> str:
    return format_number(value, max(digits, 0))
