"""Loading the synthetic city: counts, one current version each, numbers only encrypted, one audit row."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from django.db import connection

from kouki.addressees.models import Household, Person, PersonVersion
from kouki.addressees.selectors import search_current
from kouki.cli import main
from kouki.income.models import IncomeRecord
from kouki.privacy.context import Actor
from kouki.privacy.models import AuditEntry, PersonalNumber
from kouki.privacy.vault import blind_index, decrypt_number
from kouki.rules.kana import kana_search_key
from kouki.sandbox.synth.city import build_city
from kouki.sandbox.synth.load import LoadResult, RegistryNotEmpty, synthetic_city_load
from kouki.sandbox.synth.model import SynthConfig

CONFIG = SynthConfig(residents=1_200, seed=3, as_of=date(2026, 4, 1), chunk_size=500)


def load() -> LoadResult:
    return synthetic_city_load(actor=Actor.system("synth"), config=CONFIG)


@pytest.mark.django_db
def test_load_puts_the_city_in_the_database() -> None:
    city = build_city(CONFIG)
    result = load()
    assert result.residents == 1_200
    assert result.persons == len(city.persons) == Person.objects.count()
    assert result.households == len(city.households) == Household.objects.count()
    assert PersonVersion.objects.count() == result.persons
    assert PersonVersion.objects.filter(is_current=True).count() == result.persons
    assert PersonalNumber.objects.filter(is_current=True).count() == result.persons
    assert IncomeRecord.objects.count() == len(city.incomes) == result.incomes
    assert Person.objects.filter(registration="non_resident").count() == result.non_residents > 0

    by_no = {p.addressee_no: p for p in city.persons}
    for version in PersonVersion.objects.select_related("person", "household")[:300]:
        source = by_no[version.person.addressee_no]
        assert version.valid_from == source.since
        assert version.valid_to is None and version.superseded_at is None
        assert version.kana_key == kana_search_key(source.family_name_kana + source.given_name_kana)
        assert (version.household.household_no if version.household else "") == source.household_no
        assert (version.address, version.postal_code, version.birth_date) == (
            source.address, source.postal_code, source.birth_date)

    stored = {n.person_id: n for n in PersonalNumber.objects.select_related(None)[:200]}
    people = Person.objects.in_bulk(list(stored))
    matches = [
        decrypt_number(bytes(n.ciphertext), n.key_id, pid) == by_no[people[pid].addressee_no].personal_number
        and n.blind_index == blind_index(by_no[people[pid].addressee_no].personal_number)
        for pid, n in stored.items()
    ]
    assert all(matches) and len(matches) == 200

    entries = list(AuditEntry.objects.filter(action="synth.city_load"))
    assert len(entries) == 1
    assert entries[0].actor == "system:synth"
    assert entries[0].detail["persons"] == result.persons and entries[0].detail["seed"] == 3

    Household.objects.create(household_no="X1")  # sequences moved past the loaded ids
    assert Person.objects.create(addressee_no="X1", registration="resident").pk > result.persons


def plain_numbers_in(tables: list[str], numbers: set[str]) -> int:
    digits = re.compile(r"\d{12}")
    found = 0
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        blob = bytes(value)
                        found += sum(n.encode() in blob for n in numbers)
                    else:
                        found += sum(m in numbers for m in digits.findall(str(value)))
    return found


@pytest.mark.django_db
def test_no_plain_personal_number_anywhere_in_the_database() -> None:
    numbers = {p.personal_number for p in build_city(CONFIG).persons}
    load()
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    assert plain_numbers_in(tables, numbers) == 0
    planted = PersonVersion.objects.order_by("id").first()
    assert planted is not None
    planted.phone = next(iter(sorted(numbers)))[:12]
    planted.save(update_fields=["phone"])
    assert plain_numbers_in([PersonVersion._meta.db_table], numbers) == 1  # the scan does see numbers


@pytest.mark.django_db
def test_kana_prefix_search_finds_exactly_the_matching_people() -> None:
    load()
    prefix = PersonVersion.objects.order_by("id").first().kana_key[:2]  # type: ignore[union-attr]
    found = list(search_current(kana=prefix, limit=10_000))
    expected = PersonVersion.objects.filter(is_current=True, kana_key__startswith=prefix).count()
    assert len(found) == expected > 0
    assert all(v.kana_key.startswith(prefix) for v in found)


@pytest.mark.django_db
def test_a_second_load_is_refused_and_changes_nothing() -> None:
    load()
    before = Person.objects.count()
    with pytest.raises(RegistryNotEmpty):
        load()
    assert Person.objects.count() == before
    assert AuditEntry.objects.filter(action="synth.city_load").count() == 1


@pytest.mark.django_db(transaction=True)
def test_synth_command_loads_and_writes_event_files(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "events"
    status = main(["synth", "--residents", "400", "--seed", "9", "--quiet", "--events-days", "5",
                   "--events-out", str(out)])
    assert status == 0
    assert Person.objects.filter(registration="resident").count() == 400
    assert len(list(out.glob("juki_idou_*.csv"))) == 5
    captured = capsys.readouterr()
    assert "400 住登者" in captured.out
    assert captured.err == ""
    assert main(["synth", "--residents", "400", "--quiet"]) == 2
    assert "empty registry" in capsys.readouterr().err
