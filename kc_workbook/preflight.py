"""Look at a file before any spreadsheet library parses it.

Workbooks come from outside the administration. A zip bomb, an XML entity bomb or a sheet
that claims a cell at XFD1048576 (python-calamine aborts the whole process on it, with no
exception) must be stopped here, while the file is still only bytes. ``sniff`` names what a
file really is, whatever it is called, the problems that forbid reading it, and the notes
(macros) that do not.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

WORKBOOK_EXTENSIONS = {".xlsx", ".xlsm", ".xls", ".ods", ".xlsb", ".xltx", ".xltm", ".xlt", ".ots", ".fods"}


@dataclass(frozen=True)
class Limits:
    file_bytes: int = 20 * 1024 * 1024
    members: int = 500
    member_bytes: int = 50 * 1024 * 1024
    total_bytes: int = 150 * 1024 * 1024
    ratio: int = 100  # uncompressed / compressed, for members larger than ratio_floor
    ratio_floor: int = 1024 * 1024
    rows: int = 5000  # the participant templates use a few dozen rows and 12 columns
    columns: int = 100
    ods_cells: int = 500_000


LIMITS = Limits()

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGES = {b"\x89PNG": "изображение PNG", b"\xff\xd8\xff": "изображение JPEG", b"GIF8": "изображение GIF",
           b"BM": "изображение BMP", b"%PDF": "документ PDF", b"{\\rtf": "документ RTF",
           b"Rar!": "архив RAR", b"7z\xbc\xaf": "архив 7-Zip", b"\x1f\x8b": "архив gzip"}


def utf16(text: str) -> bytes:
    return text.encode("utf-16-le")


@dataclass
class Examination:
    """What a file is, what forbids reading it, what to note, and when it was last saved."""

    kind: str | None  # "xlsx" | "xlsm" | "ods" | "xls", or None when it is not a workbook we read
    what: str
    blocking: list[tuple[str, str]] = field(default_factory=list)  # (problem code, Russian message)
    notes: list[tuple[str, str]] = field(default_factory=list)
    recorded_at: dt.datetime | None = None
    # The file's bytes, read once here, for the reader to parse without opening the file again
    # (set for zip-based workbooks that may be read).
    data: bytes | None = field(default=None, repr=False)


_MACROS = ("workbook-macros", "в книге есть макросы; прочитаны только значения, макросы не запускались")
_PASSWORD = ("workbook-password", "книга защищена паролем на открытие")


def examine(path: Path, limits: Limits = LIMITS) -> Examination:
    """Look at the file as bytes, opening it once. Never parses a sheet."""
    size = path.stat().st_size
    if size > limits.file_bytes:
        return Examination(None, "слишком большой файл", [
            ("file-too-large", f"файл {size // (1024 * 1024)} МБ больше допустимых {limits.file_bytes // (1024 * 1024)} МБ")])
    with open(path, "rb") as fh:
        head = fh.read(4096)
    if head.startswith(b"PK\x03\x04"):
        return _examine_zip(path, limits)
    if head.startswith(_OLE):
        data = head + path.read_bytes()[len(head):]
        if utf16("EncryptedPackage") in data:
            return Examination(None, "книга Excel, защищённая паролем", [_PASSWORD])
        if utf16("WordDocument") in data:
            return Examination(None, "документ Word 97–2003")
        return Examination("xls", "книга Excel 97–2003", notes=[_MACROS] if utf16("_VBA_PROJECT") in data else [])
    return Examination(None, _what_else(head))


def sniff(path: Path) -> tuple[str | None, str]:
    """(kind, what it is), as ``examine`` finds them."""
    found = examine(path)
    return found.kind, found.what


def _what_else(head: bytes) -> str:
    if not head:
        return "пустой файл (0 байт)"
    for magic, what in _IMAGES.items():
        if head.startswith(magic):
            return what
    text = head.decode("utf-8", errors="ignore").lower()
    if "<html" in text or "<!doctype html" in text or "<table" in text:
        return "HTML-страница, сохранённая с другим расширением"
    if "urn:schemas-microsoft-com:office:spreadsheet" in text:
        return "таблица XML Excel 2003"
    if text.lstrip().startswith("<?xml"):
        return "XML-файл"
    lines = [line for line in text.splitlines() if line.strip()][:5]
    if lines and any(all(sep in line for line in lines) for sep in (";", ",", "\t")):
        return "текст CSV"
    if b"\x00" not in head:
        return "текстовый файл"
    return "файл неизвестного формата"


def _examine_zip(path: Path, limits: Limits) -> Examination:
    try:
        data = path.read_bytes()  # at most limits.file_bytes: read once, inspected from memory
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            zf.kc_data = data  # for _members: the parts are inflated straight from these bytes
            names = set(zf.namelist())
            if "xl/workbook.xml" in names:
                found = Examination("xlsm" if "xl/vbaProject.bin" in names else "xlsx", "книга Excel")
            elif "mimetype" in names and zf.read("mimetype").startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
                found = Examination("ods", "книга OpenDocument")
                manifest = "META-INF/manifest.xml"
                if manifest in names and zf.getinfo(manifest).file_size < 1_000_000 and \
                        b"encryption-data" in zf.read(manifest):
                    found.blocking.append(_PASSWORD)
                    return found
            elif "xl/workbook.bin" in names:
                return Examination(None, "двоичная книга Excel (.xlsb)")
            elif "word/document.xml" in names:
                return Examination(None, "документ Word")
            elif "content.xml" in names:
                return Examination(None, "документ OpenDocument, но не электронная таблица")
            else:
                return Examination(None, "zip-архив, а не книга")
            found.blocking.extend(_inspect_zip(zf, found.kind, limits))
            if found.kind == "xlsm" or any(n.startswith("Basic/") or n.endswith("vbaProject.bin") for n in names):
                found.notes.append(_MACROS)
            if not found.blocking:
                found.recorded_at = _recorded_time(zf, found.kind)
                found.data = data
            return found
    except (zipfile.BadZipFile, EOFError):
        return Examination(None, "повреждённый или обрезанный файл (архив неполон)")
    except (OSError, RuntimeError, NotImplementedError, ValueError) as exc:
        return Examination("xlsx", "книга", [("file-unreadable", f"архив книги повреждён: {exc}")])


_STAMP = {  # the element with the last-saved time, as a regex on the usual prefix, and by namespace
    "ods": ("meta.xml", re.compile(rb"<dc:date>([0-9T:.+Z-]+)</dc:date>"), b'xmlns:dc="http://purl.org/dc/elements/1.1/"',
            "{http://purl.org/dc/elements/1.1/}date"),
    "zip": ("docProps/core.xml", re.compile(rb"<dcterms:modified(?: [^>]*)?>([0-9T:.+Z-]+)</dcterms:modified>"),
            b'xmlns:dcterms="http://purl.org/dc/terms/"', "{http://purl.org/dc/terms/}modified"),
}


def _recorded_time(zf: zipfile.ZipFile, kind: str) -> dt.datetime | None:
    """The last-saved time recorded inside the file (Excel and LibreOffice update it on save)."""
    part, pattern, declaration, tag = _STAMP["ods" if kind == "ods" else "zip"]
    try:
        data = zf.read(part)
        # The usual spelling, found by a regex (a tenth of a parse's time); anything else, parsed.
        found = pattern.search(data) if declaration in data else None
        if found:
            text = found.group(1).decode("ascii")
        else:
            from defusedxml import ElementTree

            node = ElementTree.fromstring(data).find(f".//{tag}")
            if node is None or not node.text:
                return None
            text = node.text
        stamp = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
        if stamp.tzinfo is not None:
            stamp = stamp.astimezone(dt.timezone.utc).replace(tzinfo=None)
        return stamp
    except Exception:  # no such part, or a date nobody wrote as ISO: fall back to the file's time
        return None


# --- inspection of a zip-based workbook ----------------------------------------------------

_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_ROOT = re.compile(rb"<[A-Za-z_]")  # the first element: past it, no DOCTYPE may follow
# Only references that could be out of bounds are matched, so the scan runs at regex speed:
# a column of two or three letters, or a row number of four digits or more. r="…" is the
# reference attribute of <c> and <row>; the pattern starts with a literal (no \b), which
# lets the regex engine skip ahead tens of times faster.
_WIDE_CELL = re.compile(rb'r="([A-Z]{2,3})(\d+)"')
_FAR_ROW = re.compile(rb'r="([A-Z]{0,3})(\d{4,})"')
_DIMENSION = re.compile(rb'<dimension\s+ref="[A-Z]{1,3}\d+(?::([A-Z]{1,3})(\d+))?"')


def column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def _inspect_zip(zf: zipfile.ZipFile, kind: str, limits: Limits) -> list[tuple[str, str]]:
    infos = zf.infolist()
    if len(infos) > limits.members:
        return [("archive-suspicious", f"в архиве книги {len(infos)} частей (допустимо до {limits.members})")]
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > limits.member_bytes or total > limits.total_bytes:
            return [("archive-suspicious", f"часть «{info.filename}» распаковывается в {info.file_size // (1024 * 1024)} МБ "
                                           "— похоже на zip-бомбу")]
        if info.file_size > limits.ratio_floor and info.file_size > limits.ratio * max(info.compress_size, 1):
            return [("archive-suspicious", f"часть «{info.filename}» сжата в {info.file_size // max(info.compress_size, 1)} "
                                           "раз — похоже на zip-бомбу")]
    for info in infos:
        name = info.filename
        if not (name.endswith(".xml") or name.endswith(".rels")):
            continue
        try:
            problem = _scan_xml(zf, info, kind, limits)
        except zipfile.BadZipFile:  # zipfile stops at the declared size, so a lie shows as a bad CRC
            problem = ("archive-suspicious", f"часть «{info.filename}» не совпадает со своим заголовком "
                                             "(размер или контрольная сумма) — архив повреждён или подделан")
        if problem:
            return [problem]
    return []


def _scan_xml(zf: zipfile.ZipFile, info: zipfile.ZipInfo, kind: str, limits: Limits) -> tuple[str, str] | None:
    """Stream one XML part: real size (headers can lie), DTDs, and how far cells reach."""
    is_sheet = kind != "ods" and info.filename.startswith("xl/worksheets/")
    is_ods_content = kind == "ods" and info.filename == "content.xml"
    # A DOCTYPE (and with it any ENTITY) can only stand before the root element: parts whose
    # cells we need not see are read just up to it; sheets are read whole.
    whole = is_sheet or is_ods_content
    seen, tail = 0, b""
    for chunk in _chunks(zf, info, 4096 if not whole else 256 * 1024):
        seen += len(chunk)
        if seen > limits.member_bytes:
            return ("archive-suspicious", f"часть «{info.filename}» распаковывается больше заявленного — похоже на "
                                          "zip-бомбу")
        window = tail + chunk
        if _DTD.search(window):
            return ("xml-doctype", f"в части «{info.filename}» есть объявление DOCTYPE/ENTITY: такие книги не "
                                   "читаются (защита от XML-бомб)")
        if is_sheet:
            problem = _check_cells(window, info.filename, limits)
            if problem:
                return problem
        elif not whole and _ROOT.search(window):
            return None
        tail = window[-512:]
    if is_ods_content:
        return _check_ods_cells(zf, info, limits)
    return None


_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature … file name length, extra field length


def _chunks(zf: zipfile.ZipFile, info: zipfile.ZipInfo, first: int):
    """A part's bytes, inflated in chunks (``first`` bytes, then 256 KB at a time).

    From the file's bytes already in memory when they are plainly stored or deflated: opening
    a part through zipfile costs more than inflating a small one. As zipfile does, a part that
    inflates to another size or checksum than its header says raises BadZipFile (a lying header)."""
    data = getattr(zf, "kc_data", None)
    if data is None or info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        yield from _zipfile_chunks(zf, info, first)  # encrypted or another method: zipfile says what is wrong
        return
    offset = info.header_offset
    if offset + 30 > len(data):
        raise zipfile.BadZipFile(f"bad local header offset for {info.filename}")
    signature, name_length, extra_length = _LOCAL_HEADER.unpack_from(data, offset)
    if signature != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"bad local header for {info.filename}")
    start = offset + 30 + name_length + extra_length
    raw = memoryview(data)[start:start + info.compress_size]
    if len(raw) < info.compress_size:
        raise zipfile.BadZipFile(f"truncated part {info.filename}")
    size, crc, want = 0, 0, first
    if info.compress_type == zipfile.ZIP_STORED:
        pieces = (raw[i:i + 256 * 1024] for i in range(0, len(raw), 256 * 1024))
        for piece in pieces:
            chunk = bytes(piece)
            size += len(chunk)
            crc = zlib.crc32(chunk, crc)
            yield chunk
    else:
        inflate = zlib.decompressobj(-15)
        pending = raw
        while pending:
            try:
                chunk = inflate.decompress(pending, want)
            except zlib.error as exc:
                raise zipfile.BadZipFile(f"bad deflate data in {info.filename}: {exc}") from exc
            pending = inflate.unconsumed_tail
            want = 256 * 1024
            if not chunk:
                break
            size += len(chunk)
            crc = zlib.crc32(chunk, crc)
            if size > info.file_size:  # a header that understates the size: stop as zipfile would
                raise zipfile.BadZipFile(f"part {info.filename} is larger than its header says")
            yield chunk
        rest = inflate.flush()
        if rest:
            size += len(rest)
            crc = zlib.crc32(rest, crc)
            yield rest
    if size != info.file_size or crc != info.CRC:
        raise zipfile.BadZipFile(f"bad CRC-32 or size for {info.filename}")


def _zipfile_chunks(zf: zipfile.ZipFile, info: zipfile.ZipInfo, first: int):
    with zf.open(info) as fh:
        size = first
        while True:
            chunk = fh.read(size)
            if not chunk:
                return
            size = 256 * 1024
            yield chunk


def _check_cells(window: bytes, part: str, limits: Limits) -> tuple[str, str] | None:
    for match in _DIMENSION.finditer(window):
        if match.group(1) and (int(match.group(2)) > limits.rows or column_number(match.group(1)) > limits.columns):
            return _too_far(part, match.group(1) + match.group(2), limits)
    for pattern in (_WIDE_CELL, _FAR_ROW):
        for match in pattern.finditer(window):
            letters, row = match.group(1), int(match.group(2))
            if row > limits.rows or (letters and column_number(letters) > limits.columns):
                return _too_far(part, letters + match.group(2), limits)
    return None


def _too_far(part: str, ref: bytes, limits: Limits) -> tuple[str, str]:
    sheet = part.rsplit("/", 1)[-1]
    return ("sheet-too-large", f"на листе ({sheet}) заполнена ячейка {ref.decode()} — далеко за пределами формы "
                               f"(до {limits.rows} строк и {limits.columns} столбцов); удалите лишнее и сохраните книгу")


def _check_ods_cells(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits) -> tuple[str, str] | None:
    """Non-empty cells of an .ods, with its row and column repeats multiplied out."""
    from defusedxml.ElementTree import iterparse

    table = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
    office = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
    with zf.open(info) as fh:
        try:
            return _count_ods_cells(iterparse(fh, events=("start", "end")), table, office, limits)
        except Exception as exc:  # defusedxml's refusals and expat's syntax errors alike
            return ("file-unreadable", f"содержимое книги повреждено или недопустимо: {exc}")


def _count_ods_cells(events, table: str, office: str, limits: Limits) -> tuple[str, str] | None:
    cells, row_repeat, row_index = 0, 1, 0
    for event, elem in events:
        tag = elem.tag
        if event == "start" and tag == f"{table}table":
            row_index = 0
        elif event == "start" and tag == f"{table}table-row":
            row_repeat = int(elem.get(f"{table}number-rows-repeated", "1"))
        elif event == "end" and tag == f"{table}table-row":
            row_index += row_repeat
            elem.clear()
        elif event == "end" and tag == f"{table}table-cell" and elem.get(f"{office}value-type"):
            repeat = int(elem.get(f"{table}number-columns-repeated", "1"))
            cells += repeat * row_repeat
            if cells > limits.ods_cells or row_index + 1 > limits.rows or repeat > limits.columns:
                return ("sheet-too-large", f"в книге заполнено слишком много ячеек или ячейки далеко за пределами "
                                           f"формы (строка {row_index + 1}); удалите лишнее и сохраните книгу")
    return None
