"""Issue 12 §4: a replayed year of applications with the union. Every week of FY2025 the counter takes
療養費 (five kinds, one in twenty without a receipt) and 葬祭費 for that week's deaths, a supervisor
confirms them, the week's 申請情報 goes to the simulated union, each month's 療養費関連情報 follows, the
union decides, its 決定情報 is imported and applied. The books — applications, decisions, amounts paid —
must agree with an oracle the test keeps from the events it made (and, for the amounts, from the union's
own outgoing records).

KOUKI_REPLAY_RESIDENTS sets the city's size (default 20,000, as the issue asks): one resident in fifty
applies during the year (~430 applications at the default; about 15 s, so not marked slow). The services
stamp their rows with timezone.now(), so the test moves a clock through the year. Not replayed here:
高額療養費 first applications, 減免・猶予 and their effect on instalments, notices (see the round-trip
tests)."""

from __future__ import annotations

import os
import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from factories import make_person, make_staff

from kouki.accounts.permissions import Role
from kouki.addressees.models import PersonStatus
from kouki.applications.decisions import applications_decisions_apply
from kouki.applications.models import Application, ApplicationStep, Status, StepAction
from kouki.applications.services import ApplicationInput, application_confirm, application_receive
from kouki.applications.union_records import union_reception_no
from kouki.applications.union_send import applications_send, medical_expenses_send
from kouki.eligibility.models import InsuredPeriod
from kouki.interfaces.benefit_decisions import import_benefit_decision
from kouki.interfaces.models import BenefitDecision
from kouki.interfaces.union.benefit_decision import BenefitDecisionRecord
from kouki.privacy.audit import verify_chain
from kouki.rules.applications import Applicant, ApplicationKind, requirements_of
from kouki.rules.benefits.codes import DecisionResult
from kouki.rules.identity_check import IdentityDocument
from kouki.sandbox.union.benefits import UnionBenefits

from .conftest import actor_of

pytestmark = pytest.mark.django_db(transaction=True)

JST = ZoneInfo("Asia/Tokyo")
RESIDENTS = int(os.environ.get("KOUKI_REPLAY_RESIDENTS", "20000"))
FIRST_MONDAY = date(2025, 4, 7)
WEEKS = 51  # to 2026-03-27
FUNERAL_AMOUNT = 50_000  # さいたま市 / 埼玉県後期高齢者医療広域連合 葬祭費 (domain facts, 葬祭費)
MEDICAL = (
    ApplicationKind.MEDICAL_JUDO,
    ApplicationKind.MEDICAL_MASSAGE,
    ApplicationKind.MEDICAL_ACUPUNCTURE,
    ApplicationKind.MEDICAL_DEVICE,
    ApplicationKind.MEDICAL_UNAVOIDABLE,
)


@dataclass
class Made:
    kind: ApplicationKind
    claimed: int
    receipt: bool


def _insured(person_id: int) -> None:
    InsuredPeriod.objects.create(
        person_id=person_id, insured_no=f"{20000000 + person_id}", insurer_no="39110014",
        acquired_on=date(2020, 4, 1), acquisition_reason="01", copay_rate=10, copay_from=date(2020, 4, 1),
        decided_on=date(2020, 4, 1), recorded_at="2020-04-01T00:00:00+09:00",
    )  # fmt: skip


def _medical(rng: random.Random, person_id: int, on: date) -> tuple[ApplicationInput, Made]:
    kind = rng.choice(MEDICAL)
    care_to = on - timedelta(days=rng.randint(3, 40))
    span = rng.randint(0, 20)
    paid = rng.randint(100, 4_000) * 10
    receipt = rng.random() >= 0.05
    details = {"paid_on": care_to + timedelta(days=1), "amount_paid": paid, "provider": "浦和整骨院",
               "care_from": care_to - timedelta(days=span), "care_to": care_to,
               "care_days": rng.randint(1, span + 1)}  # fmt: skip
    checklist = {r.alternatives[0].code for r in requirements_of(kind, details)}  # every document presented
    data = ApplicationInput(
        person_id=person_id, kind=kind, received_on=on, applicant=Applicant.SELF, details=details,
        documents=frozenset(checklist if receipt else checklist - {"receipt", "treatment_receipt"}),
        identity_documents=frozenset({IdentityDocument.MY_NUMBER_CARD}),
        accept_warnings=True,
    )  # fmt: skip
    return data, Made(kind, paid, receipt)


def _funeral(person_id: int, died: date, on: date) -> tuple[ApplicationInput, Made]:
    data = ApplicationInput(
        person_id=person_id, kind=ApplicationKind.FUNERAL, received_on=on, applicant=Applicant.MOURNER,
        details={"funeral_date": min(died + timedelta(days=3), on), "mourner_name": "佐藤 和子",
                 "mourner_relationship": "妻", "former_insurance": "no"},
        documents=frozenset({"form", "card", "funeral_letter", "account"}),
        identity_documents=frozenset({IdentityDocument.DRIVERS_LICENCE}), accept_warnings=True,
    )  # fmt: skip
    return data, Made(ApplicationKind.FUNERAL, FUNERAL_AMOUNT, True)


