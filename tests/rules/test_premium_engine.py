"""Premium engine rules: household judgement, 被扶養者軽減, 月割, caps, local rules, child-support levy,
missing parameters. Rules and sources: kouki/rules/premium/engine.py and domain-facts §3."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from kouki.rules.premium import (
    HouseholdMember,
    InvalidHousehold,
    InvalidParameter,
    MissingParameters,
    SameMonthRule,
    assess_household,
    insured_months,
    resolve_parameters,
)

P24 = resolve_parameters(2024, "saitama")
P25 = resolve_parameters(2025, "saitama")
OLD = date(1945, 6, 1)


def member(
    mid: str, pension: int = 0, *, insured: bool = True, born: date = OLD, **kw: Any
) -> HouseholdMember:
    return HouseholdMember(mid, insured, born, public_pension_revenue=pension, **kw)


def by_id(household: list[HouseholdMember], params: Any = P25) -> dict[str, Any]:
    return {r.id: r for r in assess_household(household, params)}


def test_couple_judged_together_with_n_2() -> None:
    # husband 200万 → 所得 90万, 判定 75万; wife 80万 → 0; total 75万 ≤ 43 + 30.5 × 2 = 104万 → 5割 (FY2025)
    res = by_id([member("H", 2_000_000, householder=True), member("W", 800_000)])
    assert res["H"].reduction == res["W"].reduction == "50%"
    assert res["W"].income_levy == 0 and res["W"].annual_premium == 22_900


def test_earner_term_only_from_two_earners() -> None:
    # two pensioners of 150万 (65+, > 125万 → 給与所得者等): 所得 40万 each, 判定 25万 each = 50万
    # ≤ 43 + 10 × (2 − 1) = 53万 → 7割; with one earner the 7割 limit would be 43万.
    res = by_id([member("H", 1_500_000, householder=True), member("W", 1_500_000)])
    assert res["H"].reduction == "70%"
    # W at exactly 125万 is not an earner (k = 1): H 判定 25万 + W (15万 pension + 20万 other − 15万) 20万
    # = 45万 > 43万 → 5割. One yen more of pension makes W an earner (k = 2): 45万 ≤ 53万 → 7割. The law's
    # 給与所得者等 term can therefore lower the household's premium when an income rises.
    res1 = by_id([member("H", 1_500_000, householder=True), member("W", 1_250_000, other_income=200_000)])
    assert res1["H"].reduction == "50%"
    res2 = by_id([member("H", 1_500_000, householder=True), member("W", 1_250_001, other_income=200_000)])
    assert res2["H"].reduction == "70%"


def test_non_insured_householder_income_counts() -> None:
    son = HouseholdMember("S", False, date(1975, 1, 1), householder=True, salary_revenue=5_000_000)
    res = by_id([son, member("M")])
    assert list(res) == ["M"]
    assert (res["M"].reduction, res["M"].income_levy, res["M"].annual_premium) == ("none", 0, 45_900)
    without = by_id([member("M", householder=True)])
    assert without["M"].reduction == "70%"


def test_mid_year_entrant_judged_on_acquisition_date_with_members_insured_then() -> None:
    h = member("H", 2_000_000, householder=True)
    w = member("W", 0, born=date(1949, 10, 15), insured_from=date(2024, 10, 15))
    res = by_id([h, w], P24)
    # H judged on 2024-04-01: W not insured then and not householder → alone: 判定 75万 > 72.5万 → 2割
    assert res["H"].reduction == "20%"
    # W judged on 2024-10-15: H + W, N = 2: 75万 ≤ 43 + 29.5 × 2 = 102万 → 5割
    assert res["W"].reduction == "50%"
    assert res["W"].months == 6 and res["W"].annual_premium == 22_960 * 6 // 12 // 100 * 100


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (None, None, 12),
        (date(2024, 10, 15), None, 6),
        (date(2024, 4, 1), None, 12),
        (date(2020, 1, 1), None, 12),
        (None, date(2024, 9, 1), 5),  # died 31 August: loss 1 September → April–August
        (None, date(2024, 8, 31), 4),  # died 30 August: loss 31 August → April–July
        (date(2024, 7, 10), date(2024, 7, 20), 0),  # acquired and lost in the same month (同月得喪): 0
        (None, date(2024, 6, 30), 2),  # moved to another prefecture on 6-30: lost 6-30 → April–May only
        (None, date(2024, 7, 1), 3),  # moved abroad on 6-30: lost 7-01 → April–June
        (None, date(2024, 4, 1), 0),
        (date(2025, 4, 1), None, 0),
        (date(2025, 3, 31), None, 1),
    ],
)
def test_insured_months(start: date | None, end: date | None, months: int) -> None:
    assert len(insured_months(member("A", insured_from=start, insured_until=end), 2024)) == months


# 同月得喪: 高確法 has no rule; the usual 広域連合条例 wording
# ("資格を取得した日の属する月から資格を喪失した日の属する月の前月まで") gives 0 months (domain-facts §9);
# the employee schemes charge one month (健康保険法 §156③, 昭和27年7月1日保文発129107号).
# A union setting: `same_month_acquisition_and_loss`.
@pytest.mark.parametrize(
    ("start", "end", "rule", "months"),
    [
        (date(2024, 7, 10), date(2024, 7, 20), SameMonthRule.NOT_CHARGED, 0),
        (date(2024, 7, 10), date(2024, 7, 20), SameMonthRule.CHARGED, 1),
        (date(2024, 7, 1), date(2024, 7, 31), SameMonthRule.NOT_CHARGED, 0),  # died 7-30
        (date(2024, 7, 10), date(2024, 8, 1), SameMonthRule.NOT_CHARGED, 1),  # lost next month: July due
        (date(2024, 7, 10), date(2024, 8, 1), SameMonthRule.CHARGED, 1),
        (date(2024, 3, 10), date(2024, 3, 20), SameMonthRule.CHARGED, 0),  # another fiscal year
    ],
)
def test_same_month_acquisition_and_loss_follows_the_union_setting(
    start: date, end: date, rule: SameMonthRule, months: int
) -> None:
    m = member("A", insured_from=start, insured_until=end)
    assert len(insured_months(m, 2024, rule)) == months


def test_same_month_setting_is_resolved_from_the_preset_and_overrides() -> None:
    assert P24.same_month == SameMonthRule.NOT_CHARGED  # Saitama preset (to confirm: ADR 0006)
    charged = resolve_parameters(2024, "saitama", {"same_month_acquisition_and_loss": "charged"})
    assert charged.same_month == SameMonthRule.CHARGED
    with pytest.raises(InvalidParameter, match="same_month_acquisition_and_loss"):
        resolve_parameters(2024, "saitama", {"same_month_acquisition_and_loss": "1"})
    both = [member("A", 2_000_000, insured_from=date(2024, 7, 10), insured_until=date(2024, 7, 20))]
    [none] = assess_household(both, P24)
    assert (none.months, none.annual_premium) == (0, 0)
    [one] = assess_household(both, charged)
    assert one.months == 1 and one.annual_premium > 0


def test_pro_rating_of_the_premium() -> None:
    [r] = assess_household(
        [member("A", 1_800_000, householder=True, born=date(1949, 10, 15), insured_from=date(2024, 10, 15))],
        P24,
    )
    # (22,960 + 22,734) × 6 / 12 = 22,847 → 22,800
    assert (r.months, r.per_capita_levy, r.income_levy, r.annual_premium) == (6, 22_960, 22_734, 22_800)


def test_former_dependant_half_per_capita_and_no_income_levy() -> None:
    [r] = assess_household(
        [member("A", 3_000_000, householder=True, former_dependant=True, insured_from=date(2023, 7, 1))], P24
    )
    assert (r.reduction, r.per_capita_levy, r.income_levy, r.annual_premium) == (
        "former_dependant",
        22_960,
        0,
        22_900,
    )


def test_former_dependant_window_ends_mid_year_and_income_levy_stays_zero() -> None:
    # acquired 2022-10: 24 months = 2022-10 … 2024-09; from 2024-10 the full 均等割 (household: none)
    [r] = assess_household(
        [member("A", 3_000_000, householder=True, former_dependant=True, insured_from=date(2022, 10, 1))], P24
    )
    assert r.reduction == "former_dependant" and r.income_levy == 0
    assert [(g.from_month, g.reduction, g.per_capita_levy, g.months) for g in r.regimes] == [
        ("2024-04", "former_dependant", 22_960, 6),
        ("2024-10", "none", 45_930, 6),
    ]
    assert r.annual_premium == (22_960 * 6 + 45_930 * 6) // 12 // 100 * 100


def test_larger_household_reduction_wins_over_former_dependant() -> None:
    [r] = assess_household(
        [member("A", 0, householder=True, former_dependant=True, insured_from=date(2024, 4, 1))], P24
    )
    assert (r.reduction, r.per_capita_levy, r.income_levy) == ("70%", 13_770, 0)


def test_former_dependant_needs_acquisition_date() -> None:
    with pytest.raises(InvalidHousehold, match=r"needs first_insured_from .* or insured_from"):
        assess_household([member("A", former_dependant=True)], P24)


def test_low_income_rate_boundary_fy2024() -> None:
    # 賦課のもと = 所得 − 43万; 所得 = pension − 110万 → base 58万 at pension 211万
    [at] = assess_household([member("A", 2_110_000, householder=True)], P24)
    [above] = assess_household([member("A", 2_110_001, householder=True)], P24)
    assert at.income_levy == 580_000 * 842 // 10_000
    assert above.income_levy == 580_001 * 903 // 10_000


def test_tokyo_style_local_income_levy_reduction() -> None:
    p = resolve_parameters(
        2025,
        "saitama",
        {
            "local_income_levy_reduction": [
                {"max_income_base": 150_000, "reduction": "0.5"},
                {"max_income_base": 200_000, "reduction": "0.25"},
            ]
        },
    )
    levies = {}
    for base in (150_000, 200_000, 200_001):
        [r] = assess_household([member("A", 1_100_000 + 430_000 + base, householder=True)], p)
        levies[base] = r.income_levy
    assert levies == {150_000: 13_545 // 2, 200_000: 18_060 * 3 // 4, 200_001: 18_060}


FY2026 = {
    "per_capita_levy": 50_000,
    "income_levy_rate": "0.0950",
    "reduction": {
        "base": 430_000,
        "per_earner": 100_000,
        "per_insured_50": 310_000,
        "per_insured_20": 570_000,
        "salary_earner_over": 650_000,
        "pension_earner_over_under_65": 600_000,
        "pension_earner_over_65": 1_250_000,
        "senior_pension_deduction": 150_000,
    },
    "child_support": {
        "per_capita_levy": 1_300,
        "income_levy_rate": "0.0026",
        "reduced_per_capita_rounding": 10,
        "income_levy_rounding": 1,
        "premium_rounding": 100,
    },
}


def test_fy2026_missing_values_are_listed_not_guessed() -> None:
    with pytest.raises(MissingParameters) as err:
        resolve_parameters(2026, "saitama")
    missing = set(err.value.missing)
    assert {
        "per_capita_levy",
        "income_levy_rate",
        "reduction.per_insured_50",
        "child_support.per_capita_levy",
        "child_support.income_levy_rate",
    } <= missing
    assert "annual_cap" not in missing and "child_support.annual_cap" not in missing


def test_child_support_levy_fy2026_with_reductions_and_cap() -> None:
    p = resolve_parameters(2026, "saitama", FY2026)
    assert p.child_support is not None and p.child_support.annual_cap == 21_000
    assert p.medical.annual_cap == 850_000
    # 180万 pension: 5割 → 支援金 均等割 650, 所得割 270,000 × 0.26 % = 702 → 1,352 → 1,300
    [r] = assess_household([member("A", 1_800_000, householder=True)], p)
    assert (r.reduction, r.child_support_levy) == ("50%", 1_300)
    [rich] = assess_household([member("A", 30_000_000, householder=True)], p)
    assert rich.child_support_levy == 21_000 and rich.annual_premium == 850_000
    [fd] = assess_household(
        [member("A", 30_000_000, householder=True, former_dependant=True, insured_from=date(2025, 4, 1))], p
    )
    assert fd.child_support_levy == 600 and fd.income_levy == 0  # 1,300 × 0.5 = 650 → 600 (100円)


def test_child_support_does_not_exist_before_fy2026() -> None:
    with pytest.raises(InvalidParameter, match="child_support"):
        resolve_parameters(2025, "saitama", {"child_support": {"per_capita_levy": 1}})


def test_unknown_union_and_bad_values() -> None:
    with pytest.raises(InvalidParameter, match="unknown union"):
        resolve_parameters(2024, "atlantis")
    with pytest.raises(InvalidParameter, match="reduced_per_capita_rounding"):
        resolve_parameters(2024, "saitama", {"reduced_per_capita_rounding": 5})
    with pytest.raises(InvalidParameter, match="income_levy_rate"):
        resolve_parameters(2024, "saitama", {"income_levy_rate": "nine"})


def test_rounding_parameters_of_other_unions() -> None:
    p = resolve_parameters(2024, "saitama", {"reduced_per_capita_rounding": 1, "premium_rounding": 1})
    [r] = assess_household([member("A", 1_800_000, householder=True)], p)
    assert (r.per_capita_levy, r.annual_premium) == (22_965, 22_965 + 22_734)
    p100 = resolve_parameters(2024, "saitama", {"reduced_per_capita_rounding": 100})
    [r100] = assess_household([member("A", 1_800_000, householder=True)], p100)
    assert r100.per_capita_levy == 22_900


def test_basic_deduction_taper_in_the_income_levy() -> None:
    [r] = assess_household([member("A", 0, householder=True, other_income=24_500_001)], P25)
    assert r.income_levy == (24_500_001 - 150_000) * 903 // 10_000
    assert r.annual_premium == 800_000


def test_steps_explain_the_result() -> None:
    [r] = assess_household([member("A", 1_800_000, householder=True)], P24)
    labels = [s.label for s in r.steps]
    assert labels[:3] == ["公的年金等所得", "総所得金額等", "軽減判定"]
    assert r.steps[-1].amount == r.annual_premium
