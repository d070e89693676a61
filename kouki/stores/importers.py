"""The convenience-store report (速報 / 確報) as a kind of the generic import runner: atomic, idempotent
(same bytes = already imported; a payment seen before is skipped), rejection report for malformed lines."""

from __future__ import annotations

from pathlib import Path

from kouki.interfaces.importing import ApplyError, ApplySummary, ImportOutcome, ParseResult, run_import
from kouki.interfaces.models import ImportRecord
from kouki.interfaces.stores.codec import ReportParse, parse
from kouki.interfaces.stores.records import StorePaymentRecord
from kouki.privacy.context import Actor
from kouki.stores.services import StoreReportError, report_apply


class StoreReportFileKind:
    """Both reports are one kind: the header's データ種別 says which."""

    @property
    def kind(self) -> str:
        return "store_payment_report"

    def parse(self, data: bytes, file_name: str) -> ReportParse:
        return parse(data, file_name)

    def apply(
        self, *, actor: Actor, parsed: ParseResult[StorePaymentRecord], import_record: ImportRecord
    ) -> ApplySummary:
        assert isinstance(parsed, ReportParse) and parsed.header is not None
        try:
            result = report_apply(
                actor=actor, header=parsed.header, records=parsed.records, lines=parsed.record_lines,
                import_record=import_record,
            )  # fmt: skip
        except StoreReportError as exc:
            line = parsed.record_lines[exc.index] if exc.index < len(parsed.record_lines) else 0
            raise ApplyError(line, exc.field, exc.reason) from None
        counts = {"booked": result.booked, "confirmed": result.confirmed, "cancelled": result.cancelled}
        counts.update({f"work_{k}": v for k, v in result.work_items.items()})
        return ApplySummary(applied=result.applied, skipped=result.skipped, counts=counts)


STORE_REPORT = StoreReportFileKind()


def import_store_report(*, actor: Actor, path: Path, report_dir: Path | None = None) -> ImportOutcome:
    """Take in one 速報 or 確報 file from the payment agent."""
    return run_import(actor=actor, kind=STORE_REPORT, path=path, report_dir=report_dir)
