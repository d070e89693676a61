"""resident_changes_apply_many gives exactly the registry that resident_change_apply gives, record by
record."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import pytest
from interfaces.helpers import record

from kouki.addressees.models import ChangeEvent, Person, PersonVersion
from kouki.addressees.services import (
    ChangeNotApplicable,
    ChangeNotApplicableAt,
    resident_change_apply,
    resident_changes_apply_many,
)
from kouki.interfaces.resident_register.record import ChangeCode, ResidentChangeRecord
from kouki.privacy.audit import verify_chain
from kouki.privacy.context import Actor
from kouki.privacy.models import PersonalNumber, PersonalNumberPending
from kouki.privacy.vault import blind_index
from kouki.rules.numbers import my_number_check_digit

ACTOR = Actor.system("tests")
CODES = [ChangeCode.MOVE_IN, ChangeCode.ADDRESS_CHANGE, ChangeCode.HOUSEHOLD_CHANGE, ChangeCode.NAME_CHANGE,
         ChangeCode.DEATH, ChangeCode.MOVE_OUT, ChangeCode.CORRECTION, ChangeCode.BIRTH]


def _number(rng: random.Random) -> str:
    base = f"{rng.randrange(10**10, 10**11):011d}"
    return base + str(my_number_check_digit(base))


def _numbers(seed: int, prefix: str) -> list[str]:
    return [_number(random.Random(f"{prefix}:{seed}:{i}")) for i in range(7)]


def _records(seed: int, prefix: str) -> list[ResidentChangeRecord]:
    """A shuffled mix of changes for 6 people: retroactive dates, same-day changes, late deaths,
    corrections, duplicates and number arrivals (same, different, blank, shared)."""
    rng = random.Random(seed)
    numbers = _numbers(seed, prefix)
    out: list[ResidentChangeRecord] = []
    for n in range(40):
        person = rng.randrange(6)
        code = rng.choice(CODES) if n >= 6 else ChangeCode.MOVE_IN
        if n < 6:
            person = n
        number = rng.choice([numbers[person], numbers[person], "", numbers[6], numbers[(person + 1) % 6]])
        out.append(record(
            change_id=f"{prefix}{seed:03d}{n:04d}", code=code,
            effective_date=date(2025, 4, 1) + timedelta(days=rng.randrange(0, 30) if n >= 6 else 0),
            addressee_no=f"{prefix}{seed:03d}{person:05d}",
            household_no=f"{prefix}{seed:03d}9{rng.randrange(3)}",
            is_householder=rng.random() < 0.4, given_name=rng.choice(["花子", "一郎", "桜"]),
            address=f"さいたま市浦和区常盤{rng.randrange(1, 9)}丁目", personal_number=number,
        ))
        if rng.random() < 0.1:
            out.append(out[-1])  # the same change twice in one file
    return out


def _snapshot(prefix: str, seed: int) -> list[tuple[Any, ...]]:
    slot = {blind_index(n): i for i, n in enumerate(_numbers(seed, prefix))}
    slot[""] = -1
    rows = []
    persons = {p.pk: p.addressee_no[len(prefix):]
               for p in Person.objects.filter(addressee_no__startswith=prefix)}
    events = {e.pk: e.source_change_id[len(prefix):]
              for e in ChangeEvent.objects.filter(person_id__in=persons)}
    versions = PersonVersion.objects.filter(person_id__in=persons).order_by(
        "person__addressee_no", "valid_from", "change__source_change_id", "pk")
    for v in versions:
        rows.append((persons[v.person_id], v.given_name, v.status,
                     v.household.household_no[len(prefix):] if v.household else None, v.is_householder,
                     v.valid_from, v.valid_to, v.superseded_at is not None, events[v.change_id], v.is_current,
                     v.address))
    numbers = sorted((persons[n.person_id], slot[n.blind_index], n.is_current)
                     for n in PersonalNumber.objects.filter(person_id__in=persons))
    pendings = sorted((persons[n.person_id], n.reason, slot[n.blind_index])
                      for n in PersonalNumberPending.objects.filter(person_id__in=persons))
    return [*rows, ("numbers", numbers), ("pending", pendings)]


@pytest.mark.django_db
@pytest.mark.parametrize("seed", range(12))
def test_bulk_equals_one_by_one(seed: int) -> None:
    one = _records(seed, "1")
    many = _records(seed, "2")
    single_results = []
    single_error = None
    for r in one:
        try:
            single_results.append(resident_change_apply(actor=ACTOR, record=r, source="test"))
        except ChangeNotApplicable as exc:
            single_error = (one.index(r), exc.field)
            break
    if single_error is not None:
        with pytest.raises(ChangeNotApplicableAt) as info:
            resident_changes_apply_many(actor=ACTOR, records=many, source="test")
        assert (info.value.index, info.value.field) == single_error
        return
    bulk_results = resident_changes_apply_many(actor=ACTOR, records=many, source="test")
    assert [(r.duplicate, r.number_result) for r in single_results] == [
        (r.duplicate, r.number_result) for r in bulk_results]
    assert _snapshot("1", seed) == _snapshot("2", seed)
    assert list(verify_chain()) == []


@pytest.mark.django_db
def test_bulk_rejects_correction_of_unknown_person_with_its_index() -> None:
    records = [record(change_id="X1", addressee_no="500"), record(change_id="X2", addressee_no="501",
                                                                     code=ChangeCode.CORRECTION)]
    with pytest.raises(ChangeNotApplicableAt) as info:
        resident_changes_apply_many(actor=ACTOR, records=records, source="test")
    assert info.value.index == 1


@pytest.mark.django_db
def test_both_executors_store_the_prefecture_of_a_move_outs_destination() -> None:
    """高確法 §53① proviso: the 転出先住所's prefecture decides the union's loss day; both executors
    keep it."""
    def changes(prefix: str) -> list[ResidentChangeRecord]:
        return [
            record(change_id=f"{prefix}IN", addressee_no=f"{prefix}001", code=ChangeCode.MOVE_IN,
                   effective_date=date(2020, 4, 1), notified_date=date(2020, 4, 1)),
            record(change_id=f"{prefix}OUT", addressee_no=f"{prefix}001", code=ChangeCode.MOVE_OUT,
                   effective_date=date(2026, 6, 30), notified_date=date(2026, 6, 30),
                   other_address="大阪府大阪市北区梅田一丁目"),
        ]  # fmt: skip

    for r in changes("7"):
        resident_change_apply(actor=ACTOR, record=r, source="test")
    resident_changes_apply_many(actor=ACTOR, records=changes("8"), source="test")
    stored = dict(ChangeEvent.objects.values_list("source_change_id", "moved_to_prefecture"))
    assert stored == {"7IN": "", "7OUT": "27", "8IN": "", "8OUT": "27"}
