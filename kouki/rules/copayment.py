"""Co-payment rate (一部負担割合 1割/2割/3割) of the insured people of one household. Pure; no Django.

Rules (domain-facts §2):
- 3割 (現役並み所得者): any insured member of the household has 課税所得 ≥ 145万 → every insured member of the
  household [S21][S22].
- 基準収入額 (income test) application brings a 3割 household back below 3割 when the 収入 of the insured
  members is < 383万 (one insured person) or < 520万 (two or more) [S21][S22]; the rate is then judged by the
  2割 test below.
- 2割 (一定以上所得, from 2022-10-01): some insured member has 課税所得 ≥ 28万 **and** the insured members'
  年金収入 + その他の合計所得金額 ≥ 200万 (one insured person) or ≥ 320万 (two or more) [S19][S20].
- otherwise 1割.
- 配慮措置 (the increase for 2割 people capped at ¥3,000/month for outpatient care) ended 2025-09-30
  [S19][S20]: it changes the amount paid, not the rate; `care_measure_applies` says whether it is in force.
- The union decides the rate once a year from August 1 with the previous calendar year's income (and on
  acquisition); `copay_year_start` and `income_year_for` give the year boundaries.

Approximations, stated: その他の合計所得金額 = 給与所得 (salary revenue less the 給与所得控除 of the
income year) + the other income sent by the city; 収入 for the income test = 公的年金等収入 + 給与収入 +
other income.
Not modelled: the one-insured-person-with-a-70–74-household-member variant of the income test (520万 with
that member's income) and the 旧ただし書所得 ≤ 210万 rule for people born after 1945-01-01.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

YEN_MAN = 10_000


@dataclass(frozen=True)
class CopayRules:
    """Thresholds and dates; the defaults are the law as of 2026 (domain-facts §2)."""

    third_taxable_income: int = 145 * YEN_MAN  # 課税所得 for 3割
    income_test_single: int = 383 * YEN_MAN  # 基準収入額, one insured person (<)
    income_test_multi: int = 520 * YEN_MAN  # two or more (<)
    second_taxable_income: int = 28 * YEN_MAN  # 課税所得 for 2割
    second_income_single: int = 200 * YEN_MAN  # 年金収入 + その他の合計所得 (≥)
    second_income_multi: int = 320 * YEN_MAN
    second_from: date = date(2022, 10, 1)  # 2割 introduced
    care_measure_from: date = date(2022, 10, 1)
    care_measure_until: date = date(2025, 9, 30)  # 配慮措置 ended (inclusive)
    year_start_month: int = 8  # the rate year starts on August 1


DEFAULT_COPAY_RULES = CopayRules()


class CopayBasis(StrEnum):
    ACTIVE_LEVEL = "現役並み所得者"
    INCOME_TEST = "基準収入額適用"
    ABOVE_CERTAIN = "一定以上所得者"
    GENERAL = "一般"


@dataclass(frozen=True)
class MemberIncome:
    """Income of one insured member of the household for the income year (yen)."""

    person_key: str
    public_pension_revenue: int
    salary_revenue: int
    other_income: int
    taxable_income: int
    income_year: int = 2025
    declared: bool = True


@dataclass(frozen=True)
class CopayDecision:
    rate: int  # 10, 20 or 30 (%)
    basis: CopayBasis
    income_test_applied: bool


def salary_income(revenue: int, income_year: int) -> int:
    """給与所得 = 給与収入 − 給与所得控除 (所得税法 §28).

    From income year 2025 the minimum deduction is 65万 for revenue up to 190万 (令和7年度税制改正).
    """
    if revenue <= 0:
        return 0
    if income_year >= 2025 and revenue <= 1_900_000:
        deduction = 650_000
    elif revenue <= 1_625_000:
        deduction = 550_000
    elif revenue <= 1_800_000:
        deduction = revenue * 40 // 100 - 100_000
    elif revenue <= 3_600_000:
        deduction = revenue * 30 // 100 + 80_000
    elif revenue <= 6_600_000:
        deduction = revenue * 20 // 100 + 440_000
    elif revenue <= 8_500_000:
        deduction = revenue * 10 // 100 + 1_100_000
    else:
        deduction = 1_950_000
    return max(0, revenue - deduction)


def other_total_income(m: MemberIncome) -> int:
    """その他の合計所得金額 (approximation: 給与所得 + other income, not below 0)."""
    return max(0, salary_income(m.salary_revenue, m.income_year) + m.other_income)


def revenue_for_income_test(m: MemberIncome) -> int:
    return m.public_pension_revenue + m.salary_revenue + max(0, m.other_income)


def _second_rate_applies(members: Sequence[MemberIncome], rules: CopayRules) -> bool:
    if not any(m.taxable_income >= rules.second_taxable_income for m in members):
        return False
    total = sum(m.public_pension_revenue + other_total_income(m) for m in members)
    limit = rules.second_income_single if len(members) == 1 else rules.second_income_multi
    return total >= limit


def household_copay(
    members: Sequence[MemberIncome],
    *,
    on: date,
    income_test_applied: bool = True,
    rules: CopayRules = DEFAULT_COPAY_RULES,
) -> CopayDecision:
    """The rate of every insured member of one household on `on` (members = the insured members only).

    income_test_applied: the 基準収入額適用申請 was made (or the union applies it ex officio).
    """
    if not members:
        raise ValueError("a household without insured members has no co-payment rate")
    tested = False
    if any(m.taxable_income >= rules.third_taxable_income for m in members):
        revenue = sum(revenue_for_income_test(m) for m in members)
        limit = rules.income_test_single if len(members) == 1 else rules.income_test_multi
        if not (income_test_applied and revenue < limit):
            return CopayDecision(30, CopayBasis.ACTIVE_LEVEL, False)
        tested = True
    if on >= rules.second_from and _second_rate_applies(members, rules):
        return CopayDecision(20, CopayBasis.INCOME_TEST if tested else CopayBasis.ABOVE_CERTAIN, tested)
    return CopayDecision(10, CopayBasis.INCOME_TEST if tested else CopayBasis.GENERAL, tested)


def copay_year_start(on: date, rules: CopayRules = DEFAULT_COPAY_RULES) -> date:
    """The August 1 on or before `on` (the start of the rate year)."""
    start = date(on.year, rules.year_start_month, 1)
    return start if on >= start else date(on.year - 1, rules.year_start_month, 1)


def income_year_for(on: date, rules: CopayRules = DEFAULT_COPAY_RULES) -> int:
    """The calendar year whose income decides the rate on `on` (the year before the rate year started)."""
    return copay_year_start(on, rules).year - 1


def care_measure_applies(rate: int, on: date, rules: CopayRules = DEFAULT_COPAY_RULES) -> bool:
    """配慮措置 (cap on the 2割 increase) in force for this rate on this day."""
    return rate == 20 and rules.care_measure_from <= on <= rules.care_measure_until
