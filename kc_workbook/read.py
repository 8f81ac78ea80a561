"""Reading one returned participant workbook: identity, values with their cells, problems.

Values are read with python-calamine (fast, .xlsx/.xlsm/.xls/.ods alike). Nothing here
raises for bad input: whatever is wrong with a file becomes a Problem, so the other
files are still consolidated. Each step is a function that returns what it found and its
problems; ``_read`` only puts them together.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from . import layout as L
from .cells import as_int, as_text, cell_name, is_blank
from .measures import read_measures
from .model import Program
from .notation import exact, format_number
from .preflight import LIMITS, WORKBOOK_EXTENSIONS, examine
from .problems import Problem
from .reasons import FORMAT as REASONS_FORMAT
from .reasons import read_reasons
from .justification import read_justifications
from .values import parse_value

REJECTING = {"file-unreadable", "workbook-not-ours", "workbook-other-program", "workbook-wrong-year",
             "workbook-unknown-participant", "workbook-not-expected", "file-wrong-format", "file-too-large",
             "archive-suspicious", "xml-doctype", "sheet-too-large", "workbook-password"}
SKIPPING = {"lock-file-skipped", "not-a-workbook", "file-not-regular", "file-temporary"}


@dataclass(frozen=True, slots=True)
class Cell:
    """Where one input value came from, as typed, and what it was read as."""

    code: str
    sheet: str
    cell: str
    raw: str
    value: float | None
    comment: str = ""
    ok: bool = True  # False when the value is invalid (then it is not used)


@dataclass
class Submission:
    path: Path
    name: str
    kind: str = ""
    participant: str | None = None
    year: int | None = None
    program_id: str = ""
    fingerprint: str = ""
    template_version: str = ""
    recorded_at: dt.datetime | None = None
    modified_at: dt.datetime | None = None
    cells: dict[str, Cell] = field(default_factory=dict)
    contacts: dict[str, str] = field(default_factory=dict)
    measures: dict = field(default_factory=dict)  # measure code → measures.MeasureReport
    problems: list[Problem] = field(default_factory=list)
    role: str = "data"  # "data": a participant's workbook; "reasons": the executor's reasons workbook
    # indicator number → (reason for the deviation, sheet, cell)
    justifications: dict[int, tuple[str, str, str]] = field(default_factory=dict)

    @property
    def skipped(self) -> bool:
        return any(p.code in SKIPPING for p in self.problems)

    @property
    def rejected(self) -> bool:
        return any(p.code in REJECTING for p in self.problems)

    @property
    def usable(self) -> bool:
        return not self.skipped and not self.rejected

    @property
    def saved_at(self) -> dt.datetime | None:
        """The time recorded in the file, failing that the file's modification time."""
        return self.recorded_at or self.modified_at

    def values(self) -> dict[str, float]:
        return {c.code: c.value for c in self.cells.values() if c.ok and c.value is not None}


@dataclass(frozen=True)
class Where:
    """Makes the problems of one file: its name and (once known) its participant."""

    file: str
    participant: str | None = None

    def problem(self, code: str, message: str, sheet: str | None = None, cell: str | None = None,
                value=None) -> Problem:
        return Problem(code, message, participant=self.participant, file=self.file, sheet=sheet, cell=cell,
                       value=None if value is None else as_text(value))


def read_submission(path: str | Path, program: Program, year: int | None = None, name: str | None = None) -> Submission:
    path = Path(path)
    sub = Submission(path=path, name=name or path.name)
    where = Where(sub.name)
    try:
        sub.modified_at = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.timezone.utc).replace(tzinfo=None)
    except OSError:
        pass
    if path.name.startswith("~$") or path.name.startswith(".~lock."):
        sub.problems = [where.problem("lock-file-skipped", "служебный файл открытой книги пропущен")]
        return sub
    try:
        found = examine(path)
    except OSError as exc:
        sub.problems = [where.problem("file-unreadable", f"файл не удалось открыть: {exc.strerror or exc}")]
        return sub
    except Exception as exc:  # the examination itself must never stop the other files
        sub.problems = [where.problem("file-unreadable", f"файл не удалось проверить: {exc}")]
        return sub
    if found.kind is None and not found.blocking:
        if path.suffix.lower() in WORKBOOK_EXTENSIONS:
            sub.problems = [where.problem("file-wrong-format", f"файл с расширением {path.suffix} на самом деле: "
                                          f"{found.what}")]
        else:
            sub.problems = [where.problem("not-a-workbook", f"файл пропущен: {found.what}")]
        return sub
    sub.problems = [where.problem(code, message) for code, message in found.blocking + found.notes]
    if found.blocking:
        return sub
    sub.kind = found.kind
    sub.recorded_at = found.recorded_at
    try:
        _read(sub, program, year, found.data)
    except Exception as exc:  # a broken file must never stop the others
        from python_calamine import PasswordError

        if isinstance(exc, PasswordError):
            sub.problems.append(where.problem("workbook-password", "книга защищена паролем на открытие"))
        else:
            sub.problems.append(where.problem("file-unreadable", f"книгу не удалось прочитать ({found.what}): {exc}"))
    return sub


