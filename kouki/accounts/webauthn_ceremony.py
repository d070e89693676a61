"""WebAuthn ceremonies (issue 14 §5) with py_webauthn: the options handed to the browser, single-use expiring
challenges, and the checks of what the browser sends back. No audit here: kouki.staff.webauthn_keys calls
these inside its transactions and writes the rows.

- The relying party is configuration (KOUKI_WEBAUTHN_RP_ID, KOUKI_WEBAUTHN_ORIGINS): the host name and
  the origins the staff reach kouki at; a response from any other origin or for any other RP ID is refused.
- Platform authenticators with user verification (fingerprint or face on the terminal): registration asks
  for `platform` attachment and `required` user verification; a response without UV is refused.
- A challenge row is consumed by a conditional UPDATE before the response is checked, so it serves one
  response only, even to two simultaneous requests; after KOUKI_WEBAUTHN_CHALLENGE_SECONDS it is refused.
- The sign counter: py_webauthn is given 0 (its own check off) and `counter_ok` decides after the signature
  has been verified, so a counter that goes backwards (a cloned authenticator) is told apart and audited.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorAttachment,
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from kouki.accounts.models import StaffUser, WebAuthnChallenge, WebAuthnCredential
from kouki.core.config import access_config

TIMEOUT_MS = 120_000
NAME_MAX = 40


class CeremonyRefused(ValueError):
    """A response that does not pass; `reason` is a short code for the audit row (no key material)."""

    def __init__(self, reason: str, detail: dict[str, object] | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail or {}  # for the audit row: which credential, which counters


@dataclass(frozen=True)
class Issued:
    challenge_id: int
    options_json: str  # PublicKeyCredentialCreationOptionsJSON / …RequestOptionsJSON for the browser


@dataclass(frozen=True)
class NewCredential:
    credential_id: str  # base64url
    public_key: bytes
    sign_count: int
    aaguid: str
    transports: str


@dataclass(frozen=True)
class Assertion:
    credential: WebAuthnCredential
    new_sign_count: int


def active_credentials(user: StaffUser) -> list[WebAuthnCredential]:
    active = WebAuthnCredential.objects.filter(user=user, revoked_at__isnull=True)
    return list(active.order_by("created_at", "pk"))


def has_active_credential(user: StaffUser) -> bool:
    return WebAuthnCredential.objects.filter(user=user, revoked_at__isnull=True).exists()


def _issue(user: StaffUser, purpose: str, challenge: bytes, now: datetime) -> WebAuthnChallenge:
    WebAuthnChallenge.objects.filter(expires_at__lte=now).delete()
    # a newer challenge of the same purpose voids the account's older unused ones (one page at a time)
    WebAuthnChallenge.objects.filter(user=user, purpose=purpose, used_at__isnull=True).update(used_at=now)
    return WebAuthnChallenge.objects.create(
        user=user, purpose=purpose, challenge=bytes_to_base64url(challenge), issued_at=now,
        expires_at=now + timedelta(seconds=access_config().webauthn_challenge_seconds),
    )


def user_handle(user: StaffUser) -> bytes:
    """The account's random WebAuthn user handle (made and stored on first use)."""
    if not user.webauthn_handle:
        user.webauthn_handle = bytes_to_base64url(secrets.token_bytes(32))
        StaffUser.objects.filter(pk=user.pk, webauthn_handle="").update(webauthn_handle=user.webauthn_handle)
        user.refresh_from_db(fields=["webauthn_handle"])
    return base64url_to_bytes(user.webauthn_handle)


def _descriptors(user: StaffUser) -> list[PublicKeyCredentialDescriptor]:
    out = []
    for cred in active_credentials(user):
        transports = [AuthenticatorTransport(t) for t in cred.transports.split(",") if t in _TRANSPORTS]
        out.append(PublicKeyCredentialDescriptor(id=base64url_to_bytes(cred.credential_id),
                                                 transports=transports or None))
    return out


_TRANSPORTS = frozenset(t.value for t in AuthenticatorTransport)


