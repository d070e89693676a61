"""Pure rules of arrears work: the reminder window, the specified deadline, pledge status and the
limitation (時効) of a premium claim. No Django, no I/O (ADR 0011 gives the sources and the choices).

- 督促: the mayor must remind anyone who did not pay by the due date, naming a deadline
  (地方自治法 §231-3 ①). The law gives no delay; city rules do — e.g. 朝来市後期高齢者医療に関する
  条例施行規則 §6 「納期限後20日以内」. さいたま市's own rule was not found: 20 days is the default of
  `REMINDER_WINDOW_DAYS` (configuration), and the deadline (指定期限) is the issue date + 10 days (also
  configuration), moved to the next business day when the office is closed.
- 時効: premiums can no longer be collected once two years have passed from when they could be
  collected (高齢者の医療の確保に関する法律 §160 ①); a reminder renews the period (§160 ②), as does
  an acknowledgement of the debt (民法 §152: a payment or a 分納誓約). Periods are counted from the next
  day (民法 §140) and end on the day that corresponds to the start (民法 §143 ②), so a due date D
  expires at the end of D + 2 years (Feb 29 → Feb 28).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from enum import StrEnum

REMINDER_WINDOW_DAYS = 20
REMINDER_DEADLINE_DAYS = 10
LIMITATION_YEARS = 2


def reminder_due_window(on: date, window_days: int = REMINDER_WINDOW_DAYS) -> tuple[date, date]:
    """(first, last) due dates a reminder issued on `on` may cover: missed (before `on`) at most
    `window_days` days ago."""
    if window_days < 1:
        raise ValueError("the reminder window is at least one day")
    return on - timedelta(days=window_days), on - timedelta(days=1)


def add_years(d: date, years: int) -> date:
    """The corresponding day `years` later; 29 February becomes 28 February (民法 §143 ②)."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return date(d.year + years, 2, 28)


def limitation_expires(due_date: date, renewals: Iterable[date] = ()) -> date:
    """The last day on which the instalment can still be collected: two years after the due date or
    after the latest renewal (督促の指定期限, payment, pledge) that came before the period ran out."""
    start = due_date
    for r in sorted(renewals):
        if start < r <= add_years(start, LIMITATION_YEARS):
            start = r
    return add_years(start, LIMITATION_YEARS)


def limitation_passed(due_date: date, renewals: Iterable[date], on: date) -> bool:
    return on > limitation_expires(due_date, renewals)


class PledgeState(StrEnum):
    ACTIVE = "active"
    KEPT = "kept"
    BROKEN = "broken"


def pledge_state(
    schedule: Sequence[tuple[date, int]], paid: Sequence[tuple[date, int]], on: date
) -> PledgeState:
    """A pledge is broken as soon as a pledged date has passed (is before `on`) with less paid by that
    date than pledged up to it; kept once everything pledged has been paid; otherwise active."""
    if not schedule:
        raise ValueError("a pledge needs at least one pledged amount")
    total = sum(a for _, a in schedule)
    if sum(a for d, a in paid if d < on) >= total:
        return PledgeState.KEPT
    pledged = 0
    for due, amount in sorted(schedule):
        pledged += amount
        if due >= on:
            break
        if sum(a for d, a in paid if d <= due) < pledged:
            return PledgeState.BROKEN
    return PledgeState.ACTIVE
