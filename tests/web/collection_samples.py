"""Sample ledger data for the collection screen tests (and the access matrix): a person paying a direct
plan, a counter receipt, and a fiscal year with an open overpayment."""

from __future__ import annotations

from datetime import date

from collection_factories import ACTOR, instalments, make_direct_plan

from kouki.addressees.models import Person
from kouki.assessment.models import Instalment
from kouki.collection.models import Channel, Receipt
from kouki.collection.services import ReceiptInput, receipt_record

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
    return {
        "web:collection_ledger": {"person_id": person.pk},
        "web:counter_receipt": {"person_id": person.pk},
        "web:counter_receipt_pdf": {"receipt_id": receipt.pk},
        "web:receipt_cancel": {"receipt_id": receipt.pk},
        "web:overpayment_detail": {"person_id": person.pk, "fiscal_year": FY},
        "web:refund_decide": {"person_id": person.pk, "fiscal_year": FY},
        "web:set_off_decide": {"person_id": person.pk, "fiscal_year": FY},
    }
