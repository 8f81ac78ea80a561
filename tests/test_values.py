"""Values as people type them."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kc_workbook.program import Input
from kc_workbook.values import parse_value

COUNT = Input("CRIMES_TOTAL", "преступления", "ед.", "int", 0.0, ("MVD",))
DECIMAL = Input("ALERT_COVERED_K", "охват", "тыс. чел.", "decimal", 0.0, ("GZ",))


@pytest.mark.parametrize("raw, inp, value, codes", [
    (12, COUNT, 12.0, []),
    (12.0, COUNT, 12.0, []),
    (68.4, DECIMAL, 68.4, []),
    ("1 234", COUNT, 1234.0, ["value-as-text"]),
    ("1\u00a0234,5", DECIMAL, 1234.5, ["value-as-text"]),
    ("1\u202f234\u202f567", COUNT, 1234567.0, ["value-as-text"]),
    ("'42", COUNT, 42.0, ["value-as-text"]),
    ("68,4", DECIMAL, 68.4, ["value-as-text"]),
    ("0.5", DECIMAL, 0.5, ["value-as-text"]),
    (" 17 ", COUNT, 17.0, ["value-as-text"]),
    (None, COUNT, None, ["value-missing"]),
    ("   ", COUNT, None, ["value-missing"]),
    ("около 10", COUNT, None, ["value-not-number"]),
    ("10 шт.", COUNT, None, ["value-not-number"]),
    ("1.234.567", COUNT, None, ["value-not-number"]),
    ("1,234.5", DECIMAL, None, ["value-not-number"]),
    (True, COUNT, None, ["value-not-number"]),
    (dt.date(2025, 2, 1), COUNT, None, ["value-date"]),
    (dt.datetime(2025, 1, 12, 0, 0), DECIMAL, None, ["value-date"]),
    ("#DIV/0!", COUNT, None, ["value-formula-error"]),
    ("#ЗНАЧ!", COUNT, None, ["value-formula-error"]),
    ("Err:502", COUNT, None, ["value-formula-error"]),
    (12.5, COUNT, None, ["value-fraction"]),
    ("12,5", COUNT, None, ["value-as-text", "value-fraction"]),
    (-1, COUNT, None, ["value-below-bound"]),
    (-0.5, DECIMAL, None, ["value-below-bound"]),
    (float("nan"), DECIMAL, None, ["value-not-number"]),
])
def test_parse_value(raw, inp, value, codes):
    parsed, problems = parse_value(raw, inp)
    assert parsed == value
    assert [code for code, _ in problems] == codes


@given(st.integers(min_value=0, max_value=10**9))
def test_any_count_typed_with_russian_grouping_reads_back(n):
    grouped = f"{n:,}".replace(",", "\u00a0")
    value, problems = parse_value(grouped, COUNT)
    assert value == n
    assert [c for c, _ in problems] == ["value-as-text"]


@given(st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False))
def test_any_decimal_typed_with_a_comma_reads_back(d):
    value, _ = parse_value(str(d).replace(".", ","), DECIMAL)
    assert value == pytest.approx(float(d))
