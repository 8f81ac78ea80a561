"""A corpus of broken, hostile and messy files, each made here from a generated workbook
or from nothing. ``CASES`` maps a case name to (builder, expected problem code or None,
the participant the file pretends to come from or None).

A builder is ``build(path, blank) -> Path``: ``blank`` maps participant codes to their
generated, empty workbooks; ``path`` is where to write (a builder may change the suffix).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from conftest import GOOD, fill_openpyxl

XLSX_MIN = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
                           'package/2006/content-types"></Types>',
    "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
                       'spreadsheetml/2006/main"><sheets/></workbook>',
}


def filled(code: str, values=None, edit=None):
    """A builder: the participant's workbook filled with GOOD values (changed by ``values``), maybe edited."""
    def build(path: Path, blank: dict) -> Path:
        return fill_openpyxl(blank[code], path, {**GOOD[code], **(values or {})}, edit)
    return build


def patched(code: str, part: str, change, values=None):
    """A builder: a filled workbook whose zip part ``part`` is rewritten by ``change(text) -> text``."""
    def build(path: Path, blank: dict) -> Path:
        source = filled(code, values)(path.with_name("src_" + path.name), blank)
        rewrite_zip(source, path, {part: change})
        source.unlink()
        return path
    return build


def rewrite_zip(src: Path, dst: Path, changes: dict, extra: dict | None = None) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        missing = set(changes) - set(zin.namelist())
        assert not missing, f"no part {missing} to change in {src.name}"
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename in changes:
                data = changes[item.filename](data.decode("utf-8")).encode("utf-8")
            zout.writestr(item, data)
        for name, data in (extra or {}).items():
            zout.writestr(name, data)


def raw(data: bytes, suffix: str | None = None):
    def build(path: Path, blank: dict) -> Path:
        target = path.with_suffix(suffix) if suffix else path
        target.write_bytes(data)
        return target
    return build


def zip_of(members: dict, suffix=".xlsx", compression=zipfile.ZIP_DEFLATED):
    def build(path: Path, blank: dict) -> Path:
        target = path.with_suffix(suffix)
        with zipfile.ZipFile(target, "w", compression) as zf:
            for name, data in members.items():
                zf.writestr(name, data() if callable(data) else data)
        return target
    return build


