"""Test helpers for collection: a person with an assessment and an instalment plan in force."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from factories import make_person

from kouki.addressees.models import Person
from kouki.assessment.models import Assessment, Instalment, InstalmentPlan
from kouki.assessment.planning import instalment_plan_create
from kouki.collection.replanning import instalment_plan_replan_and_reallocate
from kouki.privacy.context import Actor

ACTOR = Actor.system("test-collection")
DIRECT_MONTHS = (7, 8, 9, 10, 11, 12, 1, 2, 3)


def assess(person: Person, premium: int, fiscal_year: int, *, kind: str = "initial") -> Assessment:
    Assessment.objects.filter(person=person, fiscal_year=fiscal_year, superseded_at__isnull=True).update(
        superseded_at=timezone.now()
    )
    return Assessment.objects.create(
        person=person, fiscal_year=fiscal_year, kind=kind, insured_no="12345678",
        assessed_on=date(fiscal_year, 7, 1), per_capita_levy=premium // 2, income_levy=premium - premium // 2,
        reduction="none", months=12, annual_premium=premium, income_base=300_000,
        reason="income" if kind != "initial" else "", recorded_at=timezone.now(),
    )  # fmt: skip


def make_direct_plan(
    premium: int = 90_000, fiscal_year: int = 2025, *, person: Person | None = None
) -> tuple[Person, InstalmentPlan]:
    """A person paying `premium` directly in 9 instalments July–March (no pension income on record)."""
    person = person or make_person()
    a = assess(person, premium, fiscal_year)
    plan = instalment_plan_create(
        actor=ACTOR, assessment_id=a.pk, on=date(fiscal_year, 7, 1), direct_months=DIRECT_MONTHS
    )
    return person, plan


def reassess(person: Person, premium: int, fiscal_year: int, on: date) -> InstalmentPlan:
    a = assess(person, premium, fiscal_year, kind="reassessment")
    return instalment_plan_replan_and_reallocate(
        actor=ACTOR, person_id=person.pk, fiscal_year=fiscal_year, new_assessment_id=a.pk, on=on,
        direct_months=DIRECT_MONTHS,
    )  # fmt: skip


def instalments(plan: InstalmentPlan) -> list[Instalment]:
    return list(plan.instalments.order_by("due_date", "pk"))
