"""Writes of personal numbers: registration with the IN-04 check, and the confirmation list (SEC-34).

A person's first confirmed number brings the person's 団体内統合宛名番号 in the same transaction
(kouki.privacy.integrated, issue 13 §1).

Nothing is silently overwritten. A number arriving for an addressee who already has a different one,
a blank arriving where one is stored, or a number already current for another addressee goes to
PersonalNumberPending (確認リスト). A member of staff confirms or rejects each row; a confirmed change
keeps the old number as history (is_current=False, replaced_at set). Every write appends its audit
row in the same transaction; no audit detail, note or exception text carries a number.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from django.apps import apps
from django.db import models, transaction
from django.utils import timezone

from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.core.db import InValues, chunked, db_datetime, insert_rows, reserve_ids
from kouki.privacy.audit import audit_record
from kouki.privacy.context import Actor
from kouki.privacy.integrated import assign_integrated_numbers
from kouki.privacy.keys import load_keyring
from kouki.privacy.models import PendingReason, PendingStatus, PersonalNumber, PersonalNumberPending
from kouki.privacy.redaction import contains_personal_number
from kouki.privacy.vault import blind_index, blind_indexes, decrypt_number, encrypt_number, index_match
from kouki.rules.numbers import validate_my_number

RegisterResult = Literal["stored", "unchanged", "pending"]
NOTE_MAX = 200


def _persons() -> models.QuerySet[models.Model]:
    """The addressees (addressees.Person, which a personal number points at by its foreign key): looked up
    through the app registry, because privacy sits below the addressee app and does not import it."""
    person: type[models.Model] = apps.get_model("addressees", "Person")
    return person._default_manager.all()


class PendingDecisionError(ValueError):
    """A confirmation-list row cannot be decided as asked (already decided, conflict, no staff)."""


def _check_text(value: str, what: str, max_length: int) -> str:
    value = value.strip()
    if contains_personal_number(value):
        raise ValueError(f"{what} must not contain a personal number")
    if len(value) > max_length:
        raise ValueError(f"{what} is longer than {max_length} characters")
    return value


def _current(person_id: int, *, lock: bool = False) -> PersonalNumber | None:
    qs = PersonalNumber.objects.filter(person_id=person_id, is_current=True)
    if lock:
        qs = qs.select_for_update()
    return qs.first()


def _open_pending(person_id: int, reason: str, number: str) -> PersonalNumberPending | None:
    found = PersonalNumberPending.objects.filter(person_id=person_id, status=PendingStatus.PENDING,
                                                 reason=reason)
    return (found.filter(index_match(number)) if number else found.filter(blind_index="")).first()


def _queue(*, actor: Actor, person_id: int, reason: PendingReason, number: str, source: str) -> None:
    """Put an arrival on the confirmation list, once: the same open arrival is not listed twice."""
    if _open_pending(person_id, reason, number) is not None:
        return
    ring = load_keyring()
    index = blind_index(number, ring) if number else ""
    blob, key_id = encrypt_number(number, person_id, ring) if number else (None, "")
    pending = PersonalNumberPending.objects.create(
        person_id=person_id, reason=reason, ciphertext=blob, key_id=key_id, blind_index=index,
        index_key_id=ring.search_active, source=source, created_at=timezone.now(),
    )
    audit_record(
        actor=actor, action=AuditAction.PERSONAL_NUMBER_PENDING, target_type=AuditTarget.PERSON,
        target_id=str(person_id),
        detail={"pending_id": pending.pk, "reason": str(reason), "source": source},
    )


def personal_number_register(*, actor: Actor, person_id: int, number: str, source: str) -> RegisterResult:
    """IN-04: store a first number; same number -> "unchanged"; anything else -> the confirmation list.

    Raises kouki.rules.numbers.InvalidNumber (message without the number) for a malformed number.
    """
    number = number.strip()
    if number:
        validate_my_number(number)
    source = _check_text(source, "source", 100)
    with transaction.atomic():
        if not _persons().filter(pk=person_id).exists():
            raise ValueError(f"addressee {person_id} does not exist")
        current = _current(person_id, lock=True)
        if not number:
            if current is None:
                return "unchanged"
            _queue(actor=actor, person_id=person_id, reason=PendingReason.BLANK, number="", source=source)
            return "pending"
        ring = load_keyring()
        if current is not None:
            if current.blind_index == blind_index(number, ring, current.index_key_id):
                return "unchanged"
            _queue(actor=actor, person_id=person_id, reason=PendingReason.DIFFERENT, number=number,
                   source=source)
            return "pending"
        if PersonalNumber.objects.filter(index_match(number, ring), is_current=True).exists():
            _queue(actor=actor, person_id=person_id, reason=PendingReason.DUPLICATE, number=number,
                   source=source)
            return "pending"
        blob, key_id = encrypt_number(number, person_id, ring)
        row = PersonalNumber.objects.create(
            person_id=person_id, ciphertext=blob, key_id=key_id, blind_index=blind_index(number, ring),
            index_key_id=ring.search_active, is_current=True,
            recorded_at=timezone.now(), source=source,
        )
        audit_record(
            actor=actor, action=AuditAction.PERSONAL_NUMBER_STORE, target_type=AuditTarget.PERSON,
            target_id=str(person_id),
            detail={"personal_number_id": row.pk, "source": source, "key_id": key_id},
        )
        assign_integrated_numbers(actor=actor, person_ids=[person_id], source=source)
        return "stored"


def _decide(actor: Actor, pending_id: int, note: str) -> tuple[PersonalNumberPending, str]:
    if actor.user_id is None:
        raise PendingDecisionError("a confirmation-list row is decided by a named member of staff")
    note = _check_text(note, "note", NOTE_MAX)
    pending = PersonalNumberPending.objects.select_for_update().filter(pk=pending_id).first()
    if pending is None:
        raise PendingDecisionError(f"confirmation-list row {pending_id} does not exist")
    if pending.status != PendingStatus.PENDING:
        raise PendingDecisionError(
            f"confirmation-list row {pending_id} is already decided ({pending.status})"
        )
    return pending, note


def personal_number_pending_confirm(*, actor: Actor, pending_id: int, note: str) -> None:
    """SEC-34: apply a listed arrival. The number it replaces stays as history, never overwritten.

    different/duplicate: the arrived number becomes current; blank: the stored number is retired.
    The web screen requires Perm.CONFIRM_PERSONAL_NUMBER; the deciding staff member is recorded.
    """
    with transaction.atomic():
        pending, note = _decide(actor, pending_id, note)
        now = timezone.now()
        person_id = pending.person_id
        if pending.reason != PendingReason.BLANK:
            assert pending.ciphertext is not None
            listed = decrypt_number(pending.ciphertext, pending.key_id, pending.person_id)
            holder = (
                PersonalNumber.objects.filter(index_match(listed), is_current=True)
                .exclude(person_id=person_id).values_list("person_id", flat=True).first()
            )
            if holder is not None:
                raise PendingDecisionError(
                    f"the listed number is current for addressee {holder}; correct that addressee first"
                )
        current = _current(person_id, lock=True)
        replaced_id = None
        if current is not None:
            current.is_current = False
            current.replaced_at = now
            current.save(update_fields=["is_current", "replaced_at"])
            replaced_id = current.pk
        new_id = None
        if pending.reason != PendingReason.BLANK:
            assert pending.ciphertext is not None
            new = PersonalNumber.objects.create(
                person_id=person_id, ciphertext=bytes(pending.ciphertext), key_id=pending.key_id,
                blind_index=pending.blind_index, index_key_id=pending.index_key_id, is_current=True,
                recorded_at=now, source=pending.source,
            )
            new_id = new.pk
        if new_id is not None:
            # a first number confirmed from the list gets its integrated number now; one already held stays
            assign_integrated_numbers(actor=actor, person_ids=[person_id], source=pending.source)
        pending.status = PendingStatus.CONFIRMED
        pending.decided_by_id = actor.user_id
        pending.decided_at = now
        pending.decision_note = note
        pending.ciphertext, pending.key_id = None, ""  # the number now lives in PersonalNumber only
        pending.save(
            update_fields=["status", "decided_by", "decided_at", "decision_note", "ciphertext", "key_id"]
        )
        audit_record(
            actor=actor, action=AuditAction.PERSONAL_NUMBER_CONFIRM, target_type=AuditTarget.PERSON,
            target_id=str(person_id),
            detail={"pending_id": pending.pk, "reason": pending.reason, "replaced_id": replaced_id,
                    "new_id": new_id, "note": note},
        )


def personal_number_pending_reject(*, actor: Actor, pending_id: int, note: str) -> None:
    """Keep the stored number; record who decided, when and why."""
    with transaction.atomic():
        pending, note = _decide(actor, pending_id, note)
        pending.status = PendingStatus.REJECTED
        pending.decided_by_id = actor.user_id
        pending.decided_at = timezone.now()
        pending.decision_note = note
        pending.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        audit_record(
            actor=actor, action=AuditAction.PERSONAL_NUMBER_REJECT, target_type=AuditTarget.PERSON,
            target_id=str(pending.person_id),
            detail={"pending_id": pending.pk, "reason": pending.reason, "note": note},
        )


def personal_number_register_many(
    *, actor: Actor, items: Sequence[tuple[int, str]], source: str
) -> list[RegisterResult]:
    """`personal_number_register` for many (person_id, number) arrivals at once, in order, with the
    same IN-04 outcome for each as calling it once per item (a number stored by an earlier item counts
    for the later ones). Reads current numbers and open confirmation-list rows set-wise, inserts in
    bulk and appends the audit rows with one chained append. Raises InvalidNumber before any write.
    """
    from kouki.privacy.audit import AuditItem, audit_record_many

    arrivals = [(person_id, number.strip()) for person_id, number in items]
    for _, number in arrivals:
        if number:
            validate_my_number(number)
    source = _check_text(source, "source", 100)
    ring = load_keyring()
    with transaction.atomic():
        person_ids = sorted({p for p, _ in arrivals})
        # every number's hash under each search-hash key (two while a rotation re-indexes; issue 14 §2)
        all_indexes = {n: blind_indexes(n, ring) for _, n in arrivals if n}
        indexes = {n: by_key[ring.search_active] for n, by_key in all_indexes.items()}
        known: set[int] = set()
        current: dict[int, tuple[str, str]] = {}  # person -> (key id, blind index) of the current number
        taken: set[tuple[str, str]] = set()  # (key id, blind index) current for someone
        pending_open: set[tuple[int, str, str, str]] = set()
        for chunk in chunked(person_ids, 20_000):
            known.update(_persons().filter(InValues("id", chunk)).values_list("pk", flat=True))
            rows = PersonalNumber.objects.select_for_update().filter(InValues("person_id", chunk),
                                                                     is_current=True)
            for person_id, key_id, index in rows.values_list("person_id", "index_key_id", "blind_index"):
                current[person_id] = (key_id, index)
            pending_open.update(PersonalNumberPending.objects.filter(
                InValues("person_id", chunk), status=PendingStatus.PENDING).values_list(
                    "person_id", "reason", "index_key_id", "blind_index"))
        # `taken` is consulted only for a person with no current number, so only the numbers arriving
        # for such persons need looking up (a person with one keeps it for the whole call).
        unnumbered = {i for p, n in arrivals if n and p not in current for i in all_indexes[n].values()}
        for index_part in chunked(sorted(unnumbered), 20_000):
            taken.update(PersonalNumber.objects.filter(InValues("blind_index", index_part), is_current=True)
                         .values_list("index_key_id", "blind_index"))

        def open_for(person_id: int, reason: str, number: str) -> bool:
            if not number:
                return any(t[0] == person_id and t[1] == reason and t[3] == "" for t in pending_open)
            return any((person_id, reason, k, i) in pending_open for k, i in all_indexes[number].items())
        missing = [p for p in person_ids if p not in known]
        if missing:
            raise ValueError(f"addressee {missing[0]} does not exist")
        results: list[RegisterResult] = []
        stores: list[PersonalNumber] = []
        queued: list[PersonalNumberPending] = []
        now = timezone.now()

        def queue(person_id: int, reason: PendingReason, number: str) -> None:
            index = indexes[number] if number else ""
            if open_for(person_id, str(reason), number):
                return
            pending_open.add((person_id, str(reason), ring.search_active, index))
            blob, key_id = encrypt_number(number, person_id, ring) if number else (None, "")
            queued.append(PersonalNumberPending(
                person_id=person_id, reason=reason, ciphertext=blob, key_id=key_id, blind_index=index,
                index_key_id=ring.search_active, source=source, created_at=now))

        for person_id, number in arrivals:
            stored = current.get(person_id)
            if not number:
                if stored is None:
                    results.append("unchanged")
                    continue
                queue(person_id, PendingReason.BLANK, "")
                results.append("pending")
                continue
            index = indexes[number]
            if stored is not None:
                if all_indexes[number].get(stored[0]) == stored[1]:
                    results.append("unchanged")
                    continue
                queue(person_id, PendingReason.DIFFERENT, number)
                results.append("pending")
                continue
            if any(pair in taken for pair in all_indexes[number].items()):
                queue(person_id, PendingReason.DUPLICATE, number)
                results.append("pending")
                continue
            blob, key_id = encrypt_number(number, person_id, ring)
            stores.append(PersonalNumber(
                person_id=person_id, ciphertext=blob, key_id=key_id, blind_index=index,
                index_key_id=ring.search_active, is_current=True, recorded_at=now, source=source))
            current[person_id] = (ring.search_active, index)
            taken.add((ring.search_active, index))
            results.append("stored")
        _insert_pending(queued)
        _insert_numbers(stores)
        audit_record_many(actor=actor, items=[
            *(AuditItem(action=AuditAction.PERSONAL_NUMBER_PENDING, target_type=AuditTarget.PERSON,
                        target_id=str(p.person_id),
                        detail={"pending_id": p.pk, "reason": str(p.reason), "source": source})
              for p in queued),
            *(AuditItem(action=AuditAction.PERSONAL_NUMBER_STORE, target_type=AuditTarget.PERSON,
                        target_id=str(r.person_id),
                        detail={"personal_number_id": r.pk, "source": source, "key_id": r.key_id})
              for r in stores),
        ])
        assign_integrated_numbers(actor=actor, person_ids=[r.person_id for r in stores], source=source)
        return results


NUMBER_FIELDS = ("id", "person_id", "ciphertext", "key_id", "blind_index", "index_key_id", "is_current",
                 "recorded_at", "replaced_at", "source")
PENDING_FIELDS = ("id", "person_id", "reason", "ciphertext", "key_id", "blind_index", "index_key_id",
                  "source", "status", "created_at", "decided_by_id", "decided_at", "decision_note")


def _insert_numbers(rows: list[PersonalNumber]) -> None:
    """New current numbers on reserved ids (the audit rows name them), one COPY / executemany."""
    for row, pk in zip(rows, reserve_ids(PersonalNumber, len(rows)), strict=True):
        row.pk = pk
    insert_rows(PersonalNumber, NUMBER_FIELDS, [
        (r.pk, r.person_id, r.ciphertext, r.key_id, r.blind_index, r.index_key_id, r.is_current,
         db_datetime(r.recorded_at), None, r.source)
        for r in rows
    ])


def _insert_pending(rows: list[PersonalNumberPending]) -> None:
    """New confirmation-list rows on reserved ids (the audit rows name them)."""
    for row, pk in zip(rows, reserve_ids(PersonalNumberPending, len(rows)), strict=True):
        row.pk = pk
    insert_rows(PersonalNumberPending, PENDING_FIELDS, [
        (r.pk, r.person_id, str(r.reason), r.ciphertext, r.key_id, r.blind_index, r.index_key_id, r.source,
         str(r.status),
         db_datetime(r.created_at), None, None, r.decision_note)
        for r in rows
    ])

