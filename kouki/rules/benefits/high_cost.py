"""高額療養費: what comes back to one household of insured people for one month. Pure; no Django.

The limit table, 多数回 and the 2割 配慮措置 are domain-facts-next §1 「高額療養費」 [R11][R12][R13];
the table tests cite them (tests/rules/test_high_cost.py). Two steps [R13]:

1. 外来 (個人単位): each member's outpatient co-payment above their 外来 limit comes back
   (`outpatient_refund`). 現役並み has no separate 外来 limit (the table: 外来 = household), so this step
   returns nothing for them and the household step decides everything.
2. 外来+入院 (世帯単位): what the household still bears (co-payments less step 1) above the household limit
   comes back (`household_refund`), shared among the members in proportion to what each still bears.

多数回 (from the 4th time in 12 months) replaces the household limit; 区分Ⅱ/Ⅰ have none and are refused.
Amounts are exact integer yen because costs are 点数 × 10円 (multiples of 10, checked by the request):
1割/2割/3割 of them and the 配慮措置's 10 % are whole yen. Only the 現役並み 1 % part needs rounding
(`one_percent_half_up`). Months outside the dated table are refused (`TableUnknown`), never guessed:
before 2022-10 (一般Ⅱ did not exist) and from 2026-08 (the staged revision's amounts for 後期 are not found).
The annual 外来 cap (144,000, 8/1–7/31) is a yearly settlement: `annual_outpatient_refund`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

COST_UNIT = 10  # 医療費 (10割) is 点数 × 10円
HIGH_COST_SETTING = "KOUKI_HIGH_COST_PARAMETERS"  # the setting naming the file of further tables


class IncomeClass(StrEnum):
    """所得区分 of the 高額療養費 table (the request's `income_class`)."""

    ACTIVE_3 = "active_3"  # 現役並みⅢ (課税所得 ≥ 690万)
    ACTIVE_2 = "active_2"  # 現役並みⅡ (≥ 380万)
    ACTIVE_1 = "active_1"  # 現役並みⅠ (≥ 145万)
    GENERAL_2 = "general_2"  # 一般Ⅱ (2割)
    GENERAL_1 = "general_1"  # 一般Ⅰ
    LOW_2 = "low_2"  # 区分Ⅱ
    LOW_1 = "low_1"  # 区分Ⅰ


CLASS_LABELS: dict[IncomeClass, str] = {
    IncomeClass.ACTIVE_3: "現役並みⅢ",
    IncomeClass.ACTIVE_2: "現役並みⅡ",
    IncomeClass.ACTIVE_1: "現役並みⅠ",
    IncomeClass.GENERAL_2: "一般Ⅱ",
    IncomeClass.GENERAL_1: "一般Ⅰ",
    IncomeClass.LOW_2: "区分Ⅱ",
    IncomeClass.LOW_1: "区分Ⅰ",
}

# 一部負担割合 of each class, in percent: 3割 for 現役並み, 2割 for 一般Ⅱ, else 1割.
COPAY_PERCENT: dict[IncomeClass, int] = {
    IncomeClass.ACTIVE_3: 30,
    IncomeClass.ACTIVE_2: 30,
    IncomeClass.ACTIVE_1: 30,
    IncomeClass.GENERAL_2: 20,
    IncomeClass.GENERAL_1: 10,
    IncomeClass.LOW_2: 10,
    IncomeClass.LOW_1: 10,
}


class TableUnknown(ValueError):
    """No limit table is known for the month, or the class has no such limit; the message says which."""


@dataclass(frozen=True)
class ActiveLimit:
    """現役並み: base + (医療費 − threshold) × 1 %, or the flat 多数回 amount."""

    base: int
    threshold: int
    many_times: int


@dataclass(frozen=True)
class FlatLimit:
    """一般 and 区分Ⅱ/Ⅰ: a flat 外来 limit per person and a flat household limit (多数回: None = none)."""

    outpatient: int
    household: int
    many_times: int | None


@dataclass(frozen=True)
class CareMeasure:
    """2割 配慮措置 [R11]: the 一般Ⅱ 外来 limit is the lower of the flat limit and
    base + (外来医療費 − threshold) × 10 % — the rise over 1割 capped at 3,000円 a month."""

    base: int
    threshold: int
    percent: int
    first: date
    last: date  # inclusive

    def applies(self, month: date) -> bool:
        return self.first <= month <= self.last


@dataclass(frozen=True)
class LimitTable:
    """The limits in force for the months first … last (first days of months, inclusive)."""

    first: date
    last: date
    active: dict[IncomeClass, ActiveLimit]
    flat: dict[IncomeClass, FlatLimit]
    care_measure: CareMeasure | None  # None: no 配慮措置 in these months
    annual_outpatient_cap: int  # 一般Ⅱ/Ⅰ, 8/1–7/31
    annual_cap_classes: frozenset[IncomeClass]
    source: str = "domain-facts-next §1 「高額療養費」 [R11][R12][R13]"


# domain-facts-next §1 「高額療養費」, the monthly limits [R12][R13], the 配慮措置 [R11], the annual cap.
TABLE_2022_10 = LimitTable(
    first=date(2022, 10, 1),
    last=date(2026, 7, 1),
    active={
        IncomeClass.ACTIVE_3: ActiveLimit(252_600, 842_000, 140_100),
        IncomeClass.ACTIVE_2: ActiveLimit(167_400, 558_000, 93_000),
        IncomeClass.ACTIVE_1: ActiveLimit(80_100, 267_000, 44_400),
    },
    flat={
        IncomeClass.GENERAL_2: FlatLimit(18_000, 57_600, 44_400),
        IncomeClass.GENERAL_1: FlatLimit(18_000, 57_600, 44_400),
        IncomeClass.LOW_2: FlatLimit(8_000, 24_600, None),
        IncomeClass.LOW_1: FlatLimit(8_000, 15_000, None),
    },
    care_measure=CareMeasure(6_000, 30_000, 10, date(2022, 10, 1), date(2025, 9, 30)),
    annual_outpatient_cap=144_000,
    annual_cap_classes=frozenset({IncomeClass.GENERAL_2, IncomeClass.GENERAL_1}),
)
TABLES: tuple[LimitTable, ...] = (TABLE_2022_10,)


def table_for(month: date, tables: Sequence[LimitTable] = TABLES) -> LimitTable:
    """The table in force in `month` (any day of it); TableUnknown outside every table."""
    first_day = month.replace(day=1)
    for table in tables:
        if table.first <= first_day <= table.last:
            return table
    first = min(t.first for t in tables)
    last = max(t.last for t in tables)
    if first_day < first:
        reason = (
            f"months before {first:%Y-%m} are not implemented (一般Ⅱ and its table start in {first:%Y-%m})"
        )
    else:
        reason = (
            f"the limits after {last:%Y-%m} are not known "
            "(the staged revision from 2026-08: its amounts for 後期 were not found); "
            f"configure them in {HIGH_COST_SETTING} (docs/operations/high-cost-parameters.md)"
        )
    raise TableUnknown(f"no 高額療養費 limit table for {first_day:%Y-%m}: {reason}")


def one_percent_half_up(amount: int) -> int:
    """現役並み: (医療費 − threshold) × 1 %, 1円未満四捨五入 (ADR 0006, issue 12 §3)."""
    return int((Decimal(amount) / 100).to_integral_value(rounding=ROUND_HALF_UP))


def copayment(cost: int, income_class: IncomeClass) -> int:
    """一部負担金 of a cost (10割, a multiple of 10円): exactly 1割, 2割 or 3割 of it."""
    if cost < 0 or cost % COST_UNIT:
        raise ValueError(f"a cost is a non-negative multiple of {COST_UNIT} yen, got {cost}")
    return cost * COPAY_PERCENT[income_class] // 100


def outpatient_limit(
    income_class: IncomeClass, month: date, outpatient_cost: int, table: LimitTable
) -> int | None:
    """A member's 外来 limit (個人単位), or None for 現役並み (no separate 外来 limit)."""
    flat = table.flat.get(income_class)
    if flat is None:
        return None
    measure = table.care_measure
    if income_class is IncomeClass.GENERAL_2 and measure is not None and measure.applies(month):
        eased = measure.base + (outpatient_cost - measure.threshold) * measure.percent // 100
        return min(flat.outpatient, eased)
    return flat.outpatient


def household_limit(income_class: IncomeClass, many_times: bool, total_cost: int, table: LimitTable) -> int:
    """The household's 外来+入院 limit (世帯単位); 多数回 replaces it where the class has one."""
    active = table.active.get(income_class)
    if active is not None:
        if many_times:
            return active.many_times
        return active.base + one_percent_half_up(total_cost - active.threshold)
    flat = table.flat[income_class]
    if many_times:
        if flat.many_times is None:
            raise TableUnknown(f"{CLASS_LABELS[income_class]} has no 多数回 limit")
        return flat.many_times
    return flat.household


@dataclass(frozen=True)
class MemberCosts:
    key: str
    outpatient_cost: int
    inpatient_cost: int


@dataclass(frozen=True)
class MemberRefund:
    key: str
    copayment: int
    outpatient_limit: int | None
    outpatient_refund: int
    household_refund: int

    @property
    def refund(self) -> int:
        return self.outpatient_refund + self.household_refund


@dataclass(frozen=True)
class HighCostResult:
    household_limit: int
    members: tuple[MemberRefund, ...]

    @property
    def copayment_total(self) -> int:
        return sum(m.copayment for m in self.members)

    @property
    def refund_total(self) -> int:
        return sum(m.refund for m in self.members)


def share_in_proportion(total: int, weights: Sequence[int]) -> list[int]:
    """`total` shared in proportion to `weights` (最大剰余法: floors, then the largest remainders get 1円
    each, ties in order); the shares add up to `total` exactly. ADR 0006, issue 12 §3."""
    whole = sum(weights)
    if total == 0:
        return [0] * len(weights)
    if whole <= 0 or total < 0:
        raise ValueError(f"cannot share {total} yen by the weights {list(weights)}")
    shares = [total * w // whole for w in weights]
    remainders = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % whole), i))
    for i in remainders[: total - sum(shares)]:
        shares[i] += 1
    return shares


