"""Issue 16 §2: `kouki backup create | verify | restore` and `kouki keys export | import` on the suite's
database (SQLite or PostgreSQL): a backup restores into an empty database with the same counts, the audit
trail verifies there with the same keyring, and tampering, a wrong passphrase or a non-empty target are
refused."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import connection

from kouki.addressees.models import Person
from kouki.backups.databases import vendor_of
from kouki.cli import main
from kouki.privacy.context import Actor
from kouki.privacy.keys import load_keyring
from kouki.privacy.models import AuditEntry, PersonalNumber
from kouki.privacy.redaction import contains_personal_number
from kouki.privacy.services import personal_number_register
from kouki.rules.numbers import my_number_check_digit

PASSPHRASE = "correct horse battery staple 2026"
EXPORT_PASSPHRASE = "another custodian's long phrase"
pytestmark = pytest.mark.django_db(transaction=True)


def _number(i: int) -> str:
    base = f"{31415926000 + i:011d}"
    return base + str(my_number_check_digit(base))


@pytest.fixture
def city(operator: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, settings: Any) -> int:
    """A few people with personal numbers (audit and reference rows included), the backup passphrase
    and a live checkpoint file."""
    monkeypatch.setenv("KOUKI_BACKUP_PASSPHRASE", PASSPHRASE)
    folder = tmp_path / "checkpoints"
    folder.mkdir(mode=0o700)
    settings.KOUKI_AUDIT_CHECKPOINT_FILE = str(folder / "audit-checkpoints.jsonl")
    actor = Actor.system("tests")
    for i in range(5):
        person = Person.objects.create(addressee_no=f"8{i:09d}", registration="resident")
        personal_number_register(actor=actor, person_id=person.pk, number=_number(i), source="test")
    return Person.objects.count()


@pytest.fixture
def empty_target(tmp_path: Path) -> Iterator[str]:
    """A URL of a new, empty database of the suite's own kind."""
    settings_dict = connection.settings_dict
    if vendor_of(settings_dict) == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored' / 'kouki.sqlite3'}"
        return
    name = f"kouki_restore_{uuid.uuid4().hex[:10]}"
    host, port = settings_dict["HOST"] or "127.0.0.1", settings_dict["PORT"] or "5432"
    user = settings_dict["USER"]
    admin = psycopg.connect(host=host, port=port, user=user, dbname="postgres", autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://{user}@{host}:{port}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _rows(url: str, sql: str) -> int:
    if url.startswith("sqlite:///"):
        with closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as db:
            return int(db.execute(sql).fetchone()[0])
    with psycopg.connect(url.replace("postgres://", "postgresql://")) as db:
        row = db.execute(sql).fetchone()
        assert row is not None
        return int(row[0])


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kouki.cli", *args], env=env, capture_output=True, text=True,
                          timeout=300, check=False)  # fmt: skip


