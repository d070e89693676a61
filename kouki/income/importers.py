"""The tax 所得・課税情報 file as a kind of the generic import runner: parse → validate the whole file →
apply atomically; the same file twice changes nothing; any bad line or unknown 宛名番号 rejects it."""

from __future__ import annotations

from pathlib import Path

from kouki.addressees.errors import UnknownAddressee
from kouki.income.tax_store import income_records_store
from kouki.interfaces.importing import ApplyError, ApplySummary, ImportOutcome, ParseResult, run_import
from kouki.interfaces.models import ImportRecord
from kouki.interfaces.tax.income_file import parse_tax_income
from kouki.interfaces.tax.record import TaxIncomeRecord
from kouki.privacy.context import Actor


class TaxIncomeFileKind:
    @property
    def kind(self) -> str:
        return "tax_income"

    def parse(self, data: bytes, file_name: str) -> ParseResult[TaxIncomeRecord]:
        return parse_tax_income(data, file_name)

    def apply(
        self, *, actor: Actor, parsed: ParseResult[TaxIncomeRecord], import_record: ImportRecord
    ) -> ApplySummary:
        try:
            result = income_records_store(actor=actor, records=parsed.records, import_record=import_record)
        except UnknownAddressee as exc:
            raise ApplyError(parsed.record_lines[exc.index], "addressee_no", exc.reason) from None
        return ApplySummary(
            applied=result.created + result.replaced,
            skipped=result.unchanged,
            counts={"created": result.created, "replaced": result.replaced},
        )


TAX_INCOME_FILE = TaxIncomeFileKind()


def import_tax_income(*, actor: Actor, path: Path, report_dir: Path | None = None) -> ImportOutcome:
    """Take in one tax 所得・課税情報 file (initial yearly or a correction file)."""
    return run_import(actor=actor, kind=TAX_INCOME_FILE, path=path, report_dir=report_dir)
