"""Per-file CPU cost of reading a participant workbook, in one process, piece by piece.

    python scripts/bench_reading.py          # 200 generated workbooks, best of 5 passes

Prints, per file: the bare python-calamine floor (open, read every sheet), preflight.examine
(the file as bytes: zip directory, every XML part inflated and scanned), and read_submission
(examine, then calamine on the same bytes, then identification, values and checks). CPU time,
the best of --passes passes, so that other work on the machine weighs little.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))


def best(passes: int, files: list[Path], work) -> float:
    fastest = float("inf")
    for _ in range(passes):
        start = time.process_time()
        for path in files:
            work(path)
        fastest = min(fastest, time.process_time() - start)
    return fastest / len(files) * 1000


def main() -> None:
    from bench import YEAR, prepare
    from python_calamine import CalamineWorkbook

    from kc_workbook.preflight import examine
    from kc_workbook.program import read_program
    from kc_workbook.read import read_submission

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=200, help="number of workbooks (default 200)")
    parser.add_argument("--passes", type=int, default=5, help="passes over them (default 5)")
    args = parser.parse_args()

    def floor(path: Path) -> None:
        wb = CalamineWorkbook.from_path(str(path))
        for name in wb.sheet_names:
            wb.get_sheet_by_name(name).to_python()

    folder = Path(tempfile.mkdtemp(prefix="kc_bench_reading_"))
    try:
        program_path, inbox, _ = prepare(args.n, folder)
        program = read_program(program_path)
        files = sorted(inbox.iterdir())
        floor_ms = best(args.passes, files, floor)
        examine_ms = best(args.passes, files, examine)
        read_ms = best(args.passes, files, lambda p: read_submission(p, program, YEAR))
        print(f"per file, CPU ms (best of {args.passes} passes over {len(files)} files)")
        print(f"  floor: calamine opens and reads every sheet   {floor_ms:6.2f}")
        print(f"  preflight.examine                             {examine_ms:6.2f}")
        print(f"  read_submission (examine included)            {read_ms:6.2f}  = {read_ms / floor_ms:.2f} × the floor")
        print(f"    of which parsing, identification and checks {read_ms - examine_ms:6.2f}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
