"""Refund transfers (issue 5 §3): 全銀 総合振込 (21) file of decided refunds to persons with a 還付金振込口座,
the refunds marked paid, one 還付通知書 page per refund with the embedded font; demo sample files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from collection_factories import ACTOR, make_direct_plan

from kouki.banking.models import RefundTransferLine
from kouki.banking.refunds import refund_transfer_create
from kouki.collection.decisions import refund_decide
from kouki.collection.models import Channel, Refund, RefundStatus
from kouki.collection.services import ReceiptInput, receipts_record
from kouki.interfaces.zengin.debit import parse_debit_file
from kouki.interfaces.zengin.transfer import parse_transfer_file
from kouki.sandbox.bank.samples import demo_samples

from .helpers import FY, pdffonts, pdftotext, records, refund_account

pytestmark = pytest.mark.django_db
TRANSFER = date(2025, 9, 10)


def overpaid(amount: int) -> tuple[int, Refund]:
    person, _plan = make_direct_plan(90_000, FY)
    receipts_record(
        actor=ACTOR,
        on=date(2025, 8, 1),
        items=[
            ReceiptInput(
                person_id=person.pk,
                fiscal_year=FY,
                channel=Channel.COUNTER,
                amount=90_000 + amount,
                paid_on=date(2025, 8, 1),
            )
        ],
    )
    refund = refund_decide(
        actor=ACTOR, person_id=person.pk, fiscal_year=FY, amount=amount, reason="過納", on=date(2025, 9, 1)
    )
    return person.pk, refund


def test_refund_file_notice_and_paid_status(tmp_path: Path) -> None:
    pid, refund = overpaid(3_400)
    from kouki.addressees.models import Person

    account = refund_account(Person.objects.get(pk=pid))
    _other, unpaid = overpaid(1_000)  # no refund account: stays decided
    result = refund_transfer_create(
        actor=ACTOR, transfer_date=TRANSFER, outbox=tmp_path, issued_on=date(2025, 9, 5)
    )
    assert result.path is not None and result.path.read_bytes() == result.data
    recs = records(result.data)
    assert len(recs) == 4 and recs[0][:4] == b"1210" and recs[0][54:58] == b"0910"
    lines, errors = parse_transfer_file(result.data, "t")
    assert errors == []
    assert [
        (ln.bank_code, ln.branch_code, ln.account_number, ln.payee, ln.amount, ln.customer_code1)
        for ln in lines
    ] == [("0005", "001", "7654321", "ﾔﾏﾀﾞ ﾀﾛｳ", 3_400, refund.pk)]
    assert recs[1][38:42] == b"0000" and recs[1][111:112] == b"7"  # 手形交換所番号, 振込指定区分 電信
    assert recs[2] == b"8" + b"000001" + b"000000003400" + b" " * 101
    assert recs[3] == b"9" + b" " * 119
    refund.refresh_from_db()
    unpaid.refresh_from_db()
    assert (refund.status, refund.paid_on) == (RefundStatus.PAID, TRANSFER)
    assert unpaid.status == RefundStatus.DECIDED and result.skipped == [unpaid.pk]
    assert RefundTransferLine.objects.get().account_id == account.pk
    assert result.notice_path is not None
    fonts = pdffonts(result.notice_path)
    assert fonts and all(emb == "yes" for _name, emb in fonts)
    assert all("IPAex" in name for name, _emb in fonts)
    text = pdftotext(result.notice_path)
    assert "還付通知書" in text and "3,400円" in text and "****321" in text and "7654321" not in text
    again = refund_transfer_create(actor=ACTOR, transfer_date=TRANSFER, outbox=tmp_path)
    assert again.run is None and again.skipped == [unpaid.pk]


def test_demo_samples_write_a_request_and_its_result(tmp_path: Path) -> None:
    request, result = demo_samples(tmp_path)
    req = parse_debit_file(request.read_bytes(), request.name, results=False)
    res = parse_debit_file(result.read_bytes(), result.name, results=True)
    assert req.errors == [] and res.errors == []
    assert [r.result_code for r in res.records].count(1) >= 1
    assert [r.customer_no for r in req.records] == [r.customer_no for r in res.records]
