"""`kouki staff keys` / `kouki staff revoke-key`: a person's registered WebAuthn terminals (issue 14 §5).

  kouki staff keys --username U                                      登録された生体認証の端末の一覧
  kouki staff revoke-key --username U --key N --reason 理由 --as 管理者   (端末の紛失・交換; 即時無効)

The same as 職員アカウントの操作 → 生体認証の端末 on the administrator's screen; revoke-key runs `--as` an
administrator holding MANAGE_STAFF and writes the audit row 「生体認証(端末)の登録の失効」.
"""

from __future__ import annotations

import argparse

from kouki.accounts.permissions import Perm
from kouki.commands.operator import add_operator_argument, command_actor


def add_parsers(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    k = actions.add_parser("keys", help="登録された生体認証(WebAuthn)の端末の一覧")
    k.add_argument("--username", required=True)
    k.set_defaults(handler=run_keys)
    r = actions.add_parser("revoke-key", help="生体認証の端末の登録を失効させる (紛失・交換)")
    r.add_argument("--username", required=True)
    r.add_argument("--key", type=int, required=True, help="`kouki staff keys` の番号")
    r.add_argument("--reason", required=True)
    add_operator_argument(r, Perm.MANAGE_STAFF)
    r.set_defaults(handler=run_revoke_key)


def _account_id(username: str) -> int:
    from kouki.accounts.models import StaffUser
    from kouki.cli import CommandError

    user = StaffUser.objects.filter(username=username.strip()).first()
    if user is None:
        raise CommandError("その職員IDはありません")
    return int(user.pk)


def run_keys(args: argparse.Namespace) -> int:
    from kouki.cli import setup_django

    setup_django()
    from kouki.accounts.selectors import webauthn_credentials

    print("番号\t端末名\t登録日時\t最終使用\t状態")
    for key in webauthn_credentials(_account_id(args.username)):
        state = f"失効 {key.revoked_at:%Y-%m-%d %H:%M} ({key.revoke_reason})" if key.revoked_at else "有効"
        used = f"{key.last_used_at:%Y-%m-%d %H:%M}" if key.last_used_at else "-"
        print(f"{key.pk}\t{key.name}\t{key.created_at:%Y-%m-%d %H:%M}\t{used}\t{state}")
    return 0


def run_revoke_key(args: argparse.Namespace) -> int:
    from kouki.cli import CommandError, setup_django

    setup_django()
    from kouki.staff.webauthn_keys import KeyRefused, key_revoke

    actor = command_actor(args, "staff revoke-key")
    try:
        key = key_revoke(actor=actor, user_id=_account_id(args.username), credential_id=args.key,
                         reason=args.reason)
    except KeyRefused as exc:
        raise CommandError(str(exc)) from None
    print(f"{args.username}: 端末「{key.name}」の登録を失効させました")
    return 0
