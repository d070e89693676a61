"""Co-payment rate 1割/2割/3割 (domain-facts §2 [S19]–[S22], §9).

Sources cited below:
- [S21] 新城市 (基準収入額: 383万 / 520万, one insured person with the household's 70–74-year-olds 520万)
  http://www.city.shinshiro.aichi.jp/index.cfm/13,10963,135,620,html
- [Ama] あま市 FAQ (収入 = before expenses and deductions; ex officio where the revenue is known)
  https://www.city.ama.aichi.jp/faq/c_05/1001396/1001400.html
- [Shimada] 島田市 (現役並み but born on or after 昭和20年1月2日 and the insured members' 旧ただし書所得
  (総所得金額等 − 43万) ≤ 210万 → 1割 or 2割) https://www.city.shimada.shizuoka.jp/kurashi-docs/kouki-kyufu.html
- [Kitakyushu] 北九州市 (the 210万 rule applies to a household with someone born on or after 昭和20年1月2日;
  課税所得 less 33万 per dependant under 16, 12万 aged 16–18) https://ssl.city.kitakyushu.lg.jp/ho-huku/file_0020.html
- [Shiso] 宍粟市 (後期: the 19歳未満 deduction from 課税所得 for the judgement of the 一部負担金の割合)
  https://www.city.shiso.lg.jp/soshiki/shiminseikatsu/shimin/tantojoho/koukikourei/20928.html
- [S19] 2割: 課税所得 ≥ 28万 and 年金収入 + その他の合計所得金額 ≥ 200万 / 320万
  https://news.livedoor.com/topics/detail/29676917/
"""

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
    judged_taxable_income,
    member_income,
    other_total_income,
)
from kouki.rules.premium.income import IncomeRuleUnknown, salary_income

ON = date(2026, 8, 1)
MAN = 10_000
OLD = date(1944, 6, 1)  # born before 1945-01-02: the 210万 rule does not apply
YOUNG = date(1948, 2, 10)  # born after: it may


def m(
    pension: int = 0,
    taxable: int = 0,
    other: int = 0,
    salary: int = 0,
    key: str = "a",
    born: date = OLD,
    insured: bool = True,
    under_16: int = 0,
    aged_16_18: int = 0,
) -> MemberIncome:
    return MemberIncome(
        key, born, pension * MAN, salary * MAN, other * MAN, taxable * MAN, insured, under_16, aged_16_18
    )


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


# ---------------------------------------------------------------- the 210万 rule [Shimada][Kitakyushu]


@pytest.mark.parametrize(
    ("members", "rate", "basis"),
    [
        # pension 400万 − 公的年金等控除 (400万 × 25% + 27.5万 = 127.5万) = 272.5万; − 43万 = 229.5万 > 210万
        ([m(400, taxable=150, born=YOUNG)], 30, CopayBasis.ACTIVE_LEVEL),
        # pension 250万 + other 120万: 所得 140万 + 120万 = 260万; − 43万 = 217万 > 210万
        ([m(250, taxable=150, other=120, born=YOUNG)], 30, CopayBasis.ACTIVE_LEVEL),
        # … other 113万: 253万 − 43万 = 210万 ≤ 210万 → not 現役並み; 2割 test: 250 + 113 ≥ 200万
        ([m(250, taxable=150, other=113, born=YOUNG)], 20, CopayBasis.OLD_PROVISO),
        # … other 113万 + 1円 is over
        (
            [dataclasses.replace(m(250, taxable=150, other=113, born=YOUNG), other_income=1_130_001)],
            30,
            CopayBasis.ACTIVE_LEVEL,
        ),
        # the same person born on 1945-01-01: the rule does not apply
        ([m(250, taxable=150, other=113, born=date(1945, 1, 1))], 30, CopayBasis.ACTIVE_LEVEL),
        # born on 1945-01-02 (the first day): it applies
        ([m(250, taxable=150, other=113, born=date(1945, 1, 2))], 20, CopayBasis.OLD_PROVISO),
        # two insured: the sum of both 旧ただし書所得 counts, and one of them born after is enough
        (
            [m(250, taxable=150, other=50, key="a", born=OLD), m(150, key="b", born=YOUNG)],
            20,
            CopayBasis.OLD_PROVISO,
        ),  # a: 140 + 50 − 43 = 147万; b: 150 − 110 = 40 − 43 → 0; 147万 ≤ 210万
        (
            [m(250, taxable=150, other=100, key="a", born=OLD), m(250, key="b", born=YOUNG)],
            30,
            CopayBasis.ACTIVE_LEVEL,
        ),  # a: 197万; b: 140 − 43 = 97万; 294万 > 210万
    ],
)
def test_the_210万_rule(members: list[MemberIncome], rate: int, basis: CopayBasis) -> None:
    """Without a 基準収入額 application, so that only the 210万 rule can lower the rate."""
    decision = household_copay(members, on=ON, income_test_applied=False)
    assert (decision.rate, decision.basis) == (rate, basis)


