"""The tax system's 所得・課税情報: codec, document, and import into IncomeRecord (atomic, idempotent,
corrections replace the income and keep the old values in the audit trail)."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest
from factories import make_person

from kouki.income.importers import import_tax_income
from kouki.income.models import IncomeRecord
from kouki.interfaces.fixedwidth import layout_table
from kouki.interfaces.importing import Outcome
from kouki.interfaces.tax.income_file import dump_tax_income, parse_tax_income
from kouki.interfaces.tax.layout import TAX_INCOME
from kouki.interfaces.tax.record import TaxIncomeRecord, TaxRecordKind
from kouki.privacy.context import Actor
from kouki.privacy.models import AuditEntry

ACTOR = Actor.system("test-tax")
DOC = Path(__file__).resolve().parents[3] / "docs" / "interfaces" / "tax-income.md"


def rec(addressee: str, **kw: object) -> TaxIncomeRecord:
    base = TaxIncomeRecord("11100", addressee, 2024, TaxRecordKind.INITIAL, date(2025, 6, 10),
                           1_800_000, 0, -20_000, 0, True)  # fmt: skip
    return dataclasses.replace(base, **kw)  # type: ignore[arg-type]


def write(tmp: Path, name: str, records: list[TaxIncomeRecord]) -> Path:
    path = tmp / name
    path.write_bytes(dump_tax_income(records, created_on=date(2025, 6, 10)))
    return path


def test_round_trip_in_cp932_fixed_width() -> None:
    records = [rec("000200001"), rec("000200002", kind=TaxRecordKind.CORRECTION, salary_revenue=2_500_000)]
    data = dump_tax_income(records)
    assert all(len(line) == 128 for line in data.split(b"\r\n")[:-1])
    parsed = parse_tax_income(data, "t.dat")
    assert parsed.errors == [] and parsed.records == records


def test_errors_name_line_and_field() -> None:
    data = dump_tax_income(
        [rec("000200001"), rec("000200001"), rec("000200003", changed_on=date(2023, 1, 1))]
    )
    errors = {(e.line, e.field) for e in parse_tax_income(data, "t.dat").errors}
    assert errors == {(3, "income_year"), (4, "changed_on")}


def test_document_holds_the_layout_table() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert layout_table(TAX_INCOME) in text and "**128 bytes**" in text and "`31`" in text


@pytest.mark.django_db
def test_initial_file_then_correction_replaces_and_keeps_old_values_in_audit(tmp_path: Path) -> None:
    person = make_person(addressee_no="000200001")
    other = make_person(addressee_no="000200002")
    first = import_tax_income(
        actor=ACTOR, path=write(tmp_path, "a.dat", [rec("000200001"), rec("000200002")])
    )
    assert first.outcome == Outcome.APPLIED and first.summary is not None and first.summary.applied == 2
    row = IncomeRecord.objects.get(person=person, income_year=2024)
    assert (row.public_pension_revenue, row.salary_revenue, row.other_income) == (1_800_000, 0, -20_000)

    fix = rec(
        "000200001",
        kind=TaxRecordKind.CORRECTION,
        changed_on=date(2025, 8, 15),
        salary_revenue=900_000,
        taxable_income=120_000,
    )
    second = import_tax_income(actor=ACTOR, path=write(tmp_path, "b.dat", [fix, rec("000200002")]))
    assert second.summary is not None
    assert (second.summary.counts["replaced"], second.summary.skipped) == (1, 1)
    corrected = IncomeRecord.objects.get(person=person, income_year=2024)
    assert (corrected.salary_revenue, corrected.taxable_income) == (900_000, 120_000)
    assert corrected.pk > row.pk  # written anew, so that the daily extract sends it to the union
    assert IncomeRecord.objects.filter(person=person).count() == 1
    entry = AuditEntry.objects.filter(action="income.tax_store", target_id=str(person.pk)).order_by("-seq")[0]
    assert entry.detail["previous"]["salary_revenue"] == 0 and entry.detail["kind"] == "2"
    assert IncomeRecord.objects.get(person=other).salary_revenue == 0


@pytest.mark.django_db
def test_same_file_twice_and_rejections_change_nothing(tmp_path: Path) -> None:
    make_person(addressee_no="000200001")
    path = write(tmp_path, "a.dat", [rec("000200001")])
    assert import_tax_income(actor=ACTOR, path=path).outcome == Outcome.APPLIED
    assert import_tax_income(actor=ACTOR, path=path).outcome == Outcome.ALREADY_IMPORTED

    unknown = write(tmp_path, "u.dat", [rec("000200001", salary_revenue=1), rec("000299999")])
    outcome = import_tax_income(actor=ACTOR, path=unknown, report_dir=tmp_path / "rej")
    assert outcome.outcome == Outcome.REJECTED and [(e.line, e.field) for e in outcome.errors] == [
        (3, "addressee_no")
    ]
    assert outcome.errors[0].reason == "宛名番号 000299999 は登録されていません"
    assert IncomeRecord.objects.get().salary_revenue == 0
    assert outcome.report_path is not None and "addressee_no" in outcome.report_path.read_text("utf-8-sig")

    broken = tmp_path / "x.dat"
    broken.write_bytes(path.read_bytes()[:-12])
    assert (
        import_tax_income(actor=ACTOR, path=broken, report_dir=tmp_path / "rej").outcome == Outcome.REJECTED
    )
    assert IncomeRecord.objects.count() == 1
