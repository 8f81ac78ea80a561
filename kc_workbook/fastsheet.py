"""A large worksheet written as XML in one pass, spliced into the file XlsxWriter wrote.

XlsxWriter costs about 8 µs a cell (a Python object per cell, then XML through generic
tag writers). The provenance sheet of a region-wide consolidation has a quarter of a million
cells, so writing it dominated a run. Here XlsxWriter still makes the sheet — title, header,
widths, filters, conditional formats, print setup — and every other part of the workbook;
the sheet's data rows are rendered here, straight to XML (inline strings, the form XlsxWriter
itself uses in constant-memory mode), into a temporary file as they come, so memory stays flat.
After ``Workbook.close()``, ``splice`` copies the package entry by entry into a new zip,
inserting those rows into the sheet's ``<sheetData>`` and widening its ``<dimension>``.

The XML of a row is what XlsxWriter writes for the same ``write_string`` / ``write_number`` /
``write_blank`` calls in constant-memory mode (tests/test_speed_writer.py holds it to that),
and the package keeps XlsxWriter's entry order, timestamps, attributes and compression (the
spliced sheet at deflate level 1): the same input gives the same bytes.

Tied to XlsxWriter in two places: ``Format._get_xf_index()`` (the style number a format gets
in styles.xml; XlsxWriter assigns it on first use) and the part name
``xl/worksheets/sheet{index + 1}.xml``; ``splice`` checks the latter and fails loudly.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import shutil
import tempfile
import zipfile
from pathlib import Path

STRING_MAX = 32767  # Excel's limit, in UTF-16 units; XlsxWriter truncates longer strings
_CONTROL_ESCAPED = re.compile("(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"([\x00-\x08\x0b-\x1f])")
_DIMENSION = re.compile(r'<dimension ref="[^"]*"/>')
_COLUMNS = [chr(65 + i) for i in range(26)] + [chr(65 + i) + chr(65 + j) for i in range(26) for j in range(26)]


def _column(col: int) -> str:
    return _COLUMNS[col]


def _text(value: str) -> str:
    """The inline-string XML of a text: XlsxWriter's truncation, control-character and XML escapes."""
    if len(value) > STRING_MAX // 2 and len(value.encode("utf-16-le", "surrogatepass")) // 2 > STRING_MAX:
        length = 0
        for index, char in enumerate(value):
            length += 2 if ord(char) > 0xFFFF else 1
            if length > STRING_MAX:
                value = value[:index]
                break
    value = _CONTROL_ESCAPED.sub(r"_x005F\1", value)
    value = _CONTROL.sub(lambda m: f"_x{ord(m.group(1)):04X}_", value)
    value = value.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
    preserve = ' xml:space="preserve"' if value[:1].isspace() or value[-1:].isspace() else ""
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f' t="inlineStr"><is><t{preserve}>{value}</t></is></c>'


