"""Money must add up at the counter (issue 11 §3), the service rules:

- a receipt whose money a refund (還付) or set-off (充当) decision has spent cannot be cancelled while the
  decision stands (the person would owe again while the refund stands); withdrawing the decision first
  makes the cancellation possible. Money still overpaid and undecided may be cancelled away.
"""

from __future__ import annotations

from datetime import date

import pytest
from collection_factories import ACTOR, instalments, make_direct_plan

from kouki.collection.decisions import refund_cancel, refund_decide, set_off_decide
from kouki.collection.models import Channel, Receipt, ReceiptStatus
from kouki.collection.selectors import ledger
from kouki.collection.services import (
    CollectionError,
    ReceiptInput,
    cancel_blocked_by,
    receipt_cancel,
    receipt_record,
)

pytestmark = pytest.mark.django_db
OLD = 2024
ON = date(2024, 8, 1)


def pay(person_id: int, amount: int, fiscal_year: int = OLD) -> Receipt:
    item = ReceiptInput(person_id, fiscal_year, Channel.COUNTER, amount, ON)
    return receipt_record(actor=ACTOR, item=item, on=ON)


def test_a_receipt_whose_overpayment_was_refunded_cannot_be_cancelled_until_the_refund_is_withdrawn() -> None:
    person, _plan = make_direct_plan(30_000, OLD)
    pay(person.pk, 30_000)
    extra = pay(person.pk, 10_000)
    refund = refund_decide(actor=ACTOR, person_id=person.pk, fiscal_year=OLD, amount=10_000,
                           reason="二重納付の還付", on=ON)
    assert cancel_blocked_by(extra) == 10_000
    with pytest.raises(CollectionError, match="すでに還付または充当が決定されています"):
        receipt_cancel(actor=ACTOR, receipt_id=extra.pk, reason="入力誤り", on=ON)
    extra.refresh_from_db()
    assert extra.status == ReceiptStatus.CONFIRMED and ledger(person.pk, OLD).unpaid == 0
    refund_cancel(actor=ACTOR, refund_id=refund.pk, reason="受領の取消のため")
    receipt_cancel(actor=ACTOR, receipt_id=extra.pk, reason="入力誤り", on=ON)
    book = ledger(person.pk, OLD)
    assert book.overpaid == 0 and book.unpaid == 0 and book.balances


def test_a_set_off_blocks_too() -> None:
    person, _plan = make_direct_plan(30_000, OLD)
    _p, plan25 = make_direct_plan(90_000, 2025, person=person)
    extra = pay(person.pk, 40_000)
    set_off_decide(actor=ACTOR, person_id=person.pk, from_fiscal_year=OLD,
                   instalment_id=instalments(plan25)[0].pk, amount=3_000, reason="充当", on=ON)
    with pytest.raises(CollectionError, match="3,000円はすでに還付または充当"):
        receipt_cancel(actor=ACTOR, receipt_id=extra.pk, reason="入力誤り", on=ON)


def test_money_still_undecided_may_be_cancelled_away() -> None:
    person, _plan = make_direct_plan(30_000, OLD)
    main = pay(person.pk, 30_000)
    small = pay(person.pk, 5_000)
    pay(person.pk, 5_000)
    refund_decide(actor=ACTOR, person_id=person.pk, fiscal_year=OLD, amount=4_000, reason="還付", on=ON)
    assert cancel_blocked_by(small) == 0  # 6,000 still overpaid and undecided
    receipt_cancel(actor=ACTOR, receipt_id=small.pk, reason="入力誤り", on=ON)
    assert ledger(person.pk, OLD).overpaid == 1_000
    assert cancel_blocked_by(Receipt.objects.get(pk=main.pk)) == 4_000
