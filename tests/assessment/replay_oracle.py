"""The oracle of the replayed fiscal year (test_replay_fiscal_year): premiums computed with the pure engine
(kouki.rules.premium) from the synthetic truth only — the generated city and the incomes the test hands to
the tax system — never from the city's database or the simulated union's state.

Truth of a static city (no resident-register changes during the replay):
- a resident is insured in fiscal year FY when they are 75 by its last day; from the 75th birthday when
  that falls inside FY (the birthday itself counts), for the whole year otherwise;
- the household is the 世帯 of the generated city, its 世帯主 the generated householder;
- income of the year before FY: what the tax system said last (initial file, then corrections).
  The city sends the union the income of people aged 65 or over (所得・課税情報 scope,
  kouki.eligibility.extract); a 世帯主 under 65 is not sent, so the union — and this oracle — count no
  income for them (see the report of issue 4: the 軽減 judgement should include the 世帯主's income).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache

from kouki.rules.premium import (
    HouseholdMember,
    PremiumParameters,
    assess_household,
    person_income,
    resolve_parameters,
)
from kouki.rules.premium.engine import income_base
from kouki.sandbox.synth.model import RESIDENT, SynthIncome, SynthPerson, age_on

UNION_INCOME_AGE = 65  # the city sends the income of members this old or older, and of every householder
Revenue = tuple[int, int, int, int]  # public pension, salary, other income, taxable income
Expected = tuple[int, int, str, int, int, int, int]  # as Assessment: see FIELDS


FIELDS = (
    "per_capita_levy",
    "income_levy",
    "reduction",
    "months",
    "annual_premium",
    "child_support_levy",
    "income_base",
)


def birthday(birth: date, age: int) -> date:
    """The day someone born on `birth` turns `age` (29 February → 1 March in a common year)."""
    try:
        return birth.replace(year=birth.year + age)
    except ValueError:
        return date(birth.year + age, 3, 1)


@dataclass
class Truth:
    """The synthetic city as generated, and every income the tax system reported, by (addressee, year)."""

    people: dict[str, SynthPerson]
    households: dict[str, list[str]]  # household number → addressee numbers (residents only)
    income: dict[tuple[str, int], Revenue] = field(default_factory=dict)

    @classmethod
    def of(cls, persons: Iterable[SynthPerson], incomes: Iterable[SynthIncome]) -> Truth:
        people = {p.addressee_no: p for p in persons}
        by_serial = {p.serial: p.addressee_no for p in people.values()}
        households: dict[str, list[str]] = defaultdict(list)
        for p in people.values():
            if p.status == RESIDENT and p.household_no:
                households[p.household_no].append(p.addressee_no)
        truth = cls(people, dict(households))
        for i in incomes:
            truth.income[(by_serial[i.person_serial], i.income_year)] = (
                i.public_pension_revenue,
                i.salary_revenue,
                i.other_income,
                i.taxable_income,
            )
        return truth

    def insured_from(self, addressee: str, fiscal_year: int) -> tuple[bool, date | None]:
        """(insured in the year, acquisition date inside the year or None)."""
        p = self.people[addressee]
        if p.status != RESIDENT:
            return False, None
        turns = birthday(p.birth_date, 75)
        if turns > date(fiscal_year + 1, 3, 31):
            return False, None
        return True, turns if turns > date(fiscal_year, 4, 1) else None

    def insured(self, fiscal_year: int) -> list[str]:
        return sorted(a for a in self.people if self.insured_from(a, fiscal_year)[0])

    def member(self, addressee: str, fiscal_year: int, on: date) -> HouseholdMember:
        p = self.people[addressee]
        insured, since = self.insured_from(addressee, fiscal_year)
        pension, salary, other, _taxable = self.income.get((addressee, fiscal_year - 1), (0, 0, 0, 0))
        if age_on(p.birth_date, on) < UNION_INCOME_AGE and not p.is_householder:
            pension = salary = other = 0  # the city sends the income of members 65+ and of householders
        return HouseholdMember(
            id=addressee,
            insured=insured,
            birth_date=p.birth_date,
            householder=p.is_householder,
            public_pension_revenue=pension,
            salary_revenue=salary,
            other_income=max(0, other),
            insured_from=since,
        )

    def household_premiums(self, household_no: str, fiscal_year: int, on: date) -> dict[str, Expected]:
        members = tuple(self.member(a, fiscal_year, on) for a in sorted(self.households[household_no]))
        if not any(m.insured for m in members):
            return {}
        return _assessed(members, fiscal_year)

    def premiums(self, fiscal_year: int, on: date) -> dict[str, Expected]:
        """addressee → the premium the union must have assessed for the fiscal year, as known on `on`."""
        out: dict[str, Expected] = {}
        for household_no in sorted({self.people[a].household_no for a in self.insured(fiscal_year)}):
            out.update(self.household_premiums(household_no, fiscal_year, on))
        return out


@cache
def _parameters(fiscal_year: int) -> PremiumParameters:
    return resolve_parameters(fiscal_year, "saitama")


@lru_cache(maxsize=1 << 16)
def _assessed(members: tuple[HouseholdMember, ...], fiscal_year: int) -> dict[str, Expected]:
    """The engine's premiums of the insured members (memoised: a household's inputs rarely change)."""
    by_id = {m.id: m for m in members}
    out: dict[str, Expected] = {}
    for r in assess_household(members, _parameters(fiscal_year)):
        m = by_id[r.id]
        inc = person_income(
            birth_date=m.birth_date,
            income_year=fiscal_year - 1,
            public_pension_revenue=m.public_pension_revenue,
            salary_revenue=m.salary_revenue,
            other_income=m.other_income,
        )
        out[r.id] = (
            r.per_capita_levy,
            r.income_levy,
            r.reduction,
            r.months,
            r.annual_premium,
            r.child_support_levy,
            income_base(inc),
        )
    return out
