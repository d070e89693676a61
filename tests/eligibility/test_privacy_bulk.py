"""Batched audit append, bulk IN-04 number registration and registered transfers (OUT-01)."""

from __future__ import annotations

import hashlib

import pytest
from django.db import transaction
from factories import make_person, personal_number

from kouki.privacy.audit import AuditItem, audit_record, audit_record_many, verify_chain
from kouki.privacy.context import Actor
from kouki.privacy.models import AuditEntry, PendingReason, PersonalNumber, PersonalNumberPending
from kouki.privacy.services import personal_number_register, personal_number_register_many
from kouki.privacy.transfer import UNION_ELIGIBILITY, UnknownTransfer, numbers_for_transfer

ACTOR = Actor.system("tests")


def _digest(values: dict[int, str]) -> str:
    return hashlib.sha256(repr(sorted(values.items())).encode()).hexdigest()


@pytest.mark.django_db
def test_audit_record_many_chains_like_single_appends() -> None:
    with transaction.atomic():
        audit_record(actor=ACTOR, action="test.one")
        count = audit_record_many(actor=ACTOR, items=[
            AuditItem(action="test.many", target_type="t", target_id=str(i), detail={"i": i, "l": (1, 2)})
            for i in range(2500)
        ])
        audit_record(actor=ACTOR, action="test.after")
    assert count == 2500
    assert AuditEntry.objects.count() == 2502
    assert list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True)) == list(range(1, 2503))
    assert AuditEntry.objects.get(seq=2).detail == {"i": 0, "l": [1, 2]}
    assert list(verify_chain()) == []


@pytest.mark.django_db(transaction=True)
def test_audit_record_many_needs_a_transaction_and_refuses_numbers() -> None:
    with pytest.raises(RuntimeError):
        audit_record_many(actor=ACTOR, items=[AuditItem(action="x")])
    with pytest.raises(ValueError), transaction.atomic():
        audit_record_many(actor=ACTOR, items=[AuditItem(action="x", detail={"n": personal_number()})])
    assert AuditEntry.objects.count() == 0
    with transaction.atomic():
        assert audit_record_many(actor=ACTOR, items=[]) == 0


@pytest.mark.django_db
def test_register_many_matches_register_one_by_one() -> None:
    a, b, c, d = (make_person() for _ in range(4))
    n1, n2, n3 = personal_number(), personal_number(), personal_number()
    personal_number_register(actor=ACTOR, person_id=a.pk, number=n1, source="s")
    arrivals = [
        (a.pk, n1),  # same → unchanged
        (a.pk, n2),  # different → pending
        (a.pk, n2),  # the same open arrival is listed once
        (a.pk, ""),  # blank with one stored → pending
        (b.pk, ""),  # blank, nothing stored → unchanged
        (b.pk, n3),  # first → stored
        (c.pk, n3),  # stored for b earlier in this batch → duplicate pending
        (d.pk, n1),  # current for a → duplicate pending
        (b.pk, n3),  # now stored → unchanged
    ]
    results = personal_number_register_many(actor=ACTOR, items=arrivals, source="s")
    assert results == ["unchanged", "pending", "pending", "pending", "unchanged", "stored", "pending",
                       "pending", "unchanged"]
    reasons = sorted((p.person_id, p.reason) for p in PersonalNumberPending.objects.all())
    assert reasons == sorted([(a.pk, PendingReason.DIFFERENT), (a.pk, PendingReason.BLANK),
                              (c.pk, PendingReason.DUPLICATE), (d.pk, PendingReason.DUPLICATE)])
    assert PersonalNumber.objects.filter(is_current=True).count() == 2
    assert AuditEntry.objects.filter(action="personal_number.pending").count() == 4
    assert AuditEntry.objects.filter(action="personal_number.store").count() == 2
    assert list(verify_chain()) == []


@pytest.mark.django_db
def test_numbers_for_transfer_registered_only_and_audited() -> None:
    a, b = make_person(), make_person()
    number = personal_number()
    personal_number_register(actor=ACTOR, person_id=a.pk, number=number, source="s")
    got = numbers_for_transfer(actor=ACTOR, transfer_id=UNION_ELIGIBILITY, person_ids=[a.pk, b.pk],
                               file_name="KOUKI_resident-info_11100_20260801.dat")
    assert _digest(got) == _digest({a.pk: number})
    row = AuditEntry.objects.get(action="personal_number.transfer")
    assert row.target_id == UNION_ELIGIBILITY
    assert row.detail["requested"] == 2 and row.detail["numbers"] == 1
    assert row.detail["file_name"] == "KOUKI_resident-info_11100_20260801.dat"
    with pytest.raises(UnknownTransfer):
        numbers_for_transfer(actor=ACTOR, transfer_id="T99-unregistered-department", person_ids=[a.pk])
    assert AuditEntry.objects.filter(action="personal_number.transfer").count() == 1
