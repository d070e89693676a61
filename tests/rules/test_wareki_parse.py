"""parse_date_input: the birth-date field of 宛名検索 accepts 西暦 and 和暦, as staff type them."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kouki.rules.wareki import InvalidDateInput, format_wareki, format_wareki_input, parse_date_input


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-04-01", date(2026, 4, 1)),
        ("2026/4/1", date(2026, 4, 1)),
        ("2026年4月1日", date(2026, 4, 1)),
        ("R8.4.1", date(2026, 4, 1)),
        ("r8.4.1", date(2026, 4, 1)),
        ("Ｒ８．４．１", date(2026, 4, 1)),
        ("S21.5.1", date(1946, 5, 1)),
        ("令和8年4月1日", date(2026, 4, 1)),
        ("R元.5.1", date(2019, 5, 1)),
        ("H31.4.30", date(2019, 4, 30)),
        ("H1.1.8", date(1989, 1, 8)),
        ("S64.1.7", date(1989, 1, 7)),
        ("T15.12.24", date(1926, 12, 24)),
    ],
)
def test_accepted_forms(text: str, expected: date) -> None:
    assert parse_date_input(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "  ", "H31.5.1", "S64.1.8", "R8.2.30", "2026-13-01", "R0.1.1", "S1.12.24", "X8.4.1", "8.4.1",
     "R8-4"],
)
def test_refused_forms(text: str) -> None:
    with pytest.raises(InvalidDateInput):
        parse_date_input(text)


@given(st.dates(min_value=date(1868, 1, 25), max_value=date(2100, 12, 31)))
def test_round_trip_through_wareki_display(d: date) -> None:
    assert parse_date_input(format_wareki(d)) == d
    assert parse_date_input(d.isoformat()) == d


@pytest.mark.parametrize(("day", "typed"), [
    (date(2026, 4, 1), "R8.4.1"),
    (date(2019, 5, 1), "R1.5.1"),  # the first day of 令和
    (date(2019, 4, 30), "H31.4.30"),
    (date(1946, 5, 1), "S21.5.1"),
])  # fmt: skip
def test_format_wareki_input_is_what_staff_type(day: date, typed: str) -> None:
    """The initial value of a date input (issue 11 §4: 和暦 first); the era is the one in force that day."""
    assert format_wareki_input(day) == typed


@given(st.dates(min_value=date(1868, 1, 25), max_value=date(2099, 12, 31)))
def test_format_wareki_input_reads_back(day: date) -> None:
    assert parse_date_input(format_wareki_input(day)) == day
