"""`kouki linkage`: 団体内統合宛名番号 (integrated addressee numbers, issue 13 §1; docs/linkage.md).

    kouki linkage list [--limit N] --as USER   who has a confirmed personal number but no integrated number
    kouki linkage backfill --as USER           assign one to each of them (numbers stored before this existed)

Both run as a named staff member holding RUN_BATCHES and are audited. Neither prints an integrated number or a
personal number: the list names 宛名番号 only.
"""

from __future__ import annotations

import argparse

from kouki.accounts.permissions import Perm
from kouki.commands.operator import add_operator_argument, command_actor


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "linkage", help="団体内統合宛名番号の未付番一覧と一括付番 (integrated addressee numbers)"
    )
    linkage_sub = p.add_subparsers(dest="linkage_command", required=True)
    listing = linkage_sub.add_parser("list", help="未付番の宛名を表示する (persons without one)")
    listing.add_argument("--limit", type=int, default=50, help="表示する宛名番号の上限 (default 50)")
    add_operator_argument(listing, Perm.RUN_BATCHES)
    listing.set_defaults(handler=run_list)
    backfill = linkage_sub.add_parser("backfill", help="未付番の宛名に一括付番する (assign the missing ones)")
    add_operator_argument(backfill, Perm.RUN_BATCHES)
    backfill.set_defaults(handler=run_backfill)


def run_list(args: argparse.Namespace) -> int:
    from kouki.cli import setup_django

    setup_django()
    from kouki.addressees.selectors import addressee_numbers
    from kouki.privacy.integrated import integrated_numbers_list

    actor = command_actor(args, "linkage list")
    total, ids = integrated_numbers_list(actor=actor, limit=max(0, args.limit))
    print(f"団体内統合宛名番号が未付番の宛名: {total}件")
    names = addressee_numbers(ids)
    for person_id in ids:
        print(f"  宛名番号 {names.get(person_id, '?')}")
    if total > len(ids):
        print(f"  (ほか {total - len(ids)}件)")
    return 0


def run_backfill(args: argparse.Namespace) -> int:
    from kouki.cli import setup_django

    setup_django()
    from kouki.privacy.integrated import integrated_numbers_backfill

    actor = command_actor(args, "linkage backfill")
    result = integrated_numbers_backfill(actor=actor)
    print(f"団体内統合宛名番号を付番しました: {result.assigned}件 (付番済み {result.already}件)")
    return 0
