"""The program definition: plain typed objects, and the loader of the definition workbook.

The workbook (``templates/program_template.xlsx``) is what the executor edits in Excel.
Columns are found by their header text in the first row, so the executor may reorder
columns or add their own. Every problem is reported as «Лист!Ячейка: что не так».
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .cells import as_int, as_number, as_text, cell_name, format_number, is_blank
from .errors import ProgramError
from .formula import Formula, FormulaError
from .problems import Problem, has_errors

TEMPLATE_NAME = "program_template.xlsx"

INCREASE, DECREASE, ZERO = "increase", "decrease", "zero"
DIRECTIONS = {"увеличение": INCREASE, "снижение": DECREASE, "отсутствие случаев": ZERO}
DIRECTION_LABELS = {v: k for k, v in DIRECTIONS.items()}
KINDS = {"целое": "int", "дробное": "decimal"}
COMBINE = {"сумма": "sum"}
ROLES = {"исполнитель": "executor", "участник": "participant"}
SOURCES = ("municipal", "regional", "offbudget")
SOURCE_LABELS = {
    "municipal": "Бюджет муниципального образования",
    "regional": "Областной бюджет",
    "offbudget": "Внебюджетные источники",
}
NO_TARGET = "-"

# Sheet names and the header of every column the loader reads: one truth for the
# template builder (scripts/make_program_template.py) and the loader.
SHEET_PASSPORT = "Паспорт"
SHEET_PARTICIPANTS = "Участники"
SHEET_TASKS = "Задачи"
SHEET_INPUTS = "Исходные данные"
SHEET_INDICATORS = "Показатели"
SHEET_TARGETS = "Целевые значения"
SHEET_FUNDING = "Финансирование"
SHEET_MEASURES = "Мероприятия"
SHEET_SETTINGS = "Оценка эффективности"
SHEET_NOTES = "Примечания"

COLUMNS: dict[str, dict[str, str]] = {
    SHEET_PASSPORT: {"key": "Ключ", "label": "Поле", "value": "Значение"},
    SHEET_PARTICIPANTS: {
        "code": "Код",
        "short_name": "Краткое наименование",
        "name": "Полное наименование",
        "role": "Роль",
        "email": "E-mail",
        "contact": "Контактное лицо",
        "phone": "Телефон",
    },
    SHEET_TASKS: {"number": "№", "name": "Наименование задачи"},
    SHEET_INPUTS: {
        "code": "Код",
        "name": "Наименование",
        "symbol": "Обозначение в методике",
        "unit": "Единица измерения",
        "kind": "Тип значения",
        "lower_bound": "Нижняя граница",
        "suppliers": "Представляют (коды участников через «;»)",
        "combine": "Сведение значений нескольких участников",
        "upper": "Не больше чем (контрольное соотношение)",
    },
    SHEET_INDICATORS: {
        "number": "№",
        "task": "Задача",
        "name": "Наименование показателя",
        "unit": "Единица измерения",
        "direction": "Направление",
        "formula": "Формула (коды исходных данных)",
        "precision": "Знаков после запятой",
        "source": "Источник информации",
    },
    SHEET_TARGETS: {"number": "№"},
    SHEET_FUNDING: {
        "year": "Год",
        "municipal": SOURCE_LABELS["municipal"],
        "regional": SOURCE_LABELS["regional"],
        "offbudget": SOURCE_LABELS["offbudget"],
        "total": "Всего",
    },
    SHEET_MEASURES: {
        "code": "Код мероприятия",
        "task": "Задача",
        "name": "Наименование мероприятия",
        "responsible": "Ответственный (код участника)",
        "year": "Год",
        "municipal": "План: " + SOURCE_LABELS["municipal"].lower(),
        "regional": "План: " + SOURCE_LABELS["regional"].lower(),
        "offbudget": "План: " + SOURCE_LABELS["offbudget"].lower(),
    },
    SHEET_SETTINGS: {"key": "Ключ", "label": "Параметр", "value": "Значение"},
}

PASSPORT_FIELDS = {
    "program_id": "Идентификатор программы",
    "name": "Наименование программы",
    "executor": "Исполнитель (код участника)",
    "start_year": "Год начала реализации",
    "end_year": "Год окончания реализации",
    "stages": "Этапы реализации",
    "goal": "Цель программы",
    "amendment": "Действующая редакция (реквизиты постановления)",
    "deadline": "Срок представления сведений участниками",
}
REQUIRED_PASSPORT = ("program_id", "name", "executor", "start_year", "end_year")

SETTINGS_FIELDS = {
    "method": "Методика оценки",
    "threshold_high": "Порог «высокая» (ЭР не менее)",
    "threshold_medium": "Порог «средняя» (ЭР не менее)",
    "threshold_satisfactory": "Порог «удовлетворительная» (ЭР не менее)",
    "cap": "Ограничение степени достижения СДi сверху",
    "zero_rule": "Правило для показателей «отсутствие случаев»",
}
ZERO_RULES = {"1, если факт равен 0, иначе 0": "one_if_zero"}

# The finance department reports the year's actual spending by source through these inputs.
BUDGET_INPUTS = {
    "municipal": "BUDGET_FACT_MUNICIPAL",
    "regional": "BUDGET_FACT_REGIONAL",
    "offbudget": "BUDGET_FACT_OFFBUDGET",
}
MEASURE_DONE, MEASURE_PARTIAL, MEASURE_NOT_DONE = "выполнено", "выполнено частично", "не выполнено"
MEASURE_STATUSES = (MEASURE_DONE, MEASURE_PARTIAL, MEASURE_NOT_DONE)

# Excel reads such names as cell addresses (A1, XFD1048576, R1C1): codes must not look like them.
_CELL_LIKE = re.compile(r"^([A-Za-z]{1,3}\d+|[Rr]\d*[Cc]\d*)$")

# Funding is in thousand roubles to 0.1: sums agree when they differ by less than this.
MONEY_TOLERANCE = 0.05


@dataclass
class Participant:
    code: str
    short_name: str
    name: str
    role: str = "participant"
    email: str = ""
    contact: str = ""
    phone: str = ""


@dataclass
class Task:
    number: int
    name: str


@dataclass
class Input:
    code: str
    name: str
    unit: str
    kind: str  # "int" | "decimal"
    lower_bound: float
    suppliers: tuple[str, ...]
    symbol: str = ""
    combine: str = "sum"
    upper: Formula | None = None  # control ratio: the value may not exceed this expression


@dataclass
class Indicator:
    number: int
    task: int
    name: str
    unit: str
    direction: str  # INCREASE | DECREASE | ZERO
    formula: Formula
    precision: int
    source: str = ""
    targets: dict[int, float | None] = field(default_factory=dict)  # None: no target ("-")

    def target(self, year: int) -> float | None:
        return self.targets.get(year)


@dataclass
class Funding:
    year: int
    municipal: float
    regional: float
    offbudget: float
    total: float

    def by_source(self) -> dict[str, float]:
        return {"municipal": self.municipal, "regional": self.regional, "offbudget": self.offbudget}


@dataclass
class Measure:
    code: str
    task: int | None
    name: str
    responsible: str
    year: int
    plan: dict[str, float]


@dataclass
class Settings:
    method: str = ""
    threshold_high: float = 0.90
    threshold_medium: float = 0.80
    threshold_satisfactory: float = 0.70
    cap: float = 1.0
    zero_rule: str = "one_if_zero"
    zero_rule_text: str = "1, если факт равен 0, иначе 0"


@dataclass
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
    indicators: list[Indicator] = field(default_factory=list)
    funding: dict[int, Funding] = field(default_factory=dict)
    measures: list[Measure] = field(default_factory=list)
    settings: Settings = field(default_factory=Settings)
    path: str = ""

    @property
    def years(self) -> range:
        return range(self.start_year, self.end_year + 1)

    def target_years(self) -> list[int]:
        return sorted({y for ind in self.indicators for y in ind.targets})

    def _memo(self, key, compute):
        # The loaded definition is not changed afterwards (dataclasses.replace makes a new one),
        # so per-participant look-ups are computed once: consolidation asks them for every file.
        memo = self.__dict__.setdefault("_memo_store", {})
        if key not in memo:
            memo[key] = compute()
        return memo[key]

    def inputs_of(self, participant: str) -> list[Input]:
        """The inputs a participant supplies, in the order of the definition."""
        by_participant = self._memo("inputs_of", self._index_inputs)
        return list(by_participant.get(participant, ()))

    def _index_inputs(self) -> dict[str, list[Input]]:
        index: dict[str, list[Input]] = {}
        for inp in self.inputs.values():
            for s in dict.fromkeys(inp.suppliers):
                index.setdefault(s, []).append(inp)
        return index

    def measures_of(self, participant: str | None, year: int) -> list[Measure]:
        """The year's measures of one participant (or of everyone, for None), in definition order."""
        return [m for m in self.measures if m.year == year and (participant is None or m.responsible == participant)]

    def suppliers(self, year: int | None = None) -> list[str]:
        """Participants who report: they supply an input, or are responsible for a measure of ``year``."""
        def compute():
            codes = {s for i in self.inputs.values() for s in i.suppliers}
            if year is not None:
                codes |= {m.responsible for m in self.measures_of(None, year)}
            return [c for c in self.participants if c in codes]
        return list(self._memo(("suppliers", year), compute))

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
                    "formula": ind.formula.text,
                    "precision": ind.precision,
                    "source": ind.source,
                    "targets": {str(y): ind.targets.get(y) for y in self.target_years()},
                }
                for ind in self.indicators
            ],
            "funding": {
                str(f.year): {**f.by_source(), "total": f.total} for f in sorted(self.funding.values(), key=lambda f: f.year)
            },
            "measures": [
                {
                    "code": m.code,
                    "task": m.task,
                    "name": m.name,
                    "responsible": m.responsible,
                    "year": m.year,
                    "plan": m.plan,
                }
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
                "zero_rule": self.settings.zero_rule_text,
            },
        }

    @property
    def fingerprint(self) -> str:
        """Changes whenever anything but contact details changes: marks outdated workbooks."""
        return self._memo("fingerprint", self._fingerprint)

    def _fingerprint(self) -> str:
        data = self.to_dict()
        for p in data["participants"]:
            p.pop("email", None)
        canonical = json.dumps(data, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]



