"""The whole cycle on the built-in program, with SAMPLE data that is clearly marked as such.

The sample values are invented for the demonstration (they are not official data) and
include a few typical mistakes so that problem reporting shows: a number typed as text,
words instead of a number, a renamed file, a duplicate submission, an Excel lock file
and a stray non-workbook in the inbox.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .consolidate import Consolidation, consolidate
from .generate import generate, workbook_file_name, write_participant_workbook
from .program import Measure, Program
from .reasons import file_name as reasons_file_name
from .reasons import needs_reason, write_reasons_workbook
from .report import write_json, write_workbook

DEMO_YEAR = 2025
SAMPLE_NOTE = "ОБРАЗЕЦ"

# participant → {input code: value as the participant typed it}
SAMPLE_VALUES: dict[str, dict[str, object]] = {
    "CONTROL": {"POPULATION": 70000, "POPULATION_AVG": 69800},
    "EDU": {"AT_OBJECTS_TOTAL": 28, "AT_OBJECTS_COMPLIANT": 10, "AT_OBJECTS_PASSPORT": 20},
    "CULTURE": {"AT_OBJECTS_TOTAL": 6, "AT_OBJECTS_COMPLIANT": 3, "AT_OBJECTS_PASSPORT": 5},
    "GZ": {"VIDEO_PLACES": 56, "ALERT_COVERED_K": "68,4"},
    "MVD": {"CRIMES_TOTAL": "1 234", "CRIMES_PUBLIC": 420, "CRIMES_JUVENILE": 35, "DRUG_CRIMINAL_CASES": 40,
            "DRUG_ADMIN_CASES": 30, "DRUG_USERS_CRIMINAL": 25, "DRUG_USERS_ADMIN": 30},
    "JUVENILE": {"JUVENILES_14_18": 2900},
    "HEALTH": {"DRUG_POISONINGS": 1, "DRUG_DEATHS": 0},
    "MUNSERV": {"ANTICOR_PLANNED": 40, "ANTICOR_DONE": 35},
    "FIN": {"BUDGET_FACT_MUNICIPAL": 23880.0, "BUDGET_FACT_REGIONAL": 56.6, "BUDGET_FACT_OFFBUDGET": 0},
}
# Sample measures (the passport's appendix with the real ones is not available). Their plan
# adds up to the program's funding for the demo year, as the definition check requires.
SAMPLE_MEASURES = [  # code, task, name, responsible, plan by source
    ("ОБР-1", 2, "ОБРАЗЕЦ: содержание и развитие системы видеонаблюдения", "GZ", (15000.0, 0.0, 0.0)),
    ("ОБР-2", 4, "ОБРАЗЕЦ: содержание системы оповещения населения", "GZ", (6000.0, 0.0, 0.0)),
    ("ОБР-3", 1, "ОБРАЗЕЦ: антитеррористическая защищенность образовательных организаций", "EDU", (2900.0, 56.6, 0.0)),
    ("ОБР-4", 1, "ОБРАЗЕЦ: антитеррористическая защищенность учреждений культуры", "CULTURE", (82.1, 0.0, 0.0)),
    ("ОБР-5", 3, "ОБРАЗЕЦ: антикоррупционная экспертиза муниципальных правовых актов", "LAW", (0.0, 0.0, 0.0)),
]
# Their planned dates and results (sample text; none for ОБР-5).
SAMPLE_TERMS = {
    "ОБР-1": ("01.02–30.11", "работают 56 мест с видеонаблюдением"),
    "ОБР-2": ("в течение года", "оповещение 98 % населения"),
    "ОБР-3": ("01.03–31.08", "10 объектов приведены в соответствие"),
    "ОБР-4": ("01.04–30.09", "3 объекта приведены в соответствие"),
}
# What the responsible participants report, mistakes included: a partial measure without a
# reason, spending above plan, and measures that add up to 10,0 more than the finance department says.
SAMPLE_REPORTS = {
    "ОБР-1": {"municipal": 14950.0, "status": "выполнено", "term": "01.02–15.11",
              "achieved": "работают 56 мест с видеонаблюдением"},
    "ОБР-2": {"municipal": 6000.0, "status": "выполнено"},
    "ОБР-3": {"municipal": 2850.0, "regional": 56.6, "status": "выполнено частично"},
    "ОБР-4": {"municipal": 90.0, "status": "выполнено"},
    "ОБР-5": {"status": "выполнено"},
}
# How the files come back: renamed by people, one participant sending twice.
RETURNED_NAMES = {"MVD": "Копия отчёт МВД (2).xlsx", "GZ": "ГЗ_показатели_итог.xlsx"}
EARLIER_HEALTH = {"DRUG_POISONINGS": 2, "DRUG_DEATHS": 0}
# The executor's reasons for the sample's missed indicators (invented, marked as a sample).
SAMPLE_REASONS = {
    5: f"{SAMPLE_NOTE}: рост числа преступлений, совершённых несовершеннолетними, при сокращении их численности; "
       "усилена индивидуальная профилактическая работа",
    8: f"{SAMPLE_NOTE}: зарегистрирован один случай отравления; проведены профилактические мероприятия",
    11: f"{SAMPLE_NOTE}: не завершена модернизация системы оповещения в одном микрорайоне; работы перенесены на "
        "следующий год",
}
SAMPLE_REASON = f"{SAMPLE_NOTE}: обоснование отклонения"


@dataclass
class DemoRun:
    templates: list[Path]
    inbox: Path
    workbook: Path
    json: Path
    result: Consolidation
    definition: Path  # the program definition with the sample measures, for the commands that follow


def with_sample_measures(program: Program, year: int) -> Program:
    """The program as the demo uses it: the built-in definition plus the sample measures,
    scaled to the year's funding when the demo is run for another year."""
    funding = program.funding.get(year)
    base = program.funding.get(DEMO_YEAR)
    measures = []
    for code, task, name, responsible, plan in SAMPLE_MEASURES:
        amounts = dict(zip(("municipal", "regional", "offbudget"), plan))
        if funding and base and year != DEMO_YEAR:
            amounts = {k: round(v * funding.by_source()[k] / base.by_source()[k], 1) if base.by_source()[k] else 0.0
                       for k, v in amounts.items()}
        term, result = SAMPLE_TERMS.get(code, ("", ""))
        measures.append(Measure(code, task, name, responsible, year, amounts, term, result))
    return dataclasses.replace(program, measures=program.measures + tuple(measures))


