"""Reads of counter notifications for the screens and for the daily batch (届出情報 to the union)."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from kouki.core.audit_vocabulary import AuditTarget
from kouki.core.config import municipality_code
from kouki.core.db import AuditRecordSets, ids_per_key
from kouki.interfaces.union.records import NotificationInfoRecord
from kouki.notifications.models import (
    UNION_KIND_OF,
    MatchingMismatch,
    MismatchStatus,
    Notification,
    NotificationStep,
    Status,
)


def _sendable_types() -> list[str]:
    return [t for t, kind in UNION_KIND_OF.items() if kind is not None]


def notifications_to_send(on: date, *, municipality: str = "") -> list[NotificationInfoRecord]:
    """Confirmed, not yet sent, effective on or before `on`, of a kind the union needs; oldest number first.

    After writing the file, the batch calls services.notifications_mark_sent with the record numbers'
    notification ids (`notification_ids_of(records)`).
    """
    code = municipality or municipality_code()
    rows = (
        Notification.objects.filter(
            status=Status.CONFIRMED,
            sent_at__isnull=True,
            effective_date__lte=on,
            notification_type__in=_sendable_types(),
        )
        .select_related("person")
        .order_by("notification_no")
    )
    records = []
    for n in rows:
        kind = UNION_KIND_OF[n.notification_type]
        assert kind is not None
        records.append(
            NotificationInfoRecord(
                municipality_code=code,
                notification_no=n.notification_no or "",
                kind=kind,
                addressee_no=n.person.addressee_no,
                effective_date=n.effective_date,
                received_on=n.received_on,
                facility_name=n.facility_name,
                facility_address=n.facility_address,
                note=n.note,
            )
        )
    return records


def notification_ids_of(records: list[NotificationInfoRecord]) -> list[int]:
    numbers = [r.notification_no for r in records]
    return list(Notification.objects.filter(notification_no__in=numbers).values_list("pk", flat=True))


def notification_list(*, status: str = "", person_id: int | None = None) -> QuerySet[Notification]:
    qs = Notification.objects.select_related("person", "entered_by", "confirmed_by")
    if status:
        qs = qs.filter(status=status)
    if person_id is not None:
        qs = qs.filter(person_id=person_id)
    return qs.order_by("-received_on", "-pk")


def notification_get(notification_id: int) -> Notification | None:
    return (
        Notification.objects.select_related("person", "entered_by", "confirmed_by")
        .filter(pk=notification_id)
        .first()
    )


def notification_steps(notification_id: int) -> list[NotificationStep]:
    return list(NotificationStep.objects.filter(notification_id=notification_id).select_related("actor"))


def open_mismatches() -> QuerySet[MatchingMismatch]:
    return (
        MatchingMismatch.objects.filter(status=MismatchStatus.OPEN)
        .select_related("notification", "person")
        .order_by("found_at", "pk")
    )


def mismatches_of(notification_id: int) -> QuerySet[MatchingMismatch]:
    return MatchingMismatch.objects.filter(notification_id=notification_id).order_by("found_at", "pk")


def audit_targets_of(person_id: int) -> dict[AuditTarget, list[str]]:
    """The person's notifications and matching findings as audit rows name them (for the history)."""
    return ids_per_key(audit_record_sets(person_id))


def audit_record_sets(person_id: int) -> AuditRecordSets:
    """The records `audit_targets_of` names, as querysets (gathered with other apps' in one query)."""
    return {AuditTarget.NOTIFICATION: Notification.objects.filter(person_id=person_id),
            AuditTarget.MATCHING_MISMATCH: MatchingMismatch.objects.filter(person_id=person_id)}
