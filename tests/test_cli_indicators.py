"""Indicator lines of the CLI say the plan as the bound it is: «не менее», «не более», a zero target «0»."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from conftest import YEAR
from kc_workbook.cli import main
from kc_workbook.indicators import IndicatorResult
from kc_workbook.sentences import indicator_line
from kc_workbook.vocabulary import DECREASE, DIRECTION_BOUND, INCREASE, MET, MISSED, ZERO


@pytest.mark.parametrize("direction, plan, shown", [
    (INCREASE, 98.0, "не менее 98,0"), (DECREASE, 35.0, "не более 35,0"), (ZERO, 0.0, "план 0, факт"),
])
def test_the_plan_is_said_with_its_direction(direction, plan, shown):
    line = indicator_line(IndicatorResult(4, plan, 34.0, MET, precision=1), direction)
    assert shown in re.sub(r" +", " ", line)


def test_a_line_without_a_direction_or_a_plan_has_no_bound():
    assert "не " not in indicator_line(IndicatorResult(4, 35.0, 34.0, MET, precision=1)).split(":")[0]
    line = indicator_line(IndicatorResult(4, None, 34.0, MISSED, precision=1), DECREASE)
    assert "не более" not in line and "—" in line


def test_consolidate_shows_each_indicators_direction(program, good_inbox, tmp_path):
    result = CliRunner().invoke(main, ["consolidate", "--year", str(YEAR), str(good_inbox),
                                       "--out", str(tmp_path / "c.xlsx"), "--json", str(tmp_path / "c.json")])
    assert result.exit_code == 0, result.output
    lines = {int(m.group(1)): m.group(2) for m in re.finditer(r"^ +(\d+)\. (план .*)$", result.output, re.M)}
    assert set(lines) == {ind.number for ind in program.indicators}
    assert {ind.direction for ind in program.indicators} == {INCREASE, DECREASE, ZERO}  # every kind is tried
    for ind in program.indicators:
        bound = DIRECTION_BOUND.label(ind.direction)
        plan_part = lines[ind.number].split(",")[0]
        if bound:
            assert bound in plan_part, lines[ind.number]
        else:
            assert re.fullmatch(r"план +0", plan_part), lines[ind.number]
