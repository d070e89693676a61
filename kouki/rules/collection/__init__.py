"""Collection rules (収納): allocation of receipts to instalments and the ledger identity. Pure."""

from kouki.rules.collection.allocation import (
    AllocationResult,
    Credit,
    CreditKind,
    Due,
    allocate,
    effective_amounts,
)
from kouki.rules.collection.ledger import Ledger

__all__ = ["AllocationResult", "Credit", "CreditKind", "Due", "Ledger", "allocate", "effective_amounts"]
