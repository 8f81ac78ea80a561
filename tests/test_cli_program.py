"""`kc-workbook program check|show` as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile

from click.testing import CliRunner

from conftest import edit_workbook
from kc_workbook.cli import main


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_check_of_the_built_in_template_is_clean():
    result = run("program", "check")
    assert result.exit_code == 0, result.output
    assert "Показатели: 11" in result.output
    assert "24\u00a0038,7" in result.output  # 2025 total, thousands separated


def test_check_lists_problems_and_exits_1(template_copy):
    edit_workbook(template_copy, {("Финансирование", "E7"): 1.0})
    result = run("program", "check", "--program", str(template_copy))
    assert result.exit_code == 1
    assert "Финансирование!E7" in result.output


def test_check_of_a_missing_file_exits_1_without_traceback(tmp_path):
    result = run("program", "check", "--program", str(tmp_path / "none.xlsx"))
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)  # the command ended itself: no exception escaped


def test_show_json_has_the_documented_shape(program):
    result = run("program", "show", "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert {p["code"] for p in data["participants"]} == set(program.participants)
    assert data["inputs"][0]["suppliers"] == ["EDU", "CULTURE"]
    ind = data["indicators"][0]
    assert ind["direction"] == "increase" and ind["task"] == 1
    assert ind["targets"]["2023"] is None and ind["targets"]["2025"] == 35.71 and ind["targets"]["2030"] == 50.0
    assert data["funding"]["2023"] == {"municipal": 19003.7, "regional": 6981.9, "offbudget": 219.0, "total": 26204.6}


def test_show_of_a_broken_definition_exits_2_with_the_cell(template_copy):
    edit_workbook(template_copy, {("Показатели", "F2"): "NOPE * 2"})
    result = CliRunner().invoke(main, ["program", "show", "--json", "--program", str(template_copy)])
    assert result.exit_code == 2
    assert "Показатели!F2" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)  # no traceback


def test_template_is_found_from_another_directory(tmp_path):
    result = subprocess.run([sys.executable, "-m", "kc_workbook", "program", "check"], cwd=tmp_path,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_the_wheel_carries_the_template(tmp_path):
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path),
                    str(root)], check=True, capture_output=True)
    (wheel,) = tmp_path.glob("kc_workbook-*.whl")
    assert "kc_workbook/templates/program_template.xlsx" in zipfile.ZipFile(wheel).namelist()


def test_every_command_is_documented_with_an_example():
    import click

    def walk(group, prefix=()):
        for name, cmd in group.commands.items():
            if isinstance(cmd, click.Group):
                yield from walk(cmd, prefix + (name,))
            else:
                yield prefix + (name,), cmd

    for path, cmd in walk(main):
        assert cmd.help and "Пример" in cmd.help, " ".join(path)


def test_every_command_is_in_the_readme():
    from pathlib import Path

    import click

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")

    def walk(group, prefix=()):
        for name, cmd in group.commands.items():
            if isinstance(cmd, click.Group):
                yield from walk(cmd, prefix + (name,))
            else:
                yield prefix + (name,)

    for path in walk(main):
        assert "kc-workbook " + " ".join(path) in readme, path


def test_the_public_api_is_importable_from_the_package():
    import kc_workbook

    from kc_workbook.consolidate import consolidate

    assert callable(kc_workbook.read_program) and callable(kc_workbook.read_submission) and callable(consolidate)
    assert kc_workbook.write_workbook.__module__ == "kc_workbook.report"
