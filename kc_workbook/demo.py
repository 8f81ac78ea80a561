"""The whole cycle on the built-in program, with SAMPLE data that is clearly marked as such.

The sample values are invented for the demonstration (they are not official data) and
include a few typical mistakes so that problem reporting shows: a number typed as text,
words instead of a number, a renamed file, a duplicate submission, an Excel lock file
and a stray non-workbook in the inbox.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .consolidate import Consolidation, consolidate
from .generate import generate, workbook_file_name, write_participant_workbook
from .program import Program
from .report import write_json, write_workbook

DEMO_YEAR = 2025
SAMPLE_NOTE = "ОБРАЗЕЦ"

# participant → {input code: value as the participant typed it}
SAMPLE_VALUES: dict[str, dict[str, object]] = {
    "CONTROL": {"POPULATION": 70000, "POPULATION_AVG": 69800},
    "EDU": {"AT_OBJECTS_TOTAL": 28, "AT_OBJECTS_COMPLIANT": 10, "AT_OBJECTS_PASSPORT": 20},
    "CULTURE": {"AT_OBJECTS_TOTAL": 6, "AT_OBJECTS_COMPLIANT": 3, "AT_OBJECTS_PASSPORT": "около 5"},
    "GZ": {"VIDEO_PLACES": 56, "ALERT_COVERED_K": "68,4"},
    "MVD": {"CRIMES_TOTAL": "1 234", "CRIMES_PUBLIC": 420, "CRIMES_JUVENILE": 35, "DRUG_CRIMINAL_CASES": 40,
            "DRUG_ADMIN_CASES": 30, "DRUG_USERS_CRIMINAL": 25, "DRUG_USERS_ADMIN": 30},
    "JUVENILE": {"JUVENILES_14_18": 2900},
    "HEALTH": {"DRUG_POISONINGS": 1, "DRUG_DEATHS": 0},
    "MUNSERV": {"ANTICOR_PLANNED": 40, "ANTICOR_DONE": 35},
}
# How the files come back: renamed by people, one participant sending twice.
RETURNED_NAMES = {"MVD": "Копия отчёт МВД (2).xlsx", "GZ": "ГЗ_показатели_итог.xlsx"}
EARLIER_HEALTH = {"DRUG_POISONINGS": 2, "DRUG_DEATHS": 0}


@dataclass
class DemoRun:
    templates: list[Path]
    inbox: Path
    workbook: Path
    json: Path
    result: Consolidation


def run_demo(program: Program, out_dir: str | Path, year: int = DEMO_YEAR, progress=None) -> DemoRun:
    out_dir = Path(out_dir)
    templates = []
    for path in generate(program, year, out_dir / "templates"):
        templates.append(path)
        if progress:
            progress(path)
    inbox = out_dir / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    saved = dt.datetime(year + 1, 2, 10, 9, 0)
    for i, code in enumerate(program.suppliers()):
        values = SAMPLE_VALUES.get(code)
        if values is None:
            continue
        name = RETURNED_NAMES.get(code) or workbook_file_name(program, code, year)
        _fill(program, code, year, inbox / name, values, saved + dt.timedelta(hours=i))
    # The health institutions sent a first version, then a corrected one.
    _fill(program, "HEALTH", year, inbox / "старое" / "здравоохранение_первый_вариант.xlsx", EARLIER_HEALTH,
          saved - dt.timedelta(days=3))
    (inbox / "~$Копия отчёт МВД (2).xlsx").write_bytes(b"\x00" * 165)  # left by an open Excel
    (inbox / "прочитайте.txt").write_text("Образец письма участника: книга во вложении.\n", encoding="utf-8")
    result = consolidate(program, year, inbox)
    workbook = write_workbook(result, out_dir / f"consolidated_{year}.xlsx")
    json_path = write_json(result, out_dir / f"consolidated_{year}.json")
    return DemoRun(templates, inbox, workbook, json_path, result)


def _fill(program: Program, code: str, year: int, path: Path, values: dict, saved_at: dt.datetime) -> None:
    contacts = {"fio": f"{SAMPLE_NOTE}: Иванова И. И.", "position": "специалист", "phone": "+7 (83361) 0-00-00"}
    comments = {c: f"{SAMPLE_NOTE}: демонстрационное значение" for c in values}
    write_participant_workbook(program, code, year, path, values=values, comments=comments, contacts=contacts,
                               sample=True, saved_at=saved_at)
