"""Applying 住基異動 records keeps history: as-of answers before, inside and after every change."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from interfaces.helpers import new_number, record

from kouki.addressees.models import ChangeEvent, Household, Person, PersonVersion
from kouki.addressees.selectors import household_as_of, person_as_of, person_history
from kouki.addressees.services import ChangeApplied, ChangeNotApplicable, resident_change_apply
from kouki.interfaces.resident_register.record import ChangeCode
from kouki.privacy.context import Actor
from kouki.privacy.models import PersonalNumber
from kouki.privacy.selectors import pending_list
from kouki.privacy.vault import blind_index

pytestmark = pytest.mark.django_db
ACTOR = Actor.system("test")
_ids = iter(range(1, 10**6))


def apply(**overrides: Any) -> ChangeApplied:
    overrides.setdefault("change_id", f"T{next(_ids):06d}")
    if overrides.get("code") not in (None, ChangeCode.MOVE_IN, ChangeCode.MOVE_OUT):
        overrides.setdefault("other_address", "")
    return resident_change_apply(actor=ACTOR, record=record(**overrides), source="住基異動 test")


def address_on(person_id: int, on: date) -> str | None:
    version = person_as_of(person_id, on)
    return version.address if version else None


def status_on(person_id: int, on: date) -> str | None:
    version = person_as_of(person_id, on)
    return version.status if version else None


def assert_one_current(person_id: int) -> PersonVersion:
    current = list(PersonVersion.objects.filter(person_id=person_id, is_current=True))
    assert len(current) == 1
    assert current[0].superseded_at is None
    return current[0]


def members(household_no: str, on: date) -> list[str]:
    household = Household.objects.get(household_no=household_no)
    return [m.person.addressee_no for m in household_as_of(household.pk, on).members]


def test_move_in_creates_a_resident_person_with_one_open_version() -> None:
    result = apply(effective_date=date(2025, 4, 1))
    person = Person.objects.get(pk=result.person_id)
    assert person.registration == "resident"
    version = assert_one_current(person.pk)
    assert (version.valid_from, version.valid_to, version.status) == (date(2025, 4, 1), None, "resident")
    assert version.kana_key == "タカサキハナコ"
    assert person_as_of(person.pk, date(2025, 3, 31)) is None
    assert members("0000500001", date(2025, 4, 1)) == ["0000012345"]
    assert ChangeEvent.objects.get(pk=result.change_event_id).kind == "move_in"


def test_a_later_change_closes_the_previous_version() -> None:
    pid = apply(effective_date=date(2025, 4, 1), address="旧住所").person_id
    apply(code=ChangeCode.ADDRESS_CHANGE, effective_date=date(2025, 6, 1), address="新住所")
    assert address_on(pid, date(2025, 5, 31)) == "旧住所"
    assert address_on(pid, date(2025, 6, 1)) == "新住所"
    assert address_on(pid, date(2030, 1, 1)) == "新住所"
    assert [(v.valid_from, v.valid_to) for v in person_history(pid)] == [
        (date(2025, 4, 1), date(2025, 6, 1)),
        (date(2025, 6, 1), None),
    ]
    assert assert_one_current(pid).address == "新住所"


def test_a_retroactive_change_splits_the_interval_it_falls_in() -> None:
    pid = apply(effective_date=date(2020, 1, 1), address="A").person_id
    apply(code=ChangeCode.ADDRESS_CHANGE, effective_date=date(2025, 4, 1), address="C")
    apply(code=ChangeCode.ADDRESS_CHANGE, effective_date=date(2024, 10, 1), address="B")  # notified late
    assert address_on(pid, date(2019, 12, 31)) is None
    assert address_on(pid, date(2024, 9, 30)) == "A"
    assert address_on(pid, date(2024, 10, 1)) == "B"
    assert address_on(pid, date(2025, 3, 31)) == "B"
    assert address_on(pid, date(2025, 4, 1)) == "C"
    assert address_on(pid, date(2026, 1, 1)) == "C"
    assert assert_one_current(pid).address == "C"
    intervals = [(v.valid_from, v.valid_to) for v in person_history(pid)]
    assert intervals == [
        (date(2020, 1, 1), date(2024, 10, 1)),
        (date(2024, 10, 1), date(2025, 4, 1)),
        (date(2025, 4, 1), None),
    ]


def test_a_change_dated_before_the_first_version_runs_up_to_it() -> None:
    pid = apply(effective_date=date(2020, 1, 1), address="A").person_id
    apply(code=ChangeCode.HOUSEHOLD_CHANGE, effective_date=date(2019, 7, 1), address="Z")
    assert address_on(pid, date(2019, 6, 30)) is None
    assert address_on(pid, date(2019, 7, 1)) == "Z"
    assert address_on(pid, date(2019, 12, 31)) == "Z"
    assert address_on(pid, date(2020, 1, 1)) == "A"
    assert assert_one_current(pid).address == "A"


def test_a_correction_replaces_the_version_over_the_same_interval() -> None:
    pid = apply(effective_date=date(2020, 1, 1), family_name="高崎", address="A").person_id
    apply(code=ChangeCode.ADDRESS_CHANGE, effective_date=date(2025, 4, 1), family_name="高崎", address="C")
    apply(code=ChangeCode.CORRECTION, effective_date=date(2022, 5, 5), family_name="髙﨑", address="A")
    for on in (date(2020, 1, 1), date(2022, 5, 4), date(2022, 5, 5), date(2025, 3, 31)):
        version = person_as_of(pid, on)
        assert version is not None
        assert (version.family_name, version.address) == ("髙﨑", "A")
    after = person_as_of(pid, date(2025, 4, 1))
    assert after is not None
    assert (after.family_name, after.address) == ("高崎", "C")
    assert person_as_of(pid, date(2019, 12, 31)) is None
    history = person_history(pid)
    assert len(history) == 3  # two versions as received, one corrected replacement
    superseded = [v for v in history if v.superseded_at is not None]
    assert [(v.family_name, v.valid_from, v.valid_to) for v in superseded] == [
        ("高崎", date(2020, 1, 1), date(2025, 4, 1))
    ]
    corrected = [v for v in history if v.change and v.change.kind == "correction"]
    assert [(v.valid_from, v.valid_to) for v in corrected] == [(date(2020, 1, 1), date(2025, 4, 1))]
    assert assert_one_current(pid).address == "C"


def test_a_correction_of_the_latest_version_becomes_current() -> None:
    pid = apply(effective_date=date(2020, 1, 1), given_name="花子", given_name_kana="ハナコ").person_id
    apply(
        code=ChangeCode.CORRECTION,
        effective_date=date(2024, 1, 1),
        given_name="華子",
        given_name_kana="ハナコ",
    )
    current = assert_one_current(pid)
    assert (current.given_name, current.valid_from, current.valid_to) == ("華子", date(2020, 1, 1), None)
    old = person_as_of(pid, date(2020, 1, 1))
    assert old is not None and old.given_name == "華子"


def test_a_correction_needs_a_version_in_force() -> None:
    apply(effective_date=date(2020, 1, 1))
    with pytest.raises(ChangeNotApplicable) as info:
        apply(code=ChangeCode.CORRECTION, effective_date=date(2019, 1, 1))
    assert info.value.field == "effective_date"
    with pytest.raises(ChangeNotApplicable):
        apply(code=ChangeCode.CORRECTION, addressee_no="777", effective_date=date(2021, 1, 1))


def test_death_ends_household_membership_from_the_day_of_death() -> None:
    husband = apply(
        addressee_no="1", relationship="世帯主", is_householder=True, sex="1", effective_date=date(2020, 1, 1)
    ).person_id
    apply(addressee_no="2", relationship="妻", is_householder=False, effective_date=date(2020, 1, 1))
    apply(
        addressee_no="1",
        code=ChangeCode.DEATH,
        relationship="世帯主",
        is_householder=True,
        sex="1",
        effective_date=date(2025, 8, 1),
    )
    assert status_on(husband, date(2025, 7, 31)) == "resident"
    assert status_on(husband, date(2025, 8, 1)) == "deceased"
    household = Household.objects.get(household_no="0000500001")
    before = household_as_of(household.pk, date(2025, 7, 31))
    assert sorted(m.person.addressee_no for m in before.members) == ["1", "2"]
    assert before.householder is not None and before.householder.person_id == husband
    after = household_as_of(household.pk, date(2025, 8, 1))
    assert [m.person.addressee_no for m in after.members] == ["2"]
    assert after.householder is None
    assert assert_one_current(husband).status == "deceased"


def test_a_late_death_notification_makes_later_versions_deceased() -> None:
    pid = apply(effective_date=date(2020, 1, 1), address="A").person_id
    apply(code=ChangeCode.ADDRESS_CHANGE, effective_date=date(2025, 6, 1), address="B")
    apply(code=ChangeCode.DEATH, effective_date=date(2025, 5, 1), address="A")
    assert status_on(pid, date(2025, 4, 30)) == "resident"
    assert status_on(pid, date(2025, 5, 1)) == "deceased"
    assert status_on(pid, date(2025, 7, 1)) == "deceased"
    assert members("0000500001", date(2025, 7, 1)) == []
    assert members("0000500001", date(2025, 4, 30)) == ["0000012345"]
    assert any(v.superseded_at is not None and v.address == "B" for v in person_history(pid))
    assert assert_one_current(pid).status == "deceased"


def test_move_out_and_moving_back() -> None:
    pid = apply(effective_date=date(2020, 1, 1)).person_id
    apply(code=ChangeCode.MOVE_OUT, effective_date=date(2023, 3, 1), other_address="東京都新宿区西新宿2-8-1")
    apply(code=ChangeCode.MOVE_IN, effective_date=date(2024, 3, 1), household_no="0000500009")
    assert status_on(pid, date(2023, 2, 28)) == "resident"
    assert status_on(pid, date(2023, 3, 1)) == "moved_out"
    assert members("0000500001", date(2023, 3, 1)) == []
    assert status_on(pid, date(2024, 3, 1)) == "resident"
    assert members("0000500009", date(2024, 3, 1)) == ["0000012345"]


def test_household_change_moves_membership_on_the_date() -> None:
    pid = apply(effective_date=date(2020, 1, 1), household_no="100").person_id
    apply(code=ChangeCode.HOUSEHOLD_CHANGE, effective_date=date(2025, 1, 10), household_no="200")
    assert members("100", date(2025, 1, 9)) == ["0000012345"]
    assert members("100", date(2025, 1, 10)) == []
    assert members("200", date(2025, 1, 9)) == []
    assert members("200", date(2025, 1, 10)) == ["0000012345"]
    assert assert_one_current(pid).household is not None


def test_two_changes_on_the_same_day_the_later_one_wins() -> None:
    pid = apply(effective_date=date(2025, 4, 1), address="first").person_id
    apply(code=ChangeCode.ADDRESS_CHANGE, effective_date=date(2025, 4, 1), address="second")
    assert address_on(pid, date(2025, 4, 1)) == "second"
    assert len(person_history(pid)) == 2
    assert assert_one_current(pid).address == "second"


def test_the_same_change_twice_is_a_no_op() -> None:
    first = apply(change_id="SAME-1", effective_date=date(2025, 4, 1))
    versions = PersonVersion.objects.count()
    again = apply(change_id="SAME-1", effective_date=date(2025, 4, 1), address="something else")
    assert (again.duplicate, again.person_id, again.change_event_id) == (
        True,
        first.person_id,
        first.change_event_id,
    )
    assert PersonVersion.objects.count() == versions


def test_in04_a_different_or_blank_number_goes_to_the_confirmation_list() -> None:
    number_a, number_b = new_number(), new_number()
    first = apply(effective_date=date(2025, 4, 1), personal_number=number_a)
    assert first.number_result == "stored"
    same = apply(code=ChangeCode.ADDRESS_CHANGE, effective_date=date(2025, 5, 1), personal_number=number_a)
    assert same.number_result == "unchanged"
    different = apply(
        code=ChangeCode.ADDRESS_CHANGE, effective_date=date(2025, 6, 1), personal_number=number_b
    )
    assert different.number_result == "pending"
    blank = apply(code=ChangeCode.NAME_CHANGE, effective_date=date(2025, 7, 1), personal_number="")
    assert blank.number_result == "pending"
    stored = PersonalNumber.objects.get(person_id=first.person_id, is_current=True)
    assert (stored.blind_index == blind_index(number_a)) is True
    assert sorted(p.reason for p in pending_list().filter(person_id=first.person_id)) == [
        "blank",
        "different",
    ]
