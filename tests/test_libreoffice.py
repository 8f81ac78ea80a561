"""Round trip through a real spreadsheet application: LibreOffice opens the generated
workbooks, a "person" types values into them, and saves them as .xlsx, .ods and .xls
under other names; kc_workbook reads them back and consolidates."""

from __future__ import annotations

import pytest
from python_calamine import CalamineWorkbook

import libreoffice
from conftest import GOOD, YEAR, but_reasons, expected_facts
from kc_workbook.consolidate import consolidate

pytestmark = pytest.mark.libreoffice

# participant → (format, returned file name, values typed; text where a person typed text)
TYPED = {
    "CONTROL": ("xlsx", "население.xlsx", GOOD["CONTROL"]),
    "EDU": ("xlsx", "Копия отчёт образование (2).xlsx", GOOD["EDU"]),
    "CULTURE": ("ods", "культура/ответ.ods", GOOD["CULTURE"]),
    "GZ": ("ods", "гз.ods", {"VIDEO_PLACES": 56, "ALERT_COVERED_K": "68,4"}),
    "MVD": ("xls", "МВД.xls", {**GOOD["MVD"], "CRIMES_TOTAL": "1 234"}),
    "JUVENILE": ("xls", "кдн.xls", GOOD["JUVENILE"]),
    "HEALTH": ("xlsx", "здравоохранение.xlsx", GOOD["HEALTH"]),
    "MUNSERV": ("ods", "кадры.ods", GOOD["MUNSERV"]),
    "FIN": ("xlsx", "финансы.xlsx", {**GOOD["FIN"], "BUDGET_FACT_MUNICIPAL": "23 500,5"}),
}


@pytest.fixture(scope="module")
def measured_program(program):
    import dataclasses

    from test_efficiency import MEASURES

    return dataclasses.replace(program, measures=MEASURES)


@pytest.fixture(scope="module")
def office_inbox(blank_workbooks, measured_program, tmp_path_factory):
    from kc_workbook.generate import write_participant_workbook

    libreoffice.require()
    base = tmp_path_factory.mktemp("office")
    gz_measures = write_participant_workbook(measured_program, "GZ", YEAR, base / "gz_measures_blank.xlsx")
    inbox = base / "inbox"
    jobs = []
    for code, (fmt, name, values) in TYPED.items():
        dst = inbox / name
        dst.parent.mkdir(parents=True, exist_ok=True)
        jobs.append({"src": blank_workbooks[code], "dst": dst, "format": fmt,
                     "values": {**values, "Титул!B9": f"Исполнитель {code}"}})
    # Extra files, outside the inbox: a re-save without changes, a ratio error, rows inserted and a sheet renamed.
    extra = {
        "resaved": {"src": blank_workbooks["MVD"], "dst": base / "resaved.xlsx", "format": "xlsx", "values": {}},
        "ratio": {"src": blank_workbooks["MVD"], "dst": base / "ratio.xlsx", "format": "xlsx",
                  "values": {**GOOD["MVD"], "CRIMES_PUBLIC": 2000}},
        "moved": {"src": blank_workbooks["MVD"], "dst": base / "moved.ods", "format": "ods",
                  "values": GOOD["MVD"], "insert_rows": {"Данные": [2, 6]}, "rename_sheets": {"Данные": "Мои данные"}},
        **{f"password {fmt}": {"src": blank_workbooks["HEALTH"], "dst": base / f"password.{fmt}", "format": fmt,
                               "values": GOOD["HEALTH"], "password": "секрет"} for fmt in ("ods", "xls")},
        "measures": {"src": gz_measures, "dst": base / "measures.xls", "format": "xls",
                     "values": {**GOOD["GZ"], "Мероприятия!G5": 14000.5, "Мероприятия!J5": "выполнено частично"}},
    }
    libreoffice.fill(jobs + list(extra.values()))
    return inbox, {k: v["dst"] for k, v in extra.items()}


