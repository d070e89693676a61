"""Issue 14 §3: sign-in throttled per client address. The probe of the issue — 48 failed logins from one
client in seconds, four tries per user name to stay under the account lockout — is stopped at the
address's limit; the accounts it tried are not locked by it; another address signs in normally; every
refusal is audited without revealing whether a user name exists."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client
from factories import Staff

from kouki.accounts.models import StaffUser
from kouki.accounts.permissions import Role
from kouki.privacy.models import AuditEntry
from web.test_login import password_step, signed_in, totp_step

LIMIT = 8


def test_one_address_is_stopped_at_its_limit_and_locks_nobody(
    staff_of: Callable[[Role], Staff], settings: Any
) -> None:
    settings.KOUKI_LOGIN_ADDRESS_LIMIT = LIMIT
    staff = staff_of(Role.COUNTER_CLERK)
    attacker = Client(REMOTE_ADDR="10.6.6.6")
    names = [staff.user.username, "nobody.here", "sato.x", "suzuki.y"]
    pages = []
    for n in range(12):  # three tries per name: under the account lockout of 5
        response = attacker.post("/login/", {"username": names[n % 4], "password": "wrong-password-xyz"})
        pages.append(response.content.decode())
    assert all("職員IDまたはパスワードが正しくありません" in p for p in pages[:LIMIT])
    refused = pages[LIMIT:]
    assert all("この端末からの認証の失敗が続いたため" in p for p in refused)
    # the same refusal for a real and an unknown name (names[0] and names[1]): nothing to enumerate
    assert not any("ロック" in p or "正しくありません" in p for p in refused)
    # even the right password is refused from that address, before it is checked
    page = password_step(attacker, staff)
    assert "この端末からの認証の失敗が続いたため" in page and not signed_in(attacker)
    user = StaffUser.objects.get(pk=staff.user.pk)
    assert user.locked_until is None
    throttled = AuditEntry.objects.filter(action="login.throttled")
    assert throttled.count() == 12 - LIMIT + 1
    assert {e.detail["address"] for e in throttled} == {"10.6.6.6"}
    # the clerk at another terminal signs in as usual
    desk = Client(REMOTE_ADDR="10.1.2.3")
    assert password_step(desk, staff) == "/login/totp/"
    status, _ = totp_step(desk, staff.code())
    assert status == 302 and signed_in(desk)


def test_the_throttle_forgets_after_its_window(staff_of: Callable[[Role], Staff], settings: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from kouki.accounts.models import LoginFailure

    settings.KOUKI_LOGIN_ADDRESS_LIMIT = 2
    settings.KOUKI_LOGIN_ADDRESS_WINDOW = 60
    staff = staff_of(Role.COUNTER_CLERK)
    client = Client(REMOTE_ADDR="10.7.7.7")
    for _ in range(2):
        password_step(client, staff, password="wrong-password-xyz")
    assert "この端末からの認証の失敗が続いたため" in password_step(client, staff)
    LoginFailure.objects.update(failed_at=timezone.now() - timedelta(seconds=61))
    assert password_step(client, staff) == "/login/totp/"
