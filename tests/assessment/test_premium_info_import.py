"""保険料情報 import: the latest assessment per (person, fiscal year) is in force; history is kept; a file
is applied once and atomically; a bad file changes nothing and leaves a report."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest
from factories import make_person
from interfaces.union.samples import INSURED

from kouki.assessment.importers import import_premium_info
from kouki.assessment.models import Assessment
from kouki.assessment.selectors import assessment_in_force, assessments_of
from kouki.interfaces.importing import Outcome
from kouki.interfaces.union.premium_info import dump_premium_info
from kouki.interfaces.union.records import (
    AssessmentKind,
    PremiumInfoRecord,
    PremiumReduction,
    ReassessmentReason,
)
from kouki.privacy.context import Actor
from kouki.privacy.models import AuditEntry

ACTOR = Actor.system("test-assessment")


def record(addressee: str, **kw: object) -> PremiumInfoRecord:
    base = PremiumInfoRecord(
        "11100", addressee, INSURED, 2025, AssessmentKind.INITIAL, date(2025, 7, 1),
        22960, 24381, PremiumReduction.FIFTY, 12, 47300, 0, 270000, None,
    )  # fmt: skip
    return dataclasses.replace(base, **kw)  # type: ignore[arg-type]


def write(tmp: Path, name: str, records: list[PremiumInfoRecord], on: date) -> Path:
    path = tmp / name
    path.write_bytes(dump_premium_info(records, created_on=on))
    return path


@pytest.mark.django_db
def test_initial_then_reassessment_keeps_history(tmp_path: Path) -> None:
    person = make_person(addressee_no="000100001")
    first = write(tmp_path, "a.dat", [record("000100001")], date(2025, 7, 1))
    outcome = import_premium_info(actor=ACTOR, path=first)
    assert outcome.outcome == Outcome.APPLIED and outcome.summary is not None
    assert outcome.summary.applied == 1
    in_force = assessment_in_force(person.pk, 2025)
    assert in_force is not None
    assert (in_force.kind, in_force.annual_premium, in_force.reduction, in_force.income_base) == (
        "initial",
        47300,
        "50%",
        270000,
    )
    assert in_force.import_record == outcome.import_record

    change = record("000100001", kind=AssessmentKind.REASSESSMENT, assessed_on=date(2025, 9, 1),
                    income_levy=33297, annual_premium=56200, income_base=368740,
                    reason=ReassessmentReason.INCOME)  # fmt: skip
    second = write(tmp_path, "b.dat", [change], date(2025, 9, 1))
    assert import_premium_info(actor=ACTOR, path=second).outcome == Outcome.APPLIED
    in_force = assessment_in_force(person.pk, 2025)
    assert in_force is not None
    assert (in_force.kind, in_force.annual_premium, in_force.reason) == ("reassessment", 56200, "income")
    history = list(assessments_of(person.pk))
    assert [a.annual_premium for a in history] == [47300, 56200]
    assert history[0].superseded_at is not None and history[1].superseded_at is None
    assert AuditEntry.objects.filter(action="assessment.store", target_id=str(person.pk)).count() == 2


@pytest.mark.django_db
def test_same_file_twice_changes_nothing(tmp_path: Path) -> None:
    make_person(addressee_no="000100002")
    path = write(tmp_path, "a.dat", [record("000100002")], date(2025, 7, 1))
    assert import_premium_info(actor=ACTOR, path=path).outcome == Outcome.APPLIED
    assert import_premium_info(actor=ACTOR, path=path).outcome == Outcome.ALREADY_IMPORTED
    assert Assessment.objects.count() == 1
    # the same content in another file: nothing new is in force either
    again = write(tmp_path, "b.dat", [record("000100002")], date(2025, 7, 2))
    outcome = import_premium_info(actor=ACTOR, path=again)
    assert outcome.summary is not None and (outcome.summary.applied, outcome.summary.skipped) == (0, 1)
    assert Assessment.objects.count() == 1


@pytest.mark.django_db
def test_unknown_addressee_rejects_the_whole_file(tmp_path: Path) -> None:
    make_person(addressee_no="000100003")
    path = write(tmp_path, "a.dat", [record("000100003"), record("000199999")], date(2025, 7, 1))
    outcome = import_premium_info(actor=ACTOR, path=path, report_dir=tmp_path / "rej")
    assert outcome.outcome == Outcome.REJECTED
    assert [(e.line, e.field) for e in outcome.errors] == [(3, "addressee_no")]
    assert outcome.errors[0].reason == "宛名番号 000199999 は登録されていません"
    assert Assessment.objects.count() == 0
    assert outcome.report_path is not None and outcome.report_path.exists()


@pytest.mark.django_db
def test_a_bad_line_rejects_the_file_with_a_report(tmp_path: Path) -> None:
    make_person(addressee_no="000100004")
    data = dump_premium_info([record("000100004")], created_on=date(2025, 7, 1)).replace(
        b"20250701", b"20251341"
    )
    path = tmp_path / "bad.dat"
    path.write_bytes(data)
    outcome = import_premium_info(actor=ACTOR, path=path, report_dir=tmp_path / "rej")
    assert outcome.outcome == Outcome.REJECTED and Assessment.objects.count() == 0
    assert outcome.report_path is not None
    assert "assessed_on" in outcome.report_path.read_text(encoding="utf-8-sig")


@pytest.mark.django_db
def test_an_older_decision_arriving_late_stays_history(tmp_path: Path) -> None:
    person = make_person(addressee_no="000100005")
    newer = record("000100005", kind=AssessmentKind.REASSESSMENT, assessed_on=date(2025, 10, 1),
                   annual_premium=40000, reason=ReassessmentReason.HOUSEHOLD)  # fmt: skip
    import_premium_info(actor=ACTOR, path=write(tmp_path, "n.dat", [newer], date(2025, 10, 1)))
    outcome = import_premium_info(actor=ACTOR, path=write(tmp_path, "o.dat", [record("000100005")],
                                                          date(2025, 7, 1)))  # fmt: skip
    assert outcome.summary is not None and outcome.summary.counts["stale"] == 1
    in_force = assessment_in_force(person.pk, 2025)
    assert in_force is not None and in_force.annual_premium == 40000
    assert assessments_of(person.pk).count() == 2