def _read(sub: Submission, program: Program, year: int | None, data: bytes | None = None) -> None:
    """Put the steps together on ``sub``: each step only returns what it found."""
    sheets, too_large = _load_sheets(sub.path, Where(sub.name), data)
    if too_large:
        sub.problems.append(too_large)
        return
    identity, problems = identify(sheets.get(L.SHEET_IDENTITY), program, year, Where(sub.name))
    changed = [p for p in problems if p.code == "workbook-input-changed"]  # placed at their cells below
    sub.problems += [p for p in problems if p.code != "workbook-input-changed"]
    if identity is None:
        sub.participant = None
        return
    sub.program_id, sub.fingerprint = identity["program_id"], identity["fingerprint"]
    sub.template_version, sub.year, sub.participant = identity["version"], identity["year"], identity["participant"]
    if identity["format"] == REASONS_FORMAT:
        sub.role = "reasons"  # the executor's reasons workbook, even when it is rejected
    if not identity["accepted"]:
        sub.participant = identity["participant"] if identity["participant"] in program.participants else None
        return
    where = Where(sub.name, sub.participant)
    data_sheets = {name: rows for name, rows in sheets.items() if name != L.SHEET_IDENTITY}
    if sub.role == "reasons":
        sub.justifications, problems = read_reasons(data_sheets, set(program.indicator), where)
        sub.problems += changed + problems
        return
    sub.contacts = find_contacts(data_sheets)
    places = locate_inputs(data_sheets, program)
    errors_in_formulas = _formula_errors(sub.path, sub.kind, data_sheets, places, program, sub.participant)
    cells, problems = take_values(data_sheets, places, program, sub.participant, where, errors_in_formulas)
    sub.problems += problems
    problems, invalid = check_ratios(cells, program, where)
    sub.problems += problems
    invalid |= identity.get("changed", set())
    sub.cells = {code: dataclasses.replace(c, ok=False) if code in invalid else c for code, c in cells.items()}
    # a value typed under the earlier definition: the problem is at its cell, where the person looks
    sub.problems += [dataclasses.replace(p, sheet=cells[p.value].sheet, cell=cells[p.value].cell)
                     if p.value in cells else p for p in changed]
    sub.measures, problems = read_measures(data_sheets, program, sub.participant, sub.year, where)
    sub.problems += problems
    sub.justifications, problems = read_justifications(data_sheets, program, sub.participant, sub.year, sub.values(),
                                                       sub.name)
    sub.problems += problems


def _load_sheets(path: Path, where: Where, data: bytes | None = None) -> tuple[dict[str, list], Problem | None]:
    from python_calamine import CalamineWorkbook

    if data is not None:  # the bytes preflight read: the file is opened once
        import io

        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    else:
        workbook = CalamineWorkbook.from_path(str(path))
    sheets = {}
    for sheet_name in workbook.sheet_names:
        sheet = workbook.get_sheet_by_name(sheet_name)
        if sheet.height > LIMITS.rows or sheet.width > LIMITS.columns:  # .xls: not inspected before parsing
            return {}, where.problem("sheet-too-large", f"на листе заполнено {sheet.height} строк и {sheet.width} "
                                     "столбцов — далеко за пределами формы; удалите лишнее и сохраните книгу",
                                     sheet_name)
        sheets[sheet_name] = sheet.to_python(skip_empty_area=False)
    return sheets, None


