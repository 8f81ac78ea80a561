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

Medians over --runs runs are printed with the ratios the goals speak of, with the spread
(fastest–slowest run) and the CPU time (user + system, of the process and its children):
on a machine shared with other work the wall times swing, the CPU times much less. The load
average before and after is printed too.
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
import resource, sys, time
from pathlib import Path
from kc_workbook.consolidate import consolidate
from kc_workbook.program import read_program
from kc_workbook.report import write_workbook
def cpu():
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
t0, c0 = time.perf_counter(), cpu()
program = read_program(sys.argv[1])
t1, c1 = time.perf_counter(), cpu()
result = consolidate(program, int(sys.argv[3]), Path(sys.argv[2]))
t2, c2 = time.perf_counter(), cpu()
write_workbook(result, sys.argv[4])
t3, c3 = time.perf_counter(), cpu()
print(t1 - t0, t2 - t1, t3 - t2, c1 - c0, c2 - c1, c3 - c2)
"""

PEAK = """
import resource, runpy, sys
sys.argv = ["kc-workbook"] + sys.argv[1:]
try:
    runpy.run_module("kc_workbook", run_name="__main__")
except SystemExit:
    pass
finally:
    # VmHWM: this program's own peak. Linux folds the parent's peak into ru_maxrss at exec
    # (the launching process's memory, when it is the larger), so ru_maxrss only elsewhere.
    try:
        peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print("PEAK_KB", peak, file=sys.stderr)
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


def children_cpu() -> float:
    try:
        import resource
    except ImportError:  # Windows: no CPU figures
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


# As a user runs it: an installed package has its bytecode; an environment that forbids
# writing it (PYTHONDONTWRITEBYTECODE, set on some CI machines) would time compiling instead.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(cmd: list[str]) -> tuple[float, subprocess.CompletedProcess, float]:
    """Wall seconds, the finished process, and its CPU seconds (its own children included)."""
    start, cpu = time.perf_counter(), children_cpu()
    done = subprocess.run(cmd, capture_output=True, text=True, env=ENV)
    return time.perf_counter() - start, done, children_cpu() - cpu


def consolidate_cmd(program: Path, inbox: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "kc_workbook", "consolidate", "--year", str(YEAR), str(inbox),
            "--program", str(program), "--out", str(out)]


class Runs:
    """Wall and CPU seconds of repeated runs: medians, and the spread of the wall times."""

    def __init__(self, walls: list[float], cpus: list[float]):
        self.wall, self.cpu = statistics.median(walls), statistics.median(cpus)
        self.low, self.high = min(walls), max(walls)

    def spread(self, scale: float = 1.0, digits: int = 2) -> str:
        return f"{self.low * scale:.{digits}f}–{self.high * scale:.{digits}f}"


def median_of(runs: int, cmd: list[str], ok=(0, 1)) -> Runs:
    walls, cpus = [], []
    for _ in range(runs):
        seconds, done, cpu = timed(cmd)
        if done.returncode not in ok:
            raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr}")
        walls.append(seconds)
        cpus.append(cpu)
    return Runs(walls, cpus)


def interleaved(runs: int, cmds: list[tuple[list[str], tuple]]) -> list[Runs]:
    walls, cpus = [[] for _ in cmds], [[] for _ in cmds]
    for _ in range(runs):
        for i, (cmd, ok) in enumerate(cmds):
            seconds, done, cpu = timed(cmd)
            if done.returncode not in ok:
                raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr}")
            walls[i].append(seconds)
            cpus[i].append(cpu)
    return [Runs(w, c) for w, c in zip(walls, cpus)]


def peak_mb(program: Path, inbox: Path, out: Path) -> float:
    cmd = [sys.executable, "-c", PEAK, *consolidate_cmd(program, inbox, out)[3:]]
    _, done, _ = timed(cmd)
    return int(done.stderr.rsplit("PEAK_KB", 1)[1].split()[0]) / 1024


