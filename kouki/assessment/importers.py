"""保険料情報 (union → city, monthly) as a kind of the generic import runner: atomic, idempotent, any bad
line or unknown 宛名番号 rejects the whole file with a report (kouki.interfaces.importing)."""

from __future__ import annotations

from pathlib import Path

from kouki.addressees.errors import UnknownAddressee
from kouki.assessment.services import premium_infos_store
from kouki.interfaces.importing import ApplyError, ApplySummary, ImportOutcome, ParseResult, run_import
from kouki.interfaces.models import ImportRecord
from kouki.interfaces.union.premium_info import parse_premium_info
from kouki.interfaces.union.records import PremiumInfoRecord
from kouki.privacy.context import Actor


class PremiumInfoFileKind:
    """The union's codec parses, kouki.assessment.services stores."""

    @property
    def kind(self) -> str:
        return "union_premium_info"

    def parse(self, data: bytes, file_name: str) -> ParseResult[PremiumInfoRecord]:
        return parse_premium_info(data, file_name)

    def apply(
        self, *, actor: Actor, parsed: ParseResult[PremiumInfoRecord], import_record: ImportRecord
    ) -> ApplySummary:
        try:
            result = premium_infos_store(actor=actor, records=parsed.records, import_record=import_record)
        except UnknownAddressee as exc:
            raise ApplyError(parsed.record_lines[exc.index], "addressee_no", exc.reason) from None
        return ApplySummary(applied=result.stored, skipped=result.unchanged, counts={"stale": result.stale})


PREMIUM_INFO = PremiumInfoFileKind()


def import_premium_info(*, actor: Actor, path: Path, report_dir: Path | None = None) -> ImportOutcome:
    """Take in one 保険料情報 file."""
    return run_import(actor=actor, kind=PREMIUM_INFO, path=path, report_dir=report_dir)
