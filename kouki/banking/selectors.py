"""Reads of the banking app for the screens (the person's history)."""

from __future__ import annotations

from kouki.banking.models import BankAccount
from kouki.core.audit_vocabulary import AuditTarget


def audit_targets_of(person_id: int) -> dict[AuditTarget, list[str]]:
    """The person's bank accounts (引落口座, 還付口座) as audit rows name them."""
    accounts = BankAccount.objects.filter(person_id=person_id).values_list("pk", flat=True)
    return {AuditTarget.BANK_ACCOUNT: [str(pk) for pk in accounts]}
