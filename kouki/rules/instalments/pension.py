"""特別徴収 (pension deduction): who qualifies, 仮徴収 with 平準化, 本徴収, and the deduction dates. Pure.

- Not deducted when the pension from which the care premium is deducted is < 18万/year, or when care +
  LSEMC premiums together exceed half of it [S34] (domain-facts §4, §7).
- 仮徴収 April/June/August: the previous February's amount [S37]. 平準化: when the provisional total would
  exceed half of the previous annual premium, June and August are lowered so that it does not [S37].
- 本徴収 October/December/February: annual − provisional, split in three; December and February are round
  100円 and October carries the rest [S38].
- Pensions are paid on the 15th of even months; a closed 15th moves to the previous business day.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from kouki.rules.business_days import BusinessCalendar, paid_on_or_before
from kouki.rules.instalments.config import CityInstalmentRules
from kouki.rules.instalments.direct import round_down_to
from kouki.rules.instalments.model import DirectReason, Instalment, Method, Stage, YearMonth


@dataclass(frozen=True)
class PensionInfo:
    """The pension from which the care premium is deducted (介護保険料の特別徴収対象年金)."""

    annual_amount: int
    care_premium_annual: int = 0
    # 仮徴収額 per instalment: the previous February's deduction (介護保険法 §140①), or the amount of the
    # 仮徴収額決定通知書 (§135③); 0 = not deducted in February → no 仮徴収 (direct until September).
    provisional_amount: int | None = None
    previous_annual_premium: int | None = None  # for 平準化


def deduction_refusal(
    pension: PensionInfo | None, annual_premium: int, rules: CityInstalmentRules
) -> DirectReason | None:
    """None when the premium can be deducted from this pension, otherwise why not."""
    if pension is None or pension.annual_amount <= 0:
        return DirectReason.NO_PENSION
    if pension.annual_amount < rules.pension_minimum_annual:
        return DirectReason.PENSION_BELOW_MINIMUM
    if rules.pension_half_test and 2 * (pension.care_premium_annual + annual_premium) > pension.annual_amount:
        return DirectReason.OVER_HALF
    return None


@lru_cache(maxsize=256)
def fiscal_pension_months(fiscal_year: int) -> tuple[YearMonth, ...]:
    """The six pension payment months of a fiscal year, April to February."""
    return tuple(YearMonth.in_fiscal_year(fiscal_year, m) for m in (4, 6, 8, 10, 12, 2))


def pension_payment_date(month: YearMonth, rules: CityInstalmentRules, cal: BusinessCalendar) -> date:
    """年金支払日: the 15th, or the business day before it."""
    return paid_on_or_before(month.year, month.month, rules.pension_payment_day, cal)


def smoothed_provisional(
    provisional: int, count: int, previous_annual: int | None, rules: CityInstalmentRules
) -> list[int]:
    """The provisional amounts of `count` (≤ 3) instalments from April on.

    平準化 [S37]: when the total would exceed half of the previous annual premium, the instalments after
    the first (June, August) are lowered so that the total is that half; the last is round to the
    final rounding unit and the middle one takes the rest. Only an April start is smoothed.
    """
    amounts = [provisional] * count
    if not (rules.smoothing and count == 3 and previous_annual is not None):
        return amounts
    half = previous_annual // 2
    if provisional * count <= half:
        return amounts
    rest = max(0, half - provisional)
    august = round_down_to(rest // 2, rules.final_rounding_unit)
    return [provisional, rest - august, august]


def split_final_odd_in_october(remaining: int, unit: int) -> list[int]:
    """本徴収 October/December/February: December and February are remaining/3 rounded down to `unit`,
    October carries the rest [S38]."""
    if remaining < 0:
        raise ValueError("a negative remainder cannot be split")
    later = round_down_to(remaining // 3, unit)
    return [remaining - 2 * later, later, later]


def pension_instalments(
    *,
    fiscal_year: int,
    starts: YearMonth,
    pension_share: int,
    provisional: Sequence[int],
    rules: CityInstalmentRules,
    cal: BusinessCalendar,
) -> tuple[list[Instalment], int]:
    """The pension instalments of one FY from `starts`; returns (instalments, overpayment).

    `provisional` holds the amounts of the provisional months from `starts` (empty when it starts in
    October or later). `pension_share` is what the pension must bring in over the whole FY; the final
    instalments take `pension_share − provisional` (never below zero: the excess is the overpayment).
    """
    schedule = _payment_schedule(fiscal_year, rules.pension_payment_day, cal)
    first = starts.year * 12 + starts.month
    months = [ym for ym in schedule if ym.year * 12 + ym.month >= first]  # ym >= starts, by value
    provisional_months = [ym for ym in months if ym.month in (4, 6, 8)]
    final_months = [ym for ym in months if ym.month in (10, 12, 2)]
    if not final_months:
        raise ValueError(f"pension deduction starting {starts.iso()} has no final month in FY{fiscal_year}")
    if len(provisional) != len(provisional_months):
        raise ValueError("one provisional amount per provisional month is needed")
    provisional_total = sum(provisional)
    remaining = pension_share - provisional_total
    overpayment = max(0, -remaining)
    finals = split_final_odd_in_october(max(0, remaining), rules.final_rounding_unit)[-len(final_months) :]
    if len(final_months) < 3 and remaining > 0:
        # Fewer than three final months only happens for a start after October: spread over those.
        later = round_down_to(remaining // len(final_months), rules.final_rounding_unit)
        finals = [remaining - later * (len(final_months) - 1)] + [later] * (len(final_months) - 1)
    result: list[Instalment] = []
    for ym, amount in zip(provisional_months, provisional, strict=True):
        if amount > 0:
            result.append(Instalment(Method.PENSION, Stage.PROVISIONAL, ym, schedule[ym], amount))
    for ym, amount in zip(final_months, finals, strict=True):
        if amount > 0:
            result.append(Instalment(Method.PENSION, Stage.FINAL, ym, schedule[ym], amount))
    return result, overpayment


@lru_cache(maxsize=256)
def _payment_schedule(fiscal_year: int, day: int, cal: BusinessCalendar) -> dict[YearMonth, date]:
    """The FY's pension months (April to February) → 年金支払日 (`pension_payment_date`), computed once
    per fiscal year, payment day and calendar. Read-only: callers must not change it."""
    return {ym: paid_on_or_before(ym.year, ym.month, day, cal) for ym in fiscal_pension_months(fiscal_year)}
