"""Money and rates as kouki prints them, on screens and in letters (one place, so every page agrees).

- `yen(30000)` → 30,000円
- `signed_yen(-1200)` → −1,200円 (a difference: + or − before the figure, 0円 without sign)
- `yen_figure(30000)` → ￥30,000－ (a receipt's amount: the mark and dash close the figure against alteration)
- `percent(Decimal("0.0967"))` → 9.67% (a rate given as a fraction, without trailing zeros)

Amounts are int yen (kouki never keeps fractions of a yen).
"""

from __future__ import annotations

from decimal import Decimal

MINUS = "−"  # U+2212, the minus sign of printed figures (not the hyphen)


def yen(amount: int) -> str:
    """30,000円; a negative amount keeps its ASCII minus (-1,200円), as on the staff screens."""
    return f"{amount:,}円"


def signed_yen(amount: int) -> str:
    """+1,200円 / −1,200円 / 0円: a change between two amounts."""
    if amount == 0:
        return "0円"
    return f"{'+' if amount > 0 else MINUS}{abs(amount):,}円"


def yen_figure(amount: int) -> str:
    """金額 as printed on a receipt: ￥30,000－."""
    return f"￥{amount:,}－"


def percent(rate: Decimal) -> str:
    """A rate given as a fraction, as a percentage without trailing zeros: 0.0967 → 9.67%, 0.1 → 10%."""
    return f"{(rate * 100).normalize():f}%"


def wari(percent: int) -> str:
    """負担割合 as offices write it: 10 (%) → 「1割」; a rate that is not whole tenths stays in percent."""
    return f"{percent // 10}割" if percent % 10 == 0 and percent > 0 else f"{percent}%"
