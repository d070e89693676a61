"""IN-04 registration check and SEC-34 number change through the confirmation list."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kouki.accounts.models import StaffUser
from kouki.addressees.models import Person
from kouki.privacy import services
from kouki.privacy.context import Actor
from kouki.privacy.models import (
    AuditEntry,
    PendingReason,
    PendingStatus,
    PersonalNumber,
    PersonalNumberPending,
)
from kouki.privacy.selectors import has_personal_number, number_history, pending_history, pending_list
from kouki.privacy.services import (
    PendingDecisionError,
    personal_number_pending_confirm,
    personal_number_pending_reject,
    personal_number_register,
)
from kouki.privacy.vault import blind_index, decrypt_number
from kouki.rules.numbers import InvalidNumber

from .helpers import actor_of

pytestmark = pytest.mark.django_db

Numbers = Callable[[], str]
People = Callable[[], Person]


def _current_is(person: Person, number: str) -> bool:
    row = PersonalNumber.objects.get(person=person, is_current=True)
    return decrypt_number(row.ciphertext, row.key_id, person.pk) == number


def test_first_number_is_stored_encrypted_with_audit(
    make_number: Numbers, make_person: People, import_actor: Actor
) -> None:
    """IN-04: an addressee without a number gets it stored; one audit row in the same transaction."""
    person, number = make_person(), make_number()
    assert (
        personal_number_register(actor=import_actor, person_id=person.pk, number=number, source="住基")
        == "stored"
    )
    assert has_personal_number(person.pk)
    assert _current_is(person, number)
    entry = AuditEntry.objects.get(action="personal_number.store")
    assert entry.target_id == str(person.pk) and entry.actor == "system:import.resident_register"


def test_same_number_again_is_unchanged(
    make_number: Numbers, make_person: People, import_actor: Actor
) -> None:
    person, number = make_person(), make_number()
    personal_number_register(actor=import_actor, person_id=person.pk, number=number, source="住基")
    audits = AuditEntry.objects.count()
    assert (
        personal_number_register(actor=import_actor, person_id=person.pk, number=number, source="住基")
        == "unchanged"
    )
    assert PersonalNumber.objects.filter(person=person).count() == 1
    assert not pending_list().exists()
    assert AuditEntry.objects.count() == audits


def test_different_number_goes_to_confirmation_list(
    make_number: Numbers, make_person: People, import_actor: Actor
) -> None:
    """IN-04 (a): 宛名番号 X mapped to A receives B -> not overwritten, X is on the list."""
    person, a, b = make_person(), make_number(), make_number()
    personal_number_register(actor=import_actor, person_id=person.pk, number=a, source="住基")
    assert (
        personal_number_register(actor=import_actor, person_id=person.pk, number=b, source="住基")
        == "pending"
    )
    assert _current_is(person, a)
    listed = list(pending_list())
    assert [(p.person_id, p.reason) for p in listed] == [(person.pk, PendingReason.DIFFERENT)]
    assert listed[0].blind_index == blind_index(b)
    assert AuditEntry.objects.filter(action="personal_number.pending").count() == 1
    # the same arrival again is not listed twice
    assert (
        personal_number_register(actor=import_actor, person_id=person.pk, number=b, source="住基")
        == "pending"
    )
    assert pending_list().count() == 1


def test_blank_number_goes_to_confirmation_list(
    make_number: Numbers, make_person: People, import_actor: Actor
) -> None:
    """IN-04 (b): a blank number where one is stored is listed, the stored one kept."""
    person, a = make_person(), make_number()
    personal_number_register(actor=import_actor, person_id=person.pk, number=a, source="住基")
    assert (
        personal_number_register(actor=import_actor, person_id=person.pk, number="  ", source="住基")
        == "pending"
    )
    assert _current_is(person, a)
    pending = pending_list().get()
    assert pending.reason == PendingReason.BLANK and pending.ciphertext is None


def test_blank_with_nothing_stored_is_unchanged(make_person: People, import_actor: Actor) -> None:
    person = make_person()
    assert (
        personal_number_register(actor=import_actor, person_id=person.pk, number="", source="住基")
        == "unchanged"
    )
    assert not has_personal_number(person.pk)
    assert not PersonalNumberPending.objects.exists()


def test_number_current_for_another_person_is_listed(
    make_number: Numbers, make_person: People, import_actor: Actor
) -> None:
    """IN-04: one number on two addressees is an inconsistency; the second goes to the list."""
    first, second, number = make_person(), make_person(), make_number()
    personal_number_register(actor=import_actor, person_id=first.pk, number=number, source="住基")
    assert (
        personal_number_register(actor=import_actor, person_id=second.pk, number=number, source="住基")
        == "pending"
    )
    assert pending_list().get().reason == PendingReason.DUPLICATE
    assert not has_personal_number(second.pk)


@pytest.mark.parametrize("bad", ["123456789012", "12345678901", "１２３４５６７８９０１８", "abcdefghijkl"])
def test_invalid_number_is_refused_without_echo(bad: str, make_person: People, import_actor: Actor) -> None:
    person = make_person()
    with pytest.raises(InvalidNumber) as info:
        personal_number_register(actor=import_actor, person_id=person.pk, number=bad, source="住基")
    echoed = bad in str(info.value)
    assert echoed is False
    assert not PersonalNumber.objects.exists() and not AuditEntry.objects.exists()


def test_unknown_person_is_refused(make_number: Numbers, import_actor: Actor) -> None:
    with pytest.raises(ValueError, match="does not exist"):
        personal_number_register(actor=import_actor, person_id=999999, number=make_number(), source="住基")


def test_confirm_replaces_with_history(
    make_number: Numbers, make_person: People, import_actor: Actor, supervisor: StaffUser
) -> None:
    """SEC-34: a confirmed change makes B current and keeps A as history (replaced_at set)."""
    person, a, b = make_person(), make_number(), make_number()
    personal_number_register(actor=import_actor, person_id=person.pk, number=a, source="住基")
    personal_number_register(actor=import_actor, person_id=person.pk, number=b, source="住基")
    pending = pending_list().get()
    personal_number_pending_confirm(
        actor=actor_of(supervisor), pending_id=pending.pk, note="番号変更通知を確認"
    )
    assert _current_is(person, b)
    old = PersonalNumber.objects.get(person=person, is_current=False)
    assert decrypt_number(old.ciphertext, old.key_id, person.pk) == a and old.replaced_at is not None
    history = number_history(person.pk)
    assert [h.is_current for h in history] == [False, True]
    pending.refresh_from_db()
    assert pending.status == PendingStatus.CONFIRMED
    assert pending.decided_by_id == supervisor.pk and pending.decided_at is not None
    assert pending.decision_note == "番号変更通知を確認"
    assert pending.ciphertext is None and pending.key_id == ""  # the number is kept once, in PersonalNumber
    entry = AuditEntry.objects.get(action="personal_number.confirm")
    assert entry.actor == "super01" and entry.detail["replaced_id"] == old.pk
    assert not pending_list().exists()
    assert list(pending_history(person.pk)) == [pending]


def test_confirm_blank_retires_the_number(
    make_number: Numbers, make_person: People, import_actor: Actor, supervisor: StaffUser
) -> None:
    person = make_person()
    personal_number_register(actor=import_actor, person_id=person.pk, number=make_number(), source="住基")
    personal_number_register(actor=import_actor, person_id=person.pk, number="", source="住基")
    personal_number_pending_confirm(
        actor=actor_of(supervisor), pending_id=pending_list().get().pk, note="消除"
    )
    assert not has_personal_number(person.pk)
    assert (
        PersonalNumber.objects.filter(person=person, is_current=False, replaced_at__isnull=False).count() == 1
    )


def test_reject_keeps_the_number_and_records_the_decision(
    make_number: Numbers, make_person: People, import_actor: Actor, supervisor: StaffUser
) -> None:
    person, a, b = make_person(), make_number(), make_number()
    personal_number_register(actor=import_actor, person_id=person.pk, number=a, source="住基")
    personal_number_register(actor=import_actor, person_id=person.pk, number=b, source="住基")
    pending = pending_list().get()
    personal_number_pending_reject(actor=actor_of(supervisor), pending_id=pending.pk, note="誤送信")
    assert _current_is(person, a)
    pending.refresh_from_db()
    assert (pending.status, pending.decided_by_id, pending.decision_note) == (
        PendingStatus.REJECTED,
        supervisor.pk,
        "誤送信",
    )
    assert AuditEntry.objects.filter(action="personal_number.reject", target_id=str(person.pk)).count() == 1
    with pytest.raises(PendingDecisionError, match="already decided"):
        personal_number_pending_confirm(actor=actor_of(supervisor), pending_id=pending.pk, note="")


def test_decision_needs_a_member_of_staff(
    make_number: Numbers, make_person: People, import_actor: Actor
) -> None:
    person = make_person()
    personal_number_register(actor=import_actor, person_id=person.pk, number=make_number(), source="住基")
    personal_number_register(actor=import_actor, person_id=person.pk, number=make_number(), source="住基")
    with pytest.raises(PendingDecisionError, match="named member of staff"):
        personal_number_pending_confirm(actor=import_actor, pending_id=pending_list().get().pk, note="")


def test_confirm_refuses_a_number_current_elsewhere(
    make_number: Numbers, make_person: People, import_actor: Actor, supervisor: StaffUser
) -> None:
    first, second, number = make_person(), make_person(), make_number()
    personal_number_register(actor=import_actor, person_id=first.pk, number=number, source="住基")
    personal_number_register(actor=import_actor, person_id=second.pk, number=number, source="住基")
    with pytest.raises(PendingDecisionError, match="current for addressee"):
        personal_number_pending_confirm(
            actor=actor_of(supervisor), pending_id=pending_list().get().pk, note=""
        )
    assert not has_personal_number(second.pk)


def test_write_and_audit_commit_together(
    make_number: Numbers, make_person: People, import_actor: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failing audit append rolls back the write it records (one transaction)."""
    person = make_person()

    def broken(**kwargs: object) -> None:
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(services, "audit_record", broken)
    with pytest.raises(RuntimeError, match="audit store unavailable"):
        personal_number_register(actor=import_actor, person_id=person.pk, number=make_number(), source="住基")
    assert not PersonalNumber.objects.exists()
