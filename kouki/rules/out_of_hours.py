"""The out-of-hours stretches of a period as wall-clock intervals (issue 15 §1: the monthly review report).

`is_out_of_hours` (kouki.rules.office_hours) answers for one moment; a report over a month of audit rows
asks the database instead, with the intervals this module gives: every closed day whole, and on a business
day the time before opening and from closing. Adjacent stretches are merged, so a weekend is one interval
from Friday's closing to Monday's opening. A moment m of the period is out of hours exactly when some
interval holds it (start <= m < end): the property test checks this against `is_out_of_hours`.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from kouki.rules.business_days import BusinessCalendar
from kouki.rules.office_hours import OfficeHours


def out_of_hours_intervals(first: date, last: date, hours: OfficeHours,
                           calendar: BusinessCalendar) -> list[tuple[datetime, datetime]]:
    """[start, end) wall-clock intervals covering the out-of-hours moments of the days first…last."""
    if last < first:
        raise ValueError(f"period ends ({last}) before it starts ({first})")
    pieces: list[tuple[datetime, datetime]] = []
    day = first
    while day <= last:
        start, end = datetime.combine(day, time.min), datetime.combine(day + timedelta(days=1), time.min)
        if calendar.is_business_day(day):
            pieces.append((start, datetime.combine(day, hours.opens)))
            pieces.append((datetime.combine(day, hours.closes), end))
        else:
            pieces.append((start, end))
        day += timedelta(days=1)
    merged: list[tuple[datetime, datetime]] = []
    for start, end in pieces:
        if start >= end:
            continue
        if merged and merged[-1][1] == start:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged
