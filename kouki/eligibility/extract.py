"""City → union records read from the database (住民基本台帳情報, 住登外登録情報, 所得・課税情報).

Scope of 住民基本台帳情報 (assessment: 「年齢到達により被保険者となる住民および世帯構成員、並びに既に
被保険者となっている住民および世帯構成員 (世帯単位)」): every member of every household that has a
member aged 65 or over.

- initial: all such households on the run date;
- daily: the households touched by the change events recorded since the previous 住民基本台帳情報 file
  (the household before and after each change) that have, or had through the changed person, a member
  aged 65 or over, plus households in which someone turned 65 since the previous file; and the changed
  people themselves when they are 65+ or belonged to such a household (a death or move-out is sent with
  status 死亡 / 転出 and the household they left; a 転出 carries the prefecture of its 転出先住所, from which
  the union decides the day of loss, 高確法 §53①).

Each record is the person's current (latest known) version. Personal numbers come only from
kouki.privacy.transfer for the registered transfer to the union.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from django.db.models import Max, Min, Q

from kouki.addressees.models import ChangeEvent, ChangeKind, PersonStatus, PersonVersion, Registration
from kouki.core.config import municipality_code
from kouki.core.db import InValues, chunked
from kouki.income.models import IncomeRecord
from kouki.interfaces.union.records import (
    IncomeInfoRecord,
    NonResidentInfoRecord,
    ResidentInfoRecord,
    ResidentStatus,
)
from kouki.privacy.context import Actor
from kouki.privacy.transfer import UNION_ELIGIBILITY, numbers_for_transfer

SCOPE_AGE = 65
CHUNK = 20_000


def latest_birth_for_age(on: date, age: int) -> date:
    """The latest birth date of someone who is at least `age` years old on `on`."""
    try:
        return on.replace(year=on.year - age)
    except ValueError:  # 29 February in a year without one
        return date(on.year - age, 2, 28)


@dataclass(frozen=True)
class Scope:
    person_ids: list[int]  # resident-info subjects, sorted
    through_change_id: int  # the last change event taken into account


class _Current(NamedTuple):
    """What the extraction reads of a person's current version (plain values, no model instances)."""

    person_id: int
    addressee_no: str
    registration: str
    household_no: str | None  # None: the version belongs to no household
    status: str
    is_householder: bool
    relationship: str
    family_name: str
    given_name: str
    family_name_kana: str
    given_name_kana: str
    sex: str
    birth_date: date
    postal_code: str
    address: str
    valid_from: date


_CURRENT_COLUMNS = (
    "person_id", "person__addressee_no", "person__registration", "household__household_no", "status",
    "is_householder", "relationship", "family_name", "given_name", "family_name_kana", "given_name_kana",
    "sex", "birth_date", "postal_code", "address", "valid_from",
)


def _current_by_person(person_ids: Iterable[int]) -> dict[int, _Current]:
    ids = sorted(set(person_ids))
    out: dict[int, _Current] = {}
    for chunk in chunked(ids, CHUNK):
        for row in PersonVersion.objects.filter(InValues("person_id", chunk), is_current=True).values_list(
                *_CURRENT_COLUMNS):
            out[row[0]] = _Current._make(row)
    return out


def initial_scope(on: date) -> Scope:
    """Every current member of every household with a member aged 65+ on `on`."""
    cutoff = latest_birth_for_age(on, SCOPE_AGE)
    households = PersonVersion.objects.filter(
        is_current=True, status=PersonStatus.RESIDENT, household__isnull=False, birth_date__lte=cutoff,
    ).values("household_id")
    ids = PersonVersion.objects.filter(is_current=True, household_id__in=households).values_list(
        "person_id", flat=True)
    last = ChangeEvent.objects.aggregate(m=Max("pk"))["m"] or 0
    return Scope(person_ids=sorted(set(ids)), through_change_id=last)


