"""所得 from 収入 for premiums: 公的年金等控除, 所得税法別表第五, 所得金額調整控除, 住民税 基礎控除.

Sources:
- 別表第五 rows (令和2–6年分): below 551,000 → 0; 551,000–1,619,000 → revenue − 550,000; 1,619,000–1,620,000 →
  1,069,000; 1,620,000–1,622,000 → 1,070,000; 1,622,000–1,624,000 → 1,072,000; 1,624,000–1,628,000 →
  1,074,000; then 4,000円 steps: A = revenue ÷ 4 truncated to 1,000円, A × 2.4 + 100,000 / A × 2.8 − 80,000 /
  A × 3.2 − 440,000; https://www.nta.go.jp/taxes/shiraberu/taxanswer/shotoku/1410.htm (the table applies
  below 660万). 令和7年分: minimum 65万 up to 190万 (domain-facts §3 [S66]
  https://www.city.higashimatsuyama.lg.jp/soshiki/11/46993.html).
- 公的年金等控除: domain-facts §3 [S65]
  https://www.town.tateyama.toyama.jp/soshikikarasagasu/zeimuka/juminzeigakari/1/2/4803.html ;
  other income above 1,000万 / 2,000万 → 10万 / 20万 smaller:
  https://www.weblio.jp/content/%E5%85%AC%E7%9A%84%E5%B9%B4%E9%87%91%E7%AD%89%E6%8E%A7%E9%99%A4%E9%A1%8D
- 住民税 基礎控除: https://www.town.tanagura.fukushima.jp/temporary/page000129.html
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kouki.rules.premium.income import (
    IncomeRuleUnknown,
    age_at_year_end,
    income_adjustment,
    is_65_or_over,
    person_income,
    public_pension_income,
    resident_tax_basic_deduction,
    salary_income,
)


@pytest.mark.parametrize(
    ("revenue", "income"),
    [
        (0, 0),
        (550_000, 0),
        (550_999, 0),
        (551_000, 1_000),
        (1_000_000, 450_000),
        (1_618_999, 1_068_999),
        (1_619_000, 1_069_000),
        (1_619_999, 1_069_000),
        (1_620_000, 1_070_000),
        (1_621_999, 1_070_000),
        (1_622_000, 1_072_000),
        (1_623_999, 1_072_000),
        (1_624_000, 1_074_000),
        (1_627_999, 1_074_000),
        (1_628_000, 1_076_800),
        (1_799_999, 1_177_600),
        (1_800_000, 1_180_000),
        (3_599_999, 2_437_200),
        (3_600_000, 2_440_000),
        (5_000_000, 3_560_000),
        (6_596_000, 4_836_800),
        (6_599_999, 4_836_800),
        (6_600_000, 4_840_000),
        (8_500_000, 6_550_000),
        (10_000_000, 8_050_000),
    ],
)
def test_salary_income_reiwa_2_to_6(revenue: int, income: int) -> None:
    for year in (2020, 2023, 2024):
        assert salary_income(revenue, year) == income


@pytest.mark.parametrize(
    ("revenue", "income"),
    [
        (650_999, 0),
        (651_000, 1_000),
        (1_625_000, 975_000),
        (1_899_999, 1_249_999),
        (1_900_000, 1_250_000),
        (1_903_999, 1_250_000),
        (1_904_000, 1_252_800),
        (3_600_000, 2_440_000),
        (6_600_000, 4_840_000),
    ],
)
def test_salary_income_reiwa_7(revenue: int, income: int) -> None:
    assert salary_income(revenue, 2025) == income


def test_salary_income_for_an_unknown_year_is_a_clear_error() -> None:
    with pytest.raises(IncomeRuleUnknown, match="income year 2026"):
        salary_income(3_000_000, 2026)


@given(st.integers(min_value=0, max_value=20_000_000), st.sampled_from([2021, 2024, 2025]))
def test_salary_income_is_monotone_and_below_revenue(revenue: int, year: int) -> None:
    here = salary_income(revenue, year)
    assert 0 <= here <= revenue
    assert salary_income(revenue + 1_000, year) >= here


@pytest.mark.parametrize(
    ("revenue", "senior", "other", "income"),
    [
        (1_100_000, True, 0, 0),
        (1_800_000, True, 0, 700_000),
        (3_300_000, True, 0, 2_200_000),
        (4_000_000, True, 0, 2_725_000),
        (5_000_000, True, 0, 3_565_000),
        (10_740_000, True, 0, 8_785_000),
        (600_000, False, 0, 0),
        (1_300_000, False, 0, 700_000),
        (2_000_000, False, 0, 1_225_000),
        (1_800_000, True, 15_000_000, 800_000),
        (1_800_000, True, 25_000_000, 900_000),
        (1_300_000, False, 15_000_000, 800_000),
    ],
)
def test_public_pension_income(revenue: int, senior: bool, other: int, income: int) -> None:
    assert public_pension_income(revenue, age_65_or_over=senior, other_income=other) == income


def test_age_65_is_judged_on_31_december_by_the_age_law() -> None:
    # born 1 January 1959 reaches 65 at the end of 31 December 2023
    assert age_at_year_end(date(1959, 1, 1), 2023) == 65
    assert is_65_or_over(date(1959, 1, 1), 2023)
    assert not is_65_or_over(date(1959, 1, 2), 2023)


def test_income_adjustment_for_salary_and_pension() -> None:
    assert income_adjustment(300_000, 700_000) == 100_000
    assert income_adjustment(50_000, 80_000) == 30_000
    assert income_adjustment(0, 700_000) == 0
    inc = person_income(
        birth_date=date(1950, 6, 1),
        income_year=2023,
        public_pension_revenue=1_800_000,
        salary_revenue=1_000_000,
        other_income=0,
    )
    assert (inc.salary_income, inc.pension_income, inc.total) == (350_000, 700_000, 1_050_000)


@pytest.mark.parametrize(
    ("total", "deduction"),
    [
        (24_000_000, 430_000),
        (24_000_001, 290_000),
        (24_500_000, 290_000),
        (24_500_001, 150_000),
        (25_000_000, 150_000),
        (25_000_001, 0),
    ],
)
def test_resident_tax_basic_deduction_taper(total: int, deduction: int) -> None:
    assert resident_tax_basic_deduction(total) == deduction
