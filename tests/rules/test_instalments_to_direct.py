"""Issue 11 §3: moving a person to direct payment after the union reported a pension deduction as not
made (特別徴収の未徴収 → 普通徴収への切替).

Sources:
- 介護保険法 §139① (applied by 高確法 §110): what is not collected by deduction is collected directly
  (普通徴収). https://elaws.e-gov.go.jp/document?lawid=409AC0000000123
- 介護保険法 §138③: the payer is released from deducting only from the day it receives the city's notice;
  the months before that stay deducted (the city's lead, `pension_stop_lead_months`, [NF]).
"""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kouki.rules.business_days import japanese_calendar
from kouki.rules.instalments import (
    SAITAMA,
    InstalmentError,
    InstalmentPlan,
    Method,
    MissingParameter,
    PensionInfo,
    PlanRequest,
    YearMonth,
    plan_instalments,
    replan_to_direct,
)
from kouki.rules.instalments.replan import stop_takes_effect

CAL = japanese_calendar(range(2020, 2030))
MONTHS = (7, 8, 9, 10, 11, 12, 1, 2)  # test configuration: Saitama's own direct months are [NF]


def rules(lead: int | None = 2) -> object:
    return dataclasses.replace(SAITAMA, direct_months=MONTHS, pension_stop_lead_months=lead)


def pension_plan() -> InstalmentPlan:
    """4/6/8 仮徴収 10,000 each, 10/12/2 本徴収 10,000 each (FY2026)."""
    r = rules()
    assert isinstance(r, type(SAITAMA))
    pension = PensionInfo(1_800_000, 70_000, provisional_amount=10_000)
    return plan_instalments(PlanRequest(2026, 60_000, None, "age", pension), r, CAL)


def convert(plan: InstalmentPlan, months: list[YearMonth], as_of: date, lead: int | None = 2) -> object:
    r = rules(lead)
    assert isinstance(r, type(SAITAMA))
    return replan_to_direct(plan, not_deducted=months, as_of=as_of, rules=r, cal=CAL)


def test_october_not_deducted_moves_october_and_what_the_stop_reaches_to_direct_payment() -> None:
    plan = pension_plan()
    result = convert(plan, [YearMonth(2026, 10)], date(2026, 10, 25))
    items = result.instalments  # type: ignore[attr-defined]
    pension = [(i.month.iso(), i.amount) for i in items if i.method is Method.PENSION]
    assert pension == [("2026-04", 10_000), ("2026-06", 10_000), ("2026-08", 10_000)]
    direct = [i for i in items if i.method is Method.DIRECT]
    assert [i.month.iso() for i in direct] == ["2026-11", "2026-12", "2027-01", "2027-02"]
    assert all(i.due_date > date(2026, 10, 25) for i in direct)
    assert sum(i.amount for i in direct) == 30_000 and sum(i.amount for i in items) == 60_000
    assert result.pension_stopped and result.pension_stops_from == YearMonth(2026, 12)  # type: ignore[attr-defined]


def test_a_deduction_the_stop_cannot_reach_stays_after_the_month_moved() -> None:
    """Reported in June with a lead of 5 months (the stop reaches November on): August and October stay
    deductions; June and December onwards are paid directly."""
    plan = pension_plan()
    result = convert(plan, [YearMonth(2026, 6)], date(2026, 6, 20), lead=5)
    items = result.instalments  # type: ignore[attr-defined]
    assert [i.month.iso() for i in items if i.method is Method.PENSION] == ["2026-04", "2026-08", "2026-10"]
    assert sum(i.amount for i in items if i.method is Method.DIRECT) == 30_000
    assert sum(i.amount for i in items) == 60_000


def test_an_unknown_month_or_no_stop_lead_is_refused() -> None:
    plan = pension_plan()
    with pytest.raises(InstalmentError, match="not a pension month"):
        convert(plan, [YearMonth(2026, 7)], date(2026, 10, 25))
    with pytest.raises(MissingParameter, match="pension_stop_lead_months"):
        convert(plan, [YearMonth(2026, 10)], date(2026, 10, 25), lead=None)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from([4, 6, 8, 10, 12, 2]), st.integers(0, 4), st.integers(0, 27))
def test_the_total_is_kept_and_every_new_direct_instalment_falls_after_the_day(
        month: int, lead: int, extra_days: int) -> None:
    plan = pension_plan()
    reported = YearMonth.in_fiscal_year(2026, month)
    pay_day = next(i.due_date for i in plan.instalments if i.month == reported)
    as_of = date.fromordinal(pay_day.toordinal() + 5 + extra_days)
    result = convert(plan, [reported], as_of, lead=lead)
    items = result.instalments  # type: ignore[attr-defined]
    assert sum(i.amount for i in items) == plan.total
    assert all(i.due_date > as_of for i in items if i.method is Method.DIRECT and i not in plan.instalments)
    assert reported not in {i.month for i in items if i.method is Method.PENSION}
    kept = [i for i in items if i.method is Method.PENSION]
    assert all(i in plan.instalments for i in kept)  # unchanged
    r = rules(lead)
    assert isinstance(r, type(SAITAMA))
    effective = stop_takes_effect(as_of, r)
    assert all(i.month < effective or i.due_date <= as_of for i in kept)  # what the stop reaches moved
    assert [i for i in plan.instalments if i.method is Method.PENSION and i.month != reported
            and (i.month < effective or i.due_date <= as_of)] == kept  # and nothing else
