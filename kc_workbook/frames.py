"""pandas views of the history, the outlook and one consolidation, for analysts.

Optional: ``pip install "kc_workbook[pandas]"``. Nothing else in kc_workbook imports pandas
(``import kc_workbook`` and the CLI stay fast); importing this module without pandas raises
ImportError with a Russian message saying how to install it.
"""

from __future__ import annotations

from pathlib import Path

try:
    import pandas as pd
except ImportError as exc:  # pragma: no cover - exercised in a subprocess without pandas
    raise ImportError(
        "Для kc_workbook.frames нужен pandas: установите его командой "
        "pip install \"kc_workbook[pandas]\" (или pip install pandas)."
    ) from exc

from .history import DEFAULT_RECORDS_DIR, build_history


def history(records_dir: str | Path = DEFAULT_RECORDS_DIR, program=None) -> "pd.DataFrame":
    """Year × indicator: plan, fact (rounded at the indicator's precision), fact_exact, source, status.

    Index: (year, indicator); ``program``: a loaded definition (default: the built-in template)."""
    result = build_history(_program(program), records_dir)
    rows = [
        {"year": year, "indicator": ind.number, "plan": p.plan, "fact": p.shown, "fact_exact": p.fact,
         "source": p.source, "status": p.status}
        for ind in result.indicators for year, p in ind.points.items()
    ]
    frame = pd.DataFrame(rows, columns=["year", "indicator", "plan", "fact", "fact_exact", "source", "status"])
    frame = frame.set_index(["year", "indicator"]).sort_index()
    frame.attrs["problems"] = [p.as_dict() for p in result.problems]
    return frame


def outlook(records_dir: str | Path = DEFAULT_RECORDS_DIR, program=None) -> "pd.DataFrame":
    """Per indicator: the outlook to 2030 (status, its Russian label, years with a fact, the least-squares
    line's slope and intercept, the projection for each later target year, the years it misses).

    The method and its limits are in ``attrs["method"]`` and ``attrs["limits"]``."""
    from .history import LAST_YEAR, OUTLOOK_LIMITS, OUTLOOK_METHOD

    result = build_history(_program(program), records_dir)
    years = [y for y in range((result.last_year or LAST_YEAR - 1) + 1, LAST_YEAR + 1)]
    rows = [
        {"indicator": ind.number, "status": ind.outlook.status, "label": ind.outlook.label,
         "facts": ind.outlook.facts, "slope": ind.outlook.slope, "intercept": ind.outlook.intercept,
         **{f"projection_{y}": ind.outlook.projections.get(y) for y in years},
         "missed_years": list(ind.outlook.missed_years)}
        for ind in result.indicators
    ]
    frame = pd.DataFrame(rows).set_index("indicator")
    frame.attrs.update(method=OUTLOOK_METHOD, limits=OUTLOOK_LIMITS)
    return frame


def _program(program):
    if program is None:
        from .program import read_program

        program = read_program()
    return program


def frames(consolidation) -> dict[str, "pd.DataFrame"]:
    """One consolidation as DataFrames: ``values`` (every value with its file, sheet and cell),
    ``indicators``, ``problems`` and ``budget`` (plan, fact, execution by source)."""
    program = consolidation.program
    values = []
    for p in consolidation.participants:
        sub = p.submission
        if sub is None:
            continue
        for code, cell in sub.cells.items():
            values.append({"participant": p.code, "status": p.status, "code": code, "value": cell.value,
                           "ok": cell.ok, "raw": cell.raw, "file": sub.name, "sheet": cell.sheet, "cell": cell.cell,
                           "comment": cell.comment})
    by_number = {i.number: i for i in program.indicators}
    indicators = [
        {"number": r.number, "name": by_number[r.number].name, "unit": by_number[r.number].unit,
         "direction": by_number[r.number].direction, "plan": r.plan, "fact": r.fact, "status": r.status,
         "achievement": r.achievement, "reason": r.reason or None}
        for r in consolidation.indicators
    ]
    problems = [p.as_dict() for p in consolidation.problems]
    b = consolidation.budget
    budget = [] if b is None else [
        {"source": key, "plan": b.plan.get(key), "fact": b.fact.get(key), "execution": b.execution.get(key)}
        for key in b.plan
    ]
    return {
        "values": pd.DataFrame(values, columns=["participant", "status", "code", "value", "ok", "raw", "file", "sheet",
                                                "cell", "comment"]),
        "indicators": pd.DataFrame(indicators, columns=["number", "name", "unit", "direction", "plan", "fact", "status",
                                                        "achievement", "reason"]).set_index("number"),
        "problems": pd.DataFrame(problems, columns=["severity", "code", "participant", "file", "sheet", "cell", "value",
                                                    "message"]),
        "budget": pd.DataFrame(budget, columns=["source", "plan", "fact", "execution"]).set_index("source"),
    }
