"""Reads of the privacy tables for screens and other apps. None of them returns a number.

The number itself leaves only through kouki.privacy.gate (permission + purpose + reference log).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, QuerySet

from kouki.accounts.models import StaffUser
from kouki.accounts.secret_box import PREFIX
from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.privacy.models import (
    AuditEntry,
    PendingStatus,
    PersonalNumber,
    PersonalNumberPending,
    ReferenceLog,
)


def has_personal_number(person_id: int) -> bool:
    return PersonalNumber.objects.filter(person_id=person_id, is_current=True).exists()


def pending_list() -> QuerySet[PersonalNumberPending]:
    """IN-04 確認リスト: arrivals waiting for a decision, oldest first. Fields other than the number."""
    return (
        PersonalNumberPending.objects.filter(status=PendingStatus.PENDING)
        .defer("ciphertext")
        .order_by("created_at", "pk")
    )


def pending_history(person_id: int) -> QuerySet[PersonalNumberPending]:
    """Every listed arrival for one addressee, decided ones included, newest first."""
    return (
        PersonalNumberPending.objects.filter(person_id=person_id)
        .defer("ciphertext")
        .select_related("decided_by")
        .order_by("-created_at", "-pk")
    )


@dataclass(frozen=True)
class NumberHistoryRow:
    recorded_at: datetime
    replaced_at: datetime | None
    source: str
    is_current: bool


def number_history(person_id: int) -> list[NumberHistoryRow]:
    """SEC-34: when each number of a person was recorded and replaced (not the numbers themselves)."""
    rows = (
        PersonalNumber.objects.filter(person_id=person_id)
        .order_by("recorded_at", "pk")
        .values_list("recorded_at", "replaced_at", "source", "is_current")
    )
    return [NumberHistoryRow(*row) for row in rows]


def references_for_person(person_id: int) -> QuerySet[ReferenceLog]:
    """Who looked at this addressee's number (SEC-11), newest first. Also for 開示請求."""
    return ReferenceLog.objects.filter(person_id=person_id).order_by("-at", "-pk")


def references(*, user_id: int | None = None, username: str = "", person_id: int | None = None,
               since: datetime | None = None, until: datetime | None = None) -> QuerySet[ReferenceLog]:
    """Reference log for auditors (SEC-12): filter by staff, addressee and period [since, until)."""
    qs = ReferenceLog.objects.all()
    if user_id is not None:
        qs = qs.filter(user_id=user_id)
    if username:
        qs = qs.filter(username=username)
    if person_id is not None:
        qs = qs.filter(person_id=person_id)
    if since is not None:
        qs = qs.filter(at__gte=since)
    if until is not None:
        qs = qs.filter(at__lt=until)
    return qs.order_by("-at", "-pk")


def key_usage() -> dict[str, int]:
    """Rows per encryption key id — numbers, confirmation-list rows and sealed staff second-factor secrets
    together (for rotation: a key still in use is not retired)."""
    usage: dict[str, int] = {}
    for model in (PersonalNumber, PersonalNumberPending):
        counts = model.objects.exclude(key_id="").order_by().values_list("key_id").annotate(n=Count("pk"))
        for key_id, n in counts:
            usage[key_id] = usage.get(key_id, 0) + n
    sealed = StaffUser.objects.filter(totp_secret__startswith=PREFIX).values_list("totp_secret", flat=True)
    for stored in sealed:
        key_id = stored.removeprefix(PREFIX).split(":", 1)[0]  # staff second-factor secrets (secret_seal)
        usage[key_id] = usage.get(key_id, 0) + 1
    return usage


def audit_trail(targets: Mapping[AuditTarget, Collection[str]], *, without: Collection[AuditAction] = (),
                limit: int = 200) -> list[AuditEntry]:
    """The audit rows naming any of the given records (target type → ids), newest first, at most `limit`;
    rows of the actions in `without` left out. Rows naming a range of records (a batch) are not matched."""
    wanted = Q()
    for target, ids in targets.items():
        if ids:
            wanted |= Q(target_type=str(target), target_id__in=sorted(set(ids)))
    if not wanted:
        return []
    rows = AuditEntry.objects.filter(wanted).exclude(action__in=[str(a) for a in without])
    return list(rows.order_by("-seq")[:limit])


def audit_key_usage() -> dict[str, int]:
    """Rows of the audit and reference logs per audit key id (rows from before the keyed chain left out)."""
    usage: dict[str, int] = {}
    for model in (AuditEntry, ReferenceLog):
        counts = model.objects.exclude(key_id="").order_by().values_list("key_id").annotate(n=Count("pk"))
        for key_id, rows in counts:
            usage[key_id] = usage.get(key_id, 0) + rows
    return usage


