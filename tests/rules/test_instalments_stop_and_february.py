"""Issue 10 §6: stopping 特別徴収 only from the payment the pension payer can act on, and no 仮徴収 for
someone not deducted in the previous February.

Sources:
- 高確法 §110 applies 介護保険法 §134–§141の2 to the LSEMC premium's 特別徴収.
- 介護保険法 §138①③: after a change the city notifies the pension payer (through the 経由機関, §136④ as
  applied); the payer is released only from the day it receives the notice. §139①: what is not deducted
  is collected directly; §139②③: deductions above what is due are refunded or applied (過誤納).
- 介護保険法 §140①②: 仮徴収 (April–September) is for those deducted in the previous October–March, at
  that amount (the previous February's [S37] https://www.city.hashima.lg.jp/0000012364.html).
- Not deducted in February → directly until September, deduction again from October:
  https://www.miyoshi.i-tokushima.jp/docs/819428.html ; a resumed deduction starts with the October
  payment: https://www.nenkin.go.jp/faq/jukyu/kyotsu/tenbiki/20140421-04.html
- Saitama City's start table (July–September directly before an October start):
  https://www.city.saitama.jp/001/017/004/p092647.html [S34]
"""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from kouki.rules.business_days import japanese_calendar
from kouki.rules.instalments import (
    HANNO,
    SAITAMA,
    DirectReason,
    InstalmentPlan,
    Method,
    MissingParameter,
    PensionInfo,
    PlanRequest,
    Stage,
    YearMonth,
    plan_instalments,
    replan_after_reassessment,
)
from kouki.rules.instalments.replan import stop_takes_effect

CAL = japanese_calendar(range(2020, 2030))
MONTHS = (7, 8, 9, 10, 11, 12, 1, 2)  # test configuration: Saitama's own direct months are [NF]


def saitama(lead: int | None) -> object:
    return dataclasses.replace(SAITAMA, direct_months=MONTHS, pension_stop_lead_months=lead)


def pension_plan(rules: object) -> InstalmentPlan:
    """4/6/8 仮徴収 10,000 each, 10/12/2 本徴収 10,000 each."""
    assert isinstance(rules, type(SAITAMA))
    pension = PensionInfo(1_800_000, 70_000, provisional_amount=10_000)
    return plan_instalments(PlanRequest(2026, 60_000, None, "age", pension), rules, CAL)


@pytest.mark.parametrize(
    ("as_of", "lead", "effective"),
    [
        (date(2026, 9, 1), 0, YearMonth(2026, 9)),
        (date(2026, 9, 1), 1, YearMonth(2026, 10)),
        (date(2026, 9, 30), 2, YearMonth(2026, 11)),
        (date(2026, 11, 20), 3, YearMonth(2027, 2)),
    ],
)
def test_stop_takes_effect_lead_months(as_of: date, lead: int, effective: YearMonth) -> None:
    """A stop notified in month m reaches the payments from month m + lead (介護保険法 §138③)."""
    rules = saitama(lead)
    assert isinstance(rules, type(SAITAMA))
    assert stop_takes_effect(as_of, rules) == effective


@pytest.mark.parametrize(
    ("lead", "kept_months", "direct_total", "overpayment"),
    [
        # notified on 9-01: lead 1 → the stop reaches October; nothing already notified is deducted
        (1, [], 20_000, 0),
        # lead 2 → October's 10,000 is still deducted; 10,000 is left to pay directly
        (2, [10], 10_000, 0),
        # lead 4 → October and December still deducted: 20,000 = exactly the rest, nothing direct
        (4, [10, 12], 0, 0),
        # lead 6 → all three deducted: 30,000 against 20,000 due → 10,000 overpaid (§139②: refund / 充当)
        (6, [10, 12, 2], 0, 10_000),
    ],
)
def test_decrease_keeps_deductions_already_notified(
    lead: int, kept_months: list[int], direct_total: int, overpayment: int
) -> None:
    """更正 on 9-01 from 60,000 to 50,000: 30,000 settled (April–August), 20,000 left."""
    rules = saitama(lead)
    assert isinstance(rules, type(SAITAMA))
    result = replan_after_reassessment(
        pension_plan(rules), new_annual_premium=50_000, as_of=date(2026, 9, 1), rules=rules, cal=CAL
    )
    later = [i for i in result.instalments if i.due_date > date(2026, 9, 1)]
    assert [i.month.month for i in later if i.method is Method.PENSION] == kept_months
    assert all(i.amount == 10_000 for i in later if i.method is Method.PENSION)  # unchanged amounts
    assert sum(i.amount for i in later if i.method is Method.DIRECT) == direct_total
    assert result.overpayment == overpayment
    assert sum(i.amount for i in result.instalments) - result.overpayment == 50_000
    assert result.pension_stopped is (len(kept_months) < 3)


