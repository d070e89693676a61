"""時効 per instalment on the ledger (issue 10 §5): renewal only by the debtor's own acts (民法 §152;
最判令和2年12月15日 for a payment naming no instalment), reminders renew their instalment (高確法 §160 ②),
pledges what they name, and money for an extinguished instalment is an overpayment (地方自治法 §236 ②)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from collection_factories import make_direct_plan

from arrears.helpers import ACTOR, direct_person, instalments, pay
from kouki.arrears.models import PledgedInstalment
from kouki.arrears.selectors import limitation_passed
from kouki.arrears.services import ArrearsError, pledge_make, reminders_issue
from kouki.collection.decisions import set_off_decide
from kouki.collection.limitation import instalment_expiry
from kouki.collection.models import Channel
from kouki.collection.selectors import instalment_statuses, ledger, open_overpayment
from kouki.collection.services import ReceiptInput, receipt_cancel, receipt_record
from kouki.collection.state import CollectionError
from kouki.rules.arrears import add_years


def _counter(person_id: int, fiscal_year: int, amount: int, on: date) -> None:
    """A counter payment naming no instalment."""
    receipt_record(actor=ACTOR, item=ReceiptInput(person_id, fiscal_year, Channel.COUNTER, amount, on), on=on)


def _expired_ids(on: date, person_id: int) -> set[int]:
    return {r.instalment_id for r in limitation_passed(on, person_ids=[person_id])}


@pytest.mark.django_db
def test_a_slip_payment_renews_its_own_instalment_only() -> None:
    """民法 §152: paying the second instalment's slip acknowledges the second instalment, not the first."""
    person, plan = direct_person(90_000)
    first, second, third = instalments(plan)[:3]
    pay(person, second, paid_on=third.due_date + timedelta(days=5))  # names `second`
    on = add_years(first.due_date, 2) + timedelta(days=1)
    assert first.pk in _expired_ids(on, person.pk)
    assert instalment_expiry(person.pk, 2025, first.pk) == add_years(first.due_date, 2)


@pytest.mark.django_db
def test_a_payment_naming_no_instalment_renews_every_claim_of_the_person_in_every_year() -> None:
    """最判令和2年12月15日: a payment naming no debt acknowledges all of them — also another year's."""
    person, plan = direct_person(90_000)
    first = instalments(plan)[0]
    _, next_plan = make_direct_plan(60_000, 2026, person=person)
    paid_on = first.due_date + timedelta(days=400)
    _counter(person.pk, 2026, 1_000, paid_on)
    assert instalment_expiry(person.pk, 2025, first.pk) == add_years(paid_on, 2)
    assert first.pk not in _expired_ids(add_years(first.due_date, 2) + timedelta(days=30), person.pk)
    assert instalments(next_plan)[0].pk  # the 2026 year exists beside it


@pytest.mark.django_db
def test_a_pension_deduction_or_a_set_off_renews_nothing() -> None:
    """特別徴収 is the pension payer's act, 充当 the office's: neither is the debtor's 承認."""
    person, plan = direct_person(90_000)
    first = instalments(plan)[0]
    paid_on = first.due_date + timedelta(days=100)
    item = ReceiptInput(person.pk, 2025, Channel.PENSION, 1_000, paid_on)
    receipt_record(actor=ACTOR, item=item, on=paid_on)
    assert instalment_expiry(person.pk, 2025, first.pk) == add_years(first.due_date, 2)


@pytest.mark.django_db
def test_a_reminder_renews_the_instalment_it_reminds() -> None:
    """高確法 §160 ②: from the reminder's 指定期限 (ADR 0011), that instalment only."""
    person, plan = direct_person(90_000)
    first, second = instalments(plan)[:2]
    run = reminders_issue(actor=ACTOR, on=first.due_date + timedelta(days=1))
    assert len(run.reminder_ids) == 1
    deadline = instalment_expiry(person.pk, 2025, first.pk)
    assert deadline is not None and deadline > add_years(first.due_date, 2)
    assert instalment_expiry(person.pk, 2025, second.pk) == add_years(second.due_date, 2)


