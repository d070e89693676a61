"""`kouki staff`: enrol, disable, unlock and review staff accounts (SEC-01…SEC-06).

  kouki staff create --username U --name 氏名 --role ROLE [--office 所属] [--staff-no 職員番号]
                     [--password-file F] [--request-ref 申請番号]
      Password: from --password-file, else the environment variable KOUKI_STAFF_PASSWORD, else asked
      twice at the terminal (never an argument: it would show in the process list and shell history).
      Prints the TOTP provisioning URI (otpauth://…) once, for the member's authenticator app.
  kouki staff disable --username U --reason 理由 --as 管理者のユーザー名
  kouki staff enable --username U --reason 理由 --as 管理者のユーザー名   (利用停止したアカウントの利用再開)
  kouki staff unlock --username U --as 管理者のユーザー名
  kouki staff reset-totp --username U --as 管理者のユーザー名
  kouki staff inventory          accounts × role × permissions × last login (棚卸)

create, disable, unlock and reset-totp run `--as USER`, an administrator holding MANAGE_STAFF (or
$KOUKI_BATCH_USER). Only while no active account holds MANAGE_STAFF (installing: the first administrator)
may they run without --as (KOUKI_BATCH_USER is not used then); the audit rows name the operating-system
user (`setup:<user>`).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kouki.accounts.permissions import ROLE_LABELS, Perm, Role
from kouki.commands.operator import add_operator_argument, command_actor

if TYPE_CHECKING:
    from kouki.privacy.context import Actor

PASSWORD_ENV = "KOUKI_STAFF_PASSWORD"  # noqa: S105 (the name of a variable, not a password)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("staff", help="職員アカウントの登録・停止・棚卸 (staff accounts)")
    actions = p.add_subparsers(dest="staff_action", required=True)

    roles = ", ".join(f"{r.value}={ROLE_LABELS[r]}" for r in Role)
    c = actions.add_parser("create", help="職員一人のアカウントを登録し、二要素認証の登録URIを表示する")
    c.add_argument("--username", required=True, help="職員ID (英小文字・数字・._-; 共用IDは不可)")
    c.add_argument("--name", required=True, dest="staff_name", help="職員氏名 (必須: アカウントは一人に一つ)")
    c.add_argument("--role", required=True, choices=[r.value for r in Role], help=f"役割: {roles}")
    c.add_argument("--office", default="", help="所属 (例: 浦和区保険年金課)")
    c.add_argument("--staff-no", default="", help="職員番号 (同一職員の重複登録を防ぐ)")
    c.add_argument("--password-file", type=Path,
                   help=f"初期パスワードを書いたファイル (または環境変数 {PASSWORD_ENV})")
    c.add_argument("--request-ref", default="", help="申請番号 (所属からの申請, SEC-05)")
    add_operator_argument(c, Perm.MANAGE_STAFF)
    c.set_defaults(handler=run_create)

    d = actions.add_parser("disable", help="アカウントを利用停止する (IDは再利用されない)")
    d.add_argument("--username", required=True)
    d.add_argument("--reason", required=True, help="停止理由 (異動・退職・棚卸で不要と判明 など)")
    d.add_argument("--request-ref", default="")
    add_operator_argument(d, Perm.MANAGE_STAFF)
    d.set_defaults(handler=run_disable)

    e = actions.add_parser("enable", help="利用停止したアカウントの利用を再開する (同じ職員に限る)")
    e.add_argument("--username", required=True)
    e.add_argument("--reason", required=True, help="再開理由 (誤って停止した、休職からの復帰 など)")
    e.add_argument("--request-ref", default="")
    add_operator_argument(e, Perm.MANAGE_STAFF)
    e.set_defaults(handler=run_enable)

    u = actions.add_parser("unlock", help="ロックを解除する")
    u.add_argument("--username", required=True)
    add_operator_argument(u, Perm.MANAGE_STAFF)
    u.set_defaults(handler=run_unlock)

    r = actions.add_parser("reset-totp", help="二要素認証を再登録する (端末紛失時)")
    r.add_argument("--username", required=True)
    add_operator_argument(r, Perm.MANAGE_STAFF)
    r.set_defaults(handler=run_reset_totp)

    i = actions.add_parser("inventory", help="アカウント×権限×最終ログインの一覧 (棚卸)")
    i.set_defaults(handler=run_inventory)


def _operator(args: argparse.Namespace, job: str) -> Actor:
    """The administrator named by --as (or KOUKI_BATCH_USER); before any administrator exists, the
    operating-system user — the environment's default is not used then, an explicit --as still is."""
    from kouki.staff.operators import holders_exist, setup_actor

    if not args.as_user and not holders_exist(Perm.MANAGE_STAFF):
        return setup_actor()
    return command_actor(args, f"staff {job}")


