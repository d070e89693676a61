"""The arrears list keeps pension-deduction instalments awaiting their 特別徴収結果 apart from real arrears
(issue 11 §3): a pension instalment past its payment date is unpaid only until the union's result file
comes back; once it reports the instalment not deducted it is arrears; once deducted it is paid."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from arrears.helpers import ACTOR, pension_person
from kouki.arrears.importers import import_pension_result
from kouki.arrears.selectors import arrears_list, pension_awaiting
from kouki.assessment.models import Instalment
from kouki.interfaces.union.pension_result import NotDeductedReason
from kouki.sandbox.union.collection import ExpectedDeduction, UnionCollection

FY = 2025
ON = date(2025, 10, 20)  # after the October pension payment (2025-10-15)


def month_instalment(person_id: int, month: str) -> Instalment:
    return Instalment.objects.get(
        plan__person_id=person_id, plan__superseded_at__isnull=True, method="pension", month=month
    )


def expected(person: object, month: str, amount: int,
             reason: NotDeductedReason | None = None) -> ExpectedDeduction:
    from kouki.assessment.models import Assessment

    insured = Assessment.objects.filter(person=person, fiscal_year=FY).values_list("insured_no", flat=True)[0]
    return ExpectedDeduction("11100", person.addressee_no, insured, FY, month, amount, reason)  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_pension_instalments_wait_for_their_result_and_only_non_deductions_are_arrears(
        tmp_path: Path) -> None:
    paid, _ = pension_person(90_000)
    died, _ = pension_person(60_000)
    waiting, _ = pension_person(72_000)
    # before any result: every pension instalment past its payment date is awaited, none is arrears
    awaited = pension_awaiting(ON)
    assert {u.person_id for u in awaited} == {paid.pk, died.pk, waiting.pk}
    assert all(u.method == "pension" for u in awaited)
    assert arrears_list(ON) == []
    months = sorted({Instalment.objects.get(pk=u.instalment_id).month for u in awaited})
    union = UnionCollection(tmp_path / "union")
    results = []
    for month in months:
        compact = month.replace("-", "")
        results.append(expected(paid, compact, month_instalment(paid.pk, month).amount))
        results.append(expected(died, compact, month_instalment(died.pk, month).amount,
                                NotDeductedReason.DEATH if month == "2025-10" else None))
    (path,) = union.write_pension_results(results, ON, tmp_path / "inbox")
    import_pension_result(actor=ACTOR, path=path)
    # paid: nothing left; died: October reported not deducted → arrears; waiting: still awaited only
    rows = arrears_list(ON)
    assert [r.person_id for r in rows] == [died.pk]
    assert [u.instalment_id for u in rows[0].instalments] == [month_instalment(died.pk, "2025-10").pk]
    assert {u.person_id for u in pension_awaiting(ON)} == {waiting.pk}
    assert arrears_list(ON, method="pension")[0].person_id == died.pk
