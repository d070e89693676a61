"""Re-planning the remaining instalments after a reassessment (更正), domain-facts §4 and §7 [S34]:
an increase alone goes to direct payment; a changed premium stops the pension deduction."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from kouki.rules.business_days import japanese_calendar
from kouki.rules.instalments import (
    HANNO,
    SAITAMA,
    InstalmentPlan,
    Method,
    MissingParameter,
    PensionInfo,
    PlanRequest,
    YearMonth,
    plan_instalments,
    replan_after_reassessment,
)

CAL = japanese_calendar(range(2020, 2030))
# Test configuration: Saitama's direct months and stop lead are [NF]; lead 0 = a stop reaches the next one.
SAITAMA_CONFIGURED = dataclasses.replace(
    SAITAMA, direct_months=(7, 8, 9, 10, 11, 12, 1, 2), pension_stop_lead_months=0
)


def direct_plan(total: int = 80_000) -> InstalmentPlan:
    return plan_instalments(PlanRequest(2026, total, None, "age", None), HANNO, CAL)


def pension_plan(total: int = 60_000) -> InstalmentPlan:
    pension = PensionInfo(1_800_000, 70_000, provisional_amount=10_000)
    return plan_instalments(PlanRequest(2026, total, None, "age", pension), SAITAMA_CONFIGURED, CAL)


def test_direct_decrease_reduces_the_remaining() -> None:
    plan = direct_plan()  # 8 × 10,000, July–February
    result = replan_after_reassessment(
        plan, new_annual_premium=60_000, as_of=date(2026, 9, 30), rules=HANNO, cal=CAL
    )
    assert result.settled == 30_000  # July, August, September are due
    assert [i.amount for i in result.instalments][:3] == [10_000] * 3
    assert [i.amount for i in result.instalments][3:] == [6_000] * 5
    assert result.remaining_total == 30_000
    assert result.overpayment == 0


def test_decrease_below_what_was_due_is_an_overpayment() -> None:
    plan = direct_plan()
    result = replan_after_reassessment(
        plan, new_annual_premium=25_000, as_of=date(2026, 9, 30), rules=HANNO, cal=CAL
    )
    assert result.remaining_total == 0
    assert result.overpayment == 5_000
    assert sum(i.amount for i in result.instalments) == 30_000


def test_increase_with_pension_goes_to_direct_payment() -> None:
    """The pension deductions stay; only the increase is paid directly, in the months after as_of."""
    plan = pension_plan()  # 4/6/8 at 10,000, 10/12/2 at 10,000
    result = replan_after_reassessment(
        plan, new_annual_premium=72_000, as_of=date(2026, 9, 1), rules=SAITAMA_CONFIGURED, cal=CAL
    )
    pension = [i for i in result.instalments if i.method is Method.PENSION]
    direct = [i for i in result.instalments if i.method is Method.DIRECT]
    assert [i.amount for i in pension] == [10_000] * 6
    assert [i.month.month for i in direct] == [10, 11, 12, 1, 2]
    assert sum(i.amount for i in direct) == 12_000
    assert not result.pension_stopped


def test_decrease_with_pension_stops_the_deduction() -> None:
    plan = pension_plan()
    result = replan_after_reassessment(
        plan, new_annual_premium=50_000, as_of=date(2026, 9, 1), rules=SAITAMA_CONFIGURED, cal=CAL
    )
    assert result.pension_stopped
    assert result.pension_stops_from == YearMonth(2026, 9)
    remaining = [i for i in result.instalments if i.due_date > date(2026, 9, 1)]
    assert all(i.method is Method.DIRECT for i in remaining)
    assert sum(i.amount for i in remaining) == 20_000


def test_unchanged_premium_keeps_the_plan() -> None:
    plan = pension_plan()
    result = replan_after_reassessment(
        plan, new_annual_premium=60_000, as_of=date(2026, 9, 1), rules=SAITAMA_CONFIGURED, cal=CAL
    )
    assert result.instalments == plan.instalments


def test_saitama_needs_its_direct_months_for_a_reassessment() -> None:
    pension = PensionInfo(1_800_000, 70_000, provisional_amount=10_000)
    plan = plan_instalments(PlanRequest(2026, 60_000, None, "age", pension), SAITAMA, CAL)
    with pytest.raises(MissingParameter, match="direct_months"):
        replan_after_reassessment(
            plan, new_annual_premium=70_000, as_of=date(2026, 9, 1), rules=SAITAMA, cal=CAL
        )


def test_after_the_last_month_one_instalment_follows() -> None:
    plan = direct_plan()
    result = replan_after_reassessment(
        plan, new_annual_premium=90_000, as_of=date(2027, 3, 10), rules=HANNO, cal=CAL
    )
    late = [i for i in result.instalments if i.due_date > date(2027, 3, 10)]
    assert [(i.month.iso(), i.amount) for i in late] == [("2027-04", 10_000)]
