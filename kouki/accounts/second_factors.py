"""Which second factors an account can use now (issue 14 §5): KOUKI_SECOND_FACTORS says which are allowed
(webauthn, totp or both), the account says which it has enrolled. WebAuthn comes first; TOTP is the fallback
where the policy allows it and the account has a secret."""

from __future__ import annotations

from kouki.accounts.models import StaffUser
from kouki.accounts.webauthn_ceremony import has_active_credential
from kouki.core.config import access_config

WEBAUTHN = "webauthn"
TOTP = "totp"


def usable(user: StaffUser) -> tuple[str, ...]:
    """The account's second factors that the policy allows, WebAuthn first (empty: it cannot sign in)."""
    config = access_config()
    found = []
    if config.webauthn_allowed and has_active_credential(user):
        found.append(WEBAUTHN)
    if config.totp_allowed and user.totp_secret:
        found.append(TOTP)
    return tuple(found)
