"""`kouki import <kind> FILE`: take in a counterpart file (parse → validate whole file → apply atomically).

Exit status: 0 applied or already imported, 1 rejected (report written), 2 operator error (no such file).
Nothing printed here contains a personal number: errors name line and field, reasons never echo the number.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kouki.cli import CommandError

SHOWN_ERRORS = 10


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("import", help="ファイルを取り込む (import a counterpart file)")
    kinds = p.add_subparsers(dest="kind", required=True)
    rc = kinds.add_parser("resident-changes", help="住基異動ファイル (CP932 固定長 / UTF-8 CSV)")
    rc.add_argument("file", type=Path, help="異動ファイル")
    rc.add_argument(
        "--report-dir", type=Path, default=None, help="不備一覧の出力先 (default: the file's directory)"
    )
    rc.set_defaults(handler=run_resident_changes)


def run_resident_changes(args: argparse.Namespace) -> int:
    from kouki.cli import setup_django

    path: Path = args.file
    if not path.is_file():
        raise CommandError(f"{path}: no such file")
    setup_django()
    from django.utils import timezone

    from kouki.interfaces.importing import Outcome
    from kouki.interfaces.resident_register.importer import import_resident_changes
    from kouki.privacy.context import Actor
    from kouki.privacy.redaction import redact

    outcome = import_resident_changes(
        actor=Actor.system("import resident-changes"), path=path, report_dir=args.report_dir
    )
    if outcome.outcome == Outcome.ALREADY_IMPORTED:
        record = outcome.import_record
        when = timezone.localtime(record.imported_at).isoformat(timespec="seconds") if record else "?"
        print(f"{path.name}: already imported ({when}); nothing changed")
        return 0
    if outcome.outcome == Outcome.REJECTED:
        print(f"{path.name}: rejected, {len(outcome.errors)} error(s); nothing changed")
        print(f"report: {outcome.report_path}")
        for error in outcome.errors[:SHOWN_ERRORS]:
            print(f"  {redact(str(error))}")
        if len(outcome.errors) > SHOWN_ERRORS:
            print(f"  … {len(outcome.errors) - SHOWN_ERRORS} more in the report")
        return 1
    summary = outcome.summary
    assert summary is not None
    print(f"{path.name}: imported")
    print(f"  lines: {outcome.line_count}")
    print(f"  records: {outcome.record_count}")
    print(f"  applied: {summary.applied}")
    print(f"  skipped duplicates: {summary.skipped}")
    print(f"  personal numbers stored: {summary.counts.get('stored_numbers', 0)}")
    print(f"  pending numbers (確認リスト, IN-04): {summary.counts.get('pending_numbers', 0)}")
    return 0
