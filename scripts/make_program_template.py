"""Build templates/program_template.xlsx from the program passport.

Every number here is copied from the passport (shared/seeds/000_bf31acd962522e10.txt);
the tests check the loaded template against an independent copy of Table 1 and of the
funding figures. Run once after changing this file:

    python scripts/make_program_template.py

The executor then edits the workbook itself in Excel; this script is only the way the
first version was made (and stays the record of where each figure came from).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import xlsxwriter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kc_workbook.definition import (  # noqa: E402
    COLUMNS,
    OPTIONAL_COLUMNS,
    PASSPORT_FIELDS,
    PAST_FACTS_YEARS,
    SETTINGS_FIELDS,
    SHEET_FUNDING,
    SHEET_INDICATORS,
    SHEET_INPUTS,
    SHEET_MEASURES,
    SHEET_NOTES,
    SHEET_PARTICIPANTS,
    SHEET_PASSPORT,
    SHEET_PAST_FACTS,
    SHEET_SETTINGS,
    SHEET_TARGETS,
    SHEET_TASKS,
)
from kc_workbook.vocabulary import (  # noqa: E402
    COMBINE,
    DIRECTION,
    KIND,
    MISSING_FACT,
    ROLE,
    SRM_SCOPE,
    SSUZ_PLAN,
    YES_NO,
    ZERO_RULE,
)

CITY = "муниципального образования «Город Кирово-Чепецк» Кировской области"

PASSPORT = {
    "program_id": "KC-PROFILAKTIKA-2020-2030",
    "name": "Профилактика терроризма, экстремизма, других правонарушений и обеспечение безопасности "
    "жизнедеятельности населения",
    "executor": "CONTROL",
    "start_year": 2020,
    "end_year": 2030,
    "stages": "I этап – 2020 год; II этап – 2021–2025 годы; III этап – 2026–2030 годы",
    "goal": "Профилактика терроризма, экстремизма, других правонарушений и обеспечение безопасности "
    "жизнедеятельности населения",
    "amendment": "",
    "deadline": "",
}
PASSPORT_NOTES = {
    "program_id": "Служебный идентификатор: записывается в книги участников, не меняйте его",
    "executor": "Код с листа «Участники»",
    "amendment": "Укажите реквизиты постановления о последних изменениях программы",
    "deadline": "Например: «до 15 февраля 2026 г.»; печатается в книгах участников",
}

# (code, short name, full name, role) — in the order of the passport.
PARTICIPANTS = [
    ("CONTROL", "отдел контроля",
     f"отдел контроля, защиты информации и взаимодействия с правоохранительными органами администрации {CITY}",
     "исполнитель"),
    ("GZ", "МКУ «КЧГУ ГЗ»", "муниципальное казенное учреждение «Кирово-Чепецкое городское управление гражданской защиты»", "участник"),
    ("FIN", "департамент финансов", f"департамент финансов администрации {CITY}", "участник"),
    ("EDU", "департамент образования", f"департамент образования администрации {CITY}", "участник"),
    ("MUNSERV", "отдел муниципальной службы и трудовых отношений",
     f"отдел муниципальной службы и трудовых отношений администрации {CITY}", "участник"),
    ("LAW", "правовое управление", f"правовое управление администрации {CITY}", "участник"),
    ("PROCUREMENT", "сектор муниципальных закупок", f"сектор муниципальных закупок администрации {CITY}", "участник"),
    ("CULTURE", "отдел по культуре, спорту и делам молодежи",
     f"отдел по культуре, спорту и делам молодежи администрации {CITY}", "участник"),
    ("JUVENILE", "сектор по делам несовершеннолетних",
     f"сектор по делам несовершеннолетних департамента образования {CITY}", "участник"),
    ("GUARDIANSHIP", "отдел опеки и попечительства", f"отдел опеки и попечительства департамента образования {CITY}", "участник"),
    ("HEALTH", "учреждения здравоохранения", "учреждения здравоохранения города Кирово-Чепецка", "участник"),
    ("KCSON", "КЦСОН",
     "КОГАУСО «Межрайонный комплексный центр социального обслуживания населения в Кирово-Чепецком районе»", "участник"),
    ("MVD", "МО МВД России «Кирово-Чепецкий»", "межмуниципальный отдел МВД России «Кирово-Чепецкий»", "участник"),
    ("MILITARY", "военный комиссариат",
     "военный комиссариат Кировской области город Кирово-Чепецк и Кирово-Чепецкого района", "участник"),
    ("CZN", "КОГКУ ЦЗН",
     "Кировское областное государственное казенное учреждение Центр занятости населения Кирово-Чепецкого района", "участник"),
    ("DVURECHYE", "МКУ «Двуречье»", "муниципальное казенное учреждение «Двуречье»", "участник"),
    ("UII", "ФКУ «УИИ»", "Федеральное казенное учреждение «Уголовно-исполнительная инспекция»", "участник"),
    ("NKO", "НКО по охране общественного порядка", "некоммерческие организации по охране общественного порядка", "участник"),
    ("CBS", "МКУК «ЦБС»",
     "муниципальное казенное учреждение культуры «Централизованная библиотечная система» города Кирово-Чепецка", "участник"),
    ("PREVENTION", "органы и учреждения системы профилактики", "органы и учреждения системы профилактики", "участник"),
    ("MEDIA", "средства массовой информации", "средства массовой информации", "участник"),
    ("PREVGROUP", "профилактическая группа", "профилактическая группа", "участник"),
]

TASKS = [
    (1, "Повышение эффективности мер по профилактике экстремизма и терроризма"),
    (2, "Оснащение общественных мест (объектов, территорий) системами видеонаблюдения"),
    (3, "Профилактика правонарушений"),
    (4, "Организация и осуществление мероприятий по безопасности жизнедеятельности населения"),
]

# (code, name as in the methodology, symbol, unit, kind, lower bound, suppliers)
INPUTS = [
    ("AT_OBJECTS_TOTAL", "Количество подведомственных объектов, подлежащих антитеррористической защите, "
     "на 1 января отчетного периода", "Коб2", "ед.", "целое", 0, "EDU; CULTURE"),
    ("AT_OBJECTS_COMPLIANT", "Количество подведомственных объектов, приведенных в соответствие с требованиями "
     "антитеррористической защищенности, на 1 января отчетного периода", "Коб1 (показатель 1)", "ед.", "целое", 0,
     "EDU; CULTURE"),
    ("AT_OBJECTS_PASSPORT", "Количество подведомственных объектов, имеющих актуальный паспорт безопасности, "
     "на 1 января отчетного периода", "Коб1 (показатель 2)", "ед.", "целое", 0, "EDU; CULTURE"),
    ("VIDEO_PLACES", "Количество общественных мест (объектов, территорий), оснащенных системами видеонаблюдения",
     "", "ед.", "целое", 0, "GZ"),
    ("CRIMES_TOTAL", "Общее количество зарегистрированных преступлений в текущем году, на 1 января отчетного периода",
     "Ктек2", "ед.", "целое", 0, "MVD"),
    ("CRIMES_PUBLIC", "Количество преступлений, совершенных в общественных местах в текущем году, "
     "на 1 января отчетного периода", "Ктек1", "ед.", "целое", 0, "MVD"),
    ("CRIMES_JUVENILE", "Количество преступлений, совершенных несовершеннолетними, по отчету о состоянии "
     "преступности на 1 января отчетного периода", "Кн", "ед.", "целое", 0, "MVD"),
    ("JUVENILES_14_18", "Общее число несовершеннолетних в возрасте от 14 до 18 лет на 1 января отчетного периода",
     "Чн (показатель 5)", "чел.", "целое", 0, "JUVENILE"),
    ("DRUG_CRIMINAL_CASES", "Количество случаев привлечения к уголовной ответственности за нарушения законодательства "
     "Российской Федерации о наркотических средствах и психотропных веществах в отчетном году", "Куг.отв.", "ед.",
     "целое", 0, "MVD"),
    ("DRUG_ADMIN_CASES", "Количество случаев привлечения к административной ответственности за нарушения "
     "законодательства Российской Федерации о наркотических средствах и психотропных веществах в отчетном году",
     "Кадм.отв.", "ед.", "целое", 0, "MVD"),
    ("DRUG_USERS_CRIMINAL", "Количество наркопотребителей, привлеченных к уголовной ответственности в отчетном году",
     "Кпотр.уг.", "чел.", "целое", 0, "MVD"),
    ("DRUG_USERS_ADMIN", "Количество наркопотребителей, привлеченных к административной ответственности в отчетном году",
     "Кпотр.адм.", "чел.", "целое", 0, "MVD"),
    ("DRUG_POISONINGS", "Количество отравлений в результате потребления наркотиков в г. Кирово-Чепецке "
     "по данным токсикологического мониторинга", "Котр.", "ед.", "целое", 0, "HEALTH"),
    ("DRUG_DEATHS", "Количество смертей в результате потребления наркотиков по данным токсикологического мониторинга",
     "Ксмерт.", "ед.", "целое", 0, "HEALTH"),
    ("POPULATION", "Количество постоянного населения г. Кирово-Чепецка на 1 января отчетного периода "
     "по данным Федеральной службы государственной статистики", "КН (население)", "чел.", "целое", 1, "CONTROL"),
    ("POPULATION_AVG", "Среднегодовая численность населения г. Кирово-Чепецка по данным Федеральной службы "
     "государственной статистики", "Чнас.", "чел.", "целое", 1, "CONTROL"),
    ("ANTICOR_PLANNED", "Общее количество запланированных мероприятий в плане по противодействию коррупции",
     "Кобщ", "ед.", "целое", 0, "MUNSERV"),
    ("ANTICOR_DONE", "Количество выполненных мероприятий из плана мероприятий по противодействию коррупции",
     "Квып", "ед.", "целое", 0, "MUNSERV"),
    ("ALERT_COVERED_K", "Количество населения, охваченного системой оповещения, на 1 января отчетного периода",
     "Чо", "тыс. чел.", "дробное", 0, "GZ"),
    # Budget execution: the year's actual spending on the program by source (not in the methodology).
    ("BUDGET_FACT_MUNICIPAL", "Фактические расходы на реализацию программы в отчетном году: бюджет муниципального "
     "образования", "", "тыс. руб.", "дробное", 0, "FIN"),
    ("BUDGET_FACT_REGIONAL", "Фактические расходы на реализацию программы в отчетном году: областной бюджет",
     "", "тыс. руб.", "дробное", 0, "FIN"),
    ("BUDGET_FACT_OFFBUDGET", "Фактические расходы на реализацию программы в отчетном году: внебюджетные источники",
     "", "тыс. руб.", "дробное", 0, "FIN"),
    # The сводная бюджетная роспись, when the finance department reports it (optional): the plan
    # for ССуз may be taken from it instead of the passport (sheet «Оценка эффективности»).
    *[(f"BUDGET_ROSPIS_{when}_{key}", f"Сводная бюджетная роспись на {date}: {source}", "", "тыс. руб.", "дробное", 0,
       "FIN")
      for when, date in (("JAN", "1 января отчетного года"), ("DEC", "31 декабря отчетного года"))
      for key, source in (("MUNICIPAL", "бюджет муниципального образования"), ("REGIONAL", "областной бюджет"),
                          ("OFFBUDGET", "внебюджетные источники"))],
]
OPTIONAL_INPUTS = {code for code, *_ in INPUTS if code.startswith("BUDGET_ROSPIS_")}

# Control ratios: a part can not exceed its whole ("из них" ≤ "всего").
UPPER = {
    "AT_OBJECTS_COMPLIANT": "AT_OBJECTS_TOTAL",
    "AT_OBJECTS_PASSPORT": "AT_OBJECTS_TOTAL",
    "CRIMES_PUBLIC": "CRIMES_TOTAL",
    "CRIMES_JUVENILE": "CRIMES_TOTAL",
    "JUVENILES_14_18": "POPULATION",
    "ANTICOR_DONE": "ANTICOR_PLANNED",
    "ALERT_COVERED_K": "POPULATION / 1000",
}
# Reconciliations (a warning, not an error): the value should lie within the tolerance, %.
NEAR = {"POPULATION_AVG": ("POPULATION", 5)}

SOURCE_AT = "Сведения о состоянии антитеррористической защищенности подведомственных объектов"
# (number, task, name verbatim from Table 1, unit, direction, formula, precision, source)
INDICATORS = [
    (1, 1, "Доля подведомственных объектов приведенных в соответствие с требованиями антитеррористической "
     "защищенности от общего количества подведомственных объектов подлежащих антитеррористической защите",
     "%", "увеличение", "AT_OBJECTS_COMPLIANT / AT_OBJECTS_TOTAL * 100", 2, SOURCE_AT),
    (2, 1, "Доля подведомственных объектов имеющих актуальный паспорт безопасности от общего количества "
     "подведомственных объектов подлежащих антитеррористической защите",
     "%", "увеличение", "AT_OBJECTS_PASSPORT / AT_OBJECTS_TOTAL * 100", 2, SOURCE_AT),
    (3, 2, "Количество общественных мест (объектов, территорий) оснащенных системами видеонаблюдения",
     "единиц", "увеличение", "VIDEO_PLACES", 0,
     "Отчеты исполнителей и участников программы (методикой расчета отдельно не указан)"),
    (4, 3, "Удельный вес преступлений совершенных в общественных местах от общего числа зарегистрированных преступлений",
     "%", "снижение", "CRIMES_PUBLIC / CRIMES_TOTAL * 100", 1,
     "Сведения о состоянии преступности и раскрытии преступлений"),
    (5, 3, "Доля преступлений совершенных несовершеннолетними к общему числу несовершеннолетних в возрасте от 14 до 18 лет",
     "%", "снижение", "CRIMES_JUVENILE / JUVENILES_14_18 * 100", 2,
     "Сведения о состоянии подростковой преступности и раскрытии преступлений, статистические данные о количестве "
     "несовершеннолетних"),
    (6, 3, "Вовлеченность населения в незаконный оборот наркотиков на 100 тыс. населения",
     "единиц", "снижение", "(DRUG_CRIMINAL_CASES + DRUG_ADMIN_CASES) * 100000 / POPULATION", 1,
     "Сведения о привлечении к уголовной и административной ответственности, статистический отчет о количестве населения"),
    (7, 3, "Криминогенность наркомании на 100 тыс. населения",
     "единиц", "снижение", "(DRUG_USERS_CRIMINAL + DRUG_USERS_ADMIN) * 100000 / POPULATION", 1,
     "Сведения о привлечении к уголовной и административной ответственности наркопотребителей, статистический отчет "
     "о количестве населения"),
    (8, 3, "Количество случаев отравления наркотиками, в том числе среди несовершеннолетних на 100 тыс. населения",
     "единиц", "отсутствие случаев", "DRUG_POISONINGS * 100000 / POPULATION_AVG", 1,
     "Сведения об отравлении наркотиками и среднегодовая численность населения"),
    (9, 3, "Количество случаев смерти в результате потребления наркотиков на 100 тыс. населения",
     "единиц", "отсутствие случаев", "DRUG_DEATHS * 100000 / POPULATION_AVG", 1,
     "Сведения о смертности в результате потребления наркотиков и среднегодовая численность населения"),
    (10, 3, "Доля выполненных мероприятий в плане по противодействию коррупции от общего количества запланированных "
     "мероприятий", "%", "увеличение", "ANTICOR_DONE / ANTICOR_PLANNED * 100", 1,
     "Сведения по исполнению плана мероприятий по противодействию коррупции"),
    (11, 4, "Охват населения города Кирово-Чепецка системой оповещений при возникновении чрезвычайных ситуаций "
     "природного и техногенного характера от общей численности населения",
     "%", "увеличение", "ALERT_COVERED_K / (POPULATION / 1000) * 100", 1,
     "Отчет МКУ «КЧГУ ГЗ», статистический отчет о количестве населения, проживающего в г. Кирово-Чепецке"),
]

# Table 1: 2023, 2024, 2025, 2026, 2027, 2028–2030 ("-": no target).
TABLE_1 = {
    1: ["-", "-", 35.71, 42.87, 45.87, 50.0],
    2: ["-", "-", 71.42, 78.57, 80.35, 85.71],
    3: [54, 55, 55, 56, 57, 60],
    4: [40.0, 35.0, 35.0, 35.0, 35.0, 30.0],
    5: [1.23, 1.2, 1.2, 1.2, 1.2, 1.0],
    6: [105.5, 104.2, 102.9, 101.6, 100.3, 96.4],
    7: [90.1, 87.0, 83.9, 80.8, 77.7, 68.4],
    8: [0, 0, 0, 0, 0, 0],
    9: [0, 0, 0, 0, 0, 0],
    10: [0, 80, 80, 85, 90, 95],
    11: [97.0, 97.0, 98.0, 98.0, 98.0, 100.0],
}
TARGET_YEARS = [2023, 2024, 2025, 2026, 2027, 2028, 2029, 2030]

# Funding, thousand roubles: year → (municipal, regional, off-budget, total).
FUNDING = {
    2020: (13283.6, 447.6, 500.0, 14231.2),
    2021: (15639.6, 0, 500.0, 16139.6),
    2022: (16600.3, 0, 500.0, 17100.3),
    2023: (19003.7, 6981.9, 219.0, 26204.6),
    2024: (21111.2, 51.6, 0, 21162.8),
    2025: (23982.1, 56.6, 0, 24038.7),
    2026: (23221.4, 56.6, 0, 23278.0),
    2027: (23379.0, 56.6, 0, 23435.6),
}

SETTINGS = {
    "method": "Методика оценки эффективности Минэкономразвития России (приказы № 690 от 2013 г. и № 582 от 2016 г.)",
    "threshold_high": 0.90,
    "threshold_medium": 0.80,
    "threshold_satisfactory": 0.70,
    "cap": 1,
    "zero_rule": ZERO_RULE.label("one_if_zero"),
    "srm_scope": SRM_SCOPE.label("budget_funded"),
    "ssuz_plan": SSUZ_PLAN.label("passport"),
    "missing_fact": MISSING_FACT.label("sr_undetermined"),
    "exceed_margin": 10,
    "jump_factor": 3,
}
SETTINGS_CHOICES = {"zero_rule": ZERO_RULE, "srm_scope": SRM_SCOPE, "ssuz_plan": SSUZ_PLAN, "missing_fact": MISSING_FACT}
SETTINGS_NOTES = {
    "method": "Применяется по умолчанию; если местный порядок оценки иной, измените параметры на этом листе",
    "threshold_high": "ЭР = СР × Эис; эффективность высокая при ЭР не менее этого значения",
    "threshold_medium": "средняя — не менее этого значения",
    "threshold_satisfactory": "удовлетворительная — не менее этого значения, ниже — неудовлетворительная",
    "cap": "СДi = факт/план (увеличение) или план/факт (снижение), но не более этого значения",
    "zero_rule": "Источники правила не дают; правило указывается в отчете",
    "srm_scope": "По федеральной методике СРм учитывает мероприятия, финансируемые полностью или частично из бюджета",
    "ssuz_plan": "Роспись берется, если департамент финансов ее представил; иначе — паспорт",
    "missing_fact": "Если исключается — показатель назван в отчете",
    "exceed_margin": "Показатель «перевыполнен», если уровень достижения больше 100 % более чем на это число процентов",
    "jump_factor": "Предупреждение, если значение участника больше или меньше прошлогоднего во столько раз",
}

NOTES = [
    "Все значения взяты из паспорта программы. Где текст паспорта («Реализация мероприятий программы позволит "
    "достичь…») расходится с таблицей 1, принята таблица 1:",
    "— показатель 7 на 2025 год: в таблице 1 — 83,9, в тексте — 82,9; принято 83,9;",
    "— показатель 10 на 2025 год: в таблице 1 — 80, в тексте — 85 %; принято 80;",
    "— показатель 11 на 2030 год: в таблице 1 — 100,0, в тексте — 98 %; принято 100,0.",
    "Значение таблицы 1 для 2028–2030 годов повторено для каждого из этих лет; «-» означает, что целевого значения нет.",
    "Финансирование на 2028–2030 годы паспортом не установлено: «планирование бюджетных ассигнований будет "
    "осуществляться в соответствии с муниципальным правовым актом…». Добавьте строки, когда суммы будут утверждены.",
    "Перечень мероприятий приведен в приложении к паспорту, которого нет в распоряжении: заполните лист «Мероприятия».",
    "В методике символ «КН» обозначает и показатель криминогенности наркомании, и численность населения; "
    "здесь численность населения — код POPULATION.",
    "Знаменатель показателя 11 (Чн, тыс. чел.) — POPULATION / 1000: отдельная численность населения не собирается.",
]

CREATED = dt.datetime(2026, 1, 1)  # fixed, so that the template is byte-identical on every build


def build(path: Path) -> None:
    wb = xlsxwriter.Workbook(str(path))
    wb.set_properties({"title": "Определение муниципальной программы", "author": "kc_workbook", "created": CREATED})
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "top"})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    key = wb.add_format({"font_color": "#808080", "valign": "top"})
    money = wb.add_format({"num_format": "0.0", "valign": "top"})
    ratio = wb.add_format({"num_format": "0.00", "valign": "top"})

    def table(name: str, rows: list[list], widths: list[int], formats: dict[int, object] | None = None, headers=None):
        ws = wb.add_worksheet(name)
        headers = headers or list(COLUMNS[name].values())
        ws.write_row(0, 0, headers, head)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                fmt = (formats or {}).get(c, wrap)
                if isinstance(value, str):
                    ws.write_string(r, c, value, fmt)
                else:
                    ws.write_number(r, c, value, fmt)
        for c, width in enumerate(widths):
            ws.set_column(c, c, width)
        ws.freeze_panes(1, 0)
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(0)
        return ws

    table(SHEET_PASSPORT, [[k, PASSPORT_FIELDS[k], v, PASSPORT_NOTES.get(k, "")] for k, v in PASSPORT.items()],
          [14, 40, 70, 50], {0: key}, headers=[*COLUMNS[SHEET_PASSPORT].values(), "Пояснение"])
    ws = table(SHEET_PARTICIPANTS, [[c, s, n, role, "", "", ""] for c, s, n, role in PARTICIPANTS],
               [14, 34, 70, 14, 28, 28, 18])
    ws.data_validation(1, 3, 200, 3, {"validate": "list", "source": list(ROLE.labels)})
    table(SHEET_TASKS, [list(t) for t in TASKS], [6, 90])
    input_rows = [[c, n, s, u, k, b, sup, COMBINE.label("sum"), UPPER.get(c, ""),
                   YES_NO.label("no" if c in OPTIONAL_INPUTS else "yes"), NEAR.get(c, ("", ""))[0],
                   NEAR.get(c, ("", ""))[1]] for c, n, s, u, k, b, sup in INPUTS]
    ws = table(SHEET_INPUTS, input_rows, [24, 70, 18, 12, 14, 12, 26, 18, 30, 14, 24, 16],
               headers=[*COLUMNS[SHEET_INPUTS].values(), *OPTIONAL_COLUMNS[SHEET_INPUTS].values()])
    ws.data_validation(1, 4, 500, 4, {"validate": "list", "source": list(KIND.labels)})
    ws.data_validation(1, 7, 500, 7, {"validate": "list", "source": list(COMBINE.labels)})
    ws.data_validation(1, 9, 500, 9, {"validate": "list", "source": list(YES_NO.labels)})
    ws = table(SHEET_INDICATORS, [[*i, 1] for i in INDICATORS], [5, 8, 60, 10, 18, 46, 12, 50, 10],
               headers=[*COLUMNS[SHEET_INDICATORS].values(), *OPTIONAL_COLUMNS[SHEET_INDICATORS].values()])
    ws.data_validation(1, 4, 200, 4, {"validate": "list", "source": list(DIRECTION.labels)})
    short = {n: name for n, _, name, *_ in INDICATORS}
    target_rows = []
    for number, values in TABLE_1.items():
        values = values + [values[-1]] * 2  # 2028–2030: one value for each of those years
        target_rows.append([number, short[number], *values])
    precision = {i[0]: i[6] for i in INDICATORS}
    ws = table(SHEET_TARGETS, target_rows, [5, 60] + [9] * len(TARGET_YEARS),
               headers=["№", "Показатель"] + TARGET_YEARS)
    for r, (number, *_rest) in enumerate(target_rows, start=1):
        fmt = wb.add_format({"num_format": "0" if precision[number] == 0 else "0." + "0" * precision[number], "valign": "top"})
        for c, value in enumerate(_rest[1:], start=2):
            if isinstance(value, str):
                ws.write_string(r, c, value, fmt)
            else:
                ws.write_number(r, c, value, fmt)
    table(SHEET_FUNDING, [[y, *v] for y, v in FUNDING.items()], [8, 22, 18, 22, 14],
          {1: money, 2: money, 3: money, 4: money})
    table(SHEET_MEASURES, [], [16, 8, 60, 22, 8, 22, 22, 22, 18, 40], {5: money, 6: money, 7: money},
          headers=[*COLUMNS[SHEET_MEASURES].values(), *OPTIONAL_COLUMNS[SHEET_MEASURES].values()])
    ws = table(SHEET_SETTINGS, [[k, SETTINGS_FIELDS[k], v, SETTINGS_NOTES.get(k, "")] for k, v in SETTINGS.items()],
               [24, 44, 40, 60], {0: key, 2: ratio}, headers=[*COLUMNS[SHEET_SETTINGS].values(), "Пояснение"])
    for r, k in enumerate(SETTINGS, start=1):
        if k in SETTINGS_CHOICES:
            ws.data_validation(r, 2, r, 2, {"validate": "list", "source": list(SETTINGS_CHOICES[k].labels)})
    # Facts of the years before the toolkit: typed by the executor from the published annual
    # reports. The passport gives none, so the sheet is shipped empty.
    past = table(SHEET_PAST_FACTS, [[n, short[n]] for n, *_ in INDICATORS], [5, 60] + [10] * len(PAST_FACTS_YEARS),
                 headers=["№", "Показатель", *PAST_FACTS_YEARS])
    past.write_comment(0, 2, "Факт показателя за год из опубликованного годового отчета; пусто — нет данных")
    table(SHEET_NOTES, [[n] for n in NOTES], [140], headers=["Примечания к определению программы"])
    wb.close()


if __name__ == "__main__":
    out = ROOT / "templates" / "program_template.xlsx"
    build(out)
    print(f"written {out}")
