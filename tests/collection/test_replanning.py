"""A re-plan after a 更正 and the re-allocation of the ledger are called together, explicitly, in one
transaction (kouki.collection.replanning; formerly a signal sent from the assessment's re-plan)."""

from __future__ import annotations

from datetime import date

import pytest
from collection_factories import ACTOR, DIRECT_MONTHS, assess, instalments, make_direct_plan

from kouki.addressees.models import Person
from kouki.assessment.models import InstalmentPlan
from kouki.assessment.planning import instalment_plan_replan
from kouki.assessment.selectors import instalment_plan_in_force
from kouki.collection import replanning
from kouki.collection.models import Channel, Overpayment, OverpaymentCause
from kouki.collection.selectors import ledger
from kouki.collection.services import CollectionError, ReceiptInput, receipt_record
from kouki.privacy.models import AuditEntry

FY = 2025
ON = date(2025, 10, 15)


def _paid_three(premium: int) -> tuple[Person, int]:
    """A person who paid July–September of a direct plan, and the amount paid."""
    person, plan = make_direct_plan(premium, FY)
    rows = instalments(plan)[:3]
    for r in rows:
        item = ReceiptInput(person.pk, FY, Channel.COUNTER, r.amount, r.due_date, r.pk, "ref")
        receipt_record(actor=ACTOR, item=item, on=r.due_date)
    return person, sum(r.amount for r in rows)


@pytest.mark.django_db
def test_the_replans_due_reallocate_the_ledger() -> None:
    person, paid = _paid_three(90_000)
    person_id = person.pk
    new = assess(person, 20_000, FY, kind="reassessment")
    [plan_id] = replanning.instalment_plans_replan_due(
        actor=ACTOR, fiscal_year=FY, on=ON, direct_months=DIRECT_MONTHS
    )
    plan = instalment_plan_in_force(person_id, FY)
    assert plan is not None and plan.pk == plan_id and plan.assessment_id == new.pk
    book = ledger(person_id, FY)
    assert book.assessed == 20_000 and book.overpaid == paid - 20_000 and book.balances
    assert Overpayment.objects.get(person_id=person_id).cause == OverpaymentCause.REASSESSMENT
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))
    assert actions[-2:] == ["instalment_plan_replan", "collection_reallocate"]
    assert replanning.instalment_plans_replan_due(actor=ACTOR, fiscal_year=FY, on=ON) == []


@pytest.mark.django_db
def test_a_failing_reallocation_undoes_the_replan(monkeypatch: pytest.MonkeyPatch) -> None:
    person, _ = _paid_three(90_000)
    person_id = person.pk
    old = instalment_plan_in_force(person_id, FY)
    new = assess(person, 20_000, FY, kind="reassessment")

    def refuse(**_: object) -> int:
        raise CollectionError("refused")

    monkeypatch.setattr(replanning, "reallocate", refuse)
    with pytest.raises(CollectionError, match="refused"):
        replanning.instalment_plan_replan_and_reallocate(
            actor=ACTOR, person_id=person_id, fiscal_year=FY, new_assessment_id=new.pk, on=ON,
            direct_months=DIRECT_MONTHS,
        )  # fmt: skip
    assert instalment_plan_in_force(person_id, FY) == old
    assert InstalmentPlan.objects.filter(person_id=person_id).count() == 1
    assert not AuditEntry.objects.filter(action="instalment_plan_replan").exists()


@pytest.mark.django_db
def test_the_assessment_replan_alone_leaves_the_ledger_to_its_caller() -> None:
    person, _ = _paid_three(90_000)
    person_id = person.pk
    new = assess(person, 20_000, FY, kind="reassessment")
    instalment_plan_replan(
        actor=ACTOR, person_id=person_id, fiscal_year=FY, new_assessment_id=new.pk, on=ON,
        direct_months=DIRECT_MONTHS,
    )  # fmt: skip
    assert not Overpayment.objects.filter(person_id=person_id).exists()
    assert not AuditEntry.objects.filter(action="collection_reallocate").exists()