def test_the_210万_rule_needs_no_application() -> None:
    decision = household_copay([m(250, taxable=150, other=113, born=YOUNG)], on=ON, income_test_applied=False)
    assert decision.rate == 20 and decision.basis == CopayBasis.OLD_PROVISO
    assert any("210万円以下" in r and "申請は不要" in r for r in decision.reasons)


# ------------------------------------------------ dependants under 19 [Kitakyushu][Shiso], domain-facts §9


@pytest.mark.parametrize(
    ("taxable", "under_16", "aged_16_18", "judged", "rate"),
    [
        (170, 0, 0, 170, 30),
        (170, 1, 0, 137, 20),  # 170 − 33 = 137万 < 145万
        (156, 0, 1, 144, 20),  # 156 − 12 = 144万
        (157, 0, 1, 145, 30),  # 157 − 12 = 145万: still 現役並み
        (40, 1, 0, 7, 10),  # 40 − 33 = 7万 < 28万: not 2割 either
        (20, 2, 2, 0, 10),  # not below 0
    ],
)
def test_dependants_under_19_reduce_the_taxable_income(
    taxable: int, under_16: int, aged_16_18: int, judged: int, rate: int
) -> None:
    member = m(400, taxable=taxable, under_16=under_16, aged_16_18=aged_16_18)
    assert judged_taxable_income(member) == judged * MAN
    assert household_copay([member], on=ON, income_test_applied=False).rate == rate


# ------------------------------------------- 基準収入額 with the household's 70–74-year-olds [S21][Ama]


@pytest.mark.parametrize(
    ("other_members", "rate", "basis"),
    [
        # one insured person with 400万 (≥ 383万) and no one else: 3割
        ([], 30, CopayBasis.ACTIVE_LEVEL),
        # a 72-year-old (not insured here) with 119万: 519万 < 520万 → below 3割, then 2割 (400万 ≥ 200万)
        ([m(119, key="s", born=date(1954, 3, 1), insured=False)], 20, CopayBasis.INCOME_TEST),
        # … with 120万: 520万 is not < 520万
        ([m(120, key="s", born=date(1954, 3, 1), insured=False)], 30, CopayBasis.ACTIVE_LEVEL),
        # a 69-year-old does not count (70 on 2026-08-02, the day after the judgement date)
        ([m(50, key="s", born=date(1956, 8, 2), insured=False)], 30, CopayBasis.ACTIVE_LEVEL),
        # … turned 70 on the judgement date: counts
        ([m(50, key="s", born=date(1956, 8, 1), insured=False)], 20, CopayBasis.INCOME_TEST),
        # a 65-year-old does not count
        ([m(50, key="s", born=date(1961, 1, 1), insured=False)], 30, CopayBasis.ACTIVE_LEVEL),
    ],
)
def test_income_test_counts_a_70_to_74_household_member(
    other_members: list[MemberIncome], rate: int, basis: CopayBasis
) -> None:
    members = [m(400, taxable=150), *other_members]
    decision = household_copay(members, on=ON, income_test_applied=True)
    assert (decision.rate, decision.basis) == (rate, basis)


