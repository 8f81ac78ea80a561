"""Benchmark: generate and consolidate N workbooks, against the cost of merely reading them.

    python scripts/bench.py            # N = 1000, 3 runs each
    python scripts/bench.py -n 200 --runs 5

It makes a synthetic program definition with N suppliers (think 50 municipalities × 20
participants) whose inputs are summed, generates their workbooks, fills them, and times in
one run:

- generate of N workbooks (in this process, per workbook);
- consolidate of the N filled workbooks, end to end as a user runs it (a new process);
- the floor: a new process that opens each file with python-calamine and reads every
  sheet's values, nothing else;
- the naive reference: the same loop with openpyxl.load_workbook;
- start-up: `kc-workbook --help`, and consolidate of a 10-file inbox;
- peak memory (RSS) of consolidate at N = 100 and at N.

Medians over --runs runs are printed with the ratios the goals speak of.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

YEAR = 2025
VALUES = {  # per supplier; every supplier reports every input, and the inputs are summed
    "AT_OBJECTS_TOTAL": 10, "AT_OBJECTS_COMPLIANT": 4, "AT_OBJECTS_PASSPORT": 8, "VIDEO_PLACES": 3,
    "CRIMES_TOTAL": 120, "CRIMES_PUBLIC": 40, "CRIMES_JUVENILE": 3, "JUVENILES_14_18": 300,
    "DRUG_CRIMINAL_CASES": 4, "DRUG_ADMIN_CASES": 3, "DRUG_USERS_CRIMINAL": 2, "DRUG_USERS_ADMIN": 3,
    "DRUG_POISONINGS": 0, "DRUG_DEATHS": 0, "POPULATION": 7000, "POPULATION_AVG": 6980,
    "ANTICOR_PLANNED": 4, "ANTICOR_DONE": 4, "ALERT_COVERED_K": 6.8,
    "BUDGET_FACT_MUNICIPAL": 20.0, "BUDGET_FACT_REGIONAL": 0.05, "BUDGET_FACT_OFFBUDGET": 0,
}

FLOOR = """
import sys
from pathlib import Path
from python_calamine import CalamineWorkbook
for path in sorted(Path(sys.argv[1]).iterdir()):
    wb = CalamineWorkbook.from_path(str(path))
    for name in wb.sheet_names:
        wb.get_sheet_by_name(name).to_python()
"""

NAIVE = """
import sys
from pathlib import Path
import openpyxl
for path in sorted(Path(sys.argv[1]).iterdir()):
    wb = openpyxl.load_workbook(path, data_only=True)
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            pass
"""

STAGES = """
import sys, time
from pathlib import Path
from kc_workbook.consolidate import consolidate
from kc_workbook.program import read_program
from kc_workbook.report import write_workbook
t0 = time.perf_counter()
program = read_program(sys.argv[1])
t1 = time.perf_counter()
result = consolidate(program, int(sys.argv[3]), Path(sys.argv[2]))
t2 = time.perf_counter()
write_workbook(result, sys.argv[4])
t3 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2)
"""

PEAK = """
import resource, runpy, sys
sys.argv = ["kc-workbook"] + sys.argv[1:]
try:
    runpy.run_module("kc_workbook", run_name="__main__")
except SystemExit:
    pass
finally:
    print("PEAK_KB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""


def synthetic_program(n: int, folder: Path) -> Path:
    """The built-in definition with N participants S0001…, every one supplying every input."""
    import openpyxl

    from kc_workbook.program import default_program_path

    path = folder / f"program_{n}.xlsx"
    wb = openpyxl.load_workbook(default_program_path())
    people = wb["Участники"]
    codes = [f"S{i:04d}" for i in range(1, n + 1)]
    for i, code in enumerate(codes):
        people.append([code, f"участник {i + 1}", f"синтетический участник № {i + 1}", "участник"])
    inputs = wb["Исходные данные"]
    column = next(c for c in inputs[1] if str(c.value).startswith("Представляют")).column
    for row in range(2, inputs.max_row + 1):
        if inputs.cell(row, 1).value:
            inputs.cell(row, column).value = "; ".join(codes)
    wb.save(path)
    return path


def prepare(n: int, folder: Path) -> tuple[Path, Path, list[float]]:
    from kc_workbook.generate import generate, workbook_file_name, write_participant_workbook
    from kc_workbook.program import read_program

    program = read_program(synthetic_program(n, folder))
    templates = folder / f"templates_{n}"
    per_workbook = []
    start = time.perf_counter()
    for _ in generate(program, YEAR, templates):
        now = time.perf_counter()
        per_workbook.append(now - start)
        start = now
    inbox = folder / f"inbox_{n}"
    for code in program.suppliers(YEAR):
        write_participant_workbook(program, code, YEAR, inbox / workbook_file_name(program, code, YEAR), values=VALUES)
    return Path(program.path), inbox, per_workbook


def timed(cmd: list[str]) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    return time.perf_counter() - start, done


def consolidate_cmd(program: Path, inbox: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "kc_workbook", "consolidate", "--year", str(YEAR), str(inbox),
            "--program", str(program), "--out", str(out)]


def median_of(runs: int, cmd: list[str], ok=(0, 1)) -> float:
    times = []
    for _ in range(runs):
        seconds, done = timed(cmd)
        if done.returncode not in ok:
            raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr}")
        times.append(seconds)
    return statistics.median(times)