def daily_scope(on: date, *, after_change_id: int, previous_run: date | None) -> Scope:
    """The resident-info subjects for the changes after `after_change_id` (see the module docstring)."""
    cutoff = latest_birth_for_age(on, SCOPE_AGE)
    events = list(ChangeEvent.objects.filter(pk__gt=after_change_id).values_list(
        "pk", "person_id", "effective_date"))
    through = max((e[0] for e in events), default=after_change_id)
    earliest: dict[int, date] = {}
    for _, person_id, effective in events:
        earliest[person_id] = min(effective, earliest.get(person_id, effective))
    touched = sorted(earliest)
    households_of: dict[int, set[int]] = defaultdict(set)  # touched person -> households before/after
    for chunk in chunked(touched, CHUNK):
        rows = PersonVersion.objects.filter(InValues("person_id", chunk), superseded_at__isnull=True,
                                            household__isnull=False).values_list(
            "person_id", "household_id", "valid_to")
        for person_id, household_id, valid_to in rows:
            if valid_to is None or valid_to >= earliest[person_id]:
                households_of[person_id].add(household_id)
    touched_current = _current_by_person(touched)
    in_scope: set[int] = set()
    candidates = {h for hs in households_of.values() for h in hs}
    for person_id, households in households_of.items():
        current = touched_current.get(person_id)
        if current is not None and current.birth_date <= cutoff:
            in_scope.update(households)
    # Households with a current member aged 65+ on the run date.
    candidate_list = sorted(candidates - in_scope)
    for chunk in chunked(candidate_list, CHUNK):
        in_scope.update(PersonVersion.objects.filter(
            InValues("household_id", chunk), is_current=True, birth_date__lte=cutoff).values_list(
            "household_id", flat=True))
    # Households where someone turned 65 since the previous run.
    if previous_run is not None and previous_run < on:
        since = latest_birth_for_age(previous_run, SCOPE_AGE)
        in_scope.update(PersonVersion.objects.filter(
            is_current=True, status=PersonStatus.RESIDENT, household__isnull=False,
            birth_date__gt=since, birth_date__lte=cutoff).values_list("household_id", flat=True))
    subjects: set[int] = set()
    for chunk in chunked(sorted(in_scope), CHUNK):
        subjects.update(PersonVersion.objects.filter(InValues("household_id", chunk), is_current=True)
                        .values_list("person_id", flat=True))
    for person_id in touched:
        current = touched_current.get(person_id)
        if current is None or current.registration != Registration.RESIDENT:
            continue
        if current.birth_date <= cutoff or households_of.get(person_id, set()) & in_scope:
            subjects.add(person_id)
    return Scope(person_ids=sorted(subjects), through_change_id=through)


def _resident_since(person_ids: list[int]) -> dict[int, date]:
    """The latest birth or move-in on record, else the start of the person's first version."""
    since: dict[int, date] = {}
    for chunk in chunked(person_ids, CHUNK):
        since.update(PersonVersion.objects.filter(InValues("person_id", chunk), superseded_at__isnull=True)
                     .values("person_id").annotate(first=Min("valid_from")).values_list("person_id", "first"))
        since.update(ChangeEvent.objects.filter(InValues("person_id", chunk),
                                                kind__in=(ChangeKind.BIRTH, ChangeKind.MOVE_IN))
                     .values("person_id").annotate(last=Max("effective_date"))
                     .values_list("person_id", "last"))
    return since


def _last_household_no(person_ids: list[int]) -> dict[int, str]:
    """For people whose current version has no household (died, moved out): the household they left."""
    out: dict[int, tuple[date, str]] = {}
    for chunk in chunked(person_ids, CHUNK):
        for person_id, valid_from, number in PersonVersion.objects.filter(
                InValues("person_id", chunk), superseded_at__isnull=True, household__isnull=False
        ).values_list("person_id", "valid_from", "household__household_no"):
            if person_id not in out or valid_from >= out[person_id][0]:
                out[person_id] = (valid_from, number)
    return {k: v[1] for k, v in out.items()}


def _moved_to_prefecture(person_ids: list[int]) -> dict[int, str]:
    """The 転出先都道府県コード of each person's latest 転出 (by 異動日, then as recorded)."""
    out: dict[int, tuple[date, int, str]] = {}
    for chunk in chunked(person_ids, CHUNK):
        for person_id, effective, pk, code in ChangeEvent.objects.filter(
                InValues("person_id", chunk), kind=ChangeKind.MOVE_OUT
        ).values_list("person_id", "effective_date", "pk", "moved_to_prefecture"):
            if person_id not in out or (effective, pk) > out[person_id][:2]:
                out[person_id] = (effective, pk, code)
    return {k: v[2] for k, v in out.items()}


_STATUS = {
    PersonStatus.RESIDENT: ResidentStatus.RESIDENT,
    PersonStatus.MOVED_OUT: ResidentStatus.MOVED_OUT,
    PersonStatus.DECEASED: ResidentStatus.DECEASED,
}


