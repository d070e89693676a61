"""住登外者: own addressee-number range from a configurable sequence, status 住登外, no household."""

from __future__ import annotations

from datetime import date

import pytest
from interfaces.helpers import record
from pytest_django.fixtures import Settings as SettingsWrapper

from kouki.addressees.models import ChangeEvent
from kouki.addressees.selectors import person_as_of, person_current
from kouki.addressees.services import nonresident_register, resident_change_apply
from kouki.privacy.context import Actor
from kouki.privacy.models import AuditEntry

pytestmark = pytest.mark.django_db
ACTOR = Actor.system("test")


def register(**overrides: object) -> int:
    values: dict[str, object] = dict(
        family_name="住登外",
        given_name="太郎",
        family_name_kana="ジュウトウガイ",
        given_name_kana="タロウ",
        sex="1",
        birth_date=date(1948, 2, 3),
        postal_code="1000001",
        municipality_code="13101",
        address="東京都千代田区千代田１－１",
        registered_on=date(2025, 4, 1),
    )
    values.update(overrides)
    return nonresident_register(actor=ACTOR, **values).pk  # type: ignore[arg-type]


def test_numbers_come_from_the_default_sequence() -> None:
    first, second = register(), register(family_name="別人")
    assert [person_current(p).person.addressee_no for p in (first, second)] == ["9000000001", "9000000002"]
    version = person_current(first)
    assert version is not None
    assert (version.status, version.household, version.person.registration) == (
        "non_resident",
        None,
        "non_resident",
    )
    assert person_as_of(first, date(2025, 3, 31)) is None
    assert ChangeEvent.objects.filter(person_id=first, kind="non_resident_registration").count() == 1
    assert AuditEntry.objects.filter(action="addressee.nonresident_register").count() == 2


def test_the_sequence_is_configurable(settings: SettingsWrapper) -> None:
    settings.KOUKI_NONRESIDENT_ADDRESSEE_PREFIX = "8"
    settings.KOUKI_NONRESIDENT_ADDRESSEE_DIGITS = 8
    assert person_current(register()).person.addressee_no == "80000001"  # type: ignore[union-attr]
    assert person_current(register()).person.addressee_no == "80000002"  # type: ignore[union-attr]


def test_bad_input_is_refused_and_nothing_is_written() -> None:
    with pytest.raises(ValueError, match="katakana"):
        register(family_name_kana="山田")
    assert ChangeEvent.objects.count() == 0


def test_a_nonresident_who_moves_in_becomes_a_registered_resident() -> None:
    pid = register()
    addressee_no = person_current(pid).person.addressee_no  # type: ignore[union-attr]
    resident_change_apply(
        actor=ACTOR,
        record=record(addressee_no=addressee_no, effective_date=date(2025, 9, 1)),
        source="住基異動 test",
    )
    current = person_current(pid)
    assert current is not None
    assert (current.status, current.person.registration) == ("resident", "resident")
    before = person_as_of(pid, date(2025, 8, 31))
    assert before is not None and before.status == "non_resident"
