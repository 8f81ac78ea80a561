"""Reading one returned workbook: every rule gives its problem code at its cell."""

from __future__ import annotations

import datetime as dt
import zipfile

import pytest

from conftest import GOOD, YEAR, fill_openpyxl
from kc_workbook.preflight import sniff
from kc_workbook.read import read_submission


def codes_and_cells(sub):
    return [(p.code, f"{p.sheet}!{p.cell}" if p.cell else p.sheet) for p in sub.problems]


@pytest.fixture
def mvd(blank_workbooks, tmp_path):
    def make(values=None, edit=None, name="Копия отчёт МВД (2).xlsx"):
        return fill_openpyxl(blank_workbooks["MVD"], tmp_path / name, {**GOOD["MVD"], **(values or {})}, edit)
    return make


def test_a_good_renamed_workbook_reads_clean(program, mvd):
    sub = read_submission(mvd(), program, YEAR)
    assert sub.problems == []
    assert sub.participant == "MVD" and sub.year == YEAR and sub.kind == "xlsx"
    assert sub.values() == {k: float(v) for k, v in GOOD["MVD"].items()}
    assert sub.cells["CRIMES_TOTAL"].cell == "D5"


@pytest.mark.parametrize("value, code", [
    ("1 234", "value-as-text"),
    ("около 1200", "value-not-number"),
    (dt.datetime(2025, 1, 12), "value-date"),
    (1234.5, "value-fraction"),
    (-3, "value-below-bound"),
    (None, "value-missing"),
    ("=1/0", "value-formula-error"),
])
def test_value_rules_name_the_cell(program, mvd, value, code):
    sub = read_submission(mvd({"CRIMES_TOTAL": value}), program, YEAR)
    assert (code, "Данные!D5") in codes_and_cells(sub)


def test_formula_error_cached_by_excel_is_reported(program, mvd, tmp_path):
    # openpyxl writes no cached value; write the error as Excel caches it, straight into the XML.
    path = mvd()
    patched = tmp_path / "patched.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(patched, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":
                text = data.decode()
                start = text.index('<c r="D5"')
                end = text.index("</c>", start) + 4
                text = text[:start] + '<c r="D5" t="e"><f>1/0</f><v>#DIV/0!</v></c>' + text[end:]
                data = text.encode()
            dst.writestr(item, data)
    sub = read_submission(patched, program, YEAR)
    assert ("value-formula-error", "Данные!D5") in codes_and_cells(sub)
    assert ("value-missing", "Данные!D5") not in codes_and_cells(sub)


def test_part_greater_than_total_in_one_workbook(program, mvd):
    sub = read_submission(mvd({"CRIMES_PUBLIC": 2000}), program, YEAR)
    assert codes_and_cells(sub) == [("ratio-exceeded", "Данные!D6")]
    assert not sub.cells["CRIMES_PUBLIC"].ok


def test_inputs_are_found_by_code_after_rows_are_inserted_and_sorted(program, mvd):
    def rearrange(wb):
        ws = wb["Данные"]
        ws.insert_rows(2, amount=3)  # header moves from row 4 to row 7
        ws.insert_cols(1)  # and every column one to the right
        # swap two data rows (re-sorting)
        for col in range(1, 9):
            a, b = ws.cell(8, col), ws.cell(9, col)
            a.value, b.value = b.value, a.value
        wb["Данные"].title = "Лист1"

    sub = read_submission(mvd(edit=rearrange), program, YEAR)
    assert sub.problems == []
    assert sub.values()["CRIMES_TOTAL"] == 1234
    assert sub.cells["CRIMES_TOTAL"].cell == "E9" and sub.cells["CRIMES_TOTAL"].sheet == "Лист1"
    assert sub.cells["CRIMES_PUBLIC"].cell == "E8"


def test_a_deleted_row_is_reported(program, mvd):
    sub = read_submission(mvd(edit=lambda wb: wb["Данные"].delete_rows(7)), program, YEAR)
    assert ("input-not-found", "Данные") in codes_and_cells(sub)
    assert "CRIMES_JUVENILE" not in sub.cells


def test_a_repeated_code_is_reported(program, mvd):
    def repeat(wb):
        wb["Данные"]["G20"] = "CRIMES_TOTAL"
        wb["Данные"]["D20"] = 5
    sub = read_submission(mvd(edit=repeat), program, YEAR)
    assert ("input-repeated", "Данные!D20") in codes_and_cells(sub)


