"""The ``kc-workbook`` command line: parse arguments, make one library call, print.

Library modules are imported inside the commands so that ``kc-workbook --help`` stays
quick. ``KcWorkbookError`` and errors of the machine (``boundary``) become a Russian
message and exit status 2 in one place: ``_Group.invoke``.

Over 400 lines: one short function per command, sharing options and the output helpers;
split by command group if it grows further.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import __version__, cli_ru
from .boundary import (Progress, environment_error, quiet_stdout, quiet_unraisable, restore_terminate,
                       terminate_as_interrupt)
from .errors import KcWorkbookError

def _regular_file(ctx, param, value):
    """A FIFO or a device given as a file would block reading forever: refuse it, never open it."""
    from .inbox import not_regular

    for path in value if isinstance(value, tuple) else [value]:
        odd = not_regular(path) if path is not None and path.exists() else None
        if odd is not None:
            raise click.BadParameter(f"{path}: {odd[1]}")
    return value


PROGRAM_OPTION = click.option(
    "--program",
    "program_path",
    type=click.Path(dir_okay=False, path_type=Path),
    callback=_regular_file,
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
            _sweep()
            click.echo("Прервано.", err=True)
            ctx.exit(130)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except Exception as exc:
            import os

            if environment_error(exc):  # the machine's, not ours: a full disk, a read-only folder, a closed pipe…
                from .output import describe_os_error

                if isinstance(exc, BrokenPipeError):
                    quiet_stdout()  # the reader went away («| head»): say so once, on stderr
                sys.unraisablehook = quiet_unraisable  # a half-written file closed later fails again: said once
                click.echo(f"Ошибка: {describe_os_error(exc)}. Входные файлы не изменены.", err=True)
                ctx.exit(2)
            if os.environ.get("KC_WORKBOOK_DEBUG"):  # a bug: say so in Russian; KC_WORKBOOK_DEBUG=1 shows the traceback
                raise
            click.echo(f"Внутренняя ошибка kc_workbook ({type(exc).__name__}: {exc}). Входные файлы не изменены. "
                       "Сообщите разработчикам; подробности покажет запуск с KC_WORKBOOK_DEBUG=1.", err=True)
            ctx.exit(3)

    def main(self, *args, **kwargs):
        previous = terminate_as_interrupt()
        cli_ru.russify(self)  # usage words and placeholders: once the commands are all registered
        try:
            # Click's own messages in Russian, for this command only: the interpreter's click is left as it was.
            with cli_ru.russian():
                return super().main(*args, **kwargs)
        except BrokenPipeError:  # output to a closed pipe outside a command (help, usage)
            quiet_stdout()
            sys.exit(2)
        finally:
            _sweep()  # a second Ctrl+C or SIGTERM during a cleanup must not leave a temporary behind
            restore_terminate(previous)


def _sweep() -> None:
    """Remove the temporaries this run made and did not finish (see ``output.remove_live``)."""
    output = sys.modules.get(f"{__package__}.output")  # nothing to sweep when it was never imported
    if output is not None:
        output.remove_live()


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, message="kc-workbook %(version)s", help="Показать версию и выйти.")
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
    from .notation import format_money
    from .program import default_program_path, load_program
    from .vocabulary import SOURCE

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
            parts = "; ".join(f"{SOURCE.label(k).lower()} {format_money(v)}" for k, v in f.by_source().items() if v)
            click.echo(f"  {f.year}: {format_money(f.total)} ({parts})")
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
    from .program import read_program
    from .sentences import shown_value
    from .vocabulary import DIRECTION

    prog = read_program(program_path)
    if as_json:
        click.echo(json.dumps(prog.to_dict(), ensure_ascii=False, indent=2))
        return
    years = prog.target_years()
    for ind in prog.indicators:
        click.echo(f"{ind.number}. {ind.name} ({ind.unit}; {DIRECTION.label(ind.direction)})")
        click.echo(f"   = {ind.formula.text}")
        targets = ", ".join(f"{y}: {shown_value(ind.targets.get(y), ind.precision)}" for y in years)
        click.echo(f"   {targets}")


YEAR_OPTION = click.option("--year", type=cli_ru.IntRange(2000, 2100), metavar="ГОД", required=True, help="Отчётный год.")


def _check_year(prog, year: int) -> None:
    if year not in prog.years:
        raise click.BadParameter(f"{year} вне срока программы {prog.start_year}–{prog.end_year}", param_hint="--year")


@main.command("generate")
@YEAR_OPTION
@PROGRAM_OPTION
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Папка для книг (по умолчанию output/ГОД/templates).")
def generate_cmd(year, program_path, out_dir):
    """Сформировать книгу для каждого участника, который представляет данные за год.

    Пример: kc-workbook generate --year 2025
    """
    from .generate import generate
    from .last_year import previous_values
    from .program import read_program

    prog = read_program(program_path)
    _check_year(prog, year)
    out_dir = out_dir or _year_dir(year) / "templates"
    # last year's accepted values beside the inputs, when last year's record exists
    previous = previous_values(_year_dir(year).parent, year, prog) or None
    written = []
    with click.progressbar(generate(prog, year, out_dir, previous=previous, previous_year=year - 1),
                           length=len(prog.suppliers(year)), label="Формирование книг", file=sys.stderr) as bar:
        for path in bar:
            written.append(path)
    click.echo(f"Сформировано книг: {len(written)} в папке {out_dir}")
    for path in written:
        click.echo(f"  {path.name}")


@main.command("consolidate")
@YEAR_OPTION
@click.argument("inbox", type=click.Path(exists=True, file_okay=False, path_type=Path), metavar="ВХОДЯЩИЕ")
@PROGRAM_OPTION
@click.option("--out", "out_file", metavar="ФАЙЛ", help="Сводная книга (по умолчанию output/ГОД/consolidated_ГОД.xlsx).")
@click.option("--json", "json_file", metavar="ФАЙЛ", help="Запись года в JSON (по умолчанию рядом со сводной книгой: "
                                          "consolidated_ГОД.json); из записей лет строится динамика (kc-workbook history).")
@click.option("--mail-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Журналы рассылки (по умолчанию ГОД/mail рядом с папкой ГОД/inbox, иначе output/ГОД/mail).")
@click.option("--reasons", "reasons_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Заполненная книга «Обоснования отклонений ГОД.xlsx», если она не в папке ВХОДЯЩИЕ "
                   "(используется вместо книги обоснований из папки).")
def consolidate_cmd(year, inbox, program_path, out_file, json_file, mail_dir, reasons_file):
    """Прочитать все книги из папки ВХОДЯЩИЕ (и её подпапок), проверить, рассчитать
    показатели и записать сводную книгу.

    Код выхода: 0 — все книги приняты без ошибок; 1 — сводная книга записана,
    но каких-то книг нет или в них ошибки; 2 — ничего не записано.

    Пример: kc-workbook consolidate --year 2025 входящие/
    """
    from .consolidate import consolidate
    from .journal import default_mail_dir
    from .output import atomic_paths
    from .paths import consolidate_outputs
    from .program import read_program
    from .reasons import file_name, write_reasons_workbook
    from .report import write_json, write_workbook

    out_file, json_file = consolidate_outputs(year, out_file, json_file, inbox)
    prog = read_program(program_path)
    _check_year(prog, year)
    # Records of the years lie as ПАПКА/ГОД/consolidated_ГОД.json: last year's is beside this one's folder.
    with Progress("Чтение книг") as progress:
        result = consolidate(prog, year, inbox, mail_dir or default_mail_dir(year, inbox), progress=progress,
                             records_dir=out_file.parent.parent, reasons=reasons_file)
    with atomic_paths(out_file, json_file) as written:  # replaced together
        write_workbook(result, written[0])
        write_json(result, written[1])
    reasons_out = write_reasons_workbook(result, out_file.parent / file_name(year), given=result.justifications())
    if result.files == 0:  # an unreadable sub-folder counts: it is reported as such
        click.echo(f"Папка {inbox}: в папке нет файлов — проверьте путь.")
    _print_result(result)
    from .cli_hints import wrong_year_hint
    from .vocabulary import MISSING, REJECTED

    taken = sum(1 for p in result.participants if p.status not in (REJECTED, MISSING))
    hint = wrong_year_hint(result.problems, year, accepted=taken)
    if hint:
        click.echo(hint)
    _print_outputs(out_file, json_file, reasons_out)
    sys.exit(result.exit_code)


def _print_outputs(workbook, json_file, reasons) -> None:
    """What a consolidation wrote, in the same words for ``consolidate`` and ``demo``."""
    click.echo(f"Сводная книга: {workbook}")
    click.echo(f"Запись года (JSON): {json_file}")
    click.echo(f"Обоснования отклонений (заполнить и положить к книгам участников): {reasons}")


@main.command("history")
@PROGRAM_OPTION
@click.option("--records", "records_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("output"),
              show_default=True, help="Папка с записями лет: ПАПКА/ГОД/consolidated_ГОД.json.")
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Книга динамики (по умолчанию ПАПКА/dynamics.xlsx).")
@click.option("--json", "json_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Записать динамику и прогноз также в JSON.")
def history_cmd(program_path, records_dir, out_file, json_file):
    """Динамика показателей за 2019–2030 годы по записям сводки каждого года и листу
    «Факт прошлых лет», с прогнозом достижения целей до 2030 года.

    Код выхода: 0 — замечаний-ошибок нет; 1 — книга записана, но какая-то запись года
    не читается; 2 — ничего не записано.

    Пример: kc-workbook history --records output
    """
    from .dynamics import summary_lines, write_dynamics
    from .history import build_history
    from .output import write_text_atomic
    from .program import read_program
    from .problems import has_errors

    prog = read_program(program_path)
    result = build_history(prog, records_dir)
    out_file = out_file or records_dir / "dynamics.xlsx"
    write_dynamics(result, out_file)
    if json_file:
        write_text_atomic(json_file, json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n")
    for line in summary_lines(result):
        click.echo(line)
    click.echo(f"Книга динамики: {out_file}")
    if json_file:
        click.echo(f"JSON: {json_file}")
    sys.exit(1 if has_errors(result.problems) else 0)


def _print_result(result) -> None:
    from .problems import grouped
    from .sentences import alike, execution_text, indicator_line, participants_line, problem_counts, verdict_text
    from .vocabulary import ACCEPTED, ERROR, INDICATOR_STATUS

    click.echo(f"Книги участников: {participants_line(result)}")
    for p in result.participants:
        if p.status != ACCEPTED:
            click.echo(f"  {result.program.participants[p.code].short_name}: {p.status_label}")
    counts = {s: n for s in INDICATOR_STATUS if (n := sum(1 for r in result.indicators if r.status == s))}
    click.echo("Показатели: " + ", ".join(f"{INDICATOR_STATUS.label(s)} — {n}" for s, n in counts.items()))
    directions = {ind.number: ind.direction for ind in result.program.indicators}
    for r in result.indicators:
        click.echo(f"  {r.number:>2}. {indicator_line(r, directions.get(r.number))}")
    click.echo(f"Исполнение расходов: {execution_text(result)}")
    click.echo(f"Эффективность реализации: {verdict_text(result)}")
    errors = [p for p in result.problems if p.severity == ERROR]
    counts = problem_counts(result)  # as «Сводка» counts them: skipped non-workbook files apart
    click.echo(f"Замечания: ошибок {counts['errors']}, предупреждений {counts['warnings']}"
               + (f"; пропущено файлов, не являющихся книгами: {counts['skipped']}" if counts["skipped"] else ""))
    shown = grouped(errors)[:10]  # repeated workbooks of one kind: one line with how many
    for p, n in shown:
        click.echo(f"  {p}{alike(n - 1)}")
    rest = counts["errors"] - sum(n for _, n in shown)
    if rest > 0:
        click.echo(f"  … и ещё {rest}: все на листе «Замечания»")


@main.command("demo")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("output") / "demo",
              show_default=True, help="Папка для книг демонстрации.")
@click.option("--year", type=cli_ru.IntRange(2020, 2030), metavar="ГОД", default=2025, show_default=True,
              help="Отчётный год.")
def demo_cmd(out_dir, year):
    """Весь цикл на встроенной программе с образцом данных: сформировать книги,
    заполнить их образцом (с типичными ошибками), свести и показать результат.

    Пример: kc-workbook demo --out output/demo
    """
    from .demo import run_demo
    from .program import read_program
    from .reasons import file_name

    prog = read_program()
    run = run_demo(prog, out_dir, year)
    click.echo(f"Книги участников: {len(run.templates)} в папке {out_dir / 'templates'}")
    click.echo(f"Заполненные образцом книги (с типичными ошибками): {run.inbox}")
    _print_result(run.result)
    _print_outputs(run.workbook, run.json, run.workbook.parent / file_name(year))  # demo writes it beside the workbook
    # the demo's definition has its sample measures: the next commands take it, to the same result
    click.echo(f"Определение программы с образцом мероприятий: {run.definition}")
    click.echo(f"Проверить книгу: kc-workbook check --program \"{run.definition}\" --year {year} \"ФАЙЛ\"")
    click.echo(f"Свести заново: kc-workbook consolidate --year {year} \"{run.inbox}\" --program \"{run.definition}\"")


def _year_dir(year: int) -> Path:
    return Path("output") / str(year)


# ``check`` lives in ``cli_check``; the mail commands and ``status`` (the round with participants) in ``cli_mail``.
from . import cli_check, cli_mail  # noqa: E402,F401  (register «check», «mail …» and «status» on ``main``)

if __name__ == "__main__":  # pragma: no cover
    # run as a script, this module is ``__main__``; the commands registered by ``cli_mail`` are on
    # the one imported as ``kc_workbook.cli``
    from kc_workbook.cli import main as _main

    _main()
