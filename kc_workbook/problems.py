"""One problem model for everything a person may need to fix.

Each kind of problem has a stable code (what tests and other programs rely on), a
severity, and a Russian hint saying what to do. Checks return lists of ``Problem``; only
"cannot proceed" raises (see ``errors``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from .vocabulary import ERROR, NOTE, SEVERITY, WARNING

__all__ = ["CATALOGUE", "ERROR", "WARNING", "NOTE", "Problem", "has_errors", "count", "grouped"]

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
    "email-invalid": (WARNING, "Исправьте адрес: один адрес вида имя@домен в ячейке. Пока он не исправлен, письмо "
                               "этому участнику не готовится."),
    "setting-invalid": (ERROR, "Исправьте значение настройки оценки эффективности."),
    "measures-plan-mismatch": (WARNING, "Сверьте плановые суммы мероприятий с финансированием программы на этот год."),
    # --- returned participant workbooks -------------------------------------------
    "file-not-regular": (NOTE, "Это не файл, а именованный канал, сокет или устройство; он пропущен, ничего делать не нужно."),
    "file-temporary": (NOTE, "Служебный или временный файл kc-workbook; он пропущен, ничего делать не нужно "
                             "(временные файлы прерванного запуска удаляет следующий «mail collect»)."),
    "folder-unreadable": (ERROR, "Откройте доступ к папке (или переместите книги из неё повыше) и повторите сводку."),
    "lock-file-skipped": (NOTE, "Это служебный файл открытой книги Excel; он пропущен, ничего делать не нужно."),
    "not-a-workbook": (NOTE, "Файл пропущен: это не книга электронной таблицы."),
    "file-unreadable": (ERROR, "Попросите участника сохранить книгу заново (Файл → Сохранить как → .xlsx) и прислать ещё раз."),
    "workbook-not-ours": (ERROR, "Это не книга, сформированная kc_workbook: отправьте участнику его книгу заново."),
    "workbook-other-program": (ERROR, "Книга относится к другой программе: отправьте участнику книгу этой программы."),
    "workbook-wrong-year": (ERROR, "Книга за другой год: отправьте участнику книгу за отчётный год."),
    "workbook-unknown-participant": (ERROR, "Участника нет в определении программы: проверьте лист «Участники»."),
    "workbook-not-expected": (WARNING, "По определению программы участник не представляет сведений за этот год: книга "
                                       "не учтена. Если он должен их представлять, укажите его на листе «Исходные "
                                       "данные» или ответственным за мероприятие года."),
    "workbook-outdated": (WARNING, "Книга сформирована по прежней редакции программы; значения приняты, при сомнениях запросите новую книгу."),
    "workbook-input-changed": (ERROR, "Значение введено по прежнему определению (другая единица измерения, тип или "
                                      "расчёт): отправьте участнику книгу по действующей редакции."),
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
    "budget-overspent": (WARNING, "Расходы больше финансирования программы на год: проверьте суммы или внесите "
                                  "изменения в программу."),
    "value-out-of-line": (WARNING, "Значение сильно расходится со связанным значением: проверьте оба."),
    # --- the consolidation as a whole -----------------------------------------------------
    "justification-missing": (WARNING, "Обоснование отклонения обязательно: запросите его у названного участника "
                                       "(ячейка «Обоснование отклонения» его книги) или заполните книгу "
                                       "«Обоснования отклонений» и положите её к книгам участников."),
    "indicator-undeterminable": (ERROR, "Показатель не рассчитать из представленных значений: проверьте значения, "
                                        "названные в сообщении, и запросите исправленную книгу."),
    "value-jump": (WARNING, "Значение сильно отличается от прошлогоднего: проверьте, нет ли лишнего или "
                            "пропущенного нуля, и при необходимости поясните в столбце «Комментарий»."),
    # --- the records of past years (output/ГОД/consolidated_ГОД.json) --------------
    "record-unreadable": (ERROR, "Файл записи года повреждён: сведите этот год заново (kc-workbook consolidate), "
                                 "запись будет записана снова."),
    "record-foreign": (WARNING, "Файл не является записью сводки этой программы и не учтён: уберите его из папки "
                                "записей или переименуйте."),
    "record-other-definition": (WARNING, "Год сведён по другой редакции определения программы; его факты учтены, "
                                         "планы взяты из действующей редакции. При сомнениях сведите год заново."),
    "record-fact-conflict": (WARNING, "Факт в записи сводки и на листе «Факт прошлых лет» различается: использован "
                                      "факт сводки; исправьте лист или сведите год заново."),
}


# code: the kind of problem in a few Russian words (the «Замечания» sheet names kinds by these;
# the code itself stays in the JSON and in the sheet's last column).
TITLES: dict[str, str] = {
    "program-unreadable": "определение программы не читается",
    "sheet-missing": "нет листа",
    "column-missing": "нет столбца",
    "field-missing": "не заполнено поле",
    "value-invalid": "недопустимое значение",
    "code-duplicate": "повторяющийся код",
    "participant-unknown": "неизвестный участник",
    "task-unknown": "неизвестная задача",
    "input-no-supplier": "не указан, кто представляет значение",
    "formula-syntax": "ошибка в формуле",
    "formula-unknown-input": "неизвестный код в формуле",
    "indicator-unknown": "неизвестный показатель",
    "target-missing": "не указано целевое значение",
    "target-not-number": "целевое значение не число",
    "funding-not-number": "сумма финансирования не число",
    "funding-sum-mismatch": "сумма по источникам не равна итогу",
    "setting-invalid": "недопустимая настройка оценки",
    "measures-plan-mismatch": "план мероприятий не равен финансированию",
    "lock-file-skipped": "служебный файл Excel пропущен",
    "not-a-workbook": "файл не является книгой",
    "file-unreadable": "книга не читается",
    "workbook-not-ours": "чужая книга",
    "workbook-other-program": "книга другой программы",
    "workbook-wrong-year": "книга за другой год",
    "workbook-unknown-participant": "неизвестный участник",
    "workbook-not-expected": "книга не ожидалась",
    "workbook-outdated": "книга прежней редакции",
    "workbook-duplicate": "повторная книга не учтена",
    "participant-missing": "книга не представлена",
    "file-wrong-format": "файл не в формате книги",
    "file-too-large": "файл слишком велик",
    "archive-suspicious": "подозрительный архив",
    "xml-doctype": "опасное содержимое XML",
    "sheet-too-large": "лишние ячейки далеко за формой",
    "workbook-password": "книга под паролем",
    "workbook-macros": "книга с макросами",
    "input-not-found": "нет строки исходных данных",
    "input-repeated": "строка повторяется",
    "input-unexpected": "лишнее значение",
    "value-missing": "значение не заполнено",
    "value-as-text": "число введено как текст",
    "value-not-number": "не число",
    "value-date": "число превратилось в дату",
    "value-formula-error": "ошибка формулы в ячейке",
    "value-fraction": "нужно целое число",
    "value-below-bound": "значение меньше допустимого",
    "ratio-exceeded": "часть больше целого",
    "measure-not-found": "нет строки мероприятия",
    "measure-status-invalid": "не указан статус мероприятия",
    "measure-reason-missing": "не указана причина невыполнения",
    "measure-overspent": "расходы больше плана",
    "budget-mismatch": "расходы не сходятся с данными финансов",
    "budget-overspent": "расходы больше финансирования",
    "email-invalid": "неверный адрес e-mail",
    "workbook-input-changed": "значение по прежнему определению",
    "file-not-regular": "не файл (канал, сокет, устройство)",
    "file-temporary": "временный файл kc-workbook",
    "folder-unreadable": "папка не читается",
    "value-out-of-line": "значение расходится со связанным",
    "justification-missing": "нет обоснования отклонения",
    "indicator-undeterminable": "показатель не рассчитан",
    "value-jump": "резкое изменение к прошлому году",
    "record-unreadable": "запись года не читается",
    "record-foreign": "чужой файл в папке записей",
    "record-other-definition": "год сведён по другой редакции",
    "record-fact-conflict": "факты года расходятся",
}


def problem_title(code: str) -> str:
    """The kind of problem in Russian; the code itself when it has no name yet."""
    if code in TITLES:
        return TITLES[code]
    entry = CATALOGUE.get(code, ())
    return entry[2] if len(entry) > 2 else code


@dataclass(frozen=True, slots=True)
class Problem:
    code: str
    message: str
    participant: str | None = None
    file: str | None = None
    sheet: str | None = None
    cell: str | None = None
    value: str | None = None
    # this row also stands for so many more files with the same problem, not listed one by one
    # (``gathering.Gathered``: an inbox of thousands of repeated files)
    more: int = 0

    def __post_init__(self) -> None:
        if self.code not in CATALOGUE:  # a typo in a code is a programming error
            raise KeyError(f"unknown problem code {self.code!r}")

    @property
    def severity(self) -> str:
        """vocabulary.SEVERITY: error, warning, or note (skipped files: neither counted nor blocking)."""
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
        if not self.more:
            del data["more"]
        data["severity"] = self.severity
        data["severity_label"] = SEVERITY.label(self.severity)
        return data


def grouped(problems) -> list[tuple[Problem, int]]:
    """For short lists (the CLI, «Сводка»): problems with their counts, the file-level ones
    (no cell: a rejected workbook, a repeated one) of one kind, participant and value (the year
    of a wrong-year workbook) as one entry with how many there are, in the order of their
    first; those at a cell stay one by one."""
    entries: list[list] = []
    groups: dict[tuple, list] = {}
    for p in problems:
        if p.cell:
            entries.append([p, 1 + p.more])
            continue
        key = (p.code, p.participant, p.value)
        if key in groups:
            groups[key][1] += 1 + p.more
        else:
            groups[key] = [p, 1 + p.more]
            entries.append(groups[key])
    return [(p, n) for p, n in entries]


def has_errors(problems) -> bool:
    return any(p.severity == ERROR for p in problems)


def count(problems, severity: str) -> int:
    """How many problems of this severity, a row that stands for more files counted for each."""
    return sum(1 + p.more for p in problems if p.severity == severity)
