"""The mail commands and ``status``: sending the workbooks out, collecting the answers,
returning them with remarks, reminding, and where each participant stands.

Registered on ``cli.main`` when ``cli`` is imported. Library modules are imported inside
the commands, as in ``cli``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .cli import PROGRAM_OPTION, YEAR_OPTION, _check_year, _Group, _year_dir, main

# The inbox and the mail folder, the same for status, return and remind.
INBOX_OPTION = click.option("--inbox", type=click.Path(file_okay=False, path_type=Path),
                            help="Папка с присланными книгами (по умолчанию output/ГОД/inbox).")
MAIL_DIR_OPTION = click.option("--mail-dir", type=click.Path(file_okay=False, path_type=Path),
                               help="Папка писем и журналов рассылки (по умолчанию ГОД/mail рядом с папкой "
                                    "ГОД/inbox, иначе output/ГОД/mail).")

@main.group(cls=_Group)
def mail():
    """Рассылка книг участникам и сбор ответов по электронной почте."""


@mail.command("prepare")
@YEAR_OPTION
@PROGRAM_OPTION
@click.option("--templates", "templates_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Папка со сформированными книгами (по умолчанию output/ГОД/templates).")
@click.option("--mail-dir", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Папка для писем и журналов рассылки (по умолчанию output/ГОД/mail).")
@click.option("--letter", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Шаблон письма: первая строка «Тема: …», затем текст; поля {program}, {year}, {deadline}, "
                   "{participant}, {participant_short}, {executor}, {contact}.")
def mail_prepare(year, program_path, templates_dir, out_dir, letter):
    """Подготовить письмо (.eml) каждому участнику с его книгой во вложении.

    Письма открываются в Outlook, Thunderbird и веб-почте; адреса берутся из листа
    «Участники» определения программы.

    Пример: kc-workbook mail prepare --year 2025
    """
    from .mail import prepare
    from .program import read_program

    prog = read_program(program_path)
    _check_year(prog, year)
    from .journal import default_mail_dir

    templates_dir = templates_dir or _year_dir(year) / "templates"
    out_dir = out_dir or default_mail_dir(year)
    done = prepare(prog, year, templates_dir, out_dir, letter)
    click.echo(f"Подготовлено писем: {len(done.written)} в папке {out_dir}")
    for code, path in done.written:
        click.echo(f"  {prog.participants[code].short_name} <{prog.participants[code].email}>: {path.name}")
    if done.no_email:
        click.echo("Нет адреса e-mail на листе «Участники» (письмо не подготовлено):")
        for code in done.no_email:
            click.echo(f"  {prog.participants[code].short_name} ({code})")
    if done.bad_email:
        click.echo("Адрес e-mail на листе «Участники» — не один правильный адрес (письмо не подготовлено):")
        for code in done.bad_email:
            click.echo(f"  {prog.participants[code].short_name} ({code}): «{prog.participants[code].email}»")
    if done.no_workbook:
        click.echo(f"Нет книги в папке {templates_dir} (выполните «kc-workbook generate --year {year}»):")
        for code in done.no_workbook:
            click.echo(f"  {prog.participants[code].short_name} ({code})")
    sys.exit(0 if not done.no_email and not done.no_workbook and not done.bad_email else 1)


@mail.command("send")
@YEAR_OPTION
@click.option("--smtp", required=True, help="Почтовый сервер: АДРЕС:ПОРТ, например smtp.example.ru:587.")
@click.option("--user", help="Имя пользователя почтового сервера. Пароль берётся из переменной окружения "
                             "KC_SMTP_PASSWORD или запрашивается.")
@click.option("--starttls", "security", flag_value="starttls", help="Шифрование STARTTLS (обычно порт 587).")
@click.option("--ssl", "security", flag_value="ssl", help="Шифрование SSL/TLS (обычно порт 465).")
@click.option("--mail-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Папка с подготовленными письмами (по умолчанию output/ГОД/mail).")
@click.option("--resend-uncertain", is_flag=True,
              help="Отправить ещё раз письма, о которых неизвестно, дошли ли они (отправка была прервана).")
def mail_send(year, smtp, user, security, mail_dir, resend_uncertain):
    """Отправить подготовленные письма. Уже отправленные повторно не отправляются;
    письма, отправка которых была прервана, показываются как «неизвестно, дошло ли» и
    отправляются снова только с --resend-uncertain.

    Пример: kc-workbook mail send --year 2025 --smtp smtp.example.ru:587 --user otdel --starttls
    """
    from .journal import default_mail_dir
    from .sending import send_letters

    server = smtp_of(smtp, user, security)  # the same server, password and checks as return and remind
    done = send_letters(mail_dir or default_mail_dir(year), server, resend_uncertain=resend_uncertain)
    _print_sent(done, remake="; подготовьте письмо заново («kc-workbook mail prepare»)")
    sys.exit(0 if done.complete else 1)


def _print_sent(done, remake: str = "") -> None:
    """What a sending did, the same for the first letters and those of the round: what went,
    what did not and why, and what may or may not have arrived (sent again only when asked)."""
    click.echo(f"Отправлено: {len(done.sent)}; уже были отправлены: {len(done.skipped)}; не отправлено: "
               f"{len(done.failed) + len(done.invalid)}; неизвестно, дошло ли: {len(done.uncertain)}")
    for key, why in done.failed:
        click.echo(f"  {key}: {why}")
    for name, why in done.invalid:
        click.echo(f"  {name}: не отправлено — {why}{remake}")
    if done.uncertain:
        click.echo("Неизвестно, дошло ли (отправка была прервана): проверьте папку «Отправленные» почтового ящика "
                   "или спросите получателя; отправить ещё раз — тем же запуском с параметром --resend-uncertain:")
        for key, name, since in done.uncertain:
            click.echo(f"  {key}: {name}" + (f" (отправка начата {since})" if since else ""))


@main.command("status")
@YEAR_OPTION
@PROGRAM_OPTION
@INBOX_OPTION
@MAIL_DIR_OPTION
def status_cmd(year, program_path, inbox, mail_dir):
    """Кому отправлено, кто ответил, кому книга возвращена на доработку, чьи книги приняты.

    Состояния: не отправлено → отправлено → получено → на доработке → получено повторно → принято.

    Пример: kc-workbook status --year 2025
    """
    from .consolidate import consolidate
    from .notation import when
    from .sentences import shortened
    from .journal import default_mail_dir, mail_status
    from .program import read_program
    from .rounds import participant_round
    from .vocabulary import MISSING, VERDICT

    prog = read_program(program_path)
    fix = "проверьте путь" if inbox else "укажите --inbox"  # the default was looked at, or the folder given
    inbox = inbox or _year_dir(year) / "inbox"
    mail_dir = mail_dir or default_mail_dir(year, inbox)
    journal = mail_status(mail_dir)
    statuses, rounds = {}, {}
    if inbox.is_dir():
        result = consolidate(prog, year, inbox, mail_dir)
        statuses = {p.code: p.status for p in result.participants}
        rounds = result.rounds
        click.echo(f"Присланные книги: {inbox}")
    else:  # every book then reads «не представлен»: say why
        click.echo(f"Присланные книги: {inbox} (папка не найдена — {fix})")
    click.echo(f"{'Участник':<40} {'Состояние':<18} {'Круг':<5} {'Отправлено':<17} {'Ответ':<17} "
               f"{'Возвращено':<17} Книга")
    for code in prog.suppliers(year):
        state = rounds.get(code) or participant_round(journal.get(code))
        book = VERDICT.label(statuses.get(code, MISSING))
        click.echo(f"{shortened(prog.participants[code].short_name, 39):<40} {state.label:<18} {state.number:<5} "
                   f"{when(state.sent_at, '—'):<17} {when(state.answered_at, '—'):<17} "
                   f"{when(state.returned_at, '—'):<17} {book}")


def smtp_options(command):
    for option in reversed([
        click.option("--smtp", help="Почтовый сервер: АДРЕС:ПОРТ, например smtp.example.ru:587 "
                                    "(не нужен с --dry-run)."),
        click.option("--user", help="Имя пользователя почтового сервера. Пароль берётся из переменной окружения "
                                    "KC_SMTP_PASSWORD или запрашивается."),
        click.option("--starttls", "security", flag_value="starttls", help="Шифрование STARTTLS (обычно порт 587)."),
        click.option("--ssl", "security", flag_value="ssl", help="Шифрование SSL/TLS (обычно порт 465)."),
        click.option("--dry-run", is_flag=True, help="Только подготовить письма (.eml), не отправлять."),
        click.option("--resend-uncertain", is_flag=True,
                     help="Отправить ещё раз письма, о которых неизвестно, дошли ли они (отправка была прервана)."),
    ]):
        command = option(command)
    return command


def smtp_of(smtp: str | None, user: str | None, security: str | None):
    import os

    from .sending import Smtp

    if not smtp:
        raise click.UsageError("укажите почтовый сервер (--smtp АДРЕС:ПОРТ) или --dry-run, чтобы только подготовить "
                               "письма")
    host, _, port = smtp.rpartition(":")
    if not host or not port.isdigit():
        raise click.BadParameter("укажите сервер как АДРЕС:ПОРТ", param_hint="--smtp")
    password = None
    if user:
        password = os.environ.get("KC_SMTP_PASSWORD") or click.prompt("Пароль почтового сервера", hide_input=True,
                                                                       err=True)
    return Smtp(host, int(port), user, password, security or "none")


def _send_and_report(mail_dir: Path, letters, smtp, resend_uncertain: bool = False) -> int:
    from .sending import send_letters

    if not letters.written:
        click.echo("Отправлять нечего.")
        return 0
    done = send_letters(mail_dir, smtp, letters=[path for _, path in letters.written],
                        resend_uncertain=resend_uncertain)
    _print_sent(done)
    return 0 if done.complete else 1


def _list(prog, title: str, codes) -> None:
    if codes:
        click.echo(title)
        for code in codes:
            click.echo(f"  {prog.participants[code].short_name} ({code})")


@mail.command("return")
@YEAR_OPTION
@PROGRAM_OPTION
@INBOX_OPTION
@MAIL_DIR_OPTION
@click.option("--warnings", is_flag=True, help="Возвращать и книги только с предупреждениями.")
@smtp_options
def mail_return(year, program_path, inbox, mail_dir, warnings, smtp, user, security, dry_run, resend_uncertain):
    """Вернуть на доработку книги с ошибками: письмо со списком замечаний и книга с
    присланными значениями, где ячейки с замечаниями выделены и снабжены примечаниями.

    Книга, уже возвращённая участнику, второй раз не возвращается; письмо уходит не более
    одного раза (тот же журнал, что у «mail send»).

    Пример: kc-workbook mail return --year 2025 --smtp smtp.example.ru:587 --user otdel --starttls
    """
    from .consolidate import consolidate
    from .round_letters import prepare_returns

    prog, inbox, mail_dir, server = _round_setup(program_path, year, inbox, mail_dir, dry_run, smtp, user, security)
    if not inbox.is_dir():
        raise click.BadParameter(f"папки {inbox} нет: сначала соберите ответы («kc-workbook mail collect»)",
                                 param_hint="--inbox")
    letters = prepare_returns(consolidate(prog, year, inbox, mail_dir), mail_dir, warnings=warnings)
    click.echo(f"Подготовлено писем о доработке: {len(letters.written)} в папке {mail_dir / 'returns'}")
    for code, path in letters.written:
        click.echo(f"  {prog.participants[code].short_name} <{prog.participants[code].email}>: {path.name}")
    _list(prog, "Эта книга уже была возвращена (ждём исправленную):", letters.done_before)
    _list(prog, "Нет правильного адреса e-mail на листе «Участники» (письмо не подготовлено):", letters.no_email)
    code = 0 if dry_run else _send_and_report(mail_dir, letters, server, resend_uncertain)
    sys.exit(1 if letters.no_email else code)


def _round_setup(program_path, year, inbox, mail_dir, dry_run, smtp, user, security):
    """The definition, the inbox, the mail folder and (unless only preparing) the mail server."""
    from .journal import default_mail_dir
    from .program import read_program

    prog = read_program(program_path)
    _check_year(prog, year)
    inbox = inbox or _year_dir(year) / "inbox"
    return prog, inbox, mail_dir or default_mail_dir(year, inbox), None if dry_run else smtp_of(smtp, user, security)


@mail.command("remind")
@YEAR_OPTION
@PROGRAM_OPTION
@INBOX_OPTION
@MAIL_DIR_OPTION
@click.option("--template", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Шаблон напоминания: первая строка «Тема: …», затем текст; поля {program}, {year}, {deadline}, "
                   "{participant}, {participant_short}, {executor}, {contact}, {sent}, {returned}, {what}, {since}.")
@smtp_options
def mail_remind(year, program_path, inbox, mail_dir, template, smtp, user, security, dry_run, resend_uncertain):
    """Напомнить тем, кому отправлена книга и кто не ответил (или не прислал исправленную).

    Одному участнику — не больше одного напоминания в день. Срок берётся из определения программы.

    Пример: kc-workbook mail remind --year 2025 --smtp smtp.example.ru:587 --user otdel --starttls
    """
    from .consolidate import consolidate
    from .journal import mail_status
    from .round_letters import prepare_reminders
    from .rounds import participant_round

    prog, inbox, mail_dir, server = _round_setup(program_path, year, inbox, mail_dir, dry_run, smtp, user, security)
    if inbox.is_dir():
        rounds = consolidate(prog, year, inbox, mail_dir).rounds
    else:
        journal = mail_status(mail_dir)
        rounds = {code: participant_round(journal.get(code)) for code in prog.suppliers(year)}
    letters = prepare_reminders(prog, year, rounds, mail_dir, template)
    click.echo(f"Подготовлено напоминаний: {len(letters.written)} в папке {mail_dir / 'reminders'}")
    for code, path in letters.written:
        click.echo(f"  {prog.participants[code].short_name} <{prog.participants[code].email}>: "
                   f"{rounds[code].label}")
    _list(prog, "Уже напоминали сегодня:", letters.done_before)
    _list(prog, "Нет правильного адреса e-mail на листе «Участники» (напоминание не подготовлено):",
          letters.no_email)
    code = 0 if dry_run else _send_and_report(mail_dir, letters, server, resend_uncertain)
    sys.exit(1 if letters.no_email else code)


@mail.command("collect")
@click.argument("sources", nargs=-1, type=click.Path(exists=True, path_type=Path), metavar="[ПИСЬМА]...")
@YEAR_OPTION
@click.option("--inbox", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Папка, куда складывать книги из писем.")
@click.option("--mail-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Папка журналов рассылки (по умолчанию ГОД/mail рядом с папкой ГОД/inbox, иначе output/ГОД/mail).")
@click.option("--imap", "imap_server", metavar="АДРЕС[:ПОРТ]",
              help="Читать письма прямо из почтового ящика (IMAP, TLS; порт по умолчанию 993). Пароль берётся "
                   "из переменной окружения KC_IMAP_PASSWORD или запрашивается.")
@click.option("--user", help="Имя пользователя почтового ящика (с --imap).")
@click.option("--starttls", is_flag=True, help="С --imap: шифрование STARTTLS (порт по умолчанию 143).")
@click.option("--folder", default="INBOX", show_default=True, help="Папка почтового ящика (с --imap).")
@click.option("--mark-read", is_flag=True, help="С --imap: отметить взятые письма прочитанными "
                                                 "(письма никогда не удаляются и не перемещаются).")
@PROGRAM_OPTION
def mail_collect(sources, year, inbox, mail_dir, imap_server, user, starttls, folder, mark_read, program_path):
    """Извлечь книги из сохранённых писем (.eml, .mbox) и архивов .zip в папку --inbox —
    или прямо из почтового ящика (--imap).

    Ничего не перезаписывается: второй ответ участника сохраняется рядом с первым;
    книга, которая уже есть в папке (то же содержимое), второй раз не сохраняется;
    письмо из почтового ящика, взятое однажды, второй раз не читается.

    Примеры: kc-workbook mail collect письма/ --year 2025 --inbox output/2025/inbox
             kc-workbook mail collect --imap imap.example.ru --user otdel --year 2025 --inbox output/2025/inbox
    """
    from .notation import when as format_when
    import os

    from .journal import RECEIVED_JOURNAL, default_mail_dir
    from .mail import collect, taken_messages
    from .program import read_program
    from .read import read_submission

    if not sources and not imap_server:
        raise click.UsageError("укажите сохранённые письма (файлы или папки) или почтовый ящик (--imap)")
    prog = read_program(program_path)
    mail_dir = mail_dir or default_mail_dir(year, inbox)
    messages, conn, server = [], None, None
    if imap_server:
        from . import imap

        if not user:
            raise click.UsageError("укажите имя пользователя почтового ящика (--user)")
        try:
            host, port = imap.parse_server(imap_server, starttls)
        except ValueError:
            raise click.BadParameter("укажите сервер как АДРЕС или АДРЕС:ПОРТ", param_hint="--imap") from None
        password = os.environ.get("KC_IMAP_PASSWORD") or click.prompt("Пароль почтового ящика", hide_input=True,
                                                                       err=True)
        server = imap.Imap(host, port, user, password, starttls, folder)
        messages, conn = imap.fetch_new(server, taken_messages(mail_dir / RECEIVED_JOURNAL))
    try:
        done = collect(list(sources), inbox, mail_dir / RECEIVED_JOURNAL,
                       identify=lambda path: read_submission(path, prog, year).participant,
                       messages=[m[:3] for m in messages])
        if conn is not None and mark_read:
            imap.mark_read(conn, server, [m[3] for m in messages])
    finally:
        if conn is not None:
            imap.close(conn)
    if imap_server:
        click.echo(f"Новых писем в папке «{folder}»: {len(messages)}")
    click.echo(f"Сохранено книг: {len(done.saved)} в папке {inbox}")
    for att, path in done.saved:
        code = done.participants.get(path)
        who = prog.participants[code].short_name if code in prog.participants else "участник не определён"
        when = {"archive": "дата из архива", "collected": "дата — время сбора"}.get(att.date_kind)
        when = f"; {when} {format_when(att.date)}" if when and att.date else ""
        click.echo(f"  {who}: {path.name} (из {att.source}{', от ' + att.sender if att.sender else ''}{when})")
    for att, name in done.duplicates:
        click.echo(f"  уже есть в папке: {att.source}: {att.name} — то же, что {name}")
    for where in done.without_workbook:
        click.echo(f"  в письме нет книги: {where}")
    for what, why in done.skipped:
        click.echo(f"  пропущено {what}: {why}")
