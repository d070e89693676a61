"""The data of the notices of instalment plans: 保険料額決定通知書 (initial plans, in bulk) and 変更通知
(re-plans), read from the stored plans, assessments, people and incomes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet

from kouki.addressees.models import Person, PersonVersion
from kouki.assessment.gc_pause import gc_paused
from kouki.assessment.models import Instalment as InstalmentRow
from kouki.assessment.models import InstalmentPlan
from kouki.assessment.notice_breakdown import (
    FIGURE_FIELDS,
    AssessmentFigures,
    CapFacts,
    Revenue,
    breakdown_from_assessment,
    premium_parameters,
)
from kouki.assessment.notice_lines import NoticeLines
from kouki.assessment.plan_rows import stored_plan
from kouki.assessment.planning_config import PlanningError
from kouki.core.db import chunked
from kouki.documents.data import default_insurer_name, default_issuer
from kouki.documents.premium_data import (
    Addressee,
    PremiumChangeNoticeData,
    PremiumNoticeData,
    instalment_lines,
)
from kouki.eligibility.models import InsuredPeriod
from kouki.income.models import IncomeRecord
from kouki.rules.eligibility import birthday
from kouki.rules.union_codes import AcquisitionReason, LossReason

NOTICE_CHUNK = 20_000


@dataclass(frozen=True)
class _People:
    addressee: dict[int, Addressee]
    birth: dict[int, date]
    income: dict[int, Revenue]
    cap_facts: dict[int, CapFacts]


def _cap_facts(
    person_ids: Sequence[int] | QuerySet[Any], fiscal_year: int, birth: dict[int, date]
) -> dict[int, CapFacts]:
    """(insured by 障害認定, left the area after turning 75) of the people, from the insured periods in
    force touching the fiscal year — only in a year with a transitional cap (FY2024); else empty."""
    if premium_parameters(fiscal_year).transitional_cap is None:
        return {}
    out: dict[int, CapFacts] = {}
    for pid, acquired, reason, lost, loss in InsuredPeriod.objects.filter(
        person_id__in=person_ids, superseded_at__isnull=True, acquired_on__lt=date(fiscal_year + 1, 4, 1),
    ).exclude(lost_on__lte=date(fiscal_year, 4, 1)).values_list(
        "person_id", "acquired_on", "acquisition_reason", "lost_on", "loss_reason"
    ):  # fmt: skip
        disability, left = out.get(pid, (False, False))
        turned_75 = birthday(birth[pid], 75) if pid in birth else None
        moved_after_75 = (
            loss == LossReason.MOVE_OUT and turned_75 is not None and lost is not None
            and acquired <= turned_75 < lost
        )  # fmt: skip
        out[pid] = (disability or reason == AcquisitionReason.DISABILITY, left or moved_after_75)
    return out


def _people(person_ids: Sequence[int] | QuerySet[Any], fiscal_year: int) -> _People:
    """Addressee, birth date and revenues of the people (ids, or a values("person_id") subquery)."""
    numbers = dict(Person.objects.filter(pk__in=person_ids).values_list("pk", "addressee_no"))
    addressee: dict[int, Addressee] = {}
    birth: dict[int, date] = {}
    for pid, fam, given, postal, address, born in PersonVersion.objects.filter(
        person_id__in=person_ids, is_current=True
    ).values_list("person_id", "family_name", "given_name", "postal_code", "address", "birth_date"):
        addressee[pid] = Addressee(numbers[pid], fam, given, postal, address)
        birth[pid] = born
    income = {
        pid: (pension, salary, other)
        for pid, pension, salary, other in IncomeRecord.objects.filter(
            person_id__in=person_ids, income_year=fiscal_year - 1
        ).values_list("person_id", "public_pension_revenue", "salary_revenue", "other_income")
    }
    return _People(addressee, birth, income, _cap_facts(person_ids, fiscal_year, birth))


def _id_filter(field: str, ids: Sequence[int]) -> dict[str, object]:
    """A range for (nearly) contiguous ids, such as a bulk run's plans (an index range scan); else IN."""
    lo, hi = min(ids), max(ids)
    if hi - lo < 2 * len(ids):
        return {f"{field}__gte": lo, f"{field}__lte": hi}
    return {f"{field}__in": list(ids)}


