"""WebAuthn credentials of staff accounts (issue 14 §5): registration by the owner (at enrolment and later on
their own screen), revocation by the owner or the administrator, and the sign-in step with a credential.

Every write audits in its transaction: staff.webauthn_register / staff.webauthn_register_failed /
staff.webauthn_revoke, and for sign-in the login.failed / login.succeeded rows of the TOTP step with
step "webauthn" (a counter that went backwards: reason sign_count_regressed). A refused sign-in step counts
towards the address throttle and the account's lock like a wrong TOTP code.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from kouki.accounts import webauthn_ceremony as ceremony
from kouki.accounts.models import StaffUser, WebAuthnChallenge, WebAuthnCredential
from kouki.accounts.webauthn_ceremony import CeremonyRefused
from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.core.config import access_config
from kouki.privacy.audit import audit_record
from kouki.privacy.context import Actor
from kouki.privacy.redaction import contains_personal_number
from kouki.staff.services import (
    LoginStep,
    _fail,
    _refused_locked,
    _throttled,
    signed_in,
)

MESSAGES = {
    "not_allowed": "この設定では生体認証(WebAuthn)は使えません",
    "challenge_used_or_expired": "登録の有効時間を過ぎたか、既に使われています。もう一度やり直してください",
    "malformed": "端末からの応答を読み取れませんでした。もう一度やり直してください",
    "invalid_registration": "端末の登録を確認できませんでした(生体認証を行ったか確かめてください)",
    "duplicate": "この端末の認証器は既に登録されています",
}


class KeyRefused(ValueError):
    """A registration or revocation refused; the message (Japanese) says why, `field` where."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def clean_name(name: str, user: StaffUser) -> str:
    """The 端末名 as stored: 1–40 characters, no personal number, unique among the account's active keys."""
    text = " ".join(name.split())
    if not text:
        raise KeyRefused("端末名を入力してください(例: 浦和区 窓口3番)", "name")
    if len(text) > ceremony.NAME_MAX:
        raise KeyRefused(f"端末名は{ceremony.NAME_MAX}文字以内にしてください", "name")
    if contains_personal_number(text):
        raise KeyRefused("端末名に個人番号のような数字は使えません", "name")
    if WebAuthnCredential.objects.filter(user=user, name=text, revoked_at__isnull=True).exists():
        raise KeyRefused("同じ端末名の登録が既にあります。別の名前にしてください", "name")
    return text


def _register_failed(actor: Actor, user: StaffUser, reason: str, via: str) -> None:
    audit_record(actor=actor, action=AuditAction.STAFF_WEBAUTHN_REGISTER_FAILED,
                 target_type=AuditTarget.STAFF, target_id=str(user.pk), detail={"reason": reason, "via": via})


def store_credential(
    *, actor: Actor, user: StaffUser, challenge_id: int, response_json: str, name: str, via: str
) -> WebAuthnCredential:
    """Check the browser's registration response against the account's challenge and store the credential
    with its audit row. Call inside a transaction; KeyRefused (nothing stored, the refusal audited by the
    caller's `refused_registration`) otherwise. `via`: "own_screen" or "enrolment"."""
    if not access_config().webauthn_allowed:
        raise KeyRefused(MESSAGES["not_allowed"], "not_allowed")
    label = clean_name(name, user)
    try:
        challenge = ceremony.consume_challenge(user, challenge_id, "register")
        new = ceremony.verify_registration(ceremony.parse_response(response_json), challenge)
    except CeremonyRefused as exc:
        raise KeyRefused(MESSAGES.get(exc.reason, MESSAGES["invalid_registration"]), exc.reason) from None
    if WebAuthnCredential.objects.filter(credential_id=new.credential_id).exists():
        raise KeyRefused(MESSAGES["duplicate"], "duplicate")
    credential = WebAuthnCredential.objects.create(
        user=user, name=label, credential_id=new.credential_id, public_key=new.public_key,
        sign_count=new.sign_count, aaguid=new.aaguid, transports=new.transports, created_at=timezone.now(),
    )
    audit_record(actor=actor, action=AuditAction.STAFF_WEBAUTHN_REGISTER, target_type=AuditTarget.STAFF,
                 target_id=str(user.pk),
                 detail={"credential": credential.pk, "name": label, "via": via})  # AAGUID on the row only
    return credential


KEY_REASONS = frozenset({
    "name", "not_allowed", "challenge_used_or_expired", "malformed", "invalid_registration", "duplicate",
})


