"""Loading the definition workbook: one function per sheet, cross-sheet checks in one place.

(Longer than most modules: keeping every sheet's rules in one file lets a reader compare
how the sheets are checked; each function stays short.)

Each ``read_*`` function takes a sheet (and what it refers to) and returns what it read
and the problems it found; none depends on another's side effects. Every problem is
reported as «Лист!Ячейка: что не так». Numbers go through ``notation.as_number``, the same
parser as participants' values: ``nan``, ``inf`` or ``1_000`` are not numbers here either.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from . import definition as D
from .cells import as_int, as_text, cell_name, is_blank
from .errors import ProgramError
from .formula import Formula, FormulaError
from .model import MONEY_TOLERANCE, Funding, Indicator, Input, Measure, Participant, Program, Settings, Task
from .notation import as_number, format_number
from .problems import Problem, has_errors
from .vocabulary import (
    COMBINE,
    DIRECTION,
    KIND,
    MISSING_FACT,
    NO_TARGET_MARK,
    PARTICIPANT,
    ROLE,
    SOURCE,
    SOURCES,
    SRM_SCOPE,
    SSUZ_PLAN,
    YES_NO,
    ZERO_RULE,
)

# Excel reads such names as cell addresses (A1, XFD1048576, R1C1): codes must not look like them.
_CELL_LIKE = re.compile(r"^([A-Za-z]{1,3}\d+|[Rr]\d*[Cc]\d*)$")
# The program's period must lie within these years (a typo such as 2300 is caught).
PERIOD = range(2000, 2101)


def default_program_path() -> Path:
    """The built-in template: inside the installed package, or in a source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "templates" / D.TEMPLATE_NAME, here.parent / "templates" / D.TEMPLATE_NAME):
        if candidate.is_file():
            return candidate
    return here.parent / "templates" / D.TEMPLATE_NAME


def read_program(path: str | Path | None = None) -> Program:
    """Load and check the definition; raise ProgramError when it has errors."""
    program, problems = load_program(path)
    if program is None or has_errors(problems):
        shown = Path(path) if path else default_program_path()
        raise ProgramError(f"Определение программы {shown} содержит ошибки", problems)
    return program


class Sheet:
    """One sheet of the definition: rows of values and columns found by their header."""

    def __init__(self, file: str, name: str, rows: list[list]):
        self.file, self.name, self.rows = file, name, rows
        header = rows[0] if rows else []
        self.header = {as_text(v): i for i, v in enumerate(header) if not is_blank(v)}
        self.columns: dict[str, int] = {}
        self.missing: list[Problem] = []
        for key, title in (D.COLUMNS.get(name) or D.OPTIONAL_SHEETS.get(name, {})).items():
            if title in self.header:
                self.columns[key] = self.header[title]
            else:
                self.missing.append(self.problem("column-missing", f"нет столбца «{title}»", cell_name(0, len(header))))
        for key, title in D.OPTIONAL_COLUMNS.get(name, {}).items():
            if title in self.header:
                self.columns[key] = self.header[title]
        self.optional_keys = set(D.OPTIONAL_COLUMNS.get(name, {}))

    def records(self):
        """(row index, {key: value}) for every non-empty data row; absent optional columns give None."""
        keys = {**dict.fromkeys(self.optional_keys), **self.columns}
        for r, row in enumerate(self.rows[1:], start=1):
            if all(is_blank(v) for v in row):
                continue
            yield r, {key: (row[c] if c is not None and c < len(row) else None)
                      for key, c in ((k, self.columns.get(k)) for k in keys)}

    def cell(self, row: int, key: str) -> str | None:
        return cell_name(row, self.columns[key]) if key in self.columns else None

    def problem(self, code: str, message: str, cell: str | None = None, value=None) -> Problem:
        return Problem(code, message, file=self.file, sheet=self.name, cell=cell,
                       value=None if value is None else as_text(value))