def test_facts_equal_an_independent_computation(program, office_inbox):
    inbox, _ = office_inbox
    result = consolidate(program, YEAR, inbox)
    assert {p.status for p in result.participants} <= {"accepted", "accepted_with_warnings"}
    assert sorted((p.code, p.participant, p.cell) for p in but_reasons(result.problems)) == [
        ("value-as-text", "FIN", "D5"), ("value-as-text", "GZ", "D6"), ("value-as-text", "MVD", "D5")]
    expected = expected_facts(GOOD)
    for r in result.indicators:
        assert float(r.fact_exact) == pytest.approx(expected[r.number]), r.number
    assert result.used["CULTURE"].name == "культура/ответ.ods"
    assert result.used["MVD"].kind == "xls" and result.used["GZ"].kind == "ods"
    assert result.used["EDU"].contacts["fio"] == "Исполнитель EDU"


# Cached check values against LibreOffice's recalculation, for every kind of mistake: test_libreoffice_checks.py.


def test_the_workbook_flags_a_mistake_before_it_is_sent(office_inbox):
    _, extra = office_inbox
    rows = CalamineWorkbook.from_path(str(extra["ratio"])).get_sheet_by_name("Данные").to_python(skip_empty_area=False)
    assert rows[1][3] == "Есть ошибки: 2"  # the ratio, and indicator 4 (2000 of 1234 crimes) missed without a reason
    assert rows[5][5].startswith("Ошибка") and rows[4][5] == "ОК"
    assert rows[14][5] == "Ошибка: укажите обоснование"


def test_inserted_rows_and_a_renamed_sheet_in_libreoffice(program, office_inbox):
    from kc_workbook.read import read_submission

    _, extra = office_inbox
    sub = read_submission(extra["moved"], program, YEAR)
    assert sub.problems == []
    assert sub.values() == {k: float(v) for k, v in GOOD["MVD"].items()}
    assert sub.cells["CRIMES_TOTAL"].sheet == "Мои данные"
    assert sub.cells["CRIMES_TOTAL"].cell != "D5"


def test_the_consolidated_workbook_opens_in_libreoffice(program, office_inbox, tmp_path):
    import subprocess

    from kc_workbook.report import write_workbook

    inbox, _ = office_inbox
    out = write_workbook(consolidate(program, YEAR, inbox), tmp_path / "c.xlsx")
    done = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                           "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
                          capture_output=True, timeout=300)
    assert done.returncode == 0 and (tmp_path / "c.pdf").stat().st_size > 10_000


def test_measures_filled_in_libreoffice(measured_program, office_inbox):
    from kc_workbook.read import read_submission

    _, extra = office_inbox
    rows = CalamineWorkbook.from_path(str(extra["measures"])).get_sheet_by_name("Мероприятия") \
        .to_python(skip_empty_area=False)
    assert rows[4][11] == "Ошибка: укажите причину"  # LibreOffice computed the check before sending
    assert rows[1][3] == "Есть ошибки: 1"
    sub = read_submission(extra["measures"], measured_program, YEAR)
    report = sub.measures["М-1"]
    assert report.fact == {"municipal": 14000.5, "regional": 0.0, "offbudget": 0.0}
    assert report.status == "partial"
    assert [(p.code, p.cell) for p in sub.problems] == [("measure-reason-missing", "K5")]


# (LibreOffice does not encrypt .xlsx through this API; tests/corpus.py encrypts one with msoffcrypto-tool.)
@pytest.mark.parametrize("fmt", ["ods", "xls"])
def test_password_protected_workbooks_saved_by_libreoffice(program, office_inbox, fmt):
    from kc_workbook.read import read_submission

    _, extra = office_inbox
    sub = read_submission(extra[f"password {fmt}"], program, YEAR)
    assert [p.code for p in sub.problems] == ["workbook-password"]
    assert sub.rejected
