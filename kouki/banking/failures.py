"""Failed debits (振替不能) become payment slips: the worklist of FailedDebit rows without a slip, and the
call into kouki.slips that issues them (an instalment that already has a slip in force keeps it)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import transaction
from django.utils import timezone

from kouki.banking.models import FailedDebit
from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.privacy.audit import AuditItem, audit_record_many
from kouki.privacy.context import Actor


def slips_for_instalments(*, actor: Actor, on: date, items: Sequence[tuple[int, int, int]]) -> dict[int, int]:
    """instalment id → the id of its payment slip in force, issuing the missing ones, for items
    (instalment, person, fiscal year). {} when the slips app is not there or refuses (the failures then
    wait in the worklist)."""
    if not items:
        return {}
    try:
        from kouki.slips.selectors import slips_of_person
        from kouki.slips.services import SlipError, slips_issue
    except ImportError:  # the slips app is not installed
        return {}
    from kouki.assessment.selectors import instalments_in_force

    current = instalments_in_force(i for i, _p, _fy in items)  # a replaced instalment waits in the worklist
    items = [item for item in items if item[0] in current]
    if not items:
        return {}
    slip_of: dict[int, int] = {}
    try:
        for slip in slips_issue(actor=actor, on=on, instalment_ids=sorted({i for i, _p, _fy in items})):
            slip_of[slip.instalment_id] = slip.pk
    except SlipError:
        return {}
    for instalment, person, fy in items:  # already had a slip in force: link that one
        if instalment not in slip_of:
            for ref in slips_of_person(person, fy):
                slip_of.setdefault(ref.instalment_id, ref.slip_id)
    return slip_of


def issue_slips(*, actor: Actor, on: date, line_ids: Sequence[int] | None = None) -> int:
    """Worklist: issue the slips of failed debits still without one (all, or those of the given request
    lines); returns how many failures now name a slip. Failures whose instalment was replaced by a
    re-plan, or that the slips app refuses, stay in the worklist."""
    with transaction.atomic():
        todo = FailedDebit.objects.select_for_update().filter(
            slip_id__isnull=True, instalment_id__isnull=False
        )
        if line_ids is not None:
            todo = todo.filter(line_id__in=list(line_ids))
        rows = list(todo.values_list("pk", "instalment_id", "person_id", "line__fiscal_year"))
        slip_of = slips_for_instalments(actor=actor, on=on, items=[(i, p, fy) for _pk, i, p, fy in rows])
        linked = [(pk, slip_of[i]) for pk, i, _p, _fy in rows if i in slip_of]
        now = timezone.now()
        for pk, slip_id in linked:
            FailedDebit.objects.filter(pk=pk).update(slip_id=slip_id, slip_issued_at=now)
        if rows:
            audit_record_many(actor=actor, items=[AuditItem(
                AuditAction.FAILED_DEBIT_SLIPS, AuditTarget.FAILED_DEBIT,
                f"{min(r[0] for r in rows)}-{max(r[0] for r in rows)}",
                {"failures": len(rows), "slips": len(linked), "on": on.isoformat()},
            )])  # fmt: skip
    return len(linked)


def failed_debits(*, pending_only: bool = False, person_id: int | None = None) -> list[FailedDebit]:
    """The failed debits (newest first); pending_only: those still waiting for a slip (worklist)."""
    qs = FailedDebit.objects.order_by("-debit_date", "pk")
    if pending_only:
        qs = qs.filter(slip_id__isnull=True)
    if person_id is not None:
        qs = qs.filter(person_id=person_id)
    return list(qs)


def debit_failed(instalment_ids: Sequence[int]) -> dict[int, str]:
    """instalment id → the reason of its latest failed debit (for screens and reminders)."""
    out: dict[int, str] = {}
    for instalment, reason in (
        FailedDebit.objects.filter(instalment_id__in=list(instalment_ids))
        .order_by("debit_date", "pk")
        .values_list("instalment_id", "reason")
    ):
        if instalment is not None:
            out[instalment] = reason
    return out
