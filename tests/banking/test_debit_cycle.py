"""The monthly 口座振替 cycle (issue 5 §2): request file → simulated bank → result import (run_import: atomic,
idempotent, rejection report) → debit receipts allocated; failed debits stay unpaid and get slips."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from collection_factories import ACTOR, instalments, make_direct_plan

from kouki.banking.debits import DebitError, customer_number, debit_request_create
from kouki.banking.failures import debit_failed, failed_debits
from kouki.banking.models import DebitRequest, DebitRequestLine, DebitRun, DebitRunStatus, FailedDebit
from kouki.banking.results import import_debit_result
from kouki.collection.models import Channel, Receipt
from kouki.collection.selectors import instalment_statuses
from kouki.interfaces.importing import Outcome
from kouki.interfaces.zengin.debit import parse_debit_file
from kouki.sandbox.bank.simulator import simulate
from kouki.slips.models import PaymentSlip

from .helpers import FY, JULY_DEBIT, debtor, records

pytestmark = pytest.mark.django_db


def request(tmp_path: Path, on: date = JULY_DEBIT) -> tuple[DebitRun, bytes]:
    result = debit_request_create(actor=ACTOR, debit_date=on, outbox=tmp_path / "outbox")
    assert result.path.read_bytes() == result.data
    return result.run, result.data


def bank(tmp_path: Path, data: bytes, forced: dict[str, int], name: str = "kekka.dat") -> Path:
    path = tmp_path / name
    path.write_bytes(simulate(data, seed=7, forced=forced))
    return path


def test_request_has_one_record_per_person_for_the_month(tmp_path: Path) -> None:
    _first, plan1, acc1 = debtor(90_000)
    second, _plan2, acc2 = debtor(45_000, holder="ｻﾄｳ ﾊﾅｺ")
    make_direct_plan(60_000, FY)  # no debit account: pays by slip
    run, data = request(tmp_path)
    recs = records(data)
    assert len(recs) == 5 and all(len(r) == 120 for r in recs)
    assert run.record_count == 2 and run.status == DebitRunStatus.REQUESTED
    july = instalments(plan1)[0]
    parsed = parse_debit_file(data, "r", results=False)
    assert parsed.errors == []
    by_customer = {r.customer_no: r for r in parsed.records}
    assert set(by_customer) == {customer_number(acc1.pk, JULY_DEBIT), customer_number(acc2.pk, JULY_DEBIT)}
    assert by_customer[customer_number(acc1.pk, JULY_DEBIT)].amount == july.amount
    assert by_customer[customer_number(acc1.pk, JULY_DEBIT)].new_code == 1
    assert recs[3][1:19] == f"{2:06d}{run.total_amount:012d}".encode()
    line = DebitRequestLine.objects.get(request__account=acc1)
    assert line.instalment_id == july.pk and line.amount == july.amount
    with pytest.raises(DebitError, match="作成済み"):
        request(tmp_path)
    assert second.addressee_no.encode() not in data  # the customer number is not a person number


def test_result_import_records_receipts_and_failures(tmp_path: Path) -> None:
    _p1, plan1, acc1 = debtor(90_000)
    p2, plan2, acc2 = debtor(45_000)
    run, data = request(tmp_path)
    failing = customer_number(acc2.pk, JULY_DEBIT)
    outcome = import_debit_result(actor=ACTOR, path=bank(tmp_path, data, {failing: 1}))
    assert outcome.outcome == Outcome.APPLIED, outcome.errors
    assert outcome.summary is not None and outcome.summary.counts["debited"] == 1
    run.refresh_from_db()
    assert run.status == DebitRunStatus.RESULTED and run.result_import_id == outcome.import_record.pk  # type: ignore[union-attr]
    july1, july2 = instalments(plan1)[0], instalments(plan2)[0]
    receipt = Receipt.objects.get(channel=Channel.DEBIT)
    assert (receipt.instalment_id, receipt.amount, receipt.paid_on) == (july1.pk, july1.amount, JULY_DEBIT)
    assert receipt.reference == customer_number(acc1.pk, JULY_DEBIT)
    assert receipt.import_record_id == outcome.import_record.pk  # type: ignore[union-attr]
    status1 = {s.instalment_id: s for s in instalment_statuses(plan1.person_id, FY)}
    assert status1[july1.pk].paid == july1.amount and status1[july1.pk].unpaid == 0
    status2 = {s.instalment_id: s for s in instalment_statuses(p2.pk, FY)}
    assert status2[july2.pk].unpaid == july2.amount  # failed: still owed
    failure = FailedDebit.objects.get()
    assert (failure.instalment_id, failure.result_code, failure.reason) == (july2.pk, 1, "資金不足")
    assert debit_failed([july2.pk, july1.pk]) == {july2.pk: "資金不足"}
    slip = PaymentSlip.objects.get(instalment_id=july2.pk)
    assert failure.slip_id == slip.pk and slip.amount == july2.amount
    assert failed_debits(pending_only=True) == []
    assert DebitRequest.objects.get(account=acc2).result_code == 1


def test_reimport_is_idempotent_and_a_second_result_is_refused(tmp_path: Path) -> None:
    _p, _plan, acc = debtor()
    _run, data = request(tmp_path)
    path = bank(tmp_path, data, {})
    assert import_debit_result(actor=ACTOR, path=path).outcome == Outcome.APPLIED
    again = import_debit_result(actor=ACTOR, path=path)
    assert again.outcome == Outcome.ALREADY_IMPORTED
    other = bank(tmp_path, data, {customer_number(acc.pk, JULY_DEBIT): 2}, "other.dat")
    refused = import_debit_result(actor=ACTOR, path=other, report_dir=tmp_path / "reports")
    assert refused.outcome == Outcome.REJECTED
    assert "取込済み" in refused.errors[0].reason
    assert Receipt.objects.count() == 1 and FailedDebit.objects.count() == 0


def _swap(data: bytes, record: int, offset: int, new: bytes) -> bytes:
    start = record * 120 + offset
    return data[:start] + new + data[start + len(new) :]


@pytest.mark.parametrize(
    ("offset", "value", "field", "reason"),
    [
        (80, b"0000000001", "amount", "依頼額"),  # amount differs (trailer fixed up below)
        (92, b"99999999", "customer_no", "依頼がありません"),
        (50, "ｶﾞ".encode("cp932") + b"\x81\x40", "holder", "全角"),
        (46, b"7654321", "account_number", "依頼した口座"),
    ],
)
def test_a_corrupted_result_file_changes_nothing(
    tmp_path: Path, offset: int, value: bytes, field: str, reason: str
) -> None:
    _p, plan, _acc = debtor()
    debtor(45_000)
    run, data = request(tmp_path)
    result = simulate(data, seed=7, forced={})
    bad = _swap(result, 1, offset, value)
    if field == "amount":  # keep the trailer consistent so that the check against the request speaks
        total = sum(r.amount for r in parse_debit_file(bad, "x", results=False).records)
        bad = _swap(bad, 3, 1, f"{2:06d}{total:012d}{2:06d}{total:012d}".encode())
    path = tmp_path / "bad.dat"
    path.write_bytes(bad)
    outcome = import_debit_result(actor=ACTOR, path=path, report_dir=tmp_path / "reports")
    assert outcome.outcome == Outcome.REJECTED
    assert any(e.field == field and reason in e.reason for e in outcome.errors), outcome.errors
    assert outcome.report_path is not None and outcome.report_path.exists()
    assert Receipt.objects.count() == 0 and FailedDebit.objects.count() == 0
    assert DebitRequest.objects.filter(result_code__isnull=False).count() == 0
    run.refresh_from_db()
    assert run.status == DebitRunStatus.REQUESTED
    assert all(s.paid == 0 for s in instalment_statuses(plan.person_id, FY))


def test_trailer_totals_and_missing_records_reject(tmp_path: Path) -> None:
    debtor()
    debtor(45_000)
    _run, data = request(tmp_path)
    result = simulate(data, seed=7, forced={})
    wrong = tmp_path / "wrong.dat"
    wrong.write_bytes(_swap(result, 3, 1, b"000003"))
    assert import_debit_result(actor=ACTOR, path=wrong).errors[0].field == "total_count"
    recs = records(result)
    total = parse_debit_file(result, "x", results=True).records[0].amount
    short = (
        recs[0]
        + recs[1]
        + f"8{1:06d}{total:012d}{1:06d}{total:012d}{0:06d}{0:012d}".encode().ljust(120)
        + recs[4]
    )
    missing = tmp_path / "missing.dat"
    missing.write_bytes(short)
    errors = import_debit_result(actor=ACTOR, path=missing).errors
    assert [e.reason for e in errors] == ["依頼 2 件に対し結果が 1 件です"]
    assert Receipt.objects.count() == 0


def test_the_next_run_debits_only_what_is_due_by_its_date(tmp_path: Path) -> None:
    _p, plan, acc = debtor()
    _run, data = request(tmp_path)
    import_debit_result(actor=ACTOR, path=bank(tmp_path, data, {customer_number(acc.pk, JULY_DEBIT): 1}))
    rows = instalments(plan)
    september = [r for r in rows if (r.due_date.year, r.due_date.month) == (2025, 9)]
    assert len(september) == 2  # August's moves to 1 September (31 August 2025 is a Sunday)
    run2, data2 = request(tmp_path, september[0].due_date)
    parsed = parse_debit_file(data2, "r", results=False).records
    assert [(r.amount, r.new_code) for r in parsed] == [(september[0].amount, 0)]  # not September's too
    taken = list(DebitRequestLine.objects.filter(request__run=run2).values_list("instalment_id", flat=True))
    assert taken == [september[0].pk]
    assert rows[0].pk not in taken  # the failed July instalment is not debited again: it has its slip


def test_failures_wait_in_the_worklist_when_slips_cannot_be_issued(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kouki.banking.failures import issue_slips
    from kouki.slips import services as slips

    def refuse(**_kwargs: object) -> object:
        raise slips.SlipError("not now")

    _p, plan, acc = debtor()
    _run, data = request(tmp_path)
    monkeypatch.setattr(slips, "slips_issue", refuse)
    outcome = import_debit_result(
        actor=ACTOR, path=bank(tmp_path, data, {customer_number(acc.pk, JULY_DEBIT): 3})
    )
    assert outcome.outcome == Outcome.APPLIED and outcome.summary is not None
    assert outcome.summary.counts["slips"] == 0
    pending = failed_debits(pending_only=True)
    assert [(f.instalment_id, f.reason) for f in pending] == [
        (instalments(plan)[0].pk, "預金者の都合による振替停止")
    ]
    monkeypatch.undo()
    assert issue_slips(actor=ACTOR, on=date(2025, 8, 5)) == 1
    assert failed_debits(pending_only=True) == []
    assert PaymentSlip.objects.filter(instalment_id=instalments(plan)[0].pk).count() == 1


@pytest.mark.parametrize(
    ("offset", "value", "field"), [(4, b"9999999999", "consignor_code"), (54, b"0801", "debit_mmdd")]
)
def test_a_header_of_another_contract_or_date_is_rejected(
    tmp_path: Path, offset: int, value: bytes, field: str
) -> None:
    debtor()
    _run, data = request(tmp_path)
    path = tmp_path / "header.dat"
    path.write_bytes(_swap(simulate(data, seed=7), 0, offset, value))
    outcome = import_debit_result(actor=ACTOR, path=path, report_dir=tmp_path / "reports")
    assert outcome.outcome == Outcome.REJECTED
    assert [e.field for e in outcome.errors] == [field]
    assert Receipt.objects.count() == 0


def test_a_run_takes_only_what_is_due_by_the_debit_date(tmp_path: Path) -> None:
    _, plan, _ = debtor(90_000)
    aug, sep = instalments(plan)[1:3]
    assert aug.due_date.month == sep.due_date.month == 9  # August's due date moved to 2025-09-01
    result = debit_request_create(actor=ACTOR, debit_date=aug.due_date, outbox=tmp_path / "outbox")
    taken = DebitRequestLine.objects.filter(request__run=result.run).values_list("instalment_id", flat=True)
    assert list(taken) == [aug.pk]
    later = debit_request_create(actor=ACTOR, debit_date=sep.due_date, outbox=tmp_path / "outbox")
    assert list(
        DebitRequestLine.objects.filter(request__run=later.run).values_list("instalment_id", flat=True)
    ) == [sep.pk]


def test_a_failed_debit_of_a_replaced_instalment_waits_in_the_worklist(tmp_path: Path) -> None:
    from collection_factories import reassess

    person, plan, acc = debtor(90_000)
    july = instalments(plan)[0]
    run, data = request(tmp_path, july.due_date)
    reassess(person, 180_000, FY, on=date(2025, 7, 20))  # re-planned while the bank has the request
    path = bank(tmp_path, data, {customer_number(acc.pk, july.due_date): 1})
    assert import_debit_result(actor=ACTOR, path=path).outcome == Outcome.APPLIED
    failure = FailedDebit.objects.get()
    assert failure.slip_id is None  # no slip for the old plan's instalment at the old amount
    assert [f.pk for f in failed_debits(pending_only=True)] == [failure.pk]
    assert not PaymentSlip.objects.filter(instalment_id=july.pk).exists()
    assert run.record_count == 1
