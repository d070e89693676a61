"""Plans with direct-payment instalments for the slip tests (synthetic people only)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from factories import make_person

from kouki.addressees.models import Person
from kouki.assessment.models import Assessment, InstalmentPlan
from kouki.assessment.planning import instalment_plan_create
from kouki.privacy.context import Actor

ACTOR = Actor.system("test-slips")
FY = 2026
MONTHS = (7, 8, 9, 10, 11, 12, 1, 2, 3)


def direct_plan(premium: int = 60_050, person: Person | None = None) -> InstalmentPlan:
    """A plan of nine direct instalments (July–March) for a person without pension income."""
    person = person or make_person()
    a = Assessment.objects.create(
        person=person, fiscal_year=FY, kind="initial", insured_no="12345675", assessed_on=date(FY, 7, 1),
        per_capita_levy=premium // 2, income_levy=premium - premium // 2, reduction="none", months=12,
        annual_premium=premium, income_base=300_000, recorded_at=timezone.now(),
    )  # fmt: skip
    return instalment_plan_create(actor=ACTOR, assessment_id=a.pk, on=date(FY, 7, 1), direct_months=MONTHS)
