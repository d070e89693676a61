"""`kouki backup create | verify | restore` (issue 16 §2)."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

import kouki
from kouki.backups import databases
from kouki.backups.manifest import CHECKPOINTS, DATABASE, BackupError, Manifest, read_manifest, write_manifest
from kouki.core.audit_vocabulary import AuditAction
from kouki.core.faults import fault_point
from kouki.core.passphrase_box import PassphraseBoxError, derive, open_file, passphrase_from, seal_stream
from kouki.privacy.audit import audit_record
from kouki.privacy.checkpoint import CheckpointError, checkpoint_path, write_checkpoint
from kouki.privacy.context import Actor
from kouki.privacy.keys import KeyringError

PASSPHRASE_SETTING = "KOUKI_BACKUP_PASSPHRASE"  # noqa: S105 (the setting's name, not a passphrase)


def backup_passphrase() -> str:
    try:
        return passphrase_from(PASSPHRASE_SETTING, "backups are always encrypted")
    except PassphraseBoxError as exc:
        raise BackupError(str(exc)) from None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _migrations() -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder.Migration.objects.order_by("app", "name").values_list("app", "name"):
        latest[app] = max(latest.get(app, ""), name)
    return latest


@dataclass
class Created:
    folder: Path
    counts: dict[str, int]
    plain_bytes: int
    warnings: list[str] = field(default_factory=list)


def _unfinished(folder: Path) -> list[Path]:
    """What a `backup create` killed before its manifest left in `folder` (hidden temporary files and the
    checkpoint copy) — or [] if the folder holds anything else (a finished backup, other files)."""
    found = list(folder.iterdir())
    if all(p.is_file() and (p.name.startswith(".") or p.name == CHECKPOINTS) for p in found):
        return found
    return []


def _prepare_folder(folder: Path) -> None:
    """A new or empty folder; or one a killed `backup create` left unfinished (no manifest), emptied."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        left = _unfinished(folder) if folder.is_dir() else []
        if not left:
            raise BackupError(f"{folder}: exists and is not an empty folder "
                              "(a backup goes into a new folder)")
        for path in left:
            path.unlink()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)


def _checkpoint_for_backup(actor: Actor, folder: Path, warnings: list[str]) -> None:
    """Seal both heads just before the dump and keep the checkpoint file with the backup."""
    live = checkpoint_path()
    target = live if live is not None else folder / CHECKPOINTS
    try:
        result = write_checkpoint(actor=actor, path=target)
    except (CheckpointError, KeyringError, OSError) as exc:
        raise BackupError(f"cannot seal the audit heads before the backup: {exc}") from None
    if result.problems:
        warnings.append(f"the audit or reference log failed verification ({len(result.problems)} problems): "
                        "no new checkpoint was sealed; run `kouki audit verify`")
    if live is not None and live.exists():
        shutil.copyfile(live, folder / CHECKPOINTS)


def backup_create(*, actor: Actor, folder: Path, passphrase: str) -> Created:
    _prepare_folder(folder)
    keys = derive(passphrase)
    warnings: list[str] = []
    with transaction.atomic():
        audit_record(actor=actor, action=AuditAction.BACKUP_CREATE, detail={"folder": folder.name})
    _checkpoint_for_backup(actor, folder, warnings)
    vendor = databases.vendor_of(connection.settings_dict)
    sealed_temp = folder / f".{DATABASE}.tmp"
    with sealed_temp.open("wb") as sink:

        def seal(source: BinaryIO) -> str:
            return seal_stream(source, sink, keys)

        if vendor == "sqlite":
            connection.ensure_connection()
            counts, plain_sha, plain_bytes = databases.sqlite_dump_into(connection.connection, seal)
        else:
            counts, plain_sha, plain_bytes = databases.pg_dump_into(connection.settings_dict, seal)
        sink.flush()
        os.fsync(sink.fileno())
    fault_point("before-rename", DATABASE)  # crash tests only (kouki.core.faults)
    sealed_temp.rename(folder / DATABASE)
    checkpoints = folder / CHECKPOINTS
    write_manifest(folder, {
        "created_at": timezone.now().isoformat(),
        "created_by": actor.username,
        "kouki_version": kouki.__version__,
        "vendor": vendor,
        "database": {"file": DATABASE, "plain_sha256": plain_sha, "plain_bytes": plain_bytes,
                     "sealed_sha256": _sha256(folder / DATABASE)},
        "checkpoints": ({"file": CHECKPOINTS, "sha256": _sha256(checkpoints)}
                        if checkpoints.exists() else None),
        "counts": counts,
        "migrations": _migrations(),
    }, keys)
    return Created(folder, counts, plain_bytes, warnings)


