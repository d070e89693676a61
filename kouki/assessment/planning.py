"""Writes of instalment plans (期割計画): planning from the assessment in force, re-planning after a 更正
and the bulk initial run. Every write records its audit rows in its transaction.

A re-plan changes what the collection ledger allocates against: `instalment_plan_replan` writes the
plans only, and its callers that keep the ledger call the re-allocation explicitly in the same
transaction (kouki.collection.replanning).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import connection, transaction
from django.utils import timezone

from kouki.assessment.gc_pause import gc_paused
from kouki.assessment.models import Assessment, InstalmentPlan
from kouki.assessment.models import Instalment as InstalmentRow
from kouki.assessment.plan_rows import INSTALMENT_FIELDS, PLAN_FIELDS, instalment_rows, stored_plan
from kouki.assessment.planning_config import PlanningError, city_rules, missing_months, planning_calendar
from kouki.assessment.planning_inputs import Due, gather, plan_of, previous_year
from kouki.assessment.planning_pool import planned_chunks
from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.core.db import db_datetime, insert_rows, reserve_ids
from kouki.privacy.audit import AuditItem, audit_record_many
from kouki.privacy.context import Actor
from kouki.rules import instalments as rules

CHUNK = 5000


def instalment_plan_create(
    *, actor: Actor, assessment_id: int, on: date, direct_months: Sequence[int] | None = None
) -> InstalmentPlan:
    """Plan the instalments of an assessment in force (one plan in force per person and year)."""
    city = city_rules(direct_months)
    a = Assessment.objects.get(pk=assessment_id)
    if a.superseded_at is not None:
        raise PlanningError(f"assessment {assessment_id}: superseded; plan the assessment in force")
    result = plan_of(Due.of(a), gather([a.person_id], a.fiscal_year), city)
    with transaction.atomic():
        if InstalmentPlan.objects.filter(
            person_id=a.person_id, fiscal_year=a.fiscal_year, superseded_at__isnull=True
        ).exists():
            raise PlanningError(f"person {a.person_id}: a plan for {a.fiscal_year} is already in force")
        plan = InstalmentPlan.objects.create(
            person_id=a.person_id, fiscal_year=a.fiscal_year, assessment=a, amount_due=result.annual_premium,
            pension_deduction_starts=result.pension_deduction_starts.iso() if result.pension_deduction_starts
            else "", direct_reason=result.direct_reason or "", overpayment=result.overpayment,
            created_at=timezone.now(), created_by=actor.username,
        )  # fmt: skip
        InstalmentRow.objects.bulk_create(instalment_rows(plan, result.instalments))
        audit_record_many(actor=actor, items=[AuditItem(
            AuditAction.INSTALMENT_PLAN_CREATE, AuditTarget.INSTALMENT_PLAN, str(plan.pk),
            {"assessment": a.pk, "fiscal_year": a.fiscal_year, "on": on.isoformat(),
             "instalments": len(result.instalments)},
        )])  # fmt: skip
    return plan


def instalment_plan_replan(
    *, actor: Actor, person_id: int, fiscal_year: int, new_assessment_id: int, on: date,
    direct_months: Sequence[int] | None = None,
) -> InstalmentPlan:  # fmt: skip
    """Re-plan after a 更正: instalments due on or before `on` are kept; the new plan supersedes the old
    one and carries the overpayment (過誤納金) and whether the pension deduction stopped.

    The plans only: the collection ledger is re-allocated by the caller in the same transaction
    (kouki.collection.replanning.instalment_plan_replan_and_reallocate)."""
    city = city_rules(direct_months)
    new = Assessment.objects.get(pk=new_assessment_id)
    if new.person_id != person_id or new.fiscal_year != fiscal_year:
        raise PlanningError(f"assessment {new_assessment_id}: not of person {person_id} for {fiscal_year}")
    with transaction.atomic():
        old = (
            InstalmentPlan.objects.select_for_update()
            .filter(person_id=person_id, fiscal_year=fiscal_year, superseded_at__isnull=True)
            .first()
        )
        if old is None:
            raise PlanningError(f"person {person_id}: no plan for {fiscal_year} to re-plan")
        try:
            result = rules.replan_after_reassessment(
                stored_plan(old), new_annual_premium=new.annual_premium + new.child_support_levy, as_of=on,
                rules=city, cal=planning_calendar(fiscal_year),
            )  # fmt: skip
        except rules.MissingParameter as exc:
            raise missing_months(exc) from None
        now = timezone.now()
        old.superseded_at = now
        old.save(update_fields=["superseded_at"])
        plan = InstalmentPlan.objects.create(
            person_id=person_id, fiscal_year=fiscal_year, assessment=new,
            amount_due=new.annual_premium + new.child_support_levy,
            pension_deduction_starts="" if result.pension_stopped else old.pension_deduction_starts,
            direct_reason=old.direct_reason, overpayment=result.overpayment,
            pension_stopped=result.pension_stopped, replanned_on=on, replaces=old, created_at=now,
            created_by=actor.username,
        )  # fmt: skip
        InstalmentRow.objects.bulk_create(instalment_rows(plan, result.instalments))
        audit_record_many(actor=actor, items=[AuditItem(
            AuditAction.INSTALMENT_PLAN_REPLAN, AuditTarget.INSTALMENT_PLAN, str(plan.pk),
            {"replaces": old.pk, "assessment": new.pk, "on": on.isoformat(),
             "overpayment": result.overpayment, "pension_stopped": result.pension_stopped},
        )])  # fmt: skip
    return plan


def instalment_plan_to_direct(
    *, actor: Actor, person_id: int, fiscal_year: int, not_deducted: Sequence[str], on: date,
    direct_months: Sequence[int] | None = None,
) -> InstalmentPlan:  # fmt: skip
    """Move the person to direct payment after the union reported the pension deductions of the
    `not_deducted` months (YYYY-MM) as not made (kouki.rules.instalments.replan.replan_to_direct): a new
    plan of the same assessment supersedes the one in force.

    The plans only: the ledger is re-allocated by the caller in the same transaction
    (kouki.collection.replanning.pension_conversion_replan)."""
    city = city_rules(direct_months)
    try:
        months = [rules.YearMonth.parse(m) for m in not_deducted]
    except ValueError as exc:
        raise PlanningError(f"not_deducted: {exc}") from None
    with transaction.atomic():
        old = (
            InstalmentPlan.objects.select_for_update()
            .filter(person_id=person_id, fiscal_year=fiscal_year, superseded_at__isnull=True)
            .first()
        )
        if old is None:
            raise PlanningError(f"person {person_id}: no plan for {fiscal_year} to move to direct payment")
        try:
            result = rules.replan_to_direct(
                stored_plan(old), not_deducted=months, as_of=on, rules=city,
                cal=planning_calendar(fiscal_year),
            )
        except rules.MissingParameter as exc:
            raise missing_months(exc) from None
        except rules.InstalmentError as exc:
            raise PlanningError(str(exc)) from None
        now = timezone.now()
        old.superseded_at = now
        old.save(update_fields=["superseded_at"])
        still_deducted = any(i.method is rules.Method.PENSION and i.due_date > on for i in result.instalments)
        plan = InstalmentPlan.objects.create(
            person_id=person_id, fiscal_year=fiscal_year, assessment_id=old.assessment_id,
            amount_due=old.amount_due,
            pension_deduction_starts=old.pension_deduction_starts if still_deducted else "",
            direct_reason=rules.DirectReason.NOT_DEDUCTED, overpayment=old.overpayment,
            pension_stopped=old.pension_stopped or result.pension_stopped, replanned_on=on, replaces=old,
            created_at=now,
        )  # fmt: skip
        rows = instalment_rows(plan, result.instalments)
        # the pension instalments that stay keep their 期別 (they name the claims: limitation, receipts)
        periods = dict(old.instalments.filter(method=rules.Method.PENSION).values_list("month", "period"))
        for row in rows:
            if row.method == rules.Method.PENSION:
                row.period = periods[row.month]
        InstalmentRow.objects.bulk_create(rows)
        audit_record_many(actor=actor, items=[AuditItem(
            AuditAction.INSTALMENT_PLAN_TO_DIRECT, AuditTarget.INSTALMENT_PLAN, str(plan.pk),
            {"replaces": old.pk, "not_deducted": sorted(not_deducted), "on": on.isoformat(),
             "pension_stopped": result.pension_stopped},
        )])  # fmt: skip
    return plan


def instalment_plans_initial_created(
    *, actor: Actor, fiscal_year: int, on: date, direct_months: Sequence[int] | None = None,
    chunk: int = CHUNK, workers: int = 1,
) -> list[int]:  # fmt: skip
    """Plan every assessment in force for the year that has no plan in force; returns the new plan ids.
    One transaction; bulk inserts and one audit row per chunk.

    Bulk reads: the assessments to plan in one query, each planning input in one query with those people
    as a subquery (no id lists sent to the database); plans and instalments are written with
    insert_rows (COPY on PostgreSQL) on ids reserved up front. workers > 1: the planning itself (pure)
    runs in that many forked processes (kouki.assessment.planning_pool); reading and writing stay here,
    in the one transaction."""
    city = city_rules(direct_months)
    created: list[int] = []
    with gc_paused(), transaction.atomic():
        planned = InstalmentPlan.objects.filter(fiscal_year=fiscal_year, superseded_at__isnull=True)
        todo = Assessment.objects.filter(fiscal_year=fiscal_year, superseded_at__isnull=True).exclude(
            person_id__in=planned.values("person_id")
        )
        due = [
            Due(pk, person, fy, premium + child)
            for pk, person, fy, premium, child in todo.order_by("pk").values_list(
                "pk", "person_id", "fiscal_year", "annual_premium", "child_support_levy"
            )
        ]
        if not due:
            return created
        inputs = gather(todo.values("person_id"), fiscal_year, previous_year(fiscal_year, None))
        now = db_datetime(timezone.now())
        for batch, made in planned_chunks(due, inputs, city, chunk, workers):
            ids = reserve_ids(InstalmentPlan, len(batch))
            insert_rows(InstalmentPlan, ("id", *PLAN_FIELDS), [
                (plan_id, a.person_id, fiscal_year, a.pk, amount, starts, reason, overpayment, False, now,
                 actor.username)
                for plan_id, a, (amount, starts, reason, overpayment, _) in zip(
                    ids, batch, made, strict=True)
            ])  # fmt: skip
            rows: list[tuple[object, ...]] = []
            for plan_id, p in zip(ids, made, strict=True):
                rows.extend((plan_id, *row) for row in p[4])
            insert_rows(InstalmentRow, INSTALMENT_FIELDS, rows)
            audit_record_many(actor=actor, items=[AuditItem(
                AuditAction.INSTALMENT_PLANS_INITIAL, AuditTarget.INSTALMENT_PLAN, f"{min(ids)}-{max(ids)}",
                {"fiscal_year": fiscal_year, "on": on.isoformat(), "plans": len(ids),
                 "instalments": len(rows)},
            )])  # fmt: skip
            created.extend(ids)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # fresh statistics for the notice-data reads that follow
                cursor.execute(f"ANALYZE {InstalmentPlan._meta.db_table}, {InstalmentRow._meta.db_table}")
    return created


def instalment_plans_initial(
    *, actor: Actor, fiscal_year: int, on: date, direct_months: Sequence[int] | None = None
) -> int:
    """How many plans `instalment_plans_initial_created` made (0 on a second run)."""
    return len(
        instalment_plans_initial_created(
            actor=actor, fiscal_year=fiscal_year, on=on, direct_months=direct_months
        )
    )
