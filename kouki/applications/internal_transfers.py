"""Applications that go on paper to another department of the city (庁内送付): which are due, and marking
them sent once the transfer is recorded.

- 簡易申告 → 市民税課 (the assessment's transfer 2): the confirmed 簡易申告 of a month, in one 移転票.
- 高額介護合算療養費 → 介護保険課 (transfer 4): each confirmed application, one 移転票 each.

The transfer itself (the gate: registered, approved on both sides, items whitelisted; the 移転票 and its
TransferRecord) is kouki.transfers; kouki.applications and kouki.transfers sit side by side in the layers and
never import each other, so the command (kouki.commands.transfers_counter) calls `transfer_due` here, the
transfer there, and `applications_transferred` here inside the transfer's transaction (its `then` hook):
the applications are marked only if the 移転票 and its record commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from kouki.accounts.permissions import Perm
from kouki.applications.models import Application, ApplicationStep, Status, StepAction
from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.notifications.counter import CounterError, staff_with
from kouki.privacy.audit import AuditItem, audit_record_many
from kouki.privacy.context import Actor
from kouki.rules.applications import ApplicationKind, spec_of
from kouki.rules.wareki import format_wareki


@dataclass(frozen=True)
class DueTransfer:
    application_id: int
    application_no: str
    person_id: int


def transfer_due(kind: ApplicationKind, month: date) -> list[DueTransfer]:
    """The 再鑑済 applications of `kind` confirmed before the end of `month` and not yet sent to the
    department the kind names (earlier months' stragglers included), in 受付番号 order."""
    first = month.replace(day=1)
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    end = timezone.make_aware(datetime.combine(following, time.min))
    rows = Application.objects.filter(
        kind=kind.value, status=Status.CONFIRMED, transferred_on__isnull=True, confirmed_at__lt=end
    ).order_by("fiscal_year", "serial")
    return [DueTransfer(a.pk, a.application_no, a.person_id) for a in rows]


def applications_transferred(*, actor: Actor, application_ids: list[int], on: date, slip: str) -> int:
    """Mark the applications sent to their kind's department on `on` with the 移転票 `slip` (its file name):
    a step and an audit row each, in one transaction. Refused (CounterError) if any is no longer 再鑑済 or
    was sent already: then nothing is marked (and the caller's transfer rolls back with it)."""
    user = staff_with(actor, Perm.ENTER_APPLICATION, "庁内送付の記録")
    with transaction.atomic():
        rows = list(Application.objects.select_for_update().filter(pk__in=application_ids).order_by("pk"))
        if len(rows) != len(set(application_ids)):
            raise CounterError("application", "申請がありません")
        at = timezone.now()
        steps, audits = [], []
        for a in rows:
            to = spec_of(a.kind).transfer_to
            if not to or a.status != Status.CONFIRMED or a.transferred_on is not None:
                raise CounterError("status", f"{a.application_no}: 再鑑済で未送付の申請ではありません")
            a.transferred_to, a.transferred_on = to, on
            note = f"{to}へ送付({format_wareki(on)}) 移転票 {slip}"[:200]
            steps.append(ApplicationStep(application=a, action=StepAction.TRANSFERRED, actor=user,
                                         actor_name=actor.username, at=at, note=note))  # fmt: skip
            detail = {"no": a.application_no, "to": to, "on": on.isoformat(), "slip": slip}
            audits.append(AuditItem(action=AuditAction.APPLICATION_TRANSFER, target_id=str(a.pk),
                                    target_type=AuditTarget.APPLICATION, detail=detail))  # fmt: skip
        Application.objects.bulk_update(rows, ["transferred_to", "transferred_on"])
        ApplicationStep.objects.bulk_create(steps)
        audit_record_many(actor=actor, items=audits)
    return len(rows)
