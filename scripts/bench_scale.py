"""Benchmark: the main process's peak memory of ``consolidate`` as the inbox grows.

    python scripts/bench_scale.py                    # 2 000 and 30 000 files
    python scripts/bench_scale.py --sizes 500 2000 8000

The demo's definition and filled inbox (ten participants and the executor, an older
answer, an Excel lock file, a note) are copied round-robin into an inbox of N files, in
sub-folders of 1 000, each copy under its own name: most files are then repeated answers
of the same participants, as in an inbox that collected every letter of several years.
``kc-workbook consolidate`` runs on each inbox in a new process, as a user runs it; the
peak resident memory (VmHWM; ``ru_maxrss`` off Linux) of the main process only is printed (worker
processes are not counted: they are bounded by the chunk they read), with the wall time
and the ratio to the first size. Issue #14 asks that 30 000 files stay within 1.5 × of
2 000 files.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench import PEAK  # noqa: E402  (the same measure of the program's own peak memory)


def demo_inbox(folder: Path) -> tuple[Path, Path, int]:
    """The demo's filled inbox and its definition (the built-in one with the sample measures)."""
    from kc_workbook.demo import DEMO_YEAR, run_demo
    from kc_workbook.program import default_program_path, read_program

    run = run_demo(read_program(default_program_path()), folder / "demo", DEMO_YEAR)
    return run.inbox, run.definition, DEMO_YEAR


def fill(source: Path, target: Path, n: int) -> None:
    files = sorted(p for p in source.rglob("*") if p.is_file())
    for i in range(n):
        original = files[i % len(files)]
        place = target / f"папка {i // 1000:02d}"
        place.mkdir(parents=True, exist_ok=True)
        name = original.name
        if not name.startswith(("~$", ".~lock")):
            name = f"{i:05d} {name}"
        shutil.copyfile(original, place / name)


def measure(inbox: Path, definition: Path, year: int, out: Path) -> tuple[float, float, int]:
    cmd = [sys.executable, "-c", PEAK, "consolidate", "--year", str(year), str(inbox),
           "--program", str(definition), "--out", str(out)]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1) or "PEAK_KB" not in done.stderr:
        raise SystemExit(f"consolidate failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return int(done.stderr.rsplit("PEAK_KB", 1)[1].split()[0]) / 1024, seconds, done.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 30000], help="inbox sizes (files)")
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="kc_scale_"))
    try:
        source, definition, year = demo_inbox(folder)
        first = None
        print(f"{'files':>7}  {'peak MB (main)':>14}  {'× first':>7}  {'seconds':>7}  exit")
        for n in args.sizes:
            inbox = folder / f"inbox_{n}"
            fill(source, inbox, n)
            peak, seconds, code = measure(inbox, definition, year, folder / f"consolidated_{n}.xlsx")
            first = first or peak
            print(f"{n:>7}  {peak:>14.1f}  {peak / first:>7.2f}  {seconds:>7.1f}  {code}", flush=True)
            shutil.rmtree(inbox)
    finally:
        if args.keep:
            print(f"files kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
