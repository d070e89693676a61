"""The keyring: encryption keys for personal numbers, kept outside the database (SEC-07).

File format (JSON, readable only by the service account):
    {"active": "k2",
     "keys": {"k1": "<base64 of 32 bytes>", "k2": "<base64 of 32 bytes>"},
     "blind_index_key": "<base64 of 32 bytes>"}

Rotation adds a key, makes it active and re-encrypts stored numbers under it (`kouki keys rotate`);
old keys stay until no row uses them. The blind-index key is separate from the encryption keys.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings


class KeyringError(RuntimeError):
    pass


@dataclass(frozen=True)
class Keyring:
    active: str
    keys: dict[str, bytes]
    blind_index_key: bytes

    def key(self, key_id: str) -> bytes:
        try:
            return self.keys[key_id]
        except KeyError:
            raise KeyringError(f"key {key_id!r} is not in the keyring") from None


def _decode(value: str, what: str) -> bytes:
    raw = base64.b64decode(value)
    if len(raw) != 32:
        raise KeyringError(f"{what} must be 32 bytes")
    return raw


def parse_keyring(data: dict[str, object]) -> Keyring:
    try:
        keys_raw = data["keys"]
        active = str(data["active"])
        bik = str(data["blind_index_key"])
    except KeyError as exc:
        raise KeyringError(f"keyring is missing {exc.args[0]!r}") from None
    if not isinstance(keys_raw, dict) or active not in keys_raw:
        raise KeyringError("keyring 'active' must name one of its 'keys'")
    keys = {str(k): _decode(str(v), f"key {k}") for k, v in keys_raw.items()}
    return Keyring(active=active, keys=keys, blind_index_key=_decode(bik, "blind_index_key"))


def keyring_path() -> Path:
    path = settings.KOUKI_KEYRING or os.environ.get("KOUKI_KEYRING", "")
    if not path:
        raise KeyringError("KOUKI_KEYRING is not set: point it at the keyring file (kouki keys init creates one)")
    return Path(path)


_cache: dict[str, tuple[float, Keyring]] = {}


def load_keyring() -> Keyring:
    path = keyring_path()
    try:
        mtime = path.stat().st_mtime
    except FileNotFoundError:
        raise KeyringError(f"keyring file {path} does not exist (kouki keys init creates one)") from None
    cached = _cache.get(str(path))
    if cached and cached[0] == mtime:
        return cached[1]
    ring = parse_keyring(json.loads(path.read_text()))
    _cache[str(path)] = (mtime, ring)
    return ring


def new_key_b64() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


def write_keyring(path: Path, data: dict[str, object]) -> None:
    """Write atomically with mode 0600."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(data, fh, indent=2)
    os.replace(tmp, path)
    _cache.pop(str(path), None)


def create_keyring(path: Path) -> None:
    if path.exists():
        raise KeyringError(f"{path} exists already; refusing to overwrite a keyring")
    path.parent.mkdir(parents=True, exist_ok=True)
    write_keyring(path, {"active": "k1", "keys": {"k1": new_key_b64()}, "blind_index_key": new_key_b64()})
