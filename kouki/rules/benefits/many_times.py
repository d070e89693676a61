"""高額療養費 over consecutive months: 多数回 (from the 4th time within 12 months) and the 外来 borne
that the annual cap settles. Pure; builds on kouki.rules.benefits.high_cost.

A month counts (該当) when the household limit was exceeded (a household refund). Refunds under the
外来-only limit do not count [R13]; for 現役並み there is no separate 外来 limit, so every refund is a
household one and counts (domain-facts-next §1 「How the limits apply」).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from kouki.rules.benefits.high_cost import (
    TABLES,
    HighCostResult,
    IncomeClass,
    LimitTable,
    MemberCosts,
    MemberRefund,
    copayment,
    high_cost_refund,
    table_for,
)

EARLIER_HITS = 3  # the 4th time within 12 months: 3 in the 11 months before


def month_index(month: date) -> int:
    return month.year * 12 + month.month - 1


def month_of_index(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def has_many_times(income_class: IncomeClass, month: date, tables: Sequence[LimitTable] = TABLES) -> bool:
    table = table_for(month, tables)
    if income_class in table.active:
        return True
    return table.flat[income_class].many_times is not None


def is_many_times(month: date, hit_months: Sequence[date]) -> bool:
    """多数回該当 in `month`: at least 3 months with a household refund in the 11 months before it."""
    now = month_index(month)
    return sum(1 for h in hit_months if 1 <= now - month_index(h) <= 11) >= EARLIER_HITS


@dataclass(frozen=True)
class MonthResult:
    month: date
    many_times: bool
    result: HighCostResult

    @property
    def hit(self) -> bool:
        return any(m.household_refund > 0 for m in self.result.members)


def household_months(
    income_class: IncomeClass, months: Sequence[date], members_of: Callable[[date], Sequence[MemberCosts]],
    tables: Sequence[LimitTable] = TABLES,
) -> list[MonthResult]:  # fmt: skip
    """The household's 高額療養費 month by month (in order), 多数回 judged from the months before."""
    hits: list[date] = []
    out = []
    for month in sorted(months):
        many = has_many_times(income_class, month, tables) and is_many_times(month, hits)
        result = high_cost_refund(month, income_class, many, members_of(month), tables)
        month_result = MonthResult(month, many, result)
        if month_result.hit:
            hits.append(month)
        out.append(month_result)
    return out


def outpatient_still_borne(costs: MemberCosts, refund: MemberRefund, income_class: IncomeClass) -> int:
    """The member's 外来 co-payment still borne after the month's 高額療養費: the household refund is taken
    from 外来 and 入院 in proportion to what each still bore (floor, in the member's favour of nothing)."""
    outpatient = copayment(costs.outpatient_cost, income_class) - refund.outpatient_refund
    borne = refund.copayment - refund.outpatient_refund
    if borne <= 0:
        return 0
    return max(0, outpatient - refund.household_refund * outpatient // borne)
