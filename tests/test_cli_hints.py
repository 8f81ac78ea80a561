"""Hints of consolidate and check: a --year that is likely wrong, an inbox with no files."""

from __future__ import annotations

from click.testing import CliRunner

from conftest import YEAR
from kc_workbook.cli import main
from kc_workbook.cli_hints import wrong_year_hint
from kc_workbook.problems import Problem


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], prog_name="kc-workbook")


def hints(output: str) -> list[str]:
    return [line for line in output.splitlines() if "проверьте --year" in line]


def test_consolidate_of_another_years_inbox_hints_at_the_year(good_inbox, tmp_path):
    result = run("consolidate", "--year", YEAR - 1, good_inbox, "--out", tmp_path / "c.xlsx", "--json", tmp_path / "c.json")
    assert result.exit_code == 1, result.output
    [hint] = hints(result.output)
    assert str(YEAR) in hint and str(YEAR - 1) in hint


def test_no_hint_when_the_year_is_right(good_inbox, tmp_path):
    result = run("consolidate", "--year", YEAR, good_inbox, "--out", tmp_path / "c.xlsx", "--json", tmp_path / "c.json")
    assert result.exit_code == 0, result.output
    assert hints(result.output) == []


def test_check_with_another_year_hints_at_it(good_inbox):
    books = sorted(good_inbox.glob("*.xlsx"))[:2]
    result = run("check", "--year", YEAR - 1, *books)
    assert result.exit_code == 1, result.output
    [hint] = hints(result.output)
    assert str(YEAR) in hint


def wrong(year: str, more: int = 0) -> Problem:
    return Problem("workbook-wrong-year", "…", value=year, more=more)


def test_the_hint_counts_folded_rows_and_needs_a_majority():
    other = Problem("file-unreadable", "…")
    assert "все книги" in wrong_year_hint([wrong(str(YEAR), more=4)], YEAR - 1)
    assert "5 из 6" in wrong_year_hint([wrong(str(YEAR), more=4), other], YEAR - 1)
    assert wrong_year_hint([wrong(str(YEAR)), other, other], YEAR - 1) is None
    assert wrong_year_hint([other], YEAR - 1) is None


def test_one_participant_sending_last_years_workbook_again_is_no_hint():
    again = [Problem("workbook-wrong-year", "…", participant="MVD", file=f"мвд {i}.xlsx", value=str(YEAR))
             for i in range(6)]
    assert wrong_year_hint(again, YEAR + 1, accepted=9) is None  # nine others answered for the year asked
    assert wrong_year_hint(again, YEAR + 1, accepted=0) is not None


def test_an_empty_inbox_is_said_to_be_empty(tmp_path):
    inbox = tmp_path / "пусто"
    (inbox / "подпапка").mkdir(parents=True)
    result = run("consolidate", "--year", YEAR, inbox, "--out", tmp_path / "c.xlsx", "--json", tmp_path / "c.json")
    assert result.exit_code == 1, result.output  # as before: written, every workbook missing
    line = next(line for line in result.output.splitlines() if "нет файлов" in line)
    assert str(inbox) in line


def test_an_inbox_with_files_is_not_said_to_be_empty(good_inbox, tmp_path):
    result = run("consolidate", "--year", YEAR, good_inbox, "--out", tmp_path / "c.xlsx", "--json", tmp_path / "c.json")
    assert "нет файлов" not in result.output
