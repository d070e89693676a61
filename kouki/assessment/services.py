"""Writes of assessments: storing the union's 保険料情報 records (a full snapshot per person and year)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from kouki.addressees.selectors import person_ids_strict
from kouki.assessment.models import Assessment, AssessmentKind, ReassessmentReason, Reduction
from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.core.db import rows_locked_for_persons
from kouki.interfaces.models import ImportRecord
from kouki.interfaces.union import records as union
from kouki.privacy.audit import AuditItem, audit_record_many
from kouki.privacy.context import Actor

KIND = {
    union.AssessmentKind.INITIAL: AssessmentKind.INITIAL,
    union.AssessmentKind.REASSESSMENT: AssessmentKind.REASSESSMENT,
}
REDUCTION = {
    union.PremiumReduction.NONE: Reduction.NONE,
    union.PremiumReduction.SEVENTY: Reduction.SEVENTY,
    union.PremiumReduction.FIFTY: Reduction.FIFTY,
    union.PremiumReduction.TWENTY: Reduction.TWENTY,
    union.PremiumReduction.FORMER_DEPENDANT: Reduction.FORMER_DEPENDANT,
}
REASON = {
    None: ReassessmentReason.NONE,
    union.ReassessmentReason.INCOME: ReassessmentReason.INCOME,
    union.ReassessmentReason.HOUSEHOLD: ReassessmentReason.HOUSEHOLD,
    union.ReassessmentReason.ELIGIBILITY: ReassessmentReason.ELIGIBILITY,
    union.ReassessmentReason.OTHER: ReassessmentReason.OTHER,
}
VALUE_FIELDS = (
    "kind", "insured_no", "assessed_on", "per_capita_levy", "income_levy", "reduction", "months",
    "annual_premium", "child_support_levy", "income_base", "reason",
)  # fmt: skip


@dataclass(frozen=True)
class StoreSummary:
    stored: int  # new rows in force
    unchanged: int  # same values as the row in force
    stale: int  # decided before the row in force: kept as history only


def _values(record: union.PremiumInfoRecord) -> dict[str, object]:
    return {
        "kind": KIND[record.kind],
        "insured_no": record.insured_no,
        "assessed_on": record.assessed_on,
        "per_capita_levy": record.per_capita_levy,
        "income_levy": record.income_levy,
        "reduction": REDUCTION[record.reduction],
        "months": record.months,
        "annual_premium": record.annual_premium,
        "child_support_levy": record.child_support_levy,
        "income_base": record.income_base,
        "reason": REASON[record.reason],
    }


def premium_infos_store(
    *, actor: Actor, records: Sequence[union.PremiumInfoRecord], import_record: ImportRecord | None = None
) -> StoreSummary:
    """Store 保険料情報 records: each supersedes the assessment in force for (person, fiscal year).

    A record equal to the one in force changes nothing; one decided before it (賦課決定日 earlier) is kept
    as history, superseded at once. Raises UnknownAddressee (the import rejects the whole file).
    """
    with transaction.atomic():
        now = timezone.now()
        person_ids = person_ids_strict([r.addressee_no for r in records])
        live: dict[tuple[int, int], Assessment] = {
            (row.person_id, row.fiscal_year): row
            for row in rows_locked_for_persons(Assessment, person_ids, superseded_at__isnull=True)
        }
        superseded: list[Assessment] = []
        new_rows: list[Assessment] = []
        replaced: list[Assessment | None] = []
        unchanged = stale = 0
        for person_id, record in zip(person_ids, records, strict=True):
            values = _values(record)
            key = (person_id, record.fiscal_year)
            previous = live.get(key)
            if previous is not None and all(getattr(previous, f) == values[f] for f in VALUE_FIELDS):
                unchanged += 1
                continue
            row = Assessment(person_id=person_id, fiscal_year=record.fiscal_year, recorded_at=now,
                             import_record=import_record, **values)  # fmt: skip
            if previous is not None and record.assessed_on < previous.assessed_on:
                row.superseded_at = now
                stale += 1
            else:
                if previous is not None:
                    previous.superseded_at = now
                    superseded.append(previous)
                live[key] = row
            new_rows.append(row)
            replaced.append(previous if row.superseded_at is None else None)
        # rows superseded within this same file were never saved: drop them, keep the last
        saved_old = [r for r in superseded if r.pk is not None]
        Assessment.objects.bulk_update(saved_old, ["superseded_at"], batch_size=1000)
        Assessment.objects.bulk_create(new_rows, batch_size=1000)
        audit_record_many(
            actor=actor,
            items=[
                AuditItem(
                    action=AuditAction.ASSESSMENT_STORE,
                    target_type=AuditTarget.ADDRESSEES_PERSON,
                    target_id=str(row.person_id),
                    detail={
                        "assessment_id": row.pk,
                        "fiscal_year": row.fiscal_year,
                        "kind": row.kind,
                        "annual_premium": row.annual_premium,
                        "superseded_id": old.pk if old is not None else None,
                        "stale": row.superseded_at is not None,
                    },
                )
                for row, old in zip(new_rows, replaced, strict=True)
            ],
        )
        return StoreSummary(stored=len(new_rows) - stale, unchanged=unchanged, stale=stale)
