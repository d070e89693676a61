"""People with direct-payment plans and their slips, and helpers to write reports (synthetic only)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time
from pathlib import Path

from collection_factories import make_direct_plan

from kouki.addressees.models import Person
from kouki.interfaces.stores.codec import dump
from kouki.interfaces.stores.records import ReportHeader, ReportKind, StorePaymentRecord
from kouki.privacy.context import Actor
from kouki.rules import gs1
from kouki.slips.models import PaymentSlip
from kouki.slips.services import slips_issue

ACTOR = Actor.system("test-stores")
FY = 2025
PAID_ON = date(2025, 7, 20)
FINAL_ON = date(2025, 7, 24)
TRANSFER_ON = date(2025, 7, 31)


def person_with_slips(premium: int = 90_000) -> tuple[Person, list[PaymentSlip]]:
    """Nine direct instalments of premium/9 yen, July–March, each with a slip and its code."""
    person, plan = make_direct_plan(premium, FY)
    slips = slips_issue(actor=ACTOR, on=date(FY, 7, 1), plan_id=plan.pk)
    return person, slips


def payment(code: str, *, minute: int = 600, store: str = "S0001", amount: int | None = None,
            paid_on: date = PAID_ON) -> StorePaymentRecord:  # fmt: skip
    return StorePaymentRecord(
        kind=ReportKind.PRELIMINARY, paid_on=paid_on, paid_at=time(minute // 60, minute % 60),
        chain_code="0001", store_code=store, barcode=code,
        amount=gs1.parse(code).amount if amount is None else amount,
    )  # fmt: skip


def final(r: StorePaymentRecord, *, cancelled: bool = False) -> StorePaymentRecord:
    return replace(
        r, kind=ReportKind.FINAL, cancelled=cancelled, processed_on=FINAL_ON, transfer_on=TRANSFER_ON
    )


def write(tmp: Path, name: str, kind: ReportKind, records: list[StorePaymentRecord]) -> Path:
    created = PAID_ON if kind is ReportKind.PRELIMINARY else FINAL_ON
    if kind is ReportKind.FINAL:
        records = [r if r.kind is ReportKind.FINAL else final(r) for r in records]
    path = tmp / name
    path.write_bytes(dump(ReportHeader(kind, created, "12345", gs1.DEFAULT_BILLER_CODE), records))
    return path
