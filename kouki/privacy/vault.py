"""Encryption and blind index of personal numbers. Plain numbers exist only in memory, here.

- AES-256-GCM with a fresh 96-bit nonce; the stored blob is nonce || ciphertext+tag. The person's
  id is bound as associated data, so a ciphertext copied to another person fails to decrypt.
- Blind index: HMAC-SHA256 with a separate key, hex; equality search without decrypting.
- Token: a short keyed hash for reference logs (links references to the same number, reveals nothing).
"""

from __future__ import annotations

import hashlib
import hmac
import operator
import secrets
from functools import reduce

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.db.models import Q

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


def blind_index(number: str, ring: Keyring | None = None, key_id: str = "") -> str:
    """The search hash under the active search-hash key, or under `key_id` (kept in `index_key_id`)."""
    ring = ring or load_keyring()
    key = ring.search_key(key_id or ring.search_active)
    return hmac.new(key, b"bi:" + number.encode(), hashlib.sha256).hexdigest()


def blind_indexes(number: str, ring: Keyring | None = None) -> dict[str, str]:
    """The search hash under every search-hash key of the keyring (two while a rotation runs)."""
    ring = ring or load_keyring()
    return {key_id: blind_index(number, ring, key_id) for key_id in sorted(ring.search_keys)}


def index_match(number: str, ring: Keyring | None = None, prefix: str = "") -> Q:
    """A filter for rows whose (index_key_id, blind_index) is this number's hash under that key: finds
    rows indexed under any key of the keyring, so lookups work while a rotation re-indexes."""
    parts = [Q(**{f"{prefix}index_key_id": key_id, f"{prefix}blind_index": index})
             for key_id, index in blind_indexes(number, ring).items()]
    return reduce(operator.or_, parts)


def reference_token(number: str, ring: Keyring | None = None) -> str:
    """Token key, not the search-hash key: tokens sit in the sealed reference log and in forms awaiting
    再鑑, where they cannot be re-made without the number (ADR 0006, issue 14 §2)."""
    ring = ring or load_keyring()
    return "t_" + hmac.new(ring.token_key, b"ref:" + number.encode(), hashlib.sha256).hexdigest()[:32]
