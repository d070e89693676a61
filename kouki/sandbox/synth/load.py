"""Loading the synthetic city into the configured database (the only part of synth that uses Django).

One transaction: households, addressees, one current version each, encrypted personal numbers
(through kouki.privacy.bulk only), previous-year incomes, and one audit row with the counts. Plain
secondary indexes are dropped for the load and rebuilt at the end (see addressees.bulk.indexes_deferred).
Each version's valid_from is the person's `since` (birth, or moving to the current address).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from kouki.addressees.bulk import (
    ADDRESSEE_MODELS,
    household_rows_insert,
    person_rows_insert,
    person_version_rows_insert,
    registry_is_empty,
)
from kouki.addressees.models import Household, Person, PersonVersion
from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.core.db import db_datetime, indexes_deferred, next_id, reset_sequences
from kouki.income.bulk import income_rows_insert
from kouki.income.models import IncomeRecord
from kouki.privacy.audit import audit_record
from kouki.privacy.bulk import bulk_store_numbers
from kouki.privacy.context import Actor
from kouki.privacy.models import PersonalNumber
from kouki.rules.kana import kana_search_key
from kouki.sandbox.synth.city import generate_city
from kouki.sandbox.synth.model import CityChunk, SynthConfig

NUMBER_SOURCE = "synth"


class RegistryNotEmpty(RuntimeError):
    pass


@dataclass(frozen=True)
class LoadResult:
    households: int
    persons: int
    residents: int
    non_residents: int
    versions: int
    personal_numbers: int
    incomes: int
    seconds: float


class _KanaKeys(dict[str, str]):
    def __missing__(self, kana: str) -> str:
        value = kana_search_key(kana)
        self[kana] = value
        return value


@dataclass
class _Ids:
    person_base: int
    household_base: int


def _write_chunk(chunk: CityChunk, ids: _Ids, now: Any, keys: _KanaKeys) -> dict[str, int]:
    pb, hb = ids.person_base, ids.household_base
    counts = {"households": household_rows_insert([(hb + h.serial, h.household_no, now)
                                                   for h in chunk.households])}
    counts["persons"] = person_rows_insert([(pb + p.serial, p.addressee_no, p.registration, now)
                                            for p in chunk.persons])
    counts["versions"] = person_version_rows_insert([
        (pb + p.serial, p.family_name, p.given_name, p.family_name_kana, p.given_name_kana,
         keys[p.family_name_kana + p.given_name_kana], p.sex, p.birth_date, p.status,
         None if p.household_serial is None else hb + p.household_serial, p.is_householder, p.relationship,
         p.postal_code, p.municipality_code, p.address, p.phone, p.since, None, now, None, None, True)
        for p in chunk.persons
    ])
    counts["personal_numbers"] = bulk_store_numbers(
        ((pb + p.serial, p.personal_number) for p in chunk.persons), source=NUMBER_SOURCE)
    counts["incomes"] = income_rows_insert([
        (pb + i.person_serial, i.income_year, i.public_pension_revenue, i.salary_revenue, i.other_income,
         i.care_premium_annual, i.care_deduction_pension_annual, i.taxable_income, now)
        for i in chunk.incomes
    ])
    counts["residents"] = sum(p.registration == "resident" for p in chunk.persons)
    return counts


def _progress(config: SynthConfig, enabled: bool) -> Any:
    from tqdm import tqdm

    return tqdm(total=config.residents, unit="人", unit_scale=True, file=sys.stderr, disable=not enabled,
                desc="synth", dynamic_ncols=True)


def _immediate_constraints() -> None:
    """PostgreSQL: check foreign keys row by row now, not at commit (a deferred check queues one trigger
    event per row and forbids CREATE INDEX in the same transaction)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _sqlite_pragmas() -> None:
    """Bigger page cache and in-memory sort space for the index builds (only outside a transaction)."""
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")  # 256 MiB page cache for the load
            cursor.execute("PRAGMA temp_store = MEMORY")


def synthetic_city_load(*, actor: Actor, config: SynthConfig, progress: bool = False,
                        chunks: Iterable[CityChunk] | None = None) -> LoadResult:
    """Generate the city (or take its chunks, already generated from `config`) and write it in one
    transaction; refuses a registry that already has addressees. progress: a tqdm bar on stderr."""
    started = time.perf_counter()
    if not registry_is_empty():
        raise RegistryNotEmpty("the database already holds addressees; synth loads into an empty registry")
    totals = dict.fromkeys(
        ("households", "persons", "versions", "personal_numbers", "incomes", "residents"), 0)
    keys = _KanaKeys()
    bar = _progress(config, progress)
    deferred = (PersonVersion, PersonalNumber, IncomeRecord)
    _sqlite_pragmas()
    with transaction.atomic():
        _immediate_constraints()
        ids = _Ids(person_base=next_id(Person), household_base=next_id(Household))
        now = db_datetime(timezone.now())
        with indexes_deferred(deferred):
            for chunk in generate_city(config) if chunks is None else chunks:
                counts = _write_chunk(chunk, ids, now, keys)
                for key, value in counts.items():
                    totals[key] += value
                bar.update(counts["residents"])
                bar.set_postfix_str(f"世帯 {totals['households']:,} 宛名 {totals['persons']:,}",
                                    refresh=False)
            bar.set_description("synth: indexes")
        reset_sequences([*ADDRESSEE_MODELS, *deferred])
        result = LoadResult(
            households=totals["households"], persons=totals["persons"], residents=totals["residents"],
            non_residents=totals["persons"] - totals["residents"], versions=totals["versions"],
            personal_numbers=totals["personal_numbers"], incomes=totals["incomes"],
            seconds=round(time.perf_counter() - started, 1),
        )
        detail = {k: v for k, v in asdict(result).items() if k != "seconds"}
        audit_record(actor=actor, action=AuditAction.SYNTH_CITY_LOAD, target_type=AuditTarget.CITY,
                     target_id=str(config.seed),
                     detail={**detail, "seed": config.seed, "as_of": config.as_of.isoformat()})
    _refresh_planner_statistics([*ADDRESSEE_MODELS, *deferred])
    bar.close()
    return result


def _refresh_planner_statistics(models: Iterable[type[Model]]) -> None:
    """After a bulk load PostgreSQL's planner statistics describe empty tables, and it chose sequential
    scans for the daily batch's lookups (extraction 9.8 s instead of ~5 s for 10,000 changes). SQLite is
    left without sqlite_stat1: with it, its planner picked slower plans for the same import (measured:
    change import 8.7 s without, 10.2–11.1 s with)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f'ANALYZE "{model._meta.db_table}"')
