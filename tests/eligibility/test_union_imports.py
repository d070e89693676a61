"""Union → city files taken in: 被保険者情報 (snapshots with history), 資格確認書発行用情報 and
住所地特例者情報."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from factories import make_person

from kouki.core.audit_vocabulary import AuditAction
from kouki.eligibility.batch import import_inbox
from kouki.eligibility.models import CertificateRequest, InsuredPeriod
from kouki.eligibility.selectors import (
    address_exceptions_of,
    certificate_requests_pending,
    insured_period_on,
    insured_periods_of,
    insured_person_ids_on,
    latest_insured_numbers,
)
from kouki.eligibility.services import CertificateRequestError, certificate_request_mark_issued
from kouki.interfaces.importing import Outcome
from kouki.interfaces.union.address_exception import dump_address_exception
from kouki.interfaces.union.certificate_issue import dump_certificate_issue
from kouki.interfaces.union.files import union_file_name
from kouki.interfaces.union.insured_info import dump_insured_info
from kouki.interfaces.union.records import (
    AcquisitionReason,
    AddressExceptionRecord,
    CertificateIssueRecord,
    CertificateKind,
    CertificateReason,
    InsuredInfoRecord,
    LossReason,
)
from kouki.privacy.audit import verify_chain
from kouki.privacy.context import Actor
from kouki.privacy.models import AuditEntry
from kouki.rules.numbers import mod10_weight21_check_digit

ACTOR = Actor.system("tests")
CITY = "11100"


def insured_no(serial: int) -> str:
    base = f"{serial:07d}"
    return base + str(mod10_weight21_check_digit(base))


INSURER = "3911" + "000"  # 39 + 11 埼玉 + serial, check digit added below
INSURER_NO = INSURER + str(mod10_weight21_check_digit(INSURER))


def period(addressee_no: str, **kw: object) -> InsuredInfoRecord:
    base = InsuredInfoRecord(
        municipality_code=CITY, addressee_no=addressee_no, insured_no=insured_no(1234),
        insurer_no=INSURER_NO, acquired_on=date(2026, 5, 1), acquisition_reason=AcquisitionReason.AGE,
        lost_on=None, loss_reason=None,
        copay_rate=10, copay_from=date(2026, 5, 1), address_exception=False, decided_on=date(2026, 4, 20),
    )
    return dataclasses.replace(base, **kw)  # type: ignore[arg-type]


def write(inbox: Path, kind: str, data: bytes, on: date, serial: int = 0) -> Path:
    inbox.mkdir(parents=True, exist_ok=True)
    path = inbox / union_file_name(kind, CITY, on, serial)
    path.write_bytes(data)
    return path


@pytest.mark.django_db
def test_insured_info_snapshots_supersede_and_are_idempotent(tmp_path: Path) -> None:
    a, b = make_person(), make_person()
    write(tmp_path, "insured-info", dump_insured_info([period(a.addressee_no), period(b.addressee_no)],
                                                      created_on=date(2026, 4, 20)), date(2026, 4, 20))
    [outcome] = import_inbox(actor=ACTOR, inbox=tmp_path)
    assert outcome.outcome == Outcome.APPLIED
    assert insured_person_ids_on(date(2026, 4, 30)) == set()
    assert insured_person_ids_on(date(2026, 5, 1)) == {a.pk, b.pk}
    # a dies: lost the day after; b's period is re-sent unchanged
    lost = period(a.addressee_no, lost_on=date(2026, 6, 11), loss_reason=LossReason.DEATH,
                  decided_on=date(2026, 6, 12))
    write(tmp_path, "insured-info", dump_insured_info([lost, period(b.addressee_no)]), date(2026, 6, 12))
    outcomes = import_inbox(actor=ACTOR, inbox=tmp_path)
    assert [o.outcome for o in outcomes] == [Outcome.ALREADY_IMPORTED, Outcome.APPLIED]
    assert outcomes[1].summary is not None and outcomes[1].summary.skipped == 1
    assert insured_person_ids_on(date(2026, 6, 10)) == {a.pk, b.pk}
    assert insured_person_ids_on(date(2026, 6, 11)) == {b.pk}
    current = insured_period_on(a.pk, date(2026, 6, 10))
    assert current is not None and current.lost_on == date(2026, 6, 11)
    assert len(insured_periods_of(a.pk)) == 1
    assert InsuredPeriod.objects.filter(person=a).count() == 2  # history kept
    assert InsuredPeriod.objects.filter(person=b).count() == 1
    assert list(verify_chain()) == []


@pytest.mark.django_db
def test_unknown_addressee_rejects_the_whole_file(tmp_path: Path) -> None:
    a = make_person()
    write(tmp_path, "insured-info", dump_insured_info([period(a.addressee_no), period("999999999")]),
          date(2026, 4, 20))
    [outcome] = import_inbox(actor=ACTOR, inbox=tmp_path)
    assert outcome.outcome == Outcome.REJECTED
    assert outcome.errors[0].line == 3 and outcome.errors[0].field == "addressee_no"
    assert outcome.errors[0].reason == "宛名番号 999999999 は登録されていません"
    assert outcome.report_path is not None and outcome.report_path.exists()
    assert InsuredPeriod.objects.count() == 0


@pytest.mark.django_db
def test_certificate_requests_and_address_exceptions(tmp_path: Path) -> None:
    a = make_person()
    cert = CertificateIssueRecord(
        municipality_code=CITY, addressee_no=a.addressee_no, kind=CertificateKind.CERTIFICATE,
        reason=CertificateReason.NEW, insured_no=insured_no(1234), insurer_no=INSURER_NO, family_name="山田",
        given_name="太郎", family_name_kana="ヤマダ", given_name_kana="タロウ", sex="1",
        birth_date=date(1951, 5, 1), postal_code="3300063", address="さいたま市浦和区高砂三丁目1番1号",
        acquired_on=date(2026, 5, 1), copay_rate=10, valid_from=date(2026, 5, 1),
        valid_until=date(2027, 7, 31), limit_category="", issued_on=date(2026, 4, 25),
    )
    write(tmp_path, "certificate-issue", dump_certificate_issue([cert]), date(2026, 4, 25))
    exception = AddressExceptionRecord(
        municipality_code=CITY, addressee_no=a.addressee_no, insured_no=insured_no(1234),
        facility_name="特別養護老人ホーム見本園", facility_address="東京都豊島区南池袋一丁目1番1号",
        exception_from=date(2026, 7, 1), exception_until=None,
    )
    write(tmp_path, "address-exception", dump_address_exception([exception]), date(2026, 7, 2))
    outcomes = import_inbox(actor=ACTOR, inbox=tmp_path)
    assert [o.outcome for o in outcomes] == [Outcome.APPLIED, Outcome.APPLIED]
    [request] = certificate_requests_pending()
    assert request.person_id == a.pk and request.kind == "1" and request.valid_until == date(2027, 7, 31)
    certificate_request_mark_issued(actor=ACTOR, request_id=request.pk, issue_id=77)
    assert list(certificate_requests_pending()) == []
    assert CertificateRequest.objects.get().issue_id == 77
    with pytest.raises(CertificateRequestError):
        certificate_request_mark_issued(actor=ACTOR, request_id=request.pk, issue_id=78)
    [stored] = address_exceptions_of(a.pk)
    assert stored.facility_name == "特別養護老人ホーム見本園"


def bad_check_digit(serial: int) -> str:
    good = insured_no(serial)
    return good[:7] + str((int(good[7]) + 1) % 10)


@pytest.mark.django_db
def test_insured_number_check_digit_warns_and_the_file_is_applied(tmp_path: Path) -> None:
    """Issue 10 §7: the 被保険者番号 check digit is not officially confirmed (domain-facts §6 [S55]);
    by default (KOUKI_INSURED_NO_CHECK_DIGIT=warn) a mismatch is a warning: the file is applied, the warning
    is in the outcome, a warnings report, the ImportRecord and the audit row; the number is stored and
    the selectors use it."""
    a, b = make_person(), make_person()
    odd = bad_check_digit(77)
    records = [period(a.addressee_no), period(b.addressee_no, insured_no=odd)]
    write(tmp_path, "insured-info", dump_insured_info(records), date(2026, 4, 20))
    [outcome] = import_inbox(actor=ACTOR, inbox=tmp_path)
    assert outcome.outcome == Outcome.APPLIED and outcome.errors == []
    assert [(w.line, w.field) for w in outcome.warnings] == [(3, "insured_no")]
    assert outcome.warnings_path is not None and outcome.warnings_path.exists()
    report = outcome.warnings_path.read_text(encoding="utf-8-sig")
    assert "insured_no" in report and odd not in report
    assert outcome.import_record is not None and outcome.import_record.warning_count == 1
    assert insured_person_ids_on(date(2026, 5, 1)) == {a.pk, b.pk}
    assert latest_insured_numbers([b.pk]) == {b.pk: odd}
    entry = AuditEntry.objects.filter(action=AuditAction.IMPORT_APPLIED).latest("pk")
    assert entry.detail["warnings"] == 1


@pytest.mark.django_db
def test_insured_number_check_digit_rejects_the_file_when_configured(tmp_path: Path, settings: Any) -> None:
    settings.KOUKI_INSURED_NO_CHECK_DIGIT = "reject"
    a, b = make_person(), make_person()
    records = [period(a.addressee_no), period(b.addressee_no, insured_no=bad_check_digit(77))]
    write(tmp_path, "insured-info", dump_insured_info(records), date(2026, 4, 20))
    [outcome] = import_inbox(actor=ACTOR, inbox=tmp_path)
    assert outcome.outcome == Outcome.REJECTED
    assert [(e.line, e.field) for e in outcome.errors] == [(3, "insured_no")]
    assert InsuredPeriod.objects.count() == 0
