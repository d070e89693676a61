"""The out-of-hours intervals of a period (issue 15 §1, the monthly review report) agree with
is_out_of_hours moment by moment."""

from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kouki.rules.business_days import BusinessCalendar, japanese_calendar
from kouki.rules.office_hours import OfficeHours, is_out_of_hours
from kouki.rules.out_of_hours import out_of_hours_intervals

HOURS = OfficeHours(time(8, 30), time(17, 15))
CAL = japanese_calendar([2026, 2027])


def test_a_weekend_is_one_interval_from_friday_closing_to_monday_opening() -> None:
    spans = out_of_hours_intervals(date(2026, 11, 6), date(2026, 11, 9), HOURS, CAL)  # Fri…Mon
    wall = datetime.fromisoformat  # wall-clock (naive) times, as the rule gives them
    assert spans == [
        (wall("2026-11-06T00:00"), wall("2026-11-06T08:30")),
        (wall("2026-11-06T17:15"), wall("2026-11-09T08:30")),
        (wall("2026-11-09T17:15"), wall("2026-11-10T00:00")),
    ]


def test_reversed_period_is_refused() -> None:
    with pytest.raises(ValueError, match="before it starts"):
        out_of_hours_intervals(date(2026, 11, 2), date(2026, 11, 1), HOURS, CAL)


# input generation is cheap, but the CI machine is shared: no health check on its speed
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    first=st.dates(date(2026, 1, 1), date(2027, 11, 30)),
    days=st.integers(0, 40),
    offset=st.integers(0, 41 * 24 * 60 - 1),
    opens=st.integers(0, 12 * 60),
    length=st.integers(1, 11 * 60),
    holidays=st.frozensets(st.dates(date(2026, 1, 1), date(2027, 12, 31)), max_size=8),
)
def test_intervals_hold_exactly_the_out_of_hours_moments(first: date, days: int, offset: int, opens: int,
                                                         length: int, holidays: frozenset[date]) -> None:
    last = first + timedelta(days=days)
    hours = OfficeHours(time(opens // 60, opens % 60), time((opens + length) // 60, (opens + length) % 60))
    calendar = BusinessCalendar(holidays=holidays)
    spans = out_of_hours_intervals(first, last, hours, calendar)
    moment = datetime.combine(first, time.min) + timedelta(minutes=offset % ((days + 1) * 24 * 60))
    inside = any(start <= moment < end for start, end in spans)
    assert inside is is_out_of_hours(moment, hours, calendar)
    assert all(a[1] < b[0] for a, b in itertools.pairwise(spans))  # sorted, merged, disjoint
