"""Reading one returned participant workbook: identity, values with their cells, problems.

Values are read with python-calamine (fast, .xlsx/.xlsm/.xls/.ods alike). Nothing here
raises for bad input: whatever is wrong with a file becomes a Problem, so the other
files are still consolidated.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from . import layout as L
from .cells import as_int, as_text, cell_name, is_blank
from .preflight import LIMITS, WORKBOOK_EXTENSIONS, examine
from .problems import Problem
from .program import Program
from .measures import read_measures
from .values import parse_value

REJECTING = {"file-unreadable", "workbook-not-ours", "workbook-other-program", "workbook-wrong-year",
             "workbook-unknown-participant", "file-wrong-format", "file-too-large", "archive-suspicious",
             "xml-doctype", "sheet-too-large", "workbook-password"}
SKIPPING = {"lock-file-skipped", "not-a-workbook"}


@dataclass
class Cell:
    """Where one input value came from, as typed, and what it was read as."""

    code: str
    sheet: str
    cell: str
    raw: str
    value: float | None
    comment: str = ""
    ok: bool = True  # False when the value is invalid (then value is None)


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

    def problem(self, code: str, message: str, sheet: str | None = None, cell: str | None = None, value=None) -> None:
        self.problems.append(Problem(code, message, participant=self.participant, file=self.name, sheet=sheet,
                                     cell=cell, value=None if value is None else as_text(value)))

    def values(self) -> dict[str, float]:
        return {c.code: c.value for c in self.cells.values() if c.ok and c.value is not None}


def read_submission(path: str | Path, program: Program, year: int | None = None, name: str | None = None) -> Submission:
    path = Path(path)
    sub = Submission(path=path, name=name or path.name)
    try:
        sub.modified_at = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.timezone.utc).replace(tzinfo=None)
    except OSError:
        pass
    if path.name.startswith("~$") or path.name.startswith(".~lock."):
        sub.problem("lock-file-skipped", "служебный файл открытой книги пропущен")
        return sub
    try:
        found = examine(path)
    except OSError as exc:
        sub.problem("file-unreadable", f"файл не удалось открыть: {exc.strerror or exc}")
        return sub
    except Exception as exc:  # the examination itself must never stop the other files
        sub.problem("file-unreadable", f"файл не удалось проверить: {exc}")
        return sub
    what = found.what
    if found.kind is None and not found.blocking:
        if path.suffix.lower() in WORKBOOK_EXTENSIONS:
            sub.problem("file-wrong-format", f"файл с расширением {path.suffix} на самом деле: {what}")
        else:
            sub.problem("not-a-workbook", f"файл пропущен: {what}")
        return sub
    for code, message in found.blocking + found.notes:
        sub.problem(code, message)
    if found.blocking:
        return sub
    sub.kind = found.kind
    sub.recorded_at = found.recorded_at
    try:
        _read(sub, program, year, found.data)
    except Exception as exc:  # a broken file must never stop the others
        from python_calamine import PasswordError

        if isinstance(exc, PasswordError):
            sub.problem("workbook-password", "книга защищена паролем на открытие")
        else:
            sub.problem("file-unreadable", f"книгу не удалось прочитать ({what}): {exc}")
    return sub


def _read(sub: Submission, program: Program, year: int | None, data: bytes | None = None) -> None:
    from python_calamine import CalamineWorkbook

    if data is not None:  # the bytes preflight read: the file is opened once
        import io

        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    else:
        workbook = CalamineWorkbook.from_path(str(sub.path))
    sheets = {}
    for sheet_name in workbook.sheet_names:
        sheet = workbook.get_sheet_by_name(sheet_name)
        if sheet.height > LIMITS.rows or sheet.width > LIMITS.columns:  # .xls: not inspected before parsing
            sub.problem("sheet-too-large", f"на листе заполнено {sheet.height} строк и {sheet.width} столбцов — далеко "
                        "за пределами формы; удалите лишнее и сохраните книгу", sheet_name)
            return
        sheets[sheet_name] = sheet.to_python(skip_empty_area=False)
    if not _identify(sub, sheets.get(L.SHEET_IDENTITY), program, year):
        return
    found: dict[str, list[tuple[str, int, int, int]]] = {}  # code → [(sheet, row, value col, comment col)]
    for sheet_name, rows in sheets.items():
        if sheet_name == L.SHEET_IDENTITY:
            continue
        _find_contacts(sub, rows)
        _find_inputs(sheet_name, rows, program, found)
    _take_values(sub, program, sheets, found)
    _check_ratios(sub, program)
    read_measures(sub, program, sheets, sub.year)


def _identify(sub: Submission, rows, program: Program, year: int | None) -> bool:
    if rows is None:
        sub.problem("workbook-not-ours", f"в книге нет служебного листа «{L.SHEET_IDENTITY}»: это не книга участника программы")
        return False
    ident = {as_text(r[0]): as_text(r[1]) for r in rows if len(r) >= 2 and not is_blank(r[0])}
    if ident.get(L.ID_FORMAT) != L.FORMAT:
        sub.problem("workbook-not-ours", "служебный лист книги повреждён или от другой версии", L.SHEET_IDENTITY)
        return False
    sub.program_id = ident.get(L.ID_PROGRAM, "")
    sub.fingerprint = ident.get(L.ID_FINGERPRINT, "")
    sub.template_version = ident.get(L.ID_VERSION, "")
    sub.participant = ident.get(L.ID_PARTICIPANT) or None
    sub.year = as_int(ident.get(L.ID_YEAR))
    if sub.program_id != program.program_id:
        sub.problem("workbook-other-program", f"книга программы «{sub.program_id}», а сводится «{program.program_id}»",
                    L.SHEET_IDENTITY, value=sub.program_id)
        return False
    if year is not None and sub.year != year:
        sub.problem("workbook-wrong-year", f"книга за {sub.year} год, а сводится {year} год", L.SHEET_IDENTITY, value=sub.year)
        return False
    if sub.participant not in program.participants:
        sub.problem("workbook-unknown-participant", f"участник «{sub.participant}» не найден в определении программы",
                    L.SHEET_IDENTITY, value=sub.participant)
        sub.participant = None
        return False
    if sub.participant not in program.suppliers(sub.year):
        sub.problem("workbook-unknown-participant",
                    f"участник «{sub.participant}» по программе не представляет сведений за {sub.year} год",
                    L.SHEET_IDENTITY)
        return False
    if sub.fingerprint != program.fingerprint:
        sub.problem("workbook-outdated", "книга сформирована по другой редакции определения программы", L.SHEET_IDENTITY,
                    value=ident.get(L.ID_AMENDMENT) or sub.fingerprint)
    return True


def _find_contacts(sub: Submission, rows) -> None:
    labels = {label: key for key, label in L.CONTACTS.items()}
    for row in rows:
        for c, value in enumerate(row):
            if isinstance(value, str) and value.strip() in labels and c + 1 < len(row):
                sub.contacts[labels[value.strip()]] = as_text(row[c + 1])


def _find_inputs(sheet_name: str, rows, program: Program, found: dict) -> None:
    header_row = code_col = value_col = None
    comment_col = None
    for r, row in enumerate(rows):
        texts = {c: v.strip() for c, v in enumerate(row) if isinstance(v, str)}
        codes = [c for c, t in texts.items() if t == L.HEAD_CODE]
        values = [c for c, t in texts.items() if t.startswith(L.HEAD_VALUE_PREFIX)]
        if codes and values:
            header_row, code_col, value_col = r, codes[0], values[0]
            comment_col = next((c for c, t in texts.items() if t == L.HEAD_COMMENT), None)
            break
    if header_row is None:
        return
    for r in range(header_row + 1, len(rows)):
        row = rows[r]
        if code_col < len(row) and isinstance(row[code_col], str):
            code = row[code_col].strip()
            if code in program.inputs:
                found.setdefault(code, []).append((sheet_name, r, value_col, comment_col))


def _take_values(sub: Submission, program: Program, sheets: dict, found: dict) -> None:
    expected = {inp.code for inp in program.inputs_of(sub.participant)}
    for code, places in found.items():
        sheet_name, r, vc, cc = places[0]
        if code not in expected:
            sub.problem("input-unexpected", f"«{code}» не относится к данным этого участника", sheet_name,
                        cell_name(r, vc))
            continue
        for other in places[1:]:
            sub.problem("input-repeated", f"код «{code}» повторяется", other[0], cell_name(other[1], other[2]), code)
    missing_cells = []
    for inp in program.inputs_of(sub.participant):
        if inp.code not in found:
            sub.problem("input-not-found", f"нет строки с кодом «{inp.code}» ({inp.name})", L.SHEET_DATA)
            continue
        sheet_name, r, vc, cc = found[inp.code][0]
        row = sheets[sheet_name][r]
        raw = row[vc] if vc < len(row) else None
        comment = as_text(row[cc]) if cc is not None and cc < len(row) else ""
        where = cell_name(r, vc)
        if is_blank(raw):
            missing_cells.append((inp, sheet_name, where))
        value, issues = parse_value(raw, inp)
        for code, message in issues:
            sub.problem(code, message, sheet_name, where, raw)
        sub.cells[inp.code] = Cell(inp.code, sheet_name, where, as_text(raw), value, comment, ok=value is not None)
    if missing_cells and sub.kind in ("xlsx", "xlsm"):
        _formula_errors(sub, missing_cells)


def _formula_errors(sub: Submission, missing_cells) -> None:
    """python-calamine reads a formula error (#DIV/0!) as an empty cell; openpyxl tells them apart.

    Only asked for the few cells that look empty, so the fast path stays calamine-only.
    """
    try:
        import openpyxl

        found = {}
        for data_only in (True, False):
            wb = openpyxl.load_workbook(sub.path, read_only=True, data_only=data_only)
            try:
                for inp, sheet_name, where in missing_cells:
                    value = wb[sheet_name][where].value
                    if isinstance(value, str) and value.startswith("#") and data_only:
                        found[inp.code] = (sheet_name, where, value, f"ошибка формулы {value}")
                    elif isinstance(value, str) and value.startswith("=") and inp.code not in found:
                        found[inp.code] = (sheet_name, where, value, f"формула {value} без вычисленного значения")
            finally:
                wb.close()
    except Exception:  # the value is reported as missing, which is still an error
        return
    for code, (sheet_name, where, value, message) in found.items():
        sub.problems[:] = [p for p in sub.problems
                           if not (p.code == "value-missing" and p.sheet == sheet_name and p.cell == where)]
        sub.problem("value-formula-error", message, sheet_name, where, value)
        sub.cells[code].raw = value


def _check_ratios(sub: Submission, program: Program) -> None:
    """Control ratios whose inputs all come from this workbook ("из них" ≤ "всего")."""
    own = sub.cells
    for code, cell in own.items():
        inp = program.inputs[code]
        if inp.upper is None or not cell.ok or not all(n in own and own[n].ok for n in inp.upper.names):
            continue
        try:
            limit = inp.upper.evaluate({n: own[n].value for n in inp.upper.names})
        except ZeroDivisionError:
            continue
        if cell.value > limit + 1e-9:
            bound_cells = ", ".join(f"{n} = {as_text(own[n].value)} ({own[n].sheet}!{own[n].cell})" for n in inp.upper.names)
            sub.problem("ratio-exceeded", f"{code} = {as_text(cell.value)} больше, чем {inp.upper.text}: {bound_cells}",
                        cell.sheet, cell.cell, cell.value)
            cell.ok = False
