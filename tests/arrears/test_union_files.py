"""収納情報 and 滞納者情報 to the union (transfer #1 of the assessment: 収納 daily, 滞納 daily;
requirements.md §5 and §1.3 (3)⑦): fixed-width CP932, byte-exact, recorded as OutboundFiles, audited,
once per day; the simulated union takes them in and keeps totals (only files cross)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from collection_factories import make_direct_plan
from django.utils import timezone

from arrears.helpers import ACTOR, direct_person, instalments, pay
from kouki.arrears.services import pledge_make, reminders_issue
from kouki.arrears.union_files import arrears_info_records, collection_files_write, receipt_info_records
from kouki.collection.decisions import refund_decide, set_off_decide
from kouki.collection.models import Channel
from kouki.collection.services import ReceiptInput, receipt_cancel, receipts_record
from kouki.eligibility.models import OutboundFile
from kouki.interfaces.fixedwidth import layout_table
from kouki.interfaces.union.arrears_info import (
    ARREARS_INFO,
    PledgeState,
    dump_arrears_info,
    parse_arrears_info,
)
from kouki.interfaces.union.files import detect_kind, union_file_name
from kouki.interfaces.union.pension_result import PENSION_RESULT
from kouki.interfaces.union.receipt_info import (
    RECEIPT_INFO,
    ReceiptChannel,
    ReceiptRecordKind,
    ReceiptState,
    dump_receipt_info,
    parse_receipt_info,
)
from kouki.privacy.models import AuditEntry
from kouki.sandbox.union.collection import UnionCollection
from kouki.sandbox.union.simulator import UnionFileRejected

DOCS = Path(__file__).resolve().parents[2] / "docs" / "interfaces"


def lines_of(path: Path, length: int) -> list[bytes]:
    data = path.read_bytes()
    assert data.endswith(b"\r\n")
    lines = data.split(b"\r\n")[:-1]
    assert all(len(line) == length for line in lines)  # byte-exact, CP932
    return lines


@pytest.mark.django_db
def test_daily_files_carry_receipts_refunds_set_offs_and_arrears(tmp_path: Path) -> None:
    payer, plan = direct_person(90_000)
    late, plan_late = direct_person(60_000)
    rows = instalments(plan)
    day = timezone.localdate()  # 収納情報 carries what was recorded on the day (the plan's year is over)
    store = ReceiptInput(payer.pk, 2025, Channel.STORE, 7_000, day, rows[0].pk, "slip-1", provisional=True)
    counter = ReceiptInput(payer.pk, 2025, Channel.COUNTER, 150_000, day, rows[0].pk, "")
    ids = receipts_record(actor=ACTOR, items=[store, counter], on=day)
    refund = refund_decide(
        actor=ACTOR, person_id=payer.pk, fiscal_year=2025, amount=50_000, reason="還付", on=day
    )
    late_first = instalments(plan_late)[0]
    reminders_issue(actor=ACTOR, on=late_first.due_date + timedelta(days=1))
    pledge_make(actor=ACTOR, person_id=late.pk, made_on=day, schedule=[(day + timedelta(days=30), 5_000)])

    result = collection_files_write(actor=ACTOR, on=day, outbox=tmp_path)
    assert [f.kind for f in result.sent] == [
        "receipt-info",
        "arrears-info",
    ] and result.without_insured_no == 0
    receipt_file, arrears_file = (f.path for f in result.sent)
    assert receipt_file.name == union_file_name("receipt-info", "11100", day)
    assert detect_kind(receipt_file.read_bytes()) == "receipt-info"
    assert len(lines_of(receipt_file, 128)) == 2 + 3 and len(lines_of(arrears_file, 128)) == 2 + 1

    parsed = parse_receipt_info(receipt_file.read_bytes(), receipt_file.name)
    assert parsed.ok
    got = {(r.kind, r.reference_no): r for r in parsed.records}
    assert got[(ReceiptRecordKind.RECEIPT, ids[0])].state == ReceiptState.PROVISIONAL
    assert got[(ReceiptRecordKind.RECEIPT, ids[0])].channel == ReceiptChannel.STORE
    assert got[(ReceiptRecordKind.RECEIPT, ids[1])].amount == 150_000
    assert got[(ReceiptRecordKind.REFUND, refund.pk)].channel == ReceiptChannel.NONE
    arrears = parse_arrears_info(arrears_file.read_bytes(), arrears_file.name)
    assert arrears.ok and len(arrears.records) == 1
    record = arrears.records[0]
    assert record.addressee_no == late.addressee_no and record.base_date == day
    assert record.unpaid_periods == 9 and record.oldest_due == late_first.due_date
    assert record.unpaid_amount == 60_000
    assert record.pledge == PledgeState.ACTIVE and record.last_reminder_on == late_first.due_date + timedelta(
        days=1
    )

    assert OutboundFile.objects.filter(run_date=day).count() == 2
    assert AuditEntry.objects.filter(action="eligibility.outbound_file").count() >= 2
    again = collection_files_write(actor=ACTOR, on=day, outbox=tmp_path / "again")
    assert again.sent == [] and again.already_sent == ["receipt-info", "arrears-info"]

    union = UnionCollection(tmp_path / "union")
    assert union.receive(receipt_file) == 3 and union.receive(arrears_file) == 1
    assert union.receive(receipt_file) == 0  # the same file once
    totals = union.totals()
    assert (totals.receipts, totals.provisional, totals.refunds) == (150_000, 7_000, 50_000)
    assert (totals.arrears_people, totals.arrears_amount) == (1, record.unpaid_amount)

    # later the same day: the store receipt is cancelled and the late payer pays; the next file (written
    # here by hand: a kind is written once per run date) carries the new snapshots
    receipt_cancel(actor=ACTOR, receipt_id=ids[0], reason="店舗取消", on=day)
    pay(late, late_first, paid_on=day)
    later = receipt_info_records(day)
    assert {r.reference_no: r.state for r in later if r.kind == ReceiptRecordKind.RECEIPT}[ids[0]] == (
        ReceiptState.CANCELLED
    )
    second = tmp_path / "second.dat"
    second.write_bytes(dump_receipt_info(later, created_on=day, municipality_code="11100"))
    third = tmp_path / "third.dat"
    third.write_bytes(dump_arrears_info(arrears_info_records(day), created_on=day, municipality_code="11100"))
    union = UnionCollection(tmp_path / "union")  # its state was saved
    union.receive(second)
    union.receive(third)
    totals = union.totals()
    assert (totals.receipts, totals.provisional) == (150_000 + late_first.amount, 0)
    assert totals.arrears_amount == record.unpaid_amount - late_first.amount


@pytest.mark.django_db
def test_set_off_and_write_off_records(tmp_path: Path) -> None:
    person, _ = direct_person(30_000, 2024)
    _, plan25 = make_direct_plan(90_000, 2025, person=person)
    day = timezone.localdate()
    receipts_record(actor=ACTOR, on=day, items=[ReceiptInput(person.pk, 2024, Channel.COUNTER, 40_000, day)])
    target = instalments(plan25)[0]
    decision = set_off_decide(
        actor=ACTOR,
        person_id=person.pk,
        from_fiscal_year=2024,
        instalment_id=target.pk,
        amount=4_000,
        reason="充当",
        on=day,
    )
    result = collection_files_write(actor=ACTOR, on=day, outbox=tmp_path)
    parsed = parse_receipt_info(result.sent[0].path.read_bytes(), "x")
    assert parsed.ok
    kinds = sorted((r.kind, r.fiscal_year, r.from_fiscal_year, r.amount) for r in parsed.records)
    assert (ReceiptRecordKind.SET_OFF, 2025, 2024, 4_000) in kinds
    assert next(r for r in parsed.records if r.channel == ReceiptChannel.SET_OFF).reference_no == decision.pk
    assert (
        len([r for r in parsed.records if r.kind == ReceiptRecordKind.RECEIPT]) == 1
    )  # set-off credit not twice


def test_the_simulated_union_refuses_other_files(tmp_path: Path) -> None:
    path = tmp_path / "x.dat"
    path.write_bytes(b"1" + b"20250801" + b"11100" + b"11" + b"0000000" + b" " * 489 + b"\r\n")
    with pytest.raises(UnionFileRejected):
        UnionCollection(tmp_path / "union").receive(path)


@pytest.mark.parametrize(
    ("layout", "doc"),
    [
        (RECEIPT_INFO, "union-receipt-info.md"),
        (ARREARS_INFO, "union-arrears-info.md"),
        (PENSION_RESULT, "union-pension-result.md"),
    ],
)
def test_documents_hold_the_layout_tables(layout: object, doc: str) -> None:
    text = (DOCS / doc).read_text(encoding="utf-8")
    assert layout_table(layout) in text  # type: ignore[arg-type]
    assert f"**{layout.record_length} bytes**" in text and f"`{layout.file_code}`" in text  # type: ignore[attr-defined]
    assert doc in (DOCS / "README.md").read_text(encoding="utf-8")


@pytest.mark.django_db
def test_people_are_named_by_the_unions_insured_number_and_left_out_without_one(tmp_path: Path) -> None:
    from django.utils import timezone as tz

    from arrears.helpers import valid_insured_no
    from kouki.assessment.models import Assessment
    from kouki.eligibility.models import InsuredPeriod

    known, _ = direct_person(60_000)
    unknown, _ = direct_person(60_000)
    Assessment.objects.filter(person=unknown).update(insured_no="")  # no number anywhere
    union_no = valid_insured_no()
    InsuredPeriod.objects.create(
        person=known, insured_no=union_no, insurer_no="39119995", acquired_on=date(2021, 5, 1),
        acquisition_reason="01", copay_rate=10, copay_from=date(2025, 8, 1), decided_on=date(2021, 5, 1),
        recorded_at=tz.now(),
    )  # fmt: skip
    result = collection_files_write(actor=ACTOR, on=date(2026, 4, 1), outbox=tmp_path)
    assert result.without_insured_no == 1
    parsed = parse_arrears_info(result.sent[1].path.read_bytes(), "x")
    assert [(r.addressee_no, r.insured_no) for r in parsed.records] == [(known.addressee_no, union_no)]