def load_program(path: str | Path | None = None) -> tuple[Program | None, list[Problem]]:
    """Load the definition workbook. Returns the program (None when unusable) and every problem."""
    path = Path(path) if path else default_program_path()
    sheets, problems = _open(path)
    if sheets is None:
        return None, problems

    passport, found = read_passport(sheets[D.SHEET_PASSPORT])
    problems += found
    participants, found = read_participants(sheets[D.SHEET_PARTICIPANTS])
    problems += found
    tasks, found = read_tasks(sheets[D.SHEET_TASKS])
    problems += found
    inputs, found = read_inputs(sheets[D.SHEET_INPUTS], participants)
    problems += found
    indicators, broken, found = read_indicators(sheets[D.SHEET_INDICATORS], inputs, tasks)
    problems += found
    targets, found = read_targets(sheets[D.SHEET_TARGETS], [i.number for i in indicators], broken)
    problems += found
    funding, found = read_funding(sheets[D.SHEET_FUNDING])
    problems += found
    measures, found = read_measures(sheets[D.SHEET_MEASURES], participants, tasks)
    problems += found
    settings, found = read_settings(sheets[D.SHEET_SETTINGS])
    problems += found
    past_facts: dict[int, dict[int, float]] = {}
    if D.SHEET_PAST_FACTS in sheets:
        past_facts, found = read_past_facts(sheets[D.SHEET_PAST_FACTS], {i.number for i in indicators} | broken)
        problems += found

    program = Program(
        **passport,
        participants=participants,
        tasks=tasks,
        inputs=inputs,
        indicators=tuple(dataclasses.replace(ind, targets=targets.get(ind.number, {})) for ind in indicators),
        funding=funding,
        measures=tuple(measures),
        settings=settings,
        past_facts=past_facts,
        path=str(path),
    )
    problems += cross_checks(program, sheets)
    return program, problems


def _open(path: Path) -> tuple[dict[str, Sheet] | None, list[Problem]]:
    from python_calamine import CalamineWorkbook  # imported here: keeps CLI start-up quick

    problems: list[Problem] = []
    sheets: dict[str, Sheet] = {}
    if path.exists() and not path.is_file():
        return None, [Problem("program-unreadable", f"{path} — не обычный файл (папка, канал или устройство)",
                              file=path.name)]
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        names = workbook.sheet_names
        for name in (*D.COLUMNS, *D.OPTIONAL_SHEETS):
            if name not in names:
                if name in D.COLUMNS:
                    problems.append(Problem("sheet-missing", f"в книге нет листа «{name}»", file=path.name, sheet=name))
                continue
            rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            sheets[name] = Sheet(path.name, name, rows)
    except FileNotFoundError:
        return None, [Problem("program-unreadable", f"файл {path} не найден", file=path.name)]
    except OSError as exc:  # no access, a broken disk
        from .output import describe_os_error

        return None, [Problem("program-unreadable", f"не удалось прочитать книгу {path}: {describe_os_error(exc)}",
                              file=path.name)]
    except Exception:  # calamine raises several types for broken files, with English text: not shown
        return None, [Problem("program-unreadable", f"не удалось прочитать книгу {path}: файл повреждён, защищён "
                              "паролем или не является книгой Excel", file=path.name)]
    for sheet in sheets.values():
        problems += sheet.missing
    if problems:
        return None, problems
    return sheets, problems


# --- key/value sheets -----------------------------------------------------------------

def _key_values(sheet: Sheet, fields: dict[str, str]) -> tuple[dict, dict[str, str | None]]:
    """{key: value} and {key: its value cell} of a key/value sheet."""
    values, cells = {}, {}
    for r, rec in sheet.records():
        key = as_text(rec["key"])
        if key in fields:
            values[key], cells[key] = rec["value"], sheet.cell(r, "value")
    return values, cells


def read_passport(sheet: Sheet) -> tuple[dict, list[Problem]]:
    values, cells = _key_values(sheet, D.PASSPORT_FIELDS)
    problems = [sheet.problem("field-missing", f"не заполнено поле «{D.PASSPORT_FIELDS[k]}»", cells.get(k))
                for k in D.REQUIRED_PASSPORT if is_blank(values.get(k))]
    years = {}
    for key in ("start_year", "end_year"):
        raw = values.get(key)
        years[key] = as_int(raw) or 0
        if is_blank(raw):
            continue
        if as_int(raw) is None:
            problems.append(sheet.problem("value-invalid", "год должен быть целым числом", cells.get(key), raw))
        elif years[key] not in PERIOD:
            problems.append(sheet.problem("value-invalid", f"год {years[key]} вне допустимых {PERIOD.start}–"
                                          f"{PERIOD.stop - 1}", cells.get(key), raw))
    if years["start_year"] and years["end_year"] and years["start_year"] > years["end_year"]:
        problems.append(sheet.problem("value-invalid", "год окончания раньше года начала", cells.get("end_year"),
                                      years["end_year"]))
    passport = {key: as_text(values.get(key)) for key in D.PASSPORT_FIELDS if key not in years}
    return {**passport, **years}, problems