@dataclass
class Checked:
    manifest: Manifest
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def _open_database(
    folder: Path, manifest: Manifest, passphrase: str, plain: Path, problems: list[str]
) -> bool:
    db = manifest.body["database"]
    if _sha256(folder / DATABASE) != db["sealed_sha256"]:
        problems.append(f"{DATABASE}: changed since the backup was made (its hash differs from the manifest)")
        return False
    try:
        plain_sha = open_file(folder / DATABASE, plain, passphrase)
    except PassphraseBoxError as exc:
        problems.append(f"{DATABASE}: {exc}")
        return False
    if plain_sha != db["plain_sha256"]:
        problems.append(f"{DATABASE}: the decrypted content differs from the manifest")
        return False
    return True


def _check_checkpoints(folder: Path, manifest: Manifest, problems: list[str]) -> None:
    entry = manifest.body.get("checkpoints")
    if entry is None:
        return
    path = folder / str(entry["file"])
    if not path.exists():
        problems.append(f"{entry['file']}: missing")
    elif _sha256(path) != entry["sha256"]:
        problems.append(f"{entry['file']}: changed since the backup was made")


def _compare(expected: dict[str, int], found: dict[str, int], problems: list[str]) -> None:
    for table in sorted(set(expected) | set(found)):
        if expected.get(table) != found.get(table):
            problems.append(f"table {table}: {found.get(table, 'missing')} rows, the manifest says "
                            f"{expected.get(table, 'none')}")


def backup_verify(folder: Path, passphrase: str) -> Checked:
    manifest = read_manifest(folder, passphrase)
    problems: list[str] = []
    _check_checkpoints(folder, manifest, problems)
    plain = folder / ".verify.plain"
    plain.unlink(missing_ok=True)
    try:
        if _open_database(folder, manifest, passphrase, plain, problems):
            if manifest.vendor == "sqlite":
                result, counts = databases.sqlite_check(plain)
                if result != "ok":
                    problems.append(f"{DATABASE}: SQLite integrity check: {result}")
                _compare(manifest.counts, counts, problems)
            else:
                complaint = databases.pg_archive_check(plain)
                if complaint is not None:
                    problems.append(f"{DATABASE}: pg_restore cannot read the archive: {complaint}")
    finally:
        plain.unlink(missing_ok=True)
    return Checked(manifest, problems)


def _target_settings(database_url: str) -> dict[str, Any]:
    from kouki.settings import database_from_url

    try:
        return database_from_url(database_url)
    except ValueError as exc:
        raise BackupError(str(exc)) from None


def backup_restore(folder: Path, passphrase: str, database_url: str) -> Checked:
    """Restore into an empty database; the counts must match the manifest."""
    manifest = read_manifest(folder, passphrase)
    target = _target_settings(database_url)
    vendor = databases.vendor_of(target)
    if vendor != manifest.vendor:
        raise BackupError(f"the backup is of a {manifest.vendor} database; --database-url names {vendor}")
    problems: list[str] = []
    _check_checkpoints(folder, manifest, problems)
    if vendor == "sqlite":
        name = str(target["NAME"])
        path = Path("/" + name.lstrip("/")) if name.startswith("/") else Path(name).absolute()  # no "//" root
        if not databases.sqlite_is_empty(path):
            raise BackupError(f"{path}: not empty — restore only into a new, empty database")
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        plain = path.with_name(f".{path.name}.restoring")
    else:
        if not databases.pg_is_empty(target):
            raise BackupError(f"database {target['NAME']}: not empty — restore only into a new, empty one")
        plain = folder / ".restore.plain"
    plain.unlink(missing_ok=True)
    try:
        if not _open_database(folder, manifest, passphrase, plain, problems):
            return Checked(manifest, problems)
        if vendor == "sqlite":
            result, counts = databases.sqlite_check(plain)
            if result != "ok":
                problems.append(f"{DATABASE}: SQLite integrity check: {result}")
            _compare(manifest.counts, counts, problems)
            if not problems:
                plain.chmod(0o600)
                plain.rename(path)
        else:
            counts = databases.pg_restore(target, plain)
            _compare(manifest.counts, counts, problems)
    except databases.DatabaseError as exc:
        problems.append(str(exc))
    except sqlite3.DatabaseError as exc:
        problems.append(f"{DATABASE}: not a readable SQLite database ({exc})")
    finally:
        plain.unlink(missing_ok=True)
    return Checked(manifest, problems)