def identify(rows, program: Program, year: int | None, where: Where) -> tuple[dict | None, list[Problem]]:
    """The workbook's identity from its hidden sheet, and whether its values may be used."""
    # The identity is on a hidden sheet the person never sees: its problems point at the workbook.
    if rows is None:
        return None, [where.problem("workbook-not-ours", "в книге нет служебных сведений, которые есть в каждой книге "
                                    "участника программы: это не книга участника")]
    ident = {as_text(r[0]): as_text(r[1]) for r in rows if len(r) >= 2 and not is_blank(r[0])}
    if ident.get(L.ID_FORMAT) not in (L.FORMAT, REASONS_FORMAT):
        return None, [where.problem("workbook-not-ours", "служебные сведения книги повреждены или от другой версии")]
    found = {"program_id": ident.get(L.ID_PROGRAM, ""), "fingerprint": ident.get(L.ID_FINGERPRINT, ""),
             "version": ident.get(L.ID_VERSION, ""), "participant": ident.get(L.ID_PARTICIPANT) or None,
             "year": as_int(ident.get(L.ID_YEAR)), "accepted": False, "format": ident.get(L.ID_FORMAT)}
    known = program.participants.get(found["participant"] or "")
    where = Where(where.file, found["participant"] if known else None)
    if found["program_id"] != program.program_id:
        return found, [where.problem("workbook-other-program", f"книга программы «{found['program_id']}», а нужна книга "
                                     f"«{program.program_id}»", value=found["program_id"])]
    if year is not None and found["year"] != year:
        return found, [where.problem("workbook-wrong-year", f"книга за {found['year']} год, а нужна за {year} год",
                                     value=found["year"])]
    if known is None:
        return found, [where.problem("workbook-unknown-participant", f"участник с кодом «{found['participant']}» не "
                                     "найден в определении программы", value=found["participant"])]
    if found["format"] == REASONS_FORMAT:  # the executor's own workbook: not a supplier's
        if found["participant"] != program.executor:
            return found, [where.problem("workbook-unknown-participant", f"книга обоснований не исполнителя программы, "
                                         f"а участника «{known.short_name}»", value=found["participant"])]
    elif found["participant"] not in program.suppliers(found["year"]):
        return found, [where.problem("workbook-not-expected", f"«{known.short_name}» по определению программы не "
                                     f"представляет сведений за {found['year']} год: книга не учтена")]
    found["accepted"] = True
    found["changed"] = set()
    if found["fingerprint"] != program.fingerprint:
        # Values whose meaning changed (unit, kind, bound, the formulas they enter) must not be used.
        signatures = {key[len(L.ID_INPUT_PREFIX):]: value for key, value in ident.items()
                      if key.startswith(L.ID_INPUT_PREFIX)}
        found["changed"] = {inp.code for inp in program.inputs_of(found["participant"])
                            if inp.code in signatures and signatures[inp.code] != program.input_signature(inp.code)}
        if found["changed"]:
            return found, [where.problem("workbook-input-changed", f"книга сформирована по прежней редакции "
                                         f"программы, в которой иначе определено «{program.inputs[code].name}» "
                                         "(единица измерения, тип или расчёт): значение не учтено",
                                         value=code) for code in sorted(found["changed"])]
        return found, [where.problem("workbook-outdated", "книга сформирована по другой редакции определения "
                                     "программы", value=ident.get(L.ID_AMENDMENT) or found["fingerprint"])]
    return found, []


def find_contacts(sheets: dict[str, list]) -> dict[str, str]:
    labels = {label: key for key, label in L.CONTACTS.items()}
    contacts = {}
    for rows in sheets.values():
        for row in rows:
            for c, value in enumerate(row):
                if isinstance(value, str) and value.strip() in labels and c + 1 < len(row):
                    contacts[labels[value.strip()]] = as_text(row[c + 1])
    return contacts


# Where an input was found: (sheet, row, value column, comment column or None).
Place = tuple[str, int, int, "int | None"]


def locate_inputs(sheets: dict[str, list], program: Program) -> dict[str, list[Place]]:
    """Every row, on any sheet, whose «Код» column holds an input code of the program."""
    found: dict[str, list[Place]] = {}
    for sheet_name, rows in sheets.items():
        header_row = code_col = value_col = comment_col = None
        for r, row in enumerate(rows):
            texts = {c: v.strip() for c, v in enumerate(row) if isinstance(v, str)}
            codes = [c for c, t in texts.items() if t == L.HEAD_CODE]
            values = [c for c, t in texts.items() if t.startswith(L.HEAD_VALUE_PREFIX)]
            if codes and values:
                header_row, code_col, value_col = r, codes[0], values[0]
                comment_col = next((c for c, t in texts.items() if t == L.HEAD_COMMENT), None)
                break
        if header_row is None:
            continue
        for r in range(header_row + 1, len(rows)):
            row = rows[r]
            if code_col < len(row) and isinstance(row[code_col], str):
                code = row[code_col].strip()
                if code in program.inputs:
                    found.setdefault(code, []).append((sheet_name, r, value_col, comment_col))
    return found


