"""What the premium engine returns: each insured member's premium, its regimes and the explanation. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple


@dataclass(frozen=True)
class Step:
    """One line of the explanation shown on the counter's 試算 screen."""

    member: str | None
    label: str
    detail: str
    amount: int | None = None


# Regime and MemberPremium are named tuples, not frozen dataclasses: the union's annual assessment makes
# two of them for each of 1.1M people, and a frozen dataclass's __init__ (one object.__setattr__ per field)
# cost more than the premium computation itself (issue 16 §6; benchmarks/RESULTS.md). Both are immutable
# and compared by value either way; a copy with a change is `r._replace(steps=())`.


class Regime(NamedTuple):
    """The per-capita treatment from a month on (full-year amounts)."""

    from_month: str
    reduction: str
    per_capita_levy: int
    months: int


class MemberPremium(NamedTuple):
    id: str
    reduction: str
    per_capita_levy: int  # full-year 均等割 after reduction (of the first regime of the year)
    income_levy: int  # full-year 所得割
    months: int
    annual_premium: int
    child_support_levy: int
    cap: int
    regimes: tuple[Regime, ...] = ()
    steps: tuple[Step, ...] = ()
    income_base: int = 0  # 賦課のもととなる所得金額 (総所得金額等 − 基礎控除, not below 0) of FY − 1
