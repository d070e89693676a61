"""The month's move-ins: one 年金給付関係情報 inquiry for each person whose coverage began by moving in during
the month (issue 13 §2), run by a named inquiry clerk (`kouki inquiries move-ins`).

Each inquiry goes through `services.inquire` (permission, purpose 転入者の年金・所得の確認, 情報提供等記録,
the answer into the income). A person already answered since the month's first day is skipped, so a run that
stopped (the network was unreachable) is simply run again. A person without a personal number (no
団体内統合宛名番号, so no 符号) is counted and left for the counter.

Exactly once (issue 16 §3): each inquiry is its own unit — sent, then recorded in one transaction
(InquiryRecord, result, income, audit). Its 照会番号 is not random but derived (keyed with the secret key)
from the person, the month and the attempt (how many of this batch's records the person has for the
month), so a run killed after the 中間サーバ answered and before the record committed sends the same
照会番号 again on its re-run, and the 中間サーバ gives the answer it gave (`IntermediateServer.result`):
the answer is recorded once, the 中間サーバ provides once. A person refused is asked again by the next run
under a new 照会番号 (the next attempt), as before.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils import timezone
from django.utils.crypto import salted_hmac

from kouki.accounts.models import StaffUser
from kouki.core.faults import fault_point
from kouki.eligibility.selectors import move_in_person_ids
from kouki.inquiries.catalogue import InquiryKind
from kouki.inquiries.models import InquiryRecord, InquiryStatus
from kouki.inquiries.services import InvalidInquiry, inquire

SCREEN = "kouki inquiries move-ins"
ID_SALT = "kouki.inquiries.move-in"


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
    prefix = f"Q{first:%Y%m}-M"
    attempts = Counter(
        InquiryRecord.objects.filter(person_id__in=people, kind=InquiryKind.PENSION,
                                     request_id__startswith=prefix).values_list("person_id", flat=True)
    )  # fmt: skip
    fault_point("after-read", SCREEN)
    counts: Counter[str] = Counter()
    for person_id in people:
        if person_id in answered:
            counts["already"] += 1
            continue
        try:
            outcome = inquire(
                user=user, person_id=person_id, kind=InquiryKind.PENSION, purpose="move_in",
                screen=SCREEN, terminal_id=terminal_id,
                request_id=request_id(prefix, person_id, first, attempts[person_id]),
            )  # fmt: skip
        except InvalidInquiry as exc:
            if exc.field != "person":
                raise
            counts["no_number"] += 1
            continue
        counts[outcome.status] += 1
        counts["applied"] += outcome.applied
    return MoveInSummary(len(people), dict(counts))


def request_id(prefix: str, person_id: int, first: date, attempt: int) -> str:
    """The 照会番号 of the batch's `attempt`-th inquiry about the person for the month starting `first`:
    the same on a re-run, nothing of the person readable in it."""
    digest = salted_hmac(ID_SALT, f"{person_id}:{InquiryKind.PENSION}:{first}:{attempt}").hexdigest()
    return f"{prefix}{digest[:24]}"