class Clock:
    """The replay's time: the services stamp their rows with timezone.now(), which reads this."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.at = datetime(2025, 4, 1, 9, tzinfo=JST)
        monkeypatch.setattr(timezone, "now", lambda: self.at)

    def set(self, day: date, hour: int) -> None:
        self.at = max(self.at, datetime.combine(day, time(hour), tzinfo=JST))


def test_a_year_of_applications_reconciles_with_the_oracle(tmp_path: Path, monkeypatch) -> None:
    clock = Clock(monkeypatch)
    rng = random.Random(12)
    applicants = max(10, RESIDENTS // 50)
    living = [make_person(birth_date=date(1940, 1, 1)).pk for _ in range(applicants)]
    deaths: dict[int, list[tuple[int, date]]] = {}  # week → (person, death day)
    for _ in range(max(2, applicants // 20)):
        week = rng.randrange(WEEKS - 1)
        died = FIRST_MONDAY + timedelta(weeks=week, days=rng.randint(0, 6))
        person = make_person(birth_date=date(1935, 1, 1), status=PersonStatus.DECEASED, valid_from=died).pk
        deaths.setdefault(week + 1, []).append((person, died))
    for pid in living + [p for ds in deaths.values() for p, _ in ds]:
        _insured(pid)
    clerk, checker = actor_of(make_staff(Role.COUNTER_CLERK)), actor_of(make_staff(Role.SUPERVISOR))
    operator = actor_of(make_staff(Role.SYSTEM_ADMIN))
    union = UnionBenefits(tmp_path / "union", seed=12)
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    made: dict[str, Made] = {}
    paid_by_union: dict[str, BenefitDecisionRecord] = {}

    def take(data: ApplicationInput, m: Made) -> None:
        a = application_receive(actor=clerk, data=data, number="")
        a = application_confirm(actor=checker, application_id=a.pk, note="書類と照合")
        made[union_reception_no(a)] = m

    def decide(on: date, n: int) -> None:
        records = union.decide(on)
        for r in records:
            paid_by_union[r.reception_no] = r
        for path in union.write_decisions(records, on, tmp_path / f"inbox-{n}"):
            assert import_benefit_decision(actor=operator, path=path).outcome == "applied"
        applications_decisions_apply(actor=operator)

    month = FIRST_MONDAY.replace(day=1)
    for week in range(WEEKS):
        monday = FIRST_MONDAY + timedelta(weeks=week)
        friday = monday + timedelta(days=4)
        clock.set(monday, 9)
        for _ in range(rng.randint(0, max(1, applicants // 25))):
            take(*_medical(rng, rng.choice(living), monday))
        for person, died in deaths.get(week, []):
            take(*_funeral(person, died, monday))
        clock.set(friday, 17)
        sent = applications_send(actor=operator, on=friday, outbox=outbox)
        assert sent.sent is not None and not sent.not_sendable, sent
        union.receive(sent.sent.path)
        if (friday + timedelta(days=7)).month != friday.month:  # the month's last Friday
            expenses = medical_expenses_send(actor=operator, month=month, outbox=outbox)
            assert expenses.sent is not None and expenses.without_care_period == 0
            union.receive(expenses.sent.path)
            month = (friday + timedelta(days=7)).replace(day=1)
        decide(friday, week)

    # the books
    apps = {union_reception_no(a): a for a in Application.objects.all()}
    assert set(apps) == set(made)
    assert Counter(a.kind for a in apps.values()) == Counter(m.kind.value for m in made.values())
    assert not {no for no, a in apps.items() if a.status != Status.DECIDED}
    steps = Counter(ApplicationStep.objects.values_list("application_id", "action"))
    for no, m in made.items():
        a = apps[no]
        sends = 1 if m.kind == ApplicationKind.FUNERAL else 2  # 申請情報, and 療養費関連情報 for 療養費
        assert (steps[(a.pk, StepAction.SENT)], steps[(a.pk, StepAction.DECIDED)]) == (sends, 1), no
        if m.kind == ApplicationKind.FUNERAL:
            assert (a.decision_result, a.decision_amount) == (DecisionResult.GRANTED, FUNERAL_AMOUNT)
        elif not m.receipt:
            assert (a.decision_result, a.decision_amount) == (DecisionResult.DISMISSED, 0)
        else:
            assert a.decision_result != DecisionResult.DISMISSED
            assert 0 <= (a.decision_amount or 0) <= m.claimed
    held = {d.reception_no: d.amount_decided for d in BenefitDecision.objects.all()}
    assert held == {no: r.amount_decided for no, r in paid_by_union.items()}
    assert held == {no: a.decision_amount for no, a in apps.items()}
    funerals = sum(1 for m in made.values() if m.kind == ApplicationKind.FUNERAL)
    assert sum(held.values()) == funerals * FUNERAL_AMOUNT + sum(
        paid_by_union[no].amount_decided for no, m in made.items() if m.kind != ApplicationKind.FUNERAL
    )
    results = Counter(a.decision_result for a in apps.values())
    assert results[DecisionResult.GRANTED] and results[DecisionResult.DISMISSED] and funerals  # all exercised
    assert list(verify_chain()) == []
