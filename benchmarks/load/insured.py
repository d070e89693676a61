"""Set-up of the load test's insured people: what the 窓口収納 and 資格確認書 issue screens need (not timed).

The synthetic city (`kouki synth`) has residents, households, incomes and numbers, but no eligibility,
assessment or instalment plan. For the people the payment and certificate tasks use, this takes in what
the union would send and plans the year the way the city does, through the service functions:
1. 被保険者情報 (`insured_periods_store`): a period from the 75th birthday (or 2008-04-01), 1割;
2. 保険料情報 (`premium_infos_store`): an FY2026 当初賦課 for 12 months;
3. the year's initial instalment plans (`instalment_plans_initial_created`: plans every FY2026 assessment
   without a plan — the ones just stored), direct months July–March.
People who already have an insured period (an earlier run on the same city) are left as they are.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date

FY = 2026
ASSESSED_ON = date(FY, 7, 1)
DIRECT_MONTHS = (7, 8, 9, 10, 11, 12, 1, 2, 3)
LAW_START = date(2008, 4, 1)
SERIAL_BASE = 9_000_000  # insured-number serials of the load test (7 digits + check digit)


def seventy_fifth_birthday(birth: date) -> date:
    try:
        return birth.replace(year=birth.year + 75)
    except ValueError:  # 29 February
        return date(birth.year + 75, 3, 1)


def insured_sample(count: int, on: date, seed: int = 22) -> list[int]:
    """Up to `count` random current residents aged 75 or more on `on` (person ids)."""
    from kouki.addressees.models import PersonStatus, PersonVersion

    cutoff = date(on.year - 75, on.month, min(on.day, 28))
    ids = list(PersonVersion.objects.filter(is_current=True, status=PersonStatus.RESIDENT,
                                            birth_date__lte=cutoff).values_list("person_id", flat=True))
    rng = random.Random(seed)
    return sorted(rng.sample(ids, min(count, len(ids))))


def insure(person_ids: Sequence[int], seed: int = 22) -> list[int]:
    """Give each person (who has no insured period yet) a period, an FY2026 assessment and its plan.
    Returns the ids of the people set up now."""
    from django.db import transaction

    from kouki.addressees.models import PersonVersion
    from kouki.assessment.planning import instalment_plans_initial_created
    from kouki.assessment.services import premium_infos_store
    from kouki.core.config import municipality_code
    from kouki.eligibility.models import InsuredPeriod
    from kouki.eligibility.services import insured_periods_store
    from kouki.interfaces.union.records import (
        AcquisitionReason,
        AssessmentKind,
        InsuredInfoRecord,
        PremiumInfoRecord,
        PremiumReduction,
    )
    from kouki.privacy.context import Actor
    from kouki.rules.numbers import mod10_weight21_check_digit
    from kouki.sandbox.union.simulator import DEFAULT_INSURER_NO

    done = set(InsuredPeriod.objects.filter(person_id__in=person_ids).values_list("person_id", flat=True))
    todo = PersonVersion.objects.filter(person_id__in=[p for p in person_ids if p not in done],
                                        is_current=True).order_by("person_id")
    rows = list(todo.values_list("person_id", "person__addressee_no", "birth_date"))
    if not rows:
        return []
    city, rng = municipality_code(), random.Random(seed)
    periods, premiums = [], []
    for person_id, addressee_no, birth in rows:
        serial = f"{SERIAL_BASE + person_id % 1_000_000:07d}"
        insured_no = serial + str(mod10_weight21_check_digit(serial))
        acquired = max(seventy_fifth_birthday(birth), LAW_START)
        periods.append(InsuredInfoRecord(
            municipality_code=city, addressee_no=addressee_no, insured_no=insured_no,
            insurer_no=DEFAULT_INSURER_NO, acquired_on=acquired, acquisition_reason=AcquisitionReason.AGE,
            lost_on=None, loss_reason=None, copay_rate=10, copay_from=acquired, address_exception=False,
            decided_on=acquired))  # fmt: skip
        per_capita, income = rng.randint(200, 500) * 100, rng.randint(0, 1_500) * 100
        premiums.append(PremiumInfoRecord(
            municipality_code=city, addressee_no=addressee_no, insured_no=insured_no, fiscal_year=FY,
            kind=AssessmentKind.INITIAL, assessed_on=ASSESSED_ON, per_capita_levy=per_capita,
            income_levy=income, reduction=PremiumReduction.NONE, months=12,
            annual_premium=per_capita + income, child_support_levy=0, income_base=income * 10, reason=None))
    actor = Actor.system("benchmarks.load")
    with transaction.atomic():
        insured_periods_store(actor=actor, records=periods)
        premium_infos_store(actor=actor, records=premiums)
        instalment_plans_initial_created(actor=actor, fiscal_year=FY, on=ASSESSED_ON,
                                         direct_months=DIRECT_MONTHS)
    return [r[0] for r in rows]


def payers(person_ids: Sequence[int]) -> list[int]:
    """Those of the people with an unpaid direct (普通徴収) instalment in FY2026: who pays at the counter
    (an instalment deducted from the pension is not paid there)."""
    from kouki.assessment.models import Instalment
    from kouki.collection.models import InstalmentAccount

    settled = InstalmentAccount.objects.filter(unpaid=0).values("instalment_id")
    direct = Instalment.objects.filter(plan__person_id__in=person_ids, plan__fiscal_year=FY,
                                       plan__superseded_at__isnull=True, method="direct").exclude(
        pk__in=settled)
    return sorted(set(direct.values_list("plan__person_id", flat=True)))
