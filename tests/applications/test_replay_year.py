"""Issue 12 §4: a replayed year of applications with the union. Every week of FY2025 the counter takes
療養費 (five kinds, one in twenty without a receipt), 葬祭費 for that week's deaths, first 高額療養費
applications (registering the payment account), and — once the union's 当初賦課 of July has been planned —
保険料の減免 and 徴収猶予; a supervisor confirms them, the week's 申請情報 goes to the simulated union, each
month's 療養費関連情報 follows, the union decides (and at each month's end pays the 高額療養費 of two months
before automatically to the registered accounts), its 決定情報 is imported and applied. A granted 減免
reaches the instalments as the union's 更正 of the next month (imported, re-planned); a granted 徴収猶予
defers the instalments it named. The books — applications, decisions, payments, premium changes,
deferred instalments — must agree with an oracle the test keeps from the events it made and its own
arithmetic (replay_world; for the 療養費 amounts, the union's own outgoing records).

The union's 減免・猶予 criteria are set explicitly (a disaster from any damage: 50 % / the months asked),
so that the oracle's rate is the test's own. The counter keys the damage (50 % of the value) and, for the
ground-3 (business) 減免, incomes that fell by only 5 %: refused under the union's income rule, it changes
nothing.

KOUKI_REPLAY_RESIDENTS sets the city's size (default 20,000, as the issue asks): one resident in fifty
applies for a 療養費 or 葬祭費 during the year (~430 applications at the default), one in 2,000 for a
高額療養費 and one in 2,500 for a 減免 or 猶予. The services stamp their rows with timezone.now(), so the
test moves a clock through the year. Notices: see the round-trip tests."""

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
from kouki.applications.selectors import instalment_options
from kouki.applications.services import (
    ApplicationInput,
    PaymentAccount,
    application_confirm,
    application_receive,
)
from kouki.applications.union_records import union_reception_no
from kouki.applications.union_send import applications_send, medical_expenses_send
from kouki.assessment.importers import import_premium_info
from kouki.assessment.models import Assessment, Instalment, InstalmentPlan
from kouki.banking.models import BankAccount, Purpose
from kouki.collection.instalment_batch import instalment_batch
from kouki.collection.models import InstalmentDeferral
from kouki.eligibility.models import InsuredPeriod
from kouki.interfaces.benefit_decisions import import_benefit_decision
from kouki.interfaces.models import BenefitDecision
from kouki.interfaces.union.benefit_decision import BenefitDecisionRecord
from kouki.privacy.audit import verify_chain
from kouki.rules.applications import Applicant, ApplicationKind, requirements_of
from kouki.rules.benefits.codes import DecisionResult
from kouki.rules.benefits.decisions import ReliefCriteria
from kouki.rules.identity_check import IdentityDocument
from kouki.sandbox.union.benefits import UnionBenefits

from .conftest import actor_of
from .replay_world import (
    DIRECT_MONTHS,
    REDUCTION_PERCENT,
    HighCostCosts,
    add_months,
    low_2,
    month_of,
    refund_low_2,
    union_knows,
)

pytestmark = pytest.mark.django_db(transaction=True)

JST = ZoneInfo("Asia/Tokyo")
RESIDENTS = int(os.environ.get("KOUKI_REPLAY_RESIDENTS", "20000"))
FIRST_MONDAY = date(2025, 4, 7)
WEEKS = 51  # to 2026-03-27
FUNERAL_AMOUNT = 50_000  # さいたま市 / 埼玉県後期高齢者医療広域連合 葬祭費 (domain facts, 葬祭費)
# the simulated union's criteria in this test (the module's docstring): a disaster → 50 % 減免, 猶予 granted
RELIEF_CRITERIA = ReliefCriteria(disaster_tiers=((0, REDUCTION_PERCENT),))
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
    relief: int = 0  # 減免: the amount the oracle expects granted (0: refused)
    months: int = 0  # 猶予: the months asked (and granted)


def _high_cost(person_id: int, on: date, care_month: date) -> ApplicationInput:
    return ApplicationInput(
        person_id=person_id, kind=ApplicationKind.HIGH_COST, received_on=on, applicant=Applicant.SELF,
        details={"care_month": care_month}, documents=frozenset({"form", "card", "account"}),
        identity_documents=frozenset({IdentityDocument.MY_NUMBER_CARD}), accept_warnings=True,
        account=PaymentAccount("0001", "001", 1, f"{person_id:07d}", "ﾔﾏﾀﾞ ﾀﾛｳ"),
    )  # fmt: skip


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