def take_values(sheets: dict[str, list], places: dict[str, list[Place]], program: Program, participant: str,
                where: Where, formula_errors: dict[tuple[str, str], tuple[str, str]]
                ) -> tuple[dict[str, Cell], list[Problem]]:
    """Each expected input's value, parsed; ``formula_errors``: (sheet, cell) → (what the cell
    holds, message) for cells that look empty to calamine but hold a formula error."""
    problems: list[Problem] = []
    expected = {inp.code for inp in program.inputs_of(participant)}
    for code, found in places.items():
        sheet_name, r, vc, _ = found[0]
        if code not in expected:
            problems.append(where.problem("input-unexpected", f"«{code}» не относится к данным этого участника",
                                          sheet_name, cell_name(r, vc)))
            continue
        problems += [where.problem("input-repeated", f"код «{code}» повторяется", other[0], cell_name(other[1], other[2]),
                                   code) for other in found[1:]]
    cells: dict[str, Cell] = {}
    for inp in program.inputs_of(participant):
        if inp.code not in places:
            problems.append(where.problem("input-not-found", f"нет строки с кодом «{inp.code}» ({inp.name})",
                                          L.SHEET_DATA))
            continue
        sheet_name, r, vc, cc = places[inp.code][0]
        row = sheets[sheet_name][r]
        raw = row[vc] if vc < len(row) else None
        comment = as_text(row[cc]) if cc is not None and cc < len(row) else ""
        where_cell = cell_name(r, vc)
        if (sheet_name, where_cell) in formula_errors:
            shown, message = formula_errors[(sheet_name, where_cell)]
            problems.append(where.problem("value-formula-error", message, sheet_name, where_cell, shown))
            cells[inp.code] = Cell(inp.code, sheet_name, where_cell, shown, None, comment, ok=False)
            continue
        value, issues = parse_value(raw, inp)
        problems += [where.problem(code, message, sheet_name, where_cell, raw) for code, message in issues]
        cells[inp.code] = Cell(inp.code, sheet_name, where_cell, as_text(raw), value, comment,
                               ok=value is not None or (not inp.required and not issues))
    return cells, problems


def _formula_errors(path: Path, kind: str, sheets: dict[str, list], places: dict[str, list[Place]], program: Program,
                    participant: str) -> dict[tuple[str, str], tuple[str, str]]:
    """python-calamine reads a formula error (#DIV/0!) as an empty cell; openpyxl tells them apart.

    Only asked for the few value cells that look empty, so the fast path stays calamine-only:
    an optional input (the сводная бюджетная роспись) is usually left empty on purpose, and
    opening every such workbook a second time would double the reading; an error formula
    there reads as «not given»."""
    if kind not in ("xlsx", "xlsm"):
        return {}
    blank = []
    for inp in program.inputs_of(participant):
        if inp.code in places and inp.required:
            sheet_name, r, vc, _ = places[inp.code][0]
            row = sheets[sheet_name][r]
            if is_blank(row[vc] if vc < len(row) else None):
                blank.append((sheet_name, cell_name(r, vc)))
    if not blank:
        return {}
    found: dict[tuple[str, str], tuple[str, str]] = {}
    try:
        import openpyxl

        for data_only in (True, False):
            wb = openpyxl.load_workbook(path, read_only=True, data_only=data_only)
            try:
                for sheet_name, where in blank:
                    value = wb[sheet_name][where].value
                    if isinstance(value, str) and value.startswith("#") and data_only:
                        found[(sheet_name, where)] = (value, f"ошибка формулы {value}")
                    elif isinstance(value, str) and value.startswith("=") and (sheet_name, where) not in found:
                        found[(sheet_name, where)] = (value, f"формула {value} без вычисленного значения")
            finally:
                wb.close()
    except Exception:  # the value is then reported as missing, which is still an error
        return {}
    return found


def check_ratios(cells: dict[str, Cell], program: Program, where: Where) -> tuple[list[Problem], set[str]]:
    """Control ratios whose inputs all come from this workbook ("из них" ≤ "всего").

    Returns the problems and the codes whose values must not be used."""
    problems, invalid = [], set()
    for code, cell in cells.items():
        inp = program.inputs[code]
        if inp.upper is None or not cell.ok or cell.value is None:
            continue
        if not all(n in cells and cells[n].ok and cells[n].value is not None for n in inp.upper.names):
            continue
        try:
            limit = inp.upper.evaluate({n: cells[n].value for n in inp.upper.names})
        except ZeroDivisionError:
            continue
        if exact(cell.value) > limit:
            bound_cells = ", ".join(f"{n} = {as_text(cells[n].value)} ({cells[n].sheet}!{cells[n].cell})"
                                    for n in inp.upper.names)
            problems.append(where.problem("ratio-exceeded", f"{code} = {as_text(cell.value)} больше, чем "
                                          f"{inp.upper.text} = {format_number(limit)}: {bound_cells}",
                                          cell.sheet, cell.cell, cell.value))
            invalid.add(code)
    return problems, invalid
