"""`kouki collect … --as USER`: the collection (収納) batches an operator runs on the batch calendar, as a
named staff member whose role holds the batch's permission (docs/operations/batch-calendar.md).

- slips:          納付書 for the direct-payment instalments of the plans in force (PDF booklets per person)
- debit-request:  口座振替 request file (Zengin) for a debit date
- refunds:        総合振込 transfer file and 還付通知書 for decided refunds
- reminders:      督促状 for instalments missed at most 20 days ago; `--missed` also for those missed longer
                  ago that never got one (督促漏れ, 地方自治法 §231の3 ①), `--list-missed` only lists them
- pledges:        分納誓約の履行確認 (monthly): active pledges past a pledged date become 不履行 or 完了
- union-files:    収納情報 and 滞納者情報 for the union (daily)
- instalment-file: 期割情報 for the union (monthly): the plans made or superseded since the last one
- late-charges:   延滞金 derived again for a fiscal year (after KOUKI_LATE_CHARGE_EARLY_MONTHS or a year's
                  延滞金特例基準割合 was set; payments recorded since are computed as they come)

Results come back with `kouki import debit-result | store-report | pension-result`. Nothing printed here
contains a personal number: file names, counts and hashes only.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from kouki.accounts.permissions import Perm
from kouki.cli import CommandError
from kouki.commands.operator import add_operator_argument, command_actor
from kouki.commands.sent import print_sent
from kouki.core.faults import batch_transaction, fault_point


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("collect", help="収納の一括処理 (collection batches)")
    kinds = p.add_subparsers(dest="collect", required=True)
    slips = kinds.add_parser("slips", help="納付書: 普通徴収の期別ごとの納付書を発行する")
    slips.add_argument("--fiscal-year", type=int, required=True, help="賦課年度")
    slips.add_argument("--on", type=date.fromisoformat, required=True, help="発行日 (この日以後の納期の期別)")
    slips.add_argument("--out", type=Path, required=True, help="PDFの出力先")
    add_operator_argument(slips, Perm.RUN_BATCHES)
    slips.set_defaults(handler=run_slips)
    debit = kinds.add_parser("debit-request", help="口座振替: 振替依頼ファイルを作成する")
    debit.add_argument("--debit-date", type=date.fromisoformat, required=True, help="振替日")
    debit.add_argument("--outbox", type=Path, required=True, help="送信ファイルの出力先")
    add_operator_argument(debit, Perm.IMPORT_FILES)
    debit.set_defaults(handler=run_debit_request)
    refunds = kinds.add_parser("refunds", help="還付: 総合振込ファイルと還付通知書を作成する")
    refunds.add_argument("--transfer-date", type=date.fromisoformat, required=True, help="振込日")
    refunds.add_argument("--outbox", type=Path, required=True, help="送信ファイルと通知書の出力先")
    add_operator_argument(refunds, Perm.IMPORT_FILES)
    refunds.set_defaults(handler=run_refunds)
    reminders = kinds.add_parser("reminders", help="督促状: 納期限後20日以内の未納に督促状を発行する")
    reminders.add_argument("--on", type=date.fromisoformat, required=True, help="発行日")
    reminders.add_argument("--out", type=Path, help="PDFの出力先 (--list-missed 以外は必須)")
    missed = reminders.add_mutually_exclusive_group()
    missed.add_argument("--missed", action="store_true",
                        help="督促漏れ(納期限後20日を過ぎて督促状のない未納)にも督促状を発行する")
    missed.add_argument("--list-missed", action="store_true", help="督促漏れを一覧表示する(発行しない)")
    add_operator_argument(reminders, Perm.RUN_BATCHES)
    reminders.set_defaults(handler=run_reminders)
    pledges = kinds.add_parser("pledges", help="分納誓約の履行確認: 予定日を過ぎた誓約を不履行・完了にする")
    pledges.add_argument("--on", type=date.fromisoformat, required=True, help="確認日 (YYYY-MM-DD)")
    add_operator_argument(pledges, Perm.RUN_BATCHES)
    pledges.set_defaults(handler=run_pledges)
    union = kinds.add_parser("union-files", help="広域連合へ: 収納情報・滞納者情報 (日次)")
    union.add_argument("--date", type=date.fromisoformat, required=True, help="処理日")
    union.add_argument("--outbox", type=Path, required=True, help="送信ファイルの出力先")
    add_operator_argument(union, Perm.IMPORT_FILES)
    union.set_defaults(handler=run_union_files)
    plans = kinds.add_parser("instalment-file", help="広域連合へ: 期割情報 (月次)")
    plans.add_argument("--date", type=date.fromisoformat, required=True, help="処理日")
    plans.add_argument("--outbox", type=Path, required=True, help="送信ファイルの出力先")
    add_operator_argument(plans, Perm.IMPORT_FILES)
    plans.set_defaults(handler=run_instalment_file)
    late = kinds.add_parser("late-charges", help="延滞金: 年度の延滞金を収納状況から再計算する")
    late.add_argument("--fiscal-year", type=int, required=True, help="賦課年度")
    add_operator_argument(late, Perm.RUN_BATCHES)
    late.set_defaults(handler=run_late_charges)


def _setup() -> None:
    from kouki.cli import setup_django

    setup_django()


@contextmanager
def _rows_batch(name: str) -> Iterator[None]:
    """A batch that writes rows only, as one transaction, with the crash tests' fault points
    (kouki.core.faults): `after-read` (its input read, nothing written), `before-commit`, `after-commit`."""
    fault_point("after-read", name)
    with batch_transaction(name):
        yield


def run_slips(args: argparse.Namespace) -> int:
    _setup()
    actor = command_actor(args, "collect slips")
    from kouki.assessment.models import InstalmentPlan
    from kouki.slips.documents import slips_pdf_batch
    from kouki.slips.services import slips_issue_for_plans

    plan_ids = list(
        InstalmentPlan.objects.filter(fiscal_year=args.fiscal_year, superseded_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    from django.db import transaction

    with transaction.atomic():  # the slips commit only once their PDFs exist whole (a crash: neither)
        slip_ids = slips_issue_for_plans(actor=actor, plan_ids=plan_ids, on=args.on)
        files = slips_pdf_batch(slip_ids, args.out, issued_on=args.on) if slip_ids else []
        fault_point("before-commit", "nofusho")
    fault_point("after-commit", "nofusho")
    print(f"slips issued: {len(slip_ids)} for {len(plan_ids)} plans in force ({args.fiscal_year})")
    for f in files:
        print(f"written: {f.path.name}  {f.pages} pages  sha256 {f.sha256}")
    return 0


def run_debit_request(args: argparse.Namespace) -> int:
    _setup()
    from kouki.banking.debits import DebitError, debit_request_create

    actor = command_actor(args, "collect debit-request")
    try:
        result = debit_request_create(actor=actor, debit_date=args.debit_date, outbox=args.outbox)
    except DebitError as exc:
        raise CommandError(str(exc)) from None
    run = result.run
    print(f"written: {result.path.name}  {run.record_count} debits  {run.total_amount} yen")
    print(f"sha256 {run.sha256}")
    return 0


def run_refunds(args: argparse.Namespace) -> int:
    _setup()
    from kouki.banking.refunds import RefundTransferError, refund_transfer_create

    actor = command_actor(args, "collect refunds")
    try:
        result = refund_transfer_create(actor=actor, transfer_date=args.transfer_date, outbox=args.outbox)
    except RefundTransferError as exc:
        raise CommandError(str(exc)) from None
    if result.path is None:
        print("no decided refund with a refund account: nothing written")
    else:
        print(f"written: {result.path.name}")
    if result.notice_path is not None:
        print(f"notices: {result.notice_path.name}")
    if result.skipped:
        print(f"refunds without a refund account (left decided): {len(result.skipped)}")
    return 0


def run_pledges(args: argparse.Namespace) -> int:
    _setup()
    from kouki.arrears.pledge_worklist import pledges_for_review
    from kouki.arrears.services import pledges_review

    actor = command_actor(args, "collect pledges")
    due = [r for r in pledges_for_review(args.on) if r.changes]
    print(f"分納誓約の履行確認 ({args.on}): 状態が変わるもの {len(due)}件")
    with _rows_batch("pledges"):
        counts = pledges_review(actor=actor, on=args.on)
    print(f"完了: {counts['kept']}件  不履行: {counts['broken']}件")
    return 0


def run_reminders(args: argparse.Namespace) -> int:
    _setup()
    from kouki.arrears.missed_pages import MissedList, missed_count
    from kouki.arrears.services import reminders_issue, reminders_issue_missed

    actor = command_actor(args, "collect reminders")  # the listing too: it names people in arrears
    if args.list_missed:
        rows = MissedList(args.on)  # counted in the database, then read in chunks
        print(f"missed reminders (督促漏れ) on {args.on.isoformat()}: {len(rows)} instalments")
        for u in rows:  # internal ids only: no name, no number
            print(f"person {u.person_id}  {u.fiscal_year} period {u.period}  due {u.due_date.isoformat()}"
                  f"  unpaid {u.unpaid}  instalment {u.instalment_id}")
        return 0
    if args.out is None:
        raise CommandError("--out is required to issue reminders")
    run = reminders_issue(actor=actor, on=args.on, out_dir=args.out)
    print(f"reminders: {len(run.reminder_ids)} instalments, {run.people} people")
    if run.pdf is not None:
        print(f"written: {run.pdf.name}  sha256 {run.sha256}")
    if args.missed:
        late = reminders_issue_missed(actor=actor, on=args.on, out_dir=args.out)
        print(f"missed reminders issued late: {len(late.reminder_ids)} instalments, {late.people} people")
        if late.pdf is not None:
            print(f"written: {late.pdf.name}  sha256 {late.sha256}")
    else:
        left = missed_count(args.on)
        if left:
            print(f"missed outside the window, not issued: {left} instalments "
                  "(see 督促漏れ on the arrears screens, or rerun with --missed)")
    return 0


def run_union_files(args: argparse.Namespace) -> int:
    _setup()
    from kouki.arrears.union_files import collection_files_write

    actor = command_actor(args, "collect union-files")
    result = collection_files_write(actor=actor, on=args.date, outbox=args.outbox)
    print_sent(result.sent, result.already_sent, result.on)
    if result.without_insured_no:
        print(f"left out (no valid 被保険者番号 yet): {result.without_insured_no}")
    return 0


def run_instalment_file(args: argparse.Namespace) -> int:
    _setup()
    from kouki.arrears.instalment_file import INSTALMENT_INFO, instalment_file_write

    actor = command_actor(args, "collect instalment-file")
    result = instalment_file_write(actor=actor, on=args.date, outbox=args.outbox)
    already = [INSTALMENT_INFO] if result.already_sent else []
    print_sent([result.sent] if result.sent else [], already, result.on)
    if result.without_insured_no:
        print(f"left out (no valid 被保険者番号 yet; sent by a later file): {result.without_insured_no}")
    return 0


def run_late_charges(args: argparse.Namespace) -> int:
    _setup()
    from kouki.assessment.models import InstalmentPlan
    from kouki.collection.late_charge_selectors import late_charges_configured
    from kouki.collection.late_charges import late_charges_recompute

    actor = command_actor(args, "collect late-charges")
    if not late_charges_configured():
        raise CommandError("延滞金の条例設定 KOUKI_LATE_CHARGE_EARLY_MONTHS が未設定です（ADR 0006 §4）")
    people = InstalmentPlan.objects.filter(fiscal_year=args.fiscal_year, superseded_at__isnull=True)
    keys = [(pid, args.fiscal_year) for pid in people.values_list("person_id", flat=True)]
    with _rows_batch("late-charges"):
        changed = late_charges_recompute(actor=actor, keys=keys)
    print(f"late charges: {changed} changed for {len(keys)} plans in force ({args.fiscal_year})")
    return 0