def zip_bomb(path: Path, blank: dict) -> Path:
    """A real xlsx skeleton with one 200 MB part of zeros (≈200 KB compressed)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, text in XLSX_MIN.items():
            zf.writestr(name, text)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            block = b"\0" * (1024 * 1024)
            for _ in range(200):
                fh.write(block)
    return path


def lying_zip_bomb(path: Path, blank: dict) -> Path:
    """The headers claim a 1 KB part; it inflates to 60 MB."""
    import zlib

    payload = b"<x>" + b" " * (60 * 1024 * 1024) + b"</x>"
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    deflated = comp.compress(payload) + comp.flush()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in XLSX_MIN.items():
            zf.writestr(name, text)
        zf.writestr("xl/worksheets/sheet1.xml", b"<x/>")
    data = bytearray(buf.getvalue())
    # Replace the last member's data and make both headers claim the original tiny sizes.
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset
    name_len, extra_len = int.from_bytes(data[start + 26:start + 28], "little"), int.from_bytes(data[start + 28:start + 30], "little")
    body = start + 30 + name_len + extra_len
    rebuilt = io.BytesIO()
    with zipfile.ZipFile(rebuilt, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in XLSX_MIN.items():
            zf.writestr(name, text)
    prefix = rebuilt.getvalue()
    prefix = prefix[: prefix.index(b"PK\x01\x02")]  # local entries of the two small parts
    local = bytearray(data[start:body])
    crc = zlib.crc32(payload)
    local[14:18] = crc.to_bytes(4, "little")
    local[18:22] = len(deflated).to_bytes(4, "little")
    local[22:26] = (1024).to_bytes(4, "little")  # the lie: 1 KB uncompressed
    offset = len(prefix)
    central = bytearray()
    with zipfile.ZipFile(io.BytesIO(rebuilt.getvalue())) as zf:
        small = zf.infolist()
    for zi in small:
        central += _central_entry(zi.filename, zi.CRC, zi.compress_size, zi.file_size, zi.header_offset)
    central += _central_entry("xl/worksheets/sheet1.xml", crc, len(deflated), 1024, offset)
    end = (b"PK\x05\x06" + b"\0" * 4 + (3).to_bytes(2, "little") * 2 + len(central).to_bytes(4, "little")
           + (offset + len(local) + len(deflated)).to_bytes(4, "little") + b"\0\0")
    path.write_bytes(bytes(prefix) + bytes(local) + deflated + bytes(central) + end)
    return path


def _central_entry(name: str, crc: int, csize: int, usize: int, offset: int) -> bytes:
    encoded = name.encode()
    return (b"PK\x01\x02" + (20).to_bytes(2, "little") * 2 + b"\0\0" + (8).to_bytes(2, "little") + b"\0\0\0\0"
            + crc.to_bytes(4, "little") + csize.to_bytes(4, "little") + usize.to_bytes(4, "little")
            + len(encoded).to_bytes(2, "little") + b"\0" * 8 + b"\0" * 4 + offset.to_bytes(4, "little") + encoded)


def many_members(path: Path, blank: dict) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        for name, text in XLSX_MIN.items():
            zf.writestr(name, text)
        for i in range(3000):
            zf.writestr(f"xl/media/{i}.bin", b"")
    return path


LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">'
          '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>')
XXE = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def with_prolog(prolog: str):
    return lambda text: prolog + re.sub(r"^<\?xml[^>]*\?>", "", text)


def sparse_bomb(text: str) -> str:
    text = re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>', text)
    return text.replace("</sheetData>", '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>')


def formula_error(text: str) -> str:
    start = text.index('<c r="D7"')
    end = text.index("</c>", start) + 4
    return text[:start] + '<c r="D7" t="e"><f>1/0</f><v>#DIV/0!</v></c>' + text[end:]


def encrypted(path: Path, blank: dict) -> Path:
    from msoffcrypto.format.ooxml import OOXMLFile

    source = filled("HEALTH")(path.with_name("plain.xlsx"), blank)
    with open(source, "rb") as plain, open(path, "wb") as out:
        OOXMLFile(plain).encrypt("секрет", out)
    source.unlink()
    return path


def with_macros(path: Path, blank: dict) -> Path:
    source = filled("JUVENILE")(path.with_name("plain.xlsx"), blank)
    target = path.with_suffix(".xlsm")
    rewrite_zip(source, target, {"[Content_Types].xml": lambda t: t.replace(
        "</Types>", '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>')},
        extra={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"Attribute VB_Name = \"Module1\"" * 10})
    source.unlink()
    return target


def foreign_workbook(path: Path, blank: dict) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "Отчёт"
    wb.active.append(["Показатель", "Значение"])
    wb.active.append(["Преступления", 1234])
    wb.save(path)
    return path


def formula_text(wb):
    """Text that looks like a formula, typed as text (a leading apostrophe in Excel)."""
    for sheet, cell, text in (("Данные", "E5", '=HYPERLINK("http://example.invalid","x")'),
                              ("Данные", "E6", "=cmd|' /C calc'!A0"),
                              ("Титул", "B9", '=HYPERLINK("http://example.invalid")')):
        target = wb[sheet][cell]
        target.value = text
        target.data_type = "s"


def stray_cells(wb):
    ws = wb["Данные"]
    for r in range(1000, 1100):
        for c in range(1, 101):
            ws.cell(r, c, "x")


def merge_over_inputs(wb):
    wb["Данные"].merge_cells("D5:E6")


def swap_rows_and_rename(wb):
    ws = wb["Данные"]
    for col in range(1, 8):
        a, b = ws.cell(5, col), ws.cell(7, col)
        a.value, b.value = b.value, a.value
    ws.title = "Сведения"


def delete_data_sheet(wb):
    del wb["Данные"]


def older_duplicate(path: Path, blank: dict) -> Path:
    """A first version from CONTROL, saved long before the good one."""
    from kc_workbook.generate import write_participant_workbook
    from kc_workbook.program import read_program

    return write_participant_workbook(read_program(), "CONTROL", 2025, path, values={"POPULATION": 1},
                                      saved_at=dt.datetime(2000, 1, 1))


def huge_file(path: Path, blank: dict) -> Path:
    with open(path, "wb") as fh:
        fh.write(b"PK\x03\x04")
        fh.truncate(25 * 1024 * 1024)  # sparse on disk
    return path


def ods_bomb(path: Path, blank: dict) -> Path:
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"><office:body><office:spreadsheet>'
               '<table:table table:name="Лист1"><table:table-row table:number-rows-repeated="1048576">'
               '<table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"/>'
               '</table:table-row></table:table></office:spreadsheet></office:body></office:document-content>')
    target = path.with_suffix(".ods")
    with zipfile.ZipFile(target, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        zf.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("META-INF/manifest.xml", "<manifest/>")
    return target


PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da6300010000"
                    "050001a5f645400000000049454e44ae426082")

CASES = {
    # hostile
    "zip bomb": (zip_bomb, "archive-suspicious", None),
    # zipfile never inflates past the declared size: the lie shows as a CRC mismatch
    "zip bomb with lying headers": (lying_zip_bomb, "archive-suspicious", None),
    "3000 zip members": (many_members, "archive-suspicious", None),
    "billion laughs": (patched("MVD", "xl/workbook.xml", with_prolog(LAUGHS)), "xml-doctype", "MVD"),
    "external entity": (patched("MVD", "xl/styles.xml", with_prolog(XXE)), "xml-doctype", "MVD"),
    "DOCTYPE in content types": (patched("MVD", "[Content_Types].xml", with_prolog("<!DOCTYPE Types>")),
                                 "xml-doctype", "MVD"),
    "sparse-sheet bomb at XFD1048576": (patched("MVD", "xl/worksheets/sheet2.xml", sparse_bomb), "sheet-too-large",
                                        "MVD"),
    "ods with 17 billion cells": (ods_bomb, "sheet-too-large", None),
    "25 MB file": (huge_file, "file-too-large", None),
    "password-protected xlsx": (encrypted, "workbook-password", "HEALTH"),
    "xlsm with a macro part": (with_macros, "workbook-macros", "JUVENILE"),
    # not what the name says
    "HTML saved as .xls": (raw("<html><body><table><tr><td>1234</td></tr></table></body></html>".encode(), ".xls"),
                           "file-wrong-format", None),
    "CSV saved as .xlsx": (raw("Код;Значение\nCRIMES_TOTAL;1234\n".encode("cp1251")), "file-wrong-format", None),
    "Excel 2003 XML as .xls": (raw(b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:'
                                   b'spreadsheet"></Workbook>', ".xls"), "file-wrong-format", None),
    "truncated workbook": (lambda path, blank: raw(filled("MVD")(path.with_name("t.xlsx"), blank)
                                                   .read_bytes()[:3000])(path, blank), "file-wrong-format", "MVD"),
    "empty file": (raw(b""), "file-wrong-format", None),
    "image named .xlsx": (raw(PNG), "file-wrong-format", None),
    "image": (raw(PNG, ".png"), "not-a-workbook", None),
    "Word document as .xlsx": (zip_of({"word/document.xml": "<w:document/>", "[Content_Types].xml": "<Types/>"}),
                               "file-wrong-format", None),
    "PDF as .xls": (raw(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", ".xls"), "file-wrong-format", None),
    "Excel lock file": (lambda path, blank: raw(b"\x0c" + "Иванова".encode("utf-16-le") + b"\0" * 150)(path.with_name("~$отчёт.xlsx"), blank),
                        "lock-file-skipped", None),
    "another program's workbook": (foreign_workbook, "workbook-not-ours", None),
    # our workbook, edited or mis-filled
    "wrong year": (filled("MVD", {"_kc!B6": "2024"}), "workbook-wrong-year", "MVD"),
    "claims another participant": (filled("MVD", {"_kc!B5": "LAW"}), "workbook-not-expected", "MVD"),
    "another program's identity": (filled("MVD", {"_kc!B2": "KC-OTHER"}), "workbook-other-program", "MVD"),
    "data sheet deleted": (filled("MVD", edit=delete_data_sheet), "input-not-found", "MVD"),
    "rows swapped and sheet renamed": (filled("MVD", edit=swap_rows_and_rename), None, "MVD"),
    "merged cells over inputs": (filled("MVD", edit=merge_over_inputs), "value-missing", "MVD"),
    "formula error": (patched("MVD", "xl/worksheets/sheet2.xml", formula_error), "value-formula-error", "MVD"),
    "date in a count": (filled("MVD", {"CRIMES_JUVENILE": dt.datetime(2025, 1, 12)}), "value-date", "MVD"),
    "text in a count": (filled("MVD", {"CRIMES_JUVENILE": "около 35"}), "value-not-number", "MVD"),
    "fraction in a count": (filled("MVD", {"CRIMES_JUVENILE": 35.5}), "value-fraction", "MVD"),
    "negative count": (filled("MVD", {"CRIMES_JUVENILE": -35}), "value-below-bound", "MVD"),
    "number typed as text": (filled("MVD", {"CRIMES_TOTAL": "1\u00a0234"}), "value-as-text", "MVD"),
    "part above total": (filled("MVD", {"CRIMES_PUBLIC": 5000}), "ratio-exceeded", "MVD"),
    "=HYPERLINK and =cmd in comments": (filled("MVD", edit=formula_text), None, "MVD"),
    "10,000 stray filled cells": (filled("MVD", edit=stray_cells), None, "MVD"),
    "stray cell far away": (filled("MVD", {"Данные!Z60000": "x"}), "sheet-too-large", "MVD"),
    "older duplicate": (older_duplicate, "workbook-duplicate", None),
}
