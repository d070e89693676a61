"""`kouki keys export | import`: the keyring sealed under its own passphrase, for offline custody
(issue 16 §2, docs/operations/keys.md).

    kouki keys export --out FILE --as USER    the keyring sealed under KOUKI_KEYRING_EXPORT_PASSPHRASE
    kouki keys import FILE --path KEYRING     unseal into a new keyring file (0600); never overwrites

The export passphrase must differ from KOUKI_BACKUP_PASSPHRASE (when both are set): whoever holds a
database backup must not also be able to open the keyring.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from kouki.accounts.permissions import Perm
from kouki.commands.operator import add_operator_argument, command_actor

EXPORT_PASSPHRASE = "KOUKI_KEYRING_EXPORT_PASSPHRASE"  # noqa: S105 (the setting's name)


def register_subcommands(keys_sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    export = keys_sub.add_parser("export", help="鍵ファイルを暗号化して書き出す (sealed keyring export)")
    export.add_argument("--out", type=Path, required=True, help="the sealed file to write (must not exist)")
    add_operator_argument(export, Perm.MANAGE_KEYS)
    export.set_defaults(handler=run_export)
    imp = keys_sub.add_parser("import", help="書き出した鍵ファイルを復元する (restore a sealed export)")
    imp.add_argument("file", type=Path)
    imp.add_argument("--path", type=Path, required=True, help="the keyring file to create (must not exist)")
    imp.set_defaults(handler=run_import)


def _export_passphrase() -> str:
    from kouki.cli import CommandError
    from kouki.core.passphrase_box import PassphraseBoxError, passphrase_from

    try:
        passphrase = passphrase_from(EXPORT_PASSPHRASE, "the export is always sealed")
    except PassphraseBoxError as exc:
        raise CommandError(str(exc)) from None
    if passphrase == os.environ.get("KOUKI_BACKUP_PASSPHRASE"):
        raise CommandError(f"{EXPORT_PASSPHRASE} must differ from KOUKI_BACKUP_PASSPHRASE "
                           "(a database backup and its keyring are kept by different custodians)")
    return passphrase


def _write_new(path: Path, data: bytes) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.tmp")
    with os.fdopen(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    try:
        os.link(temp, path)  # fails if `path` appeared meanwhile: never overwrites
    finally:
        temp.unlink()


def run_export(args: argparse.Namespace) -> int:
    from kouki.cli import CommandError, setup_django

    setup_django()
    from django.db import transaction

    from kouki.core.audit_vocabulary import AuditAction
    from kouki.core.passphrase_box import sealed_bytes
    from kouki.privacy.audit import audit_record
    from kouki.privacy.keys import KeyringError, keyring_path, load_keyring

    passphrase = _export_passphrase()
    actor = command_actor(args, "keys export")
    if args.out.exists():
        raise CommandError(f"{args.out}: exists; an export never overwrites a file")
    try:
        ring = load_keyring()  # refuses a keyring others can read, or one that does not parse
        data = keyring_path().read_bytes()
    except (KeyringError, OSError) as exc:
        raise CommandError(str(exc)) from None
    with transaction.atomic():
        audit_record(actor=actor, action=AuditAction.KEYS_EXPORT,
                     detail={"file": args.out.name, "keys": len(ring.keys),
                             "audit_keys": len(ring.audit_keys)})
        _write_new(args.out, sealed_bytes(data, passphrase))
    print(f"sealed keyring written to {args.out} (0600): {len(ring.keys)} number keys, "
          f"{len(ring.audit_keys)} audit keys; keep it offline, apart from the database backups")
    return 0


def run_import(args: argparse.Namespace) -> int:
    from kouki.cli import CommandError
    from kouki.core.passphrase_box import PassphraseBoxError, opened_bytes
    from kouki.privacy.keys import KeyringError, parse_keyring

    passphrase = _export_passphrase()
    if args.path.exists():
        raise CommandError(f"{args.path}: exists; import never overwrites a keyring")
    try:
        data = opened_bytes(args.file.read_bytes(), passphrase)
        ring = parse_keyring(json.loads(data))
    except OSError as exc:
        raise CommandError(f"{args.file}: {exc.strerror}") from None
    except (PassphraseBoxError, KeyringError, ValueError) as exc:
        raise CommandError(f"{args.file}: {exc}") from None
    _write_new(args.path, data)
    print(f"keyring restored to {args.path} (0600): {len(ring.keys)} number keys, "
          f"{len(ring.audit_keys)} audit keys")
    return 0
