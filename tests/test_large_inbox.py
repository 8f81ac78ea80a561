"""An inbox of thousands of files: what is kept of each, and how the many repeats are listed.

The memory goal itself (30 000 files within 1.5 × of 2 000) is measured by
``scripts/bench_scale.py``, not here; these tests pin the behaviour that makes it hold:
only the newest workbook of each participant is kept whole, and repeated problems of
files not in use are listed up to ``Gathered.LISTED`` and then counted in one row.
"""

from __future__ import annotations

import json
import os
import weakref

import pytest
from python_calamine import CalamineWorkbook

from conftest import GOOD, YEAR, but_reasons
from kc_workbook import consolidate as consolidation
from kc_workbook.consolidate import consolidate
from kc_workbook.gathering import Gathered
from kc_workbook.problems import NOTE, WARNING, problem_title
from kc_workbook.report import write_json, write_workbook

LISTED = 3


@pytest.fixture
def few_listed(monkeypatch):
    monkeypatch.setattr(Gathered, "LISTED", LISTED)


def copies(inbox, source, n, name="копия"):
    """``n`` more copies of ``source`` in a sub-folder, as hard links (same time saved in them)."""
    folder = inbox / "архив"
    folder.mkdir(exist_ok=True)
    for i in range(n):
        os.link(source, folder / f"{name} {i:03d}.xlsx")


def mvd_file(inbox):
    return inbox / "ответ mvd.xlsx"


def test_repeated_older_workbooks_are_listed_up_to_a_limit_then_counted(program, good_inbox, few_listed, tmp_path):
    before = consolidate(program, YEAR, good_inbox)
    copies(good_inbox, mvd_file(good_inbox), 10)
    result = consolidate(program, YEAR, good_inbox)

    dups = [p for p in result.problems if p.code == "workbook-duplicate"]
    listed = [p for p in dups if not p.more]
    (folded,) = [p for p in dups if p.more]
    # 11 workbooks of one participant saved at the same time: the last by name is used, ten are not
    assert len(listed) == LISTED and all(p.file and p.participant == "MVD" for p in listed)
    assert folded.participant == "MVD" and folded.file is None and folded.more == 10 - LISTED - 1
    assert sum(1 + p.more for p in dups) == 10 and result.count(WARNING) == before.count(WARNING) + 10
    # the row that stands for the rest comes after the participant's listed rows
    order = [p for p in result.problems if p.participant == "MVD" and p.code == "workbook-duplicate"]
    assert order[-1] is folded
    # the values are those of the newest workbook; the participant is accepted
    assert {p.code: p.status for p in result.participants}["MVD"] == "accepted"

    write_json(result, tmp_path / "c.json")
    issues = json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))["issues"]
    assert [i.get("more", 0) for i in issues if i["code"] == "workbook-duplicate"] == [0] * LISTED + [folded.more]
    assert all("more" not in i for i in issues if i["code"] != "workbook-duplicate")

    write_workbook(result, tmp_path / "c.xlsx")
    rows = CalamineWorkbook.from_path(str(tmp_path / "c.xlsx")).get_sheet_by_name("Замечания").to_python()
    codes = [row[10] for row in rows[2:] if len(row) > 10 and row[10] == "workbook-duplicate"]
    assert len(codes) == LISTED + 1


def test_many_non_workbooks_are_noted_up_to_a_limit(program, good_inbox, few_listed):
    for i in range(LISTED + 4):
        (good_inbox / f"письмо {i}.txt").write_text("текст письма", encoding="utf-8")
    result = consolidate(program, YEAR, good_inbox)
    notes = [p for p in result.problems if p.code == "not-a-workbook"]
    assert len([p for p in notes if not p.more]) == LISTED
    (folded,) = [p for p in notes if p.more]
    assert folded.more == 4 - 1 and "письмо 3.txt" in folded.message and "письмо 6.txt" in folded.message
    assert result.count(NOTE) == LISTED + 4
    assert but_reasons(result.problems) == notes  # nothing else is found


def test_under_the_limit_every_problem_is_listed_as_before(program, good_inbox):
    copies(good_inbox, mvd_file(good_inbox), 4)
    result = consolidate(program, YEAR, good_inbox)
    dups = [p for p in result.problems if p.code == "workbook-duplicate"]
    assert len(dups) == 4 and not any(p.more for p in dups)
    assert {p.file for p in dups} == {f"архив/копия {i:03d}.xlsx" for i in range(4)}


