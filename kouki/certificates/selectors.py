"""Reads of the certificates app for the screens, the demo and other apps."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from kouki.certificates.models import CertificateBatch, CertificateIssue, IssueStatus
from kouki.documents.data import CertificateData
from kouki.documents.render import render_pdf


def certificate_issues_of(person_id: int) -> list[CertificateIssue]:
    """Every issue for a person, newest first, with its hand-overs and returns."""
    return list(CertificateIssue.objects.filter(person_id=person_id)
                .select_related("batch").prefetch_related("handovers", "returns")
                .order_by("-issued_on", "-pk"))


def certificate_issue(issue_id: int) -> CertificateIssue | None:
    return (CertificateIssue.objects.filter(pk=issue_id).select_related("batch")
            .prefetch_related("handovers", "returns").first())


def certificate_batches(limit: int = 50) -> QuerySet[CertificateBatch, CertificateBatch]:
    return CertificateBatch.objects.order_by("-created_at")[:limit]


def certificate_issues_by_status(*, status: str = "", batch_id: int | None = None,
                                 limit: int = 200) -> list[CertificateIssue]:
    """Issues in a status (all when ""), of one batch or all, oldest first, with hand-overs and returns."""
    qs = CertificateIssue.objects.all()
    if status:
        qs = qs.filter(status=status)
    if batch_id is not None:
        qs = qs.filter(batch_id=batch_id)
    return list(qs.prefetch_related("handovers", "returns").order_by("issued_on", "pk")[:limit])


def certificate_status_counts(batch_id: int | None = None) -> dict[str, int]:
    """How many issues are in each status (every status present, zero when none)."""
    qs = CertificateIssue.objects.all()
    if batch_id is not None:
        qs = qs.filter(batch_id=batch_id)
    counts = dict(qs.values("status").annotate(n=Count("pk")).values_list("status", "n"))
    return {s.value: counts.get(s.value, 0) for s in IssueStatus}


def issues_awaiting_collection() -> QuerySet[CertificateIssue, CertificateIssue]:
    """Returned undelivered: kept at the office until the holder comes (or a new address is known)."""
    return (CertificateIssue.objects.filter(status=IssueStatus.RETURNED_UNDELIVERABLE)
            .order_by("issued_on", "pk"))


@dataclass(frozen=True)
class IssuedPdf:
    file_name: str
    content: bytes
    identical: bool  # True: the bytes are the issued file itself (a counter issue), else a page reprint


def certificate_issue_pdf(issue: CertificateIssue) -> IssuedPdf:
    """The document of an issue, rendered again from its snapshot.

    Rendering is reproducible, so for a counter issue the bytes equal the issued file (checked by
    sha256); for a batch issue it is that person's page on its own (the batch file holds all pages).
    """
    pdf = render_pdf(issue.kind, [CertificateData.from_snapshot(issue.printed)])
    identical = hashlib.sha256(pdf).hexdigest() == issue.sha256
    if issue.batch_id is None and not identical:
        raise RuntimeError(f"issue {issue.pk}: the reproduced PDF differs from the issued one")
    name = issue.file_name
    if issue.batch_id is not None:
        name = f"{issue.file_name.removesuffix('.pdf')}-p{issue.page_no}.pdf"
    return IssuedPdf(file_name=name, content=pdf, identical=identical)
