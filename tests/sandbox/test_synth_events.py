"""The change-event stream: deterministic, well-formed, Japan-like rates, truth per day, files."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path

import pytest

from kouki.interfaces.resident_register.formats import parse
from kouki.interfaces.resident_register.record import ChangeCode, ResidentChangeRecord
from kouki.rules.numbers import is_valid_my_number
from kouki.sandbox.synth.city import City, build_city
from kouki.sandbox.synth.events import EventStream, simulate_events
from kouki.sandbox.synth.files import write_event_files
from kouki.sandbox.synth.model import SynthConfig

AS_OF = date(2026, 4, 1)


@pytest.fixture(scope="module")
def city() -> City:
    return build_city(SynthConfig(residents=20_000, seed=21, as_of=AS_OF))


@pytest.fixture(scope="module")
def year(city: City) -> EventStream:
    return simulate_events(city, 365)


def test_same_city_same_events_other_seed_other_events() -> None:
    config = SynthConfig(residents=3_000, seed=4)
    first = list(simulate_events(build_city(config), 60).records())
    second = list(simulate_events(build_city(config), 60).records())
    assert first == second
    other = list(simulate_events(build_city(SynthConfig(residents=3_000, seed=5)), 60).records())
    assert [r.addressee_no for r in other] != [r.addressee_no for r in first]


def test_simulation_leaves_the_city_unchanged(city: City) -> None:
    again = build_city(city.config)
    assert again.persons == city.persons


def test_days_are_consecutive_and_records_well_formed(year: EventStream) -> None:
    assert [d.day for d in year.days] == [AS_OF + timedelta(days=i) for i in range(1, 366)]
    records = list(year.records())
    assert len({r.change_id for r in records}) == len(records)
    assert all(len(r.change_id) <= 20 for r in records)
    for day in year.days:
        for r in day.records:
            assert r.notified_date == day.day
            assert AS_OF < r.effective_date <= r.notified_date <= r.effective_date + timedelta(days=14)
            assert r.birth_date <= r.effective_date
            assert is_valid_my_number(r.personal_number)
            if r.code == ChangeCode.BIRTH:
                assert r.birth_date == r.effective_date
            if r.code in (ChangeCode.MOVE_IN, ChangeCode.MOVE_OUT):
                assert r.other_address and not r.other_address.startswith("埼玉県さいたま市")
    by_person: dict[str, list[ResidentChangeRecord]] = defaultdict(list)
    for r in records:
        by_person[r.addressee_no].append(r)
    for changes in by_person.values():
        for before, after in pairwise(changes):
            assert before.notified_date < after.effective_date
        assert all(c.code not in (ChangeCode.DEATH, ChangeCode.MOVE_OUT) for c in changes[:-1])


def test_rates_are_japan_like(city: City, year: EventStream) -> None:
    counts = Counter(r.code for r in year.records())
    population = 20_000
    assert 0.008 <= counts[ChangeCode.DEATH] / population <= 0.018
    assert 0.004 <= counts[ChangeCode.BIRTH] / population <= 0.008
    assert 0.03 <= counts[ChangeCode.MOVE_IN] / population <= 0.05
    assert 0.03 <= counts[ChangeCode.MOVE_OUT] / population <= 0.05
    assert 0.035 <= counts[ChangeCode.ADDRESS_CHANGE] / population <= 0.065
    assert counts[ChangeCode.HOUSEHOLD_CHANGE] > 0
    old = {s.addressee_no for s in year.initial.values()
           if s.status == "resident" and (AS_OF - s.birth_date).days >= 85 * 365.25}
    dead = {r.addressee_no for r in year.records() if r.code == ChangeCode.DEATH}
    assert len(old & dead) / len(old) > 0.06


def test_truth_follows_the_records(year: EventStream) -> None:
    assert year.state_on(AS_OF) == year.initial
    end = AS_OF + timedelta(days=365)
    counts = Counter(r.code for r in year.records())
    start_residents = len(year.residents_on(AS_OF))
    expected = (start_residents + counts[ChangeCode.BIRTH] + counts[ChangeCode.MOVE_IN]
                - counts[ChangeCode.DEATH] - counts[ChangeCode.MOVE_OUT])
    assert len(year.residents_on(end)) == expected
    death = next(r for r in year.records() if r.code == ChangeCode.DEATH)
    day_before = death.effective_date - timedelta(days=1)
    assert year.state_on(day_before)[death.addressee_no].status == "resident"
    assert year.state_on(death.effective_date)[death.addressee_no].status == "deceased"
    if death.notified_date > death.effective_date:
        known = year.state_on(death.effective_date, known_by=death.notified_date - timedelta(days=1))
        assert known[death.addressee_no].status == "resident"
    heads: Counter[str] = Counter(s.household_no for s in year.residents_on(end).values() if s.is_householder)
    assert max(heads.values()) == 1


@pytest.mark.parametrize("fmt", ["csv", "fixed"])
def test_event_files_round_trip(tmp_path: Path, fmt: str) -> None:
    stream = simulate_events(build_city(SynthConfig(residents=2_000, seed=8)), 10)
    paths = write_event_files(stream, tmp_path, "csv" if fmt == "csv" else "fixed")
    assert len(paths) == 10
    for day, path in zip(stream.days, paths, strict=True):
        result = parse(path.read_bytes(), path.name)
        assert result.ok, [str(e) for e in result.errors][:3]
        assert result.records == list(day.records)
