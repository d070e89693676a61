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
# a disaster's damage as the counter keys it: 損害割合 (6,000,000 − 1,000,000) ÷ 10,000,000 = 50 %
DAMAGE_50 = {"damage_amount": 6_000_000, "insurance_amount": 1_000_000, "property_value": 10_000_000}


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


@pytest.mark.django_db
def test_from_the_counter_to_a_lower_premium(tmp_path: Path) -> None:
    """The whole path from the city's side: 減免 received and confirmed at the counter, sent as 申請情報,
    decided by the union, its decision brought onto the application, the 更正 imported and re-planned."""
    from django.utils import timezone
    from factories import make_staff

    from kouki.accounts.permissions import Role
    from kouki.applications.decisions import applications_decisions_apply
    from kouki.applications.models import Status
    from kouki.applications.services import ApplicationInput, application_confirm, application_receive
    from kouki.applications.union_send import applications_send
    from kouki.collection.selectors import instalment_statuses
    from kouki.eligibility.models import InsuredPeriod
    from kouki.interfaces.benefit_decisions import import_benefit_decision
    from kouki.rules.applications import Applicant
    from kouki.rules.applications import ApplicationKind as Kind

    def actor(role: Role) -> Actor:
        staff = make_staff(role)
        return Actor(username=staff.user.username, terminal_id="T-01", user_id=staff.user.pk)

    ex = couple_known_to_the_union(tmp_path)
    (initial,) = ex.day(date(2025, 7, 1))
    people = {a: make_person(addressee_no=a) for a in (HUSBAND, WIFE)}
    import_premium_info(actor=ACTOR, path=initial)
    instalment_batch(actor=ACTOR, fiscal_year=2025, on=date(2025, 7, 5), out_dir=tmp_path / "pdf1",
                     direct_months=DIRECT_MONTHS, workers=1)  # fmt: skip
    husband = people[HUSBAND].pk
    insured_no = next(r.insured_no for r in premiums(initial) if r.addressee_no == HUSBAND)
    InsuredPeriod.objects.create(
        person_id=husband, insured_no=insured_no, insurer_no="39110014", acquired_on=date(2010, 5, 10),
        acquisition_reason="01", copay_rate=10, copay_from=date(2010, 5, 10), decided_on=date(2010, 5, 10),
        recorded_at="2010-05-10T00:00:00+09:00",
    )  # fmt: skip
    before = ledger(husband, 2025).assessed
    chosen = [s.instalment_id for s in instalment_statuses(husband, 2025)][-3:]
    data = ApplicationInput(
        person_id=husband, kind=Kind.PREMIUM_REDUCTION, received_on=date(2025, 7, 15),
        applicant=Applicant.SELF, details={"ground": "5", "disaster_date": date(2025, 7, 10), **DAMAGE_50},
        identity_documents=frozenset({"drivers_licence"}),  # type: ignore[arg-type]
        documents=frozenset({"form", "disaster_certificate"}), instalment_ids=tuple(chosen),
        accept_warnings=True,
    )  # fmt: skip
    a = application_receive(actor=actor(Role.COUNTER_CLERK), data=data, number="")
    application_confirm(actor=actor(Role.SUPERVISOR), application_id=a.pk, note="書類と照合")
    sysadmin = actor(Role.SYSTEM_ADMIN)
    sent = applications_send(
        actor=sysadmin, on=timezone.localdate(), outbox=tmp_path / "outbox"
    )  # confirmed today
    assert sent.sent is not None and sent.sent.record_count == 1
    # the damage keyed at the counter (50 %) is granted in full under the default criteria [R27]
    union = UnionBenefits(tmp_path / "state")
    union.receive(sent.sent.path)
    (decision,) = union.decide(DECIDED_ON)
    (path,) = union.write_decisions([decision], DECIDED_ON, tmp_path / "inbox")
    import_benefit_decision(actor=sysadmin, path=path)
    assert applications_decisions_apply(actor=sysadmin).decided == 1
    a.refresh_from_db()
    assert (a.status, a.decision_amount) == (Status.DECIDED, sum(int(i["charged"]) for i in a.instalments))

    (monthly,) = ex.day(date(2025, 8, 1))
    (corrected,) = premiums(monthly)
    assert corrected.reason == ReassessmentReason.OTHER
    import_premium_info(actor=ACTOR, path=monthly)
    replan = instalment_batch(actor=ACTOR, fiscal_year=2025, on=date(2025, 8, 5), out_dir=tmp_path / "pdf2",
                              direct_months=DIRECT_MONTHS, workers=1)  # fmt: skip
    assert replan.replanned == 1 and replan.files
    assert ledger(husband, 2025).assessed == before - a.decision_amount > 0
