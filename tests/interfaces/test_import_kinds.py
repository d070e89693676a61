"""The one registry of file kinds shared by `kouki import` and the 取込 screen
(kouki.interfaces.import_kinds)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from factories import make_person

from kouki.cli import main
from kouki.interfaces.field_labels import field_label
from kouki.interfaces.import_kinds import KINDS, RECORD_KIND_LABELS, importer_of, record_kind_label
from kouki.interfaces.models import ImportRecord
from kouki.interfaces.tax.income_file import dump_tax_income
from kouki.interfaces.tax.record import TaxIncomeRecord, TaxRecordKind
from kouki.interfaces.union.files import union_file_name
from kouki.interfaces.union.insured_info import dump_insured_info
from kouki.interfaces.union.records import AcquisitionReason, InsuredInfoRecord


def test_every_kind_names_an_importer_and_a_japanese_label() -> None:
    names = [k.name for k in KINDS]
    assert names == ["resident-changes", "tax-income", "union-file", "premium-info", "store-report",
                     "debit-result", "transfer-result", "pension-result", "benefit-decision"]
    for kind in KINDS:
        assert callable(importer_of(kind)) and not kind.label.isascii()


def test_every_file_kind_of_the_runner_has_a_history_label() -> None:
    from kouki.addressees.importers import RESIDENT_CHANGES
    from kouki.arrears.importers import PENSION_RESULT
    from kouki.assessment.importers import PREMIUM_INFO
    from kouki.banking.refund_results import TRANSFER_RESULT
    from kouki.banking.results import DEBIT_RESULT
    from kouki.eligibility.importers import KINDS_BY_FILE, UnreadableUnionFile
    from kouki.income.importers import TAX_INCOME_FILE
    from kouki.interfaces.benefit_decisions import BENEFIT_DECISION
    from kouki.stores.importers import STORE_REPORT

    kinds = {RESIDENT_CHANGES.kind, PENSION_RESULT.kind, PREMIUM_INFO.kind, DEBIT_RESULT.kind,
             TRANSFER_RESULT.kind, TAX_INCOME_FILE.kind, STORE_REPORT.kind, BENEFIT_DECISION.kind,
             UnreadableUnionFile.kind, *(k.kind for k in KINDS_BY_FILE.values())}
    assert kinds == set(RECORD_KIND_LABELS)
    assert record_kind_label("something_else") == "その他のファイル"


@pytest.mark.parametrize(("field", "label"), [
    ("addressee_no", "宛名番号"), ("insured_no", "被保険者番号"), ("assessed_on", "賦課決定日"),
    ("(ファイル)", "(ファイル)"), ("no_such_field", "(項目)"),
])  # fmt: skip
def test_error_fields_get_their_japanese_names(field: str, label: str) -> None:
    assert field_label(field) == label


@pytest.mark.django_db
@pytest.mark.usefixtures("operator")  # KOUKI_BATCH_USER: the named staff member for --as
def test_the_command_takes_in_a_union_file_and_refuses_another_kind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from interfaces.union.samples import INSURED, INSURER

    make_person(addressee_no="000400001")
    record = InsuredInfoRecord(
        municipality_code="11100", addressee_no="000400001", insured_no=INSURED, insurer_no=INSURER,
        acquired_on=date(2020, 5, 1), acquisition_reason=AcquisitionReason.AGE, lost_on=None,
        loss_reason=None, copay_rate=10, copay_from=date(2025, 8, 1), address_exception=False,
        decided_on=date(2025, 7, 1),
    )  # fmt: skip
    good = tmp_path / union_file_name("insured-info", "11100", date(2025, 7, 1))
    good.write_bytes(dump_insured_info([record], created_on=date(2025, 7, 1)))
    assert main(["import", "union-file", str(good)]) == 0
    assert "applied: 1" in capsys.readouterr().out

    tax = tmp_path / "tax.dat"
    tax.write_bytes(dump_tax_income([TaxIncomeRecord(
        "11100", "000400001", 2024, TaxRecordKind.INITIAL, date(2025, 6, 10), 1, 0, 0, 0, True)]))
    assert main(["import", "union-file", str(tax)]) == 2
    assert "not a union" in capsys.readouterr().err
    assert ImportRecord.objects.count() == 1
