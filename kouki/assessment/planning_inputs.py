"""What planning needs of an assessment and of its person, gathered in bulk, and the plan of one
assessment made from them by the pure rules (kouki.rules.instalments).

仮徴収 (介護保険法 §140① and §135③, applied by 高確法 §110; ADR 0006 "§6 Instalment plans"):
- the previous fiscal year's plan deducted from the pension in February: that amount is the provisional
  amount, and the previous amount due is the base of 平準化;
- the previous plan has no February deduction: no 仮徴収 (provisional amount 0: the planner puts the
  months until September into direct payment and starts the deduction in October) — unless the city's
  start table starts this person's deduction in April, June or August of this year (a recent entrant,
  §135③④): then the 見込額, whose formula is not published, is one sixth of this year's amount,
  rounded down to 100円 (`provisional_without_history`, an assumption);
- no previous plan at all (the first year in kouki, i.e. go-live): whether February was deducted is not
  in kouki; the same one-sixth assumption applies until the previous system's February deductions are
  loaded as the previous year's plans.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet

from kouki.assessment.models import Assessment, InstalmentPlan
from kouki.assessment.models import Instalment as InstalmentRow
from kouki.assessment.planning_config import PlanningError, missing_months, planning_calendar
from kouki.eligibility.models import InsuredPeriod
from kouki.income.models import IncomeRecord
from kouki.rules import instalments as rules
from kouki.rules.instalments.start_table import decide_start

ACQUISITION_REASONS = {"01": "age", "02": "disability", "03": "move_in"}  # others: "other"


def provisional_without_history(amount_due: int) -> int:
    """仮徴収 per instalment when kouki holds no February deduction to take it from (go-live, or the
    見込額 of a start-table entrant): amount_due / 6 rounded down to 100円 — an assumption (ADR 0006)."""
    return amount_due // 6 // 100 * 100


@dataclass(frozen=True)
class PlanningInputs:
    acquired: dict[int, tuple[date, str]]  # person → (acquired_on, reason code)
    pension: dict[int, tuple[int, int]]  # person → (care-deduction pension, care premium)
    previous: dict[int, tuple[int | None, int]]  # person → (February deduction, amount due) of FY−1


def gather(
    person_ids: Sequence[int] | QuerySet[Any],
    fiscal_year: int,
    previous: dict[int, tuple[int | None, int]] | None = None,
) -> PlanningInputs:
    """The planning inputs of the people (ids, or a values("person_id") queryset for a bulk run: one
    query per input with the ids as a subquery, no parameter list)."""
    acquired: dict[int, tuple[date, str]] = {}
    for pid, on, reason in (
        InsuredPeriod.objects.filter(
            person_id__in=person_ids,
            superseded_at__isnull=True,
            acquired_on__lte=date(fiscal_year + 1, 3, 31),
        )
        .order_by("person_id", "acquired_on", "pk")
        .values_list("person_id", "acquired_on", "acquisition_reason")
    ):
        acquired[pid] = (on, reason)
    pension = {
        pid: (amount, care)
        for pid, amount, care in IncomeRecord.objects.filter(
            person_id__in=person_ids, income_year=fiscal_year - 1
        ).values_list("person_id", "care_deduction_pension_annual", "care_premium_annual")
    }
    if previous is None:
        previous = previous_year(fiscal_year, person_ids)
    return PlanningInputs(acquired, pension, previous)


def previous_year(
    fiscal_year: int, person_ids: Sequence[int] | QuerySet[Any] | None
) -> dict[int, tuple[int | None, int]]:
    """person → (February pension deduction, amount due) of the plan in force of the year before;
    person_ids None: everyone (one query for a bulk run)."""
    plans = InstalmentPlan.objects.filter(fiscal_year=fiscal_year - 1, superseded_at__isnull=True)
    if person_ids is not None:
        plans = plans.filter(person_id__in=person_ids)
    rows = list(plans.values_list("pk", "person_id", "amount_due"))
    if not rows:
        return {}
    feb: dict[int, int] = dict(
        InstalmentRow.objects.filter(
            plan__in=plans, method="pension", month=f"{fiscal_year:04d}-02"
        ).values_list("plan_id", "amount")
    )
    return {person: (feb.get(pk), amount_due) for pk, person, amount_due in rows}


@dataclass(frozen=True)
class Due:
    """What planning needs of an assessment."""

    pk: int
    person_id: int
    fiscal_year: int
    amount: int  # annual premium + child-support levy

    @classmethod
    def of(cls, a: Assessment) -> Due:
        return cls(a.pk, a.person_id, a.fiscal_year, a.annual_premium + a.child_support_levy)


def _table_start_with_provisional(
    insured_from: date | None, reason: str, fiscal_year: int, city: rules.CityInstalmentRules
) -> bool:
    """Does the city's start table start this person's deduction in April, June or August of this
    year (介護保険法 §135③: 仮徴収 at the notified 見込額)?"""
    if insured_from is None or city.start_table is None or reason not in city.start_table_reasons:
        return False
    starts = decide_start(city.start_table, insured_from).pension_starts
    return starts.fiscal_year == fiscal_year and starts.month in (4, 6, 8)


def plan_request(a: Due, inputs: PlanningInputs, city: rules.CityInstalmentRules) -> rules.PlanRequest:
    fy = a.fiscal_year
    amount = a.amount
    insured_from: date | None = None
    reason = "age"
    acq = inputs.acquired.get(a.person_id)
    if acq is not None and acq[0] >= date(fy - 1, 4, 1):
        insured_from = acq[0]
        reason = ACQUISITION_REASONS.get(acq[1], "other")
    pension: rules.PensionInfo | None = None
    income = inputs.pension.get(a.person_id)
    if income is not None and income[0] > 0:
        previous = inputs.previous.get(a.person_id)
        feb, prev_amount = previous if previous is not None else (None, None)
        provisional: int
        if feb is not None:
            provisional = feb  # deducted in February (§140①)
        elif previous is None:
            provisional = provisional_without_history(amount)  # go-live: February not known to kouki
        elif _table_start_with_provisional(insured_from, reason, fy, city):
            # §135③ 見込額 (assumption); 平準化 (§140②) is for §140① deductions, not for this amount
            provisional, prev_amount = provisional_without_history(amount), None
        else:
            provisional = 0  # a previous plan without a February deduction: no 仮徴収
        pension = rules.PensionInfo(
            annual_amount=income[0],
            care_premium_annual=income[1],
            provisional_amount=provisional,
            previous_annual_premium=prev_amount,
        )
    return rules.PlanRequest(fy, amount, insured_from, reason, pension)


def plan_of(a: Due, inputs: PlanningInputs, city: rules.CityInstalmentRules) -> rules.InstalmentPlan:
    """The plan of one assessment (pure: no database access); rule errors become PlanningError."""
    try:
        return rules.plan_instalments(plan_request(a, inputs, city), city, planning_calendar(a.fiscal_year))
    except rules.MissingParameter as exc:
        raise missing_months(exc) from None
    except rules.InstalmentError as exc:
        raise PlanningError(f"assessment {a.pk}: {exc}") from None
