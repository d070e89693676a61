"""`kouki transfers counter KIND --month YYYY-MM --out DIR --as USER`: the paper transfers of counter
applications through the transfers gate (kouki.transfers.counter_papers).

- simple-declaration:  T02, the confirmed 簡易申告 of the month (and earlier ones not yet sent) → 市民税課,
                       one 移転票 for them all
- high-cost-combined:  T04, each confirmed 高額介護合算療養費 application → 介護保険課, one 移転票 each

The operator needs 移転の実行 and 申請の受付 (a 個人番号取扱担当 or a supervisor). Refused — nothing
written, nothing marked — when the definition is not approved on both sides, or the operator lacks the
permission. Prints file names, counts and hashes only (no names, no numbers).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kouki.accounts.permissions import Perm
from kouki.cli import CommandError
from kouki.commands.operator import add_operator_argument, command_actor

KINDS = ("simple-declaration", "high-cost-combined")


def _month(text: str) -> Any:
    from datetime import date

    try:
        return date.fromisoformat(f"{text}-01")
    except ValueError:
        raise argparse.ArgumentTypeError("YYYY-MM") from None


def register_counter(kinds: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = kinds.add_parser("counter", help="窓口の申請の紙による移転: 簡易申告 (T02), 高額介護合算 (T04)")
    p.add_argument("kind", choices=KINDS, help="simple-declaration (T02) / high-cost-combined (T04)")
    p.add_argument("--month", type=_month, required=True, help="再鑑済の月 YYYY-MM (以前の未送付分を含む)")
    p.add_argument("--out", type=Path, required=True, help="移転票の出力先")
    add_operator_argument(p, Perm.EXECUTE_TRANSFER)
    p.set_defaults(handler=run_counter)


def run_counter(args: argparse.Namespace) -> int:
    from kouki.cli import setup_django

    setup_django()
    from django.utils import timezone

    from kouki.applications.internal_transfers import applications_transferred, transfer_due
    from kouki.notifications.counter import CounterError
    from kouki.rules.applications import ApplicationKind
    from kouki.transfers.counter_papers import HIGH_COST_COMBINED, SIMPLE_DECLARATION, counter_paper_transfer
    from kouki.transfers.models import TransferRecord
    from kouki.transfers.services import TransferRefused

    actor = command_actor(args, f"transfers counter {args.kind}")
    simple = args.kind == "simple-declaration"
    kind = ApplicationKind.SIMPLE_DECLARATION if simple else ApplicationKind.HIGH_COST_COMBINED
    paper = SIMPLE_DECLARATION if simple else HIGH_COST_COMBINED
    due = transfer_due(kind, args.month)
    if not due:
        print(f"{paper.code}: no confirmed applications waiting; nothing was written")
        return 0
    batches = [[d] for d in due] if paper.per_application else [due]
    today = timezone.localdate()
    for batch in batches:
        ids = [d.application_id for d in batch]

        def mark(record: TransferRecord, ids: list[int] = ids) -> None:
            applications_transferred(actor=actor, application_ids=ids, on=today, slip=record.file_name)

        try:
            done = counter_paper_transfer(actor=actor, paper=paper, person_ids=[d.person_id for d in batch],
                                          outbox=args.out, mark=mark)  # fmt: skip
        except TransferRefused as exc:
            raise CommandError(f"{paper.code}: {exc.reason}; nothing was done") from None
        except CounterError as exc:
            raise CommandError(f"{paper.code}: {exc.reason}; nothing was done") from None
        print(f"{paper.code} written: {done.path.name}  applications: {len(batch)}  "
              f"persons: {done.record.person_count}  sha256: {done.sha256}")  # fmt: skip
    return 0
