"""特別徴収結果 (union → city; requirements.md §1.3 (3)② 特別徴収結果): a deduction becomes a pension
receipt on the pension payment date naming that month's pension instalment; not deducted → unpaid and on
the worklist for the move to direct payment; atomic, idempotent, rejected with a report."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.test import override_settings

from arrears.helpers import ACTOR, pension_person, valid_insured_no
from kouki.arrears.importers import import_pension_result, pension_payment_date
from kouki.arrears.models import ConversionStatus, NonDeductionReason, PensionNonDeduction
from kouki.arrears.pension_conversion import pension_conversion_done
from kouki.arrears.selectors import pension_conversion_worklist
from kouki.arrears.services import ArrearsError
from kouki.assessment.models import Instalment
from kouki.collection.models import Channel, Receipt
from kouki.collection.selectors import instalment_statuses
from kouki.eligibility.batch import import_inbox
from kouki.interfaces.importing import Outcome
from kouki.interfaces.union.pension_result import (
    DeductionResult,
    NotDeductedReason,
    PensionResultRecord,
    dump_pension_result,
    parse_pension_result,
)
from kouki.privacy.models import AuditEntry
from kouki.sandbox.union.collection import ExpectedDeduction, UnionCollection

FY = 2025


def month_instalment(person_id: int, month: str) -> Instalment:
    return Instalment.objects.get(
        plan__person_id=person_id, plan__superseded_at__isnull=True, method="pension", month=month
    )


def expected(
    person: object, month: str, amount: int, reason: NotDeductedReason | None = None
) -> ExpectedDeduction:
    from kouki.assessment.models import Assessment

    insured = Assessment.objects.filter(person=person, fiscal_year=FY).values_list("insured_no", flat=True)[0]
    return ExpectedDeduction("11100", person.addressee_no, insured, FY, month, amount, reason)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("year", "month", "paid_on"),
    [
        (2025, 4, date(2025, 4, 15)),
        (2025, 6, date(2025, 6, 13)),
        (2025, 2, date(2025, 2, 14)),
        (2026, 2, date(2026, 2, 13)),
    ],  # 15th on a Saturday/Sunday → the Friday before
)
def test_pension_payment_date(year: int, month: int, paid_on: date) -> None:
    assert pension_payment_date(year, month) == paid_on


@pytest.mark.django_db
def test_deducted_and_not_deducted_results(tmp_path: Path) -> None:
    paid, _ = pension_person(90_000)
    died, _ = pension_person(60_000)
    october = month_instalment(paid.pk, "2025-10")
    died_october = month_instalment(died.pk, "2025-10")
    union = UnionCollection(tmp_path / "union")
    (path,) = union.write_pension_results(
        [
            expected(paid, "202510", october.amount),
            expected(died, "202510", died_october.amount, NotDeductedReason.DEATH),
        ],
        date(2025, 10, 20),
        tmp_path / "inbox",
    )

    outcome = import_pension_result(actor=ACTOR, path=path)
    assert outcome.outcome == Outcome.APPLIED and outcome.summary is not None
    assert outcome.summary.counts == {"deducted": 1, "not_deducted": 1}
    receipt = Receipt.objects.get(person=paid)
    assert (receipt.channel, receipt.amount, receipt.paid_on, receipt.instalment_id) == (
        Channel.PENSION,
        october.amount,
        date(2025, 10, 15),
        october.pk,
    )
    assert receipt.import_record == outcome.import_record
    status = next(s for s in instalment_statuses(paid.pk, FY) if s.instalment_id == october.pk)
    assert status.unpaid == 0
    died_status = next(s for s in instalment_statuses(died.pk, FY) if s.instalment_id == died_october.pk)
    assert died_status.unpaid == died_october.amount  # stays unpaid
    (item,) = pension_conversion_worklist()
    assert (item.person_id, item.instalment_id, item.reason) == (
        died.pk,
        died_october.pk,
        NonDeductionReason.DEATH,
    )
    assert AuditEntry.objects.filter(action="pension_not_deducted", target_id=str(item.pk)).exists()

    assert import_pension_result(actor=ACTOR, path=path).outcome == Outcome.ALREADY_IMPORTED
    # the same results in another file: recorded once
    (again,) = union.write_pension_results(
        [
            expected(paid, "202510", october.amount),
            expected(died, "202510", died_october.amount, NotDeductedReason.DEATH),
        ],
        date(2025, 10, 21),
        tmp_path / "again",
    )
    repeat = import_pension_result(actor=ACTOR, path=again)
    assert repeat.outcome == Outcome.APPLIED and repeat.summary is not None and repeat.summary.skipped == 2
    assert Receipt.objects.filter(person=paid).count() == 1 and PensionNonDeduction.objects.count() == 1

    with override_settings(KOUKI_PENSION_STOP_LEAD_MONTHS="2", KOUKI_DIRECT_MONTHS="7,8,9,10,11,12,1,2,3"):
        done = pension_conversion_done(actor=ACTOR, item_id=item.pk, on=date(2025, 11, 1))
        item.refresh_from_db()
        assert item.status == ConversionStatus.DONE and pension_conversion_worklist() == []
        assert done.item_ids == (item.pk,) and done.slip_ids
        with pytest.raises(ArrearsError, match="すでに処理済み"):
            pension_conversion_done(actor=ACTOR, item_id=item.pk, on=date(2025, 11, 1))


@pytest.mark.django_db
def test_unknown_addressee_or_missing_instalment_rejects_the_whole_file(tmp_path: Path) -> None:
    paid, _ = pension_person(90_000)
    october = month_instalment(paid.pk, "2025-10")
    good = expected(paid, "202510", october.amount)
    unknown = ExpectedDeduction("11100", "999999999", good.insured_no, FY, "202510", 5_000)
    union = UnionCollection(tmp_path / "union")
    (path,) = union.write_pension_results([good, unknown], date(2025, 10, 20), tmp_path / "a")
    outcome = import_pension_result(actor=ACTOR, path=path, report_dir=tmp_path / "rej")
    assert outcome.outcome == Outcome.REJECTED and [(e.line, e.field) for e in outcome.errors] == [
        (3, "addressee_no")
    ]
    assert Receipt.objects.count() == 0 and outcome.report_path is not None and outcome.report_path.exists()

    direct_only = expected(paid, "202510", 1)
    (path2,) = union.write_pension_results([direct_only], date(2025, 10, 22), tmp_path / "b")
    Instalment.objects.filter(pk=october.pk).update(month="2025-09")  # no October pension instalment now
    outcome = import_pension_result(actor=ACTOR, path=path2, report_dir=tmp_path / "rej")
    assert outcome.outcome == Outcome.REJECTED and outcome.errors[0].field == "pension_month"
    assert Receipt.objects.count() == 0 and PensionNonDeduction.objects.count() == 0


def test_bad_lines_are_rejected_by_the_codec() -> None:
    n = valid_insured_no()
    base = PensionResultRecord("11100", "000100001", n, FY, "202510", DeductionResult.DEDUCTED, 5_000, None)
    bad = [
        PensionResultRecord("11100", "000100002", n, FY, "202509", DeductionResult.DEDUCTED, 5_000, None),
        PensionResultRecord("11100", "000100003", n, FY, "202604", DeductionResult.DEDUCTED, 5_000, None),
        PensionResultRecord("11100", "000100004", n, FY, "202510", DeductionResult.NOT_DEDUCTED, 0, None),
        PensionResultRecord("11100", "000100005", n, FY, "202510", DeductionResult.DEDUCTED, 0, None),
        PensionResultRecord(
            "11100",
            "000100006",
            n,
            FY,
            "202510",
            DeductionResult.NOT_DEDUCTED,
            10,
            NotDeductedReason.PENSION_INSUFFICIENT,
        ),
        base,
        base,  # the same key twice
    ]
    data = dump_pension_result(bad, created_on=date(2025, 10, 20))
    assert all(len(line) == 128 for line in data.split(b"\r\n")[:-1])
    parsed = parse_pension_result(data, "x.dat")
    assert [(e.line, e.field) for e in parsed.errors] == [
        (2, "pension_month"),
        (3, "pension_month"),
        (4, "reason"),
        (5, "deducted"),
        (6, "deducted"),
        (8, "pension_month"),
    ]


@pytest.mark.django_db
def test_the_daily_inbox_takes_pension_results_in(tmp_path: Path) -> None:
    paid, _ = pension_person(90_000)
    october = month_instalment(paid.pk, "2025-10")
    UnionCollection(tmp_path / "union").write_pension_results(
        [expected(paid, "202510", october.amount)], date(2025, 10, 20), tmp_path / "inbox"
    )
    (outcome,) = import_inbox(actor=ACTOR, inbox=tmp_path / "inbox")
    assert outcome.outcome == Outcome.APPLIED and Receipt.objects.filter(channel=Channel.PENSION).count() == 1
