"""Issue 14 §5: WebAuthn credentials as the second factor, with py_webauthn checking responses of a software
authenticator (tests/accounts/soft_authenticator.py): registration, sign-in, several credentials per account,
revocation by the owner and the administrator, the sign counter, single-use expiring challenges, the RP ID
and origin, the KOUKI_SECOND_FACTORS policy — and the audit row of each."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from factories import Staff, make_staff, personal_number

from kouki.accounts import enrolment
from kouki.accounts.models import StaffUser, WebAuthnChallenge, WebAuthnCredential
from kouki.accounts.permissions import Role
from kouki.accounts.webauthn_ceremony import authentication_options, counter_ok, registration_options
from kouki.core.config import ConfigError, access_config
from kouki.privacy.audit import verify_chain
from kouki.privacy.context import Actor
from kouki.privacy.models import AuditEntry
from kouki.staff.enrol import EnrolmentRefused, KeyEnrolment, enrol_complete, staff_reissue_code
from kouki.staff.services import LoginOutcome, login_password_verify, login_totp_verify
from kouki.staff.webauthn_keys import KeyRefused, key_register, key_revoke, login_webauthn_verify

from .soft_authenticator import SoftAuthenticator

pytestmark = pytest.mark.django_db
ADMIN = Actor(username="admin.tester", terminal_id="cli", user_id=None)
ADDRESS = "10.0.0.7"


def owner(staff: Staff) -> Actor:
    return Actor(username=staff.user.username, terminal_id="URAWA-07", user_id=staff.user.pk)


def register(staff: Staff, device: SoftAuthenticator, name: str = "浦和区 窓口3番") -> WebAuthnCredential:
    issued = registration_options(staff.user)
    return key_register(actor=owner(staff), user_id=staff.user.pk, challenge_id=issued.challenge_id,
                        response_json=device.create(issued.options_json), name=name)


def attempt(staff: Staff, challenge_id: int, response_json: str) -> LoginOutcome:
    return login_webauthn_verify(actor=owner(staff), user_id=staff.user.pk, challenge_id=challenge_id,
                                 response_json=response_json, address=ADDRESS).outcome


def sign_in(staff: Staff, device: SoftAuthenticator, **get: Any) -> LoginOutcome:
    issued = authentication_options(staff.user)
    return attempt(staff, issued.challenge_id, device.get(issued.options_json, **get))


def last(action: str) -> AuditEntry:
    return AuditEntry.objects.filter(action=action).order_by("-seq").first()  # type: ignore[return-value]


@pytest.fixture
def clerk() -> Staff:
    return make_staff(Role.COUNTER_CLERK)


def test_register_then_sign_in_with_the_credential(clerk: Staff) -> None:
    device = SoftAuthenticator()
    credential = register(clerk, device)
    assert credential.name == "浦和区 窓口3番" and credential.credential_id == device.id
    assert last("staff.webauthn_register").detail == {
        "credential": credential.pk, "name": "浦和区 窓口3番", "via": "own_screen"}
    assert credential.aaguid == "00000000-0000-0000-0000-000000000000"
    assert sign_in(clerk, device) is LoginOutcome.OK
    credential.refresh_from_db()
    assert credential.sign_count == 1 and credential.last_used_at is not None
    entry = last("login.succeeded")
    assert entry.detail["factor"] == "webauthn" and entry.detail["credential"] == credential.pk
    assert list(verify_chain()) == []


def test_registration_options_ask_for_this_terminals_verified_authenticator(clerk: Staff) -> None:
    import json

    register(clerk, SoftAuthenticator())
    options = json.loads(registration_options(clerk.user).options_json)
    assert options["rp"] == {"name": "kouki", "id": "localhost"}
    assert options["authenticatorSelection"]["authenticatorAttachment"] == "platform"
    assert options["authenticatorSelection"]["userVerification"] == "required"
    assert [c["id"] for c in options["excludeCredentials"]] == [
        WebAuthnCredential.objects.get(user=clerk.user).credential_id]
    assert options["user"]["name"] == clerk.user.username
    assert options["user"]["id"] != clerk.user.username  # a random handle, not the ID


def test_several_named_credentials_each_sign_in(clerk: Staff) -> None:
    desk, office = SoftAuthenticator(), SoftAuthenticator()
    register(clerk, desk, "窓口3番")
    register(clerk, office, "事務室 2")
    assert sign_in(clerk, desk) is LoginOutcome.OK
    assert sign_in(clerk, office) is LoginOutcome.OK
    with pytest.raises(KeyRefused, match="同じ端末名"):
        register(clerk, SoftAuthenticator(), "窓口3番")
    assert last("staff.webauthn_register_failed").detail == {"reason": "name", "via": "own_screen"}


def test_a_name_like_a_personal_number_is_refused(clerk: Staff) -> None:
    number = personal_number()
    spaced = f"{number[:4]} {number[4:8]} {number[8:]}"
    with pytest.raises(KeyRefused, match="個人番号"):
        register(clerk, SoftAuthenticator(), f"端末 {spaced}")
    assert not WebAuthnCredential.objects.exists()


def test_the_same_authenticator_is_not_registered_twice(clerk: Staff) -> None:
    device = SoftAuthenticator()
    register(clerk, device)
    with pytest.raises(KeyRefused, match="既に登録"):
        register(clerk, device, "別の名前")


def test_a_challenge_serves_one_response_only(clerk: Staff) -> None:
    device = SoftAuthenticator()
    register(clerk, device)
    issued = authentication_options(clerk.user)
    first = device.get(issued.options_json)
    verify = login_webauthn_verify
    assert verify(actor=owner(clerk), user_id=clerk.user.pk, challenge_id=issued.challenge_id,
                  response_json=first, address=ADDRESS).outcome is LoginOutcome.OK
    again = verify(actor=owner(clerk), user_id=clerk.user.pk, challenge_id=issued.challenge_id,
                   response_json=device.get(issued.options_json), address=ADDRESS)
    assert again.outcome is LoginOutcome.BAD_CREDENTIALS
    assert last("login.failed").detail == {"step": "webauthn", "reason": "challenge_used_or_expired"}


def test_an_expired_challenge_is_refused(clerk: Staff) -> None:
    device = SoftAuthenticator()
    register(clerk, device)
    issued = authentication_options(clerk.user)
    past = timezone.now() - timedelta(seconds=1)
    WebAuthnChallenge.objects.filter(pk=issued.challenge_id).update(expires_at=past)
    outcome = attempt(clerk, issued.challenge_id, device.get(issued.options_json))
    assert outcome is LoginOutcome.BAD_CREDENTIALS
    assert last("login.failed").detail["reason"] == "challenge_used_or_expired"


def test_a_newer_page_voids_the_older_challenge(clerk: Staff) -> None:
    device = SoftAuthenticator()
    register(clerk, device)
    older = authentication_options(clerk.user)
    authentication_options(clerk.user)
    outcome = attempt(clerk, older.challenge_id, device.get(older.options_json))
    assert outcome is LoginOutcome.BAD_CREDENTIALS


def test_another_accounts_challenge_is_refused(clerk: Staff) -> None:
    other = make_staff(Role.COUNTER_CLERK)
    device = SoftAuthenticator()
    register(clerk, device)
    issued = authentication_options(other.user)
    outcome = attempt(clerk, issued.challenge_id, device.get(issued.options_json))
    assert outcome is LoginOutcome.BAD_CREDENTIALS


def test_a_counter_that_goes_backwards_is_refused_and_audited(clerk: Staff) -> None:
    device = SoftAuthenticator()
    credential = register(clerk, device)
    assert sign_in(clerk, device, counter=7) is LoginOutcome.OK
    assert sign_in(clerk, device, counter=7) is LoginOutcome.BAD_CREDENTIALS  # not greater: a copy?
    assert last("login.failed").detail == {
        "step": "webauthn", "reason": "sign_count_regressed", "credential": credential.pk,
        "name": "浦和区 窓口3番", "stored_count": 7, "received_count": 7}
    assert sign_in(clerk, device, counter=3) is LoginOutcome.BAD_CREDENTIALS
    credential.refresh_from_db()
    assert credential.sign_count == 7
    assert sign_in(clerk, device, counter=8) is LoginOutcome.OK


@pytest.mark.parametrize(("stored", "received", "ok"), [
    (0, 0, True),  # an authenticator without a counter (WebAuthn §6.1.1)
    (0, 1, True), (5, 6, True), (5, 5, False), (5, 4, False), (5, 0, False), (0, 2**32 - 1, True),
])
def test_counter_rule(stored: int, received: int, ok: bool) -> None:
    assert counter_ok(stored, received) is ok


def test_a_revoked_credential_no_longer_signs_in(clerk: Staff) -> None:
    desk, spare = SoftAuthenticator(), SoftAuthenticator()
    credential = register(clerk, desk)
    register(clerk, spare, "予備")
    key_revoke(actor=owner(clerk), user_id=clerk.user.pk, credential_id=credential.pk, reason="端末の交換")
    assert last("staff.webauthn_revoke").detail == {
        "credential": credential.pk, "name": "浦和区 窓口3番", "reason": "端末の交換", "by": "owner"}
    assert sign_in(clerk, desk) is LoginOutcome.BAD_CREDENTIALS
    assert last("login.failed").detail == {"step": "webauthn", "reason": "unknown_or_revoked_credential"}
    assert sign_in(clerk, spare) is LoginOutcome.OK
    with pytest.raises(KeyRefused, match="既に失効"):
        key_revoke(actor=owner(clerk), user_id=clerk.user.pk, credential_id=credential.pk, reason="再度")


def test_the_administrator_revokes_a_lost_terminal(clerk: Staff) -> None:
    admin = make_staff(Role.SYSTEM_ADMIN)
    device = SoftAuthenticator()
    credential = register(clerk, device)
    key_revoke(actor=owner(admin), user_id=clerk.user.pk, credential_id=credential.pk, reason="端末の紛失")
    credential.refresh_from_db()
    assert credential.revoked_by_id == admin.user.pk and credential.revoke_reason == "端末の紛失"
    assert last("staff.webauthn_revoke").detail["by"] == "administrator"
    assert sign_in(clerk, device) is LoginOutcome.BAD_CREDENTIALS
    with pytest.raises(KeyRefused, match="理由"):
        key_revoke(actor=owner(admin), user_id=clerk.user.pk, credential_id=credential.pk, reason=" ")
    with pytest.raises(KeyRefused, match="ありません"):  # another account's credential, by its id
        key_revoke(actor=owner(admin), user_id=admin.user.pk, credential_id=credential.pk, reason="x")


def test_another_origin_or_rp_id_is_refused(clerk: Staff) -> None:
    with pytest.raises(KeyRefused):
        register(clerk, SoftAuthenticator(origin="https://evil.example"))
    assert last("staff.webauthn_register_failed").detail["reason"] == "invalid_registration"
    device = SoftAuthenticator()
    register(clerk, device)
    assert sign_in(clerk, SoftAuthenticator(origin="https://evil.example", credential_id=device.credential_id,
                                            key=device.key)) is LoginOutcome.BAD_CREDENTIALS
    assert sign_in(clerk, device, rp_id="evil.example") is LoginOutcome.BAD_CREDENTIALS
    assert last("login.failed").detail["reason"] == "invalid_assertion"


def test_a_signature_by_another_key_is_refused(clerk: Staff) -> None:
    device = SoftAuthenticator()
    register(clerk, device)
    forged = SoftAuthenticator(credential_id=device.credential_id)  # same id, another key
    assert sign_in(clerk, forged) is LoginOutcome.BAD_CREDENTIALS
    assert last("login.failed").detail["reason"] == "invalid_assertion"


def test_without_user_verification_nothing_passes(clerk: Staff) -> None:
    with pytest.raises(KeyRefused):
        register(clerk, SoftAuthenticator(user_verified=False))
    device = SoftAuthenticator()
    register(clerk, device)
    device.user_verified = False
    assert sign_in(clerk, device) is LoginOutcome.BAD_CREDENTIALS


def test_a_refused_registration_uses_its_challenge_up(clerk: Staff) -> None:
    issued = registration_options(clerk.user)
    bad = SoftAuthenticator(origin="https://evil.example")
    with pytest.raises(KeyRefused):
        key_register(actor=owner(clerk), user_id=clerk.user.pk, challenge_id=issued.challenge_id,
                     response_json=bad.create(issued.options_json), name="端末")
    with pytest.raises(KeyRefused, match="有効時間"):
        key_register(actor=owner(clerk), user_id=clerk.user.pk, challenge_id=issued.challenge_id,
                     response_json=SoftAuthenticator().create(issued.options_json), name="端末")


def test_failed_steps_count_towards_the_lock(clerk: Staff, settings: Any) -> None:
    settings.KOUKI_LOCKOUT_THRESHOLD = 2
    device = SoftAuthenticator()
    register(clerk, device)
    forged = SoftAuthenticator(credential_id=device.credential_id)
    assert sign_in(clerk, forged) is LoginOutcome.BAD_CREDENTIALS
    assert sign_in(clerk, forged) is LoginOutcome.BAD_CREDENTIALS
    assert sign_in(clerk, device) is LoginOutcome.LOCKED
    assert last("login.refused_locked").detail["step"] == "webauthn"


# --- policy: KOUKI_SECOND_FACTORS --------------------------------------------------------------------


def test_policy_setting_is_parsed(settings: Any) -> None:
    assert access_config().second_factors == {"webauthn", "totp"}
    settings.KOUKI_SECOND_FACTORS = "totp"
    assert access_config().second_factors == {"totp"} and not access_config().webauthn_allowed
    settings.KOUKI_SECOND_FACTORS = "WebAuthn"
    assert access_config().second_factors == {"webauthn"}
    settings.KOUKI_SECOND_FACTORS = "sms"
    with pytest.raises(ConfigError, match="KOUKI_SECOND_FACTORS"):
        access_config()
    settings.KOUKI_SECOND_FACTORS = "totp"
    settings.KOUKI_WEBAUTHN_ORIGINS = "kouki.example"
    with pytest.raises(ConfigError, match="KOUKI_WEBAUTHN_ORIGINS"):
        access_config()
    settings.KOUKI_WEBAUTHN_ORIGINS = "https://kouki.city.example, https://kouki.city.example:8443/"
    assert access_config().webauthn_origins == ("https://kouki.city.example", "https://kouki.city.example:8443")


def test_totp_only_refuses_webauthn(clerk: Staff, settings: Any) -> None:
    device = SoftAuthenticator()
    register(clerk, device)
    settings.KOUKI_SECOND_FACTORS = "totp"
    assert sign_in(clerk, device) is LoginOutcome.BAD_CREDENTIALS
    assert last("login.failed").detail["reason"] == "factor_not_allowed"
    with pytest.raises(KeyRefused, match="使えません"):
        register(clerk, SoftAuthenticator(), "別")


def test_webauthn_only_refuses_totp_and_needs_a_credential(clerk: Staff, settings: Any) -> None:
    settings.KOUKI_SECOND_FACTORS = "webauthn"
    actor = owner(clerk)
    step = login_password_verify(actor=actor, password=clerk.password, address=ADDRESS)
    assert step.outcome is LoginOutcome.NO_SECOND_FACTOR  # a TOTP secret alone does not do
    step = login_totp_verify(actor=actor, user_id=clerk.user.pk, code=clerk.code(), address=ADDRESS)
    assert step.outcome is LoginOutcome.BAD_CREDENTIALS
    assert last("login.failed").detail["reason"] == "factor_not_allowed"
    register(clerk, SoftAuthenticator())
    step = login_password_verify(actor=actor, password=clerk.password, address=ADDRESS)
    assert step.outcome is LoginOutcome.OK


def test_both_allowed_totp_is_the_fallback(clerk: Staff) -> None:
    register(clerk, SoftAuthenticator())
    step = login_totp_verify(actor=owner(clerk), user_id=clerk.user.pk, code=clerk.code(), address=ADDRESS)
    assert step.outcome is LoginOutcome.OK
    assert last("login.succeeded").detail["factor"] == "totp"


# --- enrolment and re-enrolment -------------------------------------------------------------------------


def _registered(role: Role = Role.COUNTER_CLERK) -> tuple[StaffUser, str]:
    from kouki.staff.enrol import staff_register

    done = staff_register(actor=ADMIN, username="mori.aoi", staff_name="森 葵", role=role,
                          kessai_ref="保第5号")
    return done.user, done.code


PASSWORD = "quiet-orchard-after-rain-31"


def test_enrolment_with_this_terminals_authenticator_only(settings: Any) -> None:
    settings.KOUKI_SECOND_FACTORS = "webauthn"
    user, code = _registered()
    device = SoftAuthenticator()
    issued = registration_options(user)
    actor = Actor(username=user.username, terminal_id="URAWA-07")
    with pytest.raises(EnrolmentRefused, match="生体認証を登録"):
        enrol_complete(actor=actor, username=user.username, code=code, password=PASSWORD, secret="",
                       totp_code="123456")
    enrol_complete(actor=actor, username=user.username, code=code, password=PASSWORD, secret="", totp_code="",
                   key=KeyEnrolment(issued.challenge_id, device.create(issued.options_json), "窓口1番"))
    user.refresh_from_db()
    assert user.check_password(PASSWORD) and not user.totp_secret
    assert WebAuthnCredential.objects.get(user=user).name == "窓口1番"
    assert last("staff.enrol").detail["factors"] == ["webauthn"]
    assert last("staff.webauthn_register").detail["via"] == "enrolment"
    assert enrolment.valid_code(user.username, code) is None  # used up
    staff = Staff(user=user, secret="", password=PASSWORD)
    assert sign_in(staff, device) is LoginOutcome.OK


def test_a_refused_key_at_enrolment_stores_nothing() -> None:
    user, code = _registered()
    issued = registration_options(user)
    bad = SoftAuthenticator(origin="https://evil.example")
    actor = Actor(username=user.username, terminal_id="URAWA-07")
    key = KeyEnrolment(issued.challenge_id, bad.create(issued.options_json), "窓口1番")
    with pytest.raises(EnrolmentRefused) as refused:
        enrol_complete(actor=actor, username=user.username, code=code, password=PASSWORD, secret="",
                       totp_code="", key=key)
    assert refused.value.field == "webauthn"
    user.refresh_from_db()
    assert not user.has_usable_password() and not WebAuthnCredential.objects.exists()
    assert enrolment.valid_code(user.username, code) is not None  # the code is still there to try again
    refusal = last("staff.webauthn_register_failed")
    assert refusal.detail == {"reason": "invalid_registration", "via": "enrolment"}


def test_reissuing_the_code_revokes_every_credential(clerk: Staff) -> None:
    device = SoftAuthenticator()
    register(clerk, device)
    register(clerk, SoftAuthenticator(), "予備")
    staff_reissue_code(actor=ADMIN, username=clerk.user.username, reason="端末と認証アプリの紛失")
    assert not WebAuthnCredential.objects.filter(user=clerk.user, revoked_at__isnull=True).exists()
    assert AuditEntry.objects.filter(action="staff.webauthn_revoke").count() == 2
    assert sign_in(clerk, device) is LoginOutcome.BAD_CREDENTIALS


def test_the_inventory_counts_registered_terminals(settings: Any) -> None:
    from kouki.accounts.selectors import staff_inventory

    settings.KOUKI_SECOND_FACTORS = "webauthn"
    user, code = _registered()
    (row,) = [r for r in staff_inventory() if r.username == user.username]
    assert not row.second_factor and row.awaiting_enrolment
    issued = registration_options(user)
    key = KeyEnrolment(issued.challenge_id, SoftAuthenticator().create(issued.options_json), "窓口")
    enrol_complete(actor=Actor(username=user.username, terminal_id="T"), username=user.username, code=code,
                   password=PASSWORD, secret="", totp_code="", key=key)
    (row,) = [r for r in staff_inventory() if r.username == user.username]
    assert row.second_factor and row.webauthn_keys == 1 and not row.totp_confirmed
