"""Assigning 団体内統合宛名番号 (integrated addressee numbers; issue 13 §1, SEC-09).

The 番号連携サーバ gives a person an integrated addressee number the first time the person's personal number
is entered [PIA L366–381; domain-facts-next §5]. In kouki a number is entered (confirmed) when it becomes a
person's current PersonalNumber: `personal_number_register`, `personal_number_register_many` and
`personal_number_pending_confirm` call `assign_integrated_numbers` in the same transaction, and the
synthetic city's bulk load calls `assign_in_load`. Assignment is idempotent (one per person, kept when the
personal number later changes or is retired) and covers residents and 住登外者 alike. Numbers are serials,
never derived from the personal number; people whose numbers were stored before this existed get theirs
from `integrated_numbers_backfill` (`kouki linkage backfill --as USER`).

Audit rows name the person and the occasion, never the integrated number.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.core.db import CHUNK, InValues, chunked, db_datetime, insert_rows
from kouki.core.faults import batch_transaction, fault_point
from kouki.privacy.audit import AuditItem, audit_record, audit_record_many
from kouki.privacy.context import Actor
from kouki.privacy.models import IntegratedAddressee, PersonalNumber
from kouki.privacy.redaction import assert_no_personal_number

FIELDS = ("person_id", "serial", "assigned_at", "source")
LOCK_KEY = 7508  # PostgreSQL advisory lock of the serial allocation (the audit chain uses 7507)


def _in_transaction(what: str) -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"{what} must run inside the transaction that stores the personal numbers")


def _lock_serials() -> None:
    """One allocator at a time: PostgreSQL's advisory lock; SQLite's write lock (a no-op UPDATE)."""
    table = connection.ops.quote_name(IntegratedAddressee._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        else:
            cursor.execute(f"UPDATE {table} SET id = id WHERE 0")  # noqa: S608 (name quoted)


def _without_number(person_ids: Iterable[int]) -> list[int]:
    wanted = sorted(set(person_ids))
    have: set[int] = set()
    for chunk in chunked(wanted, CHUNK):
        have.update(
            IntegratedAddressee.objects.filter(InValues("person_id", chunk)).values_list(
                "person_id", flat=True
            )
        )
    return [p for p in wanted if p not in have]


def _insert(person_ids: list[int], source: str) -> list[int]:
    """Serials for the persons that have none yet, in person order; returns those persons."""
    assert_no_personal_number(source)
    missing = _without_number(person_ids)
    if not missing:
        return []
    _lock_serials()
    missing = _without_number(missing)  # a concurrent writer may have assigned some meanwhile
    last = IntegratedAddressee.objects.aggregate(last=Max("serial"))["last"] or 0
    now = db_datetime(timezone.now())
    insert_rows(
        IntegratedAddressee,
        FIELDS,
        ((person_id, last + i, now, source[:100]) for i, person_id in enumerate(missing, start=1)),
    )
    return missing


def assign_integrated_numbers(*, actor: Actor, person_ids: Iterable[int], source: str) -> int:
    """Give each of these persons an integrated addressee number unless they have one; one audit row per
    person assigned. Call in the transaction that stores their confirmed personal numbers. Returns how
    many."""
    _in_transaction("assign_integrated_numbers")
    assigned = _insert(list(person_ids), source)
    if len(assigned) == 1:
        audit_record(
            actor=actor,
            action=AuditAction.INTEGRATED_NUMBER_ASSIGN,
            target_type=AuditTarget.PERSON,
            target_id=str(assigned[0]),
            detail={"source": source},
        )
    elif assigned:
        audit_record_many(
            actor=actor,
            items=[
                AuditItem(
                    action=AuditAction.INTEGRATED_NUMBER_ASSIGN,
                    target_type=AuditTarget.PERSON,
                    target_id=str(p),
                    detail={"source": source},
                )
                for p in assigned
            ],
        )
    return len(assigned)


def assign_in_load(person_ids: Iterable[int], *, source: str) -> int:
    """The bulk load's assignment (the synthetic city's go-live register): no row per person, the load's
    own audit row records the load. Same transaction as the numbers it stores."""
    _in_transaction("assign_in_load")
    return len(_insert(list(person_ids), source))


@dataclass(frozen=True)
class BackfillResult:
    assigned: int
    already: int  # persons with a current number who had an integrated number before the run


def persons_missing_integrated_number(limit: int | None = None) -> tuple[int, list[int]]:
    """(how many persons have a current personal number but no integrated number, the first `limit` ids)."""
    missing = (
        PersonalNumber.objects.filter(is_current=True)
        .exclude(person_id__in=IntegratedAddressee.objects.values("person_id"))
        .order_by("person_id")
        .values_list("person_id", flat=True)
    )
    ids = list(missing[:limit]) if limit is not None else list(missing)
    return missing.count(), ids


def integrated_numbers_list(*, actor: Actor, limit: int) -> tuple[int, list[int]]:
    """`kouki linkage list`: who still lacks an integrated number; the look is audited (counts only)."""
    with transaction.atomic():
        total, ids = persons_missing_integrated_number(limit)
        audit_record(
            actor=actor,
            action=AuditAction.INTEGRATED_NUMBER_LIST,
            detail={"missing": total, "listed": len(ids)},
        )
        return total, ids


def integrated_numbers_backfill(*, actor: Actor, batch_size: int = 20_000) -> BackfillResult:
    """Assign integrated numbers to every person whose personal number was stored before assignment existed.

    One transaction: an audit row per person assigned and one row for the run. Running it again assigns
    nothing and writes nothing (idempotent: a re-run after a crash ends as one uninterrupted run)."""
    with batch_transaction("linkage-backfill"):
        _, missing = persons_missing_integrated_number()
        already = PersonalNumber.objects.filter(is_current=True).count() - len(missing)
        fault_point("after-read", "linkage-backfill")
        assigned = 0
        for chunk in chunked(missing, batch_size):
            assigned += assign_integrated_numbers(
                actor=actor, person_ids=chunk, source="一括付番(既存の個人番号)"
            )
        if assigned:
            audit_record(
                actor=actor,
                action=AuditAction.INTEGRATED_NUMBER_BACKFILL,
                detail={"assigned": assigned, "already": already},
            )
    return BackfillResult(assigned=assigned, already=already)
