"""A correction from the tax system reaches the union: the next daily 所得・課税情報 file carries it, so the
union reassesses the premium (更正). The corrected income is written anew for that reason."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.utils import timezone
from factories import make_person

from kouki.eligibility.batch import INCOME_INFO, batch_daily
from kouki.income.importers import import_tax_income
from kouki.income.models import IncomeRecord
from kouki.interfaces.importing import Outcome
from kouki.interfaces.tax.income_file import dump_tax_income
from kouki.interfaces.tax.record import TaxIncomeRecord, TaxRecordKind
from kouki.interfaces.union.income_info import parse_income_info
from kouki.privacy.context import Actor

ACTOR = Actor.system("test-tax-correction")


def sent_incomes(tmp: Path, on: date) -> list[tuple[str, int, int]]:
    result = batch_daily(actor=ACTOR, on=on, outbox=tmp / f"out-{on:%m%d}", inbox=None)
    [income] = [s for s in result.sent if s.kind == INCOME_INFO]
    parsed = parse_income_info(income.path.read_bytes(), income.path.name)
    assert parsed.errors == []
    return [(r.addressee_no, r.income_year, r.public_pension_revenue) for r in parsed.records]


@pytest.mark.django_db
def test_a_tax_correction_goes_out_in_the_next_daily_income_file(tmp_path: Path) -> None:
    person = make_person(addressee_no="000500001", birth_date=date(1945, 5, 10))
    IncomeRecord.objects.create(person=person, income_year=2024, public_pension_revenue=1_800_000,
                                care_premium_annual=60_000, care_deduction_pension_annual=1_800_000,
                                recorded_at=timezone.now())  # fmt: skip
    assert sent_incomes(tmp_path, date(2025, 8, 1)) == [("000500001", 2024, 1_800_000)]
    assert sent_incomes(tmp_path, date(2025, 8, 2)) == []  # nothing changed

    fix = TaxIncomeRecord("11100", "000500001", 2024, TaxRecordKind.CORRECTION, date(2025, 8, 5),
                          2_600_000, 0, 0, 0, True)  # fmt: skip
    path = tmp_path / "tax-fix.dat"
    path.write_bytes(dump_tax_income([fix], created_on=date(2025, 8, 5)))
    assert import_tax_income(actor=ACTOR, path=path).outcome == Outcome.APPLIED
    assert sent_incomes(tmp_path, date(2025, 8, 6)) == [("000500001", 2024, 2_600_000)]
    row = IncomeRecord.objects.get(person=person, income_year=2024)
    # the tax file does not carry the care-premium pension: kept from the replaced row
    assert (row.care_premium_annual, row.care_deduction_pension_annual) == (60_000, 1_800_000)
