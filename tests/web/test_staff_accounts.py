"""The administrator's account screen (SEC-05, SEC-06): unlock, stop (利用停止) and re-enable (利用再開)
one account, each with a reason and a confirmation, audited; bad input changes nothing; only
Perm.MANAGE_STAFF opens it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from factories import Staff

from kouki.accounts.models import StaffUser
from kouki.accounts.permissions import Role
from kouki.privacy.models import AuditEntry

pytestmark = pytest.mark.django_db


def _url(user: StaffUser) -> str:
    return reverse("web:staff_account", args=[user.pk])


def _v(user: StaffUser) -> str:
    """The hidden version the account page carries (kouki.core.versioning)."""
    return str(StaffUser.objects.get(pk=user.pk).version)


def _locked(user: StaffUser) -> None:
    StaffUser.objects.filter(pk=user.pk).update(failed_attempts=0,
                                                locked_until=timezone.now() + timedelta(minutes=30))


def test_unlock_stop_and_re_enable_with_reasons(staff_of: Callable[[Role], Staff],
                                                client_as: Callable[[Role], Client]) -> None:
    clerk = staff_of(Role.COUNTER_CLERK).user
    admin = staff_of(Role.SYSTEM_ADMIN).user
    _locked(clerk)
    client = client_as(Role.SYSTEM_ADMIN)
    inventory = client.get(reverse("web:staff_inventory")).content.decode()
    assert _url(clerk) in inventory
    page = client.get(_url(clerk)).content.decode()
    assert "ロック中" in page and 'id="form-unlock"' in page and 'id="form-enable"' not in page

    done = client.post(_url(clerk), {"version": _v(clerk), "action": "unlock",
                                     "reason": "本人からの申出(パスワード失念)",
                                     "confirm": "on"})
    assert done.status_code == 302
    clerk.refresh_from_db()
    assert clerk.locked_until is None
    unlock = AuditEntry.objects.get(action="staff.unlock")
    assert unlock.actor == admin.username and unlock.detail["reason"] == "本人からの申出(パスワード失念)"

    assert client.post(_url(clerk), {"version": _v(clerk), "action": "disable", "reason": "異動",
                                     "request_ref": "R8-12",
                                     "confirm": "on"}).status_code == 302
    clerk.refresh_from_db()
    assert not clerk.is_active and clerk.disabled_at is not None
    assert "利用停止" in client.get(_url(clerk)).content.decode()
    assert AuditEntry.objects.get(action="staff.disable").detail["request_ref"] == "R8-12"

    assert client.post(_url(clerk), {"version": _v(clerk), "action": "enable", "reason": "誤って停止したため",
                                     "confirm": "on"}).status_code == 302
    clerk.refresh_from_db()
    assert clerk.is_active and clerk.disabled_at is None
    assert AuditEntry.objects.get(action="staff.enable").detail["reason"] == "誤って停止したため"


@pytest.mark.parametrize("data, message", [
    ({"action": "disable", "reason": "", "confirm": "on"}, "理由を入力してください"),
    ({"action": "disable", "reason": "退職"}, "確認欄にチェックしてください"),
    ({"action": "enable", "reason": "復帰", "confirm": "on"}, "その操作はできません"),
])
def test_missing_reason_or_confirmation_changes_nothing(data: dict[str, str], message: str,
                                                         staff_of: Callable[[Role], Staff],
                                                         client_as: Callable[[Role], Client]) -> None:
    clerk = staff_of(Role.COUNTER_CLERK).user
    client = client_as(Role.SYSTEM_ADMIN)
    before = AuditEntry.objects.count()
    response = client.post(_url(clerk), {**data, "version": _v(clerk)})
    assert response.status_code == 200
    assert message in response.content.decode()
    clerk.refresh_from_db()
    assert clerk.is_active
    assert AuditEntry.objects.count() == before


def test_an_administrator_cannot_stop_their_own_account(staff_of: Callable[[Role], Staff],
                                                        client_as: Callable[[Role], Client]) -> None:
    client = client_as(Role.SYSTEM_ADMIN)
    admin = staff_of(Role.SYSTEM_ADMIN).user
    response = client.post(_url(admin), {"version": _v(admin), "action": "disable", "reason": "試し",
                                         "confirm": "on"})
    assert response.status_code == 200 and "自分のアカウントは利用停止できません" in response.content.decode()
    admin.refresh_from_db()
    assert admin.is_active


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.COUNTER_CLERK, Role.AUDITOR])
def test_other_roles_are_refused(role: Role, staff_of: Callable[[Role], Staff],
                                 client_as: Callable[[Role], Client]) -> None:
    target = staff_of(Role.NUMBER_CLERK).user
    _locked(target)
    client = client_as(role)
    assert client.get(_url(target)).status_code == 403
    data = {"version": _v(target), "action": "unlock", "reason": "x", "confirm": "on"}
    assert client.post(_url(target), data).status_code == 403
    target.refresh_from_db()
    assert target.locked_until is not None
    assert not AuditEntry.objects.filter(action="staff.unlock").exists()
    assert AuditEntry.objects.filter(action="access.denied", target_id="web:staff_account").exists()