def test_only_the_workbooks_in_use_are_kept_whole(program, good_inbox, monkeypatch):
    """A workbook read but not in use is released as soon as a newer one of its participant arrives."""
    copies(good_inbox, mvd_file(good_inbox), 30)
    read, most = [], 0
    read_each = consolidation.read_each

    def watched(*args, **kwargs):
        nonlocal most
        for sub in read_each(*args, **kwargs):
            read.append(weakref.ref(sub))
            yield sub  # consolidate takes it in before asking for the next
            most = max(most, sum(1 for ref in read if ref() is not None))

    monkeypatch.setattr(consolidation, "read_each", watched)
    result = consolidate(program, YEAR, good_inbox)
    assert len(read) == len(GOOD) + 30
    assert most <= len(GOOD) + 1  # one per participant, and the one just read
    assert {p.code for p in result.participants if p.submission is not None} == set(GOOD)


def test_a_parallel_read_of_a_large_inbox_gives_the_serial_result(program, good_inbox, few_listed):
    from kc_workbook.inbox import PARALLEL_FROM, inbox_names, read_each

    copies(good_inbox, mvd_file(good_inbox), PARALLEL_FROM + 5)
    (good_inbox / "архив" / "заметка.txt").write_text("не книга", encoding="utf-8")
    names = inbox_names(good_inbox)
    seen = []
    serial = [(s.name, s.problems) for s in read_each(program, YEAR, good_inbox, names, workers=1)]
    parallel = [(s.name, s.problems) for s in read_each(program, YEAR, good_inbox, names, workers=2,
                                                        progress=lambda done, total: seen.append((done, total)))]
    assert serial == parallel and [n for n, _ in serial] == names
    assert seen == [(i, len(names)) for i in range(1, len(names) + 1)]


def test_one_past_the_limit_is_listed_as_it_is(program, good_inbox, few_listed):
    copies(good_inbox, mvd_file(good_inbox), LISTED + 1)
    result = consolidate(program, YEAR, good_inbox)
    dups = [p for p in result.problems if p.code == "workbook-duplicate"]
    assert len(dups) == LISTED + 1 and all(p.file and not p.more for p in dups)


def test_the_rejected_workbook_a_participant_is_judged_by_is_listed_in_full(program, good_inbox, few_listed):
    from kc_workbook.generate import write_participant_workbook

    (good_inbox / "ответ mvd.xlsx").unlink()
    for i in range(LISTED + 3):  # only last year's workbooks came from the police: each is rejected
        write_participant_workbook(program, "MVD", YEAR - 1, good_inbox / "архив" / f"мвд {i:02d}.xlsx",
                                   values=GOOD["MVD"])
    result = consolidate(program, YEAR, good_inbox)
    mvd = next(p for p in result.participants if p.code == "MVD")
    assert mvd.status == "rejected" and mvd.errors >= 1
    wrong_year = [p for p in result.problems if p.code == "workbook-wrong-year"]
    assert mvd.submission.name in {p.file for p in wrong_year}  # why it was rejected is on «Замечания»
    assert sum(1 + p.more for p in wrong_year) == LISTED + 3
    # the row that counts the rest keeps the year they share (the CLI's «проверьте --year» reads it)
    assert [p.value for p in wrong_year if p.more] == [str(YEAR - 1)]


def test_the_folded_row_names_its_kind_and_the_files_by_name(program, good_inbox, few_listed):
    # read in this order: the inbox's own files first, then its sub-folder's
    for name in ("письмо 1.txt", "письмо 2.txt", "письмо 3.txt", "ю.txt", "архив/а.txt", "архив/б.txt"):
        (good_inbox / name).parent.mkdir(exist_ok=True)
        (good_inbox / name).write_text("текст", encoding="utf-8")
    result = consolidate(program, YEAR, good_inbox)
    (folded,) = [p for p in result.problems if p.more]
    assert problem_title("not-a-workbook") in folded.message and folded.more == 2
    # the first and the last of the three by name, not in the order they were read
    assert folded.message.index("архив/а.txt") < folded.message.index("ю.txt")
    assert "архив/б.txt" not in folded.message