def registration_options(user: StaffUser, now: datetime | None = None) -> Issued:
    """Options for navigator.credentials.create(): this terminal's platform authenticator, with user
    verification; the account's credentials are excluded (one registration per authenticator)."""
    config = access_config()
    challenge = secrets.token_bytes(32)
    options = generate_registration_options(
        rp_id=config.webauthn_rp_id, rp_name=config.webauthn_rp_name, user_name=user.username,
        user_id=user_handle(user), user_display_name=user.staff_name or user.username, challenge=challenge,
        timeout=TIMEOUT_MS,
        authenticator_selection=AuthenticatorSelectionCriteria(
            authenticator_attachment=AuthenticatorAttachment.PLATFORM,
            resident_key=ResidentKeyRequirement.DISCOURAGED,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
        exclude_credentials=_descriptors(user),
    )
    row = _issue(user, "register", challenge, now or timezone.now())
    return Issued(row.pk, options_to_json(options))


def authentication_options(user: StaffUser, now: datetime | None = None) -> Issued:
    """Options for navigator.credentials.get(): only the account's active credentials are allowed."""
    challenge = secrets.token_bytes(32)
    options = generate_authentication_options(
        rp_id=access_config().webauthn_rp_id, challenge=challenge, timeout=TIMEOUT_MS,
        allow_credentials=_descriptors(user), user_verification=UserVerificationRequirement.REQUIRED,
    )
    row = _issue(user, "login", challenge, now or timezone.now())
    return Issued(row.pk, options_to_json(options))


def consume_challenge(user: StaffUser, challenge_id: int, purpose: str, now: datetime | None = None) -> bytes:
    """The challenge's bytes, marked used; CeremonyRefused if it is unknown, another account's, used or
    expired."""
    now = now or timezone.now()
    taken = WebAuthnChallenge.objects.filter(
        pk=challenge_id, user=user, purpose=purpose, used_at__isnull=True, expires_at__gt=now
    ).update(used_at=now)
    if taken != 1:
        raise CeremonyRefused("challenge_used_or_expired")
    return base64url_to_bytes(WebAuthnChallenge.objects.get(pk=challenge_id).challenge)


def parse_response(raw: str) -> dict[str, Any]:
    """The browser's JSON (PublicKeyCredential.toJSON form), or CeremonyRefused("malformed")."""
    try:
        data = json.loads(raw)
    except (TypeError, ValueError):
        raise CeremonyRefused("malformed") from None
    if not isinstance(data, dict) or not isinstance(data.get("id"), str) or len(raw) > 64_000:
        raise CeremonyRefused("malformed")
    return data


def verify_registration(response: dict[str, Any], challenge: bytes) -> NewCredential:
    config = access_config()
    try:
        verified = verify_registration_response(
            credential=response, expected_challenge=challenge, expected_rp_id=config.webauthn_rp_id,
            expected_origin=list(config.webauthn_origins), require_user_verification=True,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError, AttributeError):
        raise CeremonyRefused("invalid_registration") from None
    transports = response.get("response", {}).get("transports") or []
    known = [t for t in transports if isinstance(t, str) and t in _TRANSPORTS]
    return NewCredential(
        credential_id=bytes_to_base64url(verified.credential_id), public_key=verified.credential_public_key,
        sign_count=verified.sign_count, aaguid=verified.aaguid, transports=",".join(known)[:100],
    )


def counter_ok(stored: int, received: int) -> bool:
    """WebAuthn §6.1.1: when either counter is non-zero the received one must be greater than the stored one
    (an authenticator that keeps no counter sends 0 each time)."""
    return (stored == 0 and received == 0) or received > stored


def verify_assertion(user: StaffUser, response: dict[str, Any], challenge: bytes) -> Assertion:
    """The credential of `user` that signed `challenge` and its new counter. CeremonyRefused with reason
    unknown_or_revoked_credential, invalid_assertion or sign_count_regressed."""
    credential = WebAuthnCredential.objects.filter(
        user=user, credential_id=str(response.get("id", "")), revoked_at__isnull=True
    ).first()
    if credential is None:
        raise CeremonyRefused("unknown_or_revoked_credential")
    config = access_config()
    try:
        verified = verify_authentication_response(
            credential=response, expected_challenge=challenge, expected_rp_id=config.webauthn_rp_id,
            expected_origin=list(config.webauthn_origins), credential_public_key=bytes(credential.public_key),
            credential_current_sign_count=0, require_user_verification=True,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError, AttributeError):
        raise CeremonyRefused("invalid_assertion") from None
    if not counter_ok(credential.sign_count, verified.new_sign_count):
        raise CeremonyRefused("sign_count_regressed", {
            "credential": credential.pk, "name": credential.name, "stored_count": credential.sign_count,
            "received_count": verified.new_sign_count})
    return Assertion(credential, verified.new_sign_count)
