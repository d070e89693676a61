"""`kouki keys`: the keyring for personal-number encryption (docs/operations/keys.md).

    kouki keys init --path FILE     create a keyring (mode 0600); never overwrites
    kouki keys status               key ids, which is active, rows per key, file permissions
    kouki keys rotate --as USER     new active key, every stored number re-encrypted under it; run
                                    again after an interruption to finish (no second new key)
    kouki keys reencrypt --as USER  every row not under the active key re-encrypted (finishes a rotation
                                    that was cut short, as `rotate` run again does)
    kouki keys retire KEY_ID --as USER   drop an old key once no row uses it
    kouki keys rotate-audit --as USER    new active audit key (seals the audit and reference logs); run
                                    again after an interruption to finish
    kouki keys rotate-search-hash --as USER  new search-hash key, every blind index re-made, old key
                                    dropped; run again after an interruption to finish
    kouki keys export --out FILE --as USER   the keyring sealed for offline custody (keys_export.py)
    kouki keys import FILE --path KEYRING    unseal an export into a new keyring file

rotate, reencrypt, retire, rotate-audit and rotate-search-hash run as a named staff member holding MANAGE_KEYS
(or $KOUKI_BATCH_USER).

No command prints key material or a number.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from kouki.accounts.permissions import Perm
from kouki.commands.keys_export import register_subcommands
from kouki.commands.operator import add_operator_argument, command_actor


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("keys", help="個人番号暗号鍵の管理 (keyring management)")
    keys_sub = p.add_subparsers(dest="keys_command", required=True)
    register_subcommands(keys_sub)

    init = keys_sub.add_parser("init", help="新しい鍵ファイルを作成する (create a keyring)")
    init.add_argument("--path", type=Path, default=None, help="keyring file (default: $KOUKI_KEYRING)")
    init.set_defaults(handler=run_init)

    status = keys_sub.add_parser("status", help="鍵の状態を表示する (key ids and their use)")
    status.set_defaults(handler=run_status)

    for name, handler, text in (
        ("rotate", run_rotate, "新しい鍵で全件を再暗号化する (rotate)"),
        ("reencrypt", run_reencrypt, "有効な鍵以外の行を再暗号化する (finish a rotation)"),
    ):
        q = keys_sub.add_parser(name, help=text)
        q.add_argument("--batch-size", type=int, default=1000)
        add_operator_argument(q, Perm.MANAGE_KEYS)
        q.set_defaults(handler=handler)

    retire = keys_sub.add_parser("retire", help="使われていない旧鍵を削除する (retire a key)")
    retire.add_argument("key_id")
    add_operator_argument(retire, Perm.MANAGE_KEYS)
    retire.set_defaults(handler=run_retire)

    audit = keys_sub.add_parser("rotate-audit", help="監査鍵を更新する (new audit key)")
    add_operator_argument(audit, Perm.MANAGE_KEYS)
    audit.set_defaults(handler=run_rotate_audit)

    search = keys_sub.add_parser("rotate-search-hash",
                                 help="検索用ハッシュ鍵を更新し全件を索引し直す (rotate the blind-index key)")
    search.add_argument("--batch-size", type=int, default=1000)
    add_operator_argument(search, Perm.MANAGE_KEYS)
    search.set_defaults(handler=run_rotate_search_hash)


def run_init(args: argparse.Namespace) -> int:
    from kouki.cli import CommandError
    from kouki.privacy.keys import KeyringError, create_keyring

    path: Path | None = args.path
    if path is None:
        env = os.environ.get("KOUKI_KEYRING", "")
        if not env:
            raise CommandError("give --path FILE or set KOUKI_KEYRING")
        path = Path(env)
    try:
        create_keyring(path)
    except (KeyringError, OSError) as exc:
        raise CommandError(str(exc)) from None
    print(f"created keyring {path} (mode 0600, active key k1)")
    print("back it up now, apart from database backups: see docs/operations/keys.md")
    return 0


def _setup() -> None:
    from kouki.cli import setup_django

    setup_django()


def _progress(table: str, done: int) -> None:
    print(f"  {table}: {done} rows re-encrypted", file=sys.stderr)


def run_status(args: argparse.Namespace) -> int:
    _setup()
    from kouki.cli import CommandError
    from kouki.privacy.keys import KeyringError, keyring_path, load_keyring, permission_problem
    from kouki.privacy.search_rotation import search_key_usage
    from kouki.privacy.selectors import audit_key_usage, key_usage

    try:
        ring = load_keyring()
        path = keyring_path()
    except KeyringError as exc:
        raise CommandError(str(exc)) from None
    usage = key_usage()
    print(f"keyring {path}")
    for key_id in sorted(set(ring.keys) | set(usage)):
        mark = " (active)" if key_id == ring.active else ""
        missing = "" if key_id in ring.keys else "  MISSING FROM KEYRING"
        print(f"  {key_id}{mark}: {usage.get(key_id, 0)} rows{missing}")
    search_usage = search_key_usage()
    for key_id in sorted(set(ring.search_keys) | set(search_usage)):
        mark = " (active)" if key_id == ring.search_active else ""
        missing = "" if key_id in ring.search_keys else "  MISSING FROM KEYRING"
        print(f"  search-hash key {key_id}{mark}: {search_usage.get(key_id, 0)} rows{missing}")
    if len(ring.search_keys) > 1 or "search" in ring.rotating:
        print("warning: a search-hash rotation is unfinished: run `kouki keys rotate-search-hash --as USER`")
    for kind, command in (("keys", "rotate"), ("audit", "rotate-audit")):
        if kind in ring.rotating:
            print(f"warning: the rotation to {ring.rotating[kind][1]} is unfinished: run "
                  f"`kouki keys {command} --as USER` to finish it (no new key is made)")
    audit_usage = audit_key_usage()
    for key_id in sorted(set(ring.audit_keys) | set(audit_usage)):
        mark = " (active)" if key_id == ring.audit_active else ""
        missing = "" if key_id in ring.audit_keys else "  MISSING FROM KEYRING"
        print(f"  audit key {key_id}{mark}: {audit_usage.get(key_id, 0)} log rows{missing}")
    if not ring.audit_active:
        print("warning: no audit key: run `kouki keys rotate-audit --as USER` "
              "(audited writes stop without one)")
    problem = permission_problem(path)
    if problem:
        print(f"warning: {problem}")
    lost = (any(k not in ring.keys for k in usage) or any(k not in ring.audit_keys for k in audit_usage)
            or any(k not in ring.search_keys for k in search_usage))
    return 1 if problem or lost or not ring.audit_active else 0


def _reencryption(job: str, args: argparse.Namespace) -> Any:
    """Run keys_rotate or reencrypt_all, turning key problems into an operator message."""
    _setup()
    from kouki.cli import CommandError
    from kouki.privacy.keys import KeyringError
    from kouki.privacy.rotation import keys_rotate, reencrypt_all
    from kouki.privacy.vault import DecryptionFailed

    actor = command_actor(args, f"keys {job}")
    function = keys_rotate if job == "rotate" else reencrypt_all
    try:
        return function(actor=actor, batch_size=args.batch_size, progress=_progress)
    except (KeyringError, DecryptionFailed, ValueError) as exc:
        raise CommandError(str(exc)) from None


def run_rotate(args: argparse.Namespace) -> int:
    result = _reencryption("rotate", args)
    if result.resumed:
        print("finished an interrupted rotation (no new key made): ", end="")
    print(f"active key {result.active_key} (was {result.previous_key}); re-encrypted "
          f"{result.personal_numbers} personal numbers and {result.pending} confirmation-list rows")
    print(f"back up the keyring now; retire {result.previous_key} with `kouki keys retire "
          f"{result.previous_key}` once no database backup needs it")
    return 0


def run_reencrypt(args: argparse.Namespace) -> int:
    result = _reencryption("reencrypt", args)
    if result.resumed:
        print(f"finished the interrupted rotation from {result.previous_key}: ", end="")
    print(f"active key {result.active_key}; re-encrypted {result.personal_numbers} personal numbers "
          f"and {result.pending} confirmation-list rows")
    return 0


def run_retire(args: argparse.Namespace) -> int:
    _setup()
    from kouki.cli import CommandError
    from kouki.privacy.keys import KeyringError
    from kouki.privacy.rotation import keys_retire

    actor = command_actor(args, "keys retire")
    try:
        keys_retire(actor=actor, key_id=args.key_id)
    except KeyringError as exc:
        raise CommandError(str(exc)) from None
    print(f"retired key {args.key_id}")
    return 0


def run_rotate_audit(args: argparse.Namespace) -> int:
    _setup()
    from kouki.cli import CommandError
    from kouki.privacy.keys import KeyringError
    from kouki.privacy.rotation import audit_key_rotate

    actor = command_actor(args, "keys rotate-audit")
    try:
        previous, new, resumed = audit_key_rotate(actor=actor)
    except KeyringError as exc:
        raise CommandError(str(exc)) from None
    if resumed:
        print("finished an interrupted rotation (no new key made): ", end="")
    print(f"active audit key {new} (was {previous or 'none'}); older audit keys stay for verification")
    print("back up the keyring now: `kouki audit verify` needs every audit key its rows name")
    return 0


def run_rotate_search_hash(args: argparse.Namespace) -> int:
    _setup()
    from kouki.cli import CommandError
    from kouki.privacy.keys import KeyringError
    from kouki.privacy.search_rotation import search_hash_rotate
    from kouki.privacy.vault import DecryptionFailed

    actor = command_actor(args, "keys rotate-search-hash")

    def progress(table: str, done: int) -> None:
        print(f"  {table}: {done} rows re-indexed", file=sys.stderr)

    try:
        result = search_hash_rotate(actor=actor, batch_size=args.batch_size, progress=progress)
    except (KeyringError, DecryptionFailed, ValueError) as exc:
        raise CommandError(f"{exc} (run the command again to finish the rotation)") from None
    what = "finished an interrupted rotation" if result.resumed else "rotated"
    print(f"{what}: active search-hash key {result.active_key}; re-indexed {result.personal_numbers} "
          f"personal numbers and {result.pending} confirmation-list rows; retired "
          f"{', '.join(result.previous_keys) or 'nothing'}")
    print("back up the keyring now: the database needs the new search-hash key, and no longer the old one")
    return 0
