"""高額療養費 month by month (kouki.rules.benefits.many_times): 多数回 from the 4th time within 12 months,
counted on household refunds only [R13] (domain-facts-next §1 「How the limits apply」); the 外来 still
borne that the annual cap settles is never negative nor above the 外来 co-payment."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from kouki.rules.benefits.high_cost import IncomeClass, MemberCosts, copayment, high_cost_refund
from kouki.rules.benefits.many_times import household_months, is_many_times, outpatient_still_borne


def test_the_fourth_time_within_twelve_months() -> None:
    hits = [date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1)]
    assert is_many_times(date(2024, 4, 1), hits)
    assert is_many_times(date(2024, 12, 1), hits)  # 2024-01 is within the 11 months before
    assert not is_many_times(date(2025, 1, 1), hits)  # 2024-01 has dropped out
    assert not is_many_times(date(2024, 3, 1), hits[:2])


def test_outpatient_only_refunds_do_not_count() -> None:
    # 一般Ⅰ, 外来 300,000 a month: 30,000 borne, 12,000 back on the 外来 step, household 18,000 < 57,600
    months = [date(2024, m, 1) for m in range(1, 7)]
    results = household_months(IncomeClass.GENERAL_1, months, lambda m: [MemberCosts("A", 300_000, 0)])
    assert [r.many_times for r in results] == [False] * 6 and not any(r.hit for r in results)
    inpatient = household_months(IncomeClass.GENERAL_1, months, lambda m: [MemberCosts("A", 0, 1_000_000)])
    assert [r.many_times for r in inpatient] == [False, False, False, True, True, True]
    assert [r.result.refund_total for r in inpatient] == [42_400] * 3 + [55_600] * 3


def test_low_income_classes_have_no_many_times() -> None:
    months = [date(2024, m, 1) for m in range(1, 7)]
    results = household_months(IncomeClass.LOW_2, months, lambda m: [MemberCosts("A", 0, 1_000_000)])
    assert not any(r.many_times for r in results)


costs = st.integers(min_value=0, max_value=200_000).map(lambda p: p * 10)


@given(costs, costs, costs, st.sampled_from(list(IncomeClass)))
def test_outpatient_still_borne_is_within_the_outpatient_copayment(
    out: int, inp: int, other: int, income_class: IncomeClass
) -> None:
    members = [MemberCosts("A", out, inp), MemberCosts("B", other, 0)]
    result = high_cost_refund(date(2025, 3, 1), income_class, False, members)
    borne = outpatient_still_borne(members[0], result.members[0], income_class)
    assert 0 <= borne <= copayment(out, income_class)
