"""A year (or any span) of resident-register changes for the synthetic city, with the truth per day.

`simulate_events(city, days)` walks the days after the base date and draws, at Japan-like rates:
deaths (age-dependent, ~1.1 %/yr overall, far higher at 85+), births (~0.6 %/yr), whole households and
single members moving out (~4 %/yr of people), households moving in (~4 %/yr), moves within the city
(~5 %/yr) and household splits; a householder's death names a new householder. Each change becomes
a ResidentChangeRecord carrying the person's full state after it.

Dates: effective_date is the day the change happened; notified_date (when the register sends it) is
0–14 days later, never past the last simulated day. A person's next change takes effect only after
their previous one was notified, so each person's records are in the same order by either date.
The stream is grouped by notified_date (one EventDay per day, possibly empty).

Truth for oracle tests: `EventStream.state_on(on, known_by=None)` gives every addressee's state on a
date by effective date, optionally only from the records notified by `known_by`.
"""

from __future__ import annotations

import copy
import math
import random
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from kouki.interfaces.resident_register.record import ChangeCode, ResidentChangeRecord
from kouki.sandbox.synth.city import FEMALE, MALE, City, CityBuilder, Member, _Counters
from kouki.sandbox.synth.model import DECEASED, MOVED_OUT, RESIDENT, SynthPerson, age_on

BIRTH_RATE = 0.006
MOVE_IN_RATE = 0.04
MOVE_OUT_RATE = 0.04
ADDRESS_CHANGE_RATE = 0.05
SPLIT_RATE = 0.006  # of people: a grown child (or other member) setting up their own household


def death_probability(age: int) -> float:
    """Yearly probability of dying at an age (a Gompertz curve close to Japan's life table)."""
    return min(0.6, 0.0021 * math.exp(0.097 * (age - 50)) + 0.0002)


@dataclass(frozen=True, slots=True)
class PersonState:
    """What the register says about a person on a date (the oracle's unit)."""

    addressee_no: str
    status: str
    household_no: str
    is_householder: bool
    relationship: str
    family_name: str
    given_name: str
    family_name_kana: str
    given_name_kana: str
    sex: str
    birth_date: date
    postal_code: str
    municipality_code: str
    address: str


_STATUS_BY_CODE = {ChangeCode.DEATH: DECEASED, ChangeCode.MOVE_OUT: MOVED_OUT}


def state_of_person(p: SynthPerson) -> PersonState:
    return PersonState(
        addressee_no=p.addressee_no, status=p.status, household_no=p.household_no,
        is_householder=p.is_householder, relationship=p.relationship, family_name=p.family_name,
        given_name=p.given_name, family_name_kana=p.family_name_kana, given_name_kana=p.given_name_kana,
        sex=p.sex, birth_date=p.birth_date, postal_code=p.postal_code, municipality_code=p.municipality_code,
        address=p.address,
    )


def state_of_record(r: ResidentChangeRecord) -> PersonState:
    return PersonState(
        addressee_no=r.addressee_no, status=_STATUS_BY_CODE.get(r.code, RESIDENT),
        household_no=r.household_no,
        is_householder=r.is_householder, relationship=r.relationship, family_name=r.family_name,
        given_name=r.given_name, family_name_kana=r.family_name_kana, given_name_kana=r.given_name_kana,
        sex=r.sex, birth_date=r.birth_date, postal_code=r.postal_code, municipality_code=r.municipality_code,
        address=r.address,
    )


@dataclass(frozen=True)
class EventDay:
    day: date  # notified date: the day these records reach the city
    records: tuple[ResidentChangeRecord, ...]


@dataclass
class EventStream:
    start: date  # the city's base date; the first EventDay is the day after
    days: list[EventDay]
    initial: dict[str, PersonState]

    def records(self) -> Iterator[ResidentChangeRecord]:
        for day in self.days:
            yield from day.records

    def state_on(self, on: date, known_by: date | None = None) -> dict[str, PersonState]:
        """Every addressee's state on `on` (by effective date); with known_by, only from records
        notified on or before that day. People who moved in later are absent until they arrive."""
        states = dict(self.initial)
        chosen = [r for r in self.records()
                  if r.effective_date <= on and (known_by is None or r.notified_date <= known_by)]
        chosen.sort(key=lambda r: (r.effective_date, r.change_id))
        for record in chosen:
            states[record.addressee_no] = state_of_record(record)
        return states

    def residents_on(self, on: date, known_by: date | None = None) -> dict[str, PersonState]:
        return {k: s for k, s in self.state_on(on, known_by).items() if s.status == RESIDENT}