@pytest.mark.parametrize("cell, value, code", [
    ("B2", "OTHER-PROGRAM", "workbook-other-program"),
    ("B6", "2024", "workbook-wrong-year"),
    ("B5", "NOBODY", "workbook-unknown-participant"),
    ("B5", "LAW", "workbook-not-expected"),  # a participant who supplies nothing
])
def test_identity_mismatches_reject_the_workbook(program, mvd, cell, value, code):
    sub = read_submission(mvd({f"_kc!{cell}": value}), program, YEAR)
    assert [p.code for p in sub.problems] == [code]
    assert sub.rejected


def test_an_outdated_template_is_read_with_a_warning(program, mvd):
    sub = read_submission(mvd({"_kc!B3": "0123456789ab"}), program, YEAR)
    assert [p.code for p in sub.problems] == ["workbook-outdated"]
    assert not sub.rejected and sub.values()["CRIMES_TOTAL"] == 1234


def test_a_template_edited_to_claim_another_participant_reads_as_that_one(program, mvd):
    sub = read_submission(mvd({"_kc!B5": "HEALTH"}), program, YEAR)
    # HEALTH's inputs are not in an MVD workbook: every one of them is missing, MVD's are unexpected
    assert {p.code for p in sub.problems} == {"input-not-found", "input-unexpected"}


def test_a_workbook_without_identity_is_not_ours(program, tmp_path):
    import openpyxl

    path = tmp_path / "чужая.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Код"
    wb.save(path)
    sub = read_submission(path, program, YEAR)
    assert [p.code for p in sub.problems] == ["workbook-not-ours"]


def test_lock_files_and_non_workbooks_are_skipped(program, tmp_path):
    lock = tmp_path / "~$отчёт.xlsx"
    lock.write_bytes(b"\x00" * 165)
    text = tmp_path / "письмо.txt"
    text.write_text("Добрый день, книга во вложении", encoding="utf-8")
    for path, code in ((lock, "lock-file-skipped"), (text, "not-a-workbook")):
        sub = read_submission(path, program, YEAR)
        assert [p.code for p in sub.problems] == [code]
        assert sub.skipped


def test_something_else_called_a_workbook_is_an_error(program, tmp_path):
    csv = tmp_path / "отчёт.xlsx"
    csv.write_text("a;b\n1;2\n", encoding="utf-8")
    empty = tmp_path / "пустой.xls"
    empty.write_bytes(b"")
    for path, what in ((csv, "CSV"), (empty, "пустой")):
        sub = read_submission(path, program, YEAR)
        assert [p.code for p in sub.problems] == ["file-wrong-format"]
        assert what in sub.problems[0].message and sub.rejected


def test_a_truncated_workbook_is_named_as_such(program, mvd, tmp_path):
    data = mvd().read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(data[: len(data) // 2])
    assert sniff(cut)[0] is None
    assert [p.code for p in read_submission(cut, program, YEAR).problems] == ["file-wrong-format"]


def test_contacts_are_read_from_the_title_sheet(program, mvd):
    sub = read_submission(mvd({"Титул!B9": "Петров П. П.", "Титул!B11": "+7 000"}), program, YEAR)
    assert sub.contacts["fio"] == "Петров П. П." and sub.contacts["phone"] == "+7 000"


def test_an_input_whose_meaning_changed_since_the_workbook_was_made_is_an_error(program, template_copy, tmp_path):
    """«чел.» → «тыс. чел.»: the value typed under the old definition must not be used."""
    from conftest import GOOD, edit_workbook
    from kc_workbook.generate import write_participant_workbook
    from kc_workbook.program import load_program
    from kc_workbook.read import read_submission

    old = write_participant_workbook(program, "MVD", 2025, tmp_path / "мвд.xlsx", values=GOOD["MVD"])
    edit_workbook(template_copy, {("Исходные данные", "D6"): "тыс. ед."})  # CRIMES_TOTAL's unit
    changed, problems = load_program(template_copy)
    assert problems == [] and changed.inputs["CRIMES_TOTAL"].unit == "тыс. ед."
    sub = read_submission(old, changed, 2025)
    cell = sub.cells["CRIMES_TOTAL"]
    # at the value's own cell, where the participant typed it
    assert [(p.code, p.value, p.sheet, p.cell) for p in sub.problems] == [
        ("workbook-input-changed", "CRIMES_TOTAL", cell.sheet, cell.cell)]
    assert not cell.ok and sub.cells["CRIMES_PUBLIC"].ok
    # a change that does not touch this workbook's inputs is only the generic warning
    edit_workbook(template_copy, {("Исходные данные", "D6"): "ед.", ("Целевые значения", "E4"): 56})
    target_only, _ = load_program(template_copy)
    assert [p.code for p in read_submission(old, target_only, 2025).problems] == ["workbook-outdated"]
