"""The collection ledger (issue 5 §3, §6; USE-03): receipts allocated to instalments, surplus as an
overpayment, refund and set-off decisions, write-off with four eyes, re-allocation after a re-plan."""

from __future__ import annotations

from datetime import date

import pytest
from collection_factories import ACTOR, instalments, make_direct_plan, reassess

from kouki.collection.decisions import refund_decide, set_off_decide, write_off_record
from kouki.collection.models import Channel, Overpayment, OverpaymentCause, ReceiptStatus
from kouki.collection.selectors import instalment_statuses, ledger, overpayments_open, unpaid_instalments
from kouki.collection.services import (
    CollectionError,
    ReceiptInput,
    receipt_cancel,
    receipt_record,
    receipts_confirm,
    receipts_record,
)
from kouki.privacy.models import AuditEntry

FY = 2025
ON = date(2025, 8, 1)


def pay(person_id: int, amount: int, *, instalment_id: int | None = None, channel: Channel = Channel.COUNTER,
        paid_on: date = ON, provisional: bool = False) -> int:  # fmt: skip
    item = ReceiptInput(person_id, FY, channel, amount, paid_on, instalment_id, "ref", provisional)
    return receipt_record(actor=ACTOR, item=item, on=paid_on).pk


@pytest.mark.django_db
def test_a_payment_settles_its_instalment_and_is_audited() -> None:
    person, plan = make_direct_plan(90_000, FY)
    first = instalments(plan)[0]
    rid = pay(person.pk, first.amount, instalment_id=first.pk)
    statuses = instalment_statuses(person.pk, FY)
    assert statuses[0].paid == first.amount and statuses[0].unpaid == 0
    assert sum(s.unpaid for s in statuses) == 90_000 - first.amount
    assert AuditEntry.objects.filter(action="receipt_record", target_id=str(rid)).exists()
    assert ledger(person.pk, FY).balances


@pytest.mark.django_db
def test_a_payment_above_its_instalment_pays_the_next_ones_then_becomes_an_overpayment() -> None:
    person, plan = make_direct_plan(90_000, FY)
    rows = instalments(plan)
    pay(person.pk, rows[0].amount + 5_000, instalment_id=rows[0].pk)
    assert [s.paid for s in instalment_statuses(person.pk, FY)][:2] == [rows[0].amount, 5_000]
    pay(person.pk, 100_000)
    book = ledger(person.pk, FY)
    assert book.overpaid == rows[0].amount + 5_000 + 100_000 - 90_000
    assert book.unpaid == -book.overpaid and book.balances
    assert Overpayment.objects.get(person=person).cause == OverpaymentCause.SURPLUS
    assert [o.amount for o in overpayments_open()] == [book.overpaid]


@pytest.mark.django_db
def test_refund_and_set_off_spend_the_overpayment_only_once() -> None:
    person, _ = make_direct_plan(30_000, 2024)
    _, plan25 = make_direct_plan(90_000, FY, person=person)
    receipts_record(actor=ACTOR, on=ON, items=[ReceiptInput(person.pk, 2024, Channel.COUNTER, 40_000, ON)])
    assert ledger(person.pk, 2024).overpaid == 10_000
    with pytest.raises(CollectionError, match="過誤納額10,000円を超えています"):
        refund_decide(actor=ACTOR, person_id=person.pk, fiscal_year=2024, amount=10_001, reason="x", on=ON)
    target = instalments(plan25)[0]
    set_off_decide(actor=ACTOR, person_id=person.pk, from_fiscal_year=2024, instalment_id=target.pk,
                   amount=4_000, reason="未納の第1期へ充当", on=ON)  # fmt: skip
    refund_decide(
        actor=ACTOR, person_id=person.pk, fiscal_year=2024, amount=6_000, reason="口座へ還付", on=ON
    )
    old, new = ledger(person.pk, 2024), ledger(person.pk, FY)
    assert (old.overpaid, old.set_off_out, old.refunded) == (0, 4_000, 6_000)
    assert new.set_off_in == 4_000 and instalment_statuses(person.pk, FY)[0].set_off == 4_000
    assert old.balances and new.balances
    with pytest.raises(CollectionError):
        refund_decide(actor=ACTOR, person_id=person.pk, fiscal_year=2024, amount=1, reason="x", on=ON)


