"""The 賦課限度額 a premium notice prints for a received assessment is the person's: the FY2024 transitional
73万 where it applies (静岡県後期高齢者医療広域連合 https://shizuoka-ki.jp/hokenryo/index2.html 令和6年度の
賦課限度額 ※2: born on or before 1949-03-31, or insured by 障害認定 — except those born 1949-04-01 to
1950-03-31 who left the certifying union's area after turning 75), else the year's cap."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone
from factories import make_person

from kouki.addressees.models import Person
from kouki.assessment.models import Assessment
from kouki.assessment.notice_data import premium_notice_data
from kouki.assessment.planning import instalment_plans_initial
from kouki.eligibility.models import InsuredPeriod
from kouki.privacy.context import Actor
from kouki.rules.union_codes import AcquisitionReason, LossReason

ACTOR = Actor.system("test-notice-cap")
MONTHS = (7, 8, 9, 10, 11, 12, 1, 2, 3)


def assess(person: Person, fiscal_year: int) -> None:
    Assessment.objects.create(
        person=person, fiscal_year=fiscal_year, kind="initial", insured_no="12345678",
        assessed_on=date(fiscal_year, 7, 1), per_capita_levy=45_930, income_levy=754_456, reduction="none",
        months=12, annual_premium=730_000, income_base=8_355_000, recorded_at=timezone.now(),
    )  # fmt: skip


def period(person: Person, reason: AcquisitionReason, lost_on: date | None = None,
           loss: LossReason | None = None) -> None:  # fmt: skip
    InsuredPeriod.objects.create(
        person=person, insured_no="12345678", insurer_no="39110006", acquired_on=date(2023, 5, 1),
        acquisition_reason=reason, lost_on=lost_on, loss_reason=loss or "", copay_rate=30,
        copay_from=date(2023, 5, 1), decided_on=date(2023, 4, 20), recorded_at=timezone.now(),
    )  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("born", "reason", "lost_on", "loss", "fiscal_year", "cap"),
    [
        (date(1949, 3, 31), AcquisitionReason.AGE, None, None, 2024, 730_000),  # born ≤ S24.3.31
        (date(1949, 4, 1), AcquisitionReason.AGE, None, None, 2024, 800_000),  # an age entrant in FY2024
        (date(1949, 8, 1), AcquisitionReason.DISABILITY, None, None, 2024, 730_000),  # 障害認定
        # 障害認定, 75 on 2024-08-01, moved out of the area on 2024-10-15: the exclusion
        (
            date(1949, 8, 1),
            AcquisitionReason.DISABILITY,
            date(2024, 10, 16),
            LossReason.MOVE_OUT,
            2024,
            800_000,
        ),
        (date(1949, 8, 1), AcquisitionReason.DISABILITY, date(2024, 10, 16), LossReason.DEATH, 2024, 730_000),
        (
            date(1949, 3, 31),
            AcquisitionReason.AGE,
            None,
            None,
            2025,
            800_000,
        ),  # no transitional cap in FY2025
    ],
)
def test_notice_prints_the_persons_cap(
    born: date, reason: AcquisitionReason, lost_on: date | None, loss: LossReason | None, fiscal_year: int,
    cap: int,
) -> None:  # fmt: skip
    person = make_person(birth_date=born)
    period(person, reason, lost_on, loss)
    assess(person, fiscal_year)
    instalment_plans_initial(
        actor=ACTOR, fiscal_year=fiscal_year, on=date(fiscal_year, 7, 1), direct_months=MONTHS
    )
    [data] = premium_notice_data(
        [p.pk for p in person.instalment_plans.all()], issued_on=date(fiscal_year, 7, 1)
    )
    assert data.breakdown.annual_cap == cap
