"""The day a benefit's 2-year time limit (消滅時効, 高確法 §160 ①) runs from, for the kinds whose starting
day is not simply a date on the form. Pure.

Every function returns the **event day**: the day *after* which the two years are counted (the 起算日 is
the next day), so that the last day to claim is `kouki.rules.arrears.add_years(event, 2)` for every kind
(民法 §140, §143 ②), as for 療養費 (the payment day) and 葬祭費 (the funeral day).

- 高額療養費: the 起算日 is the first day of the month after the care month; when the co-payment was paid
  after that month, the day after the payment (昭和48年11月7日 保発99号・庁保険発21号, the 健康保険 rule
  the 後期 unions apply; the "2 years" is domain-facts-next §1 [R10]). As an event day: the later of the
  care month's last day and the payment day.
- 高額介護合算療養費: the 起算日 is the day after the 基準日, 31 July, that ends the calculation period
  (8/1–7/31; domain-facts-next §1 [R15][R16]). As an event day: that 31 July.

The starting days are not in the shared domain facts (which give only "2 years"): ADR 0006, issue 12 §1
(helper relief12) records the source.
"""

from __future__ import annotations

import calendar
from datetime import date

from kouki.rules.arrears import add_years

CLAIM_YEARS = 2  # 高確法 §160 ①


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def high_cost_event_day(care_month: date, paid_on: date | None = None) -> date:
    """高額療養費: the day after which the 2 years run — the care month's last day, or the day the
    co-payment was paid when that came later."""
    end = month_end(care_month)
    return max(end, paid_on) if paid_on is not None else end


def combined_event_day(period_end_year: int) -> date:
    """高額介護合算療養費 of the period 8/1 (year − 1) – 7/31 (`period_end_year`): its 基準日, 31 July."""
    return date(period_end_year, 7, 31)


def last_day_to_claim(event_day: date) -> date:
    """The last day to claim when the 2 years run from the day after `event_day`."""
    return add_years(event_day, CLAIM_YEARS)


def claim_in_time(event_day: date, received_on: date) -> bool:
    return received_on <= last_day_to_claim(event_day)
