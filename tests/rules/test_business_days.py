"""Business days and due dates moved off closed days (domain-facts §4; 地方自治法 §4-2)."""

from __future__ import annotations

from datetime import date

import pytest

from kouki.rules.business_days import (
    BusinessCalendar,
    due_date,
    japanese_calendar,
    month_end,
    next_business_day,
)
from kouki.rules.instalments import HANNO, YearMonth
from kouki.rules.instalments.direct import direct_due_date
from kouki.rules.instalments.pension import pension_payment_date

CAL = japanese_calendar(range(2020, 2030))


def test_hanno_fy2021_due_dates() -> None:
    """飯能市 令和3年度 8期: 8/2, 8/31, 9/30, 11/1, 11/30, 12/27, 1/31, 2/28.

    Source: https://www.city.hanno.lg.jp/article/detail/5574 [S39] (domain-facts §4: 2021-08-02 and
    2021-11-01 are month ends moved off a weekend).
    """
    months = [YearMonth.in_fiscal_year(2021, m) for m in (7, 8, 9, 10, 11, 12, 1, 2)]
    got = [direct_due_date(ym, HANNO, CAL) for ym in months]
    assert got == [
        date(2021, 8, 2),
        date(2021, 8, 31),
        date(2021, 9, 30),
        date(2021, 11, 1),
        date(2021, 11, 30),
        date(2021, 12, 27),
        date(2022, 1, 31),
        date(2022, 2, 28),
    ]


@pytest.mark.parametrize(
    ("month", "expected"),
    [
        ((2024, 7), date(2024, 7, 31)),
        ((2024, 8), date(2024, 9, 2)),  # 8/31 Saturday
        ((2024, 10), date(2024, 10, 31)),
        ((2024, 12), date(2025, 1, 6)),  # 12/31 closed (12/29–1/3), 1/4–1/5 weekend
        ((2025, 2), date(2025, 2, 28)),
    ],
)
def test_month_end_due_dates_makkari_fy2024(month: tuple[int, int], expected: date) -> None:
    """真狩村 令和6年度 普通徴収 年5回: 7/31, 9/2, 10/31, 1/6, 2/28 — month ends moved to the next business
    day, December's across the year-end closure.

    Source: 真狩村 後期高齢者医療制度 page (http://153.120.17.225/kurashi/nenkin_hoken/koreisha).
    """
    assert due_date(*month, None, CAL) == expected


@pytest.mark.parametrize(
    ("month", "expected"),
    [
        ((2024, 4), date(2024, 4, 15)),
        ((2024, 6), date(2024, 6, 14)),  # 6/15 Saturday → the Friday before
        ((2024, 8), date(2024, 8, 15)),
        ((2024, 10), date(2024, 10, 15)),
        ((2024, 12), date(2024, 12, 13)),  # 12/15 Sunday
        ((2025, 2), date(2025, 2, 14)),  # 2/15 Saturday
    ],
)
def test_pension_payment_dates_fy2024(month: tuple[int, int], expected: date) -> None:
    """特別徴収 年6回 on the pension payment days 4/15, 6/14, 8/15, 10/15, 12/13, 2/14 (令和6年度).

    Source: 真狩村 後期高齢者医療制度 page (http://153.120.17.225/kurashi/nenkin_hoken/koreisha).
    """
    assert pension_payment_date(YearMonth(*month), HANNO, CAL) == expected


def test_silver_week_holidays_2026() -> None:
    """敬老の日 9/21, 国民の休日 9/22 and 秋分の日 9/23 (2026) follow a weekend: next open day is 9/24."""
    assert next_business_day(date(2026, 9, 19), CAL) == date(2026, 9, 24)


def test_open_day_stays() -> None:
    assert next_business_day(date(2026, 8, 31), CAL) == date(2026, 8, 31)


def test_closure_days_are_a_parameter() -> None:
    """The year-end closure comes from the city's 休日条例: without it 12/31/2026 (Thursday) is open."""
    no_closure = BusinessCalendar(holidays=CAL.holidays, closure_days=frozenset())
    assert next_business_day(date(2026, 12, 31), no_closure) == date(2026, 12, 31)
    assert next_business_day(date(2026, 12, 31), CAL) == date(2027, 1, 4)


def test_holidays_are_passed_in() -> None:
    """The rule uses only the given holiday set: an empty set treats 2026-09-22 (Tuesday) as open."""
    bare = BusinessCalendar()
    assert next_business_day(date(2026, 9, 22), bare) == date(2026, 9, 22)
    assert not CAL.is_business_day(date(2026, 9, 22))


def test_month_end() -> None:
    assert month_end(2028, 2) == date(2028, 2, 29)
    assert due_date(2027, 2, 31, CAL) == date(2027, 3, 1)  # day clipped to 2/28 (Sunday) then moved
