"""Deadlines and fees of 開示・訂正・利用停止請求 (issue 15 §3; domain-facts-next §7).

Table cases cite their source: APPI §83① (30 days), §83② (extension of at most 30 days), §98③/§99③
(訂正・利用停止 within 90 days of the disclosure) [R47][R48][R49]; agents' papers within 30 days [R45][R46];
copies 10円 a page [PIA L3336–3338]. Periods count from the day after (民法 §140).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kouki.rules.disclosure_deadlines import (
    DeadlineRules,
    DueState,
    agent_document_current,
    decision_due,
    due_state,
    extended_due,
    follow_up_in_time,
    follow_up_last_day,
)
from kouki.rules.disclosure_fees import DisclosureMethod, disclosure_fee

days = st.dates(min_value=date(2023, 4, 1), max_value=date(2040, 3, 31))


@pytest.mark.parametrize(("received", "due"), [
    (date(2026, 4, 1), date(2026, 5, 1)),  # APPI §83①: 30 days, the day of receipt not counted
    (date(2026, 1, 31), date(2026, 3, 2)),  # across February (28 days)
    (date(2028, 2, 1), date(2028, 3, 2)),  # a leap year
    (date(2026, 12, 15), date(2027, 1, 14)),  # across the year end (no closed-day shift: calendar days)
])
def test_decision_due_table(received: date, due: date) -> None:
    assert decision_due(received) == due


def test_extension_table() -> None:
    # APPI §83②: at most 30 more days, never more
    assert extended_due(date(2026, 4, 1), 30) == date(2026, 5, 31)
    assert extended_due(date(2026, 4, 1), 10) == date(2026, 5, 11)
    for bad in (0, 31, -1):
        with pytest.raises(ValueError, match="30日以内"):
            extended_due(date(2026, 4, 1), bad)


def test_shorter_periods_of_a_ordinance_are_used() -> None:
    rules = DeadlineRules(decision_days=14, extension_days=14)
    assert decision_due(date(2026, 4, 1), rules) == date(2026, 4, 15)
    with pytest.raises(ValueError, match="14日以内"):
        extended_due(date(2026, 4, 1), 15, rules)


@pytest.mark.parametrize(("disclosed", "received", "in_time"), [
    (date(2026, 4, 10), date(2026, 7, 9), True),  # APPI §98③: the 90th day
    (date(2026, 4, 10), date(2026, 7, 10), False),  # the 91st day
    (date(2026, 4, 10), date(2026, 4, 10), True),  # the same day
    (date(2026, 4, 10), date(2026, 4, 9), False),  # before the disclosure: nothing to correct yet
])
def test_follow_up_window_table(disclosed: date, received: date, in_time: bool) -> None:
    assert follow_up_last_day(date(2026, 4, 10)) == date(2026, 7, 9)
    assert follow_up_in_time(disclosed, received) is in_time


@pytest.mark.parametrize(("document", "received", "current"), [
    (date(2026, 3, 2), date(2026, 4, 1), True),  # R45/R46: dated 30 days before
    (date(2026, 3, 1), date(2026, 4, 1), False),  # 31 days before
    (date(2026, 4, 1), date(2026, 4, 1), True),
    (date(2026, 4, 2), date(2026, 4, 1), False),  # dated after the request
])
def test_agent_document_table(document: date, received: date, current: bool) -> None:
    assert agent_document_current(document, received) is current


def test_due_state_table() -> None:
    due = date(2026, 5, 1)
    assert due_state(due, date(2026, 4, 23)) == DueState.OPEN
    assert due_state(due, date(2026, 4, 24)) == DueState.NEAR  # 7 days left
    assert due_state(due, due) == DueState.NEAR
    assert due_state(due, date(2026, 5, 2)) == DueState.OVERDUE


def test_fee_table() -> None:
    # PIA L3336–3338: free; copies 10円 a page
    assert disclosure_fee(7, DisclosureMethod.COPY, 10) == 70
    assert disclosure_fee(7, DisclosureMethod.VIEW, 10) == 0
    with pytest.raises(ValueError):
        disclosure_fee(-1, DisclosureMethod.COPY, 10)


@given(days, st.integers(min_value=1, max_value=30))
def test_an_extension_lands_after_the_first_period_within_sixty_days(received: date, extra: int) -> None:
    first = decision_due(received)
    later = extended_due(received, extra)
    assert first < later <= received + timedelta(days=60)
    assert (later - first).days == extra


@given(days, days)
def test_follow_up_in_time_iff_within_the_window(disclosed: date, received: date) -> None:
    delta = (received - disclosed).days
    assert follow_up_in_time(disclosed, received) is (0 <= delta <= 90)


@given(days, days)
def test_due_state_is_overdue_exactly_after_the_due_day(due: date, today: date) -> None:
    state = due_state(due, today)
    assert (state == DueState.OVERDUE) is (today > due)
    if state == DueState.OPEN:
        assert (due - today).days > 7


@given(days, days, st.integers(min_value=0, max_value=366))
def test_agent_document_current_iff_dated_within_the_days(document: date, received: date, limit: int) -> None:
    rules = DeadlineRules(agent_document_days=limit)
    age = (received - document).days
    assert agent_document_current(document, received, rules) is (0 <= age <= limit)


@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=0, max_value=1000))
def test_viewing_is_free_and_copies_are_linear(pages: int, per_page: int) -> None:
    assert disclosure_fee(pages, DisclosureMethod.VIEW, per_page) == 0
    assert disclosure_fee(pages + 1, DisclosureMethod.COPY, per_page) - disclosure_fee(
        pages, DisclosureMethod.COPY, per_page) == per_page
