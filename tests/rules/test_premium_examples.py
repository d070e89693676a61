"""Table tests of the premium engine against published worked examples (each with its source)."""

from __future__ import annotations

from datetime import date

import pytest

from kouki.rules.premium import HouseholdMember, assess_household, resolve_parameters

SAITAMA_R6_EXAMPLES = "https://www.saitama-koukikourei.org/seido/hokenryo/hokenryo-saitama/r5santeirei-2/"


def alone(pension: int, *, born: date = date(1946, 5, 1), **kw: object) -> list[HouseholdMember]:
    return [HouseholdMember("A", True, born, householder=True, public_pension_revenue=pension, **kw)]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("pension", "reduction", "per_capita", "premium"),
    [
        (1_530_000, "70%", 13_770, 13_700),
        (1_680_000, "70%", 13_770, 26_400),
        (1_970_000, "50%", 22_960, 60_000),
        (2_210_000, "20%", 36_740, 98_100),
        (2_400_000, "none", 45_930, 124_400),
        (3_000_000, "none", 45_930, 178_600),
    ],
)
def test_saitama_r6_examples(pension: int, reduction: str, per_capita: int, premium: int) -> None:
    """埼玉県後期高齢者医療広域連合「令和6年度の保険料額算定例」(single insured, pension only):
    https://www.saitama-koukikourei.org/seido/hokenryo/hokenryo-saitama/r5santeirei-2/ .
    The page shows the 所得割額 truncated to 10円 (e.g. 37,040 for 440,000 × 8.42% = 37,048); the totals are
    the same either way because the 均等割 is a multiple of 10 and the total is truncated to 100円."""
    [r] = assess_household(alone(pension), resolve_parameters(2024, "saitama"))
    assert (r.reduction, r.per_capita_levy, r.annual_premium, r.months) == (
        reduction,
        per_capita,
        premium,
        12,
    )
    assert r.income_levy // 10 * 10 + r.per_capita_levy >= premium


def test_saitama_r6_example_7_cap_80_for_a_fy2024_entrant_and_73_for_earlier_insured() -> None:
    """Same page, 例7: 年金収入1,074万 → 800,000円 (cap 80万); ※2: 73万 for people insured by the end of
    FY2023 (born on or before 1949-03-31) and FY2024 disability entrants. Soka:
    https://www.city.soka.saitama.jp/cont/s1505/010/030/010/PAGE000000000000065206.html"""
    p = resolve_parameters(2024, "saitama")
    [new] = assess_household(alone(10_740_000, born=date(1949, 4, 1), insured_from=date(2024, 4, 1)), p)
    assert (new.per_capita_levy, new.annual_premium) == (45_930, 800_000)
    assert new.income_levy // 10 * 10 == 754_450
    [old] = assess_household(alone(10_740_000, born=date(1949, 3, 31)), p)
    assert old.annual_premium == 730_000
    [disabled] = assess_household(
        alone(10_740_000, born=date(1958, 6, 1), disability_entry=True, insured_from=date(2024, 6, 1)), p
    )
    assert disabled.annual_premium == 730_000 * 10 // 12 // 100 * 100


def test_issue_4_example_pension_180万_fy2024() -> None:
    """Issue 4's example: 180万 pension, born 1946, alone, FY2024 → 5割 22,960 + 所得割 22,734 = 45,600.
    Law: 所得 70万 (65+ 控除 110万); 軽減判定所得 70 − 15 = 55万 ≤ 43 + 29.5 = 72.5万 → 5割 (Saitama R6
    thresholds [S28]); 賦課のもと 27万 ≤ 58万 → 8.42% (FY2024 only [S26]); 270,000 × 0.0842 = 22,734."""
    [r] = assess_household(alone(1_800_000), resolve_parameters(2024, "saitama"))
    assert (r.reduction, r.per_capita_levy, r.income_levy, r.annual_premium) == (
        "50%",
        22_960,
        22_734,
        45_600,
    )


@pytest.mark.parametrize(
    ("pension", "reduction", "per_capita"),
    [
        (1_530_000, "70%", 13_250),
        (1_970_000, "50%", 22_080),
        (2_210_000, "20%", 35_330),
        (2_300_000, "none", 44_170),
    ],
)
def test_saitama_r5_reduced_per_capita(pension: int, reduction: str, per_capita: int) -> None:
    """Saitama R4–5 (44,170円): 7割 13,250 / 5割 22,080 / 2割 35,330 (10円 truncation), thresholds 43万 +
    29万 × N / 53.5万 × N: Fujimino
    https://www.city.fujimino.saitama.jp/soshikiichiran/hoken_nenkinka/hokenzeikakari/koukikoureisyairyou/koukikoureisyairyouhokenryou/2427.html"""
    [r] = assess_household(alone(pension), resolve_parameters(2023, "saitama"))
    assert (r.reduction, r.per_capita_levy) == (reduction, per_capita)


def test_saitama_r7_rates_without_low_income_rate() -> None:
    """FY2025: 45,930 / 9.03 %, no low-income rate [S25][S26]; thresholds 30.5万 / 56万 [S29].
    180万 pension: 判定 55万 ≤ 73.5万 → 5割; 所得割 270,000 × 9.03% = 24,381; 22,960 + 24,381 → 47,300."""
    [r] = assess_household(alone(1_800_000), resolve_parameters(2025, "saitama"))
    assert (r.reduction, r.per_capita_levy, r.income_levy, r.annual_premium) == (
        "50%",
        22_960,
        24_381,
        47_300,
    )
