"""`kouki transfers …`: the 15 transfers as registered definitions (issue 13 §4, SEC-28).

- list:     every definition's current version: recipient, purpose, basis, method, frequency, approval
            (read-only; no personal data)
- load:     register the catalogue (kouki/transfers/catalogue.py): new definitions, new versions of changed
            ones (--as a holder of 移転定義の登録)
- approve:  one side's approval (決裁) of a definition's current version (--as a supervisor)
- paper:    a paper transfer: the 移転票 PDF for the receiving department, recorded (--as 移転の実行); the
            same transfer already recorded today is not printed again unless --again (a re-run after a crash)
- run:      a file transfer on its calendar: T03 --on DAY (daily 資格 to 区政推進部), T08 --month YYYY-MM
            (国保年金課), T15 --year YYYY (特別徴収 data to 法人課税課) (--as 移転の実行)
- records:  the transfer records (who, when, definition, count, file) and the union files without one
- counter:  the counter applications' paper transfers, T02 簡易申告 and T04 高額介護合算
            (kouki/commands/transfers_counter.py)

Nothing printed contains a personal number: codes, counts, file names and hashes only.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from kouki.accounts.permissions import Perm
from kouki.cli import CommandError
from kouki.commands.operator import add_operator_argument, command_actor


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("transfers", help="特定個人情報の移転: 移転定義・承認・移転票")
    kinds = p.add_subparsers(dest="transfers", required=True)
    listing = kinds.add_parser("list", help="移転定義の一覧 (移転先・目的・根拠・方法・頻度・承認)")
    listing.set_defaults(handler=run_list)
    load = kinds.add_parser("load", help="移転定義の登録 (カタログの新規・改版)")
    add_operator_argument(load, Perm.REGISTER_TRANSFERS)
    load.set_defaults(handler=run_load)
    approve = kinds.add_parser("approve", help="移転定義の承認 (移転元または移転先の決裁の記録)")
    approve.add_argument("code", help="移転番号 (T01〜T15)")
    approve.add_argument("--version", type=int, required=True, help="承認する版 (現在の版)")
    approve.add_argument("--side", choices=("sending", "receiving"), required=True, help="移転元 / 移転先")
    approve.add_argument("--kessai", required=True, help="決裁番号")
    approve.add_argument("--approver-name", default="", help="移転先の承認者の氏名 (移転先のとき必須)")
    approve.add_argument("--approver-office", default="", help="移転先の承認者の所属 (省略時は移転先)")
    add_operator_argument(approve, Perm.APPROVE_TRANSFER)
    approve.set_defaults(handler=run_approve)
    paper = kinds.add_parser("paper", help="紙による移転: 移転票を印刷し記録する")
    paper.add_argument("code", help="移転番号 (T01〜T15)")
    paper.add_argument("--addressee-no", required=True, help="対象者の宛名番号 (カンマ区切り)")
    paper.add_argument("--items", required=True, help="移転する項目 (カンマ区切り; 移転定義の項目のみ)")
    paper.add_argument("--out", type=Path, required=True, help="移転票の出力先")
    paper.add_argument("--again", action="store_true",
                       help="本日記録済みの同じ移転 (定義・対象者・項目) をもう一度行う (既定: 印刷しない)")
    add_operator_argument(paper, Perm.EXECUTE_TRANSFER)
    paper.set_defaults(handler=run_paper)
    run = kinds.add_parser("run", help="ファイルによる移転: T03 日次・T08 月次・T15 年次")
    run.add_argument("code", choices=FILE_TRANSFERS, help="移転番号")
    run.add_argument("--on", type=date.fromisoformat, help="T03: 対象日 (YYYY-MM-DD)")
    run.add_argument("--month", help="T08: 対象月 (YYYY-MM)")
    run.add_argument("--year", type=int, help="T15: 対象年 (暦年)")
    run.add_argument("--out", type=Path, required=True, help="移転ファイルの出力先")
    add_operator_argument(run, Perm.EXECUTE_TRANSFER)
    run.set_defaults(handler=run_file)
    records = kinds.add_parser("records", help="移転の記録 (実行者・日時・定義・件数・ファイル)")
    records.add_argument("--code", help="移転番号で絞り込む")
    add_operator_argument(records, Perm.EXECUTE_TRANSFER)
    records.set_defaults(handler=run_records)

    from kouki.commands.transfers_counter import register_counter

    register_counter(kinds)  # T02 簡易申告 → 市民税課, T04 高額介護合算 → 介護保険課


FILE_TRANSFERS = ("T03", "T08", "T15")


def _setup() -> None:
    from kouki.cli import setup_django

    setup_django()


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def run_list(args: argparse.Namespace) -> int:
    _setup()
    from kouki.transfers.selectors import definition_rows

    rows = definition_rows()
    if not rows:
        print("移転定義は登録されていません (kouki transfers load)")
    for r in rows:
        print(f"{r.code} 第{r.version}版 {r.approval}")
        print(f"  移転先: {r.recipient}  目的: {r.purpose}")
        print(f"  根拠: {r.legal_basis}")
        print(f"  方法: {r.methods}  頻度: {r.frequency}  項目: {r.items}")
    return 0


def run_load(args: argparse.Namespace) -> int:
    _setup()
    from kouki.transfers.services import transfers_load

    result = transfers_load(actor=command_actor(args, "transfers load"))
    print(f"registered: {result.created}  new versions: {result.revised}  unchanged: {result.unchanged}")
    return 0


def run_approve(args: argparse.Namespace) -> int:
    _setup()
    from kouki.transfers.models import Side
    from kouki.transfers.services import TransferRefused, transfer_approve

    actor = command_actor(args, "transfers approve")
    try:
        approval = transfer_approve(actor=actor, code=args.code, version=args.version, side=Side(args.side),
                                    kessai_ref=args.kessai, approver_name=args.approver_name,
                                    approver_office=args.approver_office)  # fmt: skip
    except TransferRefused as exc:
        raise CommandError(f"{exc.reason}; nothing was done") from None
    print(f"approved: {args.code} version {args.version} {approval.side} ({approval.kessai_ref})")
    return 0


def run_paper(args: argparse.Namespace) -> int:
    _setup()
    from kouki.addressees.errors import UnknownAddressee
    from kouki.addressees.selectors import person_ids_strict
    from kouki.transfers.paper import transfer_paper
    from kouki.transfers.services import TransferRefused

    actor = command_actor(args, "transfers paper")
    try:
        person_ids = person_ids_strict(_split(args.addressee_no))
    except UnknownAddressee as exc:
        raise CommandError(f"宛名番号が見つかりません (位置 {exc.index + 1}); nothing was done") from None
    try:
        done = transfer_paper(actor=actor, code=args.code, person_ids=person_ids, items=_split(args.items),
                              outbox=args.out, once_a_day=not args.again)  # fmt: skip
    except TransferRefused as exc:
        raise CommandError(f"{exc.reason}; nothing was done") from None
    if done.already:
        print(f"already recorded today: {done.path.name} (not printed again; --again for another transfer)")
        return 0
    print(f"written: {done.path.name}  persons: {done.record.person_count}  sha256: {done.sha256}")
    return 0


def _file_args(args: argparse.Namespace) -> dict[str, object]:
    wanted = {"T03": "on", "T08": "month", "T15": "year"}[args.code]
    for name in ("on", "month", "year"):
        if (getattr(args, name) is None) != (name != wanted):
            raise CommandError(f"{args.code} takes --{wanted} (and no other period); nothing was done")
    if args.code == "T08":
        try:
            return {"month": date.fromisoformat(f"{args.month}-01")}
        except ValueError:
            raise CommandError("--month: YYYY-MM; nothing was done") from None
    return {wanted: getattr(args, wanted)}


def run_file(args: argparse.Namespace) -> int:
    period = _file_args(args)
    _setup()
    from kouki.transfers.department_files import (
        t03_daily_eligibility,
        t08_monthly_kokuho,
        t15_yearly_special_collection,
    )
    from kouki.transfers.services import TransferRefused

    actor = command_actor(args, f"transfers run {args.code}")
    runner = {"T03": t03_daily_eligibility, "T08": t08_monthly_kokuho, "T15": t15_yearly_special_collection}
    try:
        done = runner[args.code](actor=actor, outbox=args.out, **period)  # type: ignore[operator]
    except TransferRefused as exc:
        raise CommandError(f"{exc.reason}; nothing was done") from None
    if done.status == "sent" and done.record is not None:
        print(f"sent: {done.path.name}  lines: {done.lines}  persons: {done.record.person_count}  "
              f"sha256: {done.record.file_sha256}")
    elif done.status == "already_sent":
        print(f"already sent: {done.path.name} (not written again)")
    else:
        print(f"nothing to send for {done.path.name}: no person (no file, no record)")
    return 0


def run_records(args: argparse.Namespace) -> int:
    _setup()
    from kouki.transfers.selectors import record_rows, union_files_without_record

    command_actor(args, "transfers records")
    for r in record_rows(args.code):
        print(f"{r.code} 第{r.version}版 {r.executed_at} {r.executed_by} {r.method} 件数 {r.person_count} "
              f"{r.items} {r.file_name}")
    if args.code in (None, "T01"):
        missing = union_files_without_record()
        for name in missing:
            print(f"union file without a T01 record: {name}")
    return 0
