"""`kouki staff`: register, request, approve, disable, unlock and review staff accounts (SEC-01…SEC-08,
issue 14 §4).

  kouki staff create --username U --name 氏名 --role ROLE [--office 所属] [--staff-no 職員番号]
                     [--kessai-ref 決裁番号] [--as 管理者]
      Registers the account without any factor and prints its one-time enrolment code (XXXX-XXXX-XXXX-XXXX,
      once): the owner sets their own password and TOTP at /enrol/. For the first administrator (no --as
      while no account holds MANAGE_STAFF) and the first section heads; after that accounts come through
      requests. --kessai-ref is required once an administrator exists.
  kouki staff request-account --username U --name 氏名 --role ROLE --reason 理由 [--staff-no N] --as 所属長
  kouki staff request-role --username U --role ROLE --reason 理由 --as 所属長
  kouki staff requests                                   承認待ちの申請の一覧
  kouki staff approve --request N --kessai-ref 決裁番号 --as 管理者   (新規発行なら登録コードを表示)
  kouki staff reject --request N --reason 理由 --as 管理者
  kouki staff disable --username U --reason 理由 --as 管理者
  kouki staff enable --username U --reason 理由 --as 管理者   (利用停止したアカウントの利用再開)
  kouki staff unlock --username U --as 管理者
  kouki staff reset-totp --username U --reason 理由 --as 管理者   (登録コードの再発行; 旧TOTPは即時無効)
  kouki staff inventory          accounts × role × permissions × last login, with findings (棚卸)
  kouki staff keys / revoke-key  registered WebAuthn terminals, and revoking one (kouki.commands.staff_keys)

create, disable, unlock and reset-totp run `--as USER`, an administrator holding MANAGE_STAFF (or
$KOUKI_BATCH_USER). Only while no active account holds MANAGE_STAFF (installing: the first administrator)
may they run without --as (KOUKI_BATCH_USER is not used then); the audit rows name the operating-system
user (`setup:<user>`).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from kouki.accounts.permissions import ROLE_LABELS, Perm, Role
from kouki.commands import staff_keys
from kouki.commands.operator import add_operator_argument, command_actor

if TYPE_CHECKING:
    from kouki.privacy.context import Actor
    from kouki.staff.enrol import Registered


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("staff", help="職員アカウントの登録・停止・棚卸 (staff accounts)")
    actions = p.add_subparsers(dest="staff_action", required=True)

    roles = ", ".join(f"{r.value}={ROLE_LABELS[r]}" for r in Role)
    c = actions.add_parser("create", help="職員一人のアカウントを登録し、本人が使う登録コードを表示する")
    c.add_argument("--username", required=True, help="職員ID (英小文字・数字・._-; 共用IDは不可)")
    c.add_argument("--name", required=True, dest="staff_name", help="職員氏名 (必須: アカウントは一人に一つ)")
    c.add_argument("--role", required=True, choices=[r.value for r in Role], help=f"役割: {roles}")
    c.add_argument("--office", default="", help="所属 (例: 浦和区保険年金課)")
    c.add_argument("--staff-no", default="", help="職員番号 (同一職員の重複登録を防ぐ)")
    c.add_argument("--kessai-ref", default="", help="決裁番号 (管理者がいる場合は必須, SEC-05/SEC-08)")
    add_operator_argument(c, Perm.MANAGE_STAFF)
    c.set_defaults(handler=run_create)

    q = actions.add_parser("request-account", help="所属の職員のアカウント発行を申請する (所属長)")
    q.add_argument("--username", required=True)
    q.add_argument("--name", required=True, dest="staff_name")
    q.add_argument("--role", required=True, choices=[r.value for r in Role], help=f"役割: {roles}")
    q.add_argument("--staff-no", default="")
    q.add_argument("--reason", required=True)
    add_operator_argument(q, Perm.REQUEST_ACCOUNTS)
    q.set_defaults(handler=run_request_account)

    g = actions.add_parser("request-role", help="所属の職員の役割の変更を申請する (所属長)")
    g.add_argument("--username", required=True)
    g.add_argument("--role", required=True, choices=[r.value for r in Role], help=f"役割: {roles}")
    g.add_argument("--reason", required=True)
    add_operator_argument(g, Perm.REQUEST_ACCOUNTS)
    g.set_defaults(handler=run_request_role)

    a = actions.add_parser("approve", help="申請を決裁番号を記録して承認する (新規発行なら登録コードを表示)")
    a.add_argument("--request", required=True, type=int, dest="request_id")
    a.add_argument("--kessai-ref", required=True)
    add_operator_argument(a, Perm.MANAGE_STAFF)
    a.set_defaults(handler=run_approve)

    j = actions.add_parser("reject", help="申請を却下する")
    j.add_argument("--request", required=True, type=int, dest="request_id")
    j.add_argument("--reason", required=True)
    add_operator_argument(j, Perm.MANAGE_STAFF)
    j.set_defaults(handler=run_reject)

    w = actions.add_parser("requests", help="承認待ちの申請の一覧")
    w.set_defaults(handler=run_requests)

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

    sealp = actions.add_parser("seal-secrets",
                               help="二要素認証の秘密鍵を現在の鍵で封緘し直す (平文の旧データ・鍵の更新後)")
    add_operator_argument(sealp, Perm.MANAGE_KEYS)
    sealp.set_defaults(handler=run_seal_secrets)

    r = actions.add_parser("reset-totp",
                           help="登録コードを再発行する (端末紛失・パスワード失念; 旧TOTPは即時無効)")
    r.add_argument("--username", required=True)
    r.add_argument("--reason", required=True)
    add_operator_argument(r, Perm.MANAGE_STAFF)
    r.set_defaults(handler=run_reset_totp)

    i = actions.add_parser("inventory", help="アカウント×権限×最終ログインの一覧 (棚卸)")
    i.set_defaults(handler=run_inventory)
    staff_keys.add_parsers(actions)  # keys, revoke-key (issue 14 §5)


def _operator(args: argparse.Namespace, job: str) -> Actor:
    """The administrator named by --as (or KOUKI_BATCH_USER); before any administrator exists, the
    operating-system user — the environment's default is not used then, an explicit --as still is."""
    from kouki.staff.operators import holders_exist, setup_actor

    actor = (
        setup_actor() if not args.as_user and not holders_exist(Perm.MANAGE_STAFF)
        else command_actor(args, f"staff {job}")
    )  # fmt: skip
    args.resolved_actor = actor  # the audit checkpoint after the command is written as the same actor
    return actor


