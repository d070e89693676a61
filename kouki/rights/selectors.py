"""Reading the 受付票 (SEC-38): search for the screens, counts for the monthly review report (issue 15 §1)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from kouki.rights.models import PrivacyInquiry


@dataclass(frozen=True)
class InquirySearch:
    received_from: date | None = None
    received_to: date | None = None
    status: str = ""
    channel: str = ""
    kind: str = ""
    text: str = ""  # in 受付番号, 件名, 内容, 回答, 申出者氏名


def _start(d: date) -> datetime:
    return timezone.make_aware(datetime.combine(d, time.min))


def privacy_inquiries_search(search: InquirySearch) -> QuerySet[PrivacyInquiry]:
    q = PrivacyInquiry.objects.select_related("received_by", "answered_by", "person")
    if search.received_from:
        q = q.filter(received_at__gte=_start(search.received_from))
    if search.received_to:
        q = q.filter(received_at__lt=_start(search.received_to + timedelta(days=1)))
    for field in ("status", "channel", "kind"):
        value = getattr(search, field)
        if value:
            q = q.filter(**{field: value})
    if search.text.strip():
        t = search.text.strip()
        q = q.filter(Q(receipt_no__icontains=t) | Q(subject__icontains=t) | Q(content__icontains=t)
                     | Q(answer__icontains=t) | Q(requester_name__icontains=t))
    return q.order_by("-received_at", "-pk")


def privacy_inquiry(inquiry_id: int) -> PrivacyInquiry | None:
    return (PrivacyInquiry.objects.select_related("received_by", "answered_by", "person")
            .filter(pk=inquiry_id).first())


@dataclass(frozen=True)
class InquiryCounts:
    total: int
    by_kind: dict[str, int]
    by_channel: dict[str, int]
    open_at_end: int  # not completed by the end of the period


def privacy_inquiry_counts(first: date, last: date) -> InquiryCounts:
    """What the monthly review report counts: the 受付票 received in [first, last]."""
    rows = list(PrivacyInquiry.objects.filter(received_at__gte=_start(first),
                                              received_at__lt=_start(last + timedelta(days=1)))
                .values_list("kind", "channel", "closed_at"))
    end = _start(last + timedelta(days=1))
    return InquiryCounts(
        total=len(rows),
        by_kind=dict(Counter(k for k, _, _ in rows)),
        by_channel=dict(Counter(c for _, c, _ in rows)),
        open_at_end=sum(1 for _, _, closed in rows if closed is None or closed >= end),
    )
