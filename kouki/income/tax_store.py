"""Writing the tax system's income into kouki.income IncomeRecord (one row per person and income year).

A record replaces the income of (person, income_year); the values it replaced are kept in the audit row's
detail (action "income.tax_store"), which is the history of corrections. Fields the tax file does not
carry (介護保険料 and its pension) are left as they are.

A replaced row is written anew (the old row deleted, a new one with a new id inserted in the same
transaction): the daily 所得・課税情報 extract to the union (kouki.eligibility.extract.income_info_records)
sends the rows recorded after the previous file's last id, so a correction from the tax system reaches the
union and its 保険料 is reassessed (更正). Nothing refers to an IncomeRecord by id.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from kouki.addressees.selectors import person_ids_strict
from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.core.db import chunked, rows_locked_for_persons
from kouki.income.models import IncomeRecord
from kouki.interfaces.models import ImportRecord
from kouki.interfaces.tax.record import TaxIncomeRecord
from kouki.privacy.audit import AuditItem, audit_record_many
from kouki.privacy.context import Actor

TAX_FIELDS = ("public_pension_revenue", "salary_revenue", "other_income", "taxable_income", "declared")


@dataclass(frozen=True)
class StoreSummary:
    created: int
    replaced: int
    unchanged: int


def income_records_store(
    *, actor: Actor, records: Sequence[TaxIncomeRecord], import_record: ImportRecord | None = None
) -> StoreSummary:
    """Create or replace IncomeRecord rows from tax records, one audit row per change, in one transaction."""
    with transaction.atomic():
        now = timezone.now()
        person_ids = person_ids_strict([r.addressee_no for r in records])
        existing: dict[tuple[int, int], IncomeRecord] = {
            (row.person_id, row.income_year): row for row in rows_locked_for_persons(IncomeRecord, person_ids)
        }
        new_rows: list[IncomeRecord] = []
        replaced_ids: list[int] = []
        items: list[tuple[int, int, TaxIncomeRecord, dict[str, int] | None]] = []
        unchanged = 0
        for person_id, record in zip(person_ids, records, strict=True):
            values = {f: getattr(record, f) for f in TAX_FIELDS}
            held = existing.get((person_id, record.income_year))
            if held is None:
                new_rows.append(IncomeRecord(person_id=person_id, income_year=record.income_year,
                                             recorded_at=now, **values))  # fmt: skip
                items.append((person_id, record.income_year, record, None))
                continue
            old = {f: getattr(held, f) for f in TAX_FIELDS}
            if old == values:
                unchanged += 1
                continue
            replaced_ids.append(held.pk)
            new_rows.append(IncomeRecord(
                person_id=person_id, income_year=record.income_year, recorded_at=now,
                care_premium_annual=held.care_premium_annual,
                care_deduction_pension_annual=held.care_deduction_pension_annual, **values,
            ))  # fmt: skip
            items.append((person_id, record.income_year, record, old))
        for part in chunked(replaced_ids, 2000):
            IncomeRecord.objects.filter(pk__in=part).delete()
        IncomeRecord.objects.bulk_create(new_rows, batch_size=1000)
        audit_record_many(
            actor=actor,
            items=[
                AuditItem(
                    action=AuditAction.INCOME_TAX_STORE,
                    target_type=AuditTarget.ADDRESSEES_PERSON,
                    target_id=str(person_id),
                    detail={
                        "income_year": year,
                        "kind": record.kind.value,
                        "changed_on": record.changed_on.isoformat(),
                        "import_record_id": import_record.pk if import_record is not None else None,
                        "previous": old,
                    },
                )
                for person_id, year, record, old in items
            ],
        )
        replaced = len(replaced_ids)
        return StoreSummary(created=len(new_rows) - replaced, replaced=replaced, unchanged=unchanged)