def refused_registration(actor: Actor, user: StaffUser, reason: str, via: str, challenge_id: int) -> None:
    """After a refused registration (its transaction rolled back): the challenge is used up all the same
    (one response per challenge) and the refusal audited."""
    with transaction.atomic():
        WebAuthnChallenge.objects.filter(pk=challenge_id, used_at__isnull=True).update(used_at=timezone.now())
        _register_failed(actor, user, reason, via)


def key_register(
    *, actor: Actor, user_id: int, challenge_id: int, response_json: str, name: str
) -> WebAuthnCredential:
    """The signed-in owner registers this terminal's authenticator (their own screen)."""
    user = StaffUser.objects.get(pk=user_id, is_active=True)
    try:
        with transaction.atomic():
            return store_credential(actor=actor, user=user, challenge_id=challenge_id,
                                    response_json=response_json, name=name, via="own_screen")
    except KeyRefused as exc:
        refused_registration(actor, user, exc.field or "refused", "own_screen", challenge_id)
        raise


def key_revoke(*, actor: Actor, user_id: int, credential_id: int, reason: str) -> WebAuthnCredential:
    """Revoke one credential of the account `user_id` (by its owner: a terminal given up; by the
    administrator: a lost or replaced terminal). It no longer signs in; the row stays on file."""
    why = " ".join(reason.split())[:200]
    if not why:
        raise KeyRefused("失効の理由を入力してください", "reason")
    if contains_personal_number(why):
        raise KeyRefused("理由に個人番号のような数字は使えません", "reason")
    with transaction.atomic():
        rows = WebAuthnCredential.objects.select_for_update()
        credential = rows.filter(pk=credential_id, user_id=user_id).first()
        if credential is None:
            raise KeyRefused("その登録はありません")
        if credential.revoked_at is not None:
            raise KeyRefused("その登録は既に失効しています")
        credential.revoked_at = timezone.now()
        credential.revoked_by_id = actor.user_id
        credential.revoke_reason = why
        credential.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
        audit_record(actor=actor, action=AuditAction.STAFF_WEBAUTHN_REVOKE, target_type=AuditTarget.STAFF,
                     target_id=str(user_id),
                     detail={"credential": credential.pk, "name": credential.name, "reason": why,
                             "by": "owner" if actor.user_id == user_id else "administrator"})
    return credential


def revoke_all(actor: Actor, user: StaffUser, reason: str) -> int:
    """Every active credential of `user` revoked (re-enrolment); one audit row each. In the caller's
    transaction."""
    count = 0
    for credential in ceremony.active_credentials(user):
        credential.revoked_at = timezone.now()
        credential.revoked_by_id = actor.user_id
        credential.revoke_reason = reason[:200]
        credential.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
        audit_record(actor=actor, action=AuditAction.STAFF_WEBAUTHN_REVOKE, target_type=AuditTarget.STAFF,
                     target_id=str(user.pk),
                     detail={"credential": credential.pk, "name": credential.name, "reason": reason[:200],
                             "by": "administrator"})
        count += 1
    return count


def login_webauthn_verify(
    *, actor: Actor, user_id: int, challenge_id: int, response_json: str, address: str = ""
) -> LoginStep:
    """Second factor with a credential. OK means both factors passed: the caller signs the session in."""
    with transaction.atomic():
        refused = _throttled(actor, address, "webauthn")
        if refused is not None:
            return refused
        user = StaffUser.objects.select_for_update().filter(pk=user_id).first()
        if user is None or not user.is_active:
            return _fail(actor, user, "webauthn", "disabled", address)
        locked = _refused_locked(actor, user, "webauthn", address)
        if locked is not None:
            return locked
        if not access_config().webauthn_allowed:
            return _fail(actor, user, "webauthn", "factor_not_allowed", address)
        try:
            challenge = ceremony.consume_challenge(user, challenge_id, "login")
            assertion = ceremony.verify_assertion(user, ceremony.parse_response(response_json), challenge)
        except CeremonyRefused as exc:
            # sign_count_regressed: a validly signed assertion whose counter went backwards — a copy of the
            # authenticator may exist; the row names the credential so the administrator can revoke it
            return _fail(actor, user, "webauthn", exc.reason, address, exc.detail)
        credential = assertion.credential
        credential.sign_count = assertion.new_sign_count
        credential.last_used_at = timezone.now()
        credential.save(update_fields=["sign_count", "last_used_at"])
        return signed_in(actor, user, address, {"factor": "webauthn", "credential": credential.pk})

