"""The month's move-ins: one 年金給付関係情報 inquiry for each person whose coverage began by moving in during
the month (issue 13 §2), run by a named inquiry clerk (`kouki inquiries move-ins`).

Each inquiry goes through `services.inquire` (permission, purpose 転入者の年金・所得の確認, 情報提供等記録,
the answer into the income). A person already answered since the month's first day is skipped, so a run that
stopped (the network was unreachable) is simply run again. A person without a personal number (no
団体内統合宛名番号, so no 符号) is counted and left for the counter.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils import timezone

from kouki.accounts.models import StaffUser
from kouki.eligibility.selectors import move_in_person_ids
from kouki.inquiries.catalogue import InquiryKind
from kouki.inquiries.models import InquiryRecord, InquiryStatus
from kouki.inquiries.services import InvalidInquiry, inquire

SCREEN = "kouki inquiries move-ins"


@dataclass(frozen=True)
class MoveInSummary:
    move_ins: int
    counts: dict[str, int]  # provided, applied, refused, already, no_number


def move_in_inquiries(*, user: StaffUser, first: date, last: date, terminal_id: str) -> MoveInSummary:
    people = move_in_person_ids(first, last)
    since = timezone.make_aware(datetime.combine(first, time.min))
    answered = set(
        InquiryRecord.objects.filter(
            person_id__in=people, kind=InquiryKind.PENSION, status=InquiryStatus.PROVIDED,
            requested_at__gte=since,
        ).values_list("person_id", flat=True)
    )
    counts: Counter[str] = Counter()
    for person_id in people:
        if person_id in answered:
            counts["already"] += 1
            continue
        try:
            outcome = inquire(
                user=user, person_id=person_id, kind=InquiryKind.PENSION, purpose="move_in",
                screen=SCREEN, terminal_id=terminal_id,
            )  # fmt: skip
        except InvalidInquiry as exc:
            if exc.field != "person":
                raise
            counts["no_number"] += 1
            continue
        counts[outcome.status] += 1
        counts["applied"] += outcome.applied
    return MoveInSummary(len(people), dict(counts))
