"""`kouki batch daily|initial|instalments --as USER`: the daily exchange with the union (and the go-live full
extract), and the instalment plans with their notices. The named staff member is written in the audit rows
and in every file record (docs/operations/batch-calendar.md: who may run what).

Nothing printed here contains a personal number: file names, counts and hashes only.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from kouki.accounts.permissions import Perm
from kouki.cli import CommandError
from kouki.commands.operator import add_operator_argument, command_actor
from kouki.commands.sent import print_sent


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("batch", help="日次バッチ (daily batch with the union)")
    kinds = p.add_subparsers(dest="batch", required=True)
    daily = kinds.add_parser(
        "daily", help="日次: 広域連合への送信ファイル作成、年齢到達予定者一覧、受信ファイル取込")
    daily.add_argument("--date", type=date.fromisoformat, required=True, help="処理日 (YYYY-MM-DD)")
    daily.add_argument("--outbox", type=Path, required=True, help="送信ファイルの出力先")
    daily.add_argument("--inbox", type=Path, required=True, help="広域連合からの受信ファイルの置き場所")
    add_operator_argument(daily, Perm.IMPORT_FILES)
    daily.set_defaults(handler=run_daily)
    initial = kinds.add_parser("initial", help="初回一括: 対象世帯全員の住民基本台帳情報など")
    initial.add_argument("--date", type=date.fromisoformat, required=True, help="基準日 (YYYY-MM-DD)")
    initial.add_argument("--outbox", type=Path, required=True, help="送信ファイルの出力先")
    add_operator_argument(initial, Perm.IMPORT_FILES)
    initial.set_defaults(handler=run_initial)
    inst = kinds.add_parser(
        "instalments", help="期割: 当初の期割計画と保険料額決定通知書、更正後の再計画と変更通知")
    inst.add_argument("--fiscal-year", type=int, required=True, help="賦課年度")
    inst.add_argument("--on", type=date.fromisoformat, required=True, help="処理日 (YYYY-MM-DD)")
    inst.add_argument("--out", type=Path, required=True, help="通知書PDFの出力先")
    add_operator_argument(inst, Perm.RUN_BATCHES)
    inst.set_defaults(handler=run_instalments)


def run_daily(args: argparse.Namespace) -> int:
    from kouki.cli import setup_django

    if not args.inbox.is_dir():
        raise CommandError(f"{args.inbox}: no such directory")
    setup_django()
    from kouki.eligibility.batch import batch_daily
    from kouki.interfaces.importing import Outcome

    actor = command_actor(args, "batch daily")
    result = batch_daily(actor=actor, on=args.date, outbox=args.outbox, inbox=args.inbox)
    print_sent(result.sent, result.already_sent, result.on)
    print(f"年齢到達予定者: {result.age_report}")
    rejected = 0
    for outcome in result.imported:
        print(f"import: {outcome.file_name}  {outcome.outcome.value}  {outcome.record_count} records")
        if outcome.outcome == Outcome.REJECTED:
            rejected += 1
            print(f"  report: {outcome.report_path}")
        elif outcome.warnings:
            print(f"  warnings: {len(outcome.warnings)}; report: {outcome.warnings_path}")
    return 1 if rejected else 0


def run_initial(args: argparse.Namespace) -> int:
    from kouki.cli import setup_django

    setup_django()
    from kouki.eligibility.batch import batch_initial

    actor = command_actor(args, "batch initial")
    result = batch_initial(actor=actor, on=args.date, outbox=args.outbox)
    print_sent(result.sent, result.already_sent, result.on)
    return 0


def run_instalments(args: argparse.Namespace) -> int:
    from kouki.cli import setup_django

    setup_django()
    from kouki.assessment.planning_config import PlanningError
    from kouki.collection.instalment_batch import instalment_batch

    actor = command_actor(args, "batch instalments")
    try:
        result = instalment_batch(actor=actor, fiscal_year=args.fiscal_year, on=args.on, out_dir=args.out)
    except PlanningError as exc:
        raise CommandError(str(exc)) from None
    print(f"planned: {result.planned}  replanned: {result.replanned}")
    for path in result.files:
        print(f"wrote: {path}")
    return 0
