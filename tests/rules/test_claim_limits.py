"""The 2-year time limits of 高額療養費 and 高額介護合算療養費 (kouki.rules.claim_limits) and the counter's
warning for them (kouki.rules.applications.warnings_for). Sources: 高確法 §160 ① (2 years); 高額療養費 from
the first day of the month after the care month, or the day after a later payment (昭和48年11月7日
保発99号・庁保険発21号); 高額介護合算 from the day after the 基準日 31 July (domain-facts-next §1 [R15])."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kouki.rules.applications import ApplicationKind, time_limit_event, warnings_for
from kouki.rules.claim_limits import (
    claim_in_time,
    combined_event_day,
    high_cost_event_day,
    last_day_to_claim,
    month_end,
)

days = st.dates(min_value=date(2008, 4, 1), max_value=date(2040, 12, 31))


@pytest.mark.parametrize(("care_month", "paid_on", "last_day"), [
    (date(2024, 5, 1), None, date(2026, 5, 31)),  # 起算日 2024-06-01 → 2 years end 2026-05-31
    (date(2024, 5, 1), date(2024, 5, 20), date(2026, 5, 31)),  # paid in the care month: no change
    (date(2024, 5, 1), date(2024, 8, 10), date(2026, 8, 10)),  # paid later: from the day after payment
    (date(2024, 2, 1), None, date(2026, 2, 28)),  # 2024-02-29 → 2026-02-28 (民法 §143 ②)
    (date(2025, 12, 1), None, date(2027, 12, 31)),
])  # fmt: skip
def test_high_cost_last_day(care_month: date, paid_on: date | None, last_day: date) -> None:
    assert last_day_to_claim(high_cost_event_day(care_month, paid_on)) == last_day


def test_combined_runs_from_the_day_after_31_july() -> None:
    assert last_day_to_claim(combined_event_day(2024)) == date(2026, 7, 31)
    assert not claim_in_time(combined_event_day(2024), date(2026, 8, 1))


@given(days, st.one_of(st.none(), days))
def test_high_cost_never_earlier_than_the_month_after(care: date, paid: date | None) -> None:
    event = high_cost_event_day(care, paid)
    assert event >= month_end(care)  # never before the month after the care month begins
    assert paid is None or event >= paid  # a later payment moves it, an earlier one never
    assert claim_in_time(event, event + timedelta(days=1))
    assert claim_in_time(event, last_day_to_claim(event))
    assert not claim_in_time(event, last_day_to_claim(event) + timedelta(days=1))


@given(days, days)
def test_the_limit_is_monotone_in_the_event_day(a: date, b: date) -> None:
    early, late = sorted((a, b))
    assert last_day_to_claim(early) <= last_day_to_claim(late)
    assert (last_day_to_claim(early) - early).days in (729, 730, 731)


def test_the_counter_warns_for_high_cost_and_combined() -> None:
    high = {"care_month": "2024-05-01", "copay_paid_on": None}
    assert time_limit_event(ApplicationKind.HIGH_COST, high) == date(2024, 5, 31)
    on_time = warnings_for(ApplicationKind.HIGH_COST, high, received_on=date(2026, 5, 31),
                           presented=frozenset({"form", "card", "account"}))  # fmt: skip
    late = warnings_for(ApplicationKind.HIGH_COST, high, received_on=date(2026, 6, 1),
                        presented=frozenset({"form", "card", "account"}))  # fmt: skip
    assert on_time.time_limit_last_day is None
    assert late.time_limit_last_day == date(2026, 5, 31) and "時効(2年)を過ぎています" in late.messages[0]
    paid_later = {**high, "copay_paid_on": "2024-08-10"}
    assert not warnings_for(ApplicationKind.HIGH_COST, paid_later, received_on=date(2026, 6, 1),
                            presented=frozenset({"form", "card", "account"}))  # fmt: skip
    combined = {"period_end_year": 2024, "other_insurer": False}
    docs = frozenset({"form", "account"})
    assert not warnings_for(ApplicationKind.HIGH_COST_COMBINED, combined, received_on=date(2026, 7, 31),
                            presented=docs)  # fmt: skip
    late_combined = warnings_for(ApplicationKind.HIGH_COST_COMBINED, combined, received_on=date(2026, 8, 1),
                                 presented=docs)  # fmt: skip
    assert late_combined.time_limit_last_day == date(2026, 7, 31)
