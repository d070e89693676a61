"""情報照会 screens (issue 13 §2): the inquiry role only; the answer shown once from its sealed form, a purged
answer says so; auditors read the records; no personal number on any of the pages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from web.conftest import client_as, sign_in, staff_of
from web.test_personal_numbers import leaks_any_number

from kouki.accounts.models import StaffUser
from kouki.accounts.permissions import Role
from kouki.core.audit_vocabulary import AuditAction
from kouki.inquiries.models import InquiryRecord, InquiryResult
from kouki.inquiries.services import purge_results
from kouki.privacy.context import Actor
from kouki.privacy.models import AuditEntry

from .conftest import Sim

__all__ = ["client_as", "staff_of"]
pytestmark = pytest.mark.django_db
FORM = {"kind": "pension", "provider": "", "purpose": "move_in", "purpose_note": ""}


def _post(client: Client, sim: Sim, **data: str) -> str:
    response = client.post(reverse("web:inquiry"), {"addressee_no": sim.mover.addressee_no, **FORM, **data})
    assert response.status_code == 200
    assert "no-store" in response.get("Cache-Control", "")
    return response.content.decode()


def test_the_inquiry_clerk_asks_and_sees_the_answer_and_later_that_it_was_purged(
    sim: Sim, inquiry_clerk: StaffUser
) -> None:
    client = sign_in(Client(), inquiry_clerk)
    assert client.get(reverse("web:inquiry")).status_code == 200
    page = _post(client, sim)
    record = InquiryRecord.objects.get()
    assert f"照会記録 {record.pk}" in page and "1860000" in page and record.permit_id in page
    assert "所得情報に反映しました" in page and not leaks_any_number(page)
    again = client.get(reverse("web:inquiry_result", args=[record.pk])).content.decode()
    assert "1860000" in again and not leaks_any_number(again)
    InquiryResult.objects.update(received_at=timezone.now() - timedelta(days=31))
    assert purge_results(actor=Actor(username="admin01", terminal_id="batch")).deleted == 1
    gone = client.get(reverse("web:inquiry_result", args=[record.pk])).content.decode()
    assert "消去されました" in gone and "1860000" not in gone
    assert AuditEntry.objects.filter(action=AuditAction.INQUIRY_RESULT_OPEN).count() == 2


def test_a_refusal_is_shown_and_recorded(sim: Sim, inquiry_clerk: StaffUser) -> None:
    page = _post(sign_in(Client(), inquiry_clerk), sim, provider="東京都後期高齢者医療広域連合")
    assert "照会は拒否されました" in page and "照会許可用照合リスト" in page
    assert InquiryRecord.objects.get().status == "refused"


def test_a_purpose_is_required(sim: Sim, inquiry_clerk: StaffUser) -> None:
    page = _post(sign_in(Client(), inquiry_clerk), sim, purpose="")
    assert "照会記録" not in page and not InquiryRecord.objects.exists()


@pytest.mark.parametrize("role", [Role.COUNTER_CLERK, Role.NUMBER_CLERK, Role.SUPERVISOR, Role.AUDITOR])
def test_other_roles_cannot_open_the_inquiry_screens(
    sim: Sim, role: Role, client_as: Callable[[Role], Client], inquiry_clerk: StaffUser
) -> None:
    client = client_as(role)
    assert client.get(reverse("web:inquiry")).status_code == 403
    response = client.post(reverse("web:inquiry"), {"addressee_no": sim.mover.addressee_no, **FORM})
    assert response.status_code == 403 and not InquiryRecord.objects.exists()
    _post(sign_in(Client(), inquiry_clerk), sim)
    assert client.get(reverse("web:inquiry_result", args=[InquiryRecord.objects.get().pk])).status_code == 403


def test_auditors_read_the_records_and_the_inquiry_clerk_does_not(
    sim: Sim, inquiry_clerk: StaffUser, client_as: Callable[[Role], Client]
) -> None:
    _post(sign_in(Client(), inquiry_clerk), sim)
    page = client_as(Role.AUDITOR).get(reverse("web:inquiry_records")).content.decode()
    assert "日本年金機構" in page and "さいたま市長" in page and sim.mover.addressee_no in page
    assert "1860000" not in page and not leaks_any_number(page)
    assert sign_in(Client(), inquiry_clerk).get(reverse("web:inquiry_records")).status_code == 403
