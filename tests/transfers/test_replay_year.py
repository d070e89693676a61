"""A replayed fiscal year (issue 13 §5): every file transfer runs on its calendar — T03 daily, T08 and the
union's 期割情報 (T01) monthly, T15 yearly — and the TransferRecords reconcile with an independent count made
from the synthetic year's own events (not from the database).

The year's eligibility changes are stored up front as the union's 被保険者情報 would have given them
(effective dates drive T03/T08); re-plans happen on their day inside the replay, so that each month's
期割情報 carries exactly the people re-planned since the previous one. Move-ins are among the acquisitions
(reason 03): the 中間サーバ inquiry each one triggers is helper chukan13's — add it to `DAILY_HOOKS`
(called with the day and that day's move-ins) where the inquiry batch exists.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from arrears.helpers import direct_person
from collection_factories import reassess
from factories import make_person

from kouki.arrears.instalment_file import instalment_file_write
from kouki.privacy.context import Actor
from kouki.rules.union_codes import AcquisitionReason, LossReason
from kouki.transfers.department_files import (
    t03_daily_eligibility,
    t08_monthly_kokuho,
    t15_yearly_special_collection,
)
from kouki.transfers.models import TransferRecord
from transfers.conftest import approve_both, insure, pension_receipt

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
FIRST, LAST = date(2025, 4, 1), date(2026, 3, 31)
DAYS = [FIRST + timedelta(days=n) for n in range((LAST - FIRST).days + 1)]
# called with each day and its move-ins (person ids), e.g. the 中間サーバ inquiries (chukan13)
DAILY_HOOKS: list[Callable[[date, list[int]], None]] = []


def _random_day(rng: random.Random) -> date:
    return rng.choice(DAYS)


def test_every_transfer_runs_on_its_calendar_and_the_records_reconcile(
    clerk: Actor, chief: Actor, deputy: Actor, loaded_with_t03: None, tmp_path: Path
) -> None:
    for code in ("T03", "T08", "T15"):
        approve_both(code, chief, deputy)
    rng = random.Random(13)
    changes: dict[date, set[int]] = defaultdict(set)  # the independent count: day → persons changed
    kokuho: dict[tuple[int, int], set[int]] = defaultdict(set)  # (year, month) → T08 persons
    move_ins: dict[date, list[int]] = defaultdict(list)
    for _ in range(40):
        person = make_person()
        acquired = _random_day(rng) if rng.random() < 0.6 else date(2020, 4, 1)
        reason = rng.choice([AcquisitionReason.AGE, AcquisitionReason.DISABILITY, AcquisitionReason.MOVE_IN])
        lost, loss = None, ""
        if rng.random() < 0.4:
            lost = _random_day(rng)
            if lost <= acquired:
                lost = None
            else:
                loss = rng.choice([LossReason.DEATH, LossReason.MOVE_OUT, LossReason.DISABILITY_WITHDRAWN])
        insure(person.pk, acquired_on=acquired, reason=reason, lost_on=lost, loss_reason=loss)
        if acquired >= FIRST:
            changes[acquired].add(person.pk)
            kokuho[(acquired.year, acquired.month)].add(person.pk)
            if reason == AcquisitionReason.MOVE_IN:
                move_ins[acquired].append(person.pk)
        if lost is not None:
            changes[lost].add(person.pk)
            if loss == LossReason.DISABILITY_WITHDRAWN:
                kokuho[(lost.year, lost.month)].add(person.pk)
    deducted: set[int] = set()  # T15 (calendar 2025): persons with a confirmed pension deduction that year
    for _ in range(15):
        person = make_person()
        for month in (4, 6, 8, 10, 12, 2):
            paid = date(2025 if month >= 4 else 2026, month, 15)
            pension_receipt(person.pk, 7_000, paid)
            if paid.year == 2025:
                deducted.add(person.pk)
    payers = [direct_person(rng.randrange(30, 120) * 1_000)[0] for _ in range(8)]
    replans: dict[date, list[int]] = defaultdict(list)
    for payer in rng.sample(payers, 4):
        replans[rng.choice([d for d in DAYS if date(2025, 7, 2) <= d <= date(2026, 2, 20)])].append(payer.pk)
    people = {p.pk: p for p in payers}

    outbox = tmp_path / "out"
    instalment_people: dict[date, set[int]] = {}
    expected_instalment: dict[date, set[int]] = {}
    pending: set[int] = {p.pk for p in payers}  # the first file carries every plan
    for day in DAYS:
        if day.day == 1:  # monthly: T08 for the month before, the union's 期割情報
            t08_monthly_kokuho(actor=clerk, month=day - timedelta(days=1), outbox=outbox)
            sent = instalment_file_write(actor=clerk, on=day, outbox=outbox)
            assert sent.sent is not None and not sent.already_sent
            expected_instalment[day], pending = pending, set()
            record = TransferRecord.objects.get(file_name=sent.sent.path.name)
            instalment_people[day] = set(record.person_ids)
        if day == date(2026, 1, 5):  # yearly: the calendar year just ended
            t15_yearly_special_collection(actor=clerk, year=2025, outbox=outbox)
        for person_id in replans.get(day, []):
            reassess(people[person_id], 20_000, 2025, day)
            pending.add(person_id)
        for hook in DAILY_HOOKS:
            hook(day, move_ins.get(day, []))
        t03_daily_eligibility(actor=clerk, on=day, outbox=outbox)  # daily, after the day's work

    def recorded(code: str) -> list[TransferRecord]:
        return list(TransferRecord.objects.filter(version__definition__code=code).order_by("file_name"))

    in_year = {d: ps for d, ps in changes.items() if FIRST <= d <= LAST}
    t03 = recorded("T03")
    assert {r.file_name: set(r.person_ids) for r in t03} == {
        f"T03_shikaku_{d:%Y%m%d}.csv": ps for d, ps in in_year.items()
    }
    assert sum(r.person_count for r in t03) == sum(len(ps) for ps in in_year.values())
    covered = [d - timedelta(days=1) for d in DAYS if d.day == 1 and d > FIRST]  # April … February
    t08_expected = {f"T08_kokuho_{m:%Y%m}.csv": kokuho[(m.year, m.month)] for m in covered}
    assert {r.file_name: set(r.person_ids) for r in recorded("T08")} == {
        name: ps for name, ps in t08_expected.items() if ps
    }
    (t15,) = recorded("T15")
    assert set(t15.person_ids) == deducted and t15.person_count == len(deducted)
    assert instalment_people == expected_instalment  # every month's 期割情報, the people re-planned since
    assert len(recorded("T01")) == 12  # one 期割情報 per month, empty months included
    assert len(list(outbox.iterdir())) == len(t03) + len(recorded("T08")) + 1 + 12
