"""Office hours and out-of-hours moments (issue 15 §1–§2; SEC audit review: out-of-hours activity)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kouki.rules.business_days import BusinessCalendar
from kouki.rules.office_hours import OfficeHours, OfficeHoursError, is_out_of_hours, parse_office_hours

JST = timezone(timedelta(hours=9))
HOURS = OfficeHours(time(8, 30), time(17, 15))
CAL = BusinessCalendar(holidays=frozenset({date(2026, 11, 3)}))  # 文化の日


@pytest.mark.parametrize(
    ("moment", "out"),
    [
        (datetime(2026, 11, 4, 8, 29, tzinfo=JST), True),   # Wednesday, before opening
        (datetime(2026, 11, 4, 8, 30, tzinfo=JST), False),  # opening
        (datetime(2026, 11, 4, 17, 14, tzinfo=JST), False),
        (datetime(2026, 11, 4, 17, 15, tzinfo=JST), True),  # closing
        (datetime(2026, 11, 3, 10, 0, tzinfo=JST), True),   # a national holiday
        (datetime(2026, 11, 7, 10, 0, tzinfo=JST), True),   # Saturday
        (datetime(2026, 12, 29, 10, 0, tzinfo=JST), True),  # year-end closure (a Tuesday)
    ],
)
def test_out_of_hours(moment: datetime, out: bool) -> None:
    assert is_out_of_hours(moment, HOURS, CAL) is out


def test_parse() -> None:
    assert parse_office_hours(" 09:00 - 18:00 ") == OfficeHours(time(9), time(18))
    for bad in ("9-", "0900-1800x", "17:00-08:00", "08:30"):
        with pytest.raises(OfficeHoursError):
            parse_office_hours(bad)


@given(st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31),  # noqa: DTZ001
                    timezones=st.just(JST)))
def test_weekend_always_out(moment: datetime) -> None:
    weekend = moment.weekday() >= 5
    if weekend:
        assert is_out_of_hours(moment, HOURS, CAL)
    else:
        # on an open day exactly the moments in [opens, closes) are in hours
        clock = moment.time().replace(tzinfo=None)
        inside = HOURS.opens <= clock < HOURS.closes and CAL.is_business_day(moment.date())
        assert is_out_of_hours(moment, HOURS, CAL) is not inside