class FastRows:
    """The data rows of one XlsxWriter worksheet, rendered to XML as they are added.

    ``add(r, cells, height)``: ``cells`` are ``(value, format)`` pairs from column 0; a value is
    None (a blank cell with its format), an int or float (a number), a datetime (a serial
    number), or anything else (its ``str()`` as text) — the rules of ``report._cell``; the
    height is in points, as ``set_row`` takes it. Rows go top to bottom, below every row
    XlsxWriter itself writes in that sheet.
    """

    def __init__(self, ws, tmpdir: str | Path | None = None):
        self.ws = ws
        self.first = self.last = None
        self.last_col = -1
        self._fh = tempfile.TemporaryFile(dir=tmpdir)  # the rows' XML, UTF-8
        self._tails: dict = {}  # (class, value, id(format)) → the XML after a cell's reference
        self._styles: dict = {}  # id(format) → ' s="n"'
        self._keep: list = []
        self._buffer: list[str] = []

    def _style(self, fmt) -> str:
        key = id(fmt)
        style = self._styles.get(key)
        if style is None:
            style = f' s="{fmt._get_xf_index()}"' if fmt is not None else ""
            self._styles[key] = style
            self._keep.append(fmt)  # ids stay unique while the format lives
        return style

    def _tail(self, value, fmt) -> str:
        """The XML of a cell after its reference."""
        style = self._style(fmt)
        if value is None or value == "":  # as report_base._cell: an empty text is a blank cell
            return f"{style}/>"
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if not math.isfinite(value):
                raise ValueError(f"not a finite number: {value!r}")
            return f"{style}><v>{value:.16G}</v></c>"
        if isinstance(value, dt.datetime):  # as write_datetime: a serial number in the cell's format
            return f"{style}><v>{self.ws._convert_date_time(value):.16G}</v></c>"
        return style + _text(str(value))

    def add(self, r: int, cells, height: float | None = None) -> None:
        if self.last is not None and r <= self.last:
            raise ValueError(f"rows go top to bottom: row {r} after {self.last}")
        if self.first is None:
            self.first = r
        self.last = r
        ws = self.ws
        # As XlsxWriter's set_row(r, height): a height in points, kept in pixels.
        pixels = ws.default_row_height if height is None else int(height * 4.0 / 3.0 + 0.5)
        extra = ' x14ac:dyDescent="0.25"' if ws.excel_version == 2010 else ""
        if pixels != ws.original_row_height or pixels != ws.default_row_height:
            parts = [f'<row r="{r + 1}" ht="{pixels * 0.75:.16g}" customHeight="1"{extra}>']
        else:
            parts = [f'<row r="{r + 1}"{extra}>']
        number = str(r + 1)
        tails = self._tails
        last_col = -1
        for c, (value, fmt) in enumerate(cells):
            # The same value in the same format recurs down a column (code, name, file, total…):
            # render it once. The class is in the key, so that 1, 1.0 and True stay apart.
            key = (value.__class__, value, id(fmt))
            try:
                tail = tails.get(key)
            except TypeError:  # an unhashable value
                key, tail = None, None
            if tail is None:
                if value is None and fmt is None:
                    continue  # XlsxWriter ignores a blank cell without a format
                tail = self._tail(value, fmt)
                if key and len(tails) < 50_000:  # bounded: memory stays flat in N
                    tails[key] = tail
            parts.append(f'<c r="{_COLUMNS[c]}{number}"{tail}')
            last_col = c
        if last_col > self.last_col:
            self.last_col = last_col
        parts.append("</row>")
        self._buffer.append("".join(parts))
        if len(self._buffer) >= 512:
            self._flush()

    def _flush(self) -> None:
        self._fh.write("".join(self._buffer).encode("utf-8"))
        self._buffer.clear()

    def dimension(self) -> str:
        """The sheet's used range, XlsxWriter's cells and these rows together."""
        ws = self.ws
        rows = [x for x in (ws.dim_rowmin, ws.dim_rowmax, self.first, self.last) if x is not None]
        cols = [x for x in (ws.dim_colmin, ws.dim_colmax) if x is not None]
        if self.last_col >= 0:
            cols += [0, self.last_col]
        if not rows or not cols:
            return "A1"
        first = f"{_column(min(cols))}{min(rows) + 1}"
        last = f"{_column(max(cols))}{max(rows) + 1}"
        return first if first == last else f"{first}:{last}"

    def part(self) -> str:
        return f"xl/worksheets/sheet{self.ws.index + 1}.xml"

    def write_into(self, out, head: str, tail: str) -> None:
        """Write the sheet part: XlsxWriter's XML up to ``</sheetData>``, these rows, the rest."""
        self._flush()
        self._fh.seek(0)
        out.write(head.encode("utf-8"))
        while True:
            chunk = self._fh.read(1 << 16)
            if not chunk:
                break
            out.write(chunk)
        out.write(tail.encode("utf-8"))

    def close(self) -> None:
        self._fh.close()


def splice(path: str | Path, sheets: list[FastRows]) -> None:
    """Put the rows of ``sheets`` into the workbook XlsxWriter wrote at ``path`` (in place)."""
    path = Path(path)
    by_part = {s.part(): s for s in sheets if s.first is not None}
    if not by_part:
        return
    # A name the next run recognises and removes if this one is killed (output.clean_temporary),
    # with the mode the umask gives, as every file we write.
    from .output import new_temporary

    tmp = str(new_temporary(path))
    try:
        with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
            names = set(src.namelist())
            missing = sorted(set(by_part) - names)
            if missing:
                raise RuntimeError(f"worksheet part not found in the workbook: {', '.join(missing)}")
            for info in src.infolist():
                new = zipfile.ZipInfo(info.filename, info.date_time)
                new.compress_type = info.compress_type
                new.external_attr = info.external_attr
                new.create_system = info.create_system
                sheet = by_part.get(info.filename)
                if sheet is None:
                    with src.open(info) as data, dst.open(new, "w") as out:
                        shutil.copyfileobj(data, out, 1 << 16)
                    continue
                xml = src.read(info).decode("utf-8")
                if "</sheetData>" in xml:
                    head, tail = xml.split("</sheetData>", 1)
                    tail = "</sheetData>" + tail
                elif "<sheetData/>" in xml:
                    head, tail = xml.split("<sheetData/>", 1)
                    head, tail = head + "<sheetData>", "</sheetData>" + tail
                else:
                    raise RuntimeError(f"no <sheetData> in {info.filename}")
                head, count = _DIMENSION.subn(f'<dimension ref="{sheet.dimension()}"/>', head, count=1)
                if count != 1:
                    raise RuntimeError(f"no <dimension> in {info.filename}")
                # Deflate level 1: a third of level 6's time on the large sheet, for a part about a fifth
                # larger. (ZipFile.open ignores the archive's compresslevel for a given ZipInfo; the
                # attribute is ZipInfo's own, also under this name since Python 3.13 renamed it.)
                new._compresslevel = 1
                with dst.open(new, "w") as out:
                    sheet.write_into(out, head, tail)
        os.replace(tmp, path)
    finally:
        for s in sheets:
            s.close()
        if os.path.exists(tmp):
            os.unlink(tmp)
        from .output import _LIVE

        _LIVE.discard(tmp)
