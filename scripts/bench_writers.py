"""Per-cell cost of ways to write the provenance sheet («Исходные данные») of a large consolidation.

    python scripts/bench_writers.py              # N = 1000 suppliers, 3 runs each
    python scripts/bench_writers.py -n 200 --runs 5

Generates and consolidates N workbooks (as scripts/bench.py does), records the rows
report._inputs writes, and writes them — a workbook with that one sheet — in each way:

- xlsxwriter, a call per cell (report._cell, as before), constant-memory and shared-strings modes;
- xlsxwriter ``write_row`` with pre-built formats, constant-memory mode;
- rustpy-xlsxwriter (Rust, if installed): the rows as records with per-column formats —
  it cannot give a cell its own format (column «Принято» mixes 0 and 0.000);
- kc_workbook.fastsheet: rows rendered to XML in one pass, spliced into XlsxWriter's package.

Then the whole consolidated workbook (write_workbook) with fastsheet and cell by cell.
Each way writes twice, a second apart, to say whether its output is deterministic
(byte-identical). Medians of --runs, wall and CPU time, and CPU µs a cell are printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

HEADERS = ["Код", "Исходные данные", "Ед. изм.", "Участник", "Файл", "Лист", "Ячейка", "Введено", "Принято",
           "Итого по программе", "Примечание"]


class Recorder:
    """Stands in for fastsheet.FastRows in report._inputs: keeps the rows, formats by number format."""

    rows: list = []

    def __init__(self, ws, tmpdir=None):
        Recorder.rows = []

    def add(self, r, cells, height=None):
        Recorder.rows.append(([(v, fmt.num_format if fmt.num_format in ("0", "0.000") else 0) for v, fmt in cells],
                              height))


def record_rows(result) -> list:
    import xlsxwriter

    from kc_workbook import report

    saved = report.FastRows
    report.FastRows = Recorder
    try:
        with tempfile.TemporaryDirectory() as tmp:
            wb = xlsxwriter.Workbook(str(Path(tmp) / "x.xlsx"))
            report._inputs(wb, report._Formats(wb), result)
            wb.close()
    finally:
        report.FastRows = saved
    return Recorder.rows


def _workbook(path, constant_memory):
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": constant_memory, "strings_to_formulas": False,
                                         "strings_to_urls": False, "strings_to_numbers": False,
                                         "tmpdir": str(Path(path).parent)})
    wb.set_properties({"created": dt.datetime(2026, 1, 1)})
    base = {"font_name": "Arial", "font_size": 10, "valign": "top", "border": 1}
    formats = {0: wb.add_format({**base, "text_wrap": True}), "0": wb.add_format({**base, "num_format": "0"}),
               "0.000": wb.add_format({**base, "num_format": "0.000"})}
    ws = wb.add_worksheet("Исходные данные")
    ws.write_row(2, 0, HEADERS, formats[0])
    return wb, ws, formats


def xlsxwriter_cells(rows, path, constant_memory=True):
    from kc_workbook.report import _cell

    wb, ws, formats = _workbook(path, constant_memory)
    for r, (cells, height) in enumerate(rows, start=3):
        for c, (value, key) in enumerate(cells):
            _cell(ws, r, c, value, formats[key])
        if height:
            ws.set_row(r, height)
    wb.close()


def xlsxwriter_write_row(rows, path):
    wb, ws, formats = _workbook(path, True)
    text = formats[0]
    for r, (cells, height) in enumerate(rows, start=3):
        if height:
            ws.set_row(r, height)
        ws.write_row(r, 0, [v for v, _ in cells[:8]], text)  # write() dispatches on type; None → blank
        for c in (8, 9):
            value, key = cells[c]
            if value is None:
                ws.write_blank(r, c, None, formats[key])
            else:
                ws.write_number(r, c, value, formats[key])
        ws.write_string(r, 10, str(cells[10][0] or ""), text)
    wb.close()


def rust_writer(rows, path):
    from rustpy_xlsxwriter import Format, write_worksheet

    records = [{h: (v if v is None or isinstance(v, (int, float)) else str(v)) for h, (v, _) in zip(HEADERS, cells)}
               for cells, _ in rows]
    heights = {r: h for r, (_, h) in enumerate(rows, start=1) if h}
    text = Format().set_font_name("Arial").set_font_size(10).set_border("thin").set_text_wrap()
    number = Format().set_font_name("Arial").set_font_size(10).set_border("thin").set_num_format("0")
    write_worksheet(records, str(path), sheet_name="Исходные данные",
                    column_formats=[text] * 8 + [number, number, text], row_heights=heights)


def fast_writer(rows, path):
    from kc_workbook.fastsheet import FastRows, splice

    wb, ws, formats = _workbook(path, True)
    fast = FastRows(ws, Path(path).parent)
    for r, (cells, height) in enumerate(rows, start=3):
        fast.add(r, [(v, formats[k]) for v, k in cells], height)
    wb.close()
    splice(path, [fast])


def whole_workbook(result, path, cell_by_cell=False):
    from kc_workbook import report

    if not cell_by_cell:
        report.write_workbook(result, path)
        return
    saved = report.FastRows, report.splice

    class CellByCell:
        def __init__(self, ws, tmpdir=None):
            self.ws = ws

        def add(self, r, cells, height=None):
            for c, (value, fmt) in enumerate(cells):
                report._cell(self.ws, r, c, value, fmt)
            if height:
                self.ws.set_row(r, height)

    report.FastRows, report.splice = CellByCell, lambda path, sheets: None
    try:
        report.write_workbook(result, path)
    finally:
        report.FastRows, report.splice = saved


def measure(write, runs: int, folder: Path) -> tuple[float, float, bool]:
    """Median wall and CPU seconds (CPU time is what other processes on a shared machine disturb
    least), and whether the first two runs wrote the same bytes (a second apart at least)."""
    walls, cpus, outputs = [], [], []
    for i in range(max(runs, 2)):
        path = folder / f"w{i}.xlsx"
        if i == 1:
            time.sleep(max(0.0, 1.1 - walls[0]))  # a writer that stamps the time shows it
        start, cpu = time.perf_counter(), time.process_time()
        write(path)
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
        outputs.append(path.read_bytes())
        path.unlink()
    return statistics.median(walls), statistics.median(cpus), outputs[0] == outputs[1]


def main() -> None:
    from bench import YEAR, prepare

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=1000, help="number of suppliers (default 1000)")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (default 3)")
    args = parser.parse_args()

    from kc_workbook.consolidate import consolidate
    from kc_workbook.program import read_program

    folder = Path(tempfile.mkdtemp(prefix="kc_bench_writers_"))
    try:
        print(f"preparing N = {args.n} …", flush=True)
        program_path, inbox, _ = prepare(args.n, folder)
        result = consolidate(read_program(program_path), YEAR, inbox)
        rows = record_rows(result)
        cells = sum(len(c) for c, _ in rows)
        print(f"provenance sheet: {len(rows)} rows, {cells} cells\n")
        ways = [
            ("xlsxwriter, a call per cell, constant memory (before)", lambda p: xlsxwriter_cells(rows, p)),
            ("xlsxwriter, a call per cell, shared strings", lambda p: xlsxwriter_cells(rows, p, False)),
            ("xlsxwriter write_row, pre-built formats, constant memory", lambda p: xlsxwriter_write_row(rows, p)),
        ]
        try:
            import rustpy_xlsxwriter  # noqa: F401

            ways.append(("rustpy-xlsxwriter, records, per-column formats", lambda p: rust_writer(rows, p)))
        except ImportError:
            print("rustpy-xlsxwriter is not installed: skipped (pip install rustpy-xlsxwriter)")
        ways.append(("fastsheet: one-pass XML spliced into the package (now)", lambda p: fast_writer(rows, p)))
        width = max(len(w[0]) for w in ways) + 2
        head = f"{'wall':>8}  {'CPU':>8}  {'µs/cell (CPU)':>13}  same bytes twice"
        print(f"{'the provenance sheet alone':<{width}}  {head}")
        for name, write in ways:
            wall, cpu, same = measure(write, args.runs, folder)
            print(f"{name:<{width}}  {wall:>7.2f}s  {cpu:>7.2f}s  {cpu / cells * 1e6:>13.2f}  {'yes' if same else 'NO'}",
                  flush=True)
        print(f"\n{'the whole consolidated workbook':<{width}}  {head}")
        for name, flag in (("write_workbook, provenance cell by cell (before)", True),
                           ("write_workbook, provenance by fastsheet (now)", False)):
            wall, cpu, same = measure(lambda p: whole_workbook(result, p, flag), args.runs, folder)
            print(f"{name:<{width}}  {wall:>7.2f}s  {cpu:>7.2f}s  {'':>13}  {'yes' if same else 'NO'}", flush=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
