"""普通徴収 (direct payment): amounts and due dates of the instalments. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import lru_cache

from kouki.rules.business_days import BusinessCalendar, due_date
from kouki.rules.instalments.config import CityInstalmentRules
from kouki.rules.instalments.model import Instalment, Method, Stage, YearMonth


def round_down_to(amount: int, unit: int) -> int:
    """Truncate a non-negative amount to a multiple of `unit` (端数切捨て)."""
    if unit <= 0:
        raise ValueError("rounding unit must be positive")
    return amount // unit * unit


def split_odd_in_first(total: int, count: int, unit: int) -> list[int]:
    """Split `total` into `count` instalments; each after the first is total/count rounded down to
    `unit`, and the first carries the rest (100円未満の端数は第1期に加算 [S59])."""
    if count <= 0:
        raise ValueError("at least one instalment is needed")
    if total < 0:
        raise ValueError("a negative total cannot be split")
    later = round_down_to(total // count, unit)
    return [total - later * (count - 1)] + [later] * (count - 1)


def direct_due_date(month: YearMonth, rules: CityInstalmentRules, cal: BusinessCalendar) -> date:
    return due_date(month.year, month.month, rules.due_day_for(month.month), cal)


def direct_instalments(
    total: int, months: Sequence[YearMonth], rules: CityInstalmentRules, cal: BusinessCalendar
) -> list[Instalment]:
    """The direct instalments of `total` over `months` (odd yen in the first); zero amounts are left out."""
    if not months:
        return []
    amounts = split_odd_in_first(total, len(months), rules.direct_rounding_unit)
    day, overrides = rules.direct_due_day, rules.direct_due_day_overrides
    return [
        Instalment(Method.DIRECT, Stage.DIRECT, ym, _due(ym.year, ym.month, day, overrides, cal), amount)
        for ym, amount in zip(months, amounts, strict=True)
        if amount > 0
    ]


@lru_cache(maxsize=4096)
def _due(
    year: int, month: int, day: int | None, overrides: tuple[tuple[int, int], ...], cal: BusinessCalendar
) -> date:
    """direct_due_date by value (a bulk run asks for the same few dates over and over)."""
    for m, override in overrides:
        if m == month:
            day = override
            break
    return due_date(year, month, day, cal)


def regular_direct_months(fiscal_year: int, rules: CityInstalmentRules) -> tuple[YearMonth, ...] | None:
    if rules.direct_months is None:
        return None
    return _fiscal_months(fiscal_year, rules.direct_months)


@lru_cache(maxsize=256)
def _fiscal_months(fiscal_year: int, months: tuple[int, ...]) -> tuple[YearMonth, ...]:
    return tuple(YearMonth.in_fiscal_year(fiscal_year, m) for m in months)