def _read_password(path: Path | None) -> str:
    from kouki.cli import CommandError

    if path is not None:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"{path}: cannot read the password file ({exc.strerror})") from None
        password = text.rstrip("\r\n")
        if not password:
            raise CommandError(f"{path}: the password file is empty")
        return password
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    if not sys.stdin.isatty():
        raise CommandError(f"no password: give --password-file or set {PASSWORD_ENV} (no terminal to ask on)")
    first = getpass.getpass("初期パスワード: ")
    second = getpass.getpass("初期パスワード(確認): ")
    if first != second:
        raise CommandError("the two passwords differ")
    return first


def run_create(args: argparse.Namespace) -> int:
    from kouki.cli import CommandError, setup_django

    setup_django()
    from kouki.staff.services import StaffAccountError, staff_create

    actor = _operator(args, "create")
    password = _read_password(args.password_file)
    try:
        enrolment = staff_create(
            actor=actor,
            username=args.username, staff_name=args.staff_name, role=args.role, password=password,
            office=args.office, staff_no=args.staff_no, request_ref=args.request_ref,
        )
    except StaffAccountError as exc:
        raise CommandError(str(exc)) from None
    user = enrolment.user
    print(f"職員アカウントを登録しました: {user.username} ({user.staff_name}, {user.get_role_display()})")
    print("認証アプリに次のURIを登録してください (この表示は一度だけです):")
    print(enrolment.provisioning_uri)
    return 0


def _simple(args: argparse.Namespace, action: str) -> int:
    from kouki.cli import CommandError, setup_django

    setup_django()
    from kouki.staff import services

    try:
        if action == "disable":
            services.staff_disable(actor=_operator(args, "disable"), username=args.username,
                                   reason=args.reason, request_ref=args.request_ref)
            print(f"{args.username}: 利用停止しました")
        elif action == "enable":
            services.staff_enable(actor=_operator(args, "enable"), username=args.username,
                                  reason=args.reason, request_ref=args.request_ref)
            print(f"{args.username}: 利用を再開しました")
        elif action == "unlock":
            services.staff_unlock(actor=_operator(args, "unlock"), username=args.username)
            print(f"{args.username}: ロックを解除しました")
        else:
            enrolment = services.staff_reset_totp(actor=_operator(args, "reset-totp"),
                                                  username=args.username)
            print(f"{args.username}: 二要素認証を再登録しました。認証アプリに次のURIを登録してください:")
            print(enrolment.provisioning_uri)
    except services.StaffAccountError as exc:
        raise CommandError(str(exc)) from None
    return 0


def run_disable(args: argparse.Namespace) -> int:
    return _simple(args, "disable")


def run_enable(args: argparse.Namespace) -> int:
    return _simple(args, "enable")


def run_unlock(args: argparse.Namespace) -> int:
    return _simple(args, "unlock")


def run_reset_totp(args: argparse.Namespace) -> int:
    return _simple(args, "reset-totp")


def run_inventory(args: argparse.Namespace) -> int:
    from kouki.cli import setup_django

    setup_django()
    from kouki.accounts.selectors import staff_inventory

    print("職員ID\t氏名\t職員番号\t所属\t役割\t権限\t最終ログイン\t状態")
    for row in staff_inventory():
        state = "停止" if not row.is_active else ("ロック中" if row.locked else "有効")
        last = row.last_login.isoformat(timespec="minutes") if row.last_login else "なし"
        perms = ",".join(str(p) for p in row.permissions)
        print("\t".join([row.username, row.staff_name, row.staff_no, row.office, row.role_label, perms, last,
                         state]))
    return 0