def peak_mb(program: Path, inbox: Path, out: Path) -> float:
    cmd = [sys.executable, "-c", PEAK, *consolidate_cmd(program, inbox, out)[3:]]
    _, done = timed(cmd)
    return int(done.stderr.rsplit("PEAK_KB", 1)[1].split()[0]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=1000, help="number of suppliers (default 1000)")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (default 3)")
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="kc_bench_"))
    try:
        print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
              f"Python {platform.python_version()}, {platform.system()}")
        print(f"preparing N = {args.n} and N = 100 …", flush=True)
        program, inbox, per_workbook = prepare(args.n, folder)
        program_100, inbox_100, _ = prepare(100, folder)
        small = folder / "inbox_10"
        small.mkdir()
        for path in sorted(inbox_100.iterdir())[:10]:
            shutil.copy(path, small)
        out = folder / "out.xlsx"
        py = sys.executable

        consolidate = median_of(args.runs, consolidate_cmd(program, inbox, out))
        floor = median_of(args.runs, [py, "-c", FLOOR, str(inbox)], ok=(0,))
        naive = median_of(max(1, args.runs // 2), [py, "-c", NAIVE, str(inbox)], ok=(0,))
        help_time = median_of(max(args.runs, 5), [py, "-m", "kc_workbook", "--help"], ok=(0,))
        ten = median_of(max(args.runs, 5), consolidate_cmd(program_100, small, folder / "out10.xlsx"))
        stages = subprocess.run([py, "-c", STAGES, str(program), str(inbox), str(YEAR), str(folder / "s.xlsx")],
                                capture_output=True, text=True, check=True).stdout.split()
        load_s, read_s, write_s = (float(x) for x in stages)
        mem_100 = peak_mb(program_100, inbox_100, folder / "m100.xlsx")
        mem_n = peak_mb(program, inbox, folder / "mn.xlsx")
        gen_ms = statistics.median(per_workbook) * 1000

        rows = [
            (f"generate, per workbook (N = {args.n})", f"{gen_ms:.1f} ms", "≤ 10 ms"),
            (f"consolidate N = {args.n}, new process", f"{consolidate:.2f} s", ""),
            ("floor: calamine reads every sheet, new process", f"{floor:.2f} s", ""),
            ("naive: openpyxl.load_workbook loop, new process", f"{naive:.2f} s", ""),
            ("  of which: load the program definition", f"{load_s:.2f} s", ""),
            ("  of which: read, check and compute", f"{read_s:.2f} s", ""),
            ("  of which: write the consolidated workbook", f"{write_s:.2f} s", ""),
            ("consolidate / floor", f"{consolidate / floor:.2f} ×", "≤ 2 ×"),
            ("naive / consolidate", f"{naive / consolidate:.1f} ×", "≥ 10 ×"),
            ("kc-workbook --help", f"{help_time * 1000:.0f} ms", "< 150 ms"),
            ("consolidate of 10 workbooks, start included", f"{ten:.2f} s", "< 0.5 s"),
            ("peak RSS of consolidate, N = 100", f"{mem_100:.0f} MB", ""),
            (f"peak RSS of consolidate, N = {args.n}", f"{mem_n:.0f} MB", f"≤ 1.5 × N=100 ({mem_n / mem_100:.2f} ×)"),
        ]
        width = max(len(r[0]) for r in rows)
        print(f"\n{'measure':<{width}}  {'median':>10}  goal")
        for name, value, goal in rows:
            print(f"{name:<{width}}  {value:>10}  {goal}")
    finally:
        if args.keep:
            print(f"files kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
