"""不納欠損の決裁 (issue 5 §4; ADR 0011 decision 4, four eyes): a supervisor sees the open requests and
approves or rejects each with a note; an approval shows on the 収納状況 as 不納欠損; the requester may
not decide their own request (the service refuses and the screen says so); a clerk is refused (SEC-07,
Perm.DECIDE_COLLECTION)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from factories import Staff

from kouki.accounts.permissions import Role
from kouki.arrears.models import WriteOffGround, WriteOffRequest, WriteOffStatus
from kouki.arrears.services import write_off_request
from kouki.collection.models import WriteOff
from kouki.collection.selectors import instalment_statuses
from kouki.privacy.context import Actor
from kouki.privacy.models import AuditEntry
from kouki.rules.wareki import format_wareki
from web.collection_samples import FY, fix_today, person_with_plan, write_off_requested
from web.conftest import Family

pytestmark = pytest.mark.django_db

WORKLIST = reverse("web:write_off_worklist")


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> date:
    return fix_today(monkeypatch)


def decide(request_id: int) -> str:
    return reverse("web:write_off_decide", args=[request_id])


def actor_of(staff: Staff) -> Actor:
    return Actor(username=staff.user.username, user_id=staff.user.pk)


def test_the_worklist_shows_each_open_request(family: Family, client_as: Callable[[Role], Client]) -> None:
    person, rows = person_with_plan(family.taro)
    req = write_off_requested(rows[1], reason="死亡・相続人なし")
    page = client_as(Role.SUPERVISOR).get(WORKLIST)
    assert page.status_code == 200
    row = page.content.decode().split(f'id="write-off-{req.pk}"')[1].split("</tr>")[0]
    assert "令和7年度 普通徴収 第2期" in row and format_wareki(rows[1].due_date) in row
    assert f"{rows[1].amount:,}円" in row and "死亡・相続人なし" in row and family.taro.addressee_no in row
    assert reverse("web:collection_ledger", args=[person.pk]) in row


def test_a_supervisor_approves_a_clerks_request_and_the_ledger_shows_the_write_off(
        family: Family, staff_of: Callable[[Role], Staff], client_as: Callable[[Role], Client]) -> None:
    person, rows = person_with_plan(family.taro)
    clerk, boss = staff_of(Role.COUNTER_CLERK), staff_of(Role.SUPERVISOR)
    req = write_off_request(actor=actor_of(clerk), instalment_id=rows[0].pk, amount=rows[0].amount,
                            reason="滞納処分の執行停止", on=date(2026, 11, 30),
                            ground=WriteOffGround.SUSPENSION)
    client = client_as(Role.SUPERVISOR)
    response = client.post(decide(req.pk), {"decision": "approve", "note": "執行停止3年経過を確認"})
    assert response.status_code == 302 and response["Location"] == WORKLIST
    req.refresh_from_db()
    assert (req.status, req.decided_by, req.decision_note) == (
        WriteOffStatus.APPROVED, boss.user.username, "執行停止3年経過を確認")
    decision = WriteOff.objects.get(pk=req.write_off_id)
    assert (decision.requested_by, decision.approved_by) == (clerk.user.username, boss.user.username)
    assert instalment_statuses(person.pk, FY)[0].written_off == rows[0].amount
    assert AuditEntry.objects.filter(action="write_off_approve", target_id=str(req.pk)).exists()
    after = client.get(WORKLIST).content.decode()
    assert "承認しました" in after and 'id="no-write-offs"' in after
    ledger = client.get(reverse("web:collection_ledger", args=[person.pk]), {"fy": FY}).content.decode()
    assert "不納欠損" in ledger.split('id="decisions"')[1] and boss.user.staff_name in ledger
    # deciding it again: nothing open any more
    assert client.post(decide(req.pk), {"decision": "reject", "note": "x"}).status_code == 404


def test_the_requester_cannot_approve_their_own_request(
        family: Family, staff_of: Callable[[Role], Staff], client_as: Callable[[Role], Client]) -> None:
    _person, rows = person_with_plan(family.taro)
    boss = staff_of(Role.SUPERVISOR)
    req = write_off_request(actor=actor_of(boss), instalment_id=rows[0].pk, amount=1_000,
                            reason="死亡・相続人なし", on=date(2026, 11, 30),
                            ground=WriteOffGround.OTHER)
    client = client_as(Role.SUPERVISOR)
    listed = client.get(WORKLIST).content.decode().split(f'id="write-off-{req.pk}"')[1].split("</tr>")[0]
    assert "ご自身の起案" in listed
    page = client.post(decide(req.pk), {"decision": "approve", "note": ""}, follow=True)
    html = page.content.decode()
    assert "決裁できませんでした" in html and "起案者本人は自分の起案を決裁できません" in html
    assert WriteOffRequest.objects.get(pk=req.pk).status == WriteOffStatus.REQUESTED
    assert not WriteOff.objects.exists()


def test_a_rejection_needs_a_note(family: Family, staff_of: Callable[[Role], Staff],
                                  client_as: Callable[[Role], Client]) -> None:
    _person, rows = person_with_plan(family.taro)
    req = write_off_requested(rows[0])
    client = client_as(Role.SUPERVISOR)
    page = client.post(decide(req.pk), {"decision": "reject", "note": " "}, follow=True)
    assert "却下するときは理由(決裁意見)を入力してください" in page.content.decode()
    assert WriteOffRequest.objects.get(pk=req.pk).status == WriteOffStatus.REQUESTED
    undecided = client.post(decide(req.pk), {"note": "x"}, follow=True).content.decode()
    assert "承認か却下を選んでください" in undecided
    client.post(decide(req.pk), {"decision": "reject", "note": "財産調査が未了"})
    req.refresh_from_db()
    assert (req.status, req.decision_note) == (WriteOffStatus.REJECTED, "財産調査が未了")
    assert req.decided_by == staff_of(Role.SUPERVISOR).user.username
    assert not WriteOff.objects.exists()
    assert AuditEntry.objects.filter(action="write_off_reject", target_id=str(req.pk)).exists()


@pytest.mark.parametrize("role", [Role.COUNTER_CLERK, Role.NUMBER_CLERK, Role.AUDITOR, Role.SYSTEM_ADMIN])
def test_only_a_supervisor_decides(family: Family, client_as: Callable[[Role], Client], role: Role) -> None:
    _person, rows = person_with_plan(family.taro)
    req = write_off_requested(rows[0])
    client = client_as(role)
    assert client.get(WORKLIST).status_code == 403
    assert client.post(decide(req.pk), {"decision": "approve", "note": "ok"}).status_code == 403
    assert WriteOffRequest.objects.get(pk=req.pk).status == WriteOffStatus.REQUESTED
    assert AuditEntry.objects.filter(action="access.denied", target_id="web:write_off_decide").exists()


def test_an_unknown_request_is_404(client_as: Callable[[Role], Client]) -> None:
    assert client_as(Role.SUPERVISOR).post(decide(999_999), {"decision": "approve"}).status_code == 404
    assert client_as(Role.SUPERVISOR).get(decide(999_999)).status_code == 405


def test_the_requester_is_not_offered_the_buttons_on_their_own_request(
        family: Family, staff_of: Callable[[Role], Staff], client_as: Callable[[Role], Client]) -> None:
    """Four eyes on the screen too (issue 11 §3): one's own request shows no 承認/却下, another's does."""
    _person, rows = person_with_plan(family.taro)
    boss = staff_of(Role.SUPERVISOR)
    own = write_off_request(actor=actor_of(boss), instalment_id=rows[0].pk, amount=1_000,
                            reason="死亡・相続人なし", on=date(2026, 11, 30), ground=WriteOffGround.OTHER)
    other = write_off_requested(rows[1])
    html = client_as(Role.SUPERVISOR).get(WORKLIST).content.decode()
    own_row = html.split(f'id="write-off-{own.pk}"')[1].split("</tr>")[0]
    other_row = html.split(f'id="write-off-{other.pk}"')[1].split("</tr>")[0]
    assert "decide-form" not in own_row and 'value="approve"' not in own_row and "own-request" in own_row
    assert "decide-form" in other_row and 'value="approve"' in other_row
    assert "滞納処分の執行停止" in other_row  # the ground is shown


def test_a_written_off_instalment_shows_fu_no_kesson_not_kanno(
        family: Family, staff_of: Callable[[Role], Staff], client_as: Callable[[Role], Client]) -> None:
    person, rows = person_with_plan(family.taro)
    req = write_off_requested(rows[0])
    client = client_as(Role.SUPERVISOR)
    client.post(decide(req.pk), {"decision": "approve", "note": "確認"})
    page = client.get(reverse("web:collection_ledger", args=[person.pk]), {"fy": FY}).content.decode()
    first = page.split(f'id="instalment-{rows[0].pk}"')[1].split("</tr>")[0]
    state = first.split('class="state"')[1]
    assert "不納欠損" in state and "完納" not in state
