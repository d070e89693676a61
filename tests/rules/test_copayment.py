"""Co-payment rate 1割/2割/3割 (domain-facts §2 [S19]–[S22])."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kouki.rules.copayment import (
    CopayBasis,
    MemberIncome,
    care_measure_applies,
    copay_year_start,
    household_copay,
    income_year_for,
    salary_income,
)

ON = date(2026, 8, 1)
MAN = 10_000


def m(pension: int = 0, taxable: int = 0, other: int = 0, salary: int = 0, key: str = "a") -> MemberIncome:
    return MemberIncome(key, pension * MAN, salary * MAN, other * MAN, taxable * MAN, 2025)


@pytest.mark.parametrize(
    ("members", "applied", "rate", "basis"),
    [
        # 3割: 課税所得 ≥ 145万 [S21]
        ([m(400, taxable=145)], False, 30, CopayBasis.ACTIVE_LEVEL),
        ([m(400, taxable=144)], False, 20, CopayBasis.ABOVE_CERTAIN),
        # the whole household if any insured member qualifies [S21]
        ([m(400, taxable=150, key="a"), m(50, key="b")], False, 30, CopayBasis.ACTIVE_LEVEL),
        # 基準収入額: < 383万 single brings it back [S21][S22]; then the 2割 test decides
        ([m(382, taxable=150)], True, 20, CopayBasis.INCOME_TEST),
        ([m(383, taxable=150)], True, 30, CopayBasis.ACTIVE_LEVEL),
        # < 520万 for two or more insured
        ([m(300, taxable=150, key="a"), m(219, key="b")], True, 20, CopayBasis.INCOME_TEST),
        ([m(300, taxable=150, key="a"), m(220, key="b")], True, 30, CopayBasis.ACTIVE_LEVEL),
        # 2割: 課税所得 ≥ 28万 and 年金収入 + その他の合計所得 ≥ 200万 single [S19]
        ([m(200, taxable=28)], False, 20, CopayBasis.ABOVE_CERTAIN),
        ([m(199, taxable=28)], False, 10, CopayBasis.GENERAL),
        ([m(150, taxable=28, other=50)], False, 20, CopayBasis.ABOVE_CERTAIN),
        ([m(250, taxable=27)], False, 10, CopayBasis.GENERAL),
        # ≥ 320万 for two or more insured
        ([m(200, taxable=28, key="a"), m(120, key="b")], False, 20, CopayBasis.ABOVE_CERTAIN),
        ([m(200, taxable=28, key="a"), m(119, key="b")], False, 10, CopayBasis.GENERAL),
        ([m(80)], False, 10, CopayBasis.GENERAL),
    ],
)
def test_rate_table(members: list[MemberIncome], applied: bool, rate: int, basis: CopayBasis) -> None:
    decision = household_copay(members, on=ON, income_test_applied=applied)
    assert (decision.rate, decision.basis) == (rate, basis)


def test_no_2割_before_2022_10_01() -> None:
    assert household_copay([m(250, taxable=50)], on=date(2022, 9, 30)).rate == 10
    assert household_copay([m(250, taxable=50)], on=date(2022, 10, 1)).rate == 20


def test_care_measure_ended_2025_09_30() -> None:  # [S19][S20]
    assert care_measure_applies(20, date(2025, 9, 30))
    assert not care_measure_applies(20, date(2025, 10, 1))
    assert not care_measure_applies(10, date(2024, 1, 1))


def test_rate_year_starts_on_august_1_with_the_previous_years_income() -> None:
    assert copay_year_start(date(2026, 7, 31)) == date(2025, 8, 1)
    assert copay_year_start(date(2026, 8, 1)) == date(2026, 8, 1)
    assert income_year_for(date(2026, 8, 1)) == 2025
    assert income_year_for(date(2027, 7, 31)) == 2025


def test_salary_income() -> None:
    assert salary_income(1_000_000, 2024) == 450_000
    assert salary_income(1_000_000, 2025) == 350_000
    assert salary_income(3_000_000, 2024) == 3_000_000 - 980_000
    assert salary_income(0, 2025) == 0


def test_an_empty_household_is_an_error() -> None:
    with pytest.raises(ValueError):
        household_copay([], on=ON)


_members = st.lists(
    st.builds(
        lambda p, t, o, i: MemberIncome(str(i), p, 0, o, t, 2025),
        st.integers(0, 8_000_000),
        st.integers(0, 3_000_000),
        st.integers(-500_000, 3_000_000),
        st.integers(0, 10**6),
    ),
    min_size=1,
    max_size=3,
)


@given(_members, st.booleans())
def test_property_rate_is_monotone_in_taxable_income(members: list[MemberIncome], applied: bool) -> None:
    base = household_copay(members, on=ON, income_test_applied=applied).rate
    assert base in (10, 20, 30)
    richer = [
        dataclasses.replace(x, salary_revenue=0, taxable_income=x.taxable_income + 2 * 10**6)
        for x in members
    ]
    if not applied:
        assert household_copay(richer, on=ON, income_test_applied=False).rate == 30
    # applying the income test never raises the rate
    assert household_copay(members, on=ON, income_test_applied=True).rate <= (
        household_copay(members, on=ON, income_test_applied=False).rate
    )
