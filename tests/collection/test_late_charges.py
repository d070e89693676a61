"""延滞金 on the ledger (issue 10 §4): derived when an instalment is paid in full late, kept across
re-derivations, removed when the late payment is cancelled, waived by a supervisor with a reason."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from collection_factories import ACTOR, instalments, make_direct_plan
from django.test import override_settings

from kouki.collection.late_charges import LateChargeError, late_charge_waive, late_charges_recompute
from kouki.collection.models import Channel, LateCharge
from kouki.collection.services import ReceiptInput, receipt_cancel, receipt_record
from kouki.core.config import city_config
from kouki.privacy.models import AuditEntry
from kouki.rules.collection import late_charge_rates
from kouki.rules.collection.late_charge import Reduction, late_charge

FY = 2025
MODEL = override_settings(KOUKI_LATE_CHARGE_EARLY_MONTHS="1")


def pay(person_id: int, amount: int, paid_on: date, instalment_id: int | None = None) -> int:
    item = ReceiptInput(person_id, FY, Channel.COUNTER, amount, paid_on, instalment_id, "ref")
    return receipt_record(actor=ACTOR, item=item, on=paid_on).pk


@pytest.mark.django_db
@MODEL
def test_an_instalment_paid_late_gets_its_late_charge_and_an_audit_row() -> None:
    person, plan = make_direct_plan(900_000, FY)
    first = instalments(plan)[0]
    paid_on = first.due_date + timedelta(days=120)
    pay(person.pk, first.amount, paid_on, first.pk)
    lc = LateCharge.objects.get(person=person)
    expected = late_charge(first.amount, first.due_date, [], paid_on, city_config().late_charge_rules)
    assert (lc.period, lc.amount, lc.days, lc.paid_off_on) == (first.period, expected.amount, 120, paid_on)
    assert lc.amount >= 1000 and lc.amount % 100 == 0
    assert lc.detail and lc.detail[0]["percent"] == "2.4"
    assert AuditEntry.objects.filter(action="late_charge_determine", target_id=str(lc.pk)).exists()


@pytest.mark.django_db
@MODEL
def test_a_late_part_payment_counts_on_the_reduced_base_once_fully_paid() -> None:
    person, plan = make_direct_plan(900_000, FY)
    first = instalments(plan)[0]
    part_on, last_on = first.due_date + timedelta(days=20), first.due_date + timedelta(days=200)
    pay(person.pk, 40_000, part_on, first.pk)
    assert not LateCharge.objects.exists()  # still unpaid: nothing determined yet
    pay(person.pk, first.amount - 40_000, last_on, first.pk)
    expected = late_charge(
        first.amount, first.due_date, [Reduction(part_on, 40_000), Reduction(last_on, first.amount - 40_000)],
        last_on, city_config().late_charge_rules,
    )  # fmt: skip
    assert LateCharge.objects.get(person=person).amount == expected.amount > 0


@pytest.mark.django_db
@MODEL
def test_paid_in_time_or_small_charges_leave_no_row() -> None:
    person, plan = make_direct_plan(900_000, FY)
    rows = instalments(plan)
    pay(person.pk, rows[0].amount, rows[0].due_date, rows[0].pk)
    pay(person.pk, rows[1].amount, rows[1].due_date + timedelta(days=2), rows[1].pk)  # ~13円: not collected
    assert not LateCharge.objects.exists()


@pytest.mark.django_db
def test_nothing_is_computed_while_the_ordinance_value_is_unset() -> None:
    person, plan = make_direct_plan(900_000, FY)
    first = instalments(plan)[0]
    pay(person.pk, first.amount, first.due_date + timedelta(days=120), first.pk)
    assert not LateCharge.objects.exists()
    with MODEL:
        assert late_charges_recompute(actor=ACTOR, keys=[(person.pk, FY)]) == 1
    assert LateCharge.objects.get(person=person).amount > 0


@pytest.mark.django_db
@MODEL
def test_cancelling_the_late_payment_removes_the_charge_but_a_waiver_stays_on_record() -> None:
    person, plan = make_direct_plan(900_000, FY)
    rows = instalments(plan)
    r1 = pay(person.pk, rows[0].amount, rows[0].due_date + timedelta(days=120), rows[0].pk)
    r2 = pay(person.pk, rows[1].amount, rows[1].due_date + timedelta(days=150), rows[1].pk)
    assert LateCharge.objects.count() == 2
    waived = LateCharge.objects.get(period=rows[1].period)
    late_charge_waive(actor=ACTOR, late_charge_id=waived.pk, amount=None, reason="災害", on=date(2026, 1, 5))
    receipt_cancel(actor=ACTOR, receipt_id=r1, reason="誤入力", on=date(2026, 1, 6))
    receipt_cancel(actor=ACTOR, receipt_id=r2, reason="誤入力", on=date(2026, 1, 6))
    kept = LateCharge.objects.get()
    assert (kept.pk, kept.amount, kept.waived_amount) == (waived.pk, 0, waived.amount)


@pytest.mark.django_db
@MODEL
def test_waiver_needs_a_reason_a_valid_amount_and_happens_once() -> None:
    person, plan = make_direct_plan(900_000, FY)
    first = instalments(plan)[0]
    pay(person.pk, first.amount, first.due_date + timedelta(days=300), first.pk)
    lc = LateCharge.objects.get()
    on = date(2026, 2, 1)
    with pytest.raises(LateChargeError, match="理由"):
        late_charge_waive(actor=ACTOR, late_charge_id=lc.pk, amount=None, reason=" ", on=on)
    with pytest.raises(LateChargeError, match="以下"):
        late_charge_waive(actor=ACTOR, late_charge_id=lc.pk, amount=lc.amount + 1, reason="x", on=on)
    done = late_charge_waive(actor=ACTOR, late_charge_id=lc.pk, amount=1000, reason="生活困窮", on=on)
    assert (done.waived_amount, done.outstanding, done.waive_reason) == (1000, lc.amount - 1000, "生活困窮")
    assert AuditEntry.objects.filter(action="late_charge_waive", target_id=str(lc.pk)).count() == 1
    with pytest.raises(LateChargeError, match="既に"):
        late_charge_waive(actor=ACTOR, late_charge_id=lc.pk, amount=None, reason="x", on=on)
    lc.refresh_from_db()
    assert lc.waived_amount == 1000


@pytest.mark.django_db
@MODEL
def test_a_year_without_a_published_rate_is_recorded_as_a_problem_not_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    person, plan = make_direct_plan(900_000, FY)
    first = instalments(plan)[0]
    published = late_charge_rates.SPECIAL_RATES
    monkeypatch.setattr(late_charge_rates, "SPECIAL_RATES", tuple(s for s in published if s.year != 2026))
    pay(person.pk, first.amount, date(2026, 2, 1), first.pk)
    lc = LateCharge.objects.get()
    assert lc.amount == 0 and "2026年" in lc.problem


@pytest.mark.django_db
@pytest.mark.usefixtures("operator")  # KOUKI_BATCH_USER: the named staff member for --as
def test_the_recompute_command_refuses_without_the_ordinance_value_then_computes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from kouki.cli import main

    person, plan = make_direct_plan(900_000, FY)
    first = instalments(plan)[0]
    pay(person.pk, first.amount, first.due_date + timedelta(days=120), first.pk)
    assert main(["collect", "late-charges", "--fiscal-year", str(FY)]) == 2
    assert "KOUKI_LATE_CHARGE_EARLY_MONTHS" in capsys.readouterr().err
    assert not LateCharge.objects.exists()
    with MODEL:
        assert main(["collect", "late-charges", "--fiscal-year", str(FY)]) == 0
    assert "late charges: 1 changed for 1 plans" in capsys.readouterr().out
    assert LateCharge.objects.get().amount > 0


@pytest.mark.django_db
@MODEL
def test_a_re_plan_keeps_the_charge_on_the_same_period_and_a_reduction_recomputes_it() -> None:
    from collection_factories import reassess

    person, plan = make_direct_plan(900_000, FY)
    first = instalments(plan)[0]
    paid_on = first.due_date + timedelta(days=200)
    pay(person.pk, first.amount, paid_on, first.pk)
    before = LateCharge.objects.get()
    new_plan = reassess(person, 890_000, FY, date(2026, 3, 1))  # a small reduction, taken off the last ones
    after = LateCharge.objects.get()
    new_first = instalments(new_plan)[0]
    assert after.pk == before.pk and after.period == first.period
    assert after.instalment_id == new_first.pk != first.pk
    assert after.amount == before.amount  # the first instalment still charges the same
