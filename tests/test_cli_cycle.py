"""generate → consolidate → check → demo through the CLI, with exit codes."""

from __future__ import annotations

import json
import os

from click.testing import CliRunner

from conftest import GOOD, YEAR, edit_workbook, fill_openpyxl
from kc_workbook.cli import main


def run(*args, **kwargs):
    return CliRunner().invoke(main, [str(a) for a in args], **kwargs)


def test_generate_writes_one_workbook_per_supplier(tmp_path, program):
    result = run("generate", "--year", YEAR, "--out", tmp_path)
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in tmp_path.iterdir())
    assert len(files) == len(program.suppliers(YEAR)) == 9
    assert "2025 МО МВД России Кирово-Чепецкий (MVD).xlsx" in files
    assert all(name in result.output for name in files)


def test_generate_rejects_a_year_outside_the_program(tmp_path):
    result = run("generate", "--year", 2019, "--out", tmp_path)
    assert result.exit_code == 2 and "2019" in result.output


def test_consolidate_exit_0_when_everything_is_accepted(good_inbox, tmp_path):
    out, js = tmp_path / "c.xlsx", tmp_path / "c.json"
    result = run("consolidate", "--year", YEAR, good_inbox, "--out", out, "--json", js)
    assert result.exit_code == 0, result.output
    assert out.exists() and json.loads(js.read_text(encoding="utf-8"))["year"] == YEAR


def test_consolidate_exit_1_when_a_workbook_is_missing(good_inbox, tmp_path):
    os.remove(good_inbox / "ответ mvd.xlsx")
    out = tmp_path / "c.xlsx"
    result = run("consolidate", "--year", YEAR, good_inbox, "--out", out)
    assert result.exit_code == 1
    assert out.exists()
    assert "МО МВД России «Кирово-Чепецкий»: не представлен" in result.output


def test_consolidate_exit_2_for_a_broken_program(good_inbox, tmp_path, template_copy):
    edit_workbook(template_copy, {("Показатели", "F2"): "NOPE"})
    out = tmp_path / "c.xlsx"
    result = run("consolidate", "--year", YEAR, good_inbox, "--program", template_copy, "--out", out)
    assert result.exit_code == 2
    assert "Показатели!F2" in result.output
    assert not out.exists()


def test_consolidate_default_output_path(good_inbox, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("consolidate", "--year", YEAR, good_inbox)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "output" / str(YEAR) / f"consolidated_{YEAR}.xlsx").exists()


def test_consolidate_into_an_unwritable_place_is_a_message(good_inbox, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run("consolidate", "--year", YEAR, good_inbox, "--out", blocker / "c.xlsx")
    assert result.exit_code == 2
    assert "Ошибка" in result.output and isinstance(result.exception, SystemExit)


def test_check_reports_problems_with_cells(blank_workbooks, tmp_path):
    bad = fill_openpyxl(blank_workbooks["MVD"], tmp_path / "мвд.xlsx", {**GOOD["MVD"], "CRIMES_PUBLIC": "много"})
    good = fill_openpyxl(blank_workbooks["HEALTH"], tmp_path / "здрав.xlsx", GOOD["HEALTH"])
    result = run("check", good)
    assert result.exit_code == 0, result.output
    result = run("check", good, bad)
    assert result.exit_code == 1
    assert "Данные!D6" in result.output


def test_check_names_the_values_as_the_workbook_does_not_by_code(program, blank_workbooks, tmp_path):
    mvd = fill_openpyxl(blank_workbooks["MVD"], tmp_path / "мвд.xlsx", GOOD["MVD"])
    result = run("check", mvd)
    assert result.exit_code == 0, result.output
    assert program.inputs["CRIMES_TOTAL"].name in result.output
    assert "CRIMES_TOTAL" not in result.output


def test_demo_writes_every_sheet(tmp_path):
    from python_calamine import CalamineWorkbook

    from test_report import SHEETS

    result = run("demo", "--out", tmp_path / "demo")
    assert result.exit_code == 0, result.output
    book = CalamineWorkbook.from_path(str(tmp_path / "demo" / "consolidated_2025.xlsx"))
    assert book.sheet_names == SHEETS
    for name in SHEETS:  # every sheet has a body under its header row
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        assert len(rows) > 4 and any(v not in ("", None) for v in rows[4]), name
    data = json.loads((tmp_path / "demo" / "consolidated_2025.json").read_text(encoding="utf-8"))
    found = {i["code"] for i in data["issues"]}
    assert {"value-as-text", "measure-reason-missing", "measure-overspent", "budget-mismatch", "workbook-duplicate",
            "lock-file-skipped", "not-a-workbook"} <= found
    assert data["efficiency"]["er"] is not None and data["efficiency"]["verdict"]
    assert all(m["status"] for m in data["budget"]["measures"])


def test_the_demo_can_be_checked_and_consolidated_again_with_the_commands_it_prints(tmp_path):
    demo = tmp_path / "demo"
    assert run("demo", "--out", demo).exit_code == 0
    definition = demo / "program_demo.xlsx"
    assert run("program", "check", "--program", definition).exit_code == 0
    # the measures the demo's workbooks report on are in that definition: the same errors, the same result
    edu = next((demo / "inbox").glob("*(EDU).xlsx"))
    checked = run("check", "--program", definition, "--year", YEAR, edu)
    assert checked.exit_code == 1 and "Мероприятия!K5" in checked.output
    again = run("consolidate", "--year", YEAR, demo / "inbox", "--program", definition,
                "--out", tmp_path / "again" / "c.xlsx")
    assert again.exit_code == 1, again.output  # the sample's one error, as the demo shows it
    first = json.loads((demo / "consolidated_2025.json").read_text(encoding="utf-8"))
    second = json.loads((tmp_path / "again" / "c.json").read_text(encoding="utf-8"))
    assert second["indicators"] == first["indicators"] and second["efficiency"] == first["efficiency"]
    assert sorted(i["code"] for i in second["issues"]) == sorted(i["code"] for i in first["issues"])


def test_usage_errors_are_in_russian():
    result = run("generate")
    assert result.exit_code == 2
    assert "Не указан параметр" in result.output and "--year" in result.output
    assert "Missing" not in result.output
    result = run("consolidate", "--year", YEAR, "/nonexistent/inbox")
    assert result.exit_code == 2 and "«/nonexistent/inbox» не найдена" in result.output


def test_an_unexpected_failure_is_a_russian_message_not_a_traceback(good_inbox, tmp_path, monkeypatch):
    import kc_workbook.consolidate

    def broken(*args, **kwargs):
        raise RuntimeError("сбой")

    monkeypatch.setattr(kc_workbook.consolidate, "consolidate", broken)
    monkeypatch.delenv("KC_WORKBOOK_DEBUG", raising=False)
    result = run("consolidate", "--year", YEAR, good_inbox, "--out", tmp_path / "c.xlsx")
    assert result.exit_code == 3
    assert "Внутренняя ошибка" in result.output and isinstance(result.exception, SystemExit)


def test_check_of_a_rejected_workbook_exits_1_even_when_its_problem_is_a_warning(blank_workbooks, tmp_path):
    # a participant who supplies nothing this year: workbook-not-expected is a warning, the workbook is rejected
    law = fill_openpyxl(blank_workbooks["MVD"], tmp_path / "право.xlsx", {**GOOD["MVD"], "_kc!B5": "LAW"})
    result = run("check", "--year", YEAR, law)
    assert result.exit_code == 1, result.output
