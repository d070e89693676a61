"""Reads of the 情報提供等記録: for auditors (kouki inquiries records, the screen) and for the person's
disclosure request (番号法 §31; the accountability issue 15) — the §23 fields only [R36]."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from kouki.inquiries.models import InquiryRecord


@dataclass(frozen=True)
class ProvisionRecord:
    """One 情報提供等記録 as disclosed (番号法 §23: both parties, datetimes, item, 不開示 flag)."""

    request_id: str
    inquirer: str
    provider: str
    jimu: str
    item: str
    requested_at: datetime
    provided_at: datetime | None
    nondisclosure: bool
    status: str


def provision_records_of(person_id: int) -> list[ProvisionRecord]:
    """The person's records still kept (7 years), oldest first: what a disclosure of 情報提供等記録 shows.
    Records flagged 不開示 are returned with the flag; the disclosure decides what it withholds."""
    return [
        ProvisionRecord(
            r.request_id, r.inquirer, r.provider, r.jimu, r.item, r.requested_at, r.provided_at,
            r.nondisclosure, r.status,
        )
        for r in InquiryRecord.objects.filter(person_id=person_id).order_by("requested_at", "pk")
    ]


def inquiry_records(
    *,
    username: str = "",
    person_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> QuerySet[InquiryRecord]:
    """The records for auditors (SEC-12): by staff, person and period [since, until), newest first."""
    qs = InquiryRecord.objects.all()
    if username:
        qs = qs.filter(username=username)
    if person_id is not None:
        qs = qs.filter(person_id=person_id)
    if since is not None:
        qs = qs.filter(requested_at__gte=since)
    if until is not None:
        qs = qs.filter(requested_at__lt=until)
    return qs.order_by("-requested_at", "-pk")


def has_result(record_id: int) -> bool:
    """Is the result of this inquiry still kept (not yet purged)?"""
    return InquiryRecord.objects.filter(pk=record_id, result__isnull=False).exists()
