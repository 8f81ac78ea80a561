"""The years: three consolidations in a row, their records, history, outlook, last year's values.

Expected facts and the least-squares numbers are worked out by hand here (three equally
spaced years: the slope is (last − first) / 2, the line passes through the mean of the three
facts at the middle year), not with the code under test.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import GOOD, edit_workbook, fill_openpyxl
from kc_workbook.cli import main
from kc_workbook.generate import generate
from kc_workbook.history import AT_RISK, ON_TRACK, SOURCE_PAST, SOURCE_RECORD, TOO_FEW, build_history, find_records
from kc_workbook.last_year import previous_facts, previous_values, value_jumps
from kc_workbook.program import read_program

YEARS = (2023, 2024, 2025)
# What changes from year to year (invented): cameras grow by 8 a year, public-place crimes fall by 30,
# the anti-corruption plan is done 36, 34, 35 of 40.
CHANGES = {
    2023: {"GZ": {"VIDEO_PLACES": 40}, "MVD": {"CRIMES_PUBLIC": 480}, "MUNSERV": {"ANTICOR_DONE": 36}},
    2024: {"GZ": {"VIDEO_PLACES": 48}, "MVD": {"CRIMES_PUBLIC": 450}, "MUNSERV": {"ANTICOR_DONE": 34}},
    2025: {"GZ": {"VIDEO_PLACES": 56}, "MVD": {"CRIMES_PUBLIC": 420}, "MUNSERV": {"ANTICOR_DONE": 35}},
}


def run(*args, **kwargs):
    return CliRunner().invoke(main, [str(a) for a in args], **kwargs)


def values_of(year: int) -> dict:
    values = copy.deepcopy(GOOD)
    for code, changed in CHANGES[year].items():
        values[code].update(changed)
    return values


def fill_year(program, year: int, root: Path, values: dict) -> Path:
    """Generate the year's workbooks and fill them with openpyxl: the inbox of the year."""
    paths = list(generate(program, year, root / "templates" / str(year)))
    by_code = dict(zip(program.suppliers(year), paths))
    inbox = root / "inbox" / str(year)
    for code, vals in values.items():
        fill_openpyxl(by_code[code], inbox / f"{code}.xlsx", vals)
    return inbox


@pytest.fixture(scope="module")
def three_years(tmp_path_factory) -> Path:
    """2023, 2024 and 2025 consolidated in a row through the CLI; returns the records folder."""
    program = read_program()
    root = tmp_path_factory.mktemp("years")
    records = root / "output"
    for year in YEARS:
        inbox = fill_year(program, year, root, values_of(year))
        result = run("consolidate", "--year", year, inbox, "--out", records / str(year) / f"consolidated_{year}.xlsx")
        assert result.exit_code == 0, result.output
    return records


@pytest.fixture
def records(three_years, tmp_path) -> Path:
    """A copy of the three years' records that a test may spoil."""
    target = tmp_path / "output"
    shutil.copytree(three_years, target)
    return target


def with_past_facts(program, past: dict):
    """The definition with a «Факт прошлых лет» sheet (``program.past_facts``), however the model stores it."""
    if "past_facts" in {f.name for f in dataclasses.fields(program)}:
        return dataclasses.replace(program, past_facts=past)
    clone = copy.copy(program)
    object.__setattr__(clone, "past_facts", past)
    return clone


def test_consolidate_writes_the_record_beside_the_workbook(three_years):
    data = json.loads((three_years / "2024" / "consolidated_2024.json").read_text(encoding="utf-8"))
    assert data["format"] == "kc_workbook/consolidation/2"
    assert data["year"] == 2024
    assert {"code": "VIDEO_PLACES", "value": 48, "parts": {"GZ": 48}} == {
        k: v for k, v in next(i for i in data["inputs"] if i["code"] == "VIDEO_PLACES").items() if k != "reason"}


