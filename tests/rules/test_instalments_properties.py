"""Property tests of instalment planning and re-planning (issue 4 §4)."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from kouki.rules.business_days import japanese_calendar
from kouki.rules.instalments import (
    HANNO,
    SAITAMA,
    UEDA,
    InstalmentPlan,
    Method,
    PensionInfo,
    PlanRequest,
    Stage,
    YearMonth,
    plan_instalments,
    replan_after_reassessment,
)

CAL = japanese_calendar(range(2018, 2032))
SAITAMA_CONFIGURED = dataclasses.replace(SAITAMA, direct_months=(7, 8, 9, 10, 11, 12, 1, 2, 3))
RULES = st.sampled_from([HANNO, UEDA, SAITAMA_CONFIGURED])
# The stop lead is [NF] (configuration): any lead from 0 to 6 months.
RULES_WITH_LEAD = st.builds(
    lambda rules, lead: dataclasses.replace(rules, pension_stop_lead_months=lead), RULES, st.integers(0, 6)
)
PENSION_MONTHS = {4, 6, 8, 10, 12, 2}

pensions = st.one_of(
    st.none(),
    st.builds(
        PensionInfo,
        annual_amount=st.integers(0, 4_000_000),
        care_premium_annual=st.integers(0, 200_000),
        provisional_amount=st.integers(0, 150_000),
        previous_annual_premium=st.one_of(st.none(), st.integers(0, 850_000)),
    ),
)


@st.composite
def requests(draw: st.DrawFn) -> PlanRequest:
    fy = draw(st.integers(2021, 2028))
    insured_from = draw(
        st.one_of(
            st.none(),
            st.dates(date(fy - 3, 4, 1), date(fy + 1, 3, 31)),
        )
    )
    return PlanRequest(
        fiscal_year=fy,
        annual_premium=draw(st.integers(0, 850_000)),
        insured_from=insured_from,
        acquisition_reason=draw(st.sampled_from(["age", "disability", "move_in", "other"])),
        pension=draw(pensions),
    )


def check_plan(plan: InstalmentPlan, req: PlanRequest) -> None:
    assert plan.total - plan.overpayment == req.annual_premium
    assert all(i.amount > 0 for i in plan.instalments)
    assert all(CAL.is_business_day(i.due_date) for i in plan.instalments)
    for i in plan.instalments:
        if i.method is Method.PENSION:
            assert i.month.month in PENSION_MONTHS
            assert i.month.fiscal_year == req.fiscal_year
    if plan.overpayment:
        assert all(i.method is Method.PENSION for i in plan.instalments)
    if req.pension is not None and req.pension.provisional_amount == 0:
        # not deducted in February: no 仮徴収 (介護保険法 §140① via 高確法 §110)
        assert not [i for i in plan.instalments if i.stage is Stage.PROVISIONAL]


@settings(max_examples=400, deadline=None)
@given(requests(), RULES)
def test_plans_sum_to_the_premium(req: PlanRequest, rules: object) -> None:
    assert isinstance(rules, type(HANNO))
    check_plan(plan_instalments(req, rules, CAL), req)


@settings(max_examples=300, deadline=None)
@given(requests(), RULES_WITH_LEAD, st.integers(0, 900_000), st.integers(0, 420))
def test_replanning_keeps_the_sum(req: PlanRequest, rules: object, new: int, days: int) -> None:
    assert isinstance(rules, type(HANNO))
    plan = plan_instalments(req, rules, CAL)
    as_of = date(req.fiscal_year, 4, 1) + timedelta(days=days)
    result = replan_after_reassessment(plan, new_annual_premium=new, as_of=as_of, rules=rules, cal=CAL)
    settled = sum(i.amount for i in plan.instalments if i.due_date <= as_of)
    assert result.settled == settled
    assert all(i.amount > 0 for i in result.instalments)
    assert all(CAL.is_business_day(i.due_date) for i in result.instalments)
    # the year's total is the new annual amount; anything above it is the overpayment
    assert sum(i.amount for i in result.instalments) - result.overpayment == new
    assert result.overpayment >= 0
    if new < settled:
        assert result.overpayment >= settled - new
    if result.overpayment:
        assert not [i for i in result.instalments if i.due_date > as_of and i.method is Method.DIRECT]
    pension_after = [i for i in plan.instalments if i.due_date > as_of and i.method is Method.PENSION]
    if result.pension_stopped:
        assert rules.pension_stop_lead_months is not None
        effective = result.pension_stops_from
        assert effective is not None
        # a stop reaches no payment before the month the payer can act on: those stay as planned …
        kept = [i for i in pension_after if i.month < effective]
        assert [i for i in result.instalments if i.due_date > as_of and i.method is Method.PENSION] == kept
        # … and no pension instalment still to come remains from that month on
        assert all(
            i.month < effective
            for i in result.instalments
            if i.method is Method.PENSION and i.due_date > as_of
        )
        assert effective >= YearMonth.of(as_of)
    else:
        assert [i for i in result.instalments if i.method is Method.PENSION and i.due_date > as_of] == (
            pension_after
        )
    # settled instalments are never changed
    assert [i for i in result.instalments if i.due_date <= as_of] == [
        i for i in plan.instalments if i.due_date <= as_of
    ]
    # new instalments fall after as_of
    assert all(i.due_date > as_of for i in result.instalments if i not in plan.instalments)
