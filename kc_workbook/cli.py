"""The ``kc-workbook`` command line: parse arguments, make one library call, print.

Library modules are imported inside the commands so that ``kc-workbook --help`` stays
quick. ``KcWorkbookError`` becomes a Russian message and exit status 2 in one place:
``_Group.invoke``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import __version__
from .errors import KcWorkbookError, ProgramError

PROGRAM_OPTION = click.option(
    "--program",
    "program_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Книга с определением программы (по умолчанию — встроенный шаблон).",
)


class _Group(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KcWorkbookError as exc:
            click.echo(f"Ошибка: {exc}", err=True)
            for problem in getattr(exc, "problems", []):
                click.echo(f"  {problem}", err=True)
            ctx.exit(2)
        except KeyboardInterrupt:
            click.echo("Прервано.", err=True)
            ctx.exit(130)


def _number(value: float, digits: int = 1) -> str:
    from .cells import format_number

    return format_number(value, digits)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, message="kc-workbook %(version)s")
def main():
    """Сбор и сводка отчётных данных муниципальной программы «Профилактика терроризма,
    экстремизма, других правонарушений и обеспечение безопасности жизнедеятельности
    населения» города Кирово-Чепецка.

    Пример полного цикла на встроенных данных: kc-workbook demo
    """


@main.group(cls=_Group)
def program():
    """Определение программы: проверка и просмотр."""


@program.command("check")
@PROGRAM_OPTION
def program_check(program_path):
    """Проверить книгу с определением программы и кратко её описать.

    Код выхода 0 — замечаний нет, 1 — есть замечания.

    Пример: kc-workbook program check --program templates/program_template.xlsx
    """
    from .program import SOURCE_LABELS, default_program_path, load_program

    path = program_path or default_program_path()
    prog, problems = load_program(path)
    click.echo(f"Определение программы: {path}")
    if prog is not None:
        executor = prog.participants.get(prog.executor)
        click.echo(f"Программа: «{prog.name}», {prog.start_year}–{prog.end_year} гг.")
        click.echo(f"Редакция: {prog.amendment or 'не указана'}")
        click.echo(f"Участники: {len(prog.participants)} (исполнитель — {executor.short_name if executor else prog.executor})")
        click.echo(f"Задачи: {len(prog.tasks)}; исходные данные: {len(prog.inputs)}; "
                   f"представляют данные: {len(prog.suppliers())} участников")
        years = prog.target_years()
        span = f"{years[0]}–{years[-1]}" if years else "нет"
        click.echo(f"Показатели: {len(prog.indicators)}; целевые значения на {span} гг.")
        click.echo("Финансирование, тыс. руб.:")
        for f in sorted(prog.funding.values(), key=lambda f: f.year):
            parts = "; ".join(f"{SOURCE_LABELS[k].lower()} {_number(v)}" for k, v in f.by_source().items() if v)
            click.echo(f"  {f.year}: {_number(f.total)} ({parts})")
        click.echo(f"Мероприятия: {len(prog.measures)}" + ("" if prog.measures else " (лист «Мероприятия» не заполнен)"))
    if problems:
        click.echo(f"Замечания ({len(problems)}):")
        for p in problems:
            click.echo(f"  {p}")
        sys.exit(1)
    click.echo("Замечаний нет.")


@program.command("show")
@PROGRAM_OPTION
@click.option("--json", "as_json", is_flag=True, help="Вывести определение в формате JSON.")
def program_show(program_path, as_json):
    """Показать определение программы: показатели, формулы, целевые значения.

    Пример: kc-workbook program show --json > program.json
    """
    from .program import DIRECTION_LABELS, read_program

    prog = read_program(program_path)
    if as_json:
        click.echo(json.dumps(prog.to_dict(), ensure_ascii=False, indent=2))
        return
    years = prog.target_years()
    for ind in prog.indicators:
        click.echo(f"{ind.number}. {ind.name} ({ind.unit}; {DIRECTION_LABELS[ind.direction]})")
        click.echo(f"   = {ind.formula.text}")
        targets = ", ".join(f"{y}: {'-' if ind.targets.get(y) is None else _number(ind.targets[y], ind.precision)}" for y in years)
        click.echo(f"   {targets}")


if __name__ == "__main__":  # pragma: no cover
    main()
