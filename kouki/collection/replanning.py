"""A re-plan after a 更正 together with the ledger: the new instalment plan (kouki.assessment.planning)
and the re-allocation of the fiscal year's receipts against it (`reallocate`), in one transaction.

The call is explicit here because collection sits above assessment (collection reads its plans and
instalments; assessment imports nothing of collection). Whoever re-plans a plan that the ledger
allocates against calls these functions, not kouki.assessment.planning.instalment_plan_replan alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import transaction

from kouki.assessment.models import InstalmentPlan
from kouki.assessment.planning import instalment_plan_replan, instalment_plan_to_direct
from kouki.assessment.selectors import replans_due
from kouki.collection.services import reallocate
from kouki.privacy.context import Actor


def instalment_plan_replan_and_reallocate(
    *, actor: Actor, person_id: int, fiscal_year: int, new_assessment_id: int, on: date,
    direct_months: Sequence[int] | None = None,
) -> InstalmentPlan:  # fmt: skip
    """Re-plan after a 更正 and allocate the year's receipts again to the new plan; a reduction below
    what was paid becomes an overpayment (過誤納, cause 減額更正). Both or neither are written."""
    with transaction.atomic():
        plan = instalment_plan_replan(
            actor=actor, person_id=person_id, fiscal_year=fiscal_year, new_assessment_id=new_assessment_id,
            on=on, direct_months=direct_months,
        )  # fmt: skip
        reallocate(actor=actor, person_id=person_id, fiscal_year=fiscal_year, on=on)
    return plan


def instalment_plans_replan_due(
    *, actor: Actor, fiscal_year: int, on: date, direct_months: Sequence[int] | None = None
) -> list[int]:
    """Re-plan (and re-allocate) every plan in force whose assessment was superseded by a newer one;
    the new plan ids. One transaction per person."""
    out: list[int] = []
    for person_id, assessment_id in replans_due(fiscal_year):
        plan = instalment_plan_replan_and_reallocate(
            actor=actor, person_id=person_id, fiscal_year=fiscal_year, new_assessment_id=assessment_id,
            on=on, direct_months=direct_months,
        )  # fmt: skip
        out.append(plan.pk)
    return out


def pension_conversion_replan(
    *, actor: Actor, person_id: int, fiscal_year: int, not_deducted: Sequence[str], on: date,
    direct_months: Sequence[int] | None = None,
) -> InstalmentPlan:  # fmt: skip
    """Move the person to direct payment after pension deductions were reported not made
    (kouki.assessment.planning.instalment_plan_to_direct) and allocate the year's receipts again to
    the new plan. Both or neither are written."""
    with transaction.atomic():
        plan = instalment_plan_to_direct(
            actor=actor, person_id=person_id, fiscal_year=fiscal_year, not_deducted=not_deducted, on=on,
            direct_months=direct_months,
        )  # fmt: skip
        reallocate(actor=actor, person_id=person_id, fiscal_year=fiscal_year, on=on)
    return plan
