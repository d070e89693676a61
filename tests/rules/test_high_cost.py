"""高額療養費: the limit table and the two steps, from domain-facts-next §1 「高額療養費」.

Sources (as cited there):
- [R12] 愛媛県後期高齢者医療広域連合, the monthly limits http://www.ehime-kouiki.jp/kyufu/kogaku.html
- [R13] the limits, 外来 (個人) first then the household, 多数回 from the 4th time in 12 months
  https://limo.media/articles/-/93848?page=2
- [R11] 埼玉県後期高齢者医療広域連合, the 2割 配慮措置 (2022-10-01 – 2025-09-30: the monthly 外来 rise
  capped at 3,000円) https://www.saitama-koukikourei.org/page-8879/
- issue 12 §3: general_1, 250,000 outpatient → 25,000 paid, 7,000 back.
Amounts not in the sources (rounding of the 1 % part, the household refund shared among members) are
ADR 0006 「Issue 12 §3」.
"""

from __future__ import annotations

from datetime import date

import pytest

from kouki.rules.benefits.high_cost import (
    IncomeClass,
    MemberCosts,
    TableUnknown,
    annual_outpatient_refund,
    high_cost_refund,
    share_in_proportion,
    table_for,
)

C = IncomeClass
JULY_2025 = date(2025, 7, 1)


def one(
    income_class: IncomeClass,
    outpatient: int,
    inpatient: int = 0,
    *,
    month: date = JULY_2025,
    many_times: bool = False,
) -> tuple[int, int, int]:
    """(copayment, outpatient_refund, household_refund) of a one-member household."""
    result = high_cost_refund(month, income_class, many_times, [MemberCosts("A", outpatient, inpatient)])
    (m,) = result.members
    return m.copayment, m.outpatient_refund, m.household_refund


@pytest.mark.parametrize(
    ("income_class", "outpatient", "inpatient", "many_times", "expected"),
    [
        # issue 12 §3; [R12][R13] 一般Ⅰ 外来 18,000: 25,000 − 18,000
        (C.GENERAL_1, 250_000, 0, False, (25_000, 7_000, 0)),
        # below every limit: nothing comes back
        (C.GENERAL_1, 50_000, 0, False, (5_000, 0, 0)),
        # [R12][R13] 一般 household 57,600; 多数回 44,400
        (C.GENERAL_1, 0, 1_000_000, False, (100_000, 0, 42_400)),
        (C.GENERAL_1, 0, 1_000_000, True, (100_000, 0, 55_600)),
        # 一般Ⅱ (2割) under the 配慮措置 [R11]: 1割 would be 10,000, the rise capped at 3,000 → 13,000 borne
        (C.GENERAL_2, 100_000, 0, False, (20_000, 7_000, 0)),
        # the lower of 18,000 and 6,000 + (200,000 − 30,000) × 10 % = 23,000 → 18,000
        (C.GENERAL_2, 200_000, 0, False, (40_000, 22_000, 0)),
        # under 30,000 the eased limit (5,000) is above the 2割 co-payment (4,000)
        (C.GENERAL_2, 20_000, 0, False, (4_000, 0, 0)),
        # 現役並みⅠ: 80,100 + (1,000,000 − 267,000) × 1 % = 87,430; no separate 外来 limit
        (C.ACTIVE_1, 0, 1_000_000, False, (300_000, 0, 212_570)),
        (C.ACTIVE_1, 1_000_000, 0, False, (300_000, 0, 212_570)),
        (C.ACTIVE_1, 0, 1_000_000, True, (300_000, 0, 255_600)),  # 多数回 44,400
        # 現役並みⅡ: 167,400 + (1,000,000 − 558,000) × 1 % = 171,820; 多数回 93,000
        (C.ACTIVE_2, 0, 1_000_000, False, (300_000, 0, 128_180)),
        (C.ACTIVE_2, 0, 1_000_000, True, (300_000, 0, 207_000)),
        # 現役並みⅢ: 252,600 + (2,000,000 − 842,000) × 1 % = 264,180; 多数回 140,100
        (C.ACTIVE_3, 0, 2_000_000, False, (600_000, 0, 335_820)),
        (C.ACTIVE_3, 0, 2_000_000, True, (600_000, 0, 459_900)),
        # the 1 % part rounded half up: 733,050 × 1 % = 7,330.5 → 7,331; limit 87,431
        (C.ACTIVE_1, 0, 1_000_050, False, (300_015, 0, 212_584)),
        # 区分Ⅱ: 外来 8,000, household 24,600
        (C.LOW_2, 100_000, 0, False, (10_000, 2_000, 0)),
        (C.LOW_2, 0, 300_000, False, (30_000, 0, 5_400)),
        # 区分Ⅰ: household 15,000
        (C.LOW_1, 0, 300_000, False, (30_000, 0, 15_000)),
    ],
)
def test_one_member_by_the_table(
    income_class: IncomeClass,
    outpatient: int,
    inpatient: int,
    many_times: bool,
    expected: tuple[int, int, int],
) -> None:
    assert one(income_class, outpatient, inpatient, many_times=many_times) == expected


