"""特別徴収結果 (union → city) as a kind of the generic import runner (kouki.interfaces.importing):
atomic, idempotent (same file = already imported), any bad line, unknown 宛名番号 or missing pension
instalment rejects the whole file with a report.

A deducted amount becomes a receipt (kouki.collection.services.receipts_record, channel pension) on
the pension payment date (the 15th of the even month, or the business day before), naming the pension
instalment of that month; a result already recorded (the same person and month in an earlier file) is
skipped. Not deducted: nothing is received, the instalment stays unpaid and goes on the worklist for
the move to direct payment (kouki.arrears.models.PensionNonDeduction).
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path

from django.utils import timezone

from kouki.arrears.lookups import pension_instalments, pension_receipts_recorded, person_ids_by_addressee_no
from kouki.arrears.models import PensionNonDeduction
from kouki.arrears.selectors import PENSION_REFERENCE_PREFIX
from kouki.collection.models import Channel
from kouki.collection.services import CollectionError, ReceiptInput, receipts_record
from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.interfaces.importing import ApplyError, ApplySummary, ImportOutcome, ParseResult, run_import
from kouki.interfaces.models import ImportRecord
from kouki.interfaces.union.pension_result import (
    DeductionResult,
    PensionResultRecord,
    parse_pension_result,
)
from kouki.privacy.audit import AuditItem, audit_record_many
from kouki.privacy.context import Actor
from kouki.rules.business_days import BusinessCalendar, japanese_calendar, paid_on_or_before
from kouki.rules.instalments.config import SAITAMA

REFERENCE_PREFIX = PENSION_REFERENCE_PREFIX
AUDIT_EACH_UP_TO = 50  # more worklist items at once: one audit row naming the id range


@lru_cache(maxsize=8)
def _calendar(year: int) -> BusinessCalendar:
    return japanese_calendar([year - 1, year, year + 1])


def pension_payment_date(year: int, month: int) -> date:
    """年金支払日: the 15th of the month, or the business day before it (kouki.rules.instalments)."""
    return paid_on_or_before(year, month, SAITAMA.pension_payment_day, _calendar(year))


def reference_of(pension_month: str) -> str:
    return f"{REFERENCE_PREFIX}{pension_month}"


def _month(record: PensionResultRecord) -> str:
    return f"{record.pension_month[:4]}-{record.pension_month[4:]}"


class PensionResultFileKind:
    @property
    def kind(self) -> str:
        return "union_pension_result"

    def parse(self, data: bytes, file_name: str) -> ParseResult[PensionResultRecord]:
        return parse_pension_result(data, file_name)

    def apply(
        self, *, actor: Actor, parsed: ParseResult[PensionResultRecord], import_record: ImportRecord
    ) -> ApplySummary:
        receipts: list[ReceiptInput] = []
        lines: list[int] = []
        worklist: list[PensionNonDeduction] = []
        skipped = 0
        now = timezone.now()
        records = list(zip(parsed.records, parsed.record_lines, strict=True))
        people = person_ids_by_addressee_no(r.addressee_no for r, _ in records)
        for record, line in records:
            if record.addressee_no not in people:
                raise ApplyError(line, "addressee_no", "宛名番号が登録されていません")
        months = {_month(r) for r, _ in records}
        instalments = pension_instalments(
            ((people[r.addressee_no], r.fiscal_year) for r, _ in records), months
        )
        recorded = pension_receipts_recorded(
            people.values(), {reference_of(r.pension_month) for r, _ in records}
        )
        listed = set(PensionNonDeduction.objects.filter(instalment_id__in=instalments.values()).values_list(
            "instalment_id", flat=True))  # fmt: skip
        for record, line in records:
            person_id, month = people[record.addressee_no], _month(record)
            instalment_id = instalments.get((person_id, record.fiscal_year, month))
            if instalment_id is None:
                raise ApplyError(line, "pension_month", f"{month} の特別徴収の期別が期割計画にありません")
            reference = reference_of(record.pension_month)
            if record.result == DeductionResult.DEDUCTED:
                if (person_id, reference) in recorded:
                    skipped += 1
                    continue
                year, mon = int(record.pension_month[:4]), int(record.pension_month[4:])
                receipts.append(ReceiptInput(
                    person_id=person_id, fiscal_year=record.fiscal_year, channel=Channel.PENSION,
                    amount=record.deducted, paid_on=pension_payment_date(year, mon),
                    instalment_id=instalment_id, reference=reference,
                ))  # fmt: skip
                lines.append(line)
            else:
                assert record.reason is not None  # (the layout's cross-check)
                if instalment_id in listed:
                    skipped += 1
                    continue
                worklist.append(PensionNonDeduction(
                    instalment_id=instalment_id, person_id=person_id, fiscal_year=record.fiscal_year,
                    pension_month=month, reason=record.reason.value, import_record=import_record,
                    recorded_at=now,
                ))  # fmt: skip
        try:
            receipts_record(actor=actor, items=receipts, on=timezone.localdate(), import_record=import_record)
        except CollectionError as exc:
            raise ApplyError(lines[0] if lines else 0, "deducted", str(exc)) from None
        created = PensionNonDeduction.objects.bulk_create(worklist)
        if 0 < len(created) <= AUDIT_EACH_UP_TO:
            audit_record_many(actor=actor, items=[AuditItem(
                AuditAction.PENSION_NOT_DEDUCTED, AuditTarget.ARREARS_PENSION_NON_DEDUCTION, str(w.pk),
                {"instalment": w.instalment_id, "month": w.pension_month, "reason": w.reason},
            ) for w in created])  # fmt: skip
        elif created:
            audit_record_many(actor=actor, items=[AuditItem(
                AuditAction.PENSION_NOT_DEDUCTED, AuditTarget.ARREARS_PENSION_NON_DEDUCTION,
                f"{created[0].pk}-{created[-1].pk}",
                {"count": len(created), "import": import_record.pk},
            )])  # fmt: skip
        return ApplySummary(
            applied=len(receipts) + len(created), skipped=skipped,
            counts={"deducted": len(receipts), "not_deducted": len(created)},
        )  # fmt: skip


PENSION_RESULT = PensionResultFileKind()


def import_pension_result(*, actor: Actor, path: Path, report_dir: Path | None = None) -> ImportOutcome:
    """Take in one 特別徴収結果 file."""
    return run_import(actor=actor, kind=PENSION_RESULT, path=path, report_dir=report_dir)