def resident_info_records(*, actor: Actor, person_ids: Sequence[int],
                          file_name: str) -> list[ResidentInfoRecord]:
    """One 住民基本台帳情報 record per person (current version), ordered by household then 宛名番号."""
    ids = sorted(set(person_ids))
    current = _current_by_person(ids)
    ids = [i for i in ids if i in current and current[i].status in _STATUS]
    since = _resident_since(ids)
    no_household = [i for i in ids if current[i].household_no is None]
    left = _last_household_no(no_household)
    destination = _moved_to_prefecture([i for i in ids if current[i].status == PersonStatus.MOVED_OUT])
    numbers = numbers_for_transfer(actor=actor, transfer_id=UNION_ELIGIBILITY, person_ids=ids,
                                   file_name=file_name)
    code = municipality_code()
    records = []
    for person_id in ids:
        v = current[person_id]
        status = _STATUS[PersonStatus(v.status)]
        household = v.household_no if v.household_no is not None else left.get(person_id, "")
        records.append(ResidentInfoRecord(
            municipality_code=code, addressee_no=v.addressee_no, household_no=household,
            is_householder=v.is_householder, relationship=v.relationship or "世帯員",
            family_name=v.family_name, given_name=v.given_name, family_name_kana=v.family_name_kana,
            given_name_kana=v.given_name_kana, sex=v.sex, birth_date=v.birth_date, postal_code=v.postal_code,
            address=v.address, status=status,
            status_date=None if status == ResidentStatus.RESIDENT else v.valid_from,
            resident_since=since.get(person_id, v.valid_from),
            changed_on=v.valid_from, personal_number=numbers.get(person_id, ""),
            moved_to_prefecture=destination.get(person_id, "") if status == ResidentStatus.MOVED_OUT else "",
        ))
    records.sort(key=lambda r: (r.household_no, not r.is_householder, r.addressee_no))
    return records


def non_resident_ids(on: date, *, after_change_id: int | None) -> list[int]:
    """住登外者 aged 65+ on `on`: all of them (initial) or those registered after a change id (daily)."""
    cutoff = latest_birth_for_age(on, SCOPE_AGE)
    qs = PersonVersion.objects.filter(is_current=True, status=PersonStatus.NON_RESIDENT,
                                      birth_date__lte=cutoff)
    if after_change_id is not None:
        changed = ChangeEvent.objects.filter(pk__gt=after_change_id).values("person_id")
        qs = qs.filter(person_id__in=changed)
    return sorted(set(qs.values_list("person_id", flat=True)))


def non_resident_info_records(*, actor: Actor, person_ids: Sequence[int],
                              file_name: str) -> list[NonResidentInfoRecord]:
    ids = sorted(set(person_ids))
    current = _current_by_person(ids)
    since = _resident_since(ids)
    numbers = numbers_for_transfer(actor=actor, transfer_id=UNION_ELIGIBILITY, person_ids=ids,
                                   file_name=file_name)
    code = municipality_code()
    return [
        NonResidentInfoRecord(
            municipality_code=code, addressee_no=v.addressee_no, family_name=v.family_name,
            given_name=v.given_name, family_name_kana=v.family_name_kana, given_name_kana=v.given_name_kana,
            sex=v.sex, birth_date=v.birth_date, postal_code=v.postal_code, address=v.address,
            registered_on=since.get(person_id, v.valid_from), deleted_on=None,
            personal_number=numbers.get(person_id, ""),
        )
        for person_id in ids
        if (v := current.get(person_id)) is not None
    ]


def income_info_records(*, person_ids: Sequence[int], after_income_id: int | None,
                        on: date) -> tuple[list[IncomeInfoRecord], int]:
    """所得・課税情報: the latest income year of each given person, plus income rows recorded after
    `after_income_id` (new years, corrections) of people aged 65+ on `on` and of the householders of
    their households (the reductions are judged on the householder too). Returns (records, last id)."""
    latest: dict[int, IncomeRecord] = {}
    for chunk in chunked(sorted(set(person_ids)), CHUNK):
        for row in IncomeRecord.objects.filter(InValues("person_id", chunk)).select_related("person"):
            if row.person_id not in latest or row.income_year > latest[row.person_id].income_year:
                latest[row.person_id] = row
    rows: dict[tuple[int, int], IncomeRecord] = {(r.person_id, r.income_year): r for r in latest.values()}
    last = IncomeRecord.objects.aggregate(m=Max("pk"))["m"] or 0
    if after_income_id is not None:
        cutoff = latest_birth_for_age(on, SCOPE_AGE)
        aged_versions = PersonVersion.objects.filter(is_current=True, birth_date__lte=cutoff)
        aged = aged_versions.values("person_id")
        householders = PersonVersion.objects.filter(
            is_current=True, is_householder=True, household_id__in=aged_versions.values("household_id")
        ).values("person_id")
        new_rows = IncomeRecord.objects.filter(pk__gt=after_income_id).filter(
            Q(person_id__in=aged) | Q(person_id__in=householders))
        for row in new_rows.select_related("person"):
            rows[(row.person_id, row.income_year)] = row
    code = municipality_code()
    records = [
        IncomeInfoRecord(
            municipality_code=code, addressee_no=r.person.addressee_no, income_year=r.income_year,
            public_pension_revenue=r.public_pension_revenue, salary_revenue=r.salary_revenue,
            other_income=r.other_income, taxable_income=r.taxable_income, declared=r.declared,
        )
        for r in rows.values()
    ]
    records.sort(key=lambda r: (r.addressee_no, r.income_year))
    return records, last
