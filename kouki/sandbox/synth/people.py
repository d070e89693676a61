"""Drawing ages, names, addresses and numbers with one seeded random.Random (no Faker calls per person)."""

from __future__ import annotations

import random
from bisect import bisect
from datetime import date
from functools import lru_cache
from itertools import accumulate

from kouki.rules.numbers import my_number_check_digit
from kouki.sandbox.synth.reference import WARDS, Place, name_tables, outside_places, ward_places

# People per single year of age (thousands, Japan about 2024), by 5-year band from 0–4 to 100–104.
_BAND_WEIGHTS = (800, 950, 1050, 1100, 1230, 1270, 1280, 1400, 1570, 1850, 1950, 1650, 1500,
                 1420, 1700, 1750, 1200, 800, 400, 130, 20)
MAX_AGE = 5 * len(_BAND_WEIGHTS) - 1


@lru_cache(maxsize=64)
def _age_table(lo: int, hi: int) -> tuple[tuple[int, ...], tuple[float, ...]]:
    ages = tuple(range(lo, hi + 1))
    return ages, tuple(accumulate(float(_BAND_WEIGHTS[a // 5]) for a in ages))


def draw_age(rng: random.Random, lo: int, hi: int) -> int:
    """An age in [lo, hi] following the national age pyramid."""
    lo, hi = max(0, lo), min(MAX_AGE, hi)
    if hi <= lo:
        return lo
    ages, cum = _age_table(lo, hi)
    return ages[bisect(cum, rng.random() * cum[-1])]


def birth_date_for_age(rng: random.Random, age: int, on: date) -> date:
    """A birth date that makes a person exactly `age` on `on`."""
    latest = _years_before(on, age)
    earliest = _years_before(on, age + 1).toordinal() + 1
    return date.fromordinal(rng.randint(earliest, latest.toordinal()))


def _years_before(on: date, years: int) -> date:
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February
        return on.replace(year=on.year - years, day=28)


class Namer:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.tables = name_tables()

    def family(self) -> tuple[str, str]:
        t = self.tables
        pair = t.family[bisect(t.family_cum_weights, self.rng.random() * t.family_cum_weights[-1])]
        return pair.kanji, pair.kana

    def given(self, sex: str) -> tuple[str, str]:
        pool = self.tables.male if sex == "1" else self.tables.female
        pair = pool[int(self.rng.random() * len(pool))]
        return pair.kanji, pair.kana


_WARD_CODES = tuple(code for _, code, _ in WARDS)
_WARD_CUM = tuple(accumulate(float(pop) for _, _, pop in WARDS))


class Addresser:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.wards = ward_places()
        self.outside = outside_places()

    def in_city(self) -> tuple[Place, str]:
        rng = self.rng
        ward = _WARD_CODES[bisect(_WARD_CUM, rng.random() * _WARD_CUM[-1])]
        places = self.wards[ward]
        place = places[int(rng.random() * len(places))]
        return place, place.prefix + self._street(place)

    def outside_city(self) -> tuple[Place, str]:
        place = self.outside[int(self.rng.random() * len(self.outside))]
        return place, place.prefix + self._street(place)

    def _street(self, place: Place) -> str:
        rng = self.rng
        ban, go = rng.randint(1, 30), rng.randint(1, 28)
        if place.has_chome:
            text = f"{rng.randint(1, 4)}丁目{ban}番{go}号"
        else:
            text = f"{rng.randint(1, 2500)}番地{go}" if go > 14 else f"{rng.randint(1, 2500)}番地"
        if rng.random() < 0.3:
            text += f" {rng.randint(1, 12)}{rng.randint(1, 20):02d}号室"
        return text

    def landline(self) -> str:
        rng = self.rng
        return f"048-{rng.randint(600, 899)}-{rng.randint(0, 9999):04d}"

    def mobile(self) -> str:
        rng = self.rng
        return f"0{rng.choice('789')}0-{rng.randint(1000, 9999)}-{rng.randint(0, 9999):04d}"


class NumberMaker:
    """Distinct valid personal numbers: an affine bijection of the serial modulo 10^11, plus check digit."""

    MODULUS = 10**11

    def __init__(self, seed: int) -> None:
        rng = random.Random(f"kouki-synth-numbers:{seed}")
        mult = rng.randrange(10**9, 10**11)
        while mult % 2 == 0 or mult % 5 == 0:
            mult += 1
        self.mult = mult
        self.offset = rng.randrange(self.MODULUS)

    def number(self, serial: int) -> str:
        base = f"{(self.mult * serial + self.offset) % self.MODULUS:011d}"
        return base + str(my_number_check_digit(base))


def addressee_no(serial: int) -> str:
    return f"{serial + 1:010d}"


def household_no(serial: int) -> str:
    return f"{serial + 1:010d}"
