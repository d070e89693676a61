"""The ledger must balance (issue 5 §6): a replayed fiscal year with random payment behaviour — on time,
late, partial, double, by several channels, provisional store payments confirmed or cancelled, after
reassessments up and down — with refunds, set-offs and write-offs. After every event, for every person
and fiscal year: assessed = received − refunded − set_off_out + set_off_in + unpaid + written_off, and
each term equals an oracle kept independently by the test from the events it made."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
from collection_factories import ACTOR, make_direct_plan, reassess

from kouki.assessment.models import InstalmentPlan
from kouki.collection.decisions import refund_decide, set_off_decide, write_off_record
from kouki.collection.models import Channel
from kouki.collection.selectors import instalment_statuses, ledger, open_overpayment
from kouki.collection.services import (
    CollectionError,
    ReceiptInput,
    receipt_cancel,
    receipt_record,
    receipts_confirm,
)

FY = 2025
PAY_CHANNELS = (Channel.COUNTER, Channel.STORE, Channel.BANK, Channel.DEBIT)


@dataclass
class Oracle:
    assessed: int = 0
    received: int = 0
    refunded: int = 0
    set_off_out: int = 0
    set_off_in: int = 0
    written_off: int = 0
    receipts: dict[int, int] = field(default_factory=dict)  # confirmed receipt id -> amount


def _plan(person_id: int, fy: int) -> InstalmentPlan:
    return InstalmentPlan.objects.get(person_id=person_id, fiscal_year=fy, superseded_at__isnull=True)


def _check(person_ids: list[int], oracle: dict[tuple[int, int], Oracle], where: str) -> None:
    for (pid, fy), o in oracle.items():
        if pid not in person_ids:
            continue
        book = ledger(pid, fy)
        got = (
            book.assessed,
            book.received,
            book.refunded,
            book.set_off_out,
            book.set_off_in,
            book.written_off,
        )
        want = (o.assessed, o.received, o.refunded, o.set_off_out, o.set_off_in, o.written_off)
        assert got == want, f"{where}: person {pid} {fy}: ledger {got} != oracle {want}"
        assert book.balances, f"{where}: person {pid} {fy} does not balance: {book}"
        assert book.overpaid >= 0 and book.owed >= 0
        assert all(s.unpaid >= 0 for s in instalment_statuses(pid, fy))


@pytest.fixture(autouse=True)
def _pension_stop_lead(settings: Any) -> None:
    """KOUKI_PENSION_STOP_LEAD_MONTHS is [NF] (ADR 0006 §6): a test configuration of 2 months, so that a
    decrease keeps the deductions already notified and their excess becomes an overpayment."""
    settings.KOUKI_PENSION_STOP_LEAD_MONTHS = "2"


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_replayed_year_with_random_payments_keeps_every_ledger_balanced(seed: int) -> None:
    rng = random.Random(seed)
    oracle: dict[tuple[int, int], Oracle] = defaultdict(Oracle)
    people = []
    for _ in range(6):
        premium = rng.randrange(20_000, 150_000, 10)
        person, _ = make_direct_plan(premium, FY)
        oracle[(person.pk, FY)].assessed = premium
        if rng.random() < 0.5:  # an older year to set off from or into
            old = rng.randrange(10_000, 60_000, 10)
            make_direct_plan(old, FY - 1, person=person)
            oracle[(person.pk, FY - 1)].assessed = old
        people.append(person.pk)
    provisional: list[tuple[int, int, int]] = []
    day = date(2025, 7, 1)
    for step in range(160):
        day += timedelta(days=rng.randint(0, 3))
        pid = rng.choice(people)
        fy = rng.choice([k[1] for k in oracle if k[0] == pid])
        o = oracle[(pid, fy)]
        unpaid = [s for s in instalment_statuses(pid, fy) if s.unpaid > 0]
        action = rng.choices(
            [
                "pay",
                "partial",
                "double",
                "store",
                "confirm",
                "reassess",
                "refund",
                "set_off",
                "write_off",
                "cancel",
            ],
            [30, 8, 6, 8, 6, 3, 4, 4, 2, 3],
        )[0]
        try:
            if action in ("pay", "partial", "double") and unpaid:
                s = unpaid[0] if rng.random() < 0.7 else rng.choice(unpaid)
                amount = s.unpaid if action != "partial" else max(1, s.unpaid // rng.randint(2, 5))
                for _ in range(2 if action == "double" else 1):
                    r = receipt_record(actor=ACTOR, on=day, item=ReceiptInput(
                        pid, fy, rng.choice(PAY_CHANNELS), amount, day, s.instalment_id))  # fmt: skip
                    o.received += amount
                    o.receipts[r.pk] = amount
            elif action == "store" and unpaid:
                s = unpaid[0]
                r = receipt_record(actor=ACTOR, on=day, item=ReceiptInput(
                    pid, fy, Channel.STORE, s.unpaid, day, s.instalment_id, provisional=True))  # fmt: skip
                provisional.append((r.pk, pid, fy))
            elif action == "confirm" and provisional:
                rid, ppid, pfy = provisional.pop(rng.randrange(len(provisional)))
                amount = ledger_amount(rid)
                if rng.random() < 0.8:
                    receipts_confirm(actor=ACTOR, receipt_ids=[rid], on=day)
                    oracle[(ppid, pfy)].received += amount
                    oracle[(ppid, pfy)].receipts[rid] = amount
                else:
                    receipt_cancel(actor=ACTOR, receipt_id=rid, reason="確報なし", on=day)
            elif action == "reassess" and fy == FY and date(2025, 7, 1) <= day < date(2026, 3, 1):
                new = max(0, o.assessed + rng.choice([-1, 1]) * rng.randrange(1_000, 60_000, 10))
                reassess(_person(pid), new, fy, on=day)
                o.assessed = new
            elif action == "refund" and (avail := open_overpayment(pid, fy)) > 0:
                amount = rng.randint(1, avail)
                refund_decide(
                    actor=ACTOR, person_id=pid, fiscal_year=fy, amount=amount, reason="還付", on=day
                )
                o.refunded += amount
            elif action == "set_off" and (avail := open_overpayment(pid, fy)) > 0:
                other = [
                    (k[1], s)
                    for k in oracle
                    if k[0] == pid
                    for s in instalment_statuses(pid, k[1])
                    if s.unpaid
                ]
                if other:
                    to_fy, s = rng.choice(other)
                    amount = rng.randint(1, min(avail, s.unpaid))
                    set_off_decide(
                        actor=ACTOR, person_id=pid, from_fiscal_year=fy, instalment_id=s.instalment_id,
                        amount=amount, reason="充当", on=day,
                    )  # fmt: skip
                    o.set_off_out += amount
                    oracle[(pid, to_fy)].set_off_in += amount
            elif action == "write_off" and unpaid and fy == FY - 1:  # write-offs are of old, settled years
                s = unpaid[-1]
                write_off_record(actor=ACTOR, instalment_id=s.instalment_id, amount=s.unpaid, reason="時効",
                                 requested_by="clerk", approved_by="chief", on=day)  # fmt: skip
                o.written_off += s.unpaid
            elif action == "cancel" and o.receipts:
                rid = rng.choice(sorted(o.receipts))
                receipt_cancel(actor=ACTOR, receipt_id=rid, reason="誤入力", on=day)
                o.received -= o.receipts.pop(rid)
        except CollectionError as exc:
            # refused only when refunded money would be taken back; then nothing changed
            assert "refunded or set off" in str(exc), f"step {step} {action}: {exc}"
        _check([pid], oracle, f"seed {seed} step {step} {action}")  # every year of the person touched
    _check(people, oracle, f"seed {seed} at the end")


def ledger_amount(receipt_id: int) -> int:
    from kouki.collection.models import Receipt

    return Receipt.objects.get(pk=receipt_id).amount


def _person(pid: int):  # type: ignore[no-untyped-def]
    from kouki.addressees.models import Person

    return Person.objects.get(pk=pid)
