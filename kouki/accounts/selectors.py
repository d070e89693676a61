"""Reads of staff accounts: the periodic inventory (棚卸, SEC-06) of accounts × permissions × last login."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from kouki.accounts import enrolment, lockout
from kouki.accounts.models import AccountRequest, RequestStatus, StaffUser, WebAuthnCredential
from kouki.accounts.permissions import ROLE_LABELS, ROLE_PERMISSIONS, Perm, Role
from kouki.core.config import access_config


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
    # issue 14 §4 inventory findings
    dormant: bool = False  # active, no sign-in for KOUKI_DORMANT_DAYS (never: since it was registered)
    role_on_file: str = ""  # the role of the latest approved request ("" = no record on file)
    role_mismatch: bool = False  # the role differs from the record on file, or there is no record
    awaiting_enrolment: bool = False  # registered, its owner has not enrolled yet (code still valid)
    webauthn_keys: int = 0  # active registered WebAuthn terminals (issue 14 §5)

    @property
    def second_factor(self) -> bool:
        """A second factor is enrolled: a confirmed TOTP secret or a registered terminal."""
        return self.totp_confirmed or self.webauthn_keys > 0


def role_label(role: str) -> str:
    try:
        return ROLE_LABELS[Role(role)]
    except ValueError:
        return "(不明な役割)"


def roles_on_file() -> dict[int, str]:
    """account id → the role of its latest approved request (new account or role change)."""
    found: dict[int, str] = {}
    approved = AccountRequest.objects.filter(status=RequestStatus.APPROVED, account__isnull=False)
    for account_id, role in approved.order_by("decided_at", "pk").values_list("account_id", "role"):
        found[account_id] = role
    return found


def is_dormant(user: StaffUser, now: datetime) -> bool:
    since = now - timedelta(days=access_config().dormant_days)
    seen = user.last_login or user.date_joined
    return bool(user.is_active) and seen is not None and seen < since


def staff_inventory() -> list[InventoryRow]:
    now = timezone.now()
    on_file = roles_on_file()
    keys: dict[int, int] = {}
    active = WebAuthnCredential.objects.filter(revoked_at__isnull=True)
    for user_id in active.values_list("user_id", flat=True):
        keys[user_id] = keys.get(user_id, 0) + 1
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
            totp_confirmed=user.totp_confirmed, dormant=is_dormant(user, now),
            role_on_file=on_file.get(user.pk, ""),
            role_mismatch=bool(user.is_active) and on_file.get(user.pk) != user.role,
            awaiting_enrolment=bool(user.is_active) and not user.totp_secret and not keys.get(user.pk)
            and enrolment.pending(user, now) is not None,
            webauthn_keys=keys.get(user.pk, 0),
        ))
    return rows


def locked_at_addresses(user: StaffUser) -> int:
    return lockout.locked_addresses(user)


def pending_requests() -> QuerySet[AccountRequest]:
    return AccountRequest.objects.filter(status=RequestStatus.REQUESTED).order_by("requested_at", "pk")


def decided_requests(limit: int = 50) -> QuerySet[AccountRequest]:
    decided = AccountRequest.objects.exclude(status=RequestStatus.REQUESTED).exclude(requested_by=None)
    return decided.order_by("-decided_at", "-pk")[:limit]


def requests_by(user_id: int, limit: int = 50) -> QuerySet[AccountRequest]:
    return AccountRequest.objects.filter(requested_by_id=user_id).order_by("-requested_at", "-pk")[:limit]


def account_request(request_id: int) -> AccountRequest | None:
    return AccountRequest.objects.filter(pk=request_id).first()


def office_accounts(office: str) -> QuerySet[StaffUser]:
    """The active accounts of an office (whose roles its section head may ask to change)."""
    return StaffUser.objects.filter(office=office, is_active=True).order_by("username")



def staff_by_id(user_id: int) -> StaffUser | None:
    return StaffUser.objects.filter(pk=user_id, is_active=True).first()


def staff_account(user_id: int) -> StaffUser | None:
    """Any account, active or stopped (for the administrator's account screen)."""
    return StaffUser.objects.filter(pk=user_id).first()


def webauthn_credentials(user_id: int) -> list[WebAuthnCredential]:
    """The account's registered authenticators, active first, newest first (issue 14 §5)."""
    rows = WebAuthnCredential.objects.filter(user_id=user_id).select_related("revoked_by")
    return sorted(rows, key=lambda c: (c.revoked_at is not None, -c.created_at.timestamp(), -c.pk))


def staff_by_username(username: str) -> StaffUser | None:
    return StaffUser.objects.filter(username=username, is_active=True).first()