def test_a_backup_restores_into_an_empty_database_and_its_audit_trail_verifies_there(
    city: int, tmp_path: Path, empty_target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "backups" / "nightly"
    assert main(["backup", "create", "--out", str(out)]) == 0
    created = capsys.readouterr().out
    assert "backup written to" in created and not contains_personal_number(created)
    assert sorted(p.name for p in out.iterdir()) == ["checkpoints.jsonl", "database.kbk", "manifest.json"]
    assert oct(out.stat().st_mode & 0o777) == "0o700"
    assert all(oct(p.stat().st_mode & 0o777) == "0o600" for p in out.iterdir())
    sealed = (out / "database.kbk").read_bytes()
    assert not sealed.startswith((b"SQLite format 3", b"PGDMP")) and b"privacy_personalnumber" not in sealed
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["counts"]["addressees_person"] == city
    # the backup holds every audit row up to its own (backup.create) and the checkpoint sealed for it; the
    # command's closing checkpoint comes after the dump
    backup_row = AuditEntry.objects.get(action="backup.create")
    in_backup = AuditEntry.objects.filter(pk__lte=backup_row.pk).count() + 1
    assert manifest["counts"]["privacy_auditentry"] == in_backup
    assert "KOUKI" not in json.dumps(manifest) and "keys" not in manifest  # never the keyring

    assert main(["backup", "verify", str(out)]) == 0
    assert "OK: decrypted" in capsys.readouterr().out

    assert main(["backup", "restore", str(out), "--database-url", empty_target]) == 0
    assert "every table's row count matches the manifest" in capsys.readouterr().out
    assert _rows(empty_target, "SELECT COUNT(*) FROM addressees_person") == city
    numbers = PersonalNumber.objects.count()
    assert _rows(empty_target, "SELECT COUNT(*) FROM privacy_personalnumber") == numbers

    env = {k: v for k, v in os.environ.items() if not k.startswith("KOUKI_")}
    env |= {"KOUKI_DATABASE_URL": empty_target, "KOUKI_KEYRING": str(load_keyring_path())}
    verified = _cli("audit", "verify", "--checkpoint-file", str(out / "checkpoints.jsonl"), env=env)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "consistent with the last checkpoint" in verified.stdout

    # a second restore into the same (now non-empty) database is refused and changes nothing
    assert main(["backup", "restore", str(out), "--database-url", empty_target]) == 2
    assert "not empty" in capsys.readouterr().err
    assert _rows(empty_target, "SELECT COUNT(*) FROM addressees_person") == city


def load_keyring_path() -> Path:
    from kouki.privacy.keys import keyring_path

    load_keyring()
    return keyring_path()


def test_tampering_and_a_wrong_passphrase_are_detected(
    city: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "b"
    assert main(["backup", "create", "--out", str(out)]) == 0
    capsys.readouterr()
    database = out / "database.kbk"
    original = database.read_bytes()

    changed = bytearray(original)
    changed[len(changed) // 2] ^= 0x01
    database.write_bytes(bytes(changed))
    assert main(["backup", "verify", str(out)]) == 1
    assert "database.kbk: changed since the backup was made" in capsys.readouterr().out

    database.write_bytes(original[: len(original) - 100])  # cut short
    assert main(["backup", "verify", str(out)]) == 1
    capsys.readouterr()
    database.write_bytes(original)

    manifest = json.loads((out / "manifest.json").read_text())
    manifest["counts"]["addressees_person"] += 1
    (out / "manifest.json").write_text(json.dumps(manifest))
    assert main(["backup", "verify", str(out)]) == 2
    assert "wrong KOUKI_BACKUP_PASSPHRASE, or the manifest was changed" in capsys.readouterr().err

    with (out / "checkpoints.jsonl").open("a") as f:
        f.write("{}\n")
    monkeypatch.setenv("KOUKI_BACKUP_PASSPHRASE", "a different passphrase entirely")
    assert main(["backup", "verify", str(out)]) == 2


def test_a_backup_is_refused_without_a_passphrase_or_into_a_used_folder(
    city: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    used = tmp_path / "used"
    used.mkdir()
    (used / "other.txt").write_text("x")
    assert main(["backup", "create", "--out", str(used)]) == 2
    assert "not an empty folder" in capsys.readouterr().err
    assert sorted(p.name for p in used.iterdir()) == ["other.txt"]
    monkeypatch.setenv("KOUKI_BACKUP_PASSPHRASE", "short")
    assert main(["backup", "create", "--out", str(tmp_path / "new")]) == 2
    assert "at least 12 characters" in capsys.readouterr().err
    monkeypatch.delenv("KOUKI_BACKUP_PASSPHRASE")
    assert main(["backup", "create", "--out", str(tmp_path / "new")]) == 2
    assert not (tmp_path / "new").exists()


def test_a_backup_killed_while_sealing_leaves_no_plain_dump_and_runs_again_into_its_folder(
    city: int, tmp_path: Path, empty_target: str
) -> None:
    """The dump is sealed as it is read (no plain copy on disk): killed (SIGKILL) with the whole database
    read and sealed but not yet renamed, the folder holds no file a reader could open without the
    passphrase, `verify` refuses it (no manifest), and the same command run again finishes it; verify and
    restore as commands of their own (a shell, not this process)."""
    from kouki.core.faults import FAULT_ENV

    out = tmp_path / "backups" / "nightly"
    db = connection.settings_dict
    url = (f"sqlite:///{db['NAME']}" if vendor_of(db) == "sqlite"
           else f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or '5432'}/{db['NAME']}")
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOUKI_")}
    env |= {"KOUKI_DATABASE_URL": url, "KOUKI_KEYRING": str(load_keyring_path()), "KOUKI_SECRET_KEY": "t",
            "KOUKI_BACKUP_PASSPHRASE": PASSPHRASE, "KOUKI_BATCH_USER": "ops.kimura"}
    killed = _cli("backup", "create", "--out", str(out), env=env | {FAULT_ENV: "before-rename:database"})
    assert killed.returncode == -9, killed.stdout + killed.stderr
    left = {p.name: p.read_bytes() for p in out.iterdir()}
    assert "manifest.json" not in left and "database.kbk" not in left and left
    for name, data in left.items():
        assert not data.startswith((b"SQLite format 3", b"PGDMP")), name
        assert b"privacy_personalnumber" not in data, name
    assert _cli("backup", "verify", str(out), env=env).returncode != 0

    again = _cli("backup", "create", "--out", str(out), env=env)
    assert again.returncode == 0, again.stdout + again.stderr
    assert sorted(p.name for p in out.iterdir()) == ["checkpoints.jsonl", "database.kbk", "manifest.json"]
    verified = _cli("backup", "verify", str(out), env=env)
    assert verified.returncode == 0 and "OK: decrypted" in verified.stdout, verified.stdout + verified.stderr
    restored = _cli("backup", "restore", str(out), "--database-url", empty_target, env=env)
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert _rows(empty_target, "SELECT COUNT(*) FROM addressees_person") == city


def test_the_keyring_export_is_sealed_apart_and_imports_into_a_new_file(
    city: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    export = tmp_path / "offline" / "keyring.kbk"
    monkeypatch.setenv("KOUKI_KEYRING_EXPORT_PASSPHRASE", PASSPHRASE)  # the same as the backup's: refused
    assert main(["keys", "export", "--out", str(export)]) == 2
    assert "must differ from KOUKI_BACKUP_PASSPHRASE" in capsys.readouterr().err
    monkeypatch.setenv("KOUKI_KEYRING_EXPORT_PASSPHRASE", EXPORT_PASSPHRASE)
    assert main(["keys", "export", "--out", str(export)]) == 0
    assert oct(export.stat().st_mode & 0o777) == "0o600"
    original = load_keyring_path().read_bytes()
    assert original not in export.read_bytes() and b'"keys"' not in export.read_bytes()
    assert AuditEntry.objects.filter(action="keys.export").count() == 1
    assert main(["keys", "export", "--out", str(export)]) == 2  # never overwrites

    restored = tmp_path / "new-keys" / "keyring.json"
    assert main(["keys", "import", str(export), "--path", str(restored)]) == 0
    assert restored.read_bytes() == original and oct(restored.stat().st_mode & 0o777) == "0o600"
    assert main(["keys", "import", str(export), "--path", str(restored)]) == 2  # never overwrites
    monkeypatch.setenv("KOUKI_KEYRING_EXPORT_PASSPHRASE", "not the right passphrase")
    assert main(["keys", "import", str(export), "--path", str(tmp_path / "x.json")]) == 2
    assert "wrong passphrase" in capsys.readouterr().err and not (tmp_path / "x.json").exists()
