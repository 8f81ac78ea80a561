"""The README's examples are the real output, and its layout names every module."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from kc_workbook.cli import main
from kc_workbook.program import default_program_path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
# A shown session: a ```-block whose first line is «$ kc-workbook …».
SESSIONS = re.findall(r"```\n\$ (kc-workbook [^\n]*)\n(.*?)```", README, re.S)
# Shown sessions that change with the machine or need servers, and why they are not replayed here.
NOT_REPLAYED = {
    "kc-workbook status": "depends on the mail journals of the machine",
    "kc-workbook history": "needs three years of records: tests/test_history.py replays it",
}


def test_the_readme_shows_sessions():
    assert {command for command, _ in SESSIONS} >= {"kc-workbook demo", "kc-workbook program check"}


@pytest.mark.parametrize("command, shown", SESSIONS, ids=[c for c, _ in SESSIONS])
def test_each_shown_session_is_the_real_output(command, shown):
    if any(command.startswith(prefix) for prefix in NOT_REPLAYED):
        pytest.skip(NOT_REPLAYED[next(p for p in NOT_REPLAYED if command.startswith(p))])
    result = CliRunner().invoke(main, shlex.split(command)[1:])
    assert isinstance(result.exception, (SystemExit, type(None))), result.exception
    # The built-in definition's path depends on where the package is installed.
    real = result.output.replace(str(default_program_path()), "templates/program_template.xlsx")
    assert real == shown


def test_the_layout_names_every_module():
    layout = README.split("## Layout", 1)[1]
    modules = sorted(p.stem for p in (ROOT / "kc_workbook").glob("*.py") if p.stem not in ("__init__", "__main__"))
    missing = [m for m in modules if f"`{m}`" not in layout]
    assert missing == []