@pytest.mark.django_db
def test_a_reduction_below_what_was_paid_creates_the_overpayment_automatically() -> None:
    person, plan = make_direct_plan(90_000, FY)
    rows = instalments(plan)
    for r in rows[:3]:  # July, August, September paid
        pay(person.pk, r.amount, instalment_id=r.pk, paid_on=r.due_date)
    paid = sum(r.amount for r in rows[:3])
    reassess(person, 20_000, FY, on=date(2025, 10, 15))
    book = ledger(person.pk, FY)
    assert book.assessed == 20_000 and book.overpaid == paid - 20_000 and book.balances
    assert (
        Overpayment.objects.filter(person=person, cause=OverpaymentCause.REASSESSMENT).get().amount
        == paid - 20_000
    )
    assert all(s.unpaid == 0 for s in instalment_statuses(person.pk, FY))


@pytest.mark.django_db
def test_provisional_receipts_wait_for_confirmation_and_cancel_reallocates() -> None:
    person, plan = make_direct_plan(90_000, FY)
    first = instalments(plan)[0]
    rid = pay(person.pk, first.amount, instalment_id=first.pk, channel=Channel.STORE, provisional=True)
    assert instalment_statuses(person.pk, FY)[0].paid == 0
    receipts_confirm(actor=ACTOR, receipt_ids=[rid], on=ON)
    assert instalment_statuses(person.pk, FY)[0].paid == first.amount
    cancelled = receipt_cancel(actor=ACTOR, receipt_id=rid, reason="店舗取消", on=ON)
    assert cancelled.status == ReceiptStatus.CANCELLED
    assert instalment_statuses(person.pk, FY)[0].unpaid == first.amount and ledger(person.pk, FY).balances


@pytest.mark.django_db
def test_write_off_needs_a_different_approver_and_leaves_the_ledger_balanced() -> None:
    person, plan = make_direct_plan(90_000, FY)
    first = instalments(plan)[0]
    with pytest.raises(CollectionError, match="起案者とは別の決裁者"):
        write_off_record(actor=ACTOR, instalment_id=first.pk, amount=first.amount, reason="時効",
                         requested_by="a", approved_by="a", on=ON)  # fmt: skip
    write_off_record(actor=ACTOR, instalment_id=first.pk, amount=first.amount, reason="時効（2年）",
                     requested_by="clerk", approved_by="chief", on=ON)  # fmt: skip
    book = ledger(person.pk, FY)
    assert book.written_off == first.amount and book.balances
    due = list(unpaid_instalments(due_before=date(2026, 4, 1), person_ids=[person.pk]))
    assert first.pk not in {u.instalment_id for u in due} and len(due) == 8


@pytest.mark.django_db
def test_a_receipt_without_a_plan_rejects_the_whole_batch() -> None:
    person, _ = make_direct_plan(90_000, FY)
    items = [
        ReceiptInput(person.pk, FY, Channel.DEBIT, 10_000, ON),
        ReceiptInput(person.pk, 2023, Channel.DEBIT, 1, ON),
    ]
    with pytest.raises(CollectionError, match="令和5年度の期割"):
        receipts_record(actor=ACTOR, items=items, on=ON)
    assert ledger(person.pk, FY).received == 0


@pytest.mark.django_db
def test_an_instalment_paid_at_a_store_waits_for_the_final_report_before_any_reminder() -> None:
    person, plan = make_direct_plan(90_000, FY)
    first = instalments(plan)[0]
    pay(person.pk, first.amount, instalment_id=first.pk, channel=Channel.STORE, provisional=True)
    due = {u.instalment_id for u in unpaid_instalments(due_before=date(2026, 4, 1), person_ids=[person.pk])}
    assert first.pk not in due and len(due) == 8
    every = unpaid_instalments(due_before=date(2026, 4, 1), person_ids=[person.pk], skip_provisional=False)
    assert first.pk in {u.instalment_id for u in every}
