"""和暦 display, fiscal year and age (used on screens and in eligibility by the 75th birthday)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kouki.rules.wareki import DateOutOfEraRange, age_on, era_of, fiscal_year, format_wareki


@pytest.mark.parametrize(
    ("d", "text"),
    [
        (date(2026, 4, 1), "令和8年4月1日"),
        (date(2019, 5, 1), "令和元年5月1日"),
        (date(2019, 4, 30), "平成31年4月30日"),
        (date(1989, 1, 7), "昭和64年1月7日"),
        (date(1989, 1, 8), "平成元年1月8日"),
        (date(1926, 12, 25), "昭和元年12月25日"),
        (date(1951, 3, 31), "昭和26年3月31日"),
    ],
)
def test_format_wareki(d: date, text: str) -> None:
    assert format_wareki(d) == text


def test_before_meiji_is_refused() -> None:
    with pytest.raises(DateOutOfEraRange):
        era_of(date(1868, 1, 24))


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_fiscal_year_starts_on_april_first(d: date) -> None:
    fy = fiscal_year(d)
    assert date(fy, 4, 1) <= d <= date(fy + 1, 3, 31)


@given(st.dates(min_value=date(1900, 3, 1), max_value=date(2000, 12, 31)), st.integers(0, 40000))
def test_age_increases_by_one_exactly_on_birthdays(birth: date, days: int) -> None:
    day = birth + timedelta(days=days)
    nxt = day + timedelta(days=1)
    grows = age_on(birth, nxt) - age_on(birth, day)
    is_birthday = (nxt.month, nxt.day) == (birth.month, birth.day) or (
        (birth.month, birth.day) == (2, 29) and (nxt.month, nxt.day) == (3, 1) and not _leap(nxt.year)
    )
    assert grows == (1 if is_birthday else 0)


def _leap(y: int) -> bool:
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


def test_seventy_fifth_birthday() -> None:
    assert age_on(date(1951, 6, 15), date(2026, 6, 14)) == 74
    assert age_on(date(1951, 6, 15), date(2026, 6, 15)) == 75
