"""Re-planning the remaining instalments after a reassessment (更正). Pure.

Instalments due on or before `as_of` stay as they were (settled: paid or owed as arrears, which is the
collection side's business). The remaining ones are re-planned so that settled + remaining = the new
premium (domain-facts §4 and §7 [S34]):
- the new premium is at most what was settled: every remaining instalment is cancelled and the excess
  is an overpayment (過誤納金), returned as its own figure;
- an increase: pension deductions cannot change, so they stay and only the increase is paid directly;
- a decrease: the pension deduction stops (the premium changed) and what is left is paid directly.
Direct instalments go in the plan's remaining direct months; when it has none, in the city's regular
direct months after `as_of`; when none of those is left, in one instalment in the month after `as_of`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from kouki.rules.business_days import BusinessCalendar
from kouki.rules.instalments.config import CityInstalmentRules
from kouki.rules.instalments.direct import direct_instalments, regular_direct_months
from kouki.rules.instalments.model import (
    Instalment,
    InstalmentError,
    InstalmentPlan,
    Method,
    MissingParameter,
    YearMonth,
)


@dataclass(frozen=True)
class Replan:
    instalments: tuple[Instalment, ...]  # settled ones unchanged + the re-planned remaining ones
    settled: int  # total of the instalments due on or before as_of
    overpayment: int  # settled − new premium when positive (to refund or set off)
    pension_stopped: bool  # remaining pension deductions were cancelled

    @property
    def remaining_total(self) -> int:
        return sum(i.amount for i in self.instalments) - self.settled


def _direct_months(
    plan: InstalmentPlan, remaining: Sequence[Instalment], as_of: date, rules: CityInstalmentRules
) -> tuple[YearMonth, ...]:
    existing = tuple(sorted({i.month for i in remaining if i.method is Method.DIRECT}))
    if existing:
        return existing
    first = YearMonth.of(as_of).next()
    months = regular_direct_months(plan.fiscal_year, rules)
    if months is None:
        raise MissingParameter(
            rules.city, ["direct_months"], "a reassessment moves instalments to direct payment"
        )
    return tuple(ym for ym in months if ym >= first) or (first,)


def _sorted(items: Sequence[Instalment]) -> tuple[Instalment, ...]:
    return tuple(sorted(items, key=lambda i: (i.due_date, i.method.value)))


def replan_after_reassessment(
    plan: InstalmentPlan,
    *,
    new_annual_premium: int,
    as_of: date,
    rules: CityInstalmentRules,
    cal: BusinessCalendar,
) -> Replan:
    if new_annual_premium < 0:
        raise InstalmentError("new_annual_premium: must not be negative")
    settled_items = [i for i in plan.instalments if i.due_date <= as_of]
    remaining = [i for i in plan.instalments if i.due_date > as_of]
    settled = sum(i.amount for i in settled_items)
    target = new_annual_premium - settled
    has_pension = any(i.method is Method.PENSION for i in remaining)
    if target <= 0:
        return Replan(_sorted(settled_items), settled, -target, has_pension)
    old_total = sum(i.amount for i in remaining)
    if target == old_total:
        return Replan(_sorted(plan.instalments), settled, 0, False)
    months = _direct_months(plan, remaining, as_of, rules)
    if target > old_total:
        pension = [i for i in remaining if i.method is Method.PENSION]
        direct_total = target - sum(i.amount for i in pension)
        direct = direct_instalments(direct_total, months, rules, cal)
        return Replan(_sorted([*settled_items, *pension, *direct]), settled, 0, False)
    direct = direct_instalments(target, months, rules, cal)
    return Replan(_sorted([*settled_items, *direct]), settled, 0, has_pension)