def machine_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def load() -> str:
    try:
        return " ".join(f"{x:.1f}" for x in os.getloadavg())
    except (AttributeError, OSError):
        return "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=1000, help="number of suppliers (default 1000)")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (default 3)")
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="kc_bench_"))
    try:
        print(f"machine: {machine_name()}, {os.cpu_count()} cores, "
              f"Python {platform.python_version()}, {platform.system()}; load average {load()}")
        print(f"preparing N = {args.n} and N = 100 …", flush=True)
        program, inbox, per_workbook = prepare(args.n, folder)
        program_100, inbox_100, _ = prepare(100, folder)
        small = folder / "inbox_10"
        small.mkdir()
        for path in sorted(inbox_100.iterdir())[:10]:
            shutil.copy(path, small)
        out = folder / "out.xlsx"
        py = sys.executable

        subprocess.run([py, "-m", "compileall", "-q", str(Path(__file__).resolve().parent.parent / "kc_workbook")],
                       env=ENV, check=False)  # the bytecode an installed package has
        # consolidate and the floor take turns, so that a burst of other work weighs on both
        consolidate, floor = interleaved(args.runs, [(consolidate_cmd(program, inbox, out), (0, 1)),
                                                     ([py, "-c", FLOOR, str(inbox)], (0,))])
        naive = median_of(max(1, args.runs // 2), [py, "-c", NAIVE, str(inbox)], ok=(0,))
        help_time = median_of(max(args.runs, 5), [py, "-m", "kc_workbook", "--help"], ok=(0,))
        ten = median_of(max(args.runs, 5), consolidate_cmd(program_100, small, folder / "out10.xlsx"))
        stage_runs = [[float(x) for x in subprocess.run(
            [py, "-c", STAGES, str(program), str(inbox), str(YEAR), str(folder / "s.xlsx")],
            capture_output=True, text=True, check=True, env=ENV).stdout.split()] for _ in range(args.runs)]
        load_s, read_s, write_s, load_c, read_c, write_c = (statistics.median(x) for x in zip(*stage_runs))
        mem_100 = peak_mb(program_100, inbox_100, folder / "m100.xlsx")
        mem_n = peak_mb(program, inbox, folder / "mn.xlsx")
        gen_ms = statistics.median(per_workbook) * 1000

        c, f, nv = consolidate, floor, naive
        rows = [
            (f"generate, per workbook (N = {args.n})", f"{gen_ms:.1f} ms", "", "", "≤ 10 ms"),
            (f"consolidate N = {args.n}, new process", f"{c.wall:.2f} s", f"{c.cpu:.2f} s", c.spread(), ""),
            ("floor: calamine reads every sheet, new process", f"{f.wall:.2f} s", f"{f.cpu:.2f} s", f.spread(), ""),
            ("naive: openpyxl.load_workbook loop, new process", f"{nv.wall:.2f} s", f"{nv.cpu:.2f} s", nv.spread(), ""),
            ("  of which: load the program definition", f"{load_s:.2f} s", f"{load_c:.2f} s", "", ""),
            ("  of which: read, check and compute", f"{read_s:.2f} s", f"{read_c:.2f} s", "", ""),
            ("  of which: write the consolidated workbook", f"{write_s:.2f} s", f"{write_c:.2f} s", "",
             f"≤ read ({write_s / read_s:.2f} ×)"),
            ("read, check and compute / floor", f"{read_s / f.wall:.2f} ×", f"{read_c / f.cpu:.2f} ×", "", "≤ 1.5 ×"),
            ("consolidate / floor", f"{c.wall / f.wall:.2f} ×", f"{c.cpu / f.cpu:.2f} ×", "", "≤ 2 ×"),
            ("naive / consolidate", f"{nv.wall / c.wall:.1f} ×", f"{nv.cpu / c.cpu:.1f} ×", "", "≥ 10 ×"),
            ("kc-workbook --help", f"{help_time.wall * 1000:.0f} ms", f"{help_time.cpu * 1000:.0f} ms",
             help_time.spread(1000, 0), "< 150 ms"),
            ("consolidate of 10 workbooks, start included", f"{ten.wall:.2f} s", f"{ten.cpu:.2f} s", ten.spread(),
             "< 0.5 s"),
            ("peak RSS of consolidate, N = 100", f"{mem_100:.0f} MB", "", "", ""),
            (f"peak RSS of consolidate, N = {args.n}", f"{mem_n:.0f} MB", "", "",
             f"≤ 1.5 × N=100 ({mem_n / mem_100:.2f} ×)"),
        ]
        width = max(len(r[0]) for r in rows)
        print(f"\n{'measure':<{width}}  {'median':>9}  {'CPU':>9}  {'spread':>11}  goal")
        for name, value, cpu, spread, goal in rows:
            print(f"{name:<{width}}  {value:>9}  {cpu:>9}  {spread:>11}  {goal}")
        print(f"load average after: {load()}")
    finally:
        if args.keep:
            print(f"files kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
