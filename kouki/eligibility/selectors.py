"""Reads of the eligibility app for other apps and screens (insured periods as received from the union)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet

from kouki.addressees.models import PersonVersion
from kouki.core.audit_vocabulary import AuditTarget
from kouki.core.db import AuditRecordSets, chunked, ids_per_key
from kouki.eligibility.models import (
    AddressException,
    CertificateRequest,
    CertificateRequestStatus,
    InsuredPeriod,
    OutboundFile,
)
from kouki.rules.numbers import is_insured_number_format


def _in_force_on(on: date) -> Q:
    return (Q(superseded_at__isnull=True) & Q(acquired_on__lte=on)
            & (Q(lost_on__isnull=True) | Q(lost_on__gt=on)))


def insured_period_on(person_id: int, on: date) -> InsuredPeriod | None:
    """The period in which the person is insured on `on` (lost_on is the first day without), or None."""
    return (InsuredPeriod.objects.filter(_in_force_on(on), person_id=person_id)
            .order_by("-acquired_on", "-pk").first())


def insured_person_ids_on(on: date) -> set[int]:
    """Everyone insured on a date, as far as the union's 被保険者情報 received so far says."""
    return set(InsuredPeriod.objects.filter(_in_force_on(on)).values_list("person_id", flat=True))


def insured_periods_of(person_id: int) -> list[InsuredPeriod]:
    """The periods in force (not superseded) of a person, oldest first; cancelled ones (取消) included."""
    return list(InsuredPeriod.objects.filter(person_id=person_id, superseded_at__isnull=True)
                .order_by("acquired_on", "pk"))


def certificate_requests_pending() -> QuerySet[CertificateRequest]:
    """資格確認書発行用情報 received and not yet issued, oldest first (for kouki.certificates)."""
    return CertificateRequest.objects.filter(status=CertificateRequestStatus.PENDING).order_by("pk")


def address_exceptions_of(person_id: int) -> list[AddressException]:
    return list(AddressException.objects.filter(person_id=person_id, superseded_at__isnull=True)
                .order_by("exception_from", "pk"))


def outbound_files(run_date: date | None = None) -> QuerySet[OutboundFile]:
    qs = OutboundFile.objects.all()
    if run_date is not None:
        qs = qs.filter(run_date=run_date)
    return qs.order_by("run_date", "kind")


_BULK_CHUNK = 5000


def latest_insured_numbers(person_ids: Iterable[int]) -> dict[int, str]:
    """person id → the insured number of the latest insured period in force (8-digit numbers only; the
    check digit is not required: kouki.rules.numbers)."""
    out: dict[int, str] = {}
    for chunk in chunked(sorted(set(person_ids)), _BULK_CHUNK):
        for person_id, number in (
            InsuredPeriod.objects.filter(person_id__in=chunk, superseded_at__isnull=True)
            .order_by("person_id", "acquired_on", "pk")
            .values_list("person_id", "insured_no")
        ):
            if is_insured_number_format(number):
                out[person_id] = number
    return out


def with_insured_flag(versions: QuerySet[PersonVersion], on: date) -> QuerySet[PersonVersion]:
    """The versions, each annotated `insured` (insured on `on`): one query for a whole result page."""
    in_force = InsuredPeriod.objects.filter(_in_force_on(on), person_id=OuterRef("person_id"))
    return versions.annotate(insured=Exists(in_force))


def audit_targets_of(person_id: int) -> dict[AuditTarget, list[str]]:
    """The eligibility records of a person that audit rows name (for the person's history)."""
    return ids_per_key(audit_record_sets(person_id))


def audit_record_sets(person_id: int) -> AuditRecordSets:
    """The records `audit_targets_of` names, as querysets (gathered with other apps' in one query)."""
    return {AuditTarget.CERTIFICATE_REQUEST: CertificateRequest.objects.filter(person_id=person_id)}


MOVE_IN_REASON = "03"  # 取得事由 転入 (kouki.assessment.planning_inputs.ACQUISITION_REASONS)


def move_in_person_ids(first: date, last: date) -> list[int]:
    """People whose coverage in force was acquired by moving in (取得事由 03) on a day in [first, last]: the
    month's move-ins, for the 情報照会 batch (issue 13 §2)."""
    return sorted(
        set(
            InsuredPeriod.objects.filter(
                acquisition_reason=MOVE_IN_REASON,
                acquired_on__gte=first,
                acquired_on__lte=last,
                superseded_at__isnull=True,
            ).values_list("person_id", flat=True)
        )
    )
@dataclass(frozen=True)
class EligibilityChange:
    """An acquisition (取得) or a loss (喪失) of a period in force, effective on `on`."""

    person_id: int
    change: str  # ACQUIRED / LOST
    on: date
    reason: str  # the union's code (AcquisitionReason / LossReason)
    insured_no: str
    insurer_no: str


ACQUIRED, LOST = "1", "2"


def eligibility_changes_between(first: date, last: date) -> list[EligibilityChange]:
    """Acquisitions and losses effective from `first` to `last` (inclusive) of the periods in force
    (cancelled periods, lost on the day acquired, left out), by date, change and person."""
    periods = InsuredPeriod.objects.filter(superseded_at__isnull=True).filter(
        Q(acquired_on__range=(first, last)) | Q(lost_on__range=(first, last))
    )
    out: list[EligibilityChange] = []
    for p in periods:
        if p.lost_on == p.acquired_on:
            continue
        if first <= p.acquired_on <= last:
            out.append(EligibilityChange(p.person_id, ACQUIRED, p.acquired_on, p.acquisition_reason,
                                         p.insured_no, p.insurer_no))  # fmt: skip
        if p.lost_on is not None and first <= p.lost_on <= last:
            out.append(EligibilityChange(p.person_id, LOST, p.lost_on, p.loss_reason, p.insured_no,
                                         p.insurer_no))  # fmt: skip
    out.sort(key=lambda c: (c.on, c.change, c.person_id))
    return out
