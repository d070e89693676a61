"""`kouki import <kind> FILE`: take in a counterpart file (parse → validate whole file → apply atomically).

Kinds: resident-changes (住基異動), tax-income (税 所得・課税情報), premium-info (広域連合 保険料情報),
store-report (コンビニ速報・確報), debit-result (口座振替結果), transfer-result (還付の振込結果),
pension-result (特別徴収結果).
Exit status: 0 applied or already imported, 1 rejected (report written), 2 operator error (no such file).
Nothing printed here contains a personal number: errors name line and field, reasons never echo the number.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kouki.cli import CommandError

if TYPE_CHECKING:
    from kouki.interfaces.importing import ApplySummary, ImportOutcome
    from kouki.privacy.context import Actor

SHOWN_ERRORS = 10


@dataclass(frozen=True)
class ImportKind:
    name: str
    help: str
    importer: str  # dotted path of `f(*, actor, path, report_dir) -> ImportOutcome`
    details: Callable[[ApplySummary], list[str]]


def _resident_details(summary: ApplySummary) -> list[str]:
    return [
        f"  personal numbers stored: {summary.counts.get('stored_numbers', 0)}",
        f"  pending numbers (確認リスト, IN-04): {summary.counts.get('pending_numbers', 0)}",
    ]


def _tax_details(summary: ApplySummary) -> list[str]:
    return [
        f"  new incomes: {summary.counts.get('created', 0)}",
        f"  corrected incomes: {summary.counts.get('replaced', 0)}",
    ]


def _counts(summary: ApplySummary) -> list[str]:
    return [f"  {name}: {value}" for name, value in sorted(summary.counts.items())]


def _premium_details(summary: ApplySummary) -> list[str]:
    return [f"  older decisions kept as history: {summary.counts.get('stale', 0)}"]


KINDS = (
    ImportKind("resident-changes", "住基異動ファイル (CP932 固定長 / UTF-8 CSV)",
               "kouki.addressees.importers.import_resident_changes", _resident_details),
    ImportKind("tax-income", "個人住民税 所得・課税情報 (税務システム, CP932 固定長 128 バイト)",
               "kouki.income.importers.import_tax_income", _tax_details),
    ImportKind("premium-info", "保険料情報 (広域連合, CP932 固定長 128 バイト; 当初賦課・更正)",
               "kouki.assessment.importers.import_premium_info", _premium_details),
    ImportKind("store-report", "コンビニ収納 速報・確報 (収納代行会社, CP932 固定長 120 バイト)",
               "kouki.stores.importers.import_store_report", _counts),
    ImportKind("debit-result", "口座振替 振替結果 (金融機関, 全銀 120 バイト)",
               "kouki.banking.results.import_debit_result", _counts),
    ImportKind("transfer-result", "還付 総合振込の振込結果 (金融機関, 全銀 120 バイト; 振込不能は未払に戻る)",
               "kouki.banking.refund_results.import_transfer_result", _counts),
    ImportKind("pension-result", "特別徴収結果 (広域連合経由, CP932 固定長 128 バイト)",
               "kouki.arrears.importers.import_pension_result", _counts),
)  # fmt: skip


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("import", help="ファイルを取り込む (import a counterpart file)")
    kinds = p.add_subparsers(dest="kind", required=True)
    for kind in KINDS:
        k = kinds.add_parser(kind.name, help=kind.help)
        k.add_argument("file", type=Path, help="取り込むファイル")
        k.add_argument(
            "--report-dir", type=Path, default=None, help="不備一覧の出力先 (default: the file's directory)"
        )
        k.set_defaults(handler=_handler(kind))


def _handler(kind: ImportKind) -> Callable[[argparse.Namespace], int]:
    def handle(args: argparse.Namespace) -> int:
        return run_import_command(kind, args)

    return handle


def _importer(kind: ImportKind) -> Callable[..., ImportOutcome]:
    import importlib

    module, _, name = kind.importer.rpartition(".")
    function: Callable[..., ImportOutcome] = getattr(importlib.import_module(module), name)
    return function


def run_import_command(kind: ImportKind, args: argparse.Namespace) -> int:
    from kouki.cli import setup_django

    path: Path = args.file
    if not path.is_file():
        raise CommandError(f"{path}: no such file")
    setup_django()
    from kouki.privacy.context import Actor

    actor: Actor = Actor.system(f"import {kind.name}")
    outcome = _importer(kind)(actor=actor, path=path, report_dir=args.report_dir)
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
    if outcome.warnings:
        print(f"  warnings: {len(outcome.warnings)} (file applied); report: {outcome.warnings_path}")
        for warning in outcome.warnings[:SHOWN_ERRORS]:
            print(f"    {redact(str(warning))}")
    for line in kind.details(summary):
        print(line)
    return 0
