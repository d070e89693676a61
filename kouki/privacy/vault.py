"""Encryption and blind index of personal numbers. Plain numbers exist only in memory, here.

- AES-256-GCM with a fresh 96-bit nonce; the stored blob is nonce || ciphertext+tag. The person's
  id is bound as associated data, so a ciphertext copied to another person fails to decrypt.
- Blind index: HMAC-SHA256 with a separate key, hex; equality search without decrypting.
- Token: a short keyed hash for reference logs (links references to the same number, reveals nothing).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kouki.privacy.keys import Keyring, load_keyring
from kouki.rules.numbers import validate_my_number


class DecryptionFailed(RuntimeError):
    """A stored number could not be decrypted (wrong key, wrong person, damaged blob). No number in it."""


def _aad(person_id: int) -> bytes:
    return f"kouki:person:{person_id}".encode()


def encrypt_number(number: str, person_id: int, ring: Keyring | None = None) -> tuple[bytes, str]:
    """Validate, then encrypt under the active key. Returns (blob, key_id)."""
    validate_my_number(number)
    ring = ring or load_keyring()
    nonce = secrets.token_bytes(12)
    blob = nonce + AESGCM(ring.key(ring.active)).encrypt(nonce, number.encode(), _aad(person_id))
    return blob, ring.active


def decrypt_number(blob: bytes | memoryview, key_id: str, person_id: int, ring: Keyring | None = None) -> str:
    """Decrypt; raises DecryptionFailed (naming key and person, never the number) on any mismatch."""
    ring = ring or load_keyring()
    raw = bytes(blob)
    if len(raw) < 12 + 16:
        raise DecryptionFailed(f"stored number of person {person_id} is too short to be a ciphertext")
    try:
        plain = AESGCM(ring.key(key_id)).decrypt(raw[:12], raw[12:], _aad(person_id))
    except InvalidTag:
        raise DecryptionFailed(
            f"stored number of person {person_id} does not decrypt under key {key_id!r} "
            "(damaged, copied from another person, or the key is wrong)"
        ) from None
    return plain.decode("ascii")


def blind_index(number: str, ring: Keyring | None = None) -> str:
    ring = ring or load_keyring()
    return hmac.new(ring.blind_index_key, b"bi:" + number.encode(), hashlib.sha256).hexdigest()


def reference_token(number: str, ring: Keyring | None = None) -> str:
    ring = ring or load_keyring()
    return "t_" + hmac.new(ring.blind_index_key, b"ref:" + number.encode(), hashlib.sha256).hexdigest()[:32]
