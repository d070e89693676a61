"""Lockout after failed sign-in steps (password or TOTP), per account AND client address (issue 14 §3).

- KOUKI_LOCKOUT_THRESHOLD failures of one account from one client address within KOUKI_LOCKOUT_SECONDS lock
  that account at that address only, until the first of those failures is KOUKI_LOCKOUT_SECONDS old. The
  owner signing in at another terminal is not locked out by someone guessing at this one.
- KOUKI_LOCKOUT_ACCOUNT_LIMIT consecutive failures of the account from all addresses together (no success in
  between) lock the account everywhere for KOUKI_LOCKOUT_SECONDS (StaffUser.locked_until): the cap on
  guessing spread over many addresses. Reaching it takes limit / threshold addresses (20 / 5 = 4 by default),
  each of them further slowed by the per-address throttle (kouki.accounts.throttle).
- A success clears the account's failures at that address and the consecutive count; the administrator's
  unlock clears everything.

Attempts refused while locked are not counted, so a lock does not extend itself.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from django.db.models import F
from django.utils import timezone

from kouki.accounts.models import AccountFailure, StaffUser
from kouki.core.config import access_config


class LockScope(StrEnum):
    ADDRESS = "address"  # this account from this client address
    ACCOUNT = "account"  # this account from everywhere


def _since(now: datetime) -> datetime:
    return now - timedelta(seconds=access_config().lockout_seconds)


def is_locked(user: StaffUser, now: datetime | None = None) -> bool:
    """Locked everywhere (StaffUser.locked_until): commands refuse the account too."""
    now = now or timezone.now()
    return user.locked_until is not None and user.locked_until > now


def address_failures(user: StaffUser, address: str, now: datetime | None = None) -> int:
    since = _since(now or timezone.now())
    return AccountFailure.objects.filter(user_id=user.pk, address=address[:64], failed_at__gt=since).count()


def locked_addresses(user: StaffUser, now: datetime | None = None) -> int:
    """How many client addresses the account is locked at now (for the administrator's screen)."""
    since = _since(now or timezone.now())
    rows = AccountFailure.objects.filter(user_id=user.pk, failed_at__gt=since).values_list(
        "address", flat=True
    )
    counts: dict[str, int] = {}
    for address in rows:
        counts[address] = counts.get(address, 0) + 1
    return sum(1 for n in counts.values() if n >= access_config().lockout_threshold)


def lock_scope(user: StaffUser, address: str, now: datetime | None = None) -> LockScope | None:
    """Why a sign-in step of `user` from `address` is refused before its credentials are checked, if it is."""
    now = now or timezone.now()
    if is_locked(user, now):
        return LockScope.ACCOUNT
    if address_failures(user, address, now) >= access_config().lockout_threshold:
        return LockScope.ADDRESS
    return None


def register_failure(user: StaffUser, address: str = "", now: datetime | None = None) -> LockScope | None:
    """Count one failure of `user` from `address`; the lock this failure brought about, if any."""
    now = now or timezone.now()
    config = access_config()
    AccountFailure.objects.filter(failed_at__lte=_since(now)).delete()
    AccountFailure.objects.create(user=user, address=address[:64], failed_at=now)
    StaffUser.objects.filter(pk=user.pk).update(failed_attempts=F("failed_attempts") + 1)
    user.refresh_from_db(fields=["failed_attempts", "locked_until"])
    if user.failed_attempts >= config.lockout_account_limit:
        user.locked_until = now + timedelta(seconds=config.lockout_seconds)
        user.failed_attempts = 0
        StaffUser.objects.filter(pk=user.pk).update(locked_until=user.locked_until, failed_attempts=0)
        return LockScope.ACCOUNT
    if address_failures(user, address, now) >= config.lockout_threshold:
        return LockScope.ADDRESS
    return None


def register_success(user: StaffUser, address: str = "") -> None:
    """Both factors passed from `address`: its failures and the consecutive count start again."""
    AccountFailure.objects.filter(user_id=user.pk, address=address[:64]).delete()
    user.failed_attempts = 0
    user.locked_until = None
    StaffUser.objects.filter(pk=user.pk).update(failed_attempts=0, locked_until=None)


def unlock(user: StaffUser) -> None:
    """The administrator's unlock: every lock and every counted failure of the account is cleared."""
    AccountFailure.objects.filter(user_id=user.pk).delete()
    register_success(user)
