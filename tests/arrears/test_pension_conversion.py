"""普通徴収への切替 in one action (issue 11 §3): after the union reported a pension deduction as not made,
the worklist action re-plans the year (the instalment not deducted and the deductions the stop can still
reach become direct instalments), re-allocates the ledger, supersedes the old slips, issues the new plan's
slips and closes the items — all or nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import override_settings
from django.utils import timezone

from arrears.helpers import ACTOR, pension_person
from kouki.arrears.models import ConversionStatus, NonDeductionReason, PensionNonDeduction
from kouki.arrears.pension_conversion import pension_conversion_done
from kouki.arrears.selectors import arrears_list, pension_awaiting
from kouki.arrears.services import ArrearsError
from kouki.assessment.models import Instalment, InstalmentPlan
from kouki.collection.models import Channel
from kouki.collection.selectors import instalment_statuses, ledger
from kouki.collection.services import ReceiptInput, receipt_record
from kouki.interfaces.models import ImportRecord
from kouki.privacy.models import AuditEntry
from kouki.slips.models import PaymentSlip

FY = 2025
ON = date(2025, 10, 27)
SETTINGS = {"KOUKI_PENSION_STOP_LEAD_MONTHS": "2", "KOUKI_DIRECT_MONTHS": "7,8,9,10,11,12,1,2,3"}


def deduct(person_id: int, row: Instalment) -> None:
    item = ReceiptInput(person_id, FY, Channel.PENSION, row.amount, row.due_date, row.pk,
                        f"特徴{row.month.replace('-', '')}")
    receipt_record(actor=ACTOR, item=item, on=row.due_date)


def report(row: Instalment) -> PensionNonDeduction:
    record = ImportRecord.objects.create(
        kind="union_pension_result", file_name="r.txt", sha256=f"{row.pk:064d}", status="applied",
        line_count=1, applied_count=1, imported_at=timezone.now(), imported_by=ACTOR.username)  # fmt: skip
    return PensionNonDeduction.objects.create(
        instalment=row, person_id=row.plan.person_id, fiscal_year=FY, pension_month=row.month,
        reason=NonDeductionReason.DEATH, import_record=record, recorded_at=timezone.now())  # fmt: skip


def rows_of(person_id: int) -> list[Instalment]:
    return list(Instalment.objects.filter(plan__person_id=person_id, plan__superseded_at__isnull=True)
                .order_by("due_date", "method"))  # fmt: skip


@pytest.mark.django_db
@override_settings(**SETTINGS)
def test_one_action_re_plans_re_allocates_issues_the_slips_and_closes_the_item() -> None:
    person, plan = pension_person(90_000)
    pension = [r for r in rows_of(person.pk) if r.method == "pension"]
    assert [r.month for r in pension] == ["2025-04", "2025-06", "2025-08", "2025-10", "2025-12", "2026-02"]
    for row in pension[:3]:
        deduct(person.pk, row)
    october = pension[3]
    item = report(october)
    assert [r.person_id for r in arrears_list(ON)] == [person.pk]
    done = pension_conversion_done(actor=ACTOR, item_id=item.pk, on=ON)

    item.refresh_from_db()
    assert item.status == ConversionStatus.DONE and item.resolved_on == ON
    new_plan = InstalmentPlan.objects.get(pk=done.plan_id)
    assert new_plan.superseded_at is None and new_plan.replaces_id == plan.pk
    assert new_plan.direct_reason == "not_deducted" and new_plan.amount_due == plan.amount_due
    new_rows = rows_of(person.pk)
    assert [r.month for r in new_rows if r.method == "pension"] == ["2025-04", "2025-06", "2025-08"]
    direct = [r for r in new_rows if r.method == "direct"]
    moved = sum(r.amount for r in pension[3:])
    assert sum(r.amount for r in direct) == moved and all(r.due_date > ON for r in direct)
    assert [r.month for r in direct] == ["2025-11", "2025-12", "2026-01", "2026-02", "2026-03"]
    # the ledger: the deductions made stay paid, what was moved is owed directly, nothing is past due
    statuses = instalment_statuses(person.pk, FY)
    assert sum(s.paid for s in statuses) == sum(r.amount for r in pension[:3])
    assert sum(s.unpaid for s in statuses) == moved and ledger(person.pk, FY).balances
    assert arrears_list(ON) == [] and pension_awaiting(ON) == []
    # the slips of the new direct instalments, one each
    slips = list(PaymentSlip.objects.filter(pk__in=done.slip_ids).order_by("due_date"))
    assert [s.instalment_id for s in slips] == [r.pk for r in direct]
    assert [s.amount for s in slips] == [r.amount for r in direct]
    assert AuditEntry.objects.filter(action="instalment_plan_to_direct", target_id=str(new_plan.pk)).exists()
    assert AuditEntry.objects.filter(action="pension_conversion_done", target_id=str(item.pk)).exists()
    assert AuditEntry.objects.filter(action="slip_issue").count() == len(slips)
    with pytest.raises(ArrearsError, match="すでに処理済み"):
        pension_conversion_done(actor=ACTOR, item_id=item.pk, on=ON)


@pytest.mark.django_db
@override_settings(**SETTINGS)
def test_the_old_plans_slips_are_superseded() -> None:
    """A person already paying partly directly: the direct slips of the replaced plan lose force."""
    from kouki.slips.services import slips_issue

    person, plan = pension_person(90_000)
    pension = [r for r in rows_of(person.pk) if r.method == "pension"]
    for row in pension[:3]:
        deduct(person.pk, row)
    Instalment.objects.filter(pk=pension[5].pk).update(method="direct", stage="direct", period=1,
                                                        month="2026-02")  # (a direct instalment to slip)
    (old_slip,) = slips_issue(actor=ACTOR, on=ON, plan_id=plan.pk)
    item = report(pension[3])
    done = pension_conversion_done(actor=ACTOR, item_id=item.pk, on=ON)
    old_slip.refresh_from_db()
    assert old_slip.superseded_at is not None and done.superseded_slip_ids == (old_slip.pk,)
    assert PaymentSlip.objects.filter(superseded_at__isnull=True).count() == len(done.slip_ids)


@pytest.mark.django_db
@override_settings(KOUKI_DIRECT_MONTHS="7,8,9,10,11,12,1,2,3")
def test_without_the_stop_lead_nothing_changes() -> None:
    person, plan = pension_person(90_000)
    pension = [r for r in rows_of(person.pk) if r.method == "pension"]
    item = report(pension[3])
    with pytest.raises(ArrearsError, match=r"pension_stop_lead_months|KOUKI_PENSION_STOP_LEAD_MONTHS"):
        pension_conversion_done(actor=ACTOR, item_id=item.pk, on=ON)
    item.refresh_from_db()
    assert item.status == ConversionStatus.OPEN
    assert InstalmentPlan.objects.get(person=person, superseded_at__isnull=True).pk == plan.pk
    assert not PaymentSlip.objects.exists()


@pytest.mark.django_db
@override_settings(**SETTINGS)
def test_a_deduction_the_stop_cannot_reach_stays_with_its_period() -> None:
    """Converted on 11-01 with a lead of 2: December's deduction can no longer be stopped and stays, as
    第5期 (its claim keeps its name); October and February are paid directly."""
    person, _plan = pension_person(90_000)
    pension = [r for r in rows_of(person.pk) if r.method == "pension"]
    item = report(pension[3])
    pension_conversion_done(actor=ACTOR, item_id=item.pk, on=date(2025, 11, 1))
    kept = [(r.month, r.period) for r in rows_of(person.pk) if r.method == "pension"]
    assert kept == [("2025-04", 1), ("2025-06", 2), ("2025-08", 3), ("2025-12", 5)]
    direct = [r for r in rows_of(person.pk) if r.method == "direct"]
    assert sum(r.amount for r in direct) == pension[3].amount + pension[5].amount