def premium_notice_data(plan_ids: Sequence[int], *, issued_on: date) -> list[PremiumNoticeData]:
    """保険料額決定通知書 data of the plans, in the given order.

    Per chunk of plans: one query for the plans with their assessments, one for their instalments
    and one each for the people's numbers, current versions and incomes (a bulk run's plan ids are
    contiguous: id ranges, the people as a subquery). The instalment table is built from the stored
    rows as `instalment_lines` builds it (tests/assessment/test_instalment_plans.py compares them)."""
    with gc_paused():
        return _notice_data(plan_ids, issued_on)


def _notice_data(plan_ids: Sequence[int], issued_on: date) -> list[PremiumNoticeData]:
    issuer, insurer = default_issuer(), default_insurer_name()
    out: list[PremiumNoticeData] = []
    for ids in chunked(plan_ids, NOTICE_CHUNK):
        chosen = InstalmentPlan.objects.filter(**_id_filter("pk", ids))
        plans = {
            row[0]: row
            for row in chosen.values_list(
                "pk", "person_id", "overpayment", *(f"assessment__{name}" for name in FIGURE_FIELDS)
            )
        }
        lines = NoticeLines()
        for row in (
            InstalmentRow.objects.filter(**_id_filter("plan_id", ids))
            .order_by("plan_id", "due_date", "method")  # instalment_lines' order: due date, then method
            .values_list("plan_id", "method", "stage", "month", "due_date", "amount")
        ):
            lines.add(*row)
        first = plans[ids[0]]
        people = _people(chosen.values("person_id"), first[3])
        params = premium_parameters(first[3])
        for pid in ids:
            _pk, person_id, overpayment, *figures = plans[pid]
            a = AssessmentFigures(*figures)
            out.append(PremiumNoticeData(
                addressee=people.addressee[person_id], insured_no=a.insured_no, fiscal_year=a.fiscal_year,
                issued_on=issued_on, issuer=issuer, insurer_name=insurer,
                breakdown=breakdown_from_assessment(
                    a, params, people.income.get(person_id), people.birth[person_id],
                    people.cap_facts.get(person_id, (False, False))),
                instalments=lines.of(pid), overpayment=overpayment,
            ))  # fmt: skip
    return out


def premium_change_notice_data(plan_ids: Sequence[int], *, issued_on: date) -> list[PremiumChangeNoticeData]:
    """変更通知 data of re-planned plans (each replaces an earlier plan), in the given order."""
    issuer, insurer = default_issuer(), default_insurer_name()
    out: dict[int, PremiumChangeNoticeData] = {}
    for p in InstalmentPlan.objects.filter(pk__in=plan_ids).select_related(
        "assessment", "replaces__assessment"
    ):
        if p.replaces is None or p.replanned_on is None:
            raise PlanningError(f"plan {p.pk}: not a re-plan")
        people = _people([p.person_id], p.fiscal_year)
        params = premium_parameters(p.fiscal_year)
        income, born = people.income.get(p.person_id), people.birth[p.person_id]
        facts = people.cap_facts.get(p.person_id, (False, False))
        new = p.assessment
        out[p.pk] = PremiumChangeNoticeData(
            addressee=people.addressee[p.person_id], insured_no=new.insured_no, fiscal_year=p.fiscal_year,
            issued_on=issued_on, issuer=issuer, insurer_name=insurer,
            reason=new.get_reason_display() if new.reason else "保険料の更正", changed_on=p.replanned_on,
            old=breakdown_from_assessment(
                AssessmentFigures.of(p.replaces.assessment), params, income, born, facts),
            new=breakdown_from_assessment(AssessmentFigures.of(new), params, income, born, facts),
            instalments=instalment_lines(stored_plan(p).instalments, settled_on_or_before=p.replanned_on),
            overpayment=p.overpayment, pension_stopped=p.pension_stopped,
        )  # fmt: skip
    return [out[pid] for pid in plan_ids]
