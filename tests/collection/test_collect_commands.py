"""`kouki collect …` and the collection kinds of `kouki import` (issue 5 §2, §4, §7): an operator's month —
slips, a debit request, the bank's result, a store payment, reminders, the union files, a refund — run as
commands on the batch calendar, with exit codes and nothing personal printed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from banking.helpers import FY, debtor, refund_account
from collection_factories import ACTOR, instalments, make_direct_plan

from kouki.cli import main
from kouki.collection.decisions import refund_decide
from kouki.collection.models import Channel, Receipt, ReceiptStatus, Refund, RefundStatus
from kouki.collection.selectors import instalment_statuses, ledger
from kouki.collection.services import ReceiptInput, receipt_record
from kouki.interfaces.zengin.debit import parse_debit_file
from kouki.privacy.redaction import contains_personal_number
from kouki.sandbox.bank.simulator import simulate, simulate_transfer
from kouki.slips.models import PaymentSlip

pytestmark = pytest.mark.django_db
DEBIT_DATE = date(2025, 7, 31)


@pytest.mark.usefixtures("operator")  # KOUKI_BATCH_USER: the named staff member for --as
def test_a_collection_month_through_the_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    debit_person, debit_plan, _ = debtor(90_000)
    slip_person, slip_plan = make_direct_plan(60_000, FY)

    assert (
        main(
            [
                "collect",
                "slips",
                "--fiscal-year",
                str(FY),
                "--on",
                "2025-07-01",
                "--out",
                str(tmp_path / "slips"),
            ]
        )
        == 0
    )
    assert PaymentSlip.objects.filter(person=slip_person).count() == len(instalments(slip_plan))
    assert any(p.read_bytes().startswith(b"%PDF") for p in (tmp_path / "slips").glob("*.pdf"))

    outbox = tmp_path / "outbox"
    assert (
        main(["collect", "debit-request", "--debit-date", DEBIT_DATE.isoformat(), "--outbox", str(outbox)])
        == 0
    )
    (request,) = outbox.glob("kozafuri-*.dat")
    result = tmp_path / "kekka.dat"
    # the debit succeeds: the simulated bank's draw depends on the customer number, made from the account's
    # id, which depends on what ran before in the same database (the order of the tests, the worker)
    customers = parse_debit_file(request.read_bytes(), "request", results=False).records
    result.write_bytes(simulate(request.read_bytes(), seed=1, forced={r.customer_no: 0 for r in customers}))
    assert main(["import", "debit-result", str(result)]) == 0
    assert main(["import", "debit-result", str(result)]) == 4  # already imported: nothing changes
    july = instalment_statuses(debit_person.pk, FY)[0]
    assert july.paid == july.charged and july.unpaid == 0
    assert Receipt.objects.filter(person=debit_person, channel=Channel.DEBIT).count() == 1

    broken = tmp_path / "broken.dat"
    broken.write_bytes(result.read_bytes()[:-120])  # the end record cut off
    assert main(["import", "debit-result", str(broken), "--report-dir", str(tmp_path / "rejected")]) == 1
    assert list((tmp_path / "rejected").glob("*.csv"))

    # nobody paid the slip person's July instalment: a reminder on 2025-08-10
    assert main(["collect", "reminders", "--on", "2025-08-10", "--out", str(tmp_path / "reminders")]) == 0
    assert list((tmp_path / "reminders").glob("*.pdf"))

    # an overpayment refunded through the transfer file
    first = instalments(slip_plan)[0]
    paid_on = date(2025, 8, 12)
    item = ReceiptInput(slip_person.pk, FY, Channel.COUNTER, first.amount + 3_000, paid_on, first.pk)
    receipt_record(actor=ACTOR, on=paid_on, item=item)
    rest = sum(s.unpaid for s in instalment_statuses(slip_person.pk, FY)) + 2_000
    rest_item = ReceiptInput(slip_person.pk, FY, Channel.COUNTER, rest, paid_on)
    receipt_record(actor=ACTOR, on=paid_on, item=rest_item)
    refund_account(slip_person)
    overpaid = ledger(slip_person.pk, FY).overpaid
    refund_decide(
        actor=ACTOR,
        person_id=slip_person.pk,
        fiscal_year=FY,
        amount=overpaid,
        reason="過納",
        on=date(2025, 8, 13),
    )
    assert main(["collect", "refunds", "--transfer-date", "2025-08-20", "--outbox", str(outbox)]) == 0
    (transfer,) = outbox.glob("sofuri-20250820-*.dat")
    assert len(transfer.read_bytes()) % 120 == 0 and transfer.read_bytes()[1:3] == b"21"  # 総合振込
    assert list(outbox.glob("kanpu-tsuchisho-20250820-*.pdf"))
    assert RefundStatus.PAID in {r.status for r in Refund.objects.filter(person_id=slip_person.pk)}
    assert ledger(slip_person.pk, FY).overpaid == 0 and ledger(slip_person.pk, FY).balances
    # the bank could not make the transfer: its 振込結果 reopens the refund (issue 11 §3)
    (sent,) = Refund.objects.filter(person_id=slip_person.pk)
    returned = tmp_path / "sofuri-kekka.dat"
    returned.write_bytes(simulate_transfer(transfer.read_bytes(), seed=1, forced={sent.pk: 1}))
    assert main(["import", "transfer-result", str(returned)]) == 0
    sent.refresh_from_db()
    assert (sent.status, sent.paid_on) == (RefundStatus.DECIDED, None)

    assert main(["collect", "union-files", "--date", "2025-08-12", "--outbox", str(outbox)]) == 0
    assert (
        main(["collect", "union-files", "--date", "2025-08-12", "--outbox", str(outbox)]) == 0
    )  # once a day
    out = capsys.readouterr().out
    assert "already sent for 2025-08-12" in out
    assert not contains_personal_number(out)
    assert Receipt.objects.filter(status=ReceiptStatus.CONFIRMED).count() >= 3
    assert debit_plan.pk != slip_plan.pk
