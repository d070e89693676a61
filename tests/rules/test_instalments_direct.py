"""普通徴収: number and months of instalments per city, odd yen in the first (domain-facts §4)."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from kouki.rules.business_days import japanese_calendar
from kouki.rules.instalments import (
    HANNO,
    SAITAMA,
    UEDA,
    DirectReason,
    Method,
    MissingParameter,
    PensionInfo,
    PlanRequest,
    YearMonth,
    plan_instalments,
)
from kouki.rules.instalments.direct import round_down_to, split_odd_in_first

CAL = japanese_calendar(range(2020, 2030))


@pytest.mark.parametrize(
    ("total", "count", "unit", "expected"),
    [
        (60_050, 8, 100, [7_550] + [7_500] * 7),
        (60_000, 8, 100, [7_500] * 8),
        (100_001, 9, 100, [11_201] + [11_100] * 8),
        (60_000, 7, 100, [9_000] + [8_500] * 6),
        (60_000, 7, 1, [8_574] + [8_571] * 6),
        (50, 8, 100, [50] + [0] * 7),
    ],
)
def test_odd_yen_in_first_instalment(total: int, count: int, unit: int, expected: list[int]) -> None:
    """瀬戸市: 年額を8回で割り, 100円未満の端数は第1期に加算.

    Source: https://www.city.seto.aichi.jp/docs/2020/06/29/00108/ [S59].
    """
    assert split_odd_in_first(total, count, unit) == expected
    assert sum(expected) == total


def test_round_down_to() -> None:
    assert round_down_to(8_571, 100) == 8_500
    assert round_down_to(8_571, 10) == 8_570
    with pytest.raises(ValueError, match="positive"):
        round_down_to(1, 0)


def test_hanno_eight_instalments_july_to_february() -> None:
    """飯能市: 普通徴収は年8回 (7月–2月) [S39]."""
    plan = plan_instalments(PlanRequest(2026, 60_050, None, "age", None), HANNO, CAL)
    assert [i.month for i in plan.instalments] == [
        YearMonth.in_fiscal_year(2026, m) for m in (7, 8, 9, 10, 11, 12, 1, 2)
    ]
    assert [i.amount for i in plan.instalments] == [7_550] + [7_500] * 7
    assert all(i.method is Method.DIRECT for i in plan.instalments)
    assert plan.direct_reason is DirectReason.NO_PENSION
    assert plan.pension_deduction_starts is None


def test_ueda_nine_instalments_july_to_march() -> None:
    """上田市: 9期, 7月–3月, 月末 [S58] https://www.city.ueda.nagano.jp/soshiki/kokuhonenkin/2433.html"""
    plan = plan_instalments(PlanRequest(2026, 90_000, None, "age", None), UEDA, CAL)
    assert [i.month.month for i in plan.instalments] == [7, 8, 9, 10, 11, 12, 1, 2, 3]
    assert plan.instalments[-1].due_date == date(2027, 3, 31)
    assert plan.total == 90_000


def test_mid_year_entrant_pays_from_the_month_after() -> None:
    """Joined 2026-09-10 (moved in): instalments from October in the city's months (Hanno: Oct–Feb)."""
    plan = plan_instalments(PlanRequest(2026, 30_000, date(2026, 9, 10), "move_in", None), HANNO, CAL)
    assert [i.month.month for i in plan.instalments] == [10, 11, 12, 1, 2]
    assert plan.total == 30_000


def test_entrant_after_the_last_scheduled_month_gets_one_instalment() -> None:
    """Joined 2027-02-20: no scheduled month is left, so one instalment falls in March."""
    plan = plan_instalments(PlanRequest(2026, 4_000, date(2027, 2, 20), "move_in", None), HANNO, CAL)
    assert [(i.month, i.amount) for i in plan.instalments] == [(YearMonth(2027, 3), 4_000)]


def test_saitama_regular_months_are_configuration() -> None:
    """Saitama City's own 期数 and dates are [NF] (domain-facts §4): the engine names the parameter."""
    with pytest.raises(MissingParameter, match="direct_months") as info:
        plan_instalments(PlanRequest(2026, 60_000, None, "age", PensionInfo(100_000)), SAITAMA, CAL)
    assert info.value.names == ("direct_months",)
    configured = dataclasses.replace(SAITAMA, direct_months=(7, 8, 9, 10, 11, 12, 1, 2, 3))
    plan = plan_instalments(PlanRequest(2026, 60_000, None, "age", PensionInfo(100_000)), configured, CAL)
    assert len(plan.instalments) == 9
    assert plan.direct_reason is DirectReason.PENSION_BELOW_MINIMUM


def test_zero_premium_has_no_instalments() -> None:
    plan = plan_instalments(PlanRequest(2026, 0, None, "age", None), SAITAMA, CAL)
    assert plan.instalments == ()
    assert plan.pension_deduction_starts is None