def read_settings(sheet: Sheet) -> tuple[Settings, list[Problem]]:
    values, cells = _key_values(sheet, D.SETTINGS_FIELDS)
    problems: list[Problem] = []
    chosen: dict = {"method": as_text(values.get("method"))}

    def bad(key: str, message: str) -> None:
        problems.append(sheet.problem("setting-invalid", f"«{D.SETTINGS_FIELDS[key]}»: {message}", cells.get(key),
                                      values.get(key)))

    for key in ("threshold_high", "threshold_medium", "threshold_satisfactory"):
        number = as_number(values.get(key))
        if number is None or not 0 < number <= 1:
            hint = " (90 % — это 0,9)" if number is not None and 1 < number <= 100 else ""
            bad(key, f"порог должен быть числом больше 0 и не больше 1{hint}")
        else:
            chosen[key] = number
    cap = as_number(values.get("cap"))
    if cap is None or cap <= 0:
        bad("cap", "должно быть положительным числом")
    else:
        chosen["cap"] = cap
    defaults = Settings()
    if not (chosen.get("threshold_high", defaults.threshold_high) >= chosen.get("threshold_medium", defaults.threshold_medium)
            >= chosen.get("threshold_satisfactory", defaults.threshold_satisfactory)):
        bad("threshold_medium", "пороги должны убывать: высокая ≥ средняя ≥ удовлетворительная")
    for key, terms in (("zero_rule", ZERO_RULE), ("srm_scope", SRM_SCOPE), ("ssuz_plan", SSUZ_PLAN),
                       ("missing_fact", MISSING_FACT)):
        if key in D.OPTIONAL_SETTINGS and is_blank(values.get(key)):
            continue
        code = terms.code(values.get(key))
        if code is None:
            bad(key, f"должно быть одним из: {terms.choices('; ')}")
        else:
            chosen[key] = code
    for key, low in (("exceed_margin", 0.0), ("jump_factor", 1.0)):
        if is_blank(values.get(key)):
            continue
        number = as_number(values.get(key))
        if number is None or number < low:
            bad(key, f"должно быть числом не меньше {format_number(low)}")
        else:
            chosen[key] = number
    return Settings(**chosen), problems


# --- tables ---------------------------------------------------------------------------

def _first_seen(seen: dict, key, sheet: Sheet, r: int, column: str, what: str) -> Problem | None:
    """None the first time ``key`` is seen; a duplicate problem afterwards."""
    if key in seen:
        return sheet.problem("code-duplicate", f"{what} «{key}» повторяется (первый раз в строке {seen[key] + 1})",
                             sheet.cell(r, column), key)
    seen[key] = r
    return None


_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def email_problem(text: str) -> str | None:
    """Why ``text`` is not one e-mail address a mail server accepts (RFC 5322 with an ASCII
    name, IDNA for a Cyrillic domain such as otdel@кчгу.рф), or None when it is one."""
    if any(ch in text for ch in "\r\n\t"):
        return "в ячейке перенос строки: укажите один адрес в одной строке"
    if any(ch in text for ch in ",; ") or text.count("@") > 1:
        return "в ячейке должен быть один адрес (без запятых, точек с запятой и пробелов)"
    local, at, domain = text.rpartition("@")
    if not at or not local or not domain:
        return "адрес должен иметь вид имя@домен"
    if len(local) > 64 or not _LOCAL.match(local):
        return f"имя до «@» пишется латиницей, без пробелов: «{local}»"
    try:
        ascii_domain = domain.rstrip(".").encode("idna").decode("ascii").lower()
    except UnicodeError:
        return f"недопустимый домен «{domain}»"
    labels = ascii_domain.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels) or len(ascii_domain) > 253:
        return f"недопустимый домен «{domain}»"
    return None


