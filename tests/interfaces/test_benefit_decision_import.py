"""決定情報 (union → city, issue 12 §2) taken in: atomic, idempotent, rejected whole with a report; a
later decision for a 受付番号 replaces the one held (更正), an older one is skipped; the selectors give the
applications app what it needs by 受付番号."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest
from documents.pdftools import pdftotext

from interfaces.union.benefit_samples import decision, refused
from kouki.cli import main
from kouki.core.audit_vocabulary import AuditAction
from kouki.documents.benefit_notice import PAYMENT_KIND, BenefitNoticeData
from kouki.documents.relief_notice import REDUCTION_KIND, ReliefNoticeData
from kouki.documents.render import render_pdf
from kouki.interfaces.benefit_decisions import import_benefit_decision
from kouki.interfaces.benefit_notices import NoticeContext, notice_data
from kouki.interfaces.fixedwidth import offsets
from kouki.interfaces.importing import Outcome
from kouki.interfaces.models import BenefitDecision, ImportRecord
from kouki.interfaces.selectors import benefit_decision, benefit_decisions
from kouki.interfaces.union.benefit_decision import (
    BENEFIT_DECISION,
    BenefitDecisionRecord,
    dump_benefit_decision,
)
from kouki.interfaces.union.files import union_file_name
from kouki.privacy.context import Actor
from kouki.privacy.models import AuditEntry
from kouki.rules.benefits.codes import ApplicationKind, DecisionReason, DecisionResult

ACTOR = Actor.system("test-benefits")
pytestmark = pytest.mark.django_db


def write(tmp_path: Path, records: list[BenefitDecisionRecord], on: date = date(2025, 8, 5),
          serial: int = 0) -> Path:  # fmt: skip
    path = tmp_path / union_file_name("benefit-decision", "11107", on, serial)
    path.write_bytes(dump_benefit_decision(records, created_on=on))
    return path


def test_decisions_are_kept_by_reception_number_and_read_through_the_selector(tmp_path: Path) -> None:
    path = write(tmp_path, [decision(), refused()])
    outcome = import_benefit_decision(actor=ACTOR, path=path, report_dir=tmp_path)
    assert outcome.outcome is Outcome.APPLIED and outcome.summary is not None
    assert outcome.summary.counts == {"new": 2, "corrected": 0, "unchanged": 0, "stale": 0}
    paid = benefit_decision("U2025-000001")
    assert paid is not None and paid.result is DecisionResult.GRANTED and paid.amount_decided == 29_160
    assert paid.kind is ApplicationKind.SELF_PAID and paid.payment_date == date(2025, 8, 25)
    dismissed = benefit_decision("U2025-000002")
    assert dismissed is not None and dismissed.reason is DecisionReason.DOCUMENTS_MISSING
    assert benefit_decision("U-none") is None
    assert set(benefit_decisions(["U2025-000001", "U-none"])) == {"U2025-000001"}
    audit = AuditEntry.objects.get(action=AuditAction.IMPORT_APPLIED)
    assert audit.detail["kind"] == "union_benefit_decision" and audit.detail["new"] == 2


def test_the_same_file_twice_changes_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, [decision()])
    assert import_benefit_decision(actor=ACTOR, path=path).outcome is Outcome.APPLIED
    again = import_benefit_decision(actor=ACTOR, path=path)
    assert again.outcome is Outcome.ALREADY_IMPORTED
    assert BenefitDecision.objects.count() == 1 and ImportRecord.objects.count() == 1


def test_a_later_decision_corrects_an_older_one_is_skipped(tmp_path: Path) -> None:
    import_benefit_decision(actor=ACTOR, path=write(tmp_path, [decision()]))
    corrected = decision(
        result=DecisionResult.PARTIAL,
        reason=DecisionReason.ASSESSED_LOWER,
        amount_decided=20_000,
        decided_on=date(2025, 9, 1),
        notice_date=date(2025, 9, 1),
    )
    same = decision("U2025-000003")
    outcome = import_benefit_decision(actor=ACTOR, path=write(tmp_path, [corrected, same], date(2025, 9, 1)))
    assert outcome.summary is not None and outcome.summary.counts["corrected"] == 1
    held = benefit_decision("U2025-000001")
    assert held is not None and held.amount_decided == 20_000 and held.corrections == 1
    late = dataclasses.replace(decision(), amount_decided=1_000)  # decided 2025-08-05, before 2025-09-01
    outcome = import_benefit_decision(actor=ACTOR, path=write(tmp_path, [late, same], date(2025, 9, 2)))
    assert outcome.summary is not None and outcome.summary.counts == {
        "new": 0,
        "corrected": 0,
        "unchanged": 1,
        "stale": 1,
    }
    held = benefit_decision("U2025-000001")
    assert held is not None and held.amount_decided == 20_000


def test_one_bad_line_rejects_the_whole_file_with_a_report(tmp_path: Path) -> None:
    good = decision()
    bad_date = dump_benefit_decision([good, refused()], created_on=date(2025, 8, 5))
    lines = bad_date.split(b"\r\n")
    pos = next(p for f, p in offsets(BENEFIT_DECISION.fields) if f.name == "decided_on")
    lines[2] = lines[2][:pos] + b"20250230" + lines[2][pos + 8 :]  # 決定日 of line 3
    path = tmp_path / "KOUKI_benefit-decision_11107_20250805.dat"
    path.write_bytes(b"\r\n".join(lines))
    outcome = import_benefit_decision(actor=ACTOR, path=path, report_dir=tmp_path)
    assert outcome.outcome is Outcome.REJECTED
    assert [(e.line, e.field) for e in outcome.errors] == [(3, "decided_on")]
    assert outcome.report_path is not None and "decided_on" in outcome.report_path.read_text("utf-8-sig")
    assert BenefitDecision.objects.count() == 0
    assert ImportRecord.objects.get().status == "rejected"


@pytest.mark.usefixtures("operator")
def test_the_command_takes_it_in(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, [decision(), refused()])
    assert main(["import", "benefit-decision", str(path)]) == 0
    out = capsys.readouterr().out
    assert "new: 2" in out
    assert BenefitDecision.objects.count() == 2


def test_a_decision_taken_in_prints_as_its_notice(tmp_path: Path) -> None:
    reduction = decision("R-1", kind=ApplicationKind.REDUCTION, result=DecisionResult.PARTIAL,
                         reason=DecisionReason.PARTLY_MET, payment_date=None, payee_account_ref="",
                         fiscal_year=2025, amount_claimed=84_000, base_amount=84_000, amount_decided=58_800,
                         reduction_percent=70)  # fmt: skip
    import_benefit_decision(actor=ACTOR, path=write(tmp_path, [decision(), refused(), reduction]))
    ctx = NoticeContext(insured_name="髙﨑　花子", issued_on=date(2025, 8, 8),
                        received_on=date(2025, 7, 10), bank_text="さいたま信用金庫 浦和支店 普通 ****123",
                        ground="災害による損害")  # fmt: skip
    views = benefit_decisions(["U2025-000001", "U2025-000002", "R-1"])
    paid, dismissed, relief = (notice_data(views[n], ctx) for n in ("U2025-000001", "U2025-000002", "R-1"))
    assert isinstance(paid, BenefitNoticeData) and paid.title == "療養費支給決定通知書"
    assert isinstance(dismissed, BenefitNoticeData) and dismissed.title == "療養費却下通知書"
    assert isinstance(relief, ReliefNoticeData) and relief.result == "一部承認" and relief.percent == 70
    pdf = tmp_path / "n.pdf"
    pdf.write_bytes(render_pdf(PAYMENT_KIND, [paid, dismissed]))
    text = "".join(pdftotext(pdf).split())
    assert "29,160円" in text and "必要な添付書類が提出されていないため" in text and "髙﨑花子様" in text
    pdf.write_bytes(render_pdf(REDUCTION_KIND, [relief]))
    assert "58,800円" in "".join(pdftotext(pdf).split())


@pytest.mark.usefixtures("operator")
def test_the_daily_inbox_takes_in_decisions(tmp_path: Path) -> None:
    from kouki.eligibility.batch import import_inbox

    write(tmp_path, [decision(), refused()])
    outcomes = import_inbox(actor=ACTOR, inbox=tmp_path)
    assert [o.outcome for o in outcomes] == [Outcome.APPLIED] and BenefitDecision.objects.count() == 2
