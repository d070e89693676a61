"""Instalment plans between the rules and the tables: the rows of a planned plan (期別 numbered per
method) and the rules' plan of a stored one."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from kouki.assessment.models import Instalment as InstalmentRow
from kouki.assessment.models import InstalmentPlan
from kouki.rules import instalments as rules

INSTALMENT_FIELDS = ("plan_id", "method", "stage", "period", "month", "due_date", "amount")
PLAN_FIELDS = (
    "person_id", "fiscal_year", "assessment_id", "amount_due", "pension_deduction_starts", "direct_reason",
    "overpayment", "pension_stopped", "created_at", "created_by",
)  # fmt: skip


def instalment_values(items: Iterable[rules.Instalment]) -> list[tuple[object, ...]]:
    """INSTALMENT_FIELDS tuples without the plan id, in due-date order, 期別 numbered per method from 1."""
    direct = pension = 0
    out: list[tuple[object, ...]] = []
    for i in sorted(items, key=_due_order):
        method = str(i.method)  # a StrEnum's str() is its value
        if method == "direct":
            direct += 1
            period = direct
        else:
            pension += 1
            period = pension
        out.append((method, str(i.stage), period, i.month.iso(), i.due_date, i.amount))
    return out


def _due_order(i: rules.Instalment) -> tuple[date, str]:
    return (i.due_date, str(i.method))


def instalment_rows(plan: InstalmentPlan, items: Iterable[rules.Instalment]) -> list[InstalmentRow]:
    """The unsaved instalment rows of a saved plan."""
    return [
        InstalmentRow(**dict(zip(INSTALMENT_FIELDS, (plan.pk, *values), strict=True)))
        for values in instalment_values(items)
    ]


def stored_plan(plan: InstalmentPlan) -> rules.InstalmentPlan:
    """The rules' plan of a stored one (for re-planning and the change notice)."""
    items = tuple(
        rules.Instalment(
            rules.Method(r.method), rules.Stage(r.stage), rules.YearMonth.parse(r.month), r.due_date, r.amount
        )
        for r in plan.instalments.order_by("due_date", "method", "pk")
    )
    starts = rules.YearMonth.parse(plan.pension_deduction_starts) if plan.pension_deduction_starts else None
    reason = rules.DirectReason(plan.direct_reason) if plan.direct_reason else None
    return rules.InstalmentPlan(plan.fiscal_year, plan.amount_due, items, starts, reason, plan.overpayment)
