"""Checking where a command is about to write, before any work is done.

``consolidate_outputs`` refuses (``OutputError``, exit 2) an output that is open in Excel or
LibreOffice (their lock file lies beside it), ``--out`` equal to ``--json``, an output inside
the inbox (it would be read back as a participant's file), a path ending in a separator or
naming a folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import OutputError


def lock_files(path: Path) -> list[Path]:
    """The lock files Excel and LibreOffice keep beside an open workbook."""
    name = path.name
    # Excel: "~$" + the name; for long names it drops the first one or two characters
    candidates = {"~$" + name, "~$" + name[1:], "~$" + name[2:], f".~lock.{name}#"}
    return [path.with_name(c) for c in sorted(candidates) if c not in ("~$", ".~lock.#")]


def check_not_open(path: Path) -> None:
    for lock in lock_files(path):
        if os.path.lexists(lock):
            raise OutputError(f"файл открыт в Excel: закройте его ({path}; рядом лежит служебный файл {lock.name}, "
                              f"если книга уже закрыта — удалите его) и повторите")


def _resolved(path: Path) -> Path:
    return Path(os.path.abspath(path)).resolve()


def _output(raw: str | os.PathLike, option: str) -> Path:
    text = os.fspath(raw)
    if not text.strip():
        raise OutputError(f"{option}: не указано имя файла")
    if text.endswith(("/", os.sep)) or (os.altsep and text.endswith(os.altsep)):
        raise OutputError(f"{option} {text}: укажите имя файла, а не папку (путь оканчивается разделителем)")
    path = Path(text)
    if path.is_dir():
        raise OutputError(f"{option} {text}: это папка; укажите имя файла, например {path / 'сводка.xlsx'}")
    return path


def consolidate_outputs(year: int, out, json_file, inbox: Path) -> tuple[Path, Path]:
    """(workbook, JSON record) for ``consolidate``, defaults applied; raises on a bad choice.

    The JSON record of the year always goes beside the workbook unless ``--json`` says otherwise:
    the records of the years are the program's history."""
    out_path = _output(out, "--out") if out is not None else Path("output") / str(year) / f"consolidated_{year}.xlsx"
    json_path = _output(json_file, "--json") if json_file is not None else out_path.with_suffix(".json")
    if json_path is not None and _resolved(json_path) == _resolved(out_path):
        raise OutputError(f"--out и --json указывают на один файл {out_path}: укажите разные имена")
    box = _resolved(inbox)
    for option, path in (("--out", out_path), ("--json", json_path)):
        if path is not None and _resolved(path).is_relative_to(box):
            raise OutputError(f"{option} {path} находится внутри папки с книгами участников {inbox}: при следующей "
                              f"сводке он будет прочитан как книга участника; укажите файл вне этой папки")
    check_not_open(out_path)
    if json_path is not None:
        check_not_open(json_path)
    return out_path, json_path