def test_consolidate_default_record_path(good_inbox, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("consolidate", "--year", 2025, good_inbox)
    assert result.exit_code == 0, result.output
    assert json.loads(Path("output/2025/consolidated_2025.json").read_text(encoding="utf-8"))["year"] == 2025
    elsewhere = tmp_path / "other.json"
    result = run("consolidate", "--year", 2025, good_inbox, "--out", tmp_path / "c.xlsx", "--json", elsewhere)
    assert result.exit_code == 0 and elsewhere.exists() and not (tmp_path / "c.json").exists()


def test_three_years_by_hand(three_years, program):
    history = build_history(program, three_years)
    assert history.years_found == [2023, 2024, 2025] and history.problems == []
    by = {i.number: i for i in history.indicators}

    # indicator 3: cameras, taken as they are
    assert [by[3].points[y].fact for y in YEARS] == [40, 48, 56]
    assert [by[3].points[y].status for y in YEARS] == ["missed", "missed", "met"]  # targets 54, 55, 55
    # indicator 4: public-place crimes / all crimes (1234) × 100, decrease, one decimal
    assert [by[4].points[y].shown for y in YEARS] == [38.9, 36.5, 34.0]
    assert by[4].points[2023].fact == pytest.approx(480 / 1234 * 100)
    assert [by[4].points[y].status for y in YEARS] == ["met", "missed", "met"]  # targets 40, 35, 35
    # indicator 10: done / planned × 100, to 0,1 (its precision): 90, 85, 87.5
    assert [by[10].points[y].shown for y in YEARS] == [90, 85, 87.5]
    assert [by[10].points[y].status for y in YEARS] == ["met", "met", "met"]  # targets 0, 80, 80
    # indicators 1–2 have no target before 2025
    assert by[1].points[2023].status == "no_target" and by[1].points[2025].status == "met"
    # years before the records: no fact, no status; future years: plan only
    for year in (2019, 2022, 2026, 2030):
        assert by[3].points[year].fact is None and by[3].points[year].status is None
    assert by[3].points[2030].plan == 60 and by[3].points[2019].plan is None
    assert all(by[3].points[y].source == SOURCE_RECORD for y in YEARS)


def test_outlook_by_hand(three_years, program):
    by = {i.number: i for i in build_history(program, three_years).indicators}

    # indicator 3: 40, 48, 56 → slope (56 − 40) / 2 = 8 a year; 2030: 48 + 8 × 6 = 96 ≥ 60: on track
    o = by[3].outlook
    assert o.facts == 3 and o.slope == pytest.approx(8)
    assert o.projections[2030] == pytest.approx(96) and o.projections[2026] == pytest.approx(64)
    assert o.status == ON_TRACK and o.missed_years == []
    assert o.intercept + o.slope * 2024 == pytest.approx(48)

    # indicator 10: 90, 85, 87.5 → slope (87.5 − 90) / 2 = −1.25; mean 87.5 at 2024.
    # 2026: 85.0 (target 85: met), 2027: 83.75 → 84 < 90, 2028: 82.5 → 83 < 95, 2029: 81.25, 2030: 80.0
    o = by[10].outlook
    assert o.slope == pytest.approx(-1.25)
    expected = {2026: 85.0, 2027: 83.75, 2028: 82.5, 2029: 81.25, 2030: 80.0}
    assert o.projections == pytest.approx(expected)
    assert o.status == AT_RISK and o.missed_years == [2027, 2028, 2029, 2030]

    # indicator 4 falls by 30 / 1234 × 100 = 2.431 a year: 2030 ≈ 21.9 ≤ 30, on track
    assert by[4].outlook.slope == pytest.approx(-30 / 1234 * 100)
    assert by[4].outlook.status == ON_TRACK
    # indicator 8 (must be zero): one poisoning a year, 1.4 per 100,000, flat → projected 1.4 > 0: at risk
    assert by[8].outlook.slope == pytest.approx(0, abs=1e-9) and by[8].outlook.status == AT_RISK
    # indicator 9: no deaths → 0: on track
    assert by[9].outlook.status == ON_TRACK


def test_fewer_than_three_facts_is_not_enough(records, program):
    shutil.rmtree(records / "2023")
    history = build_history(program, records)
    assert history.years_found == [2024, 2025]
    assert {i.outlook.status for i in history.indicators} == {TOO_FEW}
    assert all(i.outlook.projections == {} for i in history.indicators)


def test_past_facts_fill_earlier_years_and_a_conflict_names_both(records, program):
    shutil.rmtree(records / "2023")
    past = {10: {2021: 95.0, 2022: 92.0, 2024: 80.0}, 3: {2019: 20.0}}
    history = build_history(with_past_facts(program, past), records)
    by = {i.number: i for i in history.indicators}
    p = by[10].points
    assert (p[2021].fact, p[2021].source, p[2021].status) == (95.0, SOURCE_PAST, "no_target")  # no target before 2023
    assert (p[2024].fact, p[2024].source) == (85.0, SOURCE_RECORD)  # the record wins over the typed 80
    conflicts = [x for x in history.problems if x.code == "record-fact-conflict"]
    assert len(conflicts) == 1 and "85" in conflicts[0].message and "80" in conflicts[0].message
    assert (conflicts[0].file, conflicts[0].sheet) == ("program_template.xlsx", "Факт прошлых лет")
    # four facts: 2021 95, 2022 92, 2024 85, 2025 87.5. By hand: mean year 2023, mean fact 89.875;
    # Σ(x − x̄)(y − ȳ) = (−2)(5.125) + (−1)(2.125) + (1)(−4.875) + (2)(−2.375) = −22; Σ(x − x̄)² = 10
    o = by[10].outlook
    assert o.facts == 4 and o.slope == pytest.approx(-2.2)
    assert o.projections[2030] == pytest.approx(89.875 - 2.2 * 7)
    # indicator 3 has 2019 plus two records: three facts, an outlook
    assert by[3].outlook.facts == 3 and by[3].outlook.status != TOO_FEW


def test_record_from_an_older_definition_is_used_with_a_note(records, template_copy, tmp_path, program):
    edit_workbook(template_copy, {("Целевые значения", "J4"): 70})  # another edition: 2030 target of indicator 3
    older = read_program(template_copy)
    assert older.fingerprint != program.fingerprint
    inbox = fill_year(older, 2024, tmp_path / "old", values_of(2024))
    result = run("consolidate", "--year", 2024, inbox, "--program", template_copy, "--out",
                 records / "2024" / "consolidated_2024.xlsx")
    assert result.exit_code == 0, result.output
    history = build_history(program, records)
    assert [(p.code, Path(p.file).name) for p in history.problems] == [
        ("record-other-definition", "consolidated_2024.json")]
    assert history.problems[0].severity == "warning"
    assert history.records[2024].other_definition
    by = {i.number: i for i in history.indicators}
    assert by[3].points[2024].fact == 48  # used
    assert by[3].points[2024].plan == 55  # plans come from the current definition


@pytest.mark.parametrize("content, code", [
    ("{ это не JSON", "record-unreadable"),
    ("", "record-unreadable"),
    ('{"sent": {"EDU": "2025-01-10"}}', "record-foreign"),
    ('[1, 2, 3]', "record-foreign"),
    ('{"format": "someone/else/1", "year": 2024, "indicators": []}', "record-foreign"),
    ('{"format": "kc_workbook/consolidation/2", "year": 2023, "program_id": "x", "indicators": []}', "record-foreign"),
])
def test_corrupt_or_foreign_record_is_a_named_problem(records, program, content, code):
    (records / "2024" / "consolidated_2024.json").write_text(content, encoding="utf-8")
    history = build_history(program, records)
    assert [(p.code, Path(p.file).name) for p in history.problems] == [(code, "consolidated_2024.json")]
    assert history.years_found == [2023, 2025]  # the others are still used
    assert {i.number: i for i in history.indicators}[3].points[2024].fact is None


def test_another_programs_record_is_foreign(records, program):
    path = records / "2024" / "consolidated_2024.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["program_id"] = "other-program"
    path.write_text(json.dumps(data), encoding="utf-8")
    _, problems = find_records(records, program)
    assert [p.code for p in problems] == ["record-foreign"]


def test_record_without_format_key_is_read_as_format_1(records, program):
    path = records / "2024" / "consolidated_2024.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    del data["format"]
    path.write_text(json.dumps(data), encoding="utf-8")
    assert build_history(program, records).years_found == [2023, 2024, 2025]


def test_current_consolidation_counts_as_its_year(records, program):
    from kc_workbook.consolidate import consolidate

    shutil.rmtree(records / "2025")
    inbox = records.parent / "inbox"
    fill_year(program, 2025, inbox.parent / "again", values_of(2025))
    current = consolidate(program, 2025, inbox.parent / "again" / "inbox" / "2025")
    history = build_history(program, records, current=current)
    assert history.years_found == [2023, 2024, 2025]
    assert {i.number: i for i in history.indicators}[3].points[2025].fact == 56


# --- last year's values -----------------------------------------------------------------------


def test_previous_values_and_facts(three_years, program):
    previous = previous_values(three_years, 2025, program)
    assert previous["GZ"]["VIDEO_PLACES"] == 48
    assert previous["MVD"]["CRIMES_PUBLIC"] == 450
    assert previous["EDU"]["AT_OBJECTS_TOTAL"] == 28 and previous["CULTURE"]["AT_OBJECTS_TOTAL"] == 6  # per participant
    facts = previous_facts(three_years, 2025, program)
    assert facts[3] == 48 and facts[10] == 85 and facts[4] == pytest.approx(450 / 1234 * 100)
    assert set(facts) == {i.number for i in program.indicators}


def test_previous_without_a_record(three_years, program):
    assert previous_values(three_years, 2023, program) == {}
    assert set(previous_facts(three_years, 2023, program).values()) == {None}
    past = with_past_facts(program, {3: {2022: 33.0}})
    assert previous_facts(three_years, 2023, past)[3] == 33.0


def test_previous_from_a_corrupt_record_is_empty(records, program):
    (records / "2024" / "consolidated_2024.json").write_text("{", encoding="utf-8")
    assert previous_values(records, 2025, program) == {}
    assert previous_facts(records, 2025, program)[3] is None


def test_value_jumps(program, good_inbox):
    from kc_workbook.read import read_submission

    sub = read_submission(next(good_inbox.glob("*mvd*")), program, 2025)
    current = {"MVD": {"CRIMES_TOTAL": 12340, "CRIMES_PUBLIC": 420, "CRIMES_JUVENILE": 35, "DRUG_CRIMINAL_CASES": 0,
                       "DRUG_ADMIN_CASES": 30, "DRUG_USERS_CRIMINAL": 25, "DRUG_USERS_ADMIN": None},
               "GZ": {"VIDEO_PLACES": 5}}
    previous = {"MVD": {"CRIMES_TOTAL": 1234, "CRIMES_PUBLIC": 141, "CRIMES_JUVENILE": 35, "DRUG_CRIMINAL_CASES": 40,
                        "DRUG_ADMIN_CASES": 0, "DRUG_USERS_CRIMINAL": 25, "DRUG_USERS_ADMIN": 30},
                "GZ": {"VIDEO_PLACES": 56}}
    problems = value_jumps(program, 2025, current, previous, submissions={"MVD": sub})
    # ×10 and ÷11.2 jump; 420 / 141 = 2.98 does not; zeros and a missing value never do
    assert sorted((p.code, p.participant, p.cell is not None) for p in problems) == [
        ("value-jump", "GZ", False), ("value-jump", "MVD", True)]
    mvd = next(p for p in problems if p.participant == "MVD")
    assert mvd.file == sub.name and mvd.cell == sub.cells["CRIMES_TOTAL"].cell
    assert "12340" in mvd.message and "1234" in mvd.message and "2024" in mvd.message
    assert problems[0].severity == "warning"
    assert value_jumps(program, 2025, current, previous, factor=20.0) == []
    assert [p.code for p in value_jumps(program, 2025, {"GZ": {"VIDEO_PLACES": -5}}, previous)] == ["value-jump"]


# --- the CLI and the workbook -------------------------------------------------------------------


def test_history_command(three_years, tmp_path):
    out, js = tmp_path / "d.xlsx", tmp_path / "h.json"
    result = run("history", "--records", three_years, "--out", out, "--json", js)
    assert result.exit_code == 0, result.output
    assert "Записи сводки: 2023, 2024, 2025" in result.output
    # flat facts below a rising (or above a falling) target are at risk too: 1, 2, 5, 6, 7, 8, 10, 11
    assert "с риском недостижения — 8, недостаточно данных — 0, из 11" in result.output
    assert "  10. прогноз на 2030 год 80,0, цель 95,0" in result.output and "   3. прогноз" not in result.output
    data = json.loads(js.read_text(encoding="utf-8"))
    ten = next(i for i in data["indicators"] if i["number"] == 10)
    assert ten["outlook"]["status"] == "at_risk" and ten["outlook"]["slope"] == pytest.approx(-1.25)
    assert ten["years"]["2025"] == {"plan": 80.0, "fact": 87.5, "fact_exact": 87.5, "source": "record", "status": "met"}
    assert "наименьших квадратов" in data["outlook_method"]
    with zipfile.ZipFile(out) as z:
        assert len([n for n in z.namelist() if n.startswith("xl/charts/chart")]) == 11


def test_history_command_exit_codes(records, tmp_path, template_copy):
    (records / "2024" / "consolidated_2024.json").write_text("{", encoding="utf-8")
    out = tmp_path / "d.xlsx"
    result = run("history", "--records", records, "--out", out)
    assert result.exit_code == 1 and out.exists()
    assert "record-unreadable" not in result.output and "consolidated_2024.json" in result.output
    edit_workbook(template_copy, {("Показатели", "F2"): "NOPE"})
    result = run("history", "--records", records, "--out", tmp_path / "x.xlsx", "--program", template_copy)
    assert result.exit_code == 2 and not (tmp_path / "x.xlsx").exists()


def test_history_command_default_paths_and_empty_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("history")
    assert result.exit_code == 0, result.output
    assert "Записи сводки: не найдены" in result.output and "недостаточно данных — 11" in result.output
    assert Path("output/dynamics.xlsx").exists()


def test_dynamics_workbook(three_years, program, tmp_path):
    import openpyxl

    from kc_workbook.dynamics import write_dynamics

    history = build_history(program, three_years)
    first, second = write_dynamics(history, tmp_path / "a.xlsx"), write_dynamics(history, tmp_path / "b.xlsx")
    assert first.read_bytes() == second.read_bytes()  # deterministic
    wb = openpyxl.load_workbook(first)
    assert wb.sheetnames == ["Динамика", "Прогноз до 2030", "Записи", "Замечания"]
    ws = wb["Динамика"]
    header = [c.value for c in ws[3]]
    assert header == ["Показатель", *map(str, range(2019, 2031))]
    col = {year: 2 + i for i, year in enumerate(range(2019, 2031))}
    title = next(r for r in range(4, ws.max_row + 1) if str(ws.cell(r, 1).value).startswith("10. "))
    row = title + 1  # indicator 10: plan, fact, source, status
    assert [ws.cell(row + k, 1).value for k in range(4)] == ["План", "Факт", "Источник факта", "Итог"]
    assert [ws.cell(row, col[y]).value for y in YEARS] == [0, 80, 80]
    assert [ws.cell(row + 1, col[y]).value for y in YEARS] == [90, 85, 87.5]
    assert ws.cell(row + 2, col[2024]).value == "сводка"
    assert ws.cell(row + 3, col[2025]).value == "достигнут" and ws.cell(row + 3, col[2030]).value in (None, "")
    assert ws.conditional_formatting  # coloured like the report
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    outlook = wb["Прогноз до 2030"]
    texts = [c.value for r in outlook.iter_rows() for c in r if isinstance(c.value, str)]
    assert any("наименьших квадратов" in t for t in texts) and any(t.startswith("Ограничения") for t in texts)
    assert "с риском недостижения: 2027, 2028, 2029, 2030" in texts


def test_add_dynamics_sheet_up_to_a_year(three_years, program, tmp_path):
    import openpyxl
    import xlsxwriter

    from kc_workbook.dynamics import add_dynamics_sheet

    path = tmp_path / "report.xlsx"
    # a large consolidation writes its report in constant-memory mode: rows must come in order
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "tmpdir": str(tmp_path)})
    wb.add_worksheet("Сводка")
    add_dynamics_sheet(wb, None, build_history(program, three_years), 2024)
    wb.close()
    ws = openpyxl.load_workbook(path)["Динамика"]
    assert [c.value for c in ws[3]] == ["Показатель", *map(str, range(2019, 2025))]
    title = next(r for r in range(4, ws.max_row + 1) if str(ws.cell(r, 1).value).startswith("3. "))
    assert [[ws.cell(title + 1 + k, c).value for c in (6, 7)] for k in range(4)] == [
        [54, 55], [40, 48], ["сводка", "сводка"], ["не достигнут", "не достигнут"]]