DEFINITION_NAME = "program_demo.xlsx"
FIXED_TIME = "2026-01-01T00:00:00Z"  # the definition's saved time: the demo's outputs are byte-identical


def write_definition(program: Program, measures, path: Path) -> Path:
    """``program``'s definition workbook with ``measures`` added on «Мероприятия», as the
    executor would type them: the demo's workbooks are made from it, and the commands the
    README shows (``check``, ``consolidate --program``) read it back to the same result."""
    import io
    import re
    import zipfile

    import openpyxl

    from . import definition as D
    from .output import atomic_path

    wb = openpyxl.load_workbook(program.path)
    ws = wb[D.SHEET_MEASURES]
    header = {cell.value: cell.column for cell in ws[1] if cell.value}
    columns = {**D.COLUMNS[D.SHEET_MEASURES], **D.OPTIONAL_COLUMNS[D.SHEET_MEASURES]}
    row = max((c.row for r in ws.iter_rows(min_row=2) for c in r if c.value not in (None, "")), default=1) + 1
    for m in measures:
        values = {"code": m.code, "task": m.task, "name": m.name, "responsible": m.responsible, "year": m.year,
                  **m.plan, "term": m.term or None, "result": m.result or None}
        for key, value in values.items():
            if columns.get(key) in header:
                ws.cell(row, header[columns[key]], value)
        row += 1
    buffer = io.BytesIO()
    wb.save(buffer)
    # openpyxl stamps the moment of saving into the package: fixed here, as in every output
    with zipfile.ZipFile(buffer) as src, atomic_path(path) as tmp, \
            zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + FIXED_TIME.encode(), data)
            out.writestr(zipfile.ZipInfo(info.filename, (1980, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    return path


def run_demo(program: Program, out_dir: str | Path, year: int = DEMO_YEAR, progress=None) -> DemoRun:
    from .program import read_program

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    added = with_sample_measures(program, year).measures[len(program.measures):]
    definition = write_definition(program, added, out_dir / DEFINITION_NAME)
    program = read_program(definition)
    templates = []
    for path in generate(program, year, out_dir / "templates"):
        templates.append(path)
        if progress:
            progress(path)
    inbox = out_dir / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    saved = dt.datetime(year + 1, 2, 10, 9, 0)
    for i, code in enumerate(program.suppliers(year)):
        values = SAMPLE_VALUES.get(code, {})
        name = RETURNED_NAMES.get(code) or workbook_file_name(program, code, year)
        _fill(program, code, year, inbox / name, values, saved + dt.timedelta(hours=i))
    # The health institutions sent a first version, then a corrected one.
    _fill(program, "HEALTH", year, inbox / "старое" / "здравоохранение_первый_вариант.xlsx", EARLIER_HEALTH,
          saved - dt.timedelta(days=3))
    (inbox / "~$Копия отчёт МВД (2).xlsx").write_bytes(b"\x00" * 165)  # left by an open Excel
    (inbox / "прочитайте.txt").write_text("Образец письма участника: книга во вложении.\n", encoding="utf-8")
    # The executor explains the missed indicators that combine several participants' values.
    first = consolidate(program, year, inbox)
    write_reasons_workbook(first, inbox / reasons_file_name(year), sample=True,
                           given={r.number: SAMPLE_REASONS.get(r.number, SAMPLE_REASON)
                                  for r in first.indicators if needs_reason(r)})
    result = consolidate(program, year, inbox)
    write_reasons_workbook(result, out_dir / reasons_file_name(year), given=result.justifications())
    workbook = write_workbook(result, out_dir / f"consolidated_{year}.xlsx")
    json_path = write_json(result, out_dir / f"consolidated_{year}.json")
    return DemoRun(templates, inbox, workbook, json_path, result, definition)


def _fill(program: Program, code: str, year: int, path: Path, values: dict, saved_at: dt.datetime) -> None:
    contacts = {"fio": f"{SAMPLE_NOTE}: Иванова И. И.", "position": "специалист", "phone": "+7 (83361) 0-00-00"}
    comments = {c: f"{SAMPLE_NOTE}: демонстрационное значение" for c in values}
    reports = {m.code: SAMPLE_REPORTS.get(m.code, {}) for m in program.measures_of(code, year)}
    write_participant_workbook(program, code, year, path, values=values, comments=comments, measures=reports,
                               contacts=contacts, sample=True, saved_at=saved_at)
