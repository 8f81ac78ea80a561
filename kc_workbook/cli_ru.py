"""Click's own messages (usage, missing option, bad value…) in Russian.

Click marks its messages for gettext but ships no Russian catalogue; the executor's staff
must not meet "Missing option '--year'". Unknown messages stay as click wrote them.

Three things gettext cannot reach are done apart: the words of a usage line and of the help's
left column (``[OPTIONS]``, ``FILES...``, ``FILE``: attributes set when the commands are built,
see ``russify``), and the range of an integer option (``IntRange`` says «от 2000 до 2100»).
Written against click 8.1–8.5 (``_`` and ``ngettext`` module attributes, ``options_metavar``).
"""

from __future__ import annotations

import contextlib
import sys

import click

class _Worded(str):
    """A translation whose words depend on what click fills in: a file is «не найден», a folder «не найдена»."""

    def __new__(cls, render):
        self = super().__new__(cls, render.__doc__ or "")
        self._render = render
        return self

    def format(self, *args, **kwargs):  # click calls ``_(text).format(name=…, filename=…)``
        return self._render(**kwargs)


# Path's kind as click names it (``Path.name``, set in English when the command is built).
_KINDS = {"file": ("Файл", "не найден"), "directory": ("Папка", "не найдена"), "path": ("Путь", "не найден")}


def _kind(name) -> tuple[str, str]:
    return _KINDS.get(str(name).lower(), _KINDS["path"])


def _not_found(name, filename):
    noun, missing = _kind(name)
    return f"{noun} «{filename}» {missing}"


def _invalid_value(param_hint, message):
    """An option is named («--year: …»); an argument's placeholder («ФАЙЛ...») adds nothing to the message."""
    hint = str(param_hint).strip("'\"")
    return f"{hint}: {message}" if hint.startswith("-") else str(message)


def _not_a_number(value, number_type):
    whole = str(number_type).startswith("integer")
    return f"«{value}» — не {'целое ' if whole else ''}число"


MESSAGES = {
    "Usage:": "Использование:",
    "Options": "Параметры",
    "Commands": "Команды",
    "Show this message and exit.": "Показать эту справку и выйти.",
    "Show the version and exit.": "Показать версию и выйти.",
    "Error: {message}": "Ошибка: {message}",
    "Try '{command} {option}' for help.": "Справка: «{command} {option}».",
    "Missing option": "Не указан параметр",
    "Missing argument": "Не указан аргумент",
    "Missing parameter": "Не указан параметр",
    "Missing parameter: {param_name}": "Не указан параметр: {param_name}",
    "Missing command.": "Не указана команда.",
    "No such command {name!r}.": "Нет такой команды {name!r}.",
    "No such option {name!r}.": "Нет такого параметра {name!r}.",
    "Option {name!r} does not take a value.": "Параметр {name!r} не принимает значения.",
    "Invalid value for {param_hint}: {message}": _Worded(_invalid_value),
    "Invalid value: {message}": "Неверное значение: {message}",
    "{value!r} is not a valid {number_type}.": _Worded(_not_a_number),
    "{value} is not in the range {range}.": "{value} — вне допустимых значений {range}.",
    "{name} {filename!r} does not exist.": _Worded(_not_found),
    "{name} {filename!r} is a directory.": _Worded(lambda name, filename: f"«{filename}» — это папка, а нужен файл"),
    "{name} {filename!r} is a file.": _Worded(lambda name, filename: f"«{filename}» — это файл, а нужна папка"),
    "{name} {filename!r} is not readable.": _Worded(lambda name, filename: f"нет права на чтение «{filename}»"),
    "{name} {filename!r} is not writable.": _Worded(lambda name, filename: f"нет права на запись в «{filename}»"),
    "{name} {filename!r} is not executable.": _Worded(lambda name, filename: f"«{filename}» нельзя запустить"),
    "{value!r} is not a valid boolean. Recognized values: {states}": "«{value}» — не «да» или «нет»: {states}",
    "required": "обязательный",
    "env var: {var}": "переменная окружения: {var}",
    "Positional arguments": "Аргументы",
    "Aborted!": "Прервано.",
    "default: {default}": "по умолчанию: {default}",
    "Choose from:\n\t{choices}": "Выберите из:\n\t{choices}",
}
PLURALS = {
    "Got unexpected extra argument ({args})": "Лишний аргумент ({args})",
    "Got unexpected extra arguments ({args})": "Лишние аргументы ({args})",
    "Option {name!r} requires an argument.": "Параметру {name!r} нужно значение.",
    "Option {name!r} requires {nargs} arguments.": "Параметру {name!r} нужно значений: {nargs}.",
    "Did you mean {possibility}?": "Возможно, имелось в виду {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Возможно, имелось в виду одно из: {possibilities}?)",
    "{value!r} is not {choice}.": "«{value}» — не {choice}.",
    "{value!r} is not one of {choices}.": "«{value}» — не одно из: {choices}.",
    "(Possible options: {possibilities})": "(Возможные параметры: {possibilities})",
}


