"""Batch issue, counter issue, hand-over and undeliverable returns, with their records and audit rows."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from documents.pdftools import page_count, pdftotext

from kouki.certificates import services
from kouki.certificates.models import CertificateHandover, CertificateIssue, IssueStatus
from kouki.certificates.selectors import (
    certificate_issue_pdf,
    certificate_issues_of,
    issues_awaiting_collection,
)
from kouki.certificates.services import (
    CertificateError,
    certificate_batch_issue,
    certificate_batch_mark_mailed,
    certificate_handover_record,
    certificate_issue_single,
    certificate_return_undeliverable,
    next_expiry,
)
from kouki.eligibility.selectors import certificate_requests_pending
from kouki.privacy.audit import verify_report
from kouki.privacy.models import AuditEntry

from .conftest import ACTOR, City, insure

pytestmark = pytest.mark.django_db


def test_batch_issues_every_pending_request_into_one_file_per_kind(city: City, tmp_path: Path) -> None:
    result = certificate_batch_issue(actor=ACTOR, out_dir=tmp_path, workers=1)
    assert result is not None and result.issued == 3
    names = sorted(p.name for p in result.files)
    assert names == ["shikaku-joho-oshirase-001.pdf", "shikaku-kakuninsho-001.pdf"]
    assert all(p.parent.parent == tmp_path for p in result.files)
    by_name = {p.name: p for p in result.files}
    assert page_count(by_name["shikaku-kakuninsho-001.pdf"]) == 2
    assert page_count(by_name["shikaku-joho-oshirase-001.pdf"]) == 1
    # mailing order: postal code 330… before 338…
    issues = list(CertificateIssue.objects.filter(kind="1").order_by("page_no"))
    assert [i.person_id for i in issues] == [city.people[1].pk, city.people[0].pk]
    assert all(i.batch_id == result.batch.pk and i.status == IssueStatus.ISSUED for i in issues)
    assert not certificate_requests_pending().exists()
    assert {f["name"] for f in result.batch.files} == set(names)
    assert AuditEntry.objects.filter(action="certificates.issue").count() == 3
    assert AuditEntry.objects.filter(action="certificates.batch_issue").count() == 1
    assert verify_report()[1] == []
    assert certificate_batch_issue(actor=ACTOR, out_dir=tmp_path) is None  # nothing left


def test_batch_rendered_in_parallel_parts(city: City, tmp_path: Path) -> None:
    result = certificate_batch_issue(actor=ACTOR, out_dir=tmp_path, workers=2, part_size=1)
    assert result is not None
    assert sorted(p.name for p in result.files) == [
        "shikaku-joho-oshirase-001.pdf", "shikaku-kakuninsho-001.pdf", "shikaku-kakuninsho-002.pdf"]
    second = CertificateIssue.objects.get(person=city.people[0])
    assert second.file_name == "shikaku-kakuninsho-002.pdf" and second.page_no == 1


def test_a_failed_batch_leaves_no_files_and_no_records(city: City, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(**_kwargs: object) -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "certificate_requests_mark_issued", broken)
    with pytest.raises(RuntimeError):
        certificate_batch_issue(actor=ACTOR, out_dir=tmp_path, workers=1)
    assert list(tmp_path.rglob("*.pdf")) == []
    assert CertificateIssue.objects.count() == 0
    assert certificate_requests_pending().count() == 3


def test_counter_issue_from_the_insured_period_replaces_the_earlier_document(city: City,
                                                                             tmp_path: Path) -> None:
    first = certificate_issue_single(actor=ACTOR, person_id=city.taro.pk, kind="1", reason="4",
                                     on=date(2026, 9, 1))
    assert (first.valid_from, first.valid_until) == (date(2026, 9, 1), date(2027, 7, 31))
    assert first.insured_no == "22222228" and first.batch_id is None
    again = certificate_issue_single(actor=ACTOR, person_id=city.taro.pk, kind="1", reason="5",
                                     on=date(2026, 10, 5), limit_category="区分Ⅰ", out_dir=tmp_path)
    first.refresh_from_db()
    assert first.status == IssueStatus.REISSUED and first.replaced_by_id == again.pk
    written = tmp_path / again.file_name
    pdf = certificate_issue_pdf(again)
    assert pdf.identical and written.read_bytes() == pdf.content
    text = pdftotext(written)
    assert "区分Ⅰ" in text and "22222228" in text and "令和8年10月5日" in text
    assert [i.pk for i in certificate_issues_of(city.taro.pk)] == [again.pk, first.pk]


def test_counter_issue_uses_a_pending_union_request(city: City) -> None:
    issue = certificate_issue_single(actor=ACTOR, person_id=city.people[2].pk, kind="2", reason="1",
                                     on=date(2026, 7, 20))
    assert issue.insured_no == "10000033" and issue.request_id is not None
    assert certificate_requests_pending().count() == 2


def test_counter_issue_needs_an_insured_period(city: City) -> None:
    with pytest.raises(CertificateError, match="被保険者資格"):
        certificate_issue_single(actor=ACTOR, person_id=city.people[0].pk, kind="2", reason="5",
                                 on=date(2026, 9, 1))
    assert CertificateIssue.objects.count() == 0


def test_validity_ends_the_day_before_loss(city: City) -> None:
    person = city.people[0]
    insure(person, insured_no="30000007", lost_on=date(2026, 12, 1))
    issue = certificate_issue_single(actor=ACTOR, person_id=person.pk, kind="2", reason="5",
                                     on=date(2026, 11, 1))  # (kind 1 would use the person's pending request)
    assert issue.valid_until == date(2026, 11, 30)


def test_next_expiry_is_the_coming_july_31() -> None:
    assert next_expiry(date(2026, 7, 31)) == date(2026, 7, 31)
    assert next_expiry(date(2026, 8, 1)) == date(2027, 7, 31)
    assert next_expiry(date(2027, 1, 10)) == date(2027, 7, 31)


def _single(city: City) -> CertificateIssue:
    return certificate_issue_single(actor=ACTOR, person_id=city.taro.pk, kind="1", reason="4",
                                    on=date(2026, 9, 1))


def test_counter_hand_over_needs_an_identity_check_and_names_an_agent(city: City) -> None:
    issue = _single(city)
    with pytest.raises(CertificateError, match="本人確認"):
        certificate_handover_record(actor=ACTOR, issue_id=issue.pk, method="counter",
                                    handed_on=date(2026, 9, 1))
    with pytest.raises(CertificateError, match="代理人"):
        certificate_handover_record(actor=ACTOR, issue_id=issue.pk, method="counter",
                                    handed_on=date(2026, 9, 1),
                                    recipient="agent", identity_checked=True, identity_document="運転免許証")
    handover = certificate_handover_record(
        actor=ACTOR, issue_id=issue.pk, method="counter", handed_on=date(2026, 9, 1), recipient="agent",
        agent_name="山田 一郎", identity_checked=True, identity_document="運転免許証", note="長男")
    issue.refresh_from_db()
    assert issue.status == IssueStatus.HANDED_OVER and handover.recorded_by == ACTOR.username
    with pytest.raises(CertificateError, match="引渡済"):
        certificate_handover_record(actor=ACTOR, issue_id=issue.pk, method="counter",
                                    handed_on=date(2026, 9, 2),
                                    identity_checked=True, identity_document="運転免許証")
    assert AuditEntry.objects.filter(action="certificates.handover").count() == 1


def test_mailed_returned_then_collected_at_the_counter(city: City, tmp_path: Path) -> None:
    result = certificate_batch_issue(actor=ACTOR, out_dir=tmp_path, workers=1)
    assert result is not None
    mailed = certificate_batch_mark_mailed(actor=ACTOR, batch_id=result.batch.pk, mailed_on=date(2026, 7, 20))
    assert mailed == 3
    issue = CertificateIssue.objects.get(person=city.people[0])
    assert issue.status == IssueStatus.HANDED_OVER
    certificate_return_undeliverable(actor=ACTOR, issue_id=issue.pk, returned_on=date(2026, 7, 28),
                                     note="あて所に尋ねあたりません")
    issue.refresh_from_db()
    assert issue.status == IssueStatus.RETURNED_UNDELIVERABLE
    assert list(issues_awaiting_collection()) == [issue]
    with pytest.raises(CertificateError, match="窓口"):
        certificate_handover_record(actor=ACTOR, issue_id=issue.pk, method="mail", handed_on=date(2026, 8, 1))
    certificate_handover_record(actor=ACTOR, issue_id=issue.pk, method="counter", handed_on=date(2026, 8, 3),
                                identity_checked=True, identity_document="マイナンバーカード")
    issue.refresh_from_db()
    assert issue.status == IssueStatus.HANDED_OVER
    assert CertificateHandover.objects.filter(issue=issue).count() == 2
    pdf = certificate_issue_pdf(issue)
    assert not pdf.identical and pdf.file_name.endswith(f"-p{issue.page_no}.pdf")


def test_a_return_needs_a_mailed_document(city: City) -> None:
    issue = _single(city)
    with pytest.raises(CertificateError, match="郵送済み"):
        certificate_return_undeliverable(actor=ACTOR, issue_id=issue.pk, returned_on=date(2026, 9, 5))


def test_marking_requests_issued_in_bulk_is_all_or_nothing(city: City) -> None:
    from kouki.eligibility.services import CertificateRequestError, certificate_requests_mark_issued

    first, second, _third = list(certificate_requests_pending().order_by("pk"))
    certificate_requests_mark_issued(actor=ACTOR, issued=[(first.pk, 901)])
    with pytest.raises(CertificateRequestError, match="already issued"):
        certificate_requests_mark_issued(actor=ACTOR, issued=[(second.pk, 902), (first.pk, 903)])
    with pytest.raises(CertificateRequestError, match="does not exist"):
        certificate_requests_mark_issued(actor=ACTOR, issued=[(second.pk, 902), (10**9, 904)])
    assert certificate_requests_pending().count() == 2  # the second was not marked by either refusal
    marked = AuditEntry.objects.filter(action="eligibility.certificate_request_issued")
    assert [e.detail["issue_id"] for e in marked] == [901]
