"""`kouki backup`: encrypted database backups that restore (issue 16 §2, docs/operations/backup-restore.md).

    kouki backup create --out DIR --as USER     database + manifest + checkpoint file, sealed under
                                                KOUKI_BACKUP_PASSPHRASE (never the keyring)
    kouki backup verify DIR                     decrypts, checks the hashes, the manifest and the database
    kouki backup restore DIR --database-url URL into an empty database only; counts checked

create runs as a staff member holding RUN_BATCHES (the nightly job, $KOUKI_BATCH_USER). verify and restore
need only the passphrase: restore targets a database with nobody in it yet to sign in as. Exit 0 when
everything holds, 1 when the backup fails a check, 2 when it cannot be read or the target is refused.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kouki.accounts.permissions import Perm
from kouki.commands.operator import add_operator_argument, command_actor


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("backup", help="バックアップ (encrypted database backups)")
    backup_sub = p.add_subparsers(dest="backup_command", required=True)
    create = backup_sub.add_parser("create", help="バックアップを作成する (database, manifest, checkpoints)")
    create.add_argument("--out", type=Path, required=True, help="a new (or empty) folder for this backup")
    add_operator_argument(create, Perm.RUN_BATCHES)
    create.set_defaults(handler=run_create)
    verify = backup_sub.add_parser("verify", help="バックアップを検査する (decrypt and check)")
    verify.add_argument("folder", type=Path)
    verify.set_defaults(handler=run_verify)
    restore = backup_sub.add_parser("restore", help="空のデータベースへ復元する (into an empty database)")
    restore.add_argument("folder", type=Path)
    restore.add_argument("--database-url", required=True,
                         help="the empty target database (sqlite:///PATH or postgres://…)")
    restore.set_defaults(handler=run_restore)


def _passphrase() -> str:
    from kouki.backups.manifest import BackupError
    from kouki.backups.service import backup_passphrase
    from kouki.cli import CommandError

    try:
        return backup_passphrase()
    except BackupError as exc:
        raise CommandError(str(exc)) from None


def run_create(args: argparse.Namespace) -> int:
    from kouki.cli import CommandError, setup_django

    setup_django()
    from kouki.backups.manifest import BackupError
    from kouki.backups.service import backup_create

    passphrase = _passphrase()
    actor = command_actor(args, "backup create")
    try:
        created = backup_create(actor=actor, folder=args.out, passphrase=passphrase)
    except BackupError as exc:
        raise CommandError(f"{exc}; no backup was made") from None
    for warning in created.warnings:
        print(f"WARNING: {warning}")
    print(f"backup written to {created.folder}: {len(created.counts)} tables, "
          f"{sum(created.counts.values())} rows, {created.plain_bytes} bytes before encryption")
    print("keep the keyring apart from it (kouki keys export), under another custodian")
    return 0


def _report(checked_problems: list[str], ok_text: str) -> int:
    for problem in checked_problems:
        print(f"PROBLEM: {problem}")
    if checked_problems:
        print(f"FAILED: {len(checked_problems)} problems")
        return 1
    print(ok_text)
    return 0


def run_verify(args: argparse.Namespace) -> int:
    from kouki.cli import CommandError, setup_django

    setup_django()  # the service reads the migrations' names (no connection to the configured database)
    from kouki.backups.manifest import BackupError
    from kouki.backups.service import backup_verify

    passphrase = _passphrase()
    try:
        checked = backup_verify(args.folder, passphrase)
    except BackupError as exc:
        raise CommandError(str(exc)) from None
    body = checked.manifest.body
    print(f"backup of a {body['vendor']} database made {body['created_at']} by {body['created_by']} "
          f"(kouki {body['kouki_version']}): {len(body['counts'])} tables, "
          f"{sum(body['counts'].values())} rows")
    return _report(checked.problems, "OK: decrypted; content, manifest, checkpoint file and database intact")


def run_restore(args: argparse.Namespace) -> int:
    from kouki.cli import CommandError, setup_django

    setup_django()  # the service restores into --database-url, never the configured database
    from kouki.backups.manifest import CHECKPOINTS, BackupError
    from kouki.backups.service import backup_restore

    passphrase = _passphrase()
    try:
        checked = backup_restore(args.folder, passphrase, args.database_url)
    except BackupError as exc:
        raise CommandError(f"{exc}; nothing was restored") from None
    status = _report(checked.problems, "OK: restored; every table's row count matches the manifest")
    if status == 0:
        print("next: KOUKI_DATABASE_URL=<that URL> kouki migrate, then kouki audit verify "
              f"--checkpoint-file {args.folder / CHECKPOINTS} with the same keyring")
    return status