class _Simulation:
    def __init__(self, city: City, days: int) -> None:
        config = city.config
        self.rng = random.Random(f"kouki-synth-events:{config.seed}")
        counters = _Counters(person=len(city.persons), household=len(city.households))
        self.builder = CityBuilder(config, self.rng, counters)
        self.start = config.as_of
        self.end = config.as_of + timedelta(days=days)
        self.persons: dict[int, SynthPerson] = {}
        self.households: dict[int, list[int]] = defaultdict(list)
        self.household_order: list[int] = []  # living households, for uniform picks (swap-remove)
        self.household_pos: dict[int, int] = {}
        self.busy_until: dict[int, date] = {}
        self.deaths: dict[date, list[int]] = defaultdict(list)
        self.records: list[ResidentChangeRecord] = []
        self.seq = 0
        self.residents = 0
        for p in city.persons:
            if p.status != RESIDENT:
                continue
            person = copy.copy(p)
            self.persons[p.serial] = person
            self._join(person)
            self._schedule_death(person, self.start)

    # --- bookkeeping -------------------------------------------------------------------------
    def _join(self, person: SynthPerson) -> None:
        assert person.household_serial is not None
        members = self.households[person.household_serial]
        if not members:
            self.household_pos[person.household_serial] = len(self.household_order)
            self.household_order.append(person.household_serial)
        members.append(person.serial)
        self.residents += 1

    def _leave(self, person: SynthPerson) -> None:
        assert person.household_serial is not None
        members = self.households[person.household_serial]
        members.remove(person.serial)
        self.residents -= 1
        if not members:
            del self.households[person.household_serial]
            pos = self.household_pos.pop(person.household_serial)
            last = self.household_order.pop()
            if last != person.household_serial:
                self.household_order[pos] = last
                self.household_pos[last] = pos

    def _schedule_death(self, person: SynthPerson, since: date) -> None:
        span = (self.end - since).days
        if span <= 0:
            return
        q = death_probability(age_on(person.birth_date, since))
        if self.rng.random() < 1 - (1 - q) ** (span / 365):
            self.deaths[since + timedelta(days=self.rng.randint(1, span))].append(person.serial)

    def _free(self, serial: int, day: date) -> bool:
        return self.busy_until.get(serial, self.start) < day

    def _emit(self, person: SynthPerson, code: ChangeCode, day: date, max_lag: int,
              other_address: str = "") -> None:
        notified = min(self.end, day + timedelta(days=self.rng.randint(0, max_lag)))
        self.busy_until[person.serial] = notified
        self.seq += 1
        self.records.append(ResidentChangeRecord(
            change_id=f"{day:%Y%m%d}{self.seq:08d}", code=code, effective_date=day, notified_date=notified,
            addressee_no=person.addressee_no, household_no=person.household_no,
            is_householder=person.is_householder, relationship=person.relationship,
            family_name=person.family_name, given_name=person.given_name,
            family_name_kana=person.family_name_kana, given_name_kana=person.given_name_kana, sex=person.sex,
            birth_date=person.birth_date, postal_code=person.postal_code,
            municipality_code=person.municipality_code, address=person.address, other_address=other_address,
            personal_number=person.personal_number,
        ))

    def _count(self, annual_rate: float, base: float) -> int:
        expected = base * annual_rate / 365
        return int(expected) + (self.rng.random() < expected - int(expected))

    def _pick_household(self, day: date, tries: int = 8) -> list[SynthPerson] | None:
        for _ in range(tries):
            if not self.household_order:
                return None
            serial = self.household_order[int(self.rng.random() * len(self.household_order))]
            members = [self.persons[s] for s in self.households[serial]]
            if all(self._free(m.serial, day) for m in members):
                return members
        return None

    # --- kinds of change ---------------------------------------------------------------------
    def _death(self, serial: int, day: date) -> None:
        person = self.persons.get(serial)
        if person is None or person.status != RESIDENT:
            return
        if not self._free(serial, day):
            later = self.busy_until[serial] + timedelta(days=1)
            if later <= self.end:
                self.deaths[later].append(serial)
            return
        was_head = person.is_householder
        self._leave(person)
        person.status = DECEASED
        self._emit(person, ChangeCode.DEATH, day, 7)
        remaining = [self.persons[s] for s in self.households.get(person.household_serial or -1, [])]
        free = [m for m in remaining if self._free(m.serial, day)]
        if was_head and free:
            heir = next((m for m in free if m.relationship in ("妻", "夫")), None) or min(
                free, key=lambda m: m.birth_date)
            heir.is_householder, heir.relationship = True, "世帯主"
            self._emit(heir, ChangeCode.HOUSEHOLD_CHANGE, day, 7)

    def _birth(self, day: date) -> None:
        for _ in range(20):
            members = self._pick_household(day, tries=1)
            if not members:
                continue
            mothers = [m for m in members if m.sex == FEMALE and 20 <= age_on(m.birth_date, day) <= 44
                       and m.relationship in ("世帯主", "妻", "子の妻", "子")]
            if not mothers:
                continue
            mother = mothers[0]
            relationship = "子" if mother.relationship in ("世帯主", "妻") else "孫"
            child = self.builder.person(
                sex=self.rng.choice((MALE, FEMALE)), birth=day,
                family=(mother.family_name, mother.family_name_kana), registration="resident",
                status=RESIDENT, household=None, relationship=relationship, postal_code=mother.postal_code,
                municipality_code=mother.municipality_code, address=mother.address, phone="", since=day)
            child.household_serial, child.household_no = mother.household_serial, mother.household_no
            self.persons[child.serial] = child
            self._join(child)
            self._emit(child, ChangeCode.BIRTH, day, 14)
            self._schedule_death(child, day)
            return

    def _move_in(self, day: date) -> None:
        members: list[Member] = self.builder.household_members()
        _, people = self.builder.household(members, moved_in=day)
        _, before = self.builder.addresser.outside_city()
        for person in people:
            person.since = day
            self.persons[person.serial] = person
            self._join(person)
            self._emit(person, ChangeCode.MOVE_IN, day, 14, other_address=before)
            self._schedule_death(person, day)

    def _move_out(self, day: date) -> None:
        members = self._pick_household(day)
        if not members:
            return
        _, destination = self.builder.addresser.outside_city()
        leaving = members
        adults = [m for m in members if not m.is_householder and age_on(m.birth_date, day) >= 18]
        if adults and self.rng.random() < 0.35:
            leaving = [self.rng.choice(adults)]
        for person in leaving:
            self._leave(person)
            person.status = MOVED_OUT
            self._emit(person, ChangeCode.MOVE_OUT, day, 3, other_address=destination)

    def _address_change(self, day: date) -> None:
        members = self._pick_household(day)
        if not members:
            return
        place, address = self.builder.addresser.in_city()
        for person in members:
            person.postal_code, person.municipality_code = place.postal_code, place.municipality_code
            person.address, person.since = address, day
            self._emit(person, ChangeCode.ADDRESS_CHANGE, day, 14)

    def _split(self, day: date) -> None:
        members = self._pick_household(day)
        if not members:
            return
        adults = [m for m in members if not m.is_householder and age_on(m.birth_date, day) >= 20]
        if not adults:
            return
        person = self.rng.choice(adults)
        self._leave(person)
        household = self.builder.next_household()
        place, address = self.builder.addresser.in_city()
        person.household_serial, person.household_no = household.serial, household.household_no
        person.is_householder, person.relationship = True, "世帯主"
        person.postal_code, person.municipality_code = place.postal_code, place.municipality_code
        person.address, person.since = address, day
        self._join(person)
        self._emit(person, ChangeCode.HOUSEHOLD_CHANGE, day, 14)

    def run(self) -> list[ResidentChangeRecord]:
        day = self.start + timedelta(days=1)
        while day <= self.end:
            for serial in self.deaths.pop(day, []):
                self._death(serial, day)
            for _ in range(self._count(BIRTH_RATE, self.residents)):
                self._birth(day)
            households = len(self.household_order) or 1
            per_household = self.residents / households
            for _ in range(self._count(MOVE_IN_RATE, self.residents / per_household)):
                self._move_in(day)
            for _ in range(self._count(MOVE_OUT_RATE, households * 1.2)):
                self._move_out(day)
            for _ in range(self._count(ADDRESS_CHANGE_RATE, households)):
                self._address_change(day)
            for _ in range(self._count(SPLIT_RATE, self.residents)):
                self._split(day)
            day += timedelta(days=1)
        return self.records


def simulate_events(city: City, days: int) -> EventStream:
    """Deterministic for a city (same seed, same days → same records). The city itself is not changed."""
    initial = {p.addressee_no: state_of_person(p) for p in city.persons}
    records = _Simulation(city, days).run()
    by_day: dict[date, list[ResidentChangeRecord]] = defaultdict(list)
    for record in records:
        by_day[record.notified_date].append(record)
    start = city.config.as_of
    event_days = [
        EventDay(day=start + timedelta(days=i), records=tuple(by_day.get(start + timedelta(days=i), [])))
        for i in range(1, days + 1)
    ]
    return EventStream(start=start, days=event_days, initial=initial)