def read_participants(sheet: Sheet) -> tuple[dict[str, Participant], list[Problem]]:
    result, seen, problems = {}, {}, []
    for r, rec in sheet.records():
        code = as_text(rec["code"])
        if not code:
            problems.append(sheet.problem("field-missing", "не указан код участника", sheet.cell(r, "code")))
            continue
        duplicate = _first_seen(seen, code, sheet, r, "code", "код участника")
        if duplicate:
            problems.append(duplicate)
            continue
        role = ROLE.code(as_text(rec["role"]))
        if role is None:
            problems.append(sheet.problem("value-invalid", f"роль должна быть одной из: {ROLE.choices()}",
                                          sheet.cell(r, "role"), rec["role"]))
        name = as_text(rec["name"])
        if not name:
            problems.append(sheet.problem("field-missing", "не указано полное наименование", sheet.cell(r, "name")))
        email = str(rec["email"]).strip() if not is_blank(rec["email"]) else ""
        if email and (why := email_problem(email)):
            problems.append(sheet.problem("email-invalid", f"e-mail участника «{code}»: {why}", sheet.cell(r, "email"),
                                          email))
        result[code] = Participant(
            code=code,
            short_name=as_text(rec["short_name"]) or name,
            name=name,
            role=role or PARTICIPANT,
            email=email if email and not email_problem(email) else "",
            contact=as_text(rec["contact"]),
            phone=as_text(rec["phone"]),
        )
    return result, problems


def _numbered(sheet: Sheet, what: str, problems: list[Problem]):
    """(row, record, number) of each row whose «№» is a whole number seen the first time; the
    other rows become problems at their cell."""
    seen: dict = {}
    for r, rec in sheet.records():
        number = as_int(rec["number"])
        if number is None:
            problems.append(sheet.problem("value-invalid", f"номер {what} должен быть целым числом",
                                          sheet.cell(r, "number"), rec["number"]))
            continue
        duplicate = _first_seen(seen, number, sheet, r, "number", f"номер {what}")
        if duplicate:
            problems.append(duplicate)
            continue
        yield r, rec, number


def read_tasks(sheet: Sheet) -> tuple[dict[int, Task], list[Problem]]:
    problems: list[Problem] = []
    result = {number: Task(number, as_text(rec["name"])) for _, rec, number in _numbered(sheet, "задачи", problems)}
    return result, problems


def _expression(sheet: Sheet, r: int, key: str, raw, codes: set[str], required: bool = True
                ) -> tuple[Formula | None, list[Problem]]:
    text = as_text(raw)
    cell = sheet.cell(r, key)
    if not text:
        return None, [sheet.problem("field-missing", "не указана формула", cell)] if required else []
    try:
        formula = Formula(text)
    except FormulaError as exc:
        return None, [sheet.problem("formula-syntax", str(exc), cell, text[:200])]
    unknown = [n for n in formula.names if n not in codes]
    if unknown:
        return None, [sheet.problem("formula-unknown-input", f"в формуле неизвестный код: {', '.join(unknown)}", cell,
                                    text)]
    return formula, []