def test_a_70_to_74_member_does_not_count_with_two_insured() -> None:
    """With two or more insured people only their revenue counts (< 520万) [S21]."""
    insured = [m(300, taxable=150, key="a"), m(200, key="b")]
    senior = m(10, key="s", born=date(1954, 3, 1), insured=False)
    assert household_copay(insured, on=ON).basis == CopayBasis.INCOME_TEST  # 500万 < 520万
    assert household_copay([*insured, senior], on=ON).basis == CopayBasis.INCOME_TEST


def test_without_the_application_the_income_test_does_not_apply() -> None:
    decision = household_copay([m(300, taxable=150)], on=ON, income_test_applied=False)
    assert decision.rate == 30
    assert any("申請がない" in r for r in decision.reasons)


# ------------------------------------------------ the premium engine's exact 給与所得 (所得税法別表第五)


def test_other_total_income_uses_the_table() -> None:
    """給与収入 1,624,999円 (2024): 所得税法別表第五's row from 1,624,000 gives 1,074,000 (the formula on the
    revenue itself would give 1,074,999); the co-payment uses the same figure as the premium."""
    member = dataclasses.replace(m(), salary_revenue=1_624_999)
    inc = member_income(member, 2024)
    assert inc.salary_income == salary_income(1_624_999, 2024) == 1_074_000
    assert other_total_income(inc) == 1_074_000


def test_salary_and_pension_together_take_the_income_adjustment() -> None:
    """所得金額調整控除: 給与所得 and 年金所得 each capped at 10万, summed, less 10万 (措法 §41の3の3②)."""
    member = dataclasses.replace(m(), salary_revenue=1_000_000, public_pension_revenue=2_000_000)
    inc = member_income(member, 2025)
    assert inc.adjustment == 100_000 and inc.salary_income == 350_000 - 100_000
    # the 2割 test counts 200万 + 25万 = 225万 ≥ 200万
    assert household_copay([dataclasses.replace(member, taxable_income=300_000)], on=ON).rate == 20


def test_the_table_not_the_formula_decides_the_2割_line() -> None:
    """給与収入 2,003,999円 (2025): 別表第五's row from 2,000,000 → 給与所得 2,000,000 − 680,000 = 1,320,000
    (the formula on 2,003,999 gives 1,322,799). With 年金収入 679,000 the 2割 sum is 1,999,000 < 200万 → 1割;
    the formula the co-payment used before would have put it at 2,001,799 → 2割 (issue 10 §2)."""
    member = dataclasses.replace(m(taxable=30), public_pension_revenue=679_000, salary_revenue=2_003_999)
    assert salary_income(2_003_999, 2025) == 1_320_000
    decision = household_copay([member], on=ON)
    assert decision.rate == 10
    assert any("1,999,000円 が200万円未満" in r for r in decision.reasons)
    one_more_row = dataclasses.replace(member, salary_revenue=2_004_000)  # 1,322,800 → 2,001,800
    assert household_copay([one_more_row], on=ON).rate == 20


def test_an_income_year_without_salary_rules_is_refused() -> None:
    with pytest.raises(IncomeRuleUnknown):
        household_copay([dataclasses.replace(m(), salary_revenue=3_000_000)], on=date(2027, 8, 1))


# ---------------------------------------------------------------- years, dates, reasons


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


def test_an_empty_household_is_an_error() -> None:
    with pytest.raises(ValueError):
        household_copay([], on=ON)
    with pytest.raises(ValueError):
        household_copay([m(100, insured=False)], on=ON)


