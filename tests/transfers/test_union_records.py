"""T01 (the union): every union file sent is one TransferRecord (who, when, T01's version, persons, count,
item of the file's kind, file name, SHA-256), written in the transaction that records the file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from factories import make_person

from kouki.core.audit_vocabulary import AuditAction
from kouki.core.outbox import outgoing_files
from kouki.eligibility.outbound import union_file_send
from kouki.interfaces.union.files import addressee_numbers_in
from kouki.interfaces.union.receipt_info import (
    ReceiptChannel,
    ReceiptInfoRecord,
    ReceiptRecordKind,
    ReceiptState,
    dump_receipt_info,
)
from kouki.privacy.context import Actor
from kouki.privacy.models import AuditEntry
from kouki.transfers.models import TransferRecord
from kouki.transfers.selectors import union_files_without_record
from kouki.transfers.services import transfers_load

pytestmark = pytest.mark.django_db
ACTOR = Actor.system("test-union-batch")
DAY = date(2026, 8, 3)


def _receipts(*addressees: str) -> bytes:
    records = [
        ReceiptInfoRecord("11100", a, "00000019", ReceiptRecordKind.RECEIPT, n, 2026, 2026,
                          ReceiptChannel.COUNTER, 1, 5_000, DAY, ReceiptState.CONFIRMED)
        for n, a in enumerate(addressees, start=1)
    ]  # fmt: skip
    return dump_receipt_info(records, created_on=DAY, municipality_code="11100")


def _send(tmp_path: Path, data: bytes, on: date = DAY) -> Path:
    with outgoing_files() as out:
        sent = union_file_send(out, actor=ACTOR, kind="receipt-info", on=on, outbox=tmp_path, data=data,
                               count=3)  # fmt: skip
    return sent.path


def test_each_union_file_is_one_t01_record(tmp_path: Path) -> None:
    a, b = make_person(), make_person()
    data = _receipts(a.addressee_no, b.addressee_no, a.addressee_no)
    assert addressee_numbers_in("receipt-info", data) == [a.addressee_no, b.addressee_no, a.addressee_no]
    first = _send(tmp_path, data)  # T01 not registered yet: the file is sent, no record can be written
    assert TransferRecord.objects.count() == 0 and union_files_without_record() == [first.name]
    transfers_load(actor=ACTOR)
    path = _send(tmp_path, data, date(2026, 8, 4))
    record = TransferRecord.objects.get()
    assert record.version.definition.code == "T01"
    assert (record.method, record.items) == ("leased_line", ["収納情報"])
    assert (record.person_ids, record.person_count) == (sorted([a.pk, b.pk]), 2)
    assert (record.file_name, record.executed_by) == (path.name, "system:test-union-batch")
    row = AuditEntry.objects.filter(action=AuditAction.TRANSFER_EXECUTE.value).get()
    assert row.detail["approved"] is False and row.detail["definition"] == "T01"
    assert union_files_without_record() == [first.name]


def test_a_failed_send_leaves_no_record(tmp_path: Path) -> None:
    transfers_load(actor=ACTOR)
    data = _receipts(make_person().addressee_no)
    with pytest.raises(RuntimeError), outgoing_files() as out:
        union_file_send(out, actor=ACTOR, kind="receipt-info", on=DAY, outbox=tmp_path, data=data, count=1)
        raise RuntimeError("crash before the commit")
    assert TransferRecord.objects.count() == 0 and list(tmp_path.iterdir()) == []
