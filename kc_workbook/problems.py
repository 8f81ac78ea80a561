"""One problem model for everything a person may need to fix.

Each kind of problem has a stable code (what tests and other programs rely on), a
severity, and a Russian hint saying what to do. Checks return lists of ``Problem``; only
"cannot proceed" raises (see ``errors``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

ERROR = "error"
WARNING = "warning"
NOTE = "note"  # said, not counted: nothing for anyone to fix

# code: (severity, what to do — shown to the executor next to the message)
CATALOGUE: dict[str, tuple[str, str]] = {
    # --- the program definition workbook -------------------------------------------
    "program-unreadable": (ERROR, "Проверьте, что файл существует и является книгой Excel (.xlsx)."),
    "sheet-missing": (ERROR, "Верните лист с этим именем (его можно скопировать из шаблона программы)."),
    "column-missing": (ERROR, "Верните столбец с этим заголовком в первую строку листа."),
    "field-missing": (ERROR, "Заполните поле."),
    "value-invalid": (ERROR, "Исправьте значение в ячейке."),
    "code-duplicate": (ERROR, "Коды должны быть уникальными: переименуйте один из них."),
    "participant-unknown": (ERROR, "Укажите код участника с листа «Участники»."),
    "task-unknown": (ERROR, "Укажите номер задачи с листа «Задачи»."),
    "input-no-supplier": (ERROR, "Укажите хотя бы одного участника, который представляет значение."),
    "formula-syntax": (ERROR, "Исправьте формулу: допустимы коды исходных данных, числа, + - * / и скобки."),
    "formula-unknown-input": (ERROR, "Используйте в формуле только коды с листа «Исходные данные»."),
    "indicator-unknown": (ERROR, "Укажите номер показателя с листа «Показатели»."),
    "target-missing": (ERROR, "Укажите целевое значение числом или «-», если его нет."),
    "target-not-number": (ERROR, "Целевое значение должно быть числом или «-»."),
    "funding-not-number": (ERROR, "Сумма финансирования должна быть числом (тыс. руб.)."),
    "funding-sum-mismatch": (ERROR, "Сумма по источникам должна равняться итогу года: исправьте источник или итог."),
    "setting-invalid": (ERROR, "Исправьте значение настройки оценки эффективности."),
    "measures-plan-mismatch": (WARNING, "Сверьте плановые суммы мероприятий с финансированием программы на этот год."),
    # --- returned participant workbooks -------------------------------------------
    "file-not-regular": (NOTE, "Это не файл, а именованный канал, сокет или устройство; он пропущен, ничего делать не нужно."),
    "file-temporary": (NOTE, "Служебный или временный файл kc-workbook; он пропущен, ничего делать не нужно "
                             "(временные файлы прерванного запуска удаляет следующий «mail collect»)."),
    "folder-unreadable": (ERROR, "Откройте доступ к папке (или переместите книги из неё повыше) и повторите сводку."),
    "lock-file-skipped": (WARNING, "Это служебный файл открытой книги Excel; он пропущен, ничего делать не нужно."),
    "not-a-workbook": (WARNING, "Файл пропущен: это не книга электронной таблицы."),
    "file-unreadable": (ERROR, "Попросите участника сохранить книгу заново (Файл → Сохранить как → .xlsx) и прислать ещё раз."),
    "workbook-not-ours": (ERROR, "Это не книга, сформированная kc_workbook: отправьте участнику его книгу заново."),
    "workbook-other-program": (ERROR, "Книга относится к другой программе: отправьте участнику книгу этой программы."),
    "workbook-wrong-year": (ERROR, "Книга за другой год: отправьте участнику книгу за отчётный год."),
    "workbook-unknown-participant": (ERROR, "Участника нет в определении программы: проверьте лист «Участники»."),
    "workbook-outdated": (WARNING, "Книга сформирована по прежней редакции программы; значения приняты, при сомнениях запросите новую книгу."),
    "workbook-duplicate": (WARNING, "От участника пришло несколько книг: использована самая новая, остальные не учтены."),
    "participant-missing": (ERROR, "Запросите книгу у участника."),
    "file-wrong-format": (ERROR, "Файл назван как книга, но ею не является: попросите участника сохранить книгу "
                                 "в Excel или LibreOffice (.xlsx, .xls, .ods) и прислать ещё раз."),
    "file-too-large": (ERROR, "Файл слишком велик для книги участника: попросите прислать исходную книгу без лишнего."),
    "archive-suspicious": (ERROR, "Файл похож на zip-бомбу и не читался: запросите книгу заново, при сомнениях — "
                                  "сообщите администратору безопасности."),
    "xml-doctype": (ERROR, "Файл содержит XML-конструкции, опасные для чтения, и не читался: запросите книгу заново."),
    "sheet-too-large": (ERROR, "На листе есть ячейки далеко за пределами формы: попросите участника удалить лишнее "
                               "и прислать книгу ещё раз."),
    "workbook-password": (ERROR, "Попросите участника снять пароль на открытие (сохранить книгу без пароля) и "
                                 "прислать ещё раз."),
    "workbook-macros": (WARNING, "Книга с макросами: прочитаны только значения, макросы не запускались. "
                                 "Попросите впредь сохранять как .xlsx."),
    "input-not-found": (ERROR, "В книге нет строки с этим кодом: попросите участника заполнить исходную книгу, не удаляя строк."),
    "input-repeated": (ERROR, "Код встречается в книге несколько раз: оставьте одну строку."),
    "input-unexpected": (WARNING, "Участник не представляет это значение по программе; значение не учтено."),
    "value-missing": (ERROR, "Заполните значение."),
    "value-as-text": (WARNING, "Число было введено как текст; оно распознано, проверьте его."),
    "value-not-number": (ERROR, "Введите число без слов и пояснений; пояснение можно дать в столбце «Комментарий»."),
    "value-date": (ERROR, "Excel превратил число в дату: введите число ещё раз (формат ячейки — числовой)."),
    "value-formula-error": (ERROR, "В ячейке ошибка формулы: введите число."),
    "value-fraction": (ERROR, "Здесь нужно целое число."),
    "value-below-bound": (ERROR, "Значение меньше допустимого: проверьте его."),
    "ratio-exceeded": (ERROR, "Часть не может быть больше целого: проверьте оба значения."),
    "measure-not-found": (ERROR, "В книге нет строки мероприятия: попросите участника заполнить исходную книгу, не удаляя строк."),
    "measure-status-invalid": (ERROR, "Выберите статус из списка: выполнено, выполнено частично, не выполнено."),
    "measure-reason-missing": (ERROR, "Укажите причину: она обязательна, если мероприятие выполнено не полностью."),
    "measure-overspent": (WARNING, "Фактические расходы больше плановых: проверьте суммы или приложите пояснение."),
    "budget-mismatch": (WARNING, "Сверьте расходы по мероприятиям с данными департамента финансов."),
}


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    participant: str | None = None
    file: str | None = None
    sheet: str | None = None
    cell: str | None = None
    value: str | None = None

    def __post_init__(self) -> None:
        if self.code not in CATALOGUE:  # a typo in a code is a programming error
            raise KeyError(f"unknown problem code {self.code!r}")

    @property
    def severity(self) -> str:
        return CATALOGUE[self.code][0]

    @property
    def hint(self) -> str:
        return CATALOGUE[self.code][1]

    @property
    def location(self) -> str:
        """«Лист!Ячейка» (with the file in front when known), as a person reads it."""
        place = ""
        if self.sheet:
            place = self.sheet + (f"!{self.cell}" if self.cell else "")
        elif self.cell:
            place = self.cell
        if self.file:
            return f"{self.file}: {place}" if place else self.file
        return place

    def __str__(self) -> str:
        where = self.location
        return f"{where}: {self.message}" if where else self.message

    def as_dict(self) -> dict:
        data = asdict(self)
        data["severity"] = self.severity
        return data


def has_errors(problems) -> bool:
    return any(p.severity == ERROR for p in problems)
