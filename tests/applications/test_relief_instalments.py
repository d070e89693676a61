"""Issue 12 §2, last sentence: an approved 徴収猶予 changes the person's instalments through collection —
the union's granted decision, applied to the application, defers the instalments it named: no 督促状,
not in arrears during the period, and the 収納状況 screen shows 「徴収猶予 〜(和暦)」. (An approved 減免
reaches the instalments as the union's 更正: tests/sandbox/union/test_union_reduction.py.)"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from collection_factories import make_direct_plan
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from factories import make_staff
from web.conftest import sign_in

from kouki.accounts.permissions import Role
from kouki.applications.decisions import applications_decisions_apply
from kouki.applications.models import Application
from kouki.applications.services import ApplicationInput, application_confirm, application_receive
from kouki.applications.union_send import applications_send
from kouki.arrears.selectors import arrears_list, reminders_missed
from kouki.arrears.services import reminders_issue
from kouki.collection.models import InstalmentDeferral
from kouki.eligibility.models import InsuredPeriod
from kouki.interfaces.benefit_decisions import import_benefit_decision
from kouki.interfaces.union.benefit_decision import BenefitDecisionRecord
from kouki.privacy.models import AuditEntry
from kouki.rules.applications import Applicant, ApplicationKind
from kouki.rules.benefits.codes import DecisionReason, DecisionResult
from kouki.rules.benefits.decisions import ReliefCriteria
from kouki.rules.wareki import format_wareki
from kouki.sandbox.union.benefits import UnionBenefits
from kouki.sandbox.union.state import record_from_json

from .conftest import DAMAGE_50, Counter, actor_of

pytestmark = pytest.mark.django_db(transaction=True)
RECEIVED = date(2026, 7, 1)
# the simulated union's criteria, set so that the disaster (損害割合 50 %) is granted in full: the test is
# about what the city does with a granted 猶予, not the union's thresholds
GRANTING = ReliefCriteria(disaster_tiers=((50, 100),))


def _deferral_decided(counter: Counter, tmp_path: Path, months: int) -> tuple[Application, list[int]]:
    InsuredPeriod.objects.create(
        person_id=counter.living.pk, insured_no="23456789", insurer_no="39110014",
        acquired_on=date(2020, 4, 1), acquisition_reason="01", copay_rate=10, copay_from=date(2020, 4, 1),
        decided_on=date(2020, 4, 1),
        recorded_at="2020-04-01T00:00:00+09:00",
    )  # fmt: skip
    _person, plan = make_direct_plan(90_000, 2026, person=counter.living)
    chosen = [i.pk for i in plan.instalments.order_by("due_date")][:2]
    data = ApplicationInput(
        person_id=counter.living.pk, kind=ApplicationKind.PREMIUM_DEFERRAL, received_on=RECEIVED,
        applicant=Applicant.SELF,
        details={"ground": "5", "disaster_date": date(2026, 6, 20), "months": months, **DAMAGE_50},
        identity_documents=frozenset({"drivers_licence"}),  # type: ignore[arg-type]
        documents=frozenset({"form", "disaster_certificate"}), instalment_ids=tuple(chosen),
        accept_warnings=True,
    )  # fmt: skip
    a = application_receive(actor=actor_of(counter.clerk), data=data, number="")
    application_confirm(actor=actor_of(counter.supervisor), application_id=a.pk, note="書類と照合")
    sysadmin = actor_of(make_staff(Role.SYSTEM_ADMIN))
    today = timezone.localdate()
    sent = applications_send(actor=sysadmin, on=today, outbox=tmp_path)
    assert sent.sent is not None
    union = UnionBenefits(tmp_path / "union", criteria=GRANTING)
    union.receive(sent.sent.path)
    (decision,) = union.decide(today)
    assert decision.result is DecisionResult.GRANTED
    (path,) = union.write_decisions([decision], today, tmp_path / "in")
    import_benefit_decision(actor=sysadmin, path=path)
    assert applications_decisions_apply(actor=sysadmin).decided == 1
    assert applications_decisions_apply(actor=sysadmin).unchanged == 1  # nothing recorded twice
    a.refresh_from_db()
    return a, chosen


def test_a_granted_deferral_defers_the_named_instalments(counter: Counter, tmp_path: Path) -> None:
    a, chosen = _deferral_decided(counter, tmp_path, months=2)
    until = date(2026, 8, 31)  # 2 months from the 受付日 (the simulated union's period)
    rows = list(InstalmentDeferral.objects.order_by("period"))
    assert [(r.period, r.deferred_from, r.deferred_until, r.application_no) for r in rows] == [
        (1, RECEIVED, until, a.application_no),
        (2, RECEIVED, until, a.application_no),
    ]
    assert AuditEntry.objects.filter(action="instalment_defer", target_id=a.application_no).count() == 1

    person = counter.living.pk
    first_due = date.fromisoformat(str(a.instalments[0]["due_date"]))
    on = first_due + timedelta(days=5)
    assert reminders_issue(actor=actor_of(counter.supervisor), on=on).reminder_ids == []
    assert person not in {r.person_id for r in arrears_list(on)}
    after = until + timedelta(days=1)
    assert chosen[0] in {u.instalment_id for u in reminders_missed(after)}  # after the period: reminded

    client = sign_in(Client(), counter.clerk.user)
    page = client.get(reverse("web:collection_ledger", args=[person]) + "?fy=2026")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count(f"徴収猶予 〜{format_wareki(until)}") == 2


def test_a_correction_to_refused_removes_the_deferral(counter: Counter, tmp_path: Path) -> None:
    a, _chosen = _deferral_decided(counter, tmp_path, months=2)
    assert InstalmentDeferral.objects.count() == 2
    union = UnionBenefits(tmp_path / "union", criteria=GRANTING)
    (held,) = [record_from_json(BenefitDecisionRecord, r) for r in union.state.decided.values()]
    refused = replace(held, result=DecisionResult.REFUSED, reason=DecisionReason.CRITERIA_NOT_MET,
                      amount_decided=0, deferral_from=None, deferral_until=None)  # fmt: skip
    (path,) = union.write_decisions([refused], timezone.localdate(), tmp_path / "in2")
    sysadmin = actor_of(make_staff(Role.SYSTEM_ADMIN))
    assert not import_benefit_decision(actor=sysadmin, path=path).errors
    assert applications_decisions_apply(actor=sysadmin).corrected == 1
    assert not InstalmentDeferral.objects.exists()
    assert AuditEntry.objects.filter(action="instalment_defer", target_id=a.application_no).count() == 2
