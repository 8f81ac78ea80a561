"""The definition workbook's layout: sheet names, column headers and key/value fields.

One truth for the loader (``loader``) and the template builder
(``scripts/make_program_template.py``). Columns are found by their header text in the
first row, so the executor may reorder columns or add their own.
"""

from __future__ import annotations

from .vocabulary import SOURCE

TEMPLATE_NAME = "program_template.xlsx"

SHEET_PASSPORT = "Паспорт"
SHEET_PARTICIPANTS = "Участники"
SHEET_TASKS = "Задачи"
SHEET_INPUTS = "Исходные данные"
SHEET_INDICATORS = "Показатели"
SHEET_TARGETS = "Целевые значения"
SHEET_FUNDING = "Финансирование"
SHEET_MEASURES = "Мероприятия"
SHEET_SETTINGS = "Оценка эффективности"
SHEET_PAST_FACTS = "Факт прошлых лет"  # optional: facts before the toolkit, from published reports
SHEET_NOTES = "Примечания"

# Required columns of every required sheet.
COLUMNS: dict[str, dict[str, str]] = {
    SHEET_PASSPORT: {"key": "Ключ", "label": "Поле", "value": "Значение"},
    SHEET_PARTICIPANTS: {
        "code": "Код",
        "short_name": "Краткое наименование",
        "name": "Полное наименование",
        "role": "Роль",
        "email": "E-mail",
        "contact": "Контактное лицо",
        "phone": "Телефон",
    },
    SHEET_TASKS: {"number": "№", "name": "Наименование задачи"},
    SHEET_INPUTS: {
        "code": "Код",
        "name": "Наименование",
        "symbol": "Обозначение в методике",
        "unit": "Единица измерения",
        "kind": "Тип значения",
        "lower_bound": "Нижняя граница",
        "suppliers": "Представляют (коды участников через «;»)",
        "combine": "Сведение значений нескольких участников",
        "upper": "Не больше чем (контрольное соотношение)",
    },
    SHEET_INDICATORS: {
        "number": "№",
        "task": "Задача",
        "name": "Наименование показателя",
        "unit": "Единица измерения",
        "direction": "Направление",
        "formula": "Формула (коды исходных данных)",
        "precision": "Знаков после запятой",
        "source": "Источник информации",
    },
    SHEET_TARGETS: {"number": "№"},
    SHEET_FUNDING: {
        "year": "Год",
        "municipal": SOURCE.label("municipal"),
        "regional": SOURCE.label("regional"),
        "offbudget": SOURCE.label("offbudget"),
        "total": "Всего",
    },
    SHEET_MEASURES: {
        "code": "Код мероприятия",
        "task": "Задача",
        "name": "Наименование мероприятия",
        "responsible": "Ответственный (код участника)",
        "year": "Год",
        "municipal": "План: " + SOURCE.label("municipal").lower(),
        "regional": "План: " + SOURCE.label("regional").lower(),
        "offbudget": "План: " + SOURCE.label("offbudget").lower(),
    },
    SHEET_SETTINGS: {"key": "Ключ", "label": "Параметр", "value": "Значение"},
}

# Sheets a definition may lack (then: no past facts), with their required columns.
OPTIONAL_SHEETS: dict[str, dict[str, str]] = {SHEET_PAST_FACTS: {"number": "№"}}

# Columns a definition made by an earlier version may lack: their defaults apply.
OPTIONAL_COLUMNS: dict[str, dict[str, str]] = {
    SHEET_INPUTS: {
        "required": "Обязательное (да/нет)",
        "near": "Сверка: близко к (выражение)",
        "near_tolerance": "Сверка: допустимое расхождение, %",
    },
    SHEET_INDICATORS: {"weight": "Вес в оценке"},
    SHEET_MEASURES: {"term": "Срок выполнения (план)", "result": "Ожидаемый результат"},
}

PASSPORT_FIELDS = {
    "program_id": "Идентификатор программы",
    "name": "Наименование программы",
    "executor": "Исполнитель (код участника)",
    "start_year": "Год начала реализации",
    "end_year": "Год окончания реализации",
    "stages": "Этапы реализации",
    "goal": "Цель программы",
    "amendment": "Действующая редакция (реквизиты постановления)",
    "deadline": "Срок представления сведений участниками",
}
REQUIRED_PASSPORT = ("program_id", "name", "executor", "start_year", "end_year")

SETTINGS_FIELDS = {
    "method": "Методика оценки",
    "threshold_high": "Порог «высокая» (ЭР не менее)",
    "threshold_medium": "Порог «средняя» (ЭР не менее)",
    "threshold_satisfactory": "Порог «удовлетворительная» (ЭР не менее)",
    "cap": "Ограничение степени достижения СДi сверху",
    "zero_rule": "Правило для показателей «отсутствие случаев»",
    "srm_scope": "Мероприятия, учитываемые в СРм",
    "ssuz_plan": "План расходов для ССуз",
    "missing_fact": "Показатель без фактического значения",
    "exceed_margin": "Перевыполнение: уровень достижения выше 100 % более чем на, %",
    "jump_factor": "Резкое изменение значения участника к прошлому году, раз",
}
# Settings added after the first version: a definition without them gets the defaults.
OPTIONAL_SETTINGS = ("srm_scope", "ssuz_plan", "missing_fact", "exceed_margin", "jump_factor")

# The past-facts sheet: «№», «Показатель», then one column per year.
PAST_FACTS_YEARS = range(2019, 2025)