# --- pandas, optional -------------------------------------------------------------------------------


def test_frames_history(three_years, program):
    pytest.importorskip("pandas")
    from kc_workbook import frames

    df = frames.history(three_years, program)
    assert df.loc[(2024, 3), "fact"] == 48 and df.loc[(2024, 3), "plan"] == 55
    assert df.loc[(2025, 10), "status"] == "met" and df.loc[(2025, 10), "fact_exact"] == 87.5
    assert len(df) == 12 * 11


def test_frames_outlook(three_years, program):
    pytest.importorskip("pandas")
    from kc_workbook import frames

    df = frames.outlook(three_years, program)
    assert df.loc[10, "status"] == "at_risk" and df.loc[10, "slope"] == pytest.approx(-1.25)
    assert df.loc[10, "projection_2030"] == pytest.approx(80.0) and df.loc[10, "missed_years"] == [2027, 2028, 2029, 2030]
    assert df.loc[3, "label"] == "достижимо при сохранении темпа"
    assert "наименьших квадратов" in df.attrs["method"]


def test_frames_of_a_consolidation(good_inbox, program):
    pytest.importorskip("pandas")
    from kc_workbook import frames
    from kc_workbook.consolidate import consolidate

    out = frames.frames(consolidate(program, 2025, good_inbox))
    assert set(out) == {"values", "indicators", "problems", "budget"}
    row = out["values"].query("participant == 'GZ' and code == 'VIDEO_PLACES'").iloc[0]
    assert row["value"] == 56 and row["sheet"] and row["cell"] and row["file"].startswith("ответ gz")
    assert out["indicators"].loc[3, "fact"] == 56
    assert out["budget"].loc["total", "fact"] == pytest.approx(23500.5 + 56.6)