def read_inputs(sheet: Sheet, participants: dict[str, Participant]) -> tuple[dict[str, Input], list[Problem]]:
    result, seen, problems = {}, {}, []
    codes = {as_text(rec["code"]) for _, rec in sheet.records()}
    for r, rec in sheet.records():
        code = as_text(rec["code"])
        if not code:
            problems.append(sheet.problem("field-missing", "не указан код исходных данных", sheet.cell(r, "code")))
            continue
        if not code.isidentifier() or not code.isascii() or _CELL_LIKE.match(code):
            problems.append(sheet.problem("value-invalid", "код должен состоять из латинских букв, цифр и «_», "
                                          "начинаться с буквы и не совпадать с адресом ячейки", sheet.cell(r, "code"), code))
            continue
        duplicate = _first_seen(seen, code, sheet, r, "code", "код исходных данных")
        if duplicate:
            problems.append(duplicate)
            continue
        kind = KIND.code(as_text(rec["kind"]))
        if kind is None:
            problems.append(sheet.problem("value-invalid", f"тип значения должен быть одним из: {KIND.choices()}",
                                          sheet.cell(r, "kind"), rec["kind"]))
        bound = 0.0 if is_blank(rec["lower_bound"]) else as_number(rec["lower_bound"])
        if bound is None:
            problems.append(sheet.problem("value-invalid", "нижняя граница должна быть числом",
                                          sheet.cell(r, "lower_bound"), rec["lower_bound"]))
        combine = COMBINE.code(as_text(rec["combine"]) or COMBINE.label("sum"))
        if combine is None:
            problems.append(sheet.problem("value-invalid", f"способ сведения может быть только {COMBINE.choices()}",
                                          sheet.cell(r, "combine"), rec["combine"]))
        suppliers = tuple(s.strip() for s in as_text(rec["suppliers"]).replace(",", ";").split(";") if s.strip())
        if not suppliers:
            problems.append(sheet.problem("input-no-supplier", f"не указано, кто представляет «{code}»",
                                          sheet.cell(r, "suppliers")))
        problems += [sheet.problem("participant-unknown", f"участник «{s}» не найден на листе «{D.SHEET_PARTICIPANTS}»",
                                   sheet.cell(r, "suppliers"), s) for s in suppliers if s not in participants]
        upper, found = _expression(sheet, r, "upper", rec["upper"], codes, required=False)
        problems += found
        required = True
        if not is_blank(rec["required"]):
            answer = YES_NO.code(as_text(rec["required"]))
            if answer is None:
                problems.append(sheet.problem("value-invalid", f"укажите {YES_NO.choices(' или ')}",
                                              sheet.cell(r, "required"), rec["required"]))
            required = answer != "no"
        near, found = _expression(sheet, r, "near", rec["near"], codes, required=False)
        problems += found
        tolerance = 0.0
        if near is not None:
            tolerance = as_number(rec["near_tolerance"])
            if tolerance is None or tolerance < 0:
                problems.append(sheet.problem("value-invalid", "допустимое расхождение — число процентов, не меньше 0",
                                              sheet.cell(r, "near_tolerance"), rec["near_tolerance"]))
                tolerance = 0.0
        result[code] = Input(code=code, name=as_text(rec["name"]), unit=as_text(rec["unit"]), kind=kind or "decimal",
                             lower_bound=bound or 0.0, suppliers=suppliers, symbol=as_text(rec["symbol"]),
                             combine=combine or "sum", upper=upper, required=required, near=near,
                             near_tolerance=tolerance)
    return result, problems


def read_indicators(sheet: Sheet, inputs: dict[str, Input], tasks: dict[int, Task]
                    ) -> tuple[list[Indicator], set[int], list[Problem]]:
    """The indicators (without targets), the numbers of those whose formula is broken, problems."""
    result, broken, problems = [], set(), []
    for r, rec, number in _numbered(sheet, "показателя", problems):
        task = as_int(rec["task"])
        if task not in tasks:
            problems.append(sheet.problem("task-unknown", f"задача «{as_text(rec['task'])}» не найдена на листе "
                                          f"«{D.SHEET_TASKS}»", sheet.cell(r, "task"), rec["task"]))
        direction = DIRECTION.code(as_text(rec["direction"]))
        if direction is None:
            problems.append(sheet.problem("value-invalid", f"направление должно быть одним из: {DIRECTION.choices()}",
                                          sheet.cell(r, "direction"), rec["direction"]))
        precision = as_int(rec["precision"]) if not is_blank(rec["precision"]) else 0
        if precision is None or not 0 <= precision <= 6:
            problems.append(sheet.problem("value-invalid", "число знаков после запятой должно быть целым от 0 до 6",
                                          sheet.cell(r, "precision"), rec["precision"]))
            precision = 0
        weight = 1.0 if is_blank(rec["weight"]) else as_number(rec["weight"])
        if weight is None or weight < 0:
            problems.append(sheet.problem("value-invalid", "вес показателя — число не меньше 0",
                                          sheet.cell(r, "weight"), rec["weight"]))
            weight = 1.0
        formula, found = _expression(sheet, r, "formula", rec["formula"], set(inputs))
        problems += found
        if formula is None:
            broken.add(number)  # reported once, here; its targets are not
            continue
        result.append(Indicator(number=number, task=task or 0, name=as_text(rec["name"]), unit=as_text(rec["unit"]),
                                direction=direction or "increase", formula=formula, precision=precision,
                                source=as_text(rec["source"]), weight=weight))
    return result, broken, problems


