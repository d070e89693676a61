"""Retention periods and cut-off dates (issue 15 §5): kept through the anniversary, expired the day after."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kouki.rules.retention import (
    Period,
    RetentionSettingError,
    add_period,
    cutoff,
    expired,
    parse_period,
    parse_setting,
)

SEVEN_YEARS = Period(7, "y")
days = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))
periods = st.builds(Period, st.integers(min_value=0, max_value=60), st.sampled_from(["y", "d"]))


@pytest.mark.parametrize(
    ("start", "today", "gone"),
    [
        (date(2019, 12, 6), date(2026, 12, 6), False),  # the seventh anniversary: still kept
        (date(2019, 12, 6), date(2026, 12, 7), True),   # the day after: expired
        (date(2019, 12, 7), date(2026, 12, 7), False),
        (date(2020, 2, 29), date(2027, 2, 28), False),  # 29 February: kept to 28 February
        (date(2020, 2, 29), date(2027, 3, 1), True),
        (date(2021, 2, 28), date(2028, 2, 29), True),  # today is 29 February: 28 February was the day
        (date(2021, 3, 1), date(2028, 2, 29), False),
    ],
)
def test_seven_years_around_the_anniversary(start: date, today: date, gone: bool) -> None:
    assert expired(start, today, SEVEN_YEARS) is gone


def test_days() -> None:
    assert cutoff(date(2026, 12, 6), Period(30, "d")) == date(2026, 11, 6)
    assert not expired(date(2026, 11, 6), date(2026, 12, 6), Period(30, "d"))
    assert expired(date(2026, 11, 5), date(2026, 12, 6), Period(30, "d"))


@settings(deadline=None)  # no timing: the shared machine may be slow
@given(days, days, periods)
def test_expired_is_exactly_after_the_last_kept_day(start: date, today: date, period: Period) -> None:
    assert expired(start, today, period) == (add_period(start, period) < today)


@settings(deadline=None)  # no timing: the shared machine may be slow
@given(days, periods)
def test_the_cutoff_is_kept_and_the_day_before_is_not(today: date, period: Period) -> None:
    edge = cutoff(today, period)
    assert not expired(edge, today, period)
    assert expired(edge - timedelta(days=1), today, period)


@settings(deadline=None)  # no timing: the shared machine may be slow
@given(days, days, periods, st.integers(min_value=1, max_value=30))
def test_a_longer_period_never_expires_more(start: date, today: date, period: Period, more: int) -> None:
    longer = Period(period.amount + more, period.unit)
    assert not (expired(start, today, longer) and not expired(start, today, period))


@pytest.mark.parametrize(("text", "period"), [("7y", Period(7, "y")), (" 30d ", Period(30, "d")),
                                              ("0d", Period(0, "d"))])
def test_parse_period(text: str, period: Period) -> None:
    assert parse_period(text) == period


@pytest.mark.parametrize("text", ["7", "7 years", "-1d", "y", "1.5y", "7m"])
def test_a_bad_period_is_refused(text: str) -> None:
    with pytest.raises(RetentionSettingError):
        parse_period(text)


def test_parse_setting() -> None:
    assert parse_setting("") == {}
    assert parse_setting("alerts=3y, import_rejections=400d,") == {
        "alerts": Period(3, "y"), "import_rejections": Period(400, "d")}
    for bad in ("alerts", "=3y", "alerts=3y,alerts=4y", "alerts=three"):
        with pytest.raises(RetentionSettingError):
            parse_setting(bad)


def test_at_least() -> None:
    assert Period(7, "y").at_least(Period(7, "y")) and not Period(6, "y").at_least(Period(7, "y"))
    assert Period(2562, "d").at_least(Period(7, "y")) and not Period(2555, "d").at_least(Period(7, "y"))
    assert Period(1, "y").at_least(Period(365, "d")) and not Period(1, "y").at_least(Period(366, "d"))
