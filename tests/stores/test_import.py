"""速報 / 確報 import into the collection ledger (issue 5 §2): a 速報 is provisional until its 確報;
a 確報 alone books a confirmed receipt; cancellations undo; odd lines go to the worklist, malformed files
change nothing; a file is applied once; the ledger balances afterwards (USE-03, IN-06)."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest
from django.utils import timezone

from kouki.assessment.models import InstalmentPlan
from kouki.collection.models import Receipt, ReceiptStatus
from kouki.collection.selectors import instalment_statuses, ledger
from kouki.interfaces.importing import Outcome
from kouki.interfaces.models import ImportRecord
from kouki.interfaces.stores.records import ReportKind
from kouki.privacy.models import AuditEntry
from kouki.rules import gs1
from kouki.slips.services import slip_reissue
from kouki.stores.importers import import_store_report
from kouki.stores.models import PaymentState, StorePayment, StoreWorkItem
from stores.helpers import ACTOR, FY, final, payment, person_with_slips, write

PRE, FIN = ReportKind.PRELIMINARY, ReportKind.FINAL
pytestmark = pytest.mark.django_db


def _kinds() -> list[str]:
    return sorted(StoreWorkItem.objects.values_list("kind", flat=True))


def _paid(person_id: int) -> int:
    return sum(s.paid for s in instalment_statuses(person_id, FY))


def test_preliminary_is_provisional_until_the_final_confirms_it(tmp_path: Path) -> None:
    person, slips = person_with_slips()
    first = payment(slips[0].barcode)
    out = import_store_report(actor=ACTOR, path=write(tmp_path, "s.dat", PRE, [first]))
    assert out.outcome == Outcome.APPLIED, out.errors
    assert out.outcome == Outcome.APPLIED and out.summary is not None
    assert out.summary.counts["booked"] == 1
    (receipt,) = Receipt.objects.filter(person=person)
    assert (receipt.status, receipt.channel, receipt.amount, receipt.paid_on) == (
        ReceiptStatus.PROVISIONAL,
        "store",
        10_000,
        date(2025, 7, 20),
    )
    assert receipt.instalment_id == slips[0].instalment_id
    assert receipt.reference == f"{slips[0].slip_no}-0"
    assert _paid(person.pk) == 0  # provisional money is not allocated

    out = import_store_report(actor=ACTOR, path=write(tmp_path, "k.dat", FIN, [first]))
    assert out.outcome == Outcome.APPLIED and out.summary is not None
    assert out.summary.counts["confirmed"] == 1 and out.summary.counts["booked"] == 0
    receipt.refresh_from_db()
    assert receipt.status == ReceiptStatus.CONFIRMED
    assert Receipt.objects.filter(person=person).count() == 1
    statuses = instalment_statuses(person.pk, FY)
    assert statuses[0].paid == 10_000 and statuses[0].unpaid == 0
    p = StorePayment.objects.get()
    assert (p.state, p.processed_on, p.transfer_on) == (
        PaymentState.CONFIRMED,
        date(2025, 7, 24),
        date(2025, 7, 31),
    )
    assert ledger(person.pk, FY).balances and _kinds() == []


def test_final_without_preliminary_records_a_confirmed_receipt(tmp_path: Path) -> None:
    person, slips = person_with_slips()
    out = import_store_report(actor=ACTOR, path=write(tmp_path, "k.dat", FIN, [payment(slips[1].barcode)]))
    assert out.outcome == Outcome.APPLIED
    (receipt,) = Receipt.objects.filter(person=person)
    assert receipt.status == ReceiptStatus.CONFIRMED and receipt.instalment_id == slips[1].instalment_id
    assert instalment_statuses(person.pk, FY)[1].paid == 10_000
    assert ledger(person.pk, FY).balances


def test_a_cancellation_in_the_final_cancels_the_receipt(tmp_path: Path) -> None:
    person, slips = person_with_slips()
    paid = payment(slips[0].barcode)
    kept = payment(slips[1].barcode, minute=700)
    import_store_report(actor=ACTOR, path=write(tmp_path, "s.dat", PRE, [paid, kept]))
    out = import_store_report(
        actor=ACTOR,
        path=write(tmp_path, "k.dat", FIN, [final(paid), final(kept), final(paid, cancelled=True)]),
    )
    assert out.outcome == Outcome.APPLIED and out.summary is not None
    assert (out.summary.counts["confirmed"], out.summary.counts["cancelled"]) == (1, 1)
    statuses = {r.instalment_id: r.status for r in Receipt.objects.filter(person=person)}
    assert statuses == {slips[0].instalment_id: ReceiptStatus.CANCELLED, slips[1].instalment_id: "confirmed"}
    assert [s.paid for s in instalment_statuses(person.pk, FY)][:2] == [0, 10_000]
    assert StorePayment.objects.get(barcode=slips[0].barcode).state == PaymentState.CANCELLED
    assert ledger(person.pk, FY).balances


def test_duplicates_and_unknown_slips_go_to_the_worklist(tmp_path: Path) -> None:
    person, slips = person_with_slips()
    once = payment(slips[0].barcode, minute=600)
    again = payment(slips[0].barcode, minute=720, store="S0002")
    code = gs1.parse(slips[0].barcode)
    free = gs1.DEFAULT_FREE_FIELD.compose({"fiscal_year": FY, "slip_no": 999_999_999, "period": 1})
    unknown = payment(
        gs1.PaymentCode(code.biller_code, free, 0, code.due_date, 0, 5_000).encode(), minute=800
    )
    wrong_amount = payment(slips[2].barcode, minute=900, amount=9_999)
    out = import_store_report(
        actor=ACTOR, path=write(tmp_path, "s.dat", PRE, [once, again, unknown, wrong_amount])
    )
    assert out.outcome == Outcome.APPLIED and out.summary is not None
    assert out.summary.counts["booked"] == 2
    assert _kinds() == ["amount_mismatch", "duplicate", "unknown_slip"]
    dup = StoreWorkItem.objects.get(kind="duplicate")
    assert dup.line == 3 and dup.payment.store_code == "S0002" and dup.payment.receipt_id is not None
    assert StoreWorkItem.objects.get(kind="unknown_slip").payment.receipt_id is None

    out = import_store_report(
        actor=ACTOR, path=write(tmp_path, "k.dat", FIN, [once, again, unknown, wrong_amount])
    )
    assert out.outcome == Outcome.APPLIED and out.summary is not None
    assert out.summary.counts["confirmed"] == 2
    assert _kinds() == ["amount_mismatch", "duplicate", "unknown_slip"]  # not opened twice
    book = ledger(person.pk, FY)
    # both payments are money received; the ledger's allocation rules place the second one
    assert book.balances and (book.received, book.owed + book.overpaid) == (20_000, 70_000)
    assert instalment_statuses(person.pk, FY)[0].paid == 10_000


def test_a_slip_paid_again_in_a_later_report_is_a_duplicate(tmp_path: Path) -> None:
    _, slips = person_with_slips()
    import_store_report(actor=ACTOR, path=write(tmp_path, "k1.dat", FIN, [payment(slips[0].barcode)]))
    later = payment(slips[0].barcode, paid_on=date(2025, 7, 22))
    import_store_report(actor=ACTOR, path=write(tmp_path, "k2.dat", FIN, [later]))
    assert _kinds() == ["duplicate"]


def test_an_old_reissued_slip_is_booked_and_flagged(tmp_path: Path) -> None:
    person, slips = person_with_slips()
    new = slip_reissue(actor=ACTOR, slip_id=slips[0].pk, new_due_date=date(2025, 8, 29), on=date(2025, 7, 10))
    out = import_store_report(actor=ACTOR, path=write(tmp_path, "k.dat", FIN, [payment(slips[0].barcode)]))
    assert out.outcome == Outcome.APPLIED
    assert _kinds() == ["superseded_slip"]
    (receipt,) = Receipt.objects.filter(person=person)
    assert receipt.status == ReceiptStatus.CONFIRMED and receipt.instalment_id == new.instalment_id
    assert receipt.reference == f"{slips[0].slip_no}-0"


def test_a_cancellation_of_nothing_is_a_work_item(tmp_path: Path) -> None:
    _, slips = person_with_slips()
    ghost = final(payment(slips[0].barcode), cancelled=True)
    out = import_store_report(actor=ACTOR, path=write(tmp_path, "k.dat", FIN, [ghost]))
    assert out.outcome == Outcome.APPLIED
    assert _kinds() == ["unmatched_cancellation"] and Receipt.objects.count() == 0
    # the payment arriving later is known as cancelled and books nothing
    out = import_store_report(actor=ACTOR, path=write(tmp_path, "k2.dat", FIN, [payment(slips[0].barcode)]))
    assert out.summary is not None and out.summary.skipped == 1 and Receipt.objects.count() == 0


def test_a_rejected_file_changes_nothing(tmp_path: Path) -> None:
    _, slips = person_with_slips()
    path = write(tmp_path, "k.dat", FIN, [payment(slips[0].barcode), payment(slips[1].barcode, minute=700)])
    data = bytearray(path.read_bytes())
    data[122 + 122 + 10 : 122 + 122 + 14] = b"2561"  # 収納時刻 of line 3
    path.write_bytes(bytes(data))
    audits = AuditEntry.objects.count()
    out = import_store_report(actor=ACTOR, path=path, report_dir=tmp_path / "rej")
    assert out.outcome == Outcome.REJECTED
    assert [(e.file, e.line, e.field) for e in out.errors] == [("k.dat", 3, "paid_at")]
    assert out.report_path is not None
    report = out.report_path.read_text(encoding="utf-8-sig")
    assert "k.dat,3,paid_at," in report
    assert (
        Receipt.objects.count() == 0
        and StorePayment.objects.count() == 0
        and StoreWorkItem.objects.count() == 0
    )
    assert AuditEntry.objects.count() == audits
    assert ImportRecord.objects.get().status == "rejected"


def test_a_line_the_ledger_refuses_rejects_the_whole_file(tmp_path: Path) -> None:
    _, slips = person_with_slips()
    other, other_slips = person_with_slips()
    # the other person's plan is no longer in force: the ledger cannot place the receipt
    InstalmentPlan.objects.filter(person=other).update(superseded_at=timezone.now())
    path = write(
        tmp_path, "k.dat", FIN, [payment(slips[0].barcode), payment(other_slips[0].barcode, minute=700)]
    )
    out = import_store_report(actor=ACTOR, path=path, report_dir=tmp_path)
    assert out.outcome == Outcome.REJECTED
    assert [(e.file, e.line, e.field) for e in out.errors] == [("k.dat", 3, "barcode")], out.errors
    assert Receipt.objects.count() == 0 and StorePayment.objects.count() == 0


def test_re_import_is_idempotent(tmp_path: Path) -> None:
    person, slips = person_with_slips()
    records = [payment(slips[0].barcode), payment(slips[1].barcode, minute=700)]
    path = write(tmp_path, "s.dat", PRE, records)
    assert import_store_report(actor=ACTOR, path=path).outcome == Outcome.APPLIED
    again = import_store_report(actor=ACTOR, path=path)
    assert again.outcome == Outcome.ALREADY_IMPORTED
    # the agent sends the same payments again in another file: nothing is booked twice
    resent = import_store_report(actor=ACTOR, path=write(tmp_path, "s2.dat", PRE, [*records, payment(
        slips[2].barcode, minute=800)]))  # fmt: skip
    assert resent.outcome == Outcome.APPLIED and resent.summary is not None
    assert (resent.summary.counts["booked"], resent.summary.skipped) == (1, 2)
    assert Receipt.objects.filter(person=person).count() == 3 and _kinds() == []
    final_path = write(tmp_path, "k.dat", FIN, records)
    assert import_store_report(actor=ACTOR, path=final_path).outcome == Outcome.APPLIED
    assert import_store_report(actor=ACTOR, path=final_path).outcome == Outcome.ALREADY_IMPORTED
    resent = import_store_report(actor=ACTOR, path=write(tmp_path, "k2.dat", FIN, records[:1]))
    assert resent.summary is not None and (resent.summary.applied, resent.summary.skipped) == (0, 1)
    statuses = sorted(Receipt.objects.filter(person=person).values_list("status", flat=True))
    assert statuses == ["confirmed", "confirmed", "provisional"]
    assert ledger(person.pk, FY).balances and _paid(person.pk) == 20_000


def test_audit_rows_name_the_import(tmp_path: Path) -> None:
    _, slips = person_with_slips()
    out = import_store_report(actor=ACTOR, path=write(tmp_path, "k.dat", FIN, [payment(slips[0].barcode)]))
    assert out.import_record is not None
    row = AuditEntry.objects.filter(action="store_report_apply").get()
    assert row.target_id == str(out.import_record.pk)


def test_time_of_day_separates_two_payments_at_the_same_store(tmp_path: Path) -> None:
    _, slips = person_with_slips()
    a = payment(slips[0].barcode, minute=600)
    b = payment(slips[0].barcode, minute=601)
    assert a.paid_at == time(10, 0) and b.paid_at == time(10, 1)
    import_store_report(actor=ACTOR, path=write(tmp_path, "k.dat", FIN, [a, b]))
    assert _kinds() == ["duplicate"] and Receipt.objects.count() == 2


def test_a_payment_cancelled_in_the_same_final_books_nothing(tmp_path: Path) -> None:
    person, slips = person_with_slips()
    taken = payment(slips[0].barcode)
    out = import_store_report(
        actor=ACTOR, path=write(tmp_path, "k.dat", FIN, [final(taken), final(taken, cancelled=True)])
    )
    assert out.outcome == Outcome.APPLIED and out.summary is not None
    assert (out.summary.counts["booked"], out.summary.counts["cancelled"]) == (0, 0)
    assert Receipt.objects.count() == 0 and _kinds() == []
    assert StorePayment.objects.get().state == PaymentState.CANCELLED
    assert ledger(person.pk, FY).balances


def test_a_cancellation_the_ledger_refuses_is_a_work_item_and_the_rest_is_booked(tmp_path: Path) -> None:
    from collection_factories import reassess

    from kouki.collection.decisions import refund_decide

    person, slips = person_with_slips()
    other, other_slips = person_with_slips()
    paid = payment(slips[0].barcode)
    import_store_report(actor=ACTOR, path=write(tmp_path, "k1.dat", FIN, [paid]))
    reassess(person, 1_000, FY, on=date(2025, 7, 25))  # the July payment is now mostly overpaid …
    overpaid = ledger(person.pk, FY).overpaid
    refund_decide(
        actor=ACTOR, person_id=person.pk, fiscal_year=FY, amount=overpaid, reason="還付", on=date(2025, 7, 26)
    )
    # … and refunded, when the store's cancellation of that payment arrives with someone else's payment
    lines = [final(paid, cancelled=True), payment(other_slips[0].barcode, minute=700)]
    out = import_store_report(actor=ACTOR, path=write(tmp_path, "k2.dat", FIN, lines))
    assert out.outcome == Outcome.APPLIED
    assert "cancellation_refused" in _kinds()
    assert Receipt.objects.get(person=person).status == ReceiptStatus.CONFIRMED  # not taken back
    assert Receipt.objects.filter(person=other, status=ReceiptStatus.CONFIRMED).count() == 1
    assert ledger(person.pk, FY).balances and ledger(other.pk, FY).balances
