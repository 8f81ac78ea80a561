"""``status``: which inbox it read, and participants' names cut visibly."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from conftest import YEAR
from kc_workbook.cli import main


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], prog_name="kc-workbook")


def test_status_names_the_missing_inbox_it_looked_at(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("status", "--year", YEAR)
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert str(Path("output") / str(YEAR) / "inbox") in first
    assert "не найдена" in first and "--inbox" in first


def test_status_names_the_inbox_it_read(good_inbox, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("status", "--year", YEAR, "--inbox", good_inbox)
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert str(good_inbox) in first and "не найдена" not in first


def test_a_long_name_is_cut_with_an_ellipsis(program, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("status", "--year", YEAR)
    names = {program.participants[code].short_name for code in program.suppliers(YEAR)}
    long = [n for n in names if len(n) > 39]
    assert long  # the built-in program has such names: the test would prove nothing without them
    rows = result.output.splitlines()[2:]
    for name in long:
        row = next(r for r in rows if r.startswith(name[:38]))
        assert row[:39] == name[:38] + "…"
    for name in names - set(long):
        assert any(r.startswith(name + " ") for r in rows), name


def test_a_missing_inbox_given_is_said_to_be_missing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("status", "--year", YEAR, "--inbox", tmp_path / "нет такой")
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert str(tmp_path / "нет такой") in first and "не найдена" in first and "--inbox" not in first
