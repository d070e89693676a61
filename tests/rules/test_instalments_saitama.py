"""Saitama City's start table: direct payment until the pension deduction starts, by the date of the
75th birthday (domain-facts §7).

Source for every row: https://www.city.saitama.jp/001/017/004/p092647.html [S34] (updated 2023-04-01).
"""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from kouki.rules.business_days import japanese_calendar
from kouki.rules.instalments import (
    SAITAMA,
    DirectReason,
    Method,
    MissingParameter,
    PensionInfo,
    PlanRequest,
    Stage,
    YearMonth,
    plan_instalments,
)
from kouki.rules.instalments.start_table import SAITAMA_START_TABLE, decide_start

CAL = japanese_calendar(range(2020, 2031))
PENSION = PensionInfo(1_800_000, 70_000)


def ym(text: str) -> YearMonth:
    return YearMonth.parse(text)


def months(*texts: str) -> tuple[YearMonth, ...]:
    return tuple(ym(t) for t in texts)


FEB_RUN = ("2026-08", "2026-09", "2026-10", "2026-11", "2026-12", "2027-01", "2027-02")


@pytest.mark.parametrize(
    ("birthday", "direct", "starts"),
    [
        # 4/1 – 6/30: July to September; October of the same fiscal year
        (date(2026, 4, 1), months("2026-07", "2026-08", "2026-09"), "2026-10"),
        (date(2026, 6, 30), months("2026-07", "2026-08", "2026-09"), "2026-10"),
        # 7/1 – 10/2: month after the birthday to the next February; April of the next FY
        (date(2026, 7, 1), months(*FEB_RUN), "2027-04"),
        (date(2026, 10, 2), months("2026-11", "2026-12", "2027-01", "2027-02"), "2027-04"),
        # 10/3 – 12/2: same direct months; June of the next FY
        (date(2026, 10, 3), months("2026-11", "2026-12", "2027-01", "2027-02"), "2027-06"),
        (date(2026, 12, 2), months("2027-01", "2027-02"), "2027-06"),
        # 12/3 – 2/2: month after the birthday to February; August of the next FY
        (date(2026, 12, 3), months("2027-01", "2027-02"), "2027-08"),
        (date(2027, 1, 31), months("2027-02"), "2027-08"),
        (date(2027, 2, 2), months("2027-03"), "2027-08"),  # no month up to February is left
        # 2/3 and later: the month after the birthday (and July–September next FY); October of the next FY
        (date(2027, 2, 3), months("2027-03"), "2027-10"),
        (date(2027, 3, 31), months("2027-04"), "2027-10"),
    ],
)
def test_start_table_rows(birthday: date, direct: tuple[YearMonth, ...], starts: str) -> None:
    decision = decide_start(SAITAMA_START_TABLE, birthday)
    assert decision.direct_acquisition_fy == direct
    assert decision.pension_starts == ym(starts)
    plan = plan_instalments(PlanRequest(2026, 60_000, birthday, "age", PENSION), SAITAMA, CAL)
    assert plan.pension_deduction_starts == ym(starts)
    assert plan.total == 60_000
    direct_months = tuple(i.month for i in plan.instalments if i.method is Method.DIRECT)
    assert direct_months == direct


def test_issue_example_july_birthday() -> None:
    """The issue's example: 75 on 2026-07-15 → direct August–February, deduction from April 2027."""
    plan = plan_instalments(PlanRequest(2026, 60_000, date(2026, 7, 15), "age", PENSION), SAITAMA, CAL)
    assert [i.month for i in plan.instalments] == list(months(*FEB_RUN))
    assert [i.amount for i in plan.instalments] == [9_000] + [8_500] * 6
    assert plan.instalments[0].due_date == date(2026, 8, 31)
    assert plan.pension_deduction_starts == ym("2027-04")
    assert plan.direct_reason is DirectReason.BEFORE_DEDUCTION_STARTS


