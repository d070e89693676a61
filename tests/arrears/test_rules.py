"""Pure rules of arrears work (ADR 0011): reminder window, limitation (高確法 §160, 民法 §140/§143),
pledge state."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kouki.rules import arrears as rules
from kouki.rules.arrears import PledgeState

days = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))


@pytest.mark.parametrize(
    ("on", "window", "expected"),
    [  # 朝来市後期高齢者医療に関する条例施行規則 §6: within 20 days after the due date
        (date(2025, 8, 21), 20, (date(2025, 8, 1), date(2025, 8, 20))),
        (date(2025, 8, 1), 20, (date(2025, 7, 12), date(2025, 7, 31))),
        (date(2025, 8, 1), 1, (date(2025, 7, 31), date(2025, 7, 31))),
    ],
)
def test_reminder_window(on: date, window: int, expected: tuple[date, date]) -> None:
    assert rules.reminder_due_window(on, window) == expected


def test_reminder_window_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least one day"):
        rules.reminder_due_window(date(2025, 8, 1), 0)


@pytest.mark.parametrize(
    ("due", "renewals", "expires"),
    [  # 高確法 §160 ①: two years; counted from the next day (民法 §140), ending on the corresponding day
        (date(2023, 7, 31), [], date(2025, 7, 31)),
        (date(2024, 2, 29), [], date(2026, 2, 28)),  # 民法 §143 ②: no 29 February → the month's last day
        (date(2023, 7, 31), [date(2023, 8, 30)], date(2025, 8, 30)),  # 督促 (§160 ②) renews
        (date(2023, 7, 31), [date(2024, 5, 1), date(2025, 6, 1)], date(2027, 6, 1)),  # payment, then pledge
        (date(2023, 7, 31), [date(2025, 8, 1)], date(2025, 7, 31)),  # too late: the claim had lapsed
        (date(2023, 7, 31), [date(2023, 1, 1)], date(2025, 7, 31)),  # before the due date: no effect
    ],
)
def test_limitation_table(due: date, renewals: list[date], expires: date) -> None:
    assert rules.limitation_expires(due, renewals) == expires
    assert not rules.limitation_passed(due, renewals, expires)
    assert rules.limitation_passed(due, renewals, expires + timedelta(days=1))


@given(days, st.lists(days, max_size=5))
def test_limitation_is_at_least_two_years_and_renewals_never_shorten_it(
    due: date, renewals: list[date]
) -> None:
    plain = rules.limitation_expires(due)
    renewed = rules.limitation_expires(due, renewals)
    assert plain >= due + timedelta(days=730) and renewed >= plain
    assert rules.limitation_expires(due, [*renewals, renewed + timedelta(days=1)]) == renewed


@pytest.mark.parametrize(
    ("paid", "on", "state"),
    [
        ([], date(2025, 9, 30), PledgeState.ACTIVE),  # nothing due yet
        ([], date(2025, 10, 1), PledgeState.BROKEN),  # 30 September passed unpaid
        ([(date(2025, 9, 30), 5_000)], date(2025, 10, 15), PledgeState.ACTIVE),
        ([(date(2025, 10, 2), 5_000)], date(2025, 10, 15), PledgeState.BROKEN),  # paid late
        ([(date(2025, 9, 1), 4_999)], date(2025, 10, 1), PledgeState.BROKEN),  # not enough
        ([(date(2025, 9, 1), 10_000)], date(2025, 9, 2), PledgeState.KEPT),  # all paid early
        ([(date(2025, 9, 30), 5_000), (date(2025, 10, 31), 5_000)], date(2025, 11, 1), PledgeState.KEPT),
    ],
)
def test_pledge_state(paid: list[tuple[date, int]], on: date, state: PledgeState) -> None:
    schedule = [(date(2025, 9, 30), 5_000), (date(2025, 10, 31), 5_000)]
    assert rules.pledge_state(schedule, paid, on) == state


@given(
    st.lists(st.tuples(days, st.integers(1, 50_000)), min_size=1, max_size=6, unique_by=lambda t: t[0]), days
)
def test_paying_everything_on_the_pledged_dates_never_breaks_a_pledge(
    schedule: list[tuple[date, int]], on: date
) -> None:
    assert rules.pledge_state(schedule, schedule, on) != PledgeState.BROKEN
    assert (
        rules.pledge_state(schedule, [], max(d for d, _ in schedule) + timedelta(days=1))
        == PledgeState.BROKEN
    )
