"""`kc-workbook generate` puts last year's accepted values beside the inputs when the
history of consolidation records gives them (kc_workbook.last_year)."""

from __future__ import annotations

import sys
import types

from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from kc_workbook.cli import main


def data_rows(path):
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Данные").to_python(skip_empty_area=False)


def test_generate_shows_last_years_values_from_the_records(tmp_path, monkeypatch):
    asked = []

    def previous_values(records_dir, year, program):
        asked.append((str(records_dir), year))
        return {"MVD": {"CRIMES_TOTAL": 1300.0}}

    monkeypatch.setitem(sys.modules, "kc_workbook.last_year", types.SimpleNamespace(previous_values=previous_values))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["generate", "--year", "2025"])
    assert result.exit_code == 0, result.output
    assert asked == [("output", 2025)]
    mvd = next((tmp_path / "output" / "2025" / "templates").glob("*(MVD).xlsx"))
    rows = data_rows(mvd)
    assert rows[3][4] == "Принято за 2024 год" and rows[4][4] == 1300


def test_generate_without_records_has_no_last_year_column(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "kc_workbook.last_year",
                        types.SimpleNamespace(previous_values=lambda records_dir, year, program: {}))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["generate", "--year", "2025"])
    assert result.exit_code == 0, result.output
    mvd = next((tmp_path / "output" / "2025" / "templates").glob("*(MVD).xlsx"))
    assert data_rows(mvd)[3][4] == "Комментарий"
