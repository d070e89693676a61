"""Previous-year income of synthetic people (integer yen), shaped like the elderly in Japan.

65+: most live on public pension only, between about 0.8 and 3 million yen; a basic-pension-only
group below that; a tail of large pensions and of other income (rent, business) up to 10 million+.
Care premium (介護保険料) is set for people 65+ from a simple income-bracket table, and the pension it
is deducted from is their public pension when that is 180,000 yen or more.

Taxable income (課税所得, for the union's co-payment test) is derived by a deliberately simple rule,
for synthetic data only (no real tax calculation): pension income = revenue minus 公的年金等控除
(the 65+ table; 600,000 yen minimum under 65), salary income = revenue minus 給与所得控除, plus other
income; minus the basic deduction (430,000 yen, resident tax) and the care premium paid
(社会保険料控除); never below 0; rounded down to 1,000 yen.
"""

from __future__ import annotations

import random

from kouki.sandbox.synth.model import SynthIncome

CARE_PREMIUM_BASE = 76_800  # yen per year at the standard bracket
_CARE_BRACKETS = ((800_000, 0.30), (1_200_000, 0.50), (1_600_000, 0.70), (2_100_000, 1.00),
                  (3_200_000, 1.30), (5_000_000, 1.50), (8_000_000, 1.90))
CARE_DEDUCTION_MINIMUM = 180_000


def _round100(value: float) -> int:
    return int(value // 100) * 100


def _pension_65(rng: random.Random) -> int:
    u = rng.random()
    if u < 0.03:
        return 0
    if u < 0.20:
        return _round100(rng.uniform(300_000, 800_000))
    if u < 0.86:
        return _round100(rng.triangular(800_000, 3_000_000, 1_500_000))
    if u < 0.975:
        return _round100(rng.uniform(3_000_000, 5_000_000))
    return _round100(min(15_000_000, 5_000_000 * rng.paretovariate(2.2)))


def _other_income(rng: random.Random, share: float) -> int:
    if rng.random() >= share:
        return 0
    if rng.random() < 0.08:
        return _round100(min(60_000_000, 3_000_000 * rng.paretovariate(1.6)))
    return _round100(rng.uniform(50_000, 2_500_000))


def _salary(rng: random.Random) -> int:
    return _round100(min(30_000_000, rng.lognormvariate(15.15, 0.55)))  # median about 3.8 million


def _care_premium(pension: int, salary: int, other: int) -> int:
    total = pension + salary + other
    for limit, factor in _CARE_BRACKETS:
        if total <= limit:
            return _round100(CARE_PREMIUM_BASE * factor)
    return _round100(CARE_PREMIUM_BASE * 2.4)


def _pension_deduction(revenue: int, age: int) -> int:
    if revenue <= 3_300_000:
        return min(revenue, 1_100_000 if age >= 65 else 600_000)
    if revenue <= 4_100_000:
        return int(revenue * 0.25) + 275_000
    if revenue <= 7_700_000:
        return int(revenue * 0.15) + 685_000
    if revenue <= 10_000_000:
        return int(revenue * 0.05) + 1_455_000
    return 1_955_000


def _salary_deduction(revenue: int) -> int:
    if revenue <= 1_625_000:
        return min(revenue, 550_000)
    if revenue <= 1_800_000:
        return int(revenue * 0.4) - 100_000
    if revenue <= 3_600_000:
        return int(revenue * 0.3) + 80_000
    if revenue <= 6_600_000:
        return int(revenue * 0.2) + 440_000
    if revenue <= 8_500_000:
        return int(revenue * 0.1) + 1_100_000
    return 1_950_000


BASIC_DEDUCTION = 430_000


def taxable_income(*, age: int, pension: int, salary: int, other: int, care_premium: int) -> int:
    """The synthetic 課税所得 rule described in the module docstring."""
    income = (pension - _pension_deduction(pension, age)) + (salary - _salary_deduction(salary)) + other
    return max(0, income - BASIC_DEDUCTION - care_premium) // 1000 * 1000


def draw_income(rng: random.Random, serial: int, age: int, year: int) -> SynthIncome:
    pension = salary = other = care = deduction_pension = 0
    if age >= 65:
        pension = _pension_65(rng)
        if rng.random() < (0.30 if age < 75 else 0.06):
            salary = _round100(rng.uniform(600_000, 5_000_000))
        other = _other_income(rng, 0.12)
        care = _care_premium(pension, salary, other)
        deduction_pension = pension if pension >= CARE_DEDUCTION_MINIMUM else 0
    elif age >= 18:
        if rng.random() < (0.78 if age < 60 else 0.55):
            salary = _salary(rng)
        if age >= 60 and rng.random() < 0.25:
            pension = _round100(rng.uniform(500_000, 2_000_000))
        other = _other_income(rng, 0.06)
    elif age >= 15 and rng.random() < 0.15:
        salary = _round100(rng.uniform(50_000, 1_000_000))
    return SynthIncome(
        person_serial=serial, income_year=year, public_pension_revenue=pension, salary_revenue=salary,
        other_income=other, care_premium_annual=care, care_deduction_pension_annual=deduction_pension,
        taxable_income=taxable_income(age=age, pension=pension, salary=salary, other=other,
                                      care_premium=care),
    )
