"""The participant workbook's layout: what ``generate`` writes and ``read`` looks for.

The reader finds everything by text, never by position: the identity sheet by its name,
the data by the header cells «Код» and «Значение…» and the input codes under them, so
that inserted rows, re-sorting and inserted columns do not break reading.
"""

from __future__ import annotations

import re

from .vocabulary import SOURCE_SHORT

FORMAT = "kc_workbook/participant-workbook/1"

SHEET_TITLE = "Титул"
SHEET_DATA = "Данные"
SHEET_IDENTITY = "_kc"

HEAD_NUMBER = "№"
HEAD_NAME = "Наименование"
HEAD_UNIT = "Ед. изм."
HEAD_VALUE_PREFIX = "Значение"
HEAD_COMMENT = "Комментарий"
HEAD_CHECK = "Проверка"
HEAD_CODE = "Код"

SHEET_MEASURES = "Мероприятия"
HEAD_MEASURE_CODE = "Код мероприятия"
HEAD_MEASURE_NAME = "Наименование мероприятия"
HEAD_STATUS = "Статус"
HEAD_REASON = "Причина (если выполнено не полностью)"
HEAD_TERM_FACT = "Срок выполнения (факт)"
HEAD_RESULT_FACT = "Достигнутый результат"


def plan_header(source: str) -> str:
    return f"План: {SOURCE_SHORT.label(source)}, тыс. руб."


def fact_header(source: str) -> str:
    return f"Факт: {SOURCE_SHORT.label(source)}, тыс. руб."


# Identity keys in the hidden sheet (column A: key, column B: value).
ID_FORMAT = "format"
ID_PROGRAM = "program_id"
ID_FINGERPRINT = "program_fingerprint"
ID_AMENDMENT = "program_amendment"
ID_PARTICIPANT = "participant"
ID_YEAR = "year"
ID_VERSION = "template_version"
ID_INPUT_PREFIX = "input:"  # one row per input: input:CODE → Program.input_signature(CODE)

# Labels of the contact cells on the title sheet; the value is in the next column.
CONTACTS = {"fio": "Заполнил (ФИО)", "position": "Должность", "phone": "Телефон", "email": "E-mail"}

CHECK_OK = "ОК"
CHECK_EMPTY = "Не заполнено"
CHECK_ERROR_PREFIX = "Ошибка"

# The participant's own indicators, below the inputs on the data sheet (see justification.py).
# None of these headers starts with HEAD_VALUE_PREFIX: the reader takes that column for values.
HEAD_INDICATOR_NUMBER = "№"  # the row with it and HEAD_JUSTIFICATION is the table's header
HEAD_INDICATOR = "Показатель, ед. изм."
HEAD_OWN_FACT = "Факт по вашим данным"
HEAD_JUSTIFICATION = "Обоснование отклонения"
HEAD_REQUIREMENT = "Требование"
CHECK_NO_TARGET = "Цель на год не установлена"
CHECK_NO_FACT = "Факт не рассчитан"
CHECK_REASON_MISSING = f"{CHECK_ERROR_PREFIX}: укажите обоснование"
CHECK_REASON_GIVEN = "Не достигнут, обоснование указано"


def value_header(year: int) -> str:
    return f"{HEAD_VALUE_PREFIX} за {year} год"


def previous_header(year: int) -> str:
    """The locked column of last year's accepted values; must not start with HEAD_VALUE_PREFIX."""
    return f"Принято за {year} год"


def target_header(year: int) -> str:
    return f"План на {year} год"


_UNSAFE = re.compile(r'[<>:"/\\|?*«»\x00-\x1f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def safe_file_name(text: str, limit: int = 120) -> str:
    """A file name that Windows accepts and a Russian reader recognises."""
    name = _UNSAFE.sub("", text)
    name = re.sub(r"\s+", " ", name).strip(" .")
    if name.split(".")[0].upper() in _RESERVED:
        name = "_" + name
    return name[:limit].rstrip(" .") or "книга"
