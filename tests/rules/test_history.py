"""History rules, table tests: the plans of the concrete cases the addressee services handle."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from kouki.rules.history import (
    DECEASED,
    RESIDENT,
    Change,
    Close,
    Effect,
    Insert,
    MarkCurrent,
    NothingInForce,
    Supersede,
    Version,
    apply,
    current_of,
    plan_change,
)

T0 = datetime(2026, 1, 1, tzinfo=UTC)
NOW = datetime(2026, 6, 1, tzinfo=UTC)
MOVED_OUT = "moved_out"


def v(key: int, start: date, end: date | None, status: str = RESIDENT, *, current: bool = False,
      at: datetime = T0) -> Version:
    return Version(key, start, end, at, status, current)


def change(on: date, effect: Effect = Effect.CHANGE, status: str | None = None) -> Change:
    return Change(on, NOW, effect, status)


def test_first_change_of_a_new_person_opens_one_current_version() -> None:
    plan = plan_change([], change(date(2025, 4, 1), status=RESIDENT), next_key=1)
    assert plan.operations == (
        Insert(1, date(2025, 4, 1), None, RESIDENT, in_household=True, copy_of=None, phone_of=None),
        MarkCurrent(1),
    )
    assert (plan.version, plan.touched, plan.next_key) == (1, (), 2)
    assert plan.live == (Version(1, date(2025, 4, 1), None, NOW, RESIDENT, current=True),)


def test_a_later_change_closes_the_previous_version_and_keeps_its_status_and_phone() -> None:
    plan = plan_change([v(7, date(2025, 4, 1), None, current=True)], change(date(2025, 6, 1)), next_key=10)
    assert plan.operations == (
        Close(7, date(2025, 6, 1)),
        Insert(10, date(2025, 6, 1), None, RESIDENT, in_household=True, copy_of=None, phone_of=7),
        MarkCurrent(10),
    )
    assert (plan.version, plan.touched) == (10, (7,))
    assert [(x.key, x.valid_from, x.valid_to, x.current) for x in plan.live] == [
        (7, date(2025, 4, 1), date(2025, 6, 1), False),
        (10, date(2025, 6, 1), None, True),
    ]


def test_a_retroactive_change_splits_the_interval_it_falls_in_and_leaves_later_versions_alone() -> None:
    versions = [v(1, date(2020, 1, 1), date(2025, 4, 1)), v(2, date(2025, 4, 1), None, current=True)]
    plan = plan_change(versions, change(date(2024, 10, 1)), next_key=3)
    assert plan.operations == (
        Close(1, date(2024, 10, 1)),
        Insert(3, date(2024, 10, 1), date(2025, 4, 1), RESIDENT, in_household=True, copy_of=None, phone_of=1),
        MarkCurrent(2),
    )


def test_a_change_dated_before_the_first_version_runs_up_to_it() -> None:
    versions = [v(1, date(2020, 1, 1), None, MOVED_OUT, current=True)]
    plan = plan_change(versions, change(date(2019, 7, 1)), next_key=2)
    assert plan.operations == (
        Insert(2, date(2019, 7, 1), date(2020, 1, 1), RESIDENT, in_household=True, copy_of=None,
               phone_of=None),
        MarkCurrent(1),
    )
    assert plan.touched == ()


def test_a_change_in_a_gap_takes_the_latest_earlier_version_and_runs_to_the_next_start() -> None:
    # [2020, 2021) then nothing until 2023 (a change dated before the 2023 version, recorded earlier).
    versions = [v(1, date(2020, 1, 1), date(2021, 1, 1), MOVED_OUT),
                v(2, date(2023, 1, 1), None, current=True)]
    plan = plan_change(versions, change(date(2022, 1, 1)), next_key=3)
    assert plan.operations[0] == Insert(3, date(2022, 1, 1), date(2023, 1, 1), MOVED_OUT, in_household=False,
                                        copy_of=None, phone_of=1)


def test_two_changes_on_the_same_day_the_later_one_wins() -> None:
    plan = plan_change([v(1, date(2025, 4, 1), None, current=True)], change(date(2025, 4, 1)), next_key=2)
    assert plan.operations == (
        Close(1, date(2025, 4, 1)),
        Insert(2, date(2025, 4, 1), None, RESIDENT, in_household=True, copy_of=None, phone_of=1),
        MarkCurrent(2),
    )
    assert plan.live[0].empty
    assert current_of(plan.live) == plan.live[1]


def test_an_empty_version_is_never_in_force_nor_the_previous_one() -> None:
    versions = [v(1, date(2025, 4, 1), date(2025, 4, 1), MOVED_OUT),
                v(2, date(2025, 4, 1), None, current=True)]
    plan = plan_change(versions, change(date(2025, 3, 1)), next_key=3)
    assert plan.operations[0] == Insert(3, date(2025, 3, 1), date(2025, 4, 1), RESIDENT, in_household=True,
                                        copy_of=None, phone_of=None)


def test_a_future_change_is_current_once_recorded() -> None:
    plan = plan_change([v(1, date(2020, 1, 1), None, current=True)], change(date(2030, 1, 1)), next_key=2)
    assert plan.operations[-1] == MarkCurrent(2)


def test_move_out_leaves_the_household() -> None:
    plan = plan_change([v(1, date(2020, 1, 1), None)], change(date(2023, 3, 1), status=MOVED_OUT), next_key=2)
    assert plan.operations[1] == Insert(2, date(2023, 3, 1), None, MOVED_OUT, in_household=False,
                                        copy_of=None, phone_of=1)


def test_a_correction_supersedes_the_version_in_force_and_replaces_it_over_the_same_interval() -> None:
    versions = [v(1, date(2020, 1, 1), date(2025, 4, 1), MOVED_OUT),
                v(2, date(2025, 4, 1), None, current=True)]
    plan = plan_change(versions, change(date(2022, 5, 5), Effect.CORRECTION, status=RESIDENT), next_key=3)
    assert plan.operations == (
        Supersede(1),
        Insert(3, date(2020, 1, 1), date(2025, 4, 1), MOVED_OUT, in_household=False, copy_of=None,
               phone_of=1),
        MarkCurrent(2),
    )
    assert (plan.version, plan.touched) == (3, (1,))
    after = apply(versions, plan.operations, NOW)
    assert [(x.key, x.superseded_at) for x in after] == [(1, NOW), (2, None), (3, None)]
    assert [x.key for x in plan.live] == [3, 2]


def test_a_correction_of_the_latest_version_becomes_current() -> None:
    correction = change(date(2024, 1, 1), Effect.CORRECTION)
    plan = plan_change([v(1, date(2020, 1, 1), None, current=True)], correction, next_key=2)
    assert plan.operations == (
        Supersede(1),
        Insert(2, date(2020, 1, 1), None, RESIDENT, in_household=True, copy_of=None, phone_of=1),
        MarkCurrent(2),
    )


def test_a_correction_needs_a_version_in_force() -> None:
    with pytest.raises(NothingInForce):
        plan_change([v(1, date(2020, 1, 1), None)], change(date(2019, 1, 1), Effect.CORRECTION), next_key=2)
    with pytest.raises(NothingInForce):
        plan_change([], change(date(2019, 1, 1), Effect.CORRECTION), next_key=1)
    with pytest.raises(NothingInForce):  # an empty version is in force on no day
        plan_change([v(1, date(2020, 1, 1), date(2020, 1, 1))], change(date(2020, 1, 1), Effect.CORRECTION),
                    next_key=2)


def test_death_ends_household_membership_from_the_day_of_death() -> None:
    plan = plan_change([v(1, date(2020, 1, 1), None, current=True)],
                       change(date(2025, 8, 1), Effect.DEATH, status=DECEASED), next_key=2)
    assert plan.operations == (
        Close(1, date(2025, 8, 1)),
        Insert(2, date(2025, 8, 1), None, DECEASED, in_household=False, copy_of=None, phone_of=1),
        MarkCurrent(2),
    )


def test_a_late_death_supersedes_later_versions_by_deceased_copies() -> None:
    versions = [
        v(1, date(2020, 1, 1), date(2025, 6, 1)),
        v(2, date(2025, 6, 1), date(2025, 6, 1)),  # empty: left alone
        v(3, date(2025, 6, 1), date(2025, 9, 1)),
        v(4, date(2025, 9, 1), date(2025, 10, 1), DECEASED),  # deceased already: left alone
        v(5, date(2025, 10, 1), None, MOVED_OUT, current=True),
    ]
    plan = plan_change(versions, change(date(2025, 5, 1), Effect.DEATH, status=DECEASED), next_key=6)
    assert plan.operations == (
        Close(1, date(2025, 5, 1)),
        Insert(6, date(2025, 5, 1), date(2025, 6, 1), DECEASED, in_household=False, copy_of=None, phone_of=1),
        Supersede(3),
        Insert(7, date(2025, 6, 1), date(2025, 9, 1), DECEASED, in_household=False, copy_of=3, phone_of=3),
        Supersede(5),
        Insert(8, date(2025, 10, 1), None, DECEASED, in_household=False, copy_of=5, phone_of=5),
        MarkCurrent(8),
    )
    assert (plan.version, plan.touched, plan.next_key) == (6, (1, 3, 5), 9)
    assert [x.status for x in plan.live if not x.empty and x.valid_from >= date(2025, 5, 1)] == [DECEASED] * 4


def test_the_death_status_is_deceased_whatever_the_change_says() -> None:
    plan = plan_change([], change(date(2025, 8, 1), Effect.DEATH), next_key=1)
    assert plan.operations[0] == Insert(1, date(2025, 8, 1), None, DECEASED, in_household=False, copy_of=None,
                                        phone_of=None)


def test_superseded_versions_given_are_ignored() -> None:
    old = Version(1, date(2020, 1, 1), None, T0, RESIDENT, superseded_at=T0)
    versions = [old, v(2, date(2020, 1, 1), None, current=True)]
    plan = plan_change(versions, change(date(2021, 1, 1)), next_key=3)
    assert plan.touched == (2,)
    assert [x.key for x in plan.live] == [2, 3]


def test_stored_order_breaks_ties_by_recording_time_then_key() -> None:
    # Two live versions over the same interval (not made by these rules): the later recorded one is in force.
    later = v(1, date(2020, 1, 1), None, at=datetime(2026, 2, 1, tzinfo=UTC))
    earlier = v(2, date(2020, 1, 1), None)
    plan = plan_change([later, earlier], change(date(2021, 1, 1)), next_key=3)
    assert plan.touched == (1,)
    same_time = [v(5, date(2020, 1, 1), None), v(4, date(2020, 1, 1), None)]
    assert plan_change(same_time, change(date(2021, 1, 1)), next_key=6).touched == (5,)


def test_the_current_version_is_never_an_empty_one() -> None:
    kept = v(1, date(2025, 4, 1), None)
    closed_later = v(2, date(2025, 4, 1), date(2025, 4, 1), at=datetime(2026, 2, 1, tzinfo=UTC))
    assert current_of([kept, closed_later]) == kept
    assert current_of([closed_later]) is None
