"""The replayed year's premium and high-cost side (issue 12 §4), and the oracle's own arithmetic.

- People the simulated union knows and assesses (住民基本台帳情報 and 所得情報 sent to it before July):
  each alone in a household, with a pension; the union's 当初賦課 reaches the city in July, the city plans
  the instalments; they apply for a 減免 or a 徴収猶予 during the year.
- People with large medical bills (高額療養費): 区分Ⅱ in the union's profile, with monthly 外来 costs the test
  chooses (no 入院), so the refund is the 区分Ⅱ 外来 rule by hand: 1割 of the cost above 8,000円
  (domain-facts-next §1 「高額療養費」, the monthly limits: 区分Ⅱ 外来(個人) 8,000, 世帯 24,600 — one person
  alone with only 外来 never reaches the household step; no 多数回 for 区分Ⅱ).

The oracle uses none of the product's code: its expectations come from the events the test made and this
arithmetic (the union's own outgoing records are the oracle only for the amounts of 療養費, as before).
"""

from __future__ import annotations

import calendar
import random
from dataclasses import replace
from datetime import date
from pathlib import Path

from factories import make_person
from sandbox.union.test_assessment import Exchange, income, resident

from kouki.interfaces.union.income_info import dump_income_info
from kouki.interfaces.union.resident_info import dump_resident_info
from kouki.rules.benefits.high_cost import IncomeClass, MemberCosts
from kouki.sandbox.union.benefits import InsuredProfile

LOW_2_OUTPATIENT_LIMIT = 8_000  # 区分Ⅱ 外来(個人), domain-facts-next §1
COPAY_PERCENT = 10  # 区分Ⅱ: 1割
REDUCTION_PERCENT = 50  # the simulated union's criteria in this test: a disaster, whatever the damage → 50 %
DIRECT_MONTHS = (7, 8, 9, 10, 11, 12, 1, 2, 3)


def refund_low_2(outpatient_cost: int) -> int:
    """The month's 高額療養費 of a 区分Ⅱ person alone with only 外来 (cost: 10割, multiple of 10円)."""
    return max(0, outpatient_cost * COPAY_PERCENT // 100 - LOW_2_OUTPATIENT_LIMIT)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def month_of(day: date, back: int = 0) -> date:
    return add_months(day.replace(day=1), -back)


def union_knows(tmp: Path, count: int) -> tuple[Exchange, list[int]]:
    """`count` people the union assesses (and the city's persons with the same 宛名番号); the exchange."""
    ex = Exchange(tmp)
    addressees = [f"0009{i:05d}" for i in range(1, count + 1)]
    births = [date(1940 + i % 8, 1 + i % 12, 10) for i in range(count)]
    residents = [replace(resident(a, b, True, "太郎"), household_no=f"7{i:05d}")
                 for i, (a, b) in enumerate(zip(addressees, births, strict=True))]  # fmt: skip
    ex.send(dump_resident_info(residents, created_on=date(2025, 6, 1)))
    pensions = [1_800_000 + 100_000 * i for i in range(count)]
    ex.send(dump_income_info([income(a, y, p) for a, p in zip(addressees, pensions, strict=True)
                              for y in (2024, 2025)]))  # fmt: skip
    people = [make_person(addressee_no=a, birth_date=b).pk for a, b in zip(addressees, births, strict=True)]
    return ex, people


class HighCostCosts:
    """The 外来 costs (10割) of the 高額療養費 people, chosen per month; nothing for anyone else."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.table: dict[tuple[str, date], int] = {}

    def person(self, insured_no: str, first: date, last: date, large: date) -> None:
        month = first
        while month <= last:
            small = self.rng.random() < 0.5 and month != large
            cost = self.rng.randrange(1_000, 8_000) * 10 if small else self.rng.randrange(8_500, 30_000) * 10
            self.table[(insured_no, month)] = cost
            month = add_months(month, 1)

    def __call__(self, insured_no: str, month: date) -> MemberCosts:
        return MemberCosts(insured_no, self.table.get((insured_no, month.replace(day=1)), 0), 0)


def low_2(insured_no: str) -> InsuredProfile:
    return InsuredProfile(IncomeClass.LOW_2, insured_no)
