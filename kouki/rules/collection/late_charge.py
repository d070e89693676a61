"""延滞金 (late-payment charge) on one instalment of premium paid after its due date. Pure.

Basis: 地方自治法 §231の3② (a city may charge 延滞金 on premiums by ordinance) and the city's
後期高齢者医療に関する条例. The usual wording of those ordinances (e.g. 小平市, 大津市, 甲斐市 pages cited in
tests/rules/test_late_charge.py):

- the charge runs from the day after the due date (納期限の翌日) to the payment date, on the premium amount
  with its fraction under 1,000円 cut off; a premium under 2,000円 bears none;
- 年14.6 %, but 年7.3 % for the first `early_months` months after the due date (1 month in most
  ordinances, 3 months in the Tokyo wards);
- while the 延滞金特例基準割合 of a calendar year is under 7.3 %, that year's days are charged at
  特例基準割合 + 7.3 % and 特例基準割合 + 1 % (capped at 7.3 %) instead (the ordinance's 附則);
- a part paid reduces the base for the days after it is paid (the payment day counts on the old base);
- a year is 365 days, leap years included; the sum is cut to 100円, and a charge under 1,000円 is not
  collected;
- no charge runs on the days of a 徴収猶予 of the instalment: 「猶予の期間の延滞金は免除」 (the union's
  条例 第17条 and its guidance, domain-facts-next §2 [R24][R25]); `waived` gives those periods.

Which values the city's own ordinance uses is configuration (`LateChargeRules`); a year whose
特例基準割合 is not configured raises `MissingRate` naming the year — never a guessed rate.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

DAYS_IN_YEAR = 365  # 「閏年の日を含む期間についても、365日当たりの割合」


class MissingRate(LookupError):
    """The 延滞金特例基準割合 of a calendar year the charge runs into is not configured."""

    def __init__(self, years: Iterable[int]) -> None:
        self.years = tuple(sorted(set(years)))
        super().__init__("延滞金特例基準割合が未設定の年: " + "、".join(f"{y}年" for y in self.years))


@dataclass(frozen=True)
class SpecialRate:
    """延滞金特例基準割合 (percent a year) of one calendar year, with the page that publishes it."""

    year: int
    percent: Decimal
    source: str


@dataclass(frozen=True)
class LateChargeRules:
    """The ordinance's values. `early_months` None: not known for this city (nothing is computed)."""

    early_months: int | None
    full_percent: Decimal = Decimal("14.6")
    early_percent: Decimal = Decimal("7.3")
    special_full_add: Decimal = Decimal("7.3")
    special_early_add: Decimal = Decimal("1.0")
    minimum_principal: int = 2000  # a premium under this bears no charge
    principal_unit: int = 1000  # the base's fraction under this is cut off
    charge_unit: int = 100  # the charge's fraction under this is cut off
    minimum_charge: int = 1000  # a charge under this is not collected
    special_rates: tuple[SpecialRate, ...] = ()
    sources: tuple[str, ...] = ()

    def rates_of(self, year: int) -> tuple[Decimal, Decimal]:
        """(early, later) percent a year for the days of calendar year `year`."""
        for s in self.special_rates:
            if s.year == year:
                if s.percent >= self.early_percent:  # the special provision applies below 7.3 %
                    return self.early_percent, self.full_percent
                return (
                    min(self.early_percent, s.percent + self.special_early_add),
                    min(self.full_percent, s.percent + self.special_full_add),
                )
        raise MissingRate([year])


@dataclass(frozen=True)
class Reduction:
    """Part of the base paid (or set off) on a date."""

    on: date
    amount: int


@dataclass(frozen=True)
class Segment:
    start: date
    end: date  # inclusive
    base: int  # the principal after the 1,000円 cut
    percent: Decimal
    early: bool

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def exact(self) -> Fraction:
        return Fraction(self.base) * Fraction(self.percent) / 100 * self.days / DAYS_IN_YEAR


