"""Sample data of the 口座振替・還付口座, 振替不能 and コンビニ収納 screens (and their rows in the access
matrix): a debit account, a failed debit still without a slip, and an open convenience-store work item.
Synthetic only; the failed debit and the work item are written as the imports would store them (the
imports themselves are tested in tests/banking and tests/stores)."""

from __future__ import annotations

from datetime import date, time

from collection_factories import ACTOR, instalments, make_direct_plan
from django.utils import timezone

from kouki.addressees.models import Person
from kouki.assessment.models import Instalment
from kouki.banking.accounts import debit_account_register
from kouki.banking.failures import issue_slips
from kouki.banking.models import BankAccount, DebitRequest, DebitRequestLine, DebitRun, FailedDebit
from kouki.stores.models import PaymentState, StorePayment, StoreWorkItem, WorkKind

DEBIT_DATE = date(2025, 7, 31)


def debit_account(person: Person, *, valid_from: date = date(2025, 4, 1)) -> BankAccount:
    return debit_account_register(
        actor=ACTOR, person_id=person.pk, bank_code="0001", branch_code="001", deposit_type=1,
        account_number="1234567", holder_kana="ﾔﾏﾀﾞ ﾀﾛｳ", valid_from=valid_from, applied_on=date(2025, 3, 20),
    )  # fmt: skip


def failed_debit(person: Person, account: BankAccount, instalment: Instalment, *,
                 debit_date: date = DEBIT_DATE) -> FailedDebit:  # fmt: skip
    """A failed debit (code 1, 資金不足) of the instalment, still waiting for its payment slip."""
    run, _ = DebitRun.objects.get_or_create(debit_date=debit_date, defaults={
        "fiscal_year": 2025, "bank_key": "sample", "file_name": "irai.dat", "sha256": "0" * 64,
        "record_count": 1, "total_amount": instalment.amount, "status": "resulted",
        "created_at": timezone.now(), "created_by": "test",
    })  # fmt: skip
    request = DebitRequest.objects.create(run=run, account=account, person=person,
                                          customer_no=f"S{instalment.pk:019d}"[:20], amount=instalment.amount,
                                          new_code=1, result_code=1)  # fmt: skip
    line = DebitRequestLine.objects.create(request=request, instalment=instalment, fiscal_year=2025,
                                           period=instalment.period, amount=instalment.amount)  # fmt: skip
    return FailedDebit.objects.create(line=line, person=person, instalment=instalment, result_code=1,
                                      reason="資金不足", debit_date=debit_date, recorded_at=timezone.now())


def store_work_item(kind: WorkKind = WorkKind.UNKNOWN_SLIP, *, minute: int = 600) -> StoreWorkItem:
    """An open work item of a store payment that booked nothing (a code no slip carries)."""
    payment = StorePayment.objects.create(
        paid_on=date(2025, 7, 20), paid_at=time(minute // 60, minute % 60), chain_code="0001",
        store_code="S0001", barcode=f"{minute:044d}", amount=7_000, state=PaymentState.CONFIRMED,
    )  # fmt: skip
    return StoreWorkItem.objects.create(
        kind=kind, payment=payment, line=2, detail="該当する納付書がありません", opened_on=date(2025, 7, 24),
        opened_at=timezone.now(),
    )  # fmt: skip


def banking_samples(person: Person | None = None) -> dict[str, dict[str, int]]:
    """URL kwargs of the banking and store screens (the person gets a plan, an account and a failure)."""
    person, plan = make_direct_plan(90_000, 2025, person=person)
    account = debit_account(person)
    failed_debit(person, account, instalments(plan)[0])
    issued = failed_debit(person, account, instalments(plan)[1], debit_date=date(2025, 8, 31))
    issue_slips(actor=ACTOR, on=date(2025, 9, 5), line_ids=[issued.line_id])
    return {
        "web:bank_accounts": {"person_id": person.pk},
        "web:debit_account_register": {"person_id": person.pk},
        "web:refund_account_register": {"person_id": person.pk},
        "web:bank_account_end": {"account_id": account.pk},
        "web:failed_debit_slip_pdf": {"failure_id": issued.pk},
        "web:store_work_item_resolve": {"item_id": store_work_item().pk},
    }
