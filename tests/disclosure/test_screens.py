"""The /disclosure/ screens (issue 15 §3): refusals shown on the form, four-eyes on the approve button and
on a forged POST, the extension and its notice, the worklist."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from documents.pdftools import pdftotext
from web.conftest import Family

from kouki.accounts.permissions import Role
from kouki.disclosure.models import DisclosureRequest, RequestState
from kouki.privacy.models import AuditEntry
from kouki.rules.wareki import format_wareki_input

pytestmark = pytest.mark.django_db


def _form(addressee_no: str, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "kind": "disclosure", "addressee_no": addressee_no,
        "received_on": format_wareki_input(timezone.localdate()), "channel": "counter", "requester": "self",
        "requester_name": "", "agent_document_on": "", "documents": ["drivers_licence"], "method": "view",
        "disclosure_no": "", "content": "保有する情報の全部"}
    data.update(overrides)
    return data


def test_an_agents_old_papers_are_refused_on_the_form(client_as: Callable[[Role], Client],
                                                      family: Family) -> None:
    clerk = client_as(Role.COUNTER_CLERK)
    old = format_wareki_input(timezone.localdate() - timedelta(days=45))
    response = clerk.post("/disclosure/new/", _form(family.taro.addressee_no, requester="delegate",
                                                    requester_name="山田 一郎", agent_document_on=old,
                                                    authority_documents=["power_of_attorney"]))
    assert response.status_code == 200
    assert "30日以内に作成されたものに限ります" in response.content.decode()
    assert not DisclosureRequest.objects.exists()


def test_four_eyes_on_screen_extension_notice_and_worklist(client_as: Callable[[Role], Client],
                                                          family: Family, tmp_path: Path) -> None:
    boss = client_as(Role.SUPERVISOR)
    assert boss.post("/disclosure/new/", _form(family.taro.addressee_no)).status_code == 302
    request = DisclosureRequest.objects.get()
    assert request.request_no in boss.get("/disclosure/").content.decode()
    extended = boss.post(f"/disclosure/{request.pk}/extend/", {"days": "30", "reason": "記録が大量のため"})
    assert extended.status_code == 302
    notice = boss.get(f"/disclosure/{request.pk}/extension-notice.pdf")
    assert notice.status_code == 200 and notice["Content-Type"] == "application/pdf"
    path = tmp_path / "notice.pdf"
    path.write_bytes(notice.content)
    text = "".join(pdftotext(path).split())
    assert "開示決定等期限延長通知書" in text and "記録が大量のため" in text
    assert request.request_no in text
    prepared = boss.post(f"/disclosure/{request.pk}/prepare/", {"decision": "disclose", "reason": ""})
    assert prepared.status_code == 302
    page = boss.get(f"/disclosure/{request.pk}/").content.decode()
    assert 'id="disclosure-approve"' not in page and "別の監督者が承認します" in page
    refused = boss.post(f"/disclosure/{request.pk}/approve/")
    assert refused.status_code == 400 and "作成した職員は承認できません" in refused.content.decode()
    assert DisclosureRequest.objects.get().state == RequestState.PREPARED
    assert AuditEntry.objects.filter(action="disclosure_decision.approve_refused").count() == 1
    clerk = client_as(Role.COUNTER_CLERK)
    assert clerk.post(f"/disclosure/{request.pk}/approve/").status_code == 403
