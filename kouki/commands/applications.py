"""`kouki applications … --as USER`: the applications' round trip with the union (issue 12 §2).

- send:              申請情報 of a day: every 再鑑済 application not yet sent (once per day)
- medical-expenses:  療養費関連情報 of a month: the 療養費 applications sent that month (once per month)
- decisions:         the union's decisions taken in (`kouki import` / the daily inbox) onto the
                     applications: 送付済 → 決定 (a 更正 applied again)

Nothing printed contains a personal number: file names, counts, hashes and Japanese reasons only.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from kouki.accounts.permissions import Perm
from kouki.cli import CommandError
from kouki.commands.operator import add_operator_argument, command_actor
from kouki.commands.sent import print_sent


def _month(text: str) -> date:
    try:
        return date.fromisoformat(f"{text}-01")
    except ValueError:
        raise argparse.ArgumentTypeError("YYYY-MM") from None


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("applications", help="申請: 広域連合への送付と決定の反映")
    kinds = p.add_subparsers(dest="applications", required=True)
    send = kinds.add_parser("send", help="申請情報: 再鑑済の申請を広域連合へ送付する (日次)")
    send.add_argument("--date", type=date.fromisoformat, required=True, help="処理日")
    send.add_argument("--outbox", type=Path, required=True, help="送信ファイルの出力先")
    add_operator_argument(send, Perm.IMPORT_FILES)
    send.set_defaults(handler=run_send)
    medical = kinds.add_parser("medical-expenses", help="療養費関連情報: その月に送付した療養費の申請 (月次)")
    medical.add_argument("--month", type=_month, required=True, help="対象月 (YYYY-MM)")
    medical.add_argument("--outbox", type=Path, required=True, help="送信ファイルの出力先")
    add_operator_argument(medical, Perm.IMPORT_FILES)
    medical.set_defaults(handler=run_medical_expenses)
    decisions = kinds.add_parser("decisions", help="決定情報: 取り込んだ決定を申請に反映する")
    add_operator_argument(decisions, Perm.IMPORT_FILES)
    decisions.set_defaults(handler=run_decisions)


def _setup() -> None:
    from kouki.cli import setup_django

    setup_django()


def _refused(exc: Exception) -> CommandError:
    return CommandError(f"{getattr(exc, 'reason', exc)}; nothing was done")


def run_send(args: argparse.Namespace) -> int:
    _setup()
    from kouki.applications.services import ApplicationError
    from kouki.applications.union_send import APPLICATION_INFO, applications_send

    actor = command_actor(args, "applications send")
    try:
        result = applications_send(actor=actor, on=args.date, outbox=args.outbox)
    except ApplicationError as exc:
        raise _refused(exc) from None
    print_sent([result.sent] if result.sent else [], [APPLICATION_INFO] if result.already_sent else [],
               result.on)  # fmt: skip
    if result.no_union_kind:
        print(f"not sent (no 申請種別 in 申請情報: 限度額認定, 長期入院, 特定疾病, 高額介護合算, 簡易申告): "
              f"{result.no_union_kind}")  # fmt: skip
    for reason, count in sorted(result.not_sendable.items()):
        print(f"not sent ({reason}): {count}")
    for no, name, reason in result.held:
        print(f"held {no} ({name + ': ' if name else ''}{reason}); it stays 再鑑済 and is not sent")
    return 0


def run_medical_expenses(args: argparse.Namespace) -> int:
    _setup()
    from kouki.applications.services import ApplicationError
    from kouki.applications.union_send import MEDICAL_EXPENSE_INFO, medical_expenses_send

    actor = command_actor(args, "applications medical-expenses")
    try:
        result = medical_expenses_send(actor=actor, month=args.month, outbox=args.outbox)
    except ApplicationError as exc:
        raise _refused(exc) from None
    print_sent([result.sent] if result.sent else [], [MEDICAL_EXPENSE_INFO] if result.already_sent else [],
               result.month)  # fmt: skip
    if result.without_care_period:
        print(f"not sent (療養期間・実日数の記載なし): {result.without_care_period}")
    for reason, count in sorted(result.not_sendable.items()):
        print(f"not sent ({reason}): {count}")
    return 0


def run_decisions(args: argparse.Namespace) -> int:
    _setup()
    from kouki.applications.decisions import applications_decisions_apply
    from kouki.applications.services import ApplicationError

    actor = command_actor(args, "applications decisions")
    try:
        result = applications_decisions_apply(actor=actor)
    except ApplicationError as exc:
        raise _refused(exc) from None
    print(f"decided: {result.decided}  corrected: {result.corrected}  unchanged: {result.unchanged}")
    return 0
