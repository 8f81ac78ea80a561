"""Every code the toolkit uses and its Russian label, in one place.

A code is what programs and the JSON rely on (``"missed"``); a label is what a person
reads and types (``«не достигнут»``). The definition loader turns labels typed by the
executor into codes, the template builder's validation lists, the reports' conditional
formats, the CLI's counts and the JSON all take their labels from here, so renaming a
label can never make them drift apart.
"""

from __future__ import annotations


class Terms:
    """Codes of one kind with their Russian labels, in a fixed order."""

    def __init__(self, *pairs: tuple[str, str]):
        self._labels = dict(pairs)
        self._codes = {label.lower(): code for code, label in pairs}

    def label(self, code: str) -> str:
        return self._labels[code]

    def code(self, label: object) -> str | None:
        """The code of a label as a person typed it (case and outer spaces ignored), else None."""
        return self._codes.get(str(label).strip().lower()) if label is not None else None

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self._labels)

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(self._labels.values())

    def items(self):
        return self._labels.items()

    def __contains__(self, code: object) -> bool:
        return code in self._labels

    def __iter__(self):
        return iter(self._labels)

    def __len__(self) -> int:
        return len(self._labels)

    def choices(self, separator: str = ", ") -> str:
        """«увеличение», «снижение» … — for messages that list what may be typed."""
        return separator.join(f"«{label}»" for label in self._labels.values())


# --- the program definition -----------------------------------------------------------
DIRECTION = Terms(("increase", "увеличение"), ("decrease", "снижение"), ("zero", "отсутствие случаев"))
INCREASE, DECREASE, ZERO = DIRECTION.codes
# The plan as a bound, said before it: «план не более 35,0»; a zero target is its «0» alone.
DIRECTION_BOUND = Terms(("increase", "не менее"), ("decrease", "не более"), ("zero", ""))

KIND = Terms(("int", "целое"), ("decimal", "дробное"))
INT, DECIMAL = KIND.codes

COMBINE = Terms(("sum", "сумма"))

ROLE = Terms(("executor", "исполнитель"), ("participant", "участник"))
EXECUTOR, PARTICIPANT = ROLE.codes

YES_NO = Terms(("yes", "да"), ("no", "нет"))

SOURCE = Terms(
    ("municipal", "Бюджет муниципального образования"),
    ("regional", "Областной бюджет"),
    ("offbudget", "Внебюджетные источники"),
)
SOURCES = SOURCE.codes
# Narrow columns of participant workbooks and reports.
SOURCE_SHORT = Terms(("municipal", "бюджет МО"), ("regional", "областной бюджет"), ("offbudget", "внебюджетные"))

# A target cell with this text means "no target this year".
NO_TARGET_MARK = "-"

# --- the efficiency evaluation settings ------------------------------------------------
ZERO_RULE = Terms(("one_if_zero", "1, если факт равен 0, иначе 0"))
SRM_SCOPE = Terms(
    ("budget_funded", "мероприятия, финансируемые полностью или частично из бюджета"),
    ("all", "все мероприятия"),
)
SSUZ_PLAN = Terms(
    ("passport", "финансирование по паспорту программы"),
    ("rospis", "сводная бюджетная роспись на 31 декабря"),
)
MISSING_FACT = Terms(
    ("sr_undetermined", "СР не определяется"),
    ("exclude", "показатель исключается из расчёта СР"),
)

# --- what the participants report --------------------------------------------------------
MEASURE_STATUS = Terms(("done", "выполнено"), ("partial", "выполнено частично"), ("not_done", "не выполнено"))
MEASURE_DONE, MEASURE_PARTIAL, MEASURE_NOT_DONE = MEASURE_STATUS.codes
NO_REPORT = "нет сведений"  # a measure whose responsible participant sent nothing

# --- results ---------------------------------------------------------------------------
INDICATOR_STATUS = Terms(
    ("met", "достигнут"),
    ("exceeded", "перевыполнен"),
    ("missed", "не достигнут"),
    ("no_data", "нет данных"),
    ("no_target", "цель не установлена"),
)
MET, EXCEEDED, MISSED, NO_DATA, NO_TARGET = INDICATOR_STATUS.codes
NO_TARGET_SHORT = "нет цели"  # «цель не установлена» where a year's column is narrow («Динамика»)
ACHIEVED = (MET, EXCEEDED)

# One verdict per returned workbook, decided in ``verdicts.submission_verdict``.
VERDICT = Terms(
    ("accepted", "принят"),
    ("accepted_with_warnings", "принят с замечаниями"),
    ("with_errors", "есть ошибки"),
    ("rejected", "отклонён"),
    ("missing", "не представлен"),
)
ACCEPTED, WITH_WARNINGS, WITH_ERRORS, REJECTED, MISSING = VERDICT.codes

EFFICIENCY = Terms(
    ("high", "высокая"),
    ("medium", "средняя"),
    ("satisfactory", "удовлетворительная"),
    ("unsatisfactory", "неудовлетворительная"),
)
HIGH, MEDIUM, SATISFACTORY, UNSATISFACTORY = EFFICIENCY.codes

SEVERITY = Terms(("error", "ошибка"), ("warning", "предупреждение"), ("note", "примечание"))
ERROR, WARNING, NOTE = SEVERITY.codes

# --- the years (history) ----------------------------------------------------------------
FACT_SOURCE = Terms(("record", "сводка"), ("past_facts", "факт прошлых лет"))
OUTLOOK = Terms(
    ("at_risk", "с риском недостижения"),
    ("on_track", "достижимо при сохранении темпа"),
    ("too_few_facts", "недостаточно данных"),
    ("no_target", "целей для прогноза нет"),
)

# --- the round with participants --------------------------------------------------------
# Where each participant is in the round of collection (``rounds.participant_round``).
ROUND_STATE = Terms(
    ("not_sent", "не отправлено"),
    ("sent", "отправлено"),
    ("received", "получено"),
    ("returned", "на доработке"),
    ("resubmitted", "получено повторно"),
    ("accepted", "принято"),
)
NOT_SENT, SENT_OUT, RECEIVED, RETURNED, RESUBMITTED, ROUND_ACCEPTED = ROUND_STATE.codes
