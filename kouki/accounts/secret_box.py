"""Second-factor secrets at rest (issue 14 §2): a staff member's TOTP secret is stored sealed with the
keyring (AES-256-GCM, bound to the user name), never in clear, so that a copy of the database alone
does not give the second factor of every account.

The keyring belongs to kouki.privacy, which sits above this app: it registers the sealing at start-up
(kouki.privacy.apps → kouki.privacy.secret_seal). A value without the `sealed:` prefix is a secret stored
before this existed; it is still accepted and is sealed by `kouki staff seal-secrets`.
"""

from __future__ import annotations

from typing import Protocol

PREFIX = "sealed:"


class SecretUnavailable(RuntimeError):
    """A sealed secret does not open (its key is missing, it belongs to another account, it is damaged);
    the message names the account, never the secret."""


class SecretBox(Protocol):
    def seal(self, plain: str, owner: str) -> str: ...
    def open(self, stored: str, owner: str) -> str: ...


_box: SecretBox | None = None


def register(box: SecretBox) -> None:
    global _box
    _box = box


def _registered() -> SecretBox:
    if _box is None:
        raise RuntimeError("no secret box registered: kouki.privacy must be an installed app")
    return _box


def is_sealed(stored: str) -> bool:
    return stored.startswith(PREFIX)


def seal(plain: str, owner: str) -> str:
    """The stored form of a secret of `owner` (the user name)."""
    return _registered().seal(plain, owner) if plain else ""


def open_secret(stored: str, owner: str) -> str:
    """The secret from its stored form ("" for none; a legacy clear value as it is)."""
    if not stored or not is_sealed(stored):
        return stored
    return _registered().open(stored, owner)
