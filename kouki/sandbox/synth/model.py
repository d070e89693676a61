"""Plain values of the synthetic city (no Django)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

RESIDENT = "resident"
NON_RESIDENT = "non_resident"
MOVED_OUT = "moved_out"
DECEASED = "deceased"


@dataclass(frozen=True)
class SynthConfig:
    """What to build. `residents` counts registered residents; 住登外者 come on top (about 1.5 %)."""

    residents: int
    seed: int
    as_of: date = date(2026, 4, 1)
    chunk_size: int = 20_000
    non_resident_share: float = 0.015

    @property
    def income_year(self) -> int:
        return self.as_of.year - 1


@dataclass(slots=True)
class SynthPerson:
    """An addressee's state. `serial` is 0-based and dense over the city (and its later move-ins)."""

    serial: int
    addressee_no: str
    registration: str  # "resident" | "non_resident"
    status: str  # resident | non_resident | moved_out | deceased
    family_name: str
    given_name: str
    family_name_kana: str
    given_name_kana: str
    sex: str  # "1" male, "2" female
    birth_date: date
    household_serial: int | None
    household_no: str
    is_householder: bool
    relationship: str
    postal_code: str
    municipality_code: str
    address: str
    phone: str
    since: date  # in force since (birth or move-in to this address); the loaded version's valid_from
    personal_number: str


@dataclass(frozen=True, slots=True)
class SynthIncome:
    person_serial: int
    income_year: int
    public_pension_revenue: int
    salary_revenue: int
    other_income: int
    care_premium_annual: int
    care_deduction_pension_annual: int
    taxable_income: int = 0  # 課税所得 (see kouki.sandbox.synth.income.taxable_income)


@dataclass(frozen=True, slots=True)
class SynthHousehold:
    serial: int
    household_no: str


@dataclass
class CityChunk:
    """A slice of the city: whole households with their members, plus some 住登外者."""

    index: int
    households: list[SynthHousehold] = field(default_factory=list)
    persons: list[SynthPerson] = field(default_factory=list)
    incomes: list[SynthIncome] = field(default_factory=list)


def age_on(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