def high_cost_refund(
    month: date,
    income_class: IncomeClass,
    many_times: bool,
    members: Sequence[MemberCosts],
    tables: Sequence[LimitTable] = TABLES,
) -> HighCostResult:
    """The household's 高額療養費 for `month` (module docstring: the two steps)."""
    table = table_for(month, tables)
    total_cost = sum(m.outpatient_cost + m.inpatient_cost for m in members)
    limit = household_limit(income_class, many_times, total_cost, table)
    first_step = []
    for m in members:
        out_copay = copayment(m.outpatient_cost, income_class)
        in_copay = copayment(m.inpatient_cost, income_class)
        own_limit = outpatient_limit(income_class, month, m.outpatient_cost, table)
        out_refund = 0 if own_limit is None else max(0, out_copay - own_limit)
        first_step.append((m, out_copay + in_copay, own_limit, out_refund))
    still_borne = [copay - out_refund for _m, copay, _l, out_refund in first_step]
    household_shares = share_in_proportion(max(0, sum(still_borne) - limit), still_borne)
    return HighCostResult(
        household_limit=limit,
        members=tuple(
            MemberRefund(m.key, copay, own_limit, out_refund, share)
            for (m, copay, own_limit, out_refund), share in zip(first_step, household_shares, strict=True)
        ),
    )


def annual_outpatient_refund(
    income_class: IncomeClass, year_end: date, outpatient_borne: int, tables: Sequence[LimitTable] = TABLES
) -> int:
    """The annual 外来 cap (一般Ⅱ/Ⅰ, 144,000 for 8/1–7/31): what comes back of `outpatient_borne`, the
    member's 外来 co-payments of the year still borne after the monthly 高額療養費, judged with the table
    of the year's last month (`year_end`, a July). Other classes have no annual cap in the facts."""
    table = table_for(year_end, tables)
    if income_class not in table.annual_cap_classes:
        raise TableUnknown(f"{CLASS_LABELS[income_class]} has no annual 外来 cap")
    return max(0, outpatient_borne - table.annual_outpatient_cap)
