"""The monthly review of payment pledges (分納誓約の履行確認) as a worklist: every active pledge with a
pledged date already passed, with what it would become on the day (kouki.rules.arrears.pledge_state on
the person's receipts since the pledge), and the pledges already found broken (to follow up: contact,
a new pledge). Reads only; kouki.arrears.services.pledges_review writes the statuses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Max

from kouki.arrears.models import PaymentPledge, PledgeStatus
from kouki.collection.selectors import receipts_of
from kouki.rules import arrears as rules


@dataclass(frozen=True)
class PledgeReviewRow:
    pledge_id: int
    person_id: int
    made_on: date
    status: str  # stored: active / kept / broken
    status_on: date | None  # when the stored status was found
    state: str  # what a review on the day finds (rules.PledgeState)
    pledged: int  # everything pledged
    due_so_far: int  # pledged on dates before the day
    paid_so_far: int  # paid since the pledge, before the day
    last_passed: date | None  # the latest pledged date before the day
    next_due: date | None  # the first pledged date on or after the day

    @property
    def shortfall(self) -> int:
        return max(0, self.due_so_far - self.paid_so_far)

    @property
    def changes(self) -> bool:
        """A review on the day would change the stored status."""
        return self.status == PledgeStatus.ACTIVE and self.state != PledgeStatus.ACTIVE


def _row(pledge: PaymentPledge, on: date) -> PledgeReviewRow:
    schedule = sorted((s.due_on, s.amount) for s in pledge.schedule.all())
    receipts = receipts_of(pledge.person_id, paid_from=pledge.made_on, paid_to=on)
    paid = [(r.paid_on, r.amount) for r in receipts]
    passed = [(d, a) for d, a in schedule if d < on]
    upcoming = [d for d, _ in schedule if d >= on]
    state = rules.pledge_state(schedule, paid, on) if pledge.status == PledgeStatus.ACTIVE else pledge.status
    return PledgeReviewRow(
        pledge_id=pledge.pk, person_id=pledge.person_id, made_on=pledge.made_on, status=pledge.status,
        status_on=pledge.status_on, state=str(state), pledged=sum(a for _, a in schedule),
        due_so_far=sum(a for _, a in passed), paid_so_far=sum(a for d, a in paid if d < on),
        last_passed=passed[-1][0] if passed else None, next_due=upcoming[0] if upcoming else None,
    )


def pledges_for_review(on: date) -> list[PledgeReviewRow]:
    """Active pledges with a pledged date before `on`, and broken pledges not followed by a newer pledge of
    the person; those a review would change
    (or already broken) first, then by the oldest passed date."""
    pledges = (
        PaymentPledge.objects.filter(status__in=[PledgeStatus.ACTIVE, PledgeStatus.BROKEN])
        .filter(schedule__due_on__lt=on).distinct().prefetch_related("schedule").order_by("pk")
    )
    rows = [_row(p, on) for p in pledges]
    latest = dict(PaymentPledge.objects.filter(person_id__in={r.person_id for r in rows})
                  .values("person_id").annotate(last=Max("pk")).values_list("person_id", "last"))
    # a broken pledge followed by a newer pledge of the person has been dealt with
    rows = [r for r in rows if r.status != PledgeStatus.BROKEN or latest.get(r.person_id) == r.pledge_id]
    return sorted(rows, key=lambda r: (not r.changes, r.status != PledgeStatus.BROKEN,
                                       r.last_passed or r.made_on, r.pledge_id))
