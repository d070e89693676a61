"""The two executors of the history rules (one change at a time through the ORM, a whole file at once with
the raw writers) leave the same rows, every column, and the same audit details (which version each change
made and which it touched); a 住登外者's phone carries over to the versions after it."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import pytest
from interfaces.helpers import record

from kouki.addressees.models import ChangeEvent, Person, PersonVersion
from kouki.addressees.services import (
    ChangeNotApplicable,
    nonresident_register,
    resident_change_apply,
    resident_changes_apply_many,
)
from kouki.interfaces.resident_register.record import ChangeCode, ResidentChangeRecord
from kouki.privacy.context import Actor
from kouki.privacy.models import AuditEntry

ACTOR = Actor.system("tests")
CODES = [ChangeCode.MOVE_IN, ChangeCode.ADDRESS_CHANGE, ChangeCode.HOUSEHOLD_CHANGE, ChangeCode.NAME_CHANGE,
         ChangeCode.DEATH, ChangeCode.MOVE_OUT, ChangeCode.CORRECTION, ChangeCode.BIRTH]
NOT_COMPARED = {"id", "person", "household", "change", "recorded_at", "superseded_at"}


def _records(seed: int, prefix: str, nonresident_no: str) -> list[ResidentChangeRecord]:
    """Changes for a 住登外者 (slot 0) and four residents: retroactive, same-day, late deaths, corrections."""
    rng = random.Random(seed)
    out: list[ResidentChangeRecord] = []
    for n in range(40):
        slot = rng.randrange(5) if n >= 5 else n
        code = rng.choice(CODES) if n >= 5 else ChangeCode.ADDRESS_CHANGE if slot == 0 else ChangeCode.MOVE_IN
        out.append(record(
            change_id=f"{prefix}{seed:03d}{n:04d}", code=code,
            effective_date=date(2025, 4, 1) + timedelta(days=rng.randrange(0, 40) if n >= 5 else 0),
            addressee_no=nonresident_no if slot == 0 else f"{prefix}{seed:03d}{slot:05d}",
            household_no=f"{prefix}{seed:03d}9{rng.randrange(3)}", is_householder=rng.random() < 0.4,
            given_name=rng.choice(["花子", "一郎", "桜"]),
            address=f"さいたま市浦和区常盤{rng.randrange(1, 9)}丁目",
        ))
    return out


def _state(prefix: str, nonresident_no: str) -> tuple[list[Any], list[Any]]:
    """Rows and audit details, ids replaced by (person slot, creation rank among the person's versions)."""
    people = Person.objects.filter(addressee_no__startswith=prefix) | Person.objects.filter(
        addressee_no=nonresident_no)
    slot = {p.pk: "NR" if p.addressee_no == nonresident_no else p.addressee_no[len(prefix):] for p in people}
    events = {e.pk: "NR" if e.source_change_id.startswith("NR-") else e.source_change_id[len(prefix):]
              for e in ChangeEvent.objects.filter(person_id__in=slot)}
    rank: dict[int, tuple[str, int]] = {}
    counts: dict[int, int] = {}
    rows = []
    for v in PersonVersion.objects.filter(person_id__in=slot).select_related("household").order_by("pk"):
        counts[v.person_id] = counts.get(v.person_id, 0) + 1
        rank[v.pk] = (slot[v.person_id], counts[v.person_id])
        rows.append((rank[v.pk], v.household.household_no[len(prefix):] if v.household else None,
                     events[v.change_id] if v.change_id else None, v.superseded_at is not None,
                     [(f.attname, getattr(v, f.attname)) for f in PersonVersion._meta.concrete_fields
                      if f.name not in NOT_COMPARED]))
    details = []
    for entry in AuditEntry.objects.filter(action="addressee.change_apply").order_by("seq"):
        if int(entry.target_id) in slot:
            d = entry.detail
            details.append((slot[int(entry.target_id)], events[d["change_event_id"]], d["kind"],
                            d["effective_date"], rank[d["version_id"]],
                            [rank[t] for t in d["touched_version_ids"]]))
    return rows, details


def _nonresident() -> str:
    return nonresident_register(
        actor=ACTOR, family_name="外山", given_name="一", family_name_kana="ソトヤマ",
        given_name_kana="ハジメ",
        sex="1", birth_date=date(1940, 1, 1), postal_code="1000001", municipality_code="13101",
        address="東京都千代田区千代田1-1", registered_on=date(2025, 4, 10), phone="0312345678",
    ).addressee_no


@pytest.mark.django_db
@pytest.mark.parametrize("seed", range(6))
def test_orm_and_bulk_executors_leave_the_same_rows_and_audit_details(seed: int) -> None:
    one_no, many_no = _nonresident(), _nonresident()
    applied = 0
    for r in _records(seed, "1", one_no):
        try:
            resident_change_apply(actor=ACTOR, record=r, source="test")
        except ChangeNotApplicable:
            break  # the bulk apply of the whole file would be rolled back: compare the applied prefix
        applied += 1
    resident_changes_apply_many(actor=ACTOR, records=_records(seed, "2", many_no)[:applied], source="test")
    one, many = _state("1", one_no), _state("2", many_no)
    assert one == many
    rows = one[0]
    assert any(rank[0] == "NR" and ("phone", "0312345678") in columns and rank[1] > 1
               for rank, _, _, _, columns in rows)
