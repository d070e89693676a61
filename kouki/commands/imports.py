"""`kouki import <kind> FILE --as USER`: take in a counterpart file (parse → validate whole file → apply
atomically).

Kinds (kouki.interfaces.import_kinds, shared with the 取込 screen): resident-changes (住基異動), tax-income
(税 所得・課税情報), union-file (広域連合 → 市町村: 被保険者情報・資格確認書発行用情報・住所地特例者情報),
premium-info (広域連合 保険料情報), store-report (コンビニ速報・確報), debit-result (口座振替結果),
transfer-result (還付の振込結果), pension-result (特別徴収結果).
The named staff member needs IMPORT_FILES; it is written in the ImportRecord (imported_by) and audit rows.
Exit status: 0 applied, 1 rejected (report written, one ImportRecord rejected, nothing else changed),
2 operator error (no such file, no --as), 3 the user was refused (unknown, disabled, locked or without the
permission; audited), 4 the same file was already imported (nothing changed, nothing recorded; issue 16 §4).
Nothing printed here contains a personal number: errors name line and field, reasons never echo the number.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kouki.accounts.permissions import Perm
from kouki.cli import CommandError
from kouki.commands.operator import add_operator_argument, command_actor
from kouki.interfaces.import_kinds import KINDS, ImportKind

if TYPE_CHECKING:
    from kouki.interfaces.importing import ImportOutcome

SHOWN_ERRORS = 10
EXIT_ALREADY_IMPORTED = 4


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("import", help="ファイルを取り込む (import a counterpart file)")
    kinds = p.add_subparsers(dest="kind", required=True)
    for kind in KINDS:
        k = kinds.add_parser(kind.name, help=kind.help)
        k.add_argument("file", type=Path, help="取り込むファイル")
        k.add_argument(
            "--report-dir", type=Path, default=None, help="不備一覧の出力先 (default: the file's directory)"
        )
        add_operator_argument(k, Perm.IMPORT_FILES)
        k.set_defaults(handler=_handler(kind))


def _handler(kind: ImportKind) -> Callable[[argparse.Namespace], int]:
    def handle(args: argparse.Namespace) -> int:
        return run_import_command(kind, args)

    return handle


def run_import_command(kind: ImportKind, args: argparse.Namespace) -> int:
    from kouki.cli import setup_django

    path: Path = args.file
    if not path.is_file():
        raise CommandError(f"{path}: no such file")
    setup_django()
    actor = command_actor(args, f"import {kind.name}")
    from kouki.interfaces.import_kinds import run_kind
    from kouki.interfaces.importing import WrongFileKind

    try:
        outcome = run_kind(kind, actor=actor, path=path, report_dir=args.report_dir)
    except WrongFileKind as exc:
        raise CommandError(str(exc)) from None
    return report(kind, path, outcome)


def report(kind: ImportKind, path: Path, outcome: ImportOutcome) -> int:
    """Print what happened; the exit status."""
    from django.utils import timezone

    from kouki.interfaces.importing import Outcome
    from kouki.privacy.redaction import redact

    if outcome.outcome == Outcome.ALREADY_IMPORTED:
        record = outcome.import_record
        when = timezone.localtime(record.imported_at).isoformat(timespec="seconds") if record else "?"
        print(f"{path.name}: already imported ({when}); nothing changed")
        if outcome.warnings_path is not None:  # its run was killed before writing it
            print(f"  warnings: {len(outcome.warnings)}; report written again: {outcome.warnings_path}")
        return EXIT_ALREADY_IMPORTED
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
    if outcome.warnings:
        print(f"  warnings: {len(outcome.warnings)} (file applied); report: {outcome.warnings_path}")
        for warning in outcome.warnings[:SHOWN_ERRORS]:
            print(f"    {redact(str(warning))}")
    for line in kind.details(summary):
        print(line)
    return 0
