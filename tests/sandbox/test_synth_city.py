"""The synthetic city: deterministic, Japan-like shape, valid numbers, real postal codes. No database."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import pytest

from kouki.rules.numbers import is_valid_my_number
from kouki.sandbox.synth.city import City, build_city
from kouki.sandbox.synth.model import SynthConfig, SynthPerson, age_on
from kouki.sandbox.synth.reference import WARDS, name_tables, postal_code_city

AS_OF = date(2026, 4, 1)
WARD_CODES = {code: f"さいたま市{name}" for name, code, _ in WARDS}


@pytest.fixture(scope="module")
def city() -> City:
    return build_city(SynthConfig(residents=20_000, seed=11, as_of=AS_OF, chunk_size=5_000))


def residents(city: City) -> list[SynthPerson]:
    return [p for p in city.persons if p.registration == "resident"]


def test_same_seed_gives_the_same_city_and_another_seed_another() -> None:
    config = SynthConfig(residents=2_500, seed=5, chunk_size=1_000)
    first, second = build_city(config), build_city(config)
    assert first.persons == second.persons
    assert first.households == second.households
    assert first.incomes == second.incomes
    other = build_city(SynthConfig(residents=2_500, seed=6, chunk_size=1_000))
    assert [p.family_name + p.given_name for p in other.persons] != [p.family_name + p.given_name
                                                                     for p in first.persons]


def test_exact_resident_count_and_non_resident_share(city: City) -> None:
    assert len(residents(city)) == 20_000
    non_residents = [p for p in city.persons if p.registration == "non_resident"]
    assert 0.01 <= len(non_residents) / len(city.persons) <= 0.02
    assert all(p.status == "non_resident" and p.household_no == "" and p.household_serial is None
               for p in non_residents)
    assert any(not p.municipality_code.startswith("111") for p in non_residents)


def test_age_pyramid_is_japan_like(city: City) -> None:
    ages = [age_on(p.birth_date, AS_OF) for p in residents(city)]
    share_65 = sum(a >= 65 for a in ages) / len(ages)
    share_75 = sum(a >= 75 for a in ages) / len(ages)
    assert 0.27 <= share_65 <= 0.31
    assert 0.15 <= share_75 <= 0.18
    assert min(ages) == 0
    assert max(ages) >= 95


def test_households_are_small_with_one_householder_and_one_address(city: City) -> None:
    members: dict[int, list[SynthPerson]] = defaultdict(list)
    for p in residents(city):
        assert p.household_serial is not None
        members[p.household_serial].append(p)
    assert len(members) == len(city.households)
    per_household = len(residents(city)) / len(members)
    assert abs(per_household - 2.1) <= 0.15  # 1.95 … 2.25 residents per household
    for people in members.values():
        assert sum(p.is_householder for p in people) == 1
        assert people[0].is_householder and people[0].relationship == "世帯主"
        assert len({(p.address, p.postal_code, p.household_no) for p in people}) == 1
    elderly_alone = [ps for ps in members.values() if len(ps) == 1 and age_on(ps[0].birth_date, AS_OF) >= 65]
    assert len(elderly_alone) / len(members) > 0.08
    ages = [{age_on(p.birth_date, AS_OF) >= 75 for p in ps} for ps in members.values()]
    mixed = sum(a == {True, False} for a in ages)
    assert mixed / len(members) > 0.03
    couples = sum(any(p.relationship == "妻" for p in ps) for ps in members.values())
    assert couples / len(members) > 0.3


def test_names_are_consistent_kanji_kana_pairs(city: City) -> None:
    tables = name_tables()
    family = {(n.kanji, n.kana) for n in tables.family}
    male = {(n.kanji, n.kana) for n in tables.male}
    female = {(n.kanji, n.kana) for n in tables.female}
    for p in city.persons:
        assert (p.family_name, p.family_name_kana) in family
        assert (p.given_name, p.given_name_kana) in (male if p.sex == "1" else female)
    # frequent names repeat, yet the city uses nearly the whole table (a real city has many names)
    assert len({p.family_name for p in city.persons}) > 0.95 * len(family)
    assert len({(p.family_name, p.given_name) for p in city.persons}) > 0.5 * len(city.persons)


def test_personal_numbers_are_valid_and_unique(city: City) -> None:
    numbers = [p.personal_number for p in city.persons]
    assert all(is_valid_my_number(n) for n in numbers)
    assert len(set(numbers)) == len(numbers)
    assert len({p.addressee_no for p in city.persons}) == len(city.persons)


def test_postal_codes_are_real_and_in_the_right_ward(city: City) -> None:
    checked: dict[tuple[str, str], bool] = {}
    for p in residents(city):
        assert p.municipality_code in WARD_CODES
        assert p.address.startswith("埼玉県" + WARD_CODES[p.municipality_code])
        key = (p.postal_code, p.municipality_code)
        if key not in checked:
            expected = (p.municipality_code, WARD_CODES[p.municipality_code])
            checked[key] = expected in postal_code_city(p.postal_code)
    assert all(checked.values())
    assert {m for _, m in checked} == set(WARD_CODES)
    assert len(checked) > 150
    for p in city.persons:
        if p.registration == "non_resident":
            assert postal_code_city(p.postal_code)


def test_incomes_cover_the_elderly_and_their_households(city: City) -> None:
    incomes = {i.person_serial: i for i in city.incomes}
    assert len(incomes) == len(city.incomes)
    members: dict[int, list[SynthPerson]] = defaultdict(list)
    for p in residents(city):
        assert p.household_serial is not None
        members[p.household_serial].append(p)
    for people in members.values():
        if any(age_on(p.birth_date, AS_OF) >= 65 for p in people):
            assert all(p.serial in incomes for p in people)
    for p in city.persons:
        if age_on(p.birth_date, AS_OF) >= 65:
            assert p.serial in incomes
    assert {i.income_year for i in city.incomes} == {2025}


def test_income_distribution_of_the_elderly(city: City) -> None:
    by_serial = {p.serial: p for p in city.persons}
    old = [i for i in city.incomes if age_on(by_serial[i.person_serial].birth_date, AS_OF) >= 65]
    pension_only = [i for i in old if i.salary_revenue == 0 and i.other_income == 0]
    in_band = [i for i in pension_only if 800_000 <= i.public_pension_revenue <= 3_000_000]
    assert len(in_band) / len(old) > 0.45
    assert any(i.public_pension_revenue + i.salary_revenue + i.other_income >= 10_000_000 for i in old)
    assert all(i.care_premium_annual > 0 for i in old)
    old_serials = {i.person_serial for i in old}
    for i in city.incomes:
        expected = i.public_pension_revenue if i.public_pension_revenue >= 180_000 else 0
        assert i.care_deduction_pension_annual == (expected if i.person_serial in old_serials else 0)
    young = [i for i in city.incomes if i.person_serial not in old_serials]
    assert all(i.care_premium_annual == 0 for i in young)
    assert any(i.salary_revenue > 0 for i in young)
    assert all(v % 100 == 0 for i in city.incomes
               for v in (i.public_pension_revenue, i.salary_revenue, i.other_income, i.care_premium_annual))


def test_versions_start_at_birth_or_move_in(city: City) -> None:
    assert all(p.birth_date <= p.since <= AS_OF for p in city.persons)
    assert any(p.since == p.birth_date for p in city.persons)
    assert any(p.since > p.birth_date for p in city.persons)
    assert sum(bool(p.phone) for p in city.persons) / len(city.persons) > 0.2
