"""和暦 years, fiscal years and months as letters and screens print them (kouki.rules.wareki).

The era start dates are those of the 元号 in force: 令和 from 2019-05-01 (元号を改める政令,
平成31年政令第143号), 平成 from 1989-01-08 (昭和64年政令第1号), 昭和 from 1926-12-25, 大正 from 1912-07-30,
明治 counted from 1868-01-25 (慶応4年1月1日, to which the 明治改元 was made retroactive). The first year of
an era is 元年.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kouki.rules.wareki import (
    ERAS,
    era_of,
    era_year,
    format_wareki,
    parse_date_input,
    wareki_calendar_year,
    wareki_month,
    wareki_year,
)

DATES = st.dates(min_value=date(1868, 1, 25), max_value=date(2100, 12, 31))
YEARS = st.integers(min_value=1869, max_value=2100)


def test_era_start_dates() -> None:
    assert [(start, name) for start, name, _code in ERAS] == [
        (date(2019, 5, 1), "令和"),
        (date(1989, 1, 8), "平成"),
        (date(1926, 12, 25), "昭和"),
        (date(1912, 7, 30), "大正"),
        (date(1868, 1, 25), "明治"),
    ]


@pytest.mark.parametrize(
    ("d", "text"),
    [
        (date(2019, 4, 30), "平成31年"),  # the last day of 平成
        (date(2019, 5, 1), "令和元年"),  # 令和 begins
        (date(2020, 1, 1), "令和2年"),
        (date(1989, 1, 7), "昭和64年"),
        (date(1989, 1, 8), "平成元年"),
        (date(1926, 12, 24), "大正15年"),
        (date(1926, 12, 25), "昭和元年"),
        (date(1912, 7, 29), "明治45年"),
        (date(1912, 7, 30), "大正元年"),
        (date(1868, 1, 25), "明治元年"),
    ],
)
def test_era_year(d: date, text: str) -> None:
    assert era_year(d) == text


@pytest.mark.parametrize(
    ("fiscal_year", "text"),
    [
        (2026, "令和8年度"),
        (2025, "令和7年度"),
        (2020, "令和2年度"),
        (2019, "平成31年度"),  # named on 1 April 2019, still 平成
        (2018, "平成30年度"),
        (1989, "平成元年度"),
        (1988, "昭和63年度"),
        (1927, "昭和2年度"),
    ],
)
def test_wareki_year(fiscal_year: int, text: str) -> None:
    assert wareki_year(fiscal_year) == text


@pytest.mark.parametrize(
    ("year", "text"),
    [(2025, "令和7年"), (2019, "令和元年"), (2018, "平成30年"), (1989, "平成元年"), (1926, "昭和元年")],
)
def test_wareki_calendar_year(year: int, text: str) -> None:
    """Named by the era on 31 December: the income year 2019 is 令和元年分."""
    assert wareki_calendar_year(year) == text


@pytest.mark.parametrize(
    ("year", "month", "text"),
    [
        (2026, 4, "令和8年4月"),
        (2019, 4, "平成31年4月"),
        (2019, 5, "令和元年5月"),
        (2020, 2, "令和2年2月"),
        (1989, 1, "昭和64年1月"),  # 1 January 1989 is still 昭和
        (1989, 2, "平成元年2月"),
    ],
)
def test_wareki_month(year: int, month: int, text: str) -> None:
    assert wareki_month(year, month) == text


@given(DATES)
def test_era_year_is_at_least_one_and_counts_from_the_era_start(d: date) -> None:
    name, year = era_of(d)
    start = next(s for s, n, _c in ERAS if n == name)
    assert year >= 1
    assert start <= d
    assert year == d.year - start.year + 1


@given(DATES)
def test_one_year_is_written_gannen(d: date) -> None:
    text = era_year(d)
    assert not re.fullmatch(r"\D+1年", text)
    assert text.endswith("元年") == (era_of(d)[1] == 1)


@given(DATES)
def test_date_round_trip(d: date) -> None:
    """What is printed reads back as the same day (staff can type what a letter says)."""
    assert parse_date_input(format_wareki(d)) == d


@given(DATES)
def test_a_date_starts_with_its_era_year(d: date) -> None:
    assert format_wareki(d) == f"{era_year(d)}{d.month}月{d.day}日"


@given(YEARS, st.integers(min_value=1, max_value=12))
def test_month_is_the_first_day_without_the_day(year: int, month: int) -> None:
    assert f"{wareki_month(year, month)}1日" == format_wareki(date(year, month, 1))


@given(YEARS)
def test_fiscal_year_is_named_on_the_first_of_april(fiscal_year: int) -> None:
    assert wareki_year(fiscal_year) == f"{format_wareki(date(fiscal_year, 4, 1)).split('4月')[0]}度"
    assert wareki_calendar_year(fiscal_year) == era_year(date(fiscal_year, 12, 31))


@given(st.integers(min_value=1869, max_value=2099))
def test_years_of_one_era_are_consecutive(year: int) -> None:
    this, nxt = era_of(date(year, 12, 31)), era_of(date(year + 1, 12, 31))
    assert nxt == (this[0], this[1] + 1) or (nxt[0] != this[0] and nxt[1] == 1)