def test_a_parallel_read_keeps_only_a_few_chunks_waiting(program, good_inbox, monkeypatch):
    import concurrent.futures

    from kc_workbook.inbox import PARALLEL_FROM, inbox_names, read_each

    copies(good_inbox, mvd_file(good_inbox), PARALLEL_FROM * 3)
    sizes: list[int] = []

    class Counting(concurrent.futures.ProcessPoolExecutor):
        def submit(self, fn, *args, **kwargs):
            sizes.append(len(args[1]))  # the chunk of names
            return super().submit(fn, *args, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Counting)
    names = inbox_names(good_inbox)
    waiting = []
    for done, _ in enumerate(read_each(program, YEAR, good_inbox, names, workers=2), 1):
        consumed, total = 0, 0
        while total < done:  # the chunks whose files were all or partly handed out
            total += sizes[consumed]
            consumed += 1
        waiting.append(len(sizes) - consumed)
    assert len(sizes) > 10 and max(waiting) <= 2 * 2 + 1


def test_a_parallel_read_stopped_early_ends_its_workers(program, good_inbox):
    import multiprocessing

    from kc_workbook.inbox import PARALLEL_FROM, inbox_names, read_each

    copies(good_inbox, mvd_file(good_inbox), PARALLEL_FROM * 2)
    reading = read_each(program, YEAR, good_inbox, inbox_names(good_inbox), workers=2)
    next(reading)
    assert multiprocessing.active_children()
    reading.close()
    assert not multiprocessing.active_children()


def test_the_cli_and_the_summary_give_repeated_workbooks_one_line(program, good_inbox, tmp_path):
    from click.testing import CliRunner

    from kc_workbook.cli import main
    from kc_workbook.generate import write_participant_workbook
    from kc_workbook.report_summary import what_to_fix

    for i in range(Gathered.LISTED + 5):  # last year's workbook, sent again and again
        write_participant_workbook(program, "MVD", YEAR - 1, good_inbox / "архив" / f"мвд {i:02d}.xlsx",
                                   values=GOOD["MVD"])
    result = consolidate(program, YEAR, good_inbox)
    fixes = [(text, n) for text, n in what_to_fix(result) if "2024" in text]
    assert [n for _, n in fixes] == [Gathered.LISTED + 5]

    run = CliRunner().invoke(main, ["consolidate", "--year", str(YEAR), str(good_inbox),
                                    "--out", str(tmp_path / "out" / "c.xlsx")])
    assert run.exit_code == 1, run.output
    assert len([line for line in run.output.splitlines() if "2024" in line]) == 1
    assert "… и ещё" not in run.output  # every error is in the one line


def test_grouped_joins_file_level_repeats_and_keeps_each_problem_at_a_cell():
    from kc_workbook.problems import Problem, grouped

    def wrong(file, year, more=0):
        return Problem("workbook-wrong-year", "…", participant="MVD", file=file, value=year, more=more)

    at_cells = [Problem("value-as-text", "…", participant="MVD", file="m.xlsx", sheet="Данные", cell=c)
                for c in ("D5", "D6")]
    entries = grouped([wrong("a.xlsx", "2024"), at_cells[0], wrong("b.xlsx", "2024", more=2), at_cells[1],
                       wrong("c.xlsx", "2023")])
    assert [(p.file, n) for p, n in entries] == [("a.xlsx", 4), ("m.xlsx", 1), ("m.xlsx", 1), ("c.xlsx", 1)]


def test_the_counted_row_keeps_a_value_only_when_all_share_it(program, good_inbox, few_listed):
    from kc_workbook.generate import write_participant_workbook

    # the last is held whole (the participant's status); of those before it, past the listed ones, one is older
    for i, year in enumerate([YEAR - 1] * LISTED + [YEAR - 2] + [YEAR - 1] * 3):
        write_participant_workbook(program, "MVD", year, good_inbox / "архив" / f"мвд {i:02d}.xlsx",
                                   values=GOOD["MVD"])
    result = consolidate(program, YEAR, good_inbox)
    (folded,) = [p for p in result.problems if p.code == "workbook-wrong-year" and p.more]
    assert folded.value is None  # two years among them: none is claimed
