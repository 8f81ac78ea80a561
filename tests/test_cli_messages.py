"""Click's own messages and help words in Russian: nothing Latin but option names and file names."""

from __future__ import annotations

import re

import click
import pytest
from click.testing import CliRunner

from kc_workbook.cli import main


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], prog_name="kc-workbook")


def latin_words(text: str, allowed=()) -> set[str]:
    """Latin words left once option names, commands, file names and the allowed ones are taken out."""
    text = re.sub(r"--?[a-z][a-z-]*|kc-workbook|«[^»]*»|\S+\.(xlsx|eml|mbox|zip|json)\b|output/\S*", " ", text)
    names = {name for path in commands(main) for name in path}
    return set(re.findall(r"[A-Za-z]{2,}", text)) - names - set(allowed)


def test_a_missing_file_is_named_in_russian(tmp_path):
    result = run("check", tmp_path / "nofile.xlsx")
    assert result.exit_code == 2
    assert f"«{tmp_path / 'nofile.xlsx'}»" in result.output and "не найден" in result.output
    assert not latin_words(result.output)


def test_a_missing_folder_is_named_in_russian(tmp_path):
    result = run("consolidate", "--year", 2025, tmp_path / "nosuchdir")
    assert result.exit_code == 2
    assert f"«{tmp_path / 'nosuchdir'}»" in result.output and "не найдена" in result.output
    assert not latin_words(result.output)


def test_a_file_given_for_a_folder(tmp_path):
    (tmp_path / "a.xlsx").write_bytes(b"")
    result = run("consolidate", "--year", 2025, tmp_path / "a.xlsx")
    assert result.exit_code == 2 and "нужна папка" in result.output
    assert not latin_words(result.output)


@pytest.mark.parametrize("year", ["два", "1999", "2101"])
def test_a_bad_year_says_what_is_expected(year):
    result = run("status", "--year", year)
    assert result.exit_code == 2
    assert "--year" in result.output and "2000" in result.output and "2100" in result.output
    assert f"«{year}»" in result.output
    assert not latin_words(result.output)


def test_a_missing_option_and_argument(tmp_path):
    for args in (["generate"], ["check"], ["nosuchcommand"], ["status", "--year", "2025", "--bogus"]):
        result = run(*args)
        assert result.exit_code == 2, args
        assert not latin_words(result.output, allowed={"nosuchcommand", "bogus"}), (args, result.output)


def commands(group, path=()):
    for name, command in group.commands.items():
        yield (*path, name)
        if isinstance(command, click.Group):
            yield from commands(command, (*path, name))


@pytest.mark.parametrize("path", [(), *commands(main)], ids=lambda p: " ".join(p) or "kc-workbook")
def test_help_has_no_english_words_of_click(path):
    result = run(*path, "--help")
    assert result.exit_code == 0
    for word in ("OPTIONS", "COMMAND", "ARGS", "FILES", "FILE", "DIRECTORY", "PATH", "TEXT", "INTEGER",
                 "required", "default", "RANGE", "INBOX", "SOURCES"):
        if word == "INBOX" and path == ("mail", "collect"):
            continue  # the mailbox's folder, named so by IMAP
        assert not re.search(rf"\b{word}\b", result.output), (word, result.output)
    assert "[ПАРАМЕТРЫ]" in result.output.splitlines()[0]


def test_the_range_and_required_in_help():
    result = run("consolidate", "--help")
    assert "ВХОДЯЩИЕ" in result.output.splitlines()[0]
    line = next(line for line in result.output.splitlines() if line.strip().startswith("--year"))
    assert "ГОД" in line and "2000–2100" in line and "обязательный" in line


def test_click_speaks_english_again_after_a_command():
    """The translation is scoped: the interpreter's click (other tools in the same process) is left as it was."""
    run("check")
    assert click.exceptions._("Missing argument") == "Missing argument"


def test_check_says_a_text_file_is_not_a_workbook(tmp_path):
    (tmp_path / "note.txt").write_text("привет", encoding="utf-8")
    result = run("check", tmp_path / "note.txt")
    assert result.exit_code == 1  # nothing was checked
    first = result.output.splitlines()[0]
    assert first.startswith(f"{tmp_path / 'note.txt'}: не проверен") and "не книга" in first
    assert "отклонён" not in result.output and "участник не определён" not in result.output
    assert ".xlsx" in result.output.splitlines()[-1]  # which files check expects


def test_check_says_an_excel_lock_file_is_excels(tmp_path, good_inbox):
    lock = tmp_path / "~$отчёт.xlsx"
    lock.write_bytes(b"\x00" * 165)
    good = next(good_inbox.glob("*.xlsx"))
    result = run("check", lock, good)
    assert result.exit_code == 1
    line = next(line for line in result.output.splitlines() if line.startswith(str(lock)))
    assert "не проверен" in line and "Excel" in line
    assert any(line.startswith(f"{good}:") and "принят" in line for line in result.output.splitlines())
