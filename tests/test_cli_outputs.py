"""``demo`` names what it wrote in the same words as ``consolidate``, and each named file exists."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from conftest import YEAR
from kc_workbook.cli import main


def written(output: str) -> dict[str, Path]:
    """«Метка: путь» lines naming a file that exists."""
    found = {}
    for line in output.splitlines():
        label, _, rest = line.partition(": ")
        if rest and Path(rest).is_file():
            found[label] = Path(rest)
    return found


def test_demo_and_consolidate_name_their_files_alike(good_inbox, tmp_path):
    result = CliRunner().invoke(main, ["consolidate", "--year", str(YEAR), str(good_inbox),
                                       "--out", str(tmp_path / "c" / "c.xlsx"), "--json", str(tmp_path / "c" / "c.json")])
    assert result.exit_code == 0, result.output
    consolidated = written(result.output)
    assert len(consolidated) == 3  # workbook, JSON record, reasons workbook
    result = CliRunner().invoke(main, ["demo", "--out", str(tmp_path / "demo")])
    assert result.exit_code == 0, result.output
    demo = written(result.output)
    assert set(consolidated) <= set(demo)
    assert demo[next(k for k in demo if "JSON" in k)].suffix == ".json"