def test_spring_birthday_mixes_direct_and_pension_in_the_same_year() -> None:
    """4/1–6/30: July–September direct, then 本徴収 October/December/February (no 仮徴収)."""
    plan = plan_instalments(PlanRequest(2026, 50_050, date(2026, 5, 20), "age", PENSION), SAITAMA, CAL)
    assert [(i.month.month, i.method, i.amount) for i in plan.instalments] == [
        (7, Method.DIRECT, 8_550),
        (8, Method.DIRECT, 8_300),
        (9, Method.DIRECT, 8_300),
        (10, Method.PENSION, 8_300),
        (12, Method.PENSION, 8_300),
        (2, Method.PENSION, 8_300),
    ]
    assert all(i.stage is Stage.FINAL for i in plan.instalments if i.method is Method.PENSION)


@pytest.mark.parametrize(
    ("birthday", "pension_months", "provisional_months"),
    [
        (date(2026, 8, 10), [4, 6, 8, 10, 12, 2], [4, 6, 8]),  # started April 2027
        (date(2026, 11, 1), [6, 8, 10, 12, 2], [6, 8]),  # started June 2027
        (date(2027, 1, 10), [8, 10, 12, 2], [8]),  # started August 2027
    ],
)
def test_next_fiscal_year_starts(
    birthday: date, pension_months: list[int], provisional_months: list[int]
) -> None:
    """The next FY: deduction from April, June or August with 仮徴収 until August; no direct months."""
    pension = PensionInfo(1_800_000, 70_000, provisional_amount=7_000)
    plan = plan_instalments(PlanRequest(2027, 66_000, birthday, "age", pension), SAITAMA, CAL)
    assert [i.month.month for i in plan.instalments] == pension_months
    assert [i.month.month for i in plan.instalments if i.stage is Stage.PROVISIONAL] == provisional_months
    assert all(i.method is Method.PENSION for i in plan.instalments)
    assert plan.total == 66_000


def test_late_winter_birthday_next_year_pays_july_to_september_directly() -> None:
    """2/3 and later: in the next FY July–September direct, the deduction from October."""
    plan = plan_instalments(PlanRequest(2027, 60_000, date(2027, 2, 10), "age", PENSION), SAITAMA, CAL)
    assert [(i.month.month, i.method) for i in plan.instalments] == [
        (7, Method.DIRECT),
        (8, Method.DIRECT),
        (9, Method.DIRECT),
        (10, Method.PENSION),
        (12, Method.PENSION),
        (2, Method.PENSION),
    ]
    assert plan.pension_deduction_starts == ym("2027-10")


def test_moved_in_has_no_sourced_start_rule() -> None:
    """The table is by the 75th birthday; a move-in needs the regular direct months (configuration)."""
    with pytest.raises(MissingParameter, match="direct_months"):
        plan_instalments(PlanRequest(2026, 60_000, date(2026, 7, 15), "move_in", PENSION), SAITAMA, CAL)
    rules = dataclasses.replace(SAITAMA, direct_months=(7, 8, 9, 10, 11, 12, 1, 2))
    plan = plan_instalments(PlanRequest(2026, 60_000, date(2026, 7, 15), "move_in", PENSION), rules, CAL)
    assert plan.direct_reason is DirectReason.NO_START_RULE
    assert plan.pension_deduction_starts is None
    assert [i.month.month for i in plan.instalments] == [8, 9, 10, 11, 12, 1, 2]


def test_long_insured_person_is_deducted_all_year() -> None:
    pension = PensionInfo(1_800_000, 70_000, provisional_amount=10_000)
    plan = plan_instalments(PlanRequest(2026, 60_000, date(2020, 5, 1), "age", pension), SAITAMA, CAL)
    assert plan.pension_deduction_starts == ym("2026-04")
    assert [i.month.month for i in plan.instalments] == [4, 6, 8, 10, 12, 2]
