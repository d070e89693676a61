"""Certificate screens: counter issue, list, PDF download, hand-over and return, by role."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from web.conftest import Family, Numbers

from kouki.accounts.models import StaffUser
from kouki.accounts.permissions import Role
from kouki.certificates.models import CertificateIssue, IssueStatus
from kouki.privacy.models import AuditEntry
from kouki.privacy.redaction import contains_personal_number

from .conftest import insure

pytestmark = pytest.mark.django_db


def _issue(client: Client, person_id: int, **fields: str) -> CertificateIssue:
    data = {"kind": "1", "reason": "5", "on": "R8.9.1", "limit_category": "", **fields}
    response = client.post(reverse("web:certificate_issue", args=[person_id]), data)
    assert response.status_code == 302, response.content.decode()[:500]
    return CertificateIssue.objects.filter(person_id=person_id).latest("pk")


def test_counter_issue_download_and_hand_over(family: Family, numbers: Numbers,
                                              client_as: Callable[[Role], Client], tmp_path: Path) -> None:
    insure(family.taro, insured_no="22222228", copay_rate=30)
    clerk = client_as(Role.COUNTER_CLERK)
    detail = clerk.get(reverse("web:person_detail", args=[family.taro.pk])).content.decode()
    assert reverse("web:certificate_list", args=[family.taro.pk]) in detail
    page = clerk.get(reverse("web:certificate_issue", args=[family.taro.pk])).content.decode()
    assert "22222228" in page and "山田" in page

    issue = _issue(clerk, family.taro.pk, limit_category="現役並みⅠ")
    assert issue.issued_on.isoformat() == "2026-09-01" and issue.status == IssueStatus.ISSUED
    listing = clerk.get(reverse("web:certificate_list", args=[family.taro.pk])).content.decode()
    assert "再交付(紛失・破損)" in listing and "発行済" in listing
    issuer = StaffUser.objects.get(username=issue.issued_by)
    assert issuer.staff_name and issuer.staff_name in listing  # the issuer by name, not by account id

    response = clerk.get(reverse("web:certificate_pdf", args=[issue.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert issue.file_name in response["Content-Disposition"]
    pdf = tmp_path / "issued.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    assert "3割" in text and "現役並みⅠ" in text and "山田" in text
    number_in_pdf = numbers.taro in text or contains_personal_number(text)
    assert number_in_pdf is False

    refused = clerk.post(reverse("web:certificate_handover", args=[issue.pk]),
                         {"method": "counter", "handed_on": "R8.9.1", "recipient": "self"})
    assert "本人確認" in refused.content.decode()
    done = clerk.post(reverse("web:certificate_handover", args=[issue.pk]),
                      {"method": "counter", "handed_on": "R8.9.1", "recipient": "self",
                       "identity_checked": "on", "identity_document": "運転免許証"})
    assert done.status_code == 302
    issue.refresh_from_db()
    assert issue.status == IssueStatus.HANDED_OVER
    assert AuditEntry.objects.filter(action="certificates.handover", actor=issue.handovers.get().recorded_by)


def test_issue_refused_without_an_insured_period(family: Family, client_as: Callable[[Role], Client]) -> None:
    clerk = client_as(Role.COUNTER_CLERK)
    page = clerk.get(reverse("web:certificate_issue", args=[family.hanako.pk])).content.decode()
    assert "被保険者資格がありません" in page
    response = clerk.post(reverse("web:certificate_issue", args=[family.hanako.pk]),
                          {"kind": "1", "reason": "4", "on": "R8.9.1"})
    assert response.status_code == 200 and "被保険者資格がありません" in response.content.decode()
    assert not CertificateIssue.objects.exists()


def test_bad_date_is_reported_on_the_form(family: Family, client_as: Callable[[Role], Client]) -> None:
    insure(family.taro, insured_no="22222228")
    response = client_as(Role.COUNTER_CLERK).post(reverse("web:certificate_issue", args=[family.taro.pk]),
                                                  {"kind": "1", "reason": "4", "on": "R8.2.30"})
    assert "存在しない日付です" in response.content.decode()
    assert not CertificateIssue.objects.exists()


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.AUDITOR])
def test_roles_without_the_permission_cannot_issue(role: Role, family: Family,
                                                   client_as: Callable[[Role], Client]) -> None:
    insure(family.taro, insured_no="22222228")
    response = client_as(role).post(reverse("web:certificate_issue", args=[family.taro.pk]),
                                    {"kind": "1", "reason": "4", "on": "R8.9.1"})
    assert response.status_code == 403
    assert not CertificateIssue.objects.exists()


def test_overview_lists_returned_documents(family: Family, client_as: Callable[[Role], Client]) -> None:
    from datetime import date

    from kouki.certificates.services import certificate_return_undeliverable
    from kouki.privacy.context import Actor

    insure(family.taro, insured_no="22222228")
    clerk = client_as(Role.SUPERVISOR)
    issue = _issue(clerk, family.taro.pk)
    clerk.post(reverse("web:certificate_handover", args=[issue.pk]),
               {"method": "mail", "handed_on": "R8.9.2", "recipient": "self"})
    response = clerk.post(reverse("web:certificate_return", args=[issue.pk]),
                          {"returned_on": "R8.9.10", "reason": "address_unknown", "note": ""})
    assert response.status_code == 302
    overview = clerk.get(reverse("web:certificate_overview")).content.decode()
    assert "22222228" in overview and reverse("web:certificate_handover", args=[issue.pk]) in overview
    with pytest.raises(Exception, match="郵送済み"):
        certificate_return_undeliverable(actor=Actor.system("tests"), issue_id=issue.pk,
                                         returned_on=date(2026, 9, 11))
