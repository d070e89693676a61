"""Retention periods and their cut-off dates (issue 15 §5). Pure; no I/O.

A period is a whole number of years or days ("7y", "400d"). A record whose clock started on `start` is kept
for the whole period, anniversary day included, and has expired from the day after:

    expired(start, today, period)  ⇔  start + period < today  ⇔  start < cutoff(today, period)

A start on 29 February plus years ends on 28 February in a common year (as the 情報提供等記録's 保存期限
is computed in kouki.inquiries.services.retain_until). The installation's setting KOUKI_RETENTION is a
comma-separated list of `kind=period` (parse_setting); which kinds exist is kouki.retention.registry's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

Unit = Literal["y", "d"]
_PERIOD = re.compile(r"^\s*(\d{1,4})\s*([yd])\s*$")


class RetentionSettingError(ValueError):
    """A KOUKI_RETENTION value that is not `kind=<n>y|<n>d, …`; the message names the part."""


@dataclass(frozen=True, order=True)
class Period:
    amount: int
    unit: Unit

    def __post_init__(self) -> None:
        if self.amount < 0:
            raise RetentionSettingError(f"a period cannot be negative: {self.amount}")

    def __str__(self) -> str:
        return f"{self.amount}{self.unit}"

    @property
    def label(self) -> str:
        return f"{self.amount}年" if self.unit == "y" else f"{self.amount}日"

    def at_least(self, other: Period) -> bool:
        """Never shorter than `other` on any day (years compared with years; days against 366 per year)."""
        if self.unit == other.unit:
            return self.amount >= other.amount
        if self.unit == "y":  # self in years, other in days
            return self.amount * 365 >= other.amount
        return self.amount >= other.amount * 366


def parse_period(text: str) -> Period:
    match = _PERIOD.match(text)
    if match is None:
        raise RetentionSettingError(f"not a period like 7y or 30d: {text!r}")
    unit: Unit = "y" if match.group(2) == "y" else "d"
    return Period(int(match.group(1)), unit)


def parse_setting(text: str) -> dict[str, Period]:
    """`kind=period` pairs, comma-separated; "" → {}. A kind named twice is an error."""
    out: dict[str, Period] = {}
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        kind, sep, value = part.partition("=")
        kind = kind.strip()
        if not sep or not kind:
            raise RetentionSettingError(f"not kind=period: {part!r}")
        if kind in out:
            raise RetentionSettingError(f"{kind} is set twice")
        out[kind] = parse_period(value)
    return out


def _years_back(day: date, years: int) -> date:
    """`day` moved back `years` years; 29 February → 1 March when the target year has none (so that a
    start on 28 February of that year has expired on 29 February, its anniversary being the day before)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return date(day.year - years, 3, 1)


def add_period(start: date, period: Period) -> date:
    """The last day a record that started on `start` is kept."""
    if period.unit == "d":
        return start + timedelta(days=period.amount)
    try:
        return start.replace(year=start.year + period.amount)
    except ValueError:  # 29 February
        return start.replace(year=start.year + period.amount, day=28)


def cutoff(today: date, period: Period) -> date:
    """The first start date still kept on `today`: everything that started before it has expired."""
    if period.unit == "d":
        return today - timedelta(days=period.amount)
    return _years_back(today, period.amount)


def expired(start: date, today: date, period: Period) -> bool:
    return start < cutoff(today, period)
