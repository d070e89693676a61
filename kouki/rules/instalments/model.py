"""Plain data of an instalment plan (期割): months, instalments, the plan, and the errors. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


@dataclass(frozen=True, order=True)
class YearMonth:
    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month must be 1–12, got {self.month}")

    @classmethod
    def of(cls, d: date) -> YearMonth:
        return cls(d.year, d.month)

    @classmethod
    def in_fiscal_year(cls, fiscal_year: int, month: int) -> YearMonth:
        """Calendar month `month` of 年度 `fiscal_year` (April–March: January–March are in the next year)."""
        return cls(fiscal_year if month >= 4 else fiscal_year + 1, month)

    @classmethod
    def parse(cls, text: str) -> YearMonth:
        """From 'YYYY-MM'."""
        year, _sep, month = text.partition("-")
        if len(year) != 4 or len(month) != 2 or not (year.isdigit() and month.isdigit()):
            raise ValueError(f"not a YYYY-MM month: {text!r}")
        return cls(int(year), int(month))

    def next(self) -> YearMonth:
        return YearMonth(self.year + 1, 1) if self.month == 12 else YearMonth(self.year, self.month + 1)

    @property
    def fiscal_year(self) -> int:
        return self.year if self.month >= 4 else self.year - 1

    def iso(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


class Method(StrEnum):
    DIRECT = "direct"  # 普通徴収
    PENSION = "pension"  # 特別徴収


class Stage(StrEnum):
    DIRECT = "direct"  # 普通徴収の期別
    PROVISIONAL = "provisional"  # 仮徴収 (April/June/August)
    FINAL = "final"  # 本徴収 (October/December/February)


@dataclass(frozen=True)
class Instalment:
    method: Method
    stage: Stage
    month: YearMonth
    due_date: date
    amount: int


class DirectReason(StrEnum):
    """Why (part of) the premium is paid directly instead of by pension deduction (domain-facts §4, §7)."""

    NO_PENSION = "no_pension"  # no pension from which the care premium is deducted
    PENSION_BELOW_MINIMUM = "pension_below_minimum"  # that pension < 18万/year
    OVER_HALF = "over_half"  # care + LSEMC premiums > ½ of that pension
    BEFORE_DEDUCTION_STARTS = "before_deduction_starts"  # joined mid-year / moved in: until it starts
    NO_START_RULE = "no_start_rule"  # acquisition reason without a (sourced) start rule for this city
    # not deducted in the previous February: no 仮徴収 (介護保険法 §140① via 高確法 §110), so directly
    # until September and 本徴収 from October
    NO_FEBRUARY_DEDUCTION = "no_february_deduction"
    # the union reported a pension deduction as not made (death, pension stopped, too small …): the
    # person was moved to direct payment (issue 11 §3, kouki.rules.instalments.replan.replan_to_direct)
    NOT_DEDUCTED = "not_deducted"


@dataclass(frozen=True)
class InstalmentPlan:
    fiscal_year: int
    annual_premium: int
    instalments: tuple[Instalment, ...]
    pension_deduction_starts: YearMonth | None
    direct_reason: DirectReason | None  # None when everything is deducted from the pension
    overpayment: int = 0  # provisional deductions above the annual premium (to refund or set off)

    @property
    def total(self) -> int:
        return sum(i.amount for i in self.instalments)


class InstalmentError(ValueError):
    """The plan cannot be made from what was given; the message names the field or parameter."""


class MissingParameter(InstalmentError):
    """A city parameter that no public source gave ([NF]) is needed: supply it as configuration."""

    def __init__(self, city: str, names: Sequence[str], why: str) -> None:
        self.city = city
        self.names = tuple(names)
        super().__init__(
            f"city {city!r}: parameter(s) {', '.join(self.names)} must be configured ({why}); "
            "no public source gives the value"
        )


class MissingInput(InstalmentError):
    """An input field that this case needs was not given."""

    def __init__(self, field: str, why: str) -> None:
        self.field = field
        super().__init__(f"{field}: required ({why})")
