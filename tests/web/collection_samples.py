"""Sample ledger data for the collection screen tests (and the access matrix): a person paying a direct
plan, a counter receipt, and a fiscal year with an open overpayment."""

from __future__ import annotations

from datetime import date

import pytest
from collection_factories import ACTOR, instalments, make_direct_plan
from django.utils import timezone

from kouki.addressees.models import Person
from kouki.arrears.models import PensionNonDeduction, WriteOffGround, WriteOffRequest
from kouki.arrears.services import write_off_request
from kouki.assessment.models import Instalment
from kouki.collection.models import Channel, LateCharge, Receipt
from kouki.collection.services import ReceiptInput, receipt_record
from kouki.interfaces.models import ImportRecord
from kouki.slips.services import slips_issue

FY = 2025
PAID_ON = date(2025, 7, 20)


def pay(person: Person, amount: int, *, fiscal_year: int = FY, instalment: Instalment | None = None,
        channel: Channel = Channel.COUNTER, paid_on: date = PAID_ON) -> Receipt:
    item = ReceiptInput(person.pk, fiscal_year, channel, amount, paid_on,
                        instalment.pk if instalment is not None else None)
    return receipt_record(actor=ACTOR, item=item, on=paid_on)


def person_with_plan(person: Person | None = None, premium: int = 90_000,
                     fiscal_year: int = FY) -> tuple[Person, list[Instalment]]:
    person, plan = make_direct_plan(premium, fiscal_year, person=person)
    return person, instalments(plan)


def overpaid(person: Person | None = None, *, premium: int = 30_000, paid: int = 40_000,
             fiscal_year: int = 2024) -> Person:
    """A person who paid `paid` against a year charging `premium` (an open overpayment of the rest)."""
    person, _rows = person_with_plan(person, premium, fiscal_year)
    pay(person, paid, fiscal_year=fiscal_year, paid_on=date(fiscal_year, 7, 20))
    return person


def collection_samples(person: Person) -> dict[str, dict[str, int]]:
    """URL kwargs of every collection screen, for the access matrix (the person gets a plan and a receipt)."""
    person, rows = person_with_plan(person)
    receipt = pay(person, rows[0].amount, instalment=rows[0])
    slips_issue(actor=ACTOR, on=PAID_ON, plan_id=rows[0].plan_id)
    return {
        "web:collection_ledger": {"person_id": person.pk},
        "web:counter_receipt": {"person_id": person.pk},
        "web:counter_receipt_pdf": {"receipt_id": receipt.pk},
        "web:slips_pdf": {"person_id": person.pk},
        "web:receipt_cancel": {"receipt_id": receipt.pk},
        "web:overpayment_detail": {"person_id": person.pk, "fiscal_year": FY},
        "web:refund_decide": {"person_id": person.pk, "fiscal_year": FY},
        "web:set_off_decide": {"person_id": person.pk, "fiscal_year": FY},
        "web:late_charge_waive": {"late_charge_id": late_charge_sample(person, rows[3]).pk},
        **arrears_samples(person, rows),
    }


def late_charge_sample(person: Person, instalment: Instalment, amount: int = 1_200) -> LateCharge:
    """A determined 延滞金 row of the instalment, as the ledger would store it (the rule is tested apart)."""
    return LateCharge.objects.create(
        person=person, fiscal_year=instalment.plan.fiscal_year, instalment=instalment,
        method=instalment.method, period=instalment.period, due_date=instalment.due_date,
        principal=instalment.amount, paid_off_on=instalment.due_date, days=100, computed=amount + 34,
        amount=amount, computed_at=timezone.now(),
    )  # fmt: skip


def write_off_requested(instalment: Instalment, *, reason: str = "滞納処分の執行停止(財産なし)",
                        amount: int | None = None) -> WriteOffRequest:
    """An open 不納欠損 request of the instalment (requested by the system test actor)."""
    return write_off_request(actor=ACTOR, instalment_id=instalment.pk, amount=amount or instalment.amount,
                             reason=reason, on=PAID_ON, ground=WriteOffGround.SUSPENSION)


def arrears_samples(person: Person, rows: list[Instalment]) -> dict[str, dict[str, int]]:
    """URL kwargs of the arrears screens and the 納付確認書 (a write-off request of the second instalment)."""
    request = write_off_requested(rows[1])
    return {
        "web:payment_certificate": {"person_id": person.pk},
        "web:arrears_detail": {"person_id": person.pk},
        "web:arrears_contact_add": {"person_id": person.pk},
        "web:arrears_pledge_make": {"person_id": person.pk},
        "web:write_off_request": {"person_id": person.pk},
        "web:write_off_decide": {"request_id": request.pk},
        "web:pension_done": {"item_id": not_deducted(rows[2]).pk},
    }


def not_deducted(instalment: Instalment, *, reason: str = "02") -> PensionNonDeduction:
    """A worklist item as the 特別徴収結果 import leaves it (the instalment stays unpaid)."""
    record = ImportRecord.objects.create(
        kind="pension-result", file_name="sample.txt", sha256=f"{instalment.pk:064d}", status="applied",
        line_count=1, applied_count=1, imported_at=timezone.now(), imported_by=ACTOR.username)
    return PensionNonDeduction.objects.create(
        instalment=instalment, person_id=instalment.plan.person_id, fiscal_year=instalment.plan.fiscal_year,
        pension_month=f"{instalment.due_date:%Y-%m}", reason=reason, import_record=record,
        recorded_at=timezone.now())


ARREARS_TODAY = date(2026, 12, 1)  # FY2025 instalments are past due, FY2023's limitation has run out


def fix_today(monkeypatch: pytest.MonkeyPatch, today: date = ARREARS_TODAY) -> date:
    """The screens' today (timezone.localdate), so a test does not depend on the day it runs."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today)
    return today
