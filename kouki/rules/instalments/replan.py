"""Re-planning the remaining instalments after a reassessment (更正). Pure.

Instalments due on or before `as_of` stay as they were (settled: paid or owed as arrears, which is the
collection side's business). The remaining ones are re-planned so that settled + remaining = the new
premium (domain-facts §4 and §7 [S34]):
- the new premium is at most what was settled: every remaining instalment is cancelled and the excess
  is an overpayment (過誤納金), returned as its own figure;
- an increase: pension deductions cannot change, so they stay and only the increase is paid directly;
- a decrease: the pension deduction stops (the premium changed) and what is left is paid directly.
Stopping a deduction takes effect only from the payment the pension payer can still act on: the city
notifies the payer through the 経由機関 (介護保険法 §138①② applied by 高確法 §110), and the payer is
released from deducting only from the day it receives the notice (§138③). A stop notified in month m
takes effect from the first pension payment in month m + `pension_stop_lead_months` or later (city
configuration, [NF]); the pension instalments before it stay as planned, and what they bring in above the
new premium is the overpayment (過誤納, refunded or applied: §139②③), which the ledger derives.
Direct instalments go in the plan's remaining direct months; when it has none, in the city's regular
direct months after `as_of`; when none of those is left, in one instalment in the month after `as_of`.

`replan_to_direct` moves a person to direct payment after the union reported a pension deduction as not
made (特別徴収の未徴収, issue 11 §3): the instalments reported not deducted, and the pension instalments
the stop can still reach (the same `pension_stop_lead_months`), are paid directly instead, together with
the direct instalments still to come, in the direct months above; the deductions made and those the stop
cannot reach stay (a later non-deduction of one of them is moved the same way). The premium is unchanged.
The pension instalments that stay keep their 期別 (the caller stores them so; they name the claims).
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
    overpayment: int  # settled + kept pension − new premium when positive (to refund or set off)
    pension_stopped: bool  # remaining pension deductions were cancelled
    pension_stops_from: YearMonth | None = None  # first pension month cancelled by the stop

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


def stop_takes_effect(as_of: date, rules: CityInstalmentRules) -> YearMonth:
    """The first month whose pension payment a stop notified on `as_of` can still prevent."""
    lead = rules.pension_stop_lead_months
    if lead is None:
        raise MissingParameter(
            rules.city,
            ["pension_stop_lead_months"],
            "a decrease stops the pension deduction from the payment the payer can still act on",
        )
    if lead < 0:
        raise InstalmentError("pension_stop_lead_months: must not be negative")
    month = YearMonth.of(as_of)
    for _ in range(lead):
        month = month.next()
    return month


def _stop(
    pension: Sequence[Instalment], as_of: date, rules: CityInstalmentRules
) -> tuple[list[Instalment], YearMonth | None]:
    """The pension instalments the stop cannot reach (kept) and the first month it does reach."""
    if not pension:
        return [], None
    effective = stop_takes_effect(as_of, rules)
    kept = [i for i in pension if i.month < effective]
    return kept, (effective if len(kept) < len(pension) else None)


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
    old_total = sum(i.amount for i in remaining)
    pension = [i for i in remaining if i.method is Method.PENSION]
    if target == old_total:
        return Replan(_sorted(plan.instalments), settled, 0, False)
    if target > old_total:
        months = _direct_months(plan, remaining, as_of, rules)
        direct_total = target - sum(i.amount for i in pension)
        direct = direct_instalments(direct_total, months, rules, cal)
        return Replan(_sorted([*settled_items, *pension, *direct]), settled, 0, False)
    # A decrease (or nothing left to pay): the deduction stops from the month the payer can act on.
    kept, stops_from = _stop(pension, as_of, rules)
    rest = target - sum(i.amount for i in kept)
    stopped = stops_from is not None
    if rest <= 0:
        return Replan(_sorted([*settled_items, *kept]), settled, -rest, stopped, stops_from)
    months = _direct_months(plan, remaining, as_of, rules)
    direct = direct_instalments(rest, months, rules, cal)
    return Replan(_sorted([*settled_items, *kept, *direct]), settled, 0, stopped, stops_from)


def replan_to_direct(
    plan: InstalmentPlan,
    *,
    not_deducted: Sequence[YearMonth],
    as_of: date,
    rules: CityInstalmentRules,
    cal: BusinessCalendar,
) -> Replan:
    """Move the pension instalments of `not_deducted` months, and those from the month the stop takes
    effect, to direct instalments due after `as_of` (see the module rules). The total is unchanged."""
    pension = [i for i in plan.instalments if i.method is Method.PENSION]
    months_reported = set(not_deducted)
    unknown = months_reported - {i.month for i in pension}
    if unknown:
        raise InstalmentError(
            f"not_deducted: {', '.join(sorted(m.iso() for m in unknown))} is not a pension month of the plan"
        )
    effective = stop_takes_effect(as_of, rules)
    reached = [i for i in pension if i.month >= effective and i.due_date > as_of]
    moved = [i for i in pension if i.month in months_reported or i in reached]
    stays = [i for i in plan.instalments if i not in moved]
    remaining_direct = [i for i in stays if i.method is Method.DIRECT and i.due_date > as_of]
    kept = [i for i in stays if i not in remaining_direct]
    total = sum(i.amount for i in moved) + sum(i.amount for i in remaining_direct)
    settled = sum(i.amount for i in plan.instalments if i.due_date <= as_of)
    if total == 0:
        return Replan(_sorted(plan.instalments), settled, 0, False)
    months = _direct_months(plan, [i for i in plan.instalments if i.due_date > as_of], as_of, rules)
    direct = direct_instalments(total, months, rules, cal)
    stopped = any(i.due_date > as_of for i in moved)
    stops_from = min((i.month for i in moved if i.due_date > as_of), default=None)
    return Replan(_sorted([*kept, *direct]), settled, 0, stopped, stops_from)
