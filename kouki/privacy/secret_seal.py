"""The keyring's sealing of staff second-factor secrets (kouki.accounts.secret_box): AES-256-GCM under the
active personal-number key, a fresh 96-bit nonce, the owner's user name as associated data (a sealed
secret copied to another account does not open). Stored as `sealed:<key id>:<base64 nonce||ciphertext>`,
so that key rotation can tell which key opens it."""

from __future__ import annotations

import base64
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kouki.accounts.secret_box import PREFIX, SecretUnavailable
from kouki.privacy.keys import KeyringError, load_keyring


def _aad(owner: str) -> bytes:
    return f"kouki:staff-second-factor:{owner}".encode()


class KeyringSecretBox:
    def seal(self, plain: str, owner: str) -> str:
        ring = load_keyring()
        nonce = secrets.token_bytes(12)
        blob = nonce + AESGCM(ring.key(ring.active)).encrypt(nonce, plain.encode(), _aad(owner))
        return f"{PREFIX}{ring.active}:{base64.b64encode(blob).decode()}"

    def open(self, stored: str, owner: str) -> str:
        try:
            key_id, text = stored.removeprefix(PREFIX).split(":", 1)
            blob = base64.b64decode(text, validate=True)
            return AESGCM(load_keyring().key(key_id)).decrypt(blob[:12], blob[12:], _aad(owner)).decode()
        except (ValueError, KeyringError, InvalidTag):
            raise SecretUnavailable(
                f"the second-factor secret of {owner!r} does not open with the keyring"
            ) from None
