"""A returned refund transfer (振込不能) comes back from the bank's 振込結果 and reopens the refund
(issue 11 §3): marked paid when the transfer file was written, it is decided and unpaid again, is not
sent to the same account again, and goes out once another account is registered. The simulated bank
answers a 総合振込 with its 振込結果; `kouki import transfer-result` takes it in (atomic, idempotent)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from collection_factories import ACTOR, make_direct_plan

from kouki.addressees.models import Person
from kouki.banking.accounts import refund_account_register
from kouki.banking.models import RefundTransferLine, RefundTransferRun
from kouki.banking.refund_results import import_transfer_result
from kouki.banking.refunds import refund_transfer_create
from kouki.collection.decisions import refund_decide
from kouki.collection.models import Channel, Refund, RefundStatus
from kouki.collection.selectors import ledger
from kouki.collection.services import ReceiptInput, receipts_record
from kouki.interfaces.importing import Outcome
from kouki.interfaces.zengin.transfer import read_transfer_file
from kouki.privacy.models import AuditEntry
from kouki.sandbox.bank.simulator import run_bank, simulate_transfer

from .helpers import FY, refund_account

pytestmark = pytest.mark.django_db
TRANSFER = date(2025, 9, 10)


def overpaid(amount: int) -> tuple[Person, Refund]:
    person, _plan = make_direct_plan(90_000, FY)
    receipts_record(actor=ACTOR, on=date(2025, 8, 1), items=[ReceiptInput(
        person_id=person.pk, fiscal_year=FY, channel=Channel.COUNTER, amount=90_000 + amount,
        paid_on=date(2025, 8, 1))])  # fmt: skip
    refund = refund_decide(actor=ACTOR, person_id=person.pk, fiscal_year=FY, amount=amount, reason="過納",
                           on=date(2025, 9, 1))  # fmt: skip
    return person, refund


def test_a_returned_transfer_reopens_the_refund_and_it_is_paid_again_to_a_new_account(tmp_path: Path) -> None:
    returned_person, returned = overpaid(3_400)
    paid_person, paid = overpaid(1_200)
    refund_account(returned_person)
    refund_account(paid_person)
    first = refund_transfer_create(actor=ACTOR, transfer_date=TRANSFER, outbox=tmp_path / "out")
    assert first.path is not None
    assert {r.status for r in Refund.objects.all()} == {RefundStatus.PAID}
    result = tmp_path / "kekka.dat"
    result.write_bytes(simulate_transfer(first.data, seed=1, forced={returned.pk: 2, paid.pk: 0}))
    assert [ln.result_code for ln in read_transfer_file(result.read_bytes(), "r", results=True).lines] == [
        2,
        0,
    ]

    outcome = import_transfer_result(actor=ACTOR, path=result)
    assert outcome.outcome == Outcome.APPLIED and outcome.summary is not None
    assert outcome.summary.counts == {"transferred": 1, "returned": 1}
    returned.refresh_from_db()
    paid.refresh_from_db()
    assert (returned.status, returned.paid_on) == (RefundStatus.DECIDED, None)
    assert (paid.status, paid.paid_on) == (RefundStatus.PAID, TRANSFER)
    line = RefundTransferLine.objects.get(refund=returned)
    assert line.result_code == 2 and line.returned_on is not None
    assert RefundTransferRun.objects.get().result_import == outcome.import_record
    entry = AuditEntry.objects.get(action="refund_returned", target_id=str(returned.pk))
    assert "事由コード 2" in entry.detail["reason"]
    assert ledger(returned_person.pk, FY).balances
    # the same file again: already imported, nothing changes
    assert import_transfer_result(actor=ACTOR, path=result).outcome == Outcome.ALREADY_IMPORTED
    # not sent to the account it came back from …
    again = refund_transfer_create(actor=ACTOR, transfer_date=date(2025, 9, 24), outbox=tmp_path / "out")
    assert again.run is None and again.skipped == [returned.pk]
    # … but to a newly registered one
    refund_account_register(actor=ACTOR, person_id=returned_person.pk, bank_code="0005", branch_code="001",
                            deposit_type=1, account_number="1234567", holder_kana="ﾔﾏﾀﾞ ﾀﾛｳ",
                            valid_from=date(2025, 9, 20), applied_on=date(2025, 9, 18))  # fmt: skip
    third = refund_transfer_create(actor=ACTOR, transfer_date=date(2025, 9, 26), outbox=tmp_path / "out")
    assert third.run is not None and [ln.refund_id for ln in third.run.lines.all()] == [returned.pk]
    returned.refresh_from_db()
    assert returned.status == RefundStatus.PAID


def test_a_result_that_does_not_match_the_transfer_is_rejected_whole(tmp_path: Path) -> None:
    person, refund = overpaid(3_400)
    refund_account(person)
    sent = refund_transfer_create(actor=ACTOR, transfer_date=TRANSFER, outbox=tmp_path / "out")
    data = bytearray(simulate_transfer(sent.data, seed=1, forced={refund.pk: 1}))
    data[120 + 80 : 120 + 90] = b"0000009999"  # 振込金額 changed (the trailer no longer adds up either)
    bad = tmp_path / "bad.dat"
    bad.write_bytes(bytes(data))
    outcome = import_transfer_result(actor=ACTOR, path=bad, report_dir=tmp_path / "rej")
    assert outcome.outcome == Outcome.REJECTED
    assert {e.field for e in outcome.errors} >= {"total_amount"}
    refund.refresh_from_db()
    assert refund.status == RefundStatus.PAID and RefundTransferRun.objects.get().result_import is None


def test_the_simulated_bank_answers_a_transfer_file_by_its_kind(tmp_path: Path) -> None:
    person, refund = overpaid(3_400)
    refund_account(person)
    sent = refund_transfer_create(actor=ACTOR, transfer_date=TRANSFER, outbox=tmp_path / "out")
    assert sent.path is not None
    answer = run_bank(sent.path, tmp_path / "bank", seed=3)
    f = read_transfer_file(answer.read_bytes(), answer.name, results=True)
    assert not f.errors and [ln.customer_code1 for ln in f.lines] == [refund.pk]
    assert import_transfer_result(actor=ACTOR, path=answer).outcome == Outcome.APPLIED
