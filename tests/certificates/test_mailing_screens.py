"""Following a certificate batch through the post (issue 11 §2): the list by status and batch, a return
recorded with its reason, 再送付 to an address found since (and a second return), each audited; bad
input changes nothing; roles without Perm.ISSUE_CERTIFICATE are refused."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from factories import Staff

from kouki.accounts.permissions import Role
from kouki.certificates.models import CertificateIssue, IssueStatus, ReturnReason, UndeliverableReturn
from kouki.certificates.services import (
    CertificateError,
    certificate_batch_issue,
    certificate_batch_mark_mailed,
    certificate_resend,
)
from kouki.privacy.models import AuditEntry
from kouki.rules.wareki import format_wareki

from .conftest import ACTOR, City

pytestmark = pytest.mark.django_db

ISSUES = reverse("web:certificate_issues")


def _mailed_batch(tmp_path: Path) -> list[CertificateIssue]:
    result = certificate_batch_issue(actor=ACTOR, out_dir=tmp_path, workers=1)
    assert result is not None
    certificate_batch_mark_mailed(actor=ACTOR, batch_id=result.batch.pk, mailed_on=date(2026, 7, 20))
    return list(CertificateIssue.objects.order_by("pk"))


def test_a_return_with_its_reason_then_a_resend(city: City, tmp_path: Path, staff_of: Callable[[Role], Staff],
                                                client_as: Callable[[Role], Client]) -> None:
    issues = _mailed_batch(tmp_path)
    first = issues[0]
    client = client_as(Role.COUNTER_CLERK)
    overview = client.get(reverse("web:certificate_overview")).content.decode()
    assert ISSUES in overview
    listing = client.get(ISSUES, {"batch": first.batch_id}).content.decode()
    assert "引渡済" in listing and format_wareki(date(2026, 7, 20)) in listing
    assert reverse("web:certificate_return", args=[first.pk]) in listing

    response = client.post(reverse("web:certificate_return", args=[first.pk]),
                           {"returned_on": "R8.7.28", "reason": ReturnReason.MOVED.value, "note": ""})
    assert response.status_code == 302
    ret = UndeliverableReturn.objects.get(issue=first)
    assert ret.reason == ReturnReason.MOVED and ret.recorded_by == staff_of(Role.COUNTER_CLERK).user.username
    audit = AuditEntry.objects.get(action="certificates.returned_undeliverable")
    assert audit.detail["reason"] == "moved"

    returned = client.get(ISSUES, {"status": IssueStatus.RETURNED_UNDELIVERABLE.value}).content.decode()
    row = returned.split(f'id="issue-{first.pk}"')[1].split("</tr>")[0]
    assert "転居先不明" in row and format_wareki(date(2026, 7, 28)) in row
    assert reverse("web:certificate_resend", args=[first.pk]) in row
    assert f'id="issue-{issues[1].pk}"' not in returned  # only the returned one in this status

    resend = reverse("web:certificate_resend", args=[first.pk])
    assert "転居先不明" in client.get(resend).content.decode()
    done = client.post(resend, {"mailed_on": "R8.8.3", "destination": "さいたま市北区宮原町一丁目1番1号",
                                "note": ""})
    assert done.status_code == 302
    first.refresh_from_db()
    assert first.status == IssueStatus.HANDED_OVER
    again = first.handovers.order_by("-pk").first()
    assert again is not None and again.method == "mail" and "宮原町" in again.note
    assert AuditEntry.objects.filter(action="certificates.resent", target_id=str(first.person_id)).exists()
    # it can come back again
    assert client.post(reverse("web:certificate_return", args=[first.pk]),
                       {"returned_on": "R8.8.20", "reason": "refused"}).status_code == 302
    first.refresh_from_db()
    assert first.status == IssueStatus.RETURNED_UNDELIVERABLE and first.returns.count() == 2


def test_counts_by_status(city: City, tmp_path: Path, client_as: Callable[[Role], Client]) -> None:
    _mailed_batch(tmp_path)
    response = client_as(Role.SUPERVISOR).get(ISSUES)
    counts = {value: n for value, _label, n in response.context["counts"]}
    assert counts == {"issued": 0, "handed_over": 3, "returned_undeliverable": 0, "reissued": 0}


def test_bad_input_changes_nothing(city: City, tmp_path: Path, client_as: Callable[[Role], Client]) -> None:
    first = _mailed_batch(tmp_path)[0]
    client = client_as(Role.COUNTER_CLERK)
    no_reason = client.post(reverse("web:certificate_return", args=[first.pk]), {"returned_on": "R8.7.28"})
    assert no_reason.status_code == 200 and "返戻理由を選択してください" in no_reason.content.decode()
    bad_date = client.post(reverse("web:certificate_return", args=[first.pk]),
                           {"returned_on": "R8.2.30", "reason": "moved"})
    assert bad_date.status_code == 200 and "returned_on" in bad_date.context["form"].errors
    first.refresh_from_db()
    assert first.status == IssueStatus.HANDED_OVER and not first.returns.exists()
    # not returned: a re-send is refused on the form
    refused = client.post(reverse("web:certificate_resend", args=[first.pk]),
                          {"mailed_on": "R8.8.3", "destination": "新住所"})
    assert refused.status_code == 200 and "返戻されて保管中のもの" in refused.content.decode()
    client.post(reverse("web:certificate_return", args=[first.pk]),
                {"returned_on": "R8.7.28", "reason": "moved"})
    no_destination = client.post(reverse("web:certificate_resend", args=[first.pk]),
                                 {"mailed_on": "R8.8.3", "destination": ""})
    assert "再送付先を入力してください" in no_destination.content.decode()
    before = client.post(reverse("web:certificate_resend", args=[first.pk]),
                         {"mailed_on": "R8.7.27", "destination": "新住所"})
    assert "返戻日より前" in before.content.decode()
    first.refresh_from_db()
    assert first.status == IssueStatus.RETURNED_UNDELIVERABLE and first.handovers.count() == 1
    assert not AuditEntry.objects.filter(action="certificates.resent").exists()
    with pytest.raises(CertificateError):
        certificate_resend(actor=ACTOR, issue_id=first.pk, mailed_on=date(2026, 8, 3), destination=" ")


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.AUDITOR])
def test_roles_without_the_permission_are_refused(role: Role, city: City, tmp_path: Path,
                                                  client_as: Callable[[Role], Client]) -> None:
    first = _mailed_batch(tmp_path)[0]
    client = client_as(role)
    assert client.get(ISSUES).status_code == 403
    assert client.post(reverse("web:certificate_return", args=[first.pk]),
                       {"returned_on": "R8.7.28", "reason": "moved"}).status_code == 403
    assert client.post(reverse("web:certificate_resend", args=[first.pk]),
                       {"mailed_on": "R8.8.3", "destination": "新住所"}).status_code == 403
    first.refresh_from_db()
    assert first.status == IssueStatus.HANDED_OVER and not first.returns.exists()