def _relief(
    pid: int, kind: ApplicationKind, on: date, ground: str, months: int
) -> tuple[ApplicationInput, list[int]]:
    """A 減免 (the last three instalments still to fall due) or a 猶予 (the next two) of FY2025."""
    options = [o for o in instalment_options(pid, on) if o.fiscal_year == 2025 and o.due_date > on]
    chosen = options[-3:] if kind == ApplicationKind.PREMIUM_REDUCTION else options[:2]
    assert chosen, (pid, on)
    details: dict[str, object] = {"ground": ground}
    if ground == "5":  # half the house's value lost, nothing compensated: 50 % damage
        details |= {"disaster_date": on - timedelta(days=10), "damage_amount": 1_000_000,
                    "insurance_amount": 0, "property_value": 2_000_000}
    else:  # ground 3 with a fall of income too small for the union's criteria (5 % < 30 %): refused
        details |= {"prior_income": 3_000_000, "expected_income": 2_850_000}
    if kind == ApplicationKind.PREMIUM_DEFERRAL:
        details["months"] = months
    data = ApplicationInput(
        person_id=pid, kind=kind, received_on=on, applicant=Applicant.SELF, details=details,
        documents=frozenset(r.alternatives[0].code for r in requirements_of(kind, details)),
        instalment_ids=tuple(o.instalment_id for o in chosen),
        identity_documents=frozenset({IdentityDocument.DRIVERS_LICENCE}), accept_warnings=True,
    )  # fmt: skip
    return data, [o.charged for o in chosen]


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
    high_cost = [make_person(birth_date=date(1942, 3, 3)).pk for _ in range(max(3, RESIDENTS // 2_000))]
    ex, relief_people = union_knows(tmp_path / "union", 2 * max(2, RESIDENTS // 5_000))
    for pid in living + [p for ds in deaths.values() for p, _ in ds] + high_cost + relief_people:
        _insured(pid)
    clerk, checker = actor_of(make_staff(Role.COUNTER_CLERK)), actor_of(make_staff(Role.SUPERVISOR))
    operator = actor_of(make_staff(Role.SYSTEM_ADMIN))
    # 高額療養費: each person applies once, for the month two months before, after a large bill
    costs = HighCostCosts(rng)
    first_claim: dict[int, tuple[int, date]] = {}  # person → (week of the application, 診療月)
    for pid in high_cost:
        week = rng.randrange(2, 30)
        care_month = month_of(FIRST_MONDAY + timedelta(weeks=week), back=2)
        first_claim[pid] = (week, care_month)
        costs.person(f"{20000000 + pid}", date(2025, 1, 1), date(2026, 3, 1), large=care_month)
    # 減免 (ground 5 granted, ground 3 refused) and 猶予 (ground 5, 1–6 months), between August and January
    half = len(relief_people) // 2
    relief_plan: dict[int, list[tuple[int, ApplicationKind, str, int]]] = {}  # week → who, kind, …
    for i, pid in enumerate(relief_people):
        kind = ApplicationKind.PREMIUM_REDUCTION if i < half else ApplicationKind.PREMIUM_DEFERRAL
        ground = "3" if i == 0 else "5"
        relief_plan.setdefault(rng.randrange(17, 40), []).append((pid, kind, ground, rng.randint(1, 6)))
    union = UnionBenefits(tmp_path / "union" / "state", seed=12, criteria=RELIEF_CRITERIA,
                          profiles={f"{20000000 + p}": low_2(f"{20000000 + p}") for p in high_cost},
                          costs=costs)  # fmt: skip
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    made: dict[str, Made] = {}
    paid_by_union: dict[str, BenefitDecisionRecord] = {}
    auto_calls: list[tuple[int, date]] = []  # (week, 診療月) of the union's automatic 高額療養費 runs
    initial_premium: dict[int, int] = {}

    def take(data: ApplicationInput, m: Made) -> Application:
        a = application_receive(actor=clerk, data=data, number="")
        a = application_confirm(actor=checker, application_id=a.pk, note="書類と照合")
        made[union_reception_no(a)] = m
        return a

    def decide(on: date, n: int, auto_month: date | None) -> None:
        records = union.decide(on)
        if auto_month is not None:
            records += union.high_cost_month(auto_month, on)
            auto_calls.append((n, auto_month))
        for r in records:
            paid_by_union[r.reception_no] = r
        for path in union.write_decisions(records, on, tmp_path / f"inbox-{n}"):
            assert import_benefit_decision(actor=operator, path=path).outcome == "applied"
        applications_decisions_apply(actor=operator)

    def premiums(monday: date) -> None:
        """The union's run on the month's first day: 当初賦課 (July) or 更正; imported, then planned."""
        for path in ex.day(monday.replace(day=1)):
            assert import_premium_info(actor=operator, path=path).outcome == "applied"
        instalment_batch(actor=operator, fiscal_year=2025, on=monday, out_dir=tmp_path / f"plans-{monday:%m}",
                         direct_months=DIRECT_MONTHS, workers=1)  # fmt: skip
        if not initial_premium:
            initial_premium.update(
                (p, premium + levy) for p, premium, levy in Assessment.objects.filter(
                    fiscal_year=2025, person_id__in=relief_people
                ).values_list("person_id", "annual_premium", "child_support_levy"))  # fmt: skip

    month = FIRST_MONDAY.replace(day=1)
    planned_months: set[int] = set()
    for week in range(WEEKS):
        monday = FIRST_MONDAY + timedelta(weeks=week)
        friday = monday + timedelta(days=4)
        clock.set(monday, 9)
        if monday >= date(2025, 7, 1) and monday.month not in planned_months:
            planned_months.add(monday.month)
            premiums(monday)
        for _ in range(rng.randint(0, max(1, applicants // 25))):
            take(*_medical(rng, rng.choice(living), monday))
        for person, died in deaths.get(week, []):
            take(*_funeral(person, died, monday))
        for pid, (w, care_month) in first_claim.items():
            if w == week:
                take(_high_cost(pid, monday, care_month), Made(ApplicationKind.HIGH_COST, 0, True))
        for pid, kind, ground, months in relief_plan.get(week, []):
            data, charged = _relief(pid, kind, monday, ground, months)
            percent = REDUCTION_PERCENT if ground == "5" else 0
            take(data, Made(kind, sum(charged), True, sum(charged) * percent // 100, months))
        clock.set(friday, 17)
        sent = applications_send(actor=operator, on=friday, outbox=outbox)
        assert sent.sent is not None and not sent.not_sendable, sent
        union.receive(sent.sent.path)
        auto_month = None
        if (friday + timedelta(days=7)).month != friday.month:  # the month's last Friday
            expenses = medical_expenses_send(actor=operator, month=month, outbox=outbox)
            assert expenses.sent is not None and expenses.without_care_period == 0
            union.receive(expenses.sent.path)
            month = (friday + timedelta(days=7)).replace(day=1)
            auto_month = month_of(friday, back=2)
        decide(friday, week, auto_month)

    # the books: applications and their decisions
    apps = {union_reception_no(a): a for a in Application.objects.all()}
    assert set(apps) == set(made)
    assert Counter(a.kind for a in apps.values()) == Counter(m.kind.value for m in made.values())
    assert not {no for no, a in apps.items() if a.status != Status.DECIDED}
    steps = Counter(ApplicationStep.objects.values_list("application_id", "action"))
    for no, m in made.items():
        a = apps[no]
        sends = 2 if m.kind in MEDICAL else 1  # 申請情報, and 療養費関連情報 for 療養費
        assert (steps[(a.pk, StepAction.SENT)], steps[(a.pk, StepAction.DECIDED)]) == (sends, 1), no
        if m.kind == ApplicationKind.FUNERAL:
            assert (a.decision_result, a.decision_amount) == (DecisionResult.GRANTED, FUNERAL_AMOUNT)
        elif m.kind == ApplicationKind.HIGH_COST:
            _week, care_month = first_claim[a.person_id]
            expected = refund_low_2(costs.table[(f"{20000000 + a.person_id}", care_month)])
            assert expected > 0
            assert (a.decision_result, a.decision_amount) == (DecisionResult.GRANTED, expected)
        elif m.kind == ApplicationKind.PREMIUM_REDUCTION:
            result = DecisionResult.PARTIAL if m.relief else DecisionResult.REFUSED
            assert (a.decision_result, a.decision_amount) == (result, m.relief), no
        elif m.kind == ApplicationKind.PREMIUM_DEFERRAL:
            assert (a.decision_result, a.decision_amount) == (DecisionResult.GRANTED, m.claimed), no
        elif not m.receipt:
            assert (a.decision_result, a.decision_amount) == (DecisionResult.DISMISSED, 0)
        else:
            assert a.decision_result != DecisionResult.DISMISSED
            assert 0 <= (a.decision_amount or 0) <= m.claimed
    held = {d.reception_no: d for d in BenefitDecision.objects.all()}
    assert {no: d.amount_decided for no, d in held.items()} == {
        no: r.amount_decided for no, r in paid_by_union.items()}  # fmt: skip
    assert {no: held[no].amount_decided for no in apps} == {no: a.decision_amount for no, a in apps.items()}

    # payments: 高額療養費 — the first application's month, then every month with a refund, automatically,
    # all to the account the first application registered
    expected_auto: dict[str, int] = {}
    for pid, (w, care_month) in first_claim.items():
        insured = f"{20000000 + pid}"
        for call_week, auto_month in auto_calls:
            refund = refund_low_2(costs.table.get((insured, auto_month), 0))
            if call_week >= w and auto_month != care_month and refund > 0:
                expected_auto[f"KG-{insured}-{auto_month:%Y%m}"] = refund
    assert {no: d.amount_decided for no, d in held.items() if no.startswith("KG-")} == expected_auto
    assert expected_auto  # exercised
    accounts = {a.person_id: a.bank_account_id for a in apps.values() if a.kind == ApplicationKind.HIGH_COST}
    assert len(accounts) == len(high_cost) and all(accounts.values())
    assert set(BankAccount.objects.filter(purpose=Purpose.HIGH_COST).values_list("person_id", "pk")) == set(
        accounts.items())  # fmt: skip
    by_insured = {f"{20000000 + p}": f"BA{acct}" for p, acct in accounts.items()}
    for d in held.values():
        if d.kind == "31":  # 高額療養費
            assert (d.payee_account_ref, d.payment_date is not None) == (by_insured[d.insured_no], True)
    paid = sum(d.amount_decided for d in held.values() if d.payment_date is not None)
    assert paid == sum(r.amount_decided for r in paid_by_union.values() if r.payment_date is not None)
    funerals = sum(1 for m in made.values() if m.kind == ApplicationKind.FUNERAL)
    results = Counter(a.decision_result for a in apps.values())
    assert results[DecisionResult.GRANTED] and results[DecisionResult.DISMISSED] and funerals  # all exercised

    # premium changes: a granted 減免 lowers the year's premium by its amount (the union's 更正, re-planned);
    # a refused one changes nothing
    reductions = {a.person_id: made[no].relief for no, a in apps.items()
                  if a.kind == ApplicationKind.PREMIUM_REDUCTION}  # fmt: skip
    assert any(reductions.values()) and not all(reductions.values())
    for pid, amount in reductions.items():
        rows = Assessment.objects.filter(person_id=pid, fiscal_year=2025)
        current = rows.get(superseded_at__isnull=True)
        assert current.annual_premium + current.child_support_levy == initial_premium[pid] - amount, pid
        assert (rows.count(), current.reason) == ((2, "other") if amount else (1, "")), pid
        plan = InstalmentPlan.objects.get(person_id=pid, fiscal_year=2025, superseded_at__isnull=True)
        assert plan.amount_due == initial_premium[pid] - amount
        assert sum(plan.instalments.values_list("amount", flat=True)) == plan.amount_due
    # deferred instalments: exactly those each granted 猶予 named, from its 受付日 for the months granted
    expected_deferrals = set()
    for no, a in apps.items():
        if a.kind == ApplicationKind.PREMIUM_DEFERRAL:
            until = add_months(a.received_on, made[no].months) - timedelta(days=1)
            for period in Instalment.objects.filter(pk__in=[i["id"] for i in a.instalments]).values_list(
                    "period", flat=True):  # fmt: skip
                expected_deferrals.add((a.person_id, period, a.received_on, until, a.application_no))
    assert expected_deferrals
    assert set(InstalmentDeferral.objects.values_list(
        "person_id", "period", "deferred_from", "deferred_until", "application_no")) == expected_deferrals
    assert list(verify_chain()) == []