def default_program_path() -> Path:
    """The built-in template: inside the installed package, or in a source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "templates" / TEMPLATE_NAME, here.parent / "templates" / TEMPLATE_NAME):
        if candidate.is_file():
            return candidate
    return here.parent / "templates" / TEMPLATE_NAME


def read_program(path: str | Path | None = None) -> Program:
    """Load and check the definition; raise ProgramError when it has errors."""
    program, problems = load_program(path)
    if program is None or has_errors(problems):
        shown = Path(path) if path else default_program_path()
        raise ProgramError(f"Определение программы {shown} содержит ошибки", problems)
    return program


def load_program(path: str | Path | None = None) -> tuple[Program | None, list[Problem]]:
    """Load the definition workbook. Returns the program (None when unusable) and every problem."""
    path = Path(path) if path else default_program_path()
    return _Loader(path).load()


class _Sheet:
    """One sheet of the definition: rows of values and columns found by their header."""

    def __init__(self, name: str, rows: list[list], loader: "_Loader"):
        self.name = name
        self.rows = rows
        self.loader = loader
        header = rows[0] if rows else []
        self.header = {as_text(v): i for i, v in enumerate(header) if not is_blank(v)}
        self.columns: dict[str, int] = {}
        for key, title in COLUMNS.get(name, {}).items():
            if title in self.header:
                self.columns[key] = self.header[title]
            else:
                loader.problem("column-missing", f"нет столбца «{title}»", name, cell_name(0, len(header)))

    @property
    def complete(self) -> bool:
        return len(self.columns) == len(COLUMNS.get(self.name, {}))

    def records(self):
        """(row index, {key: value}) for every non-empty data row."""
        for r, row in enumerate(self.rows[1:], start=1):
            if all(is_blank(v) for v in row):
                continue
            yield r, {key: (row[c] if c < len(row) else None) for key, c in self.columns.items()}

    def cell(self, row: int, key: str) -> str:
        return cell_name(row, self.columns[key])


class _Loader:
    def __init__(self, path: Path):
        self.path = path
        self.problems: list[Problem] = []
        self.broken_indicators: set[int] = set()

    def problem(self, code: str, message: str, sheet: str | None = None, cell: str | None = None, value=None):
        self.problems.append(
            Problem(code, message, file=self.path.name, sheet=sheet, cell=cell, value=None if value is None else as_text(value))
        )

    def load(self) -> tuple[Program | None, list[Problem]]:
        from python_calamine import CalamineWorkbook  # imported here: keeps CLI start-up quick

        try:
            workbook = CalamineWorkbook.from_path(str(self.path))
            names = workbook.sheet_names
            sheets = {}
            for name in COLUMNS:
                if name not in names:
                    self.problem("sheet-missing", f"в книге нет листа «{name}»", name)
                    continue
                rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
                sheets[name] = _Sheet(name, rows, self)
        except FileNotFoundError:
            self.problem("program-unreadable", f"файл {self.path} не найден")
            return None, self.problems
        except Exception as exc:  # calamine raises several types for broken files
            self.problem("program-unreadable", f"не удалось прочитать книгу {self.path}: {exc}")
            return None, self.problems
        if any(name not in sheets or not sheets[name].complete for name in COLUMNS):
            return None, self.problems

        passport = self._key_values(sheets[SHEET_PASSPORT], PASSPORT_FIELDS, REQUIRED_PASSPORT)
        program = Program(
            program_id=as_text(passport.get("program_id")),
            name=as_text(passport.get("name")),
            executor=as_text(passport.get("executor")),
            start_year=as_int(passport.get("start_year")) or 0,
            end_year=as_int(passport.get("end_year")) or 0,
            stages=as_text(passport.get("stages")),
            goal=as_text(passport.get("goal")),
            amendment=as_text(passport.get("amendment")),
            deadline=as_text(passport.get("deadline")),
            path=str(self.path),
        )
        self._check_period(sheets[SHEET_PASSPORT], passport, program)
        program.participants = self._participants(sheets[SHEET_PARTICIPANTS])
        if program.executor and program.executor not in program.participants:
            self._passport_problem(sheets[SHEET_PASSPORT], "executor", "participant-unknown",
                                   f"исполнитель «{program.executor}» не найден на листе «{SHEET_PARTICIPANTS}»")
        program.tasks = self._tasks(sheets[SHEET_TASKS])
        program.inputs = self._inputs(sheets[SHEET_INPUTS], program)
        program.indicators = self._indicators(sheets[SHEET_INDICATORS], program)
        self._targets(sheets[SHEET_TARGETS], program)
        program.funding = self._funding(sheets[SHEET_FUNDING])
        program.measures = self._measures(sheets[SHEET_MEASURES], program)
        self._measures_against_funding(program)
        program.settings = self._settings(sheets[SHEET_SETTINGS])
        return program, self.problems

    # --- key/value sheets -------------------------------------------------------------
    def _key_values(self, sheet: _Sheet, fields: dict[str, str], required=()) -> dict:
        values, rows = {}, {}
        for r, rec in sheet.records():
            key = as_text(rec["key"])
            if key in fields:
                values[key], rows[key] = rec["value"], r
        sheet.key_rows = rows
        for key in required:
            if is_blank(values.get(key)):
                cell = sheet.cell(rows[key], "value") if key in rows else None
                self.problem("field-missing", f"не заполнено поле «{fields[key]}»", sheet.name, cell)
        return values

    def _passport_problem(self, sheet: _Sheet, key: str, code: str, message: str, value=None):
        cell = sheet.cell(sheet.key_rows[key], "value") if key in sheet.key_rows else None
        self.problem(code, message, sheet.name, cell, value)

    def _check_period(self, sheet: _Sheet, passport: dict, program: Program) -> None:
        for key in ("start_year", "end_year"):
            if not is_blank(passport.get(key)) and as_int(passport.get(key)) is None:
                self._passport_problem(sheet, key, "value-invalid", "год должен быть целым числом", passport.get(key))
        if program.start_year and program.end_year and program.start_year > program.end_year:
            self._passport_problem(sheet, "end_year", "value-invalid", "год окончания раньше года начала", program.end_year)

    # --- tables -----------------------------------------------------------------------
    def _unique(self, seen: dict, code: str, sheet: _Sheet, r: int, key: str, what: str) -> bool:
        if code in seen:
            self.problem("code-duplicate", f"{what} «{code}» повторяется (первый раз в строке {seen[code] + 1})",
                         sheet.name, sheet.cell(r, key), code)
            return False
        seen[code] = r
        return True

    def _participants(self, sheet: _Sheet) -> dict[str, Participant]:
        result, seen = {}, {}
        for r, rec in sheet.records():
            code = as_text(rec["code"])
            if not code:
                self.problem("field-missing", "не указан код участника", sheet.name, sheet.cell(r, "code"))
                continue
            if not self._unique(seen, code, sheet, r, "code", "код участника"):
                continue
            role_text = as_text(rec["role"]).lower()
            if role_text not in ROLES:
                self.problem("value-invalid", f"роль должна быть одной из: {', '.join(ROLES)}",
                             sheet.name, sheet.cell(r, "role"), rec["role"])
            name = as_text(rec["name"])
            if not name:
                self.problem("field-missing", "не указано полное наименование", sheet.name, sheet.cell(r, "name"))
            result[code] = Participant(
                code=code,
                short_name=as_text(rec["short_name"]) or name,
                name=name,
                role=ROLES.get(role_text, "participant"),
                email=as_text(rec["email"]),
                contact=as_text(rec["contact"]),
                phone=as_text(rec["phone"]),
            )
        return result

    def _tasks(self, sheet: _Sheet) -> dict[int, Task]:
        result, seen = {}, {}
        for r, rec in sheet.records():
            number = as_int(rec["number"])
            if number is None:
                self.problem("value-invalid", "номер задачи должен быть целым числом", sheet.name, sheet.cell(r, "number"), rec["number"])
                continue
            if self._unique(seen, number, sheet, r, "number", "номер задачи"):
                result[number] = Task(number, as_text(rec["name"]))
        return result

    def _inputs(self, sheet: _Sheet, program: Program) -> dict[str, Input]:
        result, seen = {}, {}
        sheet_codes = [as_text(rec["code"]) for _, rec in sheet.records()]
        for r, rec in sheet.records():
            code = as_text(rec["code"])
            if not code:
                self.problem("field-missing", "не указан код исходных данных", sheet.name, sheet.cell(r, "code"))
                continue
            if not code.isidentifier() or _CELL_LIKE.match(code):
                self.problem("value-invalid", "код должен состоять из латинских букв, цифр и «_», начинаться с буквы "
                             "и не совпадать с адресом ячейки",
                             sheet.name, sheet.cell(r, "code"), code)
                continue
            if not self._unique(seen, code, sheet, r, "code", "код исходных данных"):
                continue
            kind = KINDS.get(as_text(rec["kind"]).lower())
            if kind is None:
                self.problem("value-invalid", "тип значения должен быть «целое» или «дробное»",
                             sheet.name, sheet.cell(r, "kind"), rec["kind"])
            bound = 0.0 if is_blank(rec["lower_bound"]) else as_number(rec["lower_bound"])
            if bound is None:
                self.problem("value-invalid", "нижняя граница должна быть числом", sheet.name, sheet.cell(r, "lower_bound"), rec["lower_bound"])
            combine = COMBINE.get(as_text(rec["combine"]).lower() or "сумма")
            if combine is None:
                self.problem("value-invalid", "способ сведения может быть только «сумма»", sheet.name, sheet.cell(r, "combine"), rec["combine"])
            suppliers = tuple(s.strip() for s in as_text(rec["suppliers"]).replace(",", ";").split(";") if s.strip())
            if not suppliers:
                self.problem("input-no-supplier", f"не указано, кто представляет «{code}»", sheet.name, sheet.cell(r, "suppliers"))
            for s in suppliers:
                if s not in program.participants:
                    self.problem("participant-unknown", f"участник «{s}» не найден на листе «{SHEET_PARTICIPANTS}»",
                                 sheet.name, sheet.cell(r, "suppliers"), s)
            upper = None
            if not is_blank(rec["upper"]):
                upper = self._expression(sheet, r, "upper", rec["upper"], set(sheet_codes))
            result[code] = Input(
                upper=upper,
                code=code,
                name=as_text(rec["name"]),
                unit=as_text(rec["unit"]),
                kind=kind or "decimal",
                lower_bound=bound or 0.0,
                suppliers=suppliers,
                symbol=as_text(rec["symbol"]),
                combine=combine or "sum",
            )
        return result

    def _indicators(self, sheet: _Sheet, program: Program) -> list[Indicator]:
        result, seen = [], {}
        for r, rec in sheet.records():
            number = as_int(rec["number"])
            if number is None:
                self.problem("value-invalid", "номер показателя должен быть целым числом", sheet.name, sheet.cell(r, "number"), rec["number"])
                continue
            if not self._unique(seen, number, sheet, r, "number", "номер показателя"):
                continue
            task = as_int(rec["task"])
            if task not in program.tasks:
                self.problem("task-unknown", f"задача «{as_text(rec['task'])}» не найдена на листе «{SHEET_TASKS}»",
                             sheet.name, sheet.cell(r, "task"), rec["task"])
            direction = DIRECTIONS.get(as_text(rec["direction"]).lower())
            if direction is None:
                self.problem("value-invalid", f"направление должно быть одним из: {', '.join(DIRECTIONS)}",
                             sheet.name, sheet.cell(r, "direction"), rec["direction"])
            precision = as_int(rec["precision"]) if not is_blank(rec["precision"]) else 0
            if precision is None or precision > 6:
                self.problem("value-invalid", "число знаков после запятой должно быть целым от 0 до 6",
                             sheet.name, sheet.cell(r, "precision"), rec["precision"])
                precision = 0
            formula = self._expression(sheet, r, "formula", rec["formula"], set(program.inputs))
            if formula is None:
                self.broken_indicators.add(number)  # reported once, here; its targets are not
                continue
            result.append(Indicator(
                number=number,
                task=task or 0,
                name=as_text(rec["name"]),
                unit=as_text(rec["unit"]),
                direction=direction or INCREASE,
                formula=formula,
                precision=precision,
                source=as_text(rec["source"]),
            ))
        return result

    def _expression(self, sheet: _Sheet, r: int, key: str, raw, codes: set[str]) -> Formula | None:
        text = as_text(raw)
        cell = sheet.cell(r, key)
        if not text:
            self.problem("field-missing", "не указана формула", sheet.name, cell)
            return None
        try:
            formula = Formula(text)
        except FormulaError as exc:
            self.problem("formula-syntax", str(exc), sheet.name, cell, text)
            return None
        unknown = [n for n in formula.names if n not in codes]
        if unknown:
            self.problem("formula-unknown-input", f"в формуле неизвестный код: {', '.join(unknown)}", sheet.name, cell, text)
            return None
        return formula

    def _targets(self, sheet: _Sheet, program: Program) -> None:
        years = {}
        for title, c in sheet.header.items():
            year = as_int(title)
            if year is not None:
                years[c] = year
        by_number = {ind.number: ind for ind in program.indicators}
        listed = set()
        for r, rec in sheet.records():
            number = as_int(rec["number"])
            cell = sheet.cell(r, "number")
            listed.add(number)
            if number in self.broken_indicators:
                continue
            if number not in by_number:
                self.problem("indicator-unknown", f"показатель «{as_text(rec['number'])}» не найден на листе «{SHEET_INDICATORS}»",
                             sheet.name, cell, rec["number"])
                continue
            row = sheet.rows[r]
            for c, year in years.items():
                raw = row[c] if c < len(row) else None
                text = as_text(raw)
                if is_blank(raw):
                    self.problem("target-missing", f"нет целевого значения показателя {number} на {year} год",
                                 sheet.name, cell_name(r, c))
                elif text == NO_TARGET:
                    by_number[number].targets[year] = None
                else:
                    value = as_number(raw)
                    if value is None:
                        self.problem("target-not-number", f"целевое значение показателя {number} на {year} год не число",
                                     sheet.name, cell_name(r, c), raw)
                    else:
                        by_number[number].targets[year] = value
        for ind in program.indicators:
            if ind.number not in listed:
                self.problem("target-missing", f"нет строки целевых значений показателя {ind.number}", sheet.name)

    def _funding(self, sheet: _Sheet) -> dict[int, Funding]:
        result, seen = {}, {}
        for r, rec in sheet.records():
            year = as_int(rec["year"])
            if year is None:
                self.problem("value-invalid", "год должен быть целым числом", sheet.name, sheet.cell(r, "year"), rec["year"])
                continue
            if not self._unique(seen, year, sheet, r, "year", "год"):
                continue
            amounts = {}
            for key in (*SOURCES, "total"):
                raw = rec[key]
                value = 0.0 if is_blank(raw) and key != "total" else as_number(raw)
                if value is None:
                    self.problem("funding-not-number", f"сумма на {year} год не число", sheet.name, sheet.cell(r, key), raw)
                amounts[key] = value
            if any(v is None for v in amounts.values()):
                continue
            parts = sum(amounts[s] for s in SOURCES)
            if abs(parts - amounts["total"]) >= MONEY_TOLERANCE:
                self.problem("funding-sum-mismatch",
                             f"сумма источников на {year} год {parts:.1f} не равна итогу {amounts['total']:.1f}".replace(".", ","),
                             sheet.name, sheet.cell(r, "total"), amounts["total"])
            result[year] = Funding(year=year, **amounts)
        return result

    def _measures(self, sheet: _Sheet, program: Program) -> list[Measure]:
        result, seen = [], {}
        for r, rec in sheet.records():
            code = as_text(rec["code"])
            year = as_int(rec["year"])
            if not code:
                self.problem("field-missing", "не указан код мероприятия", sheet.name, sheet.cell(r, "code"))
                continue
            if year is None:
                self.problem("value-invalid", "год должен быть целым числом", sheet.name, sheet.cell(r, "year"), rec["year"])
                continue
            if not self._unique(seen, (code, year), sheet, r, "code", "мероприятие с годом"):
                continue
            responsible = as_text(rec["responsible"])
            if responsible not in program.participants:
                self.problem("participant-unknown", f"участник «{responsible}» не найден на листе «{SHEET_PARTICIPANTS}»",
                             sheet.name, sheet.cell(r, "responsible"), responsible)
            task = as_int(rec["task"]) if not is_blank(rec["task"]) else None
            if task is not None and task not in program.tasks:
                self.problem("task-unknown", f"задача «{task}» не найдена на листе «{SHEET_TASKS}»", sheet.name, sheet.cell(r, "task"), task)
            plan = {}
            for key in SOURCES:
                value = 0.0 if is_blank(rec[key]) else as_number(rec[key])
                if value is None:
                    self.problem("funding-not-number", "плановая сумма не число", sheet.name, sheet.cell(r, key), rec[key])
                plan[key] = value or 0.0
            result.append(Measure(code, task, as_text(rec["name"]), responsible, year, plan))
        return result

    def _measures_against_funding(self, program: Program) -> None:
        """The measures' plan per source must add up to the program's funding of that year."""
        for year in sorted({m.year for m in program.measures}):
            funding = program.funding.get(year)
            planned = {k: sum(m.plan[k] for m in program.measures_of(None, year)) for k in SOURCES}
            for key in SOURCES:
                expected = funding.by_source()[key] if funding else 0.0
                if abs(planned[key] - expected) >= MONEY_TOLERANCE:
                    self.problem("measures-plan-mismatch",
                                 f"план мероприятий на {year} год, {SOURCE_LABELS[key].lower()}: "
                                 f"{format_number(planned[key], 1)} тыс. руб., а по финансированию программы — "
                                 f"{format_number(expected, 1)} тыс. руб. (разница {format_number(planned[key] - expected, 1)})",
                                 SHEET_MEASURES)

    def _settings(self, sheet: _Sheet) -> Settings:
        values = self._key_values(sheet, SETTINGS_FIELDS)
        settings = Settings(method=as_text(values.get("method")))
        for key in ("threshold_high", "threshold_medium", "threshold_satisfactory", "cap"):
            number = as_number(values.get(key))
            if number is None or number <= 0:
                self._passport_problem(sheet, key, "setting-invalid", f"«{SETTINGS_FIELDS[key]}» должно быть положительным числом",
                                       values.get(key))
            else:
                setattr(settings, key, number)
        if not settings.threshold_high >= settings.threshold_medium >= settings.threshold_satisfactory:
            self._passport_problem(sheet, "threshold_medium", "setting-invalid", "пороги должны убывать: высокая ≥ средняя ≥ удовлетворительная")
        rule = as_text(values.get("zero_rule"))
        if rule not in ZERO_RULES:
            self._passport_problem(sheet, "zero_rule", "setting-invalid",
                                   f"правило должно быть одним из: {'; '.join(ZERO_RULES)}", rule)
        else:
            settings.zero_rule, settings.zero_rule_text = ZERO_RULES[rule], rule
        return settings