def test_premium_below_what_was_deducted_keeps_the_notified_deductions() -> None:
    """更正 to 25,000 on 9-01 (lead 2): 30,000 settled + October's 10,000 still deducted → 15,000 over."""
    rules = saitama(2)
    assert isinstance(rules, type(SAITAMA))
    result = replan_after_reassessment(
        pension_plan(rules), new_annual_premium=25_000, as_of=date(2026, 9, 1), rules=rules, cal=CAL
    )
    assert [(i.month.iso(), i.amount) for i in result.instalments if i.due_date > date(2026, 9, 1)] == [
        ("2026-10", 10_000)
    ]
    assert result.overpayment == 15_000
    assert result.pension_stops_from == YearMonth(2026, 11)


def test_stop_needs_the_configured_lead() -> None:
    """The payer's lead time is not published ([NF]): a stop without it is refused, naming the value."""
    rules = saitama(None)
    assert isinstance(rules, type(SAITAMA))
    with pytest.raises(MissingParameter, match="pension_stop_lead_months"):
        replan_after_reassessment(
            pension_plan(rules), new_annual_premium=50_000, as_of=date(2026, 9, 1), rules=rules, cal=CAL
        )


def test_direct_plan_decrease_needs_no_lead() -> None:
    plan = plan_instalments(PlanRequest(2026, 80_000, None, "age", None), HANNO, CAL)
    result = replan_after_reassessment(
        plan, new_annual_premium=60_000, as_of=date(2026, 9, 30), rules=HANNO, cal=CAL
    )
    assert not result.pension_stopped and result.pension_stops_from is None


@pytest.mark.parametrize(
    ("premium", "expected"),
    [
        # Saitama: July–September directly, then 本徴収 October/December/February (S34's October rows)
        (60_000, [(7, Method.DIRECT, 10_000), (8, Method.DIRECT, 10_000), (9, Method.DIRECT, 10_000),
                  (10, Method.PENSION, 10_000), (12, Method.PENSION, 10_000), (2, Method.PENSION, 10_000)]),
        (50_050, [(7, Method.DIRECT, 8_550), (8, Method.DIRECT, 8_300), (9, Method.DIRECT, 8_300),
                  (10, Method.PENSION, 8_300), (12, Method.PENSION, 8_300), (2, Method.PENSION, 8_300)]),
    ],
)  # fmt: skip
def test_no_february_deduction_no_provisional(premium: int, expected: list[tuple[int, Method, int]]) -> None:
    """Not deducted in the previous February (provisional amount 0): no 仮徴収 (介護保険法 §140①)."""
    pension = PensionInfo(1_800_000, 70_000, provisional_amount=0)
    plan = plan_instalments(PlanRequest(2026, premium, None, "age", pension), SAITAMA, CAL)
    assert [(i.month.month, i.method, i.amount) for i in plan.instalments] == expected
    assert plan.pension_deduction_starts == YearMonth(2026, 10)
    assert plan.direct_reason is DirectReason.NO_FEBRUARY_DEDUCTION
    assert not [i for i in plan.instalments if i.stage is Stage.PROVISIONAL]
    assert plan.total == premium


def test_no_february_deduction_uses_the_regular_months_before_october() -> None:
    """Hanno (8期 July–February [S39]): July, August and September directly, pension from October."""
    pension = PensionInfo(1_800_000, 70_000, provisional_amount=0)
    plan = plan_instalments(PlanRequest(2026, 60_000, None, "age", pension), HANNO, CAL)
    assert [(i.month.month, i.method) for i in plan.instalments] == [
        (7, Method.DIRECT), (8, Method.DIRECT), (9, Method.DIRECT),
        (10, Method.PENSION), (12, Method.PENSION), (2, Method.PENSION),
    ]  # fmt: skip


def test_start_table_start_without_a_provisional_amount_waits_for_october() -> None:
    """75 on 2026-08-10 → the table starts the deduction in April 2027 (§135③: 仮徴収 at the notified
    amount); with no amount notified (0) the year is paid directly until September instead."""
    pension = PensionInfo(1_800_000, 70_000, provisional_amount=0)
    plan = plan_instalments(PlanRequest(2027, 60_000, date(2026, 8, 10), "age", pension), SAITAMA, CAL)
    assert plan.pension_deduction_starts == YearMonth(2027, 10)
    assert [i.month.month for i in plan.instalments if i.method is Method.DIRECT] == [7, 8, 9]


def test_february_deduction_keeps_provisional() -> None:
    """Deducted in February (9,000): 仮徴収 April/June/August at that amount (§140①, [S37])."""
    pension = PensionInfo(1_800_000, 70_000, provisional_amount=9_000)
    plan = plan_instalments(PlanRequest(2026, 60_000, None, "age", pension), SAITAMA, CAL)
    assert plan.pension_deduction_starts == YearMonth(2026, 4)
    assert [i.amount for i in plan.instalments if i.stage is Stage.PROVISIONAL] == [9_000] * 3