def _print_code(registered: Registered) -> None:
    user = registered.user
    print(f"{user.username} ({user.staff_name}, {user.get_role_display()}) の登録コード "
          "(この表示は一度だけです):")
    print(f"  {registered.code}")
    print(f"  有効期限: {registered.expires_at}.")
    print("  本人に手渡し、本人が /enrol/ でパスワードと二要素認証を登録します")


def run_create(args: argparse.Namespace) -> int:
    from kouki.cli import CommandError, setup_django

    setup_django()
    from kouki.staff.enrol import staff_register
    from kouki.staff.operators import holders_exist
    from kouki.staff.services import StaffAccountError

    installing = not holders_exist(Perm.MANAGE_STAFF)
    actor = _operator(args, "create")
    ref = args.kessai_ref.strip() or ("(初期設定)" if installing else "")
    try:
        registered = staff_register(actor=actor, username=args.username, staff_name=args.staff_name,
                                    role=args.role, office=args.office, staff_no=args.staff_no,
                                    kessai_ref=ref)
    except StaffAccountError as exc:
        raise CommandError(str(exc)) from None
    print(f"職員アカウントを登録しました: {registered.user.username}")
    _print_code(registered)
    return 0


def run_request_account(args: argparse.Namespace) -> int:
    return _request(args, "request-account")


def run_request_role(args: argparse.Namespace) -> int:
    return _request(args, "request-role")


def run_approve(args: argparse.Namespace) -> int:
    return _request(args, "approve")


def run_reject(args: argparse.Namespace) -> int:
    return _request(args, "reject")


