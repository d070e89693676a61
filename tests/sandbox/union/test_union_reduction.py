"""Issue 12 §2: an approved 減免 reaches the instalments through the existing assessment and collection
paths. The simulated union decides the 減免 (its benefit side), lowers the person's premium and sends it as
a 更正 (reason その他) in its next 保険料情報 (its assessment side); the city takes the file in and the
instalment batch re-plans: the person owes less and the 変更通知 is written."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from factories import make_person
from interfaces.union.benefit_samples import application

from kouki.assessment.importers import import_premium_info
from kouki.assessment.selectors import assessment_in_force
from kouki.collection.instalment_batch import instalment_batch
from kouki.collection.selectors import ledger
from kouki.interfaces.importing import Outcome
from kouki.interfaces.union.application_info import dump_application_info
from kouki.interfaces.union.files import union_file_name
from kouki.interfaces.union.records import AssessmentKind, ReassessmentReason
from kouki.privacy.context import Actor
from kouki.rules.benefits.codes import ApplicationKind, DecisionResult, ReliefGround
from kouki.sandbox.union.benefits import UnionBenefits
from sandbox.union.test_assessment import CITY, HUSBAND, WIFE, premiums
from sandbox.union.test_assessment import setup as couple_known_to_the_union

ACTOR = Actor.system("test-union-reduction")
DIRECT_MONTHS = (7, 8, 9, 10, 11, 12, 1, 2, 3)
DECIDED_ON = date(2025, 7, 20)


def _reduction_decided(tmp_path: Path, insured_no: str, **changes: object) -> None:
    """The city's 申請情報 of one 減免 for FY2025 reaches the union's benefit side, which decides it."""
    record = application(
        ApplicationKind.REDUCTION, "2025-00001", municipality_code=CITY, addressee_no=HUSBAND,
        insured_no=insured_no, received_on=date(2025, 7, 15), right_date=date(2025, 7, 15),
        amount_claimed=20_000, **changes,
    )  # fmt: skip
    path = tmp_path / "to-union" / union_file_name("application-info", CITY, DECIDED_ON)
    path.parent.mkdir()
    path.write_bytes(dump_application_info([record], created_on=DECIDED_ON))
    union = UnionBenefits(tmp_path / "state")  # the same union: its state directory is shared
    assert union.receive(path) == 1
    (decision,) = union.decide(DECIDED_ON)
    assert decision.result is DecisionResult.GRANTED and decision.amount_decided == 20_000


@pytest.mark.django_db
def test_an_approved_reduction_lowers_what_the_person_owes(tmp_path: Path) -> None:
    ex = couple_known_to_the_union(tmp_path)
    (initial,) = ex.day(date(2025, 7, 1))
    people = {a: make_person(addressee_no=a) for a in (HUSBAND, WIFE)}
    assert import_premium_info(actor=ACTOR, path=initial).outcome == Outcome.APPLIED
    batch = instalment_batch(actor=ACTOR, fiscal_year=2025, on=date(2025, 7, 5), out_dir=tmp_path / "pdf1",
                             direct_months=DIRECT_MONTHS, workers=1)  # fmt: skip
    assert batch.planned == 2
    husband = people[HUSBAND].pk
    before = ledger(husband, 2025).assessed
    insured_no = next(r.insured_no for r in premiums(initial) if r.addressee_no == HUSBAND)

    _reduction_decided(tmp_path, insured_no, ground=ReliefGround.BUSINESS)
    assert ex.day(date(2025, 7, 25)) == []  # the 更正 goes with the next month's file
    (monthly,) = ex.day(date(2025, 8, 1))
    (corrected,) = premiums(monthly)  # the wife's premium is unchanged: not sent
    assert (corrected.addressee_no, corrected.kind, corrected.reason) == (
        HUSBAND,
        AssessmentKind.REASSESSMENT,
        ReassessmentReason.OTHER,
    )
    assert corrected.annual_premium + corrected.child_support_levy == before - 20_000

    assert import_premium_info(actor=ACTOR, path=monthly).outcome == Outcome.APPLIED
    in_force = assessment_in_force(husband, 2025)
    assert in_force is not None and in_force.kind == "reassessment"
    replan = instalment_batch(actor=ACTOR, fiscal_year=2025, on=date(2025, 8, 5), out_dir=tmp_path / "pdf2",
                              direct_months=DIRECT_MONTHS, workers=1)  # fmt: skip
    assert (replan.planned, replan.replanned) == (0, 1)
    assert replan.files  # the 変更通知
    book = ledger(husband, 2025)
    assert book.assessed == before - 20_000 and book.balances
    assert ex.day(date(2025, 9, 1)) == []  # the reduction is kept: no further 更正


@pytest.mark.django_db
def test_a_refused_reduction_changes_no_premium(tmp_path: Path) -> None:
    ex = couple_known_to_the_union(tmp_path)
    (initial,) = ex.day(date(2025, 7, 1))
    insured_no = next(r.insured_no for r in premiums(initial) if r.addressee_no == HUSBAND)
    record = application(
        ApplicationKind.REDUCTION, "2025-00002", municipality_code=CITY, addressee_no=HUSBAND,
        insured_no=insured_no, received_on=date(2025, 7, 15), right_date=date(2025, 7, 15),
        amount_claimed=20_000, expected_income=1_900_000,  # less than 30 % below last year's: refused
    )  # fmt: skip
    path = tmp_path / "to-union" / union_file_name("application-info", CITY, DECIDED_ON)
    path.parent.mkdir()
    path.write_bytes(dump_application_info([record], created_on=DECIDED_ON))
    union = UnionBenefits(tmp_path / "state")
    union.receive(path)
    (decision,) = union.decide(DECIDED_ON)
    assert decision.result is DecisionResult.REFUSED
    assert ex.day(date(2025, 8, 1)) == []
