"""Three people of the demo worth looking at, and what the demo's database holds (for the summary)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count

from kouki.addressees.selectors import addressee_numbers, person_current
from kouki.assessment.models import InstalmentPlan
from kouki.collection.models import Channel, Receipt
from kouki.collection.selectors import open_overpayment, unpaid_instalments
from kouki.sandbox.demo_year.payers import Habit

PAYING = (Channel.COUNTER, Channel.STORE, Channel.DEBIT, Channel.PENSION)  # the channels the demo pays by


@dataclass(frozen=True)
class Example:
    what: str
    person_id: int
    addressee_no: str
    name: str


def examples(
    *,
    habits: dict[int, Habit],
    left_open: set[tuple[int, int]],
    notified_person_id: int,
    fiscal_year: int,
    on: date,
) -> list[Example]:
    owed: dict[int, int] = {}
    for u in unpaid_instalments(due_before=on):
        owed[u.person_id] = owed.get(u.person_id, 0) + u.unpaid
    # someone who does not pay at all if there is one, else whoever owes most
    worst = max(owed, key=lambda p: (habits.get(p) == Habit.NEVER, owed[p], -p)) if owed else None
    chosen = [("滞納のある人 (arrears)", worst)] if worst is not None else []
    over = sorted((open_overpayment(p, fy), -p) for p, fy in left_open if fy == fiscal_year)
    if over and over[-1][0] > 0:
        chosen.append(("過誤納金のある人 (an open overpayment)", -over[-1][1]))
    chosen.append(("再鑑待ちの届出がある人 (a notification awaiting 再鑑)", notified_person_id))
    numbers = addressee_numbers([p for _, p in chosen])
    out = []
    for what, pid in chosen:
        v = person_current(pid)
        name = f"{v.family_name} {v.given_name}" if v is not None else ""
        out.append(Example(what, pid, numbers[pid], name))
    return out


def holdings(fiscal_year: int) -> dict[str, int]:
    """Plans in force of the year and receipts (not cancelled) by channel."""
    counts = dict(
        Receipt.objects.filter(fiscal_year=fiscal_year, cancelled_at__isnull=True, channel__in=PAYING)
        .values_list("channel")
        .annotate(n=Count("pk"))
        .values_list("channel", "n")
    )
    plans = InstalmentPlan.objects.filter(fiscal_year=fiscal_year, superseded_at__isnull=True).count()
    return {"plans": plans, **{c.label: counts.get(c.value, 0) for c in PAYING}}
