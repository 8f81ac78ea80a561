"""How much does generate's override of XlsxWriter's private ``Worksheet._prepare_formula`` save?

    python scripts/measure_formula_override.py            # 200 workbooks, 5 runs
    python scripts/measure_formula_override.py -n 500 --runs 3

Writes every participant workbook of the built-in program (in memory, to a temporary
folder) with the override and with XlsxWriter's own ``_prepare_formula``, and prints the
median milliseconds per workbook of each: CPU time of this process (steady on a machine
shared with other work) and wall time. Run when XlsxWriter is upgraded.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def per_workbook_ms(n: int, override: bool) -> tuple[float, float]:
    import xlsxwriter.worksheet

    from kc_workbook import generate as g
    from kc_workbook.program import read_program

    program = read_program()
    codes = program.suppliers(2025)
    original = g.classic_formula_worksheet
    if not override:
        g.classic_formula_worksheet = lambda: xlsxwriter.worksheet.Worksheet
    try:
        with tempfile.TemporaryDirectory() as tmp:
            start, cpu = time.perf_counter(), time.process_time()
            for i in range(n):
                code = codes[i % len(codes)]
                g.write_participant_workbook(program, code, 2025, Path(tmp) / f"{i}.xlsx")
            return (time.process_time() - cpu) * 1000 / n, (time.perf_counter() - start) * 1000 / n
    finally:
        g.classic_formula_worksheet = original


def main() -> None:
    import xlsxwriter

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    per_workbook_ms(5, True)  # warm-up: imports, the program
    results = {True: [], False: []}
    for _ in range(args.runs):
        for override in (True, False):
            results[override].append(per_workbook_ms(args.n, override))
    def median(override, i):
        return statistics.median(r[i] for r in results[override])

    print(f"XlsxWriter {xlsxwriter.__version__}, {args.n} workbooks × {args.runs} runs (median ms per workbook, CPU / wall)")
    print(f"  with the _prepare_formula override:    {median(True, 0):.2f} / {median(True, 1):.2f} ms")
    print(f"  with XlsxWriter's own _prepare_formula: {median(False, 0):.2f} / {median(False, 1):.2f} ms")
    with_o, without = median(True, 0), median(False, 0)
    print(f"  difference (CPU): {without - with_o:+.2f} ms per workbook ({(without / with_o - 1) * 100:+.0f} %)")


if __name__ == "__main__":
    main()
