"""Reads of the banking app for the screens: a person's accounts with the bank and branch names of the
offline Zengin data, the failed-debit worklist rows, and the person's audit targets (their history)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from kouki.banking import bankcodes
from kouki.banking.models import BankAccount, DepositType, FailedDebit, Purpose
from kouki.core.audit_vocabulary import AuditTarget
from kouki.core.db import AuditRecordSets, ids_per_key


def audit_targets_of(person_id: int) -> dict[AuditTarget, list[str]]:
    """The person's bank accounts (引落口座, 還付口座) as audit rows name them."""
    return ids_per_key(audit_record_sets(person_id))


def audit_record_sets(person_id: int) -> AuditRecordSets:
    """The records `audit_targets_of` names, as querysets (gathered with other apps' in one query)."""
    return {AuditTarget.BANK_ACCOUNT: BankAccount.objects.filter(person_id=person_id)}


@dataclass(frozen=True)
class AccountRow:
    pk: int
    person_id: int
    purpose: str
    purpose_label: str
    bank_code: str
    bank_name: str
    branch_code: str
    branch_name: str
    deposit_type_label: str
    account_number: str
    holder_kana: str
    valid_from: date
    valid_to: date | None
    applied_on: date
    end_reason: str
    recorded_by: str

    def in_force_on(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)

    @property
    def open(self) -> bool:
        """Not ended (it may still end later by a date already set)."""
        return self.valid_to is None


def _row(a: BankAccount) -> AccountRow:
    bank = bankcodes.bank(a.bank_code)
    branch = bankcodes.branch(a.bank_code, a.branch_code)
    return AccountRow(
        pk=a.pk,
        person_id=a.person_id,
        purpose=a.purpose,
        purpose_label=Purpose(a.purpose).label,
        bank_code=a.bank_code,
        bank_name=bank.name if bank else "",
        branch_code=a.branch_code,
        branch_name=branch.name if branch else "",
        deposit_type_label=DepositType(a.deposit_type).label,
        account_number=a.account_number,
        holder_kana=a.holder_kana,
        valid_from=a.valid_from,
        valid_to=a.valid_to,
        applied_on=a.applied_on,
        end_reason=a.end_reason,
        recorded_by=a.recorded_by,
    )


def accounts_of(person_id: int, purpose: Purpose | None = None) -> list[AccountRow]:
    """Every account of the person (of one purpose, or both), newest start first."""
    qs = BankAccount.objects.filter(person_id=person_id)
    if purpose is not None:
        qs = qs.filter(purpose=purpose)
    return [_row(a) for a in qs.order_by("purpose", "-valid_from", "-pk")]


def account(account_id: int) -> AccountRow | None:
    a = BankAccount.objects.filter(pk=account_id).first()
    return _row(a) if a is not None else None


@dataclass(frozen=True)
class FailedDebitRow:
    pk: int
    line_id: int
    person_id: int
    instalment_id: int | None
    fiscal_year: int
    period: int
    amount: int
    result_code: int
    reason: str
    debit_date: date
    slip_id: int | None
    slip_issued_at: datetime | None

    @property
    def slip_issued_on(self) -> date | None:
        """The local day the slip was issued (for 和暦 display)."""
        return timezone.localtime(self.slip_issued_at).date() if self.slip_issued_at else None

    @property
    def replaced(self) -> bool:
        """The instalment was replaced by a re-plan: no slip can be issued for it here."""
        return self.instalment_id is None


def failed_debit_rows(*, pending_only: bool = False, person_id: int | None = None,
                      slips_since: datetime | None = None) -> list[FailedDebitRow]:
    """Failed debits (newest debit date first); pending_only: still without a payment slip;
    slips_since: those whose slip was issued at or after that moment."""
    qs = FailedDebit.objects.select_related("line").order_by("-debit_date", "pk")
    if pending_only:
        qs = qs.filter(slip_id__isnull=True)
    if slips_since is not None:
        qs = qs.filter(slip_issued_at__gte=slips_since)
    if person_id is not None:
        qs = qs.filter(person_id=person_id)
    return [_failure(f) for f in qs]


def failed_debit_row(failure_id: int) -> FailedDebitRow | None:
    f = FailedDebit.objects.select_related("line").filter(pk=failure_id).first()
    return _failure(f) if f is not None else None


def _failure(f: FailedDebit) -> FailedDebitRow:
    return FailedDebitRow(
        pk=f.pk, line_id=f.line_id, person_id=f.person_id, instalment_id=f.instalment_id,
        fiscal_year=f.line.fiscal_year, period=f.line.period, amount=f.line.amount,
        result_code=f.result_code, reason=f.reason, debit_date=f.debit_date, slip_id=f.slip_id,
        slip_issued_at=f.slip_issued_at,
    )  # fmt: skip
