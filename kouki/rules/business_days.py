"""Business days of a city office and due dates moved off closed days. Pure; no I/O.

Rules:
- A due date (納期限) that falls on a day the office is closed moves to the next day it is open
  (地方自治法 §4-2④ [B]; domain-facts §4, Hanno examples 2021-08-02 and 2021-11-01 [S39]).
- Closed: Saturdays and Sundays, national holidays (国民の祝日に関する法律, including 振替休日 and
  国民の休日), and the year-end closure 12/29–1/3 (地方自治法 §4-2① and each city's 休日条例; a parameter
  here because a city's 条例 decides it).

The national holidays come in as a set of dates (`BusinessCalendar.holidays`): build it with
`national_holidays()` (computed by the `jpholiday` package, no I/O) or pass any other set.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

# (month, day) pairs closed every year by the city's 休日条例: 12/29–1/3 is the usual closure.
YEAR_END_CLOSURE: frozenset[tuple[int, int]] = frozenset(
    {(12, 29), (12, 30), (12, 31), (1, 1), (1, 2), (1, 3)}
)

# How far we look for the next open day before giving up (a calendar that closes every day is a bug).
_MAX_CLOSED_RUN = 60


class NoBusinessDay(ValueError):
    """The calendar closes every day of a long run: the holiday set or closure parameter is wrong."""


@dataclass(frozen=True)
class BusinessCalendar:
    """Which days the city office is open."""

    holidays: frozenset[date] = frozenset()
    closure_days: frozenset[tuple[int, int]] = YEAR_END_CLOSURE
    weekend: frozenset[int] = field(default_factory=lambda: frozenset({5, 6}))  # date.weekday()

    def is_business_day(self, d: date) -> bool:
        return (
            d.weekday() not in self.weekend
            and d not in self.holidays
            and ((d.month, d.day) not in self.closure_days)
        )


def next_business_day(d: date, cal: BusinessCalendar) -> date:
    """`d` itself when the office is open that day, otherwise the next open day."""
    for offset in range(_MAX_CLOSED_RUN):
        candidate = d + timedelta(days=offset)
        if cal.is_business_day(candidate):
            return candidate
    raise NoBusinessDay(f"no business day within {_MAX_CLOSED_RUN} days after {d.isoformat()}")


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def nominal_due_date(year: int, month: int, day: int | None) -> date:
    """The due date before moving: `day` of the month (clipped to the month's end), or the month's end."""
    last = calendar.monthrange(year, month)[1]
    return date(year, month, last if day is None else min(day, last))


def previous_business_day(d: date, cal: BusinessCalendar) -> date:
    """`d` itself when the office is open that day, otherwise the last open day before it."""
    for offset in range(_MAX_CLOSED_RUN):
        candidate = d - timedelta(days=offset)
        if cal.is_business_day(candidate):
            return candidate
    raise NoBusinessDay(f"no business day within {_MAX_CLOSED_RUN} days before {d.isoformat()}")


@lru_cache(maxsize=8192)
def due_date(year: int, month: int, day: int | None, cal: BusinessCalendar) -> date:
    """納期限: the nominal day of the month moved to the next business day."""
    return next_business_day(nominal_due_date(year, month, day), cal)


@lru_cache(maxsize=8192)
def paid_on_or_before(year: int, month: int, day: int, cal: BusinessCalendar) -> date:
    """A payment day (such as the pension's 15th) moved to the business day before it when closed."""
    return previous_business_day(nominal_due_date(year, month, day), cal)


def national_holidays(years: Iterable[int]) -> frozenset[date]:
    """Japanese national holidays of the given calendar years (computed by `jpholiday`; no I/O)."""
    import jpholiday

    days: set[date] = set()
    for year in years:
        days.update(d for d, _name in jpholiday.year_holidays(year))
    return frozenset(days)


def japanese_calendar(
    years: Iterable[int], closure_days: frozenset[tuple[int, int]] = YEAR_END_CLOSURE
) -> BusinessCalendar:
    """A city office calendar: weekends, national holidays of `years`, and the closure days."""
    return BusinessCalendar(holidays=national_holidays(years), closure_days=closure_days)
