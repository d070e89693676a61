"""Reads of staff accounts: the periodic inventory (棚卸, SEC-06) of accounts × permissions × last login."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from kouki.accounts.models import StaffUser
from kouki.accounts.permissions import ROLE_LABELS, ROLE_PERMISSIONS, Perm, Role


@dataclass(frozen=True)
class InventoryRow:
    user_id: int
    username: str
    staff_name: str
    staff_no: str
    office: str
    role: str
    role_label: str
    permissions: tuple[Perm, ...]
    last_login: datetime | None
    is_active: bool
    locked: bool
    totp_confirmed: bool


def staff_inventory() -> list[InventoryRow]:
    now = timezone.now()
    rows = []
    for user in StaffUser.objects.order_by("office", "username"):
        try:
            role = Role(user.role)
            perms = tuple(sorted(ROLE_PERMISSIONS[role]))
            label = ROLE_LABELS[role]
        except ValueError:
            perms, label = (), "(不明な役割)"
        rows.append(InventoryRow(
            user_id=user.pk, username=user.username, staff_name=user.staff_name, staff_no=user.staff_no,
            office=user.office,
            role=user.role, role_label=label, permissions=perms, last_login=user.last_login,
            is_active=user.is_active, locked=user.locked_until is not None and user.locked_until > now,
            totp_confirmed=user.totp_confirmed,
        ))
    return rows


def staff_by_id(user_id: int) -> StaffUser | None:
    return StaffUser.objects.filter(pk=user_id, is_active=True).first()


def staff_account(user_id: int) -> StaffUser | None:
    """Any account, active or stopped (for the administrator's account screen)."""
    return StaffUser.objects.filter(pk=user_id).first()
