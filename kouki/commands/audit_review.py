"""`kouki audit monthly-report` and `kouki audit review`: the monthly log review (issue 15 §1;
docs/operations/monthly-review.md).

    kouki audit monthly-report --month 2026-11 --out DIR --as USER
        writes DIR/kansa-getsuji-tenken-2026-11.pdf (temporary name, fsync, rename) and prints its path and
        SHA-256; needs VIEW_AUDIT (the auditor's); the printing is audited
    kouki audit review --month 2026-11 --findings TEXT [--follow-up TEXT] [--report FILE] --as USER
        records the review of the month (a new version if it was reviewed before) with the SHA-256 of the
        report FILE reviewed (without --report: of the report as it stands now); needs RECORD_AUDIT_REVIEW

Nothing printed holds a personal number; findings that contain one are refused (exit 1, nothing recorded).
"""

from __future__ import annotations

import argparse
import hashlib
from datetime import date
from pathlib import Path

from kouki.accounts.permissions import Perm
from kouki.commands.operator import add_operator_argument, command_actor


def register_review_commands(audit_sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    report = audit_sub.add_parser("monthly-report",
                                  help="月次点検報告書を作成する (the month's review report, PDF)")
    report.add_argument("--month", required=True, help="対象月 (YYYY-MM)")
    report.add_argument("--out", type=Path, required=True, help="出力先のフォルダ")
    add_operator_argument(report, Perm.VIEW_AUDIT)
    report.set_defaults(handler=run_monthly_report)
    review = audit_sub.add_parser("review", help="月次点検を記録する (record the month's review)")
    review.add_argument("--month", required=True, help="対象月 (YYYY-MM)")
    review.add_argument("--findings", required=True, help="所見 (特記事項がなければ「特記事項なし」)")
    review.add_argument("--follow-up", default="", help="対応・フォローアップ")
    review.add_argument("--report", type=Path, default=None,
                        help="点検した報告書のPDF (そのSHA-256を記録; 省略時は現時点の報告書)")
    add_operator_argument(review, Perm.RECORD_AUDIT_REVIEW)
    review.set_defaults(handler=run_review)


def _month(raw: str) -> date:
    from kouki.cli import CommandError
    from kouki.reviews.report import ReportError, parse_month

    try:
        return parse_month(raw)
    except ReportError as exc:
        raise CommandError(f"--month: {exc}") from None


def run_monthly_report(args: argparse.Namespace) -> int:
    from kouki.cli import CommandError, setup_django

    if args.out.exists() and not args.out.is_dir():
        raise CommandError(f"{args.out}: not a directory; nothing was written")
    setup_django()
    from kouki.core.outbox import write_whole
    from kouki.reviews.services import ReviewError, monthly_report

    month = _month(args.month)
    actor = command_actor(args, "audit monthly-report")
    try:
        report = monthly_report(actor=actor, month=month)
    except ReviewError as exc:
        raise CommandError(str(exc)) from None
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / report.file_name
    write_whole(path, report.pdf)
    print(f"{path}  sha256 {report.sha256}")
    return 0


def run_review(args: argparse.Namespace) -> int:
    from kouki.cli import CommandError, setup_django

    digest = None
    if args.report is not None:
        try:
            data = args.report.read_bytes()
        except OSError as exc:
            raise CommandError(f"{args.report}: {exc.strerror}; nothing was recorded") from None
        if not data.startswith(b"%PDF-"):
            raise CommandError(f"{args.report}: not a PDF; nothing was recorded")
        digest = hashlib.sha256(data).hexdigest()
    setup_django()
    from kouki.reviews.services import ReviewError, record_review

    month = _month(args.month)
    actor = command_actor(args, "audit review")
    try:
        review = record_review(actor=actor, month=month, findings=args.findings,
                               follow_up=args.follow_up, report_sha256=digest)
    except ReviewError as exc:
        raise CommandError(f"{exc}; nothing was recorded") from None
    print(f"recorded: {review.month:%Y-%m} version {review.version} by {review.reviewer.username} "
          f"at {review.reviewed_at:%Y-%m-%d %H:%M} report sha256 {review.report_sha256}")
    return 0