@pytest.mark.django_db
def test_a_pledge_names_the_instalments_it_acknowledges() -> None:
    person, plan = direct_person(90_000)
    first, second, third = instalments(plan)[:3]
    made_on = third.due_date + timedelta(days=1)
    pledge = pledge_make(actor=ACTOR, person_id=person.pk, made_on=made_on,
                         schedule=[(made_on + timedelta(days=30), 5_000)], instalment_ids=[second.pk])
    assert list(PledgedInstalment.objects.filter(pledge=pledge).values_list("instalment_id", flat=True)) == [
        second.pk
    ]
    assert pledge.arrears == second.amount
    assert instalment_expiry(person.pk, 2025, second.pk) == add_years(made_on, 2)
    assert instalment_expiry(person.pk, 2025, first.pk) == add_years(first.due_date, 2)
    # by default a pledge names every past-due unpaid instalment
    default = pledge_make(actor=ACTOR, person_id=person.pk, made_on=made_on,
                          schedule=[(made_on + timedelta(days=60), 5_000)])
    named = set(PledgedInstalment.objects.filter(pledge=default).values_list("instalment_id", flat=True))
    assert named == {first.pk, second.pk, third.pk}
    with pytest.raises(ArrearsError, match="納期限を過ぎた未納の期ではありません"):
        pledge_make(actor=ACTOR, person_id=person.pk, made_on=made_on,
                    schedule=[(made_on, 1_000)], instalment_ids=[instalments(plan)[5].pk])


@pytest.mark.django_db
def test_a_pledge_cannot_revive_an_extinguished_instalment() -> None:
    """地方自治法 §236 ②: extinguished without invocation — an acknowledgement afterwards changes nothing."""
    person, plan = direct_person(90_000)
    first = instalments(plan)[0]
    late = add_years(first.due_date, 2) + timedelta(days=1)
    with pytest.raises(ArrearsError, match="時効により消滅"):
        pledge_make(actor=ACTOR, person_id=person.pk, made_on=late, schedule=[(late, 1_000)],
                    instalment_ids=[first.pk])
    default = pledge_make(actor=ACTOR, person_id=person.pk, made_on=late, schedule=[(late, 1_000)])
    assert first.pk not in set(PledgedInstalment.objects.filter(pledge=default).values_list("instalment_id",
                                                                                           flat=True))
    assert first.pk in _expired_ids(late, person.pk)


@pytest.mark.django_db
def test_money_for_an_extinguished_instalment_is_an_overpayment_to_refund() -> None:
    """地方自治法 §236 ②: a slip paid after the limitation ran out is not applied; it is refunded."""
    person, plan = direct_person(90_000)
    first, second = instalments(plan)[:2]
    late = add_years(first.due_date, 2) + timedelta(days=1)
    pay(person, first, paid_on=late)  # the old slip of the first instalment
    statuses = {s.instalment_id: s for s in instalment_statuses(person.pk, 2025)}
    assert statuses[first.pk].paid == 0 and statuses[first.pk].unpaid == first.amount
    assert statuses[second.pk].paid == 0  # not applied to another instalment either
    assert open_overpayment(person.pk, 2025) == first.amount
    assert ledger(person.pk, 2025).balances
    # a payment naming none pays only what is still alive
    still = add_years(second.due_date, 2)
    _counter(person.pk, 2025, first.amount, still)
    statuses = {s.instalment_id: s for s in instalment_statuses(person.pk, 2025)}
    assert statuses[first.pk].paid == 0 and statuses[second.pk].paid == second.amount
    assert ledger(person.pk, 2025).balances


@pytest.mark.django_db
def test_reallocation_keeps_money_off_extinguished_instalments() -> None:
    """After a cancellation the year is derived again: the late payment still does not land."""
    person, plan = direct_person(90_000)
    first, second = instalments(plan)[:2]
    pay(person, second, paid_on=second.due_date)
    late = add_years(first.due_date, 2) + timedelta(days=1)
    rid = pay(person, first, paid_on=late)
    wrong = pay(person, second, paid_on=late, amount=10)
    receipt_cancel(actor=ACTOR, receipt_id=wrong, reason="誤入力", on=late)
    statuses = {s.instalment_id: s for s in instalment_statuses(person.pk, 2025)}
    assert statuses[first.pk].paid == 0 and statuses[second.pk].paid == second.amount
    assert open_overpayment(person.pk, 2025) == first.amount and rid
    assert ledger(person.pk, 2025).balances


@pytest.mark.django_db
def test_a_set_off_to_an_extinguished_instalment_is_refused() -> None:
    person, plan = direct_person(90_000)
    first = instalments(plan)[0]
    _, other = make_direct_plan(30_000, 2026, person=person)
    assert sum(i.amount for i in instalments(other)) == 30_000
    late = add_years(first.due_date, 2) + timedelta(days=1)
    pay(person, instalments(other)[0], amount=35_000, paid_on=late, fiscal_year=2026,
        named=False)  # 5,000 overpaid in 2026; naming none, it cannot revive the extinguished 2025 claim
    with pytest.raises(CollectionError, match="時効により消滅"):
        set_off_decide(actor=ACTOR, person_id=person.pk, from_fiscal_year=2026, instalment_id=first.pk,
                       amount=5_000, reason="充当", on=late)
    assert open_overpayment(person.pk, 2026) == 5_000
