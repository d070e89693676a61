"""The synthetic city at its base date: households by type, members, 住登外者 and incomes.

Deterministic: chunk i is drawn from random.Random(f"kouki-synth:{seed}:{i}") and serials run densely
across chunks, so the same config always yields the same city. Chunks let the loader stream a
1.35-million-person city with bounded memory.

Each person's `since` (valid_from of the loaded version) is the later of the birth date and the date
the household moved to its address.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from kouki.sandbox.synth.income import draw_income
from kouki.sandbox.synth.model import (
    NON_RESIDENT,
    RESIDENT,
    CityChunk,
    SynthConfig,
    SynthHousehold,
    SynthIncome,
    SynthPerson,
    age_on,
)
from kouki.sandbox.synth.people import (
    Addresser,
    Namer,
    NumberMaker,
    addressee_no,
    birth_date_for_age,
    draw_age,
    household_no,
)

MALE, FEMALE = "1", "2"
Member = tuple[str, int, str]  # (sex, age, relationship)


def _spouse_age(rng: random.Random, age: int) -> int:
    return max(18, min(104, age - rng.randint(-3, 6)))


def _children(rng: random.Random, mother_age: int, count: int, max_age: int = 24) -> list[Member]:
    top = min(max_age, mother_age - 20)
    if top < 0:
        return []
    return [(rng.choice((MALE, FEMALE)), rng.randint(0, top), "子") for _ in range(count)]


def _single_young(rng: random.Random) -> list[Member]:
    return [(rng.choice((MALE, FEMALE)), draw_age(rng, 20, 64), "世帯主")]


def _single_old(rng: random.Random) -> list[Member]:
    return [(FEMALE if rng.random() < 0.64 else MALE, draw_age(rng, 65, 104), "世帯主")]


def _couple(rng: random.Random, lo: int, hi: int) -> list[Member]:
    age = draw_age(rng, lo, hi)
    return [(MALE, age, "世帯主"), (FEMALE, _spouse_age(rng, age), "妻")]


def _couple_young(rng: random.Random) -> list[Member]:
    return _couple(rng, 24, 64)


def _couple_old(rng: random.Random) -> list[Member]:
    return _couple(rng, 65, 98)


def _family(rng: random.Random) -> list[Member]:
    members = _couple(rng, 27, 58)
    return members + _children(rng, members[1][1], rng.choice((1, 1, 1, 2, 2, 3)), 24)


def _single_parent(rng: random.Random) -> list[Member]:
    age = draw_age(rng, 25, 56)
    return [(FEMALE, age, "世帯主"), *_children(rng, age, rng.choice((1, 1, 2)), 22)]


def _old_with_child(rng: random.Random) -> list[Member]:
    head_age = draw_age(rng, 65, 98)
    head_sex = MALE if rng.random() < 0.55 else FEMALE
    members: list[Member] = [(head_sex, head_age, "世帯主")]
    if head_sex == MALE and rng.random() < 0.6:
        members.append((FEMALE, _spouse_age(rng, head_age), "妻"))
    child_age = max(20, head_age - rng.randint(26, 36))
    members.append((rng.choice((MALE, FEMALE)), child_age, "子"))
    return members


def _three_generations(rng: random.Random) -> list[Member]:
    members = _couple(rng, 33, 58)
    head_age = members[0][1]
    members += _children(rng, members[1][1], rng.choice((1, 2, 2)), 22)
    parent_age = min(104, head_age + rng.randint(25, 34))
    if rng.random() < 0.45:
        members.append((MALE, parent_age, "父"))
    members.append((FEMALE, max(60, parent_age - rng.randint(0, 4)), "母"))
    return members


_TYPES: tuple[tuple[float, Callable[[random.Random], list[Member]]], ...] = (
    (0.255, _single_young),
    (0.145, _single_old),
    (0.080, _couple_young),
    (0.135, _couple_old),
    (0.175, _family),
    (0.060, _single_parent),
    (0.105, _old_with_child),
    (0.045, _three_generations),
)


@dataclass
class _Counters:
    person: int = 0
    household: int = 0


class CityBuilder:
    """Draws people and households; also used by the event simulator for births and move-ins."""

    def __init__(self, config: SynthConfig, rng: random.Random, counters: _Counters | None = None) -> None:
        self.config = config
        self.rng = rng
        self.namer = Namer(rng)
        self.addresser = Addresser(rng)
        self.numbers = NumberMaker(config.seed)
        self.counters = counters or _Counters()

    def next_person_serial(self) -> int:
        serial = self.counters.person
        self.counters.person += 1
        return serial

    def next_household(self) -> SynthHousehold:
        serial = self.counters.household
        self.counters.household += 1
        return SynthHousehold(serial=serial, household_no=household_no(serial))

    def household_members(self) -> list[Member]:
        u = self.rng.random()
        for weight, make in _TYPES:
            if u < weight:
                return make(self.rng)
            u -= weight
        return _single_young(self.rng)

    def person(self, *, sex: str, birth: date, family: tuple[str, str], registration: str, status: str,
               household: SynthHousehold | None, relationship: str, postal_code: str,
               municipality_code: str, address: str, phone: str, since: date) -> SynthPerson:
        serial = self.next_person_serial()
        given = self.namer.given(sex)
        return SynthPerson(
            serial=serial, addressee_no=addressee_no(serial), registration=registration, status=status,
            family_name=family[0], given_name=given[0], family_name_kana=family[1], given_name_kana=given[1],
            sex=sex, birth_date=birth, household_serial=household.serial if household else None,
            household_no=household.household_no if household else "", is_householder=relationship == "世帯主",
            relationship=relationship, postal_code=postal_code, municipality_code=municipality_code,
            address=address, phone=phone, since=max(birth, since),
            personal_number=self.numbers.number(serial),
        )

    def household(self, members: list[Member], *, moved_in: date,
                  outside: bool = False) -> tuple[SynthHousehold, list[SynthPerson]]:
        """A new household at a new address in the city (with outside=True: outside the city)."""
        rng = self.rng
        hh = self.next_household()
        place, address = self.addresser.outside_city() if outside else self.addresser.in_city()
        landline = self.addresser.landline() if rng.random() < 0.45 else ""
        family = self.namer.family()
        people = []
        for sex, age, relationship in members:
            phone = ""
            if age >= 18:
                if landline and (age >= 60 or rng.random() < 0.5):
                    phone = landline
                elif rng.random() < 0.35:
                    phone = self.addresser.mobile()
            people.append(self.person(
                sex=sex, birth=birth_date_for_age(rng, age, self.config.as_of), family=family,
                registration=RESIDENT, status=RESIDENT, household=hh, relationship=relationship,
                postal_code=place.postal_code, municipality_code=place.municipality_code, address=address,
                phone=phone, since=moved_in,
            ))
        return hh, people

    def non_resident(self) -> SynthPerson:
        rng = self.rng
        sex = rng.choice((MALE, FEMALE))
        age = draw_age(rng, 65, 104) if rng.random() < 0.5 else draw_age(rng, 20, 64)
        place, address = self.addresser.outside_city() if rng.random() < 0.8 else self.addresser.in_city()
        since = self.config.as_of - timedelta(days=rng.randint(1, 365 * 15))
        return self.person(
            sex=sex, birth=birth_date_for_age(rng, age, self.config.as_of), family=self.namer.family(),
            registration=NON_RESIDENT, status=NON_RESIDENT, household=None, relationship="",
            postal_code=place.postal_code, municipality_code=place.municipality_code, address=address,
            phone=self.addresser.mobile() if rng.random() < 0.3 else "", since=since,
        )


def _ages(people: list[SynthPerson], on: date) -> list[int]:
    return [age_on(p.birth_date, on) for p in people]


def generate_city(config: SynthConfig) -> Iterator[CityChunk]:
    """The city in chunks of about config.chunk_size residents (exactly config.residents in total)."""
    counters = _Counters()
    remaining = config.residents
    index = 0
    while remaining > 0:
        target = min(config.chunk_size, remaining)
        rng = random.Random(f"kouki-synth:{config.seed}:{index}")
        builder = CityBuilder(config, rng, counters)
        chunk = CityChunk(index=index)
        count = 0
        while count < target:
            members = builder.household_members()[: target - count]
            moved_in = config.as_of - timedelta(days=rng.randint(20, 365 * 40))
            hh, people = builder.household(members, moved_in=moved_in)
            chunk.households.append(hh)
            chunk.persons.extend(people)
            count += len(people)
            ages = _ages(people, config.as_of)
            if max(ages) >= 65:
                chunk.incomes.extend(draw_income(rng, p.serial, a, config.income_year)
                                     for p, a in zip(people, ages, strict=True))
        share = config.non_resident_share
        expected = target * share / (1 - share)
        extra = int(expected) + (rng.random() < expected - int(expected))
        for _ in range(extra):
            person = builder.non_resident()
            chunk.persons.append(person)
            age = _ages([person], config.as_of)[0]
            if age >= 65:
                chunk.incomes.append(draw_income(rng, person.serial, age, config.income_year))
        remaining -= target
        index += 1
        yield chunk


@dataclass
class City:
    config: SynthConfig
    households: list[SynthHousehold]
    persons: list[SynthPerson]
    incomes: list[SynthIncome]


def city_from_chunks(config: SynthConfig, chunks: Iterable[CityChunk]) -> City:
    city = City(config=config, households=[], persons=[], incomes=[])
    for chunk in chunks:
        city.households.extend(chunk.households)
        city.persons.extend(chunk.persons)
        city.incomes.extend(chunk.incomes)
    return city


def build_city(config: SynthConfig) -> City:
    """The whole city in memory (tests, event simulation)."""
    return city_from_chunks(config, generate_city(config))