def _year_columns(sheet: Sheet) -> tuple[dict[int, int], list[Problem]]:
    """column → year, from the headers; a header that names a year but is not one («2026 г.»)
    is a problem at its cell, not a column silently left out."""
    years, problems = {}, []
    for title, c in sheet.header.items():
        if (year := as_int(title)) is not None:
            years[c] = year
        elif c not in sheet.columns.values() and (meant := _YEAR_IN_TEXT.search(title)):
            problems.append(sheet.problem("value-invalid", f"заголовок «{title}» не читается как год: значения "
                                          f"столбца не учтены; напишите в заголовке только год: {meant.group()}",
                                          cell_name(0, c), title))
    return years, problems


_YEAR_IN_TEXT = re.compile(r"(?<!\d)(?:19|20|21)\d\d(?!\d)")


def read_targets(sheet: Sheet, numbers: list[int], broken: set[int]
                 ) -> tuple[dict[int, dict[int, float | None]], list[Problem]]:
    years, problems = _year_columns(sheet)
    result: dict[int, dict[int, float | None]] = {}
    for r, rec in sheet.records():
        number = as_int(rec["number"])
        if number in broken:
            continue
        if number not in numbers:
            problems.append(sheet.problem("indicator-unknown", f"показатель «{as_text(rec['number'])}» не найден на "
                                          f"листе «{D.SHEET_INDICATORS}»", sheet.cell(r, "number"), rec["number"]))
            continue
        row = sheet.rows[r]
        targets = result.setdefault(number, {})
        for c, year in years.items():
            raw = row[c] if c < len(row) else None
            if is_blank(raw):
                problems.append(sheet.problem("target-missing", f"нет целевого значения показателя {number} на {year} "
                                              "год", cell_name(r, c)))
            elif as_text(raw) == NO_TARGET_MARK:
                targets[year] = None
            elif (value := as_number(raw)) is None:
                problems.append(sheet.problem("target-not-number", f"целевое значение показателя {number} на {year} "
                                              "год не число", cell_name(r, c), raw))
            else:
                targets[year] = value
    problems += [sheet.problem("target-missing", f"нет строки целевых значений показателя {n}")
                 for n in numbers if n not in result]
    return result, problems


def read_past_facts(sheet: Sheet, numbers: set[int]) -> tuple[dict[int, dict[int, float]], list[Problem]]:
    """Facts of years before the toolkit, typed from the published annual reports; blank: no fact."""
    years, problems = _year_columns(sheet)
    result: dict[int, dict[int, float]] = {}
    for r, rec in sheet.records():
        number = as_int(rec["number"])
        if number not in numbers:
            problems.append(sheet.problem("indicator-unknown", f"показатель «{as_text(rec['number'])}» не найден на "
                                          f"листе «{D.SHEET_INDICATORS}»", sheet.cell(r, "number"), rec["number"]))
            continue
        row = sheet.rows[r]
        for c, year in years.items():
            raw = row[c] if c < len(row) else None
            if is_blank(raw):
                continue
            value = as_number(raw)
            if value is None:
                problems.append(sheet.problem("value-invalid", f"факт показателя {number} за {year} год не число",
                                              cell_name(r, c), raw))
            else:
                result.setdefault(number, {})[year] = value
    return result, problems


def read_funding(sheet: Sheet) -> tuple[dict[int, Funding], list[Problem]]:
    result, seen, problems = {}, {}, []
    for r, rec in sheet.records():
        year = as_int(rec["year"])
        if year is None:
            problems.append(sheet.problem("value-invalid", "год должен быть целым числом", sheet.cell(r, "year"),
                                          rec["year"]))
            continue
        duplicate = _first_seen(seen, year, sheet, r, "year", "год")
        if duplicate:
            problems.append(duplicate)
            continue
        amounts = {}
        for key in (*SOURCES, "total"):
            raw = rec[key]
            value = 0.0 if is_blank(raw) and key != "total" else as_number(raw)
            if value is None:
                problems.append(sheet.problem("funding-not-number", f"сумма на {year} год не число",
                                              sheet.cell(r, key), raw))
            amounts[key] = value
        if any(v is None for v in amounts.values()):
            continue
        parts = sum(amounts[s] for s in SOURCES)
        if abs(parts - amounts["total"]) >= MONEY_TOLERANCE:
            problems.append(sheet.problem("funding-sum-mismatch", f"сумма источников на {year} год "
                                          f"{format_number(parts, 1)} не равна итогу {format_number(amounts['total'], 1)}",
                                          sheet.cell(r, "total"), amounts["total"]))
        result[year] = Funding(year=year, **amounts)
    return result, problems