def test_frames_without_pandas_says_how_to_install(tmp_path):
    import subprocess
    import sys

    code = ("import sys; sys.modules['pandas'] = None\n"
            "try:\n    import kc_workbook.frames\nexcept ImportError as e:\n    print(e)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert 'pip install "kc_workbook[pandas]"' in out.stdout, out.stderr


def test_cli_and_package_never_import_pandas(tmp_path):
    import subprocess
    import sys

    code = ("import sys, kc_workbook, kc_workbook.cli, kc_workbook.history, kc_workbook.dynamics\n"
            "print('pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert out.stdout.strip() == "False", out.stderr


def test_readme_shows_the_real_output_of_history(records, monkeypatch):
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    shown = readme.split("$ kc-workbook history\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(records.parent)
    result = run("history")
    assert result.exit_code == 0
    assert result.output == shown


def test_add_dynamics_sheet_takes_the_reports_formats(three_years, program, tmp_path):
    import openpyxl
    import xlsxwriter

    from kc_workbook.dynamics import add_dynamics_sheet
    from kc_workbook.report import _Formats

    path = tmp_path / "report.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    add_dynamics_sheet(wb, _Formats(wb), build_history(program, three_years), 2025)
    wb.close()
    assert [c.value for c in openpyxl.load_workbook(path)["Динамика"][3]] == ["Показатель", *map(str, range(2019, 2026))]


@pytest.mark.libreoffice
def test_dynamics_workbook_prints_on_a4_landscape_in_libreoffice(three_years, program, tmp_path):
    import re
    import subprocess

    import libreoffice
    from kc_workbook.dynamics import write_dynamics

    libreoffice.require()
    out = write_dynamics(build_history(program, three_years), tmp_path / "dynamics.xlsx")
    done = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                           "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)], capture_output=True, timeout=300)
    assert done.returncode == 0
    pdf = (tmp_path / "dynamics.pdf").read_bytes()
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert boxes and all(float(w) > float(h) for w, h in boxes)  # landscape
    assert {round(float(w)) for w, _ in boxes} == {842}  # A4
    # the table on three pages, eleven charts four to a page, the outlook, records and problems: not 30 pages
    assert 5 <= len(re.findall(rb"/Type\s*/Page\b", pdf)) <= 10


def test_last_years_facts_and_values_reach_this_years_report_and_next_years_workbooks(three_years, program, tmp_path,
                                                                                      monkeypatch):
    """The issue's «done when»: the 2025 report shows the 2024 facts as the previous year's, the
    2026 workbooks show the values accepted in 2025, and the report has its «Динамика» sheet."""
    import openpyxl

    report = openpyxl.load_workbook(three_years / "2025" / "consolidated_2025.xlsx")
    rows = {r[0].value: r for r in report["Показатели"].iter_rows(min_row=6) if isinstance(r[0].value, int)}
    record_2024 = json.loads((three_years / "2024" / "consolidated_2024.json").read_text(encoding="utf-8"))
    facts_2024 = {i["number"]: i["fact"] for i in record_2024["indicators"]}
    assert {n: rows[n][3].value for n in facts_2024} == facts_2024  # «факт года, предшествующего отчётному»
    assert "Динамика" in report.sheetnames
    # 2026: generate beside the records; each input shows the value accepted from that participant in 2025
    monkeypatch.chdir(three_years.parent)
    out = run("generate", "--year", 2026)
    assert out.exit_code == 0, out.output
    record_2025 = json.loads((three_years / "2025" / "consolidated_2025.json").read_text(encoding="utf-8"))
    accepted = {i["code"]: i["parts"]["MVD"] for i in record_2025["inputs"] if "MVD" in i["parts"]}
    (mvd,) = (three_years / "2026" / "templates").glob("*(MVD).xlsx")
    sheet = openpyxl.load_workbook(mvd)["Данные"]
    header = next(r for r in sheet.iter_rows() if any(c.value == "Код" for c in r))
    col = {c.value: c.column for c in header}
    shown = {sheet.cell(r, col["Код"]).value: sheet.cell(r, col["Принято за 2025 год"]).value
             for r in range(header[0].row + 1, header[0].row + 1 + len(accepted))}
    assert shown == accepted