def _gettext(message: str) -> str:
    return MESSAGES.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    chosen = singular if n == 1 else plural
    return PLURALS.get(chosen, chosen)


@contextlib.contextmanager
def russian():
    """Within the block, click's modules that are loaded speak Russian; afterwards, as before."""
    saved = []
    for name, module in list(sys.modules.items()):
        if name == "click" or name.startswith("click."):
            for attr, ours in (("_", _gettext), ("ngettext", _ngettext)):
                theirs = getattr(module, attr, None)
                if callable(theirs):
                    saved.append((module, attr, theirs))
                    setattr(module, attr, ours)
    try:
        yield
    finally:
        for module, attr, theirs in reversed(saved):
            setattr(module, attr, theirs)


class IntRange(click.IntRange):
    """An integer between two bounds, said in Russian: «ожидается целое число от 2000 до 2100»."""

    def _describe_range(self) -> str:
        if self.min is None or self.max is None or self.min_open or self.max_open:
            return super()._describe_range()
        return f"{self.min}–{self.max}"

    def convert(self, value, param, ctx):
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            if self.min is None or self.max is None:
                raise
            self.fail(f"ожидается целое число от {self.min} до {self.max}, а указано «{value}»", param, ctx)


OPTIONS_METAVAR = "[ПАРАМЕТРЫ]"
SUBCOMMAND_METAVARS = {"COMMAND [ARGS]...": "КОМАНДА [АРГУМЕНТЫ]...",
                       "[COMMAND] [ARGS]...": "[КОМАНДА] [АРГУМЕНТЫ]..."}


def _placeholder(param) -> str | None:
    """«ФАЙЛ», «ПАПКА», «ТЕКСТ»… for a parameter that names none itself; None for a flag or a choice."""
    kind = param.type
    if isinstance(kind, click.Path):
        return "ФАЙЛ" if not kind.dir_okay else "ПАПКА" if not kind.file_okay else "ПУТЬ"
    if isinstance(kind, (click.types.IntParamType, click.types.FloatParamType)):
        return "ЧИСЛО"
    if isinstance(kind, click.types.StringParamType):
        return "ТЕКСТ"
    return None


def russify(command) -> None:
    """The words of usage lines and of the help's left column in Russian, for a command and all below it.

    Explicit ``metavar=`` are kept; an argument's placeholder gets click's brackets and dots itself,
    since click adds none to an explicit one.
    """
    if command.options_metavar == "[OPTIONS]":
        command.options_metavar = OPTIONS_METAVAR
    if isinstance(command, click.Group):
        command.subcommand_metavar = SUBCOMMAND_METAVARS.get(command.subcommand_metavar, command.subcommand_metavar)
        for sub in command.commands.values():
            russify(sub)
    for param in command.params:
        if param.metavar is not None or getattr(param, "is_flag", False) or getattr(param, "count", False):
            continue
        word = _placeholder(param)
        if word is None:
            continue
        if isinstance(param, click.Argument):
            word = word if param.required else f"[{word}]"
            word += "..." if param.nargs != 1 else ""
        param.metavar = word
