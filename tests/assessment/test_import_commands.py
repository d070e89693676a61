"""`kouki import tax-income|premium-info FILE` (exit status, summary, rejection report, idempotent second
run) and 保険料情報 taken in by the daily batch's inbox import with the other union files (IN-06)."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest
from factories import make_person
from interfaces.union.samples import INSURED, INSURER

from kouki.assessment.models import Assessment
from kouki.assessment.selectors import assessment_in_force
from kouki.cli import main
from kouki.eligibility.batch import import_inbox
from kouki.eligibility.models import InsuredPeriod
from kouki.income.models import IncomeRecord
from kouki.interfaces.importing import Outcome
from kouki.interfaces.models import ImportRecord
from kouki.interfaces.tax.income_file import dump_tax_income
from kouki.interfaces.tax.record import TaxIncomeRecord, TaxRecordKind
from kouki.interfaces.union.files import inbox_importer, union_file_name
from kouki.interfaces.union.insured_info import dump_insured_info
from kouki.interfaces.union.premium_info import dump_premium_info
from kouki.interfaces.union.records import (
    AcquisitionReason,
    AssessmentKind,
    InsuredInfoRecord,
    PremiumInfoRecord,
    PremiumReduction,
)
from kouki.privacy.context import Actor

CITY = "11100"
ACTOR = Actor.system("test-import-commands")


def tax(addressee: str, **kw: object) -> TaxIncomeRecord:
    base = TaxIncomeRecord(
        CITY, addressee, 2024, TaxRecordKind.INITIAL, date(2025, 6, 10), 1_800_000, 0, 0, 0, True
    )
    return dataclasses.replace(base, **kw)  # type: ignore[arg-type]


def premium(addressee: str, **kw: object) -> PremiumInfoRecord:
    base = PremiumInfoRecord(
        CITY,
        addressee,
        INSURED,
        2025,
        AssessmentKind.INITIAL,
        date(2025, 7, 1),
        22960,
        24381,
        PremiumReduction.FIFTY,
        12,
        47300,
        0,
        270000,
        None,
    )
    return dataclasses.replace(base, **kw)  # type: ignore[arg-type]


@pytest.mark.django_db
@pytest.mark.usefixtures("operator")  # KOUKI_BATCH_USER: the named staff member for --as
def test_tax_income_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    person = make_person(addressee_no="000400001")
    good = tmp_path / "tax-20250610.dat"
    good.write_bytes(dump_tax_income([tax("000400001")], created_on=date(2025, 6, 10)))
    assert main(["import", "tax-income", str(good)]) == 0
    out = capsys.readouterr().out
    assert "imported" in out and "applied: 1" in out and "new incomes: 1" in out
    assert IncomeRecord.objects.get(person=person, income_year=2024).public_pension_revenue == 1_800_000

    assert main(["import", "tax-income", str(good)]) == 4  # the same file again: exit 4, nothing changed
    assert "already imported" in capsys.readouterr().out
    assert IncomeRecord.objects.count() == 1

    fix = tmp_path / "tax-20250820.dat"
    fix.write_bytes(
        dump_tax_income(
            [
                tax(
                    "000400001",
                    kind=TaxRecordKind.CORRECTION,
                    changed_on=date(2025, 8, 20),
                    public_pension_revenue=2_400_000,
                )
            ]
        )
    )
    assert main(["import", "tax-income", str(fix)]) == 0
    assert "corrected incomes: 1" in capsys.readouterr().out
    assert IncomeRecord.objects.get(person=person, income_year=2024).public_pension_revenue == 2_400_000

    bad = tmp_path / "tax-bad.dat"
    bad.write_bytes(dump_tax_income([tax("000400001", income_year=2023), tax("000499999")]))
    assert main(["import", "tax-income", str(bad), "--report-dir", str(tmp_path / "r")]) == 1
    out = capsys.readouterr().out
    assert "rejected" in out and "report:" in out and "[addressee_no]" in out
    [report] = (tmp_path / "r").iterdir()
    assert "宛名番号" in report.read_text(encoding="utf-8-sig")
    assert set(IncomeRecord.objects.values_list("income_year", flat=True)) == {2024}  # nothing applied

    assert main(["import", "tax-income", str(tmp_path / "missing.dat")]) == 2


@pytest.mark.django_db
@pytest.mark.usefixtures("operator")  # KOUKI_BATCH_USER: the named staff member for --as
def test_premium_info_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    person = make_person(addressee_no="000400002")
    good = tmp_path / union_file_name("premium-info", CITY, date(2025, 7, 1))
    good.write_bytes(dump_premium_info([premium("000400002")], created_on=date(2025, 7, 1)))
    assert main(["import", "premium-info", str(good)]) == 0
    out = capsys.readouterr().out
    assert "imported" in out and "applied: 1" in out
    in_force = assessment_in_force(person.pk, 2025)
    assert in_force is not None and in_force.annual_premium == 47300

    assert main(["import", "premium-info", str(good)]) == 4  # already imported
    assert "already imported" in capsys.readouterr().out
    assert Assessment.objects.count() == 1

    bad = tmp_path / "bad.dat"
    bad.write_bytes(
        dump_premium_info([premium("000400002", annual_premium=50000)]).replace(b"20250701", b"20251341")
    )
    assert main(["import", "premium-info", str(bad), "--report-dir", str(tmp_path / "r")]) == 1
    out = capsys.readouterr().out
    assert "rejected" in out and "[assessed_on]" in out
    assert [p.suffix for p in (tmp_path / "r").iterdir()] == [".csv"]
    assert Assessment.objects.count() == 1 and ImportRecord.objects.filter(status="rejected").count() == 1

    assert main(["import", "premium-info", str(tmp_path / "missing.dat")]) == 2


@pytest.mark.django_db
def test_the_inbox_import_takes_in_premium_info_with_the_other_union_files(tmp_path: Path) -> None:
    person = make_person(addressee_no="000400003")
    day = date(2025, 7, 1)
    period = InsuredInfoRecord(
        municipality_code=CITY,
        addressee_no="000400003",
        insured_no=INSURED,
        insurer_no=INSURER,
        acquired_on=date(2020, 5, 1),
        acquisition_reason=AcquisitionReason.AGE,
        lost_on=None,
        loss_reason=None,
        copay_rate=10,
        copay_from=date(2025, 8, 1),
        address_exception=False,
        decided_on=day,
    )
    (tmp_path / union_file_name("insured-info", CITY, day)).write_bytes(
        dump_insured_info([period], created_on=day)
    )
    (tmp_path / union_file_name("premium-info", CITY, day)).write_bytes(
        dump_premium_info([premium("000400003")], created_on=day)
    )
    (tmp_path / "notes.txt").write_text("not a union file")

    outcomes = import_inbox(actor=ACTOR, inbox=tmp_path)
    assert [(o.file_name.split("_")[1], o.outcome) for o in outcomes] == [
        ("insured-info", Outcome.APPLIED),
        ("premium-info", Outcome.APPLIED),
    ]
    assert InsuredPeriod.objects.filter(person=person).count() == 1
    assert assessment_in_force(person.pk, 2025) is not None
    # a second run imports nothing again
    assert {o.outcome for o in import_inbox(actor=ACTOR, inbox=tmp_path)} == {Outcome.ALREADY_IMPORTED}

    # a bad 保険料情報 in the inbox is rejected with a report in inbox/rejected, like the other kinds
    bad = tmp_path / union_file_name("premium-info", CITY, date(2025, 8, 1))
    bad.write_bytes(dump_premium_info([premium("000499999")], created_on=date(2025, 8, 1)))
    rejected = [o for o in import_inbox(actor=ACTOR, inbox=tmp_path) if o.outcome == Outcome.REJECTED]
    assert [o.file_name for o in rejected] == [bad.name]
    assert rejected[0].report_path is not None and rejected[0].report_path.parent == tmp_path / "rejected"


def test_every_union_to_city_kind_has_an_importer() -> None:
    from kouki.interfaces.union.files import UNION_TO_CITY

    assert all(inbox_importer(kind) is not None for kind in UNION_TO_CITY)
    assert inbox_importer("income-info") is None and inbox_importer(None) is None
