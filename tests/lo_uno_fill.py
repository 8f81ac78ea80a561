"""Run by Debian's /usr/bin/python3 (which has LibreOffice's uno module), not by pytest.

Reads a JSON list of jobs on stdin; for each: open ``src`` in LibreOffice, type values
into the cells found by their workbook-level names (the input codes) or by "Sheet!A1",
and store the document as ``dst`` with the given filter. This is a person filling the
workbook in LibreOffice Calc, without a screen.
"""

import json
import os
import subprocess
import sys
import tempfile
import time

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def connect(pipe):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(120):
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            return ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        except Exception:
            time.sleep(0.25)
    raise SystemExit("LibreOffice did not answer")


def target_cell(doc, ref):
    if "!" in ref:
        sheet, addr = ref.rsplit("!", 1)
        return doc.Sheets.getByName(sheet).getCellRangeByName(addr)
    return doc.NamedRanges.getByName(ref).getReferredCells().getCellByPosition(0, 0)


def main():
    jobs = json.load(sys.stdin)
    profile = tempfile.mkdtemp(prefix="kc_lo_profile_")
    pipe = f"kc_workbook_{os.getpid()}"
    office = subprocess.Popen(
        ["soffice", "--headless", "--invisible", "--norestore", "--nologo", "--nodefault",
         f"-env:UserInstallation=file://{profile}", f"--accept=pipe,name={pipe};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        desktop = connect(pipe)
        for job in jobs:
            doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(job["src"]), "_blank", 0,
                                               (prop("Hidden", True),))
            for ref, value in job.get("values", {}).items():
                cell = target_cell(doc, ref)
                if isinstance(value, str):
                    if value.startswith("="):
                        cell.setFormula(value)
                    else:
                        cell.setString(value)
                else:
                    cell.setValue(value)
            for sheet, rows in job.get("insert_rows", {}).items():
                s = doc.Sheets.getByName(sheet)
                s.unprotect("")
                for row in rows:
                    s.getRows().insertByIndex(row, 1)
            for old, new in job.get("rename_sheets", {}).items():
                doc.Sheets.getByName(old).setName(new)
            doc.calculateAll()
            args = [prop("FilterName", job["filter"])]
            if job.get("password"):
                args.append(prop("Password", job["password"]))
            doc.storeToURL(uno.systemPathToFileUrl(job["dst"]), tuple(args))
            doc.close(True)
    finally:
        try:
            desktop.terminate()
        except Exception:
            pass
        try:
            office.wait(timeout=20)
        except subprocess.TimeoutExpired:
            office.kill()


if __name__ == "__main__":
    main()
