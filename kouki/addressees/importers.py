"""The 住基異動 file kind for the generic import runner (kouki.interfaces.importing)."""

from __future__ import annotations

from pathlib import Path

from kouki.addressees.changes_bulk import ChangeNotApplicableAt, resident_changes_apply_many
from kouki.interfaces.importing import ApplyError, ApplySummary, ImportOutcome, ParseResult, run_import
from kouki.interfaces.models import ImportRecord
from kouki.interfaces.resident_register.formats import parse
from kouki.interfaces.resident_register.record import ResidentChangeRecord
from kouki.privacy.context import Actor
from kouki.privacy.redaction import redact

KIND = "resident_changes"


class ResidentChanges:
    """住基異動: parse either variant; apply the changes in file order with history (set-wise, see
    kouki.addressees.services.resident_changes_apply_many)."""

    kind = KIND

    def parse(self, data: bytes, file_name: str) -> ParseResult[ResidentChangeRecord]:
        return parse(data, file_name)

    def apply(
        self, *, actor: Actor, parsed: ParseResult[ResidentChangeRecord], import_record: ImportRecord
    ) -> ApplySummary:
        summary = ApplySummary(counts={"pending_numbers": 0, "stored_numbers": 0})
        source = f"住基異動 {redact(parsed.file_name)}"[:100]
        try:
            results = resident_changes_apply_many(
                actor=actor, records=parsed.records, source=source, import_record=import_record
            )
        except ChangeNotApplicableAt as exc:
            raise ApplyError(parsed.record_lines[exc.index], exc.field, exc.reason) from None
        for applied in results:
            if applied.duplicate:
                summary.skipped += 1
                continue
            summary.applied += 1
            if applied.number_result == "pending":
                summary.counts["pending_numbers"] += 1
            elif applied.number_result == "stored":
                summary.counts["stored_numbers"] += 1
        return summary


RESIDENT_CHANGES = ResidentChanges()


def import_resident_changes(*, actor: Actor, path: Path, report_dir: Path | None = None) -> ImportOutcome:
    return run_import(actor=actor, kind=RESIDENT_CHANGES, path=path, report_dir=report_dir)
