"""The banking app's writes, in one place (each audited in its own transaction):

- accounts: `debit_account_register`, `debit_account_end`, `refund_account_register`, `account_end`;
- 口座振替: `debit_request_create` (request file + run), `import_debit_result` (振替結果 through
  run_import), `issue_slips` (failed debits still without a payment slip);
- 還付: `refund_transfer_create` (総合振込 file, refunds marked paid, 還付通知書 PDF).
"""

from __future__ import annotations

from kouki.banking.accounts import (
    AccountError,
    account_end,
    debit_account_end,
    debit_account_register,
    refund_account_register,
)
from kouki.banking.debits import DebitError, debit_request_create
from kouki.banking.failures import issue_slips
from kouki.banking.refunds import refund_transfer_create
from kouki.banking.results import import_debit_result

__all__ = [
    "AccountError",
    "DebitError",
    "account_end",
    "debit_account_end",
    "debit_account_register",
    "debit_request_create",
    "import_debit_result",
    "issue_slips",
    "refund_account_register",
    "refund_transfer_create",
]
