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


def _notice_text(client: Client, request_id: int, tmp_path: Path) -> str:
    notice = client.get(f"/disclosure/{request_id}/decision-notice.pdf")
    assert notice.status_code == 200 and notice["Content-Type"] == "application/pdf"
    path = tmp_path / f"decision-{request_id}.pdf"
    path.write_bytes(notice.content)
    return "".join(pdftotext(path).split())


def test_the_decision_notice_prints_once_approved_with_reason_and_remedies(
        client_as: Callable[[Role], Client], family: Family, tmp_path: Path) -> None:
    """APPI §82②: a refusal is notified in writing with its reason; every decision letter names the
    審査請求 (行政不服審査法 §82①) and the action against the city (行政事件訴訟法 §46①)."""
    from factories import make_staff

    from disclosure.samples import actor_of, receive
    from kouki.disclosure.services import disclosure_decision_approve, disclosure_decision_prepare

    clerk, boss = make_staff(Role.COUNTER_CLERK).user, make_staff(Role.SUPERVISOR).user
    request = receive(clerk, family.taro.addressee_no)
    disclosure_decision_prepare(actor=actor_of(clerk), user=clerk, request_id=request.pk,
                                decision="nondisclose", reason="請求に係る保有個人情報を保有していないため")
    screen = client_as(Role.COUNTER_CLERK)
    assert screen.get(f"/disclosure/{request.pk}/decision-notice.pdf").status_code == 404  # not yet approved
    assert 'id="decision-notice"' not in screen.get(f"/disclosure/{request.pk}/").content.decode()
    disclosure_decision_approve(actor=actor_of(boss), user=boss, request_id=request.pk)
    assert 'id="decision-notice"' in screen.get(f"/disclosure/{request.pk}/").content.decode()
    text = _notice_text(screen, request.pk, tmp_path)
    assert "保有個人情報の開示をしない旨の決定について(通知)" in text and "第82条第2項" in text
    assert "請求に係る保有個人情報を保有していないため" in text and request.request_no in text
    assert "3か月以内" in text and "審査請求" in text and "6か月以内" in text and "被告" in text
    assert "山田" in text  # addressed to the person
    printed = AuditEntry.objects.filter(action="disclosure_decision_notice.print", target_id=str(request.pk))
    assert printed.count() == 1 and printed.get().detail["decision"] == "nondisclose"


def test_a_disclosure_notice_names_the_method_and_the_fee(client_as: Callable[[Role], Client],
                                                          family: Family, tmp_path: Path) -> None:
    from factories import make_staff

    from disclosure.samples import disclosed

    clerk, boss = make_staff(Role.COUNTER_CLERK).user, make_staff(Role.SUPERVISOR).user
    request = disclosed(clerk, boss, family.taro.addressee_no)
    text = _notice_text(client_as(Role.COUNTER_CLERK), request.pk, tmp_path)
    assert "保有個人情報の開示をする旨の決定について(通知)" in text and "第82条第1項" in text
    assert "写しの交付" in text and "1枚につき10円" in text
    assert "理由" not in text.split("教示")[0]  # nothing withheld: no reason section
