"""The city's office hours, and whether a moment falls outside them (issue 15 §1–§2). Pure; no I/O.

Staff work is expected on business days (kouki.rules.business_days: not Saturday, Sunday, a national
holiday or the year-end closure) between the opening and closing times. Anything else — a reveal at 22:00,
a login on a Sunday — is "out of hours": not forbidden (overtime happens), but counted in the monthly
review report and flagged to the auditors. The times are configuration (KOUKI_OFFICE_HOURS).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from kouki.rules.business_days import BusinessCalendar


class OfficeHoursError(ValueError):
    """A KOUKI_OFFICE_HOURS value that is not "HH:MM-HH:MM" with the opening before the closing."""


@dataclass(frozen=True)
class OfficeHours:
    opens: time
    closes: time

    def __post_init__(self) -> None:
        if not self.opens < self.closes:
            raise OfficeHoursError(f"opening {self.opens:%H:%M} must be before closing {self.closes:%H:%M}")


def parse_office_hours(raw: str) -> OfficeHours:
    """"08:30-17:15" → OfficeHours(08:30, 17:15)."""
    opens, sep, closes = raw.strip().partition("-")
    if not sep:
        raise OfficeHoursError(f'office hours must look like "08:30-17:15", got {raw!r}')
    try:
        return OfficeHours(time.fromisoformat(opens.strip()), time.fromisoformat(closes.strip()))
    except ValueError as exc:
        raise OfficeHoursError(f'office hours must look like "08:30-17:15", got {raw!r}: {exc}') from None


def is_out_of_hours(moment: datetime, hours: OfficeHours, calendar: BusinessCalendar) -> bool:
    """True when `moment` (local wall-clock time) is on a closed day, before opening or from closing."""
    if not calendar.is_business_day(moment.date()):
        return True
    clock = moment.time().replace(tzinfo=None)
    return not hours.opens <= clock < hours.closes
