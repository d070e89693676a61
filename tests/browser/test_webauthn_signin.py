"""Issue 14 §5 in a real browser (Debian chromium through Playwright) with Chromium's virtual authenticator
(CDP WebAuthn domain: a platform authenticator, ctap2, internal transport, user verification): a member of
staff registers this terminal on 生体認証の端末, signs out, and signs in with password + the authenticator;
a revoked credential is refused; a new member enrols with the authenticator only (KOUKI_SECOND_FACTORS
webauthn). The browser talks to http://localhost (a secure context; the RP ID is localhost)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from factories import Staff
from playwright.sync_api import CDPSession, Page

from browser.browser_signin import sign_in, sign_out
from kouki.accounts.models import StaffUser, WebAuthnCredential
from kouki.accounts.permissions import Role
from kouki.privacy.context import Actor
from kouki.privacy.models import AuditEntry
from kouki.staff.enrol import staff_register
from kouki.staff.webauthn_keys import key_revoke

pytestmark = pytest.mark.browser
PASSWORD = "quiet-orchard-after-rain-31"


def virtual_authenticator(page: Page) -> tuple[CDPSession, str]:
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True, "hasUserVerification": True,
        "isUserVerified": True, "automaticPresenceSimulation": True}})
    return cdp, str(added["authenticatorId"])


@pytest.fixture
def base(live_server: Any, settings: Any) -> str:
    url = str(live_server).replace("127.0.0.1", "localhost")
    assert url.startswith("http://localhost:")
    settings.KOUKI_WEBAUTHN_RP_ID = "localhost"
    settings.KOUKI_WEBAUTHN_ORIGINS = url
    return url


def password_step(page: Page, base: str, username: str, password: str) -> None:
    page.goto(base + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")


def register_this_terminal(page: Page, base: str, name: str) -> None:
    page.goto(base + "/account/keys/")
    page.fill("#id_name", name)
    page.click("#webauthn-start")
    page.wait_for_selector(f"#keys >> text={name}")
    assert "として登録しました" in page.inner_text("main")


def test_register_this_terminal_then_sign_in_with_it(
    transactional_db: None, base: str, page: Page, staff_of: Callable[[Role], Staff]
) -> None:
    clerk = staff_of(Role.COUNTER_CLERK)
    cdp, authenticator = virtual_authenticator(page)
    sign_in(page, base, clerk)  # TOTP: nothing registered yet
    register_this_terminal(page, base, "浦和区 窓口3番")
    stored = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]
    credential = WebAuthnCredential.objects.get(user=clerk.user)
    assert [c["credentialId"].rstrip("=").replace("+", "-").replace("/", "_") for c in stored] == [
        credential.credential_id]
    sign_out(page)

    password_step(page, base, clerk.user.username, clerk.password)
    page.wait_for_url("**/login/webauthn/")
    assert page.is_visible("#use-totp")  # TOTP stays the fallback (KOUKI_SECOND_FACTORS both)
    page.click("#webauthn-start")
    page.wait_for_url(base + "/")
    assert clerk.user.staff_name in page.inner_text("header")
    entry = AuditEntry.objects.filter(action="login.succeeded").order_by("-seq").first()
    assert entry is not None and entry.detail["factor"] == "webauthn"
    credential.refresh_from_db()
    assert credential.sign_count >= 1 and credential.last_used_at is not None

    page.goto(base + "/account/keys/")  # the owner revokes it
    page.fill(f"#revoke-{credential.pk} input[name=reason]", "端末の交換")
    page.check(f"#revoke-{credential.pk} input[name=confirm]")
    page.click(f"#revoke-{credential.pk} button[type=submit]")
    assert "失効させました" in page.inner_text("main")
    sign_out(page)
    password_step(page, base, clerk.user.username, clerk.password)
    page.wait_for_url("**/login/totp/")  # nothing active: the TOTP step


def test_a_revoked_credential_is_refused(
    transactional_db: None, base: str, page: Page, staff_of: Callable[[Role], Staff]
) -> None:
    clerk, admin = staff_of(Role.COUNTER_CLERK), staff_of(Role.SYSTEM_ADMIN)
    virtual_authenticator(page)
    sign_in(page, base, clerk)
    register_this_terminal(page, base, "窓口1番")
    sign_out(page)
    password_step(page, base, clerk.user.username, clerk.password)
    page.wait_for_url("**/login/webauthn/")
    credential = WebAuthnCredential.objects.get(user=clerk.user)
    # the terminal is reported lost while this page is open: the administrator revokes it
    key_revoke(actor=Actor(username=admin.user.username, terminal_id="ADMIN-1", user_id=admin.user.pk),
               user_id=clerk.user.pk, credential_id=credential.pk, reason="端末の紛失")
    page.click("#webauthn-start")
    page.wait_for_url("**/login/totp/")  # refused; nothing active is left, so the TOTP step (the fallback)
    assert "生体認証を確認できませんでした" in page.inner_text("main")
    assert clerk.user.staff_name not in page.inner_text("header")
    refused = AuditEntry.objects.filter(action="login.failed").order_by("-seq").first()
    assert refused is not None
    assert refused.detail == {"step": "webauthn", "reason": "unknown_or_revoked_credential"}


def test_the_administrator_revokes_from_the_account_screen(
    transactional_db: None, base: str, page: Page, staff_of: Callable[[Role], Staff]
) -> None:
    clerk, admin = staff_of(Role.COUNTER_CLERK), staff_of(Role.SYSTEM_ADMIN)
    virtual_authenticator(page)
    sign_in(page, base, clerk)
    register_this_terminal(page, base, "窓口2番")
    sign_out(page)
    credential = WebAuthnCredential.objects.get(user=clerk.user)
    sign_in(page, base, admin)
    page.goto(f"{base}/staff/{clerk.user.pk}/")
    assert "窓口2番" in page.inner_text("#keys")
    page.fill(f"#revoke-key-{credential.pk} input[name=reason]", "端末の紛失(本人から連絡)")
    page.check(f"#revoke-key-{credential.pk} input[name=confirm]")
    page.click(f"#revoke-key-{credential.pk} button[type=submit]")
    assert "失効" in page.inner_text("#keys")
    credential.refresh_from_db()
    assert credential.revoked_by_id == admin.user.pk
    entry = AuditEntry.objects.filter(action="staff.webauthn_revoke").get()
    assert entry.detail["by"] == "administrator" and entry.actor == admin.user.username


def test_enrolment_with_this_terminals_authenticator_only(
    transactional_db: None, base: str, page: Page, settings: Any
) -> None:
    settings.KOUKI_SECOND_FACTORS = "webauthn"
    done = staff_register(actor=Actor.system("tests"), username="ueno.rin", staff_name="上野 凛",
                          role=Role.COUNTER_CLERK, kessai_ref="浦和区保第31号")
    virtual_authenticator(page)
    page.goto(base + "/enrol/")
    page.fill("#id_username", "ueno.rin")
    page.fill("#id_code", done.code)
    page.click("main button[type=submit]")
    page.wait_for_url("**/enrol/setup/")
    assert not page.is_visible("#secret")  # no TOTP under this policy
    page.fill("#id_key_name", "浦和区 窓口5番")
    page.click("#webauthn-start")
    page.wait_for_function("document.getElementById('webauthn-credential').value.length > 0")
    page.fill("#id_password", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/login/")
    assert "登録が完了しました" in page.inner_text("main")
    user = StaffUser.objects.get(username="ueno.rin")
    assert not user.totp_secret and WebAuthnCredential.objects.get(user=user).name == "浦和区 窓口5番"

    password_step(page, base, "ueno.rin", PASSWORD)
    page.wait_for_url("**/login/webauthn/")
    assert not page.is_visible("#use-totp")
    page.click("#webauthn-start")
    page.wait_for_url(base + "/")
    assert re.search("上野 凛", page.inner_text("header"))
