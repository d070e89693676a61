"""Writes of the eligibility app: the union's decisions as received, and the files sent to it.

- 被保険者情報: one InsuredPeriod per (person, acquired_on) in force; a later record for the same key
  supersedes the previous row (superseded_at) unless it says exactly the same (then nothing changes).
- 資格確認書発行用情報: each record becomes a CertificateRequest (pending) until kouki.certificates
  reports it issued (certificate_request_mark_issued).
- 住所地特例者情報: one AddressException per (person, exception_from), superseded like the periods.
- Each city→union file written by the batch is recorded as an OutboundFile.
Every write appends its audit rows in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from kouki.addressees.selectors import person_ids_strict
from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.core.db import rows_locked_for_persons
from kouki.eligibility.models import (
    AddressException,
    CertificateRequest,
    CertificateRequestStatus,
    InsuredPeriod,
    OutboundFile,
)
from kouki.interfaces.models import ImportRecord
from kouki.interfaces.union.records import AddressExceptionRecord, CertificateIssueRecord, InsuredInfoRecord
from kouki.privacy.audit import AuditItem, audit_record, audit_record_many, digest_for_audit
from kouki.privacy.context import Actor


class CertificateRequestError(ValueError):
    """A certificate request cannot be marked as asked (unknown, already issued)."""


@dataclass(frozen=True)
class StoreSummary:
    stored: int  # new rows (first time or superseding)
    unchanged: int  # records equal to the row in force


PERIOD_FIELDS = ("insured_no", "insurer_no", "acquisition_reason", "lost_on", "loss_reason", "copay_rate",
                 "copay_from", "address_exception", "decided_on")


def _period_values(record: InsuredInfoRecord) -> dict[str, object]:
    return {
        "insured_no": record.insured_no, "insurer_no": record.insurer_no,
        "acquisition_reason": str(record.acquisition_reason), "lost_on": record.lost_on,
        "loss_reason": str(record.loss_reason) if record.loss_reason else "",
        "copay_rate": record.copay_rate, "copay_from": record.copay_from,
        "address_exception": record.address_exception, "decided_on": record.decided_on,
    }


def insured_periods_store(
    *, actor: Actor, records: Sequence[InsuredInfoRecord], import_record: ImportRecord | None = None
) -> StoreSummary:
    """Take in 被保険者情報 records in file order (a snapshot per (person, acquired_on)).

    Raises UnknownAddressee for a record about someone the city does not hold (the file is rejected).
    """
    with transaction.atomic():
        now = timezone.now()
        person_ids = person_ids_strict([r.addressee_no for r in records])
        live: dict[tuple[int, date], InsuredPeriod] = {
            (row.person_id, row.acquired_on): row
            for row in rows_locked_for_persons(InsuredPeriod, person_ids, superseded_at__isnull=True)
        }
        superseded: dict[int, InsuredPeriod] = {}
        new_rows: list[InsuredPeriod] = []
        replaced: list[InsuredPeriod | None] = []
        unchanged = 0
        for person_id, record in zip(person_ids, records, strict=True):
            values = _period_values(record)
            key = (person_id, record.acquired_on)
            previous = live.get(key)
            if previous is not None and all(getattr(previous, f) == values[f] for f in PERIOD_FIELDS):
                unchanged += 1
                continue
            if previous is not None:
                previous.superseded_at = now
                if previous.pk is not None:
                    superseded[previous.pk] = previous
            row = InsuredPeriod(person_id=person_id, acquired_on=record.acquired_on, recorded_at=now,
                                import_record=import_record, **values)
            live[key] = row
            new_rows.append(row)
            replaced.append(previous)
        InsuredPeriod.objects.bulk_update(list(superseded.values()), ["superseded_at"], batch_size=1000)
        InsuredPeriod.objects.bulk_create(new_rows, batch_size=1000)
        audit_record_many(actor=actor, items=[
            AuditItem(action=AuditAction.ELIGIBILITY_INSURED_PERIOD_STORE,
                      target_type=AuditTarget.ADDRESSEES_PERSON,
                      target_id=str(row.person_id),
                      detail={"insured_period_id": row.pk, "acquired_on": row.acquired_on.isoformat(),
                              "lost_on": row.lost_on.isoformat() if row.lost_on else None,
                              "superseded_id": old.pk if old is not None else None})
            for row, old in zip(new_rows, replaced, strict=True)
        ])
        return StoreSummary(stored=len(new_rows), unchanged=unchanged)


def certificate_requests_store(
    *, actor: Actor, records: Sequence[CertificateIssueRecord], import_record: ImportRecord | None = None
) -> StoreSummary:
    """Keep each 資格確認書発行用情報 record as a pending CertificateRequest."""
    with transaction.atomic():
        now = timezone.now()
        person_ids = person_ids_strict([r.addressee_no for r in records])
        rows = CertificateRequest.objects.bulk_create([
            CertificateRequest(
                person_id=person_id, kind=str(r.kind), reason=str(r.reason), insured_no=r.insured_no,
                insurer_no=r.insurer_no, family_name=r.family_name, given_name=r.given_name,
                family_name_kana=r.family_name_kana, given_name_kana=r.given_name_kana, sex=r.sex,
                birth_date=r.birth_date, postal_code=r.postal_code, address=r.address,
                acquired_on=r.acquired_on, copay_rate=r.copay_rate, valid_from=r.valid_from,
                valid_until=r.valid_until, limit_category=r.limit_category, issued_on=r.issued_on,
                status=CertificateRequestStatus.PENDING, received_at=now, import_record=import_record,
            )
            for person_id, r in zip(person_ids, records, strict=True)
        ], batch_size=1000)
        audit_record_many(actor=actor, items=[
            AuditItem(action=AuditAction.ELIGIBILITY_CERTIFICATE_REQUEST_STORE,
                      target_type=AuditTarget.ADDRESSEES_PERSON,
                      target_id=str(row.person_id),
                      detail={"certificate_request_id": row.pk, "kind": row.kind, "reason": row.reason})
            for row in rows
        ])
        return StoreSummary(stored=len(rows), unchanged=0)


def certificate_request_mark_issued(*, actor: Actor, request_id: int, issue_id: int) -> None:
    """kouki.certificates reports that it issued the document asked for by a request."""
    with transaction.atomic():
        request = CertificateRequest.objects.select_for_update().filter(pk=request_id).first()
        if request is None:
            raise CertificateRequestError(f"certificate request {request_id} does not exist")
        if request.status != CertificateRequestStatus.PENDING:
            raise CertificateRequestError(f"certificate request {request_id} is already issued")
        request.status = CertificateRequestStatus.ISSUED
        request.issue_id = issue_id
        request.issued_at = timezone.now()
        request.save(update_fields=["status", "issue_id", "issued_at"])
        audit_record(actor=actor, action=AuditAction.ELIGIBILITY_CERTIFICATE_REQUEST_ISSUED,
                     target_type=AuditTarget.CERTIFICATE_REQUEST, target_id=str(request.pk),
                     detail={"issue_id": issue_id, "person_id": request.person_id})


def certificate_requests_mark_issued(*, actor: Actor, issued: Sequence[tuple[int, int]]) -> None:
    """The batch form of certificate_request_mark_issued: (request id, issue id) pairs, one transaction,
    one bulk update and one audit row per request (the yearly batch marks every insured person)."""
    issue_of = dict(issued)
    if len(issue_of) != len(issued):
        raise CertificateRequestError("a certificate request is named twice")
    with transaction.atomic():
        requests = list(CertificateRequest.objects.select_for_update().filter(pk__in=list(issue_of)))
        missing = sorted(set(issue_of) - {r.pk for r in requests})
        if missing:
            raise CertificateRequestError(f"certificate request {missing[0]} does not exist")
        done = sorted(r.pk for r in requests if r.status != CertificateRequestStatus.PENDING)
        if done:
            raise CertificateRequestError(f"certificate request {done[0]} is already issued")
        now = timezone.now()
        for r in requests:
            r.status, r.issue_id, r.issued_at = CertificateRequestStatus.ISSUED, issue_of[r.pk], now
        CertificateRequest.objects.bulk_update(requests, ["status", "issue_id", "issued_at"], batch_size=2000)
        audit_record_many(actor=actor, items=[
            AuditItem(action=AuditAction.ELIGIBILITY_CERTIFICATE_REQUEST_ISSUED,
                      target_type=AuditTarget.CERTIFICATE_REQUEST, target_id=str(r.pk),
                      detail={"issue_id": issue_of[r.pk], "person_id": r.person_id})
            for r in sorted(requests, key=lambda r: r.pk)
        ])  # fmt: skip


EXCEPTION_FIELDS = ("insured_no", "facility_name", "facility_address", "exception_until")


def address_exceptions_store(
    *, actor: Actor, records: Sequence[AddressExceptionRecord], import_record: ImportRecord | None = None
) -> StoreSummary:
    """Take in 住所地特例者情報 records (a snapshot per (person, exception_from))."""
    with transaction.atomic():
        now = timezone.now()
        person_ids = person_ids_strict([r.addressee_no for r in records])
        stored = unchanged = 0
        for person_id, r in zip(person_ids, records, strict=True):
            values = {"insured_no": r.insured_no, "facility_name": r.facility_name,
                      "facility_address": r.facility_address, "exception_until": r.exception_until}
            previous = AddressException.objects.select_for_update().filter(
                person_id=person_id, exception_from=r.exception_from, superseded_at__isnull=True).first()
            if previous is not None and all(getattr(previous, f) == values[f] for f in EXCEPTION_FIELDS):
                unchanged += 1
                continue
            if previous is not None:
                previous.superseded_at = now
                previous.save(update_fields=["superseded_at"])
            row = AddressException.objects.create(person_id=person_id, exception_from=r.exception_from,
                                                  recorded_at=now, import_record=import_record, **values)
            audit_record(actor=actor, action=AuditAction.ELIGIBILITY_ADDRESS_EXCEPTION_STORE,
                         target_type=AuditTarget.ADDRESSEES_PERSON, target_id=str(person_id),
                         detail={"address_exception_id": row.pk,
                                 "superseded_id": previous.pk if previous is not None else None})
            stored += 1
        return StoreSummary(stored=stored, unchanged=unchanged)


def outbound_file_record(*, actor: Actor, kind: str, run_date: date, path: Path, record_count: int,
                         sha256: str, through_change_id: int | None = None) -> OutboundFile:
    """Record a file written for the union (which file, how many records, its hash)."""
    with transaction.atomic():
        row = OutboundFile.objects.create(
            kind=kind, run_date=run_date, file_name=path.name, record_count=record_count, sha256=sha256,
            through_change_id=through_change_id, created_at=timezone.now(), created_by=actor.username,
        )
        audit_record(actor=actor, action=AuditAction.ELIGIBILITY_OUTBOUND_FILE,
                     target_type=AuditTarget.OUTBOUND_FILE,
                     target_id=str(row.pk),
                     detail={"kind": kind, "run_date": run_date.isoformat(), "file_name": path.name,
                             "records": record_count, "sha256": digest_for_audit(sha256)})
        return row
