"""Reads of the banking app for other apps and screens."""

from __future__ import annotations

from kouki.banking.accounts import ValidAccount, accounts_valid_on
from kouki.banking.failures import debit_failed, failed_debits

__all__ = ["ValidAccount", "accounts_valid_on", "debit_failed", "failed_debits"]
