"""The backup's manifest: what the folder holds, authenticated under the backup passphrase."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kouki.core.passphrase_box import Keys, PassphraseBoxError, derive, mac

FORMAT = "kouki-backup/1"
MANIFEST = "manifest.json"
DATABASE = "database.kbk"
CHECKPOINTS = "checkpoints.jsonl"


class BackupError(RuntimeError):
    """A backup cannot be made, read or restored; the message says what and why."""


def _canonical(body: dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def write_manifest(folder: Path, body: dict[str, Any], keys: Keys) -> None:
    body = {**body, "format": FORMAT, "kdf": {"salt": keys.salt.hex(), "params": list(keys.params)}}
    text = json.dumps({**body, "mac": mac(keys, _canonical(body))}, ensure_ascii=False, sort_keys=True,
                      indent=1)
    temp = folder / f".{MANIFEST}.tmp"
    with temp.open("w", encoding="utf-8") as out:
        out.write(text + "\n")
        out.flush()
        import os

        os.fsync(out.fileno())
    temp.rename(folder / MANIFEST)


@dataclass(frozen=True)
class Manifest:
    body: dict[str, Any]
    keys: Keys

    @property
    def counts(self) -> dict[str, int]:
        return {str(k): int(v) for k, v in self.body["counts"].items()}

    @property
    def vendor(self) -> str:
        return str(self.body["vendor"])


def read_manifest(folder: Path, passphrase: str) -> Manifest:
    path = folder / MANIFEST
    if not folder.is_dir():
        raise BackupError(f"{folder}: no such backup folder")
    if not path.exists():
        raise BackupError(f"{folder}: no {MANIFEST} — an incomplete backup (the run did not finish)")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        kdf = data["kdf"]
        keys = derive(passphrase, bytes.fromhex(kdf["salt"]), tuple(kdf["params"]))  # type: ignore[arg-type]
        claimed = str(data.pop("mac"))
    except (ValueError, KeyError, TypeError, PassphraseBoxError) as exc:
        raise BackupError(f"{path}: not a kouki backup manifest ({exc})") from None
    if data.get("format") != FORMAT:
        raise BackupError(f"{path}: unknown backup format {data.get('format')!r} (expected {FORMAT})")
    import hmac

    if not hmac.compare_digest(claimed, mac(keys, _canonical(data))):
        raise BackupError(f"{path}: wrong KOUKI_BACKUP_PASSPHRASE, or the manifest was changed")
    return Manifest(data, keys)
