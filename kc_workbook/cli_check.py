"""``kc-workbook check``: one returned (or half-filled) workbook at a time, its values and problems.

Registered on ``cli.main`` when ``cli`` is imported; library modules are imported inside.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import cli_ru
from .cli import PROGRAM_OPTION, main


@main.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--year", type=cli_ru.IntRange(2000, 2100), metavar="ГОД", help="Ожидаемый отчётный год.")
@PROGRAM_OPTION
def check_cmd(files, year, program_path):
    """Проверить присланные (или заполняемые) книги участников по одной.

    Код выхода 0 — ошибок нет, 1 — есть ошибки, книга отклонена или какой-то файл не книга (он не
    проверен).

    Пример: kc-workbook check "Копия отчёт МВД (2).xlsx"
    """
    from .cells import as_text
    from .cli_hints import not_checked, wrong_year_hint
    from .problems import has_errors
    from .program import read_program
    from .read import read_submission
    from .verdicts import label, submission_verdict
    from .vocabulary import SEVERITY

    from .inbox import not_regular

    prog = read_program(program_path)
    failed = skipped = False
    books = []  # the workbooks read, for the hint on the year
    for path in files:
        if not_regular(path):  # a FIFO or a device: never opened, and not checked, like any file that is no workbook
            click.echo(f"{path}: не проверен — {not_regular(path)[1]}")
            skipped = True
            continue
        sub = read_submission(path, prog, year, name=str(path))
        if sub.skipped:  # not a workbook at all: nothing was checked, and a verdict on it would mislead
            click.echo(f"{path}: не проверен — {not_checked(sub)}")
            for p in sub.problems:
                click.echo(f"  [{SEVERITY.label(p.severity)}] {p}")
            skipped = True
            continue
        who = prog.participants[sub.participant].short_name if sub.participant in prog.participants else "участник не определён"
        verdict = submission_verdict(sub.problems, rejected=sub.rejected)
        click.echo(f"{path}: {who}, {sub.year or '—'} год — {label(verdict)}")
        for code, cell in sub.cells.items():  # by name, as the participant's workbook shows them
            value = as_text(cell.value) if cell.ok and cell.value is not None else "—"
            name = prog.inputs[code].name if code in prog.inputs else code
            click.echo(f"  {name}: {value} ({cell.sheet}!{cell.cell})")
        for p in sub.problems:
            click.echo(f"  [{SEVERITY.label(p.severity)}] {p}")
        failed = failed or sub.rejected or has_errors(sub.problems)  # «отклонён» is never exit 0
        books.append(sub)
    taken = sum(1 for sub in books if not sub.rejected)
    hint = year and wrong_year_hint([p for sub in books for p in sub.problems], year, accepted=taken)
    if hint:
        click.echo(hint)
    if skipped:
        click.echo("Команда check проверяет книги участников (.xlsx, .xlsm, .xls, .ods и другие книги электронных "
                   "таблиц), сформированные «kc-workbook generate» и заполненные участником.")
    sys.exit(1 if failed or skipped else 0)
