"""Lockout after consecutive failed sign-in steps (password or TOTP), KOUKI_LOCKOUT_THRESHOLD / _SECONDS."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import F
from django.utils import timezone

from kouki.accounts.models import StaffUser
from kouki.core.config import access_config


def is_locked(user: StaffUser, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return user.locked_until is not None and user.locked_until > now


def register_failure(user: StaffUser, now: datetime | None = None) -> bool:
    """Count one failure; lock the account when the threshold is reached. True if this failure locked it."""
    now = now or timezone.now()
    StaffUser.objects.filter(pk=user.pk).update(failed_attempts=F("failed_attempts") + 1)
    user.refresh_from_db(fields=["failed_attempts", "locked_until"])
    config = access_config()
    if user.failed_attempts >= config.lockout_threshold:
        user.locked_until = now + timedelta(seconds=config.lockout_seconds)
        user.failed_attempts = 0
        StaffUser.objects.filter(pk=user.pk).update(locked_until=user.locked_until, failed_attempts=0)
        return True
    return False


def register_success(user: StaffUser) -> None:
    user.failed_attempts = 0
    user.locked_until = None
    StaffUser.objects.filter(pk=user.pk).update(failed_attempts=0, locked_until=None)
