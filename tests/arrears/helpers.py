"""Arrears test helpers: synthetic people with direct or pension plans and a valid 被保険者番号."""

from __future__ import annotations

import itertools
from datetime import date

from collection_factories import ACTOR, DIRECT_MONTHS, assess, instalments, make_direct_plan
from django.utils import timezone
from factories import make_person

from kouki.addressees.models import Person
from kouki.assessment.models import Assessment, Instalment, InstalmentPlan
from kouki.assessment.planning import instalment_plan_create
from kouki.collection.models import Channel
from kouki.collection.services import ReceiptInput, receipt_record
from kouki.income.models import IncomeRecord
from kouki.rules.numbers import mod10_weight21_check_digit

__all__ = [
    "ACTOR",
    "DIRECT_MONTHS",
    "direct_person",
    "instalments",
    "pay",
    "pension_person",
    "valid_insured_no",
]

_serial = itertools.count(4_100_001)


def valid_insured_no() -> str:
    base = f"{next(_serial):07d}"
    return base + str(mod10_weight21_check_digit(base))


def _number(person: Person, fiscal_year: int) -> str:
    number = valid_insured_no()
    Assessment.objects.filter(person=person, fiscal_year=fiscal_year).update(insured_no=number)
    return number


def direct_person(
    premium: int = 90_000, fiscal_year: int = 2025, **kw: object
) -> tuple[Person, InstalmentPlan]:
    person = make_person(**kw)  # type: ignore[arg-type]
    person, plan = make_direct_plan(premium, fiscal_year, person=person)
    _number(person, fiscal_year)
    return person, plan


def pension_person(premium: int = 90_000, fiscal_year: int = 2025) -> tuple[Person, InstalmentPlan]:
    """Six pension instalments (the pension is large enough; no previous year: provisional = 1/6)."""
    person = make_person()
    IncomeRecord.objects.create(
        person=person,
        income_year=fiscal_year - 1,
        public_pension_revenue=1_800_000,
        care_premium_annual=60_000,
        care_deduction_pension_annual=1_800_000,
        recorded_at=timezone.now(),
    )
    a = assess(person, premium, fiscal_year)
    plan = instalment_plan_create(
        actor=ACTOR, assessment_id=a.pk, on=date(fiscal_year, 7, 1), direct_months=DIRECT_MONTHS
    )
    _number(person, fiscal_year)
    return person, plan


def pay(
    person: Person,
    inst: Instalment,
    amount: int | None = None,
    *,
    paid_on: date,
    channel: Channel = Channel.COUNTER,
    fiscal_year: int = 2025,
    named: bool = True,
) -> int:
    """A payment of `inst`'s amount (or `amount`); `named`: with its slip (naming it), else naming none."""
    target = inst.pk if named else None
    item = ReceiptInput(person.pk, fiscal_year, channel, amount or inst.amount, paid_on, target, "ref")
    return receipt_record(actor=ACTOR, item=item, on=paid_on).pk
