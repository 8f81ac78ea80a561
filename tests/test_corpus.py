"""Broken, hostile and messy files: each is named by its problem code, and the good
workbooks beside it are still consolidated correctly. Then the whole corpus in one inbox:
nothing crashes, nothing in the inbox changes, nothing gets into the output, memory stays
bounded and the output is byte-identical on a second run."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import zipfile

import pytest

from conftest import GOOD, YEAR, expected_facts, fill_openpyxl
from corpus import CASES
from kc_workbook.consolidate import consolidate


def build_case(name, blank, work, inbox):
    build, _, _ = CASES[name]
    work.mkdir(parents=True, exist_ok=True)
    made = build(work / f"{name}.xlsx", blank)
    inbox.mkdir(parents=True, exist_ok=True)
    return shutil.move(str(made), str(inbox / made.name))


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 30


@pytest.mark.parametrize("name", list(CASES))
def test_each_case_is_named_and_the_rest_still_consolidates(name, program, blank_workbooks, tmp_path):
    _, code, pretends = CASES[name]
    inbox = tmp_path / "inbox"
    for participant, values in GOOD.items():
        if participant != pretends:
            fill_openpyxl(blank_workbooks[participant], inbox / f"good {participant}.xlsx", values)
    bad = build_case(name, blank_workbooks, tmp_path / "work", inbox)
    result = consolidate(program, YEAR, inbox)
    bad_name = bad.rsplit("/", 1)[-1]
    own = [p.code for p in result.problems if p.file == bad_name]
    if code is None:
        assert own == []
    else:
        assert code in own, own
    touched = set(i.code for i in program.inputs_of(pretends)) if pretends else set()
    expected = expected_facts(GOOD)
    for r in result.indicators:
        ind = next(i for i in program.indicators if i.number == r.number)
        if touched.isdisjoint(ind.formula.names) or code is None or code == "workbook-macros":
            assert float(r.fact_exact) == pytest.approx(expected[r.number]), (name, r.number, r.reason)


@pytest.fixture(scope="module")
def corpus_inbox(blank_workbooks, tmp_path_factory):
    base = tmp_path_factory.mktemp("corpus")
    inbox = base / "inbox"
    for participant, values in GOOD.items():
        fill_openpyxl(blank_workbooks[participant], inbox / f"good {participant}.xlsx", values)
    for name in CASES:
        build_case(name, blank_workbooks, base / "work" / name, inbox / "corpus")
    return base, inbox


def tree(folder):
    return {p.relative_to(folder).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


# Runs the CLI as a user does, in a new process that reports its own peak RSS when it exits.
PEAK = """
import resource, runpy, sys
sys.argv = ["kc-workbook"] + sys.argv[1:]
try:
    runpy.run_module("kc_workbook", run_name="__main__")
finally:
    # VmHWM is this program's own peak; Linux folds the launching process's (pytest's) into ru_maxrss
    try:
        peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print("PEAK_KB", peak, file=sys.stderr)
"""


def run_cli(inbox, out, js):
    done = subprocess.run([sys.executable, "-c", PEAK, "consolidate", "--year", str(YEAR), str(inbox),
                           "--out", str(out), "--json", str(js)], capture_output=True, text=True, timeout=600)
    peak_kb = int(done.stderr.rsplit("PEAK_KB", 1)[1].split()[0])
    return done, peak_kb


def test_the_whole_corpus_in_one_inbox(corpus_inbox):
    base, inbox = corpus_inbox
    before = tree(inbox)
    first, peak_kb = run_cli(inbox, base / "a" / "c.xlsx", base / "a" / "c.json")
    assert first.returncode == 1, first.stderr  # written, with errors
    assert "Traceback" not in first.stderr + first.stdout
    print(f"peak RSS of consolidate over the whole corpus: {peak_kb // 1024} MB")
    assert peak_kb < 300 * 1024, f"peak RSS {peak_kb // 1024} MB"
    assert tree(inbox) == before

    second, _ = run_cli(inbox, base / "b" / "c.xlsx", base / "b" / "c.json")
    assert second.returncode == 1
    assert (base / "a" / "c.xlsx").read_bytes() == (base / "b" / "c.xlsx").read_bytes()
    assert (base / "a" / "c.json").read_bytes() == (base / "b" / "c.json").read_bytes()

    # every corpus file is accounted for: named in a problem, used as a participant's workbook, or
    # counted in the row that stands for more repeats of one kind (consolidate.Gathered.LISTED)
    data = json.loads((base / "a" / "c.json").read_text(encoding="utf-8"))
    mentioned = {i["file"] for i in data["issues"]} | {p["file"] for p in data["participants"]}
    corpus_files = {f"corpus/{p.name}" for p in (inbox / "corpus").iterdir()}
    counted = sum(i["more"] + 1 for i in data["issues"] if i.get("more"))
    assert len(corpus_files - mentioned) <= counted, corpus_files - mentioned
    assert {i["code"] for i in data["issues"]} >= {"archive-suspicious", "xml-doctype", "sheet-too-large",
                                                  "file-too-large", "workbook-password", "file-wrong-format"}


def test_nothing_from_a_participant_becomes_a_formula_or_link(program, blank_workbooks, tmp_path):
    from kc_workbook.report import write_workbook

    inbox = tmp_path / "inbox"
    for participant, values in GOOD.items():
        if participant != "MVD":
            fill_openpyxl(blank_workbooks[participant], inbox / f"good {participant}.xlsx", values)
    build_case("=HYPERLINK and =cmd in comments", blank_workbooks, tmp_path / "work", inbox)
    out = write_workbook(consolidate(program, YEAR, inbox), tmp_path / "c.xlsx")
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        xml = "".join(zf.read(n).decode("utf-8") for n in names if n.startswith("xl/worksheets/sheet"))
        rels = "".join(zf.read(n).decode("utf-8") for n in names if n.endswith(".rels"))
        strings = zf.read("xl/sharedStrings.xml").decode("utf-8")
    assert "<f>" not in xml and "<hyperlink" not in xml
    assert "hyperlink" not in rels.lower() and not any("externalLink" in n for n in names)
    # the participant's text is there, as text (shared, or inline in the provenance sheet)
    assert '=HYPERLINK("http://example.invalid","x")' in strings + xml
    assert "=cmd|' /C calc'!A0" in strings + xml
