"""The file kinds a member of staff may take in, shared by `kouki import KIND FILE` and the 取込 screen.

One registry: each kind names its importer (`f(*, actor, path, report_dir) -> ImportOutcome`, see
kouki.interfaces.importing) by dotted path, so that nothing below the entry points imports the domain
apps that own the importers (the command line stays fast, the layers stay as they are).
`run_kind` is the one dispatch both entry points use.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported lazily: the command line loads this registry before Django is set up
    from kouki.interfaces.importing import ApplySummary, ImportOutcome
    from kouki.privacy.context import Actor


@dataclass(frozen=True)
class ImportKind:
    name: str  # the command's sub-command and the screen's choice value
    label: str  # shown on the screen
    help: str
    importer: str  # dotted path of `f(*, actor, path, report_dir) -> ImportOutcome`
    details: Callable[[ApplySummary], list[str]]  # extra lines the command prints


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


KINDS: tuple[ImportKind, ...] = (
    ImportKind("resident-changes", "住基異動", "住基異動ファイル (CP932 固定長 / UTF-8 CSV)",
               "kouki.addressees.importers.import_resident_changes", _resident_details),
    ImportKind("tax-income", "個人住民税 所得・課税情報",
               "個人住民税 所得・課税情報 (税務システム, CP932 固定長 128 バイト)",
               "kouki.income.importers.import_tax_income", _tax_details),
    ImportKind("union-file", "広域連合からの資格情報(被保険者情報・資格確認書発行用情報・住所地特例者情報)",
               "広域連合 → 市町村 ファイル (被保険者情報・資格確認書発行用情報・住所地特例者情報;"
               " 種別は見出しから)",
               "kouki.eligibility.importers.import_union_file", _counts),
    ImportKind("premium-info", "保険料情報(広域連合)",
               "保険料情報 (広域連合, CP932 固定長 128 バイト; 当初賦課・更正)",
               "kouki.assessment.importers.import_premium_info", _premium_details),
    ImportKind("store-report", "コンビニ収納 速報・確報",
               "コンビニ収納 速報・確報 (収納代行会社, CP932 固定長 120 バイト)",
               "kouki.stores.importers.import_store_report", _counts),
    ImportKind("debit-result", "口座振替 振替結果", "口座振替 振替結果 (金融機関, 全銀 120 バイト)",
               "kouki.banking.results.import_debit_result", _counts),
    ImportKind("transfer-result", "還付 振込結果",
               "還付 総合振込の振込結果 (金融機関, 全銀 120 バイト; 振込不能は還付を未払に戻す)",
               "kouki.banking.refund_results.import_transfer_result", _counts),
    ImportKind("pension-result", "特別徴収結果", "特別徴収結果 (広域連合経由, CP932 固定長 128 バイト)",
               "kouki.arrears.importers.import_pension_result", _counts),
    ImportKind("benefit-decision", "決定情報(給付・減免・猶予)",
               "決定情報 (広域連合, CP932 固定長 512 バイト;"
               " 療養費・葬祭費・高額療養費・減免・徴収猶予の決定)",
               "kouki.interfaces.benefit_decisions.import_benefit_decision", _counts),
)  # fmt: skip

KINDS_BY_NAME: dict[str, ImportKind] = {k.name: k for k in KINDS}

# ImportRecord.kind (the file kinds' own names) → what the history shows.
RECORD_KIND_LABELS: dict[str, str] = {
    "resident_changes": "住基異動",
    "tax_income": "個人住民税 所得・課税情報",
    "union_insured_info": "被保険者情報(広域連合)",
    "union_certificate_issue": "資格確認書発行用情報(広域連合)",
    "union_address_exception": "住所地特例者情報(広域連合)",
    "union_file": "広域連合からのファイル(読めないため種別不明)",
    "union_premium_info": "保険料情報(広域連合)",
    "store_payment_report": "コンビニ収納 速報・確報",
    "zengin_debit_result": "口座振替 振替結果",
    "zengin_transfer_result": "還付 振込結果",
    "union_pension_result": "特別徴収結果",
    "union_benefit_decision": "決定情報(給付・減免・猶予)",
}


def record_kind_label(kind: str) -> str:
    return RECORD_KIND_LABELS.get(kind, "その他のファイル")


def importer_of(kind: ImportKind) -> Callable[..., ImportOutcome]:
    module, _, name = kind.importer.rpartition(".")
    function: Callable[..., ImportOutcome] = getattr(importlib.import_module(module), name)
    return function


def run_kind(kind: ImportKind, *, actor: Actor, path: Path, report_dir: Path | None = None) -> ImportOutcome:
    """Take in one file of `kind` as `actor`. Raises WrongFileKind when the file is not of that kind."""
    return importer_of(kind)(actor=actor, path=path, report_dir=report_dir)
