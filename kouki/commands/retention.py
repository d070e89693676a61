"""`kouki retention`: retention periods and the purge of what has expired (issue 15 §5;
docs/operations/retention.md).

    kouki retention plan --as USER      per kind: period, cut-off, how many would be deleted, and the
                                        kinds not configured or never purged (VIEW_RETENTION)
    kouki retention purge --as USER [--dry-run] [--batch-size N]
                                        seal the audit chain, then delete what has expired (PURGE_EXPIRED);
                                        --dry-run prints the plan and deletes nothing

Only counts are printed and audited: never an id, a name or a personal number.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from kouki.accounts.permissions import Perm
from kouki.commands.operator import add_operator_argument, command_actor

if TYPE_CHECKING:
    from kouki.retention.plan import KindPlan


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("retention", help="保存期間と期間経過分の消去 (retention and purge)")
    ret = p.add_subparsers(dest="retention_command", required=True)
    plan = ret.add_parser("plan", help="種類ごとの保存期間と消去対象の件数 (nothing is deleted)")
    add_operator_argument(plan, Perm.VIEW_RETENTION)
    plan.set_defaults(handler=run_plan)
    purge = ret.add_parser("purge", help="保存期間を過ぎた記録を消去する (checkpoint first)")
    purge.add_argument("--dry-run", action="store_true", help="消去せずに対象の件数だけ表示する")
    purge.add_argument("--batch-size", type=int, default=1000, help="一度に消去する行数 (default 1000)")
    add_operator_argument(purge, Perm.PURGE_EXPIRED)
    purge.set_defaults(handler=run_purge)


def _line(item: KindPlan, counts: dict[str, int] | None = None, kept: int | None = None) -> str:
    period = item.period.label if item.period else "—"
    if item.bound is not None:
        cut = f"{item.bound:%Y-%m-%d %H:%M} より前"
    else:
        cut = f"{item.cutoff:%Y-%m-%d} より前" if item.cutoff else "—"
    shown = counts if counts is not None else item.counts
    number = str(sum(shown.values())) if item.status == "purge" else "—"
    held = item.kept_referenced if kept is None else kept
    extra = f" (参照されているため保存: {held})" if held else ""
    return "\t".join([item.kind.label, item.kind.key, period, cut, number + extra, item.status_label,
                      item.kind.source])


def _print(plan: list[KindPlan], header: str, deleted: dict[str, dict[str, int]] | None = None,
           kept: dict[str, int] | None = None) -> None:
    print("\t".join(["種類", "キー", "保存期間", "消去対象(起算日が)", header, "状態", "根拠・出典"]))
    for item in plan:
        if deleted is None:
            print(_line(item))
        else:
            print(_line(item, deleted.get(item.kind.key, {}), (kept or {}).get(item.kind.key, 0)))
    missing = [i.kind.key for i in plan if i.status == "not_configured"]
    if missing:
        print(f"保存期間が未設定のため消去しない種類: {', '.join(missing)} "
              "(KOUKI_RETENTION / KOUKI_INQUIRY_RESULT_DAYS で設定)")


def _plan(args: argparse.Namespace, command: str) -> list[KindPlan]:
    from kouki.cli import CommandError
    from kouki.retention.periods import RetentionConfigError
    from kouki.retention.plan import retention_plan

    command_actor(args, command)
    try:
        return retention_plan()
    except RetentionConfigError as exc:
        raise CommandError(f"{exc}; nothing was done") from None


def run_plan(args: argparse.Namespace) -> int:
    from kouki.cli import setup_django

    setup_django()
    _print(_plan(args, "retention plan"), "消去される件数")
    return 0


def run_purge(args: argparse.Namespace) -> int:
    from kouki.cli import CommandError, setup_django

    setup_django()
    from kouki.retention.periods import RetentionConfigError
    from kouki.retention.purge import PurgeRefused, purge_expired

    if args.batch_size <= 0:
        raise CommandError(f"--batch-size must be positive, got {args.batch_size}; nothing was done")
    actor = command_actor(args, "retention purge")
    try:
        report = purge_expired(actor=actor, dry_run=args.dry_run, batch_size=args.batch_size)
    except (RetentionConfigError, PurgeRefused) as exc:
        text = str(exc) if isinstance(exc, PurgeRefused) else f"{exc}; nothing was done"
        raise CommandError(text) from None
    if report.dry_run:
        _print(report.plan, "消去される件数")
        print("--dry-run: 何も消去していません")
        return 0
    _print(report.plan, "消去した件数", report.deleted, report.kept_referenced)
    if report.file_errors:
        print(f"送信ファイル {report.file_errors} 件を消去できませんでした (権限を確認してください)")
        return 1
    return 0