@dataclass(frozen=True)
class LateCharge:
    """The result: `amount` is what is collected (0 when nothing is); `reason` says why it is 0."""

    segments: tuple[Segment, ...]
    computed: int  # the exact sum cut to whole yen, before the 100円 cut and the minimum
    amount: int
    reason: str = ""

    @property
    def days(self) -> int:
        return sum(s.days for s in self.segments)


def cut(amount: int, unit: int) -> int:
    """切捨て to a multiple of `unit` (amounts are never negative here)."""
    return amount - amount % unit


def early_period_end(due: date, months: int) -> date:
    """The last day of the early period: `months` months counted from the day after `due` (民法 §140,
    §143②: it ends the day before the corresponding day; no such day → that month's last day)."""
    start = due + timedelta(days=1)
    month0 = start.month - 1 + months
    year, month = start.year + month0 // 12, month0 % 12 + 1
    last = calendar.monthrange(year, month)[1]
    if start.day > last:
        return date(year, month, last)
    return date(year, month, start.day) - timedelta(days=1)


def _boundaries(start: date, end: date, cuts: Iterable[date]) -> list[tuple[date, date]]:
    """[start, end] split so that every date in `cuts` (inside the range) starts a new piece."""
    points = sorted({c for c in cuts if start < c <= end})
    out: list[tuple[date, date]] = []
    s = start
    for p in points:
        out.append((s, p - timedelta(days=1)))
        s = p
    out.append((s, end))
    return out


def late_charge(
    principal: int, due: date, reductions: Sequence[Reduction], until: date, rules: LateChargeRules,
    waived: Sequence[tuple[date, date]] = (),
) -> LateCharge:  # fmt: skip
    """The 延滞金 on an instalment of `principal` due on `due`, with the parts paid in `reductions`,
    counted to `until` (the day it was fully paid, or today for an estimate). `waived`: periods (first
    and last day, inclusive) of a 徴収猶予, on whose days no charge runs.

    Raises ValueError on an ordinance value that is not set, MissingRate on a year without a rate."""
    if rules.early_months is None:
        raise ValueError("延滞金: 条例の割合区分（納期限後の月数）が未設定です")
    if principal < 0 or any(r.amount < 0 for r in reductions):
        raise ValueError("延滞金: 金額が負です")
    if principal < rules.minimum_principal:
        return LateCharge((), 0, 0, f"保険料額が{rules.minimum_principal:,}円未満")
    if until <= due:
        return LateCharge((), 0, 0, "納期限内に納付")
    start = due + timedelta(days=1)
    early_end = early_period_end(due, rules.early_months)
    remaining = principal
    base_from: list[tuple[date, int]] = []  # the base changes on these days (the day after a payment)
    for r in sorted(reductions, key=lambda r: r.on):
        remaining = max(remaining - r.amount, 0)
        base_from.append((max(r.on + timedelta(days=1), start), remaining))
    cuts = [d for d, _ in base_from]
    cuts += [early_end + timedelta(days=1)]
    cuts += [date(y, 1, 1) for y in range(start.year + 1, until.year + 1)]
    cuts += [d for first, last in waived for d in (first, last + timedelta(days=1))]
    known = {s.year for s in rules.special_rates}
    missing = {y for y in range(start.year, until.year + 1) if y not in known}
    if missing:
        raise MissingRate(missing)
    segments: list[Segment] = []
    for s, e in _boundaries(start, until, cuts):
        left = principal
        for d, value in base_from:
            if d <= s:
                left = value
        base = cut(left, rules.principal_unit)
        if base == 0 or any(first <= s and e <= last for first, last in waived):
            continue  # nothing left, or a day of a 徴収猶予 (the pieces never straddle its ends)
        early_rate, later_rate = rules.rates_of(s.year)
        early = s <= early_end
        segments.append(Segment(s, e, base, early_rate if early else later_rate, early))
    exact = sum((seg.exact for seg in segments), Fraction(0))
    computed = int(exact)  # floor: amounts are never negative
    amount = cut(computed, rules.charge_unit)
    if amount < rules.minimum_charge:
        return LateCharge(tuple(segments), computed, 0, f"延滞金が{rules.minimum_charge:,}円未満")
    return LateCharge(tuple(segments), computed, amount)
