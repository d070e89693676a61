"""Every rounding the premium engine does, each named after the rule it follows. Pure; no Django.

All roundings in 後期高齢者医療 premiums are truncations (切り捨て) to a unit of 1, 10 or 100円; which unit
applies where is a parameter of the union (domain-facts §3 [S60][S61][S62]).
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal
from functools import lru_cache

ALLOWED_UNITS = (1, 10, 100)


def round_down_to(amount: int | Decimal, unit: int) -> int:
    """Truncate a non-negative amount to a multiple of `unit` yen (端数切り捨て)."""
    if unit <= 0:
        raise ValueError(f"rounding unit must be positive, got {unit}")
    whole = amount if type(amount) is int else int(Decimal(amount).to_integral_value(rounding=ROUND_FLOOR))
    if whole < 0:
        raise ValueError(f"cannot round a negative amount ({whole})")
    return whole // unit * unit


def yen_floor(amount: Decimal) -> int:
    """1円未満切り捨て: the yen part of an amount computed with a rate (所得 from a rate, 所得割額)."""
    return int(amount.to_integral_value(rounding=ROUND_FLOOR))


@lru_cache(maxsize=1024)  # a union has a handful of (均等割, share, unit) combinations per year
def reduced_per_capita(full: int, remaining: Decimal, unit: int) -> int:
    """均等割額 after a reduction: full × remaining share, truncated to the union's unit.

    Saitama truncates to 10円: 45,930 × 0.3 = 13,779 → 13,770 (domain-facts §3 [S28]).
    """
    return round_down_to(Decimal(full) * remaining, unit)