def read_measures(sheet: Sheet, participants: dict[str, Participant], tasks: dict[int, Task]
                  ) -> tuple[list[Measure], list[Problem]]:
    result, seen, problems = [], {}, []
    for r, rec in sheet.records():
        code = as_text(rec["code"])
        year = as_int(rec["year"])
        if not code:
            problems.append(sheet.problem("field-missing", "не указан код мероприятия", sheet.cell(r, "code")))
            continue
        if year is None:
            problems.append(sheet.problem("value-invalid", "год должен быть целым числом", sheet.cell(r, "year"),
                                          rec["year"]))
            continue
        duplicate = _first_seen(seen, (code, year), sheet, r, "code", "мероприятие с годом")
        if duplicate:
            problems.append(duplicate)
            continue
        responsible = as_text(rec["responsible"])
        if responsible not in participants:
            problems.append(sheet.problem("participant-unknown", f"участник «{responsible}» не найден на листе "
                                          f"«{D.SHEET_PARTICIPANTS}»", sheet.cell(r, "responsible"), responsible))
        task = as_int(rec["task"]) if not is_blank(rec["task"]) else None
        if task is not None and task not in tasks:
            problems.append(sheet.problem("task-unknown", f"задача «{task}» не найдена на листе «{D.SHEET_TASKS}»",
                                          sheet.cell(r, "task"), task))
        plan = {}
        for key in SOURCES:
            value = 0.0 if is_blank(rec[key]) else as_number(rec[key])
            if value is None:
                problems.append(sheet.problem("funding-not-number", "плановая сумма не число", sheet.cell(r, key),
                                              rec[key]))
            plan[key] = value or 0.0
        result.append(Measure(code, task, as_text(rec["name"]), responsible, year, plan, as_text(rec["term"]),
                              as_text(rec["result"])))
    return result, problems


# --- across sheets ----------------------------------------------------------------------

def cross_checks(program: Program, sheets: dict[str, Sheet]) -> list[Problem]:
    """What no single sheet can tell: the executor exists, the period covers the targets and
    the funding, the measures' plan adds up to the funding."""
    problems: list[Problem] = []
    passport = sheets[D.SHEET_PASSPORT]
    _, cells = _key_values(passport, D.PASSPORT_FIELDS)
    if program.executor and program.executor not in program.participants:
        problems.append(passport.problem("participant-unknown", f"исполнитель «{program.executor}» не найден на листе "
                                         f"«{D.SHEET_PARTICIPANTS}»", cells.get("executor"), program.executor))
    if program.start_year and program.end_year and program.start_year <= program.end_year:
        outside = sorted({y for y in (*program.target_years(), *program.funding) if y not in program.years})
        if outside:
            problems.append(passport.problem(
                "value-invalid", f"срок программы {program.start_year}–{program.end_year} не охватывает годы целевых "
                f"значений или финансирования: {', '.join(map(str, outside))}",
                cells.get("end_year" if outside[-1] > program.end_year else "start_year")))
    for year in sorted({m.year for m in program.measures}):
        funding = program.funding.get(year)
        planned = {k: sum(m.plan[k] for m in program.measures_of(None, year)) for k in SOURCES}
        for key in SOURCES:
            expected = funding.by_source()[key] if funding else 0.0
            if abs(planned[key] - expected) >= MONEY_TOLERANCE:
                problems.append(sheets[D.SHEET_MEASURES].problem(
                    "measures-plan-mismatch",
                    f"план мероприятий на {year} год, {SOURCE.label(key).lower()}: {format_number(planned[key], 1)} "
                    f"тыс. руб., а по финансированию программы — {format_number(expected, 1)} тыс. руб. (разница "
                    f"{format_number(planned[key] - expected, 1)})"))
    return problems
