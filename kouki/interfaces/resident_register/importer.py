"""The 住基異動 file kind for the generic import runner (kouki.interfaces.importing)."""

from __future__ import annotations

from pathlib import Path

from kouki.addressees.services import ChangeNotApplicable, resident_change_apply
from kouki.interfaces.importing import ApplyError, ApplySummary, ImportOutcome, ParseResult, run_import
from kouki.interfaces.models import ImportRecord
from kouki.interfaces.resident_register.formats import parse
from kouki.interfaces.resident_register.record import ResidentChangeRecord
from kouki.privacy.context import Actor
from kouki.privacy.redaction import redact

KIND = "resident_changes"


class ResidentChanges:
    """住基異動: parse either variant; apply each change in file order with history."""

    kind = KIND

    def parse(self, data: bytes, file_name: str) -> ParseResult[ResidentChangeRecord]:
        return parse(data, file_name)

    def apply(
        self, *, actor: Actor, parsed: ParseResult[ResidentChangeRecord], import_record: ImportRecord
    ) -> ApplySummary:
        summary = ApplySummary(counts={"pending_numbers": 0, "stored_numbers": 0})
        source = f"住基異動 {redact(parsed.file_name)}"[:100]
        for record, line in zip(parsed.records, parsed.record_lines, strict=True):
            try:
                applied = resident_change_apply(
                    actor=actor, record=record, source=source, import_record=import_record
                )
            except ChangeNotApplicable as exc:
                raise ApplyError(line, exc.field, exc.reason) from None
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