@pytest.mark.parametrize(
    ("month", "expected_refund"),
    [
        (date(2022, 10, 1), 7_000),  # the 配慮措置's first month [R11]
        (date(2025, 9, 1), 7_000),  # its last month
        (date(2025, 10, 1), 2_000),  # ended: the flat 18,000 of 一般 [R12][R13]
        (date(2026, 7, 1), 2_000),
    ],
)
def test_care_measure_dates(month: date, expected_refund: int) -> None:
    assert one(C.GENERAL_2, 100_000, month=month) == (20_000, expected_refund, 0)


def test_outpatient_first_then_the_household_shared_by_what_each_still_bears() -> None:
    """A: 外来 25,000 → 18,000 after step 1; B: 入院 50,000. Together 68,000 > 57,600: 10,400 comes back,
    shared 18,000 : 50,000 → 2,752.94 : 7,647.06 → 2,753 and 7,647 (the larger remainder gets the yen)."""
    result = high_cost_refund(
        JULY_2025, C.GENERAL_1, False, [MemberCosts("A", 250_000, 0), MemberCosts("B", 0, 500_000)]
    )
    a, b = result.members
    assert (a.copayment, a.outpatient_refund, a.household_refund) == (25_000, 7_000, 2_753)
    assert (b.copayment, b.outpatient_refund, b.household_refund) == (50_000, 0, 7_647)
    assert result.copayment_total - result.refund_total == result.household_limit == 57_600


def test_two_low_income_members() -> None:
    """区分Ⅰ: each 外来 10,000 → 8,000; together 16,000 > 15,000 → 1,000 more, 500 each."""
    result = high_cost_refund(
        JULY_2025, C.LOW_1, False, [MemberCosts("A", 100_000, 0), MemberCosts("B", 100_000, 0)]
    )
    assert [(m.outpatient_refund, m.household_refund) for m in result.members] == [(2_000, 500), (2_000, 500)]
    assert result.refund_total == 5_000


def test_active_household_limit_counts_every_members_cost() -> None:
    """現役並みⅠ: 80,100 + (600,000 − 267,000) × 1 % = 83,430 for the household's 600,000."""
    result = high_cost_refund(
        JULY_2025, C.ACTIVE_1, False, [MemberCosts("A", 300_000, 0), MemberCosts("B", 0, 300_000)]
    )
    assert result.household_limit == 83_430
    assert result.copayment_total - result.refund_total == 83_430
    assert [m.household_refund for m in result.members] == [48_285, 48_285]


@pytest.mark.parametrize("income_class", [C.LOW_2, C.LOW_1])
def test_low_income_classes_have_no_many_times(income_class: IncomeClass) -> None:
    with pytest.raises(TableUnknown, match="no 多数回"):
        one(income_class, 0, 300_000, many_times=True)


@pytest.mark.parametrize("month", [date(2022, 9, 1), date(2018, 8, 1), date(2026, 8, 1), date(2027, 1, 1)])
def test_months_outside_the_table_are_refused(month: date) -> None:
    with pytest.raises(TableUnknown, match=f"{month:%Y-%m}"):
        table_for(month)


def test_costs_must_be_whole_points() -> None:
    with pytest.raises(ValueError, match="multiple of 10"):
        one(C.GENERAL_1, 12_345)


def test_annual_outpatient_cap() -> None:
    """一般 annual 外来 cap 144,000 (8/1–7/31); the facts give it for 一般Ⅱ/Ⅰ only."""
    july = date(2026, 7, 1)
    assert annual_outpatient_refund(C.GENERAL_1, july, 12 * 18_000) == 72_000
    assert annual_outpatient_refund(C.GENERAL_2, july, 100_000) == 0
    with pytest.raises(TableUnknown, match="annual"):
        annual_outpatient_refund(C.LOW_2, july, 200_000)


@pytest.mark.parametrize(
    ("total", "weights", "shares"),
    [
        (10_400, [18_000, 50_000], [2_753, 7_647]),
        (1_000, [8_000, 8_000], [500, 500]),
        (1, [1, 1, 1], [1, 0, 0]),  # ties: in order
        (0, [3, 4], [0, 0]),
    ],
)
def test_share_in_proportion(total: int, weights: list[int], shares: list[int]) -> None:
    assert share_in_proportion(total, weights) == shares


def test_nothing_to_share_by() -> None:
    with pytest.raises(ValueError, match="cannot share 5 yen"):
        share_in_proportion(5, [0, 0])
