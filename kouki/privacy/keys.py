"""The keyring: encryption keys for personal numbers, kept outside the database (SEC-07).

File format (JSON, readable only by the service account):
    {"active": "k2",
     "keys": {"k1": "<base64 of 32 bytes>", "k2": "<base64 of 32 bytes>"},
     "blind_index_key": "<base64 of 32 bytes>",
     "audit_active": "a1",
     "audit_keys": {"a1": "<base64 of 32 bytes>"}}

Rotation adds a key, makes it active and re-encrypts stored numbers under it (`kouki keys rotate`);
old keys stay until no row uses them. The blind-index key is separate from the encryption keys.
The audit keys (ids a1, a2, …) seal the audit log and the reference log (HMAC chain, issue 14 §1);
`kouki keys rotate-audit` adds one and makes it active. An audit key is never removed: verifying the
rows sealed under it needs it for as long as those rows are kept.

A rotation in progress is recorded in the file itself: the write that adds the new key also records
`"rotating": {"keys"|"search"|"audit": {"from": OLD, "to": NEW}}`; the write after the rotation's audit
row has committed removes it. A rotation killed anywhere in between finds its own record on the re-run
and finishes (kouki.privacy.rotation, kouki.privacy.search_rotation) instead of adding another key.
The file is replaced whole: a temporary file in the same folder, fsynced, renamed, folder fsynced
(kouki.core.outbox.write_whole), so it is never seen half written.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
import secrets
import stat
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from kouki.core.outbox import write_whole

ROTATING = "rotating"  # the file's record of rotations begun and not yet recorded as finished
KEYS, SEARCH, AUDIT = "keys", "search", "audit"  # the kinds of rotation


class KeyringError(RuntimeError):
    pass


@dataclass(frozen=True)
class Keyring:
    active: str
    keys: dict[str, bytes]
    token_key: bytes  # reference tokens (reference log, numbers typed at entry): never re-computable
    audit_active: str = ""
    audit_keys: dict[str, bytes] = field(default_factory=dict)
    search_active: str = "s1"
    search_keys: dict[str, bytes] = field(default_factory=dict)
    rotating: dict[str, tuple[str, str]] = field(default_factory=dict)  # kind -> (from id, to id)

    @property
    def blind_index_key(self) -> bytes:
        """The active search-hash key (blind indexes of new rows)."""
        return self.search_key(self.search_active)

    def search_key(self, key_id: str) -> bytes:
        try:
            return self.search_keys[key_id]
        except KeyError:
            raise KeyringError(f"search-hash key {key_id!r} is not in the keyring") from None

    def key(self, key_id: str) -> bytes:
        try:
            return self.keys[key_id]
        except KeyError:
            raise KeyringError(f"key {key_id!r} is not in the keyring") from None

    def audit_key(self, key_id: str) -> bytes:
        try:
            return self.audit_keys[key_id]
        except KeyError:
            raise KeyringError(f"audit key {key_id!r} is not in the keyring") from None

    def active_audit_key(self) -> tuple[str, bytes]:
        """(id, key) that seals new audit and reference rows."""
        if not self.audit_active:
            raise KeyringError(
                "the keyring has no audit key: add one with `kouki keys rotate-audit --as USER`"
            )
        return self.audit_active, self.audit_key(self.audit_active)


def _decode(value: str, what: str) -> bytes:
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise KeyringError(f"{what} is not valid base64") from None
    if len(raw) != 32:
        raise KeyringError(f"{what} must be 32 bytes")
    return raw


def parse_keyring(data: dict[str, object]) -> Keyring:
    try:
        keys_raw = data["keys"]
        active = str(data["active"])
    except KeyError as exc:
        raise KeyringError(f"keyring is missing {exc.args[0]!r}") from None
    if not isinstance(keys_raw, dict) or active not in keys_raw:
        raise KeyringError("keyring 'active' must name one of its 'keys'")
    keys = {str(k): _decode(str(v), f"key {k}") for k, v in keys_raw.items()}
    search_active, search_keys, token_key = _search_part(data)
    audit_raw = data.get("audit_keys", {})
    audit_active = str(data.get("audit_active", ""))
    if not isinstance(audit_raw, dict) or (audit_active and audit_active not in audit_raw):
        raise KeyringError("keyring 'audit_active' must name one of its 'audit_keys'")
    audit_keys = {str(k): _decode(str(v), f"audit key {k}") for k, v in audit_raw.items()}
    return Keyring(active=active, keys=keys, token_key=token_key, audit_active=audit_active,
                   audit_keys=audit_keys, search_active=search_active, search_keys=search_keys,
                   rotating=_rotating(data))


def _rotating(data: dict[str, object]) -> dict[str, tuple[str, str]]:
    """The rotations begun and not finished: kind -> (previous key id, new key id)."""
    raw = data.get(ROTATING, {})
    if not isinstance(raw, dict):
        raise KeyringError(f"keyring {ROTATING!r} must be a JSON object")
    out: dict[str, tuple[str, str]] = {}
    for kind, value in raw.items():
        if kind not in (KEYS, SEARCH, AUDIT) or not isinstance(value, dict) or not value.get("to"):
            raise KeyringError(f"keyring {ROTATING!r} has an entry it does not understand: {kind!r}")
        out[kind] = (str(value.get("from", "")), str(value["to"]))
    return out


def _search_part(data: dict[str, object]) -> tuple[str, dict[str, bytes], bytes]:
    """(active search key id, search keys, token key). A keyring from before issue 14 §2 has one
    "blind_index_key": it is search key s1 and the token key."""
    if "search_keys" not in data:
        if "blind_index_key" not in data:
            raise KeyringError("keyring is missing 'search_keys'")
        legacy = _decode(str(data["blind_index_key"]), "blind_index_key")
        return "s1", {"s1": legacy}, legacy
    raw = data["search_keys"]
    active = str(data.get("search_active", ""))
    if not isinstance(raw, dict) or active not in raw:
        raise KeyringError("keyring 'search_active' must name one of its 'search_keys'")
    if "token_key" not in data:
        raise KeyringError("keyring is missing 'token_key'")
    keys = {str(k): _decode(str(v), f"search key {k}") for k, v in raw.items()}
    return active, keys, _decode(str(data["token_key"]), "token_key")


def keyring_path() -> Path:
    path = settings.KOUKI_KEYRING or os.environ.get("KOUKI_KEYRING", "")
    if not path:
        raise KeyringError(
            "KOUKI_KEYRING is not set: point it at the keyring file (kouki keys init creates one)"
        )
    return Path(path)


_cache: dict[str, tuple[tuple[int, int, int], Keyring]] = {}


def _read_json(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        raise KeyringError(f"keyring file {path} does not exist (kouki keys init creates one)") from None
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise KeyringError(f"keyring file {path} is not valid JSON") from None
    if not isinstance(data, dict):
        raise KeyringError(f"keyring file {path} must hold a JSON object")
    return data


def load_keyring() -> Keyring:
    """The keyring named by KOUKI_KEYRING, re-read whenever the file is replaced (rotation)."""
    path = keyring_path()
    try:
        st = path.stat()
    except FileNotFoundError:
        raise KeyringError(f"keyring file {path} does not exist (kouki keys init creates one)") from None
    if stat.S_IMODE(st.st_mode) & 0o077:
        raise KeyringError(f"{permission_problem(path)}; refusing to use it (chmod 600 {path})")
    stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
    cached = _cache.get(str(path))
    if cached and cached[0] == stamp:
        return cached[1]
    ring = parse_keyring(_read_json(path))
    _cache[str(path)] = (stamp, ring)
    return ring


def permission_problem(path: Path) -> str | None:
    """What is wrong when the keyring file can be read or written by anyone but its owner, else None
    (load_keyring refuses such a file)."""
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        return f"{path} has mode {mode:04o}; it must be 0600 (readable by the service account only)"
    return None


def new_key_b64() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


def write_keyring(path: Path, data: dict[str, object]) -> None:
    """Replace the file whole, mode 0600: a hidden temporary file in the same folder, fsynced, renamed,
    the folder fsynced. Killed at any moment, the file is the old keyring or the new one."""
    write_whole(path, json.dumps(data, indent=2).encode())
    _cache.pop(str(path), None)


def _begun(data: dict[str, object], kind: str, previous: str, new: str) -> dict[str, object]:
    """`data` recording a rotation of `kind` from `previous` to `new` as begun."""
    rotating = dict(data.get(ROTATING, {}))  # type: ignore[call-overload]
    rotating[kind] = {"from": previous, "to": new}
    return {**data, ROTATING: rotating}


def end_rotation(path: Path, kind: str, retired_search_keys: frozenset[str] = frozenset()) -> None:
    """Remove the record of a rotation of `kind` (its audit row has committed) and, in the same write,
    the search-hash keys it retired (never the active one; the caller checks no row uses them)."""
    data = _search_data(_read_json(path)) if retired_search_keys else _read_json(path)
    ring = parse_keyring(data)
    if kind not in ring.rotating and not retired_search_keys:
        return
    if ring.search_active in retired_search_keys:
        raise KeyringError(f"search-hash key {ring.search_active!r} is the active one")
    rotating = {k: v for k, v in dict(data.get(ROTATING, {})).items() if k != kind}  # type: ignore[call-overload]
    out = {k: v for k, v in data.items() if k != ROTATING}
    if rotating:
        out[ROTATING] = rotating
    if retired_search_keys:
        out["search_keys"] = {k: v for k, v in dict(data["search_keys"]).items()  # type: ignore[call-overload]
                              if k not in retired_search_keys}
    write_keyring(path, out)


def create_keyring(path: Path) -> None:
    """A new keyring with one encryption key and one blind-index key. Never overwrites a file."""
    if path.exists():
        raise KeyringError(f"{path} exists already; refusing to overwrite a keyring")
    if not path.parent.exists():
        path.parent.mkdir(parents=True, mode=0o700)
        path.parent.chmod(0o700)  # whatever the umask
    data = {"active": "k1", "keys": {"k1": new_key_b64()}, "search_active": "s1",
            "search_keys": {"s1": new_key_b64()}, "token_key": new_key_b64(),
            "audit_active": "a1", "audit_keys": {"a1": new_key_b64()}}
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # O_EXCL: refuse a race, too
    with os.fdopen(fd, "w") as fh:
        json.dump(data, fh, indent=2)
        fh.flush()
        os.fsync(fh.fileno())
    _cache.pop(str(path), None)


_KEY_ID = re.compile(r"^k(\d+)$")
_AUDIT_KEY_ID = re.compile(r"^a(\d+)$")


def add_audit_key(path: Path, taken: set[str] | frozenset[str] = frozenset(), *,
                  rotation: bool = False) -> tuple[str, str]:
    """Add a fresh audit key and make it active (the first one on a keyring from before issue 14).
    Returns (previous active audit id or "", new id). The old audit keys stay: rows sealed under them
    are verified with them. `taken`: ids rows already name, never reused even if lost from the file.
    `rotation`: record the rotation as begun in the same write (end_rotation removes the record)."""
    data = _read_json(path)
    ring = parse_keyring(data)
    numbers = [int(m.group(1)) for k in {*ring.audit_keys, *taken} if (m := _AUDIT_KEY_ID.match(k))]
    new_id = f"a{max(numbers, default=0) + 1}"
    audit_keys = dict(data.get("audit_keys", {}))  # type: ignore[call-overload]
    audit_keys[new_id] = new_key_b64()
    new_data: dict[str, object] = {**data, "audit_keys": audit_keys, "audit_active": new_id}
    write_keyring(path, _begun(new_data, AUDIT, ring.audit_active, new_id) if rotation else new_data)
    return ring.audit_active, new_id


def add_active_key(path: Path, *, rotation: bool = False) -> tuple[str, str]:
    """Add a fresh encryption key and make it active. Returns (previous active id, new id). `rotation`:
    record the rotation as begun in the same write (end_rotation removes the record).

    The blind-index key is kept: blind indexes and reference tokens stay comparable across rotations.
    """
    data = _read_json(path)
    ring = parse_keyring(data)
    numbers = [int(m.group(1)) for k in ring.keys if (m := _KEY_ID.match(k))]
    new_id = f"k{max(numbers, default=0) + 1}"
    while new_id in ring.keys:  # hand-named keys: never reuse an id
        new_id = f"k{int(new_id[1:]) + 1}"
    keys = dict(data["keys"])  # type: ignore[call-overload]
    keys[new_id] = new_key_b64()
    new_data: dict[str, object] = {**data, "keys": keys, "active": new_id}
    write_keyring(path, _begun(new_data, KEYS, ring.active, new_id) if rotation else new_data)
    return ring.active, new_id


def remove_key(path: Path, key_id: str) -> None:
    """Drop a retired key from the file. The caller checks first that no row still uses it."""
    data = _read_json(path)
    ring = parse_keyring(data)
    if key_id not in ring.keys:
        raise KeyringError(f"key {key_id!r} is not in the keyring")
    if key_id == ring.active:
        raise KeyringError(f"key {key_id!r} is the active key; rotate first")
    keys = {k: v for k, v in dict(data["keys"]).items() if k != key_id}  # type: ignore[call-overload]
    write_keyring(path, {**data, "keys": keys})


_SEARCH_KEY_ID = re.compile(r"^s(\d+)$")


def _search_data(data: dict[str, object]) -> dict[str, object]:
    """The file's data in the current form (a "blind_index_key" of old split into search key s1 and the
    token key, which keeps the same bytes: tokens already written stay comparable)."""
    if "search_keys" in data:
        return data
    legacy = data["blind_index_key"]
    rest = {k: v for k, v in data.items() if k != "blind_index_key"}
    return {**rest, "search_active": "s1", "search_keys": {"s1": legacy}, "token_key": legacy}


def add_search_key(path: Path, *, rotation: bool = False) -> tuple[str, str]:
    """Add a fresh search-hash key and make it active. Returns (previous active id, new id). The previous
    key stays until every blind index is re-made under the new one (kouki.privacy.search_rotation).
    `rotation`: record the rotation as begun in the same write (end_rotation removes the record)."""
    data = _search_data(_read_json(path))
    ring = parse_keyring(data)
    numbers = [int(m.group(1)) for k in ring.search_keys if (m := _SEARCH_KEY_ID.match(k))]
    new_id = f"s{max(numbers, default=0) + 1}"
    keys = dict(data["search_keys"])  # type: ignore[call-overload]
    keys[new_id] = new_key_b64()
    new_data: dict[str, object] = {**data, "search_keys": keys, "search_active": new_id}
    write_keyring(path, _begun(new_data, SEARCH, ring.search_active, new_id) if rotation else new_data)
    return ring.search_active, new_id