def _request(args: argparse.Namespace, job: str) -> int:
    from kouki.cli import CommandError, setup_django

    setup_django()
    from kouki.staff import requests
    from kouki.staff.services import StaffAccountError

    actor = command_actor(args, f"staff {job}")
    try:
        if job == "request-account":
            made = requests.request_new_account(actor=actor, username=args.username,
                                                staff_name=args.staff_name,
                                                role=args.role, reason=args.reason, staff_no=args.staff_no)
            print(f"申請しました (申請番号 {made.pk}、システム管理者の承認待ち)")
        elif job == "request-role":
            made = requests.request_role_change(actor=actor, username=args.username, role=args.role,
                                                reason=args.reason)
            print(f"申請しました (申請番号 {made.pk}、システム管理者の承認待ち)")
        elif job == "approve":
            registered = requests.approve(actor=actor, request_id=args.request_id, kessai_ref=args.kessai_ref)
            print(f"申請 {args.request_id} を承認しました (決裁番号 {args.kessai_ref.strip()})")
            if registered is not None:
                _print_code(registered)
        else:
            requests.reject(actor=actor, request_id=args.request_id, reason=args.reason)
            print(f"申請 {args.request_id} を却下しました")
    except StaffAccountError as exc:
        raise CommandError(str(exc)) from None
    return 0


def run_requests(args: argparse.Namespace) -> int:
    from kouki.cli import setup_django

    setup_django()
    from kouki.accounts.selectors import pending_requests, role_label

    print("申請番号\t種別\t職員ID\t氏名\t所属\t役割\t申請理由\t申請者")
    for r in pending_requests():
        role = (role_label(r.previous_role) + " → " if r.previous_role else "") + role_label(r.role)
        who = r.requested_by.username if r.requested_by else ""
        fields = [str(r.pk), r.get_kind_display(), r.username, r.staff_name, r.office, role, r.reason, who]
        print("\t".join(fields))
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
            from kouki.staff.enrol import staff_reissue_code

            registered = staff_reissue_code(actor=_operator(args, "reset-totp"), username=args.username,
                                            reason=args.reason)
            print(f"{args.username}: 二要素認証を無効にし、登録コードを再発行しました")
            _print_code(registered)
    except services.StaffAccountError as exc:
        raise CommandError(str(exc)) from None
    return 0


def run_disable(args: argparse.Namespace) -> int:
    return _simple(args, "disable")


def run_enable(args: argparse.Namespace) -> int:
    return _simple(args, "enable")


def run_unlock(args: argparse.Namespace) -> int:
    return _simple(args, "unlock")


def run_seal_secrets(args: argparse.Namespace) -> int:
    from kouki.cli import CommandError, setup_django

    setup_django()
    from kouki.privacy.keys import KeyringError
    from kouki.staff.services import staff_secrets_seal

    try:
        sealed = staff_secrets_seal(actor=command_actor(args, "staff seal-secrets"))
    except KeyringError as exc:
        raise CommandError(str(exc)) from None
    print(f"sealed under the active key: {sealed} second-factor secret(s)")
    return 0


def run_reset_totp(args: argparse.Namespace) -> int:
    return _simple(args, "reset-totp")


def run_inventory(args: argparse.Namespace) -> int:
    from kouki.cli import setup_django

    setup_django()
    from kouki.accounts.selectors import staff_inventory

    print("職員ID\t氏名\t職員番号\t所属\t役割\t権限\t最終ログイン\t状態\t指摘")
    for row in staff_inventory():
        state = "停止" if not row.is_active else ("ロック中" if row.locked else "有効")
        last = row.last_login.isoformat(timespec="minutes") if row.last_login else "なし"
        perms = ",".join(str(p) for p in row.permissions)
        flags = [name for name, on in (("長期未使用", row.dormant), ("申請と不一致", row.role_mismatch),
                                       ("本人の登録待ち", row.awaiting_enrolment)) if on]
        print("\t".join([row.username, row.staff_name, row.staff_no, row.office, row.role_label, perms, last,
                         state, ",".join(flags)]))
    return 0
