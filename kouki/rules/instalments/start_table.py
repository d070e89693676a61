"""When pension deduction starts after a mid-year acquisition, and what is paid directly until then.

Saitama City publishes this table by the date of the 75th birthday (domain-facts §7 [S34],
https://www.city.saitama.jp/001/017/004/p092647.html, updated 2023-04-01):

| 75歳になる日   | 普通徴収 (direct)                                      | 特別徴収 starts              |
|---------------|--------------------------------------------------------|------------------------------|
| 4/1 – 6/30    | July to September                                      | October of the same FY       |
| 7/1 – 10/2    | from the month after the birthday to the next February | April of the next FY         |
| 10/3 – 12/2   | from the month after the birthday to the next February | June of the next FY          |
| 12/3 – 2/2    | from the month after the birthday to February          | August of the next FY        |
| 2/3 and later | the month after the birthday, and July to September    | October of the next FY       |

Reading of the table, stated:
- "the month after the birthday … to February" with a birthday on 2/1 or 2/2 leaves no month up to
  February: the one direct instalment then falls in the month after the birthday (March), as in the
  last row.
- In the next FY, the rows that start the deduction in April, June or August list no direct months:
  the whole premium of that FY is then deducted from the pension from the start month on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kouki.rules.instalments.model import YearMonth


def _fy_order(month: int, day: int) -> tuple[int, int]:
    """Position of a (month, day) inside a fiscal year (April first)."""
    return ((month - 4) % 12, day)


@dataclass(frozen=True)
class StartRow:
    first: tuple[int, int]  # (month, day), inclusive
    last: tuple[int, int]  # (month, day), inclusive
    pension_fy_offset: int  # 0 = the FY of the acquisition, 1 = the next FY
    pension_month: int
    direct_fixed: tuple[int, ...] = ()  # fixed direct months in the acquisition FY (e.g. July–September)
    direct_until: int | None = None  # direct from the month after acquisition up to this month (FY order)
    direct_month_after_only: bool = False  # only the month after the acquisition
    direct_next_fy: tuple[int, ...] = ()  # direct months in the next FY before the deduction starts

    def covers(self, d: date) -> bool:
        return _fy_order(*self.first) <= _fy_order(d.month, d.day) <= _fy_order(*self.last)


SAITAMA_START_TABLE: tuple[StartRow, ...] = (
    StartRow((4, 1), (6, 30), 0, 10, direct_fixed=(7, 8, 9)),
    StartRow((7, 1), (10, 2), 1, 4, direct_until=2),
    StartRow((10, 3), (12, 2), 1, 6, direct_until=2),
    StartRow((12, 3), (2, 2), 1, 8, direct_until=2),
    StartRow((2, 3), (3, 31), 1, 10, direct_month_after_only=True, direct_next_fy=(7, 8, 9)),
)


@dataclass(frozen=True)
class StartDecision:
    """For an acquisition on `acquired`: direct months of that FY, of the next FY, and the start month."""

    row: StartRow
    direct_acquisition_fy: tuple[YearMonth, ...]
    direct_next_fy: tuple[YearMonth, ...]
    pension_starts: YearMonth


def start_row(table: tuple[StartRow, ...], acquired: date) -> StartRow:
    for row in table:
        if row.covers(acquired):
            return row
    raise ValueError(f"start table has no row for {acquired.isoformat()}")  # a table with a gap


def _fy_position(ym: YearMonth) -> int:
    return ym.fiscal_year * 12 + (ym.month - 4) % 12


def decide_start(table: tuple[StartRow, ...], acquired: date) -> StartDecision:
    row = start_row(table, acquired)
    fy = YearMonth.of(acquired).fiscal_year
    month_after = YearMonth.of(acquired).next()
    direct: list[YearMonth]
    if row.direct_fixed:
        direct = [YearMonth.in_fiscal_year(fy, m) for m in row.direct_fixed]
    elif row.direct_until is not None:
        until = YearMonth.in_fiscal_year(fy, row.direct_until)
        direct = []
        ym = month_after
        while _fy_position(ym) <= _fy_position(until):
            direct.append(ym)
            ym = ym.next()
        if not direct:
            direct = [month_after]
    else:
        direct = [month_after]
    return StartDecision(
        row=row,
        direct_acquisition_fy=tuple(direct),
        direct_next_fy=tuple(YearMonth.in_fiscal_year(fy + 1, m) for m in row.direct_next_fy),
        pension_starts=YearMonth.in_fiscal_year(fy + row.pension_fy_offset, row.pension_month),
    )
