"""普通徴収への切替 after a 特別徴収 non-deduction (issue 11 §3; ADR 0011 decision 6): one action re-plans
the person's year to direct payment, re-allocates the ledger, supersedes the replaced plan's slips,
issues the new plan's slips and closes the worklist items. Before, closing the item was all it did."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction

from kouki.arrears.models import ConversionStatus, PensionNonDeduction
from kouki.arrears.services import ArrearsError
from kouki.assessment.planning_config import PlanningError
from kouki.collection.replanning import pension_conversion_replan
from kouki.collection.state import CollectionError
from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.privacy.audit import AuditItem, audit_record_many
from kouki.privacy.context import Actor
from kouki.slips.services import SlipError, slips_issue, slips_supersede_replaced


@dataclass(frozen=True)
class PensionConversion:
    """What moving a person to direct payment did: the worklist items closed (the person's open items
    of that year), the new plan and the new slips (納付書) of its direct instalments."""

    item_ids: tuple[int, ...]
    plan_id: int
    slip_ids: tuple[int, ...]
    superseded_slip_ids: tuple[int, ...]


def pension_conversion_done(
    *, actor: Actor, item_id: int, on: date, direct_months: Sequence[int] | None = None
) -> PensionConversion:
    """普通徴収への切替 in one action (issue 11 §3): the instalments reported not deducted (every open item
    of the person's year) and the pension deductions the stop can still reach become direct instalments
    (kouki.collection.replanning.pension_conversion_replan: re-plan and re-allocation), the slips of the
    replaced plan are superseded and the new plan's slips issued, and the items are closed. All or
    nothing; each step writes its audit rows."""
    with transaction.atomic():
        item = PensionNonDeduction.objects.select_for_update().filter(pk=item_id).first()
        if item is None:
            raise ArrearsError("この作業リストの項目は見つかりません。一覧を開き直してください")
        if item.status != ConversionStatus.OPEN:
            raise ArrearsError("この項目はすでに処理済みです")
        items = list(PensionNonDeduction.objects.select_for_update().filter(
            person_id=item.person_id, fiscal_year=item.fiscal_year, status=ConversionStatus.OPEN,
        ).order_by("pension_month", "pk"))  # fmt: skip
        months = sorted({i.pension_month for i in items})
        try:
            plan = pension_conversion_replan(
                actor=actor, person_id=item.person_id, fiscal_year=item.fiscal_year, not_deducted=months,
                on=on, direct_months=direct_months,
            )  # fmt: skip
        except (PlanningError, CollectionError) as exc:
            raise ArrearsError(f"普通徴収へ切り替えられませんでした: {exc}") from None
        stale = slips_supersede_replaced(actor=actor, person_id=item.person_id, fiscal_year=item.fiscal_year)
        try:
            slips = slips_issue(actor=actor, on=on, plan_id=plan.pk)
        except SlipError as exc:
            raise ArrearsError(f"新しい期割の納付書を発行できませんでした: {exc}") from None
        for i in items:
            i.status, i.resolved_by, i.resolved_on = ConversionStatus.DONE, actor.username, on
        PensionNonDeduction.objects.bulk_update(items, ["status", "resolved_by", "resolved_on"])
        audit_record_many(actor=actor, items=[AuditItem(
            AuditAction.PENSION_CONVERSION_DONE, AuditTarget.ARREARS_PENSION_NON_DEDUCTION, str(i.pk),
            {"on": on.isoformat(), "plan": plan.pk, "months": months, "slips": [sl.pk for sl in slips]},
        ) for i in items])  # fmt: skip
    return PensionConversion(tuple(i.pk for i in items), plan.pk, tuple(sl.pk for sl in slips), tuple(stale))
