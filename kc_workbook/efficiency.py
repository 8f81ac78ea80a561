"""The efficiency evaluation (the federal method most municipalities copy; see DOMAIN.md):

- СДi — achievement of indicator i (``indicators.assess``), capped by the settings;
- СР = mean СДi (weighted by the definition's weights) over the indicators with a target;
- СРм = measures done in full / measures planned (by default only those financed from the
  budget, as the federal text says);
- ССуз = actual spending / planned spending (the passport's funding, or the сводная
  бюджетная роспись on 31 December when the finance department reports it);
- Эис = СРм / ССуз;
- ЭР = СР × Эис, with the verdict by the thresholds of the program definition.

Every figure is computed from the figures it is made of *as they are shown* (to 0,001),
and rounded once, half up, to 0,001; the verdict compares the shown ЭР with the
thresholds. So anyone can recompute the printed page with a calculator, and «ЭР = 0,900»
is always «высокая» when the threshold is 0,900.

A value that cannot be determined is None, and ``reasons`` says why; ``notes`` say which
rule was applied where the settings offer a choice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .budget import Budget
from .indicators import IndicatorResult
from .model import Program
from .notation import exact, format_ratio, round_half_up
from .vocabulary import EFFICIENCY, HIGH, MEASURE_DONE, MEDIUM, SATISFACTORY, UNSATISFACTORY

DIGITS = 3


@dataclass(frozen=True)
class Efficiency:
    sd: dict[int, float | None]
    sr: float | None = None
    srm: float | None = None
    ssuz: float | None = None
    eis: float | None = None
    er: float | None = None
    verdict: str | None = None  # vocabulary.EFFICIENCY code
    reasons: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    measures_done: int = 0
    measures_planned: int = 0
    excluded: tuple[int, ...] = ()  # indicators left out of СР for want of a fact
    plan_used: str = "passport"  # vocabulary.SSUZ_PLAN actually applied

    @property
    def verdict_label(self) -> str | None:
        return EFFICIENCY.label(self.verdict) if self.verdict else None


def _ratio(numerator, denominator) -> float:
    return float(round_half_up(exact(numerator) / exact(denominator), DIGITS))


def verdict(er: float, program: Program) -> str:
    """The verdict for ЭР as shown (to 0,001), against the thresholds."""
    s = program.settings
    shown = round_half_up(er, DIGITS)
    for code, threshold in ((HIGH, s.threshold_high), (MEDIUM, s.threshold_medium),
                            (SATISFACTORY, s.threshold_satisfactory)):
        if shown >= round_half_up(threshold, DIGITS):
            return code
    return UNSATISFACTORY


def evaluate_efficiency(program: Program, year: int, indicators: list[IndicatorResult], budget: Budget) -> Efficiency:
    s = program.settings
    reasons: dict[str, str] = {}
    notes: dict[str, str] = {}
    targeted = [r for r in indicators if r.plan is not None]
    sd = {r.number: r.achievement for r in targeted}
    weights = {ind.number: ind.weight for ind in program.indicators}

    sr = None
    without = [r.number for r in targeted if r.achievement is None]
    counted = [r for r in targeted if r.achievement is not None]
    excluded: tuple[int, ...] = ()
    if not targeted:
        reasons["sr"] = f"ни у одного показателя нет целевого значения на {year} год"
    elif without and s.missing_fact == "sr_undetermined":
        reasons["sr"] = "нет фактических значений показателей № " + ", ".join(map(str, without))
    elif not counted:
        reasons["sr"] = "нет фактических значений ни одного показателя с целевым значением"
    else:
        if without:
            excluded = tuple(without)
            notes["sr"] = "без фактических значений и не учтены в СР показатели № " + ", ".join(map(str, without))
        total_weight = sum(exact(weights[r.number]) for r in counted)
        if total_weight == 0:
            reasons["sr"] = "сумма весов учитываемых показателей равна 0"
        else:
            sr = _ratio(sum(exact(weights[r.number]) * exact(r.achievement) for r in counted), total_weight)

    in_scope = [m for m in budget.measures if s.srm_scope == "all" or m.budget_funded]
    left_out = len(budget.measures) - len(in_scope)
    if left_out:
        notes["srm"] = f"не учтены мероприятия без бюджетного финансирования: {left_out}"
    unreported = [m.code for m in in_scope if m.status is None]
    srm, done = None, 0
    if not budget.measures:
        reasons["srm"] = f"мероприятия на {year} год не определены (лист «Мероприятия» определения программы)"
    elif not in_scope:
        reasons["srm"] = "нет мероприятий, финансируемых из бюджета"
    elif unreported:
        reasons["srm"] = "нет сведений о выполнении мероприятий " + ", ".join(unreported)
    else:
        done = sum(1 for m in in_scope if m.status == MEASURE_DONE)
        srm = _ratio(done, len(in_scope))

    plan_used = s.ssuz_plan
    plan = budget.plan["total"]
    if s.ssuz_plan == "rospis":
        if budget.rospis_dec is not None and budget.rospis_dec.get("total") is not None:
            plan = budget.rospis_dec["total"]
        else:
            plan_used = "passport"
            notes["ssuz"] = "департамент финансов не представил сводную бюджетную роспись на 31 декабря: план — по паспорту"
    fact = budget.fact["total"]
    ssuz = None
    if plan is None or plan == 0:
        reasons["ssuz"] = budget.reasons.get("plan") or f"план расходов на {year} год равен 0"
    elif fact is None:
        reasons["ssuz"] = "нет данных о фактических расходах: " + budget.reasons.get("fact", "")
    else:
        ssuz = _ratio(fact, plan)

    eis = None
    if srm is None or ssuz is None:  # down to the cause a person can act on
        reasons["eis"] = "; ".join(f"{n} — {reasons[k]}" for n, k, v in
                                   (("СРм", "srm", srm), ("ССуз", "ssuz", ssuz)) if v is None)
    elif ssuz == 0:
        reasons["eis"] = "Эис — фактических расходов не было (ССуз = 0)"
    else:
        eis = _ratio(srm, ssuz)

    er, grade = None, None
    if sr is None or eis is None:  # each reason names its ratio: «СР — …», «СРм — …»
        reasons["er"] = "; ".join(r for r in (None if sr is not None else f"СР — {reasons['sr']}",
                                              None if eis is not None else reasons["eis"]) if r)
        reasons["verdict"] = reasons["er"]
    else:
        er = _ratio(exact(sr) * exact(eis), 1)
        grade = verdict(er, program)
    return Efficiency(sd=sd, sr=sr, srm=srm, ssuz=ssuz, eis=eis, er=er, verdict=grade, reasons=reasons, notes=notes,
                      measures_done=done, measures_planned=len(in_scope), excluded=excluded, plan_used=plan_used)


def thresholds_text(program: Program) -> str:
    s = program.settings
    return (f"{EFFICIENCY.label(HIGH)} — ЭР ≥ {format_ratio(s.threshold_high)}; {EFFICIENCY.label(MEDIUM)} — ≥ "
            f"{format_ratio(s.threshold_medium)}; {EFFICIENCY.label(SATISFACTORY)} — ≥ "
            f"{format_ratio(s.threshold_satisfactory)}; иначе {EFFICIENCY.label(UNSATISFACTORY)} (ЭР сравнивается с "
            "порогами с точностью до 0,001, с которой показан)")

