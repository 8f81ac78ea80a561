"""Click's own messages (usage, missing option, bad value…) in Russian.

Click marks its messages for gettext but ships no Russian catalogue; the executor's staff
must not meet "Missing option '--year'". Unknown messages stay as click wrote them.
"""

from __future__ import annotations

import contextlib
import sys

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
    "Invalid value for {param_hint}: {message}": "Неверное значение {param_hint}: {message}",
    "Invalid value: {message}": "Неверное значение: {message}",
    "{value!r} is not a valid {number_type}.": "{value!r} — не число нужного вида ({number_type}).",
    "{value} is not in the range {range}.": "{value} вне допустимого диапазона {range}.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} не существует.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} — это папка, а нужен файл.",
    "{name} {filename!r} is a file.": "{name} {filename!r} — это файл, а нужна папка.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} недоступен для чтения.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} недоступен для записи.",
    "file": "Файл",
    "directory": "Папка",
    "path": "Путь",
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
