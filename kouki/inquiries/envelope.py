"""Sealing an inquiry result so that only the inquirer can open it [PIA L2870–2872].

The city holds an X25519 private key (KOUKI_INQUIRY_KEY, a file readable only by the service account, like
the personal-number keyring, SEC-07); the 中間サーバ platform holds only its public key. A sealed blob is
    ephemeral public key (32) || nonce (12) || AES-256-GCM ciphertext+tag
with the AES key HKDF-SHA256(X25519(ephemeral, city), info="kouki-chukan-result") and the request id as
associated data, so an answer cannot be replayed as another request's.
"""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from kouki.core.config import inquiry_key_path
from kouki.privacy.keys import permission_problem

INFO = b"kouki-chukan-result"
_RAW = serialization.Encoding.Raw


class EnvelopeError(RuntimeError):
    """The key is missing or unusable, or a sealed answer does not open. No content in the message."""


def _aes_key(shared: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=INFO).derive(shared)


def create_key(path: Path) -> str:
    """Write a new private key (base64 of 32 raw bytes, mode 0600); returns the public key (base64)."""
    if path.exists():
        raise EnvelopeError(f"{path} exists: the inquiry key is not replaced over a running installation")
    key = X25519PrivateKey.generate()
    raw = key.private_bytes(_RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(base64.b64encode(raw).decode() + "\n")
    return public_key_b64(key)


def _load() -> X25519PrivateKey:
    path = Path(inquiry_key_path()) if inquiry_key_path() else None
    if path is None or not path.exists():
        raise EnvelopeError("KOUKI_INQUIRY_KEY does not name the inquiry key file (kouki inquiries key-init)")
    problem = permission_problem(path)
    if problem:
        raise EnvelopeError(f"{problem}; refusing to use it")
    try:
        return X25519PrivateKey.from_private_bytes(base64.b64decode(path.read_text().strip(), validate=True))
    except ValueError:
        raise EnvelopeError(f"{path} does not hold an X25519 key") from None


def public_key_b64(key: X25519PrivateKey | None = None) -> str:
    """The city's public key, which the 中間サーバ platform seals answers to."""
    key = key or _load()
    return base64.b64encode(key.public_key().public_bytes(_RAW, serialization.PublicFormat.Raw)).decode()


def seal(public_b64: str, plaintext: bytes, request_id: str) -> bytes:
    """Seal for the holder of the private key of `public_b64` (the provider/network side does this)."""
    recipient = X25519PublicKey.from_public_bytes(base64.b64decode(public_b64))
    ephemeral = X25519PrivateKey.generate()
    nonce = secrets.token_bytes(12)
    body = AESGCM(_aes_key(ephemeral.exchange(recipient))).encrypt(nonce, plaintext, request_id.encode())
    return ephemeral.public_key().public_bytes(_RAW, serialization.PublicFormat.Raw) + nonce + body


def open_sealed(blob: bytes | memoryview, request_id: str) -> bytes:
    """Open an answer sealed to the city's key; EnvelopeError when it was sealed to another key, for another
    request, or damaged."""
    raw = bytes(blob)
    if len(raw) < 32 + 12 + 16:
        raise EnvelopeError("sealed answer too short")
    peer = X25519PublicKey.from_public_bytes(raw[:32])
    try:
        return AESGCM(_aes_key(_load().exchange(peer))).decrypt(raw[32:44], raw[44:], request_id.encode())
    except InvalidTag:
        raise EnvelopeError(
            "sealed answer does not open with the city's key (another key, another request, or damaged)"
        ) from None
