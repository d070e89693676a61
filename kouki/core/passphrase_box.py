"""Files sealed under a passphrase: database backups and keyring exports (issue 16 §2).

A key is derived from the passphrase with scrypt (a fresh random salt per file); the content is encrypted
with AES-256-GCM in chunks of 1 MiB, so a backup of any size streams through memory. Each chunk's nonce
is the file's random prefix and the chunk's number, and its associated data names the chunk's number and
whether it is the last: a chunk removed, reordered, truncated or changed fails decryption, and a file cut
after a chunk boundary lacks its last chunk and fails too.

Layout: magic `KOUKIPB1`, scrypt log2(n), r, p (1 byte each), salt (16), nonce prefix (8), then chunks of
[length of ciphertext (4, big-endian) | ciphertext with its 16-byte tag].
"""

from __future__ import annotations

import hashlib
import hmac
import os
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

MAGIC = b"KOUKIPB1"
CHUNK = 1024 * 1024
SCRYPT_LOG_N, SCRYPT_R, SCRYPT_P = 15, 8, 1  # 32 MiB of memory, well under a second
MIN_PASSPHRASE = 12


class PassphraseBoxError(ValueError):
    """A sealed file cannot be opened: wrong passphrase, changed or truncated content, not such a file."""


@dataclass(frozen=True)
class Keys:
    content: bytes  # AES-256-GCM key of the content
    mac: bytes  # HMAC-SHA256 key for what travels beside the content (the backup's manifest)
    salt: bytes
    params: tuple[int, int, int]


def passphrase_from(setting: str, purpose: str) -> str:
    """The passphrase in the environment variable `setting` (set, at least MIN_PASSPHRASE characters)."""
    passphrase = os.environ.get(setting, "")
    if not passphrase:
        raise PassphraseBoxError(f"{setting} is not set: {purpose}")
    if len(passphrase) < MIN_PASSPHRASE:
        raise PassphraseBoxError(f"{setting} must be at least {MIN_PASSPHRASE} characters")
    return passphrase


def derive(passphrase: str, salt: bytes | None = None,
           params: tuple[int, int, int] = (SCRYPT_LOG_N, SCRYPT_R, SCRYPT_P)) -> Keys:
    salt = salt if salt is not None else os.urandom(16)
    log_n, r, p = params
    if not (10 <= log_n <= 22 and 1 <= r <= 32 and 1 <= p <= 16):
        raise PassphraseBoxError("unsupported key-derivation parameters")
    material = Scrypt(salt=salt, length=64, n=2**log_n, r=r, p=p).derive(passphrase.encode("utf-8"))
    return Keys(material[:32], material[32:], salt, params)


def mac(keys: Keys, data: bytes) -> str:
    return hmac.new(keys.mac, b"kouki-passphrase-box-mac\n" + data, hashlib.sha256).hexdigest()


def _aad(index: int, last: bool) -> bytes:
    return b"kouki-passphrase-box|" + struct.pack(">Q?", index, last)


def _nonce(prefix: bytes, index: int) -> bytes:
    return prefix + struct.pack(">I", index)


def seal_stream(source: BinaryIO, target: BinaryIO, keys: Keys) -> str:
    """Encrypt `source` into `target`; the SHA-256 of the plain content."""
    prefix = os.urandom(8)
    aes = AESGCM(keys.content)
    log_n, r, p = keys.params
    target.write(MAGIC + bytes([log_n, r, p]) + keys.salt + prefix)
    digest = hashlib.sha256()
    index = 0
    current = source.read(CHUNK)
    while True:
        following = source.read(CHUNK) if current else b""
        last = not following
        digest.update(current)
        sealed = aes.encrypt(_nonce(prefix, index), current, _aad(index, last))
        target.write(struct.pack(">I", len(sealed)) + sealed)
        if last:
            return digest.hexdigest()
        index += 1
        current = following


def read_header(source: BinaryIO) -> tuple[bytes, tuple[int, int, int], bytes]:
    head = source.read(len(MAGIC) + 3 + 16 + 8)
    if len(head) < len(MAGIC) + 27 or not head.startswith(MAGIC):
        raise PassphraseBoxError("not a kouki sealed file (wrong magic or too short)")
    params = (head[8], head[9], head[10])
    return head[11:27], params, head[27:35]


def open_stream(source: BinaryIO, passphrase: str) -> Iterator[bytes]:
    """The plain content of a sealed file, chunk by chunk; PassphraseBoxError as soon as anything fails."""
    salt, params, prefix = read_header(source)
    aes = AESGCM(derive(passphrase, salt, params).content)
    index = 0
    while True:
        size_bytes = source.read(4)
        if len(size_bytes) < 4:
            raise PassphraseBoxError("the file ends before its last part: it was cut short")
        (size,) = struct.unpack(">I", size_bytes)
        if size > CHUNK + 16:
            raise PassphraseBoxError(f"part {index + 1} has an impossible length: the file was changed")
        sealed = source.read(size)
        if len(sealed) < size:
            raise PassphraseBoxError("the file ends inside a part: it was cut short")
        for last in (False, True):
            try:
                plain = aes.decrypt(_nonce(prefix, index), sealed, _aad(index, last))
            except InvalidTag:
                continue
            break
        else:
            raise PassphraseBoxError(
                "cannot decrypt: wrong passphrase, or the file was changed"
                + (f" (part {index + 1})" if index else "")
            )
        yield plain
        if last:
            if source.read(1):
                raise PassphraseBoxError("data after the last part: the file was changed")
            return
        index += 1


def seal_file(plain: Path, sealed: Path, keys: Keys) -> str:
    with plain.open("rb") as src, sealed.open("wb") as dst:
        digest = seal_stream(src, dst, keys)
        dst.flush()
        os.fsync(dst.fileno())
    return digest


def open_file(sealed: Path, plain: Path, passphrase: str) -> str:
    """Decrypt `sealed` into `plain` (created 0600); the SHA-256 of the plain content."""
    digest = hashlib.sha256()
    with sealed.open("rb") as src, os.fdopen(os.open(plain, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600),
                                             "wb") as dst:
        for chunk in open_stream(src, passphrase):
            digest.update(chunk)
            dst.write(chunk)
        dst.flush()
        os.fsync(dst.fileno())
    return digest.hexdigest()


def sealed_bytes(data: bytes, passphrase: str) -> bytes:
    import io

    out = io.BytesIO()
    seal_stream(io.BytesIO(data), out, derive(passphrase))
    return out.getvalue()


def opened_bytes(data: bytes, passphrase: str) -> bytes:
    import io

    return b"".join(open_stream(io.BytesIO(data), passphrase))
