"""Issue 10 §6 with the database: a decrease stops 特別徴収 only from the payment the pension payer can
act on (KOUKI_PENSION_STOP_LEAD_MONTHS; 介護保険法 §138③ applied by 高確法 §110), the deductions already
notified stay planned and what they bring in above the premium is an overpayment of the ledger (§139②③);
and a year after a year without a February deduction has no 仮徴収 (§140①)."""

from __future__ import annotations

from datetime import date

import pytest
from collection_factories import ACTOR, DIRECT_MONTHS, assess, instalments
from django.test import override_settings
from django.utils import timezone
from factories import make_person

from kouki.addressees.models import Person
from kouki.assessment.models import InstalmentPlan
from kouki.assessment.planning import instalment_plan_create
from kouki.assessment.planning_config import PlanningError
from kouki.collection.models import Channel
from kouki.collection.replanning import instalment_plan_replan_and_reallocate
from kouki.collection.selectors import ledger
from kouki.collection.services import ReceiptInput, receipt_record
from kouki.eligibility.models import InsuredPeriod
from kouki.income.models import IncomeRecord

FY = 2025


def pension_income(person: Person, income_year: int) -> None:
    IncomeRecord.objects.create(
        person=person, income_year=income_year, public_pension_revenue=1_800_000, care_premium_annual=60_000,
        care_deduction_pension_annual=1_800_000, recorded_at=timezone.now(),
    )  # fmt: skip


def deducted(person: Person, plan: InstalmentPlan, months: set[str]) -> None:
    for row in instalments(plan):
        if row.method == "pension" and row.month in months:
            item = ReceiptInput(person.pk, FY, Channel.PENSION, row.amount, row.due_date, row.pk, row.month)
            receipt_record(actor=ACTOR, item=item, on=row.due_date)


def pension_year() -> tuple[Person, InstalmentPlan]:
    """60,000 deducted 10,000 at each of the six payments; April–August deducted."""
    person = make_person()
    pension_income(person, FY - 1)
    plan = instalment_plan_create(actor=ACTOR, assessment_id=assess(person, 60_000, FY).pk, on=date(FY, 4, 1))
    assert [(r.month[5:], r.amount) for r in instalments(plan)] == [
        ("04", 10_000), ("06", 10_000), ("08", 10_000), ("10", 10_000), ("12", 10_000), ("02", 10_000),
    ]  # fmt: skip
    deducted(person, plan, {"2025-04", "2025-06", "2025-08"})
    return person, plan


@pytest.mark.django_db
def test_decrease_keeps_the_notified_deduction_and_the_ledger_has_the_overpayment() -> None:
    person, _ = pension_year()
    new = assess(person, 35_000, FY, kind="reassessment")
    with override_settings(KOUKI_PENSION_STOP_LEAD_MONTHS="2"):  # test configuration ([NF])
        plan = instalment_plan_replan_and_reallocate(
            actor=ACTOR, person_id=person.pk, fiscal_year=FY, new_assessment_id=new.pk, on=date(FY, 9, 1),
            direct_months=DIRECT_MONTHS,
        )  # fmt: skip
    rows = instalments(plan)
    # October was notified to the payer before the 9-01 stop could reach it (lead 2 → November on)
    assert [(r.method, r.month) for r in rows if r.due_date > date(FY, 9, 1)] == [("pension", "2025-10")]
    assert plan.pension_stopped and plan.overpayment == 5_000  # 30,000 + 10,000 against 35,000
    deducted(person, plan, {"2025-10"})
    book = ledger(person.pk, FY)
    assert book.assessed == 35_000 and book.overpaid == 5_000  # to refund or apply (充当)


@pytest.mark.django_db
def test_decrease_without_the_lead_setting_is_refused_and_writes_nothing() -> None:
    person, old = pension_year()
    new = assess(person, 35_000, FY, kind="reassessment")
    with override_settings(KOUKI_PENSION_STOP_LEAD_MONTHS=None), pytest.raises(PlanningError) as err:
        instalment_plan_replan_and_reallocate(
            actor=ACTOR, person_id=person.pk, fiscal_year=FY, new_assessment_id=new.pk, on=date(FY, 9, 1),
            direct_months=DIRECT_MONTHS,
        )  # fmt: skip
    assert "KOUKI_PENSION_STOP_LEAD_MONTHS" in str(err.value)
    assert list(InstalmentPlan.objects.filter(person=person)) == [old]


@pytest.mark.django_db
def test_year_after_a_year_without_february_deduction_has_no_provisional() -> None:
    person = make_person()  # FY2025: no pension on record → paid directly, February included
    instalment_plan_create(
        actor=ACTOR,
        assessment_id=assess(person, 45_000, FY).pk,
        on=date(FY, 7, 1),
        direct_months=DIRECT_MONTHS,
    )
    pension_income(person, FY)  # FY2026: the pension qualifies
    a = assess(person, 60_000, FY + 1)
    plan = instalment_plan_create(
        actor=ACTOR, assessment_id=a.pk, on=date(FY + 1, 7, 1), direct_months=DIRECT_MONTHS
    )
    assert [(r.method, r.stage, r.month[5:]) for r in instalments(plan)] == [
        ("direct", "direct", "07"), ("direct", "direct", "08"), ("direct", "direct", "09"),
        ("pension", "final", "10"), ("pension", "final", "12"), ("pension", "final", "02"),
    ]  # fmt: skip
    assert plan.pension_deduction_starts == "2026-10"
    assert plan.direct_reason == "no_february_deduction"
    assert sum(r.amount for r in instalments(plan)) == 60_000


@pytest.mark.django_db
def test_start_table_entrant_keeps_the_provisional_deduction_from_april() -> None:
    """75 on 2025-08-10 (start table row 7/1–10/2 [S34]): paid directly to February, then deducted
    from April 2026 — 仮徴収 at the notified 見込額 (§135③), here the one-sixth assumption."""
    person = make_person()
    InsuredPeriod.objects.create(
        person=person, insured_no="12345678", insurer_no="39110011", acquired_on=date(FY, 8, 10),
        acquisition_reason="01", copay_rate=10, copay_from=date(FY, 8, 10), decided_on=date(FY, 8, 10),
        recorded_at=timezone.now(),
    )  # fmt: skip
    pension_income(person, FY - 1)
    first = instalment_plan_create(
        actor=ACTOR,
        assessment_id=assess(person, 35_000, FY).pk,
        on=date(FY, 9, 1),
        direct_months=DIRECT_MONTHS,
    )
    assert {r.method for r in instalments(first)} == {"direct"}
    assert first.pension_deduction_starts == "2026-04"
    pension_income(person, FY)
    a = assess(person, 60_000, FY + 1)
    plan = instalment_plan_create(actor=ACTOR, assessment_id=a.pk, on=date(FY + 1, 4, 1))
    assert [(r.stage, r.month[5:], r.amount) for r in instalments(plan)][:3] == [
        ("provisional", "04", 10_000), ("provisional", "06", 10_000), ("provisional", "08", 10_000),
    ]  # fmt: skip
    assert plan.pension_deduction_starts == "2026-04"
