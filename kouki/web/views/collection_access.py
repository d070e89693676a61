"""Who may do what on the collection screens (事務 6, 保険料の徴収).

Seeing the ledger and taking a payment at the counter need Perm.VIEW_PERSON (counter clerk, number
clerk, supervisor). Cancelling a receipt and deciding a refund or a set-off need
Perm.DECIDE_COLLECTION, which only the supervisor role (審査・監督者) holds; both are declared on each
view, so the access matrix test covers them and a refusal is the recorded 403 page (SEC-07, SEC-13).
"""

from __future__ import annotations

from kouki.accounts.models import StaffUser
from kouki.accounts.permissions import Perm, role_has


def may_decide(user: StaffUser | None) -> bool:
    """Whether to offer the decision forms (the views check the permission themselves)."""
    return user is not None and bool(user.is_active) and role_has(user.role, Perm.DECIDE_COLLECTION)