def test_reasons_name_the_deciding_rule() -> None:
    three = household_copay([m(400, taxable=150)], on=ON)
    assert three.reasons == (
        "課税所得が145万円以上の被保険者(a、1,500,000円)がいる世帯です",
        "昭和20年1月2日以降生まれの被保険者がいないため、旧ただし書所得210万円以下の特例は当たりません",
        "被保険者の収入 4,000,000円 が383万円以上のため、基準収入額の適用はありません",
        "世帯の被保険者全員が現役並み所得者として3割です",
    )
    young = household_copay([m(400, taxable=150, born=YOUNG)], on=ON)
    assert young.reasons[1] == (
        "被保険者の旧ただし書所得の合計 2,295,000円 が210万円を超えるため、"
        "旧ただし書所得210万円以下の特例は当たりません"
    )
    income_test = household_copay([m(382, taxable=150)], on=ON)
    assert any("基準収入額の適用により" in r for r in income_test.reasons)
    assert income_test.income_test_applied
    one = household_copay([m(80)], on=ON)
    assert one.reasons == (
        "課税所得が145万円以上の被保険者がいないため、現役並み所得者に当たりません",
        "課税所得が28万円以上の被保険者がいないため、1割です",
    )
    labels = [s.label for s in three.steps]
    assert labels[0] == "判定の年度" and labels[-1] == "結果"
    assert {"公的年金等所得", "旧ただし書所得", "課税所得(判定用)", "現役並み所得の判定"} <= set(labels)


# ---------------------------------------------------------------- properties

_members = st.lists(
    st.builds(
        lambda p, t, o, s, i, born, u, a: MemberIncome(str(i), born, p, s, o, t, True, u, a),
        st.integers(0, 8_000_000),
        st.integers(0, 3_000_000),
        st.integers(0, 3_000_000),
        st.integers(0, 3_000_000),
        st.integers(0, 10**6),
        st.dates(date(1930, 1, 1), date(1951, 7, 31)),
        st.integers(0, 3),
        st.integers(0, 3),
    ),
    min_size=1,
    max_size=3,
    unique_by=lambda x: x.person_key,
)


@given(_members, st.booleans())
def test_property_rate_is_monotone_in_taxable_income(members: list[MemberIncome], applied: bool) -> None:
    base = household_copay(members, on=ON, income_test_applied=applied).rate
    assert base in (10, 20, 30)
    richer = [dataclasses.replace(x, taxable_income=x.taxable_income + 3 * 10**6) for x in members]
    assert household_copay(richer, on=ON, income_test_applied=applied).rate >= base
    # applying the income test never raises the rate
    assert household_copay(members, on=ON, income_test_applied=True).rate <= (
        household_copay(members, on=ON, income_test_applied=False).rate
    )


@given(_members, st.booleans())
def test_property_dependants_never_raise_the_rate(members: list[MemberIncome], applied: bool) -> None:
    without = [dataclasses.replace(x, dependants_under_16=0, dependants_16_18=0) for x in members]
    assert household_copay(members, on=ON, income_test_applied=applied).rate <= (
        household_copay(without, on=ON, income_test_applied=applied).rate
    )


@given(_members, st.booleans())
def test_property_the_210万_rule_only_lowers(members: list[MemberIncome], applied: bool) -> None:
    """Moving every birth date before 1945-01-02 switches the 210万 rule off: the rate never falls."""
    old = [dataclasses.replace(x, birth_date=min(x.birth_date, date(1945, 1, 1))) for x in members]
    decision = household_copay(members, on=ON, income_test_applied=applied)
    assert decision.rate <= household_copay(old, on=ON, income_test_applied=applied).rate
    if decision.rate == 30:
        assert decision.basis == CopayBasis.ACTIVE_LEVEL
    assert decision.reasons and decision.steps[-1].label == "結果"


@given(_members, st.integers(0, 5_000_000), st.dates(date(1951, 8, 2), date(1956, 8, 1)))
def test_property_a_70_to_74_member_never_raises_the_rate(
    members: list[MemberIncome], revenue: int, born: date
) -> None:
    senior = MemberIncome("senior", born, revenue, 0, 0, 0, insured=False)
    assert household_copay([*members, senior], on=ON).rate <= household_copay(members, on=ON).rate
