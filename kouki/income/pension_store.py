"""Writing a 年金給付関係情報 answer (情報照会, issue 13 §2) into kouki.income IncomeRecord.

Planning (kouki.assessment.planning_inputs) takes the pension the deduction (特別徴収) is made from out of
IncomeRecord.care_deduction_pension_annual of income year FY−1, and the notice its 公的年金等収入. For a
person moving in the city's tax system has no previous-year income; the answer from 日本年金機構 or a 共済
fills it:
- care_deduction_pension_annual is set from the answer (the network's data is the authority for the
  pension paid);
- public_pension_revenue is set only when kouki holds no income row of that year (the tax system, when it
  has one, stays the authority for income; its file replaces the revenue later);
- like the tax store, a changed row is written anew (new id) so the daily 所得・課税情報 extract to the union
  sends it; one audit row with the values replaced.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.core.db import rows_locked_for_persons
from kouki.income.models import IncomeRecord
from kouki.privacy.audit import audit_record
from kouki.privacy.context import Actor


@dataclass(frozen=True)
class PensionAnswer:
    income_year: int
    public_pension_revenue: int
    care_deduction_pension_annual: int


def pension_answer_store(*, actor: Actor, person_id: int, answer: PensionAnswer, source: str) -> bool:
    """Store the answer; True when the income row changed. `source` names the inquiry (照会番号)."""
    with transaction.atomic():
        held = next(rows_locked_for_persons(IncomeRecord, [person_id], income_year=answer.income_year), None)
        before = None
        if held is None:
            row = IncomeRecord(
                person_id=person_id,
                income_year=answer.income_year,
                public_pension_revenue=answer.public_pension_revenue,
                care_deduction_pension_annual=answer.care_deduction_pension_annual,
                recorded_at=timezone.now(),
            )
        else:
            if held.care_deduction_pension_annual == answer.care_deduction_pension_annual:
                return False
            before = {"care_deduction_pension_annual": held.care_deduction_pension_annual}
            row = IncomeRecord(
                person_id=person_id,
                income_year=held.income_year,
                public_pension_revenue=held.public_pension_revenue,
                salary_revenue=held.salary_revenue,
                other_income=held.other_income,
                care_premium_annual=held.care_premium_annual,
                care_deduction_pension_annual=answer.care_deduction_pension_annual,
                taxable_income=held.taxable_income,
                recorded_at=timezone.now(),
            )
            IncomeRecord.objects.filter(pk=held.pk).delete()
        row.save()
        audit_record(
            actor=actor,
            action=AuditAction.INCOME_PENSION_STORE,
            target_type=AuditTarget.ADDRESSEES_PERSON,
            target_id=str(person_id),
            detail={"income_year": answer.income_year, "source": source, "previous": before,
                    "created": held is None},
        )
        return True
