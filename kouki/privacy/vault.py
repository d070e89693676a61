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

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kouki.privacy.keys import Keyring, load_keyring
from kouki.rules.numbers import validate_my_number


def _aad(person_id: int) -> bytes:
    return f"kouki:person:{person_id}".encode()


def encrypt_number(number: str, person_id: int, ring: Keyring | None = None) -> tuple[bytes, str]:
    """Validate, then encrypt under the active key. Returns (blob, key_id)."""
    validate_my_number(number)
    ring = ring or load_keyring()
    nonce = secrets.token_bytes(12)
    blob = nonce + AESGCM(ring.key(ring.active)).encrypt(nonce, number.encode(), _aad(person_id))
    return blob, ring.active


def decrypt_number(blob: bytes, key_id: str, person_id: int, ring: Keyring | None = None) -> str:
    ring = ring or load_keyring()
    blob = bytes(blob)
    return AESGCM(ring.key(key_id)).decrypt(blob[:12], blob[12:], _aad(person_id)).decode()


def blind_index(number: str, ring: Keyring | None = None) -> str:
    ring = ring or load_keyring()
    return hmac.new(ring.blind_index_key, b"bi:" + number.encode(), hashlib.sha256).hexdigest()


def reference_token(number: str, ring: Keyring | None = None) -> str:
    ring = ring or load_keyring()
    return "t_" + hmac.new(ring.blind_index_key, b"ref:" + number.encode(), hashlib.sha256).hexdigest()[:32]
