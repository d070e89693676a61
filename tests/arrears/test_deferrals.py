"""徴収猶予 of instalments (issue 12 §2): during the period an instalment gets no 督促状, is not in arrears
(the list leaves it out) and bears no 延滞金 — 「猶予の期間の延滞金は免除」 (domain-facts-next §2
[R24][R25]); after the period it is reminded (督促漏れ) and in arrears again."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import override_settings

from arrears.helpers import ACTOR, direct_person, instalments, pay
from kouki.arrears.selectors import arrears_list, reminders_missed
from kouki.arrears.services import reminders_issue
from kouki.collection.deferrals import DeferralError, instalment_deferrals_record
from kouki.collection.late_charge_selectors import accruing
from kouki.collection.models import InstalmentDeferral, LateCharge
from kouki.collection.selectors import unpaid_instalments
from kouki.core.config import city_config
from kouki.privacy.models import AuditEntry
from kouki.rules.collection.late_charge import late_charge

pytestmark = pytest.mark.django_db
MODEL = override_settings(KOUKI_LATE_CHARGE_EARLY_MONTHS="1")


def _defer(person_id: int, ids: list[int], first: date, last: date, no: str = "令和7年度第00001号") -> int:
    return instalment_deferrals_record(
        actor=ACTOR, person_id=person_id, application_no=no, instalment_ids=ids, deferred_from=first,
        deferred_until=last, decided_on=first,
    )  # fmt: skip


def test_a_deferred_instalment_is_neither_reminded_nor_in_arrears_during_the_period() -> None:
    person, plan = direct_person(90_000)
    other, other_plan = direct_person(90_000)
    first = instalments(plan)[0]
    until = first.due_date + timedelta(days=40)
    assert _defer(person.pk, [first.pk], first.due_date - timedelta(days=10), until) == 1
    assert _defer(person.pk, [first.pk], first.due_date - timedelta(days=10), until) == 0  # once
    audit = AuditEntry.objects.filter(action="instalment_defer")
    assert audit.count() == 1 and audit.get().target_id == "令和7年度第00001号"

    on = first.due_date + timedelta(days=5)
    run = reminders_issue(actor=ACTOR, on=on)
    reminded = {r for r in run.reminder_ids}
    assert len(reminded) == 1  # the other person's first instalment only
    listed = {r.person_id for r in arrears_list(on)}
    assert person.pk not in listed and other.pk in listed
    assert reminders_missed(until) == []  # still deferred on its last day

    after = until + timedelta(days=1)
    missed = reminders_missed(after)
    assert [u.instalment_id for u in missed] == [first.pk]  # reminded once the deferral has ended
    assert person.pk in {r.person_id for r in arrears_list(after)}
    assert instalments(other_plan)[0].pk not in {u.instalment_id for u in missed}  # reminded on time


def test_a_deferral_survives_a_replan_and_refuses_another_persons_instalment() -> None:
    from collection_factories import reassess

    person, plan = direct_person(90_000)
    _stranger, stranger_plan = direct_person(90_000)
    first = instalments(plan)[0]
    with pytest.raises(DeferralError):
        _defer(person.pk, [instalments(stranger_plan)[0].pk], first.due_date, first.due_date)
    _defer(person.pk, [first.pk], first.due_date, first.due_date + timedelta(days=60))
    new_plan = reassess(person, 80_000, 2025, first.due_date - timedelta(days=3))
    new_first = instalments(new_plan)[0]
    assert new_first.pk != first.pk and new_first.period == first.period
    on = new_first.due_date + timedelta(days=5)
    assert person.pk not in {r.person_id for r in arrears_list(on)}
    assert InstalmentDeferral.objects.get().fiscal_year == 2025


@MODEL
def test_no_late_charge_runs_during_the_deferral_and_runs_after_it() -> None:
    person, plan = direct_person(900_000)
    first = instalments(plan)[0]
    rules = city_config().late_charge_rules
    period = (first.due_date + timedelta(days=1), first.due_date + timedelta(days=60))
    paid_on = first.due_date + timedelta(days=150)
    # the 見込 on the unpaid instalment already leaves the deferral's days out
    _defer(person.pk, [first.pk], *period)
    (unpaid,) = [u for u in unpaid_instalments(due_before=paid_on, person_ids=[person.pk]) if u.period == 1]
    estimate = accruing([unpaid], paid_on)[first.pk]
    assert estimate.days == 150 - 60
    pay(person, first, paid_on=paid_on)
    lc = LateCharge.objects.get(person=person)
    plain = late_charge(first.amount, first.due_date, [], paid_on, rules)
    expected = late_charge(first.amount, first.due_date, [], paid_on, rules, waived=[period])
    assert (lc.days, lc.amount) == (150 - 60, expected.amount)
    assert 0 < lc.amount < plain.amount


@MODEL
def test_a_deferral_decided_after_a_late_payment_lowers_its_late_charge() -> None:
    person, plan = direct_person(900_000)
    first = instalments(plan)[0]
    paid_on = first.due_date + timedelta(days=150)
    pay(person, first, paid_on=paid_on)
    before = LateCharge.objects.get(person=person).amount
    _defer(person.pk, [first.pk], first.due_date, paid_on)  # the whole lateness deferred
    assert not LateCharge.objects.filter(person=person).exists() and before > 0
    assert AuditEntry.objects.filter(action="late_charge_determine").count() == 2  # determined, removed
