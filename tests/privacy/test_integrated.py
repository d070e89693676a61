"""団体内統合宛名番号 (issue 13 §1, SEC-09): assigned once, in the transaction that first stores a confirmed
personal number, for residents and 住登外者; mapped only through the gate (permission, purpose, audit row);
the number never in an audit row. Assertions compare booleans/counts, never numbers."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import transaction

from kouki.accounts.models import StaffUser
from kouki.addressees.models import Person
from kouki.core.audit_vocabulary import AuditAction
from kouki.privacy.bulk import bulk_store_numbers
from kouki.privacy.context import Actor
from kouki.privacy.gate import InvalidPurpose
from kouki.privacy.integrated import integrated_numbers_backfill, integrated_numbers_list
from kouki.privacy.integrated_gate import (
    IntegratedNumberAccessDenied,
    LinkageNotConfigured,
    integrated_number_for_person,
    person_for_integrated_number,
)
from kouki.privacy.models import AuditEntry, IntegratedAddressee, PersonalNumber
from kouki.privacy.selectors import pending_list
from kouki.privacy.services import (
    personal_number_pending_confirm,
    personal_number_register,
    personal_number_register_many,
)
from kouki.rules.integrated_number import InvalidIntegratedNumber, integrated_number_text

from .helpers import actor_of

pytestmark = pytest.mark.django_db

Numbers = Callable[[], str]
People = Callable[[], Person]
WHERE = {"screen": "中間サーバ連携", "terminal_id": "T-0101"}


@pytest.fixture
def digits(settings: object) -> int:
    settings.KOUKI_INTEGRATED_ADDRESSEE_DIGITS = "15"  # type: ignore[attr-defined]
    return 15


def _assigned(person: Person) -> int:
    return IntegratedAddressee.objects.filter(person=person).count()


def _assign_rows(person: Person) -> int:
    return AuditEntry.objects.filter(
        action=AuditAction.INTEGRATED_NUMBER_ASSIGN, target_id=str(person.pk)
    ).count()


def test_first_stored_number_assigns_once_and_changes_keep_it(
    make_number: Numbers, make_person: People, import_actor: Actor, supervisor: StaffUser
) -> None:
    person = make_person()
    assert (
        personal_number_register(actor=import_actor, person_id=person.pk, number=make_number(), source="住基")
        == "stored"
    )
    serial = IntegratedAddressee.objects.get(person=person).serial
    assert _assigned(person) == 1 and _assign_rows(person) == 1
    # the same number again, a different number (listed, then confirmed), a blank: still the same one
    personal_number_register(actor=import_actor, person_id=person.pk, number="", source="住基")
    personal_number_register(actor=import_actor, person_id=person.pk, number=make_number(), source="住基")
    for pending in pending_list():
        personal_number_pending_confirm(actor=actor_of(supervisor), pending_id=pending.pk, note="確認")
    assert PersonalNumber.objects.filter(person=person).count() == 2
    assert IntegratedAddressee.objects.get(person=person).serial == serial
    assert _assign_rows(person) == 1


def test_pending_arrival_assigns_nothing_until_confirmed(
    make_number: Numbers, make_person: People, import_actor: Actor, supervisor: StaffUser
) -> None:
    holder, other = make_person(), make_person()
    number = make_number()
    personal_number_register(actor=import_actor, person_id=holder.pk, number=number, source="住基")
    # the same number for another addressee: listed as a duplicate, not confirmed, so no integrated number
    assert (
        personal_number_register(actor=import_actor, person_id=other.pk, number=number, source="届出")
        == "pending"
    )
    assert _assigned(other) == 0
    # the holder's number is corrected; then the listed arrival is confirmed for `other`
    personal_number_register(actor=import_actor, person_id=holder.pk, number=make_number(), source="住基")
    rows = {p.person_id: p.pk for p in pending_list()}
    personal_number_pending_confirm(actor=actor_of(supervisor), pending_id=rows[holder.pk], note="訂正")
    personal_number_pending_confirm(actor=actor_of(supervisor), pending_id=rows[other.pk], note="確認")
    assert _assigned(other) == 1 and _assign_rows(other) == 1


def test_bulk_register_and_nonresidents_get_distinct_numbers(
    make_number: Numbers, import_actor: Actor
) -> None:
    residents = [Person.objects.create(addressee_no=f"1{i:09d}", registration="resident") for i in range(3)]
    outsiders = [
        Person.objects.create(addressee_no=f"9{i:09d}", registration="non_resident") for i in range(2)
    ]
    people = residents + outsiders
    personal_number_register_many(
        actor=import_actor, items=[(p.pk, make_number()) for p in people], source="住基"
    )
    serials = list(IntegratedAddressee.objects.values_list("serial", flat=True))
    assert len(serials) == len(set(serials)) == 5
    assert all(_assigned(p) == 1 for p in outsiders)
    with transaction.atomic():
        again = Person.objects.create(addressee_no="1999999999", registration="resident")
        bulk_store_numbers([(again.pk, make_number())], source="移行")
    assert _assigned(again) == 1 and max(serials) < IntegratedAddressee.objects.get(person=again).serial


def test_backfill_assigns_numbers_stored_before_and_is_idempotent(
    make_number: Numbers, make_person: People, import_actor: Actor, system_admin: StaffUser
) -> None:
    people = [make_person() for _ in range(3)]
    for person in people:
        personal_number_register(actor=import_actor, person_id=person.pk, number=make_number(), source="住基")
    IntegratedAddressee.objects.filter(person__in=people[:2]).delete()  # as before this existed
    admin = actor_of(system_admin)
    assert integrated_numbers_list(actor=admin, limit=10) == (2, [people[0].pk, people[1].pk])
    result = integrated_numbers_backfill(actor=admin)
    assert (result.assigned, result.already) == (2, 1)
    assert all(_assigned(p) == 1 for p in people)
    assert integrated_numbers_backfill(actor=admin).assigned == 0
    runs = AuditEntry.objects.filter(action=AuditAction.INTEGRATED_NUMBER_BACKFILL).order_by("seq")
    assert [r.detail for r in runs] == [{"assigned": 2, "already": 1}]  # the second run wrote nothing
    assert AuditEntry.objects.filter(action=AuditAction.INTEGRATED_NUMBER_LIST).count() == 1


def test_mapping_both_ways_is_gated_and_audited_without_the_number(
    make_number: Numbers,
    make_person: People,
    import_actor: Actor,
    number_clerk: StaffUser,
    counter_clerk: StaffUser,
    auditor: StaffUser,
    system_admin: StaffUser,
    digits: int,
) -> None:
    person = make_person()
    personal_number_register(actor=import_actor, person_id=person.pk, number=make_number(), source="住基")
    before = AuditEntry.objects.count()
    for user in (counter_clerk, auditor, system_admin):
        with pytest.raises(IntegratedNumberAccessDenied):
            integrated_number_for_person(user=user, person_id=person.pk, purpose="inquiry_result", **WHERE)
        with pytest.raises(IntegratedNumberAccessDenied):
            person_for_integrated_number(
                user=user, integrated_number="1" * digits, purpose="inquiry_result", **WHERE
            )
    with pytest.raises(InvalidPurpose):
        integrated_number_for_person(user=number_clerk, person_id=person.pk, purpose="", **WHERE)
    assert AuditEntry.objects.count() == before  # refusals write nothing
    text = integrated_number_for_person(
        user=number_clerk, person_id=person.pk, purpose="inquiry_result", **WHERE
    )
    assert text is not None and len(text) == digits
    assert (
        person_for_integrated_number(
            user=number_clerk, integrated_number=text, purpose="inquiry_result", **WHERE
        )
        == person.pk
    )
    unknown = integrated_number_text(10**digits - 1, digits)
    assert (
        person_for_integrated_number(
            user=number_clerk, integrated_number=unknown, purpose="inquiry_result", **WHERE
        )
        is None
    )
    with pytest.raises(InvalidIntegratedNumber):
        person_for_integrated_number(
            user=number_clerk, integrated_number="12", purpose="inquiry_result", **WHERE
        )
    rows = list(AuditEntry.objects.filter(action=AuditAction.INTEGRATED_NUMBER_MAP).order_by("seq"))
    assert [(r.detail["direction"], r.detail["found"], r.target_id) for r in rows] == [
        ("to_integrated", True, str(person.pk)),
        ("to_person", True, str(person.pk)),
        ("to_person", False, ""),
    ]
    assert not any(text in repr(r.detail) + r.target_id for r in AuditEntry.objects.all())


def test_mapping_refuses_while_the_width_is_not_configured(
    make_number: Numbers, make_person: People, import_actor: Actor, number_clerk: StaffUser
) -> None:
    person = make_person()
    personal_number_register(actor=import_actor, person_id=person.pk, number=make_number(), source="住基")
    assert _assigned(person) == 1  # assignment does not wait for the setting; only the text form does
    with pytest.raises(LinkageNotConfigured, match="KOUKI_INTEGRATED_ADDRESSEE_DIGITS"):
        integrated_number_for_person(
            user=number_clerk, person_id=person.pk, purpose="inquiry_result", **WHERE
        )


def test_linkage_commands_run_as_a_named_batch_operator(
    make_number: Numbers,
    make_person: People,
    import_actor: Actor,
    system_admin: StaffUser,
    number_clerk: StaffUser,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from kouki.cli import main

    person = make_person()
    personal_number_register(actor=import_actor, person_id=person.pk, number=make_number(), source="住基")
    IntegratedAddressee.objects.filter(person=person).delete()
    assert main(["linkage", "backfill"]) == 2  # no operator: nothing done
    assert main(["linkage", "backfill", "--as", number_clerk.username]) == 3  # not a batch operator
    assert _assigned(person) == 0
    assert main(["linkage", "list", "--as", system_admin.username]) == 0
    listed = capsys.readouterr().out
    assert "未付番の宛名: 1件" in listed and person.addressee_no in listed
    assert main(["linkage", "backfill", "--as", system_admin.username]) == 0
    assert "付番しました: 1件" in capsys.readouterr().out and _assigned(person) == 1
