"""特別徴収: the 18万 and one-half conditions, 仮徴収 with 平準化, 本徴収 (domain-facts §4)."""

from __future__ import annotations

from datetime import date

import pytest

from kouki.rules.business_days import japanese_calendar
from kouki.rules.instalments import (
    SAITAMA,
    DirectReason,
    Method,
    MissingInput,
    PensionInfo,
    PlanRequest,
    Stage,
    plan_instalments,
)
from kouki.rules.instalments.pension import (
    deduction_refusal,
    smoothed_provisional,
    split_final_odd_in_october,
)

CAL = japanese_calendar(range(2020, 2030))


@pytest.mark.parametrize(
    ("pension", "care", "premium", "expected"),
    [
        (179_999, 0, 10_000, DirectReason.PENSION_BELOW_MINIMUM),
        (180_000, 0, 10_000, None),
        (200_000, 50_000, 50_000, None),  # exactly half: not more than half
        (200_000, 50_000, 50_001, DirectReason.OVER_HALF),
        (0, 0, 10_000, DirectReason.NO_PENSION),
    ],
)
def test_deduction_conditions(pension: int, care: int, premium: int, expected: DirectReason | None) -> None:
    """Not deducted when the pension is under 18万/year or care + LSEMC exceed half of it.

    Source: https://www.city.saitama.jp/001/017/004/p092647.html [S34];
    https://www.city.hanno.lg.jp/article/detail/5574 [S39].
    """
    assert deduction_refusal(PensionInfo(pension, care), premium, SAITAMA) is expected


def test_no_pension_at_all() -> None:
    assert deduction_refusal(None, 10_000, SAITAMA) is DirectReason.NO_PENSION


@pytest.mark.parametrize(
    ("remaining", "expected"),
    [
        (30_000, [10_000, 10_000, 10_000]),
        (30_050, [10_050, 10_000, 10_000]),
        (45_299, [15_299, 15_000, 15_000]),
        (250, [250, 0, 0]),
    ],
)
def test_final_split_october_carries_the_odd(remaining: int, expected: list[int]) -> None:
    """本徴収: December and February round 100円, October carries the rest.

    Source: https://www.city.nomi.ishikawa.jp/www/contents/1001000000756/index.html [S38].
    """
    assert split_final_odd_in_october(remaining, 100) == expected


def test_continuing_deduction_provisional_then_final() -> None:
    """仮徴収 = the previous February's amount in April/June/August; 本徴収 = annual − 仮徴収 in three.

    Source: https://www.city.hashima.lg.jp/0000012364.html [S37];
    https://www.vill.achi.lg.jp/soshiki/3/koukikourei-hokenryou.html (前年度2月と同額, 残額を3回).
    """
    pension = PensionInfo(1_800_000, 70_000, provisional_amount=9_000)
    plan = plan_instalments(PlanRequest(2026, 60_050, None, "age", pension), SAITAMA, CAL)
    assert [(i.month.month, i.stage, i.amount) for i in plan.instalments] == [
        (4, Stage.PROVISIONAL, 9_000),
        (6, Stage.PROVISIONAL, 9_000),
        (8, Stage.PROVISIONAL, 9_000),
        (10, Stage.FINAL, 11_050),
        (12, Stage.FINAL, 11_000),
        (2, Stage.FINAL, 11_000),
    ]
    assert plan.total == 60_050
    assert plan.direct_reason is None
    assert plan.instalments[0].due_date == date(2026, 4, 15)


def test_smoothing_lowers_june_and_august() -> None:
    """平準化: 仮徴収 above half of the previous annual premium → June/August adjusted [S37]."""
    assert smoothed_provisional(10_000, 3, 36_000, SAITAMA) == [10_000, 4_000, 4_000]
    assert smoothed_provisional(10_000, 3, 60_000, SAITAMA) == [10_000, 10_000, 10_000]
    assert smoothed_provisional(10_000, 3, 10_000, SAITAMA) == [10_000, 0, 0]
    assert smoothed_provisional(10_000, 3, None, SAITAMA) == [10_000] * 3
    pension = PensionInfo(1_800_000, 0, provisional_amount=10_000, previous_annual_premium=36_000)
    plan = plan_instalments(PlanRequest(2026, 36_000, None, "age", pension), SAITAMA, CAL)
    assert [i.amount for i in plan.instalments] == [10_000, 4_000, 4_000, 6_000, 6_000, 6_000]


def test_provisional_above_annual_is_an_overpayment() -> None:
    pension = PensionInfo(1_800_000, 0, provisional_amount=20_000)
    plan = plan_instalments(PlanRequest(2026, 50_000, None, "age", pension), SAITAMA, CAL)
    assert [i.amount for i in plan.instalments] == [20_000, 20_000, 20_000]
    assert plan.overpayment == 10_000
    assert plan.total - plan.overpayment == 50_000


def test_provisional_amount_must_be_given() -> None:
    with pytest.raises(MissingInput, match=r"pension\.provisional_amount"):
        plan_instalments(PlanRequest(2026, 60_000, None, "age", PensionInfo(1_800_000, 0)), SAITAMA, CAL)


def test_over_half_goes_to_direct_payment() -> None:
    """介護+後期 > ½ of the pension → 普通徴収 (here in configured months for Saitama)."""
    import dataclasses

    rules = dataclasses.replace(SAITAMA, direct_months=(7, 8, 9, 10, 11, 12, 1, 2))
    plan = plan_instalments(PlanRequest(2026, 60_000, None, "age", PensionInfo(200_000, 50_000)), rules, CAL)
    assert all(i.method is Method.DIRECT for i in plan.instalments)
    assert plan.direct_reason is DirectReason.OVER_HALF
